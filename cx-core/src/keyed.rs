//! [`KeyedTally`]: per-group tallies keyed by the groups' labels, the form of a segment summary
//! that merges across partitions, processes and languages.
//!
//! A [`GroupedTally`] numbers its groups `0..g` within one data set; two partitions of the same
//! data number them differently. A keyed tally stores each group's [`Tally`] under its label
//! tuple (one [`Key`] per key column) and the key columns' names, so partitions merge by label:
//! build one per partition (on a Spark executor, a Dask worker, a Node process), serialise,
//! merge, and compute the segment table once. The result equals the in-memory computation.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::codec::{Reader, Writer};
use crate::error::{check_len, CxError, Result};
use crate::grouping::Key;
use crate::scale::Scale;
use crate::segment::GroupedTally;
use crate::tally::Tally;

const MAGIC: &[u8; 4] = b"CXKT";
const VERSION: u16 = 1;

/// The `format` tag written in a keyed tally's JSON form.
pub const KEYED_FORMAT: &str = "cxkit.keyed_tally";

/// Per-group tallies keyed by label tuples, with the key columns' names.
///
/// # Examples
/// ```
/// use cx_core::grouping::Key;
/// use cx_core::{GroupedTally, KeyedTally, Scale};
/// let north = vec![Key::Str("North".into())];
/// let south = vec![Key::Str("South".into())];
/// // partition 1 sees North and South, partition 2 only North
/// let p1 = GroupedTally::from_values(Scale::nps(), &[0, 1, 0], 2, &[10u8, 3, 9], None)?;
/// let p2 = GroupedTally::from_values(Scale::nps(), &[0], 1, &[6u8], None)?;
/// let mut a = KeyedTally::from_grouped(&p1, vec!["region".into()], vec![north.clone(), south])?;
/// let b = KeyedTally::from_grouped(&p2, vec!["region".into()], vec![north.clone()])?;
/// a.merge(&KeyedTally::from_bytes(&b.to_bytes())?)?;
/// assert_eq!(a.get(&north).unwrap().n(), 3);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "KeyedRepr", into = "KeyedRepr")]
pub struct KeyedTally {
    scale: Scale,
    names: Vec<String>,
    groups: BTreeMap<Vec<Key>, Tally>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyedRepr {
    format: String,
    version: u32,
    scale: Scale,
    names: Vec<String>,
    groups: Vec<(Vec<Key>, Tally)>,
}

impl TryFrom<KeyedRepr> for KeyedTally {
    type Error = CxError;
    fn try_from(r: KeyedRepr) -> Result<Self> {
        if r.format != KEYED_FORMAT || r.version != u32::from(VERSION) {
            return Err(CxError::unreadable(format!(
                "format {:?} version {} is not a keyed tally this build reads ({KEYED_FORMAT:?} version {VERSION})",
                r.format, r.version
            )));
        }
        let mut k = KeyedTally::new(r.scale, r.names);
        for (key, tally) in r.groups {
            k.insert(key, &tally)?;
        }
        Ok(k)
    }
}

impl From<KeyedTally> for KeyedRepr {
    fn from(k: KeyedTally) -> Self {
        KeyedRepr {
            format: KEYED_FORMAT.into(),
            version: u32::from(VERSION),
            scale: k.scale,
            names: k.names,
            groups: k.groups.into_iter().collect(),
        }
    }
}

impl KeyedTally {
    /// No groups yet, on `scale`, with key columns `names` (e.g. `["region", "channel"]`).
    pub fn new(scale: Scale, names: Vec<String>) -> KeyedTally {
        KeyedTally {
            scale,
            names,
            groups: BTreeMap::new(),
        }
    }

    /// Label the groups of a grouped tally: `keys[g]` is the label tuple of group `g`. Groups
    /// without any row (no answer, not even a missing one) are left out: they are not groups of
    /// the data.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] when `keys` does not have one tuple per group or a tuple does
    /// not have one key per name; groups sharing a label are merged.
    pub fn from_grouped(
        grouped: &GroupedTally,
        names: Vec<String>,
        keys: Vec<Vec<Key>>,
    ) -> Result<KeyedTally> {
        check_len("groups", grouped.n_groups(), "group labels", keys.len())?;
        let mut k = KeyedTally::new(grouped.scale(), names);
        for (g, key) in keys.into_iter().enumerate() {
            let t = grouped.group(g)?;
            if t.n() + t.missing() > 0 {
                k.insert(key, &t)?;
            }
        }
        Ok(k)
    }

    /// Add `tally` to the group `key` (creating it).
    ///
    /// # Errors
    /// [`CxError::ScaleMismatch`]; [`CxError::LengthMismatch`] when `key` does not have one
    /// label per key column.
    pub fn insert(&mut self, key: Vec<Key>, tally: &Tally) -> Result<()> {
        self.scale.ensure_same(&tally.scale())?;
        check_len(
            "key columns",
            self.names.len(),
            "labels of a group",
            key.len(),
        )?;
        match self.groups.get_mut(&key) {
            Some(t) => t.merge(tally)?,
            None => {
                self.groups.insert(key, tally.clone());
            }
        }
        Ok(())
    }

    /// Merge another keyed tally (another partition): groups with the same label merge.
    ///
    /// # Errors
    /// [`CxError::ScaleMismatch`]; [`CxError::InvalidArgument`] when the key columns differ.
    pub fn merge(&mut self, other: &KeyedTally) -> Result<()> {
        self.scale.ensure_same(&other.scale)?;
        if self.names != other.names {
            return Err(CxError::InvalidArgument {
                name: "other",
                value: format!("a summary keyed by {:?}", other.names),
                expected: format!("a summary keyed by the same columns {:?}", self.names),
            });
        }
        for (key, t) in &other.groups {
            self.insert(key.clone(), t)?;
        }
        Ok(())
    }

    /// The scale.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// The key columns' names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there is no group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The tally of one group.
    pub fn get(&self, key: &[Key]) -> Option<&Tally> {
        self.groups.get(key)
    }

    /// Groups in label order (the order of `nps_by` tables).
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<Key>, &Tally)> {
        self.groups.iter()
    }

    /// The tally of all groups together.
    pub fn total(&self) -> Tally {
        let mut t = Tally::new(self.scale);
        for g in self.groups.values() {
            t.merge(g).expect("same scale");
        }
        t
    }

    /// A grouped tally with the groups in label order, and their labels: the input of
    /// [`segments`](crate::segments).
    pub fn to_grouped(&self) -> (GroupedTally, Vec<Vec<Key>>) {
        let tallies: Vec<&Tally> = self.groups.values().collect();
        let grouped = GroupedTally::from_tallies(self.scale, &tallies);
        (grouped, self.groups.keys().cloned().collect())
    }

    /// The compact binary form: framed like [`Tally::to_bytes`] with magic `"CXKT"`; body:
    /// scale (4 × i32), names (u32 count, then u32 length + UTF-8 each), groups (u32 count, then
    /// per group one key per name, tagged 0 = i64, 1 = string, 2 = missing, and the tally body:
    /// missing u64 and per point count u64, weight sum f64, squared-weight sum f64).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.scale(&self.scale);
        w.u32(self.names.len() as u32);
        for n in &self.names {
            w.str(n);
        }
        w.u32(self.groups.len() as u32);
        for (key, t) in &self.groups {
            for k in key {
                w.key(k);
            }
            t.write_body(&mut w);
        }
        w.finish(MAGIC, VERSION)
    }

    /// Read bytes written by [`KeyedTally::to_bytes`] (in any language).
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for anything altered, truncated, from another version, or
    /// inconsistent; claimed counts are checked against the input's size before allocating.
    pub fn from_bytes(bytes: &[u8]) -> Result<KeyedTally> {
        let mut r = Reader::open(bytes, MAGIC, VERSION, "keyed tally")?;
        let scale = r.scale()?;
        let n_names = r.count(4, "key columns")?;
        let names = (0..n_names).map(|_| r.str()).collect::<Result<Vec<_>>>()?;
        let per_group = n_names + crate::tally::bytes::body_len(&scale);
        let n_groups = r.count(per_group, "groups")?;
        let mut k = KeyedTally::new(scale, names);
        for _ in 0..n_groups {
            let mut key = Vec::with_capacity(n_names);
            for _ in 0..n_names {
                key.push(r.key()?);
            }
            let tally = Tally::read_body(scale, &mut r)?;
            if k.groups.insert(key, tally).is_some() {
                return Err(CxError::unreadable("the same group appears twice"));
            }
        }
        r.finish()?;
        Ok(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> KeyedTally {
        let g = GroupedTally::from_values(
            Scale::csat(),
            &[0, 1, 2, 0],
            3,
            &[5.0, f64::NAN, 1.0, 4.0],
            Some(&[1.0, 1.0, 0.5, 2.0]),
        )
        .unwrap();
        KeyedTally::from_grouped(
            &g,
            vec!["region".into(), "tier".into()],
            vec![
                vec![Key::Str("North".into()), Key::Int(1)],
                vec![Key::Missing, Key::Int(2)],
                vec![Key::Str("Sud".into()), Key::Missing],
            ],
        )
        .unwrap()
    }

    #[test]
    fn bytes_and_json_round_trip() {
        let k = sample();
        assert_eq!(KeyedTally::from_bytes(&k.to_bytes()).unwrap(), k);
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(serde_json::from_str::<KeyedTally>(&json).unwrap(), k);
    }

    #[test]
    fn every_bit_flip_and_truncation_is_rejected() {
        let bytes = sample().to_bytes();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x04;
            assert!(KeyedTally::from_bytes(&b).is_err(), "byte {i}");
        }
        for len in 0..bytes.len() {
            assert!(KeyedTally::from_bytes(&bytes[..len]).is_err(), "len {len}");
        }
    }

    #[test]
    fn forged_counts_fail_before_allocating() {
        // A valid frame whose body claims four billion groups.
        let mut w = Writer::default();
        w.scale(&Scale::nps());
        w.u32(0);
        w.u32(u32::MAX);
        let bytes = w.finish(MAGIC, VERSION);
        let e = KeyedTally::from_bytes(&bytes).unwrap_err();
        assert!(e.to_string().contains("claims 4294967295 groups"), "{e}");
    }

    #[test]
    fn merge_by_label() {
        let mut a = sample();
        let b = sample();
        a.merge(&b).unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a.total().n(), 2 * sample().total().n());
        let other = KeyedTally::new(Scale::csat(), vec!["x".into()]);
        assert_eq!(a.merge(&other).unwrap_err().code(), "invalid_argument");
        let other = KeyedTally::new(Scale::nps(), a.names().to_vec());
        assert_eq!(a.merge(&other).unwrap_err().code(), "scale_mismatch");
    }
}
