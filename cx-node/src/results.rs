//! Plain-object results, field for field the result structs of cx-core (camelCase in JS).
//!
//! Counts are `u64` in cx-core and JS numbers here (exact up to 2^53).

use napi_derive::napi;

/// A confidence interval: bounds in the unit of its estimate, the level and the method.
#[napi(object, object_from_js = false)]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Confidence level, e.g. 0.95.
    pub level: f64,
    /// How the interval was computed.
    #[napi(
        ts_type = "'wald' | 'adjusted-wald' | 'score' | 'bootstrap' | 'wilson' | 'agresti-coull' | 'clopper-pearson' | 'jeffreys' | 'student-t' | 'katz-log' | 'woolf-logit' | 'newcombe-hybrid' | 'delta-log'"
    )]
    pub method: String,
}

impl From<cx_core::Interval> for Interval {
    fn from(i: cx_core::Interval) -> Self {
        Interval {
            lower: i.lower,
            upper: i.upper,
            level: i.level,
            method: i.method.name().to_string(),
        }
    }
}

/// A Net Promoter Score. `estimate`, `stdError` and `interval` are in NPS points (-100 to 100);
/// the shares are fractions (0 to 1), weighted when weights were given.
#[napi(object, object_from_js = false)]
pub struct Nps {
    /// NPS in points: 100 × (promoter share − detractor share), -100 to 100.
    pub estimate: f64,
    /// Standard error in points (linearised).
    pub std_error: f64,
    /// Confidence interval in points, clipped to [-100, 100].
    pub interval: Interval,
    /// Respondents in the top box (promoters, 9-10 on the NPS scale).
    pub promoters: f64,
    /// Respondents between the boxes (passives, 7-8).
    pub passives: f64,
    /// Respondents in the bottom box (detractors, 0-6).
    pub detractors: f64,
    /// (Weighted) share of promoters, 0 to 1.
    pub promoter_share: f64,
    /// (Weighted) share of passives, 0 to 1.
    pub passive_share: f64,
    /// (Weighted) share of detractors, 0 to 1.
    pub detractor_share: f64,
    /// Non-missing answers.
    pub n: f64,
    /// Kish effective sample size (equals `n` when unweighted).
    pub effective_n: f64,
    /// Missing answers skipped.
    pub missing: f64,
}

impl From<cx_core::Nps> for Nps {
    fn from(r: cx_core::Nps) -> Self {
        Nps {
            estimate: r.estimate,
            std_error: r.std_error,
            interval: r.interval.into(),
            promoters: r.promoters as f64,
            passives: r.passives as f64,
            detractors: r.detractors as f64,
            promoter_share: r.promoter_share,
            passive_share: r.passive_share,
            detractor_share: r.detractor_share,
            n: r.n as f64,
            effective_n: r.effective_n,
            missing: r.missing as f64,
        }
    }
}

/// A share of respondents (top box, bottom box, CSAT). `estimate`, `stdError` and `interval`
/// are fractions (0 to 1), not percentages.
#[napi(object, object_from_js = false)]
pub struct Proportion {
    /// The (weighted) share, 0 to 1.
    pub estimate: f64,
    /// Linearised standard error of the share (unweighted: √(p(1 − p)/n)).
    pub std_error: f64,
    /// Confidence interval of the share, 0 to 1.
    pub interval: Interval,
    /// Respondents in the box.
    pub count: f64,
    /// Non-missing answers.
    pub n: f64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Missing answers skipped.
    pub missing: f64,
}

impl From<cx_core::Proportion> for Proportion {
    fn from(r: cx_core::Proportion) -> Self {
        Proportion {
            estimate: r.estimate,
            std_error: r.std_error,
            interval: r.interval.into(),
            count: r.count as f64,
            n: r.n as f64,
            effective_n: r.effective_n,
            missing: r.missing as f64,
        }
    }
}

/// A rating scale: integer points `lowest..=highest`, top box `topBoxMin..=highest`, bottom
/// box `lowest..=bottomBoxMax`.
#[napi(object, object_from_js = false, js_name = "Scale")]
pub struct ScaleInfo {
    /// Lowest point.
    pub lowest: i32,
    /// Highest point.
    pub highest: i32,
    /// Smallest point of the top box.
    pub top_box_min: i32,
    /// Largest point of the bottom box.
    pub bottom_box_max: i32,
}

impl From<cx_core::Scale> for ScaleInfo {
    fn from(s: cx_core::Scale) -> Self {
        ScaleInfo {
            lowest: s.lowest(),
            highest: s.highest(),
            top_box_min: s.top_box_min(),
            bottom_box_max: s.bottom_box_max(),
        }
    }
}
