//! The per-customer purchase accumulator of [`rfm`](crate::clv::rfm) and the customer view:
//! first and last purchase day, purchase days and the net revenue after the first purchase
//! day, from the rows of a validated log.

/// No purchase yet.
const NONE: i32 = i32::MIN;

/// Per-customer state of the one pass, kept together so that a row touches one cache line.
/// Days are `i32`: a validated log's days are within
/// [`MAX_ABS_DAY`](crate::period::MAX_ABS_DAY) of 1970-01-01.
#[derive(Clone, Copy)]
pub(crate) struct Purchase {
    first: i32,
    last: i32,
    seen: i32,
    /// Purchase days (days with a row of revenue >= 0).
    pub days: u32,
    /// Net revenue of the rows after the first purchase day.
    after: f64,
}

/// One customer's summary in the conventions of [`Rfm`](crate::clv::Rfm).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RfmPoint {
    /// Repeat purchase days.
    pub frequency: f64,
    /// First to last purchase day, in time units.
    pub recency: f64,
    /// First purchase day to the end of the observation period, in time units.
    pub t: f64,
    /// Mean net revenue per repeat purchase (0 without repeat purchases).
    pub monetary_value: f64,
}

impl Purchase {
    const EMPTY: Purchase = Purchase {
        first: NONE,
        last: NONE,
        seen: NONE,
        days: 0,
        after: 0.0,
    };

    /// First and last purchase day (days since 1970-01-01); `None` without a purchase.
    pub(crate) fn span(&self) -> Option<(i64, i64)> {
        (self.first != NONE).then(|| (i64::from(self.first), i64::from(self.last)))
    }

    /// Frequency, recency, T at day `end` and monetary value, with times in units of `unit`
    /// days; `None` without a purchase.
    pub(crate) fn rfm(&self, end: i64, unit: f64) -> Option<RfmPoint> {
        let (first, last) = self.span()?;
        let frequency = f64::from(self.days - 1);
        Some(RfmPoint {
            frequency,
            recency: (last - first) as f64 / unit,
            t: (end - first) as f64 / unit,
            monetary_value: if frequency > 0.0 {
                self.after / frequency
            } else {
                0.0
            },
        })
    }
}

/// The [`Purchase`] state of every customer.
pub(crate) struct Purchases(Vec<Purchase>);

impl Purchases {
    /// No purchase for `n` customers.
    pub(crate) fn new(n: usize) -> Purchases {
        Purchases(vec![Purchase::EMPTY; n])
    }

    /// The state of customer `c`.
    pub(crate) fn get(&self, c: usize) -> Purchase {
        self.0[c]
    }

    /// Feed one row (a day of a validated log, so it fits an `i32`); false, and the row is not
    /// counted, when the customer's rows are not in date order.
    #[inline]
    pub(crate) fn push(&mut self, c: usize, d: i64, r: f64) -> bool {
        let d = d as i32;
        let s = &mut self.0[c];
        if d < s.seen {
            return false;
        }
        s.seen = d;
        if r >= 0.0 {
            if s.first == NONE {
                s.first = d;
                s.last = d;
                s.days = 1;
            } else if d > s.last {
                s.last = d;
                s.days += 1;
            }
        }
        if s.first != NONE && d > s.first {
            s.after += r;
        }
        true
    }

    /// The state of `n` customers from `rows` (customer code, day, revenue) in any order: one
    /// pass when each customer's rows come in date order (a log sorted by date, or by customer
    /// and date), else [`Purchases::by_customer`].
    pub(crate) fn collect<I>(n: usize, rows: impl Fn() -> I) -> Purchases
    where
        I: Iterator<Item = (usize, i64, f64)>,
    {
        let mut acc = Purchases::new(n);
        if rows().all(|(c, d, r)| acc.push(c, d, r)) {
            acc
        } else {
            Purchases::by_customer(n, rows)
        }
    }

    /// The state of `n` customers from `rows` in any order, through a counting sort by customer
    /// (stable), then by day within each customer.
    pub(crate) fn by_customer<I>(n: usize, rows: impl Fn() -> I) -> Purchases
    where
        I: Iterator<Item = (usize, i64, f64)>,
    {
        let mut counts = vec![0usize; n + 1];
        for (c, _, _) in rows() {
            counts[c + 1] += 1;
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let mut order = vec![(0i64, 0f64); counts[n]];
        let mut pos = counts.clone();
        for (c, d, r) in rows() {
            order[pos[c]] = (d, r);
            pos[c] += 1;
        }
        let mut acc = Purchases::new(n);
        for c in 0..n {
            let seg = &mut order[counts[c]..counts[c + 1]];
            // Purchases before refunds on the same day does not matter: the day is netted.
            seg.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            for &(d, r) in seg.iter() {
                acc.push(c, d, r);
            }
        }
        acc
    }
}
