//! Tests of the customer view: a brute-force recount and the CLV columns against the models.

use super::{
    customer_view, join_keys, ClvModel, CustomerViewOptions, NpsCategory, RatingColumn,
    SurveyTable, TransactionLog,
};
use crate::error::CxError;
use crate::grouping::Key;
use crate::period::MISSING_DAY;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Brute force: for each customer, scan every row of both inputs.
#[test]
fn matches_brute_force_on_random_data() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for trial in 0..20 {
        let n_ids = 1 + trial * 3;
        let rows = rng.random_range(0..60);
        let tx_rows = rng.random_range(1..80);
        let id = |rng: &mut ChaCha8Rng| -> Option<Key> {
            if rng.random_bool(0.05) {
                None
            } else {
                Some(Key::Int(rng.random_range(0..n_ids as i64)))
            }
        };
        let s_ids: Vec<Option<Key>> = (0..rows).map(|_| id(&mut rng)).collect();
        let t_ids: Vec<Option<Key>> = (0..tx_rows).map(|_| id(&mut rng)).collect();
        let s_days: Vec<i64> = (0..rows)
            .map(|_| {
                if rng.random_bool(0.05) {
                    MISSING_DAY
                } else {
                    rng.random_range(0..400)
                }
            })
            .collect();
        let nps: Vec<f64> = (0..rows)
            .map(|_| {
                if rng.random_bool(0.1) {
                    f64::NAN
                } else {
                    f64::from(rng.random_range(0..=10))
                }
            })
            .collect();
        let ease: Vec<f64> = (0..rows)
            .map(|_| f64::from(rng.random_range(1..=7)))
            .collect();
        let t_days: Vec<i64> = (0..tx_rows).map(|_| rng.random_range(0..400)).collect();
        let rev: Vec<f64> = (0..tx_rows)
            .map(|_| {
                if rng.random_bool(0.05) {
                    f64::NAN
                } else {
                    f64::from(rng.random_range(-5..50))
                }
            })
            .collect();
        let cutoff = 350;
        let (s, t, ids) = join_keys(&s_ids, &t_ids);
        let survey = SurveyTable {
            customers: &s,
            days: Some(&s_days),
            ratings: vec![
                RatingColumn {
                    name: "nps",
                    values: &nps,
                },
                RatingColumn {
                    name: "ease",
                    values: &ease,
                },
            ],
        };
        let log = TransactionLog {
            customers: &t,
            days: &t_days,
            revenue: &rev,
        };
        let opts = CustomerViewOptions {
            cutoff: Some(cutoff),
            active_days: 90,
            ..CustomerViewOptions::default()
        };
        let v = match customer_view(ids, &survey, &log, &opts) {
            Ok(v) => v,
            Err(CxError::EmptyInput { .. }) => continue,
            Err(e) => panic!("{e}"),
        };
        // Brute force per customer id.
        let mut expected: BTreeMap<Key, ()> = BTreeMap::new();
        for (i, k) in s_ids.iter().enumerate() {
            if let Some(k) = k {
                if s_days[i] != MISSING_DAY && s_days[i] <= cutoff {
                    expected.insert(k.clone(), ());
                }
            }
        }
        for (i, k) in t_ids.iter().enumerate() {
            if let Some(k) = k {
                if !rev[i].is_nan() && t_days[i] <= cutoff {
                    expected.insert(k.clone(), ());
                }
            }
        }
        assert_eq!(v.customers, expected.keys().cloned().collect::<Vec<_>>());
        for (row, key) in v.customers.iter().enumerate() {
            let resp: Vec<usize> = (0..rows)
                .filter(|&i| {
                    s_ids[i].as_ref() == Some(key)
                        && s_days[i] != MISSING_DAY
                        && s_days[i] <= cutoff
                })
                .collect();
            assert_eq!(v.responses[row] as usize, resp.len());
            assert_eq!(v.in_survey[row], !resp.is_empty());
            let answered: Vec<usize> = resp.iter().copied().filter(|&i| !nps[i].is_nan()).collect();
            let latest = answered
                .iter()
                .copied()
                .max_by_key(|&i| (s_days[i], i))
                .map(|i| nps[i]);
            assert_eq!(v.rating("nps").unwrap().latest[row], latest);
            let mean = (!answered.is_empty())
                .then(|| answered.iter().map(|&i| nps[i]).sum::<f64>() / answered.len() as f64);
            let got = v.rating("nps").unwrap().mean[row];
            assert_eq!(got.is_some(), mean.is_some());
            if let (Some(a), Some(b)) = (got, mean) {
                assert!((a - b).abs() < 1e-12);
            }
            assert_eq!(v.nps_category[row], latest.map(NpsCategory::of));
            let last_resp = resp.iter().map(|&i| s_days[i]).max();
            assert_eq!(v.response_recency_days[row], last_resp.map(|d| cutoff - d));
            let txs: Vec<usize> = (0..tx_rows)
                .filter(|&i| {
                    t_ids[i].as_ref() == Some(key) && !rev[i].is_nan() && t_days[i] <= cutoff
                })
                .collect();
            assert_eq!(v.in_transactions[row], !txs.is_empty());
            let revenue: f64 = txs.iter().map(|&i| rev[i]).sum();
            assert!((v.revenue[row] - revenue).abs() < 1e-9);
            let mut pdays: Vec<i64> = txs
                .iter()
                .filter(|&&i| rev[i] >= 0.0)
                .map(|&i| t_days[i])
                .collect();
            pdays.sort_unstable();
            pdays.dedup();
            assert_eq!(v.frequency[row] as usize, pdays.len());
            assert_eq!(v.recency_days[row], pdays.last().map(|d| cutoff - d));
            assert_eq!(v.tenure_days[row], pdays.first().map(|d| cutoff - d));
            assert_eq!(v.active[row], pdays.last().map(|d| cutoff - d < 90));
            if !pdays.is_empty() {
                let m = v.monetary[row].unwrap();
                assert!((m - revenue / pdays.len() as f64).abs() < 1e-9);
            }
        }
    }
}

#[test]
fn clv_columns_match_the_models() {
    use crate::clv::{fit_bgnbd, fit_gamma_gamma, rfm, FitOptions, RfmOptions};
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let (mut ids, mut days, mut rev) = (vec![], vec![], vec![]);
    // BG/NBD's story: purchase rates vary across customers (gamma), each purchase is
    // followed by dropout with a customer-specific probability (beta).
    let rate = rand_distr::Gamma::new(0.8, 1.0 / 30.0).unwrap();
    let drop = rand_distr::Beta::new(1.0, 4.0).unwrap();
    for c in 0..400i64 {
        let lambda: f64 = rand_distr::Distribution::sample(&rate, &mut rng);
        let p: f64 = rand_distr::Distribution::sample(&drop, &mut rng);
        let gap = rand_distr::Exp::new(lambda.max(1e-3)).unwrap();
        let mut d = rng.random_range(0..100) as f64;
        loop {
            ids.push(Some(Key::Int(c)));
            days.push(d as i64);
            rev.push(f64::from(rng.random_range(5..60)));
            if rng.random_bool(p) {
                break;
            }
            d += rand_distr::Distribution::<f64>::sample(&gap, &mut rng);
            if d >= 365.0 {
                break;
            }
        }
    }
    let (s, t, labels) = join_keys(&[], &ids);
    let r = rfm(&t, labels.clone(), &days, &rev, &RfmOptions::default()).unwrap();
    let bg = fit_bgnbd(&r, &FitOptions::default()).unwrap();
    let gg = fit_gamma_gamma(&r.frequency, &r.monetary_value, &FitOptions::default()).unwrap();
    let survey = SurveyTable {
        customers: &s,
        days: None,
        ratings: vec![],
    };
    let log = TransactionLog {
        customers: &t,
        days: &days,
        revenue: &rev,
    };
    let opts = CustomerViewOptions {
        clv: Some(ClvModel::new(bg.clone(), Some(gg.clone()))),
        ..CustomerViewOptions::default()
    };
    let v = customer_view(labels, &survey, &log, &opts).unwrap();
    assert_eq!(v.customers, r.customers);
    let e = bg
        .expected_purchases(365.0, &r.frequency, &r.recency, &r.t)
        .unwrap();
    let spend = gg.expected_spend(&r.frequency, &r.monetary_value).unwrap();
    let clv = bg
        .clv(&r.frequency, &r.recency, &r.t, &spend, 12, 0.01, 30.0)
        .unwrap();
    for i in 0..v.len() {
        assert!((v.expected_purchases[i].unwrap() - e[i]).abs() < 1e-9);
        assert!((v.clv[i].unwrap() - clv[i]).abs() < 1e-6);
    }
}

#[test]
fn errors_name_the_column_and_index() {
    let (s, t, ids) = join_keys(
        &[Some(Key::Int(1)), Some(Key::Int(2))],
        &[Some(Key::Int(1))],
    );
    let log = TransactionLog {
        customers: &t,
        days: &[5],
        revenue: &[1.0],
    };
    let bad = [3.0, 11.0];
    let survey = SurveyTable {
        customers: &s,
        days: None,
        ratings: vec![RatingColumn {
            name: "nps",
            values: &bad,
        }],
    };
    let o = CustomerViewOptions::default();
    assert!(matches!(
        customer_view(ids.clone(), &survey, &log, &o),
        Err(CxError::OutOfScale { index: 1, .. })
    ));
    let inf = [3.0, f64::INFINITY];
    let survey = SurveyTable {
        customers: &s,
        days: None,
        ratings: vec![RatingColumn {
            name: "ease",
            values: &inf,
        }],
    };
    let e = customer_view(ids.clone(), &survey, &log, &o).unwrap_err();
    assert!(e.to_string().contains("\"ease\" at index 1"), "{e}");
    let short = [1.0];
    let survey = SurveyTable {
        customers: &s,
        days: None,
        ratings: vec![RatingColumn {
            name: "ease",
            values: &short,
        }],
    };
    assert!(customer_view(ids.clone(), &survey, &log, &o)
        .unwrap_err()
        .to_string()
        .contains("ease"));
    let survey = SurveyTable {
        customers: &s,
        days: None,
        ratings: vec![],
    };
    let o2 = CustomerViewOptions {
        nps: Some("likely".into()),
        ..o.clone()
    };
    assert!(matches!(
        customer_view(ids.clone(), &survey, &log, &o2),
        Err(CxError::InvalidArgument { name: "nps", .. })
    ));
    let empty = TransactionLog {
        customers: &[],
        days: &[],
        revenue: &[],
    };
    let none = SurveyTable {
        customers: &[],
        days: None,
        ratings: vec![],
    };
    assert!(matches!(
        customer_view(vec![], &none, &empty, &o),
        Err(CxError::EmptyInput { .. })
    ));
}
