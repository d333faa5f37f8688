//! The transaction log that retention ([`Activity`](crate::retention::Activity)), RFM
//! ([`rfm`](crate::clv::rfm)) and the customer view
//! ([`customer_view`](crate::customer_view::customer_view)) read: a customer code, a day and a
//! revenue per row ([`TransactionLog`]), checked once by one validator, and the per-customer
//! purchase accumulator of RFM and the customer view.
//!
//! # Rules
//! - A row with a missing customer id ([`MISSING_CUSTOMER`]), a missing date ([`MISSING_DAY`])
//!   or a NaN revenue is skipped and counted as missing.
//! - A revenue must not be infinite; a date must lie within [`MAX_ABS_DAY`] days of
//!   1970-01-01; a customer code must be below the number of customers.

use crate::error::{check_len, CxError, Result};
use crate::period::{MAX_ABS_DAY, MISSING_DAY};

mod purchases;
pub(crate) use purchases::Purchases;

#[cfg(test)]
mod tests;

/// The code of a missing customer id in a transaction log
/// ([`Activity::from_codes`](crate::retention::Activity::from_codes), [`rfm`](crate::clv::rfm),
/// [`TransactionLog`]).
pub const MISSING_CUSTOMER: u32 = u32::MAX;

/// The transaction log: a customer code, a day and a revenue per row.
#[derive(Debug, Clone, Copy)]
pub struct TransactionLog<'a> {
    /// Customer code per row (`< labels.len()`, [`MISSING_CUSTOMER`] for a missing id).
    pub customers: &'a [u32],
    /// Day of the row (days since 1970-01-01, [`MISSING_DAY`] for missing).
    pub days: &'a [i64],
    /// Revenue of the row (money; NaN missing; negative for a refund).
    pub revenue: &'a [f64],
}

/// How one reader of a log names its columns in errors and which rows it checks.
///
/// Retention, RFM and the customer view each checked their log before they shared this
/// validator, and their checks differed on these points; each keeps the errors it gave.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader {
    /// Name of the customer column in a length mismatch.
    pub customers: &'static str,
    /// Name of the date column in a length mismatch and in an out-of-range date.
    pub dates: &'static str,
    /// Check the date of a row skipped for a missing id or revenue too (else only the dates of
    /// the rows read).
    pub skipped_dates: bool,
    /// Check the customer code of every row with an id, skipped rows too, before its revenue
    /// and date (else only the codes of the rows read, after their revenue and date).
    pub ids_first: bool,
}

/// A [`TransactionLog`] whose rows passed the checks of its [`Reader`]; made by
/// [`TransactionLog::validate`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Transactions<'a> {
    log: TransactionLog<'a>,
    /// Rows skipped for a missing customer id, date or revenue.
    pub missing: u64,
    /// First and last day of the rows read (`None` when every row is skipped).
    pub days: Option<(i64, i64)>,
}

/// Whether a row is read: it has a customer id, a date and a revenue.
#[inline]
pub(crate) fn complete(c: u32, d: i64, r: f64) -> bool {
    c != MISSING_CUSTOMER && d != MISSING_DAY && !r.is_nan()
}

/// Whether a day (days since 1970-01-01, not missing) is within [`MAX_ABS_DAY`] of 1970-01-01.
#[inline]
pub(crate) fn day_in_range(d: i64) -> bool {
    (-MAX_ABS_DAY..=MAX_ABS_DAY).contains(&d)
}

/// The error of a date out of [`MAX_ABS_DAY`]: column `name`, day `d`, row `index`.
pub(crate) fn day_out_of_range(name: &'static str, d: i64, index: usize) -> CxError {
    CxError::InvalidArgument {
        name,
        value: format!("{d} days since 1970-01-01 at index {index}"),
        expected: format!("dates within {MAX_ABS_DAY} days of 1970-01-01"),
    }
}

impl<'a> TransactionLog<'a> {
    /// Rows of the log.
    pub(crate) fn len(&self) -> usize {
        self.customers.len()
    }

    /// Check that the dates and the revenue have one value per customer code.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] naming the columns as `reader` does.
    pub(crate) fn check_lengths(&self, reader: &Reader) -> Result<()> {
        for (name, len) in [
            (reader.dates, self.days.len()),
            ("revenue", self.revenue.len()),
        ] {
            check_len(reader.customers, self.len(), name, len)?;
        }
        Ok(())
    }

    /// Check the columns and every row for `n_customers` customers, count the skipped rows and
    /// find the first and last day of the rows read. An error names the first bad row.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] for columns of different lengths;
    /// [`CxError::InvalidArgument`] for an infinite revenue or a date more than
    /// [`MAX_ABS_DAY`] days from 1970-01-01; [`CxError::GroupOutOfRange`] for a customer code
    /// not below `n_customers`.
    pub(crate) fn validate(self, n_customers: usize, reader: &Reader) -> Result<Transactions<'a>> {
        self.check_lengths(reader)?;
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        let mut missing = 0u64;
        for (i, ((&c, &d), &r)) in self
            .customers
            .iter()
            .zip(self.days)
            .zip(self.revenue)
            .enumerate()
        {
            if complete(c, d, r) {
                if c as usize >= n_customers || r.is_infinite() || !day_in_range(d) {
                    return Err(self.row_error(i, n_customers, reader));
                }
                lo = lo.min(d);
                hi = hi.max(d);
            } else {
                missing += 1;
                if r.is_infinite()
                    || (reader.skipped_dates && d != MISSING_DAY && !day_in_range(d))
                    || (reader.ids_first && c != MISSING_CUSTOMER && c as usize >= n_customers)
                {
                    return Err(self.row_error(i, n_customers, reader));
                }
            }
        }
        Ok(Transactions {
            log: self,
            missing,
            days: (lo <= hi).then_some((lo, hi)),
        })
    }

    /// The error of bad row `i`, the first check it fails in `reader`'s order.
    #[cold]
    fn row_error(&self, i: usize, n_customers: usize, reader: &Reader) -> CxError {
        let (c, d, r) = (self.customers[i], self.days[i], self.revenue[i]);
        let bad_code = c != MISSING_CUSTOMER && c as usize >= n_customers;
        let code_error = CxError::GroupOutOfRange {
            index: i,
            group: i64::from(c),
            groups: n_customers,
        };
        if reader.ids_first && bad_code {
            return code_error;
        }
        if r.is_infinite() {
            return CxError::InvalidArgument {
                name: "revenue",
                value: format!("{r} at index {i}"),
                expected: "finite amounts (NaN for missing)".into(),
            };
        }
        if d != MISSING_DAY && !day_in_range(d) && (reader.skipped_dates || complete(c, d, r)) {
            return day_out_of_range(reader.dates, d, i);
        }
        code_error
    }
}

impl<'a> Transactions<'a> {
    /// Rows of the log, skipped ones included.
    pub(crate) fn len(&self) -> usize {
        self.log.len()
    }

    /// The rows read, in log order: (customer code, day, revenue).
    pub(crate) fn rows(&self) -> impl Iterator<Item = (usize, i64, f64)> + 'a {
        let log = self.log;
        log.customers
            .iter()
            .zip(log.days)
            .zip(log.revenue)
            .filter(|((&c, &d), &r)| complete(c, d, r))
            .map(|((&c, &d), &r)| (c as usize, d, r))
    }
}
