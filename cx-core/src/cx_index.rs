//! The CX index: experience quality across several dimensions (by default Forrester's
//! effectiveness, ease and emotion), each dimension's score, the weighted average over
//! dimensions with a delta-method interval that accounts for the dimensions being answered by
//! the same respondents, a quality band and the weakest dimension; by segment and by period
//! through the machinery of [`segment`](crate::segment).
//!
//! Everything is computed from a [`CxSummary`] built in one pass (see [`cx_index`] for the
//! formulas and their sources).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::{check_level, CxError, Result};
use crate::inference::{parse_method, z_critical, Adjust, Interval, IntervalMethod, DEFAULT_LEVEL};
use crate::segment::{
    segments_of, trend_of, Estimate, GroupEstimator, GroupStats, GroupSummary, SegmentRow,
    Significance, Test, TrendRow,
};
use crate::tally::Tally;

mod summary;

pub use summary::{
    dimension_index, CxSummary, Dimension, GroupedCxSummary, CX_SUMMARY_FORMAT, DEFAULT_DIMENSIONS,
};

/// How each dimension is scored before the (weighted) average over dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CxMethod {
    /// Top-box share minus bottom-box share, in points (−100 to 100): the method of Forrester's
    /// original Customer Experience Index (CxPi / CXi, 2007-2015). The default.
    #[default]
    Net,
    /// The mean rescaled to 0-100, `(x − lowest) / (highest − lowest) · 100`, as the ACSI
    /// rescales its items.
    Mean,
}

impl CxMethod {
    /// `"net"` or `"mean"`.
    pub fn name(self) -> &'static str {
        match self {
            CxMethod::Net => "net",
            CxMethod::Mean => "mean",
        }
    }

    /// The range of the index in points: −100..100 (net) or 0..100 (mean).
    pub fn range(self) -> (f64, f64) {
        match self {
            CxMethod::Net => (-100.0, 100.0),
            CxMethod::Mean => (0.0, 100.0),
        }
    }
}

impl FromStr for CxMethod {
    type Err = CxError;
    fn from_str(s: &str) -> Result<Self> {
        parse_method(
            "method",
            s,
            &[("net", CxMethod::Net), ("mean", CxMethod::Mean)],
        )
    }
}

impl fmt::Display for CxMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Weights computed elsewhere and handed to the CX index: the seam for key-driver weights.
///
/// The loyalty module's key-driver analysis (the importance of each dimension for a loyalty
/// outcome such as retention) produces one of these; the CX index only normalises and uses
/// the weights, so the analysis that derives them lives with the loyalty code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedWeights {
    /// One non-negative importance per dimension, in the dimensions' order (any scale: they
    /// are normalised to sum to 1).
    pub weights: Vec<f64>,
    /// What they were derived from, for reports (e.g. `"key drivers of retained"`).
    pub source: String,
}

/// The weights of the dimensions in the overall index (`dim_weights=` in the bindings).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "weights")]
pub enum DimWeights {
    /// Every dimension counts the same (Forrester's CxPi average of the three). The default.
    #[default]
    Equal,
    /// One non-negative weight per dimension, in the dimensions' order, normalised to sum 1.
    Given(Vec<f64>),
    /// Weights derived from a loyalty outcome by key-driver analysis, computed elsewhere.
    Derived(DerivedWeights),
}

impl DimWeights {
    /// Weights given by dimension name (every dimension named once).
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for an unknown or repeated name, or a dimension left out.
    ///
    /// # Examples
    /// ```
    /// use cx_core::{Dimension, DimWeights};
    /// let w = DimWeights::by_name(&Dimension::defaults(), &[("emotion", 2.0), ("ease", 1.0), ("effectiveness", 1.0)])?;
    /// assert_eq!(w, DimWeights::Given(vec![1.0, 1.0, 2.0]));
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn by_name(dims: &[Dimension], weights: &[(&str, f64)]) -> Result<DimWeights> {
        let mut out = vec![None; dims.len()];
        for &(name, w) in weights {
            let k = dimension_index(dims, name)?;
            if out[k].replace(w).is_some() {
                return Err(CxError::InvalidArgument {
                    name: "dim_weights",
                    value: format!("{name:?} twice"),
                    expected: "one weight per dimension".into(),
                });
            }
        }
        let missing: Vec<&str> = dims
            .iter()
            .zip(&out)
            .filter(|(_, w)| w.is_none())
            .map(|(d, _)| d.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(CxError::InvalidArgument {
                name: "dim_weights",
                value: format!("no weight for {missing:?}"),
                expected: "a weight for every dimension".into(),
            });
        }
        Ok(DimWeights::Given(out.into_iter().flatten().collect()))
    }

    /// The weights of `k` dimensions, normalised to sum to 1.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] (`dims` vs `dim_weights`) for a wrong number of weights;
    /// [`CxError::InvalidArgument`] for a negative or non-finite weight, or all zero.
    pub fn resolve(&self, k: usize) -> Result<Vec<f64>> {
        let given = match self {
            DimWeights::Equal => return Ok(vec![1.0 / k as f64; k]),
            DimWeights::Given(w) => w,
            DimWeights::Derived(d) => &d.weights,
        };
        if given.len() != k {
            return Err(CxError::LengthMismatch {
                left_name: "dims",
                left: k,
                right_name: "dim_weights",
                right: given.len(),
            });
        }
        if let Some((i, &w)) = given
            .iter()
            .enumerate()
            .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
        {
            return Err(CxError::InvalidArgument {
                name: "dim_weights",
                value: format!("{w} for dimension {}", i + 1),
                expected: "finite, non-negative weights".into(),
            });
        }
        let total: f64 = given.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err(CxError::InvalidArgument {
                name: "dim_weights",
                value: format!("{given:?}"),
                expected: "weights with a positive, finite sum".into(),
            });
        }
        Ok(given.iter().map(|w| w / total).collect())
    }
}

/// A quality band of a CX score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Band {
    /// Below the first cut-off.
    #[serde(rename = "very poor")]
    VeryPoor,
    /// From the first cut-off to below the second.
    #[serde(rename = "poor")]
    Poor,
    /// From the second cut-off to below the third.
    #[serde(rename = "okay")]
    Okay,
    /// From the third cut-off to below the fourth.
    #[serde(rename = "good")]
    Good,
    /// At or above the fourth cut-off.
    #[serde(rename = "excellent")]
    Excellent,
}

impl Band {
    /// `"very poor"`, `"poor"`, `"okay"`, `"good"` or `"excellent"`.
    pub fn label(self) -> &'static str {
        match self {
            Band::VeryPoor => "very poor",
            Band::Poor => "poor",
            Band::Okay => "okay",
            Band::Good => "good",
            Band::Excellent => "excellent",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// Cut-offs between the five quality bands (very poor, poor, okay, good, excellent), in index
/// points; a score at a cut-off belongs to the band above it.
///
/// # Defaults
/// `[55, 65, 75, 85]`: very poor below 55, poor 55 to 65, okay 65 to 75, good 75 to 85,
/// excellent 85 and above. These are cxkit's own documented convention, modelled on the five
/// quality labels Forrester attaches to CX Index scores (Temkin 2010, *The Customer Experience
/// Index, 2010*, where industry averages of 78-82 are "good" and 51 is "very poor"); Forrester's
/// exact cut-offs could not be verified from public sources, and they are a benchmark for
/// Forrester's own brand-level surveys. Set your own cut-offs wherever your benchmark differs
/// (the `mean` method, for one, gives higher numbers than `net` on the same answers).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "[f64; 4]", into = "[f64; 4]")]
pub struct Bands {
    cutoffs: [f64; 4],
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            cutoffs: [55.0, 65.0, 75.0, 85.0],
        }
    }
}

impl TryFrom<[f64; 4]> for Bands {
    type Error = CxError;
    fn try_from(c: [f64; 4]) -> Result<Self> {
        Bands::new(&c)
    }
}

impl From<Bands> for [f64; 4] {
    fn from(b: Bands) -> Self {
        b.cutoffs
    }
}

impl Bands {
    /// Bands from four finite, strictly increasing cut-offs.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] (`bands`) otherwise.
    ///
    /// # Examples
    /// ```
    /// use cx_core::{Band, Bands};
    /// let b = Bands::new(&[0.0, 20.0, 40.0, 60.0])?;
    /// assert_eq!((b.band(-5.0), b.band(0.0), b.band(20.0), b.band(60.0)), (Band::VeryPoor, Band::Poor, Band::Okay, Band::Excellent));
    /// assert!(Bands::new(&[0.0, 20.0, 20.0, 60.0]).is_err());
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn new(cutoffs: &[f64]) -> Result<Bands> {
        let ok = cutoffs.len() == 4
            && cutoffs.iter().all(|c| c.is_finite())
            && cutoffs.windows(2).all(|w| w[0] < w[1]);
        if !ok {
            return Err(CxError::InvalidArgument {
                name: "bands",
                value: format!("{cutoffs:?}"),
                expected: "four finite, strictly increasing cut-offs between very poor | poor | \
                           okay | good | excellent, e.g. [55, 65, 75, 85]"
                    .into(),
            });
        }
        Ok(Bands {
            cutoffs: [cutoffs[0], cutoffs[1], cutoffs[2], cutoffs[3]],
        })
    }

    /// The cut-offs.
    pub fn cutoffs(&self) -> [f64; 4] {
        self.cutoffs
    }

    /// The band of a score.
    pub fn band(&self, score: f64) -> Band {
        match self.cutoffs.iter().filter(|&&c| score >= c).count() {
            0 => Band::VeryPoor,
            1 => Band::Poor,
            2 => Band::Okay,
            3 => Band::Good,
            _ => Band::Excellent,
        }
    }
}

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

/// One dimension of a [`CxIndex`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
            "{} {:.1} ({}), {}% CI [{:.1}, {:.1}], n={}",
            self.name,
            self.estimate,
            self.band,
            self.interval.level * 100.0,
            self.interval.lower,
            self.interval.upper,
            self.n
        )
    }
}

/// The CX index of a [`CxSummary`]: the overall score with its interval, band and weakest
/// dimension, and every dimension's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
            "CX index {:.1} ({}, {}), {}% CI [{:.1}, {:.1}], n={}, weakest: {}",
            self.estimate,
            self.method,
            self.band,
            self.interval.level * 100.0,
            self.interval.lower,
            self.interval.upper,
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

/// `Ok(None)` for an index undefined for lack of answers (empty groups in tables).
fn defined(r: Result<CxIndex>) -> Result<Option<CxIndex>> {
    match r {
        Ok(x) => Ok(Some(x)),
        Err(CxError::EmptyInput { .. } | CxError::InsufficientData { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

impl GroupStats for CxSummary {
    fn n(&self) -> u64 {
        CxSummary::n(self)
    }
    fn effective_n(&self) -> f64 {
        CxSummary::effective_n(self)
    }
    fn missing(&self) -> u64 {
        CxSummary::missing(self)
    }
    fn merge_from(&mut self, other: &Self) -> Result<()> {
        self.merge(other)
    }
}

/// The CX index as the figure of segment and trend tables: compared with Wald z tests on the
/// delta-method standard errors.
impl GroupEstimator<CxSummary> for CxOptions {
    fn validate(&self) -> Result<()> {
        CxOptions::validate(self)
    }
    fn level(&self) -> f64 {
        self.level
    }
    fn test(&self) -> Test {
        Test::Z
    }
    fn estimate(&self, summary: &CxSummary) -> Result<Option<Estimate>> {
        Ok(defined(cx_index(summary, self))?.map(|r| Estimate {
            estimate: r.estimate,
            std_error: r.std_error,
            interval: r.interval,
        }))
    }
}

/// Options of [`cx_segments`]. Defaults: the default [`CxOptions`], `alpha` 0.05, Holm,
/// `min_base` 30, no reference group (as [`SegmentOptions`](crate::SegmentOptions)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxSegmentOptions {
    /// The index.
    pub index: CxOptions,
    /// Significance level of the flags.
    pub alpha: f64,
    /// P-value adjustment across groups.
    pub adjust: Adjust,
    /// Groups with fewer respondents are flagged `too_small` and not tested.
    pub min_base: u64,
    /// A group to compare every other group with, besides the rest.
    pub reference: Option<usize>,
}

impl Default for CxSegmentOptions {
    fn default() -> Self {
        CxSegmentOptions {
            index: CxOptions::default(),
            alpha: 0.05,
            adjust: Adjust::Holm,
            min_base: 30,
            reference: None,
        }
    }
}

/// One group of a CX segment table: the generic row (overall index, tests against the rest
/// and the reference) and the group's full index (dimensions, band, weakest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxSegmentRow {
    /// Group code, answers, the index with its interval, and the comparisons.
    #[serde(flatten)]
    pub row: SegmentRow,
    /// The group's index in full; `None` when undefined (a dimension without answers).
    pub index: Option<CxIndex>,
}

/// A CX segment table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxSegments {
    /// All groups together.
    pub overall: GroupSummary,
    /// The index of all groups together, in full.
    pub overall_index: Option<CxIndex>,
    /// One row per group, in code order.
    pub rows: Vec<CxSegmentRow>,
}

/// The CX index of each group, compared with the rest of the data (and optionally a reference
/// group), p-values adjusted across groups: [`segments_of`] on the groups' [`CxSummary`]s,
/// with Wald z tests on the delta-method standard errors of [`cx_index`].
///
/// # Formula
/// ```text
/// rest_g = merge of every other group's summary;  difference = I_g − I_rest
/// SE = √(SE_g² + SE_rest²),  z = difference / SE,  p = 2(1 − Φ(|z|))
/// p_adjusted: Holm or Benjamini-Hochberg over the groups tested (both sides ≥ min_base)
/// ```
///
/// # Errors
/// As [`cx_index`] for the options; [`CxError::InvalidArgument`] for `alpha`;
/// [`CxError::UnknownGroup`] for a reference code not below the number of groups.
///
/// # Examples
/// ```
/// use cx_core::{cx_segments, CxSegmentOptions, Dimension, GroupedCxSummary};
/// let groups: Vec<u32> = (0..200).map(|i| (i % 2) as u32).collect();
/// let good: Vec<f64> = (0..200).map(|i| if i % 2 == 0 { [5.0, 4.0, 4.0][i % 3] } else { [2.0, 4.0, 1.0][i % 3] }).collect();
/// let g = GroupedCxSummary::from_columns(Dimension::defaults(), &groups, 0, 2, &[&good, &good, &good], None, false)?;
/// let t = cx_segments(&g, &CxSegmentOptions::default())?;
/// let first = t.rows[0].row.vs_rest.as_ref().unwrap();
/// assert!(first.difference > 0.0 && first.significant);
/// assert_eq!(t.rows[1].index.as_ref().unwrap().band.label(), "very poor");
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn cx_segments(grouped: &GroupedCxSummary, options: &CxSegmentOptions) -> Result<CxSegments> {
    let table = segments_of(
        grouped.groups(),
        grouped.empty(),
        &options.index,
        &Significance {
            alpha: options.alpha,
            adjust: options.adjust,
            min_base: options.min_base,
        },
        options.reference,
    )?;
    let overall_index = defined(cx_index(&grouped.total(), &options.index))?;
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let index = defined(cx_index(grouped.group(row.group), &options.index))?;
            Ok(CxSegmentRow { row, index })
        })
        .collect::<Result<_>>()?;
    Ok(CxSegments {
        overall: table.overall,
        overall_index,
        rows,
    })
}

/// Options of [`cx_trend`]. Defaults: the default [`CxOptions`], `alpha` 0.05, Holm,
/// `min_base` 30, no rolling window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxTrendOptions {
    /// The index.
    pub index: CxOptions,
    /// Significance level of the change flags.
    pub alpha: f64,
    /// P-value adjustment across the period-over-period changes.
    pub adjust: Adjust,
    /// Periods with fewer respondents are flagged `too_small` and not tested.
    pub min_base: u64,
    /// Trailing window length in periods, or none.
    pub window: Option<usize>,
}

impl Default for CxTrendOptions {
    fn default() -> Self {
        CxTrendOptions {
            index: CxOptions::default(),
            alpha: 0.05,
            adjust: Adjust::Holm,
            min_base: 30,
            window: None,
        }
    }
}

/// One period of a CX trend: the generic row (index, change from the previous period, rolling
/// window) and the period's full index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxTrendRow {
    /// Period position, answers, the index with its interval, the change and the rolling window.
    #[serde(flatten)]
    pub row: TrendRow,
    /// The period's index in full; `None` when undefined.
    pub index: Option<CxIndex>,
}

/// The CX index over consecutive periods: [`trend_of`] on the periods' [`CxSummary`]s (empty
/// periods included), with the change from the previous period tested by a Wald z test and
/// rolling windows built by merging period summaries.
///
/// # Errors
/// As [`cx_segments`]; [`CxError::InvalidArgument`] for a window of 0.
///
/// # Examples
/// ```
/// use cx_core::{cx_trend, CxSummary, CxTrendOptions, Dimension};
/// let months: Vec<CxSummary> = [[5.0, 4.0, 2.0], [5.0, 5.0, 4.0]]
///     .iter()
///     .map(|m| CxSummary::from_columns(Dimension::defaults(), &[&m[..], &m[..], &m[..]], None, false))
///     .collect::<Result<_, _>>()?;
/// let rows = cx_trend(&months, &CxTrendOptions { min_base: 1, window: Some(2), ..Default::default() })?;
/// assert!((rows[1].row.summary.estimate.unwrap() - 100.0).abs() < 1e-12);
/// assert_eq!(rows[1].row.rolling.as_ref().unwrap().summary.n, 6);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn cx_trend(periods: &[CxSummary], options: &CxTrendOptions) -> Result<Vec<CxTrendRow>> {
    let rows = trend_of(
        periods,
        &options.index,
        &Significance {
            alpha: options.alpha,
            adjust: options.adjust,
            min_base: options.min_base,
        },
        options.window,
    )?;
    rows.into_iter()
        .map(|row| {
            let index = defined(cx_index(&periods[row.period], &options.index))?;
            Ok(CxTrendRow { row, index })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::Scale;

    #[test]
    fn weights_resolve_and_reject() {
        assert_eq!(DimWeights::Equal.resolve(4).unwrap(), vec![0.25; 4]);
        assert_eq!(
            DimWeights::Given(vec![1.0, 3.0]).resolve(2).unwrap(),
            vec![0.25, 0.75]
        );
        let e = DimWeights::Given(vec![1.0]).resolve(3).unwrap_err();
        assert_eq!(
            e,
            CxError::LengthMismatch {
                left_name: "dims",
                left: 3,
                right_name: "dim_weights",
                right: 1
            }
        );
        for bad in [vec![-1.0, 1.0], vec![f64::NAN, 1.0], vec![0.0, 0.0]] {
            assert_eq!(
                DimWeights::Given(bad).resolve(2).unwrap_err().code(),
                "invalid_argument"
            );
        }
        let derived = DimWeights::Derived(DerivedWeights {
            weights: vec![0.2, 0.2, 0.6],
            source: "key drivers of retained".into(),
        });
        assert!((derived.resolve(3).unwrap()[2] - 0.6).abs() < 1e-15);
        let dims = Dimension::defaults();
        assert_eq!(
            DimWeights::by_name(&dims, &[("emotio", 1.0)])
                .unwrap_err()
                .code(),
            "invalid_argument"
        );
        assert!(DimWeights::by_name(&dims, &[("ease", 1.0)]).is_err());
    }

    #[test]
    fn bands_cut_at_lower_bounds() {
        let b = Bands::default();
        assert_eq!(b.band(54.99), Band::VeryPoor);
        assert_eq!(b.band(55.0), Band::Poor);
        assert_eq!(b.band(74.9), Band::Okay);
        assert_eq!(b.band(75.0), Band::Good);
        assert_eq!(b.band(100.0), Band::Excellent);
        assert_eq!(b.band(-100.0), Band::VeryPoor);
        assert!(Bands::new(&[1.0, 2.0, 3.0]).is_err());
        assert!(Bands::new(&[1.0, 2.0, 3.0, f64::INFINITY]).is_err());
        assert!(Bands::new(&[4.0, 3.0, 2.0, 1.0]).is_err());
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, "[55.0,65.0,75.0,85.0]");
        assert!(serde_json::from_str::<Bands>("[3.0,2.0,1.0,0.0]").is_err());
        assert_eq!(
            serde_json::to_string(&Band::VeryPoor).unwrap(),
            "\"very poor\""
        );
    }

    #[test]
    fn empty_dimension_is_an_error_and_none_in_tables() {
        let nan = f64::NAN;
        let s = CxSummary::from_columns(
            Dimension::defaults(),
            &[&[5.0, 4.0][..], &[nan, nan], &[3.0, 2.0]],
            None,
            false,
        )
        .unwrap();
        let e = cx_index(&s, &CxOptions::default()).unwrap_err();
        assert_eq!(e.code(), "empty_input");
        assert!(e.to_string().contains("\"ease\""));
        assert!(GroupEstimator::estimate(&CxOptions::default(), &s)
            .unwrap()
            .is_none());
        let mean = CxOptions {
            method: CxMethod::Mean,
            ..Default::default()
        };
        let one = CxSummary::from_columns(
            vec![Dimension::new("x", Scale::agreement())],
            &[&[4.0][..]],
            None,
            false,
        )
        .unwrap();
        assert_eq!(
            cx_index(&one, &mean).unwrap_err().code(),
            "insufficient_data"
        );
        assert_eq!(
            cx_index(&one, &CxOptions::default()).unwrap().std_error,
            0.0
        );
    }
}
