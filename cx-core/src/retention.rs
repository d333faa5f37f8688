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

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::error::{CxError, Result};
use crate::grouping::{factorize, factorize_ints, Key};
use crate::period::{Freq, MAX_PERIODS, MISSING_DAY};

mod serial;
pub use serial::ACTIVITY_FORMAT;

/// The code of a missing customer id in [`Activity::from_codes`].
pub const MISSING_CUSTOMER: u32 = u32::MAX;

/// Dates further than this from 1970-01-01 are rejected (as in [`crate::Periods`]).
const MAX_ABS_DAY: i64 = 10_000_000;

/// The per-customer activity summary of a transaction log (see the [module docs](self)).
///
/// Stored period by period: for each period a bitset over customers ("has a row", "has a
/// purchase") and the net revenue of the occupied (period, customer) cells in customer order,
/// so that a log sorted by date (the usual case) is summarised with accesses confined to one
/// period's region, and the tables are computed in one sweep over the periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "serial::ActivityRepr", into = "serial::ActivityRepr")]
pub struct Activity {
    /// Period length.
    pub freq: Freq,
    /// Period index ([`Freq::index`]) of the first period (code 0).
    pub first_period: i64,
    /// Number of consecutive periods from the first to the last dated row.
    pub n_periods: usize,
    /// Customer ids, one per customer, in the order of the codes.
    pub customers: Vec<Key>,
    /// Rows read (including skipped ones).
    pub rows: u64,
    /// Rows skipped for a missing customer id, date or revenue.
    pub missing: u64,
    /// 64-bit words per period bitset (`ceil(customers / 64)`).
    cw: usize,
    any: Vec<u64>,
    buy: Vec<u64>,
    /// Index of the first cell of each (period, word).
    base: Vec<u64>,
    revenue: Vec<f64>,
    /// Acquisition channel labels (empty until [`Activity::with_channels`]).
    pub channels: Vec<Key>,
    /// Per customer with channels: first purchase day and the channel of that day's purchase
    /// (the first in label order when several); `(i64::MAX, u32::MAX)` without a purchase.
    acquired: Vec<(i64, u32)>,
}

/// No acquisition (no purchase, or no channels).
const NOT_ACQUIRED: (i64, u32) = (i64::MAX, u32::MAX);

/// One occupied customer-period cell.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cell {
    customer: usize,
    revenue: f64,
    bought: bool,
}

fn check_revenue(index: usize, r: f64) -> Result<()> {
    if r.is_infinite() {
        return Err(CxError::InvalidArgument {
            name: "revenue",
            value: format!("{r} at index {index}"),
            expected: "finite amounts (NaN for missing)".into(),
        });
    }
    Ok(())
}

fn check_day(index: usize, d: i64) -> Result<()> {
    if d != MISSING_DAY && !(-MAX_ABS_DAY..=MAX_ABS_DAY).contains(&d) {
        return Err(CxError::InvalidArgument {
            name: "dates",
            value: format!("{d} days since 1970-01-01 at index {index}"),
            expected: format!("dates within {MAX_ABS_DAY} days of 1970-01-01"),
        });
    }
    Ok(())
}

impl Activity {
    /// Build the summary from dense customer codes (`0..labels.len()`, [`MISSING_CUSTOMER`] for
    /// a missing id), days since 1970-01-01 and revenue (in the input's money unit).
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] for inputs of different lengths,
    /// [`CxError::GroupOutOfRange`] for a code not below `labels.len()`,
    /// [`CxError::InvalidArgument`] for an infinite revenue or an absurd date,
    /// [`CxError::EmptyInput`] when no row has a customer, a date and a revenue.
    ///
    /// # Examples
    /// ```
    /// use cx_core::grouping::Key;
    /// use cx_core::period::days_from_civil;
    /// use cx_core::retention::Activity;
    /// use cx_core::Freq;
    /// let d = |m| days_from_civil(2026, m, 15);
    /// let a = Activity::from_codes(
    ///     &[0, 1, 0, 0],
    ///     vec![Key::Int(7), Key::Int(9)],
    ///     &[d(1), d(1), d(2), d(2)],
    ///     &[10.0, 5.0, 4.0, -1.0],
    ///     Freq::Month,
    /// )?;
    /// assert_eq!((a.n_periods, a.customers.len()), (2, 2));
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn from_codes(
        codes: &[u32],
        labels: Vec<Key>,
        days: &[i64],
        revenue: &[f64],
        freq: Freq,
    ) -> Result<Activity> {
        if codes.len() != days.len() {
            return Err(CxError::LengthMismatch {
                left_name: "customers",
                left: codes.len(),
                right_name: "dates",
                right: days.len(),
            });
        }
        if codes.len() != revenue.len() {
            return Err(CxError::LengthMismatch {
                left_name: "customers",
                left: codes.len(),
                right_name: "revenue",
                right: revenue.len(),
            });
        }
        let n_customers = labels.len();
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        let mut missing = 0u64;
        for (i, ((&c, &d), &r)) in codes.iter().zip(days).zip(revenue).enumerate() {
            check_revenue(i, r)?;
            check_day(i, d)?;
            if c == MISSING_CUSTOMER || d == MISSING_DAY || r.is_nan() {
                missing += 1;
                continue;
            }
            if c as usize >= n_customers {
                return Err(CxError::GroupOutOfRange {
                    index: i,
                    group: i64::from(c),
                    groups: n_customers,
                });
            }
            lo = lo.min(d);
            hi = hi.max(d);
        }
        if lo > hi {
            return Err(CxError::empty(
                "no transaction with a customer id, a date and a revenue",
            ));
        }
        let first_period = freq.index(lo);
        let n_periods = (freq.index(hi) - first_period + 1) as usize;
        if n_periods > MAX_PERIODS {
            return Err(CxError::InvalidArgument {
                name: "freq",
                value: freq.to_string(),
                expected: format!("at most {MAX_PERIODS} periods, not {n_periods}"),
            });
        }
        let cw = n_customers.div_ceil(64);
        // The period code of every day in the range, looked up per row (months and quarters
        // need calendar arithmetic); direct computation for a range far wider than the data.
        let span = (hi - lo + 1) as usize;
        let table: Option<Vec<u32>> = (span <= (1 << 22).max(codes.len())).then(|| {
            (lo..=hi)
                .map(|d| (freq.index(d) - first_period) as u32)
                .collect()
        });
        let period_of = |d: i64| match &table {
            Some(t) => t[(d - lo) as usize] as usize,
            None => (freq.index(d) - first_period) as usize,
        };
        let valid =
            |c: u32, d: i64, r: f64| c != MISSING_CUSTOMER && d != MISSING_DAY && !r.is_nan();
        // Pass 2: the occupied and purchase bits, interleaved so that a row touches one line.
        let mut bits = vec![[0u64; 2]; n_periods * cw];
        for ((&c, &d), &r) in codes.iter().zip(days).zip(revenue) {
            if !valid(c, d, r) {
                continue;
            }
            let w = &mut bits[period_of(d) * cw + c as usize / 64];
            let bit = 1u64 << (c % 64);
            w[0] |= bit;
            if r >= 0.0 {
                w[1] |= bit;
            }
        }
        // Index of each (period, word)'s first cell, beside its bits.
        let mut meta = Vec::with_capacity(bits.len());
        let mut total = 0u64;
        for w in &bits {
            meta.push([w[0], total]);
            total += u64::from(w[0].count_ones());
        }
        // Pass 3: net revenue into the cells.
        let mut cells = vec![0.0f64; total as usize];
        for ((&c, &d), &r) in codes.iter().zip(days).zip(revenue) {
            if !valid(c, d, r) {
                continue;
            }
            let [any, base] = meta[period_of(d) * cw + c as usize / 64];
            let idx = base + u64::from((any & ((1u64 << (c % 64)) - 1)).count_ones());
            cells[idx as usize] += r;
        }
        let (any, buy): (Vec<u64>, Vec<u64>) = bits.into_iter().map(|[a, b]| (a, b)).unzip();
        let base = meta.into_iter().map(|[_, b]| b).collect();
        Ok(Activity {
            freq,
            first_period,
            n_periods,
            customers: labels,
            rows: codes.len() as u64,
            missing,
            cw,
            any,
            buy,
            base,
            revenue: cells,
            channels: Vec::new(),
            acquired: Vec::new(),
        })
    }

    /// Attach each customer's acquisition channel: the channel of their first purchase (on a day
    /// with purchases in several channels, the first channel in label order). `channels` has
    /// one code per row of the same log (`0..labels.len()`); rows are read as in
    /// [`Activity::from_codes`], so pass the same `codes`, `days` and `revenue`.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] for a column of another length; [`CxError::GroupOutOfRange`]
    /// for a channel code not below `labels.len()` or a customer code not in the summary.
    ///
    /// # Examples
    /// ```
    /// use cx_core::grouping::Key;
    /// use cx_core::retention::{acquisition, Activity};
    /// use cx_core::Freq;
    /// let (ids, days, rev) = ([1, 2, 1], [0, 3, 40], [5.0, 3.0, 4.0]);
    /// let a = Activity::from_ints(&ids, &days, &rev, Freq::Month)?
    ///     .with_channels(&[0, 1, 0], &days, &rev, &[1, 0, 0], vec![Key::Str("ads".into()), Key::Str("web".into())])?;
    /// let t = acquisition(&a)?;
    /// assert_eq!((t.rows[1].channel.as_str(), t.rows[1].new), ("web", 1)); // customer 1, January
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn with_channels(
        mut self,
        codes: &[u32],
        days: &[i64],
        revenue: &[f64],
        channels: &[u32],
        labels: Vec<Key>,
    ) -> Result<Activity> {
        for (name, len) in [
            ("dates", days.len()),
            ("revenue", revenue.len()),
            ("channels", channels.len()),
        ] {
            if len != codes.len() {
                return Err(CxError::LengthMismatch {
                    left_name: "customers",
                    left: codes.len(),
                    right_name: name,
                    right: len,
                });
            }
        }
        let n = self.customers.len();
        let mut acquired = vec![NOT_ACQUIRED; n];
        for (i, (((&c, &d), &r), &ch)) in codes
            .iter()
            .zip(days)
            .zip(revenue)
            .zip(channels)
            .enumerate()
        {
            if c == MISSING_CUSTOMER || d == MISSING_DAY || r.is_nan() || r < 0.0 {
                continue;
            }
            if c as usize >= n {
                return Err(CxError::GroupOutOfRange {
                    index: i,
                    group: i64::from(c),
                    groups: n,
                });
            }
            if ch as usize >= labels.len() {
                return Err(CxError::GroupOutOfRange {
                    index: i,
                    group: i64::from(ch),
                    groups: labels.len(),
                });
            }
            let slot = &mut acquired[c as usize];
            *slot = (*slot).min((d, ch));
        }
        self.channels = labels;
        self.acquired = acquired;
        Ok(self)
    }

    /// Build the summary from integer customer ids (factorized in one pass).
    ///
    /// # Errors
    /// As [`Activity::from_codes`].
    pub fn from_ints(ids: &[i64], days: &[i64], revenue: &[f64], freq: Freq) -> Result<Activity> {
        let (codes, labels) = factorize_ints(ids);
        let labels = labels.into_iter().map(Key::Int).collect();
        Activity::from_codes(&codes, labels, days, revenue, freq)
    }

    /// Build the summary from string customer ids (`None` is a missing id).
    ///
    /// # Errors
    /// As [`Activity::from_codes`].
    pub fn from_strs(
        ids: &[Option<&str>],
        days: &[i64],
        revenue: &[f64],
        freq: Freq,
    ) -> Result<Activity> {
        let (mut codes, labels) = factorize(ids);
        let mut keys: Vec<Key> = Vec::with_capacity(labels.len());
        for l in labels {
            match l {
                Some(s) => keys.push(Key::Str(s.to_string())),
                None => {
                    let missing = keys.len() as u32;
                    codes
                        .iter_mut()
                        .filter(|c| **c == missing)
                        .for_each(|c| *c = MISSING_CUSTOMER);
                }
            }
        }
        Activity::from_codes(&codes, keys, days, revenue, freq)
    }

    /// The summary as JSON text (`{"format": "cxkit.activity", "version": 1, ...}`, the same in
    /// every language; read back with [`Activity::from_json`]).
    pub fn to_json(&self) -> String {
        // Infallible for this struct: string keys only, and every number is finite.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Read a summary written by [`Activity::to_json`].
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for text that is not such a summary, another format
    /// version, or an inconsistent one.
    pub fn from_json(text: &str) -> Result<Activity> {
        serde_json::from_str(text).map_err(|e| CxError::unreadable(e.to_string()))
    }

    /// The label of period code `p` (`2026-03`, `2026-W09`, ...).
    pub fn label(&self, p: usize) -> String {
        self.freq.label(self.first_period + p as i64)
    }

    /// First day (days since 1970-01-01) of period code `p`.
    pub fn start(&self, p: usize) -> i64 {
        self.freq.start(self.first_period + p as i64)
    }

    /// The occupied cells of period `p`, in customer order.
    fn cells(&self, p: usize) -> impl Iterator<Item = Cell> + '_ {
        let words = &self.any[p * self.cw..(p + 1) * self.cw];
        let buys = &self.buy[p * self.cw..(p + 1) * self.cw];
        let start = if words.is_empty() {
            0
        } else {
            self.base[p * self.cw] as usize
        };
        words
            .iter()
            .zip(buys)
            .enumerate()
            .flat_map(|(wi, (&w, &b))| {
                BitIter(w).map(move |bit| (wi * 64 + bit, b >> bit & 1 == 1))
            })
            .enumerate()
            .map(move |(k, (customer, bought))| Cell {
                customer,
                revenue: self.revenue[start + k],
                bought,
            })
    }

    /// Merge the summary of another part of the log (same `freq`): customers are matched by
    /// id, periods aligned, revenue in the same customer-period added.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when the period lengths differ.
    ///
    /// # Examples
    /// ```
    /// use cx_core::retention::Activity;
    /// use cx_core::Freq;
    /// let whole = Activity::from_ints(&[1, 2, 1], &[0, 40, 70], &[5.0, 3.0, 2.0], Freq::Month)?;
    /// let mut a = Activity::from_ints(&[1], &[0], &[5.0], Freq::Month)?;
    /// let b = Activity::from_ints(&[2, 1], &[40, 70], &[3.0, 2.0], Freq::Month)?;
    /// a.merge(&b)?;
    /// assert_eq!(a, whole);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn merge(&mut self, other: &Activity) -> Result<()> {
        if self.freq != other.freq {
            return Err(CxError::InvalidArgument {
                name: "freq",
                value: other.freq.to_string(),
                expected: format!(
                    "the same period length as the summary it merges into ({})",
                    self.freq
                ),
            });
        }
        let mut keys: Vec<Key> = self.customers.clone();
        keys.extend(other.customers.iter().cloned());
        keys.sort();
        keys.dedup();
        let index: HashMap<&Key, u32> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k, i as u32))
            .collect();
        // Rebuild from the cells of both: one synthetic row per cell (purchase cells keep their
        // net as one purchase row; refund-only cells as one refund row).
        let mut codes = Vec::new();
        let mut days = Vec::new();
        let mut revenue = Vec::new();
        let mut buy_only = Vec::new();
        for part in [&*self, other] {
            for p in 0..part.n_periods {
                for cell in part.cells(p) {
                    codes.push(index[&part.customers[cell.customer]]);
                    days.push(part.start(p));
                    revenue.push(cell.revenue);
                    buy_only.push(cell.bought);
                }
            }
        }
        let mut merged =
            Activity::from_cells(&codes, keys.clone(), &days, &revenue, &buy_only, self.freq)?;
        merged.rows = self.rows + other.rows;
        merged.missing = self.missing + other.missing;
        if self.channels.is_empty() != other.channels.is_empty() {
            return Err(CxError::InvalidArgument {
                name: "channels",
                value: "on one summary only".into(),
                expected: "acquisition channels on both summaries or on neither".into(),
            });
        }
        if !self.channels.is_empty() {
            let mut labels: Vec<Key> = self.channels.clone();
            labels.extend(other.channels.iter().cloned());
            labels.sort();
            labels.dedup();
            let mut acquired = vec![NOT_ACQUIRED; merged.customers.len()];
            for part in [&*self, other] {
                for (c, &(d, ch)) in part.acquired.iter().enumerate() {
                    if (d, ch) == NOT_ACQUIRED {
                        continue;
                    }
                    let ch = labels
                        .binary_search(&part.channels[ch as usize])
                        .unwrap_or(0) as u32;
                    let slot = &mut acquired[index[&part.customers[c]] as usize];
                    *slot = (*slot).min((d, ch));
                }
            }
            merged.channels = labels;
            merged.acquired = acquired;
        }
        *self = merged;
        Ok(())
    }

    /// Like `from_codes`, with the purchase flag given per row instead of read from the sign.
    fn from_cells(
        codes: &[u32],
        labels: Vec<Key>,
        days: &[i64],
        revenue: &[f64],
        bought: &[bool],
        freq: Freq,
    ) -> Result<Activity> {
        // Revenue of every cell first (signs as given), then the purchase bits as flagged.
        let mut a = Activity::from_codes(codes, labels, days, revenue, freq)?;
        a.buy.iter_mut().for_each(|w| *w = 0);
        for ((&c, &d), &b) in codes.iter().zip(days).zip(bought) {
            if b {
                let p = (freq.index(d) - a.first_period) as usize;
                a.buy[p * a.cw + c as usize / 64] |= 1u64 << (c % 64);
            }
        }
        Ok(a)
    }

    /// Whether customer `c` made a purchase in period `p`.
    #[inline]
    fn bought(&self, c: usize, p: usize) -> bool {
        self.buy[p * self.cw + c / 64] >> (c % 64) & 1 == 1
    }

    /// Net revenue of customer `c` in period `p` (0 when the customer has no row in it).
    #[inline]
    fn revenue_at(&self, c: usize, p: usize) -> f64 {
        let k = p * self.cw + c / 64;
        let w = self.any[k];
        if w >> (c % 64) & 1 == 0 {
            0.0
        } else {
            let idx = self.base[k] + u64::from((w & ((1u64 << (c % 64)) - 1)).count_ones());
            self.revenue[idx as usize]
        }
    }
}

/// The set bits of a word, lowest first.
struct BitIter(u64);

impl Iterator for BitIter {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let b = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(b)
    }
}

/// Options of [`retention`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionOptions {
    /// Periods between the base period and the period whose revenue retention is measured
    /// (default 1: period over period; 12 with monthly periods gives the annual NRR / GRR of the
    /// SaaS literature).
    pub lag: u32,
    /// Spend on acquisition in each period (money, one value per period of the log), optional.
    pub acquisition_spend: Option<Vec<f64>>,
    /// Spend on retention in each period (money, one value per period of the log), optional.
    pub retention_spend: Option<Vec<f64>>,
}

impl Default for RetentionOptions {
    fn default() -> Self {
        RetentionOptions {
            lag: 1,
            acquisition_spend: None,
            retention_spend: None,
        }
    }
}

impl RetentionOptions {
    /// Check the options without computing: `lag` at least 1, spends finite and >= 0.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] naming the option, index and value.
    pub fn validate(&self) -> Result<()> {
        if self.lag == 0 {
            return Err(CxError::InvalidArgument {
                name: "lag",
                value: "0".into(),
                expected: "at least 1 period".into(),
            });
        }
        for (name, spend) in [
            ("acquisition_spend", &self.acquisition_spend),
            ("retention_spend", &self.retention_spend),
        ] {
            if let Some(s) = spend {
                if let Some((i, v)) = s
                    .iter()
                    .enumerate()
                    .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
                {
                    return Err(CxError::InvalidArgument {
                        name,
                        value: format!("{v} at index {i}"),
                        expected: "finite amounts >= 0, one per period".into(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// One period of the [`retention`] table. Counts are customers; money is in the input's unit;
/// rates and shares are fractions 0..1 (`None` where the denominator is 0 or the period has no
/// predecessor in the log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionRow {
    /// Period label (`2026-03`, `2026-W09`, `2026-Q1`, ...).
    pub period: String,
    /// First day of the period, days since 1970-01-01.
    pub start: i64,
    /// Customers with a purchase in the period.
    pub active: u64,
    /// Active customers whose first purchase is in this period.
    pub new: u64,
    /// Active customers who were also active in the previous period.
    pub retained: u64,
    /// Active customers who bought before, but not in the previous period.
    pub reactivated: u64,
    /// Customers active in the previous period but not in this one.
    pub churned: u64,
    /// `retained / active of the previous period`.
    pub retention_rate: Option<f64>,
    /// `churned / active of the previous period` (1 - retention rate).
    pub churn_rate: Option<f64>,
    /// Net revenue of the period (all rows, refunds included).
    pub revenue: f64,
    /// Net revenue of new customers.
    pub new_revenue: f64,
    /// Net revenue of retained customers.
    pub retained_revenue: f64,
    /// Net revenue of reactivated customers.
    pub reactivated_revenue: f64,
    /// Net revenue (refunds) of customers without a purchase in the period.
    pub inactive_revenue: f64,
    /// `new_revenue / revenue`.
    pub new_revenue_share: Option<f64>,
    /// `(retained_revenue + reactivated_revenue) / revenue`: revenue from existing customers.
    pub existing_revenue_share: Option<f64>,
    /// Growth accounting: revenue increase of retained customers over the previous period.
    pub expansion_revenue: f64,
    /// Growth accounting: revenue decrease of retained customers (a positive amount).
    pub contraction_revenue: f64,
    /// Growth accounting: previous-period revenue of the churned customers.
    pub churned_revenue: f64,
    /// `(new + reactivated + expansion) / (churned + contraction)` revenue (Hsu's quick ratio).
    pub quick_ratio: Option<f64>,
    /// Share of the gross revenue gains (`new + reactivated + expansion`) from new customers.
    pub growth_from_new_share: Option<f64>,
    /// Share of the gross revenue gains from existing customers (`reactivated + expansion`).
    pub growth_from_existing_share: Option<f64>,
    /// Net revenue retention against the period `lag` periods earlier.
    pub nrr: Option<f64>,
    /// Gross revenue retention against the period `lag` periods earlier.
    pub grr: Option<f64>,
    /// Acquisition spend of the period, when given.
    pub acquisition_spend: Option<f64>,
    /// Retention spend of the period, when given.
    pub retention_spend: Option<f64>,
    /// `acquisition_spend / new` (money per acquired customer).
    pub cost_per_acquired: Option<f64>,
    /// `retention_spend / retained` (money per retained customer).
    pub cost_per_retained: Option<f64>,
    /// `cost_per_acquired / cost_per_retained`: how many times more a new customer costs than
    /// keeping one.
    pub balance_ratio: Option<f64>,
}

/// The retention table of a transaction log, one row per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    /// Period length.
    pub freq: Freq,
    /// Base-period lag of `nrr` and `grr`.
    pub lag: u32,
    /// Distinct customers with at least one purchase.
    pub customers: u64,
    /// Net revenue of the whole log.
    pub revenue: f64,
    /// Rows skipped for a missing customer id, date or revenue.
    pub missing: u64,
    /// One row per period, first to last.
    pub rows: Vec<RetentionRow>,
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den != 0.0).then(|| num / den)
}

/// Per-period retention, revenue by customer status, growth accounting, revenue retention and
/// the acquisition-versus-retention spend balance.
///
/// # Formula
/// ```text
/// A_t  = customers with a purchase in t           new_t = A_t with first purchase in t
/// retained_t = A_t ∩ A_{t-1}   reactivated_t = A_t − new_t − retained_t   churned_t = A_{t-1} − A_t
/// retention_rate_t = |retained_t| / |A_{t-1}|,    churn_rate_t = |churned_t| / |A_{t-1}|
/// R_i(t) = net revenue of customer i in t
/// expansion_t   = Σ_{i ∈ retained_t} max(R_i(t) − R_i(t−1), 0)
/// contraction_t = Σ_{i ∈ retained_t} max(R_i(t−1) − R_i(t), 0)
/// churned_revenue_t = Σ_{i ∈ churned_t} R_i(t−1)
/// revenue_t − revenue_{t−1} = new + reactivated + expansion − contraction − churned
///                             + inactive_t − inactive_{t−1}            (exact identity)
/// quick_ratio_t = (new + reactivated + expansion) / (churned + contraction)
/// B_t = customers with a purchase and R_i > 0 in the base period b = t − lag
/// NRR_t = Σ_{i∈B_t} R_i(t) / Σ_{i∈B_t} R_i(b)
/// GRR_t = Σ_{i∈B_t} min(R_i(t), R_i(b)) / Σ_{i∈B_t} R_i(b)
/// cost_per_acquired_t = acquisition_spend_t / |new_t|
/// cost_per_retained_t = retention_spend_t / |retained_t|
/// balance_ratio_t = cost_per_acquired_t / cost_per_retained_t
/// ```
/// NRR and GRR are cohort-based: the base cohort is fixed in the base period and followed to
/// period t; NRR counts expansion, so it can exceed 1; GRR caps each customer at their base
/// revenue, so expansion cannot offset churn and contraction and GRR <= 1 (with refunds, a
/// negative R_i(t) lowers both). These are the net and gross dollar retention of the SaaS
/// metrics literature (beginning revenue of a cohort plus expansion minus contraction and
/// churn, over beginning revenue; gross: without expansion), with revenue in place of
/// recurring revenue; use `lag` = 12 on monthly periods for the usual annual figure.
///
/// # Errors
/// [`CxError::InvalidArgument`] for invalid options; [`CxError::LengthMismatch`] for a spend
/// series whose length is not the number of periods of the log.
///
/// # Examples
/// ```
/// use cx_core::retention::{retention, Activity, RetentionOptions};
/// use cx_core::Freq;
/// // customer 1 buys in January and February, customer 2 in January only
/// let a = Activity::from_ints(&[1, 2, 1], &[0, 5, 40], &[10.0, 4.0, 12.0], Freq::Month)?;
/// let t = retention(&a, &RetentionOptions::default())?;
/// let feb = &t.rows[1];
/// assert_eq!((feb.active, feb.retained, feb.churned), (1, 1, 1));
/// assert_eq!(feb.retention_rate, Some(0.5));
/// assert_eq!(feb.nrr, Some(12.0 / 14.0));  // base: both January customers, 14 of revenue
/// assert_eq!(feb.grr, Some(10.0 / 14.0));  // customer 1 capped at their January 10
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Hsu, J. (2015), "Diligence at Social Capital, Part 2: Accounting for Revenue Growth"
/// (growth accounting: new, resurrected, expansion, contraction, churned; the quick ratio).
/// KeyBanc Capital Markets and Sapphire Ventures, "Private SaaS Company Survey" (net and gross
/// dollar retention of a cohort of customers from a year earlier). Fader, P. S. and Hardie,
/// B. G. S. (2009), "Probability models for customer-base analysis", Journal of Interactive
/// Marketing 23(1) (active, retained and reactivated customers in non-contractual settings).
pub fn retention(activity: &Activity, options: &RetentionOptions) -> Result<Retention> {
    options.validate()?;
    let n = activity.n_periods;
    for (name, spend) in [
        ("acquisition_spend", &options.acquisition_spend),
        ("retention_spend", &options.retention_spend),
    ] {
        if let Some(s) = spend {
            if s.len() != n {
                return Err(CxError::LengthMismatch {
                    left_name: "periods",
                    left: n,
                    right_name: name,
                    right: s.len(),
                });
            }
        }
    }
    let lag = options.lag as usize;
    let mut active = vec![0u64; n];
    let mut new = vec![0u64; n];
    let mut retained = vec![0u64; n];
    let mut reactivated = vec![0u64; n];
    let mut churned = vec![0u64; n];
    let mut revenue = vec![0.0; n];
    let mut new_rev = vec![0.0; n];
    let mut ret_rev = vec![0.0; n];
    let mut react_rev = vec![0.0; n];
    let mut inactive_rev = vec![0.0; n];
    let mut expansion = vec![0.0; n];
    let mut contraction = vec![0.0; n];
    let mut churned_rev = vec![0.0; n];
    let mut base = vec![0.0; n];
    let mut nrr_num = vec![0.0; n];
    let mut grr_num = vec![0.0; n];
    // One sweep over the periods: `ever` holds the customers with a purchase before t.
    let a = activity;
    let mut ever = vec![0u64; a.cw];
    for t in 0..n {
        for cell in a.cells(t) {
            let (c, rev) = (cell.customer, cell.revenue);
            revenue[t] += rev;
            if !cell.bought {
                inactive_rev[t] += rev;
                continue;
            }
            active[t] += 1;
            if ever[c / 64] >> (c % 64) & 1 == 0 {
                new[t] += 1;
                new_rev[t] += rev;
            } else if t > 0 && a.bought(c, t - 1) {
                retained[t] += 1;
                ret_rev[t] += rev;
                let d = rev - a.revenue_at(c, t - 1);
                if d > 0.0 {
                    expansion[t] += d;
                } else {
                    contraction[t] -= d;
                }
            } else {
                reactivated[t] += 1;
                react_rev[t] += rev;
            }
            if rev > 0.0 && t + lag < n {
                let now = a.revenue_at(c, t + lag);
                base[t + lag] += rev;
                nrr_num[t + lag] += now;
                grr_num[t + lag] += now.min(rev);
            }
        }
        if t > 0 {
            // churned in t: bought in t - 1, not in t
            for w in 0..a.cw {
                let mut gone = a.buy[(t - 1) * a.cw + w] & !a.buy[t * a.cw + w];
                churned[t] += u64::from(gone.count_ones());
                while gone != 0 {
                    let c = w * 64 + gone.trailing_zeros() as usize;
                    churned_rev[t] += a.revenue_at(c, t - 1);
                    gone &= gone - 1;
                }
            }
        }
        for (e, b) in ever.iter_mut().zip(&a.buy[t * a.cw..(t + 1) * a.cw]) {
            *e |= b;
        }
    }
    let customers: u64 = ever.iter().map(|w| u64::from(w.count_ones())).sum();
    let spend_at = |s: &Option<Vec<f64>>, t: usize| s.as_ref().map(|v| v[t]);
    let rows = (0..n)
        .map(|t| {
            let prev_active = if t == 0 {
                None
            } else {
                Some(active[t - 1] as f64)
            };
            let gains = new_rev[t] + react_rev[t] + expansion[t];
            let acquisition_spend = spend_at(&options.acquisition_spend, t);
            let retention_spend = spend_at(&options.retention_spend, t);
            let cost_per_acquired = acquisition_spend.and_then(|s| ratio(s, new[t] as f64));
            let cost_per_retained = retention_spend.and_then(|s| ratio(s, retained[t] as f64));
            RetentionRow {
                period: activity.label(t),
                start: activity.start(t),
                active: active[t],
                new: new[t],
                retained: retained[t],
                reactivated: reactivated[t],
                churned: churned[t],
                retention_rate: prev_active.and_then(|a| ratio(retained[t] as f64, a)),
                churn_rate: prev_active.and_then(|a| ratio(churned[t] as f64, a)),
                revenue: revenue[t],
                new_revenue: new_rev[t],
                retained_revenue: ret_rev[t],
                reactivated_revenue: react_rev[t],
                inactive_revenue: inactive_rev[t],
                new_revenue_share: ratio(new_rev[t], revenue[t]),
                existing_revenue_share: ratio(ret_rev[t] + react_rev[t], revenue[t]),
                expansion_revenue: expansion[t],
                contraction_revenue: contraction[t],
                churned_revenue: churned_rev[t],
                quick_ratio: if t == 0 {
                    None
                } else {
                    ratio(gains, churned_rev[t] + contraction[t])
                },
                growth_from_new_share: ratio(new_rev[t], gains),
                growth_from_existing_share: ratio(react_rev[t] + expansion[t], gains),
                nrr: if t >= lag {
                    ratio(nrr_num[t], base[t])
                } else {
                    None
                },
                grr: if t >= lag {
                    ratio(grr_num[t], base[t])
                } else {
                    None
                },
                acquisition_spend,
                retention_spend,
                cost_per_acquired,
                cost_per_retained,
                balance_ratio: cost_per_acquired
                    .zip(cost_per_retained)
                    .and_then(|(a, r)| ratio(a, r)),
            }
        })
        .collect();
    Ok(Retention {
        freq: activity.freq,
        lag: options.lag,
        customers,
        revenue: revenue.iter().sum(),
        missing: activity.missing,
        rows,
    })
}

/// Cohort tables: customers and revenue by acquisition cohort (period of first purchase) x
/// periods since acquisition, as counts and as rates, with the average retention curves.
///
/// Row `c` is the cohort acquired in period `c` (every period of the log, empty cohorts
/// included); column `k` is `k` periods after acquisition; cells past the end of the log are
/// `None` (the triangle).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohorts {
    /// Period length.
    pub freq: Freq,
    /// Cohort labels (period of acquisition).
    pub cohorts: Vec<String>,
    /// Customers acquired in each cohort.
    pub sizes: Vec<u64>,
    /// Active customers of cohort c, k periods after acquisition.
    pub customers: Vec<Vec<Option<u64>>>,
    /// Net revenue of cohort c's customers k periods after acquisition (money).
    pub revenue: Vec<Vec<Option<f64>>>,
    /// `customers[c][k] / sizes[c]` (`None` for an empty cohort).
    pub customer_rates: Vec<Vec<Option<f64>>>,
    /// `revenue[c][k] / revenue[c][0]` (`None` when the first-period revenue is 0).
    pub revenue_rates: Vec<Vec<Option<f64>>>,
    /// Average customer retention curve: `Σ_c customers[c][k] / Σ_c sizes[c]` over the cohorts
    /// observed k periods after acquisition (pooled, i.e. weighted by cohort size).
    pub average_retention: Vec<Option<f64>>,
    /// Average revenue retention curve: `Σ_c revenue[c][k] / Σ_c revenue[c][0]` over the
    /// cohorts observed k periods after acquisition.
    pub average_revenue_retention: Vec<Option<f64>>,
}

/// The cohort tables (retention triangle) of a transaction log; see [`Cohorts`].
///
/// # Formula
/// ```text
/// customers[c][k] = |{ i : first purchase of i in c, i active in c + k }|
/// revenue[c][k]   = Σ_{i : first purchase in c} R_i(c + k)
/// average_retention[k] = Σ_{c : c + k < n} customers[c][k] / Σ_{c : c + k < n} sizes[c]
/// ```
/// Rows before a customer's first purchase (refunds only) count in no cohort.
///
/// # Memory
/// The triangle has one cell per cohort and period since acquisition: O(P²) for P periods
/// (16 bytes a cell; 1,000 periods take 16 MB, daily periods over ten years about 210 MB). Use a
/// coarser `freq` for long logs.
///
/// # Examples
/// ```
/// use cx_core::retention::{cohorts, Activity};
/// use cx_core::Freq;
/// let a = Activity::from_ints(&[1, 2, 1, 3], &[0, 5, 40, 45], &[10.0, 4.0, 12.0, 1.0], Freq::Month)?;
/// let c = cohorts(&a);
/// assert_eq!(c.customers[0], vec![Some(2), Some(1)]);
/// assert_eq!(c.customer_rates[0][1], Some(0.5));
/// assert_eq!(c.customers[1], vec![Some(1), None]);
/// assert_eq!(c.average_retention, vec![Some(1.0), Some(0.5)]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Fader, P. S. and Hardie, B. G. S. (2007), "How to project customer retention", Journal of
/// Interactive Marketing 21(1) (cohort survival tables); Gupta, S. et al. (2006), "Modeling
/// customer lifetime value", Journal of Service Research 9(2).
pub fn cohorts(activity: &Activity) -> Cohorts {
    let n = activity.n_periods;
    let mut counts = vec![vec![0u64; n]; n];
    let mut revenue = vec![vec![0.0f64; n]; n];
    // First purchase period per customer, filled in by the sweep over the periods.
    const NONE: u32 = u32::MAX;
    let mut first = vec![NONE; activity.customers.len()];
    for t in 0..n {
        for cell in activity.cells(t) {
            let f = &mut first[cell.customer];
            if *f == NONE && cell.bought {
                *f = t as u32;
            }
            if *f != NONE {
                let (f, k) = (*f as usize, t - *f as usize);
                revenue[f][k] += cell.revenue;
                if cell.bought {
                    counts[f][k] += 1;
                }
            }
        }
    }
    let sizes: Vec<u64> = counts.iter().map(|r| r[0]).collect();
    let tri = |c: usize, k: usize| c + k < n;
    let customers = (0..n)
        .map(|c| (0..n).map(|k| tri(c, k).then_some(counts[c][k])).collect())
        .collect();
    let revenue_tab = (0..n)
        .map(|c| (0..n).map(|k| tri(c, k).then_some(revenue[c][k])).collect())
        .collect();
    let customer_rates = (0..n)
        .map(|c| {
            (0..n)
                .map(|k| {
                    if tri(c, k) {
                        ratio(counts[c][k] as f64, sizes[c] as f64)
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect();
    let revenue_rates = (0..n)
        .map(|c| {
            (0..n)
                .map(|k| {
                    if tri(c, k) {
                        ratio(revenue[c][k], revenue[c][0])
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect();
    let average_retention = (0..n)
        .map(|k| {
            let (num, den) = (0..n - k).fold((0.0, 0.0), |(a, b), c| {
                (a + counts[c][k] as f64, b + sizes[c] as f64)
            });
            ratio(num, den)
        })
        .collect();
    let average_revenue_retention = (0..n)
        .map(|k| {
            let (num, den) = (0..n - k).fold((0.0, 0.0), |(a, b), c| {
                (a + revenue[c][k], b + revenue[c][0])
            });
            ratio(num, den)
        })
        .collect();
    Cohorts {
        freq: activity.freq,
        cohorts: (0..n).map(|p| activity.label(p)).collect(),
        sizes,
        customers,
        revenue: revenue_tab,
        customer_rates,
        revenue_rates,
        average_retention,
        average_revenue_retention,
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{:.1}%", 100.0 * v))
}

impl std::fmt::Display for Retention {
    /// A text table: one line per period.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<10} {:>8} {:>7} {:>8} {:>7} {:>7} {:>9} {:>12} {:>8} {:>8} {:>8}",
            "period",
            "active",
            "new",
            "retained",
            "react.",
            "churned",
            "retention",
            "revenue",
            "new rev",
            "NRR",
            "GRR"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<10} {:>8} {:>7} {:>8} {:>7} {:>7} {:>9} {:>12.2} {:>8} {:>8} {:>8}",
                r.period,
                r.active,
                r.new,
                r.retained,
                r.reactivated,
                r.churned,
                pct(r.retention_rate),
                r.revenue,
                pct(r.new_revenue_share),
                pct(r.nrr),
                pct(r.grr)
            )?;
        }
        write!(
            f,
            "{} customers, revenue {:.2}, NRR/GRR lag {} {}(s)",
            self.customers, self.revenue, self.lag, self.freq
        )
    }
}

impl std::fmt::Display for Cohorts {
    /// The retention triangle in percent, one line per cohort.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<10} {:>7}  retained customers by {}s since acquisition",
            "cohort", "size", self.freq
        )?;
        for ((c, n), rates) in self
            .cohorts
            .iter()
            .zip(&self.sizes)
            .zip(&self.customer_rates)
        {
            let cells: Vec<String> = rates
                .iter()
                .flatten()
                .map(|x| format!("{:>4.0}", 100.0 * x))
                .collect();
            writeln!(f, "{c:<10} {n:>7}  {}", cells.join(" "))?;
        }
        let avg: Vec<String> = self
            .average_retention
            .iter()
            .map(|x| x.map_or_else(|| "   -".into(), |v| format!("{:>4.0}", 100.0 * v)))
            .collect();
        write!(f, "{:<10} {:>7}  {}", "average", "", avg.join(" "))
    }
}

/// New customers of one acquisition channel in one period, and how they did afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcquisitionRow {
    /// Period of acquisition (first purchase).
    pub period: String,
    /// Acquisition channel (the channel of the first purchase).
    pub channel: String,
    /// Customers acquired.
    pub new: u64,
    /// Their net revenue in the period of acquisition.
    pub new_revenue: f64,
    /// Of them, customers active in the next period.
    pub retained_next: u64,
    /// `retained_next / new` (`None` in the last period or without new customers).
    pub next_period_retention: Option<f64>,
    /// Their net revenue from acquisition to the end of the log.
    pub revenue_to_date: f64,
    /// `revenue_to_date / new`.
    pub revenue_per_customer: Option<f64>,
}

/// Customers acquired per period and acquisition channel (one row per period and channel,
/// periods first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acquisition {
    /// Period length.
    pub freq: Freq,
    /// Channel labels.
    pub channels: Vec<String>,
    /// One row per period and channel.
    pub rows: Vec<AcquisitionRow>,
}

/// New customers by period and acquisition channel, with their first-period revenue,
/// next-period retention and revenue to date.
///
/// # Formula
/// ```text
/// new[p, ch] = customers whose first purchase is in p, through channel ch
/// next_period_retention = |{ i ∈ new[p, ch] : i active in p + 1 }| / |new[p, ch]|
/// revenue_per_customer  = Σ_{i ∈ new[p, ch]} Σ_{t ≥ p} R_i(t) / |new[p, ch]|
/// ```
///
/// # Errors
/// [`CxError::InvalidArgument`] when the summary has no channels
/// ([`Activity::with_channels`]).
pub fn acquisition(activity: &Activity) -> Result<Acquisition> {
    let a = activity;
    if a.channels.is_empty() {
        return Err(CxError::InvalidArgument {
            name: "channels",
            value: "none".into(),
            expected: "a summary with acquisition channels (Activity::with_channels)".into(),
        });
    }
    let (n, k) = (a.n_periods, a.channels.len());
    // Total net revenue of each customer from their acquisition period on.
    let mut to_date = vec![0.0f64; a.customers.len()];
    let period_of = |d: i64| (a.freq.index(d) - a.first_period) as usize;
    for t in 0..n {
        for cell in a.cells(t) {
            let (d, _) = a.acquired[cell.customer];
            if d != i64::MAX && period_of(d) <= t {
                to_date[cell.customer] += cell.revenue;
            }
        }
    }
    let mut new = vec![0u64; n * k];
    let mut new_rev = vec![0.0; n * k];
    let mut kept = vec![0u64; n * k];
    let mut total = vec![0.0; n * k];
    for (c, &(d, ch)) in a.acquired.iter().enumerate() {
        if d == i64::MAX {
            continue;
        }
        let p = period_of(d);
        let i = p * k + ch as usize;
        new[i] += 1;
        new_rev[i] += a.revenue_at(c, p);
        kept[i] += u64::from(p + 1 < n && a.bought(c, p + 1));
        total[i] += to_date[c];
    }
    let rows = (0..n * k)
        .map(|i| {
            let (p, ch) = (i / k, i % k);
            AcquisitionRow {
                period: a.label(p),
                channel: a.channels[ch].to_string(),
                new: new[i],
                new_revenue: new_rev[i],
                retained_next: kept[i],
                next_period_retention: if p + 1 < n {
                    ratio(kept[i] as f64, new[i] as f64)
                } else {
                    None
                },
                revenue_to_date: total[i],
                revenue_per_customer: ratio(total[i], new[i] as f64),
            }
        })
        .collect();
    Ok(Acquisition {
        freq: a.freq,
        channels: a.channels.iter().map(|c| c.to_string()).collect(),
        rows,
    })
}

impl std::fmt::Display for Acquisition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<10} {:<12} {:>7} {:>12} {:>10} {:>14}",
            "period", "channel", "new", "new revenue", "next ret.", "revenue/cust."
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<10} {:<12} {:>7} {:>12.2} {:>10} {:>14}",
                r.period,
                r.channel,
                r.new,
                r.new_revenue,
                pct(r.next_period_retention),
                r.revenue_per_customer
                    .map_or_else(|| "-".into(), |v| format!("{v:.2}"))
            )?;
        }
        write!(f, "{} channels", self.channels.len())
    }
}

impl std::fmt::Display for Activity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "activity of {} customers over {} {}s from {} ({} rows, {} skipped{})",
            self.customers.len(),
            self.n_periods,
            self.freq,
            if self.n_periods > 0 {
                self.label(0)
            } else {
                "-".into()
            },
            self.rows,
            self.missing,
            if self.channels.is_empty() {
                String::new()
            } else {
                format!(", {} acquisition channels", self.channels.len())
            }
        )
    }
}
