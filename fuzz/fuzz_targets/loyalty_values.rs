//! Loyalty lift, mean lift and the loyalty curve from arbitrary groups, outcomes, ratings and
//! weights at any level.
#![no_main]
use cx_core::loyalty::{loyalty_curve, mean_lift, CurveTally, JointTally};
use cx_core::Exposure;
use cx_fuzz::{with_column, Column, Num, ScaleChoice, Weights};
#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    groups: Vec<u8>,
    outcome: Column,
    ratings: Column,
    scale: ScaleChoice,
    weights: Option<Weights>,
    level: Num,
}
libfuzzer_sys::fuzz_target!(|input: Input| {
    let level = input.level.get();
    let groups: Vec<Exposure> = input
        .groups
        .iter()
        .map(|g| match g % 4 {
            0 => Exposure::Exposed,
            1 => Exposure::Reference,
            2 => Exposure::Neither,
            _ => Exposure::Unknown,
        })
        .collect();
    let w = input.weights.as_ref().map(|w| w.fit(input.outcome.len()));
    match with_column!(&input.outcome, |v| JointTally::from_values(
        &groups,
        v,
        w.as_deref()
    )) {
        Ok(j) => {
            cx_fuzz::check_lift(&j, level);
            cx_fuzz::check_lift(&j, 0.95);
        }
        Err(e) => cx_fuzz::assert_clean_error(&e),
    }
    match mean_lift(&groups, &input.outcome.as_f64(), w.as_deref(), level) {
        Ok(m) => cx_fuzz::assert_all_finite(&m),
        Err(e) => cx_fuzz::assert_clean_error(&e),
    }
    let Ok(scale) = input.scale.get() else { return };
    let ratings = input.ratings.as_f64();
    match with_column!(&input.outcome, |v| CurveTally::from_values(
        scale,
        &ratings,
        v,
        w.as_deref()
    )) {
        Ok(c) => {
            cx_fuzz::check_curve(&c, level);
            let _ = loyalty_curve(&c, 0.5);
        }
        Err(e) => cx_fuzz::assert_clean_error(&e),
    }
});
