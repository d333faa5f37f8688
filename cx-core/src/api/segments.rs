//! Entry points of the grouped metrics: `nps_by`, `csat_by`, `ces_by`, `top_box_by`,
//! `bottom_box_by`, `mean_by`: a segment table by key group, or with a `period` a trend table
//! by key group and calendar period; and the table builders they share with keyed tallies.

use crate::api::input::{Numbers, NumbersVisitor};
use crate::api::keys::{Groups, KeyColumn};
use crate::api::metrics::LevelOptions;
use crate::api::table::{ColumnData, Table, TableSpec};
use crate::api::{Args, Entry, Kind, Options, Output, Param, Returns, Value};
use crate::error::{CxError, Result};
use crate::grouping::{GroupCode, Key};
use crate::inference::Adjust;
use crate::period::{Freq, Periods};
use crate::segment::{
    segments, trend, Comparison, GroupSummary, GroupedTally, Metric, SegmentOptions, SegmentRow,
    Segments, TrendOptions, TrendRow,
};
use crate::tally::Rating;
use crate::{NpsOptions, ProportionOptions, Scale};

crate::options! {
    /// The tests and periods of every segment and trend table.
    pub struct GroupOptions {
        /// Significance level of the `significant` flags, strictly between 0 and 1 (default
        /// 0.05).
        pub alpha: f64 = SegmentOptions::default().alpha,
        /// P-value adjustment across the tested groups (or a group's period-over-period
        /// changes): "holm" (default; family-wise error rate, Holm 1979), "bh" (false discovery
        /// rate, Benjamini and Hochberg 1995) or "none".
        pub adjust: Adjust = SegmentOptions::default().adjust,
        /// Groups (periods) with fewer answers are reported with `too_small` and left out of
        /// the tests (default 30).
        pub min_base: u64 = SegmentOptions::default().min_base,
        /// Segment tables only: a group to compare every other group with, given by its key
        /// (one key column) or one key per column (null for the missing key).
        pub reference: Option<Value> = None,
        /// Trend tables only: the period, "day", "week" (ISO 8601, Monday to Sunday), "month"
        /// (default), "quarter" or "year" (also "D", "W", "M", "Q", "Y").
        pub freq: Freq = Freq::Month,
        /// Trend tables only: a trailing window of this many periods (at least 1), reported in
        /// the `rolling_*` columns once full.
        pub window: Option<usize> = None,
    }
}

crate::options! {
    /// Options of `nps_by`.
    pub struct NpsByOptions {
        ..metric: NpsOptions,
        ..tests: GroupOptions,
    }
}

crate::options! {
    /// Options of `csat_by`, `top_box_by` and `bottom_box_by`.
    pub struct ProportionByOptions {
        ..metric: ProportionOptions,
        ..tests: GroupOptions,
    }
}

crate::options! {
    /// Options of `ces_by` and `mean_by`.
    pub struct MeanByOptions {
        ..metric: LevelOptions,
        ..tests: GroupOptions,
    }
}

crate::table_spec!(pub SEGMENTS, "segments",
    "One group of a segment table. Values a group does not have are null: no estimate without \
     answers (or with one answer, for a mean), no test for a group below min_base (or when the \
     rest of the data is). Estimates, differences and intervals are in the metric's unit: NPS \
     points, shares 0 to 1, mean ratings in scale units.",
    [
        (group, Group, "The group: its keys (a column per key in Python; `group`, the keys joined with \" / \", and `keys` in Node)."),
        (n, Count, "Non-missing answers.", always),
        (effective_n, Number, "Kish effective sample size (equal to n when unweighted).", always),
        (missing, Count, "Missing answers.", always),
        (estimate, Number, "The metric."),
        (std_error, Number, "Its standard error."),
        (lower, Number, "Lower bound of its confidence interval (the metric's method)."),
        (upper, Number, "Upper bound of its confidence interval."),
        (too_small, Bool, "Fewer than min_base answers: reported, not tested.", always),
        (diff_vs_rest, Number, "The group minus the rest of the data (every other group together)."),
        (se_vs_rest, Number, "Standard error of the difference, sqrt(SE^2 + SE_rest^2)."),
        (lower_vs_rest, Number, "Lower bound of the difference's interval (Wald; Welch t for means)."),
        (upper_vs_rest, Number, "Upper bound of the difference's interval."),
        (p_vs_rest, Number, "Two-sided p-value: z test (NPS, shares) or Welch's t test (means)."),
        (p_adj_vs_rest, Number, "The p-value adjusted across the tested groups (adjust)."),
        (significant, Bool, "p_adj_vs_rest < alpha."),
        (diff_vs_reference, Number, "With a reference: the group minus the reference group (null on the reference).", optional),
        (se_vs_reference, Number, "With a reference: standard error of that difference.", optional),
        (p_vs_reference, Number, "With a reference: its two-sided p-value.", optional),
        (p_adj_vs_reference, Number, "With a reference: its p-value adjusted across the groups compared with the reference.", optional),
        (significant_vs_reference, Bool, "With a reference: p_adj_vs_reference < alpha.", optional),
    ]
);

crate::table_spec!(pub TREND, "trend",
    "One period of one group of a trend table (nulls and units as in a segment table). Every \
     period from the first date to the last is a row; rows with a missing date are left out and \
     counted in the table's `excluded`.",
    [
        (group, Group, "The group, as in a segment table (one group of every row without keys)."),
        (period, Text, "The period: \"2026-03-05\", \"2026-W10\" (ISO week), \"2026-03\", \"2026-Q1\" or \"2026\".", always),
        (period_start, Day, "The first day of the period (for a week, its Monday).", always),
        (n, Count, "Non-missing answers.", always),
        (effective_n, Number, "Kish effective sample size.", always),
        (missing, Count, "Missing answers.", always),
        (estimate, Number, "The metric."),
        (std_error, Number, "Its standard error."),
        (lower, Number, "Lower bound of its confidence interval."),
        (upper, Number, "Upper bound of its confidence interval."),
        (too_small, Bool, "Fewer than min_base answers: reported, not tested.", always),
        (change, Number, "This period minus the previous one (both tested periods)."),
        (se_change, Number, "Standard error of the change."),
        (p_change, Number, "Two-sided p-value of the change."),
        (p_adj_change, Number, "The p-value adjusted across this group's changes."),
        (significant_change, Bool, "p_adj_change < alpha."),
        (rolling_n, Count, "With a window: answers in the window.", optional),
        (rolling_estimate, Number, "With a window: the metric over the window ending with this period (null until the window is full).", optional),
        (rolling_lower, Number, "With a window: lower bound of the rolling interval.", optional),
        (rolling_upper, Number, "With a window: upper bound of the rolling interval.", optional),
    ]
);

/// Integer keys are used as group numbers directly when their range is at most this wide (and
/// not much wider than the data); wider ranges are factorized first.
const DIRECT_KEY_SPAN: i64 = 1 << 20;

/// The grouped tally of `values` by dense `codes`.
struct ByCodes<'a> {
    scale: Scale,
    codes: &'a [u32],
    n_groups: usize,
    weights: Option<&'a [f64]>,
}

impl NumbersVisitor for ByCodes<'_> {
    type Out = Result<GroupedTally>;
    fn visit<T: Rating>(self, values: &[T]) -> Result<GroupedTally> {
        GroupedTally::from_values(self.scale, self.codes, self.n_groups, values, self.weights)
    }
}

/// The grouped tally of `values` by integer keys `lowest..lowest + span`.
struct ByKeys<'a, C> {
    scale: Scale,
    keys: &'a [C],
    lowest: i64,
    span: usize,
    weights: Option<&'a [f64]>,
}

impl<C: GroupCode> NumbersVisitor for ByKeys<'_, C> {
    type Out = Result<GroupedTally>;
    fn visit<T: Rating>(self, values: &[T]) -> Result<GroupedTally> {
        GroupedTally::from_keys(
            self.scale,
            self.keys,
            self.lowest,
            self.span,
            values,
            self.weights,
        )
    }
}

/// A segment table over integer keys used directly as group numbers, when their range is
/// small: no factorizing pass (the fast path of integer store or region ids). Keys of the
/// range that no row has are no groups.
fn direct(
    keys: &Numbers,
    values: &Numbers,
    scale: Scale,
    weights: Option<&[f64]>,
) -> Option<Result<(GroupedTally, i64)>> {
    macro_rules! go {
        ($k:expr) => {{
            let (lo, hi) = crate::grouping::key_range($k)?;
            let span = hi - lo + 1;
            if span > DIRECT_KEY_SPAN || span > $k.len() as i64 + 1024 {
                return None;
            }
            if $k.len() != values.len() {
                return Some(Err(CxError::LengthMismatch {
                    left_name: "values",
                    left: values.len(),
                    right_name: "by",
                    right: $k.len(),
                }));
            }
            let v = ByKeys {
                scale,
                keys: $k,
                lowest: lo,
                span: span as usize,
                weights,
            };
            Some(values.visit(v).map(|g| (g, lo)))
        }};
    }
    match *keys {
        Numbers::U8(k) => go!(k),
        Numbers::I8(k) => go!(k),
        Numbers::U16(k) => go!(k),
        Numbers::I16(k) => go!(k),
        Numbers::U32(k) => go!(k),
        Numbers::I32(k) => go!(k),
        Numbers::I64(k) => go!(k),
        Numbers::U64(_) | Numbers::F32(_) | Numbers::F64(_) => None,
    }
}

/// Columns of group summaries: `n`, `effective_n`, `missing`, `estimate`, `std_error`,
/// `lower`, `upper` (with `prefix`, only `n`, `estimate`, `lower`, `upper`).
fn summary_columns(t: &mut Table, rolling: bool, rows: &[Option<&GroupSummary>]) {
    let num = |f: &dyn Fn(&GroupSummary) -> Option<f64>| {
        ColumnData::Number(rows.iter().map(|s| s.and_then(f)).collect())
    };
    let lower = num(&|s| s.interval.map(|i| i.lower));
    let upper = num(&|s| s.interval.map(|i| i.upper));
    let n = ColumnData::Count(rows.iter().map(|s| s.map(|s| s.n)).collect());
    if rolling {
        t.push("rolling_n", n);
        t.push("rolling_estimate", num(&|s| s.estimate));
        t.push("rolling_lower", lower);
        t.push("rolling_upper", upper);
        return;
    }
    t.push("n", n);
    t.push("effective_n", num(&|s| Some(s.effective_n)));
    t.push(
        "missing",
        ColumnData::Count(rows.iter().map(|s| s.map(|s| s.missing)).collect()),
    );
    t.push("estimate", num(&|s| s.estimate));
    t.push("std_error", num(&|s| s.std_error));
    t.push("lower", lower);
    t.push("upper", upper);
}

/// Comparison columns named by `names`: difference, SE, lower, upper ("" for none), p,
/// adjusted p, significance.
fn comparison_columns(t: &mut Table, names: [&'static str; 7], rows: &[Option<&Comparison>]) {
    let num =
        |f: fn(&Comparison) -> f64| ColumnData::Number(rows.iter().map(|c| c.map(f)).collect());
    let [diff, se, lower, upper, p, p_adj, significant] = names;
    t.push(diff, num(|c| c.difference));
    t.push(se, num(|c| c.std_error));
    if !lower.is_empty() {
        t.push(lower, num(|c| c.interval.lower));
        t.push(upper, num(|c| c.interval.upper));
    }
    t.push(p, num(|c| c.p_value));
    t.push(p_adj, num(|c| c.p_adjusted));
    t.push(
        significant,
        ColumnData::Bool(rows.iter().map(|c| c.map(|c| c.significant)).collect()),
    );
}

/// The table of a segment computation: one row per group, `keys[g]` the keys of group `g`.
pub fn segment_table(table: &Segments, groups: GroupKeys) -> Table {
    let rows: Vec<&SegmentRow> = table.rows.iter().collect();
    segment_rows_table(&SEGMENTS, &rows, groups, |_| {})
}

/// A segment table of schema `spec` (the columns of [`SEGMENTS`], and those `extra` adds after
/// the interval): one row per group of `rows`.
pub(super) fn segment_rows_table(
    spec: &'static TableSpec,
    rows: &[&SegmentRow],
    groups: GroupKeys,
    extra: impl FnOnce(&mut Table),
) -> Table {
    let mut t = Table::new(spec);
    t.push(
        "group",
        ColumnData::Group(rows.iter().map(|r| r.group as u32).collect()),
    );
    let summaries: Vec<_> = rows.iter().map(|r| Some(&r.summary)).collect();
    summary_columns(&mut t, false, &summaries);
    extra(&mut t);
    t.push(
        "too_small",
        ColumnData::Bool(rows.iter().map(|r| Some(r.too_small)).collect()),
    );
    let rest: Vec<_> = rows.iter().map(|r| r.vs_rest.as_ref()).collect();
    comparison_columns(
        &mut t,
        [
            "diff_vs_rest",
            "se_vs_rest",
            "lower_vs_rest",
            "upper_vs_rest",
            "p_vs_rest",
            "p_adj_vs_rest",
            "significant",
        ],
        &rest,
    );
    if rows.iter().any(|r| r.vs_reference.is_some()) || groups.reference {
        let refs: Vec<_> = rows.iter().map(|r| r.vs_reference.as_ref()).collect();
        comparison_columns(
            &mut t,
            [
                "diff_vs_reference",
                "se_vs_reference",
                "",
                "",
                "p_vs_reference",
                "p_adj_vs_reference",
                "significant_vs_reference",
            ],
            &refs,
        );
    }
    t.groups = Some(groups.into_labels());
    t
}

/// The keys of a table's groups, and whether a reference group was compared with.
pub struct GroupKeys {
    /// Per group, the code of its key in each key column.
    pub column_codes: Vec<Vec<u32>>,
    /// Per group, its key in each key column.
    pub keys: Vec<Vec<Key>>,
    /// A reference group was given.
    pub reference: bool,
}

impl GroupKeys {
    pub(super) fn of(groups: &Groups, reference: bool) -> GroupKeys {
        GroupKeys {
            column_codes: groups.column_codes.clone(),
            keys: groups.keys.clone(),
            reference,
        }
    }

    fn into_labels(self) -> crate::api::table::GroupLabels {
        crate::api::table::GroupLabels {
            column_codes: self.column_codes,
            keys: self.keys,
        }
    }
}

/// The rows of every group's trend, as a table of schema `spec` (the columns of [`TREND`],
/// and those `extra` adds after the interval).
pub(super) fn trend_table(
    spec: &'static TableSpec,
    rows: &[(u32, &TrendRow)],
    periods: &Periods,
    window: bool,
    groups: GroupKeys,
    extra: impl FnOnce(&mut Table),
) -> Table {
    let mut t = Table::new(spec);
    t.push(
        "group",
        ColumnData::Group(rows.iter().map(|(g, _)| *g).collect()),
    );
    t.push(
        "period",
        ColumnData::Text(
            rows.iter()
                .map(|(_, r)| Some(periods.label(r.period)))
                .collect(),
        ),
    );
    t.push(
        "period_start",
        ColumnData::Day(
            rows.iter()
                .map(|(_, r)| Some(periods.start(r.period)))
                .collect(),
        ),
    );
    let summaries: Vec<_> = rows.iter().map(|(_, r)| Some(&r.summary)).collect();
    summary_columns(&mut t, false, &summaries);
    extra(&mut t);
    t.push(
        "too_small",
        ColumnData::Bool(rows.iter().map(|(_, r)| Some(r.too_small)).collect()),
    );
    let changes: Vec<_> = rows.iter().map(|(_, r)| r.change.as_ref()).collect();
    comparison_columns(
        &mut t,
        [
            "change",
            "se_change",
            "",
            "",
            "p_change",
            "p_adj_change",
            "significant_change",
        ],
        &changes,
    );
    if window {
        let rolled: Vec<_> = rows
            .iter()
            .map(|(_, r)| r.rolling.as_ref().map(|w| &w.summary))
            .collect();
        summary_columns(&mut t, true, &rolled);
    }
    t.attr("excluded", periods.missing as f64);
    t.groups = Some(groups.into_labels());
    t
}

/// The number of (key group x period slot) cells, as long as every cell has a `u32` code.
fn cell_count(key_groups: usize, stride: usize) -> Result<usize> {
    key_groups
        .checked_mul(stride)
        .filter(|&cells| cells as u64 <= 1 << 32)
        .ok_or_else(|| CxError::InvalidArgument {
            name: "freq",
            value: format!("{key_groups} key groups x {stride} periods"),
            expected: "at most 2^32 group-period cells: a longer period or fewer groups".into(),
        })
}

/// The error of a trend-table option given without a period.
pub(super) fn only_with_period(name: &'static str, given: bool) -> Result<()> {
    if given {
        return Err(CxError::InvalidArgument {
            name,
            value: "given without a period".into(),
            expected: "a period as well: it is an option of trend tables".into(),
        });
    }
    Ok(())
}

/// A segment or trend table of the metric `metric` over the entry's inputs.
fn grouped(
    a: &Args,
    metric: Metric,
    default_scale: Option<Scale>,
    tests: &GroupOptions,
) -> Result<Output> {
    let values = a.numbers("values")?.ok_or(CxError::WrongType {
        name: "values",
        value: "nothing".into(),
        expected: "ratings (an array of numbers)".into(),
    })?;
    let scale = a
        .scale()?
        .or(default_scale)
        .ok_or(CxError::InvalidArgument {
            name: "scale",
            value: "not given".into(),
            expected: "a scale for raw values: a preset name (\"nps\", \"csat\", \"ces\", \
                   \"agreement\") or (lowest, highest)"
                .into(),
        })?;
    let weights = a.floats("weights")?;
    let weights = weights.as_deref();
    let by = a.keys("by")?;
    let rows = values.len();
    let Some(period) = a.dates("period")? else {
        only_with_period("window", tests.window.is_some())?;
        let mut options = SegmentOptions {
            metric,
            alpha: tests.alpha,
            adjust: tests.adjust,
            min_base: tests.min_base,
            reference: None,
        };
        if let (None, [KeyColumn::Ints(keys)]) = (&tests.reference, by.as_slice()) {
            let keys = *keys;
            if let Some(built) = direct(&keys, &values, scale, weights) {
                let (grouped, lowest) = built?;
                let mut table = segments(&grouped, &options)?;
                table.rows.retain(|r| r.summary.n + r.summary.missing > 0);
                let keys = table
                    .rows
                    .iter()
                    .map(|r| vec![Key::Int(lowest + r.group as i64)]);
                let keys: Vec<Vec<Key>> = keys.collect();
                let n = keys.len() as u32;
                for (i, r) in table.rows.iter_mut().enumerate() {
                    r.group = i;
                }
                let labels = GroupKeys {
                    column_codes: (0..n).map(|g| vec![g]).collect(),
                    keys,
                    reference: false,
                };
                return Ok(Output::Table(segment_table(&table, labels)));
            }
        }
        let groups = Groups::new(&by, rows, "by")?;
        options.reference = tests
            .reference
            .as_ref()
            .map(|r| groups.find(r))
            .transpose()?;
        let tally = values.visit(ByCodes {
            scale,
            codes: &groups.codes,
            n_groups: groups.len(),
            weights,
        })?;
        let table = segments(&tally, &options)?;
        let labels = GroupKeys::of(&groups, options.reference.is_some());
        return Ok(Output::Table(segment_table(&table, labels)));
    };
    let TrendCells {
        groups,
        periods,
        stride,
        codes,
        cells,
    } = trend_cells(&by, &period, rows, tests)?;
    let tally = values.visit(ByCodes {
        scale,
        codes: &codes,
        n_groups: cells,
        weights,
    })?;
    let options = TrendOptions {
        metric,
        alpha: tests.alpha,
        adjust: tests.adjust,
        min_base: tests.min_base,
        window: tests.window,
    };
    options.validate()?;
    let tallies = tally.tallies();
    let mut rows = Vec::with_capacity(groups.len() * periods.n_periods);
    for g in 0..groups.len() {
        let cell = &tallies[g * stride..g * stride + periods.n_periods];
        rows.extend(trend(cell, &options)?.into_iter().map(|r| (g as u32, r)));
    }
    let labels = GroupKeys::of(&groups, false);
    let rows: Vec<(u32, &TrendRow)> = rows.iter().map(|(g, r)| (*g, r)).collect();
    Ok(Output::Table(trend_table(
        &TREND,
        &rows,
        &periods,
        tests.window.is_some(),
        labels,
        |_| {},
    )))
}

/// The cells of a trend table: each row's (key group x period) cell, `group * stride + period`
/// (the slot after the last period holds the rows with a missing date).
pub(super) struct TrendCells<'a> {
    /// The key groups.
    pub groups: Groups<'a>,
    /// The periods.
    pub periods: Periods,
    /// Cells per key group.
    pub stride: usize,
    /// Each row's cell.
    pub codes: Vec<u32>,
    /// Number of cells.
    pub cells: usize,
}

/// The cells of the trend table of `rows` rows by the key columns `by` and the dates `period`
/// by `tests.freq`.
///
/// # Errors
/// [`CxError::InvalidArgument`] for a reference (trend tables have none) or too many cells;
/// [`CxError::LengthMismatch`] for keys or dates of another length than the values; the
/// errors of the keys and dates.
pub(super) fn trend_cells<'a>(
    by: &[KeyColumn<'a>],
    period: &crate::api::DateColumn<'_>,
    rows: usize,
    tests: &GroupOptions,
) -> Result<TrendCells<'a>> {
    if tests.reference.is_some() {
        return Err(CxError::InvalidArgument {
            name: "reference",
            value: "given with a period".into(),
            expected: "no reference in a trend table (it compares each period with the previous \
                       one); without a period, a segment table compares groups with the \
                       reference"
                .into(),
        });
    }
    let groups = Groups::new(by, rows, "by")?;
    let days = period.days("period")?;
    if days.len() != rows {
        return Err(CxError::LengthMismatch {
            left_name: "values",
            left: rows,
            right_name: "period",
            right: days.len(),
        });
    }
    let periods = Periods::from_days(&days, tests.freq)?;
    let stride = periods.n_groups();
    let cells = cell_count(groups.len(), stride)?;
    let codes: Vec<u32> = groups
        .codes
        .iter()
        .zip(&periods.codes)
        .map(|(&g, &p)| g * stride as u32 + p)
        .collect();
    Ok(TrendCells {
        groups,
        periods,
        stride,
        codes,
        cells,
    })
}

const VALUES: Param = Param {
    name: "values",
    kind: Kind::Scores,
    positional: true,
    required: true,
    doc: "Ratings: an array of numbers (NaN, None and null are missing, skipped and counted).",
    aliases: &[],
    column: None,
};

const BY: Param = Param {
    name: "by",
    kind: Kind::Keys,
    positional: true,
    required: false,
    doc: "Group keys: one key column, or a list of key columns (region x channel) whose \
          combinations are the groups; keys are strings or integers, and missing keys form a \
          group labelled \"(missing)\". None / null for one group of every row.",
    aliases: &["keys"],
    column: None,
};

const WEIGHTS: Param = Param {
    name: "weights",
    kind: Kind::Numbers,
    positional: false,
    required: false,
    doc: "One weight per value (0 or between 1e-100 and 1e100).",
    aliases: &[],
    column: None,
};

const PERIOD: Param = Param {
    name: "period",
    kind: Kind::Dates,
    positional: false,
    required: false,
    doc: "One date per value: a trend table by freq instead of a segment table. Rows with a \
          missing date are left out (their number is the table's `excluded`).",
    aliases: &["dates"],
    column: None,
};

const fn scale(doc: &'static str, required: bool) -> Param {
    Param {
        name: "scale",
        kind: Kind::Scale,
        positional: false,
        required,
        doc,
        aliases: &[],
        column: None,
    }
}

const REQUIRED_SCALE: &str =
    "The scale of the ratings, required: a preset name or (lowest, highest).";

macro_rules! by_entry {
    ($name:literal, $doc:literal, $scale_doc:expr, $opts:ty, $default:expr, |$o:ident| $metric:expr) => {
        Entry {
            name: $name,
            module: "segment",
            doc: $doc,
            params: &[
                VALUES,
                BY,
                WEIGHTS,
                PERIOD,
                scale($scale_doc, Option::<Scale>::is_none(&$default)),
            ],
            options: <$opts>::fields,
            returns: Returns::Table(&["segments", "trend"]),
            run: |a| {
                let $o: $opts = a.options()?;
                grouped(a, $metric, $default, &$o.tests)
            },
        }
    };
}

/// Every entry point of this module.
pub(super) static ENTRIES: &[Entry] = &[
    by_entry!("nps_by",
        "Net Promoter Score by group, in one pass: a segment table (each group's NPS in points with the interval of nps, and its difference from the rest with a z test, p-values adjusted across the groups of at least min_base answers), or with a period a trend table by group and period (the change from the previous period and, with a window, a trailing rolling NPS). Defaults: scale 'nps', method 'adjusted-wald', level 0.95, alpha 0.05, adjust 'holm', min_base 30, freq 'month'.",
        "The scale of the ratings (default 'nps', 0-10).", NpsByOptions, Some(Scale::nps()),
        |o| Metric::Nps(o.metric)),
    by_entry!("csat_by",
        "Customer satisfaction (CSAT, the top-box share 0 to 1) by group: a segment or trend table as nps_by, with the intervals of csat (default Wilson) and z tests.",
        "The scale of the ratings (default 'csat', 1-5, satisfied 4-5).", ProportionByOptions, Some(Scale::csat()),
        |o| Metric::TopBox(o.metric)),
    by_entry!("ces_by",
        "Customer effort score (CES, the mean rating) by group: a segment or trend table as nps_by, with the Student-t intervals of ces and Welch's t tests.",
        "The scale of the ratings (default 'ces', 1-7).", MeanByOptions, Some(Scale::ces()),
        |o| Metric::Mean { level: o.metric.level }),
    by_entry!("top_box_by",
        "The top-box share (0 to 1) by group: a segment or trend table as nps_by, with the intervals of top_box.",
        REQUIRED_SCALE, ProportionByOptions, None,
        |o| Metric::TopBox(o.metric)),
    by_entry!("bottom_box_by",
        "The bottom-box share (0 to 1) by group: a segment or trend table as nps_by, with the intervals of bottom_box.",
        REQUIRED_SCALE, ProportionByOptions, None,
        |o| Metric::BottomBox(o.metric)),
    by_entry!("mean_by",
        "The mean rating by group: a segment or trend table as nps_by, with the Student-t intervals of mean and Welch's t tests.",
        REQUIRED_SCALE, MeanByOptions, None,
        |o| Metric::Mean { level: o.metric.level }),
];

/// The table schemas of this module.
pub(super) static TABLES: &[&TableSpec] = &[&SEGMENTS, &TREND];
