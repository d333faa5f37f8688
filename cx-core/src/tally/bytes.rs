//! The compact binary form of a [`Tally`].
//!
//! Layout of version 1 (all integers and floats little-endian):
//!
//! ```text
//! offset  size        field
//! 0       4           magic "CXTL"
//! 4       2           version (u16) = 1
//! 6       2           flags (u16) = 0, reserved
//! 8       4 x 4       scale: lowest, highest, top_box_min, bottom_box_max (i32)
//! 24      8           missing (u64)
//! 32      24 x k      per point, lowest first: count (u64), weight sum (f64), squared-weight sum (f64)
//! 32+24k  4           CRC-32 (IEEE) of every byte before it
//! ```
//!
//! `k` is the number of points of the scale (at most 101), so a reader knows the exact length
//! from the 32-byte header before it allocates anything, and rejects truncated, extended,
//! bit-flipped (checksum) or inconsistent input with [`CxError::UnreadableSummary`].

use super::Tally;
use crate::codec::{Reader, Writer};
use crate::error::{CxError, Result};
use crate::scale::Scale;

const MAGIC: &[u8; 4] = b"CXTL";
const VERSION: u16 = 1;
/// Bytes of one tally body after the scale: missing (u64) and three numbers per point.
pub(crate) fn body_len(scale: &Scale) -> usize {
    8 + 24 * scale.points()
}

impl Tally {
    /// The compact binary form (see the module docs of `tally::bytes` for the layout).
    ///
    /// # Examples
    /// ```
    /// use cx_core::{Scale, Tally};
    /// let t = Tally::from_values(Scale::nps(), &[9u8, 10, 3], None)?;
    /// let bytes = t.to_bytes();
    /// assert_eq!(bytes.len(), 32 + 24 * 11 + 4);
    /// assert_eq!(Tally::from_bytes(&bytes)?, t);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(16 + body_len(&self.scale));
        w.scale(&self.scale);
        self.write_body(&mut w);
        w.finish(MAGIC, VERSION)
    }

    /// Missing count and per-point sums (the part shared with grouped and keyed summaries).
    pub(crate) fn write_body(&self, w: &mut Writer) {
        w.u64(self.missing);
        for i in 0..self.scale.points() {
            w.u64(self.counts[i]);
            w.f64(self.weights[i]);
            w.f64(self.weights_sq[i]);
        }
    }

    /// Read a body written by [`Tally::write_body`] on `scale`, validated.
    pub(crate) fn read_body(scale: Scale, r: &mut Reader<'_>) -> Result<Tally> {
        if r.remaining() < body_len(&scale) {
            return Err(CxError::unreadable(format!(
                "the body ends early: a tally on a {}-point scale needs {} more bytes, {} left",
                scale.points(),
                body_len(&scale),
                r.remaining()
            )));
        }
        let mut t = Tally::new(scale);
        t.missing = r.u64()?;
        for i in 0..scale.points() {
            t.counts[i] = r.u64()?;
            t.weights[i] = r.f64()?;
            t.weights_sq[i] = r.f64()?;
        }
        t.validate()?;
        Ok(t)
    }

    /// Read the compact binary form written by [`Tally::to_bytes`] (in any language).
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] on a wrong magic, an unsupported version, a length that
    /// does not match the scale, a checksum mismatch, an invalid scale or inconsistent counts.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tally> {
        let mut r = Reader::open(bytes, MAGIC, VERSION, "tally")?;
        let scale = r.scale()?;
        if r.remaining() != body_len(&scale) {
            return Err(CxError::unreadable(format!(
                "{} bytes, but a tally on a {}-point scale takes {}",
                bytes.len(),
                scale.points(),
                body_len(&scale) + 16 + crate::codec::FRAME
            )));
        }
        let t = Tally::read_body(scale, &mut r)?;
        r.finish()?;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: usize = 32;
    const CRC: usize = 4;

    fn sample() -> Tally {
        Tally::from_values(
            Scale::csat(),
            &[1.0, 5.0, 4.0, f64::NAN],
            Some(&[0.5, 2.0, 1.0, 1.0]),
        )
        .unwrap()
    }

    #[test]
    fn round_trip() {
        let t = sample();
        assert_eq!(Tally::from_bytes(&t.to_bytes()).unwrap(), t);
    }

    #[test]
    fn every_single_bit_flip_is_rejected() {
        let bytes = sample().to_bytes();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                let err = Tally::from_bytes(&b).unwrap_err();
                assert_eq!(err.code(), "unreadable_summary", "byte {i} bit {bit}");
            }
        }
    }

    #[test]
    fn every_truncation_is_rejected() {
        let bytes = sample().to_bytes();
        for len in 0..bytes.len() {
            assert!(Tally::from_bytes(&bytes[..len]).is_err(), "len {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Tally::from_bytes(&longer).is_err());
    }

    #[test]
    fn messages_say_why() {
        let mut b = sample().to_bytes();
        b[4] = 2;
        let msg = Tally::from_bytes(&b).unwrap_err().to_string();
        assert!(msg.contains("version 2 is not supported"), "{msg}");
        let msg = Tally::from_bytes(b"hello world, this is not a tally!!!!")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("not a cxkit tally"), "{msg}");
    }

    #[test]
    fn consistent_checksum_but_bad_content_is_rejected() {
        // A forged body with a valid checksum: negative weight sum.
        let mut b = sample().to_bytes();
        let n = b.len();
        b[HEADER + 8..HEADER + 16].copy_from_slice(&(-1.0f64).to_le_bytes());
        let crc = crc32fast::hash(&b[..n - CRC]);
        b[n - CRC..].copy_from_slice(&crc.to_le_bytes());
        let msg = Tally::from_bytes(&b).unwrap_err().to_string();
        assert!(msg.contains("must be finite and >= 0"), "{msg}");
    }
}
