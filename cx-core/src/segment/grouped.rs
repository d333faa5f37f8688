//! [`GroupedTally`]: one tally per group, stored flat, its serialised and binary forms.

use serde::{Deserialize, Serialize};

use super::count::{check_cells, count_groups, group_index, out_of_range};
use crate::compensated::CompensatedCells;
use crate::error::{check_len, CxError, Result};
use crate::grouping::GroupCode;
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
        check_len("groups", codes.len(), "values", values.len())?;
        if let Some(w) = weights {
            check_len("values", values.len(), "weights", w.len())?;
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
}
