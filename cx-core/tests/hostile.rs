//! Numerical faults and hostile input: counts beyond 2^32 through merges, weight sums over many
//! orders of magnitude, confidence levels near 0 and 1, a single response, every response in one
//! category, and property tests over the public estimators with values and weights of any bit
//! pattern: a result whose numbers are finite and inside their bounds, or an error.

use cx_core::loyalty::{loyalty_curve, CurveTally, JointTally};
use cx_core::{
    bottom_box, csat, cx_index, distribution, loyalty_lift, mean, nps, segments, top_box, CxMethod,
    CxOptions, CxSummary, Dimension, Exposure, GroupedTally, Interval, NpsMethod, NpsOptions,
    ProportionMethod, ProportionOptions, Scale, SegmentOptions, Tally,
};
use proptest::prelude::*;

const NPS_METHODS: [NpsMethod; 3] = [NpsMethod::AdjustedWald, NpsMethod::Wald, NpsMethod::Score];
const SHARE_METHODS: [ProportionMethod; 5] = [
    ProportionMethod::Wilson,
    ProportionMethod::Wald,
    ProportionMethod::AgrestiCoull,
    ProportionMethod::ClopperPearson,
    ProportionMethod::Jeffreys,
];

fn inside(iv: &Interval, lo: f64, hi: f64) -> bool {
    iv.lower.is_finite()
        && iv.upper.is_finite()
        && lo <= iv.lower
        && iv.lower <= iv.upper
        && iv.upper <= hi
}

/// Every estimator of `t` at `level` either errs or gives finite numbers inside their bounds.
fn check_all(t: &Tally, level: f64) -> usize {
    let mut ok = 0;
    for method in NPS_METHODS {
        let opts = NpsOptions {
            level,
            method,
            ..NpsOptions::default()
        };
        if let Ok(r) = nps(t, &opts) {
            assert!(
                (-100.0..=100.0).contains(&r.estimate),
                "{method:?} at {level}: {r:?}"
            );
            assert!(
                inside(&r.interval, -100.0, 100.0),
                "{method:?} at {level}: {r:?}"
            );
            assert!(r.std_error.is_finite() && r.effective_n.is_finite());
            ok += 1;
        }
    }
    for method in SHARE_METHODS {
        let opts = ProportionOptions { level, method };
        for r in [top_box(t, &opts), bottom_box(t, &opts), csat(t, &opts)]
            .into_iter()
            .flatten()
        {
            assert!(
                (0.0..=1.0).contains(&r.estimate),
                "{method:?} at {level}: {r:?}"
            );
            assert!(
                inside(&r.interval, 0.0, 1.0),
                "{method:?} at {level}: {r:?}"
            );
            assert!(r.std_error.is_finite());
            ok += 1;
        }
    }
    let (lo, hi) = (
        f64::from(t.scale().lowest()),
        f64::from(t.scale().highest()),
    );
    if let Ok(m) = mean(t, level) {
        assert!((lo..=hi).contains(&m.estimate), "{m:?}");
        assert!(inside(&m.interval, lo, hi), "at {level}: {m:?}");
        assert!(m.std_error.is_finite() && m.std_dev.is_finite());
        ok += 1;
    }
    if let Ok(d) = distribution(t) {
        let s: f64 = d.points.iter().map(|p| p.share).sum();
        assert!((s - 1.0).abs() < 1e-9, "{d:?}");
        ok += 1;
    }
    ok
}

// ---------------------------------------------------------------------------------------------
// Counts beyond 2^32.

/// A tally with `count` unweighted respondents at each of two NPS points (10 and 0), built
/// through its JSON form as a partition summary from elsewhere would arrive.
fn big_tally(count: u64) -> Tally {
    let mut counts = vec![0u64; 11];
    counts[10] = count;
    counts[0] = count / 2;
    let w: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    let json = serde_json::json!({
        "format": "cxkit.tally", "version": 1,
        "scale": Scale::nps(),
        "counts": counts, "weights": w, "weights_sq": w, "missing": 7,
    });
    Tally::from_json(&json.to_string()).unwrap()
}

#[test]
fn counts_beyond_2_pow_32_survive_merges_and_bytes() {
    let part = big_tally(3_000_000_000);
    let mut whole = part.clone();
    for _ in 0..3 {
        whole.merge(&part).unwrap();
    }
    // 4 × 3e9 promoters, 4 × 1.5e9 detractors: 18e9 answers, far beyond u32.
    assert_eq!(whole.counts()[10], 12_000_000_000);
    assert_eq!(whole.n(), 18_000_000_000);
    assert_eq!(whole.missing(), 28);
    let r = nps(&whole, &NpsOptions::default()).unwrap();
    assert_eq!(
        (r.promoters, r.detractors, r.n),
        (12e9 as u64, 6e9 as u64, 18e9 as u64)
    );
    assert!((r.estimate - 100.0 / 3.0).abs() < 1e-9, "{}", r.estimate);
    assert!(inside(&r.interval, -100.0, 100.0));
    assert_eq!(Tally::from_bytes(&whole.to_bytes()).unwrap(), whole);
    assert_eq!(Tally::from_json(&whole.to_json()).unwrap(), whole);
}

#[test]
fn merges_that_would_overflow_64_bits_are_errors_and_leave_the_tally_unchanged() {
    let huge = big_tally(u64::MAX / 2);
    let mut t = huge.clone();
    let err = t.merge(&huge).unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    assert_eq!(t, huge, "a failed merge changes nothing");
}

#[test]
fn grouped_counts_beyond_2_pow_32_survive_merges() {
    let mut g =
        GroupedTally::from_values(Scale::nps(), &[0u32, 1, 1], 2, &[10u8, 0, 9], None).unwrap();
    // Double it 33 times: 2^33 copies of each answer.
    for _ in 0..33 {
        let copy = g.clone();
        g.merge(&copy).unwrap();
    }
    assert_eq!(g.group(0).unwrap().n(), 1 << 33);
    assert_eq!(g.group(1).unwrap().n(), 1 << 34);
    let s = segments(&g, &SegmentOptions::default()).unwrap();
    assert_eq!(s.rows[0].summary.n, 1 << 33);
}

// ---------------------------------------------------------------------------------------------
// Weights over many orders of magnitude.

#[test]
fn weight_sums_over_sixteen_orders_of_magnitude_are_exact_where_the_naive_sum_is_not() {
    // One promoter of weight 1e16 followed by a million promoters of weight 1, and one detractor
    // of weight 1e16. Naively, every 1 added to 1e16 rounds away (doubles are 2 apart there).
    let mut values = vec![10u8];
    values.extend(std::iter::repeat_n(10u8, 1_000_000));
    values.push(0);
    let mut weights = vec![1e16];
    weights.extend(std::iter::repeat_n(1.0, 1_000_000));
    weights.push(1e16);

    let naive: f64 = weights[..weights.len() - 1].iter().sum();
    assert_eq!(naive, 1e16, "the naive sum drops the million ones");

    let t = Tally::from_values(Scale::nps(), &values, Some(&weights)).unwrap();
    assert_eq!(t.weights()[10], 1e16 + 1e6, "cxkit keeps them");
    assert_eq!(t.weights()[0], 1e16);
    // NPS = 100 × (W₁₀ − W₀) / W = 100 × 1e6 / (2e16 + 1e6) ≈ 5e-9 points; the naive sums give 0.
    let r = nps(&t, &NpsOptions::default()).unwrap();
    let exact = 100.0 * 1e6 / (2e16 + 1e6);
    assert!(r.estimate > 0.0, "naive summation would give exactly 0");
    assert!(
        (r.estimate - exact).abs() <= 1e-12 * exact,
        "{} vs {exact}",
        r.estimate
    );
    // The same through a grouped tally (segments).
    let codes = vec![0u32; values.len()];
    let g = GroupedTally::from_values(Scale::nps(), &codes, 1, &values, Some(&weights)).unwrap();
    assert_eq!(g.group(0).unwrap().weights()[10], 1e16 + 1e6);
}

#[test]
fn extreme_but_valid_weights_give_finite_estimates() {
    let values = [10u8, 9, 7, 3, 0, 10];
    for ws in [
        [1e100, 1e-100, 1e100, 1e-100, 1e100, 1e-100],
        [1e-100; 6],
        [1e100; 6],
        [1e100, 0.0, 0.0, 0.0, 0.0, 0.0],
        [1e-100, 1e100, 1e-100, 1e-100, 1e-100, 1e-100],
    ] {
        let t = Tally::from_values(Scale::nps(), &values, Some(&ws)).unwrap();
        assert!(check_all(&t, 0.95) > 0, "{ws:?}");
    }
    // Weights outside 1e-100..=1e100 (other than 0) are errors naming the index.
    for bad in [
        1e101,
        1e-101,
        f64::MIN_POSITIVE / 2.0,
        -0.5,
        f64::NAN,
        f64::INFINITY,
    ] {
        let err = Tally::from_values(Scale::nps(), &[9u8, 10], Some(&[1.0, bad])).unwrap_err();
        assert_eq!(err.code(), "invalid_weight", "{bad}");
        assert!(err.to_string().contains("index 1"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Levels near 0 and 1, a single response, everyone in one category.

const EDGE_LEVELS: [f64; 8] = [
    1e-300,
    1e-12,
    0.001,
    0.5,
    0.999,
    0.999_999_999,
    1.0 - 1e-15,
    1.0 - f64::EPSILON / 2.0,
];

#[test]
fn levels_near_0_and_1_keep_intervals_inside_their_bounds() {
    let tallies = [
        Tally::from_values(Scale::nps(), &[10u8, 9, 8, 6, 0, 3, 10], None).unwrap(),
        Tally::from_values(
            Scale::csat(),
            &[5.0, 1.0, 3.0, f64::NAN],
            Some(&[1e-50, 3.0, 1e50, 1.0]),
        )
        .unwrap(),
    ];
    for t in &tallies {
        for level in EDGE_LEVELS {
            assert!(check_all(t, level) > 0, "level {level}");
        }
    }
}

#[test]
fn levels_outside_the_open_interval_are_errors() {
    let t = Tally::from_values(Scale::nps(), &[10u8, 0], None).unwrap();
    for level in [
        0.0,
        1.0,
        -0.0,
        -1e-300,
        1.0 + f64::EPSILON,
        f64::NAN,
        f64::INFINITY,
    ] {
        let opts = NpsOptions {
            level,
            ..NpsOptions::default()
        };
        assert_eq!(
            nps(&t, &opts).unwrap_err().code(),
            "invalid_level",
            "{level}"
        );
        assert_eq!(
            mean(&t, level).unwrap_err().code(),
            "invalid_level",
            "{level}"
        );
        let p = ProportionOptions {
            level,
            ..ProportionOptions::default()
        };
        assert_eq!(
            top_box(&t, &p).unwrap_err().code(),
            "invalid_level",
            "{level}"
        );
    }
}

#[test]
fn a_single_response_gives_bounded_intervals_or_an_error() {
    for scale in [Scale::nps(), Scale::csat(), Scale::ces()] {
        for p in scale.lowest()..=scale.highest() {
            let t = Tally::from_values(scale, &[p], None).unwrap();
            for level in [0.5, 0.95, 0.999_999] {
                check_all(&t, level);
            }
            let w = Tally::from_values(scale, &[p], Some(&[1e-100])).unwrap();
            check_all(&w, 0.95);
        }
    }
}

#[test]
fn everyone_in_one_category_keeps_intervals_inside_the_bounds() {
    for n in [1usize, 2, 5, 30, 1000, 1_000_000] {
        let promoters = Tally::from_values(Scale::nps(), &vec![10u8; n], None).unwrap();
        let detractors = Tally::from_values(Scale::nps(), &vec![0u8; n], None).unwrap();
        for level in EDGE_LEVELS {
            check_all(&promoters, level);
            check_all(&detractors, level);
        }
        let opts = NpsOptions::default();
        let r = nps(&promoters, &opts).unwrap();
        assert_eq!(r.estimate, 100.0);
        assert!(
            r.interval.upper <= 100.0 && r.interval.lower >= -100.0,
            "{r:?}"
        );
        let r = nps(&detractors, &opts).unwrap();
        assert_eq!(r.estimate, -100.0);
        assert!(r.interval.lower >= -100.0, "{r:?}");
        let top = top_box(&promoters, &ProportionOptions::default()).unwrap();
        assert_eq!(top.estimate, 1.0);
        assert!(top.interval.upper <= 1.0, "{top:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Property tests with hostile numbers.

/// Doubles with a fair chance of NaN, infinities, signed zeros, subnormals, extremes and scale
/// points, and any bit pattern.
fn hostile_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => (0i32..=10).prop_map(f64::from),
        1 => prop::sample::select(vec![
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 5e-324, f64::MIN_POSITIVE,
            1e-101, 1e-100, 1e100, 1e101, 1e308, f64::MAX, -1.0, 0.5, 10.5, 11.0, 1e16,
        ]),
        1 => any::<u64>().prop_map(f64::from_bits),
    ]
}

/// Weights: mostly valid (0, 1e-100..=1e100 on a log scale), sometimes anything.
fn hostile_weight() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => (-100.0f64..=100.0).prop_map(|e| 10f64.powf(e).clamp(1e-100, 1e100)),
        1 => Just(0.0),
        1 => hostile_f64(),
    ]
}

fn level() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => 0.0f64..1.0,
        1 => prop::sample::select(EDGE_LEVELS.to_vec()),
        1 => hostile_f64(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_values_weights_and_level_give_bounded_results_or_errors(
        pairs in prop::collection::vec((hostile_f64(), hostile_weight()), 0..60),
        weighted: bool,
        level in level(),
    ) {
        let (v, w): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        match Tally::from_values(Scale::nps(), &v, weighted.then_some(&w[..])) {
            Ok(t) => {
                let ok = check_all(&t, level);
                if !(level > 0.0 && level < 1.0) {
                    prop_assert!(ok <= 1, "only the distribution ignores the level");
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn cx_index_of_any_answers_is_bounded_or_an_error(
        rows in prop::collection::vec((hostile_f64(), hostile_f64(), hostile_f64(), hostile_weight()), 0..40),
        require_all: bool,
        level in level(),
    ) {
        let a: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let b: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let c: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let w: Vec<f64> = rows.iter().map(|r| r.3).collect();
        let dims = Dimension::all_on(&["a", "b", "c"], Scale::nps());
        if let Ok(s) = CxSummary::from_columns(dims, &[&a, &b, &c], Some(&w), require_all) {
            for (method, lo) in [(CxMethod::Net, -100.0), (CxMethod::Mean, 0.0)] {
                let opts = CxOptions { method, level, ..CxOptions::default() };
                if let Ok(r) = cx_index(&s, &opts) {
                    prop_assert!((lo..=100.0).contains(&r.estimate), "{:?}", r);
                    prop_assert!(inside(&r.interval, lo, 100.0), "{:?}", r);
                    prop_assert!(r.std_error.is_finite() && r.effective_n.is_finite());
                    for d in &r.dimensions {
                        prop_assert!(inside(&d.interval, lo, 100.0), "{:?}", d);
                    }
                }
            }
        }
    }

    #[test]
    fn loyalty_of_any_input_is_bounded_or_an_error(
        rows in prop::collection::vec((0u8..4, hostile_f64(), hostile_f64(), hostile_weight()), 0..60),
        level in level(),
    ) {
        let groups: Vec<Exposure> = rows.iter().map(|r| match r.0 {
            0 => Exposure::Exposed, 1 => Exposure::Reference, 2 => Exposure::Neither,
            _ => Exposure::Unknown,
        }).collect();
        let y: Vec<f64> = rows.iter().map(|r| if r.1.is_finite() { r.1.rem_euclid(2.0).floor() } else { r.1 }).collect();
        let ratings: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let w: Vec<f64> = rows.iter().map(|r| r.3).collect();
        if let Ok(j) = JointTally::from_values(&groups, &y, Some(&w)) {
            if let Ok(l) = loyalty_lift(&j, level) {
                prop_assert!(inside(&l.exposed.interval, 0.0, 1.0), "{:?}", l);
                prop_assert!(inside(&l.reference.interval, 0.0, 1.0), "{:?}", l);
                prop_assert!(inside(&l.risk_difference.interval, -1.0, 1.0), "{:?}", l);
                for e in [&l.risk_ratio, &l.odds_ratio] {
                    prop_assert!(e.estimate.is_finite() && e.interval.lower >= 0.0, "{:?}", e);
                    prop_assert!(e.interval.upper.is_finite() && (0.0..=1.0).contains(&e.p_value), "{:?}", e);
                }
            }
        }
        if let Ok(c) = CurveTally::from_values(Scale::nps(), &ratings, &y, Some(&w)) {
            if let Ok(curve) = loyalty_curve(&c, level) {
                for p in &curve.points {
                    if let Some(iv) = &p.interval {
                        prop_assert!(inside(iv, 0.0, 1.0), "{:?}", p);
                    }
                }
            }
        }
    }

    #[test]
    fn segments_of_any_input_are_finite_or_an_error(
        rows in prop::collection::vec((0u32..5, hostile_f64(), hostile_weight()), 0..80),
        n_groups in 0usize..6,
    ) {
        let codes: Vec<u32> = rows.iter().map(|r| r.0).collect();
        let v: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let w: Vec<f64> = rows.iter().map(|r| r.2).collect();
        if let Ok(g) = GroupedTally::from_values(Scale::nps(), &codes, n_groups, &v, Some(&w)) {
            let opts = SegmentOptions { min_base: 1, ..SegmentOptions::default() };
            if let Ok(s) = segments(&g, &opts) {
                for row in &s.rows {
                    prop_assert!(row.summary.effective_n.is_finite());
                    if let Some(e) = row.summary.estimate {
                        prop_assert!((-100.0..=100.0).contains(&e), "{:?}", row);
                    }
                    if let Some(iv) = &row.summary.interval {
                        prop_assert!(inside(iv, -100.0, 100.0), "{:?}", row);
                    }
                    for c in [&row.vs_rest, &row.vs_reference].into_iter().flatten() {
                        prop_assert!(c.difference.is_finite() && c.std_error.is_finite(), "{:?}", c);
                        prop_assert!(c.interval.lower.is_finite() && c.interval.upper.is_finite(), "{:?}", c);
                        prop_assert!((0.0..=1.0).contains(&c.p_value) && (0.0..=1.0).contains(&c.p_adjusted), "{:?}", c);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: each a wrong number the property tests or the fuzzers found.

#[test]
fn regression_risk_ratio_interval_is_finite_with_extreme_weights() {
    // Exposed: outcome 1 with weight 1e100, outcome 0 with weight 1e-100; reference: the reverse.
    // The Katz log interval's upper bound exp(ln RR + z·SE) overflowed to infinity.
    let groups = [
        Exposure::Exposed,
        Exposure::Exposed,
        Exposure::Reference,
        Exposure::Reference,
    ];
    let y = [1u8, 0, 1, 0];
    let w = [1e100, 1e-100, 1e-100, 1e100];
    let j = JointTally::from_values(&groups, &y, Some(&w)).unwrap();
    let l = loyalty_lift(&j, 0.95).unwrap();
    for e in [&l.risk_ratio, &l.odds_ratio] {
        assert!(e.estimate.is_finite(), "{e:?}");
        assert!(
            e.interval.upper.is_finite() && e.interval.lower >= 0.0,
            "{e:?}"
        );
    }
}

#[test]
fn regression_jeffreys_bounds_stay_ordered_at_tiny_levels() {
    let t = Tally::from_values(Scale::csat(), &vec![5u8; 1000], None).unwrap();
    for level in [1e-12, 1e-9, 1e-6] {
        let opts = ProportionOptions {
            level,
            method: ProportionMethod::Jeffreys,
        };
        let r = top_box(&t, &opts).unwrap();
        assert!(r.interval.lower <= r.interval.upper, "{r:?}");
    }
}

#[test]
fn regression_cx_index_of_all_detractors_stays_inside_its_range() {
    // Fuzz target cx_index_values: the weighted average of three dimensions at −100 rounded to
    // −100.00000000000001, and clipping only the lower bound reversed the interval.
    for k in 1..=7usize {
        let names: Vec<String> = (0..k).map(|i| format!("d{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let dims = Dimension::all_on(&refs, Scale::nps());
        let zeros = vec![0.0f64; 5];
        let tens = vec![10.0f64; 5];
        for col in [&zeros, &tens] {
            let cols: Vec<&[f64]> = (0..k).map(|_| &col[..]).collect();
            let s = CxSummary::from_columns(dims.clone(), &cols, None, false).unwrap();
            for level in [1e-100, 0.5, 0.95] {
                for method in [CxMethod::Net, CxMethod::Mean] {
                    let opts = CxOptions {
                        method,
                        level,
                        ..CxOptions::default()
                    };
                    let r = cx_index(&s, &opts).unwrap();
                    let lo = if method == CxMethod::Net { -100.0 } else { 0.0 };
                    assert!((lo..=100.0).contains(&r.estimate), "{k} {r:?}");
                    assert!(inside(&r.interval, lo, 100.0), "{k} {r:?}");
                }
            }
        }
    }
}

#[test]
fn regression_wilson_interval_contains_an_estimate_of_0_or_1() {
    // Python hypothesis (int8 [0, 0] on the NPS scale, top box): the lower bound was 5.6e-17,
    // above the estimate 0.
    for n in 1..200usize {
        let none = Tally::from_values(Scale::nps(), &vec![0u8; n], None).unwrap();
        let all = Tally::from_values(Scale::nps(), &vec![10u8; n], None).unwrap();
        let opts = ProportionOptions::default();
        let r = top_box(&none, &opts).unwrap();
        assert!(
            r.interval.lower <= r.estimate && r.estimate == 0.0,
            "{n}: {r:?}"
        );
        let r = top_box(&all, &opts).unwrap();
        assert!(
            r.interval.upper >= r.estimate && r.estimate == 1.0,
            "{n}: {r:?}"
        );
    }
}

/// Found by fuzzing `JointTally::from_bytes` (fuzz/run.sh, target joint_bytes): forged weight
/// sums with a valid checksum (a sum of squared weights far above the squared sum) gave an
/// effective n of 0, so the lift's standard errors were infinite and NaN. Such sums cannot
/// come from weights of at least 1e-100; reading them is now an `unreadable_summary` error.
#[test]
fn forged_weight_sums_are_unreadable() {
    for artifact in [
        &include_bytes!("fuzz-regressions/joint_bytes_zero_effective_n.bin")[..],
        &include_bytes!("fuzz-regressions/joint_bytes_effective_n_above_n.bin")[..],
    ] {
        let err = JointTally::from_bytes(artifact).unwrap_err();
        assert_eq!(err.code(), "unreadable_summary", "{err}");
    }

    let tally = |w: f64, w2: f64| {
        let json = serde_json::json!({
            "format": "cxkit.tally", "version": 1, "scale": Scale::csat(),
            "counts": [0, 0, 0, 0, 4], "weights": [0.0, 0.0, 0.0, 0.0, w],
            "weights_sq": [0.0, 0.0, 0.0, 0.0, w2], "missing": 0,
        });
        Tally::from_json(&json.to_string())
    };
    // four weights: Σw² must lie between (Σw)²/4 (all equal) and (Σw)² (one carries it all)
    assert!(tally(4.0, 4.0).is_ok());
    assert!(tally(4.0, 16.0).is_ok());
    for (w, w2) in [
        (4.0, 17.0),
        (4.0, 1e200),
        (1e-101, 1e-202),
        (1.0, 1e-201),
        (4.0, 3.9),
    ] {
        let err = tally(w, w2).unwrap_err();
        assert_eq!(err.code(), "unreadable_summary", "({w}, {w2}): {err}");
    }
}
