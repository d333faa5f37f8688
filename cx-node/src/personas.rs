//! The single view of the customer (`customerView`) and personas (`personas`,
//! `assignPersonas`).
//!
//! `customerView` reads a survey table and a transaction log as columns, joins them per
//! customer in cx-core and returns one plain object per customer. `personas` takes columns by
//! name (as a DataFrame would) and returns plain objects; its `model` is JSON text that
//! `assignPersonas` reads to assign new customers. The options (names, defaults, accepted
//! strings) and the reading of the columns are the core's (`cx_core::api::personas`,
//! `cx_core::api::customer_view`).

use std::collections::HashMap;

use cx_core::api::customer_view::ViewOptions;
use cx_core::api::personas::{
    assign, model_columns, personas_columns, personas_of, PersonasOptions,
};
use cx_core::api::{ColumnUse, Frame, FrameColumn, KeyValue, Options};
use cx_core::customer_view::{
    customer_view as core_view, join_keys, RatingColumn, SurveyTable, TransactionLog,
};
use cx_core::grouping::Key;
use cx_core::period::civil_from_days;
use cx_core::personas::PersonaModel;
use napi::bindgen_prelude::{Either, Null, Object};
use napi::{Env, Result};
use napi_derive::napi;

use crate::call::options_of;
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
#[napi(
    catch_unwind,
    ts_args_type = "survey: SurveyInput, transactions: TransactionInput, options?: import('./api').CustomerViewOptions | undefined | null, bgnbd?: BgNbdFit | undefined | null, gammaGamma?: GammaGammaFit | undefined | null"
)]
pub fn customer_view(
    env: Env,
    survey: SurveyInput,
    transactions: TransactionInput,
    options: Option<Object>,
    bgnbd: Option<&BgNbdFit>,
    gamma_gamma: Option<&GammaGammaFit>,
) -> Result<Vec<CustomerViewRow>> {
    let given = options_of(options.as_ref())?;
    let options = ViewOptions::parse(given.iter().map(|(k, v)| (k.as_str(), v)))
        .and_then(|o| o.view_options(bgnbd.map(|b| &b.inner), gamma_gamma.map(|g| &g.inner)))
        .or_throw(&env)?;
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

/// The columns the core names, from the caller's columns (a column the caller lacks is left
/// out: the core names it in its error).
fn frame_of(columns: &Columns, wanted: Vec<(String, ColumnUse)>) -> Frame<'static> {
    let mut frame = Frame::new();
    for (name, _) in wanted {
        if let Some(values) = columns.get(&name) {
            let values = values
                .iter()
                .map(|v| match v {
                    None => KeyValue::Missing,
                    Some(Either::A(x)) => KeyValue::Num(*x),
                    Some(Either::B(s)) => KeyValue::Str(s.clone()),
                })
                .collect();
            frame.insert(name, FrameColumn::Values(values));
        }
    }
    frame
}

/// Data-driven personas from columns by name: standardised `features` (and `categorical`
/// ones for k-prototypes), k-means++ restarts seeded by `seed`, k chosen by silhouette over
/// `kMin..kMax` (default 2..6), each persona profiled (size, share, feature means vs the rest
/// with Holm-adjusted Welch tests, NPS, revenue and CLV shares, a label and its needs).
///
/// @throws {Error} `CX_INVALID_ARGUMENT` (a missing column, a string in a numeric column, bad
/// options), `CX_ZERO_VARIANCE` (a constant feature), `CX_EMPTY_INPUT` (every customer has a
/// missing feature), `CX_INSUFFICIENT_DATA` (k above the customers).
#[napi(
    catch_unwind,
    ts_args_type = "columns: Columns, features: Array<string>, options?: import('./api').PersonaOptions | undefined | null"
)]
pub fn personas(
    env: Env,
    columns: Columns,
    features: Vec<String>,
    options: Option<Object>,
) -> Result<Personas> {
    let given = options_of(options.as_ref())?;
    let p = PersonasOptions::parse(given.iter().map(|(k, v)| (k.as_str(), v)))
        .and_then(|o| {
            let frame = frame_of(&columns, personas_columns(&features, &o)?);
            personas_of(&frame, &features, &o)
        })
        .or_throw(&env)?;
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
    let out = assign(&m, &frame_of(&columns, model_columns(&m))).or_throw(&env)?;
    Ok(out
        .into_iter()
        .map(|a| a.map_or(Either::B(Null), |c| Either::A(c as u32)))
        .collect())
}
