//! The one-pass accumulation of CX summaries: the flat [`Layout`] of a summary's cells, answer
//! [`Patterns`], and the [`Accumulator`] that fills G summaries at once (counting patterns in
//! parallel for large unweighted inputs).

use super::answers::Answers;
use super::dimension::Dimension;
use super::CxSummary;
use crate::compensated::CompensatedCells;
use crate::error::{CxError, Result};
use crate::scale::Scale;
use crate::segment::MAX_CELLS;
use crate::tally::{check_weight, Rating, Tally};

/// Where each dimension's and each pair's cells sit in a flat per-group block.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    scales: Vec<Scale>,
    pub(super) points: Vec<usize>,
    /// Start of dimension k's points in the per-dimension cells.
    dim_offset: Vec<usize>,
    dim_cells: usize,
    /// Start of pair (k, l), k < l, in the pair cells (pair order: (0,1), (0,2), ..., (1,2), ...).
    pub(super) pair_offset: Vec<usize>,
    pub(super) pair_cells: usize,
}

impl Layout {
    pub(super) fn new(dims: &[Dimension]) -> Layout {
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
pub(super) const PARALLEL_CHUNK: usize = 1 << 20;
/// Counting in parallel keeps one pattern table per task: not above this many cells.
const PARALLEL_MAX_CELLS: usize = 1 << 20;

/// Answer patterns: every combination of (point or missing) over the dimensions, coded in
/// mixed radix, when there are few enough of them to count each (125 + 91 = 216 for the
/// default three 5-point dimensions).
pub(super) struct Patterns {
    stride: Vec<usize>,
    cells: usize,
}

impl Patterns {
    /// Patterns per group at most (a counter and two weight sums each: 96 KiB).
    const MAX_CELLS: usize = 1 << 12;
    /// (group, pattern) counters at most; more groups are counted row by row.
    const MAX_TOTAL: usize = 1 << 24;

    pub(super) fn of(layout: &Layout, groups: usize) -> Option<Patterns> {
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
pub(super) struct Accumulator {
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
    pub(super) fn new(
        layout: Layout,
        require_all: bool,
        groups: usize,
        weighted: bool,
    ) -> Accumulator {
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
    pub(super) fn add<T: Rating, A: Answers<T> + Sync>(
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
    pub(super) fn add_rows<T: Rating, A: Answers<T>>(
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
    pub(super) fn add_patterns<T: Rating, A: Answers<T> + Sync>(
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
    pub(super) fn finish(mut self, dims: &[Dimension]) -> Vec<CxSummary> {
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

/// The most numbers one CX summary (or all the groups' summaries together) may hold.
pub(super) fn check_size(layout: &Layout, groups: usize) -> Result<()> {
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

pub(super) fn build<T: Rating, A: Answers<T> + Sync>(
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
