use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use super::wording::label_of;
use super::*;
use crate::cx_index::cx_index;
use crate::scale::Scale;

/// Three planted clusters in 3-D, well separated.
fn planted(n_per: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let noise = Normal::new(0.0, 0.3).unwrap();
    let centres = [[0.0, 0.0, 0.0], [5.0, 5.0, 0.0], [0.0, 5.0, 5.0]];
    let mut cols = vec![Vec::new(); 3];
    let mut truth = Vec::new();
    for (c, centre) in centres.iter().enumerate() {
        for _ in 0..n_per {
            for j in 0..3 {
                cols[j].push(centre[j] + noise.sample(&mut rng));
            }
            truth.push(c);
        }
    }
    (cols, truth)
}

fn features(cols: &[Vec<f64>]) -> Vec<NumericFeature<'_>> {
    const NAMES: [&str; 4] = ["x", "y", "w", "v"];
    cols.iter()
        .enumerate()
        .map(|(j, c)| NumericFeature {
            name: NAMES[j],
            values: c,
        })
        .collect()
}

/// Same partition up to relabelling.
fn same_partition(a: &[usize], b: &[usize]) -> bool {
    let mut map = HashMap::new();
    let mut back = HashMap::new();
    a.iter()
        .zip(b)
        .all(|(x, y)| *map.entry(x).or_insert(y) == y && *back.entry(y).or_insert(x) == x)
}

#[test]
fn recovers_planted_clusters_and_chooses_k() {
    let (cols, truth) = planted(40, 1);
    let p = personas(
        &features(&cols),
        &[],
        &ProfileColumns::default(),
        &PersonaOptions::default(),
    )
    .unwrap();
    assert_eq!(p.k, 3);
    let got: Vec<usize> = p.assignments.iter().map(|a| a.unwrap()).collect();
    assert!(same_partition(&got, &truth));
    assert_eq!(p.scores.len(), 5);
    assert_eq!(p.method, "k-means");
    assert!(p.personas.iter().all(|q| q.size == 40));
}

/// Brute-force silhouette, written out independently.
fn brute_silhouette(points: &[Vec<f64>], labels: &[usize]) -> f64 {
    let n = points.len();
    let dist = |i: usize, j: usize| -> f64 {
        points[i]
            .iter()
            .zip(&points[j])
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let mut total = 0.0;
    for i in 0..n {
        let own: Vec<usize> = (0..n)
            .filter(|&j| j != i && labels[j] == labels[i])
            .collect();
        if own.is_empty() {
            continue;
        }
        let a = own.iter().map(|&j| dist(i, j)).sum::<f64>() / own.len() as f64;
        let mut b = f64::INFINITY;
        let k = labels.iter().max().unwrap() + 1;
        for c in 0..k {
            if c == labels[i] {
                continue;
            }
            let other: Vec<usize> = (0..n).filter(|&j| labels[j] == c).collect();
            if !other.is_empty() {
                b = b.min(other.iter().map(|&j| dist(i, j)).sum::<f64>() / other.len() as f64);
            }
        }
        total += (b - a) / a.max(b);
    }
    total / n as f64
}

#[test]
fn silhouette_matches_brute_force() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let cols: Vec<Vec<f64>> = (0..2)
        .map(|_| (0..90).map(|_| rng.random::<f64>()).collect())
        .collect();
    let o = PersonaOptions {
        k_min: 2,
        k_max: 4,
        ..PersonaOptions::default()
    };
    let p = personas(&features(&cols), &[], &ProfileColumns::default(), &o).unwrap();
    let data = Data::build(&features(&cols), &[], None).unwrap();
    let points: Vec<Vec<f64>> = (0..data.n).map(|i| data.num(i).to_vec()).collect();
    // Refit each k and compare its silhouette with the brute force on the same labels.
    for s in &p.scores {
        let fit = best_of(&data, s.k, 0.0, &o, o.seed.wrapping_add(s.k as u64));
        let want = brute_silhouette(&points, &fit.labels);
        assert!((s.silhouette.unwrap() - want).abs() < 1e-12, "k={}", s.k);
        // inertia is the sum of squared distances to the centroids
        let inertia: f64 = (0..data.n)
            .map(|i| {
                points[i]
                    .iter()
                    .zip(&fit.centroids[fit.labels[i]])
                    .map(|(a, b)| (a - b).powi(2))
                    .sum::<f64>()
            })
            .sum();
        assert!((s.cost - inertia).abs() < 1e-9);
    }
}

#[test]
fn deterministic_given_the_seed() {
    let (cols, _) = planted(30, 4);
    let f = features(&cols);
    let o = PersonaOptions {
        seed: 42,
        ..PersonaOptions::default()
    };
    let a = personas(&f, &[], &ProfileColumns::default(), &o).unwrap();
    let b = personas(&f, &[], &ProfileColumns::default(), &o).unwrap();
    assert_eq!(a, b);
}

#[test]
fn k_prototypes_uses_the_categories() {
    // One numeric feature that does not separate; a categorical one that does.
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let x: Vec<f64> = (0..60).map(|_| rng.random::<f64>()).collect();
    let codes: Vec<u32> = (0..60).map(|i| (i % 2) as u32).collect();
    let cat = CategoricalFeature {
        name: "channel",
        codes: &codes,
        labels: vec![Key::Str("app".into()), Key::Str("store".into())],
    };
    let o = PersonaOptions {
        k_min: 2,
        k_max: 2,
        gamma: Some(10.0),
        ..PersonaOptions::default()
    };
    let p = personas(
        &[NumericFeature {
            name: "x",
            values: &x,
        }],
        std::slice::from_ref(&cat),
        &ProfileColumns::default(),
        &o,
    )
    .unwrap();
    assert_eq!(p.method, "k-prototypes");
    let got: Vec<usize> = p.assignments.iter().map(|a| a.unwrap()).collect();
    let truth: Vec<usize> = codes.iter().map(|&c| c as usize).collect();
    assert!(same_partition(&got, &truth));
    assert!(p.personas.iter().all(|q| q.modes[0].2 == 1.0));
    // predict from the serialised model, with the labels in another order
    let model = PersonaModel::from_json(&p.model.to_json()).unwrap();
    let flipped: Vec<u32> = codes.iter().map(|&c| 1 - c).collect();
    let cat2 = CategoricalFeature {
        name: "channel",
        codes: &flipped,
        labels: vec![Key::Str("store".into()), Key::Str("app".into())],
    };
    let again = model
        .predict(
            &[NumericFeature {
                name: "x",
                values: &x,
            }],
            &[cat2],
        )
        .unwrap();
    assert_eq!(again, p.assignments);
}

#[test]
fn profiles_recomputed_by_filtering() {
    let (cols, _) = planted(25, 8);
    let revenue: Vec<f64> = (0..75).map(|i| f64::from(i % 7) * 10.0).collect();
    let nps_col: Vec<f64> = (0..75).map(|i| f64::from(i % 11)).collect();
    let kept: Vec<f64> = (0..75)
        .map(|i| match i % 5 {
            0 => f64::NAN,
            1 | 2 => 1.0,
            _ => f64::from(i % 2),
        })
        .collect();
    let prof = ProfileColumns {
        nps: Some(&nps_col),
        revenue: Some(&revenue),
        clv: Some(&revenue),
        loyalty: Some(&kept),
        ..ProfileColumns::default()
    };
    let p = personas(&features(&cols), &[], &prof, &PersonaOptions::default()).unwrap();
    let total: f64 = revenue.iter().sum();
    for q in &p.personas {
        let members: Vec<usize> = (0..75)
            .filter(|&i| p.assignments[i] == Some(q.id))
            .collect();
        assert_eq!(q.size as usize, members.len());
        let mean_x = members.iter().map(|&i| cols[0][i]).sum::<f64>() / members.len() as f64;
        assert!((q.differences[0].mean - mean_x).abs() < 1e-9);
        let rev: f64 = members.iter().map(|&i| revenue[i]).sum();
        assert!((q.revenue_share.unwrap() - rev / total).abs() < 1e-12);
        let prom = members.iter().filter(|&&i| nps_col[i] >= 9.0).count() as f64;
        let det = members.iter().filter(|&&i| nps_col[i] <= 6.0).count() as f64;
        let want = 100.0 * (prom - det) / members.len() as f64;
        assert!((q.nps.as_ref().unwrap().estimate - want).abs() < 1e-9);
        // loyalty: share of 1s among the members with an answer, Wilson (1927) interval
        let answered: Vec<f64> = members
            .iter()
            .map(|&i| kept[i])
            .filter(|v| !v.is_nan())
            .collect();
        let nn = answered.len() as f64;
        let ph = answered.iter().sum::<f64>() / nn;
        let l = q.loyalty.as_ref().unwrap();
        assert_eq!(l.n as usize, answered.len());
        assert!((l.estimate - ph).abs() < 1e-12);
        let z: f64 = 1.959_963_984_540_054;
        let centre = (ph + z * z / (2.0 * nn)) / (1.0 + z * z / nn);
        let half = z / (1.0 + z * z / nn) * (ph * (1.0 - ph) / nn + z * z / (4.0 * nn * nn)).sqrt();
        assert!((l.interval.lower - (centre - half)).abs() < 1e-9);
        assert!((l.interval.upper - (centre + half)).abs() < 1e-9);
    }
    // shares add up to 1
    let s: f64 = p.personas.iter().map(|q| q.share).sum();
    assert!((s - 1.0).abs() < 1e-12);
}

/// Pearson correlation, written out.
fn corr(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let sab: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let saa: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let sbb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    sab / (saa * sbb).sqrt()
}

/// Three planted personas whose loyalty is driven by ease (0), by emotion (1) and by
/// neither (2), with latest CX answers on 1-5.
#[allow(clippy::type_complexity)] // features, drivers, outcome, CX answers
fn driven(n_per: usize) -> (Vec<Vec<f64>>, [Vec<f64>; 2], Vec<f64>, [Vec<f64>; 3]) {
    let (cols, truth) = planted(n_per, 21);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let n = truth.len();
    let mut ease = Vec::with_capacity(n);
    let mut emotion = Vec::with_capacity(n);
    let mut loyal = Vec::with_capacity(n);
    for (i, &t) in truth.iter().enumerate() {
        let a = f64::from(rng.random_range(1..=5u8)) + if t == 0 { -1.0 } else { 0.0 };
        let b = f64::from(rng.random_range(1..=5u8));
        let noise: f64 = rng.random();
        let driver = match t {
            0 => a / 4.0,
            1 => b / 5.0,
            _ => 0.5,
        };
        ease.push(if i % 17 == 3 { f64::NAN } else { a });
        emotion.push(b);
        loyal.push(if noise < driver { 1.0 } else { 0.0 });
    }
    let answer = |v: &f64, i: usize| {
        if v.is_nan() || i % 13 == 0 {
            f64::NAN
        } else {
            v.clamp(1.0, 5.0)
        }
    };
    let cx = [
        ease.iter().enumerate().map(|(i, v)| answer(v, i)).collect(),
        emotion
            .iter()
            .enumerate()
            .map(|(i, v)| answer(v, i + 1))
            .collect(),
        emotion
            .iter()
            .enumerate()
            .map(|(i, v)| answer(&(6.0 - v), i + 2))
            .collect(),
    ];
    (cols, [ease, emotion], loyal, cx)
}

#[test]
fn cx_index_and_drivers_per_persona_recomputed_by_filtering() {
    let (cols, [ease, emotion], loyal, cx) = driven(200);
    let cxc = CxColumns {
        dims: Dimension::all_on(&["ease", "emotion", "effectiveness"], Scale::agreement()),
        columns: cx.iter().map(Vec::as_slice).collect(),
        options: CxOptions::default(),
    };
    let drivers = [
        NumericFeature {
            name: "ease",
            values: &ease,
        },
        NumericFeature {
            name: "emotion",
            values: &emotion,
        },
    ];
    let prof = ProfileColumns {
        loyalty: Some(&loyal),
        cx: Some(&cxc),
        drivers: &drivers,
        ..ProfileColumns::default()
    };
    let p = personas(&features(&cols), &[], &prof, &PersonaOptions::default()).unwrap();
    assert_eq!(p.k, 3);
    let n = loyal.len();
    // overall moments of the drivers (population SD), for z
    let moments = |col: &[f64]| {
        let v: Vec<f64> = col.iter().copied().filter(|x| !x.is_nan()).collect();
        let m = v.iter().sum::<f64>() / v.len() as f64;
        (
            m,
            (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt(),
        )
    };
    let mut top = Vec::new();
    for q in &p.personas {
        let members: Vec<usize> = (0..n).filter(|&i| p.assignments[i] == Some(q.id)).collect();
        // CX index (net): per dimension % top-2-box minus % bottom-2-box of the members'
        // answers, then their mean (Forrester's net method, equal weights)
        let r = q.cx_index.as_ref().unwrap();
        let mut nets = Vec::new();
        for (d, col) in cx.iter().enumerate() {
            let answers: Vec<f64> = members
                .iter()
                .map(|&i| col[i])
                .filter(|v| !v.is_nan())
                .collect();
            let top2 = answers.iter().filter(|&&v| v >= 4.0).count() as f64;
            let bottom2 = answers.iter().filter(|&&v| v <= 2.0).count() as f64;
            let net = 100.0 * (top2 - bottom2) / answers.len() as f64;
            assert!((r.dimensions[d].estimate - net).abs() < 1e-9);
            nets.push(net);
        }
        assert!((r.estimate - nets.iter().sum::<f64>() / 3.0).abs() < 1e-9);
        // and the interval is cx_index's on the members alone
        let sub: Vec<Vec<f64>> = cx
            .iter()
            .map(|c| members.iter().map(|&i| c[i]).collect())
            .collect();
        let refs: Vec<&[f64]> = sub.iter().map(Vec::as_slice).collect();
        let alone = cx_index(
            &crate::cx_index::CxSummary::from_columns(cxc.dims.clone(), &refs, None, false)
                .unwrap(),
            &CxOptions::default(),
        )
        .unwrap();
        assert_eq!(r, &alone);
        // drivers: complete members, R² and LMG shares of two drivers written out
        // (LMG_1 = (r1² + R² − r2²) / 2; Lindeman, Merenda and Gold 1980)
        let d = q.drivers.as_ref().unwrap();
        assert_eq!(d.outcome, "loyalty");
        let done: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| !ease[i].is_nan())
            .collect();
        assert_eq!(d.n as usize, done.len());
        let (a, b, y): (Vec<f64>, Vec<f64>, Vec<f64>) = (
            done.iter().map(|&i| ease[i]).collect(),
            done.iter().map(|&i| emotion[i]).collect(),
            done.iter().map(|&i| loyal[i]).collect(),
        );
        let (r1, r2, r12) = (corr(&a, &y), corr(&b, &y), corr(&a, &b));
        let r2_all = (r1 * r1 + r2 * r2 - 2.0 * r1 * r2 * r12) / (1.0 - r12 * r12);
        assert!((d.r_squared.unwrap() - r2_all).abs() < 1e-9);
        let lmg_ease = (r1 * r1 + r2_all - r2 * r2) / 2.0 / r2_all;
        let got = d.ranking.iter().find(|x| x.driver == "ease").unwrap();
        assert!(
            (got.share - lmg_ease).abs() < 1e-9,
            "{} {lmg_ease}",
            got.share
        );
        assert!((got.correlation - r1).abs() < 1e-9);
        assert!(d.ranking[0].share >= d.ranking[1].share);
        let (m, sd) = moments(&ease);
        let inside: Vec<f64> = members
            .iter()
            .map(|&i| ease[i])
            .filter(|v| !v.is_nan())
            .collect();
        let want_z = (inside.iter().sum::<f64>() / inside.len() as f64 - m) / sd;
        assert!((got.z - want_z).abs() < 1e-9);
        // the needs start with the driver rule, then the keyword rules
        let mut want = driver_needs(d, 0.5);
        let rules = needs_of(&q.differences, 0.5);
        if want.is_empty() || !rules[0].starts_with("maintain") {
            want.extend(rules);
        }
        assert_eq!(q.needs, want);
        top.push((
            d.ranking[0].driver.clone(),
            q.needs[0].clone(),
            d.r_squared.unwrap(),
        ));
    }
    // the planted drivers come out on top where they were planted
    let tops: Vec<&str> = top.iter().map(|t| t.0.as_str()).collect();
    assert!(
        tops.contains(&"ease") && tops.contains(&"emotion"),
        "{top:?}"
    );
    for (driver, need, r2) in &top {
        if *r2 >= DRIVER_MIN_R_SQUARED && (driver == "ease" || driver == "emotion") {
            assert!(need.starts_with("improve "), "{need}");
        }
    }
}

#[test]
fn persona_drivers_skip_with_a_reason_and_bad_columns_are_errors() {
    let x = [1.0, 1.1, 1.2, 1.3, 9.0, 9.1, 9.2, 9.3];
    // constant within the first persona, varying in the second
    let flat = [3.0, 3.0, 3.0, 3.0, 1.0, 2.0, 4.0, 5.0];
    let y = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
    let f = [NumericFeature {
        name: "x",
        values: &x,
    }];
    let drivers = [NumericFeature {
        name: "ease",
        values: &flat,
    }];
    let o = PersonaOptions {
        k_min: 2,
        k_max: 2,
        ..PersonaOptions::default()
    };
    let prof = ProfileColumns {
        loyalty: Some(&y),
        drivers: &drivers,
        ..ProfileColumns::default()
    };
    let p = personas(&f, &[], &prof, &o).unwrap();
    let why = p.personas[0]
        .drivers
        .as_ref()
        .unwrap()
        .skipped
        .clone()
        .unwrap();
    assert!(why.contains("ease is constant"), "{why}");
    assert!(p.personas[1].drivers.as_ref().unwrap().skipped.is_none());
    // drivers without an outcome
    let none = ProfileColumns {
        drivers: &drivers,
        ..ProfileColumns::default()
    };
    let e = personas(&f, &[], &none, &o).unwrap_err();
    assert!(
        matches!(
            e,
            CxError::InvalidArgument {
                name: "drivers",
                ..
            }
        ),
        "{e:?}"
    );
    // an infinite driver value names its column and index
    let inf = [3.0, 3.0, f64::INFINITY, 3.0, 1.0, 2.0, 4.0, 5.0];
    let bad = [NumericFeature {
        name: "ease",
        values: &inf,
    }];
    let e = personas(
        &f,
        &[],
        &ProfileColumns {
            drivers: &bad,
            ..prof
        },
        &o,
    )
    .unwrap_err();
    assert!(e.to_string().contains("\"ease\" at index 2"), "{e}");
    let cx_error = |cxc: &CxColumns| {
        let cx = ProfileColumns {
            cx: Some(cxc),
            ..ProfileColumns::default()
        };
        personas(&f, &[], &cx, &o).unwrap_err()
    };
    // a CX column of mean ratings is not an answer on the scale
    let means = [4.5, 3.0, 2.0, 1.0, 5.0, 4.0, 3.0, 2.0];
    let cxc = CxColumns {
        dims: Dimension::all_on(&["ease"], Scale::agreement()),
        columns: vec![&means],
        options: CxOptions::default(),
    };
    let e = cx_error(&cxc);
    assert!(matches!(e, CxError::NonInteger { index: 0, .. }), "{e:?}");
    let short = [4.0];
    let cxc = CxColumns {
        columns: vec![&short],
        ..cxc
    };
    let e = cx_error(&cxc);
    assert!(
        matches!(
            e,
            CxError::InvalidArgument {
                name: "features",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn categorical_features_alone_cluster_by_their_modes() {
    // k-modes (k-prototypes without numeric features): two obvious groups of categories
    let a: Vec<u32> = (0..40).map(|i| if i < 20 { 0 } else { 1 }).collect();
    let b: Vec<u32> = (0..40)
        .map(|i| if i < 20 { 2 } else { u32::from(i % 2 == 0) })
        .collect();
    let labels = |n: u32| {
        (0..n)
            .map(|c| Key::Str(format!("c{c}")))
            .collect::<Vec<_>>()
    };
    let cats = [
        CategoricalFeature {
            name: "channel",
            codes: &a,
            labels: labels(2),
        },
        CategoricalFeature {
            name: "plan",
            codes: &b,
            labels: labels(3),
        },
    ];
    let o = PersonaOptions {
        k_min: 2,
        k_max: 2,
        ..PersonaOptions::default()
    };
    let p = personas(&[], &cats, &ProfileColumns::default(), &o).unwrap();
    assert_eq!(p.method, "k-prototypes");
    assert!((0..20).all(|i| p.assignments[i] == p.assignments[0]));
    assert!((20..40).all(|i| p.assignments[i] == p.assignments[20]));
    assert_ne!(p.assignments[0], p.assignments[20]);
}

#[test]
fn restarts_in_parallel_and_the_tolerance_keep_the_result() {
    use crate::kernels::testing::on_threads;
    let (cols, truth) = planted(400, 31);
    let f = features(&cols);
    let o = PersonaOptions {
        k_min: 3,
        k_max: 3,
        ..PersonaOptions::default()
    };
    let run = || personas(&f, &[], &ProfileColumns::default(), &o).unwrap();
    let one = on_threads(1, run);
    assert_eq!(on_threads(2, run), one);
    assert_eq!(on_threads(3, run), one);
    // stopping on the tolerance gives the partition of stopping on no change here
    let strict = PersonaOptions {
        tol: 0.0,
        ..o.clone()
    };
    let exact = personas(&f, &[], &ProfileColumns::default(), &strict).unwrap();
    assert_eq!(exact.assignments, one.assignments);
    let pairs = |a: &[Option<usize>]| {
        (0..truth.len())
            .flat_map(|i| (0..i).map(move |j| (i, j)))
            .filter(|&(i, j)| a[i] == a[j])
            .count()
    };
    let want = (0..truth.len())
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .filter(|&(i, j)| truth[i] == truth[j])
        .count();
    assert_eq!(pairs(&one.assignments), want);
    let bad = PersonaOptions { tol: -1.0, ..o };
    assert!(matches!(
        personas(&f, &[], &ProfileColumns::default(), &bad),
        Err(CxError::InvalidArgument { name: "tol", .. })
    ));
}

#[test]
fn labels_and_needs_follow_the_rules() {
    let d = |f: &str, z: f64| FeatureDifference {
        feature: f.into(),
        mean: 0.0,
        rest_mean: 0.0,
        z,
        p_value: None,
        significant: false,
    };
    let diffs = [
        d("revenue", 1.2),
        d("ease", -0.9),
        d("recency_days", 0.7),
        d("x", 0.1),
    ];
    let strong: Vec<&FeatureDifference> = diffs[..3].iter().collect();
    assert_eq!(label_of(&strong), "high value, low ease, at risk");
    assert_eq!(
        needs_of(&diffs, 0.5),
        vec![
            "protect and reward high value (service priority, loyalty benefits)",
            "reduce effort",
            "win back before they lapse"
        ]
    );
    assert_eq!(needs_of(&diffs[3..], 0.5).len(), 1);
}

#[test]
fn bad_input_is_a_clear_error() {
    let x = [1.0, 2.0, 3.0];
    let c = [5.0, 5.0, 5.0];
    let f = |name, values| NumericFeature { name, values };
    let o = PersonaOptions::default();
    let none = ProfileColumns::default();
    let e = personas(&[f("x", &x), f("flat", &c)], &[], &none, &o).unwrap_err();
    // a loyalty outcome that is not 0/1 names its index and value
    let bad = [1.0, 2.0, 0.0];
    let lo = ProfileColumns {
        loyalty: Some(&bad),
        ..ProfileColumns::default()
    };
    let e2 = personas(&[f("x", &x)], &[], &lo, &o).unwrap_err();
    assert!(matches!(e2, CxError::OutOfScale { index: 1, .. }), "{e2:?}");
    assert!(matches!(e, CxError::ZeroVariance { .. }) && e.to_string().contains("flat"));
    let o5 = PersonaOptions {
        k_min: 5,
        k_max: 5,
        ..o.clone()
    };
    assert!(matches!(
        personas(&[f("x", &x)], &[], &none, &o5),
        Err(CxError::InsufficientData {
            needed: 5,
            got: 3,
            ..
        })
    ));
    let nan = [f64::NAN, f64::NAN, f64::NAN];
    assert!(matches!(
        personas(&[f("x", &nan)], &[], &none, &o),
        Err(CxError::EmptyInput { .. })
    ));
    assert!(matches!(
        personas(&[], &[], &none, &o),
        Err(CxError::InvalidArgument {
            name: "features",
            ..
        })
    ));
    let short = [1.0];
    let e = personas(&[f("x", &x), f("short", &short)], &[], &none, &o).unwrap_err();
    assert!(e.to_string().contains("short"));
    let inf = [1.0, f64::INFINITY, 2.0];
    let e = personas(&[f("spend", &inf)], &[], &none, &o).unwrap_err();
    assert!(e.to_string().contains("\"spend\" at index 1"), "{e}");
    let bad = PersonaOptions {
        k_min: 4,
        k_max: 2,
        ..o
    };
    assert!(matches!(
        personas(&[f("x", &x)], &[], &none, &bad),
        Err(CxError::InvalidArgument { name: "k", .. })
    ));
}
