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

use crate::clv::{BgNbdFit, GammaGammaFit};
use crate::error::{CxError, Result};
use crate::grouping::{factorize, Key};
use crate::period::MISSING_DAY;
use crate::retention::MISSING_CUSTOMER;

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
    /// Customer code per response (`< labels.len()`, [`MISSING_CUSTOMER`] for a missing id).
    pub customers: &'a [u32],
    /// Response day (days since 1970-01-01, [`MISSING_DAY`] for missing); `None` when the
    /// survey has no dates (the latest answer is then the last row).
    pub days: Option<&'a [i64]>,
    /// Rating columns.
    pub ratings: Vec<RatingColumn<'a>>,
}

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

/// Fitted lifetime-value models, to add expected purchases and CLV to the view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvModel {
    /// The BG/NBD fit (its time unit is `unit_days` days).
    pub bgnbd: BgNbdFit,
    /// The Gamma-Gamma fit; without it there is no CLV column.
    pub gamma_gamma: Option<GammaGammaFit>,
    /// Days per time unit of the fits (1 = days, the default of [`rfm`](crate::clv::rfm)).
    pub unit_days: f64,
    /// Horizon of `expected_purchases`, in time units (default 365 with days).
    pub horizon: f64,
    /// Months of the CLV (default 12).
    pub months: u32,
    /// Monthly discount rate of the CLV (default 0.01, as lifetimes).
    pub discount: f64,
    /// Time units per month (default 30 with days, as lifetimes).
    pub period_length: f64,
}

impl ClvModel {
    /// The fits with the defaults for a fit in days.
    pub fn new(bgnbd: BgNbdFit, gamma_gamma: Option<GammaGammaFit>) -> ClvModel {
        ClvModel {
            bgnbd,
            gamma_gamma,
            unit_days: 1.0,
            horizon: 365.0,
            months: 12,
            discount: 0.01,
            period_length: 30.0,
        }
    }
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

/// NPS category of an answer on the 0-10 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsCategory {
    /// 0 to 6.
    Detractor,
    /// 7 or 8.
    Passive,
    /// 9 or 10.
    Promoter,
}

impl NpsCategory {
    /// The category of a 0-10 answer.
    pub fn of(score: f64) -> NpsCategory {
        if score >= 9.0 {
            NpsCategory::Promoter
        } else if score >= 7.0 {
            NpsCategory::Passive
        } else {
            NpsCategory::Detractor
        }
    }

    /// `"promoter"`, `"passive"` or `"detractor"`.
    pub fn name(self) -> &'static str {
        match self {
            NpsCategory::Detractor => "detractor",
            NpsCategory::Passive => "passive",
            NpsCategory::Promoter => "promoter",
        }
    }
}

/// Latest and mean answer of one rating per customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingSummary {
    /// Column name.
    pub name: String,
    /// Latest non-missing answer (`None` without one).
    pub latest: Vec<Option<f64>>,
    /// Mean of the non-missing answers (`None` without one).
    pub mean: Vec<Option<f64>>,
    /// Non-missing answers.
    pub count: Vec<u32>,
}

/// The customer view: one entry per customer in every column (customers sorted as
/// [`join_keys`] sorts them: integers, then strings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    /// Customer ids.
    pub customers: Vec<Key>,
    /// The cut-off day (days since 1970-01-01).
    pub cutoff: i64,
    /// The activity window of `active`, in days.
    pub active_days: u32,
    /// At least one survey response up to the cut-off.
    pub in_survey: Vec<bool>,
    /// At least one transaction up to the cut-off.
    pub in_transactions: Vec<bool>,
    /// Survey responses up to the cut-off.
    pub responses: Vec<u32>,
    /// Day of the latest response (`None` without responses or survey dates).
    pub last_response: Vec<Option<i64>>,
    /// Days from the latest response to the cut-off.
    pub response_recency_days: Vec<Option<i64>>,
    /// One summary per rating column, in input order.
    pub ratings: Vec<RatingSummary>,
    /// The NPS column used for `nps_category` (`None`: no NPS column).
    pub nps_column: Option<String>,
    /// NPS category of the latest NPS answer (empty without an NPS column).
    pub nps_category: Vec<Option<NpsCategory>>,
    /// Day of the first purchase.
    pub first_purchase: Vec<Option<i64>>,
    /// Day of the last purchase.
    pub last_purchase: Vec<Option<i64>>,
    /// Days from the last purchase to the cut-off (R).
    pub recency_days: Vec<Option<i64>>,
    /// Purchase days up to the cut-off (F).
    pub frequency: Vec<u32>,
    /// Net revenue per purchase day (M, money; `None` without purchases).
    pub monetary: Vec<Option<f64>>,
    /// Net revenue up to the cut-off (money; refunds included).
    pub revenue: Vec<f64>,
    /// Days from the first purchase to the cut-off.
    pub tenure_days: Vec<Option<i64>>,
    /// Active at the cut-off (`recency_days < active_days`); `None` without purchases.
    pub active: Vec<Option<bool>>,
    /// BG/NBD expected purchases over the model's horizon (empty without a model).
    pub expected_purchases: Vec<Option<f64>>,
    /// Probability of being alive at the cut-off (BG/NBD; empty without a model).
    pub p_alive: Vec<Option<f64>>,
    /// Lifetime value over the model's months (empty without a Gamma-Gamma fit).
    pub clv: Vec<Option<f64>>,
    /// Survey rows skipped for a missing id (or date).
    pub survey_missing: u64,
    /// Survey rows after the cut-off.
    pub survey_after_cutoff: u64,
    /// Log rows skipped for a missing id, date or revenue.
    pub transactions_missing: u64,
    /// Log rows after the cut-off.
    pub transactions_after_cutoff: u64,
}

impl CustomerView {
    /// Number of customers (rows).
    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// True without customers.
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    /// The summary of the rating called `name`.
    pub fn rating(&self, name: &str) -> Option<&RatingSummary> {
        self.ratings.iter().find(|r| r.name == name)
    }
}

/// Dense codes for two id columns (survey and transactions) into one sorted list of ids: one
/// hash pass over the concatenation. Missing ids get [`MISSING_CUSTOMER`].
///
/// # Examples
/// ```
/// use cx_core::customer_view::join_keys;
/// use cx_core::grouping::Key;
/// let survey = [Some(Key::Str("b".into())), None];
/// let log = [Some(Key::Str("a".into())), Some(Key::Str("b".into()))];
/// let (s, t, ids) = join_keys(&survey, &log);
/// assert_eq!((s, t), (vec![1, u32::MAX], vec![0, 1]));
/// assert_eq!(ids, vec![Key::Str("a".into()), Key::Str("b".into())]);
/// ```
pub fn join_keys(
    survey: &[Option<Key>],
    transactions: &[Option<Key>],
) -> (Vec<u32>, Vec<u32>, Vec<Key>) {
    let all: Vec<Option<&Key>> = survey
        .iter()
        .chain(transactions)
        .map(|k| match k {
            Some(Key::Missing) | None => None,
            Some(k) => Some(k),
        })
        .collect();
    let (mut codes, labels) = factorize(&all);
    let mut ids = Vec::with_capacity(labels.len());
    for label in labels {
        match label {
            Some(k) => ids.push(k.clone()),
            None => {
                let missing = ids.len() as u32;
                codes
                    .iter_mut()
                    .filter(|c| **c == missing)
                    .for_each(|c| *c = MISSING_CUSTOMER);
            }
        }
    }
    let right = codes.split_off(survey.len());
    (codes, right, ids)
}

const NONE: i64 = i64::MIN;

/// Per-customer transaction state (as [`rfm`](crate::clv::rfm)'s, plus the net revenue).
#[derive(Clone, Copy)]
struct Tx {
    first: i64,
    last: i64,
    seen: i64,
    days: u32,
    rows: u32,
    after: f64,
    revenue: f64,
}

impl Tx {
    const EMPTY: Tx = Tx {
        first: NONE,
        last: NONE,
        seen: NONE,
        days: 0,
        rows: 0,
        after: 0.0,
        revenue: 0.0,
    };

    /// Purchase-day bookkeeping of one row in date order.
    #[inline]
    fn day(&mut self, d: i64, r: f64) {
        self.seen = d;
        if r >= 0.0 {
            if self.first == NONE {
                self.first = d;
                self.last = d;
                self.days = 1;
            } else if d > self.last {
                self.last = d;
                self.days += 1;
            }
        }
        if self.first != NONE && d > self.first {
            self.after += r;
        }
    }
}

/// Per-customer survey state.
#[derive(Clone, Copy)]
struct Sv {
    responses: u32,
    last_day: i64,
}

/// Per-customer, per-rating state.
#[derive(Clone, Copy)]
struct Rt {
    sum: f64,
    count: u32,
    latest: f64,
    day: i64,
}

fn len_check(
    left_name: &'static str,
    left: usize,
    right_name: &'static str,
    right: usize,
) -> Result<()> {
    if left == right {
        Ok(())
    } else {
        Err(CxError::LengthMismatch {
            left_name,
            left,
            right_name,
            right,
        })
    }
}

fn code_check(c: u32, n: usize, index: usize) -> Result<()> {
    if c != MISSING_CUSTOMER && c as usize >= n {
        return Err(CxError::GroupOutOfRange {
            index,
            group: i64::from(c),
            groups: n,
        });
    }
    Ok(())
}

/// The customer view: survey answers and purchases joined per customer (see the
/// [module docs](self) for every rule).
///
/// `ids` are the customer ids that the codes of both inputs index (e.g. from [`join_keys`]).
///
/// # Formula
/// ```text
/// recency_days = cutoff − last purchase day        frequency = purchase days
/// monetary     = net revenue / purchase days        tenure_days = cutoff − first purchase day
/// active       = recency_days < active_days
/// latest_j     = answer j of the latest response with one    mean_j = Σ answers_j / count_j
/// ```
///
/// # Errors
/// [`CxError::LengthMismatch`] for columns of different lengths (naming the column);
/// [`CxError::GroupOutOfRange`] for a code not below `ids.len()`; [`CxError::OutOfScale`] /
/// [`CxError::NonInteger`] for an NPS answer that is not a point of 0-10;
/// [`CxError::InvalidArgument`] for an infinite rating or revenue (naming the column and the
/// index), an unknown `nps` column, a duplicate rating name, `active_days` = 0, or a date more
/// than 10,000,000 days from 1970; [`CxError::EmptyInput`] when neither input has a usable row;
/// the errors of the CLV model's projections.
///
/// # Examples
/// ```
/// use cx_core::customer_view::{customer_view, join_keys, CustomerViewOptions, RatingColumn,
///     SurveyTable, TransactionLog, NpsCategory};
/// use cx_core::grouping::Key;
/// let k = |s: &str| Some(Key::Str(s.into()));
/// // a answered twice (nps 6 then 9), c once; a and b bought
/// let (s, t, ids) = join_keys(&[k("a"), k("a"), k("c")], &[k("a"), k("b"), k("a")]);
/// let nps = [6.0, 9.0, 10.0];
/// let survey = SurveyTable {
///     customers: &s,
///     days: Some(&[100, 110, 105]),
///     ratings: vec![RatingColumn { name: "nps", values: &nps }],
/// };
/// let log = TransactionLog { customers: &t, days: &[10, 20, 110], revenue: &[5.0, 7.0, 15.0] };
/// let v = customer_view(ids, &survey, &log, &CustomerViewOptions::default())?;
/// assert_eq!(v.cutoff, 110);
/// assert_eq!(v.rating("nps").unwrap().latest, vec![Some(9.0), None, Some(10.0)]);
/// assert_eq!(v.rating("nps").unwrap().mean[0], Some(7.5));
/// assert_eq!(v.nps_category[0], Some(NpsCategory::Promoter));
/// assert_eq!(v.frequency, vec![2, 1, 0]);
/// assert_eq!(v.recency_days, vec![Some(0), Some(90), None]);
/// assert_eq!(v.in_transactions, vec![true, true, false]);
/// assert_eq!(v.in_survey, vec![true, false, true]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// See the [module docs](self).
pub fn customer_view(
    ids: Vec<Key>,
    survey: &SurveyTable,
    transactions: &TransactionLog,
    options: &CustomerViewOptions,
) -> Result<CustomerView> {
    let n = ids.len();
    let rows = survey.customers.len();
    if let Some(days) = survey.days {
        len_check("survey customers", rows, "survey dates", days.len())?;
    }
    for r in &survey.ratings {
        len_check("survey customers", rows, "rating column", r.values.len()).map_err(|_| {
            CxError::InvalidArgument {
                name: "ratings",
                value: format!("column {:?} with {} values", r.name, r.values.len()),
                expected: format!("{rows} values, one per survey row"),
            }
        })?;
    }
    for (j, r) in survey.ratings.iter().enumerate() {
        if survey.ratings[..j].iter().any(|o| o.name == r.name) {
            return Err(CxError::InvalidArgument {
                name: "ratings",
                value: format!("{:?} (twice)", r.name),
                expected: "distinct rating column names".into(),
            });
        }
    }
    let tx_rows = transactions.customers.len();
    len_check(
        "transaction customers",
        tx_rows,
        "transaction dates",
        transactions.days.len(),
    )?;
    len_check(
        "transaction customers",
        tx_rows,
        "revenue",
        transactions.revenue.len(),
    )?;
    if options.active_days == 0 {
        return Err(CxError::InvalidArgument {
            name: "active_days",
            value: "0".into(),
            expected: "a window of at least 1 day".into(),
        });
    }
    let nps_column = match &options.nps {
        Some(name) => match survey.ratings.iter().position(|r| r.name == name) {
            Some(j) => Some(j),
            None => {
                return Err(CxError::InvalidArgument {
                    name: "nps",
                    value: format!("{name:?}"),
                    expected: format!(
                        "one of the rating columns {:?}",
                        survey.ratings.iter().map(|r| r.name).collect::<Vec<_>>()
                    ),
                })
            }
        },
        None => survey.ratings.iter().position(|r| r.name == "nps"),
    };

    // Validation and the default cut-off: one pass over each input's days and values.
    let date_ok = |d: i64| (-10_000_000..=10_000_000).contains(&d);
    let mut max_day = NONE;
    for (i, &c) in survey.customers.iter().enumerate() {
        code_check(c, n, i)?;
        if let Some(days) = survey.days {
            let d = days[i];
            if d != MISSING_DAY {
                if !date_ok(d) {
                    return Err(bad_date("survey dates", d, i));
                }
                if c != MISSING_CUSTOMER {
                    max_day = max_day.max(d);
                }
            }
        }
    }
    for (j, r) in survey.ratings.iter().enumerate() {
        for (i, &v) in r.values.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            if Some(j) == nps_column {
                if !(0.0..=10.0).contains(&v) {
                    return Err(CxError::OutOfScale {
                        index: i,
                        value: v,
                        lowest: 0,
                        highest: 10,
                    });
                }
                if v.fract() != 0.0 {
                    return Err(CxError::NonInteger {
                        index: i,
                        value: v,
                        lowest: 0,
                        highest: 10,
                    });
                }
            } else if v.is_infinite() {
                return Err(CxError::InvalidArgument {
                    name: "ratings",
                    value: format!("{v} in column {:?} at index {i}", r.name),
                    expected: "finite ratings (NaN for missing)".into(),
                });
            }
        }
    }
    for (i, ((&c, &d), &r)) in transactions
        .customers
        .iter()
        .zip(transactions.days)
        .zip(transactions.revenue)
        .enumerate()
    {
        code_check(c, n, i)?;
        if r.is_infinite() {
            return Err(CxError::InvalidArgument {
                name: "revenue",
                value: format!("{r} at index {i}"),
                expected: "finite amounts (NaN for missing)".into(),
            });
        }
        if d != MISSING_DAY {
            if !date_ok(d) {
                return Err(bad_date("transaction dates", d, i));
            }
            if c != MISSING_CUSTOMER && !r.is_nan() {
                max_day = max_day.max(d);
            }
        }
    }
    let cutoff = match options.cutoff {
        Some(d) if !date_ok(d) => return Err(bad_date("cutoff", d, 0)),
        Some(d) => d,
        None if max_day == NONE => {
            if survey.days.is_none() && survey.customers.iter().any(|&c| c != MISSING_CUSTOMER) {
                0
            } else {
                return Err(CxError::empty(
                    "no survey response or transaction with a customer id and a date",
                ));
            }
        }
        None => max_day,
    };

    // The survey: one pass.
    let m = survey.ratings.len();
    let mut sv = vec![
        Sv {
            responses: 0,
            last_day: NONE
        };
        n
    ];
    let mut rt = vec![
        Rt {
            sum: 0.0,
            count: 0,
            latest: f64::NAN,
            day: NONE,
        };
        n * m
    ];
    let (mut survey_missing, mut survey_after) = (0u64, 0u64);
    for (i, &c) in survey.customers.iter().enumerate() {
        // Undated surveys order responses by row.
        let day = match survey.days {
            Some(days) => days[i],
            None => i as i64,
        };
        if c == MISSING_CUSTOMER || day == MISSING_DAY {
            survey_missing += 1;
            continue;
        }
        if survey.days.is_some() && day > cutoff {
            survey_after += 1;
            continue;
        }
        let c = c as usize;
        let s = &mut sv[c];
        s.responses += 1;
        s.last_day = s.last_day.max(day);
        let row = &mut rt[c * m..(c + 1) * m];
        for (st, col) in row.iter_mut().zip(&survey.ratings) {
            let v = col.values[i];
            if v.is_nan() {
                continue;
            }
            st.sum += v;
            st.count += 1;
            if day >= st.day {
                st.day = day;
                st.latest = v;
            }
        }
    }

    // The log: one pass when each customer's rows come in date order, else a counting sort by
    // customer (as rfm does).
    let mut tx = vec![Tx::EMPTY; n];
    let (mut tx_missing, mut tx_after) = (0u64, 0u64);
    let mut sorted = true;
    for ((&c, &d), &r) in transactions
        .customers
        .iter()
        .zip(transactions.days)
        .zip(transactions.revenue)
    {
        if c == MISSING_CUSTOMER || d == MISSING_DAY || r.is_nan() {
            tx_missing += 1;
            continue;
        }
        if d > cutoff {
            tx_after += 1;
            continue;
        }
        let s = &mut tx[c as usize];
        s.rows += 1;
        s.revenue += r;
        if sorted {
            if d < s.seen {
                sorted = false;
            } else {
                s.day(d, r);
            }
        }
    }
    if !sorted {
        let valid = |c: u32, d: i64, r: f64| {
            c != MISSING_CUSTOMER && d != MISSING_DAY && !r.is_nan() && d <= cutoff
        };
        let mut counts = vec![0usize; n + 1];
        for ((&c, &d), &r) in transactions
            .customers
            .iter()
            .zip(transactions.days)
            .zip(transactions.revenue)
        {
            if valid(c, d, r) {
                counts[c as usize + 1] += 1;
            }
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let mut order = vec![(0i64, 0f64); counts[n]];
        let mut pos = counts.clone();
        for ((&c, &d), &r) in transactions
            .customers
            .iter()
            .zip(transactions.days)
            .zip(transactions.revenue)
        {
            if valid(c, d, r) {
                order[pos[c as usize]] = (d, r);
                pos[c as usize] += 1;
            }
        }
        for (c, s) in tx.iter_mut().enumerate() {
            let seg = &mut order[counts[c]..counts[c + 1]];
            seg.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let (rows, revenue) = (s.rows, s.revenue);
            *s = Tx::EMPTY;
            s.rows = rows;
            s.revenue = revenue;
            for &(d, r) in seg.iter() {
                s.day(d, r);
            }
        }
    }

    // Customers with at least one usable row in either input.
    let keep: Vec<usize> = (0..n)
        .filter(|&c| sv[c].responses > 0 || tx[c].rows > 0)
        .collect();
    if keep.is_empty() {
        return Err(CxError::empty(
            "no survey response or transaction with a customer id up to the cut-off",
        ));
    }
    let k = keep.len();
    let dated = survey.days.is_some();
    let mut view = CustomerView {
        customers: Vec::with_capacity(k),
        cutoff,
        active_days: options.active_days,
        in_survey: Vec::with_capacity(k),
        in_transactions: Vec::with_capacity(k),
        responses: Vec::with_capacity(k),
        last_response: Vec::with_capacity(k),
        response_recency_days: Vec::with_capacity(k),
        ratings: survey
            .ratings
            .iter()
            .map(|r| RatingSummary {
                name: r.name.to_string(),
                latest: Vec::with_capacity(k),
                mean: Vec::with_capacity(k),
                count: Vec::with_capacity(k),
            })
            .collect(),
        nps_column: nps_column.map(|j| survey.ratings[j].name.to_string()),
        nps_category: Vec::new(),
        first_purchase: Vec::with_capacity(k),
        last_purchase: Vec::with_capacity(k),
        recency_days: Vec::with_capacity(k),
        frequency: Vec::with_capacity(k),
        monetary: Vec::with_capacity(k),
        revenue: Vec::with_capacity(k),
        tenure_days: Vec::with_capacity(k),
        active: Vec::with_capacity(k),
        expected_purchases: Vec::new(),
        p_alive: Vec::new(),
        clv: Vec::new(),
        survey_missing,
        survey_after_cutoff: survey_after,
        transactions_missing: tx_missing,
        transactions_after_cutoff: tx_after,
    };
    let mut ids: Vec<Option<Key>> = ids.into_iter().map(Some).collect();
    for &c in &keep {
        view.customers.push(ids[c].take().unwrap_or(Key::Missing));
        let s = sv[c];
        view.in_survey.push(s.responses > 0);
        view.responses.push(s.responses);
        let last = (dated && s.responses > 0).then_some(s.last_day);
        view.last_response.push(last);
        view.response_recency_days.push(last.map(|d| cutoff - d));
        for (j, summary) in view.ratings.iter_mut().enumerate() {
            let st = rt[c * m + j];
            let some = st.count > 0;
            summary.latest.push(some.then_some(st.latest));
            summary
                .mean
                .push(some.then(|| st.sum / f64::from(st.count)));
            summary.count.push(st.count);
        }
        if let Some(j) = nps_column {
            let st = rt[c * m + j];
            view.nps_category
                .push((st.count > 0).then(|| NpsCategory::of(st.latest)));
        }
        let t = tx[c];
        view.in_transactions.push(t.rows > 0);
        view.revenue.push(t.revenue);
        view.frequency.push(t.days);
        let bought = t.first != NONE;
        view.first_purchase.push(bought.then_some(t.first));
        view.last_purchase.push(bought.then_some(t.last));
        view.recency_days.push(bought.then(|| cutoff - t.last));
        view.tenure_days.push(bought.then(|| cutoff - t.first));
        view.monetary
            .push(bought.then(|| t.revenue / f64::from(t.days)));
        view.active
            .push(bought.then(|| cutoff - t.last < i64::from(options.active_days)));
    }

    if let Some(model) = &options.clv {
        add_clv(&mut view, model, &keep, &tx)?;
    }
    Ok(view)
}

fn bad_date(name: &'static str, d: i64, i: usize) -> CxError {
    CxError::InvalidArgument {
        name,
        value: format!("{d} days since 1970-01-01 at index {i}"),
        expected: "dates within 10000000 days of 1970-01-01".into(),
    }
}

/// Expected purchases, P(alive) and CLV of the customers with purchases.
fn add_clv(view: &mut CustomerView, model: &ClvModel, keep: &[usize], tx: &[Tx]) -> Result<()> {
    let u = model.unit_days;
    if !(u.is_finite() && u > 0.0) {
        return Err(CxError::InvalidArgument {
            name: "unit_days",
            value: u.to_string(),
            expected: "a positive number of days per time unit".into(),
        });
    }
    let (mut x, mut tx_, mut tt, mut mv, mut rows) = (vec![], vec![], vec![], vec![], vec![]);
    for (row, &c) in keep.iter().enumerate() {
        let t = tx[c];
        if t.first == NONE {
            continue;
        }
        let f = f64::from(t.days - 1);
        x.push(f);
        tx_.push((t.last - t.first) as f64 / u);
        tt.push((view.cutoff - t.first) as f64 / u);
        mv.push(if f > 0.0 { t.after / f } else { 0.0 });
        rows.push(row);
    }
    let k = view.len();
    view.expected_purchases = vec![None; k];
    view.p_alive = vec![None; k];
    let e = model
        .bgnbd
        .expected_purchases(model.horizon, &x, &tx_, &tt)?;
    let pa = model.bgnbd.p_alive(&x, &tx_, &tt)?;
    for (i, &row) in rows.iter().enumerate() {
        view.expected_purchases[row] = Some(e[i]);
        view.p_alive[row] = Some(pa[i]);
    }
    if let Some(gg) = &model.gamma_gamma {
        // A net refund (mean spend <= 0) has no Gamma-Gamma spend: the population mean is used,
        // as for a customer without repeat purchases.
        let m: Vec<f64> = mv.iter().map(|&v| v.max(0.0)).collect();
        let xs: Vec<f64> = x
            .iter()
            .zip(&mv)
            .map(|(&f, &v)| if v > 0.0 { f } else { 0.0 })
            .collect();
        let spend = gg.expected_spend(&xs, &m)?;
        let clv = model.bgnbd.clv(
            &x,
            &tx_,
            &tt,
            &spend,
            model.months,
            model.discount,
            model.period_length,
        )?;
        view.clv = vec![None; k];
        for (i, &row) in rows.iter().enumerate() {
            view.clv[row] = Some(clv[i]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::collections::BTreeMap;

    /// Brute force: for each customer, scan every row of both inputs.
    #[test]
    fn matches_brute_force_on_random_data() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for trial in 0..20 {
            let n_ids = 1 + trial * 3;
            let rows = rng.random_range(0..60);
            let tx_rows = rng.random_range(1..80);
            let id = |rng: &mut ChaCha8Rng| -> Option<Key> {
                if rng.random_bool(0.05) {
                    None
                } else {
                    Some(Key::Int(rng.random_range(0..n_ids as i64)))
                }
            };
            let s_ids: Vec<Option<Key>> = (0..rows).map(|_| id(&mut rng)).collect();
            let t_ids: Vec<Option<Key>> = (0..tx_rows).map(|_| id(&mut rng)).collect();
            let s_days: Vec<i64> = (0..rows)
                .map(|_| {
                    if rng.random_bool(0.05) {
                        MISSING_DAY
                    } else {
                        rng.random_range(0..400)
                    }
                })
                .collect();
            let nps: Vec<f64> = (0..rows)
                .map(|_| {
                    if rng.random_bool(0.1) {
                        f64::NAN
                    } else {
                        f64::from(rng.random_range(0..=10))
                    }
                })
                .collect();
            let ease: Vec<f64> = (0..rows)
                .map(|_| f64::from(rng.random_range(1..=7)))
                .collect();
            let t_days: Vec<i64> = (0..tx_rows).map(|_| rng.random_range(0..400)).collect();
            let rev: Vec<f64> = (0..tx_rows)
                .map(|_| {
                    if rng.random_bool(0.05) {
                        f64::NAN
                    } else {
                        f64::from(rng.random_range(-5..50))
                    }
                })
                .collect();
            let cutoff = 350;
            let (s, t, ids) = join_keys(&s_ids, &t_ids);
            let survey = SurveyTable {
                customers: &s,
                days: Some(&s_days),
                ratings: vec![
                    RatingColumn {
                        name: "nps",
                        values: &nps,
                    },
                    RatingColumn {
                        name: "ease",
                        values: &ease,
                    },
                ],
            };
            let log = TransactionLog {
                customers: &t,
                days: &t_days,
                revenue: &rev,
            };
            let opts = CustomerViewOptions {
                cutoff: Some(cutoff),
                active_days: 90,
                ..CustomerViewOptions::default()
            };
            let v = match customer_view(ids, &survey, &log, &opts) {
                Ok(v) => v,
                Err(CxError::EmptyInput { .. }) => continue,
                Err(e) => panic!("{e}"),
            };
            // Brute force per customer id.
            let mut expected: BTreeMap<Key, ()> = BTreeMap::new();
            for (i, k) in s_ids.iter().enumerate() {
                if let Some(k) = k {
                    if s_days[i] != MISSING_DAY && s_days[i] <= cutoff {
                        expected.insert(k.clone(), ());
                    }
                }
            }
            for (i, k) in t_ids.iter().enumerate() {
                if let Some(k) = k {
                    if !rev[i].is_nan() && t_days[i] <= cutoff {
                        expected.insert(k.clone(), ());
                    }
                }
            }
            assert_eq!(v.customers, expected.keys().cloned().collect::<Vec<_>>());
            for (row, key) in v.customers.iter().enumerate() {
                let resp: Vec<usize> = (0..rows)
                    .filter(|&i| {
                        s_ids[i].as_ref() == Some(key)
                            && s_days[i] != MISSING_DAY
                            && s_days[i] <= cutoff
                    })
                    .collect();
                assert_eq!(v.responses[row] as usize, resp.len());
                assert_eq!(v.in_survey[row], !resp.is_empty());
                let answered: Vec<usize> =
                    resp.iter().copied().filter(|&i| !nps[i].is_nan()).collect();
                let latest = answered
                    .iter()
                    .copied()
                    .max_by_key(|&i| (s_days[i], i))
                    .map(|i| nps[i]);
                assert_eq!(v.rating("nps").unwrap().latest[row], latest);
                let mean = (!answered.is_empty())
                    .then(|| answered.iter().map(|&i| nps[i]).sum::<f64>() / answered.len() as f64);
                let got = v.rating("nps").unwrap().mean[row];
                assert_eq!(got.is_some(), mean.is_some());
                if let (Some(a), Some(b)) = (got, mean) {
                    assert!((a - b).abs() < 1e-12);
                }
                assert_eq!(v.nps_category[row], latest.map(NpsCategory::of));
                let last_resp = resp.iter().map(|&i| s_days[i]).max();
                assert_eq!(v.response_recency_days[row], last_resp.map(|d| cutoff - d));
                let txs: Vec<usize> = (0..tx_rows)
                    .filter(|&i| {
                        t_ids[i].as_ref() == Some(key) && !rev[i].is_nan() && t_days[i] <= cutoff
                    })
                    .collect();
                assert_eq!(v.in_transactions[row], !txs.is_empty());
                let revenue: f64 = txs.iter().map(|&i| rev[i]).sum();
                assert!((v.revenue[row] - revenue).abs() < 1e-9);
                let mut pdays: Vec<i64> = txs
                    .iter()
                    .filter(|&&i| rev[i] >= 0.0)
                    .map(|&i| t_days[i])
                    .collect();
                pdays.sort_unstable();
                pdays.dedup();
                assert_eq!(v.frequency[row] as usize, pdays.len());
                assert_eq!(v.recency_days[row], pdays.last().map(|d| cutoff - d));
                assert_eq!(v.tenure_days[row], pdays.first().map(|d| cutoff - d));
                assert_eq!(v.active[row], pdays.last().map(|d| cutoff - d < 90));
                if !pdays.is_empty() {
                    let m = v.monetary[row].unwrap();
                    assert!((m - revenue / pdays.len() as f64).abs() < 1e-9);
                }
            }
        }
    }

    #[test]
    fn clv_columns_match_the_models() {
        use crate::clv::{fit_bgnbd, fit_gamma_gamma, rfm, FitOptions, RfmOptions};
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (mut ids, mut days, mut rev) = (vec![], vec![], vec![]);
        // BG/NBD's story: purchase rates vary across customers (gamma), each purchase is
        // followed by dropout with a customer-specific probability (beta).
        let rate = rand_distr::Gamma::new(0.8, 1.0 / 30.0).unwrap();
        let drop = rand_distr::Beta::new(1.0, 4.0).unwrap();
        for c in 0..400i64 {
            let lambda: f64 = rand_distr::Distribution::sample(&rate, &mut rng);
            let p: f64 = rand_distr::Distribution::sample(&drop, &mut rng);
            let gap = rand_distr::Exp::new(lambda.max(1e-3)).unwrap();
            let mut d = rng.random_range(0..100) as f64;
            loop {
                ids.push(Some(Key::Int(c)));
                days.push(d as i64);
                rev.push(f64::from(rng.random_range(5..60)));
                if rng.random_bool(p) {
                    break;
                }
                d += rand_distr::Distribution::<f64>::sample(&gap, &mut rng);
                if d >= 365.0 {
                    break;
                }
            }
        }
        let (s, t, labels) = join_keys(&[], &ids);
        let r = rfm(&t, labels.clone(), &days, &rev, &RfmOptions::default()).unwrap();
        let bg = fit_bgnbd(&r, &FitOptions::default()).unwrap();
        let gg = fit_gamma_gamma(&r.frequency, &r.monetary_value, &FitOptions::default()).unwrap();
        let survey = SurveyTable {
            customers: &s,
            days: None,
            ratings: vec![],
        };
        let log = TransactionLog {
            customers: &t,
            days: &days,
            revenue: &rev,
        };
        let opts = CustomerViewOptions {
            clv: Some(ClvModel::new(bg.clone(), Some(gg.clone()))),
            ..CustomerViewOptions::default()
        };
        let v = customer_view(labels, &survey, &log, &opts).unwrap();
        assert_eq!(v.customers, r.customers);
        let e = bg
            .expected_purchases(365.0, &r.frequency, &r.recency, &r.t)
            .unwrap();
        let spend = gg.expected_spend(&r.frequency, &r.monetary_value).unwrap();
        let clv = bg
            .clv(&r.frequency, &r.recency, &r.t, &spend, 12, 0.01, 30.0)
            .unwrap();
        for i in 0..v.len() {
            assert!((v.expected_purchases[i].unwrap() - e[i]).abs() < 1e-9);
            assert!((v.clv[i].unwrap() - clv[i]).abs() < 1e-6);
        }
    }

    #[test]
    fn errors_name_the_column_and_index() {
        let (s, t, ids) = join_keys(
            &[Some(Key::Int(1)), Some(Key::Int(2))],
            &[Some(Key::Int(1))],
        );
        let log = TransactionLog {
            customers: &t,
            days: &[5],
            revenue: &[1.0],
        };
        let bad = [3.0, 11.0];
        let survey = SurveyTable {
            customers: &s,
            days: None,
            ratings: vec![RatingColumn {
                name: "nps",
                values: &bad,
            }],
        };
        let o = CustomerViewOptions::default();
        assert!(matches!(
            customer_view(ids.clone(), &survey, &log, &o),
            Err(CxError::OutOfScale { index: 1, .. })
        ));
        let inf = [3.0, f64::INFINITY];
        let survey = SurveyTable {
            customers: &s,
            days: None,
            ratings: vec![RatingColumn {
                name: "ease",
                values: &inf,
            }],
        };
        let e = customer_view(ids.clone(), &survey, &log, &o).unwrap_err();
        assert!(e.to_string().contains("\"ease\" at index 1"), "{e}");
        let short = [1.0];
        let survey = SurveyTable {
            customers: &s,
            days: None,
            ratings: vec![RatingColumn {
                name: "ease",
                values: &short,
            }],
        };
        assert!(customer_view(ids.clone(), &survey, &log, &o)
            .unwrap_err()
            .to_string()
            .contains("ease"));
        let survey = SurveyTable {
            customers: &s,
            days: None,
            ratings: vec![],
        };
        let o2 = CustomerViewOptions {
            nps: Some("likely".into()),
            ..o.clone()
        };
        assert!(matches!(
            customer_view(ids.clone(), &survey, &log, &o2),
            Err(CxError::InvalidArgument { name: "nps", .. })
        ));
        let empty = TransactionLog {
            customers: &[],
            days: &[],
            revenue: &[],
        };
        let none = SurveyTable {
            customers: &[],
            days: None,
            ratings: vec![],
        };
        assert!(matches!(
            customer_view(vec![], &none, &empty, &o),
            Err(CxError::EmptyInput { .. })
        ));
    }
}
