//! Retention from a transaction log: active, new, retained, reactivated and churned customers
//! per period, revenue by customer status, revenue growth accounting, net and gross revenue
//! retention, cohort tables (the retention triangle) and the acquisition-versus-retention
//! spend balance.
//!
//! # The summary: [`Activity`]
//! One pass over the log (customer, day, revenue) builds, per customer, two bitmaps over the
//! periods of the log (a bit per period: "has a row", "has a purchase") and the customer's net
//! revenue in each period that has a row (compressed sparse rows: one `f64` per occupied
//! customer-period cell). Memory is O(customers x periods / 64 + occupied cells), i.e.
//! O(customers x active periods) at worst and O(customers) for monthly data of a few years.
//! Every table below is derived from it without touching the log again. Summaries of two
//! partitions [`merge`](Activity::merge) (customers matched by id, periods aligned) into the
//! summary of the concatenated log.
//!
//! # Rules
//! - A row with revenue >= 0 is a **purchase** (0 is a free order); a row with revenue < 0 is a
//!   **refund**. Refunds are allowed: revenue is netted per customer and period, and a negative
//!   net is reported as it is. A customer is **active** in a period when they made a purchase
//!   in it; a period with refunds only does not make a customer active, and its (negative)
//!   revenue is reported as `inactive_revenue`.
//! - A customer is **acquired** (new) in the period of their first purchase in the log; their
//!   acquisition cohort is that period. Customers who bought before the log began are new in
//!   its first period (the log is left-censored; start it at the beginning of the business or
//!   read the first periods' "new" with that in mind).
//! - Missing values are skipped and counted in `missing`: a missing customer id
//!   ([`MISSING_CUSTOMER`]), a missing date ([`MISSING_DAY`](crate::period::MISSING_DAY)) or a
//!   NaN revenue. An infinite revenue is an error.

mod acquisition;
mod activity;
mod cohorts;
mod rates;
mod serial;

pub use crate::transactions::MISSING_CUSTOMER;
pub use acquisition::{acquisition, Acquisition, AcquisitionRow};
pub use activity::Activity;
pub use cohorts::{cohorts, Cohorts};
pub use rates::{retention, Retention, RetentionOptions, RetentionRow};
pub use serial::ACTIVITY_FORMAT;

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den != 0.0).then(|| num / den)
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{:.1}%", 100.0 * v))
}
