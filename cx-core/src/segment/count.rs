//! The grouped counting kernels behind
//! [`GroupedTally::from_values`](super::GroupedTally::from_values): one pass over the rows,
//! split across threads for large inputs, through narrow counters in blocks that vectorise.

use crate::error::{CxError, Result};
use crate::grouping::GroupCode;
use crate::kernels::floats::INVALID;
use crate::kernels::{Body, Isa};
use crate::scale::Scale;
use crate::tally::Rating;

/// The most (group, point) cells a grouped tally may hold (about 800 MB of sums): more is
/// almost surely a key or date column mistaken for something else, and would exhaust memory.
pub const MAX_CELLS: usize = 1 << 25;

pub(super) fn check_cells(scale: Scale, n_groups: usize) -> Result<()> {
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
pub(super) fn group_index<C: GroupCode>(key: C, lowest_key: i64, n_groups: usize) -> Option<usize> {
    let g = key.key().wrapping_sub(lowest_key) as u64;
    (g < n_groups as u64).then_some(g as usize)
}

pub(super) fn out_of_range<C: GroupCode>(
    index: usize,
    key: C,
    lowest_key: i64,
    n_groups: usize,
) -> CxError {
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
pub(super) fn count_groups<C: GroupCode, T: Rating>(
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

#[cfg(test)]
mod tests {
    use super::*;

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
