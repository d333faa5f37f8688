//! Property tests of the compact bytes of every summary beyond the tally (CX summary `CXCS`,
//! loyalty joint tally `CXJT` and curve tally `CXCV`, activity summary `CXAC`): bytes
//! round-trip to an equal summary, merging read-back bytes equals merging the summaries, and
//! truncated or bit-flipped bytes are an `unreadable_summary` error, never a panic.

use cx_core::loyalty::{exposure_from_masks, CurveTally, JointTally};
use cx_core::retention::Activity;
use cx_core::{CxError, CxSummary, Dimension, Freq, Scale};
use proptest::prelude::*;

/// Rows of (a 1..=5 answer or NaN) x 3 dimensions and a dyadic weight (exact sums).
fn cx_rows() -> impl Strategy<Value = Vec<([f64; 3], f64)>> {
    let answer = prop_oneof![4 => (1i32..=5).prop_map(f64::from), 1 => Just(f64::NAN)];
    prop::collection::vec(
        (
            [answer.clone(), answer.clone(), answer],
            (0u32..8).prop_map(|w| f64::from(w) / 4.0),
        ),
        0..60,
    )
}

fn cx(rows: &[([f64; 3], f64)], require_all: bool) -> CxSummary {
    let col = |k: usize| rows.iter().map(|r| r.0[k]).collect::<Vec<_>>();
    let w: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let (a, b, c) = (col(0), col(1), col(2));
    CxSummary::from_columns(Dimension::defaults(), &[&a, &b, &c], Some(&w), require_all).unwrap()
}

/// Rows of (rating 0..=10 or NaN, outcome 0/1 or NaN, exposure mask, reference mask, weight).
fn loyalty_rows() -> impl Strategy<Value = Vec<(f64, f64, u8, u8, f64)>> {
    prop::collection::vec(
        (
            prop_oneof![9 => (0i32..=10).prop_map(f64::from), 1 => Just(f64::NAN)],
            prop_oneof![9 => (0i32..=1).prop_map(f64::from), 1 => Just(f64::NAN)],
            0u8..=1,
            0u8..=1,
            (1u32..8).prop_map(|w| f64::from(w) / 2.0),
        ),
        0..80,
    )
}

fn joint(rows: &[(f64, f64, u8, u8, f64)]) -> JointTally {
    let exposed: Vec<u8> = rows.iter().map(|r| r.2).collect();
    let reference: Vec<u8> = rows.iter().map(|r| r.3 & !r.2 & 1).collect();
    let groups = exposure_from_masks(&exposed, Some(&reference)).unwrap();
    let y: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let w: Vec<f64> = rows.iter().map(|r| r.4).collect();
    JointTally::from_values(&groups, &y, Some(&w)).unwrap()
}

fn curve(rows: &[(f64, f64, u8, u8, f64)]) -> CurveTally {
    let r: Vec<f64> = rows.iter().map(|r| r.0).collect();
    let y: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let w: Vec<f64> = rows.iter().map(|r| r.4).collect();
    CurveTally::from_values(Scale::nps(), &r, &y, Some(&w)).unwrap()
}

/// Transactions: (customer 0..40, day 0..400, revenue in quarters, refunds included).
fn log_rows() -> impl Strategy<Value = Vec<(i64, i64, f64)>> {
    prop::collection::vec(
        (
            0i64..40,
            0i64..400,
            (-8i32..200).prop_map(|r| f64::from(r) / 4.0),
        ),
        1..120,
    )
}

fn activity(rows: &[(i64, i64, f64)]) -> Activity {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let days: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let rev: Vec<f64> = rows.iter().map(|r| r.2).collect();
    Activity::from_ints(&ids, &days, &rev, Freq::Month).unwrap()
}

/// Every truncation and the flip of `bit` in every `stride`-th byte is an unreadable-summary
/// error.
fn damaged_bytes_fail<T: std::fmt::Debug>(
    bytes: &[u8],
    read: impl Fn(&[u8]) -> Result<T, CxError>,
    bit: u8,
    stride: usize,
) {
    for len in 0..bytes.len() {
        assert_eq!(
            read(&bytes[..len]).unwrap_err().code(),
            "unreadable_summary"
        );
    }
    for i in (0..bytes.len()).step_by(stride.max(1)) {
        let mut b = bytes.to_vec();
        b[i] ^= 1 << (bit % 8);
        assert_eq!(
            read(&b).unwrap_err().code(),
            "unreadable_summary",
            "byte {i}"
        );
    }
}

#[test]
fn summaries_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<CxSummary>();
    check::<JointTally>();
    check::<CurveTally>();
    check::<Activity>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn cx_summary_bytes(a in cx_rows(), b in cx_rows(), require_all: bool, bit in 0u8..8) {
        let (sa, sb) = (cx(&a, require_all), cx(&b, require_all));
        let ra = CxSummary::from_bytes(&sa.to_bytes()).unwrap();
        prop_assert_eq!(&ra, &sa);
        prop_assert_eq!(ra.merged(&CxSummary::from_bytes(&sb.to_bytes()).unwrap()).unwrap(), sa.merged(&sb).unwrap());
        let whole: Vec<_> = a.iter().chain(&b).cloned().collect();
        prop_assert_eq!(sa.merged(&sb).unwrap(), cx(&whole, require_all));
        damaged_bytes_fail(&sa.to_bytes(), CxSummary::from_bytes, bit, 7);
    }

    #[test]
    fn loyalty_bytes(a in loyalty_rows(), b in loyalty_rows(), bit in 0u8..8) {
        let (ja, jb) = (joint(&a), joint(&b));
        let mut m = JointTally::from_bytes(&ja.to_bytes()).unwrap();
        prop_assert_eq!(&m, &ja);
        m.merge(&JointTally::from_bytes(&jb.to_bytes()).unwrap()).unwrap();
        let mut want = ja.clone();
        want.merge(&jb).unwrap();
        prop_assert_eq!(&m, &want);
        damaged_bytes_fail(&ja.to_bytes(), JointTally::from_bytes, bit, 3);

        let (ca, cb) = (curve(&a), curve(&b));
        let mut m = CurveTally::from_bytes(&ca.to_bytes()).unwrap();
        prop_assert_eq!(&m, &ca);
        m.merge(&CurveTally::from_bytes(&cb.to_bytes()).unwrap()).unwrap();
        let mut want = ca.clone();
        want.merge(&cb).unwrap();
        prop_assert_eq!(&m, &want);
        damaged_bytes_fail(&ca.to_bytes(), CurveTally::from_bytes, bit, 7);
    }

    #[test]
    fn activity_bytes(a in log_rows(), b in log_rows(), bit in 0u8..8) {
        let (sa, sb) = (activity(&a), activity(&b));
        let mut m = Activity::from_bytes(&sa.to_bytes()).unwrap();
        prop_assert_eq!(&m, &sa);
        prop_assert_eq!(&Activity::from_json(&sa.to_json()).unwrap(), &sa);
        m.merge(&Activity::from_bytes(&sb.to_bytes()).unwrap()).unwrap();
        let mut want = sa.clone();
        want.merge(&sb).unwrap();
        prop_assert_eq!(&m, &want);
        damaged_bytes_fail(&sa.to_bytes(), Activity::from_bytes, bit, 5);
    }
}

#[test]
fn merges_across_scales_rules_or_period_lengths_are_errors() {
    let five = CxSummary::new(Dimension::defaults(), false).unwrap();
    let seven = CxSummary::new(
        Dimension::all_on(&["effectiveness", "ease", "emotion"], Scale::ces()),
        false,
    )
    .unwrap();
    let read = |s: &CxSummary| CxSummary::from_bytes(&s.to_bytes()).unwrap();
    assert_eq!(
        read(&five).merged(&read(&seven)).unwrap_err().code(),
        "scale_mismatch"
    );
    let all = CxSummary::new(Dimension::defaults(), true).unwrap();
    assert_eq!(
        read(&five).merged(&read(&all)).unwrap_err().code(),
        "invalid_argument"
    );

    let mut nps = CurveTally::new(Scale::nps());
    let csat = CurveTally::from_bytes(&CurveTally::new(Scale::csat()).to_bytes()).unwrap();
    assert_eq!(nps.merge(&csat).unwrap_err().code(), "scale_mismatch");

    let mut month = activity(&[(1, 0, 5.0)]);
    let week = Activity::from_bytes(
        &Activity::from_ints(&[1], &[0], &[5.0], Freq::Week)
            .unwrap()
            .to_bytes(),
    )
    .unwrap();
    assert_eq!(month.merge(&week).unwrap_err().code(), "invalid_argument");
}
