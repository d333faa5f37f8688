//! Tests of the personas and customer-view contract: defaults defined once, the forms of `k`,
//! the columns named by drivers and CX dimensions, the reading of columns as given, and the
//! same personas from the contract as from the statistics module.

use std::borrow::Cow;

use crate::api::customer_view::ViewOptions;
use crate::api::personas::{
    assign, cx_dimensions, dim_weights_of, named_columns, personas_columns, personas_of,
    PersonasOptions,
};
use crate::api::{ColumnUse, Frame, FrameColumn, KeyValue, Options, Value};
use crate::clv::BgNbdFit;
use crate::customer_view::{ClvModel, CustomerViewOptions};
use crate::cx_index::{CxMethod, DimWeights};
use crate::error::CxError;
use crate::grouping::Key;
use crate::personas::{personas, NumericFeature, PersonaOptions, ProfileColumns};
use crate::transactions::MISSING_CUSTOMER;
use crate::Scale;

fn parse(pairs: &[(&str, Value)]) -> crate::Result<PersonasOptions> {
    PersonasOptions::parse(pairs.iter().map(|(k, v)| (*k, v)))
}

fn strs(names: &[&str]) -> Value {
    Value::List(names.iter().map(|n| Value::Str(n.to_string())).collect())
}

#[test]
fn defaults_are_the_statistics_defaults() {
    let o = PersonasOptions::default().persona_options().unwrap();
    assert_eq!(o, PersonaOptions::default());
    assert_eq!(PersonasOptions::default().cx_method, CxMethod::Net);
    let v = ViewOptions::default();
    let core = CustomerViewOptions::default();
    assert_eq!(
        (v.active_days, v.cutoff.is_none()),
        (core.active_days, true)
    );
    let bgnbd = BgNbdFit {
        r: 0.24,
        alpha: 4.41,
        a: 0.79,
        b: 2.43,
        log_likelihood: 0.0,
        iterations: 1,
        converged: true,
        n: 10,
    };
    let clv = v.view_options(Some(&bgnbd), None).unwrap().clv.unwrap();
    assert_eq!(clv, ClvModel::new(bgnbd, None));
    assert!(v.view_options(None, None).unwrap().clv.is_none());
}

#[test]
fn the_cutoff_is_days_or_an_iso_date() {
    let cutoff =
        |v: Value| ViewOptions::parse([("cutoff", &v)]).and_then(|o| o.view_options(None, None));
    assert_eq!(cutoff(Value::Int(20_000)).unwrap().cutoff, Some(20_000));
    assert_eq!(
        cutoff(Value::Str("2026-01-02".into())).unwrap().cutoff,
        Some(20_455)
    );
    assert!(matches!(
        cutoff(Value::Str("soon".into())),
        Err(CxError::InvalidArgument { name: "cutoff", .. })
    ));
    assert!(matches!(
        cutoff(Value::Bool(true)),
        Err(CxError::WrongType { name: "cutoff", .. })
    ));
}

#[test]
fn k_is_a_number_a_pair_or_the_range_options() {
    let k = |v: Value| parse(&[("k", v)]).and_then(|o| o.k_range());
    assert_eq!(k(Value::Int(3)).unwrap(), (3, 3));
    assert_eq!(k(Value::Num(4.0)).unwrap(), (4, 4));
    assert_eq!(
        k(Value::List(vec![Value::Int(2), Value::Int(5)])).unwrap(),
        (2, 5)
    );
    assert_eq!(k(Value::Null).unwrap(), (2, 6));
    let o = parse(&[("k_min", Value::Int(3)), ("k_max", Value::Int(4))]).unwrap();
    assert_eq!(o.k_range().unwrap(), (3, 4));
    for bad in [
        Value::Num(2.5),
        Value::List(vec![Value::Int(1)]),
        Value::Int(-1),
    ] {
        let e = k(bad).unwrap_err();
        assert!(
            matches!(e, CxError::InvalidArgument { name: "k", .. }),
            "{e}"
        );
    }
    let reversed = parse(&[("k", Value::List(vec![Value::Int(4), Value::Int(1)]))])
        .unwrap()
        .persona_options()
        .unwrap();
    assert!(matches!(
        reversed.validate(),
        Err(CxError::InvalidArgument { name: "k", .. })
    ));
}

#[test]
fn options_reject_unknown_names_and_wrong_types() {
    assert!(matches!(
        parse(&[("kmin", Value::Int(2))]),
        Err(CxError::InvalidArgument {
            name: "options",
            ..
        })
    ));
    assert!(matches!(
        parse(&[("cx_method", Value::Str("median".into()))]),
        Err(CxError::InvalidArgument {
            name: "cx_method",
            ..
        })
    ));
    assert_eq!(
        parse(&[("cx_method", Value::Str("MEAN".into()))])
            .unwrap()
            .cx_method,
        CxMethod::Mean
    );
    assert!(matches!(
        parse(&[("seed", Value::Str("1".into()))]),
        Err(CxError::InvalidArgument { name: "seed", .. } | CxError::WrongType { name: "seed", .. })
    ));
}

#[test]
fn drivers_and_cx_dims_are_named_by_column_or_given_names() {
    let pairs = named_columns(
        "drivers",
        Some(&strs(&["ease_mean", "emotion_latest", "_mean"])),
    );
    assert_eq!(
        pairs.unwrap(),
        vec![
            ("ease".to_string(), "ease_mean".to_string()),
            ("emotion".to_string(), "emotion_latest".to_string()),
            ("_mean".to_string(), "_mean".to_string()),
        ]
    );
    let map = Value::Map(vec![("Ease".into(), Value::Str("ease_mean".into()))]);
    assert_eq!(
        named_columns("cx_dims", Some(&map)).unwrap(),
        vec![("Ease".to_string(), "ease_mean".to_string())]
    );
    assert_eq!(
        named_columns("drivers", Some(&Value::Str("x_latest".into()))).unwrap(),
        vec![("x".to_string(), "x_latest".to_string())]
    );
    assert!(matches!(
        named_columns("drivers", Some(&Value::List(vec![Value::Int(1)]))),
        Err(CxError::InvalidArgument {
            name: "drivers",
            ..
        })
    ));
    let o = parse(&[
        ("categorical", strs(&["channel"])),
        ("nps", Value::Str("nps".into())),
        ("drivers", strs(&["ease_mean"])),
        ("cx_dims", strs(&["ease_mean"])),
    ])
    .unwrap();
    let cols = personas_columns(&["ease".into(), "nps".into()], &o).unwrap();
    let names: Vec<(&str, ColumnUse)> = cols.iter().map(|(n, u)| (n.as_str(), *u)).collect();
    assert_eq!(
        names,
        vec![
            ("ease", ColumnUse::Numeric),
            ("nps", ColumnUse::Numeric),
            ("channel", ColumnUse::Categorical),
            ("ease_mean", ColumnUse::Numeric),
        ]
    );
}

#[test]
fn cx_scales_and_weights() {
    let names = vec!["ease".to_string(), "nps".to_string()];
    let agreement = Scale::agreement();
    let dims = cx_dimensions(&names, None).unwrap();
    assert!(dims.iter().all(|d| d.scale == agreement));
    let by_name = Value::Map(vec![("nps".into(), Value::Str("nps".into()))]);
    let dims = cx_dimensions(&names, Some(&by_name)).unwrap();
    assert_eq!((dims[0].scale, dims[1].scale), (agreement, Scale::nps()));
    let spec = Value::Map(vec![
        ("lowest".into(), Value::Int(1)),
        ("highest".into(), Value::Int(7)),
    ]);
    let dims = cx_dimensions(&names, Some(&spec)).unwrap();
    assert!(dims.iter().all(|d| d.scale == Scale::new(1, 7).unwrap()));
    let unknown = Value::Map(vec![("speed".into(), Value::Str("csat".into()))]);
    assert!(cx_dimensions(&names, Some(&unknown)).is_err());
    let w = |v: Value| dim_weights_of("cx_dim_weights", &dims, Some(&v));
    assert_eq!(w(Value::Str("Equal".into())).unwrap(), DimWeights::Equal);
    assert_eq!(
        w(Value::List(vec![Value::Int(2), Value::Num(1.0)])).unwrap(),
        DimWeights::Given(vec![2.0, 1.0])
    );
    assert!(matches!(
        w(Value::Str("heavy".into())),
        Err(CxError::InvalidArgument {
            name: "cx_dim_weights",
            ..
        })
    ));
    assert!(matches!(
        w(Value::Bool(true)),
        Err(CxError::WrongType {
            name: "cx_dim_weights",
            ..
        })
    ));
}

#[test]
fn values_as_given_read_as_numbers_and_categories() {
    let mut frame = Frame::new();
    frame.insert(
        "mixed",
        FrameColumn::Values(vec![
            KeyValue::Str("b".into()),
            KeyValue::Num(2.0),
            KeyValue::Missing,
            KeyValue::Num(f64::NAN),
            KeyValue::Num(2.5),
            KeyValue::Str("b".into()),
        ]),
    );
    frame.insert(
        "x",
        FrameColumn::Values(vec![KeyValue::Num(1.5), KeyValue::Missing]),
    );
    let x = frame.floats("x").unwrap();
    assert_eq!(x[0], 1.5);
    assert!(x[1].is_nan());
    let e = frame.floats("mixed").unwrap_err();
    assert!(
        e.to_string()
            .contains("\"b\" in column \"mixed\" at index 0"),
        "{e}"
    );
    assert!(frame
        .floats("gone")
        .unwrap_err()
        .to_string()
        .contains("gone"));
    let (codes, labels) = frame.categories("mixed").unwrap();
    let got: Vec<Key> = codes
        .iter()
        .map(|&c| {
            if c == MISSING_CUSTOMER {
                Key::Missing
            } else {
                labels[c as usize].clone()
            }
        })
        .collect();
    assert_eq!(
        got,
        vec![
            Key::Str("b".into()),
            Key::Int(2),
            Key::Missing,
            Key::Missing,
            Key::Str("2.5".into()),
            Key::Str("b".into()),
        ]
    );
}

#[test]
fn the_contract_finds_the_personas_of_the_statistics() {
    let text = include_str!("../../../testdata/personas.json");
    let fx: serde_json::Value = serde_json::from_str(text).unwrap();
    let names: Vec<String> = serde_json::from_value(fx["features"].clone()).unwrap();
    let cols: Vec<Vec<f64>> = names
        .iter()
        .map(|n| serde_json::from_value(fx["columns"][n].clone()).unwrap())
        .collect();
    let mut frame = Frame::new();
    for (n, c) in names.iter().zip(&cols) {
        frame.insert(n.clone(), FrameColumn::Floats(Cow::Borrowed(c)));
    }
    let o = parse(&[
        ("k_min", Value::Int(fx["k_min"].as_i64().unwrap().into())),
        ("k_max", Value::Int(fx["k_max"].as_i64().unwrap().into())),
        ("seed", Value::Int(fx["seed"].as_i64().unwrap().into())),
    ])
    .unwrap();
    let got = personas_of(&frame, &names, &o).unwrap();
    let features: Vec<NumericFeature> = names
        .iter()
        .zip(&cols)
        .map(|(name, values)| NumericFeature { name, values })
        .collect();
    let want = personas(
        &features,
        &[],
        &ProfileColumns::default(),
        &o.persona_options().unwrap(),
    )
    .unwrap();
    assert_eq!(got, want);
    assert_eq!(assign(&got.model, &frame).unwrap(), got.assignments);
}

#[test]
fn the_persona_drivers_table_has_a_row_per_persona_and_driver() {
    use crate::api::{persona_drivers_table, ColumnData, PERSONA_DRIVERS};
    use crate::personas::{DriverShare, PersonaDrivers};

    let text = include_str!("../../../testdata/personas.json");
    let fx: serde_json::Value = serde_json::from_str(text).unwrap();
    let names: Vec<String> = serde_json::from_value(fx["features"].clone()).unwrap();
    let cols: Vec<Vec<f64>> = names
        .iter()
        .map(|n| serde_json::from_value(fx["columns"][n].clone()).unwrap())
        .collect();
    let mut frame = Frame::new();
    for (n, c) in names.iter().zip(&cols) {
        frame.insert(n.clone(), FrameColumn::Floats(Cow::Borrowed(c)));
    }
    let mut p = personas_of(&frame, &names, &parse(&[("k", Value::Int(2))]).unwrap()).unwrap();
    // without drivers: every column, no rows
    let empty = persona_drivers_table(&p);
    let schema: Vec<&str> = PERSONA_DRIVERS.columns.iter().map(|c| c.name).collect();
    assert_eq!(
        empty.columns.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        schema
    );
    assert_eq!(empty.rows(), 0);
    let share = |driver: &str, share: f64, beta: f64| DriverShare {
        driver: driver.into(),
        share,
        beta,
        correlation: 0.5,
        z: -0.25,
    };
    p.personas[0].drivers = Some(PersonaDrivers {
        outcome: "loyalty".into(),
        n: 40,
        r_squared: Some(0.3),
        ranking: vec![share("ease", 0.75, 0.4), share("price", 0.25, f64::NAN)],
        skipped: None,
    });
    p.personas[1].drivers = Some(PersonaDrivers {
        outcome: "loyalty".into(),
        n: 3,
        r_squared: None,
        ranking: Vec::new(),
        skipped: Some("too few".into()),
    });
    let t = persona_drivers_table(&p);
    assert_eq!(t.rows(), 3);
    let (id0, id1) = (p.personas[0].id as u64, p.personas[1].id as u64);
    assert_eq!(
        t.column("persona"),
        Some(&ColumnData::Count(vec![Some(id0), Some(id0), Some(id1)]))
    );
    let text =
        |v: &[Option<&str>]| ColumnData::Text(v.iter().map(|s| s.map(String::from)).collect());
    assert_eq!(
        t.column("driver"),
        Some(&text(&[Some("ease"), Some("price"), None]))
    );
    assert_eq!(
        t.column("skipped"),
        Some(&text(&[None, None, Some("too few")]))
    );
    // a non-finite figure is missing, as in the personas' dict
    assert_eq!(
        t.column("beta"),
        Some(&ColumnData::Number(vec![Some(0.4), None, None]))
    );
    assert_eq!(
        t.column("r_squared"),
        Some(&ColumnData::Number(vec![Some(0.3), Some(0.3), None]))
    );
    assert_eq!(
        t.column("n"),
        Some(&ColumnData::Count(vec![Some(40), Some(40), Some(3)]))
    );
    for (name, data) in &t.columns {
        assert_eq!(data.len(), 3, "{name}");
    }
}
