//! The tables of `cx_index_by`: the segment and trend tables of the grouped metrics
//! ([`segments`](super::segments)), with the index's band, weakest dimension and one score per
//! dimension after the interval.

use crate::api::segments::{segment_rows_table, trend_table, GroupKeys};
use crate::api::table::{ColumnData, Table, TableSpec};
use crate::cx_index::{CxIndex, CxSegments, CxTrendRow};
use crate::period::Periods;

crate::table_spec!(pub CX_SEGMENTS, "cx_segments",
    "One group of a CX index segment table. Values a group does not have are null: no index \
     when a dimension has no answers, no test for a group below min_base (or when the rest of \
     the data is). Estimates, differences and intervals are in index points (net -100..100, \
     mean 0..100).",
    [
        (group, Group, "The group: its keys (a column per key in Python; `group`, the keys joined with \" / \", and `keys` in Node)."),
        (n, Count, "Respondents counted.", always),
        (effective_n, Number, "Kish effective sample size of the respondents counted.", always),
        (missing, Count, "Rows left out (no answer; some answer missing under require_all).", always),
        (estimate, Number, "The index, in points."),
        (std_error, Number, "Its delta-method standard error."),
        (lower, Number, "Lower bound of its Wald interval."),
        (upper, Number, "Upper bound of its Wald interval."),
        (band, Text, "Quality band of the index: 'very poor', 'poor', 'okay', 'good' or 'excellent'."),
        (weakest, Text, "The dimension with the lowest score."),
        (scores, Named, "Each dimension's score in points, by dimension name in the dimensions' order (a column per dimension in Python; an object `scores` in Node)."),
        (too_small, Bool, "Fewer than min_base respondents: reported, not tested.", always),
        (diff_vs_rest, Number, "The group minus the rest of the data (every other group together)."),
        (se_vs_rest, Number, "Standard error of the difference, sqrt(SE^2 + SE_rest^2)."),
        (lower_vs_rest, Number, "Lower bound of the difference's Wald interval."),
        (upper_vs_rest, Number, "Upper bound of the difference's Wald interval."),
        (p_vs_rest, Number, "Two-sided p-value of the z test."),
        (p_adj_vs_rest, Number, "The p-value adjusted across the tested groups (adjust)."),
        (significant, Bool, "p_adj_vs_rest < alpha."),
        (diff_vs_reference, Number, "With a reference: the group minus the reference group (null on the reference).", optional),
        (se_vs_reference, Number, "With a reference: standard error of that difference.", optional),
        (p_vs_reference, Number, "With a reference: its two-sided p-value.", optional),
        (p_adj_vs_reference, Number, "With a reference: its p-value adjusted across the groups compared with the reference.", optional),
        (significant_vs_reference, Bool, "With a reference: p_adj_vs_reference < alpha.", optional),
    ]
);

crate::table_spec!(pub CX_TREND, "cx_trend",
    "One period of one group of a CX index trend table (nulls and units as in a CX segment \
     table). Every period from the first date to the last is a row; rows with a missing date \
     are left out and counted in the table's `excluded`.",
    [
        (group, Group, "The group, as in a segment table (one group of every row without keys)."),
        (period, Text, "The period: \"2026-03-05\", \"2026-W10\" (ISO week), \"2026-03\", \"2026-Q1\" or \"2026\".", always),
        (period_start, Day, "The first day of the period (for a week, its Monday).", always),
        (n, Count, "Respondents counted.", always),
        (effective_n, Number, "Kish effective sample size.", always),
        (missing, Count, "Rows left out (no answer; some answer missing under require_all).", always),
        (estimate, Number, "The index, in points."),
        (std_error, Number, "Its delta-method standard error."),
        (lower, Number, "Lower bound of its Wald interval."),
        (upper, Number, "Upper bound of its Wald interval."),
        (band, Text, "Quality band of the index."),
        (weakest, Text, "The dimension with the lowest score."),
        (scores, Named, "Each dimension's score in points, by dimension name (a column per dimension in Python; an object `scores` in Node)."),
        (too_small, Bool, "Fewer than min_base respondents: reported, not tested.", always),
        (change, Number, "This period minus the previous one (both tested periods)."),
        (se_change, Number, "Standard error of the change."),
        (p_change, Number, "Two-sided p-value of the change (z test)."),
        (p_adj_change, Number, "The p-value adjusted across this group's changes."),
        (significant_change, Bool, "p_adj_change < alpha."),
        (rolling_n, Count, "With a window: respondents in the window.", optional),
        (rolling_estimate, Number, "With a window: the index over the window ending with this period (null until the window is full).", optional),
        (rolling_lower, Number, "With a window: lower bound of the rolling interval.", optional),
        (rolling_upper, Number, "With a window: upper bound of the rolling interval.", optional),
    ]
);

/// The band, weakest dimension and per-dimension scores of each row's index (nulls where it is
/// undefined), on the dimensions `names`.
fn index_columns(t: &mut Table, names: &[String], indexes: &[Option<&CxIndex>]) {
    t.push(
        "band",
        ColumnData::Text(
            indexes
                .iter()
                .map(|i| i.map(|i| i.band.label().to_string()))
                .collect(),
        ),
    );
    t.push(
        "weakest",
        ColumnData::Text(
            indexes
                .iter()
                .map(|i| i.map(|i| i.weakest.clone()))
                .collect(),
        ),
    );
    t.push(
        "scores",
        ColumnData::Named {
            names: names.to_vec(),
            rows: indexes
                .iter()
                .map(|i| match i {
                    Some(i) => i.dimensions.iter().map(|d| Some(d.estimate)).collect(),
                    None => vec![None; names.len()],
                })
                .collect(),
        },
    );
}

/// The segment table of `cx_index_by` over the dimensions `names`.
pub(super) fn cx_segment_table(table: &CxSegments, names: &[String], groups: GroupKeys) -> Table {
    let rows: Vec<_> = table.rows.iter().map(|r| &r.row).collect();
    let indexes: Vec<_> = table.rows.iter().map(|r| r.index.as_ref()).collect();
    segment_rows_table(&CX_SEGMENTS, &rows, groups, |t| {
        index_columns(t, names, &indexes)
    })
}

/// The trend table of `cx_index_by`: every group's periods, over the dimensions `names`.
pub(super) fn cx_trend_table(
    rows: &[(u32, CxTrendRow)],
    periods: &Periods,
    window: bool,
    names: &[String],
    groups: GroupKeys,
) -> Table {
    let generic: Vec<_> = rows.iter().map(|(g, r)| (*g, &r.row)).collect();
    let indexes: Vec<_> = rows.iter().map(|(_, r)| r.index.as_ref()).collect();
    trend_table(&CX_TREND, &generic, periods, window, groups, |t| {
        index_columns(t, names, &indexes)
    })
}

/// The table schemas of this module.
pub(super) static TABLES: &[&TableSpec] = &[&CX_SEGMENTS, &CX_TREND];
