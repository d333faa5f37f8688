//! Transaction logs: `rfm` (`retention`, `cohorts`, `acquisition` and `activity` are entry
//! points of the core's contract, `call.rs`).
//!
//! It reads one customer id, one date and one revenue per row, builds cx-core's per-customer
//! summary in one pass and returns a plain object. Customer ids are strings or integers (`null`, `undefined`, `NaN` are missing); dates are those of {@link DateValues};
//! revenue is a `number[]` (`null` missing) or a `Float64Array` (`NaN` missing); a negative
//! revenue is a refund.

use cx_core::grouping::{factorize, Key};
use cx_core::retention::MISSING_CUSTOMER;
use napi::bindgen_prelude::{Either, Either3, Float64ArraySlice};
use napi::{Env, Result};
use napi_derive::napi;

use crate::dates::{days_of, DateValues};
use crate::error::OrThrow;
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
