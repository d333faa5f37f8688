//! The options of the single customer view as callers give them, defined once: the cut-off,
//! the activity window, the NPS column and the lifetime-value settings of fitted models.

use crate::api::dates::{DateColumn, DateValue};
use crate::api::value::{wrong_type, Value};
use crate::clv::{BgNbdFit, GammaGammaFit};
use crate::customer_view::{ClvModel, CustomerViewOptions};
use crate::error::Result;

const D: fn() -> CustomerViewOptions = CustomerViewOptions::default;

crate::value_option! {
    /// A day: days since 1970-01-01, or an ISO 8601 date.
    DayArg, "day"
}

crate::options! {
    /// Options of `customer_view` (the fitted models are inputs, not options).
    pub struct ViewOptions {
        /// Cut-off date: days since 1970-01-01 or an ISO 8601 date; rows after it are ignored
        /// (default: the latest date in either input).
        pub cutoff: Option<DayArg> = None,
        /// A customer is active while their last purchase is fewer than this many days before
        /// the cut-off (default 365).
        pub active_days: u32 = D().active_days,
        /// The rating column of `nps_category` (default: the column named "nps", if any).
        pub nps: Option<String> = None,
        /// Days per time unit of the fits (default 1: fits in days).
        pub unit_days: f64 = 1.0,
        /// Horizon of `expected_purchases`, in the fits' time units (default 365).
        pub horizon: f64 = 365.0,
        /// Months of the CLV (default 12).
        pub months: u32 = 12,
        /// Monthly discount rate of the CLV (default 0.01, as lifetimes).
        pub discount: f64 = 0.01,
        /// Time units per month (default 30, as lifetimes).
        pub period_length: f64 = 30.0,
    }
}

impl ViewOptions {
    /// The options of [`crate::customer_view::customer_view`] with the fitted models (no CLV
    /// columns without a BG/NBD fit).
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`](crate::CxError::InvalidArgument) /
    /// [`CxError::WrongType`](crate::CxError::WrongType) for a cut-off that is no date.
    pub fn view_options(
        &self,
        bgnbd: Option<&BgNbdFit>,
        gamma_gamma: Option<&GammaGammaFit>,
    ) -> Result<CustomerViewOptions> {
        let cutoff = match &self.cutoff {
            None => None,
            Some(v) => Some(cutoff_day(&v.0)?),
        };
        Ok(CustomerViewOptions {
            cutoff,
            active_days: self.active_days,
            nps: self.nps.clone(),
            clv: bgnbd.map(|b| ClvModel {
                bgnbd: b.clone(),
                gamma_gamma: gamma_gamma.cloned(),
                unit_days: self.unit_days,
                horizon: self.horizon,
                months: self.months,
                discount: self.discount,
                period_length: self.period_length,
            }),
        })
    }
}

/// The day of a cut-off: an integer number of days since 1970-01-01, or a date as text (as a
/// date column reads it).
fn cutoff_day(v: &Value) -> Result<i64> {
    let expected = "days since 1970-01-01 or an ISO 8601 date such as \"2026-03-05\"";
    let value = match v {
        Value::Int(d) => return i64::try_from(*d).map_err(|_| wrong_type("cutoff", v, expected)),
        Value::Str(text) => DateValue::Text(text.clone()),
        other => return Err(wrong_type("cutoff", other, expected)),
    };
    Ok(DateColumn::Values(vec![value]).days("cutoff")?[0])
}
