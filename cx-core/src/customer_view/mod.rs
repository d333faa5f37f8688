//! The single view of the customer: what each customer said (survey answers) joined with what
//! they did (a transaction log), one row per customer.
//!
//! Both inputs carry dense customer codes into one shared list of ids ([`join_keys`] makes them
//! from two id columns, strings or integers, with one hash pass over each); [`customer_view`]
//! then reads each input once, accumulating per-customer state in arrays indexed by the code:
//! a hash join by factorised ids, linear in the rows, never quadratic. Customers found in only
//! one input are kept and flagged (`in_survey`, `in_transactions`).
//!
//! # Rules
//! - **Cut-off.** Rows dated after the cut-off (default: the latest date in either input) are
//!   ignored and counted (`survey_after_cutoff`, `transactions_after_cutoff`); every recency,
//!   tenure and status is measured at the cut-off.
//! - **Missing values.** A row with a missing customer id (or, when survey dates are given, a
//!   missing date; in the log, a missing date or revenue) is skipped and counted in
//!   `survey_missing` / `transactions_missing`. A missing rating (NaN) is skipped for that rating
//!   only.
//! - **Latest rating.** The most recent non-missing answer of each rating (by date, ties and
//!   undated surveys by row order: the later row wins); the mean is over the customer's
//!   non-missing answers.
//! - **NPS category** of the latest answer of the NPS column: promoter 9-10, passive 7-8,
//!   detractor 0-6 (Reichheld 2003).
//! - **RFM.** Purchases count per day, as in [`rfm`](crate::clv::rfm): a row with revenue >= 0
//!   is a purchase, a negative revenue a refund (netted in `revenue`, no purchase).
//!   `recency_days` = cut-off − last purchase day; `frequency` = purchase days; `monetary` =
//!   net revenue / purchase days; `tenure_days` = cut-off − first purchase day (Hughes 1994's
//!   recency, frequency and monetary value).
//! - **Active or churned.** A customer with purchases is *active* at the cut-off when their last
//!   purchase is less than `active_days` days before it (`recency_days < active_days`, default
//!   365: the "hiatus" rule common in non-contractual settings, e.g. a customer without a
//!   purchase for a year is counted as lapsed), otherwise *churned*; `None` without purchases.
//! - **Expected purchases and CLV** when fitted models are given ([`ClvModel`]): BG/NBD
//!   expected purchases over `horizon` time units and lifetime value over `months` months
//!   (Gamma-Gamma expected spend), from each customer's frequency, recency and T at the
//!   cut-off in the lifetimes conventions of [`Rfm`](crate::clv::Rfm).
//!
//! # References
//! Hughes, A. M. (1994), *Strategic Database Marketing*; Reichheld, F. F. (2003), "The one
//! number you need to grow", Harvard Business Review 81(12); Fader, P. S., Hardie, B. G. S. and
//! Lee, K. L. (2005), "RFM and CLV: using iso-value curves for customer base analysis", Journal
//! of Marketing Research 42(4).

use serde::{Deserialize, Serialize};

mod build;
mod clv;
mod join;
#[cfg(test)]
mod tests;
mod view;

pub use crate::transactions::TransactionLog;
pub use build::customer_view;
pub use clv::ClvModel;
pub use join::join_keys;
pub use view::{CustomerView, NpsCategory, RatingSummary};

/// One rating column of the survey table (NaN = missing).
#[derive(Debug, Clone, Copy)]
pub struct RatingColumn<'a> {
    /// Column name, as it will appear in the result (`"nps"`, `"csat"`, `"ease"`, ...).
    pub name: &'a str,
    /// One rating per survey row.
    pub values: &'a [f64],
}

/// The survey table: a customer code per response, optional response days, rating columns.
#[derive(Debug, Clone)]
pub struct SurveyTable<'a> {
    /// Customer code per response (`< labels.len()`,
    /// [`MISSING_CUSTOMER`](crate::transactions::MISSING_CUSTOMER) for a missing id).
    pub customers: &'a [u32],
    /// Response day (days since 1970-01-01, [`MISSING_DAY`](crate::period::MISSING_DAY) for
    /// missing); `None` when the survey has no dates (the latest answer is then the last row).
    pub days: Option<&'a [i64]>,
    /// Rating columns.
    pub ratings: Vec<RatingColumn<'a>>,
}

/// Options of [`customer_view`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerViewOptions {
    /// Cut-off day (days since 1970-01-01, inclusive); default: the latest date in the inputs.
    pub cutoff: Option<i64>,
    /// A customer is active while their last purchase is fewer than this many days before the
    /// cut-off (default 365).
    pub active_days: u32,
    /// The rating column whose latest answer gives the NPS category (a 0-10 column); default:
    /// the column named `"nps"` if there is one.
    pub nps: Option<String>,
    /// Fitted models for expected purchases and CLV.
    pub clv: Option<ClvModel>,
}

impl Default for CustomerViewOptions {
    fn default() -> Self {
        CustomerViewOptions {
            cutoff: None,
            active_days: 365,
            nps: None,
            clv: None,
        }
    }
}
