//! Loyalty lift: how much more often customers with a better experience show a loyalty
//! behaviour (retained, bought more, recommended), what that is worth, and where loyalty breaks
//! on a rating scale.
//!
//! # Overview
//! - [`Exposure`] puts every respondent in the **exposed** group (e.g. promoters), the
//!   **reference** group (e.g. detractors), **neither** (passives) or **unknown** (no rating).
//!   The groups come from a rating ([`ExposureRule`]: top box vs bottom box by default, i.e.
//!   promoters vs detractors on the NPS scale; a top box vs the rest; any point ranges), from
//!   boolean masks ([`exposure_from_masks`]) or from labels such as CX-index bands
//!   ([`exposure_from_labels`]); [`ExposureGroups`] is the one type for the three, which
//!   every entry point of the contract reads its groups into.
//! - [`JointTally`] is the one-pass summary of exposure × a 0/1 outcome: per group and outcome
//!   the count, the sum of weights and the sum of squared weights, plus missing outcomes. It
//!   merges like a [`Tally`] and serialises to JSON.
//! - [`loyalty_lift`] reports both rates (Wilson), the risk ratio (Katz log interval), the risk
//!   difference (Newcombe hybrid score interval) and the odds ratio (Woolf logit interval), each
//!   with a two-sided p-value. [`mean_lift`] does the same for a continuous outcome (spend):
//!   the difference of means (Welch) and the ratio of means (delta method on the log scale).
//! - [`CurveTally`] and [`loyalty_curve`]: the outcome rate at every point of a rating scale.
//! - [`revenue_impact`]: the change in retained customers and revenue if a share of the
//!   reference group (detractors) moved to the exposed group or to neither.
//!
//! # Outcomes
//! A loyalty outcome is read on the two-point scale 0..=1: `0`/`1` (or `false`/`true`), NaN is
//! a missing outcome (skipped and counted in the group's `missing`); anything else is a
//! [`CxError::OutOfScale`] or [`CxError::NonInteger`] error naming the index and the value.
//!
//! # Weighted data
//! Rates are weighted shares; every interval and test treats them as observed on the group's
//! Kish effective sample size `n_eff = (Σ wᵢ)² / Σ wᵢ²`, as the rest of cxkit does: the
//! effective counts are `x = p · n_eff` successes out of `n_eff`. With every weight 1 the
//! summary, and so every result, is bit-identical to the unweighted one.
//!
//! [`Tally`]: crate::tally::Tally
//! [`CxError::OutOfScale`]: crate::error::CxError::OutOfScale
//! [`CxError::NonInteger`]: crate::error::CxError::NonInteger

use crate::scale::Scale;

mod bytes;
mod curve;
mod exposure;
mod groups;
mod joint;
mod lift;
mod mean_lift;
mod revenue;

pub use curve::{loyalty_curve, CurvePoint, CurveTally, LoyaltyCurve, CURVE_FORMAT};
pub use exposure::{
    exposure_from_labels, exposure_from_masks, Exposure, ExposureRule, Side, SideName,
};
pub use groups::ExposureGroups;
pub use joint::{JointTally, JOINT_FORMAT};
pub use lift::{loyalty_lift, Effect, Lift};
pub use mean_lift::{mean_lift, GroupMean, MeanLift};
pub use revenue::{revenue_impact, CustomerBase, MoveTo, Projection, RevenueImpact, Scenario};

/// The scale of a loyalty outcome: 0 (no) and 1 (yes), the top box being 1.
pub fn outcome_scale() -> Scale {
    Scale::with_boxes(0, 1, 1, 0).expect("0..=1 with boxes {1} and {0} is a valid scale")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CxError;

    #[test]
    fn errors() {
        let groups = exposure_from_masks(&[1u8, 1], None).unwrap();
        let j = JointTally::from_values(&groups, &[1u8, 0], None).unwrap();
        let e = loyalty_lift(&j, 0.95).unwrap_err();
        assert_eq!(e.code(), "empty_input");
        assert!(e.to_string().contains("reference group"));
        let e = JointTally::from_values(&groups, &[1u8, 2], None).unwrap_err();
        assert_eq!(
            e,
            CxError::OutOfScale {
                index: 1,
                value: 2.0,
                lowest: 0,
                highest: 1
            }
        );
        let e = JointTally::from_values(&groups, &[1.0, 0.5], None).unwrap_err();
        assert_eq!(e.code(), "non_integer");
        let e = JointTally::from_values(&groups, &[1.0], None).unwrap_err();
        assert_eq!(e.code(), "length_mismatch");
        assert_eq!(loyalty_lift(&j, 1.5).unwrap_err().code(), "invalid_level");
        let e = exposure_from_masks(&[1u8, 0], Some(&[1u8, 1])).unwrap_err();
        assert!(e.to_string().contains("index 0"));
        let e = exposure_from_masks(&[1u8, 3], None).unwrap_err();
        assert_eq!(e.code(), "out_of_scale");
        let rule = ExposureRule {
            exposed: Side::Points {
                lowest: 6,
                highest: 10,
            },
            reference: Side::BottomBox,
        };
        assert!(rule
            .groups(Scale::nps())
            .unwrap_err()
            .to_string()
            .contains("both contain 6"));
        let rule = ExposureRule {
            exposed: Side::Points {
                lowest: 9,
                highest: 11,
            },
            reference: Side::Rest,
        };
        assert_eq!(
            rule.groups(Scale::nps()).unwrap_err().code(),
            "invalid_argument"
        );
        let rule = ExposureRule {
            exposed: Side::Rest,
            reference: Side::Rest,
        };
        assert_eq!(
            rule.groups(Scale::nps()).unwrap_err().code(),
            "invalid_argument"
        );
        assert_eq!(
            "promoter".parse::<Side>().unwrap_err().code(),
            "invalid_argument"
        );
        let e = exposure_from_labels(&[Some("a")], &["a"], Some(&["a"])).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        let e = exposure_from_labels::<&str>(&[Some("a")], &[], None).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
    }
}
