//! Transaction logs: `retention`, `cohorts` and `rfm`.
//!
//! Each function reads one customer id, one date and one revenue per row, builds cx-core's
//! per-customer summary in one pass and returns plain objects. Customer ids are strings or
//! integers (`null`, `undefined`, `NaN` are missing); dates are those of {@link DateValues};
//! revenue is a `number[]` (`null` missing) or a `Float64Array` (`NaN` missing); a negative
//! revenue is a refund.

use cx_core::grouping::{factorize, Key};
use cx_core::retention::{Activity, RetentionOptions as CoreOptions, MISSING_CUSTOMER};
use cx_core::{CxError, Freq};
use napi::bindgen_prelude::{Either, Either3, Float64ArraySlice, Null};
use napi::{Env, Result};
use napi_derive::napi;

use crate::dates::{days_of, DateValues};
use crate::error::OrThrow;
use crate::input::exact_u32;
use crate::keys::KeyColumn;

/// One amount per row (money; negative for a refund): a `number[]` (`null` is missing) or a
/// `Float64Array` read in place (`NaN` is missing).
#[napi]
pub type Revenue<'a> = Either<Vec<Option<f64>>, Float64ArraySlice<'a>>;

pub(crate) fn revenue_vec(revenue: &Revenue) -> Vec<f64> {
    match revenue {
        Either::A(list) => list.iter().map(|x| x.unwrap_or(f64::NAN)).collect(),
        Either::B(slice) => slice.to_vec(),
    }
}

/// A customer id in a result: a string or a number.
pub type CustomerId = Either<String, f64>;

/// Dense customer codes (missing ids as [`MISSING_CUSTOMER`]) and the sorted distinct ids.
pub(crate) fn customer_codes(ids: KeyColumn) -> (Vec<u32>, Vec<Key>) {
    let keys: Vec<Option<Key>> = ids
        .into_iter()
        .map(|k| match k {
            None => None,
            Some(Either::A(s)) => Some(Key::Str(s)),
            Some(Either::B(x)) if x.is_nan() => None,
            Some(Either::B(x)) if x.fract() == 0.0 && x.abs() < 9.007e15 => {
                Some(Key::Int(x as i64))
            }
            Some(Either::B(x)) => Some(Key::Str(x.to_string())),
        })
        .collect();
    let (mut codes, labels) = factorize(&keys);
    let mut out = Vec::with_capacity(labels.len());
    for l in labels {
        match l {
            Some(k) => out.push(k),
            None => {
                let missing = out.len() as u32;
                codes
                    .iter_mut()
                    .filter(|c| **c == missing)
                    .for_each(|c| *c = MISSING_CUSTOMER);
            }
        }
    }
    (codes, out)
}

fn id_js(k: &Key) -> CustomerId {
    match k {
        Key::Int(i) => Either::B(*i as f64),
        Key::Str(s) => Either::A(s.clone()),
        Key::Missing => Either::A(String::new()),
    }
}

fn nul(x: Option<f64>) -> Either<f64, Null> {
    x.map_or(Either::B(Null), Either::A)
}

fn freq_of(freq: Option<String>) -> std::result::Result<Freq, CxError> {
    freq.map_or(Ok(Freq::default()), |f| f.parse())
}

/// The log read into the core's summary.
fn activity(
    customers: KeyColumn,
    dates: DateValues,
    revenue: Revenue,
    freq: Freq,
) -> Result<std::result::Result<Activity, CxError>> {
    let days = match days_of(&dates)? {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let (codes, labels) = customer_codes(customers);
    let revenue = revenue_vec(&revenue);
    Ok(Activity::from_codes(&codes, labels, &days, &revenue, freq))
}

/// Options of {@link retention}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct RetentionOptions {
    /// Period length: `"day"`, `"week"` (ISO), `"month"` (default), `"quarter"`, `"year"` (or
    /// `D`, `W`, `M`, `Q`, `Y`).
    pub freq: Option<String>,
    /// Periods between the base period and the measured one for `nrr` and `grr` (default 1;
    /// 12 with months for the annual figure).
    pub lag: Option<f64>,
    /// Spend on acquisition in each period of the log (money, one value per period).
    pub acquisition_spend: Option<Vec<f64>>,
    /// Spend on retention in each period of the log (money, one value per period).
    pub retention_spend: Option<Vec<f64>>,
}

/// One period of a {@link Retention} table. Counts are customers; money is in the input's
/// unit; rates and shares are fractions 0 to 1, `null` where the denominator is 0 or the period
/// has no predecessor (no `lag` periods before it, for `nrr` and `grr`).
#[napi(object, object_from_js = false)]
pub struct RetentionRow {
    /// `"2026-03"`, `"2026-W09"`, `"2026-Q1"`, ...
    pub period: String,
    /// First day of the period, days since 1970-01-01.
    pub start: f64,
    /// Customers with a purchase (revenue >= 0) in the period.
    pub active: f64,
    /// Active customers whose first purchase is in the period.
    pub new: f64,
    /// Active customers who were active in the previous period too.
    pub retained: f64,
    /// Active customers who bought before, but not in the previous period.
    pub reactivated: f64,
    /// Customers active in the previous period but not in this one.
    pub churned: f64,
    /// `retained / active in the previous period`.
    pub retention_rate: Either<f64, Null>,
    /// `churned / active in the previous period`.
    pub churn_rate: Either<f64, Null>,
    /// Net revenue of the period (refunds included).
    pub revenue: f64,
    /// Net revenue of new customers.
    pub new_revenue: f64,
    /// Net revenue of retained customers.
    pub retained_revenue: f64,
    /// Net revenue of reactivated customers.
    pub reactivated_revenue: f64,
    /// Net revenue (refunds) of customers without a purchase in the period.
    pub inactive_revenue: f64,
    /// `newRevenue / revenue`.
    pub new_revenue_share: Either<f64, Null>,
    /// `(retainedRevenue + reactivatedRevenue) / revenue`.
    pub existing_revenue_share: Either<f64, Null>,
    /// Revenue increase of retained customers over the previous period.
    pub expansion_revenue: f64,
    /// Revenue decrease of retained customers (a positive amount).
    pub contraction_revenue: f64,
    /// Previous-period revenue of the churned customers.
    pub churned_revenue: f64,
    /// `(new + reactivated + expansion) / (churned + contraction)` revenue.
    pub quick_ratio: Either<f64, Null>,
    /// Share of the gross revenue gains from new customers.
    pub growth_from_new_share: Either<f64, Null>,
    /// Share of the gross revenue gains from existing customers.
    pub growth_from_existing_share: Either<f64, Null>,
    /// Net revenue retention against `lag` periods earlier.
    pub nrr: Either<f64, Null>,
    /// Gross revenue retention against `lag` periods earlier.
    pub grr: Either<f64, Null>,
    /// Acquisition spend of the period (`null` when not given).
    pub acquisition_spend: Either<f64, Null>,
    /// Retention spend of the period (`null` when not given).
    pub retention_spend: Either<f64, Null>,
    /// `acquisitionSpend / new`.
    pub cost_per_acquired: Either<f64, Null>,
    /// `retentionSpend / retained`.
    pub cost_per_retained: Either<f64, Null>,
    /// `costPerAcquired / costPerRetained`.
    pub balance_ratio: Either<f64, Null>,
}

/// The retention table of a transaction log.
#[napi(object, object_from_js = false)]
pub struct Retention {
    /// Period length.
    pub freq: String,
    /// Base-period lag of `nrr` and `grr`.
    pub lag: f64,
    /// Distinct customers with a purchase.
    pub customers: f64,
    /// Net revenue of the whole log.
    pub revenue: f64,
    /// Rows skipped for a missing id, date or revenue.
    pub missing: f64,
    /// One row per period, first to last.
    pub rows: Vec<RetentionRow>,
}

impl From<cx_core::Retention> for Retention {
    fn from(t: cx_core::Retention) -> Self {
        Retention {
            freq: t.freq.to_string(),
            lag: f64::from(t.lag),
            customers: t.customers as f64,
            revenue: t.revenue,
            missing: t.missing as f64,
            rows: t
                .rows
                .into_iter()
                .map(|r| RetentionRow {
                    period: r.period,
                    start: r.start as f64,
                    active: r.active as f64,
                    new: r.new as f64,
                    retained: r.retained as f64,
                    reactivated: r.reactivated as f64,
                    churned: r.churned as f64,
                    retention_rate: nul(r.retention_rate),
                    churn_rate: nul(r.churn_rate),
                    revenue: r.revenue,
                    new_revenue: r.new_revenue,
                    retained_revenue: r.retained_revenue,
                    reactivated_revenue: r.reactivated_revenue,
                    inactive_revenue: r.inactive_revenue,
                    new_revenue_share: nul(r.new_revenue_share),
                    existing_revenue_share: nul(r.existing_revenue_share),
                    expansion_revenue: r.expansion_revenue,
                    contraction_revenue: r.contraction_revenue,
                    churned_revenue: r.churned_revenue,
                    quick_ratio: nul(r.quick_ratio),
                    growth_from_new_share: nul(r.growth_from_new_share),
                    growth_from_existing_share: nul(r.growth_from_existing_share),
                    nrr: nul(r.nrr),
                    grr: nul(r.grr),
                    acquisition_spend: nul(r.acquisition_spend),
                    retention_spend: nul(r.retention_spend),
                    cost_per_acquired: nul(r.cost_per_acquired),
                    cost_per_retained: nul(r.cost_per_retained),
                    balance_ratio: nul(r.balance_ratio),
                })
                .collect(),
        }
    }
}

/// Retention per period from a transaction log: active, new, retained, reactivated and churned
/// customers, revenue by customer status, growth accounting (expansion, contraction, churned
/// revenue, quick ratio), net and gross revenue retention, and with spends the cost per acquired
/// and per retained customer. Definitions and sources: cx-core's `retention`.
///
/// @throws {Error} `CX_LENGTH_MISMATCH` for columns (or a spend series vs the periods of the
/// log) of different lengths; `CX_INVALID_ARGUMENT` for an unreadable date, an infinite
/// revenue, a negative spend, `lag` 0 or an unknown `freq`; `CX_EMPTY_INPUT` when no row has an
/// id, a date and a revenue.
#[napi(catch_unwind)]
pub fn retention(
    env: Env,
    customers: KeyColumn,
    dates: DateValues,
    revenue: Revenue,
    options: Option<RetentionOptions>,
) -> Result<Retention> {
    let o = options.unwrap_or_default();
    let freq = freq_of(o.freq).or_throw(&env)?;
    let lag = o
        .lag
        .map_or(Ok(1), |l| exact_u32("lag", l))
        .or_throw(&env)?;
    let options = CoreOptions {
        lag,
        acquisition_spend: o.acquisition_spend,
        retention_spend: o.retention_spend,
    };
    options.validate().or_throw(&env)?;
    let a = activity(customers, dates, revenue, freq)?.or_throw(&env)?;
    Ok(cx_core::retention::retention(&a, &options)
        .or_throw(&env)?
        .into())
}

/// Options of {@link cohorts}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CohortOptions {
    /// Period length (default `"month"`).
    pub freq: Option<String>,
}

/// Cohort tables: row `c` is the cohort acquired in period `c`, column `k` is `k` periods after
/// acquisition; `null` past the end of the log (the triangle) and for rates with a zero base.
#[napi(object, object_from_js = false)]
pub struct Cohorts {
    /// Period length.
    pub freq: String,
    /// Cohort labels (period of the first purchase).
    pub cohorts: Vec<String>,
    /// Customers acquired in each cohort.
    pub sizes: Vec<f64>,
    /// Active customers of cohort c, k periods after acquisition.
    pub customers: Vec<Vec<Either<f64, Null>>>,
    /// Net revenue of cohort c, k periods after acquisition.
    pub revenue: Vec<Vec<Either<f64, Null>>>,
    /// `customers[c][k] / sizes[c]`.
    pub customer_rates: Vec<Vec<Either<f64, Null>>>,
    /// `revenue[c][k] / revenue[c][0]`.
    pub revenue_rates: Vec<Vec<Either<f64, Null>>>,
    /// Pooled retention curve: retained customers k periods after acquisition over the size of
    /// the cohorts observed that long.
    pub average_retention: Vec<Either<f64, Null>>,
    /// Pooled revenue retention curve.
    pub average_revenue_retention: Vec<Either<f64, Null>>,
}

fn table(t: Vec<Vec<Option<f64>>>) -> Vec<Vec<Either<f64, Null>>> {
    t.into_iter()
        .map(|r| r.into_iter().map(nul).collect())
        .collect()
}

/// Cohort tables (the retention triangle) of a transaction log: customers and revenue by
/// acquisition cohort × periods since acquisition, as counts and rates, with the average
/// retention curves.
///
/// @throws {Error} as {@link retention}.
#[napi(catch_unwind)]
pub fn cohorts(
    env: Env,
    customers: KeyColumn,
    dates: DateValues,
    revenue: Revenue,
    options: Option<CohortOptions>,
) -> Result<Cohorts> {
    let freq = freq_of(options.unwrap_or_default().freq).or_throw(&env)?;
    let a = activity(customers, dates, revenue, freq)?.or_throw(&env)?;
    Ok(cohorts_js(cx_core::retention::cohorts(&a)))
}

fn cohorts_js(c: cx_core::Cohorts) -> Cohorts {
    Cohorts {
        freq: c.freq.to_string(),
        cohorts: c.cohorts,
        sizes: c.sizes.iter().map(|&x| x as f64).collect(),
        customers: c
            .customers
            .into_iter()
            .map(|r| r.into_iter().map(|x| nul(x.map(|v| v as f64))).collect())
            .collect(),
        revenue: table(c.revenue),
        customer_rates: table(c.customer_rates),
        revenue_rates: table(c.revenue_rates),
        average_retention: c.average_retention.into_iter().map(nul).collect(),
        average_revenue_retention: c.average_revenue_retention.into_iter().map(nul).collect(),
    }
}

/// Options of {@link rfm}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct RfmOptions<'a> {
    /// Days per time unit of recency and T (default 1; 7 for weeks).
    pub unit_days: Option<f64>,
    /// Last day of the observation period (a date as in {@link DateValues}); rows after it
    /// are ignored. Default: the last date in the log.
    #[napi(ts_type = "number | string | Date")]
    pub observation_end: Option<Either3<f64, String, napi::bindgen_prelude::Date<'a>>>,
}

/// Per-customer RFM summary (customers with at least one purchase, sorted by id).
#[napi(object, object_from_js = false)]
pub struct Rfm {
    /// Customer ids.
    #[napi(ts_type = "Array<string | number>")]
    pub customers: Vec<CustomerId>,
    /// Repeat purchase days.
    pub frequency: Vec<f64>,
    /// First to last purchase day, in time units.
    pub recency: Vec<f64>,
    /// First purchase day to the end of the observation period, in time units.
    #[napi(js_name = "T")]
    pub t: Vec<f64>,
    /// Mean net revenue per repeat purchase (0 without repeat purchases).
    pub monetary_value: Vec<f64>,
    /// Days per time unit.
    pub unit_days: f64,
    /// Last day of the observation period, days since 1970-01-01.
    pub observation_end: f64,
    /// Rows skipped for a missing id, date or revenue.
    pub missing: f64,
}

impl From<cx_core::clv::Rfm> for Rfm {
    fn from(r: cx_core::clv::Rfm) -> Self {
        Rfm {
            customers: r.customers.iter().map(id_js).collect(),
            frequency: r.frequency,
            recency: r.recency,
            t: r.t,
            monetary_value: r.monetary_value,
            unit_days: r.unit_days,
            observation_end: r.observation_end as f64,
            missing: r.missing as f64,
        }
    }
}

/// Frequency, recency, T and monetary value per customer (lifetimes' conventions: purchases
/// counted per day; `frequency` = repeat purchase days; `monetaryValue` = mean net revenue per
/// repeat purchase): the input of {@link fitBgnbd} and {@link fitGammaGamma}.
///
/// @throws {Error} as {@link retention}; `CX_EMPTY_INPUT` when no customer made a purchase.
#[napi(catch_unwind)]
pub fn rfm(
    env: Env,
    customers: KeyColumn,
    dates: DateValues,
    revenue: Revenue,
    options: Option<RfmOptions>,
) -> Result<Rfm> {
    let o = options.unwrap_or_default();
    let observation_end = match o.observation_end {
        None => None,
        Some(d) => {
            let day = days_of(&vec![Some(d)])?.or_throw(&env)?[0];
            (day != cx_core::period::MISSING_DAY).then_some(day)
        }
    };
    let options = cx_core::clv::RfmOptions {
        unit_days: o.unit_days.unwrap_or(1.0),
        observation_end,
    };
    let days = days_of(&dates)?.or_throw(&env)?;
    let (codes, labels) = customer_codes(customers);
    let revenue = revenue_vec(&revenue);
    Ok(cx_core::clv::rfm(&codes, labels, &days, &revenue, &options)
        .or_throw(&env)?
        .into())
}

/// New customers of one acquisition channel in one period, and how they did afterwards.
#[napi(object, object_from_js = false)]
pub struct AcquisitionRow {
    /// Period of acquisition (first purchase).
    pub period: String,
    /// Acquisition channel (the channel of the first purchase).
    pub channel: String,
    /// Customers acquired.
    pub new: f64,
    /// Their net revenue in the period of acquisition.
    pub new_revenue: f64,
    /// Of them, customers active in the next period.
    pub retained_next: f64,
    /// `retainedNext / new` (`null` in the last period or without new customers).
    pub next_period_retention: Either<f64, Null>,
    /// Their net revenue from acquisition to the end of the log.
    pub revenue_to_date: f64,
    /// `revenueToDate / new`.
    pub revenue_per_customer: Either<f64, Null>,
}

/// Customers acquired per period and channel: one row per period and channel, periods first.
#[napi(object, object_from_js = false)]
pub struct Acquisition {
    /// Period length.
    pub freq: String,
    /// Channel labels (sorted; `"(missing)"` for a missing channel).
    pub channels: Vec<String>,
    /// One row per period and channel.
    pub rows: Vec<AcquisitionRow>,
}

/// New customers per period and acquisition channel (the channel of each customer's first
/// purchase; on a day with several, the first in sorted order), with their first-period
/// revenue, next-period retention and revenue to date.
///
/// @throws {Error} as {@link retention}; `CX_LENGTH_MISMATCH` for a channel column of another
/// length.
#[napi(catch_unwind)]
pub fn acquisition(
    env: Env,
    customers: KeyColumn,
    dates: DateValues,
    revenue: Revenue,
    channels: KeyColumn,
    options: Option<CohortOptions>,
) -> Result<Acquisition> {
    let freq = freq_of(options.unwrap_or_default().freq).or_throw(&env)?;
    let days = days_of(&dates)?.or_throw(&env)?;
    let (codes, labels) = customer_codes(customers);
    let revenue = revenue_vec(&revenue);
    let (ch_codes, ch_labels) = channel_codes(channels);
    let table = Activity::from_codes(&codes, labels, &days, &revenue, freq)
        .and_then(|a| a.with_channels(&codes, &days, &revenue, &ch_codes, ch_labels))
        .and_then(|a| cx_core::retention::acquisition(&a))
        .or_throw(&env)?;
    Ok(acquisition_js(table))
}

fn acquisition_js(table: cx_core::Acquisition) -> Acquisition {
    Acquisition {
        freq: table.freq.to_string(),
        channels: table.channels,
        rows: table
            .rows
            .into_iter()
            .map(|r| AcquisitionRow {
                period: r.period,
                channel: r.channel,
                new: r.new as f64,
                new_revenue: r.new_revenue,
                retained_next: r.retained_next as f64,
                next_period_retention: nul(r.next_period_retention),
                revenue_to_date: r.revenue_to_date,
                revenue_per_customer: nul(r.revenue_per_customer),
            })
            .collect(),
    }
}

/// Channel codes: a missing channel is its own label, "(missing)", sorted last.
fn channel_codes(channels: KeyColumn) -> (Vec<u32>, Vec<Key>) {
    let (mut codes, mut labels) = customer_codes(channels);
    let missing = labels.len() as u32;
    if codes.contains(&MISSING_CUSTOMER) {
        codes
            .iter_mut()
            .filter(|c| **c == MISSING_CUSTOMER)
            .for_each(|c| *c = missing);
        labels.push(Key::Str(cx_core::grouping::MISSING_LABEL.into()));
    }
    (codes, labels)
}

/// Options of {@link Activity.fromLog}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct ActivityOptions {
    /// Period length (default `"month"`).
    pub freq: Option<String>,
    /// One acquisition channel per row (optional; enables {@link Activity.acquisition}).
    pub channels: Option<KeyColumn>,
}

/// The one-pass, mergeable summary of a transaction log behind {@link retention},
/// {@link cohorts} and {@link acquisition}: build one per partition or batch, `merge` them,
/// then ask for the tables; `toJSON` / `fromJSON` carry it between processes.
#[napi(js_name = "Activity")]
pub struct ActivitySummary {
    inner: Activity,
}

#[napi]
impl ActivitySummary {
    /// Summarise a log (arguments as {@link retention}).
    ///
    /// @throws {Error} as {@link retention}.
    #[napi(factory, catch_unwind)]
    pub fn from_log(
        env: Env,
        customers: KeyColumn,
        dates: DateValues,
        revenue: Revenue,
        options: Option<ActivityOptions>,
    ) -> Result<Self> {
        let o = options.unwrap_or_default();
        let freq = freq_of(o.freq).or_throw(&env)?;
        let days = days_of(&dates)?.or_throw(&env)?;
        let (codes, labels) = customer_codes(customers);
        let revenue = revenue_vec(&revenue);
        let mut a = Activity::from_codes(&codes, labels, &days, &revenue, freq).or_throw(&env)?;
        if let Some(channels) = o.channels {
            let (ch, labels) = channel_codes(channels);
            a = a
                .with_channels(&codes, &days, &revenue, &ch, labels)
                .or_throw(&env)?;
        }
        Ok(ActivitySummary { inner: a })
    }

    /// The summary of both logs (customers matched by id), as a new Activity.
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` for different period lengths, or channels on one
    /// summary only.
    #[napi(catch_unwind)]
    pub fn merge(&self, env: Env, other: &ActivitySummary) -> Result<ActivitySummary> {
        let mut inner = self.inner.clone();
        inner.merge(&other.inner).or_throw(&env)?;
        Ok(ActivitySummary { inner })
    }

    /// The summary as JSON text (the serde form shared with Rust and Python).
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The compact binary form (magic `CXAC`, versioned, checksummed; the same bytes in every
    /// language).
    #[napi]
    pub fn to_bytes(&self) -> napi::bindgen_prelude::Buffer {
        self.inner.to_bytes().into()
    }

    /// A summary from the bytes of {@link Activity.toBytes} written in any language.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` on a wrong magic, version, length or checksum.
    #[napi(factory, catch_unwind)]
    pub fn from_bytes(env: Env, bytes: napi::bindgen_prelude::Uint8ArraySlice) -> Result<Self> {
        let inner = Activity::from_bytes(&bytes).or_throw(&env)?;
        Ok(ActivitySummary { inner })
    }

    /// Rebuild a summary from {@link Activity.toJSON} text.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` for text that is not a summary.
    #[napi(factory, js_name = "fromJSON")]
    pub fn from_json(env: Env, text: String) -> Result<Self> {
        let inner = Activity::from_json(&text).or_throw(&env)?;
        Ok(ActivitySummary { inner })
    }

    /// Period length.
    #[napi(getter)]
    pub fn freq(&self) -> String {
        self.inner.freq.to_string()
    }

    /// Customers in the summary.
    #[napi(getter)]
    pub fn n_customers(&self) -> f64 {
        self.inner.customers.len() as f64
    }

    /// Periods from the first to the last date.
    #[napi(getter)]
    pub fn n_periods(&self) -> f64 {
        self.inner.n_periods as f64
    }

    /// The retention table (options as {@link retention}; `freq` is the summary's).
    #[napi(catch_unwind)]
    pub fn retention(&self, env: Env, options: Option<RetentionOptions>) -> Result<Retention> {
        let o = options.unwrap_or_default();
        let lag = o
            .lag
            .map_or(Ok(1), |l| exact_u32("lag", l))
            .or_throw(&env)?;
        let options = CoreOptions {
            lag,
            acquisition_spend: o.acquisition_spend,
            retention_spend: o.retention_spend,
        };
        Ok(cx_core::retention::retention(&self.inner, &options)
            .or_throw(&env)?
            .into())
    }

    /// The cohort tables.
    #[napi(catch_unwind)]
    pub fn cohorts(&self) -> Cohorts {
        cohorts_js(cx_core::retention::cohorts(&self.inner))
    }

    /// New customers by period and acquisition channel.
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` when the summary has no channels.
    #[napi(catch_unwind)]
    pub fn acquisition(&self, env: Env) -> Result<Acquisition> {
        Ok(acquisition_js(
            cx_core::retention::acquisition(&self.inner).or_throw(&env)?,
        ))
    }
}
