//! The `CxSummary` class: the streaming, mergeable summary of several experience dimensions, a
//! thin class over the core's `CxSummary` (`cxIndex` and `cxIndexBy` are entry points of the
//! core's contract, run through `call`). Its options are parsed by the core
//! (`cx_core::api::SummaryOptions`), answers by name are read by the core's rule
//! (`cx_core::api::extend_summary`).

use cx_core::api::{self, Options, SummaryOptions};
use napi::bindgen_prelude::{Buffer, Either, Object, Uint8ArraySlice, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::call::{options_of, read};
use crate::error::OrThrow;
use crate::summary;

/// The fields of a CX row of {@link cxIndexBy}'s tables besides those of {@link SegmentRow} or
/// {@link TrendRow} (the rows are the core's `cx_segments` / `cx_trend` tables).
// Declares the TypeScript interface only.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct CxRowExtras {
    /// Quality band of the index: 'very poor', 'poor', 'okay', 'good' or 'excellent' (`null`
    /// when it is undefined).
    #[napi(ts_type = "string | null")]
    pub band: String,
    /// The dimension with the lowest score (`null` when the index is undefined).
    #[napi(ts_type = "string | null")]
    pub weakest: String,
    /// Each dimension's score in index points, by name in the dimensions' order (`null` when
    /// the index is undefined).
    #[napi(ts_type = "Record<string, number | null>")]
    pub scores: f64,
}

/// The one-pass, mergeable summary of several experience dimensions answered by the same
/// respondents (per dimension a tally, per pair of dimensions the squared weights of those who
/// answered both, the respondents counted): push responses as they arrive, merge partitions,
/// send it as JSON, and pass it to {@link cxIndex}.
#[napi]
pub struct CxSummary {
    pub(crate) inner: cx_core::CxSummary,
}

#[napi]
impl CxSummary {
    /// An empty summary of `dims` (default `["effectiveness", "ease", "emotion"]`), with the
    /// dimensions' `scales` and the `requireAll` rule of {@link cxIndex}.
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` for no dimension or a repeated name.
    #[napi(
        constructor,
        ts_args_type = "dims?: Array<string> | null, options?: import('./api').CxSummaryOptions | null"
    )]
    pub fn new(env: Env, dims: Option<Vec<String>>, options: Option<Object>) -> Result<Self> {
        let given = options_of(options.as_ref())?;
        let inner = SummaryOptions::parse(given.iter().map(|(k, v)| (k.as_str(), v)))
            .and_then(|o| api::new_summary(dims.as_deref(), &o))
            .or_throw(&env)?;
        Ok(CxSummary { inner })
    }

    /// Add one respondent's answers, one per dimension in order (`null` or `NaN` is missing),
    /// with an optional weight. On error the summary is unchanged.
    #[napi(catch_unwind)]
    pub fn push(&mut self, env: Env, answers: Vec<Option<f64>>, weight: Option<f64>) -> Result<()> {
        let row: Vec<f64> = answers.iter().map(|a| a.unwrap_or(f64::NAN)).collect();
        self.inner
            .push_weighted(&row, weight.unwrap_or(1.0))
            .or_throw(&env)
    }

    /// Add many respondents: an object with one array per dimension of this summary. On error
    /// the summary is unchanged.
    #[napi(
        catch_unwind,
        ts_args_type = "dims: Record<string, RawValues>, weights?: Weights | null"
    )]
    pub fn extend(&mut self, env: Env, dims: Unknown, weights: Option<Unknown>) -> Result<()> {
        let held = read(&dims, api::Kind::Columns)?;
        let api::Input::Columns(columns) = held.input() else {
            return Err(napi::Error::new(
                napi::Status::InvalidArg,
                "dims must be an object with one array of numbers per dimension",
            ));
        };
        let weights = weights.map(|w| read(&w, api::Kind::Numbers)).transpose()?;
        let weights = weights.as_ref().and_then(|w| w.numbers());
        let weights = weights.as_ref().map(|w| w.to_f64());
        api::extend_summary(&mut self.inner, &columns, weights.as_deref()).or_throw(&env)
    }

    /// Merge another summary of the same dimensions, scales and rule into this one.
    #[napi(catch_unwind)]
    pub fn merge(&mut self, env: Env, other: &CxSummary) -> Result<()> {
        summary::merge(&env, &mut self.inner, &other.inner)
    }

    /// The JSON form (`{ format: "cxkit.cx_summary", version: 1, ... }`), the same in every
    /// language.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        summary::to_json(env, &self.inner)
    }

    /// Read the JSON form (text, or the object `toJSON` returns).
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY`.
    #[napi(
        factory,
        js_name = "fromJSON",
        ts_args_type = "json: string | Record<string, unknown>"
    )]
    pub fn from_json(env: Env, json: Either<String, Unknown>) -> Result<Self> {
        summary::from_json(&env, json).map(|inner| CxSummary { inner })
    }

    /// The compact binary form (magic `CXCS`, versioned, checksummed; the same bytes in every
    /// language).
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        summary::to_bytes(&self.inner)
    }

    /// A summary from the bytes of {@link CxSummary.toBytes} written in any language.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` on a wrong magic, version, length or checksum.
    #[napi(factory, catch_unwind)]
    pub fn from_bytes(env: Env, bytes: Uint8ArraySlice) -> Result<Self> {
        summary::from_bytes(&env, &bytes).map(|inner| CxSummary { inner })
    }

    /// The dimension names, in order.
    #[napi(getter)]
    pub fn dims(&self) -> Vec<String> {
        self.inner.dims().iter().map(|d| d.name.clone()).collect()
    }

    /// Whether only respondents who answered every dimension are counted.
    #[napi(getter)]
    pub fn require_all(&self) -> bool {
        self.inner.require_all()
    }

    /// Respondents counted.
    #[napi(getter)]
    pub fn n(&self) -> f64 {
        self.inner.n() as f64
    }

    /// Rows left out (no answer; some answer missing with `requireAll`).
    #[napi(getter)]
    pub fn missing(&self) -> f64 {
        self.inner.missing() as f64
    }

    /// Kish effective sample size of the respondents counted.
    #[napi(getter)]
    pub fn effective_n(&self) -> f64 {
        self.inner.effective_n()
    }
}
