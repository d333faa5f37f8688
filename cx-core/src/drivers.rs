//! Key-driver analysis: which experience dimensions (effectiveness, ease, emotion, ...) explain
//! a loyalty outcome, by three measures of a linear model's predictors: standardised
//! regression coefficients, Johnson's relative weights and the Shapley (LMG) decomposition of
//! R², each with seeded bootstrap intervals.
//!
//! # Missing values
//! Listwise deletion: a row with a missing (NaN) value in any driver or in the outcome is left
//! out of everything; their number is reported in [`KeyDrivers::missing`].
//!
//! # Linear algebra
//! The eigendecomposition (relative weights) and the full-model solve use the `faer` crate.
//! The R² of every subset of drivers (LMG) comes from one depth-first walk over the subsets
//! that extends the Cholesky factor of the subset's correlation matrix by one row per added
//! driver (the bordering method, Golub and Van Loan 2013, section 4.2.5): O(k²) per subset
//! instead of a fresh O(k³) factorisation, so that 2^15 subsets cost milliseconds; the tests
//! check every subset's R² against least squares fitted on that sub-model.

use faer::prelude::Solve;
use faer::{Mat, Side};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{check_len, check_level, CxError, Result};
use crate::inference::{quantile_sorted, Interval, IntervalMethod, DEFAULT_LEVEL};
use crate::tally::check_weight;

/// The most drivers the exact Shapley / LMG decomposition takes (2^15 = 32,768 sub-models).
pub const MAX_DRIVERS: usize = 15;

/// Below this smallest eigenvalue of the drivers' correlation matrix the drivers are treated
/// as collinear (a driver is, up to rounding, a linear combination of the others).
pub const COLLINEARITY_TOLERANCE: f64 = 1e-10;

/// Options of [`key_drivers`]: 95% percentile-bootstrap intervals from 1,000 resamples with
/// seed 0 by default (the percentile bootstrap as in R relaimpo's `booteval.relimp`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DriverOptions {
    /// Confidence level of the intervals.
    pub level: f64,
    /// Bootstrap resamples: 0 for no intervals, else at least 100.
    pub resamples: u32,
    /// Bootstrap seed (ChaCha8; resample b uses stream b, so results do not depend on threads).
    pub seed: u64,
}

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions {
            level: DEFAULT_LEVEL,
            resamples: 1000,
            seed: 0,
        }
    }
}

impl DriverOptions {
    /// Check the options: a level strictly between 0 and 1; 0 or at least 100 resamples.
    ///
    /// # Errors
    /// [`CxError::InvalidLevel`], [`CxError::InvalidArgument`].
    pub fn validate(&self) -> Result<()> {
        check_level(self.level)?;
        if self.resamples != 0 && self.resamples < 100 {
            return Err(CxError::InvalidArgument {
                name: "resamples",
                value: self.resamples.to_string(),
                expected: "0 (no intervals) or at least 100".into(),
            });
        }
        Ok(())
    }
}

/// An importance measure that splits the model R²: raw (summing to R²) and normalised
/// (summing to 1), each with its bootstrap interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Importance {
    /// Share of the outcome's variance attributed to the driver (the raw values sum to R²).
    pub raw: f64,
    /// `raw / R²` (the shares sum to 1).
    pub share: f64,
    /// Percentile bootstrap interval of `raw` (`None` without resamples).
    pub raw_interval: Option<Interval>,
    /// Percentile bootstrap interval of `share`.
    pub share_interval: Option<Interval>,
}

/// One driver's results, in the order the drivers were given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Driver {
    /// Position of the driver in the input.
    pub index: usize,
    /// The driver's name: its column name, or `driver_1`, `driver_2`, ... for columns given
    /// without names (see [`KeyDrivers::named`]).
    #[serde(default)]
    pub name: String,
    /// Pearson correlation with the outcome.
    pub correlation: f64,
    /// Standardised regression coefficient (beta weight).
    pub beta: f64,
    /// Percentile bootstrap interval of `beta`.
    pub beta_interval: Option<Interval>,
    /// Johnson's (2000) relative weight.
    pub relative_weight: Importance,
    /// Shapley value of R² (LMG: Lindeman, Merenda and Gold 1980).
    pub lmg: Importance,
    /// Rank by LMG, 1 = most important.
    pub rank: usize,
}

/// The result of [`key_drivers`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeyDrivers {
    /// One entry per driver, in input order.
    pub drivers: Vec<Driver>,
    /// R² of the model with every driver.
    pub r_squared: f64,
    /// Percentile bootstrap interval of R².
    pub r_squared_interval: Option<Interval>,
    /// Rows used (complete on every driver and the outcome).
    pub n: u64,
    /// Kish effective sample size of the rows used.
    pub effective_n: f64,
    /// Rows left out for a missing value (listwise deletion).
    pub missing: u64,
    /// Bootstrap resamples requested.
    pub resamples: u32,
    /// Resamples skipped because a driver was constant or the drivers collinear in them.
    pub failed_resamples: u32,
}

impl KeyDrivers {
    /// The same result with the drivers named `names` (in input order; a `None` keeps the
    /// default name `driver_<position>`).
    pub fn named(mut self, names: &[Option<String>]) -> KeyDrivers {
        for (d, name) in self.drivers.iter_mut().zip(names) {
            if let Some(name) = name {
                d.name.clone_from(name);
            }
        }
        self
    }
}

impl std::fmt::Display for KeyDrivers {
    /// One line per driver in order of importance (LMG share of R²), after the model's R².
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "R² = {:.4}, n = {}", self.r_squared, self.n)?;
        let mut order: Vec<&Driver> = self.drivers.iter().collect();
        order.sort_by_key(|d| d.rank);
        for d in order {
            write!(
                f,
                "\n{}. {}: {:.1}% of R² (beta {:.3}, relative weight {:.1}%)",
                d.rank,
                d.name,
                100.0 * d.lmg.share,
                d.beta,
                100.0 * d.relative_weight.share
            )?;
        }
        Ok(())
    }
}

/// The complete rows: driver values row-major, outcome, weights.
struct Rows {
    p: usize,
    x: Vec<f64>,
    y: Vec<f64>,
    w: Vec<f64>,
}

/// Point estimates from one correlation matrix.
struct Fit {
    r_squared: f64,
    beta: Vec<f64>,
    relative: Vec<f64>,
    lmg: Vec<f64>,
}

#[allow(clippy::needless_range_loop)] // index arithmetic over a packed matrix
/// Weighted correlations: `rxx` (p × p, row-major) and `rxy`, or the index of a constant
/// column (`p` for the outcome).
fn correlations(
    rows: &Rows,
    idx: Option<&[usize]>,
) -> std::result::Result<(Vec<f64>, Vec<f64>), usize> {
    let p = rows.p;
    let n = idx.map_or(rows.y.len(), <[usize]>::len);
    let row = |k: usize| idx.map_or(k, |i| i[k]);
    let mut sw = 0.0;
    let mut mean = vec![0.0; p + 1];
    for k in 0..n {
        let r = row(k);
        let w = rows.w[r];
        sw += w;
        for j in 0..p {
            mean[j] += w * rows.x[r * p + j];
        }
        mean[p] += w * rows.y[r];
    }
    for m in &mut mean {
        *m /= sw;
    }
    // Centred cross products, upper triangle of the (p+1) × (p+1) matrix.
    let q = p + 1;
    let mut c = vec![0.0; q * q];
    let mut d = vec![0.0; q];
    for k in 0..n {
        let r = row(k);
        let w = rows.w[r];
        for j in 0..p {
            d[j] = rows.x[r * p + j] - mean[j];
        }
        d[p] = rows.y[r] - mean[p];
        for a in 0..q {
            let wa = w * d[a];
            for b in a..q {
                c[a * q + b] += wa * d[b];
            }
        }
    }
    let sd: Vec<f64> = (0..q).map(|a| c[a * q + a].sqrt()).collect();
    // Relative to the scale of the column: a spread of rounding size is no spread.
    for a in 0..q {
        let scale = mean[a].abs().max(1e-300) * sw.sqrt();
        if sd[a].is_nan() || sd[a] <= 1e-12 * scale {
            return Err(a);
        }
    }
    let corr = |a: usize, b: usize| {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        (c[a * q + b] / (sd[a] * sd[b])).clamp(-1.0, 1.0)
    };
    let rxx = (0..p * p).map(|k| corr(k / p, k % p)).collect();
    let rxy = (0..p).map(|j| corr(j, p)).collect();
    Ok((rxx, rxy))
}

enum FitError {
    Collinear { smallest: f64, drivers: Vec<usize> },
}

/// Betas, relative weights and LMG from the correlation matrices.
fn fit(p: usize, rxx: &[f64], rxy: &[f64]) -> std::result::Result<Fit, FitError> {
    let a = Mat::<f64>::from_fn(p, p, |i, j| rxx[i * p + j]);
    let eig = a
        .self_adjoint_eigen(Side::Lower)
        .map_err(|_| FitError::Collinear {
            smallest: f64::NAN,
            drivers: (0..p).collect(),
        })?;
    let lambda: Vec<f64> = (0..p).map(|k| eig.S().column_vector()[k]).collect();
    let u = eig.U();
    if lambda[0] < COLLINEARITY_TOLERANCE {
        // The drivers that load on the null direction are the collinear ones.
        let drivers = (0..p).filter(|&j| u[(j, 0)].abs() > 1e-3).collect();
        return Err(FitError::Collinear {
            smallest: lambda[0],
            drivers,
        });
    }
    // Standardised coefficients: Rxx β = rxy (Cholesky; Rxx is positive definite here).
    let b = Mat::<f64>::from_fn(p, 1, |i, _| rxy[i]);
    let llt = a.llt(Side::Lower).map_err(|_| FitError::Collinear {
        smallest: lambda[0],
        drivers: (0..p).collect(),
    })?;
    let beta_m = llt.solve(&b);
    let beta: Vec<f64> = (0..p).map(|i| beta_m[(i, 0)]).collect();
    let r_squared: f64 = beta.iter().zip(rxy).map(|(b, r)| b * r).sum();

    // Relative weights (Johnson 2000): Λ = V diag(√λ) Vᵀ, β* = V diag(1/√λ) Vᵀ rxy,
    // ε_j = Σ_k Λ_jk² β*_k².
    let vt_r: Vec<f64> = (0..p)
        .map(|k| (0..p).map(|i| u[(i, k)] * rxy[i]).sum())
        .collect();
    let half = |j: usize, k: usize| {
        (0..p)
            .map(|m| u[(j, m)] * lambda[m].sqrt() * u[(k, m)])
            .sum::<f64>()
    };
    let beta_star: Vec<f64> = (0..p)
        .map(|k| (0..p).map(|m| u[(k, m)] * vt_r[m] / lambda[m].sqrt()).sum())
        .collect();
    let relative = (0..p)
        .map(|j| {
            (0..p)
                .map(|k| half(j, k).powi(2) * beta_star[k].powi(2))
                .sum()
        })
        .collect();
    let lmg = shapley(p, &subset_r_squared(p, rxx, rxy));
    Ok(Fit {
        r_squared,
        beta,
        relative,
        lmg,
    })
}

/// R² of the regression on every subset of drivers, indexed by bit mask (bit j: driver j).
///
/// Depth-first over subsets in increasing index order; each step borders the Cholesky factor
/// `L` of the parent subset's correlation matrix with one row: `L l = R_S,j`,
/// `d = √(1 − lᵀl)`, and extends `z = L⁻¹ r_S` by `(r_j − lᵀz)/d`; then `R²(S) = zᵀz`.
pub(crate) fn subset_r_squared(p: usize, rxx: &[f64], rxy: &[f64]) -> Vec<f64> {
    let mut w = Walker {
        p,
        rxx,
        rxy,
        members: Vec::with_capacity(p),
        l_rows: Vec::with_capacity(p),
        z: Vec::with_capacity(p),
        r2: vec![0.0; 1 << p],
    };
    w.walk(0, 0, 0.0);
    w.r2
}

/// The state of the depth-first walk: the current subset, its Cholesky rows and `z`.
struct Walker<'a> {
    p: usize,
    rxx: &'a [f64],
    rxy: &'a [f64],
    members: Vec<usize>,
    l_rows: Vec<Vec<f64>>,
    z: Vec<f64>,
    r2: Vec<f64>,
}

impl Walker<'_> {
    fn walk(&mut self, start: usize, mask: usize, acc: f64) {
        let p = self.p;
        for j in start..p {
            let k = self.members.len();
            // Forward substitution L l = R_S,j.
            let mut l = vec![0.0; k + 1];
            for (i, row) in self.l_rows.iter().enumerate() {
                let mut s = self.rxx[self.members[i] * p + j];
                for (m, lm) in l.iter().take(i).enumerate() {
                    s -= row[m] * lm;
                }
                l[i] = s / row[i];
            }
            let ll: f64 = l[..k].iter().map(|v| v * v).sum();
            let d = (1.0 - ll).max(f64::MIN_POSITIVE).sqrt();
            l[k] = d;
            let lz: f64 = l[..k].iter().zip(&self.z).map(|(a, b)| a * b).sum();
            let zj = (self.rxy[j] - lz) / d;
            let new_mask = mask | (1 << j);
            let value = acc + zj * zj;
            self.r2[new_mask] = value;
            self.members.push(j);
            self.l_rows.push(l);
            self.z.push(zj);
            self.walk(j + 1, new_mask, value);
            self.members.pop();
            self.l_rows.pop();
            self.z.pop();
        }
    }
}

/// Shapley values of R² over the drivers: `φ_j = Σ_{S ∌ j} |S|!(p − |S| − 1)!/p! ·
/// (R²(S ∪ {j}) − R²(S))`.
pub(crate) fn shapley(p: usize, r2: &[f64]) -> Vec<f64> {
    // weight[s] = s!(p − s − 1)!/p!, computed as 1 / (p · C(p − 1, s)).
    let mut weight = vec![0.0; p];
    let mut binom = 1.0f64;
    for (s, w) in weight.iter_mut().enumerate() {
        *w = 1.0 / (p as f64 * binom);
        binom = binom * (p - 1 - s) as f64 / (s + 1) as f64;
    }
    let mut phi = vec![0.0; p];
    for mask in 0..(1usize << p) {
        let size = mask.count_ones() as usize;
        for (j, f) in phi.iter_mut().enumerate() {
            if mask & (1 << j) == 0 {
                *f += weight[size] * (r2[mask | (1 << j)] - r2[mask]);
            }
        }
    }
    phi
}

/// Key drivers of an outcome: standardised regression coefficients, Johnson's relative
/// weights and the Shapley / LMG decomposition of R², with percentile bootstrap intervals.
///
/// `drivers` are the columns of experience ratings (any numeric scale), `outcome` the loyalty
/// measure (a 0/1 outcome gives the linear probability model, as in the usual key-driver
/// practice; or a continuous one), `weights` optional respondent weights.
///
/// # Formula
/// ```text
/// R = weighted Pearson correlations of the complete rows; Rxx among drivers, r = with outcome
/// beta        β = Rxx⁻¹ r,   R² = βᵀ r
/// relative    Rxx = V diag(λ) Vᵀ,  Λ = V diag(√λ) Vᵀ,  β* = Λ⁻¹ r
/// weights     ε_j = Σ_k Λ_jk² β*_k²        (Σ_j ε_j = R²)                   (Johnson 2000)
/// LMG         R²(S) = r_Sᵀ R_SS⁻¹ r_S for every subset S of drivers (2^p sub-models)
///             φ_j = Σ_{S ∌ j} |S|!(p − |S| − 1)!/p! · (R²(S ∪ j) − R²(S))  (Σ_j φ_j = R²)
///             the average over all orderings of the R² each driver adds (Lindeman, Merenda
///             and Gold 1980; the Shapley value of R², Lipovetsky and Conklin 2001)
/// shares      raw / R²
/// intervals   percentile bootstrap (type 7 quantiles) over `resamples` resamples of the
///             complete rows drawn with replacement (weights travel with their rows); ChaCha8
///             seeded with `seed`, resample b on stream b; resamples in which a driver is
///             constant or the drivers are collinear are skipped and counted
/// ```
///
/// # Errors
/// - [`CxError::InvalidArgument`]: no driver; more than [`MAX_DRIVERS`] (15) drivers (the exact
///   Shapley decomposition enumerates 2^p sub-models); an infinite value; collinear drivers
///   (the smallest eigenvalue of Rxx below [`COLLINEARITY_TOLERANCE`], naming the drivers
///   involved); options out of range.
/// - [`CxError::LengthMismatch`]: a driver, the outcome or the weights of another length.
/// - [`CxError::InsufficientData`]: fewer than p + 2 complete rows.
/// - [`CxError::ZeroVariance`]: a constant driver or outcome (naming it).
/// - [`CxError::InvalidWeight`], [`CxError::InvalidLevel`].
///
/// # Examples
/// ```
/// use cx_core::drivers::{key_drivers, DriverOptions};
/// let ease = [1.0, 2.0, 3.0, 4.0, 5.0, 2.0, 4.0, 3.0];
/// let emotion = [2.0, 1.0, 4.0, 3.0, 5.0, 3.0, 5.0, 2.0];
/// let loyal = [1.0, 2.0, 4.0, 4.0, 6.0, 3.0, 6.0, 3.0];
/// let kd = key_drivers(&[&ease, &emotion], &loyal, None, &DriverOptions { resamples: 0, ..Default::default() })?;
/// let lmg: f64 = kd.drivers.iter().map(|d| d.lmg.raw).sum();
/// let rw: f64 = kd.drivers.iter().map(|d| d.relative_weight.raw).sum();
/// assert!((lmg - kd.r_squared).abs() < 1e-12 && (rw - kd.r_squared).abs() < 1e-12);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// - Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
///   variables in multiple regression. *Multivariate Behavioral Research* 35, 1-19.
/// - Lindeman, R. H., Merenda, P. F., Gold, R. Z. (1980). *Introduction to Bivariate and
///   Multivariate Analysis*. Scott, Foresman, p. 119 ff.
/// - Grömping, U. (2006). Relative importance for linear regression in R: the package
///   relaimpo. *Journal of Statistical Software* 17(1).
/// - Lipovetsky, S., Conklin, M. (2001). Analysis of regression in game theory approach.
///   *Applied Stochastic Models in Business and Industry* 17, 319-330.
/// - Efron, B., Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
pub fn key_drivers(
    drivers: &[&[f64]],
    outcome: &[f64],
    weights: Option<&[f64]>,
    options: &DriverOptions,
) -> Result<KeyDrivers> {
    options.validate()?;
    let p = drivers.len();
    if p == 0 {
        return Err(CxError::InvalidArgument {
            name: "drivers",
            value: "no columns".into(),
            expected: "at least one driver column".into(),
        });
    }
    if p > MAX_DRIVERS {
        return Err(CxError::InvalidArgument {
            name: "drivers",
            value: format!("{p} columns"),
            expected: format!(
                "at most {MAX_DRIVERS} drivers for the exact Shapley (LMG) decomposition, \
                 which fits all 2^p sub-models"
            ),
        });
    }
    let n_all = outcome.len();
    for d in drivers {
        check_len("outcome", n_all, "driver", d.len())?;
    }
    if let Some(w) = weights {
        check_len("outcome", n_all, "weights", w.len())?;
    }
    let rows = complete_rows(drivers, outcome, weights)?;
    let n = rows.y.len();
    let missing = (n_all - n) as u64;
    if n < p + 2 {
        return Err(CxError::InsufficientData {
            what: format!("a regression on {p} drivers"),
            needed: p as u64 + 2,
            got: n as u64,
        });
    }
    let (sw, sw2) = rows
        .w
        .iter()
        .fold((0.0, 0.0), |(a, b), &w| (a + w, b + w * w));
    if sw <= 0.0 {
        return Err(CxError::empty("every complete row has weight zero"));
    }
    let (rxx, rxy) = correlations(&rows, None).map_err(|a| CxError::ZeroVariance {
        what: if a == p {
            "the outcome is constant over the complete rows".into()
        } else {
            format!("driver {a} is constant over the complete rows")
        },
    })?;
    let est = fit(p, &rxx, &rxy).map_err(|FitError::Collinear { smallest, drivers }| {
        CxError::InvalidArgument {
            name: "drivers",
            value: format!("collinear columns {drivers:?}"),
            expected: format!(
                "drivers that are not linear combinations of each other (the smallest \
                 eigenvalue of their correlation matrix is {smallest:e}, below \
                 {COLLINEARITY_TOLERANCE:e}); drop one of them"
            ),
        }
    })?;

    // Bootstrap: statistics per resample, [R², β (p), relative (p), lmg (p), shares (2p)].
    let width = 1 + 5 * p;
    let b = options.resamples as usize;
    let one = |k: usize| -> Option<Vec<f64>> {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        rng.set_stream(k as u64);
        let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        let (rxx, rxy) = correlations(&rows, Some(&idx)).ok()?;
        let f = fit(p, &rxx, &rxy).ok()?;
        let mut v = Vec::with_capacity(width);
        v.push(f.r_squared);
        v.extend(&f.beta);
        v.extend(&f.relative);
        v.extend(&f.lmg);
        v.extend(f.relative.iter().map(|x| x / f.r_squared));
        v.extend(f.lmg.iter().map(|x| x / f.r_squared));
        v.iter().all(|x| x.is_finite()).then_some(v)
    };
    // Parallel above ~10 million row-visits; each resample has its own stream, so the result
    // is the same either way.
    let draws: Vec<Option<Vec<f64>>> = if (n * b) > 10_000_000 {
        (0..b).into_par_iter().map(one).collect()
    } else {
        (0..b).map(one).collect()
    };
    let ok: Vec<Vec<f64>> = draws.into_iter().flatten().collect();
    let failed = (b - ok.len()) as u32;
    let level = options.level;
    let interval = |s: usize| -> Option<Interval> {
        if ok.len() < 2 {
            return None;
        }
        let mut v: Vec<f64> = ok.iter().map(|d| d[s]).collect();
        v.sort_by(f64::total_cmp);
        let alpha = 1.0 - level;
        Some(Interval {
            lower: quantile_sorted(&v, alpha / 2.0),
            upper: quantile_sorted(&v, 1.0 - alpha / 2.0),
            level,
            method: IntervalMethod::Bootstrap,
        })
    };

    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&a, &b| est.lmg[b].total_cmp(&est.lmg[a]));
    let mut rank = vec![0; p];
    for (r, &j) in order.iter().enumerate() {
        rank[j] = r + 1;
    }
    let r2 = est.r_squared;
    let drivers = (0..p)
        .map(|j| Driver {
            index: j,
            name: format!("driver_{}", j + 1),
            correlation: rxy[j],
            beta: est.beta[j],
            beta_interval: interval(1 + j),
            relative_weight: Importance {
                raw: est.relative[j],
                share: est.relative[j] / r2,
                raw_interval: interval(1 + p + j),
                share_interval: interval(1 + 3 * p + j),
            },
            lmg: Importance {
                raw: est.lmg[j],
                share: est.lmg[j] / r2,
                raw_interval: interval(1 + 2 * p + j),
                share_interval: interval(1 + 4 * p + j),
            },
            rank: rank[j],
        })
        .collect();
    Ok(KeyDrivers {
        drivers,
        r_squared: r2,
        r_squared_interval: interval(0),
        n: n as u64,
        effective_n: sw * sw / sw2,
        missing,
        resamples: options.resamples,
        failed_resamples: failed,
    })
}

/// Listwise deletion and validation of values and weights.
fn complete_rows(drivers: &[&[f64]], outcome: &[f64], weights: Option<&[f64]>) -> Result<Rows> {
    let p = drivers.len();
    let mut rows = Rows {
        p,
        x: Vec::with_capacity(outcome.len() * p),
        y: Vec::with_capacity(outcome.len()),
        w: Vec::with_capacity(outcome.len()),
    };
    let infinite = |what: String, i: usize, v: f64| CxError::InvalidArgument {
        name: "values",
        value: format!("{v} in {what} at index {i}"),
        expected: "finite numbers (NaN for missing)".into(),
    };
    'row: for (i, &y) in outcome.iter().enumerate() {
        if y.is_infinite() {
            return Err(infinite("the outcome".into(), i, y));
        }
        for (j, d) in drivers.iter().enumerate() {
            if d[i].is_infinite() {
                return Err(infinite(format!("driver {j}"), i, d[i]));
            }
        }
        if y.is_nan() || drivers.iter().any(|d| d[i].is_nan()) {
            continue 'row;
        }
        let w = weights.map_or(1.0, |w| w[i]);
        check_weight(i, w)?;
        rows.x.extend(drivers.iter().map(|d| d[i]));
        rows.y.push(y);
        rows.w.push(w);
    }
    Ok(rows)
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // formulas written with indices on purpose
mod tests {
    use super::*;

    /// mtcars (R datasets; Henderson and Velleman 1981): mpg, cyl, disp, hp, wt.
    const MTCARS: &str = include_str!("../../testdata/mtcars.csv");

    fn mtcars() -> Vec<Vec<f64>> {
        let mut cols = vec![vec![]; 5];
        for line in MTCARS.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            for (c, k) in cols.iter_mut().zip([1, 2, 3, 4, 6]) {
                c.push(f[k].parse::<f64>().unwrap());
            }
        }
        cols
    }

    /// Johnson (2000), table 2 (mtcars, mpg ~ cyl + disp + hp + wt): raw relative weights
    /// 0.2097, 0.1883, 0.1800, 0.2707; in percent of R² 24.71, 22.19, 21.21, 31.90.
    #[test]
    fn johnson_mtcars_relative_weights() {
        let c = mtcars();
        let x: Vec<&[f64]> = c[1..].iter().map(Vec::as_slice).collect();
        let o = DriverOptions {
            resamples: 0,
            ..Default::default()
        };
        let kd = key_drivers(&x, &c[0], None, &o).unwrap();
        for (d, (raw, pct)) in kd.drivers.iter().zip([
            (0.2097, 24.71),
            (0.1883, 22.19),
            (0.1800, 21.21),
            (0.2707, 31.90),
        ]) {
            assert!((d.relative_weight.raw - raw).abs() < 5e-5, "{d:?}");
            assert!(
                (100.0 * d.relative_weight.share - pct).abs() < 5e-3,
                "{d:?}"
            );
        }
        assert!((kd.r_squared - 0.8486).abs() < 5e-5);
        assert_eq!(kd.drivers[3].rank, 1);
    }

    /// Ordinary least squares written out: normal equations on the raw data by Gaussian
    /// elimination with an intercept, R² = 1 − SSE/SST.
    fn ols_r_squared(cols: &[&[f64]], y: &[f64]) -> f64 {
        let n = y.len();
        let k = cols.len() + 1;
        let xrow = |i: usize| {
            let mut r = vec![1.0];
            r.extend(cols.iter().map(|c| c[i]));
            r
        };
        let mut a = vec![vec![0.0; k + 1]; k];
        for i in 0..n {
            let r = xrow(i);
            for u in 0..k {
                for v in 0..k {
                    a[u][v] += r[u] * r[v];
                }
                a[u][k] += r[u] * y[i];
            }
        }
        for c in 0..k {
            let piv = (c..k)
                .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
                .unwrap();
            a.swap(c, piv);
            for r in 0..k {
                if r != c {
                    let f = a[r][c] / a[c][c];
                    for m in c..=k {
                        a[r][m] -= f * a[c][m];
                    }
                }
            }
        }
        let b: Vec<f64> = (0..k).map(|i| a[i][k] / a[i][i]).collect();
        let mean = y.iter().sum::<f64>() / n as f64;
        let (mut sse, mut sst) = (0.0, 0.0);
        for i in 0..n {
            let f: f64 = xrow(i).iter().zip(&b).map(|(x, b)| x * b).sum();
            sse += (y[i] - f).powi(2);
            sst += (y[i] - mean).powi(2);
        }
        1.0 - sse / sst
    }

    /// LMG against the average over all orderings of the R² each driver adds, every R² from a
    /// least-squares fit of that sub-model.
    #[test]
    fn lmg_equals_brute_force_over_orderings() {
        let c = mtcars();
        let x: Vec<&[f64]> = c[1..].iter().map(Vec::as_slice).collect();
        let p = x.len();
        let r2_of = |mask: usize| {
            let cols: Vec<&[f64]> = (0..p)
                .filter(|j| mask & (1 << j) != 0)
                .map(|j| x[j])
                .collect();
            if cols.is_empty() {
                0.0
            } else {
                ols_r_squared(&cols, &c[0])
            }
        };
        // all 24 orderings
        let mut perms: Vec<Vec<usize>> = vec![vec![]];
        for _ in 0..p {
            let mut next = vec![];
            for pre in &perms {
                for j in (0..p).filter(|j| !pre.contains(j)) {
                    let mut q = pre.clone();
                    q.push(j);
                    next.push(q);
                }
            }
            perms = next;
        }
        assert_eq!(perms.len(), 24);
        let mut brute = vec![0.0; p];
        for perm in &perms {
            let mut mask = 0;
            for &j in perm {
                brute[j] += (r2_of(mask | (1 << j)) - r2_of(mask)) / perms.len() as f64;
                mask |= 1 << j;
            }
        }
        let o = DriverOptions {
            resamples: 0,
            ..Default::default()
        };
        let kd = key_drivers(&x, &c[0], None, &o).unwrap();
        for (d, b) in kd.drivers.iter().zip(&brute) {
            assert!((d.lmg.raw - b).abs() < 1e-10, "{} vs {b}", d.lmg.raw);
        }
        assert!((kd.r_squared - r2_of(15)).abs() < 1e-10);
        // every subset's R² from the bordered Cholesky equals the fitted one
        let (rxx, rxy) = correlations(&complete_rows(&x, &c[0], None).unwrap(), None).unwrap();
        let r2 = subset_r_squared(p, &rxx, &rxy);
        for (mask, v) in r2.iter().enumerate() {
            assert!((v - r2_of(mask)).abs() < 1e-10);
        }
    }

    #[test]
    fn bootstrap_is_seeded_and_covers_the_estimate() {
        let c = mtcars();
        let x: Vec<&[f64]> = c[1..3].iter().map(Vec::as_slice).collect();
        let o = DriverOptions {
            resamples: 200,
            seed: 7,
            ..Default::default()
        };
        let a = key_drivers(&x, &c[0], None, &o).unwrap();
        let b = key_drivers(&x, &c[0], None, &o).unwrap();
        assert_eq!(a, b);
        let ci = a.drivers[0].lmg.raw_interval.unwrap();
        assert!(ci.lower < ci.upper && ci.method == IntervalMethod::Bootstrap);
        let other = key_drivers(&x, &c[0], None, &DriverOptions { seed: 8, ..o }).unwrap();
        assert_ne!(
            a.drivers[0].lmg.raw_interval,
            other.drivers[0].lmg.raw_interval
        );
        // unit weights equal no weights
        let w = key_drivers(&x, &c[0], Some(&[1.0; 32]), &o).unwrap();
        assert_eq!(w, a);
    }

    #[test]
    fn listwise_deletion_and_errors() {
        let c = mtcars();
        let mut cyl = c[1].clone();
        cyl[3] = f64::NAN;
        let mut y = c[0].clone();
        y[5] = f64::NAN;
        let o = DriverOptions {
            resamples: 0,
            ..Default::default()
        };
        let kd = key_drivers(&[&cyl, &c[4]], &y, None, &o).unwrap();
        assert_eq!((kd.n, kd.missing), (30, 2));

        let constant = vec![3.0; 32];
        let e = key_drivers(&[&c[1], &constant], &c[0], None, &o).unwrap_err();
        assert_eq!(e.code(), "zero_variance");
        assert!(e.to_string().contains("driver 1"));
        let double: Vec<f64> = c[2].iter().map(|v| 2.0 * v + 1.0).collect();
        let e = key_drivers(&[&c[1], &c[2], &double], &c[0], None, &o).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        assert!(e.to_string().contains("collinear columns [1, 2]"), "{e}");
        let many: Vec<&[f64]> = (0..16).map(|_| c[1].as_slice()).collect();
        let e = key_drivers(&many, &c[0], None, &o).unwrap_err();
        assert!(e.to_string().contains("at most 15"));
        let e = key_drivers(&[], &c[0], None, &o).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        let e = key_drivers(&[&c[1][..5]], &c[0], None, &o).unwrap_err();
        assert_eq!(e.code(), "length_mismatch");
        let e = key_drivers(&[&c[1][..2]], &c[0][..2], None, &o).unwrap_err();
        assert_eq!(e.code(), "insufficient_data");
        let mut inf = c[1].clone();
        inf[2] = f64::INFINITY;
        let e = key_drivers(&[&inf], &c[0], None, &o).unwrap_err();
        assert!(e.to_string().contains("index 2"));
        let e =
            key_drivers(&[&c[1]], &c[0], None, &DriverOptions { resamples: 10, ..o }).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        let e = key_drivers(&[&c[1]], &constant, None, &o).unwrap_err();
        assert!(e.to_string().contains("outcome is constant"));
    }

    #[test]
    fn fifteen_drivers_are_fast_enough_and_sum_to_r_squared() {
        // 15 drivers from a deterministic generator: the decomposition sums to R².
        let n = 200;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let cols: Vec<Vec<f64>> = (0..15)
            .map(|_| (0..n).map(|_| rng.random::<f64>()).collect())
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                cols.iter()
                    .enumerate()
                    .map(|(j, c)| c[i] * j as f64)
                    .sum::<f64>()
                    + rng.random::<f64>()
            })
            .collect();
        let x: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let o = DriverOptions {
            resamples: 0,
            ..Default::default()
        };
        let kd = key_drivers(&x, &y, None, &o).unwrap();
        let s: f64 = kd.drivers.iter().map(|d| d.lmg.raw).sum();
        assert!((s - kd.r_squared).abs() < 1e-10);
        let s: f64 = kd.drivers.iter().map(|d| d.relative_weight.share).sum();
        assert!((s - 1.0).abs() < 1e-10);
    }
}
