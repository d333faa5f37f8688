//! Group keys as JavaScript declares them (key columns, a group given by its keys) and group
//! labels for JavaScript. The keys are read by the core's rule (`cx_core::api::KeyColumn`):
//! a key is a string, an integer, or missing (`null`, `undefined`, `NaN`).

use cx_core::grouping::Key;
use napi::bindgen_prelude::{Either, Either3, Null};
use napi_derive::napi;

/// One key column, one key per score: strings or integers; `null`, `undefined` and `NaN` are
/// the missing key, a group labelled `"(missing)"`.
#[napi]
pub type KeyColumn = Vec<Option<Either<String, f64>>>;

/// The keys of a grouped summary: one {@link KeyColumn}, or an array of key columns (region ×
/// channel) whose combinations are the groups.
#[napi]
pub type GroupKeys = Either<KeyColumn, Vec<KeyColumn>>;

/// A key as JavaScript sees it in a result: a number, a string, or `null` for missing.
pub type KeyValue = Either3<f64, String, Null>;

/// The label of a group (its keys joined with " / ", `"(missing)"` for a missing key) and its
/// keys for JavaScript (`null` for a missing key).
pub(crate) fn describe(keys: &[Key]) -> (String, Vec<KeyValue>) {
    let labels: Vec<String> = keys.iter().map(Key::to_string).collect();
    let values = keys
        .iter()
        .map(|k| match k {
            Key::Int(i) => Either3::A(*i as f64),
            Key::Str(s) => Either3::B(s.clone()),
            Key::Missing => Either3::C(Null),
        })
        .collect();
    (labels.join(" / "), values)
}
