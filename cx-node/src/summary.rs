//! What every mergeable summary class shares (`Tally`, `KeyedTally`, `CxSummary`, `Activity`),
//! defined once over the core's `cx_core::Summary`: reading and writing the JSON form and the
//! compact bytes, and merging, with core errors thrown as `CX_*` errors.

use cx_core::Summary;
use napi::bindgen_prelude::{Buffer, Either, Unknown};
use napi::{Env, Result};

use crate::error::OrThrow;
use crate::tally::{json_text, parsed};

/// The JSON form as a plain object (`JSON.parse` of the core's JSON text).
pub(crate) fn to_json<'env, S: Summary>(env: &'env Env, s: &S) -> Result<Unknown<'env>> {
    parsed(env, s.to_json())
}

/// A summary from its JSON form: the text or the parsed object (`CX_UNREADABLE_SUMMARY` for
/// anything else).
pub(crate) fn from_json<S: Summary>(env: &Env, json: Either<String, Unknown>) -> Result<S> {
    json_text(env, json)?
        .and_then(|text| S::from_json(&text))
        .or_throw(env)
}

/// The compact bytes as a `Buffer`.
pub(crate) fn to_bytes<S: Summary>(s: &S) -> Buffer {
    s.to_bytes().into()
}

/// A summary from its compact bytes (`CX_UNREADABLE_SUMMARY` for anything else).
pub(crate) fn from_bytes<S: Summary>(env: &Env, bytes: &[u8]) -> Result<S> {
    S::from_bytes(bytes).or_throw(env)
}

/// Merge `b` into `a`, in place (on error `a` is unchanged).
pub(crate) fn merge<S: Summary>(env: &Env, a: &mut S, b: &S) -> Result<()> {
    a.merge(b).or_throw(env)
}
