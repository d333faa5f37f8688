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

use serde::{Deserialize, Serialize};

use crate::cx_index::{CxOptions, Dimension};
use crate::error::{CxError, Result};
use crate::grouping::Key;
use crate::loyalty::outcome_scale;
use crate::tally::Tally;

mod cluster;
mod drivers;
mod model;
mod prepare;
mod profile;
mod wording;

use cluster::{best_of, sample_rows, silhouette, Fit};
use drivers::check_drivers;
use prepare::{feature_len, Data};
use profile::profile_all;

pub use drivers::{
    driver_needs, DriverShare, PersonaDrivers, DRIVER_MIN_R_SQUARED, DRIVER_MIN_SHARE,
};
pub use model::PersonaModel;
pub use profile::{FeatureDifference, Persona};
pub use wording::needs_of;

/// One numeric feature column (NaN = missing).
#[derive(Debug, Clone, Copy)]
pub struct NumericFeature<'a> {
    /// Feature name.
    pub name: &'a str,
    /// One value per customer.
    pub values: &'a [f64],
}

/// One categorical feature column: a code per customer into `labels`
/// ([`MISSING_CUSTOMER`](crate::retention::MISSING_CUSTOMER), `u32::MAX`, for missing).
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
/// The index of a persona is [`cx_index`](crate::cx_index::cx_index) on its members' **latest**
/// answers (one answer per customer and dimension, an integer on the dimension's scale, NaN
/// missing), so a customer who answered often weighs as much as one who answered once: the CX
/// index of the customers in the persona, not of its survey responses. (A customer's *mean*
/// rating is not an answer on the scale and is refused with [`CxError::NonInteger`].)
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

#[cfg(test)]
mod tests;

/// The cross-language fixture (testdata/personas.json): the same seed gives the same personas
/// in Rust, Python and Node.
#[cfg(test)]
mod fixture;
