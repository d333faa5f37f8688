//! `Tally`: cx-core's one-pass, mergeable summary of one rating item, as a JS class.

use cx_core::{CxError, Scale};
use napi::bindgen_prelude::{Buffer, Either, Function, JsObjectValue, Uint8ArraySlice, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::error::OrThrow;
use crate::input::{build, scale_of, weight_slice, RawValues, ScaleArg, Weights};
use crate::results::ScaleInfo;
use crate::summary;

/// The one-pass weighted summary of one rating item: per scale point the count, the sum of
/// weights and the sum of squared weights, plus the count of missing answers.
///
/// Every metric accepts a `Tally` in place of raw values. Tallies merge (`a.merge(b)` equals the
/// tally of both data sets), so one code path serves an array, answers arriving one at a time
/// and partial summaries from other processes (`toBytes` / `fromBytes`, `toJSON` / `fromJSON`,
/// readable by the Rust and Python packages too).
#[napi]
pub struct Tally {
    pub(crate) inner: cx_core::Tally,
}

// This struct only declares the TypeScript interface. The values never pass through it: toJSON
// and fromJSON go through cx-core's serde and the environment's JSON, so the layout has a single
// source (cx-core) and counts above 2^32 survive (napi's serde_json conversion turns them into
// strings or rejects them).
/// The JSON form of a {@link Tally} (cx-core's serde layout, shared by every language).
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TallyJson {
    /// Always `"cxkit.tally"`.
    pub format: String,
    /// Layout version (1).
    pub version: u32,
    /// The scale, in snake case.
    #[napi(
        ts_type = "{ lowest: number; highest: number; top_box_min: number; bottom_box_max: number }"
    )]
    pub scale: ScaleInfo,
    /// Respondents per point, lowest first.
    pub counts: Vec<f64>,
    /// Sum of weights per point.
    pub weights: Vec<f64>,
    /// Sum of squared weights per point.
    #[napi(js_name = "weights_sq")]
    pub weights_sq: Vec<f64>,
    /// Missing answers.
    pub missing: f64,
}

#[napi]
impl Tally {
    /// An empty tally on `scale` (default `"nps"`, 0-10).
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` (unknown preset), `CX_INVALID_SCALE`.
    #[napi(
        constructor,
        ts_args_type = "scale?: 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec | null"
    )]
    pub fn new(env: Env, scale: Option<ScaleArg>) -> Result<Self> {
        let scale = match scale {
            Some(s) => scale_of(&s).or_throw(&env)?,
            None => Scale::nps(),
        };
        Ok(Tally {
            inner: cx_core::Tally::new(scale),
        })
    }

    /// Add one answer: `null`, `undefined` or `NaN` is a missing answer (its weight ignored);
    /// the weight defaults to 1.
    ///
    /// @throws {Error} `CX_OUT_OF_SCALE`, `CX_NON_INTEGER`, `CX_INVALID_WEIGHT` (index 0); the
    /// tally is unchanged on error.
    #[napi(catch_unwind)]
    pub fn push(&mut self, env: Env, value: Option<f64>, weight: Option<f64>) -> Result<()> {
        match (value, weight) {
            (None, _) => {
                self.inner.push_missing();
                Ok(())
            }
            (Some(v), None) => self.inner.push(v).or_throw(&env),
            (Some(v), Some(w)) => self.inner.push_weighted(v, w).or_throw(&env),
        }
    }

    /// Add many answers (raw values, optional weights): all or nothing, the tally is unchanged
    /// on error.
    ///
    /// @throws {Error} as {@link nps} for its input.
    #[napi(catch_unwind)]
    pub fn extend(&mut self, env: Env, values: RawValues, weights: Option<Weights>) -> Result<()> {
        let weights = weights.as_ref().map(weight_slice);
        let part = build(self.inner.scale(), &values, weights.as_deref()).or_throw(&env)?;
        self.inner.merge(&part).or_throw(&env)
    }

    /// Add another tally on the same scale, in place: the result equals the tally of both data
    /// sets.
    ///
    /// @throws {Error} `CX_SCALE_MISMATCH` when the scales differ.
    #[napi(catch_unwind)]
    pub fn merge(&mut self, env: Env, other: &Tally) -> Result<()> {
        summary::merge(&env, &mut self.inner, &other.inner)
    }

    /// The JSON form (a plain object), so that `JSON.stringify(tally)` works.
    #[napi(js_name = "toJSON", ts_return_type = "TallyJson")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        summary::to_json(env, &self.inner)
    }

    /// A tally from its JSON form: the text or the parsed object.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` for anything that is not a valid tally.
    #[napi(
        factory,
        js_name = "fromJSON",
        ts_args_type = "json: string | TallyJson"
    )]
    pub fn from_json(env: Env, json: Either<String, Unknown>) -> Result<Self> {
        summary::from_json(&env, json).map(|inner| Tally { inner })
    }

    /// The compact binary form (versioned, checksummed; the same bytes in every language).
    #[napi(catch_unwind)]
    pub fn to_bytes(&self) -> Buffer {
        summary::to_bytes(&self.inner)
    }

    /// A tally from the bytes of {@link Tally.toBytes} (a `Buffer` or any `Uint8Array`).
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` on a wrong magic, version, length or checksum.
    #[napi(factory, catch_unwind)]
    pub fn from_bytes(env: Env, bytes: Uint8ArraySlice) -> Result<Self> {
        summary::from_bytes(&env, &bytes).map(|inner| Tally { inner })
    }

    /// Respondents per point, lowest point first.
    #[napi(getter)]
    pub fn counts(&self) -> Vec<f64> {
        self.inner.counts().iter().map(|&c| c as f64).collect()
    }

    /// Sum of weights per point (equal to `counts` when unweighted).
    #[napi(getter)]
    pub fn weights(&self) -> Vec<f64> {
        self.inner.weights().to_vec()
    }

    /// Sum of squared weights per point (equal to `counts` when unweighted).
    #[napi(getter)]
    pub fn weights_sq(&self) -> Vec<f64> {
        self.inner.weights_sq().to_vec()
    }

    /// Missing answers seen.
    #[napi(getter)]
    pub fn missing(&self) -> f64 {
        self.inner.missing() as f64
    }

    /// Non-missing answers.
    #[napi(getter)]
    pub fn n(&self) -> f64 {
        self.inner.n() as f64
    }

    /// Sum of all weights.
    #[napi(getter)]
    pub fn total_weight(&self) -> f64 {
        self.inner.total_weight()
    }

    /// Kish effective sample size `(Σw)² / Σw²` (equal to `n` when unweighted).
    #[napi(getter)]
    pub fn effective_n(&self) -> f64 {
        self.inner.effective_n()
    }

    /// The scale.
    #[napi(getter)]
    pub fn scale(&self) -> ScaleInfo {
        self.inner.scale().into()
    }

    /// A one-line description, e.g. `Tally(scale=0..=10, n=3, missing=0, counts=[...])`.
    #[napi]
    #[allow(clippy::inherent_to_string)]
    pub fn to_string(&self) -> String {
        self.inner.to_string()
    }
}

/// `JSON.parse` of a summary's JSON text: the plain object its `toJSON` returns.
pub(crate) fn parsed(env: &Env, text: String) -> Result<Unknown<'_>> {
    let parse: Function<String, Unknown> = json_function(env, "parse")?;
    parse.call(text)
}

/// The JSON text of a `fromJSON` argument: the text itself, or `JSON.stringify` of an object
/// (`unreadable_summary` for a value without a JSON form, such as `undefined`).
pub(crate) fn json_text(
    env: &Env,
    json: Either<String, Unknown>,
) -> Result<std::result::Result<String, CxError>> {
    let text = match json {
        Either::A(text) => Some(text),
        Either::B(value) => {
            let stringify: Function<Unknown, Option<String>> = json_function(env, "stringify")?;
            stringify.call(value)?
        }
    };
    Ok(text.ok_or_else(|| CxError::UnreadableSummary {
        reason: "the value has no JSON form".into(),
    }))
}

/// `JSON.parse` or `JSON.stringify` of this environment.
pub(crate) fn json_function<'env, Args, Ret>(
    env: &'env Env,
    name: &str,
) -> Result<Function<'env, Args, Ret>>
where
    Args: napi::bindgen_prelude::JsValuesTupleIntoVec,
    Ret: napi::bindgen_prelude::FromNapiValue,
{
    let json: napi::bindgen_prelude::Object = env.get_global()?.get_named_property("JSON")?;
    json.get_named_property(name)
}
