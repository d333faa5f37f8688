//! [`Activity`], the per-customer activity summary of a transaction log: building it from the
//! log, merging summaries, and the cells the tables read.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::serial;
use crate::error::{check_len, CxError, Result};
use crate::grouping::{factorize, factorize_ints, Key};
use crate::period::{Freq, MAX_PERIODS};
use crate::transactions::{complete, Reader, TransactionLog, Transactions, MISSING_CUSTOMER};

/// How an [`Activity`] reads its log: the dates of skipped rows are checked too.
const LOG: Reader = Reader {
    customers: "customers",
    dates: "dates",
    skipped_dates: true,
    ids_first: false,
};

/// The per-customer activity summary of a transaction log (see the [module docs](mod@crate::retention)).
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
    pub(super) cw: usize,
    pub(super) any: Vec<u64>,
    pub(super) buy: Vec<u64>,
    /// Index of the first cell of each (period, word).
    pub(super) base: Vec<u64>,
    pub(super) revenue: Vec<f64>,
    /// Acquisition channel labels (empty until [`Activity::with_channels`]).
    pub channels: Vec<Key>,
    /// Per customer with channels: first purchase day and the channel of that day's purchase
    /// (the first in label order when several); `(i64::MAX, u32::MAX)` without a purchase.
    pub(super) acquired: Vec<(i64, u32)>,
}

/// No acquisition (no purchase, or no channels).
pub(super) const NOT_ACQUIRED: (i64, u32) = (i64::MAX, u32::MAX);

/// One occupied customer-period cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Cell {
    pub(super) customer: usize,
    pub(super) revenue: f64,
    pub(super) bought: bool,
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
        let log = TransactionLog {
            customers: codes,
            days,
            revenue,
        }
        .validate(labels.len(), &LOG)?;
        Activity::from_log(&log, labels, freq)
    }

    /// [`Activity::from_codes`] from a validated log.
    fn from_log(log: &Transactions, labels: Vec<Key>, freq: Freq) -> Result<Activity> {
        let n_customers = labels.len();
        let Some((lo, hi)) = log.days else {
            return Err(CxError::empty(
                "no transaction with a customer id, a date and a revenue",
            ));
        };
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
        let table: Option<Vec<u32>> = (span <= (1 << 22).max(log.len())).then(|| {
            (lo..=hi)
                .map(|d| (freq.index(d) - first_period) as u32)
                .collect()
        });
        let period_of = |d: i64| match &table {
            Some(t) => t[(d - lo) as usize] as usize,
            None => (freq.index(d) - first_period) as usize,
        };
        // Pass 2: the occupied and purchase bits, interleaved so that a row touches one line.
        let mut bits = vec![[0u64; 2]; n_periods * cw];
        for (c, d, r) in log.rows() {
            let w = &mut bits[period_of(d) * cw + c / 64];
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
        for (c, d, r) in log.rows() {
            let [any, base] = meta[period_of(d) * cw + c / 64];
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
            rows: log.len() as u64,
            missing: log.missing,
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
        TransactionLog {
            customers: codes,
            days,
            revenue,
        }
        .check_lengths(&LOG)?;
        check_len("customers", codes.len(), "channels", channels.len())?;
        let n = self.customers.len();
        let mut acquired = vec![NOT_ACQUIRED; n];
        for (i, (((&c, &d), &r), &ch)) in codes
            .iter()
            .zip(days)
            .zip(revenue)
            .zip(channels)
            .enumerate()
        {
            if !complete(c, d, r) || r < 0.0 {
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
    pub(super) fn cells(&self, p: usize) -> impl Iterator<Item = Cell> + '_ {
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
    pub(super) fn bought(&self, c: usize, p: usize) -> bool {
        self.buy[p * self.cw + c / 64] >> (c % 64) & 1 == 1
    }

    /// Net revenue of customer `c` in period `p` (0 when the customer has no row in it).
    #[inline]
    pub(super) fn revenue_at(&self, c: usize, p: usize) -> f64 {
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
