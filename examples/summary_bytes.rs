//! Write the serialised forms of one data set's summaries: a `Tally` (bytes `CXTL` and JSON),
//! a `KeyedTally` (bytes `CXKT` and JSON) and a `GroupedTally` (bytes `CXGT`), built in one pass
//! by cx-core, so that the Node and Python suites can check that every language writes and
//! reads the same bytes.
//!
//! ```text
//! cargo run -p cx-core --example summary_bytes -- data.json out/
//! cargo run -p cx-core --example summary_bytes              # a small fixed data set, hex on stdout
//! ```
//!
//! `data.json` holds `scale` (`lowest`, `highest`, `top_box_min`, `bottom_box_max`), `names`
//! (the key columns), `scores` (`null` is a missing answer), `weights` (or `null`) and `keys`
//! (one array per key column of strings, integers and `null` for the missing key). The files
//! written in `out/` are `rust-tally.bin`, `rust-tally.json`, `rust-keyed.bin`,
//! `rust-keyed.json` and `rust-grouped.bin`; groups are numbered in the keyed tally's order
//! (sorted keys, the missing key last). When `data.json` also holds `cx` (one array of 1-5
//! answers per default CX dimension, `null` missing), `retained` (a 0/1 outcome per score;
//! groups: promoters vs detractors of the scores) and `log` (`customers`, ISO `dates`,
//! `revenue`), it also writes `rust-cx.bin` / `.json` (a `CxSummary`, weighted),
//! `rust-joint.bin` / `.json` (a loyalty `JointTally`, weighted) and `rust-activity.bin` /
//! `.json` (a monthly `Activity`). The Node test `cx-node/__test__/xlang-bytes.test.mjs` runs
//! this.

use cx_core::grouping::{combine, factorize, Key};
use cx_core::loyalty::{ExposureRule, JointTally};
use cx_core::period::days_from_civil;
use cx_core::retention::Activity;
use cx_core::{CxSummary, Dimension, Freq, GroupedTally, KeyedTally, Scale, Tally};
use serde_json::{json, Value};

/// The summaries of one data set.
struct Summaries {
    tally: Tally,
    keyed: KeyedTally,
    grouped: GroupedTally,
}

/// Build the three summaries from the data set's JSON.
///
/// # Panics
/// On malformed data (a missing or mistyped field): the test data is wrong.
fn summaries(data: &Value) -> Summaries {
    let s = &data["scale"];
    let int = |k: &str| {
        s[k].as_i64()
            .and_then(|x| i32::try_from(x).ok())
            .unwrap_or_else(|| panic!("scale.{k} must be an i32"))
    };
    let scale = Scale::with_boxes(
        int("lowest"),
        int("highest"),
        int("top_box_min"),
        int("bottom_box_max"),
    )
    .expect("a valid scale");
    let numbers = |v: &Value| -> Vec<f64> {
        v.as_array()
            .expect("an array of numbers")
            .iter()
            .map(|x| x.as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    let scores = numbers(&data["scores"]);
    let weights = (!data["weights"].is_null()).then(|| numbers(&data["weights"]));
    let names: Vec<String> = data["names"]
        .as_array()
        .expect("names")
        .iter()
        .map(|n| n.as_str().expect("a name").to_string())
        .collect();

    let columns: Vec<(Vec<u32>, Vec<Option<Key>>)> = data["keys"]
        .as_array()
        .expect("keys: an array of key columns")
        .iter()
        .map(|column| {
            let keys: Vec<Option<Key>> = column
                .as_array()
                .expect("a key column")
                .iter()
                .map(|k| match k {
                    Value::Null => None,
                    Value::String(s) => Some(Key::Str(s.clone())),
                    k => Some(Key::Int(k.as_i64().expect("a string, an integer or null"))),
                })
                .collect();
            factorize(&keys)
        })
        .collect();
    let codes: Vec<&[u32]> = columns.iter().map(|(c, _)| c.as_slice()).collect();
    let cardinalities: Vec<usize> = columns.iter().map(|(_, l)| l.len()).collect();
    let grouping = combine(&codes, &cardinalities).expect("key columns of one length");
    let labels: Vec<Vec<Key>> = grouping
        .keys
        .iter()
        .map(|codes| {
            codes
                .iter()
                .zip(&columns)
                .map(|(&c, (_, labels))| labels[c as usize].clone().unwrap_or(Key::Missing))
                .collect()
        })
        .collect();

    let tally = Tally::from_values(scale, &scores, weights.as_deref()).expect("valid scores");
    let grouped = GroupedTally::from_values(
        scale,
        &grouping.codes,
        grouping.n_groups(),
        &scores,
        weights.as_deref(),
    )
    .expect("valid scores");
    let keyed = KeyedTally::from_grouped(&grouped, names, labels).expect("one label per group");
    Summaries {
        tally,
        keyed,
        grouped,
    }
}

/// Numbers of a JSON array (`null`: NaN).
fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array of numbers")
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

/// The multi-column summaries of the data set's `cx`, `retained` and `log`, as (file stem,
/// bytes, JSON).
fn more_summaries(data: &Value) -> Vec<(&'static str, Vec<u8>, String)> {
    let mut out = Vec::new();
    let weights = (!data["weights"].is_null()).then(|| floats(&data["weights"]));
    if !data["cx"].is_null() {
        let cols: Vec<Vec<f64>> = cx_core::DEFAULT_DIMENSIONS
            .iter()
            .map(|d| floats(&data["cx"][d]))
            .collect();
        let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let s = CxSummary::from_columns(Dimension::defaults(), &refs, weights.as_deref(), false)
            .expect("valid CX answers");
        out.push(("cx", s.to_bytes(), s.to_json()));
    }
    if !data["retained"].is_null() {
        let groups = ExposureRule::default()
            .classify(Scale::nps(), &floats(&data["scores"]))
            .expect("valid scores");
        let j = JointTally::from_values(&groups, &floats(&data["retained"]), weights.as_deref())
            .expect("a valid outcome");
        out.push(("joint", j.to_bytes(), j.to_json()));
    }
    if !data["log"].is_null() {
        let log = &data["log"];
        let ids: Vec<Option<&str>> = log["customers"]
            .as_array()
            .expect("customers")
            .iter()
            .map(Value::as_str)
            .collect();
        let days: Vec<i64> = log["dates"]
            .as_array()
            .expect("dates")
            .iter()
            .map(|d| {
                let d = d.as_str().expect("an ISO date");
                let part = |r: std::ops::Range<usize>| d[r].parse::<i64>().expect("a number");
                days_from_civil(part(0..4), part(5..7) as u32, part(8..10) as u32)
            })
            .collect();
        let a = Activity::from_strs(&ids, &days, &floats(&log["revenue"]), Freq::Month)
            .expect("a valid log");
        out.push(("activity", a.to_bytes(), a.to_json()));
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [data, out] => {
            let text =
                std::fs::read_to_string(data).unwrap_or_else(|e| panic!("reading {data}: {e}"));
            let data: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{data}: {e}"));
            let s = summaries(&data);
            let out = std::path::Path::new(out);
            let write = |name: &str, bytes: &[u8]| {
                std::fs::write(out.join(name), bytes)
                    .unwrap_or_else(|e| panic!("writing {name}: {e}"))
            };
            write("rust-tally.bin", &s.tally.to_bytes());
            write("rust-tally.json", s.tally.to_json().as_bytes());
            write("rust-keyed.bin", &s.keyed.to_bytes());
            let keyed_json = serde_json::to_string(&s.keyed).expect("a keyed tally serialises");
            write("rust-keyed.json", keyed_json.as_bytes());
            write("rust-grouped.bin", &s.grouped.to_bytes());
            for (stem, bytes, json) in more_summaries(&data) {
                write(&format!("rust-{stem}.bin"), &bytes);
                write(&format!("rust-{stem}.json"), json.as_bytes());
            }
        }
        [] => {
            // Four answers, two regions (one missing key), tiers 1 and 2.
            let data = json!({
                "scale": { "lowest": 0, "highest": 10, "top_box_min": 9, "bottom_box_max": 6 },
                "names": ["region", "tier"],
                "scores": [10, 3, null, 9],
                "weights": null,
                "keys": [["North", null, "North", "South"], [1, 2, 1, 1]],
            });
            let s = summaries(&data);
            println!("tally   {}", hex(&s.tally.to_bytes()));
            println!("keyed   {}", hex(&s.keyed.to_bytes()));
            println!("grouped {}", hex(&s.grouped.to_bytes()));
        }
        _ => {
            eprintln!("usage: summary_bytes [<data.json> <output directory>]");
            std::process::exit(2);
        }
    }
}
