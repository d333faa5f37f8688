//! Lifetime-value models: published examples, and data generated from known parameters and
//! recovered by the fits.

use cx_core::clv::{fit_bgnbd, fit_gamma_gamma, fit_sbg, margin_multiplier, FitOptions, Rfm};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, Exp, Gamma};

/// Fader and Hardie (2007), "How to project customer retention", Table 1 ("high end"
/// customers, 1,000 at the start) and the parameters and projections they publish: alpha
/// 0.668, beta 3.806; survival in years 8-12 of about 0.460, 0.436, 0.414, 0.395, 0.378.
#[test]
fn sbg_reproduces_fader_hardie_2007() {
    let survival = [0.869, 0.743, 0.653, 0.593, 0.551, 0.517, 0.491];
    let mut alive = vec![1.0];
    alive.extend(survival);
    let f = fit_sbg(&alive, &FitOptions::default()).unwrap();
    assert!((f.alpha - 0.668).abs() < 5e-4, "alpha {}", f.alpha);
    assert!((f.beta - 3.806).abs() < 5e-3, "beta {}", f.beta);
    for (year, want) in [
        (8, 0.460),
        (9, 0.436),
        (10, 0.414),
        (11, 0.395),
        (12, 0.378),
    ] {
        let s = f.survival(year);
        assert!((s - want).abs() < 1.5e-3, "year {year}: {s} vs {want}");
    }
    // Counts give the same parameters as shares (the likelihood only scales).
    let counts: Vec<f64> = alive.iter().map(|a| a * 1000.0).collect();
    let g = fit_sbg(&counts, &FitOptions::default()).unwrap();
    assert!((g.alpha - f.alpha).abs() < 1e-6 && (g.beta - f.beta).abs() < 1e-5);
    assert!(g.log_likelihood < 0.0 && g.converged);
    // Retention rates rise: r_t = (beta + t - 1) / (alpha + beta + t - 1)
    assert!((f.retention_rate(1) - f.beta / (f.alpha + f.beta)).abs() < 1e-15);
    assert!(f.retention_rate(5) > f.retention_rate(1));
    // DEL against the survival sum written out
    let d = 0.1;
    let brute: f64 = (0..5000)
        .map(|t| f.survival(t) / 1.1f64.powi(t as i32))
        .sum();
    let del = f.expected_lifetime_value(1.0, d).unwrap();
    assert!((del - brute).abs() < 1e-9, "{del} vs {brute}");
}

#[test]
fn sbg_recovers_known_parameters() {
    // Expected survivors of a cohort of 1e6 under alpha = 1.2, beta = 6.5.
    let (alpha, beta) = (1.2, 6.5);
    let mut alive = vec![1e6];
    let mut s = 1.0;
    for t in 1..=10 {
        s *= (beta + t as f64 - 1.0) / (alpha + beta + t as f64 - 1.0);
        alive.push(1e6 * s);
    }
    let f = fit_sbg(&alive, &FitOptions::default()).unwrap();
    assert!(
        (f.alpha - alpha).abs() < 1e-3 && (f.beta - beta).abs() < 1e-2,
        "{f:?}"
    );
}

/// Simulate the BG/NBD story for `n` customers observed for `t_obs` time units.
fn simulate_bgnbd(n: usize, r: f64, alpha: f64, a: f64, b: f64, t_obs: f64, seed: u64) -> Rfm {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rates = Gamma::new(r, 1.0 / alpha).unwrap();
    let drops = Beta::new(a, b).unwrap();
    let (mut x, mut tx, mut tt) = (vec![], vec![], vec![]);
    for i in 0..n {
        // customers arrive over the first third of the window
        let big_t = t_obs - (i as f64 / n as f64) * t_obs / 3.0;
        let lambda: f64 = rates.sample(&mut rng);
        let p: f64 = drops.sample(&mut rng);
        let wait = Exp::new(lambda).unwrap();
        let (mut t, mut k, mut last) = (0.0, 0.0, 0.0);
        loop {
            t += wait.sample(&mut rng);
            if t > big_t {
                break;
            }
            k += 1.0;
            last = t;
            if rng.random::<f64>() < p {
                break;
            }
        }
        x.push(k);
        tx.push(last);
        tt.push(big_t);
    }
    Rfm::from_arrays(&x, &tx, &tt, None).unwrap()
}

#[test]
fn bgnbd_recovers_known_parameters() {
    let (r, alpha, a, b) = (0.6, 4.0, 0.9, 3.0);
    let rfm = simulate_bgnbd(40_000, r, alpha, a, b, 52.0, 7);
    let f = fit_bgnbd(&rfm, &FitOptions::default()).unwrap();
    for (got, want, name) in [
        (f.r, r, "r"),
        (f.alpha, alpha, "alpha"),
        (f.a, a, "a"),
        (f.b, b, "b"),
    ] {
        assert!((got - want).abs() / want < 0.12, "{name}: {got} vs {want}");
    }
    assert!(f.converged && f.n == 40_000);
    // Unconditional expected purchases against the simulation: fresh customers, no censoring.
    let fresh = simulate_bgnbd(40_000, r, alpha, a, b, 52.0, 8);
    let mean_x: f64 = fresh.frequency.iter().sum::<f64>() / fresh.len() as f64;
    let mean_t: f64 = fresh.t.iter().sum::<f64>() / fresh.len() as f64;
    let truth = cx_core::clv::BgNbdFit {
        r,
        alpha,
        a,
        b,
        ..f.clone()
    };
    let e = truth.expected_purchases_new(mean_t).unwrap();
    assert!(
        (e - mean_x).abs() / mean_x < 0.05,
        "E[X] {e} vs simulated {mean_x}"
    );
    // P(alive) of a customer without repeat purchases is 1; it falls with time since the last.
    let pa = f
        .p_alive(&[0.0, 3.0, 3.0], &[0.0, 50.0, 10.0], &[52.0, 52.0, 52.0])
        .unwrap();
    assert_eq!(pa[0], 1.0);
    assert!(pa[1] > pa[2]);
    // Expected purchases grow with the horizon; CLV discounts them.
    let e1 = f
        .expected_purchases(10.0, &[3.0], &[50.0], &[52.0])
        .unwrap()[0];
    let e2 = f
        .expected_purchases(20.0, &[3.0], &[50.0], &[52.0])
        .unwrap()[0];
    assert!(e2 > e1 && e1 > 0.0);
    let clv = f
        .clv(&[3.0], &[50.0], &[52.0], &[20.0], 12, 0.01, 4.345)
        .unwrap()[0];
    let undiscounted = 20.0
        * f.expected_purchases(12.0 * 4.345, &[3.0], &[50.0], &[52.0])
            .unwrap()[0];
    assert!(
        clv < undiscounted && clv > 0.85 * undiscounted,
        "{clv} vs {undiscounted}"
    );
}

#[test]
fn gamma_gamma_recovers_known_parameters() {
    let (p, q, v) = (6.0, 4.0, 15.0);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let scales = Gamma::new(q, 1.0 / v).unwrap();
    let (mut x, mut m) = (vec![], vec![]);
    for _ in 0..30_000 {
        let nu: f64 = scales.sample(&mut rng);
        let spend = Gamma::new(p, 1.0 / nu).unwrap();
        let k = rng.random_range(1..8);
        let mean = (0..k).map(|_| spend.sample(&mut rng)).sum::<f64>() / k as f64;
        x.push(k as f64);
        m.push(mean);
    }
    x.push(0.0);
    m.push(0.0); // no repeat purchase: left out
    x.push(2.0);
    m.push(-5.0); // net refunds: left out and counted
    let f = fit_gamma_gamma(&x, &m, &FitOptions::default()).unwrap();
    for (got, want, name) in [(f.p, p, "p"), (f.q, q, "q"), (f.v, v, "v")] {
        assert!((got - want).abs() / want < 0.1, "{name}: {got} vs {want}");
    }
    assert_eq!((f.n, f.excluded), (30_000, 1));
    let e = f.expected_spend(&[0.0, 5.0], &[0.0, 40.0]).unwrap();
    assert!((e[0] - f.p * f.v / (f.q - 1.0)).abs() < 1e-9);
    assert!((e[1] - f.p * (f.v + 200.0) / (5.0 * f.p + f.q - 1.0)).abs() < 1e-9);
}

#[test]
fn fits_that_stop_early_are_errors_with_their_last_state() {
    let strict = FitOptions {
        max_iterations: 2,
        ..FitOptions::default()
    };
    let e = fit_sbg(&[1.0, 0.869, 0.743, 0.653], &strict).unwrap_err();
    assert_eq!(e.code(), "not_converged");
    let text = e.to_string();
    assert!(
        text.contains("sBG") && text.contains("alpha=") && text.contains("after 2 iterations"),
        "{text}"
    );
    let rfm = simulate_bgnbd(500, 0.6, 4.0, 0.9, 3.0, 52.0, 1);
    let e = fit_bgnbd(&rfm, &strict).unwrap_err();
    assert_eq!(e.code(), "not_converged");
    assert!(
        e.to_string().contains("r=") && e.to_string().contains("log-likelihood"),
        "{e}"
    );
    let lax = FitOptions {
        strict: false,
        ..strict
    };
    let f = fit_bgnbd(&rfm, &lax).unwrap();
    assert!(!f.converged);
}

#[test]
fn bad_model_input_is_a_clear_error() {
    let o = FitOptions::default();
    assert_eq!(fit_sbg(&[1.0], &o).unwrap_err().code(), "insufficient_data");
    assert_eq!(
        fit_sbg(&[1.0, 1.2], &o).unwrap_err().code(),
        "invalid_argument"
    );
    assert_eq!(
        fit_sbg(&[0.0, 0.0], &o).unwrap_err().code(),
        "invalid_argument"
    );
    let e = Rfm::from_arrays(&[1.0, 2.0], &[1.0], &[3.0, 3.0], None).unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    let e = Rfm::from_arrays(&[1.0], &[5.0], &[3.0], None).unwrap_err();
    assert!(e.to_string().contains("recency"), "{e}");
    let e = Rfm::from_arrays(&[1.5], &[1.0], &[3.0], None).unwrap_err();
    assert!(e.to_string().contains("frequency"), "{e}");
    let none = Rfm::from_arrays(&[0.0, 0.0], &[0.0, 0.0], &[3.0, 4.0], None).unwrap();
    assert_eq!(
        fit_bgnbd(&none, &o).unwrap_err().code(),
        "insufficient_data"
    );
    assert_eq!(
        fit_gamma_gamma(&[1.0], &[2.0, 3.0], &o).unwrap_err().code(),
        "length_mismatch"
    );
    assert_eq!(
        fit_gamma_gamma(&[1.0, 0.0], &[2.0, 3.0], &o)
            .unwrap_err()
            .code(),
        "insufficient_data"
    );
    let bad = FitOptions {
        initial: Some(vec![1.0]),
        ..FitOptions::default()
    };
    assert_eq!(
        fit_sbg(&[1.0, 0.5], &bad).unwrap_err().code(),
        "invalid_argument"
    );
    assert_eq!(
        margin_multiplier(100.0, 1.2, 0.1).unwrap_err().code(),
        "invalid_argument"
    );
    assert_eq!(
        margin_multiplier(100.0, 1.0, 0.0).unwrap_err().code(),
        "invalid_argument"
    );
    assert!((margin_multiplier(100.0, 0.8, 0.1).unwrap() - 80.0 / 0.3).abs() < 1e-12);
}
