//! The table schemas of the loyalty entry points: the lift of several outcomes (one row per
//! outcome), and the DataFrame forms of a loyalty curve and of key drivers (one row per scale
//! point or driver, the model's figures as attributes).

use super::table::{ColumnData, Table, TableSpec};
use super::Record;
use crate::drivers::{Importance, KeyDrivers};
use crate::inference::Interval;
use crate::loyalty::LoyaltyCurve;
use crate::Lift;

crate::table_spec!(
    /// One row per outcome of `loyalty_lift` with several outcomes.
    pub LIFTS, "lifts", "The lift of one outcome (rates and differences are shares 0 to 1).", [
    (outcome, Text, "The outcome's name: its column name, or outcome_1, outcome_2, ... for \
                     columns given without one.", always),
    (exposed_rate, Number, "Outcome rate of the exposed group.", always),
    (exposed_lower, Number, "Lower bound of its Wilson interval.", always),
    (exposed_upper, Number, "Upper bound of its Wilson interval.", always),
    (exposed_n, Count, "Exposed respondents with an outcome.", always),
    (reference_rate, Number, "Outcome rate of the reference group.", always),
    (reference_lower, Number, "Lower bound of its Wilson interval.", always),
    (reference_upper, Number, "Upper bound of its Wilson interval.", always),
    (reference_n, Count, "Reference respondents with an outcome.", always),
    (risk_ratio, Number, "Risk ratio (exposed rate / reference rate).", always),
    (rr_lower, Number, "Lower bound of its Katz log interval.", always),
    (rr_upper, Number, "Upper bound of its Katz log interval.", always),
    (rr_p, Number, "Two-sided p-value (Wald test on the log scale).", always),
    (risk_difference, Number, "Risk difference (exposed rate - reference rate).", always),
    (rd_lower, Number, "Lower bound of its Newcombe hybrid score interval.", always),
    (rd_upper, Number, "Upper bound of its Newcombe hybrid score interval.", always),
    (rd_p, Number, "Two-sided p-value (pooled two-proportion z-test).", always),
    (odds_ratio, Number, "Odds ratio.", always),
    (or_lower, Number, "Lower bound of its Woolf logit interval.", always),
    (or_upper, Number, "Upper bound of its Woolf logit interval.", always),
    (or_p, Number, "Two-sided p-value (Wald test on the log scale).", always),
    (zero_cell_correction, Bool, "Whether 1/2 was added to every cell for the ratios.", always),
]);

crate::table_spec!(
    /// The loyalty curve as a DataFrame (Python).
    pub CURVE, "loyalty_curve", "The outcome rate at one point of the rating scale.", [
    (point, Integer, "The rating point.", always),
    (n, Count, "Respondents at the point with an outcome.", always),
    (count, Count, "Of them, with outcome 1.", always),
    (effective_n, Number, "Kish effective sample size.", always),
    (rate, Number, "Outcome rate 0 to 1 (missing when nobody chose the point)."),
    (std_error, Number, "Its standard error."),
    (lower, Number, "Lower bound of its Wilson interval."),
    (upper, Number, "Upper bound of its Wilson interval."),
    (missing, Count, "Outcomes missing at the point.", always),
], attrs [
    (overall, Number, "The rate over every respondent with a rating and an outcome."),
    (overall_lower, Number, "Lower bound of its Wilson interval."),
    (overall_upper, Number, "Upper bound of its Wilson interval."),
    (missing_rating, Count, "Respondents without a rating (left out)."),
]);

crate::table_spec!(
    /// Key drivers as a DataFrame (Python).
    pub DRIVERS, "key_drivers", "One driver, in input order (intervals missing without \
                                 resamples).", [
    (driver, Text, "The driver's name.", always),
    (rank, Count, "Rank by LMG share (1 = most important).", always),
    (correlation, Number, "Pearson correlation with the outcome.", always),
    (beta, Number, "Standardised regression coefficient.", always),
    (beta_lower, Number, "Lower bound of its bootstrap interval."),
    (beta_upper, Number, "Upper bound of its bootstrap interval."),
    (relative_weight, Number, "Johnson's relative weight (the drivers' sum to R-squared).", always),
    (relative_weight_lower, Number, "Lower bound of its bootstrap interval."),
    (relative_weight_upper, Number, "Upper bound of its bootstrap interval."),
    (relative_weight_share, Number, "Relative weight as a share of R-squared.", always),
    (relative_weight_share_lower, Number, "Lower bound of its bootstrap interval."),
    (relative_weight_share_upper, Number, "Upper bound of its bootstrap interval."),
    (lmg, Number, "Shapley / LMG share of R-squared (the drivers' sum to R-squared).", always),
    (lmg_lower, Number, "Lower bound of its bootstrap interval."),
    (lmg_upper, Number, "Upper bound of its bootstrap interval."),
    (lmg_share, Number, "LMG as a share of R-squared (the drivers' sum to 1).", always),
    (lmg_share_lower, Number, "Lower bound of its bootstrap interval."),
    (lmg_share_upper, Number, "Upper bound of its bootstrap interval."),
], attrs [
    (r_squared, Number, "R-squared of the model with every driver."),
    (r_squared_lower, Number, "Lower bound of its bootstrap interval (NaN without resamples)."),
    (r_squared_upper, Number, "Upper bound of its bootstrap interval (NaN without resamples)."),
    (n, Count, "Rows used (complete on every driver and the outcome)."),
    (effective_n, Number, "Kish effective sample size of the rows used."),
    (missing, Count, "Rows left out for a missing value."),
    (resamples, Count, "Bootstrap resamples requested."),
    (failed_resamples, Count, "Resamples skipped (a constant driver or collinear drivers)."),
]);

/// Every table schema of this module.
pub(super) static TABLES: &[&TableSpec] = &[&LIFTS, &CURVE, &DRIVERS];

/// One effect of a lift.
type EffectOf = fn(&Lift) -> &crate::Effect;

/// One importance measure of a driver.
type ImportanceOf = fn(&crate::drivers::Driver) -> &Importance;

fn numbers<T>(rows: &[T], f: impl Fn(&T) -> f64) -> ColumnData {
    ColumnData::Number(rows.iter().map(|r| Some(f(r))).collect())
}

fn maybe<T>(rows: &[T], f: impl Fn(&T) -> Option<f64>) -> ColumnData {
    ColumnData::Number(rows.iter().map(f).collect())
}

fn counts<T>(rows: &[T], f: impl Fn(&T) -> u64) -> ColumnData {
    ColumnData::Count(rows.iter().map(|r| Some(f(r))).collect())
}

/// The lifts of several outcomes, one row each, named `names` (`outcome_<i>` for a `None`).
pub(super) fn lifts_table(names: &[Option<String>], lifts: &[Lift]) -> Table {
    let mut t = Table::new(&LIFTS);
    let names = names
        .iter()
        .enumerate()
        .map(|(i, n)| Some(n.clone().unwrap_or_else(|| format!("outcome_{}", i + 1))))
        .collect();
    t.push("outcome", ColumnData::Text(names));
    t.push("exposed_rate", numbers(lifts, |l| l.exposed.estimate))
        .push(
            "exposed_lower",
            numbers(lifts, |l| l.exposed.interval.lower),
        )
        .push(
            "exposed_upper",
            numbers(lifts, |l| l.exposed.interval.upper),
        )
        .push("exposed_n", counts(lifts, |l| l.exposed.n))
        .push("reference_rate", numbers(lifts, |l| l.reference.estimate))
        .push(
            "reference_lower",
            numbers(lifts, |l| l.reference.interval.lower),
        )
        .push(
            "reference_upper",
            numbers(lifts, |l| l.reference.interval.upper),
        )
        .push("reference_n", counts(lifts, |l| l.reference.n));
    let effects: [(&'static str, [&'static str; 3], EffectOf); 3] = [
        ("risk_ratio", ["rr_lower", "rr_upper", "rr_p"], |l| {
            &l.risk_ratio
        }),
        ("risk_difference", ["rd_lower", "rd_upper", "rd_p"], |l| {
            &l.risk_difference
        }),
        ("odds_ratio", ["or_lower", "or_upper", "or_p"], |l| {
            &l.odds_ratio
        }),
    ];
    for (name, [lower, upper, p], effect) in effects {
        t.push(name, numbers(lifts, |l| effect(l).estimate))
            .push(lower, numbers(lifts, |l| effect(l).interval.lower))
            .push(upper, numbers(lifts, |l| effect(l).interval.upper))
            .push(p, numbers(lifts, |l| effect(l).p_value));
    }
    t.push(
        "zero_cell_correction",
        ColumnData::Bool(lifts.iter().map(|l| Some(l.zero_cell_correction)).collect()),
    );
    t
}

fn curve_table(c: &LoyaltyCurve) -> Table {
    let p = &c.points;
    let mut t = Table::new(&CURVE);
    t.push(
        "point",
        ColumnData::Integer(p.iter().map(|x| Some(i64::from(x.point))).collect()),
    )
    .push("n", counts(p, |x| x.n))
    .push("count", counts(p, |x| x.count))
    .push("effective_n", numbers(p, |x| x.effective_n))
    .push("rate", maybe(p, |x| x.estimate))
    .push("std_error", maybe(p, |x| x.std_error))
    .push("lower", maybe(p, |x| x.interval.map(|i| i.lower)))
    .push("upper", maybe(p, |x| x.interval.map(|i| i.upper)))
    .push("missing", counts(p, |x| x.missing))
    .attr("overall", c.overall.estimate)
    .attr("overall_lower", c.overall.interval.lower)
    .attr("overall_upper", c.overall.interval.upper)
    .attr("missing_rating", c.missing_rating as f64);
    t
}

fn bound(i: Option<Interval>, upper: bool) -> Option<f64> {
    i.map(|i| if upper { i.upper } else { i.lower })
}

fn drivers_table(k: &KeyDrivers) -> Table {
    let d = &k.drivers;
    let mut t = Table::new(&DRIVERS);
    t.push(
        "driver",
        ColumnData::Text(d.iter().map(|x| Some(x.name.clone())).collect()),
    )
    .push("rank", counts(d, |x| x.rank as u64))
    .push("correlation", numbers(d, |x| x.correlation))
    .push("beta", numbers(d, |x| x.beta))
    .push("beta_lower", maybe(d, |x| bound(x.beta_interval, false)))
    .push("beta_upper", maybe(d, |x| bound(x.beta_interval, true)));
    let measures: [(&'static str, [&'static str; 5], ImportanceOf); 2] = [
        (
            "relative_weight",
            [
                "relative_weight_lower",
                "relative_weight_upper",
                "relative_weight_share",
                "relative_weight_share_lower",
                "relative_weight_share_upper",
            ],
            |x| &x.relative_weight,
        ),
        (
            "lmg",
            [
                "lmg_lower",
                "lmg_upper",
                "lmg_share",
                "lmg_share_lower",
                "lmg_share_upper",
            ],
            |x| &x.lmg,
        ),
    ];
    for (raw, [lower, upper, share, share_lower, share_upper], of) in measures {
        t.push(raw, numbers(d, |x| of(x).raw))
            .push(lower, maybe(d, |x| bound(of(x).raw_interval, false)))
            .push(upper, maybe(d, |x| bound(of(x).raw_interval, true)))
            .push(share, numbers(d, |x| of(x).share))
            .push(
                share_lower,
                maybe(d, |x| bound(of(x).share_interval, false)),
            )
            .push(share_upper, maybe(d, |x| bound(of(x).share_interval, true)));
    }
    let nan = f64::NAN;
    t.attr("r_squared", k.r_squared)
        .attr(
            "r_squared_lower",
            bound(k.r_squared_interval, false).unwrap_or(nan),
        )
        .attr(
            "r_squared_upper",
            bound(k.r_squared_interval, true).unwrap_or(nan),
        )
        .attr("n", k.n as f64)
        .attr("effective_n", k.effective_n)
        .attr("missing", k.missing as f64)
        .attr("resamples", f64::from(k.resamples))
        .attr("failed_resamples", f64::from(k.failed_resamples));
    t
}

/// The DataFrame form of a record of a [`Returns::Frame`](super::Returns::Frame) entry point:
/// a loyalty curve (one row per point) or key drivers (one row per driver).
pub(super) fn frame(record: &Record) -> Option<Table> {
    match record {
        Record::LoyaltyCurve(c) => Some(curve_table(c)),
        Record::KeyDrivers(k) => Some(drivers_table(k)),
        _ => None,
    }
}
