//! The compact binary forms of [`JointTally`] (magic `CXJT`) and [`CurveTally`] (magic `CXCV`).

use super::joint::regroup;
use super::{outcome_scale, CurveTally, Exposure, JointTally};
use crate::codec::{Reader, Writer};
use crate::error::{CxError, Result};
use crate::tally::bytes::body_len;
use crate::tally::Tally;

const JOINT_MAGIC: &[u8; 4] = b"CXJT";
const CURVE_MAGIC: &[u8; 4] = b"CXCV";
const VERSION: u16 = 1;

/// The four groups in the order of the bytes (and of the JSON form).
const GROUPS: [Exposure; 4] = [
    Exposure::Exposed,
    Exposure::Reference,
    Exposure::Neither,
    Exposure::Unknown,
];

/// Read `n` outcome tally bodies, checking their total size first.
fn outcome_tallies(r: &mut Reader<'_>, n: usize) -> Result<Vec<Tally>> {
    let s = outcome_scale();
    r.expect(n.checked_mul(body_len(&s)), "outcome tallies")?;
    (0..n).map(|_| Tally::read_body(s, r)).collect()
}

impl JointTally {
    /// The compact binary form, the same bytes from Rust, Python and Node.
    ///
    /// Framed as in [`Tally::to_bytes`] (magic `"CXJT"`, version 1, flags, body, CRC-32); the
    /// body is the outcome scale (4 x i32: 0, 1, 1, 0) and four tally bodies on it, in the
    /// order exposed, reference, neither, unknown (each: missing u64, then for outcome 0 and 1
    /// count u64, weight sum f64, squared-weight sum f64): 252 bytes in all.
    ///
    /// # Examples
    /// ```
    /// use cx_core::loyalty::{exposure_from_masks, JointTally};
    /// let groups = exposure_from_masks(&[1u8, 1, 0, 0], None)?;
    /// let j = JointTally::from_values(&groups, &[1u8, 1, 0, 1], None)?;
    /// let bytes = j.to_bytes();
    /// assert_eq!((&bytes[..4], bytes.len()), (&b"CXJT"[..], 252));
    /// assert_eq!(JointTally::from_bytes(&bytes)?, j);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.scale(&outcome_scale());
        for g in GROUPS {
            self.tally(g).write_body(&mut w);
        }
        w.finish(JOINT_MAGIC, VERSION)
    }

    /// Read the bytes written by [`JointTally::to_bytes`] in any language.
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for a wrong magic, another format version, a checksum
    /// mismatch, truncated or extended bytes, a scale other than the 0/1 outcome scale, or
    /// inconsistent counts.
    pub fn from_bytes(bytes: &[u8]) -> Result<JointTally> {
        let mut r = Reader::open(bytes, JOINT_MAGIC, VERSION, "joint tally")?;
        let s = r.scale()?;
        if s != outcome_scale() {
            return Err(CxError::unreadable(format!(
                "a joint tally counts a 0/1 outcome, not ratings on {s}"
            )));
        }
        let t = outcome_tallies(&mut r, GROUPS.len())?;
        r.finish()?;
        Ok(JointTally {
            grouped: regroup(&t.iter().collect::<Vec<_>>())?,
        })
    }
}

impl CurveTally {
    /// The compact binary form, the same bytes from Rust, Python and Node.
    ///
    /// Framed as in [`Tally::to_bytes`] (magic `"CXCV"`, version 1, flags, body, CRC-32); the
    /// body is the rating scale (4 x i32) and, for each of its P points (lowest first) and
    /// then for the respondents without a rating, a tally body of the 0/1 outcome (missing
    /// u64, then for 0 and 1 count u64, weight sum f64, squared-weight sum f64).
    ///
    /// # Examples
    /// ```
    /// use cx_core::loyalty::CurveTally;
    /// use cx_core::Scale;
    /// let c = CurveTally::from_values(Scale::csat(), &[5u8, 5, 1, 3], &[1u8, 1, 0, 1], None)?;
    /// let bytes = c.to_bytes();
    /// assert_eq!(bytes.len(), 8 + 16 + 6 * 56 + 4);
    /// assert_eq!(CurveTally::from_bytes(&bytes)?, c);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.scale(&self.scale);
        for i in 0..self.scale.points() {
            self.point_tally(i).write_body(&mut w);
        }
        self.missing_rating().write_body(&mut w);
        w.finish(CURVE_MAGIC, VERSION)
    }

    /// Read the bytes written by [`CurveTally::to_bytes`] in any language.
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] as [`JointTally::from_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<CurveTally> {
        let mut r = Reader::open(bytes, CURVE_MAGIC, VERSION, "curve tally")?;
        let scale = r.scale()?;
        let t = outcome_tallies(&mut r, scale.points() + 1)?;
        r.finish()?;
        Ok(CurveTally {
            scale,
            grouped: regroup(&t.iter().collect::<Vec<_>>())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loyalty::exposure_from_masks;
    use crate::scale::Scale;

    fn joint() -> JointTally {
        let groups = exposure_from_masks(&[1u8, 1, 0, 0, 1], Some(&[0u8, 0, 1, 0, 0])).unwrap();
        JointTally::from_values(
            &groups,
            &[1.0, f64::NAN, 0.0, 1.0, 0.0],
            Some(&[1.0, 2.0, 0.5, 1.0, 3.0]),
        )
        .unwrap()
    }

    fn curve() -> CurveTally {
        CurveTally::from_values(
            Scale::nps(),
            &[10.0, 9.0, f64::NAN, 3.0],
            &[1.0, 0.0, 1.0, f64::NAN],
            None,
        )
        .unwrap()
    }

    #[test]
    fn round_trips() {
        let j = joint();
        assert_eq!(JointTally::from_bytes(&j.to_bytes()).unwrap(), j);
        let c = curve();
        assert_eq!(CurveTally::from_bytes(&c.to_bytes()).unwrap(), c);
        assert_eq!(c.to_bytes().len(), 8 + 16 + 12 * 56 + 4);
    }

    #[test]
    fn every_bit_flip_and_truncation_is_rejected() {
        for bytes in [joint().to_bytes(), curve().to_bytes()] {
            for i in 0..bytes.len() {
                let mut b = bytes.clone();
                b[i] ^= 0x01;
                assert!(JointTally::from_bytes(&b).is_err(), "byte {i}");
                assert!(CurveTally::from_bytes(&b).is_err(), "byte {i}");
            }
            for len in 0..bytes.len() {
                assert!(JointTally::from_bytes(&bytes[..len]).is_err());
                assert!(CurveTally::from_bytes(&bytes[..len]).is_err());
            }
        }
    }

    #[test]
    fn a_joint_tally_on_another_scale_is_rejected() {
        let mut w = Writer::default();
        w.scale(&Scale::nps());
        let e = JointTally::from_bytes(&w.finish(JOINT_MAGIC, VERSION)).unwrap_err();
        assert!(e.to_string().contains("0/1 outcome"), "{e}");
    }
}
