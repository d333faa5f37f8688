//! The CX index of one summary: [`CxOptions`], [`cx_index`] and its results [`CxIndex`] and
//! [`CxDimension`].

use serde::{Deserialize, Serialize};
use std::fmt;

use super::bands::{Band, Bands};
use super::method::{CxMethod, DimWeights};
use super::summary::CxSummary;
use crate::error::{check_level, CxError, Result};
use crate::inference::{z_critical, Interval, IntervalMethod, DEFAULT_LEVEL};
use crate::tally::Tally;

/// Options of [`cx_index`]. Defaults: `net`, equal dimension weights, level 0.95, the default
/// [`Bands`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxOptions {
    /// How each dimension is scored.
    pub method: CxMethod,
    /// Weights of the dimensions in the overall index.
    pub dim_weights: DimWeights,
    /// Confidence level, strictly between 0 and 1.
    pub level: f64,
    /// Quality-band cut-offs.
    pub bands: Bands,
}

impl Default for CxOptions {
    fn default() -> Self {
        CxOptions {
            method: CxMethod::Net,
            dim_weights: DimWeights::Equal,
            level: DEFAULT_LEVEL,
            bands: Bands::default(),
        }
    }
}

impl CxOptions {
    /// Check the options without computing anything (the dimension weights are checked
    /// against the summary's dimensions by [`cx_index`]).
    ///
    /// # Errors
    /// [`CxError::InvalidLevel`].
    pub fn validate(&self) -> Result<()> {
        check_level(self.level)
    }
}

/// One dimension of a CX index: its score in index points (net -100..100, mean 0..100), standard
/// error, interval, band, weight in the index, answers, top/bottom-box shares (0 to 1) and mean
/// (scale units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CxDimension {
    /// The dimension's name.
    pub name: String,
    /// Its score in index points (net: −100..100; mean: 0..100).
    pub estimate: f64,
    /// Standard error in points (linearised).
    pub std_error: f64,
    /// Wald (delta-method) interval in points, clipped to the method's range.
    pub interval: Interval,
    /// Quality band of the score.
    pub band: Band,
    /// The dimension's weight in the overall index (normalised: the weights sum to 1).
    pub weight: f64,
    /// Respondents who answered it (and are counted).
    pub n: u64,
    /// Kish effective sample size of those respondents.
    pub effective_n: f64,
    /// Rows whose answer to it is missing.
    pub missing: u64,
    /// (Weighted) share in its top box, 0 to 1.
    pub top_share: f64,
    /// (Weighted) share in its bottom box, 0 to 1.
    pub bottom_share: f64,
    /// (Weighted) mean answer, in its scale's units.
    pub mean: f64,
}

impl fmt::Display for CxDimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:.1} ({}), {}, n={}",
            self.name,
            self.estimate,
            self.band,
            self.interval.ci(1),
            self.n
        )
    }
}

/// A CX index: the weighted average of the dimensions' scores in index points (net -100..100,
/// mean 0..100) with a delta-method standard error and Wald interval, its quality band, the
/// weakest dimension and every dimension's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CxIndex {
    /// The index in points: the weighted average of the dimensions' scores (net: −100..100;
    /// mean: 0..100).
    pub estimate: f64,
    /// Standard error in points (delta method over respondents; see [`cx_index`]).
    pub std_error: f64,
    /// Wald interval from the delta-method standard error, clipped to the method's range.
    pub interval: Interval,
    /// Quality band of the index.
    pub band: Band,
    /// The dimension with the lowest score (the first of equals).
    pub weakest: String,
    /// The method.
    pub method: CxMethod,
    /// Respondents counted: who answered at least one dimension (every one, under
    /// `require_all`).
    pub n: u64,
    /// Kish effective sample size of the respondents counted.
    pub effective_n: f64,
    /// Rows left out: no answer at all (or some answer missing, under `require_all`).
    pub missing: u64,
    /// Whether only respondents who answered every dimension were counted.
    pub require_all: bool,
    /// Every dimension, in order.
    pub dimensions: Vec<CxDimension>,
}

impl fmt::Display for CxIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CX index {:.1} ({}, {}), {}, n={}, weakest: {}",
            self.estimate,
            self.method,
            self.band,
            self.interval.ci(1),
            self.n,
            self.weakest
        )
    }
}

/// One dimension's point values, mean and linearisation pieces.
struct DimStats {
    /// The value of each scale point in index points.
    y: Vec<f64>,
    /// Weighted mean of `y`.
    ybar: f64,
    /// Total weight `W_k`.
    w: f64,
    /// `Σ wᵢ² (yᵢ − ȳ)²`.
    c: f64,
}

fn dim_stats(t: &Tally, name: &str, method: CxMethod) -> Result<DimStats> {
    let (n, w) = (t.n(), t.total_weight());
    if n == 0 || w <= 0.0 {
        // The message is only built on the error path.
        t.estimable(&format!("the CX index (dimension {name:?} has no answers)"))?;
    }
    let s = t.scale();
    let (lo, hi) = (f64::from(s.lowest()), f64::from(s.highest()));
    let y: Vec<f64> = (0..s.points())
        .map(|i| {
            let x = s.point(i);
            match method {
                CxMethod::Net if s.is_top_box(x) => 100.0,
                CxMethod::Net if s.is_bottom_box(x) => -100.0,
                CxMethod::Net => 0.0,
                CxMethod::Mean => 100.0 * (f64::from(x) - lo) / (hi - lo),
            }
        })
        .collect();
    let (min, max) = method.range();
    let ybar = (y.iter().zip(t.weights()).map(|(y, w)| y * w).sum::<f64>() / w).clamp(min, max);
    let c = y
        .iter()
        .zip(t.weights_sq())
        .map(|(y, q)| q * (y - ybar) * (y - ybar))
        .sum();
    if method == CxMethod::Mean && n < 2 {
        return Err(CxError::InsufficientData {
            what: format!("a standard error of the mean of dimension {name:?}"),
            needed: 2,
            got: n,
        });
    }
    Ok(DimStats { y, ybar, w, c })
}

/// The small-sample factor of the linearised variance: 1 for `net` (the Wald variance of the
/// NPS-style net score, as [`nps`](fn@crate::nps)), `n/(n−1)` for `mean` (as
/// [`mean`](crate::mean) and R survey's `svymean`).
fn small_sample_factor(method: CxMethod, n: u64) -> f64 {
    match method {
        CxMethod::Net => 1.0,
        CxMethod::Mean => n as f64 / (n as f64 - 1.0),
    }
}

/// Both bounds are clamped to the method's range: a weighted average of scores at −100 can
/// round to −100.00000000000001, and clipping only the lower bound then reversed the interval
/// (found by the `cx_index_values` fuzz target).
fn wald(estimate: f64, se: f64, z: f64, level: f64, method: CxMethod) -> Interval {
    let (lo, hi) = method.range();
    Interval {
        lower: (estimate - z * se).clamp(lo, hi),
        upper: (estimate + z * se).clamp(lo, hi),
        level,
        method: IntervalMethod::Wald,
    }
}

/// The CX index of a summary: each dimension's score, their weighted average, delta-method
/// standard errors and Wald intervals, quality bands and the weakest dimension.
///
/// # Formula
/// ```text
/// respondent i, weight wᵢ, answers xᵢₖ; aᵢₖ = 1 if i answered dimension k (and is counted)
/// net:   yᵢₖ = +100 in k's top box, −100 in its bottom box, 0 between
/// mean:  yᵢₖ = 100 · (xᵢₖ − lowestₖ) / (highestₖ − lowestₖ)
/// dimension k:  Wₖ = Σᵢ aᵢₖ wᵢ,   ȳₖ = Σᵢ aᵢₖ wᵢ yᵢₖ / Wₖ                 (its score)
/// index:        I = Σₖ dₖ ȳₖ,      dₖ = dim weight / Σ dim weights      (equal: 1/K)
///
/// delta method (Taylor linearisation of a weighted sum of ratio means):
/// influence     zᵢ = Σₖ dₖ aᵢₖ wᵢ (yᵢₖ − ȳₖ) / Wₖ
/// Var(I)      = c · Σᵢ zᵢ² = c · Σₖ Σₗ dₖ dₗ Cₖₗ / (Wₖ Wₗ),
///               Cₖₗ = Σᵢ aᵢₖ aᵢₗ wᵢ² (yᵢₖ − ȳₖ)(yᵢₗ − ȳₗ)
///               (Cₖₖ from dimension k's tally, Cₖₗ from the pair table of k and l)
/// Var(ȳₖ)     = cₖ · Cₖₖ / Wₖ²
/// c = 1 for net (the NPS Wald variance, as `nps`), n/(n − 1) for mean (as `mean` and
///     svymean), with n the respondents counted (nₖ for one dimension)
/// interval:     estimate ± z_{1−α/2} · SE, clipped to [−100, 100] (net) or [0, 100] (mean)
/// band:         the band of the estimate under `bands`; weakest: the lowest ȳₖ
/// ```
/// The cross terms `Cₖₗ` make the overall standard error account for the dimensions being
/// answered by the same respondents (positively correlated answers widen it, compared with
/// treating the dimensions as independent samples). A respondent who answered only some
/// dimensions contributes to those (`aᵢₖ`), so the formula holds under both missing-answer
/// rules. With every weight 1, `SE(ȳₖ)` under `net` equals [`nps`](fn@crate::nps)'s on the
/// dimension's tally, and under `mean` equals `100 / (highest − lowest)` times
/// [`mean`](crate::mean)'s.
///
/// Why the delta method and no bootstrap: resampling respondents needs their joint answers,
/// which a one-pass summary does not keep (the pair tables hold second moments, enough for the
/// variance but not for resampling); the linearised variance is exact for the variance of the
/// linear approximation, and the tests check it against a seeded bootstrap of raw respondents.
///
/// # Errors
/// [`CxError::EmptyInput`] when a dimension has no answer (or only zero weights);
/// [`CxError::InsufficientData`] for `mean` with a dimension answered once;
/// [`CxError::InvalidLevel`]; [`CxError::LengthMismatch`] / [`CxError::InvalidArgument`] for
/// dimension weights of the wrong length or value.
///
/// # Examples
/// The hand-worked example: six respondents on 1-5 (top box 4-5, bottom box 1-2), two missing
/// answers.
/// ```text
///        effectiveness  ease  emotion
/// r1          5          4       5
/// r2          4          2       3
/// r3          2          1       2
/// r4          5          5       4
/// r5          3          –       1
/// r6          4          4       –
/// net:  effectiveness (4 top − 1 bottom)/6 = +50,  ease (3 − 2)/5 = +20,  emotion (2 − 2)/5 = 0
///       index (50 + 20 + 0)/3 = 23.33 points: "very poor"; weakest: emotion
///       zᵢ · 100 = 14.78, −5.22, −23.00, 14.78, −9.44, 8.11  →  SE = √Σzᵢ² · 100 = 33.88
/// mean: effectiveness (23/6 − 1)/4 · 100 = 70.83, ease (3.2 − 1)/4 · 100 = 55, emotion 50
///       index 58.61 points: "very poor"
/// ```
/// ```
/// use cx_core::{cx_index, Band, CxMethod, CxOptions, CxSummary, Dimension};
/// let nan = f64::NAN;
/// let effectiveness = [5.0, 4.0, 2.0, 5.0, 3.0, 4.0];
/// let ease = [4.0, 2.0, 1.0, 5.0, nan, 4.0];
/// let emotion = [5.0, 3.0, 2.0, 4.0, 1.0, nan];
/// let s = CxSummary::from_columns(Dimension::defaults(), &[&effectiveness, &ease, &emotion], None, false)?;
/// let r = cx_index(&s, &CxOptions::default())?;
/// assert!((r.estimate - 70.0 / 3.0).abs() < 1e-12);
/// assert!((r.std_error - 33.882513061430735).abs() < 1e-9);
/// assert_eq!((r.band, r.weakest.as_str(), r.n), (Band::VeryPoor, "emotion", 6));
/// assert_eq!((r.dimensions[1].estimate, r.dimensions[1].n), (20.0, 5));
/// let m = cx_index(&s, &CxOptions { method: CxMethod::Mean, ..Default::default() })?;
/// assert!((m.estimate - 58.611111111111114).abs() < 1e-9);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// - Temkin, B. D. (2010). *The Customer Experience Index, 2010*. Forrester Research; Manning,
///   H. (2011). "Forrester's Customer Experience Index, 2011", Forrester blog: per question the
///   percentage of good experiences minus the percentage of bad ones, averaged over the three
///   questions (meeting needs, ease, enjoyability) — the `net` method.
/// - Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J., Bryant, B. E. (1996). The American
///   Customer Satisfaction Index: nature, purpose, and findings. *Journal of Marketing* 60(4),
///   7-18 (items rescaled to 0-100) — the `mean` method.
/// - Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed., Springer, ch. 6
///   (Taylor series linearisation); Lumley, T. (2010). *Complex Surveys: A Guide to Analysis
///   Using R*, Wiley, sections 2.2 and 3.2 (linearised variance of ratio means, `svymean`).
/// - Kish, L. (1965). *Survey Sampling*. Wiley (effective sample size).
pub fn cx_index(summary: &CxSummary, options: &CxOptions) -> Result<CxIndex> {
    options.validate()?;
    let dims = summary.dims();
    let k = dims.len();
    let d = options.dim_weights.resolve(k)?;
    let method = options.method;
    let stats = dims
        .iter()
        .zip(summary.tallies())
        .map(|(dim, t)| dim_stats(t, &dim.name, method))
        .collect::<Result<Vec<_>>>()?;
    if method == CxMethod::Mean && summary.n() < 2 {
        return Err(CxError::InsufficientData {
            what: "a standard error of the mean CX index".into(),
            needed: 2,
            got: summary.n(),
        });
    }
    let z = z_critical(options.level)?;
    let estimate: f64 = d.iter().zip(&stats).map(|(d, s)| d * s.ybar).sum();
    // Σₖ Σₗ dₖ dₗ Cₖₗ / (Wₖ Wₗ), the off-diagonal terms twice (Cₖₗ = Cₗₖ).
    let mut sum_z2: f64 = (0..k)
        .map(|a| d[a] * d[a] * stats[a].c / (stats[a].w * stats[a].w))
        .sum();
    for a in 0..k {
        for b in a + 1..k {
            if d[a] == 0.0 || d[b] == 0.0 {
                continue;
            }
            let (sa, sb) = (&stats[a], &stats[b]);
            let table = summary.pair(a, b);
            let cols = sb.y.len();
            let cross: f64 = table
                .iter()
                .enumerate()
                .filter(|(_, &q)| q != 0.0)
                .map(|(cell, &q)| q * (sa.y[cell / cols] - sa.ybar) * (sb.y[cell % cols] - sb.ybar))
                .sum();
            sum_z2 += 2.0 * d[a] * d[b] * cross / (sa.w * sb.w);
        }
    }
    // Σᵢ zᵢ² ≥ 0; rounding can leave a tiny negative when every answer is the same.
    let std_error = (small_sample_factor(method, summary.n()) * sum_z2.max(0.0)).sqrt();
    let dimensions: Vec<CxDimension> = dims
        .iter()
        .zip(summary.tallies())
        .zip(&stats)
        .zip(&d)
        .map(|(((dim, t), s), &weight)| {
            let se = (small_sample_factor(method, t.n()) * s.c).sqrt() / s.w;
            let scale = t.scale();
            let share = |r: std::ops::Range<usize>| t.weights()[r].iter().sum::<f64>() / s.w;
            let mean = (0..scale.points())
                .map(|i| f64::from(scale.point(i)) * t.weights()[i])
                .sum::<f64>()
                / s.w;
            CxDimension {
                name: dim.name.clone(),
                estimate: s.ybar,
                std_error: se,
                interval: wald(s.ybar, se, z, options.level, method),
                band: options.bands.band(s.ybar),
                weight,
                n: t.n(),
                effective_n: t.effective_n(),
                missing: t.missing(),
                top_share: share(scale.top_range()),
                bottom_share: share(scale.bottom_range()),
                mean,
            }
        })
        .collect();
    let weakest = dimensions
        .iter()
        .fold(
            &dimensions[0],
            |w, x| if x.estimate < w.estimate { x } else { w },
        )
        .name
        .clone();
    // Rounding in the weighted average must not leave the range (see `wald`).
    let estimate = estimate.clamp(method.range().0, method.range().1);
    Ok(CxIndex {
        estimate,
        std_error,
        interval: wald(estimate, std_error, z, options.level, method),
        band: options.bands.band(estimate),
        weakest,
        method,
        n: summary.n(),
        effective_n: summary.effective_n(),
        missing: summary.missing(),
        require_all: summary.require_all(),
        dimensions,
    })
}
