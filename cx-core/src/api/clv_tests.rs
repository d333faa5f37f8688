//! Tests of the lifetime-value and spend-balance entry points: each equals the core function it
//! wraps, takes its options by name over the core's defaults, and names its arguments in errors.

use super::*;
use crate::balance::{customer_equity, EquityOptions, ResponseCurve};
use crate::clv::{fit_bgnbd, fit_sbg, margin_multiplier, FitOptions, Rfm};

fn record(name: &str, args: &Args) -> Record {
    match call(name, args).unwrap() {
        Output::Record(r) => r,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn fits_equal_the_core_functions_with_options_by_name() {
    let alive = [1.0, 0.869, 0.743, 0.653, 0.593, 0.551, 0.517, 0.491];
    let mut a = Args::new();
    a.input("alive", Input::Numbers(Numbers::F64(&alive)));
    let want = fit_sbg(&alive, &FitOptions::default()).unwrap();
    assert_eq!(record("fit_sbg", &a), Record::SbgFit(want));
    a.option("max_iterations", Value::Int(1));
    let e = call("fit_sbg", &a).unwrap_err();
    assert_eq!(e.code(), "not_converged");
    a.option("strict", Value::Bool(false));
    let Record::SbgFit(f) = record("fit_sbg", &a) else {
        panic!()
    };
    assert!(!f.converged);

    let (x, tx, t) = (
        [0.0, 2.0, 5.0, 1.0],
        [0.0, 10.0, 30.0, 3.0],
        [38.0, 35.0, 36.0, 30.0],
    );
    let ints = [0i64, 2, 5, 1];
    let mut b = Args::new();
    b.input("frequency", Input::Numbers(Numbers::I64(&ints)))
        .input("recency", Input::Numbers(Numbers::F64(&tx)))
        .input("T", Input::Numbers(Numbers::F64(&t)));
    let rfm = Rfm::from_arrays(&x, &tx, &t, None).unwrap();
    let want = fit_bgnbd(&rfm, &FitOptions::default()).unwrap();
    assert_eq!(record("fit_bgnbd", &b), Record::BgNbdFit(want));
    let mut c = Args::new();
    c.input("frequency", Input::Numbers(Numbers::F64(&x)));
    let e = call("fit_bgnbd", &c).unwrap_err();
    assert_eq!(e.code(), "wrong_type");
    assert!(e.to_string().contains("recency"), "{e}");
}

#[test]
fn numbers_and_curves_are_values() {
    let mut a = Args::new();
    a.option("margin", Value::Num(100.0))
        .option("retention", Value::Num(0.8))
        .option("discount", Value::Int(0));
    let Output::Number(v) = call("margin_multiplier", &a).unwrap() else {
        panic!()
    };
    assert_eq!(v, margin_multiplier(100.0, 0.8, 0.0).unwrap());
    let mut bad = Args::new();
    bad.option("margin", Value::Str("a".into()));
    assert_eq!(
        call("margin_multiplier", &bad).unwrap_err().code(),
        "wrong_type"
    );

    let mut p = Args::new();
    p.option("ceiling", Value::Num(0.4))
        .option("spend", Value::Num(50.0))
        .option("rate", Value::Num(0.2));
    let one = ResponseCurve::from_point(0.4, 50.0, 0.2).unwrap();
    assert_eq!(record("response_curve", &p), Record::ResponseCurve(one));
    let mut many = Args::new();
    let list = |v: &[f64]| Value::List(v.iter().map(|&x| Value::Num(x)).collect());
    many.option("ceiling", Value::Num(0.6))
        .option("spend", list(&[5.0, 10.0, 20.0]))
        .option("rate", list(&[0.1, 0.15, 0.3]));
    let fit = ResponseCurve::fit(0.6, &[5.0, 10.0, 20.0], &[0.1, 0.15, 0.3]).unwrap();
    assert_eq!(record("response_curve", &many), Record::ResponseCurve(fit));

    let curve = |c: &ResponseCurve| {
        Value::Map(vec![
            ("ceiling".into(), Value::Num(c.ceiling)),
            ("k".into(), Value::Num(c.k)),
        ])
    };
    let ret = ResponseCurve::from_point(0.9, 20.0, 0.6).unwrap();
    let equity = |retention: Value| {
        let mut e = Args::new();
        e.option("margin", Value::Num(100.0))
            .option("discount", Value::Num(0.1))
            .option("acquisition", curve(&one))
            .option("retention", retention)
            .option("acquisition_spend", Value::Num(30.0))
            .option("retention_spend", Value::Num(10.0));
        e
    };
    let want = customer_equity(&EquityOptions {
        margin: 100.0,
        discount: 0.1,
        acquisition: one,
        retention: ret,
        acquisition_spend: 30.0,
        retention_spend: 10.0,
        budget: None,
    })
    .unwrap();
    let e = equity(curve(&ret));
    assert_eq!(record("customer_equity", &e), Record::CustomerEquity(want));
    let err = call("customer_equity", &equity(Value::Num(1.0))).unwrap_err();
    assert_eq!(err.code(), "wrong_type");
    assert!(err.to_string().contains("retention"), "{err}");
}
