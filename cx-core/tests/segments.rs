//! Segments and trends against brute force: each group's numbers equal filter-then-compute,
//! the rest is the complement, tests and adjustments are written out by hand, merging partitions
//! equals the whole, and rolling windows equal the tally of the concatenated periods.

use cx_core::inference::{adjust_p_values, two_sided_p};
use cx_core::period::{days_from_civil, Freq, Periods, MISSING_DAY};
use cx_core::{
    grouping, mean, nps, segments, top_box, trend, Adjust, GroupedTally, Metric, NpsOptions,
    ProportionOptions, Scale, SegmentOptions, Tally, TrendOptions,
};
use proptest::prelude::*;

/// Deterministic data: `n` rows over `g` groups with group-dependent score distributions.
fn data(n: usize, g: u32, seed: u64) -> (Vec<u32>, Vec<f64>, Vec<f64>) {
    let mut s = seed | 1;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut codes = Vec::with_capacity(n);
    let mut values = Vec::with_capacity(n);
    let mut weights = Vec::with_capacity(n);
    for _ in 0..n {
        let grp = (next() % u64::from(g)) as u32;
        // shift each group's scores by its code so groups genuinely differ
        let v = if next() % 40 == 0 {
            f64::NAN
        } else {
            ((next() % 11 + u64::from(grp)) % 11) as f64
        };
        codes.push(grp);
        values.push(v);
        weights.push(0.25 + (next() % 8) as f64 * 0.25);
    }
    (codes, values, weights)
}

fn subset(codes: &[u32], values: &[f64], weights: &[f64], keep: impl Fn(u32) -> bool) -> Tally {
    let (v, w): (Vec<f64>, Vec<f64>) = codes
        .iter()
        .zip(values.iter().zip(weights))
        .filter(|(c, _)| keep(**c))
        .map(|(_, (v, w))| (*v, *w))
        .unzip();
    Tally::from_values(Scale::nps(), &v, Some(&w)).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn every_group_equals_filter_then_compute_for_nps() {
    let (codes, values, weights) = data(5000, 6, 42);
    let g = GroupedTally::from_values(Scale::nps(), &codes, 6, &values, Some(&weights)).unwrap();
    let s = segments(&g, &SegmentOptions::default()).unwrap();
    let o = NpsOptions::default();
    let mut raw_p = vec![];
    for (grp, row) in s.rows.iter().enumerate() {
        let own = subset(&codes, &values, &weights, |c| c == grp as u32);
        let rest = subset(&codes, &values, &weights, |c| c != grp as u32);
        let (a, b) = (nps(&own, &o).unwrap(), nps(&rest, &o).unwrap());
        assert_eq!(row.summary.n, own.n());
        assert_eq!(row.summary.missing, own.missing());
        assert!(close(row.summary.estimate.unwrap(), a.estimate));
        assert!(close(row.summary.interval.unwrap().lower, a.interval.lower));
        let c = row.vs_rest.as_ref().unwrap();
        let se = (a.std_error.powi(2) + b.std_error.powi(2)).sqrt();
        let z = (a.estimate - b.estimate) / se;
        assert!(close(c.difference, a.estimate - b.estimate));
        assert!(close(c.std_error, se));
        assert!(close(c.statistic, z));
        assert!(close(c.p_value, two_sided_p(z)));
        raw_p.push(c.p_value);
    }
    // Holm by hand over the six tested groups.
    let m = raw_p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&x, &y| raw_p[x].total_cmp(&raw_p[y]));
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * raw_p[i]).min(1.0));
        let c = s.rows[i].vs_rest.as_ref().unwrap();
        assert!(close(c.p_adjusted, running));
        assert_eq!(c.significant, running < 0.05);
    }
    // overall equals the tally of everything
    let all = subset(&codes, &values, &weights, |_| true);
    assert!(close(
        s.overall.estimate.unwrap(),
        nps(&all, &o).unwrap().estimate
    ));
}

#[test]
fn shares_and_means_use_their_own_tests() {
    let (codes, values, _) = data(3000, 3, 7);
    let ones = vec![1.0; codes.len()];
    let g = GroupedTally::from_values(Scale::nps(), &codes, 3, &values, None).unwrap();
    let box_metric = Metric::TopBox(ProportionOptions::default());
    let s = segments(
        &g,
        &SegmentOptions {
            metric: box_metric,
            adjust: Adjust::Bh,
            ..Default::default()
        },
    )
    .unwrap();
    let own = subset(&codes, &values, &ones, |c| c == 1);
    let rest = subset(&codes, &values, &ones, |c| c != 1);
    let (a, b) = (
        top_box(&own, &ProportionOptions::default()).unwrap(),
        top_box(&rest, &ProportionOptions::default()).unwrap(),
    );
    let c = s.rows[1].vs_rest.as_ref().unwrap();
    assert!(close(c.difference, a.estimate - b.estimate));
    assert!(close(
        c.std_error,
        (a.std_error.powi(2) + b.std_error.powi(2)).sqrt()
    ));
    let p: Vec<f64> = s
        .rows
        .iter()
        .map(|r| r.vs_rest.as_ref().unwrap().p_value)
        .collect();
    let bh = adjust_p_values(&p, Adjust::Bh);
    for (r, want) in s.rows.iter().zip(bh) {
        assert!(close(r.vs_rest.as_ref().unwrap().p_adjusted, want));
    }

    // Welch: t = diff / √(v₁ + v₂), ν by Welch-Satterthwaite, written out here.
    let m = segments(
        &g,
        &SegmentOptions {
            metric: Metric::Mean { level: 0.95 },
            ..Default::default()
        },
    )
    .unwrap();
    let (ma, mb) = (mean(&own, 0.95).unwrap(), mean(&rest, 0.95).unwrap());
    let (va, vb) = (ma.std_error.powi(2), mb.std_error.powi(2));
    let df =
        (va + vb).powi(2) / (va * va / (own.n() as f64 - 1.0) + vb * vb / (rest.n() as f64 - 1.0));
    let c = m.rows[1].vs_rest.as_ref().unwrap();
    assert!(close(c.difference, ma.estimate - mb.estimate));
    assert!(close(
        c.statistic,
        (ma.estimate - mb.estimate) / (va + vb).sqrt()
    ));
    assert!(close(c.df.unwrap(), df));
    assert!(c.p_value > 0.0 && c.p_value <= 1.0);
}

#[test]
fn small_groups_are_flagged_and_left_out_of_the_family() {
    // group 2 has 10 answers only
    let mut codes = vec![0u32; 200];
    codes.extend(vec![1u32; 200]);
    codes.extend(vec![2u32; 10]);
    let values: Vec<u8> = (0..codes.len()).map(|i| (i * 7 % 11) as u8).collect();
    let g = GroupedTally::from_values(Scale::nps(), &codes, 3, &values, None).unwrap();
    let s = segments(
        &g,
        &SegmentOptions {
            reference: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(s.rows[2].too_small && s.rows[2].vs_rest.is_none());
    assert!(
        s.rows[2].summary.estimate.is_some(),
        "reported, not dropped"
    );
    assert!(!s.rows[0].too_small && s.rows[0].vs_rest.is_some());
    // family of two: Holm multiplies the smaller p by 2
    let p: Vec<f64> = s.rows[..2]
        .iter()
        .map(|r| r.vs_rest.as_ref().unwrap().p_value)
        .collect();
    let holm = adjust_p_values(&p, Adjust::Holm);
    assert!(close(
        s.rows[0].vs_rest.as_ref().unwrap().p_adjusted,
        holm[0]
    ));
    // reference: group 1 vs group 0; none on the reference itself or the small group
    assert!(s.rows[0].vs_reference.is_none());
    assert!(s.rows[2].vs_reference.is_none());
    let vr = s.rows[1].vs_reference.as_ref().unwrap();
    let o = NpsOptions::default();
    let (a, b) = (
        nps(&g.group(1).unwrap(), &o).unwrap(),
        nps(&g.group(0).unwrap(), &o).unwrap(),
    );
    assert!(close(vr.difference, a.estimate - b.estimate));
    assert_eq!(vr.p_adjusted, vr.p_value, "a family of one is not adjusted");
}

#[test]
fn errors_name_the_problem() {
    let g = GroupedTally::from_values(Scale::nps(), &[0, 1], 2, &[9u8, 3], None).unwrap();
    let e = segments(
        &g,
        &SegmentOptions {
            reference: Some(5),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "unknown_group");
    let e = segments(
        &g,
        &SegmentOptions {
            alpha: 1.5,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("alpha"));
    let e = GroupedTally::from_values(Scale::nps(), &[0, 2], 2, &[9u8, 3], None).unwrap_err();
    assert_eq!(e.code(), "group_out_of_range");
    let e = GroupedTally::from_values(Scale::nps(), &[0], 2, &[9u8, 3], None).unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    let e = trend(
        &[Tally::new(Scale::nps())],
        &TrendOptions {
            window: Some(0),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("window"));
    let mut a = GroupedTally::new(Scale::nps(), 2);
    assert_eq!(
        a.merge(&GroupedTally::new(Scale::nps(), 3))
            .unwrap_err()
            .code(),
        "invalid_argument"
    );
}

#[test]
fn empty_groups_have_no_estimate() {
    let g = GroupedTally::from_values(Scale::nps(), &[0, 0, 2], 3, &[9.0, 3.0, f64::NAN], None)
        .unwrap();
    let s = segments(
        &g,
        &SegmentOptions {
            min_base: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(s.rows[1].summary.estimate.is_none() && s.rows[1].too_small);
    assert!(s.rows[2].summary.estimate.is_none() && s.rows[2].summary.missing == 1);
}

#[test]
fn trend_changes_and_rolling_windows() {
    // four months of data, one month empty
    let days = [
        days_from_civil(2026, 1, 5),
        days_from_civil(2026, 1, 20),
        days_from_civil(2026, 3, 2),
        days_from_civil(2026, 4, 30),
        MISSING_DAY,
        days_from_civil(2026, 1, 9),
    ];
    let values = [9.0, 10.0, 3.0, 9.0, 10.0, 6.0];
    let p = Periods::from_days(&days, Freq::Month).unwrap();
    assert_eq!((p.n_periods, p.missing), (4, 1));
    assert_eq!(p.label(1), "2026-02");
    let g = GroupedTally::from_values(Scale::nps(), &p.codes, p.n_groups(), &values, None).unwrap();
    let months: Vec<Tally> = g.tallies()[..p.n_periods].to_vec();
    let rows = trend(
        &months,
        &TrendOptions {
            min_base: 1,
            window: Some(3),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].summary.n, 3);
    assert!(rows[1].summary.estimate.is_none() && rows[1].change.is_none());
    assert!(rows[2].change.is_none(), "previous period is empty");
    // rolling window ending in April = Feb + Mar + Apr = [3, 9]
    let win = Tally::from_values(Scale::nps(), &[3.0, 9.0], None).unwrap();
    let r = rows[3].rolling.as_ref().unwrap();
    assert_eq!(r.summary.n, 2);
    assert!(close(
        r.summary.estimate.unwrap(),
        nps(&win, &NpsOptions::default()).unwrap().estimate
    ));
    assert!(rows[1].rolling.is_none(), "only full windows");
    // March [3] and April [9] are single answers: no variance, so no test.
    assert!(rows[3].change.is_none());

    // Period-over-period change written out by hand on real-sized periods.
    let (codes, values, weights) = data(3000, 3, 11);
    let g = GroupedTally::from_values(Scale::nps(), &codes, 3, &values, Some(&weights)).unwrap();
    let rows = trend(&g.tallies(), &TrendOptions::default()).unwrap();
    let o = NpsOptions::default();
    let mut p = vec![];
    for (i, row) in rows.iter().enumerate().skip(1) {
        let (a, b) = (
            nps(&g.group(i).unwrap(), &o).unwrap(),
            nps(&g.group(i - 1).unwrap(), &o).unwrap(),
        );
        let c = row.change.as_ref().unwrap();
        let se = (a.std_error.powi(2) + b.std_error.powi(2)).sqrt();
        assert!(close(c.difference, a.estimate - b.estimate));
        assert!(close(
            c.p_value,
            two_sided_p((a.estimate - b.estimate) / se)
        ));
        p.push(c.p_value);
    }
    let holm = adjust_p_values(&p, Adjust::Holm);
    assert!(close(rows[1].change.as_ref().unwrap().p_adjusted, holm[0]));
    assert!(close(rows[2].change.as_ref().unwrap().p_adjusted, holm[1]));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Building per partition and merging equals building on the whole.
    #[test]
    fn merge_of_partitions_equals_whole(n in 0usize..400, g in 1u32..8, seed in any::<u64>(), cut in 0.0f64..1.0) {
        let (codes, values, weights) = data(n, g, seed);
        let k = (cut * n as f64) as usize;
        let whole = GroupedTally::from_values(Scale::nps(), &codes, g as usize, &values, Some(&weights)).unwrap();
        let mut a = GroupedTally::from_values(Scale::nps(), &codes[..k], g as usize, &values[..k], Some(&weights[..k])).unwrap();
        let b = GroupedTally::from_values(Scale::nps(), &codes[k..], g as usize, &values[k..], Some(&weights[k..])).unwrap();
        a.merge(&b).unwrap();
        // weights are multiples of 1/4, so sums are exact in any order
        prop_assert_eq!(&a, &whole);
        let json = serde_json::to_string(&whole).unwrap();
        prop_assert_eq!(serde_json::from_str::<GroupedTally>(&json).unwrap(), whole);
    }

    /// Group codes from `combine` put each row in the group of its key tuple.
    #[test]
    fn grouped_tally_of_combined_keys(n in 1usize..300, seed in any::<u64>()) {
        let (codes, values, _) = data(n, 4, seed);
        let other: Vec<u32> = codes.iter().enumerate().map(|(i, c)| (c + i as u32) % 3).collect();
        let grouping = grouping::combine(&[&codes, &other], &[4, 3]).unwrap();
        let g = GroupedTally::from_values(Scale::nps(), &grouping.codes, grouping.n_groups(), &values, None).unwrap();
        for (code, key) in grouping.keys.iter().enumerate() {
            let filtered: Vec<f64> = (0..n).filter(|&i| codes[i] == key[0] && other[i] == key[1]).map(|i| values[i]).collect();
            prop_assert_eq!(g.group(code).unwrap(), Tally::from_values(Scale::nps(), &filtered, None).unwrap());
        }
    }
}

#[test]
fn absurd_group_counts_are_refused_before_allocating() {
    let e = GroupedTally::from_values(Scale::nps(), &[0], 1 << 40, &[9u8], None).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    assert!(e.to_string().contains("cells"));
}
