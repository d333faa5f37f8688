//! Retention, cohort and RFM tables against brute-force recomputation from the raw rows, and
//! the merge / order invariants of the activity summary.

use std::collections::{BTreeMap, BTreeSet};

use cx_core::clv::{rfm, rfm_ints, RfmOptions};
use cx_core::grouping::Key;
use cx_core::period::{days_from_civil, MISSING_DAY};
use cx_core::retention::{cohorts, retention, Activity, RetentionOptions, MISSING_CUSTOMER};
use cx_core::Freq;
use proptest::prelude::*;

type Rows = Vec<(i64, i64, f64)>; // customer id, day, revenue

/// customer -> period code -> (net revenue, bought).
type Cells = BTreeMap<i64, BTreeMap<usize, (f64, bool)>>;

/// The cells of a log, with periods as codes from the first one, and the number of periods.
fn cells(rows: &Rows, freq: Freq) -> (Cells, usize) {
    let lo = rows.iter().map(|r| freq.index(r.1)).min().unwrap();
    let hi = rows.iter().map(|r| freq.index(r.1)).max().unwrap();
    let mut m: Cells = BTreeMap::new();
    for &(c, d, r) in rows {
        let e = m
            .entry(c)
            .or_default()
            .entry((freq.index(d) - lo) as usize)
            .or_insert((0.0, false));
        e.0 += r;
        e.1 |= r >= 0.0;
    }
    (m, (hi - lo + 1) as usize)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => close(x, y),
        (None, None) => true,
        _ => false,
    }
}

fn check_against_brute_force(rows: &Rows, freq: Freq, lag: u32) {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let days: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let rev: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let a = Activity::from_ints(&ids, &days, &rev, freq).unwrap();
    let (m, n) = cells(rows, freq);
    assert_eq!(a.n_periods, n);
    let t = retention(
        &a,
        &RetentionOptions {
            lag,
            ..RetentionOptions::default()
        },
    )
    .unwrap();
    let active = |c: i64, p: usize| m[&c].get(&p).is_some_and(|x| x.1);
    let rev_at = |c: i64, p: usize| m[&c].get(&p).map_or(0.0, |x| x.0);
    let first = |c: i64| m[&c].iter().find(|(_, x)| x.1).map(|(p, _)| *p);
    for p in 0..n {
        let row = &t.rows[p];
        let act: Vec<i64> = m.keys().copied().filter(|&c| active(c, p)).collect();
        let new: Vec<i64> = act
            .iter()
            .copied()
            .filter(|&c| first(c) == Some(p))
            .collect();
        let ret: Vec<i64> = act
            .iter()
            .copied()
            .filter(|&c| p > 0 && active(c, p - 1))
            .collect();
        let react: Vec<i64> = act
            .iter()
            .copied()
            .filter(|c| !new.contains(c) && !ret.contains(c))
            .collect();
        let churned: Vec<i64> = m
            .keys()
            .copied()
            .filter(|&c| p > 0 && active(c, p - 1) && !active(c, p))
            .collect();
        assert_eq!(row.active, act.len() as u64, "active {p}");
        assert_eq!(row.new, new.len() as u64);
        assert_eq!(row.retained, ret.len() as u64);
        assert_eq!(row.reactivated, react.len() as u64);
        assert_eq!(row.churned, churned.len() as u64);
        let sum = |cs: &[i64], q: usize| cs.iter().map(|&c| rev_at(c, q)).sum::<f64>();
        let total: f64 = m.keys().map(|&c| rev_at(c, p)).sum();
        assert!(close(row.revenue, total));
        assert!(close(row.new_revenue, sum(&new, p)));
        assert!(close(row.retained_revenue, sum(&ret, p)));
        assert!(close(row.reactivated_revenue, sum(&react, p)));
        let inactive: f64 = m
            .keys()
            .filter(|&&c| !active(c, p))
            .map(|&c| rev_at(c, p))
            .sum();
        assert!(close(row.inactive_revenue, inactive));
        if p > 0 {
            let prev_active = m.keys().filter(|&&c| active(c, p - 1)).count() as f64;
            let rr = (prev_active > 0.0).then(|| ret.len() as f64 / prev_active);
            assert!(close_opt(row.retention_rate, rr));
            assert!(close(row.churned_revenue, sum(&churned, p - 1)));
            let exp: f64 = ret
                .iter()
                .map(|&c| (rev_at(c, p) - rev_at(c, p - 1)).max(0.0))
                .sum();
            let con: f64 = ret
                .iter()
                .map(|&c| (rev_at(c, p - 1) - rev_at(c, p)).max(0.0))
                .sum();
            assert!(close(row.expansion_revenue, exp));
            assert!(close(row.contraction_revenue, con));
            // growth accounting identity
            let prev_row = &t.rows[p - 1];
            let lhs = row.revenue - prev_row.revenue;
            let rhs = row.new_revenue + row.reactivated_revenue + row.expansion_revenue
                - row.contraction_revenue
                - row.churned_revenue
                + row.inactive_revenue
                - prev_row.inactive_revenue;
            assert!(close(lhs, rhs), "identity at {p}: {lhs} vs {rhs}");
        }
        let l = lag as usize;
        if p >= l {
            let b = p - l;
            let base: Vec<i64> = m
                .keys()
                .copied()
                .filter(|&c| active(c, b) && rev_at(c, b) > 0.0)
                .collect();
            let den = sum(&base, b);
            let nrr = (den != 0.0).then(|| sum(&base, p) / den);
            let grr = (den != 0.0).then(|| {
                base.iter()
                    .map(|&c| rev_at(c, p).min(rev_at(c, b)))
                    .sum::<f64>()
                    / den
            });
            assert!(close_opt(row.nrr, nrr), "nrr {p}");
            assert!(close_opt(row.grr, grr), "grr {p}");
        } else {
            assert_eq!((row.nrr, row.grr), (None, None));
        }
    }
    // cohorts
    let ch = cohorts(&a);
    for c0 in 0..n {
        let members: Vec<i64> = m
            .keys()
            .copied()
            .filter(|&c| first(c) == Some(c0))
            .collect();
        assert_eq!(ch.sizes[c0], members.len() as u64);
        for k in 0..n {
            if c0 + k >= n {
                assert_eq!(ch.customers[c0][k], None);
                assert_eq!(ch.revenue_rates[c0][k], None);
                continue;
            }
            let cnt = members.iter().filter(|&&c| active(c, c0 + k)).count() as u64;
            assert_eq!(ch.customers[c0][k], Some(cnt));
            let r: f64 = members.iter().map(|&c| rev_at(c, c0 + k)).sum();
            assert!(close(ch.revenue[c0][k].unwrap(), r));
            let rate = (!members.is_empty()).then(|| cnt as f64 / members.len() as f64);
            assert!(close_opt(ch.customer_rates[c0][k], rate));
        }
    }
    for k in 0..n {
        let (num, den) = (0..n - k).fold((0.0, 0.0), |(x, y), c0| {
            (
                x + ch.customers[c0][k].unwrap() as f64,
                y + ch.sizes[c0] as f64,
            )
        });
        assert!(close_opt(
            ch.average_retention[k],
            (den > 0.0).then(|| num / den)
        ));
    }
}

/// Brute-force RFM: distinct purchase days, first/last, revenue after the first day.
fn check_rfm(rows: &Rows, end: Option<i64>) {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let days: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let rev: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let options = RfmOptions {
        observation_end: end,
        unit_days: 7.0,
    };
    let end_day = end.unwrap_or(*days.iter().max().unwrap());
    if !rows.iter().any(|r| r.1 <= end_day && r.2 >= 0.0) {
        let e = rfm_ints(&ids, &days, &rev, &options).unwrap_err();
        assert_eq!(e.code(), "empty_input");
        return;
    }
    let r = rfm_ints(&ids, &days, &rev, &options).unwrap();
    let end = end_day;
    let mut by: BTreeMap<i64, Vec<(i64, f64)>> = BTreeMap::new();
    for &(c, d, x) in rows {
        if d <= end {
            by.entry(c).or_default().push((d, x));
        }
    }
    let mut i = 0;
    for (c, list) in by {
        let buy: BTreeSet<i64> = list.iter().filter(|x| x.1 >= 0.0).map(|x| x.0).collect();
        let Some(&f) = buy.iter().next() else {
            continue;
        };
        let l = *buy.iter().last().unwrap();
        assert_eq!(r.customers[i], Key::Int(c));
        let x = (buy.len() - 1) as f64;
        assert_eq!(r.frequency[i], x);
        assert!(close(r.recency[i], (l - f) as f64 / 7.0));
        assert!(close(r.t[i], (end - f) as f64 / 7.0));
        let after: f64 = list.iter().filter(|y| y.0 > f).map(|y| y.1).sum();
        let mv = if x > 0.0 { after / x } else { 0.0 };
        assert!(
            close(r.monetary_value[i], mv),
            "{} vs {mv}",
            r.monetary_value[i]
        );
        i += 1;
    }
    assert_eq!(i, r.len());
}

fn rows_strategy() -> impl Strategy<Value = Rows> {
    prop::collection::vec((0i64..12, 0i64..400, -20i64..100), 1..160).prop_map(|v| {
        v.into_iter()
            .map(|(c, d, r)| (c, 20_000 + d, r as f64))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tables_match_brute_force(rows in rows_strategy(), lag in 1u32..4) {
        for freq in [Freq::Week, Freq::Month, Freq::Quarter] {
            check_against_brute_force(&rows, freq, lag);
        }
        check_against_brute_force(&rows, Freq::Day, lag);
    }

    #[test]
    fn rfm_matches_brute_force(rows in rows_strategy(), cut in 0i64..400) {
        check_rfm(&rows, None);
        check_rfm(&rows, Some(20_000 + cut));
    }

    /// Merging the summaries of any split equals the summary of the whole log (integer
    /// revenue: sums are exact in any order), and row order does not matter.
    #[test]
    fn merge_and_order(rows in rows_strategy(), split in 0usize..160, seed in 0u64..1000) {
        let split = split.min(rows.len());
        let build = |r: &[(i64, i64, f64)]| {
            let ids: Vec<i64> = r.iter().map(|x| x.0).collect();
            let days: Vec<i64> = r.iter().map(|x| x.1).collect();
            let rev: Vec<f64> = r.iter().map(|x| x.2).collect();
            Activity::from_ints(&ids, &days, &rev, Freq::Month)
        };
        let whole = build(&rows).unwrap();
        if split > 0 && split < rows.len() {
            let mut a = build(&rows[..split]).unwrap();
            a.merge(&build(&rows[split..]).unwrap()).unwrap();
            prop_assert_eq!(&a, &whole);
        }
        let mut shuffled = rows.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(&build(&shuffled).unwrap(), &whole);
        let r = |x: &Rows| {
            let ids: Vec<i64> = x.iter().map(|y| y.0).collect();
            let days: Vec<i64> = x.iter().map(|y| y.1).collect();
            let rev: Vec<f64> = x.iter().map(|y| y.2).collect();
            rfm_ints(&ids, &days, &rev, &RfmOptions::default())
        };
        match (r(&rows), r(&shuffled)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(&a.frequency, &b.frequency);
                prop_assert_eq!(&a.recency, &b.recency);
                for (x, y) in a.monetary_value.iter().zip(&b.monetary_value) {
                    prop_assert!(close(*x, *y));
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(false, "one order fails"),
        }
    }
}

#[test]
fn many_periods_use_several_bitmap_words() {
    // 200 weekly periods: three 64-bit words per customer.
    let rows: Rows = (0..400)
        .map(|i| (i % 7, 20_000 + (i * 37) % 1400, (i % 13) as f64 - 2.0))
        .collect();
    check_against_brute_force(&rows, Freq::Week, 1);
    check_against_brute_force(&rows, Freq::Week, 52);
}

#[test]
fn missing_values_are_skipped_and_counted() {
    let d = days_from_civil(2026, 1, 5);
    let a = Activity::from_codes(
        &[0, MISSING_CUSTOMER, 0, 1],
        vec![Key::Str("a".into()), Key::Str("b".into())],
        &[d, d, MISSING_DAY, d + 40],
        &[1.0, 2.0, 3.0, f64::NAN],
        Freq::Month,
    )
    .unwrap();
    assert_eq!((a.rows, a.missing, a.n_periods), (4, 3, 1));
    let t = retention(&a, &RetentionOptions::default()).unwrap();
    assert_eq!((t.customers, t.revenue, t.missing), (1, 1.0, 3));
}

#[test]
fn refunds_are_netted_and_refund_only_periods_are_not_activity() {
    // customer 1: buys 10 in January, refunds 4 in February (no purchase), buys 5 in March.
    let jan = days_from_civil(2026, 1, 10);
    let feb = days_from_civil(2026, 2, 10);
    let mar = days_from_civil(2026, 3, 10);
    let a = Activity::from_ints(
        &[1, 1, 1, 1],
        &[jan, feb, mar, mar],
        &[10.0, -4.0, 5.0, -1.0],
        Freq::Month,
    )
    .unwrap();
    let t = retention(&a, &RetentionOptions::default()).unwrap();
    let r = &t.rows;
    assert_eq!(
        (r[1].active, r[1].churned, r[1].inactive_revenue),
        (0, 1, -4.0)
    );
    assert_eq!(
        (r[2].active, r[2].reactivated, r[2].reactivated_revenue),
        (1, 1, 4.0)
    );
    assert_eq!(t.revenue, 10.0);
    // a month whose net is negative is reported as it is
    let a = Activity::from_ints(&[1, 1], &[jan, jan], &[0.0, -3.0], Freq::Month).unwrap();
    let t = retention(&a, &RetentionOptions::default()).unwrap();
    assert_eq!((t.rows[0].active, t.rows[0].new_revenue), (1, -3.0));
}

#[test]
fn bad_input_is_a_clear_error() {
    let e = Activity::from_ints(&[1, 2], &[0], &[1.0, 2.0], Freq::Month).unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    let e = Activity::from_ints(&[1], &[0], &[f64::INFINITY], Freq::Month).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    assert!(e.to_string().contains("revenue"));
    let e = Activity::from_ints(&[1], &[MISSING_DAY], &[1.0], Freq::Month).unwrap_err();
    assert_eq!(e.code(), "empty_input");
    let e = Activity::from_codes(&[3], vec![Key::Int(1)], &[0], &[1.0], Freq::Month).unwrap_err();
    assert_eq!(e.code(), "group_out_of_range");
    let a = Activity::from_ints(&[1, 1], &[0, 40], &[1.0, 1.0], Freq::Month).unwrap();
    let e = retention(
        &a,
        &RetentionOptions {
            acquisition_spend: Some(vec![1.0, 2.0, 3.0]),
            ..RetentionOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    assert!(e.to_string().contains("acquisition_spend has 3"), "{e}");
    let e = retention(
        &a,
        &RetentionOptions {
            retention_spend: Some(vec![1.0, -2.0]),
            ..RetentionOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    let e = retention(
        &a,
        &RetentionOptions {
            lag: 0,
            ..RetentionOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    let mut b = Activity::from_ints(&[1], &[0], &[1.0], Freq::Week).unwrap();
    assert_eq!(b.merge(&a).unwrap_err().code(), "invalid_argument");
    let e = rfm(
        &[0],
        vec![Key::Int(0)],
        &[0],
        &[-1.0],
        &RfmOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "empty_input");
    let e = rfm_ints(
        &[0],
        &[0],
        &[1.0],
        &RfmOptions {
            unit_days: 0.0,
            ..RfmOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn spend_balance() {
    let d = |m| days_from_civil(2026, m, 3);
    // Jan: customers 1, 2 new; Feb: 1 retained, 3 new
    let a = Activity::from_ints(
        &[1, 2, 1, 3],
        &[d(1), d(1), d(2), d(2)],
        &[5.0; 4],
        Freq::Month,
    )
    .unwrap();
    let t = retention(
        &a,
        &RetentionOptions {
            acquisition_spend: Some(vec![100.0, 60.0]),
            retention_spend: Some(vec![0.0, 12.0]),
            ..RetentionOptions::default()
        },
    )
    .unwrap();
    let feb = &t.rows[1];
    assert_eq!(feb.cost_per_acquired, Some(60.0));
    assert_eq!(feb.cost_per_retained, Some(12.0));
    assert_eq!(feb.balance_ratio, Some(5.0));
    assert_eq!(t.rows[0].cost_per_retained, None); // no retained customer in the first month
    assert_eq!(t.rows[0].cost_per_acquired, Some(50.0));
}

type ChannelRows = Vec<(i64, i64, f64, u32)>; // customer, day, revenue, channel

fn with_channels(rows: &ChannelRows) -> cx_core::Result<Activity> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let days: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let rev: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let ch: Vec<u32> = rows.iter().map(|r| r.3).collect();
    let (codes, _) = cx_core::grouping::factorize_ints(&ids);
    let labels = vec![
        Key::Str("ads".into()),
        Key::Str("store".into()),
        Key::Str("web".into()),
    ];
    Activity::from_ints(&ids, &days, &rev, Freq::Month)?
        .with_channels(&codes, &days, &rev, &ch, labels)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Acquisition by channel against the definitions, and merging keeps the channels.
    #[test]
    fn acquisition_matches_brute_force(
        rows in prop::collection::vec((0i64..10, 0i64..300, -10i64..60, 0u32..3), 1..120),
        split in 0usize..120,
    ) {
        let rows: ChannelRows = rows.into_iter().map(|(c, d, r, ch)| (c, 20_000 + d, r as f64, ch)).collect();
        let a = match with_channels(&rows) {
            Ok(a) => a,
            Err(e) => { prop_assert_eq!(e.code(), "empty_input"); return Ok(()); }
        };
        let t = cx_core::retention::acquisition(&a).unwrap();
        let plain: Rows = rows.iter().map(|r| (r.0, r.1, r.2)).collect();
        let (m, n) = cells(&plain, Freq::Month);
        let lo = rows.iter().map(|r| Freq::Month.index(r.1)).min().unwrap();
        let names = ["ads", "store", "web"];
        for p in 0..n {
            for (k, name) in names.iter().enumerate() {
                let row = &t.rows[p * 3 + k];
                prop_assert_eq!(&row.channel, name);
                // customers whose first purchase (earliest day, then smallest channel) is in p via k
                let members: Vec<i64> = m.keys().copied().filter(|&c| {
                    let first = rows.iter().filter(|r| r.0 == c && r.2 >= 0.0).map(|r| (r.1, r.3)).min();
                    first.is_some_and(|(d, ch)| (Freq::Month.index(d) - lo) as usize == p && ch as usize == k)
                }).collect();
                prop_assert_eq!(row.new, members.len() as u64);
                let rev_at = |c: i64, q: usize| m[&c].get(&q).map_or(0.0, |x| x.0);
                let new_rev: f64 = members.iter().map(|&c| rev_at(c, p)).sum();
                prop_assert!(close(row.new_revenue, new_rev));
                let kept = members.iter().filter(|&&c| m[&c].get(&(p + 1)).is_some_and(|x| x.1)).count() as u64;
                prop_assert_eq!(row.retained_next, kept);
                let to_date: f64 = members.iter().map(|&c| (p..n).map(|q| rev_at(c, q)).sum::<f64>()).sum();
                prop_assert!(close(row.revenue_to_date, to_date));
            }
        }
        let split = split.min(rows.len());
        if split > 0 && split < rows.len() {
            if let (Ok(mut x), Ok(y)) = (with_channels(&rows[..split].to_vec()), with_channels(&rows[split..].to_vec())) {
                x.merge(&y).unwrap();
                prop_assert_eq!(cx_core::retention::acquisition(&x).unwrap(), t);
            }
        }
    }
}

#[test]
fn acquisition_needs_channels() {
    let a = Activity::from_ints(&[1], &[0], &[1.0], Freq::Month).unwrap();
    assert_eq!(
        cx_core::retention::acquisition(&a).unwrap_err().code(),
        "invalid_argument"
    );
    let e = a
        .clone()
        .with_channels(&[0], &[0], &[1.0], &[5], vec![Key::Int(1)])
        .unwrap_err();
    assert_eq!(e.code(), "group_out_of_range");
    let e = a
        .clone()
        .with_channels(&[0], &[0], &[1.0], &[0, 0], vec![Key::Int(1)])
        .unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    let mut b = a
        .clone()
        .with_channels(&[0], &[0], &[1.0], &[0], vec![Key::Int(1)])
        .unwrap();
    assert_eq!(b.merge(&a).unwrap_err().code(), "invalid_argument");
}

#[test]
fn activity_json_round_trip() {
    let rows: ChannelRows = vec![
        (1, 20_000, 5.0, 0),
        (2, 20_040, 3.0, 2),
        (1, 20_070, -1.0, 1),
    ];
    let a = with_channels(&rows).unwrap();
    assert_eq!(Activity::from_json(&a.to_json()).unwrap(), a);
    assert_eq!(
        Activity::from_json("{}").unwrap_err().code(),
        "unreadable_summary"
    );
    assert!(
        a.to_string().contains("2 customers") && a.to_string().contains("3 acquisition channels")
    );
}
