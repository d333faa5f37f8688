//! [`Summary`]: what every one-pass, mergeable summary offers (compact bytes, JSON text, merge),
//! so that each binding defines its summary classes' shared methods once, over this trait.

use crate::error::{CxError, Result};

/// A one-pass, mergeable summary of data: merging the summaries of two data sets gives the
/// summary of both, and the summary travels between processes and languages as compact,
/// checksummed bytes (see the `codec` framing) or as JSON text.
pub trait Summary: Clone + PartialEq + Sized {
    /// The compact, versioned, checksummed bytes (the same in every language).
    fn to_bytes(&self) -> Vec<u8>;

    /// Read bytes written by [`Summary::to_bytes`] (in any language).
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] on a wrong magic, version, length, checksum or body.
    fn from_bytes(bytes: &[u8]) -> Result<Self>;

    /// The JSON text (`{"format": "cxkit.<kind>", "version": 1, ...}`, the same in every
    /// language).
    fn to_json(&self) -> String;

    /// Read JSON written by [`Summary::to_json`] (in any language).
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for anything that is not such a summary.
    fn from_json(text: &str) -> Result<Self>;

    /// Merge `other` into this summary, in place; on error this summary is unchanged.
    ///
    /// # Errors
    /// When the two summaries do not describe the same thing (scales, key columns, dimensions,
    /// frequencies differ).
    fn merge(&mut self, other: &Self) -> Result<()>;

    /// The merge of two summaries as a new value.
    ///
    /// # Errors
    /// As [`Summary::merge`].
    fn merged(&self, other: &Self) -> Result<Self> {
        let mut out = self.clone();
        Summary::merge(&mut out, other)?;
        Ok(out)
    }
}

/// Implement [`Summary`] by the inherent methods of each type (`to_json`/`from_json` through
/// serde for types without their own).
macro_rules! summaries {
    ($($ty:ty => $json:ident),* $(,)?) => {$(
        impl Summary for $ty {
            fn to_bytes(&self) -> Vec<u8> {
                <$ty>::to_bytes(self)
            }
            fn from_bytes(bytes: &[u8]) -> Result<Self> {
                <$ty>::from_bytes(bytes)
            }
            fn to_json(&self) -> String {
                summaries!(@to $json, $ty, self)
            }
            fn from_json(text: &str) -> Result<Self> {
                summaries!(@from $json, $ty, text)
            }
            fn merge(&mut self, other: &Self) -> Result<()> {
                <$ty>::merge(self, other)
            }
        }
    )*};
    (@to inherent, $ty:ty, $s:ident) => { <$ty>::to_json($s) };
    (@to serde, $ty:ty, $s:ident) => {
        serde_json::to_string($s).expect("a summary always serialises")
    };
    (@from inherent, $ty:ty, $t:ident) => { <$ty>::from_json($t) };
    (@from serde, $ty:ty, $t:ident) => {
        serde_json::from_str($t).map_err(|e| CxError::unreadable(e.to_string()))
    };
}

summaries!(
    crate::Tally => inherent,
    crate::KeyedTally => serde,
    crate::CxSummary => inherent,
    crate::loyalty::JointTally => inherent,
    crate::retention::Activity => inherent,
);
