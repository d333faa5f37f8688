//! Data-driven personas: customers segmented on chosen attitude and behaviour features, each
//! segment profiled (size, feature means, what distinguishes it, NPS, value) with a generated
//! label and the needs that follow from its profile.
//!
//! # Method
//! 1. **Standardise** each numeric feature to z-scores with the *population* standard deviation
//!    (divide by n, as scikit-learn's `StandardScaler`), so that every feature weighs the same
//!    in the distance. A constant feature is an error ([`CxError::ZeroVariance`]).
//! 2. **Cluster.** With numeric features only, k-means: Lloyd's iterations from a k-means++
//!    start (Arthur and Vassilvitskii 2007), `n_init` restarts whose seeds are drawn from
//!    `seed` by ChaCha8 (so the same seed gives the same personas on every platform and in
//!    Rust, Python and Node), the run with the lowest inertia kept. With categorical features,
//!    k-prototypes (Huang 1998): the dissimilarity of a customer and a prototype is the squared
//!    Euclidean distance of the numeric z-scores plus `gamma` times the number of categorical
//!    mismatches; prototypes are the numeric means and the categorical modes of their members.
//!    k-means is the special case without categorical features, so one loop serves both.
//! 3. **Choose k** over a range by the mean silhouette (Rousseeuw 1987), computed on a seeded
//!    random sample of `silhouette_sample` customers (default 5,000) when there are more; the
//!    score of every k is reported so that the user can overrule the choice.
//! 4. **Profile** each persona (see [`Persona`]).
//!
//! Missing values: a customer with a missing numeric (NaN) or categorical feature is left out
//! of the clustering (assignment `None`) and counted in `missing`.
//!
//! # Why not linfa
//! linfa-clustering's `KMeans` has k-means++ and restarts, but no k-prototypes (categorical
//! features) and its results depend on its own RNG stream; the mixed dissimilarity, its
//! prototypes and the silhouette need one loop anyway, so cxkit writes the ~300 lines itself
//! and keeps its dependency tree (and build time) unchanged.
//!
//! # References
//! - Lloyd, S. P. (1982), "Least squares quantization in PCM", IEEE Transactions on
//!   Information Theory 28(2).
//! - Arthur, D. and Vassilvitskii, S. (2007), "k-means++: the advantages of careful seeding",
//!   SODA '07.
//! - Huang, Z. (1998), "Extensions to the k-means algorithm for clustering large data sets with
//!   categorical values", Data Mining and Knowledge Discovery 2(3), 283-304.
//! - Rousseeuw, P. J. (1987), "Silhouettes: a graphical aid to the interpretation and
//!   validation of cluster analysis", Journal of Computational and Applied Mathematics 20.

use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::cx_index::{cx_index, CxIndex, CxOptions, Dimension, GroupedCxSummary};
use crate::drivers::{key_drivers, DriverOptions, MAX_DRIVERS};
use crate::error::{CxError, Result};
use crate::grouping::Key;
use crate::inference::{adjust_p_values, two_sided_p_t, Adjust};
use crate::loyalty::outcome_scale;
use crate::nps::{nps, Nps, NpsOptions};
use crate::retention::MISSING_CUSTOMER;
use crate::satisfaction::{top_box, Proportion, ProportionOptions};
use crate::scale::Scale;
use crate::tally::Tally;

/// A categorical code that matches no prototype (a label unseen when the model was fitted).
const UNSEEN: u32 = u32::MAX - 1;

/// One numeric feature column (NaN = missing).
#[derive(Debug, Clone, Copy)]
pub struct NumericFeature<'a> {
    /// Feature name.
    pub name: &'a str,
    /// One value per customer.
    pub values: &'a [f64],
}

/// One categorical feature column: a code per customer into `labels` ([`MISSING_CUSTOMER`],
/// `u32::MAX`, for missing).
#[derive(Debug, Clone)]
pub struct CategoricalFeature<'a> {
    /// Feature name.
    pub name: &'a str,
    /// One code per customer.
    pub codes: &'a [u32],
    /// The category labels the codes index.
    pub labels: Vec<Key>,
}

/// Optional per-customer outcome columns for the profiles (one value per customer, NaN
/// missing).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileColumns<'a> {
    /// Latest NPS answer (0-10) of each customer: each persona's NPS with its interval.
    pub nps: Option<&'a [f64]>,
    /// Revenue of each customer (money): each persona's revenue share.
    pub revenue: Option<&'a [f64]>,
    /// Lifetime value of each customer (money): each persona's mean CLV and CLV share.
    pub clv: Option<&'a [f64]>,
    /// A 0/1 loyalty outcome of each customer (retained, bought again; NaN missing): each
    /// persona's loyalty rate with its Wilson interval.
    pub loyalty: Option<&'a [f64]>,
    /// Each customer's latest answer to each CX dimension: each persona's CX index with its
    /// interval (see [`CxColumns`]).
    pub cx: Option<&'a CxColumns<'a>>,
    /// Driver columns (for example each customer's mean rating of effectiveness, ease and
    /// emotion; NaN missing): within each persona, the key drivers of the `loyalty` outcome
    /// (of `nps` without one), which lead the persona's needs (see [`PersonaDrivers`]).
    pub drivers: &'a [NumericFeature<'a>],
}

/// CX dimension columns for each persona's CX index.
///
/// The index of a persona is [`cx_index`] on its members' **latest** answers (one answer per
/// customer and dimension, an integer on the dimension's scale, NaN missing), so a customer
/// who answered often weighs as much as one who answered once: the CX index of the customers
/// in the persona, not of its survey responses. (A customer's *mean* rating is not an answer
/// on the scale and is refused with [`CxError::NonInteger`].)
#[derive(Debug, Clone)]
pub struct CxColumns<'a> {
    /// The dimensions with their scales (for example [`Dimension::defaults`]).
    pub dims: Vec<Dimension>,
    /// One column per dimension, one value per customer.
    pub columns: Vec<&'a [f64]>,
    /// Method, dimension weights, level and bands of the index.
    pub options: CxOptions,
}

/// Options of [`personas`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaOptions {
    /// Smallest number of personas tried (default 2).
    pub k_min: usize,
    /// Largest number of personas tried (default 6); `k_min == k_max` fixes k.
    pub k_max: usize,
    /// Seed of every random choice (default 0).
    pub seed: u64,
    /// Restarts per k, the best (lowest cost) kept (default 10, as scikit-learn's classic
    /// default).
    pub n_init: usize,
    /// Lloyd iterations per restart at most (default 300, as scikit-learn).
    pub max_iter: usize,
    /// Convergence tolerance (default 1e-4, as scikit-learn's `KMeans`): a restart stops when
    /// no assignment changes, or when the prototypes' numeric parts moved by at most `tol` in
    /// total squared z-score distance (scikit-learn's rule, whose scale, the mean variance of
    /// the features, is 1 after standardisation) and no categorical mode changed. 0 stops only
    /// when no assignment changes.
    #[serde(default = "default_tol")]
    pub tol: f64,
    /// Weight of one categorical mismatch against squared z-score distance; default `None`:
    /// 0.5, Huang's (1998) suggestion of about half the mean standard deviation of the numeric
    /// features, which is 1 after standardisation (the kmodes package's default too).
    pub gamma: Option<f64>,
    /// Customers in the silhouette sample (default 5,000); all customers when fewer.
    pub silhouette_sample: usize,
    /// A feature distinguishes a persona when its mean z-score is at least this far from 0
    /// (default 0.5, half a standard deviation: Cohen's "medium" effect).
    pub threshold: f64,
    /// Significance level of the persona-vs-rest feature tests, Holm-adjusted over features
    /// (default 0.05).
    pub alpha: f64,
}

fn default_tol() -> f64 {
    1e-4
}

impl Default for PersonaOptions {
    fn default() -> Self {
        PersonaOptions {
            k_min: 2,
            k_max: 6,
            seed: 0,
            n_init: 10,
            max_iter: 300,
            tol: default_tol(),
            gamma: None,
            silhouette_sample: 5000,
            threshold: 0.5,
            alpha: 0.05,
        }
    }
}

impl PersonaOptions {
    /// Check the options.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for `k_min < 1`, `k_min > k_max`, `n_init` or `max_iter`
    /// of 0, a negative or non-finite `tol`, a negative or non-finite gamma, a silhouette sample below 2, a negative threshold
    /// or `alpha` outside (0, 1).
    pub fn validate(&self) -> Result<()> {
        let bad = |name: &'static str, value: String, expected: &str| {
            Err(CxError::InvalidArgument {
                name,
                value,
                expected: expected.into(),
            })
        };
        if self.k_min < 1 {
            return bad("k", self.k_min.to_string(), "at least 1 persona");
        }
        if self.k_min > self.k_max {
            return bad(
                "k",
                format!("{}..={}", self.k_min, self.k_max),
                "a range with k_min <= k_max",
            );
        }
        if self.n_init == 0 {
            return bad("n_init", "0".into(), "at least 1 restart");
        }
        if self.max_iter == 0 {
            return bad("max_iter", "0".into(), "at least 1 iteration");
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return bad("tol", self.tol.to_string(), "a finite tolerance >= 0");
        }
        if let Some(g) = self.gamma {
            if !(g.is_finite() && g >= 0.0) {
                return bad("gamma", g.to_string(), "a finite weight >= 0");
            }
        }
        if self.silhouette_sample < 2 {
            return bad(
                "silhouette_sample",
                self.silhouette_sample.to_string(),
                "at least 2 customers",
            );
        }
        if !(self.threshold.is_finite() && self.threshold >= 0.0) {
            return bad("threshold", self.threshold.to_string(), "a number >= 0");
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return bad(
                "alpha",
                self.alpha.to_string(),
                "a level strictly between 0 and 1",
            );
        }
        Ok(())
    }
}

/// A fitted persona model: standardisation, prototypes and the dissimilarity. Serialisable;
/// [`PersonaModel::predict`] assigns new customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaModel {
    /// Numeric feature names.
    pub numeric: Vec<String>,
    /// Means of the numeric features (original units).
    pub means: Vec<f64>,
    /// Population standard deviations of the numeric features.
    pub sds: Vec<f64>,
    /// Categorical feature names.
    pub categorical: Vec<String>,
    /// Category labels of each categorical feature.
    pub labels: Vec<Vec<Key>>,
    /// Numeric prototypes (z-scores), one row of `numeric.len()` per persona.
    pub centroids: Vec<Vec<f64>>,
    /// Categorical prototypes (codes into `labels`), one row per persona.
    pub modes: Vec<Vec<u32>>,
    /// Weight of a categorical mismatch.
    pub gamma: f64,
}

impl PersonaModel {
    /// Number of personas.
    pub fn k(&self) -> usize {
        self.centroids.len()
    }

    /// Assign customers to the nearest persona (`None` for a customer with a missing
    /// feature). Categorical features may use other codes and labels than the fit: they are
    /// matched by label, and an unseen label matches no prototype.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when the features are not the model's (names and order);
    /// [`CxError::LengthMismatch`] for columns of different lengths; [`CxError::GroupOutOfRange`]
    /// for a code not below its labels' count.
    pub fn predict(
        &self,
        numeric: &[NumericFeature],
        categorical: &[CategoricalFeature],
    ) -> Result<Vec<Option<usize>>> {
        let names: Vec<&str> = numeric.iter().map(|f| f.name).collect();
        let cats: Vec<&str> = categorical.iter().map(|f| f.name).collect();
        if names != self.numeric || cats != self.categorical {
            return Err(CxError::InvalidArgument {
                name: "features",
                value: format!("{names:?} and categorical {cats:?}"),
                expected: format!(
                    "the model's features {:?} and categorical {:?}",
                    self.numeric, self.categorical
                ),
            });
        }
        let data = Data::build(numeric, categorical, Some(self))?;
        Ok(data
            .rows
            .iter()
            .map(|r| r.map(|i| nearest(&data, i, &self.centroids, &self.modes, self.gamma).0))
            .collect())
    }

    /// The model as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A model from [`PersonaModel::to_json`].
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for text that is not a persona model.
    pub fn from_json(text: &str) -> Result<PersonaModel> {
        let m: PersonaModel = serde_json::from_str(text)
            .map_err(|e| CxError::unreadable(format!("persona model: {e}")))?;
        let p = m.numeric.len();
        let ok = m.means.len() == p
            && m.sds.len() == p
            && m.labels.len() == m.categorical.len()
            && m.modes.len() == m.centroids.len()
            && m.centroids.iter().all(|c| c.len() == p)
            && m.modes.iter().all(|c| c.len() == m.categorical.len());
        if ok {
            Ok(m)
        } else {
            Err(CxError::unreadable("persona model: inconsistent sizes"))
        }
    }
}

/// How one feature of a persona differs from the other customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureDifference {
    /// Feature name.
    pub feature: String,
    /// Mean in the persona (original units).
    pub mean: f64,
    /// Mean of the other customers (original units).
    pub rest_mean: f64,
    /// The persona's mean z-score: its standardised difference from the overall mean.
    pub z: f64,
    /// Holm-adjusted p-value of Welch's t-test, persona vs the rest (`None` when a side has
    /// fewer than two customers or no variance).
    pub p_value: Option<f64>,
    /// `p_value < alpha`.
    pub significant: bool,
}

/// The profile of one persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    /// Persona number (0-based; personas are sorted by size, largest first).
    pub id: usize,
    /// Generated label from the distinguishing features (`"high value, low ease"`); rename
    /// freely.
    pub label: String,
    /// Customers in the persona.
    pub size: u64,
    /// Share of the clustered customers, 0 to 1.
    pub share: f64,
    /// Each numeric feature against the rest, in feature order.
    pub differences: Vec<FeatureDifference>,
    /// Most frequent category of each categorical feature, and its share within the persona.
    pub modes: Vec<(String, String, f64)>,
    /// Names of the distinguishing features (|z| >= threshold), strongest first.
    pub distinguishing: Vec<String>,
    /// NPS of the members (points, with interval), when an NPS column was given and answered.
    pub nps: Option<Nps>,
    /// Share of the total revenue, 0 to 1.
    pub revenue_share: Option<f64>,
    /// Mean lifetime value of the members (money).
    pub mean_clv: Option<f64>,
    /// Share of the total lifetime value, 0 to 1.
    pub clv_share: Option<f64>,
    /// Loyalty rate of the members: the share with outcome 1 among those with a non-missing
    /// 0/1 loyalty outcome, with its 95% Wilson (1927) interval (as [`crate::satisfaction::top_box`] on the
    /// 0/1 scale), when a loyalty column was given and answered.
    #[serde(default)]
    pub loyalty: Option<Proportion>,
    /// CX index of the members' latest answers with its interval and band, when CX columns
    /// were given and answered (see [`CxColumns`]).
    #[serde(default)]
    pub cx_index: Option<CxIndex>,
    /// Key drivers of the loyalty outcome within the persona, when driver columns were given.
    #[serde(default)]
    pub drivers: Option<PersonaDrivers>,
    /// What the persona needs: first its key drivers (see [`driver_needs`]), then the rules of
    /// [`needs_of`].
    pub needs: Vec<String>,
}

/// The key drivers of a loyalty outcome within one persona: [`key_drivers`] (standardised
/// coefficients and the LMG / Shapley decomposition of R², Lindeman, Merenda and Gold 1980)
/// fitted on the persona's members only, without bootstrap intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaDrivers {
    /// The outcome explained: `"loyalty"` (the 0/1 loyalty column, a linear probability
    /// model) or `"nps"` (the 0-10 answer) when no loyalty column was given.
    pub outcome: String,
    /// Members complete on every driver and the outcome (listwise deletion).
    pub n: u64,
    /// R² of the outcome on all the drivers within the persona (`None` when skipped).
    pub r_squared: Option<f64>,
    /// Every driver, largest LMG share first (empty when skipped).
    pub ranking: Vec<DriverShare>,
    /// Why the analysis could not be done in this persona (too few complete members, a
    /// driver or the outcome constant within it, collinear drivers), else `None`.
    pub skipped: Option<String>,
}

/// One driver within a persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverShare {
    /// Driver name.
    pub driver: String,
    /// Its LMG share of R², 0 to 1 (the shares sum to 1).
    pub share: f64,
    /// Standardised regression coefficient within the persona.
    pub beta: f64,
    /// Pearson correlation with the outcome within the persona.
    pub correlation: f64,
    /// Where the persona stands on the driver: its members' mean minus the mean of all
    /// clustered customers, in their (population) standard deviations.
    pub z: f64,
}

/// The silhouette of one k.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    /// Number of personas.
    pub k: usize,
    /// Mean silhouette (-1 to 1; `None` for k = 1).
    pub silhouette: Option<f64>,
    /// Cost of the best restart: inertia (sum of squared z-score distances) plus gamma times
    /// the categorical mismatches.
    pub cost: f64,
}

/// Personas of a customer base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Personas {
    /// The chosen number of personas.
    pub k: usize,
    /// Every k tried, with its silhouette and cost.
    pub scores: Vec<KScore>,
    /// Customers in the silhouette sample.
    pub sample_size: usize,
    /// `"k-means"` or `"k-prototypes"`.
    pub method: String,
    /// Persona of each customer (`None`: a missing feature).
    pub assignments: Vec<Option<usize>>,
    /// Profiles, largest persona first.
    pub personas: Vec<Persona>,
    /// The fitted model (for predict).
    pub model: PersonaModel,
    /// Customers left out for a missing feature.
    pub missing: u64,
}

impl std::fmt::Display for PersonaModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "persona model: {} personas on {:?} and categorical {:?} (gamma {})",
            self.k(),
            self.numeric,
            self.categorical,
            self.gamma
        )
    }
}

impl std::fmt::Display for Personas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} personas ({}):", self.k, self.method)?;
        for p in &self.personas {
            write!(
                f,
                " [{}] {} ({} customers, {:.1}%; needs: {})",
                p.id,
                p.label,
                p.size,
                100.0 * p.share,
                p.needs.join("; ")
            )?;
        }
        Ok(())
    }
}

/// The clustering input: z-scores, row-major, of the complete customers.
struct Data {
    /// Complete customers' z-scores, `p` per customer.
    z: Vec<f64>,
    /// Categorical codes, `q` per customer.
    cat: Vec<u32>,
    p: usize,
    q: usize,
    /// Per input row: its index among complete customers.
    rows: Vec<Option<usize>>,
    means: Vec<f64>,
    sds: Vec<f64>,
    n: usize,
}

impl Data {
    fn build(
        numeric: &[NumericFeature],
        categorical: &[CategoricalFeature],
        model: Option<&PersonaModel>,
    ) -> Result<Data> {
        let len = numeric
            .first()
            .map(|f| f.values.len())
            .or_else(|| categorical.first().map(|f| f.codes.len()))
            .ok_or_else(|| CxError::InvalidArgument {
                name: "features",
                value: "none".into(),
                expected: "at least one feature column".into(),
            })?;
        for f in numeric {
            if f.values.len() != len {
                return Err(feature_len(f.name, f.values.len(), len));
            }
            if let Some(i) = f.values.iter().position(|v| v.is_infinite()) {
                return Err(CxError::InvalidArgument {
                    name: "features",
                    value: format!("{} in column {:?} at index {i}", f.values[i], f.name),
                    expected: "finite values (NaN for missing)".into(),
                });
            }
        }
        // Categorical codes, mapped by label onto the model's when predicting.
        let mut cat_cols: Vec<Vec<u32>> = Vec::with_capacity(categorical.len());
        for (j, f) in categorical.iter().enumerate() {
            if f.codes.len() != len {
                return Err(feature_len(f.name, f.codes.len(), len));
            }
            let map: Option<Vec<u32>> = model.map(|m| {
                let index: HashMap<&Key, u32> = m.labels[j]
                    .iter()
                    .enumerate()
                    .map(|(c, k)| (k, c as u32))
                    .collect();
                f.labels
                    .iter()
                    .map(|k| index.get(k).copied().unwrap_or(UNSEEN))
                    .collect()
            });
            let mut col = Vec::with_capacity(len);
            for (i, &c) in f.codes.iter().enumerate() {
                if c == MISSING_CUSTOMER {
                    col.push(c);
                } else if c as usize >= f.labels.len() {
                    return Err(CxError::GroupOutOfRange {
                        index: i,
                        group: i64::from(c),
                        groups: f.labels.len(),
                    });
                } else {
                    col.push(map.as_ref().map_or(c, |m| m[c as usize]));
                }
            }
            cat_cols.push(col);
        }
        let complete = |i: usize| {
            numeric.iter().all(|f| !f.values[i].is_nan())
                && cat_cols.iter().all(|c| c[i] != MISSING_CUSTOMER)
        };
        let mut rows = Vec::with_capacity(len);
        let mut n = 0usize;
        for i in 0..len {
            if complete(i) {
                rows.push(Some(n));
                n += 1;
            } else {
                rows.push(None);
            }
        }
        let (p, q) = (numeric.len(), categorical.len());
        let (means, sds) = match model {
            Some(m) => (m.means.clone(), m.sds.clone()),
            None => {
                if n == 0 {
                    return Err(CxError::empty(
                        "no customer with every feature present (all rows have a missing feature)",
                    ));
                }
                let mut means = Vec::with_capacity(p);
                let mut sds = Vec::with_capacity(p);
                for f in numeric {
                    let vals = rows
                        .iter()
                        .zip(f.values)
                        .filter(|(r, _)| r.is_some())
                        .map(|(_, &v)| v);
                    let mean = vals.clone().sum::<f64>() / n as f64;
                    let var = vals.map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                    let sd = var.sqrt();
                    if sd.is_nan() || sd <= 1e-12 * mean.abs().max(1.0) {
                        return Err(CxError::ZeroVariance {
                            what: format!(
                                "feature {:?} is constant ({mean}) over the {n} customers with every feature present",
                                f.name
                            ),
                        });
                    }
                    means.push(mean);
                    sds.push(sd);
                }
                (means, sds)
            }
        };
        let mut z = Vec::with_capacity(n * p);
        let mut cat = Vec::with_capacity(n * q);
        for i in 0..len {
            if rows[i].is_none() {
                continue;
            }
            for (j, f) in numeric.iter().enumerate() {
                z.push((f.values[i] - means[j]) / sds[j]);
            }
            for c in &cat_cols {
                cat.push(c[i]);
            }
        }
        Ok(Data {
            z,
            cat,
            p,
            q,
            rows,
            means,
            sds,
            n,
        })
    }

    #[inline]
    fn num(&self, i: usize) -> &[f64] {
        &self.z[i * self.p..(i + 1) * self.p]
    }

    #[inline]
    fn cats(&self, i: usize) -> &[u32] {
        &self.cat[i * self.q..(i + 1) * self.q]
    }

    /// Dissimilarity of two customers: squared distance plus gamma times mismatches.
    #[inline]
    fn pair(&self, i: usize, j: usize, gamma: f64) -> f64 {
        let d: f64 = self
            .num(i)
            .iter()
            .zip(self.num(j))
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        let m = self
            .cats(i)
            .iter()
            .zip(self.cats(j))
            .filter(|(a, b)| a != b)
            .count();
        d + gamma * m as f64
    }
}

/// Driver columns: lengths, at most [`MAX_DRIVERS`], finite or NaN, and an outcome to
/// explain.
fn check_drivers(profile: &ProfileColumns, len: usize) -> Result<()> {
    let drivers = profile.drivers;
    if drivers.is_empty() {
        return Ok(());
    }
    if profile.loyalty.is_none() && profile.nps.is_none() {
        return Err(CxError::InvalidArgument {
            name: "drivers",
            value: format!("{} driver columns without an outcome", drivers.len()),
            expected: "a loyalty (0/1) or nps column for the drivers to explain".into(),
        });
    }
    if drivers.len() > MAX_DRIVERS {
        return Err(CxError::InvalidArgument {
            name: "drivers",
            value: format!("{} columns", drivers.len()),
            expected: format!("at most {MAX_DRIVERS} drivers"),
        });
    }
    for d in drivers {
        if d.values.len() != len {
            return Err(feature_len(d.name, d.values.len(), len));
        }
        if let Some(i) = d.values.iter().position(|v| v.is_infinite()) {
            return Err(CxError::InvalidArgument {
                name: "drivers",
                value: format!("{} in column {:?} at index {i}", d.values[i], d.name),
                expected: "finite numbers (NaN for missing)".into(),
            });
        }
    }
    Ok(())
}

/// Smallest R² of a persona's driver model for its drivers to become needs.
pub const DRIVER_MIN_R_SQUARED: f64 = 0.02;
/// Smallest LMG share of R² for a driver (after the first) to become a need.
pub const DRIVER_MIN_SHARE: f64 = 0.25;

/// The needs that follow from a persona's key drivers: "improve <driver>" for at most two
/// drivers that correlate positively with the outcome, the first by LMG share and the second
/// when its share is at least [`DRIVER_MIN_SHARE`], only when the drivers explain something
/// (R² >= [`DRIVER_MIN_R_SQUARED`]). A driver on which the persona stands low (z <=
/// -`threshold`) is marked "rated low" and comes first: a strong driver where the persona is
/// weak is where improvement pays most (the logic of an importance-performance map; Martilla
/// and James 1977, "Importance-performance analysis", Journal of Marketing 41(1)).
///
/// # Examples
/// ```
/// use cx_core::personas::{driver_needs, DriverShare, PersonaDrivers};
/// let share = |driver: &str, share, z| DriverShare {
///     driver: driver.into(), share, beta: 0.3, correlation: 0.4, z,
/// };
/// let d = PersonaDrivers {
///     outcome: "loyalty".into(), n: 500, r_squared: Some(0.3), skipped: None,
///     ranking: vec![share("ease", 0.5, 0.1), share("emotion", 0.3, -0.8), share("effectiveness", 0.2, 0.0)],
/// };
/// assert_eq!(driver_needs(&d, 0.5), [
///     "improve emotion (key driver: 30% of the explained loyalty; rated low)",
///     "improve ease (key driver: 50% of the explained loyalty)",
/// ]);
/// ```
pub fn driver_needs(drivers: &PersonaDrivers, threshold: f64) -> Vec<String> {
    if drivers.r_squared.is_none_or(|r| r < DRIVER_MIN_R_SQUARED) {
        return Vec::new();
    }
    let mut picked: Vec<&DriverShare> = drivers
        .ranking
        .iter()
        .filter(|d| d.correlation > 0.0)
        .enumerate()
        .filter(|(i, d)| *i == 0 || d.share >= DRIVER_MIN_SHARE)
        .map(|(_, d)| d)
        .take(2)
        .collect();
    // stable: rated-low drivers first, each group by share
    picked.sort_by_key(|d| d.z > -threshold);
    picked
        .iter()
        .map(|d| {
            format!(
                "improve {} (key driver: {:.0}% of the explained {}{})",
                d.driver,
                100.0 * d.share,
                drivers.outcome,
                if d.z <= -threshold { "; rated low" } else { "" }
            )
        })
        .collect()
}

/// The key drivers within one persona (`rows`: its members), `None` without driver columns.
fn persona_drivers(
    profile: &ProfileColumns,
    rows: &[usize],
    overall: &[(f64, f64)],
) -> Result<Option<PersonaDrivers>> {
    let drivers = profile.drivers;
    let (outcome_name, outcome) = match (profile.loyalty, profile.nps) {
        _ if drivers.is_empty() => return Ok(None),
        (Some(l), _) => ("loyalty", l),
        (None, Some(n)) => ("nps", n),
        (None, None) => return Ok(None),
    };
    let cols: Vec<Vec<f64>> = drivers
        .iter()
        .map(|d| rows.iter().map(|&i| d.values[i]).collect())
        .collect();
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let y: Vec<f64> = rows.iter().map(|&i| outcome[i]).collect();
    let complete = (0..rows.len())
        .filter(|&i| !y[i].is_nan() && refs.iter().all(|c| !c[i].is_nan()))
        .count() as u64;
    let options = DriverOptions {
        resamples: 0,
        ..DriverOptions::default()
    };
    let skipped = |why: String| PersonaDrivers {
        outcome: outcome_name.into(),
        n: complete,
        r_squared: None,
        ranking: Vec::new(),
        skipped: Some(why),
    };
    let kd = match key_drivers(&refs, &y, None, &options) {
        Ok(kd) => kd,
        Err(e @ (CxError::InsufficientData { .. } | CxError::EmptyInput { .. })) => {
            return Ok(Some(skipped(e.to_string())))
        }
        Err(CxError::ZeroVariance { what }) => {
            // name the driver instead of its position
            let mut why = what.replace("the outcome", outcome_name);
            for (j, d) in drivers.iter().enumerate().rev() {
                why = why.replace(&format!("driver {j} "), &format!("{} ", d.name));
            }
            return Ok(Some(skipped(format!("{why} of the persona"))));
        }
        Err(CxError::InvalidArgument {
            name: "drivers",
            value,
            ..
        }) => return Ok(Some(skipped(format!("{value} within the persona")))),
        Err(e) => return Err(e),
    };
    let mut ranking: Vec<DriverShare> = kd
        .drivers
        .iter()
        .map(|d| {
            let col = &cols[d.index];
            let (mean, sd) = overall[d.index];
            let (s, m) = col
                .iter()
                .filter(|v| !v.is_nan())
                .fold((0.0, 0u64), |(s, m), v| (s + v, m + 1));
            DriverShare {
                driver: drivers[d.index].name.to_string(),
                share: d.lmg.share,
                beta: d.beta,
                correlation: d.correlation,
                z: if m > 0 && sd > 0.0 {
                    (s / m as f64 - mean) / sd
                } else {
                    0.0
                },
            }
        })
        .collect();
    ranking.sort_by(|a, b| b.share.total_cmp(&a.share));
    Ok(Some(PersonaDrivers {
        outcome: outcome_name.into(),
        n: kd.n,
        r_squared: Some(kd.r_squared),
        ranking,
        skipped: None,
    }))
}

/// Mean and population SD of each driver over the clustered customers (NaN skipped).
fn driver_moments(profile: &ProfileColumns, assignments: &[Option<usize>]) -> Vec<(f64, f64)> {
    profile
        .drivers
        .iter()
        .map(|d| {
            let (mut s, mut ss, mut m) = (0.0, 0.0, 0u64);
            for (v, a) in d.values.iter().zip(assignments) {
                if a.is_some() && !v.is_nan() {
                    s += v;
                    ss += v * v;
                    m += 1;
                }
            }
            if m == 0 {
                return (f64::NAN, 0.0);
            }
            let mean = s / m as f64;
            (mean, (ss / m as f64 - mean * mean).max(0.0).sqrt())
        })
        .collect()
}

fn feature_len(name: &str, got: usize, want: usize) -> CxError {
    CxError::InvalidArgument {
        name: "features",
        value: format!("column {name:?} with {got} values"),
        expected: format!("{want} values, one per customer (as the first feature column)"),
    }
}

/// Dissimilarity of customer `i` and a prototype.
#[inline]
fn to_proto(data: &Data, i: usize, centroid: &[f64], mode: &[u32], gamma: f64) -> f64 {
    to_prototype(data.num(i), data.cats(i), centroid, mode, gamma)
}

/// Dissimilarity of a customer's z-scores `x` and categories `cats` and a prototype.
#[inline]
fn to_prototype(x: &[f64], cats: &[u32], centroid: &[f64], mode: &[u32], gamma: f64) -> f64 {
    let d: f64 = x.iter().zip(centroid).map(|(a, b)| (a - b) * (a - b)).sum();
    let m = cats.iter().zip(mode).filter(|(a, b)| a != b).count();
    d + gamma * m as f64
}

/// The nearest prototype (lowest index on ties) and the dissimilarity to it.
fn nearest(
    data: &Data,
    i: usize,
    centroids: &[Vec<f64>],
    modes: &[Vec<u32>],
    gamma: f64,
) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (c, (cen, mode)) in centroids.iter().zip(modes).enumerate() {
        let d = to_proto(data, i, cen, mode, gamma);
        if d < best.1 {
            best = (c, d);
        }
    }
    best
}

/// One clustering run's result.
struct Fit {
    centroids: Vec<Vec<f64>>,
    modes: Vec<Vec<u32>>,
    labels: Vec<usize>,
    cost: f64,
}

/// k-means++ seeding (Arthur and Vassilvitskii 2007) under the mixed dissimilarity.
fn plus_plus(data: &Data, k: usize, gamma: f64, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let n = data.n;
    let mut chosen = vec![rng.random_range(0..n)];
    let mut d2: Vec<f64> = (0..n).map(|i| data.pair(i, chosen[0], gamma)).collect();
    while chosen.len() < k {
        let total: f64 = d2.iter().sum();
        let next = if total > 0.0 {
            let mut u = rng.random::<f64>() * total;
            let mut pick = n - 1;
            for (i, &d) in d2.iter().enumerate() {
                if u < d {
                    pick = i;
                    break;
                }
                u -= d;
            }
            pick
        } else {
            rng.random_range(0..n)
        };
        chosen.push(next);
        for (i, d) in d2.iter_mut().enumerate() {
            *d = d.min(data.pair(i, next, gamma));
        }
    }
    chosen
}

/// One run: k-means++ start, then Lloyd's (batch) iterations until no assignment changes or
/// the prototypes stop moving (see [`PersonaOptions::tol`]).
fn run(data: &Data, k: usize, gamma: f64, options: &PersonaOptions, rng: &mut ChaCha8Rng) -> Fit {
    let max_iter = options.max_iter;
    let (n, p, q) = (data.n, data.p, data.q);
    let seeds = plus_plus(data, k, gamma, rng);
    let mut centroids: Vec<Vec<f64>> = seeds.iter().map(|&i| data.num(i).to_vec()).collect();
    let mut modes: Vec<Vec<u32>> = seeds.iter().map(|&i| data.cats(i).to_vec()).collect();
    let mut labels = vec![usize::MAX; n];
    let mut dist = vec![0.0; n];
    for _ in 0..max_iter {
        // One pass: each customer's nearest prototype (from a flat copy of the numeric
        // prototypes), and the sums, sizes and category counts of the update step.
        let flat: Vec<f64> = centroids.concat();
        let mut changed = false;
        let mut sums = vec![0.0; k * p];
        let mut sizes = vec![0usize; k];
        let mut counts: Vec<Vec<HashMap<u32, usize>>> = vec![vec![HashMap::new(); q]; k];
        for i in 0..n {
            let (x, cats) = (data.num(i), data.cats(i));
            let mut best = (0, f64::INFINITY);
            for (c, mode) in modes.iter().enumerate() {
                let d = to_prototype(x, cats, &flat[c * p..(c + 1) * p], mode, gamma);
                if d < best.1 {
                    best = (c, d);
                }
            }
            let (c, d) = best;
            if labels[i] != c {
                labels[i] = c;
                changed = true;
            }
            dist[i] = d;
            sizes[c] += 1;
            for (s, v) in sums[c * p..(c + 1) * p].iter_mut().zip(x) {
                *s += v;
            }
            for (h, &v) in counts[c].iter_mut().zip(cats) {
                *h.entry(v).or_insert(0) += 1;
            }
        }
        if !changed {
            break;
        }
        // Update: means of the numeric features, modes of the categorical ones.
        let sums: Vec<&[f64]> = (0..k).map(|c| &sums[c * p..(c + 1) * p]).collect();
        let before = (centroids.clone(), modes.clone());
        for c in 0..k {
            if sizes[c] == 0 {
                // An empty cluster takes the customer farthest from its prototype (as
                // scikit-learn relocates empty clusters).
                let far = (0..n)
                    .filter(|&i| sizes[labels[i]] > 1)
                    .max_by(|&a, &b| dist[a].total_cmp(&dist[b]).then(b.cmp(&a)));
                if let Some(i) = far {
                    sizes[labels[i]] -= 1;
                    labels[i] = c;
                    sizes[c] = 1;
                    dist[i] = 0.0;
                    centroids[c] = data.num(i).to_vec();
                    modes[c] = data.cats(i).to_vec();
                }
                continue;
            }
            let size = sizes[c] as f64;
            for (cen, s) in centroids[c].iter_mut().zip(sums[c]) {
                *cen = s / size;
            }
            for (m, h) in modes[c].iter_mut().zip(&counts[c]) {
                // The most frequent code; the smallest code on ties.
                if let Some((&code, _)) = h.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                    *m = code;
                }
            }
        }
        let shift: f64 = centroids
            .iter()
            .zip(&before.0)
            .flat_map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)))
            .sum();
        if shift <= options.tol && modes == before.1 {
            break;
        }
    }
    // Final assignment and cost against the final prototypes.
    let mut cost = 0.0;
    for (i, l) in labels.iter_mut().enumerate() {
        let (c, d) = nearest(data, i, &centroids, &modes, gamma);
        *l = c;
        cost += d;
    }
    Fit {
        centroids,
        modes,
        labels,
        cost,
    }
}

/// The best of `n_init` runs (lowest cost; the earliest on ties). The runs' seeds are drawn
/// from `seed` first and the runs then go in parallel (rayon), so the result does not depend
/// on the number of threads.
fn best_of(data: &Data, k: usize, gamma: f64, options: &PersonaOptions, seed: u64) -> Fit {
    use rayon::prelude::*;
    let mut master = ChaCha8Rng::seed_from_u64(seed);
    let seeds: Vec<u64> = (0..options.n_init)
        .map(|_| master.random::<u64>())
        .collect();
    let fits: Vec<Fit> = seeds
        .par_iter()
        .map(|&s| run(data, k, gamma, options, &mut ChaCha8Rng::seed_from_u64(s)))
        .collect();
    let mut best: Option<Fit> = None;
    for fit in fits {
        if best.as_ref().is_none_or(|b| fit.cost < b.cost) {
            best = Some(fit);
        }
    }
    best.expect("n_init >= 1")
}

/// Mean silhouette of the customers `sample` under `labels`, with the distance
/// `sqrt(squared z distance + gamma · mismatches)` (Euclidean without categorical features).
///
/// # Formula
/// ```text
/// a(i) = mean distance from i to the other members of its cluster
/// b(i) = min over other clusters C of the mean distance from i to C
/// s(i) = (b(i) − a(i)) / max(a(i), b(i)),   0 for a singleton cluster
/// ```
/// (Rousseeuw 1987; singletons as scikit-learn's `silhouette_samples`).
fn silhouette(data: &Data, labels: &[usize], k: usize, sample: &[usize], gamma: f64) -> f64 {
    let mut sizes = vec![0usize; k];
    for &i in sample {
        sizes[labels[i]] += 1;
    }
    let mut total = 0.0;
    let mut sums = vec![0.0; k];
    for &i in sample {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for &j in sample {
            if i != j {
                sums[labels[j]] += data.pair(i, j, gamma).max(0.0).sqrt();
            }
        }
        let own = labels[i];
        if sizes[own] <= 1 {
            continue;
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let m = a.max(b);
        if m > 0.0 && b.is_finite() {
            total += (b - a) / m;
        }
    }
    total / sample.len() as f64
}

/// A seeded sample of `size` of `0..n` without replacement (partial Fisher-Yates), sorted.
fn sample_rows(n: usize, size: usize, seed: u64) -> Vec<usize> {
    if n <= size {
        return (0..n).collect();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5111_4077_e77e);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..size {
        let j = rng.random_range(i..n);
        idx.swap(i, j);
    }
    idx.truncate(size);
    idx.sort_unstable();
    idx
}

/// Segment customers into personas and profile them.
///
/// See the [module docs](self) for the method; [`Persona`] for the profile and [`needs_of`]
/// for the needs rules.
///
/// # Formula
/// ```text
/// z_ij = (x_ij − mean_j) / sd_j,   sd_j = sqrt(Σ_i (x_ij − mean_j)² / n)
/// d(i, c) = Σ_j (z_ij − μ_cj)² + γ · #{categorical l : x_il ≠ mode_cl}
/// cost = Σ_i d(i, c(i))              (inertia for k-means)
/// k* = argmax_k mean silhouette(k)   (smallest k on ties)
/// ```
///
/// # Errors
/// [`CxError::InvalidArgument`] for invalid options, no feature, columns of different lengths
/// or an infinite value (naming the column and index); [`CxError::ZeroVariance`] for a constant
/// feature; [`CxError::EmptyInput`] when every customer has a missing feature;
/// [`CxError::InsufficientData`] when k (or `k_min`) exceeds the customers, or a range of k
/// needs at least 3 customers for the silhouette; [`CxError::OutOfScale`] / [`CxError::NonInteger`]
/// for an NPS profile column outside 0-10 or a loyalty column that is not 0/1.
///
/// # Examples
/// ```
/// use cx_core::personas::{personas, NumericFeature, PersonaOptions, ProfileColumns};
/// // two obvious groups of customers: low ease and low spend, high ease and high spend
/// let ease = [1.0, 1.5, 1.2, 6.8, 7.0, 6.5];
/// let spend = [10.0, 12.0, 11.0, 90.0, 95.0, 99.0];
/// let p = personas(
///     &[NumericFeature { name: "ease", values: &ease }, NumericFeature { name: "spend", values: &spend }],
///     &[],
///     &ProfileColumns::default(),
///     &PersonaOptions::default(),
/// )?;
/// assert_eq!(p.k, 2);
/// assert_eq!(p.assignments[0], p.assignments[2]);
/// assert_ne!(p.assignments[0], p.assignments[3]);
/// assert!(p.scores[0].silhouette.unwrap() > 0.8);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// See the [module docs](self).
pub fn personas(
    numeric: &[NumericFeature],
    categorical: &[CategoricalFeature],
    profile: &ProfileColumns,
    options: &PersonaOptions,
) -> Result<Personas> {
    options.validate()?;
    let data = Data::build(numeric, categorical, None)?;
    let n = data.n;
    let len = data.rows.len();
    for (name, col) in [
        ("nps", profile.nps),
        ("revenue", profile.revenue),
        ("clv", profile.clv),
        ("loyalty", profile.loyalty),
    ] {
        if let Some(c) = col {
            if c.len() != len {
                return Err(feature_len(name, c.len(), len));
            }
        }
    }
    if let Some(c) = profile.loyalty {
        // every value 0, 1 or NaN (the error names the customer's index and value)
        Tally::from_values(outcome_scale(), c, None)?;
    }
    check_drivers(profile, len)?;
    if let Some(cx) = profile.cx {
        for (d, c) in cx.dims.iter().zip(&cx.columns) {
            if c.len() != len {
                return Err(feature_len(&d.name, c.len(), len));
            }
        }
        cx.options.validate()?;
    }
    if options.k_min > n {
        return Err(CxError::InsufficientData {
            what: format!("{} personas", options.k_min),
            needed: options.k_min as u64,
            got: n as u64,
        });
    }
    let k_max = options.k_max.min(n);
    let ranged = options.k_min < k_max;
    if ranged && n < 3 {
        return Err(CxError::InsufficientData {
            what: "choosing k by silhouette".into(),
            needed: 3,
            got: n as u64,
        });
    }
    let gamma = if data.q == 0 {
        0.0
    } else {
        options.gamma.unwrap_or(0.5)
    };
    let sample = sample_rows(n, options.silhouette_sample, options.seed);
    let mut scores = Vec::new();
    let mut best: Option<(usize, f64, Fit)> = None;
    for k in options.k_min..=k_max {
        let fit = best_of(
            &data,
            k,
            gamma,
            options,
            options.seed.wrapping_add(k as u64),
        );
        let sil = (k >= 2 && k < n).then(|| silhouette(&data, &fit.labels, k, &sample, gamma));
        scores.push(KScore {
            k,
            silhouette: sil,
            cost: fit.cost,
        });
        let s = sil.unwrap_or(f64::NEG_INFINITY);
        if best.as_ref().is_none_or(|b| s > b.1) {
            best = Some((k, s, fit));
        }
    }
    let (k, _, fit) = best.expect("at least one k");

    // Personas ordered by size (largest first; by first member on ties) for stable numbering.
    let mut sizes = vec![0u64; k];
    for &l in &fit.labels {
        sizes[l] += 1;
    }
    let mut order: Vec<usize> = (0..k).collect();
    let first_member = |c: usize| {
        fit.labels
            .iter()
            .position(|&l| l == c)
            .unwrap_or(usize::MAX)
    };
    order.sort_by(|&a, &b| {
        sizes[b]
            .cmp(&sizes[a])
            .then(first_member(a).cmp(&first_member(b)))
    });
    let mut rank = vec![0usize; k];
    for (new, &old) in order.iter().enumerate() {
        rank[old] = new;
    }
    let labels: Vec<usize> = fit.labels.iter().map(|&l| rank[l]).collect();
    let model = PersonaModel {
        numeric: numeric.iter().map(|f| f.name.to_string()).collect(),
        means: data.means.clone(),
        sds: data.sds.clone(),
        categorical: categorical.iter().map(|f| f.name.to_string()).collect(),
        labels: categorical.iter().map(|f| f.labels.clone()).collect(),
        centroids: order.iter().map(|&c| fit.centroids[c].clone()).collect(),
        modes: order.iter().map(|&c| fit.modes[c].clone()).collect(),
        gamma,
    };
    let assignments: Vec<Option<usize>> = data.rows.iter().map(|r| r.map(|i| labels[i])).collect();
    let profiles = profile_all(
        &data,
        &labels,
        k,
        numeric,
        categorical,
        profile,
        &assignments,
        options,
    )?;
    Ok(Personas {
        k,
        scores,
        sample_size: sample.len(),
        method: if data.q == 0 {
            "k-means"
        } else {
            "k-prototypes"
        }
        .into(),
        assignments,
        personas: profiles,
        model,
        missing: (len - n) as u64,
    })
}

#[allow(clippy::too_many_arguments)]
fn profile_all(
    data: &Data,
    labels: &[usize],
    k: usize,
    numeric: &[NumericFeature],
    categorical: &[CategoricalFeature],
    profile: &ProfileColumns,
    assignments: &[Option<usize>],
    options: &PersonaOptions,
) -> Result<Vec<Persona>> {
    let n = data.n;
    let p = data.p;
    // Per persona and feature: count, sum and sum of squares of the original values.
    let mut size = vec![0u64; k];
    let mut sum = vec![0.0; k * p];
    let mut sq = vec![0.0; k * p];
    let mut zsum = vec![0.0; k * p];
    let (mut tot, mut tot_sq) = (vec![0.0; p], vec![0.0; p]);
    for (i, &c) in labels.iter().enumerate() {
        size[c] += 1;
        for j in 0..p {
            let z = data.z[i * p + j];
            let x = data.means[j] + z * data.sds[j];
            sum[c * p + j] += x;
            sq[c * p + j] += x * x;
            zsum[c * p + j] += z;
            tot[j] += x;
            tot_sq[j] += x * x;
        }
    }
    // Outcome sums over the clustered customers.
    let revenue_total = profile.revenue.map(|r| {
        assignments
            .iter()
            .zip(r)
            .filter(|(a, v)| a.is_some() && !v.is_nan())
            .map(|(_, v)| v)
            .sum::<f64>()
    });
    let clv_total = profile.clv.map(|r| {
        assignments
            .iter()
            .zip(r)
            .filter(|(a, v)| a.is_some() && !v.is_nan())
            .map(|(_, v)| v)
            .sum::<f64>()
    });
    let cx_groups = match profile.cx {
        Some(cx) => {
            // persona k collects the customers left out of the clustering
            let keys: Vec<i64> = assignments
                .iter()
                .map(|a| a.map_or(k as i64, |c| c as i64))
                .collect();
            Some(GroupedCxSummary::from_columns(
                cx.dims.clone(),
                &keys,
                0,
                k + 1,
                &cx.columns,
                None,
                false,
            )?)
        }
        None => None,
    };
    let moments = driver_moments(profile, assignments);
    let mut out = Vec::with_capacity(k);
    for c in 0..k {
        let m = size[c] as f64;
        let rest = (n as u64 - size[c]) as f64;
        let mut diffs = Vec::with_capacity(p);
        let mut raw_p = Vec::with_capacity(p);
        for (j, f) in numeric.iter().enumerate() {
            let (s, ss) = (sum[c * p + j], sq[c * p + j]);
            let mean = s / m;
            let (rs, rss) = (tot[j] - s, tot_sq[j] - ss);
            let rest_mean = if rest > 0.0 { rs / rest } else { f64::NAN };
            let var = |sum: f64, sq: f64, cnt: f64| (sq - sum * sum / cnt).max(0.0) / (cnt - 1.0);
            let pv = if m >= 2.0 && rest >= 2.0 {
                let (v1, v2) = (var(s, ss, m), var(rs, rss, rest));
                let se2 = v1 / m + v2 / rest;
                if se2 > 0.0 {
                    // Welch (1947) with the Welch-Satterthwaite degrees of freedom.
                    let t = (mean - rest_mean) / se2.sqrt();
                    let df = se2 * se2
                        / ((v1 / m).powi(2) / (m - 1.0) + (v2 / rest).powi(2) / (rest - 1.0));
                    Some(two_sided_p_t(t, df))
                } else {
                    None
                }
            } else {
                None
            };
            raw_p.push(pv);
            diffs.push(FeatureDifference {
                feature: f.name.to_string(),
                mean,
                rest_mean,
                z: zsum[c * p + j] / m,
                p_value: pv,
                significant: false,
            });
        }
        let present: Vec<usize> = (0..p).filter(|&j| raw_p[j].is_some()).collect();
        let adjusted = adjust_p_values(
            &present
                .iter()
                .map(|&j| raw_p[j].unwrap_or(1.0))
                .collect::<Vec<_>>(),
            Adjust::Holm,
        );
        for (&j, &a) in present.iter().zip(&adjusted) {
            diffs[j].p_value = Some(a);
            diffs[j].significant = a < options.alpha;
        }
        let mut strong: Vec<&FeatureDifference> = diffs
            .iter()
            .filter(|d| d.z.abs() >= options.threshold)
            .collect();
        strong.sort_by(|a, b| b.z.abs().total_cmp(&a.z.abs()));
        let distinguishing: Vec<String> = strong.iter().map(|d| d.feature.clone()).collect();
        let label = label_of(&strong);
        // Categorical modes within the persona.
        let modes = categorical
            .iter()
            .enumerate()
            .map(|(l, f)| {
                let mut counts: HashMap<u32, u64> = HashMap::new();
                for (i, &lab) in labels.iter().enumerate() {
                    if lab == c {
                        *counts.entry(data.cats(i)[l]).or_insert(0) += 1;
                    }
                }
                let (code, cnt) = counts
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .unwrap_or((0, 0));
                let name = f
                    .labels
                    .get(code as usize)
                    .map_or_else(String::new, ToString::to_string);
                (f.name.to_string(), name, cnt as f64 / m)
            })
            .collect();
        let members = || {
            assignments
                .iter()
                .enumerate()
                .filter(move |(_, a)| **a == Some(c))
                .map(|(i, _)| i)
        };
        let nps_result = match profile.nps {
            Some(col) => {
                let vals: Vec<f64> = members().map(|i| col[i]).collect();
                let tally = Tally::from_values(Scale::nps(), &vals, None)?;
                if tally.n() > 0 {
                    Some(nps(&tally, &NpsOptions::default())?)
                } else {
                    None
                }
            }
            None => None,
        };
        let loyalty = match profile.loyalty {
            Some(col) => {
                let vals: Vec<f64> = members().map(|i| col[i]).collect();
                let tally = Tally::from_values(outcome_scale(), &vals, None)?;
                if tally.n() > 0 {
                    Some(top_box(&tally, &ProportionOptions::default())?)
                } else {
                    None
                }
            }
            None => None,
        };
        let share_of = |col: Option<&[f64]>, total: Option<f64>| -> Option<f64> {
            let (col, total) = (col?, total?);
            let s: f64 = members().map(|i| col[i]).filter(|v| !v.is_nan()).sum();
            (total != 0.0).then(|| s / total)
        };
        let mean_clv = profile.clv.and_then(|col| {
            let vals: Vec<f64> = members().map(|i| col[i]).filter(|v| !v.is_nan()).collect();
            (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
        });
        let cx_result = match (profile.cx, &cx_groups) {
            (Some(cx), Some(g)) => match cx_index(g.group(c), &cx.options) {
                Ok(r) => Some(r),
                Err(CxError::EmptyInput { .. } | CxError::InsufficientData { .. }) => None,
                Err(e) => return Err(e),
            },
            _ => None,
        };
        let rows: Vec<usize> = if profile.drivers.is_empty() {
            Vec::new()
        } else {
            members().collect()
        };
        let drivers = persona_drivers(profile, &rows, &moments)?;
        let mut needs = drivers
            .as_ref()
            .map(|d| driver_needs(d, options.threshold))
            .unwrap_or_default();
        let rules = needs_of(&diffs, options.threshold);
        if needs.is_empty() || rules.len() > 1 || !rules[0].starts_with("maintain") {
            needs.extend(rules);
        }
        out.push(Persona {
            id: c,
            label,
            size: size[c],
            share: m / n as f64,
            differences: diffs,
            modes,
            distinguishing,
            nps: nps_result,
            revenue_share: share_of(profile.revenue, revenue_total),
            mean_clv,
            clv_share: share_of(profile.clv, clv_total),
            loyalty,
            cx_index: cx_result,
            drivers,
            needs,
        });
    }
    Ok(out)
}

/// The theme of a feature name, by keyword (lower case): the word used in labels and the
/// rule used for needs.
fn theme(feature: &str) -> Option<&'static str> {
    let f = feature.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| f.contains(w));
    if has(&["ease", "effort", "ces"]) {
        Some("ease")
    } else if has(&["nps", "recommend", "advoca"]) {
        Some("advocacy")
    } else if has(&["csat", "satisf"]) {
        Some("satisfaction")
    } else if has(&["effective"]) {
        Some("effectiveness")
    } else if has(&["emotion", "feel", "trust"]) {
        Some("emotion")
    } else if has(&["recency", "days_since", "inactive"]) {
        Some("recency")
    } else if has(&["frequency", "purchase", "orders", "visits"]) {
        Some("frequency")
    } else if has(&["revenue", "monetary", "clv", "spend", "value", "sales"]) {
        Some("value")
    } else if has(&["tenure", "age_days"]) {
        Some("tenure")
    } else {
        None
    }
}

/// The label of a persona: up to three of its strongest distinguishing features as
/// "high x" / "low x" (themes by keyword: a high value theme reads "high value", a high
/// recency "at risk", a low recency "recently active"), `"typical"` without any.
fn label_of(strong: &[&FeatureDifference]) -> String {
    let words: Vec<String> = strong
        .iter()
        .take(3)
        .map(|d| {
            let high = d.z > 0.0;
            match (theme(&d.feature), high) {
                (Some("recency"), true) => "at risk".to_string(),
                (Some("recency"), false) => "recently active".to_string(),
                (Some(t), true) => format!("high {t}"),
                (Some(t), false) => format!("low {t}"),
                (None, true) => format!("high {}", d.feature),
                (None, false) => format!("low {}", d.feature),
            }
        })
        .collect();
    if words.is_empty() {
        "typical".into()
    } else {
        words.join(", ")
    }
}

/// The needs of a persona, from its features' mean z-scores by these rules (a feature's theme
/// comes from keywords in its name; `|z| >= threshold` counts as low or high), strongest first:
///
/// | theme (keywords) | low | high |
/// |---|---|---|
/// | ease (ease, effort, ces) | reduce effort | |
/// | advocacy (nps, recommend) | close the loop with detractors | recruit as advocates (referrals, reviews) |
/// | satisfaction (csat, satisf) | fix satisfaction pain points | |
/// | effectiveness | resolve needs first time | |
/// | emotion (emotion, feel, trust) | rebuild trust and emotional connection | |
/// | recency (recency, days_since) | | win back before they lapse |
/// | frequency (frequency, purchase, orders) | build the purchase habit (reminders, subscriptions) | |
/// | value (revenue, monetary, clv, spend) | grow value (cross-sell, upsell) | protect and reward high value (service priority, loyalty benefits) |
///
/// Without any rule firing: "maintain the experience (no standout gap)".
pub fn needs_of(differences: &[FeatureDifference], threshold: f64) -> Vec<String> {
    let mut found: Vec<(f64, &'static str)> = Vec::new();
    for d in differences {
        if d.z.abs() < threshold {
            continue;
        }
        let need = match (theme(&d.feature), d.z > 0.0) {
            (Some("ease"), false) => Some("reduce effort"),
            (Some("advocacy"), false) => Some("close the loop with detractors"),
            (Some("advocacy"), true) => Some("recruit as advocates (referrals, reviews)"),
            (Some("satisfaction"), false) => Some("fix satisfaction pain points"),
            (Some("effectiveness"), false) => Some("resolve needs first time"),
            (Some("emotion"), false) => Some("rebuild trust and emotional connection"),
            (Some("recency"), true) => Some("win back before they lapse"),
            (Some("frequency"), false) => {
                Some("build the purchase habit (reminders, subscriptions)")
            }
            (Some("value"), false) => Some("grow value (cross-sell, upsell)"),
            (Some("value"), true) => {
                Some("protect and reward high value (service priority, loyalty benefits)")
            }
            _ => None,
        };
        if let Some(n) = need {
            if !found.iter().any(|(_, m)| *m == n) {
                found.push((d.z.abs(), n));
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    if found.is_empty() {
        vec!["maintain the experience (no standout gap)".into()]
    } else {
        found.into_iter().map(|(_, n)| n.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_distr::{Distribution, Normal};

    /// Three planted clusters in 3-D, well separated.
    fn planted(n_per: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<usize>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let noise = Normal::new(0.0, 0.3).unwrap();
        let centres = [[0.0, 0.0, 0.0], [5.0, 5.0, 0.0], [0.0, 5.0, 5.0]];
        let mut cols = vec![Vec::new(); 3];
        let mut truth = Vec::new();
        for (c, centre) in centres.iter().enumerate() {
            for _ in 0..n_per {
                for j in 0..3 {
                    cols[j].push(centre[j] + noise.sample(&mut rng));
                }
                truth.push(c);
            }
        }
        (cols, truth)
    }

    fn features(cols: &[Vec<f64>]) -> Vec<NumericFeature<'_>> {
        const NAMES: [&str; 4] = ["x", "y", "w", "v"];
        cols.iter()
            .enumerate()
            .map(|(j, c)| NumericFeature {
                name: NAMES[j],
                values: c,
            })
            .collect()
    }

    /// Same partition up to relabelling.
    fn same_partition(a: &[usize], b: &[usize]) -> bool {
        let mut map = HashMap::new();
        let mut back = HashMap::new();
        a.iter()
            .zip(b)
            .all(|(x, y)| *map.entry(x).or_insert(y) == y && *back.entry(y).or_insert(x) == x)
    }

    #[test]
    fn recovers_planted_clusters_and_chooses_k() {
        let (cols, truth) = planted(40, 1);
        let p = personas(
            &features(&cols),
            &[],
            &ProfileColumns::default(),
            &PersonaOptions::default(),
        )
        .unwrap();
        assert_eq!(p.k, 3);
        let got: Vec<usize> = p.assignments.iter().map(|a| a.unwrap()).collect();
        assert!(same_partition(&got, &truth));
        assert_eq!(p.scores.len(), 5);
        assert_eq!(p.method, "k-means");
        assert!(p.personas.iter().all(|q| q.size == 40));
    }

    /// Brute-force silhouette, written out independently.
    fn brute_silhouette(points: &[Vec<f64>], labels: &[usize]) -> f64 {
        let n = points.len();
        let dist = |i: usize, j: usize| -> f64 {
            points[i]
                .iter()
                .zip(&points[j])
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>()
                .sqrt()
        };
        let mut total = 0.0;
        for i in 0..n {
            let own: Vec<usize> = (0..n)
                .filter(|&j| j != i && labels[j] == labels[i])
                .collect();
            if own.is_empty() {
                continue;
            }
            let a = own.iter().map(|&j| dist(i, j)).sum::<f64>() / own.len() as f64;
            let mut b = f64::INFINITY;
            let k = labels.iter().max().unwrap() + 1;
            for c in 0..k {
                if c == labels[i] {
                    continue;
                }
                let other: Vec<usize> = (0..n).filter(|&j| labels[j] == c).collect();
                if !other.is_empty() {
                    b = b.min(other.iter().map(|&j| dist(i, j)).sum::<f64>() / other.len() as f64);
                }
            }
            total += (b - a) / a.max(b);
        }
        total / n as f64
    }

    #[test]
    fn silhouette_matches_brute_force() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let cols: Vec<Vec<f64>> = (0..2)
            .map(|_| (0..90).map(|_| rng.random::<f64>()).collect())
            .collect();
        let o = PersonaOptions {
            k_min: 2,
            k_max: 4,
            ..PersonaOptions::default()
        };
        let p = personas(&features(&cols), &[], &ProfileColumns::default(), &o).unwrap();
        let data = Data::build(&features(&cols), &[], None).unwrap();
        let points: Vec<Vec<f64>> = (0..data.n).map(|i| data.num(i).to_vec()).collect();
        // Refit each k and compare its silhouette with the brute force on the same labels.
        for s in &p.scores {
            let fit = best_of(&data, s.k, 0.0, &o, o.seed.wrapping_add(s.k as u64));
            let want = brute_silhouette(&points, &fit.labels);
            assert!((s.silhouette.unwrap() - want).abs() < 1e-12, "k={}", s.k);
            // inertia is the sum of squared distances to the centroids
            let inertia: f64 = (0..data.n)
                .map(|i| {
                    points[i]
                        .iter()
                        .zip(&fit.centroids[fit.labels[i]])
                        .map(|(a, b)| (a - b).powi(2))
                        .sum::<f64>()
                })
                .sum();
            assert!((s.cost - inertia).abs() < 1e-9);
        }
    }

    #[test]
    fn deterministic_given_the_seed() {
        let (cols, _) = planted(30, 4);
        let f = features(&cols);
        let o = PersonaOptions {
            seed: 42,
            ..PersonaOptions::default()
        };
        let a = personas(&f, &[], &ProfileColumns::default(), &o).unwrap();
        let b = personas(&f, &[], &ProfileColumns::default(), &o).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn k_prototypes_uses_the_categories() {
        // One numeric feature that does not separate; a categorical one that does.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let x: Vec<f64> = (0..60).map(|_| rng.random::<f64>()).collect();
        let codes: Vec<u32> = (0..60).map(|i| (i % 2) as u32).collect();
        let cat = CategoricalFeature {
            name: "channel",
            codes: &codes,
            labels: vec![Key::Str("app".into()), Key::Str("store".into())],
        };
        let o = PersonaOptions {
            k_min: 2,
            k_max: 2,
            gamma: Some(10.0),
            ..PersonaOptions::default()
        };
        let p = personas(
            &[NumericFeature {
                name: "x",
                values: &x,
            }],
            std::slice::from_ref(&cat),
            &ProfileColumns::default(),
            &o,
        )
        .unwrap();
        assert_eq!(p.method, "k-prototypes");
        let got: Vec<usize> = p.assignments.iter().map(|a| a.unwrap()).collect();
        let truth: Vec<usize> = codes.iter().map(|&c| c as usize).collect();
        assert!(same_partition(&got, &truth));
        assert!(p.personas.iter().all(|q| q.modes[0].2 == 1.0));
        // predict from the serialised model, with the labels in another order
        let model = PersonaModel::from_json(&p.model.to_json()).unwrap();
        let flipped: Vec<u32> = codes.iter().map(|&c| 1 - c).collect();
        let cat2 = CategoricalFeature {
            name: "channel",
            codes: &flipped,
            labels: vec![Key::Str("store".into()), Key::Str("app".into())],
        };
        let again = model
            .predict(
                &[NumericFeature {
                    name: "x",
                    values: &x,
                }],
                &[cat2],
            )
            .unwrap();
        assert_eq!(again, p.assignments);
    }

    #[test]
    fn profiles_recomputed_by_filtering() {
        let (cols, _) = planted(25, 8);
        let revenue: Vec<f64> = (0..75).map(|i| f64::from(i % 7) * 10.0).collect();
        let nps_col: Vec<f64> = (0..75).map(|i| f64::from(i % 11)).collect();
        let kept: Vec<f64> = (0..75)
            .map(|i| match i % 5 {
                0 => f64::NAN,
                1 | 2 => 1.0,
                _ => f64::from(i % 2),
            })
            .collect();
        let prof = ProfileColumns {
            nps: Some(&nps_col),
            revenue: Some(&revenue),
            clv: Some(&revenue),
            loyalty: Some(&kept),
            ..ProfileColumns::default()
        };
        let p = personas(&features(&cols), &[], &prof, &PersonaOptions::default()).unwrap();
        let total: f64 = revenue.iter().sum();
        for q in &p.personas {
            let members: Vec<usize> = (0..75)
                .filter(|&i| p.assignments[i] == Some(q.id))
                .collect();
            assert_eq!(q.size as usize, members.len());
            let mean_x = members.iter().map(|&i| cols[0][i]).sum::<f64>() / members.len() as f64;
            assert!((q.differences[0].mean - mean_x).abs() < 1e-9);
            let rev: f64 = members.iter().map(|&i| revenue[i]).sum();
            assert!((q.revenue_share.unwrap() - rev / total).abs() < 1e-12);
            let prom = members.iter().filter(|&&i| nps_col[i] >= 9.0).count() as f64;
            let det = members.iter().filter(|&&i| nps_col[i] <= 6.0).count() as f64;
            let want = 100.0 * (prom - det) / members.len() as f64;
            assert!((q.nps.as_ref().unwrap().estimate - want).abs() < 1e-9);
            // loyalty: share of 1s among the members with an answer, Wilson (1927) interval
            let answered: Vec<f64> = members
                .iter()
                .map(|&i| kept[i])
                .filter(|v| !v.is_nan())
                .collect();
            let nn = answered.len() as f64;
            let ph = answered.iter().sum::<f64>() / nn;
            let l = q.loyalty.as_ref().unwrap();
            assert_eq!(l.n as usize, answered.len());
            assert!((l.estimate - ph).abs() < 1e-12);
            let z: f64 = 1.959_963_984_540_054;
            let centre = (ph + z * z / (2.0 * nn)) / (1.0 + z * z / nn);
            let half =
                z / (1.0 + z * z / nn) * (ph * (1.0 - ph) / nn + z * z / (4.0 * nn * nn)).sqrt();
            assert!((l.interval.lower - (centre - half)).abs() < 1e-9);
            assert!((l.interval.upper - (centre + half)).abs() < 1e-9);
        }
        // shares add up to 1
        let s: f64 = p.personas.iter().map(|q| q.share).sum();
        assert!((s - 1.0).abs() < 1e-12);
    }

    /// Pearson correlation, written out.
    fn corr(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let sab: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let saa: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let sbb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        sab / (saa * sbb).sqrt()
    }

    /// Three planted personas whose loyalty is driven by ease (0), by emotion (1) and by
    /// neither (2), with latest CX answers on 1-5.
    #[allow(clippy::type_complexity)] // features, drivers, outcome, CX answers
    fn driven(n_per: usize) -> (Vec<Vec<f64>>, [Vec<f64>; 2], Vec<f64>, [Vec<f64>; 3]) {
        let (cols, truth) = planted(n_per, 21);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let n = truth.len();
        let mut ease = Vec::with_capacity(n);
        let mut emotion = Vec::with_capacity(n);
        let mut loyal = Vec::with_capacity(n);
        for (i, &t) in truth.iter().enumerate() {
            let a = f64::from(rng.random_range(1..=5u8)) + if t == 0 { -1.0 } else { 0.0 };
            let b = f64::from(rng.random_range(1..=5u8));
            let noise: f64 = rng.random();
            let driver = match t {
                0 => a / 4.0,
                1 => b / 5.0,
                _ => 0.5,
            };
            ease.push(if i % 17 == 3 { f64::NAN } else { a });
            emotion.push(b);
            loyal.push(if noise < driver { 1.0 } else { 0.0 });
        }
        let answer = |v: &f64, i: usize| {
            if v.is_nan() || i % 13 == 0 {
                f64::NAN
            } else {
                v.clamp(1.0, 5.0)
            }
        };
        let cx = [
            ease.iter().enumerate().map(|(i, v)| answer(v, i)).collect(),
            emotion
                .iter()
                .enumerate()
                .map(|(i, v)| answer(v, i + 1))
                .collect(),
            emotion
                .iter()
                .enumerate()
                .map(|(i, v)| answer(&(6.0 - v), i + 2))
                .collect(),
        ];
        (cols, [ease, emotion], loyal, cx)
    }

    #[test]
    fn cx_index_and_drivers_per_persona_recomputed_by_filtering() {
        let (cols, [ease, emotion], loyal, cx) = driven(200);
        let cxc = CxColumns {
            dims: Dimension::all_on(&["ease", "emotion", "effectiveness"], Scale::agreement()),
            columns: cx.iter().map(Vec::as_slice).collect(),
            options: CxOptions::default(),
        };
        let drivers = [
            NumericFeature {
                name: "ease",
                values: &ease,
            },
            NumericFeature {
                name: "emotion",
                values: &emotion,
            },
        ];
        let prof = ProfileColumns {
            loyalty: Some(&loyal),
            cx: Some(&cxc),
            drivers: &drivers,
            ..ProfileColumns::default()
        };
        let p = personas(&features(&cols), &[], &prof, &PersonaOptions::default()).unwrap();
        assert_eq!(p.k, 3);
        let n = loyal.len();
        // overall moments of the drivers (population SD), for z
        let moments = |col: &[f64]| {
            let v: Vec<f64> = col.iter().copied().filter(|x| !x.is_nan()).collect();
            let m = v.iter().sum::<f64>() / v.len() as f64;
            (
                m,
                (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt(),
            )
        };
        let mut top = Vec::new();
        for q in &p.personas {
            let members: Vec<usize> = (0..n).filter(|&i| p.assignments[i] == Some(q.id)).collect();
            // CX index (net): per dimension % top-2-box minus % bottom-2-box of the members'
            // answers, then their mean (Forrester's net method, equal weights)
            let r = q.cx_index.as_ref().unwrap();
            let mut nets = Vec::new();
            for (d, col) in cx.iter().enumerate() {
                let answers: Vec<f64> = members
                    .iter()
                    .map(|&i| col[i])
                    .filter(|v| !v.is_nan())
                    .collect();
                let top2 = answers.iter().filter(|&&v| v >= 4.0).count() as f64;
                let bottom2 = answers.iter().filter(|&&v| v <= 2.0).count() as f64;
                let net = 100.0 * (top2 - bottom2) / answers.len() as f64;
                assert!((r.dimensions[d].estimate - net).abs() < 1e-9);
                nets.push(net);
            }
            assert!((r.estimate - nets.iter().sum::<f64>() / 3.0).abs() < 1e-9);
            // and the interval is cx_index's on the members alone
            let sub: Vec<Vec<f64>> = cx
                .iter()
                .map(|c| members.iter().map(|&i| c[i]).collect())
                .collect();
            let refs: Vec<&[f64]> = sub.iter().map(Vec::as_slice).collect();
            let alone = cx_index(
                &crate::cx_index::CxSummary::from_columns(cxc.dims.clone(), &refs, None, false)
                    .unwrap(),
                &CxOptions::default(),
            )
            .unwrap();
            assert_eq!(r, &alone);
            // drivers: complete members, R² and LMG shares of two drivers written out
            // (LMG_1 = (r1² + R² − r2²) / 2; Lindeman, Merenda and Gold 1980)
            let d = q.drivers.as_ref().unwrap();
            assert_eq!(d.outcome, "loyalty");
            let done: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| !ease[i].is_nan())
                .collect();
            assert_eq!(d.n as usize, done.len());
            let (a, b, y): (Vec<f64>, Vec<f64>, Vec<f64>) = (
                done.iter().map(|&i| ease[i]).collect(),
                done.iter().map(|&i| emotion[i]).collect(),
                done.iter().map(|&i| loyal[i]).collect(),
            );
            let (r1, r2, r12) = (corr(&a, &y), corr(&b, &y), corr(&a, &b));
            let r2_all = (r1 * r1 + r2 * r2 - 2.0 * r1 * r2 * r12) / (1.0 - r12 * r12);
            assert!((d.r_squared.unwrap() - r2_all).abs() < 1e-9);
            let lmg_ease = (r1 * r1 + r2_all - r2 * r2) / 2.0 / r2_all;
            let got = d.ranking.iter().find(|x| x.driver == "ease").unwrap();
            assert!(
                (got.share - lmg_ease).abs() < 1e-9,
                "{} {lmg_ease}",
                got.share
            );
            assert!((got.correlation - r1).abs() < 1e-9);
            assert!(d.ranking[0].share >= d.ranking[1].share);
            let (m, sd) = moments(&ease);
            let inside: Vec<f64> = members
                .iter()
                .map(|&i| ease[i])
                .filter(|v| !v.is_nan())
                .collect();
            let want_z = (inside.iter().sum::<f64>() / inside.len() as f64 - m) / sd;
            assert!((got.z - want_z).abs() < 1e-9);
            // the needs start with the driver rule, then the keyword rules
            let mut want = driver_needs(d, 0.5);
            let rules = needs_of(&q.differences, 0.5);
            if want.is_empty() || !rules[0].starts_with("maintain") {
                want.extend(rules);
            }
            assert_eq!(q.needs, want);
            top.push((
                d.ranking[0].driver.clone(),
                q.needs[0].clone(),
                d.r_squared.unwrap(),
            ));
        }
        // the planted drivers come out on top where they were planted
        let tops: Vec<&str> = top.iter().map(|t| t.0.as_str()).collect();
        assert!(
            tops.contains(&"ease") && tops.contains(&"emotion"),
            "{top:?}"
        );
        for (driver, need, r2) in &top {
            if *r2 >= DRIVER_MIN_R_SQUARED && (driver == "ease" || driver == "emotion") {
                assert!(need.starts_with("improve "), "{need}");
            }
        }
    }

    #[test]
    fn persona_drivers_skip_with_a_reason_and_bad_columns_are_errors() {
        let x = [1.0, 1.1, 1.2, 1.3, 9.0, 9.1, 9.2, 9.3];
        // constant within the first persona, varying in the second
        let flat = [3.0, 3.0, 3.0, 3.0, 1.0, 2.0, 4.0, 5.0];
        let y = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
        let f = [NumericFeature {
            name: "x",
            values: &x,
        }];
        let drivers = [NumericFeature {
            name: "ease",
            values: &flat,
        }];
        let o = PersonaOptions {
            k_min: 2,
            k_max: 2,
            ..PersonaOptions::default()
        };
        let prof = ProfileColumns {
            loyalty: Some(&y),
            drivers: &drivers,
            ..ProfileColumns::default()
        };
        let p = personas(&f, &[], &prof, &o).unwrap();
        let why = p.personas[0]
            .drivers
            .as_ref()
            .unwrap()
            .skipped
            .clone()
            .unwrap();
        assert!(why.contains("ease is constant"), "{why}");
        assert!(p.personas[1].drivers.as_ref().unwrap().skipped.is_none());
        // drivers without an outcome
        let none = ProfileColumns {
            drivers: &drivers,
            ..ProfileColumns::default()
        };
        let e = personas(&f, &[], &none, &o).unwrap_err();
        assert!(
            matches!(
                e,
                CxError::InvalidArgument {
                    name: "drivers",
                    ..
                }
            ),
            "{e:?}"
        );
        // an infinite driver value names its column and index
        let inf = [3.0, 3.0, f64::INFINITY, 3.0, 1.0, 2.0, 4.0, 5.0];
        let bad = [NumericFeature {
            name: "ease",
            values: &inf,
        }];
        let e = personas(
            &f,
            &[],
            &ProfileColumns {
                drivers: &bad,
                ..prof
            },
            &o,
        )
        .unwrap_err();
        assert!(e.to_string().contains("\"ease\" at index 2"), "{e}");
        // a CX column of mean ratings is not an answer on the scale
        let means = [4.5, 3.0, 2.0, 1.0, 5.0, 4.0, 3.0, 2.0];
        let cxc = CxColumns {
            dims: Dimension::all_on(&["ease"], Scale::agreement()),
            columns: vec![&means],
            options: CxOptions::default(),
        };
        let e = personas(
            &f,
            &[],
            &ProfileColumns {
                cx: Some(&cxc),
                ..ProfileColumns::default()
            },
            &o,
        )
        .unwrap_err();
        assert!(matches!(e, CxError::NonInteger { index: 0, .. }), "{e:?}");
        let short = [4.0];
        let cxc = CxColumns {
            columns: vec![&short],
            ..cxc
        };
        let e = personas(
            &f,
            &[],
            &ProfileColumns {
                cx: Some(&cxc),
                ..ProfileColumns::default()
            },
            &o,
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                CxError::InvalidArgument {
                    name: "features",
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn categorical_features_alone_cluster_by_their_modes() {
        // k-modes (k-prototypes without numeric features): two obvious groups of categories
        let a: Vec<u32> = (0..40).map(|i| if i < 20 { 0 } else { 1 }).collect();
        let b: Vec<u32> = (0..40)
            .map(|i| if i < 20 { 2 } else { u32::from(i % 2 == 0) })
            .collect();
        let labels = |n: u32| {
            (0..n)
                .map(|c| Key::Str(format!("c{c}")))
                .collect::<Vec<_>>()
        };
        let cats = [
            CategoricalFeature {
                name: "channel",
                codes: &a,
                labels: labels(2),
            },
            CategoricalFeature {
                name: "plan",
                codes: &b,
                labels: labels(3),
            },
        ];
        let o = PersonaOptions {
            k_min: 2,
            k_max: 2,
            ..PersonaOptions::default()
        };
        let p = personas(&[], &cats, &ProfileColumns::default(), &o).unwrap();
        assert_eq!(p.method, "k-prototypes");
        assert!((0..20).all(|i| p.assignments[i] == p.assignments[0]));
        assert!((20..40).all(|i| p.assignments[i] == p.assignments[20]));
        assert_ne!(p.assignments[0], p.assignments[20]);
    }

    #[test]
    fn restarts_in_parallel_and_the_tolerance_keep_the_result() {
        use crate::kernels::testing::on_threads;
        let (cols, truth) = planted(400, 31);
        let f = features(&cols);
        let o = PersonaOptions {
            k_min: 3,
            k_max: 3,
            ..PersonaOptions::default()
        };
        let run = || personas(&f, &[], &ProfileColumns::default(), &o).unwrap();
        let one = on_threads(1, run);
        assert_eq!(on_threads(2, run), one);
        assert_eq!(on_threads(3, run), one);
        // stopping on the tolerance gives the partition of stopping on no change here
        let strict = PersonaOptions {
            tol: 0.0,
            ..o.clone()
        };
        let exact = personas(&f, &[], &ProfileColumns::default(), &strict).unwrap();
        assert_eq!(exact.assignments, one.assignments);
        let pairs = |a: &[Option<usize>]| {
            (0..truth.len())
                .flat_map(|i| (0..i).map(move |j| (i, j)))
                .filter(|&(i, j)| a[i] == a[j])
                .count()
        };
        let want = (0..truth.len())
            .flat_map(|i| (0..i).map(move |j| (i, j)))
            .filter(|&(i, j)| truth[i] == truth[j])
            .count();
        assert_eq!(pairs(&one.assignments), want);
        let bad = PersonaOptions { tol: -1.0, ..o };
        assert!(matches!(
            personas(&f, &[], &ProfileColumns::default(), &bad),
            Err(CxError::InvalidArgument { name: "tol", .. })
        ));
    }

    #[test]
    fn labels_and_needs_follow_the_rules() {
        let d = |f: &str, z: f64| FeatureDifference {
            feature: f.into(),
            mean: 0.0,
            rest_mean: 0.0,
            z,
            p_value: None,
            significant: false,
        };
        let diffs = [
            d("revenue", 1.2),
            d("ease", -0.9),
            d("recency_days", 0.7),
            d("x", 0.1),
        ];
        let strong: Vec<&FeatureDifference> = diffs[..3].iter().collect();
        assert_eq!(label_of(&strong), "high value, low ease, at risk");
        assert_eq!(
            needs_of(&diffs, 0.5),
            vec![
                "protect and reward high value (service priority, loyalty benefits)",
                "reduce effort",
                "win back before they lapse"
            ]
        );
        assert_eq!(needs_of(&diffs[3..], 0.5).len(), 1);
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let x = [1.0, 2.0, 3.0];
        let c = [5.0, 5.0, 5.0];
        let f = |name, values| NumericFeature { name, values };
        let o = PersonaOptions::default();
        let none = ProfileColumns::default();
        let e = personas(&[f("x", &x), f("flat", &c)], &[], &none, &o).unwrap_err();
        // a loyalty outcome that is not 0/1 names its index and value
        let bad = [1.0, 2.0, 0.0];
        let lo = ProfileColumns {
            loyalty: Some(&bad),
            ..ProfileColumns::default()
        };
        let e2 = personas(&[f("x", &x)], &[], &lo, &o).unwrap_err();
        assert!(matches!(e2, CxError::OutOfScale { index: 1, .. }), "{e2:?}");
        assert!(matches!(e, CxError::ZeroVariance { .. }) && e.to_string().contains("flat"));
        let o5 = PersonaOptions {
            k_min: 5,
            k_max: 5,
            ..o.clone()
        };
        assert!(matches!(
            personas(&[f("x", &x)], &[], &none, &o5),
            Err(CxError::InsufficientData {
                needed: 5,
                got: 3,
                ..
            })
        ));
        let nan = [f64::NAN, f64::NAN, f64::NAN];
        assert!(matches!(
            personas(&[f("x", &nan)], &[], &none, &o),
            Err(CxError::EmptyInput { .. })
        ));
        assert!(matches!(
            personas(&[], &[], &none, &o),
            Err(CxError::InvalidArgument {
                name: "features",
                ..
            })
        ));
        let short = [1.0];
        let e = personas(&[f("x", &x), f("short", &short)], &[], &none, &o).unwrap_err();
        assert!(e.to_string().contains("short"));
        let inf = [1.0, f64::INFINITY, 2.0];
        let e = personas(&[f("spend", &inf)], &[], &none, &o).unwrap_err();
        assert!(e.to_string().contains("\"spend\" at index 1"), "{e}");
        let bad = PersonaOptions {
            k_min: 4,
            k_max: 2,
            ..o
        };
        assert!(matches!(
            personas(&[f("x", &x)], &[], &none, &bad),
            Err(CxError::InvalidArgument { name: "k", .. })
        ));
    }
}

/// The cross-language fixture (testdata/personas.json): the same seed gives the same personas
/// in Rust, Python and Node.
#[cfg(test)]
mod fixture {
    use super::*;

    #[test]
    fn same_personas_as_python_and_node() {
        let text = include_str!("../../testdata/personas.json");
        let fx: serde_json::Value = serde_json::from_str(text).unwrap();
        let names: Vec<String> = serde_json::from_value(fx["features"].clone()).unwrap();
        let cols: Vec<Vec<f64>> = names
            .iter()
            .map(|n| serde_json::from_value(fx["columns"][n].clone()).unwrap())
            .collect();
        let features: Vec<NumericFeature> = names
            .iter()
            .zip(&cols)
            .map(|(name, values)| NumericFeature { name, values })
            .collect();
        let o = PersonaOptions {
            k_min: fx["k_min"].as_u64().unwrap() as usize,
            k_max: fx["k_max"].as_u64().unwrap() as usize,
            seed: fx["seed"].as_u64().unwrap(),
            ..PersonaOptions::default()
        };
        let p = personas(&features, &[], &ProfileColumns::default(), &o).unwrap();
        let e = &fx["expected"];
        assert_eq!(p.k as u64, e["k"].as_u64().unwrap());
        let want: Vec<Option<usize>> = serde_json::from_value(e["assignments"].clone()).unwrap();
        assert_eq!(p.assignments, want);
        for (s, w) in p.scores.iter().zip(e["silhouette"].as_array().unwrap()) {
            assert!((s.silhouette.unwrap() - w.as_f64().unwrap()).abs() < 1e-9);
        }
        let labels: Vec<String> = serde_json::from_value(e["labels"].clone()).unwrap();
        assert_eq!(
            p.personas
                .iter()
                .map(|q| q.label.clone())
                .collect::<Vec<_>>(),
            labels
        );

        // the same per-persona CX index, key drivers and needs
        let col = |name: &str| -> Vec<f64> {
            serde_json::from_value(fx["columns"][name].clone()).unwrap()
        };
        let names = |key: &str| -> Vec<String> {
            serde_json::from_value(fx["profile"][key].clone()).unwrap()
        };
        let loyal = col(fx["profile"]["loyalty"].as_str().unwrap());
        let driver_cols: Vec<Vec<f64>> = names("drivers").iter().map(|n| col(n)).collect();
        let driver_names: Vec<String> = names("drivers")
            .iter()
            .map(|n| n.trim_end_matches("_mean").to_string())
            .collect();
        let drivers: Vec<NumericFeature> = driver_names
            .iter()
            .zip(&driver_cols)
            .map(|(name, values)| NumericFeature { name, values })
            .collect();
        let cx_cols: Vec<Vec<f64>> = names("cx_dims").iter().map(|n| col(n)).collect();
        let dim_names: Vec<String> = names("cx_dims")
            .iter()
            .map(|n| n.trim_end_matches("_latest").to_string())
            .collect();
        let cx = CxColumns {
            dims: dim_names
                .iter()
                .map(|n| Dimension::new(n.clone(), Scale::agreement()))
                .collect(),
            columns: cx_cols.iter().map(Vec::as_slice).collect(),
            options: CxOptions::default(),
        };
        let prof = ProfileColumns {
            loyalty: Some(&loyal),
            cx: Some(&cx),
            drivers: &drivers,
            ..ProfileColumns::default()
        };
        let p = personas(&features, &[], &prof, &o).unwrap();
        let want = fx["expected_profile"].as_array().unwrap();
        assert_eq!(p.personas.len(), want.len());
        for (q, w) in p.personas.iter().zip(want) {
            let c = q.cx_index.as_ref().unwrap();
            assert!((c.estimate - w["cx_index"].as_f64().unwrap()).abs() < 1e-9);
            assert!((c.std_error - w["cx_std_error"].as_f64().unwrap()).abs() < 1e-9);
            let d = q.drivers.as_ref().unwrap();
            assert!((d.r_squared.unwrap() - w["r_squared"].as_f64().unwrap()).abs() < 1e-9);
            for (x, wd) in d.ranking.iter().zip(w["drivers"].as_array().unwrap()) {
                assert_eq!(x.driver, wd[0].as_str().unwrap());
                assert!((x.share - wd[1].as_f64().unwrap()).abs() < 1e-9);
                assert!((x.beta - wd[2].as_f64().unwrap()).abs() < 1e-9);
            }
            let needs: Vec<String> = serde_json::from_value(w["needs"].clone()).unwrap();
            assert_eq!(q.needs, needs);
        }
    }
}
