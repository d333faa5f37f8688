//! Tests of the retention, lifetime-value and balance entry points: each equals the core
//! function it wraps, reads a log by the one key and date rule, and names its arguments in
//! errors.

use super::*;
use crate::balance::ResponseCurve;
use crate::clv::{fit_sbg, rfm_ints, FitOptions, RfmOptions};
use crate::grouping::Key;
use crate::period::days_from_civil;
use crate::retention::{cohorts, retention, Activity, RetentionOptions};
use crate::Freq;

fn num(x: f64) -> Value {
    Value::Num(x)
}

fn record(name: &str, args: &Args) -> Record {
    match call(name, args).unwrap() {
        Output::Record(r) => r,
        other => panic!("{name}: {other:?}"),
    }
}

fn code<T: std::fmt::Debug>(r: Result<T>) -> (&'static str, String) {
    let e = r.unwrap_err();
    let name = match &e {
        CxError::InvalidArgument { name, .. } | CxError::WrongType { name, .. } => name,
        CxError::LengthMismatch { right_name, .. } => right_name,
        _ => "",
    };
    (e.code(), name.to_string())
}

/// A small log: integer ids (one missing), ISO dates (one missing), revenue with a refund.
struct Log {
    ids: Vec<KeyValue>,
    dates: Vec<DateValue>,
    revenue: Vec<f64>,
}

fn log() -> Log {
    let ids = [Some(7.0), Some(3.0), Some(7.0), None, Some(3.0), Some(7.0)];
    let dates = [
        Some("2026-01-05"),
        Some("2026-01-20"),
        Some("2026-02-02"),
        Some("2026-02-03"),
        None,
        Some("2026-03-09"),
    ];
    Log {
        ids: ids
            .iter()
            .map(|i| i.map_or(KeyValue::Missing, KeyValue::Num))
            .collect(),
        dates: dates
            .iter()
            .map(|d| d.map_or(DateValue::Missing, |d| DateValue::Text(d.into())))
            .collect(),
        revenue: vec![10.0, 4.0, -2.0, 5.0, 8.0, 12.0],
    }
}

fn log_args(l: &Log) -> Args<'_> {
    let mut a = Args::new();
    a.input("customers", Input::Keys(vec![KeyColumn::Values(l.ids.clone())]))
        .input("dates", Input::Dates(DateColumn::Values(l.dates.clone())))
        .input("revenue", Input::Numbers(Numbers::F64(&l.revenue)));
    a
}

/// The same log for the core's own functions: integer ids (-1 missing), days.
fn core_log() -> (Vec<i64>, Vec<i64>, Vec<f64>) {
    let d = |m, day| days_from_civil(2026, m, day);
    let missing = crate::period::MISSING_DAY;
    (
        vec![7, 3, 7, -1, 3, 7],
        vec![d(1, 5), d(1, 20), d(2, 2), d(2, 3), missing, d(3, 9)],
        vec![10.0, 4.0, -2.0, 5.0, 8.0, 12.0],
    )
}

fn core_activity() -> Activity {
    let (ids, days, revenue) = core_log();
    let codes: Vec<u32> = ids
        .iter()
        .map(|&i| match i {
            3 => 0,
            7 => 1,
            _ => crate::retention::MISSING_CUSTOMER,
        })
        .collect();
    Activity::from_codes(
        &codes,
        vec![Key::Int(3), Key::Int(7)],
        &days,
        &revenue,
        Freq::Month,
    )
    .unwrap()
}

#[test]
fn log_entries_equal_the_core_functions() {
    let l = log();
    let mut a = log_args(&l);
    a.option("lag", num(2.0));
    let options = RetentionOptions {
        lag: 2,
        ..RetentionOptions::default()
    };
    let want = retention(&core_activity(), &options).unwrap();
    assert_eq!(record("retention", &a), Record::Retention(want.clone()));
    assert_eq!(want.missing, 2);
    assert_eq!(
        record("cohorts", &log_args(&l)),
        Record::Cohorts(cohorts(&core_activity()))
    );
    assert_eq!(
        record("activity", &log_args(&l)),
        Record::Activity(core_activity())
    );
    // An Activity given in place of the log, with its own period.
    let act = core_activity();
    let mut b = Args::new();
    b.input("activity", Input::Object(&act))
        .option("lag", num(2.0))
        .option("freq", Value::Str("W".into()));
    assert_eq!(record("retention", &b), Record::Retention(want));
    // rfm in weeks, to the end of March
    let (ids, days, revenue) = core_log();
    let mut r = log_args(&l);
    r.option("unit", Value::Str("W".into())).input(
        "observation_end",
        Input::Dates(DateColumn::Values(vec![DateValue::Text("2026-03-31".into())])),
    );
    let want = rfm_ints(
        &ids.iter()
            .map(|&i| if i < 0 { i64::MIN } else { i })
            .collect::<Vec<_>>(),
        &days,
        &revenue,
        &RfmOptions {
            unit_days: 7.0,
            observation_end: Some(days_from_civil(2026, 3, 31)),
        },
    );
    let Record::Rfm(got) = record("rfm", &r) else {
        panic!()
    };
    let want = want.unwrap();
    assert_eq!(got.customers, vec![Key::Int(3), Key::Int(7)]);
    assert_eq!(
        (got.frequency, got.recency, got.t),
        (
            want.frequency[1..].to_vec(),
            want.recency[1..].to_vec(),
            want.t[1..].to_vec()
        )
    );
}

#[test]
fn acquisition_channels_are_a_key_column() {
    let l = log();
    let channels: Vec<KeyValue> = ["web", "ads", "web", "ads", "ads"]
        .iter()
        .map(|c| KeyValue::Str((*c).into()))
        .chain([KeyValue::Missing])
        .collect();
    let mut a = log_args(&l);
    a.input("channels", Input::Keys(vec![KeyColumn::Values(channels)]));
    let Record::Acquisition(t) = record("acquisition", &a) else {
        panic!()
    };
    assert_eq!(t.channels, vec!["ads", "web"]);
    assert_eq!(t.rows.iter().map(|r| r.new).sum::<u64>(), 2);
    let (name, arg) = code(call("acquisition", &log_args(&l)));
    assert_eq!((name, arg.as_str()), ("wrong_type", "channels"));
}

#[test]
fn log_errors_name_their_argument() {
    let l = log();
    let mut bad = Log {
        dates: l.dates.clone(),
        ..log()
    };
    bad.dates[0] = DateValue::Text("2026-13-45".into());
    assert_eq!(
        code(call("retention", &log_args(&bad))),
        ("invalid_argument", "dates".into())
    );
    let short = Log {
        revenue: vec![1.0],
        ..log()
    };
    assert_eq!(code(call("cohorts", &log_args(&short))).0, "length_mismatch");
    let mut a = log_args(&l);
    a.option("lag", num(0.0));
    assert_eq!(
        code(call("retention", &a)),
        ("invalid_argument", "lag".into())
    );
    let mut u = log_args(&l);
    u.option("unit", Value::Str("fortnight".into()));
    assert_eq!(code(call("rfm", &u)), ("invalid_argument", "unit".into()));
    let act = core_activity();
    let mut both = log_args(&l);
    both.input("activity", Input::Object(&act));
    assert_eq!(
        code(call("retention", &both)),
        ("invalid_argument", "activity".into())
    );
    let mut two = Args::new();
    two.input(
        "customers",
        Input::Keys(vec![
            KeyColumn::Values(l.ids.clone()),
            KeyColumn::Values(l.ids.clone()),
        ]),
    );
    assert_eq!(
        code(call("retention", &two)),
        ("invalid_argument", "customers".into())
    );
}

#[test]
fn the_time_unit_reads_letters_and_days() {
    use crate::api::retention::{RfmEntryOptions, TimeUnit};
    for (given, days) in [("D", 1.0), ("w", 7.0), ("week", 7.0)] {
        let o = RfmEntryOptions::parse([("unit", &Value::Str(given.into()))]).unwrap();
        assert_eq!(o.unit, TimeUnit(days));
    }
    let o = RfmEntryOptions::parse([("unit", &num(30.0))]).unwrap();
    assert_eq!(o.unit, TimeUnit(30.0));
    assert!(RfmEntryOptions::parse([("unit", &num(0.0))]).is_err());
    assert_eq!(
        code(RfmEntryOptions::parse([("unit", &Value::Bool(true))])).0,
        "wrong_type"
    );
    let json: Vec<_> = RfmEntryOptions::fields()
        .into_iter()
        .map(|f| f.default)
        .collect();
    assert_eq!(json, vec![serde_json::json!("D")]);
}

#[test]
fn model_entries_equal_the_core_functions() {
    let alive = [1000.0, 869.0, 743.0, 653.0, 593.0, 551.0, 517.0, 491.0];
    let mut a = Args::new();
    a.input("alive", Input::Numbers(Numbers::F64(&alive)));
    let want = fit_sbg(&alive, &FitOptions::default()).unwrap();
    assert_eq!(record("fit_sbg", &a), Record::SbgFit(want));
    let mut m = Args::new();
    m.option("margin", num(100.0))
        .option("retention", num(0.8))
        .option("discount", num(0.1));
    assert_eq!(
        call("margin_multiplier", &m).unwrap(),
        Output::Number(crate::clv::margin_multiplier(100.0, 0.8, 0.1).unwrap())
    );
    let (x, tx, t) = ([0.0, 2.0, 5.0, 1.0], [0.0, 10.0, 30.0, 3.0], [38.0, 35.0, 36.0, 30.0]);
    let mut b = Args::new();
    b.input("frequency", Input::Numbers(Numbers::F64(&x)))
        .input("recency", Input::Numbers(Numbers::F64(&tx)))
        .option("max_iterations", num(3.0))
        .option("strict", Value::Bool(false));
    assert_eq!(code(call("fit_bgnbd", &b)), ("wrong_type", "T".into()));
    b.input("T", Input::Numbers(Numbers::F64(&t)));
    let Record::BgNbdFit(f) = record("fit_bgnbd", &b) else {
        panic!()
    };
    assert_eq!((f.iterations, f.n), (3, 4));
}

#[test]
fn response_curves_and_customer_equity() {
    let mut p = Args::new();
    p.option("ceiling", num(0.4))
        .option("spend", num(50.0))
        .option("rate", num(0.2));
    let point = ResponseCurve::from_point(0.4, 50.0, 0.2).unwrap();
    assert_eq!(record("response_curve", &p), Record::ResponseCurve(point));
    let mut f = Args::new();
    f.option("ceiling", num(0.6))
        .option("spend", Value::List(vec![num(10.0), num(20.0)]))
        .option("rate", Value::List(vec![num(0.15), num(0.3)]));
    let fitted = ResponseCurve::fit(0.6, &[10.0, 20.0], &[0.15, 0.3]).unwrap();
    assert_eq!(record("response_curve", &f), Record::ResponseCurve(fitted));
    let curve = |c: &ResponseCurve| {
        Value::Map(vec![
            ("ceiling".into(), num(c.ceiling)),
            ("k".into(), num(c.k)),
        ])
    };
    let mut e = Args::new();
    e.option("margin", num(100.0))
        .option("discount", num(0.1))
        .option("acquisition", curve(&point))
        .option("retention", curve(&fitted))
        .option("acquisition_spend", num(30.0))
        .option("retention_spend", num(10.0));
    let want = crate::balance::customer_equity(&crate::balance::EquityOptions {
        margin: 100.0,
        discount: 0.1,
        acquisition: point,
        retention: fitted,
        acquisition_spend: 30.0,
        retention_spend: 10.0,
        budget: None,
    })
    .unwrap();
    assert_eq!(record("customer_equity", &e), Record::CustomerEquity(want));
    e.option("retention", Value::Str("steep".into()));
    assert_eq!(
        code(call("customer_equity", &e)),
        ("wrong_type", "retention".into())
    );
}
