//! Tests of the grouped entry points: tables equal the core's own computations; keys, dates
//! and integer keys read the same in every form.

use super::*;
use crate::grouping::Key;
use crate::period::days_from_civil;
use crate::segment::{segments, SegmentOptions};
use crate::{GroupedTally, NpsOptions, Scale, Tally};

fn table(out: Output) -> Table {
    match out {
        Output::Table(t) => t,
        other => panic!("not a table: {other:?}"),
    }
}

fn numbers(t: &Table, name: &str) -> Vec<Option<f64>> {
    match t.column(name) {
        Some(ColumnData::Number(v)) => v.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

const SCORES: [u8; 12] = [10, 9, 3, 0, 7, 8, 10, 10, 2, 9, 6, 5];

fn labels() -> Vec<KeyValue> {
    ["b", "a", "b", "a", "c", "a", "b", "b", "c", "a", "c", "c"]
        .iter()
        .map(|s| KeyValue::Str((*s).into()))
        .collect()
}

#[test]
fn nps_by_equals_segments_of_the_grouped_tally() {
    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::U8(&SCORES)))
        .input("by", Input::Keys(vec![KeyColumn::Values(labels())]))
        .option("min_base", Value::Num(1.0));
    let t = table(call("nps_by", &a).unwrap());
    assert_eq!(t.spec.name, "segments");
    // a, b, c sorted; codes by hand
    let codes: Vec<u32> = [1, 0, 1, 0, 2, 0, 1, 1, 2, 0, 2, 2].to_vec();
    let grouped = GroupedTally::from_values(Scale::nps(), &codes, 3, &SCORES, None).unwrap();
    let want = segments(
        &grouped,
        &SegmentOptions {
            min_base: 1,
            ..SegmentOptions::default()
        },
    )
    .unwrap();
    let est: Vec<Option<f64>> = want.rows.iter().map(|r| r.summary.estimate).collect();
    assert_eq!(numbers(&t, "estimate"), est);
    let p: Vec<Option<f64>> = want
        .rows
        .iter()
        .map(|r| r.vs_rest.as_ref().map(|c| c.p_adjusted))
        .collect();
    assert_eq!(numbers(&t, "p_adj_vs_rest"), p);
    let keys = &t.groups.as_ref().unwrap().keys;
    assert_eq!(
        keys,
        &vec![
            vec![Key::Str("a".into())],
            vec![Key::Str("b".into())],
            vec![Key::Str("c".into())]
        ]
    );
    // Each group's estimate is the NPS of its own answers.
    let a_scores: Vec<u8> = SCORES
        .iter()
        .zip(&codes)
        .filter(|(_, &c)| c == 0)
        .map(|(&s, _)| s)
        .collect();
    let direct = crate::nps(
        &Tally::from_values(Scale::nps(), &a_scores, None).unwrap(),
        &NpsOptions::default(),
    )
    .unwrap();
    assert_eq!(numbers(&t, "estimate")[0], Some(direct.estimate));
}

#[test]
fn integer_keys_read_alike_directly_factorized_and_as_values() {
    let keys = [
        1003i64, 1001, 1003, 1001, 1007, 1001, 1003, 1003, 1007, 1001, 1007, 1007,
    ];
    let as_values: Vec<KeyValue> = keys.iter().map(|&k| KeyValue::Num(k as f64)).collect();
    let run = |column: KeyColumn| {
        let mut a = Args::new();
        a.input("values", Input::Numbers(Numbers::U8(&SCORES)))
            .input("by", Input::Keys(vec![column]))
            .option("min_base", Value::Num(1.0));
        table(call("nps_by", &a).unwrap())
    };
    let direct = run(KeyColumn::Ints(Numbers::I64(&keys)));
    let values = run(KeyColumn::Values(as_values));
    // A span far wider than the data: factorized, not direct.
    let wide: Vec<i64> = keys.iter().map(|&k| k * 1_000_000).collect();
    let factorized = run(KeyColumn::Ints(Numbers::I64(&wide)));
    assert_eq!(direct.columns, values.columns);
    assert_eq!(direct.columns, factorized.columns);
    assert_eq!(direct.groups, values.groups);
    // Keys absent from the range (1002, 1004, ...) are no groups.
    assert_eq!(direct.rows(), 3);
}

#[test]
fn several_key_columns_combine_and_a_reference_is_found_by_text() {
    let channel: Vec<KeyValue> = (0..12)
        .map(|i| {
            if i % 2 == 0 {
                KeyValue::Str("web".into())
            } else {
                KeyValue::Num(2.0)
            }
        })
        .collect();
    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::U8(&SCORES)))
        .input(
            "by",
            Input::Keys(vec![
                KeyColumn::Values(labels()),
                KeyColumn::Values(channel),
            ]),
        )
        .option("min_base", Value::Num(1.0))
        .option(
            "reference",
            Value::List(vec![Value::Str("a".into()), Value::Str("2".into())]),
        );
    let t = table(call("nps_by", &a).unwrap());
    let keys = &t.groups.as_ref().unwrap().keys;
    // A column of text and numbers is a column of text: 2 is "2", sorted with "web".
    assert!(keys.contains(&vec![Key::Str("a".into()), Key::Str("2".into())]));
    assert!(t.column("diff_vs_reference").is_some());
    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::U8(&SCORES)))
        .input("by", Input::Keys(vec![KeyColumn::Values(labels())]))
        .option("reference", Value::Str("z".into()));
    assert_eq!(call("nps_by", &a).unwrap_err().code(), "unknown_group");
}

#[test]
fn trends_read_days_and_iso_text_alike() {
    let day = |m: u32, d: u32| days_from_civil(2026, m, d);
    let days: Vec<i64> = (0..12).map(|i| day(1 + (i % 3) as u32, 10)).collect();
    let text: Vec<DateValue> = (0..12)
        .map(|i| DateValue::Text(format!("2026-0{}-10T08:00:00Z", 1 + i % 3)))
        .collect();
    let run = |dates: Input| {
        let mut a = Args::new();
        a.input("values", Input::Numbers(Numbers::U8(&SCORES)))
            .input("period", dates)
            .option("min_base", Value::Num(1.0))
            .option("window", Value::Num(2.0));
        table(call("nps_by", &a).unwrap())
    };
    let by_days = run(Input::Numbers(Numbers::I64(&days)));
    let by_text = run(Input::Dates(DateColumn::Values(text)));
    assert_eq!(by_days.columns, by_text.columns);
    assert_eq!(by_days.spec.name, "trend");
    assert_eq!(by_days.rows(), 3);
    match by_days.column("period") {
        Some(ColumnData::Text(p)) => assert_eq!(p[0].as_deref(), Some("2026-01")),
        other => panic!("{other:?}"),
    }
    assert!(by_days.column("rolling_estimate").is_some());
    assert_eq!(by_days.attrs, vec![("excluded", 0.0)]);
}

#[test]
fn grouped_input_errors_name_the_argument() {
    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::U8(&SCORES)))
        .input(
            "by",
            Input::Keys(vec![KeyColumn::Values(vec![KeyValue::Str("a".into())])]),
        );
    let e = call("nps_by", &a).unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    assert!(e.to_string().contains("by has 1"), "{e}");

    let mut keys = labels();
    keys[3] = KeyValue::Num(1.5);
    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::U8(&SCORES)))
        .input("by", Input::Keys(vec![KeyColumn::Values(keys.clone())]));
    assert_eq!(call("nps_by", &a).unwrap_err().code(), "invalid_argument");
    keys[3] = KeyValue::Other("true (a boolean)".into());
    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::U8(&SCORES)))
        .input("by", Input::Keys(vec![KeyColumn::Values(keys)]));
    assert_eq!(call("nps_by", &a).unwrap_err().code(), "wrong_type");

    let mut a = Args::new();
    a.input("values", Input::Numbers(Numbers::U8(&SCORES)));
    assert_eq!(
        call("top_box_by", &a).unwrap_err().code(),
        "invalid_argument"
    );
    a.option("window", Value::Num(2.0))
        .option("scale", Value::Str("nps".into()));
    assert_eq!(
        call("top_box_by", &a).unwrap_err().code(),
        "invalid_argument"
    );
}
