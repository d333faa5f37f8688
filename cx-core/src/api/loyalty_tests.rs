//! Tests of the loyalty entry points: every result equals the core's own computation on the
//! groups classified by hand; the three ways of saying the groups (a rule, masks, labels) and
//! every spelling of a side agree; tables and errors.

use super::loyalty_tables::LIFTS;
use super::*;
use crate::loyalty::{
    exposure_from_masks, loyalty_lift, CurveTally, Exposure, ExposureRule, JointTally, Side,
};
use crate::Scale;

const SCORES: [f64; 10] = [10.0, 9.0, 8.0, 3.0, 0.0, f64::NAN, 10.0, 6.0, 9.0, 2.0];
const OUTCOME: [f64; 10] = [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0];

fn record(out: Output) -> Record {
    match out {
        Output::Record(r) => r,
        other => panic!("not a record: {other:?}"),
    }
}

fn lift_of(out: Output) -> crate::Lift {
    match record(out) {
        Record::Lift(l) => l,
        other => panic!("not a lift: {other:?}"),
    }
}

fn by_score(extra: &[(&str, Value)]) -> crate::Lift {
    let mut a = Args::new();
    a.input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)))
        .input("score", Input::Numbers(Numbers::F64(&SCORES)));
    for (k, v) in extra {
        a.option(*k, v.clone());
    }
    lift_of(call("loyalty_lift", &a).unwrap())
}

fn by_hand(rule: ExposureRule) -> crate::Lift {
    let groups = rule.classify(Scale::nps(), &SCORES).unwrap();
    loyalty_lift(
        &JointTally::from_values(&groups, &OUTCOME, None).unwrap(),
        0.95,
    )
    .unwrap()
}

#[test]
fn default_groups_are_promoters_against_detractors() {
    assert_eq!(by_score(&[]), by_hand(ExposureRule::default()));
}

#[test]
fn every_spelling_of_a_side_is_one_side() {
    let want = by_hand(ExposureRule {
        exposed: Side::TopBox,
        reference: Side::Rest,
    });
    for name in ["top_box", "Top Box", "top-box", "TOP_BOX", "promoters"] {
        assert_eq!(
            by_score(&[("exposure", Value::Str(name.into()))]),
            want,
            "{name}"
        );
    }
    let pair = Value::List(vec![Value::Int(9), Value::Int(10)]);
    assert_eq!(by_score(&[("exposure", pair)]), want);
    let middle = by_score(&[
        ("exposure", Value::Str("Passives".into())),
        ("reference", Value::Str("bottom box".into())),
    ]);
    assert_eq!(
        middle,
        by_hand(ExposureRule {
            exposed: Side::Middle,
            reference: Side::BottomBox,
        })
    );
    let e = call(
        "loyalty_lift",
        Args::new()
            .input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)))
            .input("score", Input::Numbers(Numbers::F64(&SCORES)))
            .option("exposure", Value::Str("fans".into())),
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn masks_and_labels_give_the_same_groups_as_the_rule() {
    let want = by_score(&[]);
    let groups = ExposureRule::default()
        .classify(Scale::nps(), &SCORES)
        .unwrap();
    let mask = |g: Exposure| -> Vec<f64> {
        groups
            .iter()
            .map(|&x| match x {
                Exposure::Unknown => f64::NAN,
                x => f64::from(u8::from(x == g)),
            })
            .collect()
    };
    let (exposed, reference) = (mask(Exposure::Exposed), mask(Exposure::Reference));
    let mut a = Args::new();
    a.input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)))
        .input("exposure", Input::Numbers(Numbers::F64(&exposed)))
        .input("reference", Input::Numbers(Numbers::F64(&reference)));
    assert_eq!(lift_of(call("loyalty_lift", &a).unwrap()), want);
    let bands: Vec<KeyValue> = groups
        .iter()
        .map(|g| match g {
            Exposure::Exposed => KeyValue::Str("high".into()),
            Exposure::Reference => KeyValue::Str("low".into()),
            Exposure::Neither => KeyValue::Str("mid".into()),
            Exposure::Unknown => KeyValue::Missing,
        })
        .collect();
    let mut b = Args::new();
    b.input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)))
        .input("band", Input::Keys(vec![KeyColumn::Values(bands)]))
        .option("exposure", Value::Str("high".into()))
        .option("reference", Value::List(vec![Value::Str("low".into())]));
    assert_eq!(lift_of(call("loyalty_lift", &b).unwrap()), want);
}

#[test]
fn several_outcomes_give_a_table_and_a_joint_tally_its_lift() {
    let other: Vec<f64> = OUTCOME.iter().map(|y| 1.0 - y).collect();
    let mut a = Args::new();
    a.input(
        "outcome",
        Input::ColumnSet(ColumnSet {
            items: vec![
                (
                    Some("retained".into()),
                    Input::Numbers(Numbers::F64(&OUTCOME)),
                ),
                (None, Input::Numbers(Numbers::F64(&other))),
            ],
            several: true,
        }),
    )
    .input("score", Input::Numbers(Numbers::F64(&SCORES)));
    let Output::Table(t) = call("loyalty_lift", &a).unwrap() else {
        panic!("not a table")
    };
    assert_eq!(t.spec.name, "lifts");
    assert_eq!(
        t.column("outcome"),
        Some(&ColumnData::Text(vec![
            Some("retained".into()),
            Some("outcome_2".into())
        ]))
    );
    let want = by_score(&[]);
    let Some(ColumnData::Number(rr)) = t.column("risk_ratio") else {
        panic!("no risk ratio")
    };
    assert_eq!(rr[0], Some(want.risk_ratio.estimate));
    assert_eq!(t.columns.len(), LIFTS.columns.len());

    let Output::Summary(Summary::JointTally(j)) = call(
        "joint_tally",
        Args::new()
            .input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)))
            .input("score", Input::Numbers(Numbers::F64(&SCORES))),
    )
    .unwrap() else {
        panic!("not a joint tally")
    };
    let mut b = Args::new();
    b.input("outcome", Input::Object(&j))
        .option("level", Value::Num(0.95));
    assert_eq!(lift_of(call("loyalty_lift", &b).unwrap()), want);
}

#[test]
fn mean_lift_curve_and_revenue_equal_the_core() {
    let spend = [10.0, 12.0, 14.0, 5.0, 6.0, 7.0];
    let mask = [1.0, 1.0, 1.0, 0.0, 0.0, 0.0];
    let mut a = Args::new();
    a.input("outcome", Input::Numbers(Numbers::F64(&spend)))
        .input("exposure", Input::Numbers(Numbers::F64(&mask)));
    let groups = exposure_from_masks(&mask, None).unwrap();
    let want = crate::mean_lift(&groups, &spend, None, 0.95).unwrap();
    assert_eq!(record(call("mean_lift", &a).unwrap()), want.into());

    let ratings = [10.0, 10.0, 0.0, 0.0, 5.0];
    let y = [1.0, 1.0, 0.0, 1.0, 1.0];
    let mut c = Args::new();
    c.input("score", Input::Numbers(Numbers::F64(&ratings)))
        .input("outcome", Input::Numbers(Numbers::F64(&y)));
    let curve = record(call("loyalty_curve", &c).unwrap());
    let tally = CurveTally::from_values(Scale::nps(), &ratings, &y, None).unwrap();
    assert_eq!(curve, crate::loyalty_curve(&tally, 0.95).unwrap().into());
    let t = frame(&curve).unwrap();
    assert_eq!(t.spec.name, "loyalty_curve");
    assert_eq!(t.rows(), 11);
    assert_eq!(t.attrs.len(), t.spec.attrs.len());
    assert_eq!(t.columns.len(), t.spec.columns.len());

    let y = [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0];
    let m = [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    let mut r = Args::new();
    r.input("outcome", Input::Numbers(Numbers::F64(&y)))
        .input("exposure", Input::Numbers(Numbers::F64(&m)))
        .option(
            "customers",
            Value::Map(vec![
                ("Promoters".into(), Value::Num(5000.0)),
                ("detractors".into(), Value::Num(2000.0)),
            ]),
        )
        .option("revenue_per_customer", Value::Num(100.0));
    let Record::RevenueImpact(ri) = record(call("revenue_impact", &r).unwrap()) else {
        panic!("not a revenue impact")
    };
    assert!((ri.retained_change.estimate - 100.0).abs() < 1e-9);
    let mut missing = Args::new();
    missing
        .input("outcome", Input::Numbers(Numbers::F64(&y)))
        .input("exposure", Input::Numbers(Numbers::F64(&m)))
        .option("customers", Value::Num(10.0))
        .option("revenue_per_customer", Value::Null);
    let e = call("revenue_impact", &missing).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn key_drivers_are_named_and_framed() {
    let x1 = [1.0, 2.0, 3.0, 4.0, 5.0, 2.0];
    let x2 = [2.0, 1.0, 4.0, 3.0, 5.0, 5.0];
    let y = [1.0, 2.0, 4.0, 4.0, 6.0, 5.0];
    let mut a = Args::new();
    a.input(
        "drivers",
        Input::ColumnSet(ColumnSet {
            items: vec![
                (Some("ease".into()), Input::Numbers(Numbers::F64(&x1))),
                (None, Input::Numbers(Numbers::F64(&x2))),
            ],
            several: true,
        }),
    )
    .input("outcome", Input::Numbers(Numbers::F64(&y)))
    .option("resamples", Value::Int(0));
    let Record::KeyDrivers(k) = record(call("key_drivers", &a).unwrap()) else {
        panic!("not key drivers")
    };
    let names: Vec<&str> = k.drivers.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["ease", "driver_2"]);
    let t = frame(&Record::KeyDrivers(k.clone())).unwrap();
    assert_eq!(t.columns.len(), t.spec.columns.len());
    let lmg = match t.column("lmg") {
        Some(ColumnData::Number(v)) => v.iter().map(|x| x.unwrap()).sum::<f64>(),
        other => panic!("{other:?}"),
    };
    assert!((lmg - k.r_squared).abs() < 1e-12);
    assert_eq!(
        t.column("lmg_lower"),
        Some(&ColumnData::Number(vec![None, None]))
    );
}

#[test]
fn groups_errors_name_the_argument() {
    let code = |args: &Args| call("loyalty_lift", args).unwrap_err();
    let mut none = Args::new();
    none.input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)));
    assert_eq!(code(&none).code(), "invalid_argument");
    let short = [1.0, 0.0];
    let mut a = Args::new();
    a.input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)))
        .input("exposure", Input::Numbers(Numbers::F64(&short)));
    assert_eq!(code(&a).code(), "length_mismatch");
    let mut b = Args::new();
    b.input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)))
        .input("score", Input::Numbers(Numbers::F64(&SCORES)))
        .option("exposure", Value::Str("top box".into()))
        .option(
            "reference",
            Value::List(vec![Value::Int(8), Value::Int(10)]),
        );
    assert_eq!(code(&b).code(), "invalid_argument");
    let mut c = Args::new();
    c.input("outcome", Input::Numbers(Numbers::F64(&OUTCOME)))
        .input("score", Input::Numbers(Numbers::F64(&SCORES)))
        .option("exposure", Value::Bool(true));
    let e = code(&c);
    assert!(
        matches!(
            e,
            CxError::WrongType {
                name: "exposure",
                ..
            }
        ),
        "{e:?}"
    );
}
