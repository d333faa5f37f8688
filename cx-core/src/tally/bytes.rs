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
use crate::error::{CxError, Result};
use crate::scale::Scale;

const MAGIC: &[u8; 4] = b"CXTL";
const VERSION: u16 = 1;
const HEADER: usize = 32;
const PER_POINT: usize = 24;
const CRC: usize = 4;

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
        let k = self.scale.points();
        let mut out = Vec::with_capacity(HEADER + PER_POINT * k + CRC);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        for x in [
            self.scale.lowest(),
            self.scale.highest(),
            self.scale.top_box_min(),
            self.scale.bottom_box_max(),
        ] {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.extend_from_slice(&self.missing.to_le_bytes());
        for i in 0..k {
            out.extend_from_slice(&self.counts[i].to_le_bytes());
            out.extend_from_slice(&self.weights[i].to_le_bytes());
            out.extend_from_slice(&self.weights_sq[i].to_le_bytes());
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Read the compact binary form written by [`Tally::to_bytes`] (in any language).
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] on a wrong magic, an unsupported version, a length that
    /// does not match the scale, a checksum mismatch, an invalid scale or inconsistent counts.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tally> {
        if bytes.len() < HEADER + CRC {
            return Err(CxError::unreadable(format!(
                "{} bytes is shorter than the smallest tally ({} bytes)",
                bytes.len(),
                HEADER + CRC
            )));
        }
        if &bytes[0..4] != MAGIC {
            return Err(CxError::unreadable(
                "not a cxkit tally (the first four bytes are not \"CXTL\")",
            ));
        }
        let version = u16::from_le_bytes([bytes[4], bytes[5]]);
        if version != VERSION {
            return Err(CxError::unreadable(format!(
                "version {version} is not supported; this build reads version {VERSION}"
            )));
        }
        let flags = u16::from_le_bytes([bytes[6], bytes[7]]);
        if flags != 0 {
            return Err(CxError::unreadable(format!(
                "unknown flags {flags:#06x} (version 1 defines none)"
            )));
        }
        let i32_at = |o: usize| i32::from_le_bytes(bytes[o..o + 4].try_into().expect("4 bytes"));
        let scale = Scale::with_boxes(i32_at(8), i32_at(12), i32_at(16), i32_at(20))
            .map_err(|e| CxError::unreadable(format!("bad scale in header: {e}")))?;
        let k = scale.points();
        let expected = HEADER + PER_POINT * k + CRC;
        if bytes.len() != expected {
            return Err(CxError::unreadable(format!(
                "{} bytes, but a tally on a {k}-point scale takes {expected}",
                bytes.len()
            )));
        }
        let body = &bytes[..expected - CRC];
        let stored = u32::from_le_bytes(bytes[expected - CRC..].try_into().expect("4 bytes"));
        if crc32fast::hash(body) != stored {
            return Err(CxError::unreadable(
                "checksum mismatch: the bytes were altered or truncated",
            ));
        }
        let u64_at = |o: usize| u64::from_le_bytes(bytes[o..o + 8].try_into().expect("8 bytes"));
        let f64_at = |o: usize| f64::from_le_bytes(bytes[o..o + 8].try_into().expect("8 bytes"));
        let mut t = Tally::new(scale);
        t.missing = u64_at(24);
        for i in 0..k {
            let o = HEADER + PER_POINT * i;
            t.counts[i] = u64_at(o);
            t.weights[i] = f64_at(o + 8);
            t.weights_sq[i] = f64_at(o + 16);
        }
        t.validate()?;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
