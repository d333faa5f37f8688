//! Tests of the contract layer: option parsing, scales, inputs, entry points and records.

use super::*;
use crate::{NpsMethod, NpsOptions, ProportionMethod, ProportionOptions, Scale, Tally};

fn num(x: f64) -> Value {
    Value::Num(x)
}

fn err_code<T: std::fmt::Debug>(r: Result<T>) -> &'static str {
    r.unwrap_err().code()
}

#[test]
fn integers_take_exact_whole_numbers_only() {
    assert_eq!(<u32 as OptionType>::from_value("n", &num(2.0)).unwrap(), 2);
    assert_eq!(
        <u32 as OptionType>::from_value("n", &Value::Int(7)).unwrap(),
        7
    );
    assert_eq!(
        err_code(<u32 as OptionType>::from_value("n", &num(2.5))),
        "invalid_argument"
    );
    assert_eq!(
        err_code(<u32 as OptionType>::from_value("n", &num(-1.0))),
        "invalid_argument"
    );
    assert_eq!(
        err_code(<u32 as OptionType>::from_value("n", &Value::Int(1 << 40))),
        "invalid_argument"
    );
    assert_eq!(
        err_code(<u64 as OptionType>::from_value("n", &num(2f64.powi(53)))),
        "invalid_argument"
    );
    assert_eq!(
        err_code(<u64 as OptionType>::from_value(
            "n",
            &Value::Str("3".into())
        )),
        "wrong_type"
    );
    let e = <u32 as OptionType>::from_value("resamples", &num(2.5)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid argument `resamples` = 2.5: expected an integer from 0 to 4294967295"
    );
}

#[test]
fn numbers_booleans_and_text_check_their_type() {
    assert_eq!(
        <f64 as OptionType>::from_value("x", &Value::Int(3)).unwrap(),
        3.0
    );
    assert!(<f64 as OptionType>::from_value("x", &num(f64::NAN))
        .unwrap()
        .is_nan());
    assert_eq!(
        err_code(<f64 as OptionType>::from_value("x", &Value::Bool(true))),
        "wrong_type"
    );
    assert_eq!(
        err_code(<bool as OptionType>::from_value("b", &num(1.0))),
        "wrong_type"
    );
    assert_eq!(
        err_code(<String as OptionType>::from_value("s", &num(1.0))),
        "wrong_type"
    );
    assert_eq!(
        <Option<u32> as OptionType>::from_value("o", &Value::Null).unwrap(),
        None
    );
    assert_eq!(
        <Vec<f64> as OptionType>::from_value("v", &Value::List(vec![num(1.0), Value::Int(2)]))
            .unwrap(),
        vec![1.0, 2.0]
    );
}

#[test]
fn choices_read_any_spelling_and_list_every_name() {
    for text in [
        "adjusted-wald",
        "Adjusted Wald",
        "ADJUSTED_WALD",
        " adjusted-wald ",
    ] {
        assert_eq!(text.parse::<NpsMethod>().unwrap(), NpsMethod::AdjustedWald);
    }
    assert_eq!(
        "fdr_bh".parse::<crate::Adjust>().unwrap(),
        crate::Adjust::Bh
    );
    let e = "exact".parse::<ProportionMethod>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid argument `method` = \"exact\": expected one of \"wilson\", \"wald\", \
         \"agresti-coull\", \"clopper-pearson\", \"jeffreys\""
    );
    assert_eq!(<crate::Adjust as Choice>::NAMES, &["holm", "bh", "none"]);
    assert_eq!(NpsMethod::Score.to_string(), "score");
    assert_eq!(
        serde_json::to_string(&NpsMethod::AdjustedWald).unwrap(),
        "\"adjusted-wald\""
    );
    let m: NpsMethod = serde_json::from_str("\"bootstrap\"").unwrap();
    assert_eq!(m, NpsMethod::Bootstrap);
    assert_eq!(
        err_code(<NpsMethod as OptionType>::from_value("method", &num(1.0))),
        "wrong_type"
    );
}

#[test]
fn options_parse_over_the_defaults() {
    let o =
        NpsOptions::parse([("method", &Value::Str("wald".into())), ("seed", &num(7.0))]).unwrap();
    assert_eq!(
        o,
        NpsOptions {
            method: NpsMethod::Wald,
            seed: 7,
            ..NpsOptions::default()
        }
    );
    // null keeps a default
    assert_eq!(
        NpsOptions::parse([("level", &Value::Null)]).unwrap(),
        NpsOptions::default()
    );
    let e = NpsOptions::parse([("levl", &num(0.9))]).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    assert!(
        e.to_string().contains("level, method, resamples, seed"),
        "{e}"
    );
}

#[test]
fn every_entry_documents_its_options_and_their_defaults_parse_back() {
    for e in entries() {
        assert!(!e.doc.is_empty(), "{}", e.name);
        for f in (e.options)() {
            assert!(!f.doc.is_empty(), "{}.{}", e.name, f.name);
            if f.ty == "choice" {
                assert!(
                    f.choices.contains(&f.default.as_str().unwrap()),
                    "{}.{}",
                    e.name,
                    f.name
                );
            }
        }
        for p in e.params {
            assert!(!p.doc.is_empty(), "{}.{}", e.name, p.name);
        }
    }
    // The documented defaults are the structs' own.
    let fields = NpsOptions::fields();
    let json: Vec<_> = fields.iter().map(|f| (f.name, f.default.clone())).collect();
    assert_eq!(
        json,
        vec![
            ("level", serde_json::json!(0.95)),
            ("method", serde_json::json!("adjusted-wald")),
            ("resamples", serde_json::json!(2000)),
            ("seed", serde_json::json!(0)),
        ]
    );
}

#[test]
fn scales_from_every_form() {
    let s = |v: Value| scale_of(&v);
    assert_eq!(s(Value::Str("csat".into())).unwrap(), Scale::csat());
    assert_eq!(
        s(Value::List(vec![num(1.0), num(7.0)])).unwrap(),
        Scale::new(1, 7).unwrap()
    );
    let four = Value::List(vec![num(1.0), num(5.0), num(5.0), num(1.0)]);
    assert_eq!(s(four).unwrap(), Scale::with_boxes(1, 5, 5, 1).unwrap());
    let map = Value::Map(vec![
        ("lowest".into(), num(0.0)),
        ("highest".into(), num(10.0)),
        ("topBoxMin".into(), num(9.0)),
        ("bottom_box_max".into(), num(6.0)),
    ]);
    assert_eq!(s(map).unwrap(), Scale::nps());
    let partial = Value::Map(vec![
        ("lowest".into(), num(1.0)),
        ("highest".into(), num(5.0)),
        ("top_box_min".into(), num(5.0)),
    ]);
    assert_eq!(s(partial).unwrap(), Scale::with_boxes(1, 5, 5, 2).unwrap());
    assert_eq!(err_code(s(num(3.5))), "wrong_type");
    assert_eq!(err_code(s(Value::List(vec![num(1.0)]))), "invalid_argument");
    assert_eq!(
        err_code(s(Value::List(vec![num(1.0), num(1.5)]))),
        "invalid_argument"
    );
    assert_eq!(
        err_code(s(Value::List(vec![num(5.0), num(1.0)]))),
        "invalid_scale"
    );
    assert_eq!(err_code(s(Value::Str("stars".into()))), "invalid_argument");
}

#[test]
fn entry_points_equal_the_core_functions() {
    let scores = [10u8, 9, 9, 8, 7, 6, 3, 10, 9, 0];
    let tally = Tally::from_values(Scale::nps(), &scores, None).unwrap();
    let mut args = Args::new();
    args.input("values", Input::Numbers(Numbers::U8(&scores)))
        .option("method", Value::Str("score".into()));
    let Output::Record(Record::Nps(r)) = call("nps", &args).unwrap() else {
        panic!("not an Nps")
    };
    let options = NpsOptions {
        method: NpsMethod::Score,
        ..NpsOptions::default()
    };
    assert_eq!(r, crate::nps(&tally, &options).unwrap());

    // Every numeric element type reads the same, and a Tally input reads as its data.
    let floats: Vec<f64> = scores.iter().map(|&x| f64::from(x)).collect();
    let ints: Vec<i64> = scores.iter().map(|&x| i64::from(x)).collect();
    for input in [
        Input::Numbers(Numbers::F64(&floats)),
        Input::Numbers(Numbers::I64(&ints)),
        Input::Tally(&tally),
    ] {
        let mut a = Args::new();
        a.input("values", input);
        let Output::Record(Record::Nps(x)) = call("nps", &a).unwrap() else {
            panic!("not an Nps")
        };
        assert_eq!(x, crate::nps(&tally, &NpsOptions::default()).unwrap());
    }

    let csat = [5.0, 4.0, 2.0, f64::NAN];
    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::F64(&csat)));
    let t = Tally::from_values(Scale::csat(), &csat, None).unwrap();
    let Output::Record(Record::Proportion(p)) = call("csat", &a).unwrap() else {
        panic!("not a Proportion")
    };
    assert_eq!(p, crate::csat(&t, &ProportionOptions::default()).unwrap());
}

#[test]
fn input_rules_are_the_same_everywhere() {
    let tally = Tally::new(Scale::nps());
    let w = [1.0];
    let mut a = Args::new();
    a.input("values", Input::Tally(&tally))
        .input("weights", Input::Numbers(Numbers::F64(&w)));
    assert_eq!(err_code(call("nps", &a)), "invalid_argument");

    let mut a = Args::new();
    a.input("values", Input::Tally(&tally))
        .option("scale", Value::Str("csat".into()));
    assert_eq!(err_code(call("nps", &a)), "scale_mismatch");

    let raw = [1.0, 2.0];
    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::F64(&raw)));
    let e = call("top_box", &a).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    assert!(e.to_string().contains("scale"), "{e}");

    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::F64(&raw)))
        .option("scale", Value::Str("csat".into()))
        .option("resamples", num(200.0));
    assert_eq!(err_code(call("top_box", &a)), "invalid_argument");
    assert_eq!(err_code(call("no_such_thing", &a)), "invalid_argument");
}

#[test]
fn records_round_trip_through_json() {
    let t = Tally::from_values(Scale::nps(), &[10u8, 9, 0, 7, 8], None).unwrap();
    let records: Vec<Record> = vec![
        crate::nps(&t, &NpsOptions::default()).unwrap().into(),
        crate::nps_difference(&t, &t, 0.9).unwrap().into(),
        crate::top_box(&t, &ProportionOptions::default())
            .unwrap()
            .into(),
        crate::mean(&t, 0.95).unwrap().into(),
        crate::distribution(&t).unwrap().into(),
    ];
    for r in records {
        let back = Record::from_json(r.type_name(), &r.to_json()).unwrap();
        assert_eq!(back, r);
        assert!(!r.to_string().is_empty());
    }
    assert_eq!(
        err_code(Record::from_json("Nps", "{}")),
        "unreadable_summary"
    );
    assert_eq!(
        err_code(Record::from_json("NoSuchType", "{}")),
        "unreadable_summary"
    );
}

#[test]
fn the_contract_lists_entries_tables_and_errors() {
    let c: serde_json::Value = serde_json::from_str(&contract_json()).unwrap();
    let names: Vec<&str> = c["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"nps") && names.contains(&"csat"));
    assert_eq!(
        c["errors"].as_array().unwrap().len(),
        crate::CxError::CODES.len()
    );
    for r in c["entries"].as_array().unwrap() {
        let ret = &r["returns"];
        if ret["kind"] == "record" {
            assert!(Record::TYPES.contains(&ret["name"].as_str().unwrap()));
        }
    }
}
