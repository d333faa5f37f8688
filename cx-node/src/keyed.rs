//! `KeyedTally`: cx-core's per-group tallies keyed by labels, as a JS class: answers pushed one
//! at a time into their group (a web server), partial summaries merged by label across processes
//! and languages, and the segment table of {@link npsBy} computed from the merged summary.

use cx_core::api::keyed::{self, KeyedSegmentsOptions};
use cx_core::api::{Input, Kind, Options, Value};
use cx_core::Scale;
use napi::bindgen_prelude::{Array, Buffer, Either, Object, Uint8ArraySlice, Unknown};
use napi::{Env, Result, ValueType};
use napi_derive::napi;

use crate::call::{key_columns, options_of, read, table_rows, value_of};
use crate::error::OrThrow;
use crate::input::{scale_of, weight_slice, ScaleArg, Weights};
use crate::keys::{describe, KeyValue};
use crate::results::ScaleInfo;
use crate::summary;
use crate::tally::Tally;

/// Per-group tallies keyed by the groups' labels, with the key columns' names: the summary of a
/// segment table that grows one answer at a time and merges across processes.
///
/// Push each answer into its group as it arrives (`push`), or build from arrays in one pass
/// (`fromValues`, with the keys of {@link npsBy}); merge partial summaries by label (`merge`,
/// after `fromBytes` / `fromJSON`: the same bytes and JSON as the Rust and Python packages'
/// `KeyedTally`); compute the segment table once (`segments`): the rows equal those of
/// {@link npsBy} on all the answers.
///
/// Keys: a string is a string key, an integer number an integer key, `null` / `undefined` /
/// `NaN` the missing key. `fromValues`, like {@link npsBy}, makes a column that mixes numbers
/// and strings a column of strings; `push` refuses a number into a column of strings (and a
/// string into a column of numbers). Groups are kept in {@link npsBy}'s order: integers ascending, then strings by code
/// point, the missing key last; several columns in lexicographic order.
#[napi]
pub struct KeyedTally {
    inner: cx_core::KeyedTally,
}

/// Options of {@link KeyedTally.fromValues}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct KeyedTallyOptions<'a> {
    /// The key columns' names, one per key column (default `["group"]` for one column,
    /// `["group_1", "group_2", ...]` for several, `[]` for `keys` null).
    pub names: Option<Vec<String>>,
    /// One weight per score ({@link Weights}).
    pub weights: Option<Weights<'a>>,
    /// The scale of the scores (default `"nps"`).
    #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
    pub scale: Option<ScaleArg>,
}

// Declares the TypeScript interface only: toJSON / fromJSON go through cx-core's serde and the
// environment's JSON, as for `Tally`.
/// The JSON form of a {@link KeyedTally} (cx-core's serde layout, shared by every language).
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct KeyedTallyJson {
    /// Always `"cxkit.keyed_tally"`.
    pub format: String,
    /// Layout version (1).
    pub version: u32,
    /// The scale, in snake case.
    #[napi(
        ts_type = "{ lowest: number; highest: number; top_box_min: number; bottom_box_max: number }"
    )]
    pub scale: ScaleInfo,
    /// The key columns' names.
    pub names: Vec<String>,
    /// `[keys, tally]` per group, in group order (`null` is the missing key).
    #[napi(ts_type = "Array<[Array<string | number | null>, TallyJson]>")]
    pub groups: Vec<String>,
}

#[napi]
impl KeyedTally {
    /// No groups yet, on `scale` (default `"nps"`), with the key columns `names` (default
    /// `["group"]`).
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` (unknown preset), `CX_INVALID_SCALE`.
    #[napi(
        constructor,
        ts_args_type = "scale?: 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec | null, names?: Array<string> | null"
    )]
    pub fn new(env: Env, scale: Option<ScaleArg>, names: Option<Vec<String>>) -> Result<Self> {
        let scale = match scale {
            Some(s) => scale_of(&s).or_throw(&env)?,
            None => Scale::nps(),
        };
        let names = names.unwrap_or_else(|| vec!["group".into()]);
        Ok(KeyedTally {
            inner: cx_core::KeyedTally::new(scale, names),
        })
    }

    /// The keyed tally of `scores` grouped by `keys` (one {@link KeyColumn} or an array of
    /// them, as {@link npsBy}; `null` for one group of all scores), in one pass.
    ///
    /// @throws {Error} the errors of {@link npsBy} for its scores, keys and weights;
    /// `CX_LENGTH_MISMATCH` when `names` does not have one name per key column.
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "scores: RawValues, keys: GroupKeys | undefined | null, options?: KeyedTallyOptions"
    )]
    pub fn from_values(
        env: Env,
        scores: Unknown,
        keys: Option<Unknown>,
        options: Option<KeyedTallyOptions>,
    ) -> Result<Self> {
        let o = options.unwrap_or_default();
        let scale = match &o.scale {
            Some(s) => scale_of(s).or_throw(&env)?,
            None => Scale::nps(),
        };
        let values = read(&scores, Kind::Scores)?;
        let by = match &keys {
            Some(k) if !matches!(k.get_type()?, ValueType::Undefined | ValueType::Null) => {
                key_columns(k)?
            }
            _ => Vec::new(),
        };
        let weights = o.weights.as_ref().map(weight_slice);
        let Input::Numbers(values) = values.input() else {
            unreachable!("scores are numbers")
        };
        let inner =
            keyed::from_values(&values, &by, weights.as_deref(), scale, o.names).or_throw(&env)?;
        Ok(KeyedTally { inner })
    }

    #[napi(
        catch_unwind,
        ts_args_type = "value: number | null | undefined, key: string | number | null | undefined | Array<string | number | null | undefined>, weight?: number | null"
    )]
    pub fn push(
        &mut self,
        env: Env,
        value: Option<f64>,
        key: Unknown,
        weight: Option<f64>,
    ) -> Result<()> {
        let key = value_of(&key)?;
        keyed::push(&mut self.inner, &key, value, weight).or_throw(&env)
    }

    #[napi(catch_unwind)]
    pub fn merge(&mut self, env: Env, other: &KeyedTally) -> Result<()> {
        summary::merge(&env, &mut self.inner, &other.inner)
    }

    /// The compact binary form (magic `CXKT`, versioned, checksummed; the same bytes in every
    /// language).
    #[napi(catch_unwind)]
    pub fn to_bytes(&self) -> Buffer {
        summary::to_bytes(&self.inner)
    }

    /// A keyed tally from the bytes of {@link KeyedTally.toBytes} written in any language (a
    /// `Buffer` or any `Uint8Array`).
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` on a wrong magic, version (the message names
    /// it), flags, length, checksum or content.
    #[napi(factory, catch_unwind)]
    pub fn from_bytes(env: Env, bytes: Uint8ArraySlice) -> Result<Self> {
        summary::from_bytes(&env, &bytes).map(|inner| KeyedTally { inner })
    }

    /// The JSON form (a plain object), so that `JSON.stringify(keyed)` works.
    #[napi(js_name = "toJSON", ts_return_type = "KeyedTallyJson")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        summary::to_json(env, &self.inner)
    }

    /// A keyed tally from its JSON form written in any language: the text or the parsed object.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` for anything that is not a valid keyed tally of
    /// this version.
    #[napi(
        factory,
        js_name = "fromJSON",
        catch_unwind,
        ts_args_type = "json: string | KeyedTallyJson"
    )]
    pub fn from_json(env: Env, json: Either<String, Unknown>) -> Result<Self> {
        summary::from_json(&env, json).map(|inner| KeyedTally { inner })
    }

    /// The key columns' names.
    #[napi(getter)]
    pub fn names(&self) -> Vec<String> {
        self.inner.names().to_vec()
    }

    /// The scale.
    #[napi(getter, ts_return_type = "Scale")]
    pub fn scale(&self) -> ScaleInfo {
        self.inner.scale().into()
    }

    /// Number of groups.
    #[napi(getter)]
    pub fn size(&self) -> f64 {
        self.inner.len() as f64
    }

    /// The groups' keys in group order, one array per group (`null` for the missing key).
    #[napi(ts_return_type = "Array<Array<string | number | null>>")]
    pub fn keys(&self) -> Vec<Vec<KeyValue>> {
        self.inner.iter().map(|(k, _)| describe(k).1).collect()
    }

    /// A copy of one group's tally, or `null` when there is no such group. Keys equal as text
    /// (`2` and `"2"`) find the group when no group has exactly these keys.
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` for a bad key or number of keys.
    #[napi(
        catch_unwind,
        ts_args_type = "key: string | number | null | undefined | Array<string | number | null | undefined>"
    )]
    pub fn tally(&self, env: Env, key: Unknown) -> Result<Option<Tally>> {
        let found = keyed::tally_of(&self.inner, &value_of(&key)?).or_throw(&env)?;
        Ok(found.map(|t| Tally { inner: t.clone() }))
    }

    #[napi(catch_unwind)]
    pub fn total(&self) -> Tally {
        Tally {
            inner: self.inner.total(),
        }
    }

    /// The segment table of the summary: one {@link SegmentRow} per group, in group order, as
    /// {@link npsBy} (`"nps"`, default), {@link topBoxBy} (`"topBox"`), {@link bottomBoxBy}
    /// (`"bottomBox"`) or {@link meanBy} (`"mean"`) return on the same answers and keys.
    ///
    /// @throws {Error} as {@link npsBy}: `CX_INVALID_ARGUMENT` for an unknown metric or
    /// method, or a bootstrap option with another metric; `CX_UNKNOWN_GROUP` for a reference
    /// not among the groups.
    #[napi(
        catch_unwind,
        ts_args_type = "metric?: import('./api').KeyedMetric | 'topBox' | 'bottomBox' | null, options?: import('./api').KeyedSegmentsOptions | null",
        ts_return_type = "Array<SegmentRow>"
    )]
    pub fn segments<'env>(
        &self,
        env: &'env Env,
        metric: Option<String>,
        options: Option<Object>,
    ) -> Result<Array<'env>> {
        let mut given = options_of(options.as_ref())?;
        if let Some(m) = metric {
            given.push(("metric".into(), Value::Str(m)));
        }
        let table = KeyedSegmentsOptions::parse(given.iter().map(|(k, v)| (k.as_str(), v)))
            .and_then(|o| keyed::segments_of(&self.inner, &o))
            .or_throw(env)?;
        table_rows(env, &table)
    }

    #[napi]
    #[allow(clippy::inherent_to_string)]
    pub fn to_string(&self) -> String {
        format!(
            "KeyedTally(names={:?}, groups={}, n={})",
            self.inner.names(),
            self.inner.len(),
            self.inner.total().n()
        )
    }
}
