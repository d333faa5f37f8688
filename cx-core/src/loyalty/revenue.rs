//! [`revenue_impact`]: the change in retained customers and revenue if a share of the
//! reference group moved to another group.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::lift::group_rate;
use super::{Exposure, JointTally};
use crate::error::{check_level, CxError, Result};
use crate::inference::{z_critical, Interval, IntervalMethod};

/// Customers in the base, by group (e.g. promoters, passives and detractors among all active
/// customers). Counts, not shares; fractional counts (estimates) are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerBase {
    /// Customers in the exposed group (promoters).
    pub exposed: f64,
    /// Customers in the reference group (detractors).
    pub reference: f64,
    /// Customers in neither group (passives).
    pub neither: f64,
}

impl CustomerBase {
    /// A base of `total` customers split in the survey's weighted proportions of the three
    /// groups (respondents with a group and an outcome): `N_g = total · W_g / Σ W`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a negative or non-finite total;
    /// [`CxError::EmptyInput`] when no respondent has a group and an outcome.
    ///
    /// # Examples
    /// ```
    /// use cx_core::loyalty::{exposure_from_masks, CustomerBase, JointTally};
    /// let j = JointTally::from_values(&exposure_from_masks(&[1u8, 0, 0, 0], None)?, &[1u8, 0, 1, 0], None)?;
    /// let base = CustomerBase::from_total(1000.0, &j)?;
    /// assert_eq!((base.exposed, base.reference, base.neither), (250.0, 750.0, 0.0));
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn from_total(total: f64, joint: &JointTally) -> Result<CustomerBase> {
        check_amount("customers", total)?;
        let w = |g: Exposure| joint.tally(g).total_weight();
        let (e, r, n) = (
            w(Exposure::Exposed),
            w(Exposure::Reference),
            w(Exposure::Neither),
        );
        let all = e + r + n;
        if all <= 0.0 {
            return Err(CxError::empty(
                "no respondent with a group and an outcome to split the customer base by",
            ));
        }
        Ok(CustomerBase {
            exposed: total * e / all,
            reference: total * r / all,
            neither: total * n / all,
        })
    }
}

/// Where the moved share of the reference group goes in a [`revenue_impact`] scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MoveTo {
    /// To the exposed group (detractors become promoters).
    #[default]
    Exposed,
    /// To neither group (detractors become passives).
    Neither,
}

crate::choice! { MoveTo, "to", {
    Exposed => "promoters" | "exposed" | "top-box",
    Neither => "passives" | "neither" | "middle",
}}

/// The scenario of [`revenue_impact`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Share of the reference group (detractors) that moves, 0..=1.
    pub share: f64,
    /// Where they move.
    pub to: MoveTo,
    /// Revenue per retained customer, in the caller's money unit (≥ 0).
    pub revenue_per_customer: f64,
    /// Confidence level.
    pub level: f64,
}

impl Default for Scenario {
    /// 10% of detractors become promoters, revenue 1 per customer (so revenue equals
    /// customers), 95% level.
    fn default() -> Self {
        Scenario {
            share: 0.1,
            to: MoveTo::Exposed,
            revenue_per_customer: 1.0,
            level: crate::inference::DEFAULT_LEVEL,
        }
    }
}

/// A projected quantity with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Projection {
    /// The expected value (customers, or money in the caller's unit).
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Its interval.
    pub interval: Interval,
}

impl fmt::Display for Projection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2} ({})", self.estimate, self.interval.ci(2))
    }
}

/// The projected effect of moving a share of detractors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RevenueImpact {
    /// Customers moved: `share × base.reference`.
    pub moved_customers: f64,
    /// Outcome rate of the group they leave (reference), 0..1.
    pub rate_from: f64,
    /// Outcome rate of the group they join, 0..1.
    pub rate_to: f64,
    /// Expected customers with the outcome (retained) in the base today, `Σ N_g · r_g`.
    pub baseline_retained: Projection,
    /// Change in expected retained customers under the scenario.
    pub retained_change: Projection,
    /// Change in revenue under the scenario, in the caller's money unit.
    pub revenue_change: Projection,
}

impl fmt::Display for RevenueImpact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.1} customers move (rate {:.1}% -> {:.1}%): retained change {}, revenue change {}",
            self.moved_customers,
            100.0 * self.rate_from,
            100.0 * self.rate_to,
            self.retained_change,
            self.revenue_change
        )
    }
}

fn check_amount(name: &'static str, x: f64) -> Result<()> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(CxError::InvalidArgument {
            name,
            value: format!("{x}"),
            expected: "a finite number >= 0".into(),
        })
    }
}

/// The expected change in retained customers and revenue if a share of the reference group
/// (detractors) had the outcome rate of the exposed group (promoters) or of neither
/// (passives), from the measured rates of a [`JointTally`] and the size of the customer base.
///
/// # Formula
/// ```text
/// r_g   outcome rate of group g (exposed, reference, neither) from the joint tally
/// N_g   customers of group g in the base;  s = share moved;  R = revenue per customer
/// baseline retained   B = Σ_g N_g · r_g,  SE² = Σ_g N_g² · r_g(1 − r_g)/n_eff,g
///                     (Wald interval; groups are independent samples)
/// retained change     ΔC = s · N_ref · (r_to − r_ref)
///                     interval: s · N_ref × the Newcombe (1998) hybrid score interval of
///                     r_to − r_ref (exact rescaling: no further approximation)
///                     SE: s · N_ref × √(r_to(1 − r_to)/n_to + r_ref(1 − r_ref)/n_ref)
/// revenue change      ΔRev = R · ΔC, interval R × that of ΔC
/// ```
/// The uncertainty carried is that of the measured rates (sampling error of the survey); the
/// customer counts and revenue per customer are taken as known. The model assumes that a moved
/// customer takes on the outcome rate of the group it joins (the measured association is
/// causal and transfers), which is the usual what-if reading of a loyalty lift.
///
/// # Errors
/// [`CxError::InvalidArgument`] for a share outside 0..=1, or a negative or non-finite
/// customer count or revenue; [`CxError::EmptyInput`] when a group with customers in the base
/// (or the group moved to) has no respondent with an outcome; [`CxError::InvalidLevel`].
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_labels, revenue_impact, CustomerBase, JointTally, Scenario};
/// let cats = [Some("p"), Some("p"), Some("p"), Some("p"), Some("d"), Some("d"), Some("d"), Some("d")];
/// let groups = exposure_from_labels(&cats, &["p"], Some(&["d"]))?;
/// let j = JointTally::from_values(&groups, &[1u8, 1, 1, 0, 1, 0, 0, 0], None)?;
/// let base = CustomerBase { exposed: 5000.0, reference: 2000.0, neither: 0.0 };
/// let s = Scenario { share: 0.1, revenue_per_customer: 100.0, ..Scenario::default() };
/// let r = revenue_impact(&j, &base, &s)?;
/// // 200 detractors move from a 25% to a 75% rate: 100 more retained, 10,000 more revenue
/// assert!((r.retained_change.estimate - 100.0).abs() < 1e-9);
/// assert!((r.revenue_change.estimate - 10_000.0).abs() < 1e-6);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Newcombe (1998), see [`loyalty_lift`](super::loyalty_lift); Reichheld, F. F. (2003). The
/// one number you need to grow. *Harvard Business Review* 81(12) (the promoter/detractor
/// economics this models).
pub fn revenue_impact(
    joint: &JointTally,
    base: &CustomerBase,
    scenario: &Scenario,
) -> Result<RevenueImpact> {
    check_level(scenario.level)?;
    if !(0.0..=1.0).contains(&scenario.share) {
        return Err(CxError::InvalidArgument {
            name: "share",
            value: format!("{}", scenario.share),
            expected: "a share of the reference group between 0 and 1".into(),
        });
    }
    check_amount("revenue_per_customer", scenario.revenue_per_customer)?;
    check_amount("customers.exposed", base.exposed)?;
    check_amount("customers.reference", base.reference)?;
    check_amount("customers.neither", base.neither)?;
    let level = scenario.level;
    let z = z_critical(level)?;
    let to_group = match scenario.to {
        MoveTo::Exposed => Exposure::Exposed,
        MoveTo::Neither => Exposure::Neither,
    };
    let rate = |g: Exposure, name: &str| group_rate(&joint.tally(g), name, level);
    let from = rate(Exposure::Reference, "reference")?;
    let to = rate(
        to_group,
        if to_group == Exposure::Exposed {
            "exposed"
        } else {
            "neither"
        },
    )?;

    let mut b = 0.0;
    let mut var = 0.0;
    for (g, count, name) in [
        (Exposure::Exposed, base.exposed, "exposed"),
        (Exposure::Reference, base.reference, "reference"),
        (Exposure::Neither, base.neither, "neither"),
    ] {
        if count > 0.0 {
            let r = rate(g, name)?;
            b += count * r.estimate;
            var += count * count * r.estimate * (1.0 - r.estimate) / r.effective_n;
        }
    }
    let se_b = var.sqrt();
    let baseline_retained = Projection {
        estimate: b,
        std_error: se_b,
        interval: Interval {
            lower: (b - z * se_b).max(0.0),
            upper: b + z * se_b,
            level,
            method: IntervalMethod::Wald,
        },
    };

    let moved = scenario.share * base.reference;
    let (p1, p2) = (to.estimate, from.estimate);
    let (l1, u1) = (to.interval.lower, to.interval.upper);
    let (l2, u2) = (from.interval.lower, from.interval.upper);
    let rd = p1 - p2;
    let rd_lower = rd - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let rd_upper = rd + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    let rd_se = (p1 * (1.0 - p1) / to.effective_n + p2 * (1.0 - p2) / from.effective_n).sqrt();
    let scaled = |factor: f64| Projection {
        estimate: factor * rd,
        std_error: factor * rd_se,
        interval: Interval {
            lower: factor * rd_lower.max(-1.0),
            upper: factor * rd_upper.min(1.0),
            level,
            method: IntervalMethod::NewcombeHybrid,
        },
    };
    Ok(RevenueImpact {
        moved_customers: moved,
        rate_from: p2,
        rate_to: p1,
        baseline_retained,
        retained_change: scaled(moved),
        revenue_change: scaled(moved * scenario.revenue_per_customer),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loyalty::{exposure_from_labels, loyalty_lift};

    #[test]
    fn revenue_scenario() {
        let labels: Vec<Option<&str>> = [
            vec![Some("p"); 50],
            vec![Some("o"); 30],
            vec![Some("d"); 20],
        ]
        .concat();
        let groups = exposure_from_labels(&labels, &["p"], Some(&["d"])).unwrap();
        let y: Vec<u8> = (0..100)
            .map(|i| u8::from(i < 45 || (50..74).contains(&i) || (80..90).contains(&i)))
            .collect();
        let j = JointTally::from_values(&groups, &y, None).unwrap();
        let base = CustomerBase {
            exposed: 500.0,
            neither: 300.0,
            reference: 200.0,
        };
        let s = Scenario {
            share: 0.25,
            to: MoveTo::Neither,
            revenue_per_customer: 80.0,
            level: 0.95,
        };
        let r = revenue_impact(&j, &base, &s).unwrap();
        // rates: promoters 0.9, passives 0.8, detractors 0.5
        assert!((r.baseline_retained.estimate - (450.0 + 240.0 + 100.0)).abs() < 1e-9);
        assert!((r.retained_change.estimate - 0.25 * 200.0 * 0.3).abs() < 1e-9);
        assert!((r.revenue_change.estimate - 80.0 * 15.0).abs() < 1e-6);
        // the interval is the Newcombe interval of the rate difference, rescaled
        let rd = {
            let mut groups = vec![Exposure::Exposed; 30];
            groups.extend(vec![Exposure::Reference; 20]);
            let yy: Vec<u8> = y[50..100].to_vec();
            loyalty_lift(&JointTally::from_values(&groups, &yy, None).unwrap(), 0.95)
                .unwrap()
                .risk_difference
        };
        assert!((r.retained_change.interval.lower - 50.0 * rd.interval.lower).abs() < 1e-9);
        assert!((r.revenue_change.interval.upper - 4000.0 * rd.interval.upper).abs() < 1e-6);
        let bad = Scenario { share: 1.5, ..s };
        assert_eq!(
            revenue_impact(&j, &base, &bad).unwrap_err().code(),
            "invalid_argument"
        );
        let bad_base = CustomerBase {
            exposed: -1.0,
            ..base
        };
        assert_eq!(
            revenue_impact(&j, &bad_base, &s).unwrap_err().code(),
            "invalid_argument"
        );
        let no_neither = JointTally::from_values(&groups[..50], &y[..50], None).unwrap();
        assert_eq!(
            revenue_impact(&no_neither, &base, &s).unwrap_err().code(),
            "empty_input"
        );
        assert_eq!("passives".parse::<MoveTo>().unwrap(), MoveTo::Neither);
    }
}
