//! The compact binary form of a [`CxSummary`] (magic `CXCS`, version 1).

use super::{CxSummary, Layout, SummaryRepr, CX_SUMMARY_FORMAT};
use crate::codec::{Reader, Writer};
use crate::error::{CxError, Result};
use crate::tally::bytes::body_len;
use crate::tally::Tally;

const MAGIC: &[u8; 4] = b"CXCS";
const VERSION: u16 = 1;

impl CxSummary {
    /// The compact binary form, the same bytes from Rust, Python and Node.
    ///
    /// Framed as in [`Tally::to_bytes`] (magic `"CXCS"`, version 1, flags, body, CRC-32); the
    /// body, little-endian:
    ///
    /// ```text
    /// require_all         u8 (0 or 1)
    /// dimensions          u32 count K, then per dimension: name (u32 length + UTF-8),
    ///                     scale (4 x i32: lowest, highest, top_box_min, bottom_box_max)
    /// respondents         u64   respondents counted
    /// excluded            u64   rows left out
    /// weight, weight_sq   f64, f64   Σw and Σw² of the respondents counted
    /// tallies             per dimension, a tally body: missing u64, then per point (lowest
    ///                     first) count u64, weight sum f64, squared-weight sum f64
    /// pairs               per pair k < l in the order (0,1), (0,2), ..., (1,2), ...:
    ///                     P_k x P_l f64 (Σw² per pair of points, row-major)
    /// ```
    ///
    /// # Examples
    /// ```
    /// use cx_core::{CxSummary, Dimension};
    /// let s = CxSummary::from_columns(Dimension::defaults(), &[&[5.0, 4.0], &[4.0, 2.0], &[3.0, f64::NAN]], None, false)?;
    /// let bytes = s.to_bytes();
    /// assert_eq!(&bytes[..4], b"CXCS");
    /// assert_eq!(CxSummary::from_bytes(&bytes)?, s);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(u8::from(self.require_all));
        w.u32(self.dims.len() as u32);
        for d in &self.dims {
            w.str(&d.name);
            w.scale(&d.scale);
        }
        w.u64(self.respondents);
        w.u64(self.excluded);
        w.f64(self.weight);
        w.f64(self.weight_sq);
        for t in &self.tallies {
            t.write_body(&mut w);
        }
        for p in &self.pairs {
            for &x in p {
                w.f64(x);
            }
        }
        w.finish(MAGIC, VERSION)
    }

    /// Read the bytes written by [`CxSummary::to_bytes`] in any language.
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for a wrong magic, another format version, a checksum
    /// mismatch, truncated or extended bytes, or a body that is not a consistent summary (the
    /// checks of [`CxSummary::from_json`]); the sizes the header claims are checked against
    /// the input before anything is allocated.
    pub fn from_bytes(bytes: &[u8]) -> Result<CxSummary> {
        let mut r = Reader::open(bytes, MAGIC, VERSION, "CX summary")?;
        let require_all = match r.u8()? {
            0 => false,
            1 => true,
            x => {
                return Err(CxError::unreadable(format!(
                    "require_all is {x}, not 0 or 1"
                )))
            }
        };
        // A dimension takes at least a name length and a scale.
        let k = r.count(4 + 16, "dimensions")?;
        let mut dims = Vec::with_capacity(k);
        for _ in 0..k {
            let name = r.str()?;
            let scale = r.scale()?;
            dims.push(super::Dimension::new(name, scale));
        }
        super::check_dimensions(&dims).map_err(|e| CxError::unreadable(e.to_string()))?;
        let layout = Layout::new(&dims);
        let need = dims
            .iter()
            .map(|d| body_len(&d.scale))
            .try_fold(32usize, usize::checked_add)
            .and_then(|n| n.checked_add(layout.pair_cells.checked_mul(8)?));
        r.expect(need, "dimension and pair cells")?;
        let respondents = r.u64()?;
        let excluded = r.u64()?;
        let weight = r.f64()?;
        let weight_sq = r.f64()?;
        let tallies = dims
            .iter()
            .map(|d| Tally::read_body(d.scale, &mut r))
            .collect::<Result<Vec<_>>>()?;
        let mut pairs = Vec::with_capacity(layout.pair_offset.len());
        for a in 0..k {
            for b in a + 1..k {
                let cells = layout.points[a] * layout.points[b];
                pairs.push((0..cells).map(|_| r.f64()).collect::<Result<Vec<_>>>()?);
            }
        }
        r.finish()?;
        CxSummary::try_from(SummaryRepr {
            format: CX_SUMMARY_FORMAT.into(),
            version: 1,
            dimensions: dims,
            require_all,
            respondents,
            excluded,
            weight,
            weight_sq,
            tallies,
            pairs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cx_index::summary::Dimension;
    use crate::scale::Scale;

    fn sample() -> CxSummary {
        let dims = vec![
            Dimension::new("effectiveness", Scale::csat()),
            Dimension::new("ease", Scale::ces()),
            Dimension::new("emotion", Scale::csat()),
        ];
        CxSummary::from_columns(
            dims,
            &[
                &[5.0, 4.0, 2.0, f64::NAN, 1.0],
                &[7.0, 1.0, f64::NAN, f64::NAN, 4.0],
                &[5.0, 3.0, 2.0, f64::NAN, 5.0],
            ],
            Some(&[1.0, 0.5, 2.0, 1.0, 1.5]),
            false,
        )
        .unwrap()
    }

    #[test]
    fn round_trip_and_layout() {
        let s = sample();
        let b = s.to_bytes();
        assert_eq!(CxSummary::from_bytes(&b).unwrap(), s);
        let tallies: usize = [5, 7, 5].iter().map(|p| 8 + 24 * p).sum();
        let pairs = 8 * (5 * 7 + 5 * 5 + 7 * 5);
        let dims = 4 + (4 + 13 + 16) + (4 + 4 + 16) + (4 + 7 + 16);
        assert_eq!(b.len(), 8 + 1 + dims + 32 + tallies + pairs + 4);
    }

    #[test]
    fn every_bit_flip_and_truncation_is_rejected() {
        let bytes = sample().to_bytes();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(CxSummary::from_bytes(&b).is_err(), "byte {i}");
        }
        for len in 0..bytes.len() {
            assert!(CxSummary::from_bytes(&bytes[..len]).is_err(), "len {len}");
        }
    }

    #[test]
    fn forged_sizes_fail_before_allocating() {
        let mut w = Writer::default();
        w.u8(0);
        w.u32(u32::MAX);
        let e = CxSummary::from_bytes(&w.finish(MAGIC, VERSION)).unwrap_err();
        assert!(
            e.to_string().contains("claims 4294967295 dimensions"),
            "{e}"
        );
        // 60 dimensions of 101 points: 17 million pair cells claimed by a 2 kB input.
        let mut w = Writer::default();
        w.u8(0);
        w.u32(60);
        for i in 0..60 {
            w.str(&format!("d{i:02}"));
            w.scale(&Scale::new(0, 100).unwrap());
        }
        let e = CxSummary::from_bytes(&w.finish(MAGIC, VERSION)).unwrap_err();
        assert_eq!(e.code(), "unreadable_summary");
        assert!(e.to_string().contains("claims more"), "{e}");
    }

    #[test]
    fn newer_version_is_named() {
        let mut b = sample().to_bytes();
        b[4] = 2;
        let e = CxSummary::from_bytes(&b).unwrap_err().to_string();
        assert!(
            e.contains("CX summary format version 2 is not supported"),
            "{e}"
        );
    }
}
