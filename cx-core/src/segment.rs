//! Segments and trends: one [`Tally`] per group built in a single pass ([`GroupedTally`]), each
//! group's metric with its interval, its comparison with the rest of the data (and optionally
//! with a reference group), p-values adjusted across groups, and period-over-period trends with
//! trailing rolling windows.
//!
//! # Conventions
//! - Differences are group minus rest (or group minus reference), in the metric's unit.
//! - A group with fewer than `min_base` answers is reported and flagged `too_small`, but left
//!   out of the tests and of the adjustment family.
//! - P-values are adjusted across the tested groups with Holm (default) or Benjamini-Hochberg;
//!   `significant` is `p_adjusted < alpha`.
//! - Groups whose metric is undefined (no answers, or one answer for a mean) report no estimate.

use serde::{Deserialize, Serialize};

use crate::compensated::CompensatedCells;
use crate::error::{check_level, CxError, Result};
pub use crate::grouping::GroupCode;
use crate::inference::{
    adjust_p_values, t_critical, two_sided_p, two_sided_p_t, z_critical, Adjust, Interval,
    IntervalMethod,
};
use crate::kernels::floats::INVALID;
use crate::kernels::{Body, Isa};
use crate::nps::{nps, NpsOptions};
use crate::satisfaction::{bottom_box, mean, top_box, ProportionOptions};
use crate::scale::Scale;
use crate::tally::{Rating, Tally};

/// One [`Tally`] per group, stored flat (group-major), built in one pass and mergeable.
///
/// # Examples
/// ```
/// use cx_core::{GroupedTally, Scale};
/// let groups = [0u32, 1, 0, 1, 1];
/// let scores = [10u8, 3, 9, 8, 10];
/// let g = GroupedTally::from_values(Scale::nps(), &groups, 2, &scores, None)?;
/// assert_eq!(g.group(0)?.n(), 2);
/// assert_eq!(g.group(1)?.counts()[3], 1);
/// assert_eq!(g.total().n(), 5);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "GroupedRepr", into = "GroupedRepr")]
pub struct GroupedTally {
    scale: Scale,
    n_groups: usize,
    counts: Vec<u64>,
    weights: Vec<f64>,
    weights_sq: Vec<f64>,
    missing: Vec<u64>,
}

/// Serialised form of a [`GroupedTally`]: the per-group tallies.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupedRepr {
    format: String,
    version: u32,
    groups: Vec<Tally>,
    scale: Scale,
}

/// The `format` tag of a serialised grouped tally.
pub const GROUPED_FORMAT: &str = "cxkit.grouped_tally";

impl TryFrom<GroupedRepr> for GroupedTally {
    type Error = CxError;
    fn try_from(r: GroupedRepr) -> Result<Self> {
        if r.format != GROUPED_FORMAT || r.version != 1 {
            return Err(CxError::unreadable(format!(
                "format {:?} version {} is not a grouped tally this build reads ({GROUPED_FORMAT:?} version 1)",
                r.format, r.version
            )));
        }
        let mut g = GroupedTally::new(r.scale, r.groups.len());
        for (i, t) in r.groups.iter().enumerate() {
            r.scale.ensure_same(&t.scale())?;
            g.add_to_group(i, t);
        }
        Ok(g)
    }
}

impl From<GroupedTally> for GroupedRepr {
    fn from(g: GroupedTally) -> Self {
        GroupedRepr {
            format: GROUPED_FORMAT.into(),
            version: 1,
            groups: g.tallies(),
            scale: g.scale,
        }
    }
}

impl GroupedTally {
    /// Empty tallies for `n_groups` groups.
    pub fn new(scale: Scale, n_groups: usize) -> GroupedTally {
        let cells = n_groups * scale.points();
        GroupedTally {
            scale,
            n_groups,
            counts: vec![0; cells],
            weights: vec![0.0; cells],
            weights_sq: vec![0.0; cells],
            missing: vec![0; n_groups],
        }
    }

    /// A grouped tally whose group `g` is `tallies[g]` (all on `scale`).
    pub(crate) fn from_tallies(scale: Scale, tallies: &[&Tally]) -> GroupedTally {
        let mut g = GroupedTally::new(scale, tallies.len());
        for (i, t) in tallies.iter().enumerate() {
            g.add_to_group(i, t);
        }
        g
    }

    /// One tally per group from dense group `codes` (`0..n_groups`, one per value), in one pass.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] when `codes`, `values` and `weights` differ in length;
    /// [`CxError::GroupOutOfRange`] for a code `>= n_groups`; the value and weight errors of
    /// [`Tally::from_values`].
    pub fn from_values<T: Rating>(
        scale: Scale,
        codes: &[u32],
        n_groups: usize,
        values: &[T],
        weights: Option<&[f64]>,
    ) -> Result<GroupedTally> {
        GroupedTally::from_keys(scale, codes, 0, n_groups, values, weights)
    }

    /// One tally per group from integer `keys`, where key `lowest_key + g` is group `g`
    /// (`0..n_groups`): integer keys with a small range need no factorizing pass.
    ///
    /// # Errors
    /// As [`GroupedTally::from_values`]; a key outside `lowest_key..lowest_key + n_groups` is
    /// [`CxError::GroupOutOfRange`].
    ///
    /// # Examples
    /// ```
    /// use cx_core::{GroupedTally, Scale};
    /// let store_ids = [1001i64, 1003, 1001];
    /// let g = GroupedTally::from_keys(Scale::nps(), &store_ids, 1001, 3, &[9u8, 3, 10], None)?;
    /// assert_eq!((g.group(0)?.n(), g.group(1)?.n(), g.group(2)?.n()), (2, 0, 1));
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn from_keys<C: GroupCode, T: Rating>(
        scale: Scale,
        keys: &[C],
        lowest_key: i64,
        n_groups: usize,
        values: &[T],
        weights: Option<&[f64]>,
    ) -> Result<GroupedTally> {
        let codes = keys;
        if codes.len() != values.len() {
            return Err(CxError::LengthMismatch {
                left_name: "groups",
                left: codes.len(),
                right_name: "values",
                right: values.len(),
            });
        }
        if let Some(w) = weights {
            if w.len() != values.len() {
                return Err(CxError::LengthMismatch {
                    left_name: "values",
                    left: values.len(),
                    right_name: "weights",
                    right: w.len(),
                });
            }
        }
        check_cells(scale, n_groups)?;
        let mut g = GroupedTally::new(scale, n_groups);
        match weights {
            None => {
                let (counts, missing) = count_groups(scale, codes, lowest_key, n_groups, values)?;
                g.counts = counts;
                g.missing = missing;
                for ((c, w), w2) in g.counts.iter().zip(&mut g.weights).zip(&mut g.weights_sq) {
                    *w = *c as f64;
                    *w2 = *c as f64;
                }
            }
            Some(ws) => {
                let k = scale.points();
                let (lowest, points) = (i64::from(scale.lowest()), scale.points());
                let cells = g.weights.len();
                let (mut cw, mut cw2) =
                    (CompensatedCells::new(cells), CompensatedCells::new(cells));
                for (i, ((&code, &v), &w)) in codes.iter().zip(values).zip(ws).enumerate() {
                    let grp = group_index(code, lowest_key, n_groups)
                        .ok_or_else(|| out_of_range(i, code, lowest_key, n_groups))?;
                    let p = match v.point(lowest, points) {
                        Some(p) => p,
                        None => match v.locate(&scale, i)? {
                            Some(p) => p,
                            None => {
                                g.missing[grp] += 1;
                                continue;
                            }
                        },
                    };
                    crate::tally::check_weight(i, w)?;
                    let cell = grp * k + p;
                    g.counts[cell] += 1;
                    cw.add(&mut g.weights, cell, w);
                    cw2.add(&mut g.weights_sq, cell, w * w);
                }
                cw.finish(&mut g.weights);
                cw2.finish(&mut g.weights_sq);
            }
        }
        Ok(g)
    }

    /// Add another grouped tally with the same scale and number of groups (e.g. another
    /// partition): the result equals the grouped tally of both inputs' data.
    ///
    /// # Errors
    /// [`CxError::ScaleMismatch`]; [`CxError::InvalidArgument`] when the numbers of groups differ.
    pub fn merge(&mut self, other: &GroupedTally) -> Result<()> {
        self.scale.ensure_same(&other.scale)?;
        if self.n_groups != other.n_groups {
            return Err(CxError::InvalidArgument {
                name: "other",
                value: format!("a grouped tally of {} groups", other.n_groups),
                expected: format!("the same {} groups as this one", self.n_groups),
            });
        }
        for g in 0..self.n_groups {
            self.add_to_group(g, &other.group(g)?);
        }
        Ok(())
    }

    pub(crate) fn add_to_group(&mut self, g: usize, t: &Tally) {
        let base = g * self.scale.points();
        for p in 0..self.scale.points() {
            self.counts[base + p] += t.counts()[p];
            self.weights[base + p] += t.weights()[p];
            self.weights_sq[base + p] += t.weights_sq()[p];
        }
        self.missing[g] += t.missing();
    }

    /// The compact binary form: framed like [`Tally::to_bytes`] with magic `"CXGT"`; body:
    /// scale (4 × i32), number of groups (u32), then each group's tally body (missing u64 and
    /// per point count u64, weight sum f64, squared-weight sum f64).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = crate::codec::Writer::default();
        w.scale(&self.scale);
        w.u32(self.n_groups as u32);
        for t in self.tallies() {
            t.write_body(&mut w);
        }
        w.finish(b"CXGT", 1)
    }

    /// Read bytes written by [`GroupedTally::to_bytes`] (in any language).
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for anything altered, truncated, from another version or
    /// inconsistent; the claimed number of groups is checked against the input's size first.
    pub fn from_bytes(bytes: &[u8]) -> Result<GroupedTally> {
        let mut r = crate::codec::Reader::open(bytes, b"CXGT", 1, "grouped tally")?;
        let scale = r.scale()?;
        let n = r.count(crate::tally::bytes::body_len(&scale), "groups")?;
        let mut g = GroupedTally::new(scale, n);
        for i in 0..n {
            let t = Tally::read_body(scale, &mut r)?;
            g.add_to_group(i, &t);
        }
        r.finish()?;
        Ok(g)
    }

    /// The scale.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.n_groups
    }

    /// The tally of group `g`.
    ///
    /// # Errors
    /// [`CxError::GroupOutOfRange`] for `g >= n_groups`.
    pub fn group(&self, g: usize) -> Result<Tally> {
        if g >= self.n_groups {
            return Err(CxError::GroupOutOfRange {
                index: 0,
                group: g as i64,
                groups: self.n_groups,
            });
        }
        let k = self.scale.points();
        let cells = g * k..(g + 1) * k;
        Ok(Tally::from_parts(
            self.scale,
            self.counts[cells.clone()].to_vec(),
            self.weights[cells.clone()].to_vec(),
            self.weights_sq[cells].to_vec(),
            self.missing[g],
        ))
    }

    /// Every group's tally, in code order.
    pub fn tallies(&self) -> Vec<Tally> {
        (0..self.n_groups)
            .map(|g| self.group(g).expect("g < n_groups"))
            .collect()
    }

    /// The tally of all groups together.
    pub fn total(&self) -> Tally {
        let mut t = Tally::new(self.scale);
        for g in self.tallies() {
            t.merge(&g).expect("same scale");
        }
        t
    }
}

/// The most (group, point) cells a grouped tally may hold (about 800 MB of sums): more is
/// almost surely a key or date column mistaken for something else, and would exhaust memory.
pub const MAX_CELLS: usize = 1 << 25;

fn check_cells(scale: Scale, n_groups: usize) -> Result<()> {
    match n_groups.checked_mul(scale.points()) {
        Some(cells) if cells <= MAX_CELLS => Ok(()),
        _ => Err(CxError::InvalidArgument {
            name: "groups",
            value: format!("{n_groups} groups x {} scale points", scale.points()),
            expected: format!(
                "at most {MAX_CELLS} group x point cells (fewer groups, or coarser periods)"
            ),
        }),
    }
}

/// The group of `key`: `key - lowest_key` when it is below `n_groups`.
#[inline]
fn group_index<C: GroupCode>(key: C, lowest_key: i64, n_groups: usize) -> Option<usize> {
    let g = key.key().wrapping_sub(lowest_key) as u64;
    (g < n_groups as u64).then_some(g as usize)
}

fn out_of_range<C: GroupCode>(index: usize, key: C, lowest_key: i64, n_groups: usize) -> CxError {
    CxError::GroupOutOfRange {
        index,
        group: key.key().saturating_sub(lowest_key),
        groups: n_groups,
    }
}

/// Rows per task when counting in parallel; smaller inputs are counted on the calling thread.
const PARALLEL_MIN_ROWS: usize = 1 << 20;
/// Counting in parallel keeps one count array per task; above this many cells it would cost
/// more memory than it saves time.
const PARALLEL_MAX_CELLS: usize = 1 << 22;

/// Unweighted counts per (group, point) and missing per group: one pass, split across rayon's
/// threads for large inputs (each task counts into its own arrays, then they are added).
fn count_groups<C: GroupCode, T: Rating>(
    scale: Scale,
    codes: &[C],
    lowest_key: i64,
    n_groups: usize,
    values: &[T],
) -> Result<(Vec<u64>, Vec<u64>)> {
    let cells = n_groups * scale.points();
    let threads = rayon::current_num_threads();
    if values.len() < 2 * PARALLEL_MIN_ROWS || threads < 2 || cells > PARALLEL_MAX_CELLS {
        return count_chunk(scale, codes, lowest_key, n_groups, values, 0);
    }
    use rayon::prelude::*;
    let chunk = values.len().div_ceil(threads).max(PARALLEL_MIN_ROWS);
    let parts: Vec<Result<(Vec<u64>, Vec<u64>)>> = values
        .par_chunks(chunk)
        .zip(codes.par_chunks(chunk))
        .enumerate()
        .map(|(i, (v, c))| count_chunk(scale, c, lowest_key, n_groups, v, i * chunk))
        .collect();
    let mut total = (vec![0u64; cells], vec![0u64; n_groups]);
    // The first error in input order, as the sequential pass would report it.
    for part in parts {
        let (counts, missing) = part?;
        for (t, c) in total.0.iter_mut().zip(counts) {
            *t += c;
        }
        for (t, m) in total.1.iter_mut().zip(missing) {
            *t += m;
        }
    }
    Ok(total)
}

/// The counting kernel over one chunk whose first row is row `offset` of the input.
///
/// The table has one row of `points + 1` cells per group, the last counting the group's
/// missing values. Small tables count in u16 cells that stay in the L1 cache, flushed to the
/// u64 totals every 65,535 rows (so they cannot overflow), and when four copies still fit, rows
/// are counted into four interleaved copies (row `i` into copy `i % 4`) so that consecutive rows
/// in the same cell do not wait for each other; larger tables count in u32 cells.
fn count_chunk<C: GroupCode, T: Rating>(
    scale: Scale,
    codes: &[C],
    lowest_key: i64,
    n_groups: usize,
    values: &[T],
    offset: usize,
) -> Result<(Vec<u64>, Vec<u64>)> {
    let cells = n_groups * (scale.points() + 1);
    let mut counts = vec![0u64; n_groups * scale.points()];
    let mut missing = vec![0u64; n_groups];
    let args = Table {
        scale,
        lowest_key,
        n_groups,
    };
    if cells * 4 <= SMALL_TABLE_CELLS {
        args.count_flushed::<C, T, u16, 4>(codes, values, offset, &mut counts, &mut missing)?;
    } else if cells <= SMALL_TABLE_CELLS {
        args.count_flushed::<C, T, u16, 1>(codes, values, offset, &mut counts, &mut missing)?;
    } else {
        args.count_flushed::<C, T, u32, 1>(codes, values, offset, &mut counts, &mut missing)?;
    }
    Ok((counts, missing))
}

/// Cells of a (group, point) table small enough to count in u16 (32 KiB, an L1 data cache).
const SMALL_TABLE_CELLS: usize = 16 * 1024;

/// Rows per block of the counting loop: their cell indices are computed and checked first
/// (loops that vectorise), then counted.
const ROWS_PER_BLOCK: usize = 512;

/// A narrow counter: callers bound the rows per block so it cannot overflow.
trait Counter: Copy + Into<u64> {
    /// Rows counted between two flushes.
    const ROWS: usize;
    fn bump(&mut self);
    fn zero() -> Self;
}

impl Counter for u16 {
    const ROWS: usize = u16::MAX as usize;
    #[inline]
    fn bump(&mut self) {
        *self += 1;
    }
    fn zero() -> Self {
        0
    }
}

impl Counter for u32 {
    const ROWS: usize = u32::MAX as usize;
    #[inline]
    fn bump(&mut self) {
        *self += 1;
    }
    fn zero() -> Self {
        0
    }
}

/// The shape of a counting table: `n_groups` rows of `scale.points() + 1` cells.
#[derive(Clone, Copy)]
struct Table {
    scale: Scale,
    lowest_key: i64,
    n_groups: usize,
}

impl Table {
    /// Count `codes` and `values` (rows `offset..` of the input) into `counts` (group x point)
    /// and `missing` (per group), through `SETS` copies of a table of `N` counters flushed
    /// every `N::ROWS` rows.
    fn count_flushed<C: GroupCode, T: Rating, N: Counter, const SETS: usize>(
        self,
        codes: &[C],
        values: &[T],
        offset: usize,
        counts: &mut [u64],
        missing: &mut [u64],
    ) -> Result<()> {
        let (k, stride) = (self.scale.points(), self.scale.points() + 1);
        let cells = self.n_groups * stride;
        let mut table = vec![N::zero(); SETS * cells];
        let isa = Isa::best();
        for (b, (c, v)) in codes
            .chunks(N::ROWS)
            .zip(values.chunks(N::ROWS))
            .enumerate()
        {
            isa.run(Block::<C, T, N, SETS> {
                table: self,
                codes: c,
                values: v,
                offset: offset + b * N::ROWS,
                counters: &mut table,
            })?;
            for set in table.chunks_exact_mut(cells) {
                for ((group, m), row) in counts
                    .chunks_exact_mut(k)
                    .zip(missing.iter_mut())
                    .zip(set.chunks_exact_mut(stride))
                {
                    for (t, n) in group.iter_mut().zip(&row[..k]) {
                        *t += (*n).into();
                    }
                    *m += row[k].into();
                    row.fill(N::zero());
                }
            }
        }
        Ok(())
    }

    /// The hot loop (compiled for the processor's widest instruction set through [`Block`]),
    /// a block of rows at a time: each row's cell (group x (points + 1) +
    /// point, or + points for a missing value) and the block's validity are computed in loops
    /// that vectorise, then the cells are counted, row `i` into copy `i % SETS` of the table.
    /// A block with an invalid row is counted row by row by [`Table::count_rows`], which
    /// returns the error of the first invalid row.
    #[inline(always)]
    fn count_block<C: GroupCode, T: Rating, N: Counter, const SETS: usize>(
        self,
        codes: &[C],
        values: &[T],
        offset: usize,
        table: &mut [N],
    ) -> Result<()> {
        let (k, stride) = (self.scale.points(), self.scale.points() + 1);
        let cells = self.n_groups * stride;
        let lowest = i64::from(self.scale.lowest());
        let mut points = [0u8; ROWS_PER_BLOCK];
        let mut index = [0u32; ROWS_PER_BLOCK];
        for (b, (cs, vs)) in codes
            .chunks(ROWS_PER_BLOCK)
            .zip(values.chunks(ROWS_PER_BLOCK))
            .enumerate()
        {
            let points = &mut points[..vs.len()];
            let index = &mut index[..vs.len()];
            T::codes(vs, lowest, k, points);
            let mut bad = false;
            for ((ix, &c), &p) in index.iter_mut().zip(cs).zip(points.iter()) {
                let g = c.key().wrapping_sub(self.lowest_key) as u64;
                bad |= (g >= self.n_groups as u64) | (p == INVALID);
                // a missing value (code MISSING) counts in the group's last cell
                let p = if usize::from(p) < k { p } else { k as u8 };
                *ix = (g as u32)
                    .wrapping_mul(stride as u32)
                    .wrapping_add(u32::from(p));
            }
            if bad {
                self.count_rows(cs, vs, offset + b * ROWS_PER_BLOCK, &mut table[..cells])?;
                continue;
            }
            let (sets, rest) = pulp::as_arrays::<SETS, u32>(index);
            for ix in sets {
                for (j, &i) in ix.iter().enumerate() {
                    table[j * cells + i as usize].bump();
                }
            }
            for &i in rest {
                table[i as usize].bump();
            }
        }
        Ok(())
    }

    /// Rows one at a time, validation first: the reference for [`Table::count_block`] and its
    /// path for blocks with an invalid row (a group out of range or a value off the scale),
    /// whose error names the first such row.
    fn count_rows<C: GroupCode, T: Rating, N: Counter>(
        self,
        codes: &[C],
        values: &[T],
        offset: usize,
        table: &mut [N],
    ) -> Result<()> {
        let (k, stride) = (self.scale.points(), self.scale.points() + 1);
        for (i, (&code, &v)) in codes.iter().zip(values).enumerate() {
            let grp = group_index(code, self.lowest_key, self.n_groups)
                .ok_or_else(|| out_of_range(offset + i, code, self.lowest_key, self.n_groups))?;
            let p = v.locate(&self.scale, offset + i)?.unwrap_or(k);
            table[grp * stride + p].bump();
        }
        Ok(())
    }
}

/// [`Table::count_block`] as work for [`Isa::run`].
struct Block<'a, C, T, N, const SETS: usize> {
    table: Table,
    codes: &'a [C],
    values: &'a [T],
    offset: usize,
    counters: &'a mut [N],
}

impl<C: GroupCode, T: Rating, N: Counter, const SETS: usize> Body for Block<'_, C, T, N, SETS> {
    type Output = Result<()>;
    #[inline(always)]
    fn body(self) -> Result<()> {
        self.table
            .count_block::<C, T, N, SETS>(self.codes, self.values, self.offset, self.counters)
    }
}

/// The metric a segment or trend table reports.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "metric")]
pub enum Metric {
    /// Net Promoter Score in points.
    Nps(NpsOptions),
    /// Top-box share (CSAT on the CSAT scale), 0 to 1.
    TopBox(ProportionOptions),
    /// Bottom-box share, 0 to 1.
    BottomBox(ProportionOptions),
    /// Mean rating (CES on the CES scale).
    Mean {
        /// Confidence level.
        level: f64,
    },
}

impl Default for Metric {
    fn default() -> Self {
        Metric::Nps(NpsOptions::default())
    }
}

impl Metric {
    fn level(&self) -> f64 {
        match self {
            Metric::Nps(o) => o.level,
            Metric::TopBox(o) | Metric::BottomBox(o) => o.level,
            Metric::Mean { level } => *level,
        }
    }

    /// The metric of one tally; `Ok(None)` when undefined for lack of answers.
    fn estimate(&self, t: &Tally) -> Result<Option<Estimate>> {
        let r = match self {
            Metric::Nps(o) => nps(t, o).map(|r| Estimate {
                estimate: r.estimate,
                std_error: r.std_error,
                interval: r.interval,
            }),
            Metric::TopBox(o) => top_box(t, o).map(Estimate::of_share),
            Metric::BottomBox(o) => bottom_box(t, o).map(Estimate::of_share),
            Metric::Mean { level } => mean(t, *level).map(|m| Estimate {
                estimate: m.estimate,
                std_error: m.std_error,
                interval: m.interval,
            }),
        };
        match r {
            Ok(e) => Ok(Some(e)),
            Err(CxError::EmptyInput { .. } | CxError::InsufficientData { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The point estimate, standard error and interval of a group's figure: what the comparison
/// machinery of [`segments_of`] and [`trend_of`] takes from any summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The figure, in its unit (NPS points, shares 0 to 1, scale units, CX index points).
    pub estimate: f64,
    /// Its standard error, in the same unit.
    pub std_error: f64,
    /// Its confidence interval.
    pub interval: Interval,
}

/// A mergeable per-group summary that segment and trend tables are built from: [`Tally`] for
/// the rating metrics, [`CxSummary`](crate::CxSummary) for the CX index.
pub trait GroupStats: Clone {
    /// Respondents counted in the group (the base compared with `min_base`).
    fn n(&self) -> u64;
    /// Kish effective sample size (Welch's degrees of freedom use it).
    fn effective_n(&self) -> f64;
    /// Respondents (or answers) left out as missing.
    fn missing(&self) -> u64;
    /// Add another group's summary (the rest of the data, a rolling window).
    ///
    /// # Errors
    /// When the summaries cannot be merged (different scales or dimensions).
    fn merge_from(&mut self, other: &Self) -> Result<()>;
}

impl GroupStats for Tally {
    fn n(&self) -> u64 {
        Tally::n(self)
    }
    fn effective_n(&self) -> f64 {
        Tally::effective_n(self)
    }
    fn missing(&self) -> u64 {
        Tally::missing(self)
    }
    fn merge_from(&mut self, other: &Self) -> Result<()> {
        self.merge(other)
    }
}

/// The two-sample test behind a table's comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Test {
    /// Wald z test on unpooled standard errors (NPS, shares, the CX index).
    Z,
    /// Welch's t test with Welch-Satterthwaite degrees of freedom (means).
    Welch,
}

/// How a table's figure is estimated from one group's summary `S`, and how two groups'
/// figures are compared: the seam through which any summary reuses the comparison, p-value
/// adjustment and minimum-base machinery of [`segments_of`] and [`trend_of`].
pub trait GroupEstimator<S> {
    /// Check the options without computing anything.
    ///
    /// # Errors
    /// The estimator's own option errors ([`CxError::InvalidLevel`], ...).
    fn validate(&self) -> Result<()>;
    /// Confidence level of the intervals of the figure and of the differences.
    fn level(&self) -> f64;
    /// The test comparing two groups.
    fn test(&self) -> Test;
    /// The figure of one group; `Ok(None)` when undefined for lack of answers.
    ///
    /// # Errors
    /// Errors other than a lack of answers (which is `Ok(None)`).
    fn estimate(&self, summary: &S) -> Result<Option<Estimate>>;
}

impl GroupEstimator<Tally> for Metric {
    fn validate(&self) -> Result<()> {
        Metric::validate(self)
    }
    fn level(&self) -> f64 {
        Metric::level(self)
    }
    fn test(&self) -> Test {
        match self {
            Metric::Mean { .. } => Test::Welch,
            _ => Test::Z,
        }
    }
    fn estimate(&self, t: &Tally) -> Result<Option<Estimate>> {
        Metric::estimate(self, t)
    }
}

/// The significance settings of a table: `alpha`, the p-value adjustment and the minimum base.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Significance {
    /// Significance level of the flags, strictly between 0 and 1.
    pub alpha: f64,
    /// P-value adjustment across the tested groups (or changes).
    pub adjust: Adjust,
    /// Groups with fewer respondents are flagged `too_small` and not tested.
    pub min_base: u64,
}

impl Estimate {
    fn of_share(p: crate::Proportion) -> Estimate {
        Estimate {
            estimate: p.estimate,
            std_error: p.std_error,
            interval: p.interval,
        }
    }
}

/// A group's (or period's) answers and metric. Estimates are `None` when the metric is undefined
/// for the group (no answers; a single answer for a mean).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Non-missing answers.
    pub n: u64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Missing answers.
    pub missing: u64,
    /// The metric (NPS in points, shares 0 to 1, means in scale units).
    pub estimate: Option<f64>,
    /// Its standard error.
    pub std_error: Option<f64>,
    /// Its confidence interval.
    pub interval: Option<Interval>,
}

impl GroupSummary {
    /// The summary row of a group's summary `s` and its figure `e`.
    pub fn of<S: GroupStats>(s: &S, e: Option<Estimate>) -> GroupSummary {
        GroupSummary {
            n: s.n(),
            effective_n: s.effective_n(),
            missing: s.missing(),
            estimate: e.map(|e| e.estimate),
            std_error: e.map(|e| e.std_error),
            interval: e.map(|e| e.interval),
        }
    }
}

/// The comparison of a group with the rest, a reference group or the previous period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Group minus comparator, in the metric's unit.
    pub difference: f64,
    /// Standard error of the difference, `√(SE₁² + SE₂²)`.
    pub std_error: f64,
    /// Interval of the difference (Wald; Welch for means).
    pub interval: Interval,
    /// The test statistic: z (NPS, shares) or Welch's t (means).
    pub statistic: f64,
    /// Degrees of freedom of Welch's t (means only).
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: f64,
    /// P-value adjusted across the family of tests.
    pub p_adjusted: f64,
    /// `p_adjusted < alpha`.
    pub significant: bool,
}

/// Compare two independent samples' estimates: Wald z for NPS and shares, Welch's t for means.
/// Each side comes with its (Kish effective) sample size, which Welch's degrees of freedom use.
fn compare(test: Test, level: f64, a: (&Estimate, f64), b: (&Estimate, f64)) -> Option<Comparison> {
    let (ea, na) = a;
    let (eb, nb) = b;
    let va = ea.std_error * ea.std_error;
    let vb = eb.std_error * eb.std_error;
    let se = (va + vb).sqrt();
    if se.is_nan() || se <= 0.0 {
        return None;
    }
    let difference = ea.estimate - eb.estimate;
    let statistic = difference / se;
    let (p_value, crit, df, method) = match test {
        Test::Welch => {
            // Welch-Satterthwaite degrees of freedom.
            let df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
            if df.is_nan() || df <= 0.0 {
                return None;
            }
            (
                two_sided_p_t(statistic, df),
                t_critical(level, df),
                Some(df),
                IntervalMethod::StudentT,
            )
        }
        Test::Z => (
            two_sided_p(statistic),
            z_critical(level).ok()?,
            None,
            IntervalMethod::Wald,
        ),
    };
    Some(Comparison {
        difference,
        std_error: se,
        interval: Interval {
            lower: difference - crit * se,
            upper: difference + crit * se,
            level,
            method,
        },
        statistic,
        df,
        p_value,
        p_adjusted: p_value,
        significant: false,
    })
}

/// Adjust the p-values of the present comparisons as one family and flag significance.
fn adjust_family(family: Vec<&mut Comparison>, adjust: Adjust, alpha: f64) {
    let p: Vec<f64> = family.iter().map(|c| c.p_value).collect();
    let adjusted = adjust_p_values(&p, adjust);
    for (c, pa) in family.into_iter().zip(adjusted) {
        c.p_adjusted = pa;
        c.significant = pa < alpha;
    }
}

fn check_alpha(alpha: f64) -> Result<()> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(())
    } else {
        Err(CxError::InvalidArgument {
            name: "alpha",
            value: alpha.to_string(),
            expected: "a number strictly between 0 and 1 (e.g. 0.05)".into(),
        })
    }
}

impl Metric {
    /// Check the metric's options without computing anything.
    ///
    /// # Errors
    /// [`CxError::InvalidLevel`]; [`CxError::InvalidArgument`] for too few bootstrap resamples.
    pub fn validate(&self) -> Result<()> {
        match self {
            Metric::Nps(o) => o.validate(),
            _ => check_level(self.level()),
        }
    }
}

impl SegmentOptions {
    /// Check the options without computing anything (the reference group is checked against
    /// the data by [`segments`]).
    ///
    /// # Errors
    /// As [`Metric::validate`]; [`CxError::InvalidArgument`] for `alpha` outside (0, 1).
    pub fn validate(&self) -> Result<()> {
        self.metric.validate()?;
        check_alpha(self.alpha)
    }
}

impl TrendOptions {
    /// Check the options without computing anything.
    ///
    /// # Errors
    /// As [`SegmentOptions::validate`]; [`CxError::InvalidArgument`] for a window of 0.
    pub fn validate(&self) -> Result<()> {
        self.metric.validate()?;
        check_alpha(self.alpha)?;
        check_window(self.window)
    }
}

fn check_window(window: Option<usize>) -> Result<()> {
    if window == Some(0) {
        return Err(CxError::InvalidArgument {
            name: "window",
            value: "0".into(),
            expected: "a window of at least 1 period".into(),
        });
    }
    Ok(())
}

/// Options of [`segments`]. Defaults: NPS (adjusted Wald, 95%), `alpha` 0.05, Holm, `min_base`
/// 30, no reference group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SegmentOptions {
    /// The metric.
    pub metric: Metric,
    /// Significance level of the flags.
    pub alpha: f64,
    /// P-value adjustment across groups.
    pub adjust: Adjust,
    /// Groups with fewer answers are flagged `too_small` and not tested.
    pub min_base: u64,
    /// A group to compare every other group with, besides the rest.
    pub reference: Option<usize>,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            metric: Metric::default(),
            alpha: 0.05,
            adjust: Adjust::Holm,
            min_base: 30,
            reference: None,
        }
    }
}

/// One group of a segment table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    /// The group code.
    pub group: usize,
    /// The group's answers and metric.
    #[serde(flatten)]
    pub summary: GroupSummary,
    /// Fewer than `min_base` answers: reported, not tested.
    pub too_small: bool,
    /// Group minus the rest of the data.
    pub vs_rest: Option<Comparison>,
    /// Group minus the reference group (when one is set; `None` on the reference itself).
    pub vs_reference: Option<Comparison>,
}

/// A segment table: the overall metric and one row per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segments {
    /// All groups together.
    pub overall: GroupSummary,
    /// One row per group, in code order.
    pub rows: Vec<SegmentRow>,
}

/// Each group's metric, compared with the rest of the data and optionally a reference group,
/// with p-values adjusted across groups.
///
/// # Formula
/// ```text
/// rest_g = merge of every other group's tally (prefix and suffix sums, no subtraction)
/// difference = estimate_g − estimate_rest;   SE = √(SE_g² + SE_rest²)
/// NPS, shares: z = difference / SE,  p = 2(1 − Φ(|z|)),  interval difference ± z_{1−α/2}·SE
/// means:       Welch t with ν = (v_g + v_r)² / (v_g²/(n_g − 1) + v_r²/(n_r − 1)),  vᵢ = SEᵢ²,
///              nᵢ the Kish effective sample sizes (the answer counts when unweighted)
/// p_adjusted:  Holm or Benjamini-Hochberg over the groups tested (both sides ≥ min_base)
/// ```
///
/// # Errors
/// [`CxError::InvalidLevel`], [`CxError::InvalidArgument`] (alpha, bootstrap resamples),
/// [`CxError::UnknownGroup`] for a reference code not below the number of groups.
///
/// # Examples
/// ```
/// use cx_core::{segments, GroupedTally, Scale, SegmentOptions};
/// let mut groups = vec![0u32; 100];
/// groups.extend(vec![1u32; 100]);
/// let scores: Vec<u8> = (0..200).map(|i| if i < 100 { [10, 9, 3][i % 3] } else { [10, 3, 3][i % 3] }).collect();
/// let g = GroupedTally::from_values(Scale::nps(), &groups, 2, &scores, None)?;
/// let s = segments(&g, &SegmentOptions::default())?;
/// let first = s.rows[0].vs_rest.as_ref().unwrap();
/// assert!(first.difference > 0.0 && first.significant);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Welch, B. L. (1947). The generalization of "Student's" problem when several different
/// population variances are involved. *Biometrika* 34, 28-35. Holm (1979); Benjamini and
/// Hochberg (1995), see [`adjust_p_values`].
pub fn segments(grouped: &GroupedTally, options: &SegmentOptions) -> Result<Segments> {
    segments_of(
        &grouped.tallies(),
        &Tally::new(grouped.scale()),
        &options.metric,
        &Significance {
            alpha: options.alpha,
            adjust: options.adjust,
            min_base: options.min_base,
        },
        options.reference,
    )
}

/// The segment table of any mergeable summary: each group's figure (from `estimator`),
/// compared with the rest of the data (the merge of every other group) and optionally with a
/// `reference` group, p-values adjusted across the groups tested. [`segments`] is this function
/// on tallies; the CX index ([`cx_segments`](crate::cx_segments)) is it on
/// [`CxSummary`](crate::CxSummary)s.
///
/// `groups` are the groups' summaries in code order and `empty` an empty summary of the same
/// kind (the rest of a single group, and the overall of no group).
///
/// # Formula
/// As [`segments`]: the difference, its standard error `√(SE_g² + SE_rest²)`, the test named by
/// [`GroupEstimator::test`], Holm or Benjamini-Hochberg over the groups with at least
/// `min_base` respondents on both sides.
///
/// # Errors
/// The estimator's option errors; [`CxError::InvalidArgument`] for `alpha` outside (0, 1);
/// [`CxError::UnknownGroup`] for a reference code not below the number of groups.
pub fn segments_of<S: GroupStats, E: GroupEstimator<S>>(
    groups: &[S],
    empty: &S,
    estimator: &E,
    significance: &Significance,
    reference: Option<usize>,
) -> Result<Segments> {
    estimator.validate()?;
    check_alpha(significance.alpha)?;
    let g = groups.len();
    if let Some(r) = reference {
        if r >= g {
            return Err(CxError::UnknownGroup {
                name: r.to_string(),
                groups: g,
            });
        }
    }
    let merged = |a: &S, b: &S| -> Result<S> {
        let mut m = a.clone();
        m.merge_from(b)?;
        Ok(m)
    };
    // prefix[i] = groups 0..i, suffix[i] = groups i..g
    let mut prefix = Vec::with_capacity(g + 1);
    prefix.push(empty.clone());
    for t in groups {
        let next = merged(prefix.last().expect("non-empty"), t)?;
        prefix.push(next);
    }
    let mut suffix = vec![empty.clone(); g + 1];
    for i in (0..g).rev() {
        suffix[i] = merged(&suffix[i + 1], &groups[i])?;
    }
    let overall = GroupSummary::of(&prefix[g], estimator.estimate(&prefix[g])?);
    let estimates: Vec<Option<Estimate>> = groups
        .iter()
        .map(|t| estimator.estimate(t))
        .collect::<Result<_>>()?;
    let min_base = significance.min_base;
    let testable = |t: &S, e: &Option<Estimate>| t.n() >= min_base && e.is_some();
    let reference = reference.filter(|&r| testable(&groups[r], &estimates[r]));
    let (test, level) = (estimator.test(), estimator.level());
    let mut rows = Vec::with_capacity(g);
    for (i, (t, e)) in groups.iter().zip(&estimates).enumerate() {
        let too_small = t.n() < min_base;
        let mut vs_rest = None;
        let mut vs_reference = None;
        if testable(t, e) {
            let own = (e.as_ref().expect("testable"), t.effective_n());
            let rest = merged(&prefix[i], &suffix[i + 1])?;
            let rest_e = estimator.estimate(&rest)?;
            if testable(&rest, &rest_e) {
                vs_rest = compare(
                    test,
                    level,
                    own,
                    (rest_e.as_ref().expect("testable"), rest.effective_n()),
                );
            }
            if let Some(r) = reference.filter(|&r| r != i) {
                let re = estimates[r].as_ref().expect("reference is testable");
                vs_reference = compare(test, level, own, (re, groups[r].effective_n()));
            }
        }
        rows.push(SegmentRow {
            group: i,
            summary: GroupSummary::of(t, *e),
            too_small,
            vs_rest,
            vs_reference,
        });
    }
    adjust_family(
        rows.iter_mut().filter_map(|r| r.vs_rest.as_mut()).collect(),
        significance.adjust,
        significance.alpha,
    );
    adjust_family(
        rows.iter_mut()
            .filter_map(|r| r.vs_reference.as_mut())
            .collect(),
        significance.adjust,
        significance.alpha,
    );
    Ok(Segments { overall, rows })
}

/// Options of [`trend`]. Defaults: NPS, `alpha` 0.05, Holm, `min_base` 30, no rolling window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrendOptions {
    /// The metric.
    pub metric: Metric,
    /// Significance level of the change flags.
    pub alpha: f64,
    /// P-value adjustment across the period-over-period changes.
    pub adjust: Adjust,
    /// Periods with fewer answers are flagged `too_small` and not tested.
    pub min_base: u64,
    /// Trailing window length in periods (e.g. 3 for "last 3 months"), or none.
    pub window: Option<usize>,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            metric: Metric::default(),
            alpha: 0.05,
            adjust: Adjust::Holm,
            min_base: 30,
            window: None,
        }
    }
}

/// The metric over a trailing window of periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rolling {
    /// Number of periods merged (the window length).
    pub periods: usize,
    /// The merged answers and metric.
    #[serde(flatten)]
    pub summary: GroupSummary,
}

/// One period of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendRow {
    /// Position of the period in the trend (0 is the first period).
    pub period: usize,
    /// The period's answers and metric.
    #[serde(flatten)]
    pub summary: GroupSummary,
    /// Fewer than `min_base` answers: reported, not tested.
    pub too_small: bool,
    /// This period minus the previous one.
    pub change: Option<Comparison>,
    /// The trailing window ending with this period (full windows only).
    pub rolling: Option<Rolling>,
}

/// A trend over consecutive periods: each period's metric, the change from the previous period
/// with its test (adjusted across the changes), and trailing rolling windows built by merging
/// period tallies (never a second pass over the data).
///
/// `periods` are the tallies of consecutive periods (empty periods included, as empty tallies).
///
/// # Errors
/// As [`segments`]; [`CxError::InvalidArgument`] for a window of 0.
///
/// # Examples
/// ```
/// use cx_core::{trend, Scale, Tally, TrendOptions};
/// let months: Vec<Tally> = [[9u8, 10, 3], [9, 10, 10], [3, 3, 9]]
///     .iter()
///     .map(|m| Tally::from_values(Scale::nps(), m, None))
///     .collect::<Result<_, _>>()?;
/// let rows = trend(&months, &TrendOptions { min_base: 1, window: Some(2), ..Default::default() })?;
/// assert!((rows[1].summary.estimate.unwrap() - 100.0).abs() < 1e-12);
/// assert!(rows[0].rolling.is_none() && rows[1].rolling.as_ref().unwrap().summary.n == 6);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn trend(periods: &[Tally], options: &TrendOptions) -> Result<Vec<TrendRow>> {
    options.validate()?;
    trend_of(
        periods,
        &options.metric,
        &Significance {
            alpha: options.alpha,
            adjust: options.adjust,
            min_base: options.min_base,
        },
        options.window,
    )
}

/// The trend of any mergeable summary over consecutive periods: each period's figure (from
/// `estimator`), the change from the previous period with its test (adjusted across the
/// changes), and trailing rolling windows built by merging period summaries. [`trend`] is this
/// function on tallies; [`cx_trend`](crate::cx_trend) is it on
/// [`CxSummary`](crate::CxSummary)s.
///
/// # Errors
/// The estimator's option errors; [`CxError::InvalidArgument`] for `alpha` outside (0, 1) or a
/// window of 0.
pub fn trend_of<S: GroupStats, E: GroupEstimator<S>>(
    periods: &[S],
    estimator: &E,
    significance: &Significance,
    window: Option<usize>,
) -> Result<Vec<TrendRow>> {
    estimator.validate()?;
    check_alpha(significance.alpha)?;
    check_window(window)?;
    let estimates: Vec<Option<Estimate>> = periods
        .iter()
        .map(|t| estimator.estimate(t))
        .collect::<Result<_>>()?;
    let min_base = significance.min_base;
    let testable = |i: usize| periods[i].n() >= min_base && estimates[i].is_some();
    let (test, level) = (estimator.test(), estimator.level());
    let mut rows = Vec::with_capacity(periods.len());
    for (i, t) in periods.iter().enumerate() {
        let change = if i > 0 && testable(i) && testable(i - 1) {
            compare(
                test,
                level,
                (estimates[i].as_ref().expect("testable"), t.effective_n()),
                (
                    estimates[i - 1].as_ref().expect("testable"),
                    periods[i - 1].effective_n(),
                ),
            )
        } else {
            None
        };
        let rolling = match window {
            Some(w) if i + 1 >= w => {
                let mut merged = periods[i + 1 - w].clone();
                for p in &periods[i + 2 - w..=i] {
                    merged.merge_from(p)?;
                }
                Some(Rolling {
                    periods: w,
                    summary: GroupSummary::of(&merged, estimator.estimate(&merged)?),
                })
            }
            _ => None,
        };
        rows.push(TrendRow {
            period: i,
            summary: GroupSummary::of(t, estimates[i]),
            too_small: t.n() < min_base,
            change,
            rolling,
        });
    }
    adjust_family(
        rows.iter_mut().filter_map(|r| r.change.as_mut()).collect(),
        significance.adjust,
        significance.alpha,
    );
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_bytes_round_trip_and_reject_damage() {
        let g = GroupedTally::from_values(
            Scale::nps(),
            &[0, 2, 2],
            3,
            &[9.0, f64::NAN, 3.0],
            Some(&[1.0, 1.0, 2.5]),
        )
        .unwrap();
        let bytes = g.to_bytes();
        assert_eq!(GroupedTally::from_bytes(&bytes).unwrap(), g);
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x80;
            assert!(GroupedTally::from_bytes(&b).is_err(), "byte {i}");
        }
        assert!(GroupedTally::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }

    /// The counts of each group and point, and the missing values of each group, row by row;
    /// or the first row's error (a group is checked before its value).
    fn oracle<T: Rating>(
        scale: Scale,
        codes: &[u32],
        n_groups: usize,
        values: &[T],
    ) -> Result<(Vec<u64>, Vec<u64>)> {
        let k = scale.points();
        let (mut counts, mut missing) = (vec![0; n_groups * k], vec![0; n_groups]);
        for (i, (&c, &v)) in codes.iter().zip(values).enumerate() {
            if c as usize >= n_groups {
                return Err(out_of_range(i, c, 0, n_groups));
            }
            match v.locate(&scale, i)? {
                Some(p) => counts[c as usize * k + p] += 1,
                None => missing[c as usize] += 1,
            }
        }
        Ok((counts, missing))
    }

    /// Every table shape (four u16 copies, one u16 table, u32) and block path equals the row
    /// by row count, including the error of the first invalid row.
    #[test]
    fn counting_equals_the_row_by_row_count() {
        use crate::kernels::testing::{awkward_lengths, Rng};
        let mut rng = Rng(0xC0DE);
        let mut lengths = awkward_lengths();
        lengths.extend([ROWS_PER_BLOCK * 3 + 1, u16::MAX as usize + 5]);
        for (scale, lowest) in [(Scale::nps(), 0i64), (Scale::new(-3, 3).unwrap(), -3)] {
            let m = scale.points() as u64;
            // 300 groups fit four u16 copies, 1,000 one, 2,000 need u32 cells
            for n_groups in [1usize, 7, 300, 1000, 2000] {
                for &len in &lengths {
                    let codes: Vec<u32> = (0..len)
                        .map(|_| rng.below(n_groups as u64) as u32)
                        .collect();
                    let raw: Vec<i64> = (0..len).map(|_| lowest + rng.below(m) as i64).collect();
                    let floats: Vec<f64> = raw
                        .iter()
                        .map(|&v| {
                            if rng.below(20) == 0 {
                                f64::NAN
                            } else {
                                v as f64
                            }
                        })
                        .collect();
                    let bytes: Vec<i8> = raw.iter().map(|&v| v as i8).collect();
                    let check = |codes: &[u32], floats: &[f64], bytes: &[i8]| {
                        let got = count_chunk(scale, codes, 0, n_groups, floats, 0);
                        assert_eq!(got, oracle(scale, codes, n_groups, floats), "{len}");
                        let got = count_chunk(scale, codes, 0, n_groups, bytes, 0);
                        assert_eq!(got, oracle(scale, codes, n_groups, bytes), "{len}");
                    };
                    check(&codes, &floats, &bytes);
                    if len == 0 {
                        continue;
                    }
                    let at = rng.below(len as u64) as usize;
                    let mut bad_codes = codes.clone();
                    bad_codes[at] = n_groups as u32 + rng.below(3) as u32;
                    check(&bad_codes, &floats, &bytes);
                    let (mut bad_floats, mut bad_bytes) = (floats.clone(), bytes.clone());
                    bad_floats[len - 1 - at] = 0.5;
                    bad_bytes[len - 1 - at] = 100;
                    check(&codes, &bad_floats, &bad_bytes);
                    check(&bad_codes, &bad_floats, &bad_bytes);
                }
            }
        }
    }

    /// The parallel path equals the single-pass kernel, and reports the first bad row.
    #[test]
    fn parallel_counting_equals_sequential() {
        let n = 3 * PARALLEL_MIN_ROWS + 12_345; // not a multiple of the chunk size
        let mut s = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let codes: Vec<u32> = (0..n).map(|_| (next() % 97) as u32).collect();
        let mut values: Vec<f64> = (0..n).map(|_| (next() % 11) as f64).collect();
        values[17] = f64::NAN;
        values[n - 3] = f64::NAN;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let par = pool
            .install(|| count_groups(Scale::nps(), &codes, 0, 97, &values))
            .unwrap();
        let seq = count_chunk(Scale::nps(), &codes, 0, 97, &values, 0).unwrap();
        assert_eq!(par, seq);
        assert_eq!(par.1.iter().sum::<u64>(), 2);

        values[n - 10] = 12.0;
        values[n - 5] = 3.5;
        let err = pool
            .install(|| count_groups(Scale::nps(), &codes, 0, 97, &values))
            .unwrap_err();
        assert_eq!(
            err,
            CxError::OutOfScale {
                index: n - 10,
                value: 12.0,
                lowest: 0,
                highest: 10
            }
        );
        let mut bad_codes = codes.clone();
        bad_codes[2 * PARALLEL_MIN_ROWS + 1] = 97;
        let err = pool
            .install(|| count_groups(Scale::nps(), &bad_codes, 0, 97, &values))
            .unwrap_err();
        assert_eq!(err.code(), "group_out_of_range");
    }
}
