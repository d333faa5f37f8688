//! The single view of the customer (`customerView`) and personas (`personas`,
//! `assignPersonas`).
//!
//! `customerView` reads a survey table and a transaction log as columns, joins them per
//! customer in cx-core and returns one plain object per customer. `personas` takes columns by
//! name (as a DataFrame would) and returns plain objects; its `model` is JSON text that
//! `assignPersonas` reads to assign new customers.

use std::collections::HashMap;

use cx_core::customer_view::{
    customer_view as core_view, join_keys, ClvModel, CustomerViewOptions as CoreViewOptions,
    RatingColumn, SurveyTable, TransactionLog,
};
use cx_core::grouping::{factorize, Key};
use cx_core::period::civil_from_days;
use cx_core::personas::{
    personas as core_personas, CategoricalFeature, CxColumns, NumericFeature, PersonaModel,
    PersonaOptions as CoreOptions, ProfileColumns,
};
use cx_core::retention::MISSING_CUSTOMER;
use cx_core::CxError;
use napi::bindgen_prelude::{Either, Null};
use napi::{Env, Result};
use napi_derive::napi;

use crate::camel::CamelJs;
use crate::clv::{BgNbdFit, GammaGammaFit};
use crate::dates::{days_of, DateValues};
use crate::error::OrThrow;
use crate::keys::KeyColumn;
use crate::results::{Nps, Proportion};
use crate::retention::{revenue_vec, Revenue};

type Num = Either<f64, Null>;

fn nul(x: Option<f64>) -> Num {
    x.map_or(Either::B(Null), Either::A)
}

fn key_of(k: &Option<Either<String, f64>>) -> Option<Key> {
    match k {
        None => None,
        Some(Either::A(s)) => Some(Key::Str(s.clone())),
        Some(Either::B(x)) if x.is_nan() => None,
        Some(Either::B(x)) if x.fract() == 0.0 && x.abs() < 9.007e15 => Some(Key::Int(*x as i64)),
        Some(Either::B(x)) => Some(Key::Str(x.to_string())),
    }
}

fn id_js(k: &Key) -> Either<String, f64> {
    match k {
        Key::Int(i) => Either::B(*i as f64),
        Key::Str(s) => Either::A(s.clone()),
        Key::Missing => Either::A(String::new()),
    }
}

fn iso(day: Option<i64>) -> Either<String, Null> {
    match day {
        Some(d) => {
            let (y, m, dd) = civil_from_days(d);
            Either::A(format!("{y:04}-{m:02}-{dd:02}"))
        }
        None => Either::B(Null),
    }
}

/// The survey table of {@link customerView}: one entry per response.
#[napi(object, object_to_js = false)]
pub struct SurveyInput<'a> {
    /// Customer id of each response (strings or integers; `null` missing).
    pub customer: KeyColumn,
    /// Response dates (optional; without them the last response of a customer is the latest).
    pub date: Option<DateValues<'a>>,
    /// Rating columns by name (`nps`, `csat`, `ease`, ...): numbers, `null` for missing.
    pub ratings: HashMap<String, Vec<Option<f64>>>,
}

/// The transaction log of {@link customerView}: one entry per row.
#[napi(object, object_to_js = false)]
pub struct TransactionInput<'a> {
    /// Customer id of each row.
    pub customer: KeyColumn,
    /// Date of each row.
    pub date: DateValues<'a>,
    /// Revenue of each row (money; negative for a refund).
    pub revenue: Revenue<'a>,
}

/// Options of {@link customerView}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CustomerViewOptions {
    /// Cut-off date (ISO string); default: the latest date in either input.
    pub cutoff: Option<String>,
    /// A customer is active while their last purchase is fewer than this many days before the
    /// cut-off (default 365).
    pub active_days: Option<u32>,
    /// The rating column of `npsCategory` (default: `"nps"` if present).
    pub nps: Option<String>,
    /// Horizon of `expectedPurchases` in the fit's time units (default 365).
    pub horizon: Option<f64>,
    /// Months of the CLV (default 12).
    pub months: Option<u32>,
    /// Monthly discount rate of the CLV (default 0.01).
    pub discount: Option<f64>,
    /// Time units per month (default 30).
    pub period_length: Option<f64>,
    /// Days per time unit of the fits (default 1).
    pub unit_days: Option<f64>,
}

/// Latest and mean answer of one rating of one customer.
#[napi(object, object_from_js = false)]
pub struct RatingValue {
    /// Latest non-missing answer.
    pub latest: Either<f64, Null>,
    /// Mean of the non-missing answers.
    pub mean: Either<f64, Null>,
    /// Non-missing answers.
    pub count: u32,
}

/// One customer of {@link customerView}.
#[napi(object, object_from_js = false)]
pub struct CustomerViewRow {
    /// Customer id.
    pub customer: Either<String, f64>,
    /// At least one survey response up to the cut-off.
    pub in_survey: bool,
    /// At least one transaction up to the cut-off.
    pub in_transactions: bool,
    /// Survey responses.
    pub responses: u32,
    /// Date of the latest response (`YYYY-MM-DD`).
    pub last_response: Either<String, Null>,
    /// Days from the latest response to the cut-off.
    pub response_recency_days: Either<f64, Null>,
    /// Each rating's latest and mean answer, by column name.
    pub ratings: HashMap<String, RatingValue>,
    /// `"promoter"`, `"passive"` or `"detractor"` from the latest NPS answer.
    pub nps_category: Either<String, Null>,
    /// Date of the first purchase.
    pub first_purchase: Either<String, Null>,
    /// Date of the last purchase.
    pub last_purchase: Either<String, Null>,
    /// Days from the last purchase to the cut-off.
    pub recency_days: Either<f64, Null>,
    /// Purchase days.
    pub frequency: u32,
    /// Net revenue per purchase day.
    pub monetary: Either<f64, Null>,
    /// Net revenue (refunds included).
    pub revenue: f64,
    /// Days from the first purchase to the cut-off.
    pub tenure_days: Either<f64, Null>,
    /// Active at the cut-off (`null` without purchases).
    pub active: Either<bool, Null>,
    /// BG/NBD expected purchases (with a fit).
    pub expected_purchases: Either<f64, Null>,
    /// BG/NBD probability of being alive (with a fit).
    pub p_alive: Either<f64, Null>,
    /// Lifetime value (with both fits).
    pub clv: Either<f64, Null>,
}

/// One row per customer: latest and mean ratings, NPS category, response recency, RFM, tenure,
/// active or churned at the cut-off, revenue, and with fitted models expected purchases and
/// CLV. Customers in only one input are kept and flagged (`inSurvey`, `inTransactions`).
///
/// @throws {Error} `CX_LENGTH_MISMATCH`, `CX_OUT_OF_SCALE` / `CX_NON_INTEGER` (an NPS answer
/// outside 0-10), `CX_INVALID_ARGUMENT` (an infinite rating or revenue, naming the column and
/// index; an unknown `nps` column; a bad date), `CX_EMPTY_INPUT`.
#[napi(catch_unwind)]
pub fn customer_view(
    env: Env,
    survey: SurveyInput,
    transactions: TransactionInput,
    options: Option<CustomerViewOptions>,
    bgnbd: Option<&BgNbdFit>,
    gamma_gamma: Option<&GammaGammaFit>,
) -> Result<Vec<CustomerViewRow>> {
    let o = options.unwrap_or_default();
    let s_keys: Vec<Option<Key>> = survey.customer.iter().map(key_of).collect();
    let t_keys: Vec<Option<Key>> = transactions.customer.iter().map(key_of).collect();
    let (s_codes, t_codes, ids) = join_keys(&s_keys, &t_keys);
    let s_days = match &survey.date {
        Some(d) => Some(days_of(d)?.or_throw(&env)?),
        None => None,
    };
    let t_days = days_of(&transactions.date)?.or_throw(&env)?;
    let revenue = revenue_vec(&transactions.revenue);
    let mut names: Vec<&String> = survey.ratings.keys().collect();
    names.sort();
    let values: Vec<Vec<f64>> = names
        .iter()
        .map(|n| {
            survey.ratings[*n]
                .iter()
                .map(|x| x.unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let table = SurveyTable {
        customers: &s_codes,
        days: s_days.as_deref(),
        ratings: names
            .iter()
            .zip(&values)
            .map(|(name, values)| RatingColumn { name, values })
            .collect(),
    };
    let log = TransactionLog {
        customers: &t_codes,
        days: &t_days,
        revenue: &revenue,
    };
    let cutoff = match &o.cutoff {
        Some(text) => {
            let d = days_of(&vec![Some(napi::bindgen_prelude::Either3::B(text.clone()))])?
                .or_throw(&env)?;
            Some(d[0])
        }
        None => None,
    };
    let clv = bgnbd.map(|b| ClvModel {
        bgnbd: b.inner.clone(),
        gamma_gamma: gamma_gamma.map(|g| g.inner.clone()),
        unit_days: o.unit_days.unwrap_or(1.0),
        horizon: o.horizon.unwrap_or(365.0),
        months: o.months.unwrap_or(12),
        discount: o.discount.unwrap_or(0.01),
        period_length: o.period_length.unwrap_or(30.0),
    });
    let options = CoreViewOptions {
        cutoff,
        active_days: o.active_days.unwrap_or(365),
        nps: o.nps.clone(),
        clv,
    };
    let v = core_view(ids, &table, &log, &options).or_throw(&env)?;
    let at = |col: &[Option<f64>], i: usize| nul(col.get(i).copied().flatten());
    let days = |x: Option<i64>| nul(x.map(|d| d as f64));
    Ok((0..v.len())
        .map(|i| CustomerViewRow {
            customer: id_js(&v.customers[i]),
            in_survey: v.in_survey[i],
            in_transactions: v.in_transactions[i],
            responses: v.responses[i],
            last_response: iso(v.last_response[i]),
            response_recency_days: days(v.response_recency_days[i]),
            ratings: v
                .ratings
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        RatingValue {
                            latest: nul(r.latest[i]),
                            mean: nul(r.mean[i]),
                            count: r.count[i],
                        },
                    )
                })
                .collect(),
            nps_category: v
                .nps_category
                .get(i)
                .copied()
                .flatten()
                .map_or(Either::B(Null), |c| Either::A(c.name().to_string())),
            first_purchase: iso(v.first_purchase[i]),
            last_purchase: iso(v.last_purchase[i]),
            recency_days: days(v.recency_days[i]),
            frequency: v.frequency[i],
            monetary: nul(v.monetary[i]),
            revenue: v.revenue[i],
            tenure_days: days(v.tenure_days[i]),
            active: v.active[i].map_or(Either::B(Null), Either::A),
            expected_purchases: at(&v.expected_purchases, i),
            p_alive: at(&v.p_alive, i),
            clv: at(&v.clv, i),
        })
        .collect())
}

/// Columns by name, as a DataFrame holds them: numbers, strings or `null`.
#[napi]
pub type Columns = HashMap<String, Vec<Option<Either<f64, String>>>>;

/// Options of {@link personas}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct PersonaOptions {
    /// Categorical feature columns (k-prototypes).
    pub categorical: Option<Vec<String>>,
    /// A fixed number of personas (overrides `kMin`/`kMax`).
    pub k: Option<u32>,
    /// Smallest k tried (default 2).
    pub k_min: Option<u32>,
    /// Largest k tried (default 6).
    pub k_max: Option<u32>,
    /// Seed (default 0): the same seed gives the same personas in Rust, Python and Node.
    pub seed: Option<u32>,
    /// Restarts per k (default 10).
    pub n_init: Option<u32>,
    /// Iterations per restart at most (default 300).
    pub max_iter: Option<u32>,
    /// Convergence tolerance (default 1e-4, scikit-learn's rule: stop when the prototypes
    /// moved by at most this much in total squared z-score distance; 0: only on no change).
    pub tol: Option<f64>,
    /// Weight of a categorical mismatch (default 0.5).
    pub gamma: Option<f64>,
    /// Customers in the silhouette sample (default 5000).
    pub silhouette_sample: Option<u32>,
    /// Column of the latest NPS answer (0-10) for each persona's NPS.
    pub nps: Option<String>,
    /// Column of revenue for each persona's revenue share.
    pub revenue: Option<String>,
    /// Column of lifetime value for each persona's mean CLV.
    pub clv: Option<String>,
    /// Column of a 0/1 loyalty outcome for each persona's loyalty rate (Wilson interval).
    pub loyalty: Option<String>,
    /// Columns whose key drivers are found within each persona (standardised betas and LMG
    /// shares of R², no bootstrap) on the `loyalty` outcome (`nps` without one); the leading
    /// drivers become the persona's first needs. A `_latest` / `_mean` suffix is dropped from
    /// the driver's name.
    pub drivers: Option<Vec<String>>,
    /// Columns of each customer's latest answer to each CX dimension, for each persona's CX
    /// index (the `_latest` suffix is dropped from the dimension's name).
    pub cx_dims: Option<Vec<String>>,
    /// Scales of the CX dimensions, as {@link cxIndex}'s `scales` (default 1-5).
    #[napi(
        ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec | Record<string, 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec>"
    )]
    pub cx_scales: Option<serde_json::Value>,
    /// Method of the CX index, `"net"` (default) or `"mean"`.
    #[napi(ts_type = "'net' | 'mean'")]
    pub cx_method: Option<String>,
    /// Weights of the CX dimensions (one per dimension, or by name; default equal).
    #[napi(ts_type = "number[] | Record<string, number>")]
    pub cx_dim_weights: Option<serde_json::Value>,
    /// |z| at which a feature distinguishes a persona (default 0.5).
    pub threshold: Option<f64>,
    /// Level of the Holm-adjusted persona-vs-rest tests (default 0.05).
    pub alpha: Option<f64>,
}

/// The silhouette and cost of one k.
#[napi(object, object_from_js = false)]
pub struct KScore {
    /// Number of personas.
    pub k: u32,
    /// Mean silhouette (-1..1).
    pub silhouette: Either<f64, Null>,
    /// Inertia plus gamma times the categorical mismatches.
    pub cost: f64,
}

/// One feature of a persona against the rest.
#[napi(object, object_from_js = false)]
pub struct FeatureDifference {
    /// Feature name.
    pub feature: String,
    /// Mean in the persona.
    pub mean: f64,
    /// Mean of the other customers.
    pub rest_mean: Either<f64, Null>,
    /// The persona's mean z-score.
    pub z: f64,
    /// Holm-adjusted Welch p-value.
    pub p_value: Either<f64, Null>,
    /// `pValue < alpha`.
    pub significant: bool,
}

/// The most frequent category of a categorical feature in a persona.
#[napi(object, object_from_js = false)]
pub struct CategoryMode {
    /// Feature name.
    pub feature: String,
    /// Category.
    pub category: String,
    /// Its share in the persona (0..1).
    pub share: f64,
}

/// One persona's profile.
#[napi(object, object_from_js = false)]
pub struct Persona {
    /// Persona number (largest first).
    pub id: u32,
    /// Generated label ("high value, low ease").
    pub label: String,
    /// Customers.
    pub size: f64,
    /// Share of the clustered customers (0..1).
    pub share: f64,
    /// Each numeric feature against the rest.
    pub differences: Vec<FeatureDifference>,
    /// Categorical modes.
    pub modes: Vec<CategoryMode>,
    /// Distinguishing features, strongest first.
    pub distinguishing: Vec<String>,
    /// NPS of the members.
    pub nps: Either<Nps, Null>,
    /// Share of revenue (0..1).
    pub revenue_share: Either<f64, Null>,
    /// Mean CLV (money).
    pub mean_clv: Either<f64, Null>,
    /// Share of CLV (0..1).
    pub clv_share: Either<f64, Null>,
    /// Loyalty rate of the members (0..1, Wilson interval), with a loyalty column.
    pub loyalty: Either<Proportion, Null>,
    /// CX index of the members' latest answers, with `cxDims`.
    #[napi(ts_type = "import('./api').CxIndex | null")]
    pub cx_index: Either<CamelJs<cx_core::CxIndex>, Null>,
    /// Key drivers within the persona, with `drivers`.
    pub drivers: Either<PersonaDrivers, Null>,
    /// Needs: the key drivers first, then the documented keyword rules.
    pub needs: Vec<String>,
}

/// One driver within a persona.
#[napi(object, object_from_js = false)]
pub struct DriverShare {
    /// Driver name.
    pub driver: String,
    /// LMG share of R² (0..1).
    pub share: f64,
    /// Standardised coefficient.
    pub beta: f64,
    /// Correlation with the outcome.
    pub correlation: f64,
    /// The persona's standing on the driver in overall SDs.
    pub z: f64,
}

/// The key drivers of the loyalty outcome within a persona.
#[napi(object, object_from_js = false)]
pub struct PersonaDrivers {
    /// `"loyalty"` or `"nps"`.
    pub outcome: String,
    /// Complete members used.
    pub n: f64,
    /// R² of the outcome on the drivers (`null` when skipped).
    pub r_squared: Either<f64, Null>,
    /// Drivers, largest share first.
    pub ranking: Vec<DriverShare>,
    /// Why the analysis was skipped in this persona, else `null`.
    pub skipped: Either<String, Null>,
}

/// A column's name without the customer view's `_latest` / `_mean` suffix.
fn base_name(column: &str) -> String {
    ["_latest", "_mean"]
        .iter()
        .find_map(|s| column.strip_suffix(s))
        .filter(|b| !b.is_empty())
        .unwrap_or(column)
        .to_string()
}

/// Personas of a customer base.
#[napi(object, object_from_js = false)]
pub struct Personas {
    /// Chosen number of personas.
    pub k: u32,
    /// `"k-means"` or `"k-prototypes"`.
    pub method: String,
    /// Every k tried.
    pub scores: Vec<KScore>,
    /// Customers in the silhouette sample.
    pub sample_size: u32,
    /// Customers left out for a missing feature.
    pub missing: f64,
    /// Persona of each customer (`null`: a missing feature).
    pub assignments: Vec<Either<u32, Null>>,
    /// Profiles, largest first.
    pub personas: Vec<Persona>,
    /// The fitted model as JSON (for {@link assignPersonas}).
    pub model: String,
}

fn missing_column(name: &str) -> CxError {
    CxError::InvalidArgument {
        name: "features",
        value: format!("{name:?}"),
        expected: "a column of the data".into(),
    }
}

fn numeric_column(columns: &Columns, name: &str) -> std::result::Result<Vec<f64>, CxError> {
    let col = columns.get(name).ok_or_else(|| missing_column(name))?;
    col.iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => Ok(f64::NAN),
            Some(Either::A(x)) => Ok(*x),
            Some(Either::B(s)) => Err(CxError::InvalidArgument {
                name: "features",
                value: format!("{s:?} in column {name:?} at index {i}"),
                expected: "numbers (null for missing)".into(),
            }),
        })
        .collect()
}

fn category_column(
    columns: &Columns,
    name: &str,
) -> std::result::Result<(Vec<u32>, Vec<Key>), CxError> {
    let col = columns.get(name).ok_or_else(|| missing_column(name))?;
    let keys: Vec<Option<Key>> = col
        .iter()
        .map(|v| match v {
            None => None,
            Some(Either::A(x)) => key_of(&Some(Either::B(*x))),
            Some(Either::B(s)) => Some(Key::Str(s.clone())),
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
    Ok((codes, out))
}

type Inputs = (Vec<Vec<f64>>, Vec<(Vec<u32>, Vec<Key>)>);

fn inputs(
    columns: &Columns,
    features: &[String],
    categorical: &[String],
) -> std::result::Result<Inputs, CxError> {
    let num = features
        .iter()
        .map(|f| numeric_column(columns, f))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let cat = categorical
        .iter()
        .map(|f| category_column(columns, f))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((num, cat))
}

fn views<'a>(
    features: &'a [String],
    num: &'a [Vec<f64>],
    categorical: &'a [String],
    cat: &'a [(Vec<u32>, Vec<Key>)],
) -> (Vec<NumericFeature<'a>>, Vec<CategoricalFeature<'a>>) {
    (
        features
            .iter()
            .zip(num)
            .map(|(name, values)| NumericFeature { name, values })
            .collect(),
        categorical
            .iter()
            .zip(cat)
            .map(|(name, (codes, labels))| CategoricalFeature {
                name,
                codes,
                labels: labels.clone(),
            })
            .collect(),
    )
}

/// Data-driven personas from columns by name: standardised `features` (and `categorical`
/// ones for k-prototypes), k-means++ restarts seeded by `seed`, k chosen by silhouette over
/// `kMin..kMax` (default 2..6), each persona profiled (size, share, feature means vs the rest
/// with Holm-adjusted Welch tests, NPS, revenue and CLV shares, a label and its needs).
///
/// @throws {Error} `CX_INVALID_ARGUMENT` (a missing column, a string in a numeric column, bad
/// options), `CX_ZERO_VARIANCE` (a constant feature), `CX_EMPTY_INPUT` (every customer has a
/// missing feature), `CX_INSUFFICIENT_DATA` (k above the customers).
#[napi(catch_unwind)]
pub fn personas(
    env: Env,
    columns: Columns,
    features: Vec<String>,
    options: Option<PersonaOptions>,
) -> Result<Personas> {
    let o = options.unwrap_or_default();
    let categorical = o.categorical.clone().unwrap_or_default();
    let (num, cat) = inputs(&columns, &features, &categorical).or_throw(&env)?;
    let (nf, cf) = views(&features, &num, &categorical, &cat);
    let profile_col = |name: &Option<String>| -> std::result::Result<Option<Vec<f64>>, CxError> {
        name.as_ref()
            .map(|n| numeric_column(&columns, n))
            .transpose()
    };
    let nps = profile_col(&o.nps).or_throw(&env)?;
    let revenue = profile_col(&o.revenue).or_throw(&env)?;
    let clv = profile_col(&o.clv).or_throw(&env)?;
    let loyalty = profile_col(&o.loyalty).or_throw(&env)?;
    let columns_of = |names: &[String]| {
        names
            .iter()
            .map(|n| numeric_column(&columns, n))
            .collect::<std::result::Result<Vec<_>, _>>()
    };
    let driver_columns = o.drivers.clone().unwrap_or_default();
    let driver_names: Vec<String> = driver_columns.iter().map(|c| base_name(c)).collect();
    let driver_values = columns_of(&driver_columns).or_throw(&env)?;
    let drivers: Vec<NumericFeature> = driver_names
        .iter()
        .zip(&driver_values)
        .map(|(name, values)| NumericFeature { name, values })
        .collect();
    let cx_columns = o.cx_dims.clone().unwrap_or_default();
    let cx_values = columns_of(&cx_columns).or_throw(&env)?;
    let cx = if cx_columns.is_empty() {
        None
    } else {
        let names: Vec<String> = cx_columns.iter().map(|c| base_name(c)).collect();
        let (dims, options) = crate::cx_index::persona_options(
            &names,
            o.cx_scales.as_ref(),
            o.cx_method.as_deref(),
            o.cx_dim_weights.as_ref(),
        )
        .or_throw(&env)?;
        Some(CxColumns {
            dims,
            columns: cx_values.iter().map(Vec::as_slice).collect(),
            options,
        })
    };
    let d = CoreOptions::default();
    let (k_min, k_max) = match o.k {
        Some(k) => (k as usize, k as usize),
        None => (
            o.k_min.map_or(d.k_min, |k| k as usize),
            o.k_max.map_or(d.k_max, |k| k as usize),
        ),
    };
    let options = CoreOptions {
        k_min,
        k_max,
        seed: o.seed.map_or(d.seed, u64::from),
        n_init: o.n_init.map_or(d.n_init, |x| x as usize),
        max_iter: o.max_iter.map_or(d.max_iter, |x| x as usize),
        tol: o.tol.unwrap_or(d.tol),
        gamma: o.gamma,
        silhouette_sample: o
            .silhouette_sample
            .map_or(d.silhouette_sample, |x| x as usize),
        threshold: o.threshold.unwrap_or(d.threshold),
        alpha: o.alpha.unwrap_or(d.alpha),
    };
    let profile = ProfileColumns {
        nps: nps.as_deref(),
        revenue: revenue.as_deref(),
        clv: clv.as_deref(),
        loyalty: loyalty.as_deref(),
        cx: cx.as_ref(),
        drivers: &drivers,
    };
    let p = core_personas(&nf, &cf, &profile, &options).or_throw(&env)?;
    Ok(Personas {
        k: p.k as u32,
        method: p.method.clone(),
        scores: p
            .scores
            .iter()
            .map(|s| KScore {
                k: s.k as u32,
                silhouette: nul(s.silhouette),
                cost: s.cost,
            })
            .collect(),
        sample_size: p.sample_size as u32,
        missing: p.missing as f64,
        assignments: p
            .assignments
            .iter()
            .map(|a| a.map_or(Either::B(Null), |c| Either::A(c as u32)))
            .collect(),
        personas: p
            .personas
            .into_iter()
            .map(|q| Persona {
                id: q.id as u32,
                label: q.label,
                size: q.size as f64,
                share: q.share,
                differences: q
                    .differences
                    .into_iter()
                    .map(|d| FeatureDifference {
                        feature: d.feature,
                        mean: d.mean,
                        rest_mean: nul(Some(d.rest_mean).filter(|x| x.is_finite())),
                        z: d.z,
                        p_value: nul(d.p_value),
                        significant: d.significant,
                    })
                    .collect(),
                modes: q
                    .modes
                    .into_iter()
                    .map(|(feature, category, share)| CategoryMode {
                        feature,
                        category,
                        share,
                    })
                    .collect(),
                distinguishing: q.distinguishing,
                nps: q.nps.map_or(Either::B(Null), |n| Either::A(n.into())),
                revenue_share: nul(q.revenue_share),
                mean_clv: nul(q.mean_clv),
                clv_share: nul(q.clv_share),
                loyalty: q.loyalty.map_or(Either::B(Null), |r| Either::A(r.into())),
                cx_index: q
                    .cx_index
                    .map_or(Either::B(Null), |r| Either::A(CamelJs(r))),
                drivers: q.drivers.map_or(Either::B(Null), |d| {
                    Either::A(PersonaDrivers {
                        outcome: d.outcome,
                        n: d.n as f64,
                        r_squared: nul(d.r_squared),
                        ranking: d
                            .ranking
                            .into_iter()
                            .map(|x| DriverShare {
                                driver: x.driver,
                                share: x.share,
                                beta: x.beta,
                                correlation: x.correlation,
                                z: x.z,
                            })
                            .collect(),
                        skipped: d.skipped.map_or(Either::B(Null), Either::A),
                    })
                }),
                needs: q.needs,
            })
            .collect(),
        model: p.model.to_json(),
    })
}

/// Assign customers to the personas of a model (the `model` JSON of a {@link personas}
/// result): the model's feature columns by name; `null` for a customer with a missing feature.
///
/// @throws {Error} `CX_UNREADABLE_SUMMARY` (not a model), `CX_INVALID_ARGUMENT` (a missing
/// column).
#[napi(catch_unwind)]
pub fn assign_personas(
    env: Env,
    model: String,
    columns: Columns,
) -> Result<Vec<Either<u32, Null>>> {
    let m = PersonaModel::from_json(&model).or_throw(&env)?;
    let (num, cat) = inputs(&columns, &m.numeric, &m.categorical).or_throw(&env)?;
    let (nf, cf) = views(&m.numeric, &num, &m.categorical, &cat);
    let out = m.predict(&nf, &cf).or_throw(&env)?;
    Ok(out
        .into_iter()
        .map(|a| a.map_or(Either::B(Null), |c| Either::A(c as u32)))
        .collect())
}
