//! Property tests of the invariants every summary promises: merging any split equals building
//! on the whole, order does not matter, unit weights equal unweighted, serialised forms
//! round-trip, and any input gives either finite numbers or an error (never a panic or NaN).

use cx_core::{
    bottom_box, distribution, mean, nps, nps_difference, top_box, NpsMethod, NpsOptions,
    ProportionMethod, ProportionOptions, Scale, Tally,
};
use proptest::prelude::*;

/// Ratings 0..=10 with some NaN (missing).
fn ratings() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![9 => (0i32..=10).prop_map(f64::from), 1 => Just(f64::NAN)],
        0..300,
    )
}

fn weighted() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec(((0i32..=10).prop_map(f64::from), 0.0f64..50.0), 1..200)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn assert_tally_close(a: &Tally, b: &Tally) {
    assert_eq!(a.counts(), b.counts());
    assert_eq!(a.missing(), b.missing());
    for (x, y) in a.weights().iter().zip(b.weights()) {
        assert!(close(*x, *y), "{x} vs {y}");
    }
    for (x, y) in a.weights_sq().iter().zip(b.weights_sq()) {
        assert!(close(*x, *y), "{x} vs {y}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn merge_of_every_split_equals_whole(values in ratings()) {
        let whole = Tally::from_values(Scale::nps(), &values, None).unwrap();
        for cut in 0..=values.len() {
            let a = Tally::from_values(Scale::nps(), &values[..cut], None).unwrap();
            let b = Tally::from_values(Scale::nps(), &values[cut..], None).unwrap();
            prop_assert_eq!(&a.merged(&b).unwrap(), &whole);
        }
        let mut streamed = Tally::new(Scale::nps());
        for &v in &values {
            streamed.push(v).unwrap();
        }
        prop_assert_eq!(streamed, whole);
    }

    #[test]
    fn weighted_merge_equals_whole(pairs in weighted(), cut_frac in 0.0f64..1.0) {
        let (v, w): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        let cut = (cut_frac * v.len() as f64) as usize;
        let whole = Tally::from_values(Scale::nps(), &v, Some(&w)).unwrap();
        let a = Tally::from_values(Scale::nps(), &v[..cut], Some(&w[..cut])).unwrap();
        let b = Tally::from_values(Scale::nps(), &v[cut..], Some(&w[cut..])).unwrap();
        assert_tally_close(&a.merged(&b).unwrap(), &whole);
        assert_tally_close(&b.merged(&a).unwrap(), &whole);
    }

    #[test]
    fn order_does_not_matter(values in ratings(), seed in any::<u64>()) {
        let mut shuffled = values.clone();
        // Fisher-Yates with a small LCG, independent of the crate's RNG.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(
            Tally::from_values(Scale::nps(), &shuffled, None).unwrap(),
            Tally::from_values(Scale::nps(), &values, None).unwrap()
        );
    }

    #[test]
    fn unit_weights_equal_unweighted_bit_for_bit(values in ratings()) {
        let ones = vec![1.0; values.len()];
        let a = Tally::from_values(Scale::nps(), &values, None).unwrap();
        let b = Tally::from_values(Scale::nps(), &values, Some(&ones)).unwrap();
        prop_assert_eq!(&a, &b);
        prop_assert!(a.is_unweighted());
        if a.n() > 0 {
            for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
                let o = NpsOptions { method, ..Default::default() };
                prop_assert_eq!(nps(&a, &o).unwrap(), nps(&b, &o).unwrap());
            }
        }
    }

    #[test]
    fn every_integer_type_gives_the_same_tally(raw in prop::collection::vec(0u8..=10, 0..300)) {
        let base = Tally::from_values(Scale::nps(), &raw, None).unwrap();
        let as_i8: Vec<i8> = raw.iter().map(|&x| x as i8).collect();
        let as_u16: Vec<u16> = raw.iter().map(|&x| x.into()).collect();
        let as_i64: Vec<i64> = raw.iter().map(|&x| x.into()).collect();
        let as_u64: Vec<u64> = raw.iter().map(|&x| x.into()).collect();
        let as_f32: Vec<f32> = raw.iter().map(|&x| x.into()).collect();
        prop_assert_eq!(&Tally::from_values(Scale::nps(), &as_i8, None).unwrap(), &base);
        prop_assert_eq!(&Tally::from_values(Scale::nps(), &as_u16, None).unwrap(), &base);
        prop_assert_eq!(&Tally::from_values(Scale::nps(), &as_i64, None).unwrap(), &base);
        prop_assert_eq!(&Tally::from_values(Scale::nps(), &as_u64, None).unwrap(), &base);
        prop_assert_eq!(&Tally::from_values(Scale::nps(), &as_f32, None).unwrap(), &base);
    }

    #[test]
    fn serialised_forms_round_trip(pairs in weighted(), missing in 0u8..5) {
        let (v, w): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        let mut t = Tally::from_values(Scale::nps(), &v, Some(&w)).unwrap();
        for _ in 0..missing {
            t.push_missing();
        }
        prop_assert_eq!(&Tally::from_bytes(&t.to_bytes()).unwrap(), &t);
        let json = serde_json::to_string(&t).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Tally>(&json).unwrap(), &t);
    }

    /// Any bit pattern as a value or a weight: either an error or finite results.
    #[test]
    fn arbitrary_floats_never_panic_or_give_nan(
        pairs in prop::collection::vec(
            (
                prop_oneof![8 => (-3i32..=3).prop_map(f64::from), 1 => any::<f64>(), 1 => Just(f64::NAN)],
                prop_oneof![
                    4 => 0.0f64..10.0,
                    1 => any::<f64>(),
                    1 => Just(0.0),
                    1 => Just(f64::MIN_POSITIVE / 4.0),
                    1 => Just(1e308),
                    1 => Just(1e-300),
                    1 => Just(1e200),
                ],
            ),
            0..50,
        ),
        use_weights in any::<bool>(),
        level in prop_oneof![4 => 0.5f64..0.999, 1 => any::<f64>()],
    ) {
        let (values, weights): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        let w = use_weights.then_some(weights.as_slice());
        let Ok(t) = Tally::from_values(Scale::new(-3, 3).unwrap(), &values, w) else {
            return Ok(());
        };
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score, NpsMethod::Bootstrap] {
            if let Ok(r) = nps(&t, &NpsOptions { method, level, resamples: 100, seed: 1 }) {
                prop_assert!(finite(&[r.estimate, r.std_error, r.interval.lower, r.interval.upper,
                    r.promoter_share, r.passive_share, r.detractor_share, r.effective_n]), "{r:?}");
                prop_assert!(r.interval.lower <= r.interval.upper);
            }
        }
        for method in [ProportionMethod::Wilson, ProportionMethod::Wald, ProportionMethod::AgrestiCoull,
                       ProportionMethod::ClopperPearson, ProportionMethod::Jeffreys] {
            for r in [top_box(&t, &ProportionOptions { level, method }),
                      bottom_box(&t, &ProportionOptions { level, method })].into_iter().flatten() {
                prop_assert!(finite(&[r.estimate, r.std_error, r.interval.lower, r.interval.upper]), "{r:?}");
                prop_assert!((0.0..=1.0).contains(&r.interval.lower) && (0.0..=1.0).contains(&r.interval.upper));
            }
        }
        if let Ok(m) = mean(&t, level) {
            prop_assert!(finite(&[m.estimate, m.std_error, m.std_dev, m.interval.lower, m.interval.upper]), "{m:?}");
        }
        if let Ok(d) = distribution(&t) {
            prop_assert!(d.points.iter().all(|p| p.share.is_finite()));
        }
        if let Ok(d) = nps_difference(&t, &t, level) {
            prop_assert!(finite(&[d.estimate, d.std_error, d.z, d.p_value]), "{d:?}");
        }
    }

    /// Arbitrary bytes never panic the reader.
    #[test]
    fn arbitrary_bytes_are_rejected_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = Tally::from_bytes(&bytes);
    }
}

/// Proportion intervals contain the estimate; NPS intervals are ordered around it
/// for every method on a grid of splits.
#[test]
fn intervals_bracket_the_estimate_on_a_grid() {
    for d in 0..6usize {
        for o in 0..6usize {
            for p in 0..6usize {
                if d + o + p == 0 {
                    continue;
                }
                let v: Vec<u8> = [vec![0u8; d], vec![7; o], vec![10; p]].concat();
                let t = Tally::from_values(Scale::nps(), &v, None).unwrap();
                for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
                    let r = nps(
                        &t,
                        &NpsOptions {
                            method,
                            ..Default::default()
                        },
                    )
                    .unwrap();
                    assert!(
                        r.interval.lower <= r.interval.upper,
                        "{d} {o} {p} {method:?}"
                    );
                    assert!(r.interval.lower >= -100.0 && r.interval.upper <= 100.0);
                    if method != NpsMethod::AdjustedWald {
                        assert!(
                            r.interval.contains(r.estimate),
                            "{d} {o} {p} {method:?} {r:?}"
                        );
                    }
                }
            }
        }
    }
}

fn assert_send_sync<T: Send + Sync>() {}

/// Summaries cross threads (Spark executors, rayon, Node workers) by design.
#[test]
fn summaries_are_send_and_sync() {
    assert_send_sync::<Tally>();
    assert_send_sync::<cx_core::GroupedTally>();
    assert_send_sync::<cx_core::KeyedTally>();
}

/// Weights that are multiples of 1/4 add exactly in any order.
fn quarter_tally() -> impl Strategy<Value = Tally> {
    prop::collection::vec(
        (
            (0i32..=10).prop_map(f64::from),
            (0u32..40).prop_map(|q| f64::from(q) / 4.0),
        ),
        0..60,
    )
    .prop_map(|pairs| {
        let (v, w): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        Tally::from_values(Scale::nps(), &v, Some(&w)).unwrap()
    })
}

fn keyed(t: Tally, label: u8) -> cx_core::KeyedTally {
    let mut k = cx_core::KeyedTally::new(Scale::nps(), vec!["g".into()]);
    k.insert(vec![cx_core::grouping::Key::Int(i64::from(label % 3))], &t)
        .unwrap();
    k
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merge_is_associative_and_commutative(a in quarter_tally(), b in quarter_tally(), c in quarter_tally()) {
        let left = a.merged(&b).unwrap().merged(&c).unwrap();
        let right = a.merged(&b.merged(&c).unwrap()).unwrap();
        prop_assert_eq!(&left, &right);
        prop_assert_eq!(a.merged(&b).unwrap(), b.merged(&a).unwrap());
    }

    #[test]
    fn keyed_merge_is_associative_and_commutative(
        a in quarter_tally(), b in quarter_tally(), c in quarter_tally(), la in any::<u8>(), lb in any::<u8>(), lc in any::<u8>(),
    ) {
        let (ka, kb, kc) = (keyed(a, la), keyed(b, lb), keyed(c, lc));
        let mut left = ka.clone();
        left.merge(&kb).unwrap();
        left.merge(&kc).unwrap();
        let mut bc = kb.clone();
        bc.merge(&kc).unwrap();
        let mut right = ka.clone();
        right.merge(&bc).unwrap();
        prop_assert_eq!(&left, &right);
        let mut ab = ka.clone();
        ab.merge(&kb).unwrap();
        let mut ba = kb.clone();
        ba.merge(&ka).unwrap();
        prop_assert_eq!(ab, ba);
        prop_assert_eq!(cx_core::KeyedTally::from_bytes(&left.to_bytes()).unwrap(), left);
    }
}
