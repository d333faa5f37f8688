//! The RFM summary of a transaction log: frequency, recency, T and monetary value per customer,
//! the input of the BG/NBD and Gamma-Gamma models.

use serde::{Deserialize, Serialize};

use crate::error::{CxError, Result};
use crate::grouping::{factorize_ints, Key};
use crate::transactions::{Purchases, Reader, TransactionLog};

/// How [`rfm`] reads its log: only the dates of the rows it reads are checked.
const LOG: Reader = Reader {
    customers: "customers",
    dates: "dates",
    skipped_dates: false,
    ids_first: false,
};

/// Options of [`rfm`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmOptions {
    /// Days per time unit of recency and T (1 = days, the default as in lifetimes; 7 = weeks).
    pub unit_days: f64,
    /// Last day of the observation period (days since 1970-01-01, inclusive); rows after it are
    /// ignored. Default: the last date in the log.
    pub observation_end: Option<i64>,
}

impl Default for RfmOptions {
    fn default() -> Self {
        RfmOptions {
            unit_days: 1.0,
            observation_end: None,
        }
    }
}

/// Per-customer RFM summary (one entry per customer with at least one purchase).
///
/// Conventions of Fader, Hardie and Lee (2005) and of the lifetimes package: purchases are
/// counted per day (several rows on one day are one purchase occasion); `frequency` is the
/// number of repeat purchase days (all purchase days but the first); `recency` is the time from
/// the first to the last purchase day and `t` (written `T` in the literature) the time from the
/// first purchase day to the end of the observation period, both in units of `unit_days` days;
/// `monetary_value` is the net revenue of the rows after the first purchase day divided by
/// `frequency` (0 when `frequency` is 0), i.e. the mean spend per repeat purchase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Rfm {
    /// Customer ids.
    pub customers: Vec<Key>,
    /// Repeat purchase days per customer.
    pub frequency: Vec<f64>,
    /// First to last purchase day, in time units.
    pub recency: Vec<f64>,
    /// First purchase day to the end of the observation period, in time units (`T`).
    #[serde(rename = "T")]
    pub t: Vec<f64>,
    /// Mean net revenue per repeat purchase (money; 0 without repeat purchases).
    pub monetary_value: Vec<f64>,
    /// Days per time unit.
    pub unit_days: f64,
    /// Last day of the observation period (days since 1970-01-01).
    pub observation_end: i64,
    /// Rows skipped for a missing customer id, date or revenue.
    pub missing: u64,
}

impl Rfm {
    /// Build from arrays of frequency, recency and T (and optional monetary values), e.g. a
    /// published summary; customer ids are 0, 1, 2, ...
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] for arrays of different lengths; [`CxError::InvalidArgument`]
    /// for a negative or non-finite value, a non-integer frequency, or recency above T.
    pub fn from_arrays(
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        monetary_value: Option<&[f64]>,
    ) -> Result<Rfm> {
        let n = frequency.len();
        for (name, len) in [("recency", recency.len()), ("T", t.len())]
            .into_iter()
            .chain(monetary_value.map(|m| ("monetary_value", m.len())))
        {
            if len != n {
                return Err(CxError::LengthMismatch {
                    left_name: "frequency",
                    left: n,
                    right_name: name,
                    right: len,
                });
            }
        }
        for i in 0..n {
            let (x, tx, tt) = (frequency[i], recency[i], t[i]);
            let bad = |name: &'static str, v: f64, expected: &str| CxError::InvalidArgument {
                name,
                value: format!("{v} at index {i}"),
                expected: expected.into(),
            };
            if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0) {
                return Err(bad(
                    "frequency",
                    x,
                    "a whole number of repeat purchases >= 0",
                ));
            }
            if !(tt.is_finite() && tt >= 0.0) {
                return Err(bad("T", tt, "a finite time >= 0"));
            }
            if !(tx.is_finite() && tx >= 0.0 && tx <= tt) {
                return Err(bad("recency", tx, "a finite time between 0 and T"));
            }
            if let Some(m) = monetary_value {
                if !m[i].is_finite() {
                    return Err(bad("monetary_value", m[i], "a finite amount"));
                }
            }
        }
        Ok(Rfm {
            customers: (0..n as i64).map(Key::Int).collect(),
            frequency: frequency.to_vec(),
            recency: recency.to_vec(),
            t: t.to_vec(),
            monetary_value: monetary_value.map_or_else(|| vec![0.0; n], <[f64]>::to_vec),
            unit_days: 1.0,
            observation_end: 0,
            missing: 0,
        })
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.frequency.len()
    }

    /// True when there is no customer.
    pub fn is_empty(&self) -> bool {
        self.frequency.is_empty()
    }
}

/// The RFM summary of a transaction log (see [`Rfm`] for the conventions).
///
/// `codes` are dense customer codes (`0..labels.len()`,
/// [`MISSING_CUSTOMER`](crate::transactions::MISSING_CUSTOMER) for a missing id), `days` are
/// days since 1970-01-01 ([`MISSING_DAY`](crate::period::MISSING_DAY) for a missing date),
/// `revenue` the amount of each row (NaN for missing; negative for a refund: it counts in the
/// monetary value but is no purchase). Rows may come in any order; a log sorted by date (or by
/// customer and date) is summarised in one pass, any other order through a counting sort by
/// customer.
///
/// # Errors
/// [`CxError::LengthMismatch`], [`CxError::GroupOutOfRange`] for a code not below
/// `labels.len()`, [`CxError::InvalidArgument`] for an infinite revenue or `unit_days` not
/// positive, [`CxError::EmptyInput`] when no customer made a purchase.
///
/// # Examples
/// ```
/// use cx_core::clv::{rfm, RfmOptions};
/// use cx_core::grouping::Key;
/// // customer 0 buys on days 0, 0, 10 and 30; customer 1 once on day 20; the log ends on day 40
/// let r = rfm(
///     &[0, 0, 0, 1, 0],
///     vec![Key::Int(0), Key::Int(1)],
///     &[0, 0, 10, 20, 30],
///     &[5.0, 5.0, 20.0, 8.0, 40.0],
///     &RfmOptions { observation_end: Some(40), ..RfmOptions::default() },
/// )?;
/// assert_eq!(r.frequency, vec![2.0, 0.0]);
/// assert_eq!(r.recency, vec![30.0, 0.0]);
/// assert_eq!(r.t, vec![40.0, 20.0]);
/// assert_eq!(r.monetary_value, vec![30.0, 0.0]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the easy
/// way: an alternative to the Pareto/NBD model", Marketing Science 24(2);
/// Davidson-Pilon, C. (2014-), lifetimes, `summary_data_from_transaction_data`.
pub fn rfm(
    codes: &[u32],
    labels: Vec<Key>,
    days: &[i64],
    revenue: &[f64],
    options: &RfmOptions,
) -> Result<Rfm> {
    let log = TransactionLog {
        customers: codes,
        days,
        revenue,
    };
    // The columns, then the options, then the rows: the order of rfm's errors.
    log.check_lengths(&LOG)?;
    if !(options.unit_days.is_finite() && options.unit_days > 0.0) {
        return Err(CxError::InvalidArgument {
            name: "unit_days",
            value: options.unit_days.to_string(),
            expected: "a positive number of days per time unit".into(),
        });
    }
    let n = labels.len();
    let log = log.validate(n, &LOG)?;
    let end = options
        .observation_end
        .unwrap_or(log.days.map_or(i64::MIN, |(_, last)| last));
    let acc = Purchases::collect(n, || log.rows().filter(move |&(_, d, _)| d <= end));
    let u = options.unit_days;
    let mut out = Rfm {
        customers: Vec::with_capacity(n),
        frequency: Vec::with_capacity(n),
        recency: Vec::with_capacity(n),
        t: Vec::with_capacity(n),
        monetary_value: Vec::with_capacity(n),
        unit_days: u,
        observation_end: end,
        missing: log.missing,
    };
    for (c, label) in labels.into_iter().enumerate() {
        if let Some(p) = acc.get(c).rfm(end, u) {
            out.customers.push(label);
            out.frequency.push(p.frequency);
            out.recency.push(p.recency);
            out.t.push(p.t);
            out.monetary_value.push(p.monetary_value);
        }
    }
    if out.is_empty() {
        return Err(CxError::empty(
            "no customer with a purchase (revenue >= 0) in the log",
        ));
    }
    Ok(out)
}

/// [`rfm`] from integer customer ids.
///
/// # Errors
/// As [`rfm`].
pub fn rfm_ints(ids: &[i64], days: &[i64], revenue: &[f64], options: &RfmOptions) -> Result<Rfm> {
    let (codes, labels) = factorize_ints(ids);
    rfm(
        &codes,
        labels.into_iter().map(Key::Int).collect(),
        days,
        revenue,
        options,
    )
}

impl std::fmt::Display for Rfm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.len().max(1) as f64;
        write!(
            f,
            "RFM of {} customers ({} repeat buyers): mean frequency {:.3}, mean recency {:.2}, mean T {:.2} (units of {} days)",
            self.len(),
            self.frequency.iter().filter(|x| **x > 0.0).count(),
            self.frequency.iter().sum::<f64>() / n,
            self.recency.iter().sum::<f64>() / n,
            self.t.iter().sum::<f64>() / n,
            self.unit_days
        )
    }
}
