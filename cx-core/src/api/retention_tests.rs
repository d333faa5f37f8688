//! Tests of the transaction-log entry points: each equals the core function it wraps, reads a
//! log by the one key and date rule, and names its arguments in errors.

use super::*;
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
    a.input(
        "customers",
        Input::Keys(vec![KeyColumn::Values(l.ids.clone())]),
    )
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
        call("activity", &log_args(&l)).unwrap(),
        Output::Summary(Summary::Activity(core_activity()))
    );
    // An Activity given in place of the log, with its own period.
    let act = core_activity();
    let mut b = Args::new();
    b.input("activity", Input::Object(&act))
        .option("lag", num(2.0))
        .option("freq", Value::Str("W".into()));
    assert_eq!(record("retention", &b), Record::Retention(want));
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
    // The channels of every row are labelled, as the bindings always did: the missing one too.
    assert_eq!(t.channels, vec!["ads", "web", "(missing)"]);
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
    assert_eq!(
        code(call("cohorts", &log_args(&short))).0,
        "length_mismatch"
    );
    let mut a = log_args(&l);
    a.option("lag", num(0.0));
    assert_eq!(
        code(call("retention", &a)),
        ("invalid_argument", "lag".into())
    );
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
