//! Tests of the CX index entry points: `cx_index` equals the core function on every input form
//! and option form; `cx_index_by` tables equal `cx_segments` / `cx_trend` with the index
//! columns; the summary helpers of the bindings' `CxSummary` classes.

use super::*;
use crate::cx_index::{
    cx_index, cx_segments, cx_trend, CxOptions, CxSegmentOptions, CxTrendOptions, DimWeights,
    Dimension, GroupedCxSummary,
};
use crate::period::days_from_civil;
use crate::{CxIndex, CxMethod, CxSummary};

const NAN: f64 = f64::NAN;
// The hand-worked example of `cx_core::cx_index`.
const EFFECTIVENESS: [u8; 6] = [5, 4, 2, 5, 3, 4];
const EASE: [f64; 6] = [4.0, 2.0, 1.0, 5.0, NAN, 4.0];
const EMOTION: [f64; 6] = [5.0, 3.0, 2.0, 4.0, 1.0, NAN];

fn names() -> Vec<String> {
    ["effectiveness", "ease", "emotion"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn columns() -> Input<'static> {
    Input::Columns(vec![
        ("effectiveness".into(), Numbers::U8(&EFFECTIVENESS)),
        ("ease".into(), Numbers::F64(&EASE)),
        ("emotion".into(), Numbers::F64(&EMOTION)),
    ])
}

/// The argument an error names.
fn arg(e: &CxError) -> Option<&'static str> {
    match e {
        CxError::InvalidArgument { name, .. } | CxError::WrongType { name, .. } => Some(name),
        _ => None,
    }
}

fn index(out: Output) -> CxIndex {
    match out {
        Output::Record(Record::CxIndex(r)) => r,
        other => panic!("not a CX index: {other:?}"),
    }
}

fn table(out: Output) -> Table {
    match out {
        Output::Table(t) => t,
        other => panic!("not a table: {other:?}"),
    }
}

fn summary() -> CxSummary {
    let eff: Vec<f64> = EFFECTIVENESS.iter().map(|&x| f64::from(x)).collect();
    CxSummary::from_columns(Dimension::defaults(), &[&eff, &EASE, &EMOTION], None, false).unwrap()
}

#[test]
fn cx_index_equals_the_core_function_on_columns_and_summaries() {
    let want = cx_index(&summary(), &CxOptions::default()).unwrap();
    let mut a = Args::new();
    a.input("dims", columns());
    assert_eq!(index(call("cx_index", &a).unwrap()), want);
    let s = summary();
    let mut b = Args::new();
    b.input("dims", Input::Object(&s));
    assert_eq!(index(call("cx_index", &b).unwrap()), want);
    // options: method, dimension weights in every form, bands, level
    let weighted = CxOptions {
        method: CxMethod::Mean,
        dim_weights: DimWeights::Given(vec![1.0, 2.0, 3.0]),
        level: 0.9,
        ..CxOptions::default()
    };
    let want = cx_index(&s, &weighted).unwrap();
    let by_name = Value::Map(vec![
        ("emotion".into(), Value::Int(3)),
        ("effectiveness".into(), Value::Num(1.0)),
        ("ease".into(), Value::Int(2)),
    ]);
    let drivers = Value::Map(vec![
        (
            "driver".into(),
            Value::List(names().into_iter().map(Value::Str).collect()),
        ),
        (
            "lmg_share".into(),
            Value::List(vec![Value::Num(0.1), Value::Num(0.2), Value::Num(0.3)]),
        ),
    ]);
    let list = Value::List(vec![Value::Int(1), Value::Int(2), Value::Int(3)]);
    for w in [list, by_name, drivers] {
        let mut a = Args::new();
        a.input("dims", columns())
            .option("method", Value::Str("Mean".into()))
            .option("dim_weights", w)
            .option("level", Value::Num(0.9));
        let r = index(call("cx_index", &a).unwrap());
        assert!((r.estimate - want.estimate).abs() < 1e-12);
        assert!((r.std_error - want.std_error).abs() < 1e-12);
    }
    let mut a = Args::new();
    a.input("dims", columns())
        .option("dim_weights", Value::Str("EQUAL".into()))
        .option(
            "bands",
            Value::List([0, 10, 20, 30].map(Value::Int).to_vec()),
        );
    let r = index(call("cx_index", &a).unwrap());
    assert_eq!(r.band.label(), "good");
}

#[test]
fn scales_are_one_for_all_or_by_dimension_name() {
    let a_col = [1.0, 7.0, 6.0, 2.0];
    let b_col = [5.0, 4.0, 1.0, 3.0];
    let run = |scales: Value| {
        let mut a = Args::new();
        a.input(
            "dims",
            Input::Columns(vec![
                ("a".into(), Numbers::F64(&a_col)),
                ("b".into(), Numbers::F64(&b_col)),
            ]),
        )
        .option("scales", scales);
        call("cx_index", &a).map(index)
    };
    let seven = Value::List(vec![Value::Int(1), Value::Int(7)]);
    let r = run(Value::Map(vec![("a".into(), seven.clone())])).unwrap();
    let estimates: Vec<f64> = r.dimensions.iter().map(|d| d.estimate).collect();
    assert_eq!(estimates, vec![0.0, 25.0]);
    let spec = Value::Map(vec![
        ("lowest".into(), Value::Int(1)),
        ("highest".into(), Value::Int(7)),
    ]);
    assert_eq!(run(spec).unwrap().dimensions[1].n, 4);
    let e = run(Value::Map(vec![("c".into(), seven)])).unwrap_err();
    assert_eq!((e.code(), arg(&e)), ("invalid_argument", Some("dims")));
}

#[test]
fn a_summary_takes_no_weights_scales_or_rule() {
    let s = summary();
    let w = [1.0; 6];
    for (name, opt) in [
        ("weights", None),
        ("scales", Some(Value::Str("ces".into()))),
        ("require_all", Some(Value::Bool(true))),
    ] {
        let mut a = Args::new();
        a.input("dims", Input::Object(&s));
        match opt {
            None => a.input("weights", Input::Numbers(Numbers::F64(&w))),
            Some(v) => a.option(name, v),
        };
        let e = call("cx_index", &a).unwrap_err();
        assert_eq!((e.code(), arg(&e)), ("invalid_argument", Some(name)));
    }
    let mut a = Args::new();
    a.input("dims", Input::Object(&s));
    let e = call("cx_index_by", &a).unwrap_err();
    assert_eq!(arg(&e), Some("dims"));
}

#[test]
fn cx_index_by_equals_cx_segments_with_the_index_columns() {
    let keys: Vec<KeyValue> = ["b", "a", "b", "a", "b", "a"]
        .iter()
        .map(|s| KeyValue::Str((*s).into()))
        .collect();
    let mut a = Args::new();
    a.input("dims", columns())
        .input("by", Input::Keys(vec![KeyColumn::Values(keys)]))
        .option("min_base", Value::Int(1))
        .option("reference", Value::Str("a".into()));
    let t = table(call("cx_index_by", &a).unwrap());
    assert_eq!(t.spec.name, "cx_segments");
    let eff: Vec<f64> = EFFECTIVENESS.iter().map(|&x| f64::from(x)).collect();
    let codes = [1, 0, 1, 0, 1, 0];
    let g = GroupedCxSummary::from_columns(
        Dimension::defaults(),
        &codes,
        0,
        2,
        &[&eff, &EASE, &EMOTION],
        None,
        false,
    )
    .unwrap();
    let options = CxSegmentOptions {
        min_base: 1,
        reference: Some(0),
        ..CxSegmentOptions::default()
    };
    let want = cx_segments(&g, &options).unwrap();
    let est: Vec<Option<f64>> = want.rows.iter().map(|r| r.row.summary.estimate).collect();
    assert_eq!(t.column("estimate"), Some(&ColumnData::Number(est)));
    let band: Vec<Option<String>> = want
        .rows
        .iter()
        .map(|r| r.index.as_ref().map(|i| i.band.label().to_string()))
        .collect();
    assert_eq!(t.column("band"), Some(&ColumnData::Text(band)));
    match t.column("scores") {
        Some(ColumnData::Named { names: n, rows }) => {
            assert_eq!(n, &names());
            let first = want.rows[0].index.as_ref().unwrap();
            let scores: Vec<Option<f64>> =
                first.dimensions.iter().map(|d| Some(d.estimate)).collect();
            assert_eq!(rows[0], scores);
        }
        other => panic!("{other:?}"),
    }
    let order: Vec<&str> = t.columns.iter().map(|(n, _)| *n).collect();
    let at = |c: &str| order.iter().position(|n| *n == c).unwrap();
    assert!(at("upper") < at("band") && at("scores") < at("too_small"));
    assert!(t.column("diff_vs_reference").is_some());
}

#[test]
fn cx_index_by_period_equals_cx_trend_per_period() {
    let text: Vec<DateValue> = (0..6)
        .map(|i| DateValue::Text(format!("2026-0{}-15", 1 + i % 2)))
        .collect();
    let mut a = Args::new();
    a.input("dims", columns())
        .input("period", Input::Dates(DateColumn::Values(text)))
        .option("min_base", Value::Int(1))
        .option("window", Value::Int(2))
        .option("method", Value::Str("mean".into()));
    let t = table(call("cx_index_by", &a).unwrap());
    assert_eq!((t.spec.name, t.rows()), ("cx_trend", 2));
    let eff: Vec<f64> = EFFECTIVENESS.iter().map(|&x| f64::from(x)).collect();
    let month = |m: usize| {
        let pick = |c: &[f64]| -> Vec<f64> { c.iter().skip(m).step_by(2).copied().collect() };
        let (e, a, o) = (pick(&eff), pick(&EASE), pick(&EMOTION));
        CxSummary::from_columns(Dimension::defaults(), &[&e, &a, &o], None, false).unwrap()
    };
    let options = CxTrendOptions {
        index: CxOptions {
            method: CxMethod::Mean,
            ..CxOptions::default()
        },
        min_base: 1,
        window: Some(2),
        ..CxTrendOptions::default()
    };
    let want = cx_trend(&[month(0), month(1)], &options).unwrap();
    let est: Vec<Option<f64>> = want.iter().map(|r| r.row.summary.estimate).collect();
    assert_eq!(t.column("estimate"), Some(&ColumnData::Number(est)));
    let start = days_from_civil(2026, 1, 1);
    assert_eq!(
        t.column("period_start"),
        Some(&ColumnData::Day(vec![Some(start), Some(start + 31)]))
    );
    assert!(t.column("rolling_estimate").is_some());
    assert_eq!(t.attrs, vec![("excluded", 0.0)]);
}

#[test]
fn grouped_errors_name_the_argument() {
    let run = |extra: &dyn Fn(&mut Args)| {
        let mut a = Args::new();
        a.input("dims", columns());
        extra(&mut a);
        call("cx_index_by", &a).unwrap_err()
    };
    let e = run(&|a| {
        a.option("window", Value::Int(2));
    });
    assert_eq!(arg(&e), Some("window"));
    static DAYS: [i64; 6] = [0; 6];
    let e = run(&|a| {
        a.input("period", Input::Numbers(Numbers::I64(&DAYS)))
            .option("reference", Value::Str("x".into()));
    });
    assert_eq!(arg(&e), Some("reference"));
    let e = run(&|a| {
        a.input(
            "by",
            Input::Keys(vec![KeyColumn::Values(vec![KeyValue::Str("x".into())])]),
        );
    });
    assert_eq!(e.code(), "length_mismatch");
    let keys = vec![KeyValue::Str("x".into()); 6];
    let e = run(&|a| {
        a.input("by", Input::Keys(vec![KeyColumn::Values(keys.clone())]))
            .option("reference", Value::Str("y".into()));
    });
    assert_eq!(e.code(), "unknown_group");
}

#[test]
fn summaries_are_built_and_extended_by_dimension_name() {
    let mut s = new_summary(None, &SummaryOptions::default()).unwrap();
    assert_eq!(s.dims().len(), 3);
    let eff = [5u8, 4];
    let ease = [4u8, 2];
    let emotion = [5.0, 3.0];
    let given = vec![
        ("emotion".to_string(), Numbers::F64(&emotion)),
        ("effectiveness".to_string(), Numbers::U8(&eff)),
        ("ease".to_string(), Numbers::U8(&ease)),
    ];
    extend_summary(&mut s, &given, None).unwrap();
    assert_eq!((s.n(), s.tally(2).n()), (2, 2));
    let e = extend_summary(&mut s, &given[..2], None).unwrap_err();
    assert_eq!(arg(&e), Some("dims"));
    assert_eq!(s.n(), 2);
    assert_eq!(dimension_of(&s, &Value::Str("ease".into())).unwrap(), 1);
    assert_eq!(dimension_of(&s, &Value::Int(2)).unwrap(), 2);
    assert_eq!(
        arg(&dimension_of(&s, &Value::Int(3)).unwrap_err()),
        Some("dims")
    );
    let options = SummaryOptions::parse([
        ("scales", &Value::Str("ces".into())),
        ("require_all", &Value::Bool(true)),
    ])
    .unwrap();
    let seven = new_summary(Some(&["a".to_string()]), &options).unwrap();
    assert_eq!(
        (seven.dims()[0].scale.highest(), seven.require_all()),
        (7, true)
    );
}
