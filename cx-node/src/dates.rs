//! JavaScript dates for the functions not yet on the contract (`retention`, ...):
//! read as the core reads them (`cx_core::api::DateColumn`: a `Date`, epoch milliseconds or an
//! ISO 8601 string; `null`, `undefined`, `NaN`, an invalid `Date` and `""` are missing).

use cx_core::api::{DateColumn, DateValue};
use cx_core::CxError;
use napi::bindgen_prelude::{Date, Either3};
use napi_derive::napi;

/// One date per score: a `Date`, epoch milliseconds or an ISO 8601 string (`"2026-03-05"`,
/// `"2026-03-05T10:00:00Z"`); `null`, `undefined`, `NaN`, an invalid `Date` or `""` for a missing
/// date.
#[napi]
pub type DateValues<'a> = Vec<Option<Either3<f64, String, Date<'a>>>>;

/// Days since 1970-01-01 of every date, `MISSING_DAY` for a missing one.
///
/// The outer error is napi's (reading a `Date`), the inner one the input's.
pub(crate) fn days_of(dates: &DateValues) -> napi::Result<Result<Vec<i64>, CxError>> {
    let values = dates
        .iter()
        .map(|d| {
            Ok(match d {
                None => DateValue::Missing,
                Some(Either3::A(ms)) => DateValue::Ms(*ms),
                Some(Either3::B(text)) => DateValue::Text(text.clone()),
                Some(Either3::C(date)) => DateValue::Ms(date.value_of()?),
            })
        })
        .collect::<napi::Result<Vec<_>>>()?;
    Ok(DateColumn::Values(values)
        .days("dates")
        .map(|d| d.into_owned()))
}
