//! [`CxSummary`]: the one-pass, mergeable, serialisable summary of K experience dimensions
//! answered by the same respondents, and [`GroupedCxSummary`], one summary per group.
//!
//! # What it keeps
//! - per dimension, a [`Tally`] of the respondents counted (count, sum of weights and of
//!   squared weights per scale point, and the missing answers of that dimension);
//! - per pair of dimensions `k < l`, the sum of squared weights `Σ wᵢ²` of the respondents who
//!   answered both, per pair of points `(p, q)`;
//! - the respondents counted, their sum of weights and of squared weights, and the rows left
//!   out (no answer at all, or, under `require_all`, some answer missing).
//!
//! That is a sufficient statistic for both CX index methods (`net` and `mean` only differ in the
//! value given to each point), for every dimension's estimate, and for the delta-method variance
//! of the weighted average over dimensions, whose cross terms need exactly the pair tables
//! (see [`cx_index`](fn@crate::cx_index)). Its size is `Σₖ 3·Pₖ + Σ_{k<l} Pₖ·Pₗ` numbers for
//! dimensions of `Pₖ` points: O(K²) in the number of dimensions (6 · 25 + 15 numbers for the
//! default three 5-point dimensions) and independent of the number of respondents.
//!
//! # Missing answers
//! NaN (and None/null in the bindings) is a missing answer. By default a respondent counts in
//! each dimension they answered (the available-case rule) and in the overall `n` when they
//! answered at least one dimension; with `require_all` only respondents who answered every
//! dimension count anywhere. Either way each dimension's tally counts the rows whose answer to
//! it is missing, and [`CxSummary::missing`] counts the rows left out altogether. The rule is
//! fixed when the summary is created (it decides what is accumulated): summaries under
//! different rules do not merge.
//!
//! # Weights
//! One weight per respondent (row), validated as for a [`Tally`] (0, or 1e-100..=1e100) for
//! every row with at least one answer; the weight of a row without any answer is ignored.

use serde::{Deserialize, Serialize};

use crate::compensated::CompensatedCells;
use crate::error::{CxError, Result};
use crate::grouping::GroupCode;
use crate::scale::Scale;
use crate::segment::MAX_CELLS;
use crate::tally::{check_weight, Rating, Tally};

mod bytes;

/// The default experience dimensions: Forrester's effectiveness, ease and emotion.
pub const DEFAULT_DIMENSIONS: [&str; 3] = ["effectiveness", "ease", "emotion"];

/// One experience dimension: its name (a column name in the bindings) and its rating scale,
/// whose top and bottom boxes the `net` method counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dimension {
    /// The dimension's name, e.g. `"ease"`.
    pub name: String,
    /// Its rating scale.
    pub scale: Scale,
}

impl Dimension {
    /// A dimension named `name` on `scale`.
    pub fn new(name: impl Into<String>, scale: Scale) -> Dimension {
        Dimension {
            name: name.into(),
            scale,
        }
    }

    /// The default three dimensions, effectiveness, ease and emotion, each on the five-point
    /// agreement scale 1-5 (top-2-box 4-5, bottom-2-box 1-2), the scale of Forrester's CX Index
    /// questions.
    ///
    /// # Examples
    /// ```
    /// use cx_core::Dimension;
    /// let d = Dimension::defaults();
    /// assert_eq!(d[1].name, "ease");
    /// assert_eq!((d[1].scale.lowest(), d[1].scale.highest(), d[1].scale.top_box_min()), (1, 5, 4));
    /// ```
    pub fn defaults() -> Vec<Dimension> {
        DEFAULT_DIMENSIONS
            .iter()
            .map(|n| Dimension::new(*n, Scale::agreement()))
            .collect()
    }

    /// Dimensions named `names`, all on `scale`.
    pub fn all_on(names: &[&str], scale: Scale) -> Vec<Dimension> {
        names.iter().map(|n| Dimension::new(*n, scale)).collect()
    }
}

/// The position of the dimension called `name`.
///
/// # Errors
/// [`CxError::InvalidArgument`] (`dims`) naming the unknown name and the known ones.
pub fn dimension_index(dims: &[Dimension], name: &str) -> Result<usize> {
    dims.iter()
        .position(|d| d.name == name)
        .ok_or_else(|| CxError::InvalidArgument {
            name: "dims",
            value: format!("{name:?}"),
            expected: format!(
                "the name of a dimension: {}",
                dims.iter()
                    .map(|d| format!("{:?}", d.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

/// Check a list of dimensions: at least one, names non-empty and distinct.
pub(crate) fn check_dimensions(dims: &[Dimension]) -> Result<()> {
    if dims.is_empty() {
        return Err(CxError::InvalidArgument {
            name: "dims",
            value: "no dimension".into(),
            expected: "at least one experience dimension".into(),
        });
    }
    for (i, d) in dims.iter().enumerate() {
        if d.name.is_empty() {
            return Err(CxError::InvalidArgument {
                name: "dims",
                value: format!("an empty name for dimension {}", i + 1),
                expected: "a non-empty name for every dimension".into(),
            });
        }
        if dims[..i].iter().any(|e| e.name == d.name) {
            return Err(CxError::InvalidArgument {
                name: "dims",
                value: format!("{:?} twice", d.name),
                expected: "distinct dimension names".into(),
            });
        }
    }
    Ok(())
}

/// Names of dimensions by position for errors whose fields are static text.
const DIMENSION_NAMES: [&str; 16] = [
    "dimension 1",
    "dimension 2",
    "dimension 3",
    "dimension 4",
    "dimension 5",
    "dimension 6",
    "dimension 7",
    "dimension 8",
    "dimension 9",
    "dimension 10",
    "dimension 11",
    "dimension 12",
    "dimension 13",
    "dimension 14",
    "dimension 15",
    "dimension 16",
];

/// `"dimension k+1"` for the first sixteen dimensions (the order the caller gave them in).
pub(crate) fn dimension_label(k: usize) -> &'static str {
    DIMENSION_NAMES
        .get(k)
        .copied()
        .unwrap_or("a later dimension")
}

/// Respondents' answers to K dimensions, read by (row, dimension): columns (one slice per
/// dimension) or a two-dimensional array (rows = respondents).
pub(crate) trait Answers<T> {
    fn rows(&self) -> usize;
    fn get(&self, row: usize, k: usize) -> T;
    /// The answers of rows `rows` to dimension `k`.
    fn column(&self, k: usize, rows: std::ops::Range<usize>) -> impl Iterator<Item = T>;
}

struct Columns<'a, T>(&'a [&'a [T]]);

impl<T: Copy> Answers<T> for Columns<'_, T> {
    fn rows(&self) -> usize {
        self.0.first().map_or(0, |c| c.len())
    }
    #[inline]
    fn get(&self, row: usize, k: usize) -> T {
        self.0[k][row]
    }
    fn column(&self, k: usize, rows: std::ops::Range<usize>) -> impl Iterator<Item = T> {
        self.0[k][rows].iter().copied()
    }
}

#[cfg(feature = "ndarray")]
impl<T: Copy> Answers<T> for ndarray::ArrayView2<'_, T> {
    fn rows(&self) -> usize {
        self.nrows()
    }
    #[inline]
    fn get(&self, row: usize, k: usize) -> T {
        self[[row, k]]
    }
    fn column(&self, k: usize, rows: std::ops::Range<usize>) -> impl Iterator<Item = T> {
        self.slice(ndarray::s![rows, k]).into_iter().copied()
    }
}

/// Check that every column has as many rows as the first, and that there are as many columns
/// as dimensions.
fn check_columns<T>(dims: &[Dimension], columns: &[&[T]]) -> Result<()> {
    if columns.len() != dims.len() {
        return Err(CxError::LengthMismatch {
            left_name: "dims",
            left: dims.len(),
            right_name: "columns",
            right: columns.len(),
        });
    }
    let rows = columns.first().map_or(0, |c| c.len());
    for (k, c) in columns.iter().enumerate().skip(1) {
        if c.len() != rows {
            return Err(CxError::LengthMismatch {
                left_name: dimension_label(0),
                left: rows,
                right_name: dimension_label(k),
                right: c.len(),
            });
        }
    }
    Ok(())
}

fn check_weights(rows: usize, weights: Option<&[f64]>) -> Result<()> {
    match weights {
        Some(w) if w.len() != rows => Err(CxError::LengthMismatch {
            left_name: "respondents",
            left: rows,
            right_name: "weights",
            right: w.len(),
        }),
        _ => Ok(()),
    }
}

/// Where each dimension's and each pair's cells sit in a flat per-group block.
#[derive(Debug, Clone)]
struct Layout {
    scales: Vec<Scale>,
    points: Vec<usize>,
    /// Start of dimension k's points in the per-dimension cells.
    dim_offset: Vec<usize>,
    dim_cells: usize,
    /// Start of pair (k, l), k < l, in the pair cells (pair order: (0,1), (0,2), ..., (1,2), ...).
    pair_offset: Vec<usize>,
    pair_cells: usize,
}

impl Layout {
    fn new(dims: &[Dimension]) -> Layout {
        let scales: Vec<Scale> = dims.iter().map(|d| d.scale).collect();
        let points: Vec<usize> = scales.iter().map(Scale::points).collect();
        let mut dim_offset = Vec::with_capacity(points.len());
        let mut dim_cells = 0;
        for &p in &points {
            dim_offset.push(dim_cells);
            dim_cells += p;
        }
        let mut pair_offset = Vec::new();
        let mut pair_cells = 0;
        for k in 0..points.len() {
            for l in k + 1..points.len() {
                pair_offset.push(pair_cells);
                pair_cells += points[k] * points[l];
            }
        }
        Layout {
            scales,
            points,
            dim_offset,
            dim_cells,
            pair_offset,
            pair_cells,
        }
    }

    /// Numbers stored per summary (for the memory cap).
    fn size(&self) -> usize {
        3 * self.dim_cells + self.pair_cells + self.points.len() + 4
    }
}

/// Index of pair (k, l), k < l, among the K(K−1)/2 pairs in order (0,1), (0,2), ..., (1,2), ...
#[inline]
pub(crate) fn pair_index(k: usize, l: usize, dims: usize) -> usize {
    k * (2 * dims - k - 1) / 2 + (l - k - 1)
}

/// Marks a missing answer in the per-row point buffer.
const MISSING: usize = usize::MAX;

/// Rows per task when counting unweighted patterns in parallel (inputs of fewer than two chunks
/// are counted on the calling thread).
const PARALLEL_CHUNK: usize = 1 << 20;
/// Counting in parallel keeps one pattern table per task: not above this many cells.
const PARALLEL_MAX_CELLS: usize = 1 << 20;

/// Answer patterns: every combination of (point or missing) over the dimensions, coded in
/// mixed radix, when there are few enough of them to count each (125 + 91 = 216 for the
/// default three 5-point dimensions).
struct Patterns {
    stride: Vec<usize>,
    cells: usize,
}

impl Patterns {
    /// Patterns per group at most (a counter and two weight sums each: 96 KiB).
    const MAX_CELLS: usize = 1 << 12;
    /// (group, pattern) counters at most; more groups are counted row by row.
    const MAX_TOTAL: usize = 1 << 24;

    fn of(layout: &Layout, groups: usize) -> Option<Patterns> {
        let mut stride = Vec::with_capacity(layout.points.len());
        let mut cells = 1usize;
        for &p in &layout.points {
            stride.push(cells);
            cells = cells.checked_mul(p + 1)?;
            if cells > Self::MAX_CELLS {
                return None;
            }
        }
        (cells.checked_mul(groups)? <= Self::MAX_TOTAL).then_some(Patterns { stride, cells })
    }
}

/// The accumulation of G summaries in flat arrays (group-major), filled in one pass.
struct Accumulator {
    layout: Layout,
    require_all: bool,
    groups: usize,
    weighted: bool,
    counts: Vec<u64>,
    weights: Vec<f64>,
    weights_sq: Vec<f64>,
    missing: Vec<u64>,
    pairs: Vec<f64>,
    respondents: Vec<u64>,
    excluded: Vec<u64>,
    weight: Vec<f64>,
    weight_sq: Vec<f64>,
    /// Neumaier compensation of `weights`, `weights_sq`, `pairs`, `weight` and `weight_sq`
    /// (see `crate::compensated`): sums of weights over many orders of magnitude stay correctly
    /// rounded; folded in by [`Accumulator::finish`].
    comp: [CompensatedCells; 5],
}

impl Accumulator {
    fn new(layout: Layout, require_all: bool, groups: usize, weighted: bool) -> Accumulator {
        let k = layout.points.len();
        let wcells = if weighted {
            groups * layout.dim_cells
        } else {
            0
        };
        Accumulator {
            counts: vec![0; groups * layout.dim_cells],
            weights: vec![0.0; wcells],
            weights_sq: vec![0.0; wcells],
            missing: vec![0; groups * k],
            pairs: vec![0.0; groups * layout.pair_cells],
            respondents: vec![0; groups],
            excluded: vec![0; groups],
            weight: vec![0.0; groups],
            weight_sq: vec![0.0; groups],
            comp: [
                CompensatedCells::new(wcells),
                CompensatedCells::new(wcells),
                CompensatedCells::new(groups * layout.pair_cells),
                CompensatedCells::new(groups),
                CompensatedCells::new(groups),
            ],
            layout,
            require_all,
            groups,
            weighted,
        }
    }

    /// Add every row of `data` (row `i` to group `group_of(i)`), with optional weights: by
    /// answer patterns when the dimensions have few points, else row by row.
    fn add<T: Rating, A: Answers<T> + Sync>(
        &mut self,
        data: &A,
        group_of: impl Fn(usize) -> Result<usize> + Sync,
        weights: Option<&[f64]>,
    ) -> Result<()> {
        match Patterns::of(&self.layout, self.groups) {
            Some(patterns) => self.add_patterns(patterns, data, group_of, weights),
            None => self.add_rows(data, 0..data.rows(), group_of, weights),
        }
    }

    /// Row by row: classify each answer, then add the row as a cell of count 1.
    fn add_rows<T: Rating, A: Answers<T>>(
        &mut self,
        data: &A,
        rows: std::ops::Range<usize>,
        group_of: impl Fn(usize) -> Result<usize>,
        weights: Option<&[f64]>,
    ) -> Result<()> {
        let mut point = vec![MISSING; self.layout.points.len()];
        for i in rows {
            let g = group_of(i)?;
            let answered = self.classify(data, i, &mut point)?;
            let w = match weights {
                Some(ws) if answered > 0 => {
                    check_weight(i, ws[i])?;
                    ws[i]
                }
                _ => 1.0,
            };
            self.add_cell(g, &point, 1, w, w * w);
        }
        Ok(())
    }

    /// The scale index of each answer of row `i` (or [`MISSING`]) and how many were answered.
    fn classify<T: Rating, A: Answers<T>>(
        &self,
        data: &A,
        i: usize,
        point: &mut [usize],
    ) -> Result<usize> {
        let mut answered = 0;
        for (j, slot) in point.iter_mut().enumerate() {
            let v = data.get(i, j);
            let (scale, points) = (&self.layout.scales[j], self.layout.points[j]);
            *slot = match v.point(i64::from(scale.lowest()), points) {
                Some(p) => p,
                None => v.locate(scale, i)?.unwrap_or(MISSING),
            };
            answered += usize::from(*slot != MISSING);
        }
        Ok(answered)
    }

    /// By patterns: one code per row for its answers to every dimension (computed a dimension
    /// at a time over blocks of rows), one counter per (group, pattern), and the patterns
    /// added as cells at the end. On a bad value the block is read again row by row, so the
    /// error reported is the first in row order, as [`Accumulator::add_rows`] reports it.
    fn add_patterns<T: Rating, A: Answers<T> + Sync>(
        &mut self,
        p: Patterns,
        data: &A,
        group_of: impl Fn(usize) -> Result<usize> + Sync,
        weights: Option<&[f64]>,
    ) -> Result<()> {
        let n_rows = data.rows();
        let cells = p.cells;
        let parallel = weights.is_none()
            && n_rows >= 2 * PARALLEL_CHUNK
            && rayon::current_num_threads() > 1
            && self.groups * cells <= PARALLEL_MAX_CELLS;
        let (counts, wsum, w2sum) = if parallel {
            // Unweighted counts are integers, so the order in which threads add them cannot
            // change the result. On an error, the sequential pass finds the first in row order.
            use rayon::prelude::*;
            let empty = || vec![0u64; self.groups * cells];
            let counted = (0..n_rows.div_ceil(PARALLEL_CHUNK))
                .into_par_iter()
                .try_fold(empty, |mut acc, chunk| {
                    let rows = chunk * PARALLEL_CHUNK..((chunk + 1) * PARALLEL_CHUNK).min(n_rows);
                    self.count_patterns(
                        &p,
                        data,
                        rows,
                        &group_of,
                        None,
                        &mut acc,
                        &mut [],
                        &mut [],
                    )?;
                    Ok::<_, CxError>(acc)
                })
                .try_reduce(empty, |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    Ok(a)
                });
            match counted {
                Ok(c) => (c, vec![], vec![]),
                Err(_) => {
                    let mut acc = empty();
                    self.count_patterns(
                        &p,
                        data,
                        0..n_rows,
                        &group_of,
                        None,
                        &mut acc,
                        &mut [],
                        &mut [],
                    )?;
                    (acc, vec![], vec![])
                }
            }
        } else {
            let mut counts = vec![0u64; self.groups * cells];
            let (mut wsum, mut w2sum) = match weights {
                Some(_) => (
                    vec![0.0; self.groups * cells],
                    vec![0.0; self.groups * cells],
                ),
                None => (vec![], vec![]),
            };
            self.count_patterns(
                &p,
                data,
                0..n_rows,
                &group_of,
                weights,
                &mut counts,
                &mut wsum,
                &mut w2sum,
            )?;
            (counts, wsum, w2sum)
        };
        let k = self.layout.points.len();
        let mut point = vec![MISSING; k];
        for g in 0..self.groups {
            for code in 0..cells {
                let c = counts[g * cells + code];
                if c == 0 {
                    continue;
                }
                for (j, slot) in point.iter_mut().enumerate() {
                    let digit = code / p.stride[j] % (self.layout.points[j] + 1);
                    *slot = if digit == 0 { MISSING } else { digit - 1 };
                }
                let (w, w2) = if weights.is_some() {
                    (wsum[g * cells + code], w2sum[g * cells + code])
                } else {
                    (c as f64, c as f64)
                };
                self.add_cell(g, &point, c, w, w2);
            }
        }
        Ok(())
    }

    /// Count the patterns of rows `rows` per group into `counts` (and, with weights, their sums
    /// of weights and squared weights), a block of rows at a time.
    #[allow(clippy::too_many_arguments)]
    fn count_patterns<T: Rating, A: Answers<T>>(
        &self,
        p: &Patterns,
        data: &A,
        rows: std::ops::Range<usize>,
        group_of: &impl Fn(usize) -> Result<usize>,
        weights: Option<&[f64]>,
        counts: &mut [u64],
        wsum: &mut [f64],
        w2sum: &mut [f64],
    ) -> Result<()> {
        const BLOCK: usize = 2048;
        let cells = p.cells;
        let mut codes = [0usize; BLOCK];
        // compensated sums of weights per pattern (`crate::compensated`), folded in at the end
        let (mut c_wsum, mut c_w2sum) = (
            CompensatedCells::new(wsum.len()),
            CompensatedCells::new(w2sum.len()),
        );
        for start in rows.clone().step_by(BLOCK) {
            let end = (start + BLOCK).min(rows.end);
            let block = &mut codes[..end - start];
            block.fill(0);
            if let Err(e) = self.code_block(p, data, start..end, block) {
                // The same block row by row finds the first error in row order (a bad group or
                // weight may come before the bad value).
                let mut probe = Accumulator::new(self.layout.clone(), self.require_all, 1, false);
                probe.add_rows(data, start..end, |i| group_of(i).map(|_| 0), weights)?;
                return Err(e);
            }
            match weights {
                None => {
                    for (i, &code) in (start..end).zip(block.iter()) {
                        counts[group_of(i)? * cells + code] += 1;
                    }
                }
                Some(ws) => {
                    for (i, &code) in (start..end).zip(block.iter()) {
                        let cell = group_of(i)? * cells + code;
                        counts[cell] += 1;
                        if code != 0 {
                            let w = ws[i];
                            check_weight(i, w)?;
                            c_wsum.add(wsum, cell, w);
                            c_w2sum.add(w2sum, cell, w * w);
                        }
                    }
                }
            }
        }
        c_wsum.finish(wsum);
        c_w2sum.finish(w2sum);
        Ok(())
    }

    /// The pattern code of rows `rows` into `codes`: Σₖ (point + 1, or 0 if missing) · strideₖ,
    /// one dimension at a time (a tight loop over one column).
    fn code_block<T: Rating, A: Answers<T>>(
        &self,
        p: &Patterns,
        data: &A,
        rows: std::ops::Range<usize>,
        codes: &mut [usize],
    ) -> Result<()> {
        for (j, &stride) in p.stride.iter().enumerate() {
            let (scale, points) = (&self.layout.scales[j], self.layout.points[j]);
            let lowest = i64::from(scale.lowest());
            for (offset, (code, v)) in codes
                .iter_mut()
                .zip(data.column(j, rows.clone()))
                .enumerate()
            {
                let digit = match v.point(lowest, points) {
                    Some(p) => p + 1,
                    None => v.locate(scale, rows.start + offset)?.map_or(0, |p| p + 1),
                };
                *code += digit * stride;
            }
        }
        Ok(())
    }

    /// Add `count` respondents of group `g` who gave the answers `point` (scale indexes, or
    /// [`MISSING`]), with sums of weights `w` and of squared weights `w2`.
    fn add_cell(&mut self, g: usize, point: &[usize], count: u64, w: f64, w2: f64) {
        let k = point.len();
        let mut answered = 0;
        for (j, &p) in point.iter().enumerate() {
            if p == MISSING {
                self.missing[g * k + j] += count;
            } else {
                answered += 1;
            }
        }
        if answered == 0 || (self.require_all && answered < k) {
            self.excluded[g] += count;
            return;
        }
        self.respondents[g] += count;
        let [c_weights, c_weights_sq, c_pairs, c_weight, c_weight_sq] = &mut self.comp;
        c_weight.add(&mut self.weight, g, w);
        c_weight_sq.add(&mut self.weight_sq, g, w2);
        let dim_base = g * self.layout.dim_cells;
        for (j, &p) in point.iter().enumerate() {
            if p != MISSING {
                let cell = dim_base + self.layout.dim_offset[j] + p;
                self.counts[cell] += count;
                if self.weighted {
                    c_weights.add(&mut self.weights, cell, w);
                    c_weights_sq.add(&mut self.weights_sq, cell, w2);
                }
            }
        }
        let pair_base = g * self.layout.pair_cells;
        let mut pair = 0;
        for a in 0..k {
            let pa = point[a];
            if pa == MISSING {
                pair += k - a - 1;
                continue;
            }
            for (b, &pb) in point.iter().enumerate().skip(a + 1) {
                if pb != MISSING {
                    let cell =
                        pair_base + self.layout.pair_offset[pair] + pa * self.layout.points[b] + pb;
                    c_pairs.add(&mut self.pairs, cell, w2);
                }
                pair += 1;
            }
        }
    }

    /// The summaries, one per group.
    fn finish(mut self, dims: &[Dimension]) -> Vec<CxSummary> {
        let [c_weights, c_weights_sq, c_pairs, c_weight, c_weight_sq] =
            std::mem::take(&mut self.comp);
        c_weights.finish(&mut self.weights);
        c_weights_sq.finish(&mut self.weights_sq);
        c_pairs.finish(&mut self.pairs);
        c_weight.finish(&mut self.weight);
        c_weight_sq.finish(&mut self.weight_sq);
        let k = dims.len();
        let l = &self.layout;
        (0..self.groups)
            .map(|g| {
                let tallies = (0..k)
                    .map(|j| {
                        let cells = g * l.dim_cells + l.dim_offset[j]
                            ..g * l.dim_cells + l.dim_offset[j] + l.points[j];
                        let counts = self.counts[cells.clone()].to_vec();
                        let (weights, weights_sq) = if self.weighted {
                            (
                                self.weights[cells.clone()].to_vec(),
                                self.weights_sq[cells].to_vec(),
                            )
                        } else {
                            let w: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
                            (w.clone(), w)
                        };
                        Tally::from_parts(
                            l.scales[j],
                            counts,
                            weights,
                            weights_sq,
                            self.missing[g * k + j],
                        )
                    })
                    .collect();
                let pairs = (0..l.pair_offset.len())
                    .map(|p| {
                        let start = g * l.pair_cells + l.pair_offset[p];
                        let len = if p + 1 < l.pair_offset.len() {
                            l.pair_offset[p + 1] - l.pair_offset[p]
                        } else {
                            l.pair_cells - l.pair_offset[p]
                        };
                        self.pairs[start..start + len].to_vec()
                    })
                    .collect();
                CxSummary {
                    dims: dims.to_vec(),
                    require_all: self.require_all,
                    tallies,
                    pairs,
                    respondents: self.respondents[g],
                    excluded: self.excluded[g],
                    weight: self.weight[g],
                    weight_sq: self.weight_sq[g],
                }
            })
            .collect()
    }
}

/// The one-pass, mergeable, serialisable summary of K experience dimensions answered by the
/// same respondents: the input of [`cx_index`](fn@crate::cx_index). See the module documentation
/// for what it keeps and the missing-answer rule.
///
/// # Examples
/// ```
/// use cx_core::{CxSummary, Dimension};
/// let effectiveness = [5.0, 4.0, 2.0, f64::NAN];
/// let ease = [4.0, 4.0, 1.0, 3.0];
/// let emotion = [5.0, 3.0, 2.0, f64::NAN];
/// let s = CxSummary::from_columns(Dimension::defaults(), &[&effectiveness, &ease, &emotion], None, false)?;
/// assert_eq!(s.n(), 4);                          // every row answered something
/// assert_eq!(s.tally(0).n(), 3);                 // effectiveness: one missing answer
/// let all = CxSummary::from_columns(Dimension::defaults(), &[&effectiveness, &ease, &emotion], None, true)?;
/// assert_eq!((all.n(), all.missing()), (3, 1)); // require_all leaves the fourth row out
/// let mut merged = s.clone();
/// merged.merge(&s)?;
/// assert_eq!(merged.n(), 8);
/// assert_eq!(CxSummary::from_json(&s.to_json())?, s);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SummaryRepr", into = "SummaryRepr")]
pub struct CxSummary {
    dims: Vec<Dimension>,
    require_all: bool,
    tallies: Vec<Tally>,
    pairs: Vec<Vec<f64>>,
    respondents: u64,
    excluded: u64,
    weight: f64,
    weight_sq: f64,
}

/// The `format` tag of a serialised CX summary.
pub const CX_SUMMARY_FORMAT: &str = "cxkit.cx_summary";

/// Serialised form of a [`CxSummary`], validated on the way in.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryRepr {
    format: String,
    version: u32,
    dimensions: Vec<Dimension>,
    require_all: bool,
    respondents: u64,
    excluded: u64,
    weight: f64,
    weight_sq: f64,
    tallies: Vec<Tally>,
    pairs: Vec<Vec<f64>>,
}

impl From<CxSummary> for SummaryRepr {
    fn from(s: CxSummary) -> Self {
        SummaryRepr {
            format: CX_SUMMARY_FORMAT.into(),
            version: 1,
            dimensions: s.dims,
            require_all: s.require_all,
            respondents: s.respondents,
            excluded: s.excluded,
            weight: s.weight,
            weight_sq: s.weight_sq,
            tallies: s.tallies,
            pairs: s.pairs,
        }
    }
}

impl TryFrom<SummaryRepr> for CxSummary {
    type Error = CxError;
    fn try_from(r: SummaryRepr) -> Result<Self> {
        if r.format != CX_SUMMARY_FORMAT || r.version != 1 {
            return Err(CxError::unreadable(format!(
                "format {:?} version {} is not a CX summary this build reads \
                 ({CX_SUMMARY_FORMAT:?} version 1)",
                r.format, r.version
            )));
        }
        check_dimensions(&r.dimensions).map_err(|e| CxError::unreadable(e.to_string()))?;
        let layout = Layout::new(&r.dimensions);
        let bad = |what: String| Err(CxError::unreadable(what));
        if r.tallies.len() != r.dimensions.len() {
            return bad(format!(
                "{} tallies for {} dimensions",
                r.tallies.len(),
                r.dimensions.len()
            ));
        }
        for (t, d) in r.tallies.iter().zip(&r.dimensions) {
            if t.scale() != d.scale {
                return bad(format!("the tally of {:?} is on another scale", d.name));
            }
            if t.n() > r.respondents || (r.require_all && t.n() != r.respondents) {
                return bad(format!(
                    "the tally of {:?} counts {} respondents, inconsistent with {}",
                    d.name,
                    t.n(),
                    r.respondents
                ));
            }
        }
        if r.pairs.len() != layout.pair_offset.len() {
            return bad(format!(
                "{} pair tables for {} dimensions",
                r.pairs.len(),
                r.dimensions.len()
            ));
        }
        let k = r.dimensions.len();
        let mut p = 0;
        for a in 0..k {
            for b in a + 1..k {
                if r.pairs[p].len() != layout.points[a] * layout.points[b] {
                    return bad(format!("pair table {p} has the wrong number of cells"));
                }
                p += 1;
            }
        }
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        if !r.pairs.iter().flatten().all(|&x| ok(x)) || !ok(r.weight) || !ok(r.weight_sq) {
            return bad("weight sums must be finite and >= 0".into());
        }
        if r.respondents.checked_add(r.excluded).is_none() {
            return bad("counts overflow 64 bits".into());
        }
        Ok(CxSummary {
            dims: r.dimensions,
            require_all: r.require_all,
            tallies: r.tallies,
            pairs: r.pairs,
            respondents: r.respondents,
            excluded: r.excluded,
            weight: r.weight,
            weight_sq: r.weight_sq,
        })
    }
}

/// The most numbers one CX summary (or all the groups' summaries together) may hold.
fn check_size(layout: &Layout, groups: usize) -> Result<()> {
    match layout.size().checked_mul(groups.max(1)) {
        Some(n) if n <= MAX_CELLS => Ok(()),
        _ => Err(CxError::InvalidArgument {
            name: "dims",
            value: format!(
                "{} dimensions of {:?} points x {groups} groups",
                layout.points.len(),
                layout.points
            ),
            expected: format!(
                "at most {MAX_CELLS} summary cells in all (fewer dimensions, groups or periods)"
            ),
        }),
    }
}

impl CxSummary {
    /// An empty summary of `dims` under the missing-answer rule `require_all`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for no dimension, an empty or repeated name, or dimensions
    /// whose pair tables would exceed the memory cap.
    pub fn new(dims: Vec<Dimension>, require_all: bool) -> Result<CxSummary> {
        check_dimensions(&dims)?;
        let layout = Layout::new(&dims);
        check_size(&layout, 1)?;
        Ok(Accumulator::new(layout, require_all, 1, false)
            .finish(&dims)
            .pop()
            .expect("one group"))
    }

    /// The summary of answers given as one column per dimension (`columns[k][i]` is respondent
    /// `i`'s answer to dimension `k`; NaN is missing), with optional respondent weights.
    ///
    /// # Errors
    /// As [`CxSummary::new`]; [`CxError::LengthMismatch`] when the columns differ in length from
    /// each other (naming dimensions by position), from `dims`, or from `weights`;
    /// [`CxError::OutOfScale`] / [`CxError::NonInteger`] naming the respondent (row) and the
    /// value; [`CxError::InvalidWeight`].
    pub fn from_columns<T: Rating>(
        dims: Vec<Dimension>,
        columns: &[&[T]],
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> Result<CxSummary> {
        check_dimensions(&dims)?;
        check_columns(&dims, columns)?;
        let data = Columns(columns);
        check_weights(data.rows(), weights)?;
        build(dims, &data, weights, require_all)
    }

    /// The summary of a two-dimensional array of answers: rows are respondents, columns the
    /// dimensions in the order of `dims`.
    ///
    /// # Errors
    /// As [`CxSummary::from_columns`].
    ///
    /// # Examples
    /// ```
    /// use cx_core::{cx_index, CxOptions, CxSummary, Dimension};
    /// let answers = ndarray::array![[5.0, 4.0, 4.0], [2.0, 1.0, f64::NAN], [4.0, 4.0, 2.0]];
    /// let s = CxSummary::from_rows(Dimension::defaults(), answers.view(), None, false)?;
    /// assert_eq!((s.n(), s.tally(2).n()), (3, 2));
    /// let r = cx_index(&s, &CxOptions::default())?;
    /// assert_eq!(r.weakest, "emotion");
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    #[cfg(feature = "ndarray")]
    pub fn from_rows<T: Rating>(
        dims: Vec<Dimension>,
        answers: ndarray::ArrayView2<'_, T>,
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> Result<CxSummary> {
        check_dimensions(&dims)?;
        check_matrix(&dims, answers.ncols())?;
        check_weights(answers.nrows(), weights)?;
        build(dims, &answers, weights, require_all)
    }

    /// Add answers given as columns (as [`CxSummary::from_columns`]); on error the summary is
    /// left as it was.
    ///
    /// # Errors
    /// As [`CxSummary::from_columns`].
    pub fn extend<T: Rating>(&mut self, columns: &[&[T]], weights: Option<&[f64]>) -> Result<()> {
        let more = CxSummary::from_columns(self.dims.clone(), columns, weights, self.require_all)?;
        self.merge(&more)
    }

    /// Add one respondent's answers, one per dimension (NaN is missing).
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] when `answers` has not one value per dimension; the value
    /// errors of [`CxSummary::from_columns`] (index 0).
    pub fn push(&mut self, answers: &[f64]) -> Result<()> {
        self.push_weighted(answers, 1.0)
    }

    /// Add one respondent's answers with a weight.
    ///
    /// # Errors
    /// As [`CxSummary::push`]; [`CxError::InvalidWeight`].
    pub fn push_weighted(&mut self, answers: &[f64], weight: f64) -> Result<()> {
        if answers.len() != self.dims.len() {
            return Err(CxError::LengthMismatch {
                left_name: "dims",
                left: self.dims.len(),
                right_name: "answers",
                right: answers.len(),
            });
        }
        let columns: Vec<&[f64]> = answers.iter().map(std::slice::from_ref).collect();
        let w = [weight];
        self.extend(&columns, Some(&w))
    }

    /// Add another summary of the same dimensions under the same rule (another partition): the
    /// result equals the summary of both inputs' data.
    ///
    /// # Errors
    /// [`CxError::ScaleMismatch`] for a dimension on another scale; [`CxError::InvalidArgument`]
    /// for other dimensions or another missing-answer rule.
    pub fn merge(&mut self, other: &CxSummary) -> Result<()> {
        self.ensure_compatible(other)?;
        let mut tallies = self.tallies.clone();
        for (t, o) in tallies.iter_mut().zip(&other.tallies) {
            t.merge(o)?;
        }
        let overflow = || CxError::InvalidArgument {
            name: "other",
            value: "a CX summary".into(),
            expected: "a summary whose merged counts fit in 64 bits".into(),
        };
        let respondents = self
            .respondents
            .checked_add(other.respondents)
            .ok_or_else(overflow)?;
        let excluded = self
            .excluded
            .checked_add(other.excluded)
            .ok_or_else(overflow)?;
        respondents.checked_add(excluded).ok_or_else(overflow)?;
        self.tallies = tallies;
        self.respondents = respondents;
        self.excluded = excluded;
        self.weight += other.weight;
        self.weight_sq += other.weight_sq;
        for (p, o) in self.pairs.iter_mut().zip(&other.pairs) {
            for (x, y) in p.iter_mut().zip(o) {
                *x += y;
            }
        }
        Ok(())
    }

    /// The merge of two summaries as a new value.
    ///
    /// # Errors
    /// As [`CxSummary::merge`].
    pub fn merged(&self, other: &CxSummary) -> Result<CxSummary> {
        let mut s = self.clone();
        s.merge(other)?;
        Ok(s)
    }

    fn ensure_compatible(&self, other: &CxSummary) -> Result<()> {
        let names = |s: &CxSummary| s.dims.iter().map(|d| d.name.clone()).collect::<Vec<_>>();
        if names(self) != names(other) {
            return Err(CxError::InvalidArgument {
                name: "other",
                value: format!("a summary of dimensions {:?}", names(other)),
                expected: format!("the same dimensions {:?}", names(self)),
            });
        }
        for (a, b) in self.dims.iter().zip(&other.dims) {
            a.scale.ensure_same(&b.scale)?;
        }
        if self.require_all != other.require_all {
            return Err(CxError::InvalidArgument {
                name: "other",
                value: format!("a summary with require_all = {}", other.require_all),
                expected: format!(
                    "the same missing-answer rule (require_all = {})",
                    self.require_all
                ),
            });
        }
        Ok(())
    }

    /// An empty summary of the same dimensions and rule.
    pub fn empty_like(&self) -> CxSummary {
        CxSummary::new(self.dims.clone(), self.require_all).expect("dimensions already checked")
    }

    /// The JSON form (`{"format": "cxkit.cx_summary", "version": 1, ...}`), the same in every
    /// language.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a CX summary always serialises")
    }

    /// Read the JSON form written by [`CxSummary::to_json`].
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for text that is not a valid CX summary.
    pub fn from_json(text: &str) -> Result<CxSummary> {
        serde_json::from_str(text).map_err(|e| CxError::unreadable(e.to_string()))
    }

    /// The dimensions, in order.
    pub fn dims(&self) -> &[Dimension] {
        &self.dims
    }

    /// Whether only respondents who answered every dimension are counted.
    pub fn require_all(&self) -> bool {
        self.require_all
    }

    /// The tally of dimension `k` (its respondents, their weights, and its missing answers).
    ///
    /// # Panics
    /// For `k` not below the number of dimensions.
    pub fn tally(&self, k: usize) -> &Tally {
        &self.tallies[k]
    }

    /// Every dimension's tally, in order.
    pub fn tallies(&self) -> &[Tally] {
        &self.tallies
    }

    /// `Σ wᵢ²` of the respondents who answered both dimensions `k` and `l` (`k != l`), per pair of
    /// points, row-major (`p · points_l + q` for point `p` of `k` and `q` of `l`, with `k < l`).
    ///
    /// # Panics
    /// For `k == l` or either not below the number of dimensions.
    pub fn pair(&self, k: usize, l: usize) -> &[f64] {
        assert!(k != l, "a pair of two different dimensions");
        let (a, b) = (k.min(l), k.max(l));
        &self.pairs[pair_index(a, b, self.dims.len())]
    }

    /// Respondents counted: those who answered at least one dimension (every dimension, under
    /// `require_all`).
    pub fn n(&self) -> u64 {
        self.respondents
    }

    /// Rows left out: no answer at all (or, under `require_all`, some answer missing).
    pub fn missing(&self) -> u64 {
        self.excluded
    }

    /// Sum of the weights of the respondents counted.
    pub fn total_weight(&self) -> f64 {
        self.weight
    }

    /// Kish's effective sample size of the respondents counted, `(Σ wᵢ)² / Σ wᵢ²` (0 when every
    /// weight is zero).
    pub fn effective_n(&self) -> f64 {
        if self.weight_sq > 0.0 {
            self.weight * self.weight / self.weight_sq
        } else {
            0.0
        }
    }
}

#[cfg(feature = "ndarray")]
fn check_matrix(dims: &[Dimension], columns: usize) -> Result<()> {
    if columns != dims.len() {
        return Err(CxError::LengthMismatch {
            left_name: "dims",
            left: dims.len(),
            right_name: "columns",
            right: columns,
        });
    }
    Ok(())
}

fn build<T: Rating, A: Answers<T> + Sync>(
    dims: Vec<Dimension>,
    data: &A,
    weights: Option<&[f64]>,
    require_all: bool,
) -> Result<CxSummary> {
    let layout = Layout::new(&dims);
    check_size(&layout, 1)?;
    let mut acc = Accumulator::new(layout, require_all, 1, weights.is_some());
    acc.add(data, |_| Ok(0), weights)?;
    Ok(acc.finish(&dims).pop().expect("one group"))
}

/// One [`CxSummary`] per group, built in one pass over the respondents (as
/// [`GroupedTally`](crate::GroupedTally) is for one item): the input of
/// [`cx_segments`](crate::cx_segments) and, for periods, [`cx_trend`](crate::cx_trend).
///
/// # Examples
/// ```
/// use cx_core::{Dimension, GroupedCxSummary};
/// let region = [0u32, 1, 0, 1];
/// let eff = [5.0, 2.0, 4.0, 3.0];
/// let ease = [4.0, 2.0, 5.0, f64::NAN];
/// let emo = [5.0, 1.0, 4.0, 2.0];
/// let g = GroupedCxSummary::from_columns(Dimension::defaults(), &region, 0, 2, &[&eff, &ease, &emo], None, false)?;
/// assert_eq!((g.group(0).n(), g.group(1).tally(1).n()), (2, 1));
/// assert_eq!(g.total().n(), 4);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedCxSummary {
    empty: CxSummary,
    groups: Vec<CxSummary>,
}

impl GroupedCxSummary {
    /// Empty summaries for `n_groups` groups.
    ///
    /// # Errors
    /// As [`CxSummary::new`]; [`CxError::InvalidArgument`] past the memory cap.
    pub fn new(dims: Vec<Dimension>, n_groups: usize, require_all: bool) -> Result<Self> {
        check_dimensions(&dims)?;
        let layout = Layout::new(&dims);
        check_size(&layout, n_groups)?;
        let empty = CxSummary::new(dims, require_all)?;
        Ok(GroupedCxSummary {
            groups: vec![empty.clone(); n_groups],
            empty,
        })
    }

    /// One summary per group from integer `keys` (key `lowest_key + g` is group `g`, for
    /// `g < n_groups`; dense codes have `lowest_key` 0) and answers given as columns.
    ///
    /// # Errors
    /// As [`CxSummary::from_columns`]; [`CxError::LengthMismatch`] when `keys` and the columns
    /// differ in length; [`CxError::GroupOutOfRange`] for a key outside the groups.
    pub fn from_columns<C: GroupCode, T: Rating>(
        dims: Vec<Dimension>,
        keys: &[C],
        lowest_key: i64,
        n_groups: usize,
        columns: &[&[T]],
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> Result<Self> {
        check_dimensions(&dims)?;
        check_columns(&dims, columns)?;
        let data = Columns(columns);
        build_grouped(
            dims,
            keys,
            lowest_key,
            n_groups,
            &data,
            weights,
            require_all,
        )
    }

    /// One summary per group from integer `keys` and a two-dimensional array of answers (rows
    /// are respondents).
    ///
    /// # Errors
    /// As [`GroupedCxSummary::from_columns`].
    #[cfg(feature = "ndarray")]
    pub fn from_rows<C: GroupCode, T: Rating>(
        dims: Vec<Dimension>,
        keys: &[C],
        lowest_key: i64,
        n_groups: usize,
        answers: ndarray::ArrayView2<'_, T>,
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> Result<Self> {
        check_dimensions(&dims)?;
        check_matrix(&dims, answers.ncols())?;
        build_grouped(
            dims,
            keys,
            lowest_key,
            n_groups,
            &answers,
            weights,
            require_all,
        )
    }

    /// Add another grouped summary of the same dimensions, rule and number of groups.
    ///
    /// # Errors
    /// As [`CxSummary::merge`]; [`CxError::InvalidArgument`] when the numbers of groups differ.
    pub fn merge(&mut self, other: &GroupedCxSummary) -> Result<()> {
        if self.groups.len() != other.groups.len() {
            return Err(CxError::InvalidArgument {
                name: "other",
                value: format!("a grouped summary of {} groups", other.groups.len()),
                expected: format!("the same {} groups as this one", self.groups.len()),
            });
        }
        self.empty.ensure_compatible(&other.empty)?;
        for (a, b) in self.groups.iter_mut().zip(&other.groups) {
            a.merge(b)?;
        }
        Ok(())
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.groups.len()
    }

    /// The summary of group `g`.
    ///
    /// # Panics
    /// For `g` not below the number of groups.
    pub fn group(&self, g: usize) -> &CxSummary {
        &self.groups[g]
    }

    /// Every group's summary, in code order.
    pub fn groups(&self) -> &[CxSummary] {
        &self.groups
    }

    /// An empty summary of the same dimensions and rule.
    pub fn empty(&self) -> &CxSummary {
        &self.empty
    }

    /// The summary of all groups together.
    pub fn total(&self) -> CxSummary {
        let mut t = self.empty.clone();
        for g in &self.groups {
            t.merge(g).expect("same dimensions");
        }
        t
    }
}

fn build_grouped<C: GroupCode, T: Rating, A: Answers<T> + Sync>(
    dims: Vec<Dimension>,
    keys: &[C],
    lowest_key: i64,
    n_groups: usize,
    data: &A,
    weights: Option<&[f64]>,
    require_all: bool,
) -> Result<GroupedCxSummary> {
    if keys.len() != data.rows() {
        return Err(CxError::LengthMismatch {
            left_name: "groups",
            left: keys.len(),
            right_name: "respondents",
            right: data.rows(),
        });
    }
    check_weights(data.rows(), weights)?;
    let layout = Layout::new(&dims);
    check_size(&layout, n_groups)?;
    let empty = CxSummary::new(dims.clone(), require_all)?;
    let mut acc = Accumulator::new(layout, require_all, n_groups, weights.is_some());
    let group_of = |i: usize| {
        let key = keys[i].key();
        let g = key.wrapping_sub(lowest_key) as u64;
        if g < n_groups as u64 {
            Ok(g as usize)
        } else {
            Err(CxError::GroupOutOfRange {
                index: i,
                group: key.saturating_sub(lowest_key),
                groups: n_groups,
            })
        }
    };
    acc.add(data, group_of, weights)?;
    Ok(GroupedCxSummary {
        groups: acc.finish(&dims),
        empty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_index_is_dense_and_ordered() {
        for k in 1..7 {
            let mut expect = 0;
            for a in 0..k {
                for b in a + 1..k {
                    assert_eq!(pair_index(a, b, k), expect);
                    expect += 1;
                }
            }
        }
    }

    #[test]
    fn pair_tables_count_both_answered() {
        let a = [1.0, 5.0, f64::NAN, 4.0];
        let b = [2.0, 5.0, 3.0, f64::NAN];
        let c = [1.0, f64::NAN, 5.0, 4.0];
        let dims = Dimension::all_on(&["a", "b", "c"], Scale::agreement());
        let s = CxSummary::from_columns(dims, &[&a, &b, &c], Some(&[2.0, 1.0, 3.0, 0.5]), false)
            .unwrap();
        // (a, b): rows 0 and 1 answered both: cells (0, 1) and (4, 4)
        let ab = s.pair(0, 1);
        assert_eq!(ab[1], 4.0);
        assert_eq!(ab[4 * 5 + 4], 1.0);
        assert_eq!(ab.iter().sum::<f64>(), 5.0);
        // (b, c): rows 0 and 2: cells (1, 0) and (2, 4)
        assert_eq!(s.pair(2, 1), s.pair(1, 2));
        assert_eq!((s.pair(1, 2)[5], s.pair(1, 2)[2 * 5 + 4]), (4.0, 9.0));
        assert_eq!(s.n(), 4);
        assert_eq!(s.tally(2).missing(), 1);
        assert_eq!(s.total_weight(), 6.5);
    }

    /// Both accumulation paths on the same columns: (patterns, rows) summaries or errors.
    fn both_paths(
        dims: &[Dimension],
        cols: &[&[f64]],
        groups: &[u32],
        n_groups: usize,
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> (Result<Vec<CxSummary>>, Result<Vec<CxSummary>>) {
        let layout = Layout::new(dims);
        let data = Columns(cols);
        let group_of = |i: usize| {
            let g = groups[i] as usize;
            if g < n_groups {
                Ok(g)
            } else {
                Err(CxError::GroupOutOfRange {
                    index: i,
                    group: g as i64,
                    groups: n_groups,
                })
            }
        };
        let run = |patterns: bool| {
            let mut acc =
                Accumulator::new(layout.clone(), require_all, n_groups, weights.is_some());
            if patterns {
                let p = Patterns::of(&layout, n_groups).expect("few patterns");
                acc.add_patterns(p, &data, group_of, weights)?;
            } else {
                acc.add_rows(&data, 0..data.rows(), group_of, weights)?;
            }
            Ok(acc.finish(dims))
        };
        (run(true), run(false))
    }

    #[test]
    fn weights_over_many_magnitudes_are_summed_exactly_on_both_paths() {
        // a million respondents of weight 1 after one of weight 1e16: naive sums drop every 1
        let n = 1_000_001;
        let weights: Vec<f64> = (0..n).map(|i| if i == 0 { 1e16 } else { 1.0 }).collect();
        let a: Vec<f64> = (0..n).map(|i| f64::from(1 + (i % 5) as u8)).collect();
        let b = vec![4.0; n];
        let want: f64 = 1e16 + 1e6;
        let check = |s: &CxSummary| {
            assert_eq!(s.total_weight(), want);
            assert_eq!(s.tally(1).total_weight(), want);
            let per_point: f64 = s.tally(0).weights().iter().sum();
            assert_eq!(per_point, want);
            // the pair table of (a, b) holds the squared weights: 1e32 + 1e6
            let pairs: f64 = s.pair(0, 1).iter().sum();
            assert_eq!(pairs, 1e32 + 1e6);
        };
        // few points: by answer patterns
        let dims = Dimension::all_on(&["a", "b"], Scale::agreement());
        check(&CxSummary::from_columns(dims, &[&a, &b], Some(&weights), false).unwrap());
        // very many points: row by row
        let wide = Scale::new(0, 100).unwrap();
        let dims = Dimension::all_on(&["a", "b", "c", "d", "e"], wide);
        assert!(Patterns::of(&Layout::new(&dims), 1).is_none());
        let cols: [&[f64]; 5] = [&a, &b, &b, &b, &b];
        check(&CxSummary::from_columns(dims, &cols, Some(&weights), false).unwrap());
    }

    #[test]
    fn patterns_equal_rows() {
        let dims = vec![
            Dimension::new("a", Scale::agreement()),
            Dimension::new("b", Scale::ces()),
            Dimension::new("c", Scale::new(0, 10).unwrap()),
        ];
        let mut s = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let n = 5000; // more than two blocks
        let mut cols = vec![vec![]; 3];
        let mut groups = vec![];
        let mut weights = vec![];
        for _ in 0..n {
            for (c, d) in cols.iter_mut().zip(&dims) {
                let r = next();
                c.push(if r % 13 == 0 {
                    f64::NAN
                } else {
                    f64::from(d.scale.lowest()) + (r % d.scale.points() as u64) as f64
                });
            }
            groups.push((next() % 4) as u32);
            weights.push(0.5 + (next() % 4) as f64);
        }
        let slices: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        for require_all in [false, true] {
            let (p, r) = both_paths(&dims, &slices, &groups, 4, None, require_all);
            assert_eq!(p.unwrap(), r.unwrap());
            let (p, r) = both_paths(&dims, &slices, &groups, 4, Some(&weights), require_all);
            let (p, r) = (p.unwrap(), r.unwrap());
            for (a, b) in p.iter().zip(&r) {
                assert_eq!((a.n(), a.missing()), (b.n(), b.missing()));
                assert!((a.total_weight() - b.total_weight()).abs() < 1e-9);
                for k in 0..3 {
                    assert_eq!(a.tally(k).counts(), b.tally(k).counts());
                    assert_eq!(a.tally(k).missing(), b.tally(k).missing());
                    for (x, y) in a.tally(k).weights_sq().iter().zip(b.tally(k).weights_sq()) {
                        assert!((x - y).abs() < 1e-9);
                    }
                }
                for (x, y) in a.pair(0, 2).iter().zip(b.pair(0, 2)) {
                    assert!((x - y).abs() < 1e-9);
                }
            }
        }
        // Errors: the first in row order, whichever path finds it.
        let mut bad = cols.clone();
        bad[2][4100] = 11.0; // a later dimension, a later row
        bad[0][4200] = 0.0;
        let mut bad_w = weights.clone();
        bad_w[4099] = -1.0;
        let mut bad_g = groups.clone();
        bad_g[4098] = 9;
        let slices: Vec<&[f64]> = bad.iter().map(Vec::as_slice).collect();
        for (g, w) in [
            (&groups, None),
            (&groups, Some(&weights)),
            (&groups, Some(&bad_w)),
            (&bad_g, Some(&bad_w)),
        ] {
            let (p, r) = both_paths(&dims, &slices, g, 4, w.map(Vec::as_slice), false);
            assert_eq!(p.unwrap_err(), r.unwrap_err());
        }
        let (p, _) = both_paths(&dims, &slices, &bad_g, 4, Some(&bad_w), false);
        assert_eq!(p.unwrap_err().code(), "group_out_of_range");
        let (p, _) = both_paths(&dims, &slices, &groups, 4, None, false);
        assert_eq!(
            p.unwrap_err(),
            CxError::OutOfScale {
                index: 4100,
                value: 11.0,
                lowest: 0,
                highest: 10
            }
        );
    }

    /// Parallel counting (unweighted, large inputs) equals one thread, and reports the first
    /// bad row.
    #[test]
    fn parallel_counting_equals_one_thread() {
        let n = 2 * PARALLEL_CHUNK + 12_345;
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let mut cols: Vec<Vec<u8>> = (0..3)
            .map(|_| (0..n).map(|_| 1 + (next() % 5) as u8).collect())
            .collect();
        let groups: Vec<u32> = (0..n).map(|_| (next() % 7) as u32).collect();
        let dims = Dimension::defaults();
        let run = |threads: usize, cols: &[Vec<u8>]| {
            let slices: Vec<&[u8]> = cols.iter().map(Vec::as_slice).collect();
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    GroupedCxSummary::from_columns(dims.clone(), &groups, 0, 7, &slices, None, true)
                })
        };
        assert_eq!(run(3, &cols).unwrap(), run(1, &cols).unwrap());
        cols[1][n - 5] = 9;
        cols[2][PARALLEL_CHUNK + 3] = 0;
        let e = run(3, &cols).unwrap_err();
        assert_eq!(e, run(1, &cols).unwrap_err());
        assert_eq!(
            e,
            CxError::OutOfScale {
                index: PARALLEL_CHUNK + 3,
                value: 0.0,
                lowest: 1,
                highest: 5
            }
        );
    }

    #[test]
    fn bad_shapes_are_errors() {
        let dims = Dimension::defaults();
        let short: &[f64] = &[1.0, 2.0];
        let long: &[f64] = &[1.0, 2.0, 3.0];
        let e =
            CxSummary::from_columns(dims.clone(), &[long, short, long], None, false).unwrap_err();
        assert_eq!(
            e,
            CxError::LengthMismatch {
                left_name: "dimension 1",
                left: 3,
                right_name: "dimension 2",
                right: 2
            }
        );
        let e = CxSummary::from_columns(dims.clone(), &[long, long], None, false).unwrap_err();
        assert_eq!(e.code(), "length_mismatch");
        let e = CxSummary::from_columns(dims.clone(), &[long; 3], Some(&[1.0]), false).unwrap_err();
        assert_eq!(e.code(), "length_mismatch");
        let mut twice = dims.clone();
        twice[2].name = "ease".into();
        assert_eq!(
            CxSummary::new(twice, false).unwrap_err().code(),
            "invalid_argument"
        );
        assert_eq!(
            CxSummary::new(vec![], false).unwrap_err().code(),
            "invalid_argument"
        );
        let e = CxSummary::from_columns(dims, &[long, &[1.0, 6.0, 3.0], long], None, false)
            .unwrap_err();
        assert_eq!(
            e,
            CxError::OutOfScale {
                index: 1,
                value: 6.0,
                lowest: 1,
                highest: 5
            }
        );
        assert_eq!(dimension_label(20), "a later dimension");
    }
}
