//! Customer equity (Blattberg and Deighton 1996) against the formula written out and a
//! brute-force grid search over the spends.

use cx_core::balance::{customer_equity, EquityOptions, ResponseCurve};

fn options(budget: Option<f64>) -> EquityOptions {
    EquityOptions {
        margin: 100.0,
        discount: 0.1,
        acquisition: ResponseCurve::from_point(0.4, 50.0, 0.2).unwrap(),
        retention: ResponseCurve::from_point(0.9, 20.0, 0.6).unwrap(),
        acquisition_spend: 30.0,
        retention_spend: 10.0,
        budget,
    }
}

/// CE(A, R) = a·m − A + a·(m − R/r)·r′/(1 − r′), r′ = r/(1 + d), written out.
fn ce(o: &EquityOptions, acq: f64, ret: f64) -> (f64, f64) {
    let a = 0.4 * (1.0 - (-(2f64.ln() / 50.0) * acq).exp());
    let k_r = -(1.0 - 0.6f64 / 0.9).ln() / 20.0;
    let r = 0.9 * (1.0 - (-k_r * ret).exp());
    let rp = r / (1.0 + o.discount);
    let g = rp / (1.0 - rp);
    let per = if ret == 0.0 { 0.0 } else { ret / r };
    let equity = a * o.margin - acq + a * (o.margin - per) * g;
    let spend = acq + a * per * g;
    (equity, spend)
}

#[test]
fn current_plan_matches_the_formula() {
    let o = options(None);
    let r = customer_equity(&o).unwrap();
    let (want, spend) = ce(&o, 30.0, 10.0);
    assert!((r.current.customer_equity - want).abs() < 1e-9);
    assert!((r.current.spend_per_prospect - spend).abs() < 1e-9);
    assert!((r.budget - spend).abs() < 1e-9);
    assert_eq!(r.current.gain, 0.0);
}

#[test]
fn optimum_beats_a_fine_grid() {
    let o = options(None);
    let r = customer_equity(&o).unwrap();
    let mut best = f64::NEG_INFINITY;
    for i in 0..=400 {
        for j in 0..=400 {
            best = best.max(ce(&o, i as f64 * 0.75, j as f64 * 0.25).0);
        }
    }
    let got = r.optimum.customer_equity;
    let (check, _) = ce(&o, r.optimum.acquisition_spend, r.optimum.retention_spend);
    assert!((got - check).abs() < 1e-9);
    assert!(
        got >= best - 1e-9 && got - best < 1e-2,
        "{got} vs grid {best}"
    );
    assert!((r.optimum.gain - (got - r.current.customer_equity)).abs() < 1e-12);
}

#[test]
fn budget_split_beats_every_affordable_grid_point() {
    for budget in [20.0, 40.0, 60.0] {
        let o = options(Some(budget));
        let r = customer_equity(&o).unwrap();
        let mut best = f64::NEG_INFINITY;
        for i in 0..=300 {
            for j in 0..=300 {
                let (e, s) = ce(&o, i as f64 * budget / 300.0, j as f64 * 0.3);
                if s <= budget {
                    best = best.max(e);
                }
            }
        }
        let b = &r.budget_optimum;
        assert!(b.spend_per_prospect <= budget + 1e-6, "{b:?}");
        assert!(
            b.customer_equity >= best - 1e-6,
            "budget {budget}: {} vs {best}",
            b.customer_equity
        );
        assert!(b.customer_equity <= r.optimum.customer_equity + 1e-9);
    }
}

#[test]
fn response_curves() {
    let c = ResponseCurve::from_point(0.5, 10.0, 0.25).unwrap();
    assert!((c.rate(10.0) - 0.25).abs() < 1e-15 && c.rate(0.0) == 0.0);
    // Least squares recovers k from exact points, and from noisy ones approximately.
    let truth = ResponseCurve::new(0.6, 0.03).unwrap();
    let spends = [5.0, 10.0, 20.0, 40.0, 80.0];
    let rates: Vec<f64> = spends.iter().map(|&s| truth.rate(s)).collect();
    let fit = ResponseCurve::fit(0.6, &spends, &rates).unwrap();
    assert!((fit.k - 0.03).abs() < 1e-9, "{}", fit.k);
    let noisy: Vec<f64> = rates
        .iter()
        .zip([0.01, -0.01, 0.005, -0.004, 0.002])
        .map(|(r, e)| r + e)
        .collect();
    assert!((ResponseCurve::fit(0.6, &spends, &noisy).unwrap().k - 0.03).abs() < 0.005);
}

#[test]
fn bad_balance_input_is_a_clear_error() {
    let code = |r: cx_core::Result<ResponseCurve>| r.unwrap_err().code();
    assert_eq!(
        code(ResponseCurve::from_point(1.2, 10.0, 0.1)),
        "invalid_argument"
    );
    assert_eq!(
        code(ResponseCurve::from_point(0.5, 10.0, 0.5)),
        "invalid_argument"
    );
    assert_eq!(
        code(ResponseCurve::from_point(0.5, 0.0, 0.2)),
        "invalid_argument"
    );
    assert_eq!(
        code(ResponseCurve::fit(0.5, &[1.0], &[0.1, 0.2])),
        "length_mismatch"
    );
    assert_eq!(
        code(ResponseCurve::fit(0.5, &[0.0], &[0.0])),
        "insufficient_data"
    );
    assert_eq!(
        code(ResponseCurve::fit(0.5, &[1.0], &[0.7])),
        "invalid_argument"
    );
    let mut o = options(None);
    o.margin = -1.0;
    assert_eq!(customer_equity(&o).unwrap_err().code(), "invalid_argument");
    let mut o = options(Some(f64::NAN));
    assert_eq!(customer_equity(&o).unwrap_err().code(), "invalid_argument");
    o.budget = None;
    o.retention = ResponseCurve::new(1.0, 0.1).unwrap();
    o.discount = 0.0;
    assert_eq!(customer_equity(&o).unwrap_err().code(), "invalid_argument");
}
