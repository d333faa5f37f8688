//! Entry points of loyalty lift and key drivers: `loyalty_lift`, `mean_lift`, `loyalty_curve`,
//! `revenue_impact`, `key_drivers`, and `joint_tally` (the mergeable summary behind a lift).
//!
//! # Exposure groups
//! Every lift entry point reads who is exposed and who is the reference into one
//! [`ExposureGroups`], from the same inputs in every language:
//!
//! - `band` given (labels such as CX-index bands): `exposure` is a label or a list of labels,
//!   `reference` likewise, or absent for every other label;
//! - `exposure` a numeric column (a 0/1 mask, NaN missing), or a plain list of numbers that
//!   is not a `(lowest, highest)` pair of a `score`: the exposed rows; `reference` another
//!   mask, or absent for every row not exposed;
//! - otherwise a rule on the ratings `score` (on `scale`, default 'nps'): `exposure` a side
//!   name ("top box" / "promoters", "bottom box" / "detractors", "middle" / "passives"; case,
//!   `_`, `-` and spaces do not matter) or a `(lowest, highest)` range of points, default the
//!   top box; `reference` likewise or "rest" (every rated row not exposed), default the bottom
//!   box without an `exposure` and "rest" with one.

use std::borrow::Cow;

use super::input::{ColumnSet, GroupArg, Input, Numbers, NumbersVisitor};
use super::keys::{key_of_value, Groups};
use super::loyalty_tables::lifts_table;
use super::metrics::{LevelOptions, NoOptions};
use super::options::Required;
use super::value::{wrong_type, OptionType, Value};
use super::{Args, Entry, Kind, Options, Output, Param, Returns, Summary};
use crate::drivers::{key_drivers, DriverOptions};
use crate::error::{CxError, Result};
use crate::grouping::Key;
use crate::loyalty::{
    loyalty_curve, loyalty_lift, mean_lift, revenue_impact, CurveTally, CustomerBase, Exposure,
    ExposureGroups, ExposureRule, JointTally, MoveTo, Scenario, Side, SideName,
};
use crate::tally::Rating;
use crate::Scale;

/// The ratings that form the groups (default rule: top box vs bottom box).
const SCORE: Param = Param {
    name: "score",
    kind: Kind::Scores,
    positional: false,
    required: false,
    doc: "Ratings that form the groups by a rule (exposure and reference sides on scale); \
          NaN / None / null missing (no group).",
    aliases: &["scores"],
    column: Some("nps"),
};

const SCALE: Param = Param {
    name: "scale",
    kind: Kind::Scale,
    positional: false,
    required: false,
    doc: "The scale of score (default 'nps', 0-10).",
    aliases: &[],
    column: None,
};

const EXPOSURE: Param = Param {
    name: "exposure",
    kind: Kind::Group,
    positional: false,
    required: false,
    doc: "The exposed group: a side of score ('top box' / 'promoters' by default, 'bottom \
          box' / 'detractors', 'middle' / 'passives', or a (lowest, highest) range of points), \
          a 0/1 mask (NaN missing), or with band one label or a list of labels.",
    aliases: &["exposed", "exposed_bands"],
    column: None,
};

const REFERENCE: Param = Param {
    name: "reference",
    kind: Kind::Group,
    positional: false,
    required: false,
    doc: "The reference group, as exposure: a side of score or 'rest' (every rated row not \
          exposed; the default with an exposure side, else the bottom box), a 0/1 mask \
          (default: every row not exposed), or with band labels (default: every other label).",
    aliases: &["reference_mask", "reference_bands"],
    column: None,
};

const BAND: Param = Param {
    name: "band",
    kind: Kind::Keys,
    positional: false,
    required: false,
    doc: "Labels such as CX-index bands (missing: no group): exposure and reference are then \
          labels.",
    aliases: &["bands"],
    column: None,
};

const WEIGHTS: Param = Param {
    name: "weights",
    kind: Kind::Numbers,
    positional: false,
    required: false,
    doc: "One weight per row (0 or between 1e-100 and 1e100); rates and tests use Kish's \
          effective n.",
    aliases: &[],
    column: None,
};

/// A 0/1 outcome column.
const fn outcome(kind: Kind, column: &'static str, doc: &'static str) -> Param {
    Param {
        name: "outcome",
        kind,
        positional: true,
        required: true,
        doc,
        aliases: &[],
        column: Some(column),
    }
}

const ONE_OUTCOME: &str = "A 0/1 loyalty outcome (retained, bought more, recommended; \
                           booleans too; NaN / None / null missing, skipped and counted).";

crate::options! {
    /// Options of `key_drivers`.
    pub struct KeyDriversOptions {
        /// Confidence level of the bootstrap intervals (default 0.95).
        pub level: f64 = DriverOptions::default().level,
        /// Bootstrap resamples: 0 for no intervals, else at least 100 (default 1000).
        pub resamples: u32 = DriverOptions::default().resamples,
        /// Bootstrap seed (default 0): the same seed gives the same intervals.
        pub seed: u64 = DriverOptions::default().seed,
    }
}

/// The customer base of a revenue projection: a total, split by the survey's weighted group
/// shares, or counts per group.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Customers {
    /// Total customers.
    Total(f64),
    /// Customers per group.
    Counts(CustomerBase),
}

/// A group of the customer base by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BaseGroup {
    Exposed,
    Neither,
    Reference,
}

crate::choice! { BaseGroup, "customers", {
    Exposed => "promoters" | "exposed",
    Neither => "passives" | "neither",
    Reference => "detractors" | "reference",
}}

impl OptionType for Customers {
    const TYPE: &'static str = "total_or_counts";
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        if let Some(total) = value.as_f64() {
            return Ok(Customers::Total(total));
        }
        let Value::Map(entries) = value else {
            return Err(wrong_type(
                name,
                value,
                "a total number of customers or counts per group",
            ));
        };
        let mut base = CustomerBase {
            exposed: 0.0,
            reference: 0.0,
            neither: 0.0,
        };
        for (key, count) in entries {
            let count = <f64 as OptionType>::from_value(name, count)?;
            match crate::api::parse_choice::<BaseGroup>(name, key)? {
                BaseGroup::Exposed => base.exposed = count,
                BaseGroup::Neither => base.neither = count,
                BaseGroup::Reference => base.reference = count,
            }
        }
        Ok(Customers::Counts(base))
    }
}

crate::options! {
    /// Options of `revenue_impact`.
    pub struct RevenueOptions {
        /// Customers in the base: a total (split by the survey's weighted shares of the
        /// groups) or counts per group, {'promoters': ..., 'passives': ..., 'detractors':
        /// ...} (also 'exposed', 'neither', 'reference').
        pub customers: Required<Customers> = Required(None),
        /// Revenue per retained customer, in your money unit.
        pub revenue_per_customer: Required<f64> = Required(None),
        /// Share of the reference group (detractors) that moves, 0 to 1 (default 0.1).
        pub share: f64 = Scenario::default().share,
        /// Where they move: 'promoters' (the exposed group, default) or 'passives' (neither
        /// group).
        pub to: MoveTo = Scenario::default().to,
        /// Confidence level (default 0.95).
        pub level: f64 = Scenario::default().level,
    }
}

fn not_given(name: &'static str, expected: &str) -> CxError {
    CxError::InvalidArgument {
        name,
        value: "not given".into(),
        expected: expected.into(),
    }
}

/// A list of numbers as a column (NaN for null).
fn list_column(name: &'static str, items: &[Value]) -> Result<Vec<f64>> {
    items
        .iter()
        .map(|v| match v {
            Value::Null => Ok(f64::NAN),
            Value::Bool(b) => Ok(f64::from(u8::from(*b))),
            v => v
                .as_f64()
                .ok_or_else(|| wrong_type(name, v, "a 0/1 mask: numbers or booleans")),
        })
        .collect()
}

/// A `(lowest, highest)` pair of whole numbers.
fn pair(items: &[Value]) -> Option<Side> {
    let [lo, hi] = items else { return None };
    let lowest = <i32 as OptionType>::from_value("exposure", lo).ok()?;
    let highest = <i32 as OptionType>::from_value("exposure", hi).ok()?;
    Some(Side::Points { lowest, highest })
}

/// A side of a rating rule: a name or a `(lowest, highest)` pair.
fn side(name: &'static str, arg: GroupArg) -> Result<Side> {
    match arg {
        GroupArg::Value(Value::Str(s)) => Ok(crate::api::parse_choice::<SideName>(name, s)?.into()),
        GroupArg::Value(Value::List(items)) => {
            pair(items).ok_or_else(|| CxError::InvalidArgument {
                name,
                value: Value::List(items.clone()).to_string(),
                expected: "a side name or (lowest, highest) integer points".into(),
            })
        }
        GroupArg::Value(v) => Err(wrong_type(
            name,
            v,
            "a side name or (lowest, highest) integer points",
        )),
        GroupArg::Column(_) => Err(CxError::WrongType {
            name,
            value: "an array".into(),
            expected: "a side name or (lowest, highest) integer points, like exposure".into(),
        }),
    }
}

/// The mask `arg` as a column.
fn mask<'a>(name: &'static str, arg: GroupArg<'_, 'a>) -> Result<Option<Cow<'a, [f64]>>> {
    Ok(match arg {
        GroupArg::Column(Numbers::F64(s)) => Some(Cow::Borrowed(s)),
        GroupArg::Column(n) => Some(Cow::Owned(n.to_f64().into_owned())),
        GroupArg::Value(Value::List(items)) => Some(Cow::Owned(list_column(name, items)?)),
        GroupArg::Value(Value::Str(s)) if s.parse::<SideName>() == Ok(SideName::Rest) => None,
        GroupArg::Value(v) => return Err(wrong_type(name, v, "a 0/1 mask, like exposure")),
    })
}

/// Labels given as one label, a list of them, or a column of numbers.
fn labels(name: &'static str, arg: GroupArg) -> Result<Vec<Key>> {
    match arg {
        GroupArg::Value(Value::List(items)) => {
            items.iter().map(|v| key_of_value(name, v)).collect()
        }
        GroupArg::Value(v) => Ok(vec![key_of_value(name, v)?]),
        GroupArg::Column(n) => n
            .to_f64()
            .iter()
            .map(|&x| key_of_value(name, &Value::Num(x)))
            .collect(),
    }
}

/// The exposure groups of an entry's arguments (see the module docs).
///
/// # Errors
/// [`CxError::InvalidArgument`] without a way to form groups, or for a value of no form;
/// [`CxError::WrongType`] for an input of the wrong type; the errors of reading `band`.
pub fn exposure_groups<'a>(a: &Args<'a>) -> Result<ExposureGroups<'a>> {
    let band = a.keys("band")?;
    let exposure = a.group("exposure")?;
    let reference = a.group("reference")?;
    if let [column] = band.as_slice() {
        let groups = Groups::new(&band, column.len(), "band")?;
        let exposed = exposure.ok_or_else(|| {
            not_given(
                "exposure",
                "with band, the label or labels of the exposed group",
            )
        })?;
        return Ok(ExposureGroups::Labels {
            exposed: labels("exposure", exposed)?,
            reference: reference.map(|r| labels("reference", r)).transpose()?,
            labels: groups.keys.into_iter().flatten().collect(),
            codes: groups.codes,
        });
    }
    if band.len() > 1 {
        return Err(CxError::InvalidArgument {
            name: "band",
            value: format!("{} columns", band.len()),
            expected: "one column of labels".into(),
        });
    }
    let score = a.numbers("score")?;
    let is_mask = match exposure {
        Some(GroupArg::Column(_)) => true,
        Some(GroupArg::Value(Value::List(items))) => score.is_none() || pair(items).is_none(),
        _ => false,
    };
    if is_mask {
        let exposed = exposure.map(|e| mask("exposure", e)).transpose()?.flatten();
        return Ok(ExposureGroups::Masks {
            exposed: exposed.unwrap_or_default(),
            reference: reference
                .map(|r| mask("reference", r))
                .transpose()?
                .flatten(),
        });
    }
    let score = score.ok_or_else(|| {
        not_given(
            "score",
            "ratings to form the groups from (score), a 0/1 mask (exposure) or labels (band)",
        )
    })?;
    let default = ExposureRule::default();
    let rule = ExposureRule {
        exposed: exposure
            .map(|e| side("exposure", e))
            .transpose()?
            .unwrap_or(default.exposed),
        reference: match reference {
            Some(r) => side("reference", r)?,
            None if exposure.is_some() => Side::Rest,
            None => default.reference,
        },
    };
    Ok(ExposureGroups::Rule {
        ratings: match score {
            Numbers::F64(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_f64().into_owned()),
        },
        scale: a.scale()?.unwrap_or(Scale::nps()),
        rule,
    })
}

/// The joint tally of an outcome column and groups.
struct JointOf<'g> {
    groups: &'g [Exposure],
    weights: Option<&'g [f64]>,
}

impl NumbersVisitor for JointOf<'_> {
    type Out = Result<JointTally>;
    fn visit<T: Rating>(self, outcome: &[T]) -> Result<JointTally> {
        JointTally::from_values(self.groups, outcome, self.weights)
    }
}

/// The joint tallies of the outcome columns `items` (summaries as given), the groups
/// classified once.
fn joints(a: &Args, items: &[(Option<String>, Input)]) -> Result<Vec<JointTally>> {
    let mut groups: Option<Vec<Exposure>> = None;
    let weights = a.floats("weights")?;
    items
        .iter()
        .map(|(_, input)| match input {
            Input::Numbers(n) => {
                if groups.is_none() {
                    groups = Some(exposure_groups(a)?.classify()?);
                }
                n.visit(JointOf {
                    groups: groups.as_deref().unwrap_or_default(),
                    weights: weights.as_deref(),
                })
            }
            Input::Object(o) => {
                let any: &dyn std::any::Any = *o;
                any.downcast_ref::<JointTally>()
                    .cloned()
                    .ok_or_else(|| CxError::WrongType {
                        name: "outcome",
                        value: "an object of another type".into(),
                        expected: "a 0/1 outcome column or a JointTally".into(),
                    })
            }
            _ => Err(CxError::WrongType {
                name: "outcome",
                value: "another kind of input".into(),
                expected: "a 0/1 outcome column or a JointTally".into(),
            }),
        })
        .collect()
}

fn outcome_columns<'a>(a: &Args<'a>) -> Result<ColumnSet<'a>> {
    a.column_set("outcome")?
        .ok_or_else(|| not_given("outcome", "a 0/1 outcome column"))
}

fn outcome_floats<'a>(a: &Args<'a>) -> Result<Cow<'a, [f64]>> {
    a.floats("outcome")?
        .ok_or_else(|| not_given("outcome", "an outcome column"))
}

/// The joint tally of the one outcome column and the groups.
fn joint(a: &Args) -> Result<JointTally> {
    let outcome = a
        .numbers("outcome")?
        .ok_or_else(|| not_given("outcome", "a 0/1 outcome column"))?;
    joints(a, &[(None, Input::Numbers(outcome))]).map(|mut j| j.remove(0))
}

/// The curve tally of ratings and an outcome.
struct CurveOf<'o> {
    scale: Scale,
    outcome: &'o [f64],
    weights: Option<&'o [f64]>,
}

impl NumbersVisitor for CurveOf<'_> {
    type Out = Result<CurveTally>;
    fn visit<T: Rating>(self, ratings: &[T]) -> Result<CurveTally> {
        CurveTally::from_values(self.scale, ratings, self.outcome, self.weights)
    }
}

const GROUPS: [Param; 6] = [EXPOSURE, REFERENCE, SCORE, SCALE, BAND, WEIGHTS];

/// Every entry point of this module.
pub(super) static ENTRIES: &[Entry] = &[
    Entry {
        name: "loyalty_lift",
        module: "loyalty",
        doc: "Lift of a 0/1 loyalty outcome (retained, bought more, recommended) in the \
              exposed group over the reference group (promoters over detractors of score by \
              default): both rates with Wilson intervals, the risk ratio (Katz log interval), \
              the risk difference (Newcombe hybrid score interval) and the odds ratio (Woolf \
              logit interval), each with a two-sided p-value (ratios: Wald test on the log \
              scale; difference: pooled two-proportion z-test). Rates and differences are \
              shares 0 to 1; weighted data go through Kish's effective n. Several outcomes \
              (a list or dict of columns) give a table, one row per outcome; a JointTally \
              gives its lift (then only level applies).",
        params: &[
            outcome(
                Kind::ColumnSet,
                "retained",
                "A 0/1 loyalty outcome (booleans too; NaN / None / null missing, skipped and \
                 counted), several (a list or dict of columns: a table, one row per outcome), \
                 or a JointTally.",
            ),
            EXPOSURE,
            REFERENCE,
            SCORE,
            SCALE,
            BAND,
            WEIGHTS,
        ],
        options: LevelOptions::fields,
        returns: Returns::Each {
            record: "Lift",
            table: "lifts",
        },
        run: |a| {
            let level = a.options::<LevelOptions>()?.level;
            let outcome = outcome_columns(a)?;
            let lifts = joints(a, &outcome.items)?
                .iter()
                .map(|j| loyalty_lift(j, level))
                .collect::<Result<Vec<_>>>()?;
            if !outcome.several {
                return Ok(lifts.into_iter().next().expect("one outcome").into());
            }
            let names: Vec<Option<String>> = outcome.items.into_iter().map(|(n, _)| n).collect();
            Ok(Output::Table(lifts_table(&names, &lifts)))
        },
    },
    Entry {
        name: "mean_lift",
        module: "loyalty",
        doc: "Lift of a continuous outcome (spend, revenue) in the exposed group over the \
              reference group (groups as in loyalty_lift): the difference of means with \
              Welch's interval and t-test, and the ratio of means (delta method on the log \
              scale; null unless both means are positive).",
        params: &[
            outcome(
                Kind::Numbers,
                "revenue",
                "A continuous outcome (NaN / None / null missing).",
            ),
            EXPOSURE,
            REFERENCE,
            SCORE,
            SCALE,
            BAND,
            WEIGHTS,
        ],
        options: LevelOptions::fields,
        returns: Returns::Record("MeanLift"),
        run: |a| {
            let level = a.options::<LevelOptions>()?.level;
            let y = outcome_floats(a)?;
            let groups = exposure_groups(a)?.classify()?;
            let w = a.floats("weights")?;
            Ok(mean_lift(&groups, &y, w.as_deref(), level)?.into())
        },
    },
    Entry {
        name: "loyalty_curve",
        module: "loyalty",
        doc: "The loyalty curve: the rate of a 0/1 outcome at each point of a rating scale \
              (e.g. the retention rate at NPS 0 to 10) with Wilson intervals, which shows where \
              loyalty breaks. A point nobody chose has no rate (NaN in Python's table); \
              respondents without a rating are left out and counted (missing_rating).",
        params: &[
            Param {
                name: "score",
                positional: true,
                required: true,
                doc: "Ratings on scale (NaN / None / null: no rating).",
                ..SCORE
            },
            outcome(Kind::Numbers, "retained", ONE_OUTCOME),
            Param {
                doc: "The scale of score (default 'nps', 0-10).",
                ..SCALE
            },
            WEIGHTS,
        ],
        options: LevelOptions::fields,
        returns: Returns::Frame {
            record: "LoyaltyCurve",
            table: "loyalty_curve",
        },
        run: |a| {
            let level = a.options::<LevelOptions>()?.level;
            let ratings = a
                .numbers("score")?
                .ok_or_else(|| not_given("score", "ratings"))?;
            let y = outcome_floats(a)?;
            let w = a.floats("weights")?;
            let curve = ratings.visit(CurveOf {
                scale: a.scale()?.unwrap_or(Scale::nps()),
                outcome: &y,
                weights: w.as_deref(),
            })?;
            Ok(loyalty_curve(&curve, level)?.into())
        },
    },
    Entry {
        name: "revenue_impact",
        module: "loyalty",
        doc: "Expected change in retained customers and revenue if share of the reference group \
              (detractors) moved to the exposed group (promoters) or to neither (passives), \
              from the measured outcome rates (groups as in loyalty_lift) and a customer base: \
              change in retained = share x detractors x (rate_to - rate_from); revenue = that \
              x revenue per customer. Intervals rescale the Newcombe hybrid score interval of \
              the rate difference (the uncertainty of the measured lift); the counts and the \
              revenue per customer are taken as known.",
        params: &[
            outcome(Kind::Numbers, "retained", ONE_OUTCOME),
            EXPOSURE,
            REFERENCE,
            SCORE,
            SCALE,
            BAND,
            WEIGHTS,
        ],
        options: RevenueOptions::fields,
        returns: Returns::Record("RevenueImpact"),
        run: |a| {
            let o: RevenueOptions = a.options()?;
            let j = joint(a)?;
            let base = match *o.customers.get("customers")? {
                Customers::Total(total) => CustomerBase::from_total(total, &j)?,
                Customers::Counts(base) => base,
            };
            let scenario = Scenario {
                share: o.share,
                to: o.to,
                revenue_per_customer: *o.revenue_per_customer.get("revenue_per_customer")?,
                level: o.level,
            };
            Ok(revenue_impact(&j, &base, &scenario)?.into())
        },
    },
    Entry {
        name: "key_drivers",
        module: "drivers",
        doc: "Key-driver analysis: which experience dimensions explain a loyalty outcome. Per \
              driver: the correlation with the outcome, the standardised regression \
              coefficient (beta), Johnson's (2000) relative weight and the Shapley / LMG share \
              of R-squared (exact over all 2^p sub-models, at most 15 drivers), each raw \
              (summing to the model R-squared) and as a share (summing to 1), with seeded \
              percentile bootstrap intervals (resamples=0 for none); rank orders drivers by \
              LMG (1 = most important). Rows with a missing value in any driver or the \
              outcome are left out (listwise deletion).",
        params: &[
            Param {
                name: "drivers",
                kind: Kind::ColumnSet,
                positional: true,
                required: true,
                doc: "The driver columns: a list of columns, or a dict / object of name -> \
                      column (with a DataFrame, column names).",
                aliases: &[],
                column: None,
            },
            outcome(
                Kind::Numbers,
                "retained",
                "The outcome (0/1 or continuous; NaN / None / null missing).",
            ),
            WEIGHTS,
        ],
        options: KeyDriversOptions::fields,
        returns: Returns::Frame {
            record: "KeyDrivers",
            table: "key_drivers",
        },
        run: |a| {
            let o: KeyDriversOptions = a.options()?;
            let drivers = a
                .column_set("drivers")?
                .ok_or_else(|| not_given("drivers", "the driver columns"))?;
            let mut names = Vec::with_capacity(drivers.items.len());
            let mut columns = Vec::with_capacity(drivers.items.len());
            for (name, input) in &drivers.items {
                let Input::Numbers(n) = input else {
                    return Err(CxError::WrongType {
                        name: "drivers",
                        value: "another kind of input".into(),
                        expected: "numeric columns".into(),
                    });
                };
                names.push(name.clone());
                columns.push(n.to_f64());
            }
            let x: Vec<&[f64]> = columns.iter().map(|c| &**c).collect();
            let y = outcome_floats(a)?;
            let w = a.floats("weights")?;
            let options = DriverOptions {
                level: o.level,
                resamples: o.resamples,
                seed: o.seed,
            };
            Ok(key_drivers(&x, &y, w.as_deref(), &options)?
                .named(&names)
                .into())
        },
    },
    Entry {
        name: "joint_tally",
        module: "loyalty",
        doc: "The one-pass, mergeable summary behind loyalty_lift: exposure group x a 0/1 \
              outcome (per group the counts, weight sums and squared-weight sums of 0s and 1s, \
              and missing outcomes; groups as in loyalty_lift). Build one per batch or \
              partition, merge them, send them as bytes or JSON, and compute the lift once.",
        params: &[
            outcome(Kind::Numbers, "retained", ONE_OUTCOME),
            GROUPS[0],
            GROUPS[1],
            GROUPS[2],
            GROUPS[3],
            GROUPS[4],
            GROUPS[5],
        ],
        options: NoOptions::fields,
        returns: Returns::Summary("JointTally"),
        run: |a| {
            a.options::<NoOptions>()?;
            Ok(Output::Summary(Summary::JointTally(joint(a)?)))
        },
    },
];
