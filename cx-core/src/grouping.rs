//! Group keys to dense group codes: factorize one key column, combine several (region ×
//! channel) into one code per present combination.
//!
//! Codes are dense (`0..n_groups`) and sorted: labels in ascending order with the missing key
//! last, combinations in lexicographic order of their columns. The same input therefore gives
//! the same group order in Rust, Python and Node.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use crate::error::{check_len, CxError, Result};

/// The label of the group of rows whose key is missing (None, NaN, null).
pub const MISSING_LABEL: &str = "(missing)";

/// One group key: an integer, a string, or missing. Sorts integers first, then strings, then
/// the missing key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(inline))]
pub enum Key {
    /// An integer key.
    Int(i64),
    /// A string key.
    Str(String),
    /// A missing key, labelled `(missing)`.
    Missing,
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "{i}"),
            Key::Str(s) => f.write_str(s),
            Key::Missing => f.write_str(MISSING_LABEL),
        }
    }
}

/// Dense codes for one key column, with the sorted distinct labels (`None` is missing, last).
///
/// # Examples
/// ```
/// use cx_core::grouping::factorize;
/// let (codes, labels) = factorize(&[Some("west"), None, Some("east"), Some("west")]);
/// assert_eq!(codes, vec![1, 2, 0, 1]);
/// assert_eq!(labels, vec![Some("east"), Some("west"), None]);
/// ```
pub fn factorize<K: Hash + Eq + Ord + Clone>(keys: &[Option<K>]) -> (Vec<u32>, Vec<Option<K>>) {
    let mut first_seen: HashMap<&Option<K>, u32> = HashMap::new();
    let mut provisional = Vec::with_capacity(keys.len());
    for k in keys {
        let next = first_seen.len() as u32;
        provisional.push(*first_seen.entry(k).or_insert(next));
    }
    let mut labels: Vec<(&Option<K>, u32)> = first_seen.into_iter().collect();
    // Some(..) sorted ascending, None last.
    labels.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut remap = vec![0u32; labels.len()];
    for (sorted, (_, prov)) in labels.iter().enumerate() {
        remap[*prov as usize] = sorted as u32;
    }
    let codes = provisional.iter().map(|&p| remap[p as usize]).collect();
    (codes, labels.into_iter().map(|(k, _)| k.clone()).collect())
}

/// An integer type group codes (or integer keys) can arrive in.
pub trait GroupCode: Copy + Send + Sync {
    /// This code as an `i64` (exact for every implementing type).
    fn key(self) -> i64;

    /// The smallest and largest of `keys` as `i64`, or `None` for no keys: one pass, in the
    /// type itself (whose minimum and maximum vectorise) for the built-in types. Not part of
    /// the stable API: see [`key_range`].
    #[doc(hidden)]
    fn range_of(keys: &[Self]) -> Option<(i64, i64)> {
        let fold = |(lo, hi): (i64, i64), k: &Self| (lo.min(k.key()), hi.max(k.key()));
        let (lo, hi) = keys.iter().fold((i64::MAX, i64::MIN), fold);
        (lo <= hi).then_some((lo, hi))
    }
}

macro_rules! group_code {
    ($($t:ty),*) => {$(
        impl GroupCode for $t {
            #[inline]
            fn key(self) -> i64 {
                i64::from(self)
            }

            fn range_of(keys: &[Self]) -> Option<(i64, i64)> {
                let first = *keys.first()?;
                let (lo, hi) = crate::kernels::Isa::best().run(NativeRange(keys, first));
                Some((i64::from(lo), i64::from(hi)))
            }
        }
    )*};
}
group_code!(u8, i8, u16, i16, u32, i32, i64);

/// The minimum and maximum of a slice in its own type (`.1` is any element of it), as work for
/// [`Isa::run`](crate::kernels::Isa::run), which compiles the loop for the processor's vectors.
struct NativeRange<'a, T>(&'a [T], T);

impl<T: Copy + Ord> crate::kernels::Body for NativeRange<'_, T> {
    type Output = (T, T);
    #[inline(always)]
    fn body(self) -> (T, T) {
        // Branch-free selects in independent lanes, so the compiler keeps vectors of minima
        // and maxima.
        self.0.iter().fold((self.1, self.1), |(lo, hi), &k| {
            (if k < lo { k } else { lo }, if k > hi { k } else { hi })
        })
    }
}

/// The smallest and largest key, or `None` for no keys; split across rayon's threads for large
/// inputs.
pub fn key_range<T: GroupCode>(keys: &[T]) -> Option<(i64, i64)> {
    use rayon::prelude::*;
    if keys.len() < 1 << 21 {
        return T::range_of(keys);
    }
    let join = |a: Option<(i64, i64)>, b: Option<(i64, i64)>| match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, b) => a.or(b),
    };
    keys.par_chunks(1 << 20)
        .map(T::range_of)
        .reduce(|| None, join)
}

/// Dense codes for integer keys (no missing values), with the sorted distinct keys: one pass to
/// find the range, a presence table when the range is small (at most 2^24 values), else the
/// hashing [`factorize`].
///
/// # Examples
/// ```
/// use cx_core::grouping::factorize_ints;
/// let (codes, labels) = factorize_ints(&[40i64, 10, 40, 30]);
/// assert_eq!((codes, labels), (vec![2, 0, 2, 1], vec![10, 30, 40]));
/// ```
pub fn factorize_ints<T: GroupCode>(keys: &[T]) -> (Vec<u32>, Vec<i64>) {
    let Some((lo, hi)) = key_range(keys) else {
        return (vec![], vec![]);
    };
    let span = (i128::from(hi) - i128::from(lo) + 1) as u128;
    if span > 1 << 24 {
        let wide: Vec<Option<i64>> = keys.iter().map(|&k| Some(k.key())).collect();
        let (codes, labels) = factorize(&wide);
        return (codes, labels.into_iter().flatten().collect());
    }
    // A presence bitset (an eighth of a byte per possible key, so it stays in cache) and the
    // rank of each key among the present ones: code = keys present below it.
    let span = span as usize;
    let mut present = vec![0u64; span.div_ceil(64)];
    for &k in keys {
        let i = (k.key() - lo) as usize;
        present[i / 64] |= 1u64 << (i % 64);
    }
    let mut below = Vec::with_capacity(present.len());
    let mut labels = Vec::new();
    for (w, &word) in present.iter().enumerate() {
        below.push(labels.len() as u32);
        let mut m = word;
        while m != 0 {
            labels.push(lo + (w * 64 + m.trailing_zeros() as usize) as i64);
            m &= m - 1;
        }
    }
    let code = |&k: &T| {
        let i = (k.key() - lo) as usize;
        below[i / 64] + (present[i / 64] & ((1u64 << (i % 64)) - 1)).count_ones()
    };
    let codes = if keys.len() >= 1 << 21 {
        use rayon::prelude::*;
        keys.par_iter().map(code).collect()
    } else {
        keys.iter().map(code).collect()
    };
    (codes, labels)
}

/// Several code columns combined into one dense code per present combination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// One combined code per row.
    pub codes: Vec<u32>,
    /// For each combined code, the code of each column (lexicographically sorted).
    pub keys: Vec<Vec<u32>>,
}

impl Grouping {
    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.keys.len()
    }
}

/// Combine code columns (each with codes `< cardinality`) into dense codes of the combinations
/// that occur, ordered lexicographically by the column codes.
///
/// # Errors
/// [`CxError::LengthMismatch`] when columns differ in length; [`CxError::GroupOutOfRange`] for a
/// code not below its column's cardinality; [`CxError::InvalidArgument`] without any column.
///
/// # Examples
/// ```
/// use cx_core::grouping::combine;
/// let region = [0u32, 1, 0, 1];
/// let channel = [1u32, 0, 1, 1];
/// let g = combine(&[&region, &channel], &[2, 2])?;
/// assert_eq!(g.codes, vec![0, 1, 0, 2]);
/// assert_eq!(g.keys, vec![vec![0, 1], vec![1, 0], vec![1, 1]]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn combine(columns: &[&[u32]], cardinalities: &[usize]) -> Result<Grouping> {
    let Some(first) = columns.first() else {
        return Err(CxError::InvalidArgument {
            name: "by",
            value: "no key column".into(),
            expected: "at least one key column".into(),
        });
    };
    let rows = first.len();
    check_len(
        "key columns",
        columns.len(),
        "cardinalities",
        cardinalities.len(),
    )?;
    for (c, col) in columns.iter().enumerate() {
        check_len("first key column", rows, "another key column", col.len())?;
        if let Some((index, &code)) = col
            .iter()
            .enumerate()
            .find(|&(_, &k)| k as usize >= cardinalities[c])
        {
            return Err(CxError::GroupOutOfRange {
                index,
                group: i64::from(code),
                groups: cardinalities[c],
            });
        }
    }
    // Mixed-radix number of a row's combination, first column most significant, so numeric
    // order is lexicographic order.
    let product: u128 = cardinalities.iter().map(|&c| c.max(1) as u128).product();
    let radix_key = |row: usize| -> u128 {
        columns
            .iter()
            .zip(cardinalities)
            .fold(0u128, |acc, (col, &card)| {
                acc * card as u128 + u128::from(col[row])
            })
    };
    let decode = |mut key: u128| -> Vec<u32> {
        let mut parts = vec![0u32; columns.len()];
        for (slot, &card) in parts.iter_mut().zip(cardinalities).rev() {
            *slot = (key % card as u128) as u32;
            key /= card as u128;
        }
        parts
    };
    let mut codes = vec![0u32; rows];
    let keys: Vec<Vec<u32>>;
    if product <= 1 << 24 {
        // Dense table: mark present combinations, number them in order, map rows.
        let mut table = vec![u32::MAX; product as usize];
        for row in 0..rows {
            table[radix_key(row) as usize] = 0;
        }
        let mut next = 0u32;
        let mut present = Vec::new();
        for (key, slot) in table.iter_mut().enumerate() {
            if *slot == 0 {
                *slot = next;
                next += 1;
                present.push(decode(key as u128));
            }
        }
        for (row, code) in codes.iter_mut().enumerate() {
            *code = table[radix_key(row) as usize];
        }
        keys = present;
    } else {
        let mut seen: HashMap<u128, u32> = HashMap::new();
        for row in 0..rows {
            let next = seen.len() as u32;
            seen.entry(radix_key(row)).or_insert(next);
        }
        let mut distinct: Vec<u128> = seen.keys().copied().collect();
        distinct.sort_unstable();
        let rank: HashMap<u128, u32> = distinct
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
        for (row, code) in codes.iter_mut().enumerate() {
            *code = rank[&radix_key(row)];
        }
        keys = distinct.into_iter().map(decode).collect();
    }
    Ok(Grouping { codes, keys })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_range_of_every_type_equals_a_plain_fold() {
        use crate::kernels::testing::{awkward_lengths, Rng};
        fn check<T: GroupCode + std::fmt::Debug>(keys: &[T]) {
            let want = keys.iter().map(|k| k.key()).fold(None, |r, k| match r {
                None => Some((k, k)),
                Some((lo, hi)) => Some((k.min(lo), k.max(hi))),
            });
            assert_eq!(key_range(keys), want, "len {}", keys.len());
        }
        let mut rng = Rng(0x4A7);
        let mut lengths = awkward_lengths();
        lengths.push((1 << 21) + 77); // the parallel split
        for len in lengths {
            let raw: Vec<u64> = (0..len).map(|_| rng.next()).collect();
            check(&raw.iter().map(|&r| r as u8).collect::<Vec<_>>());
            check(&raw.iter().map(|&r| r as i8).collect::<Vec<_>>());
            check(&raw.iter().map(|&r| r as u16).collect::<Vec<_>>());
            check(&raw.iter().map(|&r| r as i16).collect::<Vec<_>>());
            check(&raw.iter().map(|&r| r as u32).collect::<Vec<_>>());
            check(&raw.iter().map(|&r| (r >> 40) as u32).collect::<Vec<_>>());
            check(&raw.iter().map(|&r| r as i32).collect::<Vec<_>>());
            check(&raw.iter().map(|&r| r as i64).collect::<Vec<_>>());
            check(
                &raw.iter()
                    .map(|&r| (r % 1000) as i64 - 500)
                    .collect::<Vec<_>>(),
            );
        }
    }

    #[test]
    fn factorize_sorts_and_puts_missing_last() {
        let (codes, labels) = factorize(&[Some(3i64), Some(-1), None, Some(3)]);
        assert_eq!(codes, vec![1, 0, 2, 1]);
        assert_eq!(labels, vec![Some(-1), Some(3), None]);
        let (codes, labels) = factorize::<i64>(&[]);
        assert!(codes.is_empty() && labels.is_empty());
    }

    #[test]
    fn combine_matches_brute_force_both_paths() {
        let a: Vec<u32> = (0..500).map(|i| (i * 7 % 13) as u32).collect();
        let b: Vec<u32> = (0..500).map(|i| (i * 3 % 5) as u32).collect();
        for cards in [[13usize, 5], [1 << 20, 1 << 10]] {
            let g = combine(&[&a, &b], &cards).unwrap();
            let mut tuples: Vec<(u32, u32)> = a.iter().copied().zip(b.iter().copied()).collect();
            tuples.sort_unstable();
            tuples.dedup();
            assert_eq!(g.n_groups(), tuples.len());
            for row in 0..a.len() {
                let t = (a[row], b[row]);
                assert_eq!(g.codes[row] as usize, tuples.binary_search(&t).unwrap());
                assert_eq!(g.keys[g.codes[row] as usize], vec![t.0, t.1]);
            }
        }
    }

    #[test]
    fn factorize_ints_matches_factorize_on_both_paths() {
        for keys in [
            vec![5i64, -3, 5, 100, -3, 7],
            vec![0, i64::MAX, i64::MIN, 0, 42],
        ] {
            let (codes, labels) = factorize_ints(&keys);
            let wrapped: Vec<Option<i64>> = keys.iter().map(|&k| Some(k)).collect();
            let (codes2, labels2) = factorize(&wrapped);
            assert_eq!(codes, codes2);
            assert_eq!(labels, labels2.into_iter().flatten().collect::<Vec<_>>());
        }
        assert_eq!(factorize_ints::<i32>(&[]), (vec![], vec![]));
    }

    #[test]
    fn combine_errors() {
        assert_eq!(
            combine(&[&[0, 1], &[0]], &[2, 2]).unwrap_err().code(),
            "length_mismatch"
        );
        let e = combine(&[&[0, 5]], &[3]).unwrap_err();
        assert_eq!(
            e,
            CxError::GroupOutOfRange {
                index: 1,
                group: 5,
                groups: 3
            }
        );
        assert_eq!(combine(&[], &[]).unwrap_err().code(), "invalid_argument");
    }

    #[test]
    fn key_order_and_labels() {
        let mut keys = [
            Key::Missing,
            Key::Str("b".into()),
            Key::Int(2),
            Key::Str("a".into()),
        ];
        keys.sort();
        let labels: Vec<String> = keys.iter().map(ToString::to_string).collect();
        assert_eq!(labels, vec!["2", "a", "b", "(missing)"]);
    }
}
