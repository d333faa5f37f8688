//! The framing shared by every compact binary summary: a magic tag, a version, reserved flags,
//! a body, and a CRC-32 of everything before it.
//!
//! ```text
//! offset  size  field
//! 0       4     magic: "CXTL" tally, "CXKT" keyed tally, "CXGT" grouped tally, "CXCS" CX
//!               summary, "CXJT" loyalty joint tally, "CXCV" loyalty curve tally, "CXAC"
//!               retention activity summary
//! 4       2     version (u16, little-endian)
//! 6       2     flags (u16) = 0, reserved
//! 8       ...   body (little-endian integers and IEEE-754 doubles)
//! end-4   4     CRC-32 (IEEE) of every byte before it
//! ```
//!
//! Readers check the frame before they look at the body, and read the body through a
//! bounds-checked [`Reader`], so no claimed length can make them read past the input or allocate
//! more than a bounded multiple of its size: truncated, extended, bit-flipped or forged bytes
//! are [`CxError::UnreadableSummary`] errors, never a panic.
//!
//! Shared body fields: a string is a u32 byte length and UTF-8; a scale is four i32 (lowest,
//! highest, top_box_min, bottom_box_max); a group or customer key is a tag byte, 0 = i64,
//! 1 = string, 2 = missing, and the value; a tally body is the missing count (u64) and per point,
//! lowest first, count (u64), weight sum (f64), squared-weight sum (f64). Each summary's layout
//! is in the docs of its `to_bytes`.

use crate::error::{CxError, Result};
use crate::grouping::Key;
use crate::scale::Scale;

/// Bytes of the frame around a body: magic, version, flags and the checksum.
pub(crate) const FRAME: usize = 4 + 2 + 2 + 4;

/// A body being written.
#[derive(Default)]
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn with_capacity(n: usize) -> Writer {
        Writer {
            buf: Vec::with_capacity(n + FRAME),
        }
    }
    pub(crate) fn u8(&mut self, x: u8) {
        self.buf.push(x);
    }
    pub(crate) fn u32(&mut self, x: u32) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn i32(&mut self, x: i32) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, x: u64) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn i64(&mut self, x: i64) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn f64(&mut self, x: f64) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub(crate) fn scale(&mut self, s: &Scale) {
        for x in [s.lowest(), s.highest(), s.top_box_min(), s.bottom_box_max()] {
            self.i32(x);
        }
    }
    /// A key: tag 0 and an i64, tag 1 and a string, or tag 2 (missing).
    pub(crate) fn key(&mut self, k: &Key) {
        match k {
            Key::Int(i) => {
                self.u8(0);
                self.i64(*i);
            }
            Key::Str(s) => {
                self.u8(1);
                self.str(s);
            }
            Key::Missing => self.u8(2),
        }
    }

    /// The framed bytes: magic, version, flags 0, body, CRC-32.
    pub(crate) fn finish(self, magic: &[u8; 4], version: u16) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len() + FRAME);
        out.extend_from_slice(magic);
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&self.buf);
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

/// A bounds-checked reader over a body.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Check the frame (`what` names the summary in errors) and return a reader over the body.
    pub(crate) fn open(
        bytes: &'a [u8],
        magic: &[u8; 4],
        version: u16,
        what: &str,
    ) -> Result<Reader<'a>> {
        if bytes.len() < FRAME {
            return Err(CxError::unreadable(format!(
                "{} bytes is too short for a cxkit {what} ({FRAME} bytes of framing alone)",
                bytes.len()
            )));
        }
        if &bytes[0..4] != magic {
            return Err(CxError::unreadable(format!(
                "not a cxkit {what} (the first four bytes are not {:?})",
                String::from_utf8_lossy(magic)
            )));
        }
        let found = u16::from_le_bytes([bytes[4], bytes[5]]);
        if found != version {
            return Err(CxError::unreadable(format!(
                "{what} format version {found} is not supported; this build reads version {version}"
            )));
        }
        let flags = u16::from_le_bytes([bytes[6], bytes[7]]);
        if flags != 0 {
            return Err(CxError::unreadable(format!(
                "unknown flags {flags:#06x} (version {version} defines none)"
            )));
        }
        let end = bytes.len() - 4;
        let stored = u32::from_le_bytes(bytes[end..].try_into().expect("4 bytes"));
        if crc32fast::hash(&bytes[..end]) != stored {
            return Err(CxError::unreadable(
                "checksum mismatch: the bytes were altered or truncated",
            ));
        }
        Ok(Reader {
            bytes: &bytes[8..end],
            pos: 0,
        })
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(CxError::unreadable(format!(
                "the body ends early: {} more bytes needed at offset {}, {} left",
                n,
                self.pos + 8,
                self.remaining()
            )));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub(crate) fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    pub(crate) fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    pub(crate) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
    pub(crate) fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
    pub(crate) fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
    /// A length-prefixed UTF-8 string (the length is checked against the input first).
    pub(crate) fn str(&mut self) -> Result<String> {
        let n = self.u32()? as usize;
        let raw = self.take(n)?;
        String::from_utf8(raw.to_vec())
            .map_err(|_| CxError::unreadable("a text field is not valid UTF-8"))
    }
    pub(crate) fn scale(&mut self) -> Result<Scale> {
        let (lo, hi, top, bottom) = (self.i32()?, self.i32()?, self.i32()?, self.i32()?);
        Scale::with_boxes(lo, hi, top, bottom)
            .map_err(|e| CxError::unreadable(format!("bad scale: {e}")))
    }

    /// A key written by [`Writer::key`].
    pub(crate) fn key(&mut self) -> Result<Key> {
        Ok(match self.u8()? {
            0 => Key::Int(self.i64()?),
            1 => Key::Str(self.str()?),
            2 => Key::Missing,
            t => return Err(CxError::unreadable(format!("unknown key tag {t}"))),
        })
    }

    /// Check that `n` more bytes are left (`what` names them) before allocating for them.
    pub(crate) fn expect(&self, n: Option<usize>, what: &str) -> Result<()> {
        match n {
            Some(n) if n <= self.remaining() => Ok(()),
            _ => Err(CxError::unreadable(format!(
                "the header claims more {what} than the {} bytes left can hold",
                self.remaining()
            ))),
        }
    }

    /// A count of items each taking at least `min_bytes`, checked against the bytes left so
    /// that no forged count can make the reader allocate beyond the input's size.
    pub(crate) fn count(&mut self, min_bytes: usize, what: &str) -> Result<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_bytes.max(1)) > self.remaining() {
            return Err(CxError::unreadable(format!(
                "the header claims {n} {what}, more than the {} bytes left can hold",
                self.remaining()
            )));
        }
        Ok(n)
    }

    /// Everything must have been read.
    pub(crate) fn finish(self) -> Result<()> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(CxError::unreadable(format!(
                "{} unexpected bytes after the body",
                self.remaining()
            )))
        }
    }
}
