//! Net Promoter Score from a [`Tally`]: the score in points, the promoter / passive / detractor
//! split, the standard error, four kinds of confidence interval and the two-sample test.
//!
//! NPS is computed from any scale's boxes: on [`Scale::nps`](crate::Scale::nps) the promoters
//! are the top box (9-10) and the detractors the bottom box (0-6), which is Reichheld's
//! definition; on other scales the same arithmetic gives a "net top-box" score.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{check_level, CxError, Result};
use crate::inference::{
    bisect, quantile_sorted, two_sided_p, z_critical, Interval, IntervalMethod, DEFAULT_LEVEL,
};
use crate::tally::Tally;

/// How the NPS confidence interval is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NpsMethod {
    /// Wald after adding 0.75 detractors, 1.5 passives and 0.75 promoters (Rocks 2016): the
    /// default, since Rocks finds it and the score interval have coverage closest to nominal,
    /// and it needs no iteration.
    #[default]
    AdjustedWald,
    /// Estimate ± z·SE, the textbook interval (too narrow for small n or extreme scores).
    Wald,
    /// Tango's (1998) score interval, inverted with a bracketing root finder.
    Score,
    /// Percentile bootstrap from the multinomial of the observed shares, seeded.
    Bootstrap,
}

crate::choice! { NpsMethod, "method", {
    AdjustedWald => "adjusted-wald",
    Wald => "wald",
    Score => "score",
    Bootstrap => "bootstrap",
}}

impl From<NpsMethod> for IntervalMethod {
    fn from(m: NpsMethod) -> Self {
        match m {
            NpsMethod::AdjustedWald => IntervalMethod::AdjustedWald,
            NpsMethod::Wald => IntervalMethod::Wald,
            NpsMethod::Score => IntervalMethod::Score,
            NpsMethod::Bootstrap => IntervalMethod::Bootstrap,
        }
    }
}

crate::options! {
    /// Options of [`nps`]. `Default` gives the textbook choices: 95% level, adjusted Wald, and
    /// for the bootstrap 2,000 resamples with seed 0.
    #[derive(Copy)]
    pub struct NpsOptions {
        /// Confidence level, strictly between 0 and 1 (default 0.95).
        pub level: f64 = DEFAULT_LEVEL,
        /// Interval method (default "adjusted-wald": Rocks 2016, coverage close to nominal
        /// without iteration).
        pub method: NpsMethod = NpsMethod::AdjustedWald,
        /// Bootstrap resamples, at least 100 (default 2000; "bootstrap" only).
        pub resamples: u32 = 2000,
        /// Bootstrap seed, an integer >= 0 (default 0; "bootstrap" only).
        pub seed: u64 = 0,
    }
}

impl NpsOptions {
    /// Check the options without computing anything: a level strictly between 0 and 1, and at
    /// least 100 resamples for the bootstrap.
    ///
    /// # Errors
    /// [`CxError::InvalidLevel`], [`CxError::InvalidArgument`].
    pub fn validate(&self) -> Result<()> {
        check_level(self.level)?;
        if self.method == NpsMethod::Bootstrap && self.resamples < 100 {
            return Err(CxError::InvalidArgument {
                name: "resamples",
                value: self.resamples.to_string(),
                expected: "at least 100".into(),
            });
        }
        Ok(())
    }
}

/// A Net Promoter Score with its split, standard error and interval.
///
/// `estimate`, `std_error` and `interval` are in NPS points (−100 to 100); the shares are
/// fractions (0 to 1) and weighted when the tally is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Nps {
    /// NPS in points: 100 × (promoter share − detractor share).
    pub estimate: f64,
    /// Standard error in points (linearised; see [`nps`]).
    pub std_error: f64,
    /// Confidence interval in points.
    pub interval: Interval,
    /// Respondents in the top box (promoters).
    pub promoters: u64,
    /// Respondents between the boxes (passives).
    pub passives: u64,
    /// Respondents in the bottom box (detractors).
    pub detractors: u64,
    /// (Weighted) share of promoters, 0 to 1.
    pub promoter_share: f64,
    /// (Weighted) share of passives, 0 to 1.
    pub passive_share: f64,
    /// (Weighted) share of detractors, 0 to 1.
    pub detractor_share: f64,
    /// Non-missing answers.
    pub n: u64,
    /// Kish effective sample size (equals `n` when unweighted).
    pub effective_n: f64,
    /// Missing answers skipped.
    pub missing: u64,
}

impl fmt::Display for Nps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "NPS {:+.1} points, {} ({}), n={}, promoters {:.1}%, passives {:.1}%, detractors {:.1}%",
            self.estimate,
            self.interval.ci_signed(1),
            self.interval.method,
            self.n,
            self.promoter_share * 100.0,
            self.passive_share * 100.0,
            self.detractor_share * 100.0
        )
    }
}

/// The parts of a tally NPS needs, in shares.
struct Split {
    promoters: u64,
    passives: u64,
    detractors: u64,
    /// Weighted shares.
    p: f64,
    o: f64,
    d: f64,
    /// The score on the share scale, (W₊ − W₋) / W.
    score: f64,
    /// Linearised variance of the share-scale score (see [`nps`]).
    variance: f64,
    n: u64,
    effective_n: f64,
    missing: u64,
}

impl Split {
    fn of(t: &Tally) -> Result<Split> {
        let s = t.scale();
        let (top, bottom) = (s.top_range(), s.bottom_range());
        let mid = bottom.end..top.start;
        let sum_u = |r: std::ops::Range<usize>| t.counts()[r].iter().sum::<u64>();
        let sum_f = |v: &[f64], r: std::ops::Range<usize>| v[r].iter().sum::<f64>();
        let (n, _) = t.estimable("NPS")?;
        let (wp, wo, wd) = (
            sum_f(t.weights(), top.clone()),
            sum_f(t.weights(), mid.clone()),
            sum_f(t.weights(), bottom.clone()),
        );
        let w = wp + wo + wd;
        let (p, o, d) = (wp / w, wo / w, wd / w);
        // (W₊ − W₋) / W rather than p − d: the shares' rounding errors would dominate a score
        // near 0 from two nearly equal large sums (found by the hostile-input tests).
        let score = (wp - wd) / w;
        let (qp, qo, qd) = (
            sum_f(t.weights_sq(), top.clone()),
            sum_f(t.weights_sq(), mid.clone()),
            sum_f(t.weights_sq(), bottom.clone()),
        );
        let variance =
            (qp * (1.0 - score).powi(2) + qo * score * score + qd * (1.0 + score).powi(2))
                / (w * w);
        Ok(Split {
            promoters: sum_u(top),
            passives: sum_u(mid),
            detractors: sum_u(bottom),
            p,
            o,
            d,
            score,
            variance,
            n,
            effective_n: t.effective_n(),
            missing: t.missing(),
        })
    }
}

/// The Net Promoter Score of a tally, with standard error and confidence interval.
///
/// # Formula
/// ```text
/// yᵢ = +1 promoter, 0 passive, −1 detractor;  wᵢ weights (1 when unweighted)
/// W = Σ wᵢ,  p = Σ_promoters wᵢ / W,  d = Σ_detractors wᵢ / W
/// NPS = 100 · (p − d)                                          (points)
/// Var = Σ wᵢ² (yᵢ − (p − d))² / W²        (linearised variance of the weighted mean of y;
///                                           unweighted: (p + d − (p − d)²) / n)
/// SE  = 100 · √Var
/// n_eff = W² / Σ wᵢ²                       (Kish)
///
/// wald:          (p − d) ± z·√Var
/// adjusted-wald: p' = (p·n_eff + ¾)/(n_eff + 3),  d' = (d·n_eff + ¾)/(n_eff + 3)
///                (p' − d') ± z·√((p' + d' − (p' − d')²)/(n_eff + 3))
/// score:         {Δ : |p − d − Δ| ≤ z·√((2·d̃(Δ) + Δ(1 − Δ))/n_eff)}, where d̃(Δ) is the
///                restricted maximum-likelihood detractor share under p − d = Δ:
///                d̃ = (−B + √(B² + 8·n_eff·c·Δ(1 − Δ))) / (4·n_eff),
///                B = −(b + c) + (2·n_eff − b + c)·Δ,  b = p·n_eff,  c = d·n_eff;
///                both ends solved by bisection to full double precision
/// bootstrap:     percentile interval (type 7 quantiles) of (P* − D*)/m over `resamples` draws
///                (P*, O*, D*) ~ Multinomial(m; p, 1 − p − d, d),  m = round(n_eff), ChaCha8 seeded
/// ```
/// All four intervals are clipped to [−100, 100]. Weighted data: the Wald interval uses the
/// linearised variance; the other three treat the weighted shares as observed on `n_eff`
/// respondents (Kish's effective sample size), which reduces to the unweighted formulas when
/// every weight is 1.
///
/// # Errors
/// [`CxError::EmptyInput`] when there is no non-missing answer or every weight is zero;
/// [`CxError::InvalidLevel`]; [`CxError::InvalidArgument`] for fewer than 100 bootstrap resamples.
///
/// # Examples
/// Rocks (2016), worked example: 20 detractors, 30 passives, 50 promoters.
/// ```
/// use cx_core::{nps, NpsMethod, NpsOptions, Scale, Tally};
/// let scores: Vec<u8> = [vec![0u8; 20], vec![7; 30], vec![10; 50]].concat();
/// let t = Tally::from_values(Scale::nps(), &scores, None)?;
/// let r = nps(&t, &NpsOptions::default())?;            // adjusted Wald
/// assert!((r.estimate - 30.0).abs() < 1e-12);
/// assert!((r.interval.lower - 14.0511).abs() < 1e-4 && (r.interval.upper - 44.2013).abs() < 1e-4);
/// let wald = nps(&t, &NpsOptions { method: NpsMethod::Wald, ..Default::default() })?;
/// assert!((wald.interval.lower - 14.6922).abs() < 1e-4);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// - Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review* 81(12).
/// - Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American
///   Statistician* 70(4), 365-372 (adjusted Wald and iterative score intervals; R package NPS).
/// - Tango, T. (1998). Equivalence test and confidence interval for the difference in
///   proportions for the paired-sample design. *Statistics in Medicine* 17, 891-908.
/// - Kish, L. (1965). *Survey Sampling*. Wiley (effective sample size).
/// - Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed., ch. 6 (Taylor
///   linearisation of a ratio mean).
/// - Efron, B., Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, ch. 13
///   (percentile interval).
pub fn nps(tally: &Tally, options: &NpsOptions) -> Result<Nps> {
    options.validate()?;
    let s = Split::of(tally)?;
    let z = z_critical(options.level)?;
    let score = s.score;
    let se = s.variance.sqrt();
    let (lower, upper) = match options.method {
        NpsMethod::Wald => (score - z * se, score + z * se),
        NpsMethod::AdjustedWald => adjusted_wald(s.p, s.d, s.effective_n, z),
        NpsMethod::Score => score_interval(s.p, s.d, s.effective_n, z),
        NpsMethod::Bootstrap => bootstrap(&s, options)?,
    };
    let interval = Interval {
        lower: lower.max(-1.0),
        upper: upper.min(1.0),
        level: options.level,
        method: options.method.into(),
    }
    .scaled(100.0);
    Ok(Nps {
        estimate: 100.0 * score,
        std_error: 100.0 * se,
        interval,
        promoters: s.promoters,
        passives: s.passives,
        detractors: s.detractors,
        promoter_share: s.p,
        passive_share: s.o,
        detractor_share: s.d,
        n: s.n,
        effective_n: s.effective_n,
        missing: s.missing,
    })
}

/// Rocks' (2016) adjusted Wald interval on shares: Wald after 0.75 detractors, 1.5 passives and
/// 0.75 promoters are added to `n` respondents.
fn adjusted_wald(p: f64, d: f64, n: f64, z: f64) -> (f64, f64) {
    let m = n + 3.0;
    let pa = (p * n + 0.75) / m;
    let da = (d * n + 0.75) / m;
    let centre = pa - da;
    let half = z * ((pa + da - centre * centre) / m).sqrt();
    (centre - half, centre + half)
}

/// Tango's (1998) score interval for the difference of two cell shares of one multinomial,
/// applied to promoters minus detractors (the form used by Rocks 2016).
fn score_interval(p: f64, d: f64, n: f64, z: f64) -> (f64, f64) {
    let (b, c) = (p * n, d * n);
    let est = p - d;
    // Score statistic at Δ: positive below the estimate, negative above it.
    let stat = |delta: f64| -> f64 {
        let bb = -(b + c) + (2.0 * n - b + c) * delta;
        let d_tilde = (-bb
            + (bb * bb + 8.0 * n * c * delta * (1.0 - delta))
                .max(0.0)
                .sqrt())
            / (4.0 * n);
        let var = (2.0 * d_tilde + delta * (1.0 - delta)) / n;
        (est - delta) / var.max(0.0).sqrt()
    };
    // The statistic tends to ±∞ at Δ = ∓1 unless the estimate sits at that end.
    let lower = if est <= -1.0 {
        -1.0
    } else {
        bisect(|x| stat(x) - z, -1.0, est)
    };
    let upper = if est >= 1.0 {
        1.0
    } else {
        bisect(|x| stat(x) + z, est, 1.0)
    };
    (lower, upper)
}

/// Percentile bootstrap interval of the share-scale score from the multinomial of the shares.
/// Percentile bootstrap (options already validated by [`nps`]).
fn bootstrap(s: &Split, o: &NpsOptions) -> Result<(f64, f64)> {
    let m = (s.effective_n.round() as u64).max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
    let promoters = Binomial::new(m, s.p.clamp(0.0, 1.0)).expect("share is a probability");
    let not_promoter = 1.0 - s.p;
    let d_given_not_p = if not_promoter > 0.0 {
        (s.d / not_promoter).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut draws: Vec<f64> = (0..o.resamples)
        .map(|_| {
            let pp = promoters.sample(&mut rng);
            let dd = Binomial::new(m - pp, d_given_not_p)
                .expect("share is a probability")
                .sample(&mut rng);
            (pp as f64 - dd as f64) / m as f64
        })
        .collect();
    draws.sort_by(f64::total_cmp);
    let alpha = 1.0 - o.level;
    Ok((
        quantile_sorted(&draws, alpha / 2.0),
        quantile_sorted(&draws, 1.0 - alpha / 2.0),
    ))
}

/// The difference of two independent Net Promoter Scores with its test.
///
/// `estimate`, `std_error` and `interval` are in NPS points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NpsDifference {
    /// NPS of the first sample minus NPS of the second, in points.
    pub estimate: f64,
    /// Standard error of the difference, in points.
    pub std_error: f64,
    /// Wald interval of the difference, in points.
    pub interval: Interval,
    /// z statistic, `estimate / std_error`.
    pub z: f64,
    /// Two-sided p-value of H0: equal NPS.
    pub p_value: f64,
    /// NPS of the first sample, in points.
    pub nps_a: f64,
    /// NPS of the second sample, in points.
    pub nps_b: f64,
    /// Non-missing answers in the first sample.
    pub n_a: u64,
    /// Non-missing answers in the second sample.
    pub n_b: u64,
}

impl fmt::Display for NpsDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "NPS difference {:+.1} points ({:+.1} vs {:+.1}), SE {:.2}, {}, z={:.3}, p={:.4}",
            self.estimate,
            self.nps_a,
            self.nps_b,
            self.std_error,
            self.interval.ci_signed(1),
            self.z,
            self.p_value
        )
    }
}

/// The difference between the NPS of two independent samples, with a Wald z-test.
///
/// # Formula
/// ```text
/// Δ  = NPS_a − NPS_b
/// SE = √(SE_a² + SE_b²)             (each the linearised SE of [`nps`])
/// z  = Δ / SE,   p = 2·(1 − Φ(|z|)),   interval Δ ± z_{1−α/2}·SE
/// ```
///
/// # Errors
/// [`CxError::ScaleMismatch`] when the tallies are on different scales; [`CxError::EmptyInput`]
/// as [`nps`]; [`CxError::ZeroVariance`] when both samples have zero variance (every answer in
/// the same category), where the test is undefined; [`CxError::InvalidLevel`].
///
/// # Examples
/// Rocks (2016): (20, 30, 50) against (30, 30, 40) detractors, passives, promoters.
/// ```
/// use cx_core::{nps_difference, Scale, Tally};
/// let a: Vec<u8> = [vec![0u8; 20], vec![7; 30], vec![10; 50]].concat();
/// let b: Vec<u8> = [vec![0u8; 30], vec![7; 30], vec![10; 40]].concat();
/// let (a, b) = (Tally::from_values(Scale::nps(), &a, None)?, Tally::from_values(Scale::nps(), &b, None)?);
/// let d = nps_difference(&a, &b, 0.95)?;
/// assert!((d.estimate - 20.0).abs() < 1e-12);
/// assert!((d.std_error - 11.40175).abs() < 1e-5);
/// assert!((d.z - 1.75412).abs() < 1e-5 && (d.p_value - 0.07941).abs() < 1e-5);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Rocks, B. (2016), section 2; the two-sample test of the R package NPS (`nps_test`).
pub fn nps_difference(a: &Tally, b: &Tally, level: f64) -> Result<NpsDifference> {
    check_level(level)?;
    a.scale().ensure_same(&b.scale())?;
    let (sa, sb) = (Split::of(a)?, Split::of(b)?);
    let z_crit = z_critical(level)?;
    let estimate = (sa.p - sa.d) - (sb.p - sb.d);
    let se = (sa.variance + sb.variance).sqrt();
    if se == 0.0 {
        return Err(CxError::ZeroVariance {
            what: "both samples have every answer in one category, so the NPS difference \
                   has no standard error and no test"
                .into(),
        });
    }
    let z = estimate / se;
    Ok(NpsDifference {
        estimate: 100.0 * estimate,
        std_error: 100.0 * se,
        interval: Interval {
            lower: estimate - z_crit * se,
            upper: estimate + z_crit * se,
            level,
            method: IntervalMethod::Wald,
        }
        .scaled(100.0),
        z,
        p_value: two_sided_p(z),
        nps_a: 100.0 * (sa.p - sa.d),
        nps_b: 100.0 * (sb.p - sb.d),
        n_a: sa.n,
        n_b: sb.n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scale;

    fn counts(d: usize, o: usize, p: usize) -> Tally {
        let v: Vec<u8> = [vec![3u8; d], vec![8; o], vec![9; p]].concat();
        Tally::from_values(Scale::nps(), &v, None).unwrap()
    }

    fn with(method: NpsMethod) -> NpsOptions {
        NpsOptions {
            method,
            ..Default::default()
        }
    }

    /// Worked example of the issue / Rocks (2016): 20, 30, 50 at 95%.
    #[test]
    fn rocks_worked_example() {
        let t = counts(20, 30, 50);
        let close = |a: f64, b: f64| (a - b).abs() < 5e-5;
        let w = nps(&t, &with(NpsMethod::Wald)).unwrap();
        assert!(close(w.estimate, 30.0));
        assert!(close(w.interval.lower, 14.6922) && close(w.interval.upper, 45.3078));
        let a = nps(&t, &with(NpsMethod::AdjustedWald)).unwrap();
        assert!(close(a.interval.lower, 14.0511) && close(a.interval.upper, 44.2013));
        let s = nps(&t, &with(NpsMethod::Score)).unwrap();
        assert!(close(s.interval.lower, 13.9551) && close(s.interval.upper, 44.3393));
        assert_eq!(
            (w.promoters, w.passives, w.detractors, w.n),
            (50, 30, 20, 100)
        );
        assert_eq!(w.effective_n, 100.0);
    }

    /// The score interval's ends are where the score statistic equals ±z, to full precision.
    #[test]
    fn score_interval_ends_solve_the_score_equation() {
        for (d, o, p) in [(20, 30, 50), (1, 2, 97), (0, 0, 10), (5, 0, 0), (3, 90, 7)] {
            let t = counts(d, o, p);
            let r = nps(&t, &with(NpsMethod::Score)).unwrap();
            let n = (d + o + p) as f64;
            let (b, c) = (p as f64, d as f64);
            let est = (b - c) / n;
            let z = 1.959963984540054;
            for (delta, sign) in [
                (r.interval.lower / 100.0, 1.0),
                (r.interval.upper / 100.0, -1.0),
            ] {
                if delta.abs() >= 1.0 - 1e-12 {
                    continue;
                }
                // Independent form of the restricted MLE: root of 2n x² − (b + c + (b − c − 2n)Δ) x − cΔ(1 − Δ).
                let (qa, qb, qc) = (
                    2.0 * n,
                    -(b + c + (b - c - 2.0 * n) * delta),
                    -c * delta * (1.0 - delta),
                );
                let x = (-qb + (qb * qb - 4.0 * qa * qc).sqrt()) / (2.0 * qa);
                let stat = (est - delta) / ((2.0 * x + delta * (1.0 - delta)) / n).sqrt();
                assert!((stat - sign * z).abs() < 1e-7, "{d} {o} {p}: {stat}");
            }
        }
    }

    #[test]
    fn difference_worked_example() {
        let r = nps_difference(&counts(20, 30, 50), &counts(30, 30, 40), 0.95).unwrap();
        assert!((r.estimate - 20.0).abs() < 1e-12);
        assert!((r.std_error - 11.40175425).abs() < 1e-7);
        assert!((r.z - 1.754116).abs() < 1e-6);
        assert!((r.p_value - 0.07941062599894225).abs() < 1e-14);
        assert_eq!((r.n_a, r.n_b), (100, 100));
    }

    #[test]
    fn degenerate_cases() {
        let all_promoters = counts(0, 0, 10);
        for m in [
            NpsMethod::Wald,
            NpsMethod::AdjustedWald,
            NpsMethod::Score,
            NpsMethod::Bootstrap,
        ] {
            let r = nps(&all_promoters, &with(m)).unwrap();
            assert_eq!(r.estimate, 100.0);
            assert!(r.interval.upper <= 100.0 && r.interval.lower >= -100.0);
            assert!(r.interval.lower.is_finite());
        }
        let e = nps_difference(&all_promoters, &all_promoters, 0.95).unwrap_err();
        assert_eq!(e.code(), "zero_variance");
        let empty = Tally::from_values(Scale::nps(), &[f64::NAN], None).unwrap();
        assert_eq!(
            nps(&empty, &NpsOptions::default()).unwrap_err().code(),
            "empty_input"
        );
        let zero_w = Tally::from_values(Scale::nps(), &[9.0], Some(&[0.0])).unwrap();
        assert_eq!(
            nps(&zero_w, &NpsOptions::default()).unwrap_err().code(),
            "empty_input"
        );
        let bad = NpsOptions {
            level: 1.5,
            ..Default::default()
        };
        assert_eq!(
            nps(&counts(1, 1, 1), &bad).unwrap_err().code(),
            "invalid_level"
        );
        let few = NpsOptions {
            method: NpsMethod::Bootstrap,
            resamples: 10,
            ..Default::default()
        };
        assert_eq!(
            nps(&counts(1, 1, 1), &few).unwrap_err().code(),
            "invalid_argument"
        );
    }

    #[test]
    fn bootstrap_is_seeded_and_close_to_wald_for_large_n() {
        let t = counts(2000, 3000, 5000);
        let o = NpsOptions {
            method: NpsMethod::Bootstrap,
            seed: 7,
            ..Default::default()
        };
        let a = nps(&t, &o).unwrap();
        assert_eq!(a, nps(&t, &o).unwrap());
        let other = nps(&t, &NpsOptions { seed: 8, ..o }).unwrap();
        assert_ne!(a.interval, other.interval);
        let w = nps(&t, &with(NpsMethod::Wald)).unwrap();
        // Wald half-width is 1.53 points at n = 10,000; 2,000 percentile draws estimate each end
        // to within about 0.1 point.
        assert!((a.interval.lower - w.interval.lower).abs() < 0.25);
        assert!((a.interval.upper - w.interval.upper).abs() < 0.25);
    }

    #[test]
    fn methods_parse() {
        assert_eq!(
            "adjusted_wald".parse::<NpsMethod>().unwrap(),
            NpsMethod::AdjustedWald
        );
        assert_eq!("Score".parse::<NpsMethod>().unwrap(), NpsMethod::Score);
        assert_eq!(
            "x".parse::<NpsMethod>().unwrap_err().code(),
            "invalid_argument"
        );
    }
}
