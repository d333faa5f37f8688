//! The CX index against brute force: every number recomputed from raw respondents (per
//! dimension scores, the overall index, the delta-method standard error as Σ of per-respondent
//! influence values), against the one-item functions (`nps`, `mean`) on each dimension, against
//! a seeded bootstrap of respondents, merging partitions equals the whole, unit weights equal
//! no weights, require_all equals complete cases, and grouped tables equal filter-then-compute.

use cx_core::inference::{adjust_p_values, two_sided_p};
use cx_core::{
    cx_index, cx_segments, cx_trend, mean, nps, Adjust, Band, Bands, CxMethod, CxOptions,
    CxSegmentOptions, CxSummary, CxTrendOptions, DimWeights, Dimension, GroupedCxSummary,
    NpsMethod, NpsOptions, Scale,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const NAN: f64 = f64::NAN;

/// Survey-like answers: a respondent propensity shared by the dimensions (so they correlate),
/// per-group shifts, some missing answers, weights 0.25..2.
struct Data {
    cols: Vec<Vec<f64>>,
    weights: Vec<f64>,
    groups: Vec<u32>,
}

fn data(n: usize, groups: u32, scales: &[Scale], seed: u64) -> Data {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cols = vec![Vec::with_capacity(n); scales.len()];
    let mut weights = Vec::with_capacity(n);
    let mut gs = Vec::with_capacity(n);
    for _ in 0..n {
        let g = rng.random_range(0..groups);
        let propensity: f64 = rng.random_range(-1.0..1.0) + 0.3 * f64::from(g);
        for (col, s) in cols.iter_mut().zip(scales) {
            if rng.random_range(0..25) == 0 {
                col.push(NAN);
                continue;
            }
            let span = f64::from(s.highest() - s.lowest());
            let x = f64::from(s.lowest())
                + ((propensity + 1.0) / 2.6 * span + rng.random_range(-1.5..1.5)).round();
            col.push(x.clamp(f64::from(s.lowest()), f64::from(s.highest())));
        }
        weights.push(0.25 * f64::from(rng.random_range(1..9)));
        gs.push(g);
    }
    Data {
        cols,
        weights,
        groups: gs,
    }
}

fn value(x: f64, s: Scale, method: CxMethod) -> f64 {
    let p = x as i32;
    match method {
        CxMethod::Net if s.is_top_box(p) => 100.0,
        CxMethod::Net if s.is_bottom_box(p) => -100.0,
        CxMethod::Net => 0.0,
        CxMethod::Mean => 100.0 * (x - f64::from(s.lowest())) / f64::from(s.highest() - s.lowest()),
    }
}

/// Brute force from raw rows: (index, SE, per-dimension (score, SE)), written out per
/// respondent: the influence value zᵢ of each respondent, then √(c Σ zᵢ²).
fn brute(
    cols: &[Vec<f64>],
    scales: &[Scale],
    weights: &[f64],
    dim_weights: &[f64],
    method: CxMethod,
    require_all: bool,
) -> (f64, f64, Vec<(f64, f64)>) {
    let n_rows = weights.len();
    let k = cols.len();
    let counted: Vec<bool> = (0..n_rows)
        .map(|i| {
            let answered = (0..k).filter(|&j| !cols[j][i].is_nan()).count();
            if require_all {
                answered == k
            } else {
                answered > 0
            }
        })
        .collect();
    let a = |i: usize, j: usize| counted[i] && !cols[j][i].is_nan();
    let total: f64 = dim_weights.iter().sum();
    let d: Vec<f64> = dim_weights.iter().map(|w| w / total).collect();
    let mut ybar = vec![0.0; k];
    let mut wk = vec![0.0; k];
    let mut per_dim = vec![];
    for j in 0..k {
        let (mut sw, mut swy, mut nj) = (0.0, 0.0, 0u64);
        for i in 0..n_rows {
            if a(i, j) {
                sw += weights[i];
                swy += weights[i] * value(cols[j][i], scales[j], method);
                nj += 1;
            }
        }
        ybar[j] = swy / sw;
        wk[j] = sw;
        let mut ss = 0.0;
        for i in 0..n_rows {
            if a(i, j) {
                let e = weights[i] * (value(cols[j][i], scales[j], method) - ybar[j]) / sw;
                ss += e * e;
            }
        }
        let c = if method == CxMethod::Mean {
            nj as f64 / (nj as f64 - 1.0)
        } else {
            1.0
        };
        per_dim.push((ybar[j], (c * ss).sqrt()));
    }
    let index: f64 = (0..k).map(|j| d[j] * ybar[j]).sum();
    let n = counted.iter().filter(|&&c| c).count() as f64;
    let mut sum_z2 = 0.0;
    for i in 0..n_rows {
        let z: f64 = (0..k)
            .filter(|&j| a(i, j))
            .map(|j| d[j] * weights[i] * (value(cols[j][i], scales[j], method) - ybar[j]) / wk[j])
            .sum();
        sum_z2 += z * z;
    }
    let c = if method == CxMethod::Mean {
        n / (n - 1.0)
    } else {
        1.0
    };
    (index, (c * sum_z2).sqrt(), per_dim)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0)
}

fn slices(cols: &[Vec<f64>]) -> Vec<&[f64]> {
    cols.iter().map(Vec::as_slice).collect()
}

fn mixed_dims() -> Vec<Dimension> {
    vec![
        Dimension::new("effectiveness", Scale::agreement()),
        Dimension::new("ease", Scale::ces()),
        Dimension::new("emotion", Scale::new(0, 10).unwrap()),
        Dimension::new("trust", Scale::agreement()),
    ]
}

#[test]
fn index_and_standard_errors_equal_brute_force() {
    let dims = mixed_dims();
    let scales: Vec<Scale> = dims.iter().map(|d| d.scale).collect();
    let dt = data(3000, 3, &scales, 7);
    for method in [CxMethod::Net, CxMethod::Mean] {
        for require_all in [false, true] {
            for dw in [vec![1.0; 4], vec![1.0, 2.0, 0.5, 3.0]] {
                for weighted in [false, true] {
                    let ones = vec![1.0; dt.weights.len()];
                    let w = if weighted { &dt.weights } else { &ones };
                    let s = CxSummary::from_columns(
                        dims.clone(),
                        &slices(&dt.cols),
                        weighted.then_some(dt.weights.as_slice()),
                        require_all,
                    )
                    .unwrap();
                    let options = CxOptions {
                        method,
                        dim_weights: DimWeights::Given(dw.clone()),
                        ..Default::default()
                    };
                    let r = cx_index(&s, &options).unwrap();
                    let (index, se, per_dim) =
                        brute(&dt.cols, &scales, w, &dw, method, require_all);
                    let what = format!("{method} require_all={require_all} {dw:?} {weighted}");
                    assert!(
                        close(r.estimate, index, 1e-12),
                        "{what}: {} {index}",
                        r.estimate
                    );
                    assert!(close(r.std_error, se, 1e-9), "{what}: {} {se}", r.std_error);
                    for (dim, (est, dse)) in r.dimensions.iter().zip(per_dim) {
                        assert!(close(dim.estimate, est, 1e-12), "{what} {}", dim.name);
                        assert!(close(dim.std_error, dse, 1e-9), "{what} {}", dim.name);
                    }
                    let z = 1.959963984540054;
                    assert!(close(r.interval.lower, index - z * se, 1e-9));
                    assert_eq!(r.interval.method.name(), "wald");
                }
            }
        }
    }
}

#[test]
fn many_dimensions_of_many_points_equal_brute_force() {
    // 12^5 answer patterns: too many to count, so the summary is built row by row.
    let dims: Vec<Dimension> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|n| Dimension::new(*n, Scale::nps()))
        .collect();
    let scales = vec![Scale::nps(); 5];
    let dt = data(2000, 1, &scales, 13);
    for method in [CxMethod::Net, CxMethod::Mean] {
        let s = CxSummary::from_columns(dims.clone(), &slices(&dt.cols), Some(&dt.weights), false)
            .unwrap();
        let r = cx_index(
            &s,
            &CxOptions {
                method,
                ..Default::default()
            },
        )
        .unwrap();
        let (index, se, _) = brute(&dt.cols, &scales, &dt.weights, &[1.0; 5], method, false);
        assert!(close(r.estimate, index, 1e-12));
        assert!(close(r.std_error, se, 1e-9));
    }
}

#[test]
fn one_dimension_equals_nps_and_mean() {
    let dims = Dimension::defaults();
    let dt = data(800, 1, &[Scale::agreement(); 3], 11);
    let s = CxSummary::from_columns(dims, &slices(&dt.cols), Some(&dt.weights), false).unwrap();
    let net = cx_index(&s, &CxOptions::default()).unwrap();
    let avg = cx_index(
        &s,
        &CxOptions {
            method: CxMethod::Mean,
            ..Default::default()
        },
    )
    .unwrap();
    let wald = NpsOptions {
        method: NpsMethod::Wald,
        ..Default::default()
    };
    for k in 0..3 {
        let t = s.tally(k);
        let n = nps(t, &wald).unwrap();
        let d = &net.dimensions[k];
        assert!(close(d.estimate, n.estimate, 1e-12));
        assert!(close(d.std_error, n.std_error, 1e-12));
        assert!(close(d.interval.lower, n.interval.lower, 1e-12));
        assert!(close(d.top_share, n.promoter_share, 1e-12));
        assert_eq!((d.n, d.missing), (n.n, n.missing));
        let m = mean(t, 0.95).unwrap();
        let d = &avg.dimensions[k];
        assert!(close(d.estimate, (m.estimate - 1.0) * 25.0, 1e-12));
        assert!(close(d.std_error, m.std_error * 25.0, 1e-12));
        assert!(close(d.mean, m.estimate, 1e-12));
    }
}

#[test]
fn identical_dimensions_have_the_standard_error_of_one() {
    // Perfectly correlated dimensions: the index is one dimension's score, and so is its SE
    // (treating the dimensions as independent would divide it by √3).
    let dt = data(500, 1, &[Scale::agreement()], 3);
    let col = &dt.cols[0];
    let s = CxSummary::from_columns(
        Dimension::defaults(),
        &[col.as_slice(), col, col],
        Some(&dt.weights),
        false,
    )
    .unwrap();
    let r = cx_index(&s, &CxOptions::default()).unwrap();
    assert!(close(r.std_error, r.dimensions[0].std_error, 1e-12));
}

#[test]
fn hand_worked_example() {
    // The example of `cx_index`'s documentation, influence values written out by hand.
    let eff = [5.0, 4.0, 2.0, 5.0, 3.0, 4.0];
    let ease = [4.0, 2.0, 1.0, 5.0, NAN, 4.0];
    let emo = [5.0, 3.0, 2.0, 4.0, 1.0, NAN];
    let s = CxSummary::from_columns(Dimension::defaults(), &[&eff[..], &ease, &emo], None, false)
        .unwrap();
    let r = cx_index(&s, &CxOptions::default()).unwrap();
    let third = 1.0 / 3.0;
    // zᵢ = ⅓ [(y_eff − .5)/6 + (y_ease − .2)/5 + (y_emo − 0)/5] over the answered dimensions
    let z = [
        third * (0.5 / 6.0 + 0.8 / 5.0 + 1.0 / 5.0),
        third * (0.5 / 6.0 - 1.2 / 5.0),
        third * (-1.5 / 6.0 - 1.2 / 5.0 - 1.0 / 5.0),
        third * (0.5 / 6.0 + 0.8 / 5.0 + 1.0 / 5.0),
        third * (-0.5 / 6.0 - 1.0 / 5.0),
        third * (0.5 / 6.0 + 0.8 / 5.0),
    ];
    let se = 100.0 * z.iter().map(|z| z * z).sum::<f64>().sqrt();
    assert!(close(r.estimate, 70.0 / 3.0, 1e-14));
    assert!(close(r.std_error, se, 1e-12));
    assert!((r.std_error - 33.8825).abs() < 1e-4);
    assert_eq!(r.band, Band::VeryPoor);
    assert_eq!(r.weakest, "emotion");
    let est: Vec<f64> = r.dimensions.iter().map(|d| d.estimate).collect();
    assert_eq!(est, vec![50.0, 20.0, 0.0]);
    let m = cx_index(
        &s,
        &CxOptions {
            method: CxMethod::Mean,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(close(
        m.dimensions[0].estimate,
        (23.0 / 6.0 - 1.0) * 25.0,
        1e-14
    ));
    assert!(close(
        m.estimate,
        ((23.0 / 6.0 - 1.0) * 25.0 + 55.0 + 50.0) / 3.0,
        1e-14
    ));
    let bands = Bands::new(&[0.0, 20.0, 40.0, 60.0]).unwrap();
    let custom = cx_index(
        &s,
        &CxOptions {
            bands,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(custom.band, Band::Okay); // 23.3 is in [20, 40)
    assert_eq!(custom.dimensions[2].band, Band::Poor); // 0 is at the first cut-off
}

#[test]
fn delta_method_agrees_with_a_seeded_bootstrap() {
    // Resample respondents (rows, all dimensions together) with replacement, recompute the
    // index from raw data, and compare the bootstrap SD with the delta-method SE.
    let dims = Dimension::defaults();
    let scales = [Scale::agreement(); 3];
    let dt = data(1500, 1, &scales, 99);
    for (method, weighted) in [(CxMethod::Net, false), (CxMethod::Mean, true)] {
        let w: Vec<f64> = if weighted {
            dt.weights.clone()
        } else {
            vec![1.0; dt.weights.len()]
        };
        let s = CxSummary::from_columns(dims.clone(), &slices(&dt.cols), Some(&w), false).unwrap();
        let se = cx_index(
            &s,
            &CxOptions {
                method,
                ..Default::default()
            },
        )
        .unwrap()
        .std_error;
        let mut rng = ChaCha8Rng::seed_from_u64(2024);
        let n = dt.weights.len();
        let reps = 1000;
        let mut draws = Vec::with_capacity(reps);
        for _ in 0..reps {
            let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
            let cols: Vec<Vec<f64>> = dt
                .cols
                .iter()
                .map(|c| idx.iter().map(|&i| c[i]).collect())
                .collect();
            let ws: Vec<f64> = idx.iter().map(|&i| w[i]).collect();
            draws.push(brute(&cols, &scales, &ws, &[1.0; 3], method, false).0);
        }
        let m = draws.iter().sum::<f64>() / reps as f64;
        let sd = (draws.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
        // 1,000 resamples estimate an SD within about ±4.5% (2 SE of an SD estimate).
        assert!(
            (sd / se - 1.0).abs() < 0.07,
            "{method}: bootstrap {sd} vs delta {se}"
        );
    }
}

#[test]
fn unit_weights_equal_no_weights_and_rows_equal_columns() {
    let dims = mixed_dims();
    let scales: Vec<Scale> = dims.iter().map(|d| d.scale).collect();
    let dt = data(1000, 1, &scales, 5);
    let ones = vec![1.0; 1000];
    let a = CxSummary::from_columns(dims.clone(), &slices(&dt.cols), None, false).unwrap();
    let b = CxSummary::from_columns(dims.clone(), &slices(&dt.cols), Some(&ones), false).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        cx_index(&a, &CxOptions::default()).unwrap(),
        cx_index(&b, &CxOptions::default()).unwrap()
    );
    let matrix = ndarray::Array2::from_shape_fn((1000, 4), |(i, k)| dt.cols[k][i]);
    let rows = CxSummary::from_rows(dims.clone(), matrix.view(), None, false).unwrap();
    assert_eq!(rows, a);
    let transposed = matrix.t().to_owned();
    let f_order = CxSummary::from_rows(dims.clone(), transposed.t(), None, false).unwrap();
    assert_eq!(f_order, a);
    let ints: Vec<Vec<i32>> = dt
        .cols
        .iter()
        .map(|c| {
            c.iter()
                .map(|&x| if x.is_nan() { -99 } else { x as i32 })
                .collect()
        })
        .collect();
    let e = CxSummary::from_columns(
        dims,
        &ints.iter().map(Vec::as_slice).collect::<Vec<_>>(),
        None,
        false,
    )
    .unwrap_err();
    assert_eq!(e.code(), "out_of_scale");
}

#[test]
fn require_all_equals_complete_cases() {
    let dims = Dimension::defaults();
    let dt = data(1200, 1, &[Scale::agreement(); 3], 8);
    let complete: Vec<usize> = (0..1200)
        .filter(|&i| dt.cols.iter().all(|c| !c[i].is_nan()))
        .collect();
    let cc: Vec<Vec<f64>> = dt
        .cols
        .iter()
        .map(|c| complete.iter().map(|&i| c[i]).collect())
        .collect();
    let cw: Vec<f64> = complete.iter().map(|&i| dt.weights[i]).collect();
    let all =
        CxSummary::from_columns(dims.clone(), &slices(&dt.cols), Some(&dt.weights), true).unwrap();
    let only = CxSummary::from_columns(dims, &slices(&cc), Some(&cw), true).unwrap();
    let (a, b) = (
        cx_index(&all, &CxOptions::default()).unwrap(),
        cx_index(&only, &CxOptions::default()).unwrap(),
    );
    assert_eq!(a.estimate, b.estimate);
    assert_eq!(a.std_error, b.std_error);
    assert_eq!(a.n, complete.len() as u64);
    assert_eq!(a.missing, (1200 - complete.len()) as u64);
    assert!(a.require_all);
    for d in &a.dimensions {
        assert_eq!(d.n, a.n);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Merging the summaries of any partition equals the summary of all rows: exactly when
    /// unweighted, to rounding when weighted; so do the indexes.
    #[test]
    fn merge_of_any_split_equals_whole(seed in 0u64..1000, cuts in proptest::collection::vec(0usize..300, 0..4), weighted: bool) {
        let dims = mixed_dims();
        let scales: Vec<Scale> = dims.iter().map(|d| d.scale).collect();
        let dt = data(300, 1, &scales, seed);
        let w = weighted.then_some(dt.weights.as_slice());
        let whole = CxSummary::from_columns(dims.clone(), &slices(&dt.cols), w, false).unwrap();
        let mut cuts = cuts;
        cuts.push(0);
        cuts.push(300);
        cuts.sort_unstable();
        let mut merged = CxSummary::new(dims.clone(), false).unwrap();
        for win in cuts.windows(2) {
            let part: Vec<&[f64]> = dt.cols.iter().map(|c| &c[win[0]..win[1]]).collect();
            let pw = w.map(|w| &w[win[0]..win[1]]);
            merged.merge(&CxSummary::from_columns(dims.clone(), &part, pw, false).unwrap()).unwrap();
        }
        if !weighted {
            prop_assert_eq!(&merged, &whole);
        }
        let (a, b) = (cx_index(&merged, &CxOptions::default()).unwrap(), cx_index(&whole, &CxOptions::default()).unwrap());
        prop_assert!(close(a.estimate, b.estimate, 1e-12));
        prop_assert!(close(a.std_error, b.std_error, 1e-9));
        prop_assert_eq!(a.n, b.n);
        let json = CxSummary::from_json(&merged.to_json()).unwrap();
        prop_assert_eq!(json, merged);
    }
}

#[test]
fn streaming_pushes_equal_the_batch() {
    let dims = Dimension::defaults();
    let dt = data(200, 1, &[Scale::agreement(); 3], 4);
    let batch =
        CxSummary::from_columns(dims.clone(), &slices(&dt.cols), Some(&dt.weights), false).unwrap();
    let mut s = CxSummary::new(dims, false).unwrap();
    for i in 0..200 {
        let row: Vec<f64> = dt.cols.iter().map(|c| c[i]).collect();
        s.push_weighted(&row, dt.weights[i]).unwrap();
    }
    let (a, b) = (
        cx_index(&s, &CxOptions::default()).unwrap(),
        cx_index(&batch, &CxOptions::default()).unwrap(),
    );
    assert!(close(a.std_error, b.std_error, 1e-12));
    assert_eq!(s.tally(1).counts(), batch.tally(1).counts());
    let before = s.clone();
    assert_eq!(s.push(&[1.0, 2.0]).unwrap_err().code(), "length_mismatch");
    assert_eq!(s.push(&[1.0, 9.0, 2.0]).unwrap_err().code(), "out_of_scale");
    assert_eq!(
        s.push_weighted(&[1.0, 2.0, 2.0], -1.0).unwrap_err().code(),
        "invalid_weight"
    );
    assert_eq!(s, before);
    // the weight of a row without any answer is ignored, and the row counted as missing
    s.push_weighted(&[NAN, NAN, NAN], f64::NAN).unwrap();
    assert_eq!((s.n(), s.missing()), (before.n(), before.missing() + 1));
}

#[test]
fn serialised_summaries_are_validated() {
    let s = CxSummary::from_columns(
        Dimension::defaults(),
        &[&[5.0, 1.0][..], &[4.0, 2.0], &[3.0, NAN]],
        Some(&[1.0, 2.0]),
        false,
    )
    .unwrap();
    let json = s.to_json();
    assert!(json.starts_with(r#"{"format":"cxkit.cx_summary","version":1,"#));
    assert_eq!(CxSummary::from_json(&json).unwrap(), s);
    for bad in [
        json.replace(r#""version":1"#, r#""version":2"#),
        json.replace(r#""respondents":2"#, r#""respondents":1"#),
        json.replace(r#""name":"ease""#, r#""name":"effectiveness""#),
        json.replace(r#""weight":3.0"#, r#""weight":-3.0"#),
        json.replace(r#""pairs":[["#, r#""pairs":[[1.0,"#),
        "{}".to_string(),
    ] {
        assert_ne!(bad, json);
        assert_eq!(
            CxSummary::from_json(&bad).unwrap_err().code(),
            "unreadable_summary",
            "{bad}"
        );
    }
    let other_rule = CxSummary::new(Dimension::defaults(), true).unwrap();
    assert_eq!(
        s.merged(&other_rule).unwrap_err().code(),
        "invalid_argument"
    );
    let other_scale = CxSummary::new(
        Dimension::all_on(&["effectiveness", "ease", "emotion"], Scale::ces()),
        false,
    )
    .unwrap();
    assert_eq!(s.merged(&other_scale).unwrap_err().code(), "scale_mismatch");
}

/// Rows of `d` in group `g` (all groups when `None`), as columns and weights.
fn subset(d: &Data, keep: impl Fn(u32) -> bool) -> (Vec<Vec<f64>>, Vec<f64>) {
    let idx: Vec<usize> = (0..d.weights.len())
        .filter(|&i| keep(d.groups[i]))
        .collect();
    (
        d.cols
            .iter()
            .map(|c| idx.iter().map(|&i| c[i]).collect())
            .collect(),
        idx.iter().map(|&i| d.weights[i]).collect(),
    )
}

#[test]
fn segments_equal_filter_then_compute() {
    let dims = mixed_dims();
    let scales: Vec<Scale> = dims.iter().map(|d| d.scale).collect();
    let dt = data(4000, 5, &scales, 21);
    let g = GroupedCxSummary::from_columns(
        dims.clone(),
        &dt.groups,
        0,
        5,
        &slices(&dt.cols),
        Some(&dt.weights),
        false,
    )
    .unwrap();
    let options = CxSegmentOptions {
        reference: Some(2),
        ..Default::default()
    };
    let t = cx_segments(&g, &options).unwrap();
    let mut raw_p = vec![];
    let one = |cols: &[Vec<f64>], w: &[f64]| {
        let s = CxSummary::from_columns(dims.clone(), &slices(cols), Some(w), false).unwrap();
        cx_index(&s, &CxOptions::default()).unwrap()
    };
    let (ref_cols, ref_w) = subset(&dt, |c| c == 2);
    let reference = one(&ref_cols, &ref_w);
    for (grp, row) in t.rows.iter().enumerate() {
        let (oc, ow) = subset(&dt, |c| c == grp as u32);
        let (rc, rw) = subset(&dt, |c| c != grp as u32);
        let (own, rest) = (one(&oc, &ow), one(&rc, &rw));
        let full = row.index.as_ref().unwrap();
        assert!(close(full.estimate, own.estimate, 1e-12));
        assert!(close(
            row.row.summary.std_error.unwrap(),
            own.std_error,
            1e-9
        ));
        assert_eq!(full.weakest, own.weakest);
        assert_eq!(row.row.summary.n, own.n);
        let c = row.row.vs_rest.as_ref().unwrap();
        let se = (own.std_error.powi(2) + rest.std_error.powi(2)).sqrt();
        let z = (own.estimate - rest.estimate) / se;
        assert!(close(c.difference, own.estimate - rest.estimate, 1e-9));
        assert!(close(c.std_error, se, 1e-9));
        assert!(close(c.p_value, two_sided_p(z), 1e-9));
        raw_p.push(c.p_value);
        match &row.row.vs_reference {
            None => assert_eq!(grp, 2),
            Some(c) => assert!(close(c.difference, own.estimate - reference.estimate, 1e-9)),
        }
    }
    let holm = adjust_p_values(&raw_p, Adjust::Holm);
    for (row, p) in t.rows.iter().zip(holm) {
        let c = row.row.vs_rest.as_ref().unwrap();
        assert!(close(c.p_adjusted, p, 1e-12));
        assert_eq!(c.significant, p < 0.05);
    }
    let all = one(&dt.cols, &dt.weights);
    assert!(close(
        t.overall_index.unwrap().estimate,
        all.estimate,
        1e-12
    ));
    // the groups genuinely differ: the lowest and highest groups are significant
    assert!(t.rows[0].row.vs_rest.as_ref().unwrap().significant);
}

#[test]
fn small_and_empty_groups_are_reported_not_tested() {
    let dims = Dimension::defaults();
    let groups = [0u32, 0, 1, 1, 1];
    let eff = [5.0, 4.0, 2.0, 3.0, NAN];
    let ease = [4.0, 4.0, NAN, NAN, NAN];
    let emo = [5.0, 3.0, 1.0, 2.0, 2.0];
    let g =
        GroupedCxSummary::from_columns(dims, &groups, 0, 3, &[&eff[..], &ease, &emo], None, false)
            .unwrap();
    let t = cx_segments(&g, &CxSegmentOptions::default()).unwrap();
    assert!(t
        .rows
        .iter()
        .all(|r| r.row.too_small && r.row.vs_rest.is_none()));
    // group 1 never answered ease: no index; group 2 has no rows at all
    assert!(t.rows[1].index.is_none() && t.rows[1].row.summary.estimate.is_none());
    assert_eq!(t.rows[1].row.summary.n, 3);
    assert_eq!(
        (t.rows[2].row.summary.n, t.rows[2].index.is_none()),
        (0, true)
    );
    let bad = CxSegmentOptions {
        reference: Some(3),
        ..Default::default()
    };
    assert_eq!(cx_segments(&g, &bad).unwrap_err().code(), "unknown_group");
    let e = GroupedCxSummary::from_columns(
        Dimension::defaults(),
        &[0u32, 3],
        0,
        3,
        &[&[1.0, 2.0][..], &[1.0, 2.0], &[1.0, 2.0]],
        None,
        false,
    )
    .unwrap_err();
    assert_eq!(e.code(), "group_out_of_range");
}

#[test]
fn trend_windows_equal_the_merged_periods() {
    let dims = Dimension::defaults();
    let dt = data(3000, 6, &[Scale::agreement(); 3], 31);
    let g = GroupedCxSummary::from_columns(
        dims.clone(),
        &dt.groups,
        0,
        6,
        &slices(&dt.cols),
        None,
        false,
    )
    .unwrap();
    let options = CxTrendOptions {
        window: Some(3),
        ..Default::default()
    };
    let rows = cx_trend(g.groups(), &options).unwrap();
    let mut raw_p = vec![];
    for (i, r) in rows.iter().enumerate() {
        let full = r.index.as_ref().unwrap();
        assert_eq!(r.row.summary.estimate, Some(full.estimate));
        if i >= 2 {
            let (cols, _) = subset(&dt, |c| (c as usize) + 2 >= i && (c as usize) <= i);
            let s = CxSummary::from_columns(dims.clone(), &slices(&cols), None, false).unwrap();
            let expect = cx_index(&s, &CxOptions::default()).unwrap();
            let rolled = &r.row.rolling.as_ref().unwrap().summary;
            assert!(close(rolled.estimate.unwrap(), expect.estimate, 1e-12));
            assert_eq!(rolled.n, expect.n);
        } else {
            assert!(r.row.rolling.is_none());
        }
        if i > 0 {
            let prev = rows[i - 1].index.as_ref().unwrap();
            let c = r.row.change.as_ref().unwrap();
            assert!(close(c.difference, full.estimate - prev.estimate, 1e-12));
            raw_p.push(c.p_value);
        }
    }
    let holm = adjust_p_values(&raw_p, Adjust::Holm);
    for (r, p) in rows[1..].iter().zip(holm) {
        assert!(close(r.row.change.as_ref().unwrap().p_adjusted, p, 1e-12));
    }
    let bad = CxTrendOptions {
        window: Some(0),
        ..Default::default()
    };
    assert_eq!(
        cx_trend(g.groups(), &bad).unwrap_err().code(),
        "invalid_argument"
    );
}

#[test]
fn bad_input_is_a_clear_error() {
    let dims = Dimension::defaults();
    let s = CxSummary::from_columns(
        dims.clone(),
        &[&[5.0, 4.0][..], &[4.0, 1.0], &[3.0, 2.0]],
        None,
        false,
    )
    .unwrap();
    let e = cx_index(
        &s,
        &CxOptions {
            dim_weights: DimWeights::Given(vec![1.0, 2.0]),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "length mismatch: dims has 3 elements but dim_weights has 2"
    );
    let e = cx_index(
        &s,
        &CxOptions {
            level: 1.5,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_level");
    let e = Bands::new(&[55.0, 65.0, 60.0, 85.0]).unwrap_err();
    assert!(e.to_string().contains("strictly increasing"), "{e}");
    let e = cx_core::dimension_index(&dims, "emotions").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid argument `dims` = \"emotions\": expected the name of a dimension: \
         \"effectiveness\", \"ease\", \"emotion\""
    );
    let e = CxSummary::from_columns(
        dims.clone(),
        &[&[5.0, 4.0][..], &[4.0], &[3.0, 2.0]],
        None,
        false,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "length mismatch: dimension 1 has 2 elements but dimension 2 has 1"
    );
    let e = CxSummary::from_columns(
        dims,
        &[&[5.0, 4.0][..], &[4.0, 3.0], &[3.0, 2.0]],
        Some(&[1.0, 1.0, 1.0]),
        false,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "length mismatch: respondents has 2 elements but weights has 3"
    );
    assert_eq!(
        "median".parse::<CxMethod>().unwrap_err().code(),
        "invalid_argument"
    );
}
