//! The rules of keyed tallies as callers meet them: building one from a key column, pushing an
//! answer into the group its keys name, finding a group by its keys, and the segment table of
//! the merged summary (the rows equal those of `nps_by` on all the answers).

use crate::api::input::{Numbers, NumbersVisitor};
use crate::api::keys::{group_label, key_tuple, same_text, Groups, KeyColumn};
use crate::api::segments::{segment_table, GroupKeys};
use crate::api::table::Table;
use crate::api::value::Value;
use crate::error::{CxError, Result};
use crate::grouping::Key;
use crate::inference::Adjust;
use crate::segment::{segments, Metric, SegmentOptions};
use crate::tally::Rating;
use crate::{GroupedTally, KeyedTally, NpsOptions, ProportionOptions, Scale, Tally};

/// The metric of a keyed tally's segment table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyedMetric {
    /// Net Promoter Score, in points.
    #[default]
    Nps,
    /// Top-box share, 0 to 1.
    TopBox,
    /// Bottom-box share, 0 to 1.
    BottomBox,
    /// Mean rating, in scale units.
    Mean,
}

crate::choice! { KeyedMetric, "metric", {
    Nps => "nps",
    TopBox => "top-box" | "topbox",
    BottomBox => "bottom-box" | "bottombox",
    Mean => "mean",
}}

crate::options! {
    /// Options of a keyed tally's segment table: those of `nps_by` (the metric's and the
    /// tests') without the inputs the summary already holds.
    pub struct KeyedSegmentsOptions {
        /// The metric: "nps" (default), "top_box", "bottom_box" or "mean".
        pub metric: KeyedMetric = KeyedMetric::Nps,
        /// Confidence level of the intervals, strictly between 0 and 1 (default 0.95).
        pub level: f64 = NpsOptions::default().level,
        /// Interval method: for "nps" as nps_by (default "adjusted-wald"), for the box shares
        /// as csat_by (default "wilson"); "mean" has only "student-t".
        pub method: Option<String> = None,
        /// Bootstrap resamples, at least 100 (default 2000; "nps" only).
        pub resamples: Option<u32> = None,
        /// Bootstrap seed (default 0; "nps" only).
        pub seed: Option<u64> = None,
        /// Significance level of the `significant` flags, strictly between 0 and 1 (default
        /// 0.05).
        pub alpha: f64 = SegmentOptions::default().alpha,
        /// P-value adjustment across the tested groups: "holm" (default), "bh" or "none".
        pub adjust: Adjust = SegmentOptions::default().adjust,
        /// Groups with fewer answers are reported as too small and not tested (default 30).
        pub min_base: u64 = SegmentOptions::default().min_base,
        /// A group to compare every other group with: its key (one key column) or one key per
        /// column (null for the missing key).
        pub reference: Option<Value> = None,
    }
}

impl KeyedSegmentsOptions {
    /// The segment table's metric, with the method parsed for it.
    fn metric(&self) -> Result<Metric> {
        let bootstrap_only = |given: bool, option: &'static str| {
            if given && self.metric != KeyedMetric::Nps {
                return Err(CxError::InvalidArgument {
                    name: option,
                    value: format!("given with metric \"{}\"", self.metric),
                    expected: "only with metric \"nps\" (its bootstrap interval)".into(),
                });
            }
            Ok(())
        };
        bootstrap_only(self.resamples.is_some(), "resamples")?;
        bootstrap_only(self.seed.is_some(), "seed")?;
        let proportion = || -> Result<ProportionOptions> {
            Ok(ProportionOptions {
                level: self.level,
                method: match &self.method {
                    Some(m) => m.parse()?,
                    None => ProportionOptions::default().method,
                },
            })
        };
        Ok(match self.metric {
            KeyedMetric::Nps => {
                let d = NpsOptions::default();
                Metric::Nps(NpsOptions {
                    level: self.level,
                    method: match &self.method {
                        Some(m) => m.parse()?,
                        None => d.method,
                    },
                    resamples: self.resamples.unwrap_or(d.resamples),
                    seed: self.seed.unwrap_or(d.seed),
                })
            }
            KeyedMetric::TopBox => Metric::TopBox(proportion()?),
            KeyedMetric::BottomBox => Metric::BottomBox(proportion()?),
            KeyedMetric::Mean => match self.method.as_deref() {
                None | Some("student-t") => Metric::Mean { level: self.level },
                Some(other) => {
                    return Err(CxError::InvalidArgument {
                        name: "method",
                        value: format!("{other:?}"),
                        expected: "\"student-t\", the interval of a mean".into(),
                    })
                }
            },
        })
    }
}

/// The group of `keyed` named by `key`: exactly these keys, else the one group whose keys are
/// the same as text (so `2` finds the group `"2"` of a column of strings).
pub fn find<'k>(keyed: &'k KeyedTally, key: &[Key]) -> Option<(&'k Vec<Key>, &'k Tally)> {
    if let Some(found) = keyed.iter().find(|(k, _)| k.as_slice() == key) {
        return Some(found);
    }
    let mut same = keyed.iter().filter(|(k, _)| same_text(k, key));
    match (same.next(), same.next()) {
        (Some(found), None) => Some(found),
        _ => None,
    }
}

/// The tally of the group named by `key` (a key, or a list of one key per column), if any.
///
/// # Errors
/// The errors of [`key_tuple`].
pub fn tally_of<'k>(keyed: &'k KeyedTally, key: &Value) -> Result<Option<&'k Tally>> {
    let key = key_tuple("key", key, keyed.names().len())?;
    Ok(find(keyed, &key).map(|(_, t)| t))
}

/// Push one answer (`None` is missing) with an optional weight into the group named by `key`.
/// A new group's keys must be of the type of their column's other keys (one type per column).
///
/// # Errors
/// The errors of [`key_tuple`] and of [`Tally::push_weighted`]; [`CxError::InvalidArgument`]
/// for a key of another type than its column's.
pub fn push(
    keyed: &mut KeyedTally,
    key: &Value,
    value: Option<f64>,
    weight: Option<f64>,
) -> Result<()> {
    let key = key_tuple("key", key, keyed.names().len())?;
    if keyed.get(&key).is_none() {
        same_types(keyed, &key)?;
    }
    let mut one = Tally::new(keyed.scale());
    match value {
        None => one.push_missing(),
        Some(v) => one.push_weighted(v, weight.unwrap_or(1.0))?,
    }
    keyed.insert(key, &one)
}

fn same_types(keyed: &KeyedTally, key: &[Key]) -> Result<()> {
    let kind = |k: &Key| match k {
        Key::Int(_) => Some("a number"),
        Key::Str(_) => Some("a string"),
        Key::Missing => None,
    };
    for (column, k) in key.iter().enumerate() {
        let Some(given) = kind(k) else { continue };
        let other = keyed
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
                    group_label(std::slice::from_ref(k)),
                    keyed.names()[column]
                ),
                expected: format!(
                    "{plural}, as the column's other keys: one type of key per column"
                ),
            });
        }
    }
    Ok(())
}

struct Build<'a> {
    scale: Scale,
    codes: &'a [u32],
    n_groups: usize,
    weights: Option<&'a [f64]>,
}

impl NumbersVisitor for Build<'_> {
    type Out = Result<GroupedTally>;
    fn visit<T: Rating>(self, values: &[T]) -> Result<GroupedTally> {
        GroupedTally::from_values(self.scale, self.codes, self.n_groups, values, self.weights)
    }
}

/// A keyed tally of `values` by the key columns `by` (the keys of `nps_by`), in one pass; the
/// columns are named `names` (default `["group"]` for one column, `["group_1", ...]` for
/// several).
///
/// # Errors
/// [`CxError::LengthMismatch`] for `names` of another length than `by`; the errors of
/// [`Groups::new`] and of the grouped tally.
pub fn from_values(
    values: &Numbers,
    by: &[KeyColumn],
    weights: Option<&[f64]>,
    scale: Scale,
    names: Option<Vec<String>>,
) -> Result<KeyedTally> {
    let names = match names {
        Some(names) if names.len() != by.len() => {
            return Err(CxError::LengthMismatch {
                left_name: "key columns",
                left: by.len(),
                right_name: "names",
                right: names.len(),
            })
        }
        Some(names) => names,
        None if by.len() == 1 => vec!["group".into()],
        None => (1..=by.len()).map(|i| format!("group_{i}")).collect(),
    };
    let groups = Groups::new(by, values.len(), "by")?;
    let grouped = values.visit(Build {
        scale,
        codes: &groups.codes,
        n_groups: groups.len(),
        weights,
    })?;
    KeyedTally::from_grouped(&grouped, names, groups.keys)
}

/// The segment table of `keyed` (one row per group, in group order).
///
/// # Errors
/// [`CxError::UnknownGroup`] for a reference that is no group; the options' errors.
pub fn segments_of(keyed: &KeyedTally, o: &KeyedSegmentsOptions) -> Result<Table> {
    let metric = o.metric()?;
    let (grouped, keys) = keyed.to_grouped();
    let reference = match &o.reference {
        None => None,
        Some(r) => {
            let wanted = key_tuple("reference", r, keyed.names().len())?;
            let found = find(keyed, &wanted).and_then(|(k, _)| keys.iter().position(|g| g == k));
            Some(found.ok_or_else(|| CxError::UnknownGroup {
                name: group_label(&wanted),
                groups: keys.len(),
            })?)
        }
    };
    let options = SegmentOptions {
        metric,
        alpha: o.alpha,
        adjust: o.adjust,
        min_base: o.min_base,
        reference,
    };
    let table = segments(&grouped, &options)?;
    let n = keys.len() as u32;
    let labels = GroupKeys {
        column_codes: (0..n).map(|g| vec![g]).collect(),
        keys,
        reference: reference.is_some(),
    };
    Ok(segment_table(&table, labels))
}
