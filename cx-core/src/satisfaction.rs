//! Box shares (top box, bottom box, CSAT), means (CES and any scale) and distributions from a
//! [`Tally`].

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::fmt;

use crate::error::{check_level, CxError, Result};
use crate::inference::{
    proportion_interval, Interval, IntervalMethod, ProportionMethod, DEFAULT_LEVEL,
};
use crate::tally::Tally;

crate::options! {
    /// Options of [`top_box`], [`bottom_box`] and [`csat`]: 95% Wilson by default.
    #[derive(Copy)]
    pub struct ProportionOptions {
        /// Confidence level, strictly between 0 and 1 (default 0.95).
        pub level: f64 = DEFAULT_LEVEL,
        /// Interval method (default "wilson": Brown, Cai and DasGupta 2001).
        pub method: ProportionMethod = ProportionMethod::Wilson,
    }
}

/// A share of respondents (top box, bottom box, CSAT) with its interval. Shares are fractions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Proportion {
    /// The (weighted) share, 0 to 1.
    pub estimate: f64,
    /// Linearised standard error of the share (unweighted: √(p(1 − p)/n)).
    pub std_error: f64,
    /// Confidence interval of the share.
    pub interval: Interval,
    /// Respondents in the box.
    pub count: u64,
    /// Non-missing answers.
    pub n: u64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Missing answers skipped.
    pub missing: u64,
}

impl fmt::Display for Proportion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.1}% ({}, {}), {} of n={}",
            self.estimate * 100.0,
            self.interval.ci_percent(1),
            self.interval.method,
            self.count,
            self.n
        )
    }
}

/// Which box a share counts.
#[derive(Clone, Copy)]
enum Box_ {
    Top,
    Bottom,
}

fn box_share(t: &Tally, which: Box_, o: &ProportionOptions) -> Result<Proportion> {
    check_level(o.level)?;
    let s = t.scale();
    let range = match which {
        Box_::Top => s.top_range(),
        Box_::Bottom => s.bottom_range(),
    };
    let (n, w) = t.estimable("a share")?;
    let w_in: f64 = t.weights()[range.clone()].iter().sum();
    let q_in: f64 = t.weights_sq()[range.clone()].iter().sum();
    let q_all: f64 = t.weights_sq().iter().sum();
    let p = w_in / w;
    let variance = (q_in * (1.0 - p).powi(2) + (q_all - q_in) * p * p) / (w * w);
    let std_error = variance.max(0.0).sqrt();
    let n_eff = t.effective_n();
    let interval = proportion_interval(p * n_eff, n_eff, std_error, o.level, o.method)?;
    Ok(Proportion {
        estimate: p,
        std_error,
        interval,
        count: t.counts()[range].iter().sum(),
        n,
        effective_n: n_eff,
        missing: t.missing(),
    })
}

/// The share of answers in the top box (`top_box_min..=highest`), with a confidence interval.
///
/// # Formula
/// ```text
/// p  = Σ_{i in box} wᵢ / Σ wᵢ
/// SE = √(Σ wᵢ² (yᵢ − p)²) / Σ wᵢ,  yᵢ = 1 in the box, 0 outside  (unweighted: √(p(1−p)/n))
/// interval: the chosen proportion method (default Wilson) on x = p·n_eff successes out of
///           n_eff = (Σ wᵢ)² / Σ wᵢ² (Kish), the effective-sample-size approach for weighted
///           shares; the Wald interval uses SE
/// ```
///
/// # Errors
/// [`CxError::EmptyInput`] with no non-missing answer or zero total weight;
/// [`CxError::InvalidLevel`].
///
/// # Examples
/// ```
/// use cx_core::{top_box, ProportionOptions, Scale, Tally};
/// let t = Tally::from_values(Scale::csat(), &[5u8, 4, 4, 3, 1, 5, 2, 4], None)?;
/// let r = top_box(&t, &ProportionOptions::default())?;
/// assert_eq!((r.count, r.n), (5, 8));
/// assert!((r.estimate - 0.625).abs() < 1e-15);
/// // Wilson 95% for 5 of 8, worked by hand from the formula above: [0.30574, 0.86316]
/// assert!((r.interval.lower - 0.30574).abs() < 1e-4 && (r.interval.upper - 0.86316).abs() < 1e-4);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// - Wilson (1927); Brown, Cai, DasGupta (2001), see [`crate::inference`].
/// - Kish, L. (1965). *Survey Sampling*; Dean, N., Pagano, M. (2015). Evaluating confidence
///   interval methods for binomial proportions in clustered surveys. *Journal of Survey
///   Statistics and Methodology* 3, 484-503 (effective-sample-size intervals).
pub fn top_box(tally: &Tally, options: &ProportionOptions) -> Result<Proportion> {
    box_share(tally, Box_::Top, options)
}

/// The share of answers in the bottom box (`lowest..=bottom_box_max`): formula, errors and
/// interval as [`top_box`].
///
/// # Examples
/// ```
/// use cx_core::{bottom_box, ProportionOptions, Scale, Tally};
/// let t = Tally::from_values(Scale::nps(), &[0u8, 6, 7, 9, 10], None)?;
/// let detractors = bottom_box(&t, &ProportionOptions::default())?;
/// assert_eq!(detractors.count, 2);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn bottom_box(tally: &Tally, options: &ProportionOptions) -> Result<Proportion> {
    box_share(tally, Box_::Bottom, options)
}

/// Customer satisfaction (CSAT): the share of satisfied customers, i.e. the top box of the
/// tally's scale (4-5 on [`Scale::csat`](crate::Scale::csat)). Same as [`top_box`].
///
/// # Examples
/// ```
/// use cx_core::{csat, ProportionOptions, Scale, Tally};
/// let t = Tally::from_values(Scale::csat(), &[5.0, 4.0, 3.0, f64::NAN], None)?;
/// let r = csat(&t, &ProportionOptions::default())?;
/// assert!((r.estimate - 2.0 / 3.0).abs() < 1e-15);
/// assert_eq!(r.missing, 1);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// American Customer Satisfaction Index methodology; the top-2-box convention on five-point
/// satisfaction scales (e.g. Hayes, B. E. (2008). *Measuring Customer Satisfaction and
/// Loyalty*, 3rd ed., ASQ Quality Press).
pub fn csat(tally: &Tally, options: &ProportionOptions) -> Result<Proportion> {
    top_box(tally, options)
}

/// A mean rating with its Student-t interval. In the scale's units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Mean {
    /// (Weighted) mean rating.
    pub estimate: f64,
    /// Standard error of the mean.
    pub std_error: f64,
    /// (Weighted) sample standard deviation of the ratings.
    pub std_dev: f64,
    /// Student-t interval with n − 1 degrees of freedom, clipped to the scale.
    pub interval: Interval,
    /// Non-missing answers.
    pub n: u64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Missing answers skipped.
    pub missing: u64,
}

impl fmt::Display for Mean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mean {:.3} ({}), SD {:.3}, n={}",
            self.estimate,
            self.interval.ci(3),
            self.std_dev,
            self.n
        )
    }
}

/// The mean rating with standard error and Student-t interval (CES and any scale).
///
/// # Formula
/// ```text
/// x̄   = Σ wᵢ xᵢ / W,   W = Σ wᵢ
/// SE² = n/(n−1) · Σ wᵢ² (xᵢ − x̄)² / W²       (linearised, with the usual n/(n−1) factor as in
///                                              R survey's svymean; unweighted: s²/n)
/// SD  = √(n/(n−1) · Σ wᵢ (xᵢ − x̄)² / W)       (unweighted: the sample standard deviation)
/// interval: x̄ ± t_{n−1, 1−α/2} · SE, clipped to [lowest, highest] of the scale (a mean
///           rating cannot lie outside it)
/// ```
///
/// # Errors
/// [`CxError::EmptyInput`] with no non-missing answer or zero total weight;
/// [`CxError::InsufficientData`] with fewer than two answers (no standard error);
/// [`CxError::InvalidLevel`].
///
/// # Examples
/// ```
/// use cx_core::{mean, Scale, Tally};
/// let t = Tally::from_values(Scale::ces(), &[7u8, 6, 5, 5, 3], None)?;
/// let m = mean(&t, 0.95)?;
/// assert!((m.estimate - 5.2).abs() < 1e-15);
/// // s² = (3.24 + 0.64 + 0.04 + 0.04 + 4.84) / 4 = 2.2;  t(4, 0.975) = 2.776445
/// assert!((m.std_dev - 2.2f64.sqrt()).abs() < 1e-14);
/// assert!((m.interval.lower - (5.2 - 2.776445105197793 * (2.2f64 / 5.0).sqrt())).abs() < 1e-12);
/// assert_eq!(m.interval.upper, 7.0);  // 7.04 clipped to the top of the scale
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// - Student (1908). The probable error of a mean. *Biometrika* 6, 1-25.
/// - Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, section 2.2
///   (linearised variance of a weighted mean).
pub fn mean(tally: &Tally, level: f64) -> Result<Mean> {
    check_level(level)?;
    let (n, w) = tally.estimable("a mean")?;
    if n < 2 {
        return Err(CxError::InsufficientData {
            what: "a mean with a standard error".into(),
            needed: 2,
            got: n,
        });
    }
    let s = tally.scale();
    let points = (0..s.points()).map(|i| f64::from(s.point(i)));
    let estimate = points
        .clone()
        .zip(tally.weights())
        .map(|(x, &wk)| wk * x)
        .sum::<f64>()
        / w;
    let (mut ss_w, mut ss_w2) = (0.0, 0.0);
    for ((x, &wk), &qk) in points.zip(tally.weights()).zip(tally.weights_sq()) {
        let dev2 = (x - estimate) * (x - estimate);
        ss_w += wk * dev2;
        ss_w2 += qk * dev2;
    }
    let nf = n as f64;
    let factor = nf / (nf - 1.0);
    let std_error = (factor * ss_w2 / (w * w)).sqrt();
    let std_dev = (factor * ss_w / w).sqrt();
    let t = StudentsT::new(0.0, 1.0, nf - 1.0)
        .expect("degrees of freedom are positive")
        .inverse_cdf(1.0 - (1.0 - level) / 2.0);
    Ok(Mean {
        estimate,
        std_error,
        std_dev,
        interval: Interval {
            lower: (estimate - t * std_error).max(f64::from(s.lowest())),
            upper: (estimate + t * std_error).min(f64::from(s.highest())),
            level,
            method: IntervalMethod::StudentT,
        },
        n,
        effective_n: tally.effective_n(),
        missing: tally.missing(),
    })
}

/// Customer effort score (CES): the mean rating of the tally, as [`mean`]. On the CES 2.0
/// 1-7 agreement scale ([`Scale::ces`](crate::Scale::ces)) higher means easier.
///
/// # Examples
/// ```
/// use cx_core::{ces, Scale, Tally};
/// let t = Tally::from_values(Scale::ces(), &[7u8, 6, 5], None)?;
/// assert!((ces(&t, 0.95)?.estimate - 6.0).abs() < 1e-15);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Dixon, M., Freeman, K., Toman, N. (2010). Stop trying to delight your customers. *Harvard
/// Business Review* 88(7/8); Dixon, Toman, DeLisi (2013), *The Effortless Experience* (CES 2.0).
pub fn ces(tally: &Tally, level: f64) -> Result<Mean> {
    mean(tally, level)
}

/// One point of a [`Distribution`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PointShare {
    /// The scale point.
    pub point: i32,
    /// Respondents who chose it.
    pub count: u64,
    /// Sum of their weights (equal to `count` when unweighted).
    pub weight: f64,
    /// (Weighted) share of all non-missing answers, 0 to 1.
    pub share: f64,
}

impl fmt::Display for PointShare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({:.1}%)",
            self.point,
            self.count,
            self.share * 100.0
        )
    }
}

/// The full distribution of a rating item: count, weight and share per point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Distribution {
    /// One entry per scale point, lowest first (points nobody chose included, with zeros).
    pub points: Vec<PointShare>,
    /// Non-missing answers.
    pub n: u64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Missing answers skipped.
    pub missing: u64,
}

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "distribution (n={}):", self.n)?;
        for p in &self.points {
            write!(f, " {}: {:.1}%", p.point, p.share * 100.0)?;
        }
        Ok(())
    }
}

/// The share and count of every point of the scale.
///
/// # Formula
/// ```text
/// share_k = Σ_{i: xᵢ = k} wᵢ / Σ wᵢ
/// ```
///
/// # Errors
/// [`CxError::EmptyInput`] with no non-missing answer or zero total weight.
///
/// # Examples
/// ```
/// use cx_core::{distribution, Scale, Tally};
/// let t = Tally::from_values(Scale::csat(), &[5u8, 5, 4, 1], None)?;
/// let d = distribution(&t)?;
/// let shares: Vec<f64> = d.points.iter().map(|p| p.share).collect();
/// assert_eq!(shares, vec![0.25, 0.0, 0.0, 0.25, 0.5]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn distribution(tally: &Tally) -> Result<Distribution> {
    let (_, w) = tally.estimable("a distribution")?;
    let s = tally.scale();
    let points = (0..s.points())
        .map(|i| PointShare {
            point: s.point(i),
            count: tally.counts()[i],
            weight: tally.weights()[i],
            share: tally.weights()[i] / w,
        })
        .collect();
    Ok(Distribution {
        points,
        n: tally.n(),
        effective_n: tally.effective_n(),
        missing: tally.missing(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scale;

    #[test]
    fn weighted_top_box_matches_per_respondent_sums() {
        let values = [5.0, 4.0, 1.0, 3.0, 5.0, 2.0];
        let weights = [1.5, 0.5, 2.0, 1.0, 0.25, 3.0];
        let t = Tally::from_values(Scale::csat(), &values, Some(&weights)).unwrap();
        let r = top_box(&t, &ProportionOptions::default()).unwrap();
        let w: f64 = weights.iter().sum();
        let p = (1.5 + 0.5 + 0.25) / w;
        let ss: f64 = values
            .iter()
            .zip(&weights)
            .map(|(&x, &wi)| {
                let y = if x >= 4.0 { 1.0 } else { 0.0 };
                wi * wi * (y - p) * (y - p)
            })
            .sum();
        assert!((r.estimate - p).abs() < 1e-15);
        assert!((r.std_error - ss.sqrt() / w).abs() < 1e-15);
        let neff = w * w / weights.iter().map(|x| x * x).sum::<f64>();
        assert!((r.effective_n - neff).abs() < 1e-12);
    }

    #[test]
    fn mean_errors() {
        let one = Tally::from_values(Scale::ces(), &[4u8], None).unwrap();
        assert_eq!(mean(&one, 0.95).unwrap_err().code(), "insufficient_data");
        let none = Tally::new(Scale::ces());
        assert_eq!(mean(&none, 0.95).unwrap_err().code(), "empty_input");
        assert_eq!(distribution(&none).unwrap_err().code(), "empty_input");
        assert_eq!(
            top_box(&none, &ProportionOptions::default())
                .unwrap_err()
                .code(),
            "empty_input"
        );
        let two = Tally::from_values(Scale::ces(), &[4u8, 5], None).unwrap();
        assert_eq!(mean(&two, 0.0).unwrap_err().code(), "invalid_level");
    }

    #[test]
    fn constant_answers_give_zero_width() {
        let t = Tally::from_values(Scale::ces(), &[6u8; 10], None).unwrap();
        let m = mean(&t, 0.95).unwrap();
        assert_eq!(
            (m.estimate, m.std_error, m.interval.width()),
            (6.0, 0.0, 0.0)
        );
    }
}
