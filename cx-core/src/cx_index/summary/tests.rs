use super::accumulate::{Accumulator, Layout, Patterns, PARALLEL_CHUNK};
use super::answers::Columns;
use super::dimension::dimension_label;
use super::*;
use crate::scale::Scale;

#[test]
fn pair_index_is_dense_and_ordered() {
    for k in 1..7 {
        let mut expect = 0;
        for a in 0..k {
            for b in a + 1..k {
                assert_eq!(pair_index(a, b, k), expect);
                expect += 1;
            }
        }
    }
}

#[test]
fn pair_tables_count_both_answered() {
    let a = [1.0, 5.0, f64::NAN, 4.0];
    let b = [2.0, 5.0, 3.0, f64::NAN];
    let c = [1.0, f64::NAN, 5.0, 4.0];
    let dims = Dimension::all_on(&["a", "b", "c"], Scale::agreement());
    let s =
        CxSummary::from_columns(dims, &[&a, &b, &c], Some(&[2.0, 1.0, 3.0, 0.5]), false).unwrap();
    // (a, b): rows 0 and 1 answered both: cells (0, 1) and (4, 4)
    let ab = s.pair(0, 1);
    assert_eq!(ab[1], 4.0);
    assert_eq!(ab[4 * 5 + 4], 1.0);
    assert_eq!(ab.iter().sum::<f64>(), 5.0);
    // (b, c): rows 0 and 2: cells (1, 0) and (2, 4)
    assert_eq!(s.pair(2, 1), s.pair(1, 2));
    assert_eq!((s.pair(1, 2)[5], s.pair(1, 2)[2 * 5 + 4]), (4.0, 9.0));
    assert_eq!(s.n(), 4);
    assert_eq!(s.tally(2).missing(), 1);
    assert_eq!(s.total_weight(), 6.5);
}

/// Both accumulation paths on the same columns: (patterns, rows) summaries or errors.
fn both_paths(
    dims: &[Dimension],
    cols: &[&[f64]],
    groups: &[u32],
    n_groups: usize,
    weights: Option<&[f64]>,
    require_all: bool,
) -> (Result<Vec<CxSummary>>, Result<Vec<CxSummary>>) {
    let layout = Layout::new(dims);
    let data = Columns(cols);
    let group_of = |i: usize| {
        let g = groups[i] as usize;
        if g < n_groups {
            Ok(g)
        } else {
            Err(CxError::GroupOutOfRange {
                index: i,
                group: g as i64,
                groups: n_groups,
            })
        }
    };
    let run = |patterns: bool| {
        let mut acc = Accumulator::new(layout.clone(), require_all, n_groups, weights.is_some());
        if patterns {
            let p = Patterns::of(&layout, n_groups).expect("few patterns");
            acc.add_patterns(p, &data, group_of, weights)?;
        } else {
            acc.add_rows(&data, 0..data.rows(), group_of, weights)?;
        }
        Ok(acc.finish(dims))
    };
    (run(true), run(false))
}

#[test]
fn weights_over_many_magnitudes_are_summed_exactly_on_both_paths() {
    // a million respondents of weight 1 after one of weight 1e16: naive sums drop every 1
    let n = 1_000_001;
    let weights: Vec<f64> = (0..n).map(|i| if i == 0 { 1e16 } else { 1.0 }).collect();
    let a: Vec<f64> = (0..n).map(|i| f64::from(1 + (i % 5) as u8)).collect();
    let b = vec![4.0; n];
    let want: f64 = 1e16 + 1e6;
    let check = |s: &CxSummary| {
        assert_eq!(s.total_weight(), want);
        assert_eq!(s.tally(1).total_weight(), want);
        let per_point: f64 = s.tally(0).weights().iter().sum();
        assert_eq!(per_point, want);
        // the pair table of (a, b) holds the squared weights: 1e32 + 1e6
        let pairs: f64 = s.pair(0, 1).iter().sum();
        assert_eq!(pairs, 1e32 + 1e6);
    };
    // few points: by answer patterns
    let dims = Dimension::all_on(&["a", "b"], Scale::agreement());
    check(&CxSummary::from_columns(dims, &[&a, &b], Some(&weights), false).unwrap());
    // very many points: row by row
    let wide = Scale::new(0, 100).unwrap();
    let dims = Dimension::all_on(&["a", "b", "c", "d", "e"], wide);
    assert!(Patterns::of(&Layout::new(&dims), 1).is_none());
    let cols: [&[f64]; 5] = [&a, &b, &b, &b, &b];
    check(&CxSummary::from_columns(dims, &cols, Some(&weights), false).unwrap());
}

#[test]
fn patterns_equal_rows() {
    let dims = vec![
        Dimension::new("a", Scale::agreement()),
        Dimension::new("b", Scale::ces()),
        Dimension::new("c", Scale::new(0, 10).unwrap()),
    ];
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let n = 5000; // more than two blocks
    let mut cols = vec![vec![]; 3];
    let mut groups = vec![];
    let mut weights = vec![];
    for _ in 0..n {
        for (c, d) in cols.iter_mut().zip(&dims) {
            let r = next();
            c.push(if r % 13 == 0 {
                f64::NAN
            } else {
                f64::from(d.scale.lowest()) + (r % d.scale.points() as u64) as f64
            });
        }
        groups.push((next() % 4) as u32);
        weights.push(0.5 + (next() % 4) as f64);
    }
    let slices: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    for require_all in [false, true] {
        let (p, r) = both_paths(&dims, &slices, &groups, 4, None, require_all);
        assert_eq!(p.unwrap(), r.unwrap());
        let (p, r) = both_paths(&dims, &slices, &groups, 4, Some(&weights), require_all);
        let (p, r) = (p.unwrap(), r.unwrap());
        for (a, b) in p.iter().zip(&r) {
            assert_eq!((a.n(), a.missing()), (b.n(), b.missing()));
            assert!((a.total_weight() - b.total_weight()).abs() < 1e-9);
            for k in 0..3 {
                assert_eq!(a.tally(k).counts(), b.tally(k).counts());
                assert_eq!(a.tally(k).missing(), b.tally(k).missing());
                for (x, y) in a.tally(k).weights_sq().iter().zip(b.tally(k).weights_sq()) {
                    assert!((x - y).abs() < 1e-9);
                }
            }
            for (x, y) in a.pair(0, 2).iter().zip(b.pair(0, 2)) {
                assert!((x - y).abs() < 1e-9);
            }
        }
    }
    // Errors: the first in row order, whichever path finds it.
    let mut bad = cols.clone();
    bad[2][4100] = 11.0; // a later dimension, a later row
    bad[0][4200] = 0.0;
    let mut bad_w = weights.clone();
    bad_w[4099] = -1.0;
    let mut bad_g = groups.clone();
    bad_g[4098] = 9;
    let slices: Vec<&[f64]> = bad.iter().map(Vec::as_slice).collect();
    for (g, w) in [
        (&groups, None),
        (&groups, Some(&weights)),
        (&groups, Some(&bad_w)),
        (&bad_g, Some(&bad_w)),
    ] {
        let (p, r) = both_paths(&dims, &slices, g, 4, w.map(Vec::as_slice), false);
        assert_eq!(p.unwrap_err(), r.unwrap_err());
    }
    let (p, _) = both_paths(&dims, &slices, &bad_g, 4, Some(&bad_w), false);
    assert_eq!(p.unwrap_err().code(), "group_out_of_range");
    let (p, _) = both_paths(&dims, &slices, &groups, 4, None, false);
    assert_eq!(
        p.unwrap_err(),
        CxError::OutOfScale {
            index: 4100,
            value: 11.0,
            lowest: 0,
            highest: 10
        }
    );
}

/// Parallel counting (unweighted, large inputs) equals one thread, and reports the first
/// bad row.
#[test]
fn parallel_counting_equals_one_thread() {
    let n = 2 * PARALLEL_CHUNK + 12_345;
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut cols: Vec<Vec<u8>> = (0..3)
        .map(|_| (0..n).map(|_| 1 + (next() % 5) as u8).collect())
        .collect();
    let groups: Vec<u32> = (0..n).map(|_| (next() % 7) as u32).collect();
    let dims = Dimension::defaults();
    let run = |threads: usize, cols: &[Vec<u8>]| {
        let slices: Vec<&[u8]> = cols.iter().map(Vec::as_slice).collect();
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                GroupedCxSummary::from_columns(dims.clone(), &groups, 0, 7, &slices, None, true)
            })
    };
    assert_eq!(run(3, &cols).unwrap(), run(1, &cols).unwrap());
    cols[1][n - 5] = 9;
    cols[2][PARALLEL_CHUNK + 3] = 0;
    let e = run(3, &cols).unwrap_err();
    assert_eq!(e, run(1, &cols).unwrap_err());
    assert_eq!(
        e,
        CxError::OutOfScale {
            index: PARALLEL_CHUNK + 3,
            value: 0.0,
            lowest: 1,
            highest: 5
        }
    );
}

#[test]
fn bad_shapes_are_errors() {
    let dims = Dimension::defaults();
    let short: &[f64] = &[1.0, 2.0];
    let long: &[f64] = &[1.0, 2.0, 3.0];
    let e = CxSummary::from_columns(dims.clone(), &[long, short, long], None, false).unwrap_err();
    assert_eq!(
        e,
        CxError::LengthMismatch {
            left_name: "dimension 1",
            left: 3,
            right_name: "dimension 2",
            right: 2
        }
    );
    let e = CxSummary::from_columns(dims.clone(), &[long, long], None, false).unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    let e = CxSummary::from_columns(dims.clone(), &[long; 3], Some(&[1.0]), false).unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    let mut twice = dims.clone();
    twice[2].name = "ease".into();
    assert_eq!(
        CxSummary::new(twice, false).unwrap_err().code(),
        "invalid_argument"
    );
    assert_eq!(
        CxSummary::new(vec![], false).unwrap_err().code(),
        "invalid_argument"
    );
    let e =
        CxSummary::from_columns(dims, &[long, &[1.0, 6.0, 3.0], long], None, false).unwrap_err();
    assert_eq!(
        e,
        CxError::OutOfScale {
            index: 1,
            value: 6.0,
            lowest: 1,
            highest: 5
        }
    );
    assert_eq!(dimension_label(20), "a later dimension");
}
