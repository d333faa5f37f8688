//! Customer lifetime value: the RFM summary of a transaction log, the simple margin multiplier,
//! the shifted-beta-geometric model of contractual retention, and the BG/NBD purchase model
//! with the Gamma-Gamma spend model for non-contractual settings.
//!
//! Style: each model is a function returning an immutable fit (`fit_sbg`, `fit_bgnbd`,
//! `fit_gamma_gamma`) whose methods project per customer; fits are maximum likelihood with
//! argmin's optimisers on log-scale parameters, and a fit that does not converge is a
//! [`CxError::NotConverged`](crate::CxError::NotConverged) naming its last state.

mod bgnbd;
mod optim;
mod rfm;
mod sbg;

pub use bgnbd::{fit_bgnbd, fit_gamma_gamma, BgNbdFit, GammaGammaFit};
pub use optim::FitOptions;
pub use rfm::{rfm, rfm_ints, Rfm, RfmOptions};
pub use sbg::{fit_sbg, SbgFit};

use crate::error::{CxError, Result};

crate::options! {
    /// Options of the lifetime value of a fitted BG/NBD model ([`BgNbdFit::clv`]), as
    /// lifetimes' `customer_lifetime_value`.
    pub struct ClvOptions {
        /// Months ahead (default 12).
        pub months: u32 = 12,
        /// Monthly discount rate, >= 0 (default 0.01, as lifetimes).
        pub discount: f64 = 0.01,
        /// Time units of the fit per month (default 30, for a fit in days; 4.345 for weeks).
        pub period_length: f64 = 30.0,
    }
}

/// Lifetime value of a customer with a constant margin and retention rate: the margin
/// multiplier.
///
/// # Formula
/// ```text
/// CLV = m · r / (1 + d − r)
/// ```
/// with margin `m` per period (money), retention rate `r` per period (0..1) and discount rate
/// `d` per period; margins are received at the end of each period the customer is retained
/// (an infinite horizon).
///
/// # Errors
/// [`CxError::InvalidArgument`] for `r` outside 0..1, `d` below 0 or not finite, a
/// non-finite margin, or `r` = 1 with `d` = 0 (an infinite value).
///
/// # Examples
/// ```
/// // margin 100 a year, 80% retention, 10% discount rate: 100 × 0.8 / 0.3
/// let v = cx_core::clv::margin_multiplier(100.0, 0.8, 0.1)?;
/// assert!((v - 266.666_666_666_666_7).abs() < 1e-9);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Gupta, S. and Lehmann, D. R. (2003), "Customers as assets", Journal of Interactive
/// Marketing 17(1); Gupta, S. and Lehmann, D. R. (2005), "Managing Customers as Investments".
pub fn margin_multiplier(margin: f64, retention: f64, discount: f64) -> Result<f64> {
    if !margin.is_finite() {
        return Err(invalid("margin", margin, "a finite amount"));
    }
    if !(0.0..=1.0).contains(&retention) {
        return Err(invalid("retention", retention, "a rate between 0 and 1"));
    }
    if !(discount.is_finite() && discount >= 0.0) {
        return Err(invalid("discount", discount, "a finite rate >= 0"));
    }
    if discount == 0.0 && retention == 1.0 {
        return Err(invalid(
            "retention",
            retention,
            "below 1 when the discount rate is 0 (the value would be infinite)",
        ));
    }
    Ok(margin * retention / (1.0 + discount - retention))
}

pub(crate) fn invalid(name: &'static str, value: f64, expected: &str) -> CxError {
    CxError::InvalidArgument {
        name,
        value: value.to_string(),
        expected: expected.into(),
    }
}
