//! `KeyedTally`: cx-core's per-group tallies keyed by labels, as a JS class: answers pushed one
//! at a time into their group (a web server), partial summaries merged by label across processes
//! and languages, and the segment table of {@link npsBy} computed from the merged summary.

use cx_core::grouping::Key;
use cx_core::{CxError, Metric, Scale, SegmentOptions};
use napi::bindgen_prelude::{Buffer, Either, Function, Uint8ArraySlice, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::error::OrThrow;
use crate::grouped::{segment_rows, SegmentRow, Tests};
use crate::input::{build_grouped, raw_len, scale_of, weight_slice, RawValues, ScaleArg, Weights};
use crate::keys::{
    describe, key_tuple, key_tuple_js, same_text, unknown_group, GroupArg, GroupKeys, Groups,
    KeyValue,
};
use crate::metrics::{nps_options, proportion_options};
use crate::results::ScaleInfo;
use crate::tally::{json_function, Tally};

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

/// Options of {@link KeyedTally.segments}: those of {@link npsBy} without `weights`, `scale`
/// and `dates` (the summary holds them).
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct KeyedSegmentsOptions {
    /// Confidence level of the intervals, strictly between 0 and 1 (default 0.95).
    pub level: Option<f64>,
    /// Interval method: for `"nps"` as {@link npsBy} (default `"adjusted-wald"`), for
    /// `"topBox"` / `"bottomBox"` as {@link csatBy} (default `"wilson"`); `"mean"` has only
    /// `"student-t"`.
    #[napi(
        ts_type = "'adjusted-wald' | 'wald' | 'score' | 'bootstrap' | 'wilson' | 'agresti-coull' | 'clopper-pearson' | 'jeffreys' | 'student-t'"
    )]
    pub method: Option<String>,
    /// Bootstrap resamples, at least 100 (default 2000; `"nps"` only).
    pub resamples: Option<f64>,
    /// Bootstrap seed, an integer >= 0 (default 0; `"nps"` only).
    pub seed: Option<f64>,
    /// Significance level of the `significant` flags, strictly between 0 and 1 (default 0.05).
    pub alpha: Option<f64>,
    /// P-value adjustment across the tested groups: `"holm"` (default), `"bh"` or `"none"`.
    #[napi(ts_type = "'holm' | 'bh' | 'none'")]
    pub adjust: Option<String>,
    /// Groups with fewer answers are reported with `tooSmall: true` and not tested (default 30).
    pub min_base: Option<f64>,
    /// A group to compare every other group with: its key (one key column) or one key per
    /// column (`null` for the missing key).
    #[napi(ts_type = "string | number | Array<string | number | null>")]
    pub reference: Option<GroupArg>,
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
        scores: RawValues,
        keys: Option<GroupKeys>,
        options: Option<KeyedTallyOptions>,
    ) -> Result<Self> {
        let o = options.unwrap_or_default();
        let scale = match &o.scale {
            Some(s) => scale_of(s).or_throw(&env)?,
            None => Scale::nps(),
        };
        let columns = match &keys {
            None => 0,
            Some(Either::A(_)) => 1,
            Some(Either::B(list)) => list.len(),
        };
        let names = match o.names {
            Some(names) if names.len() != columns => {
                return Err(CxError::LengthMismatch {
                    left_name: "key columns",
                    left: columns,
                    right_name: "names",
                    right: names.len(),
                })
                .or_throw(&env)
            }
            Some(names) => names,
            None if columns == 1 => vec!["group".into()],
            None => (1..=columns).map(|i| format!("group_{i}")).collect(),
        };
        let weights = o.weights.as_ref().map(weight_slice);
        let groups = Groups::new(keys, raw_len(&scores)).or_throw(&env)?;
        let (codes, n_groups) = groups.codes();
        let grouped =
            build_grouped(scale, &scores, codes, n_groups, weights.as_deref()).or_throw(&env)?;
        let labels = (0..n_groups).map(|g| groups.labels(g)).collect();
        let inner = cx_core::KeyedTally::from_grouped(&grouped, names, labels).or_throw(&env)?;
        Ok(KeyedTally { inner })
    }

    /// Add one answer to its group (created on first use): `key` is the group's key (one key
    /// column) or one key per column; `null`, `undefined` or `NaN` as the value is a missing
    /// answer (counted in the group); the weight defaults to 1.
    ///
    /// A key column holds strings or integers, not both (with the missing key): `2` pushed into
    /// a column of strings is an error rather than a second group printed `"2"`, so answers
    /// pushed one by one give the groups, and the table, of {@link npsBy} on the same answers.
    ///
    /// @throws {Error} `CX_OUT_OF_SCALE`, `CX_NON_INTEGER`, `CX_INVALID_WEIGHT` (index 0);
    /// `CX_INVALID_ARGUMENT` for a key that is not a string, an integer or missing, a number in
    /// a column of strings or a string in a column of numbers, or a number of keys other than
    /// the key columns'. The summary is unchanged on error.
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
        let key = key_tuple_js("key", &key, self.inner.names().len())?.or_throw(&env)?;
        if self.inner.get(&key).is_none() {
            self.same_types(&key).or_throw(&env)?;
        }
        let mut one = cx_core::Tally::new(self.inner.scale());
        match (value, weight) {
            (None, _) => one.push_missing(),
            (Some(v), None) => one.push(v).or_throw(&env)?,
            (Some(v), Some(w)) => one.push_weighted(v, w).or_throw(&env)?,
        }
        self.inner.insert(key, &one).or_throw(&env)
    }

    /// Add another keyed tally (another partition, process or language), in place: groups with
    /// the same keys merge, the others are added. The result equals the keyed tally of both
    /// data sets.
    ///
    /// @throws {Error} `CX_SCALE_MISMATCH` when the scales differ, `CX_INVALID_ARGUMENT` when
    /// the key columns' names differ. The summary is unchanged on error. (`a.merge(a)` is
    /// refused by napi's borrow check, an `InvalidArg` error: merge a copy instead.)
    #[napi(catch_unwind)]
    pub fn merge(&mut self, env: Env, other: &KeyedTally) -> Result<()> {
        self.inner.merge(&other.inner).or_throw(&env)
    }

    /// The compact binary form (magic `CXKT`, versioned, checksummed; the same bytes in every
    /// language).
    #[napi(catch_unwind)]
    pub fn to_bytes(&self) -> Buffer {
        self.inner.to_bytes().into()
    }

    /// A keyed tally from the bytes of {@link KeyedTally.toBytes} written in any language (a
    /// `Buffer` or any `Uint8Array`).
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` on a wrong magic, version (the message names
    /// it), flags, length, checksum or content.
    #[napi(factory, catch_unwind)]
    pub fn from_bytes(env: Env, bytes: Uint8ArraySlice) -> Result<Self> {
        let inner = cx_core::KeyedTally::from_bytes(&bytes).or_throw(&env)?;
        Ok(KeyedTally { inner })
    }

    /// The JSON form (a plain object), so that `JSON.stringify(keyed)` works.
    #[napi(js_name = "toJSON", ts_return_type = "KeyedTallyJson")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let text = serde_json::to_string(&self.inner)
            .map_err(|e| napi::Error::from_reason(e.to_string()))?;
        let parse: Function<String, Unknown> = json_function(env, "parse")?;
        parse.call(text)
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
        let text = match json {
            Either::A(text) => Some(text),
            Either::B(value) => {
                let stringify: Function<Unknown, Option<String>> =
                    json_function(&env, "stringify")?;
                stringify.call(value)?
            }
        };
        let inner = match text {
            Some(text) => serde_json::from_str::<cx_core::KeyedTally>(&text).map_err(|e| {
                CxError::UnreadableSummary {
                    reason: e.to_string(),
                }
            }),
            None => Err(CxError::UnreadableSummary {
                reason: "the value has no JSON form".into(),
            }),
        }
        .or_throw(&env)?;
        Ok(KeyedTally { inner })
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
        let key = key_tuple_js("key", &key, self.inner.names().len())?.or_throw(&env)?;
        Ok(self.find(&key).map(|(_, t)| Tally { inner: t.clone() }))
    }

    /// The tally of all groups together (a new {@link Tally}).
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
        ts_args_type = "metric?: 'nps' | 'topBox' | 'bottomBox' | 'mean' | null, options?: KeyedSegmentsOptions | null"
    )]
    pub fn segments(
        &self,
        env: Env,
        metric: Option<String>,
        options: Option<KeyedSegmentsOptions>,
    ) -> Result<Vec<SegmentRow>> {
        let o = options.unwrap_or_default();
        let metric = metric_of(metric.as_deref().unwrap_or("nps"), &o).or_throw(&env)?;
        let Tests {
            alpha,
            adjust,
            min_base,
        } = Tests::of(o.alpha, o.adjust.as_deref(), o.min_base).or_throw(&env)?;
        let (grouped, keys) = self.inner.to_grouped();
        let reference = match o.reference {
            None => None,
            Some(r) => {
                let wanted =
                    key_tuple("reference", Some(r), self.inner.names().len()).or_throw(&env)?;
                let found = self
                    .find(&wanted)
                    .and_then(|(k, _)| keys.iter().position(|g| g == k));
                Some(
                    found
                        .ok_or_else(|| unknown_group(&wanted, keys.len()))
                        .or_throw(&env)?,
                )
            }
        };
        let options = SegmentOptions {
            metric,
            alpha,
            adjust,
            min_base,
            reference,
        };
        let table = cx_core::segments(&grouped, &options).or_throw(&env)?;
        Ok(segment_rows(table, reference.is_some(), |g| {
            describe(&keys[g])
        }))
    }

    /// A one-line description, e.g. `KeyedTally(names=["region"], groups=3, n=120)`.
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

impl KeyedTally {
    /// A new group's keys must have the type of the keys already in their columns (the missing
    /// key fits any column).
    fn same_types(&self, key: &[Key]) -> cx_core::Result<()> {
        let kind = |k: &Key| match k {
            Key::Int(_) => Some("a number"),
            Key::Str(_) => Some("a string"),
            Key::Missing => None,
        };
        for (column, k) in key.iter().enumerate() {
            let Some(given) = kind(k) else { continue };
            let other = self
                .inner
                .iter()
                .filter_map(|(g, _)| kind(&g[column]))
                .find(|&existing| existing != given);
            if let Some(existing) = other {
                let plural = if existing == "a number" {
                    "numbers"
                } else {
                    "strings"
                };
                return Err(CxError::InvalidArgument {
                    name: "key",
                    value: format!(
                        "{} ({given}) in column {:?}",
                        describe(std::slice::from_ref(k)).0,
                        self.inner.names()[column]
                    ),
                    expected: format!(
                        "{plural}, as the column's other keys: one type of key per column"
                    ),
                });
            }
        }
        Ok(())
    }

    /// The keys of the group named by `key`: exactly these keys, else the one group whose keys
    /// are the same as text (so `2` finds the group `"2"` of a column of strings).
    fn find(&self, key: &[Key]) -> Option<(&Vec<Key>, &cx_core::Tally)> {
        if let Some(found) = self.inner.iter().find(|(k, _)| k.as_slice() == key) {
            return Some(found);
        }
        let mut same = self.inner.iter().filter(|(k, _)| same_text(k, key));
        match (same.next(), same.next()) {
            (Some(found), None) => Some(found),
            _ => None,
        }
    }
}

/// cx-core's metric of a segment table from its name and the options.
fn metric_of(name: &str, o: &KeyedSegmentsOptions) -> cx_core::Result<Metric> {
    let bootstrap_only = |given: bool, option: &'static str| {
        if given {
            Err(CxError::InvalidArgument {
                name: option,
                value: format!("given with metric {name:?}"),
                expected: "only with metric \"nps\" (its bootstrap interval)".into(),
            })
        } else {
            Ok(())
        }
    };
    match name {
        "nps" => Ok(Metric::Nps(nps_options(
            o.level,
            o.method.as_deref(),
            o.resamples,
            o.seed,
        )?)),
        "topBox" | "bottomBox" | "mean" => {
            bootstrap_only(o.resamples.is_some(), "resamples")?;
            bootstrap_only(o.seed.is_some(), "seed")?;
            let level = o.level.unwrap_or(cx_core::DEFAULT_LEVEL);
            match name {
                "topBox" => Ok(Metric::TopBox(proportion_options(
                    o.level,
                    o.method.as_deref(),
                )?)),
                "bottomBox" => Ok(Metric::BottomBox(proportion_options(
                    o.level,
                    o.method.as_deref(),
                )?)),
                _ => match o.method.as_deref() {
                    None | Some("student-t") => Ok(Metric::Mean { level }),
                    Some(other) => Err(CxError::InvalidArgument {
                        name: "method",
                        value: format!("{other:?}"),
                        expected: "\"student-t\", the interval of a mean".into(),
                    }),
                },
            }
        }
        other => Err(CxError::InvalidArgument {
            name: "metric",
            value: format!("{other:?}"),
            expected: "\"nps\", \"topBox\", \"bottomBox\" or \"mean\"".into(),
        }),
    }
}
