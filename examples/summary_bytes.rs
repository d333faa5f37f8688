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
//! (sorted keys, the missing key last). The Node test `cx-node/__test__/xlang-bytes.test.mjs`
//! runs this.

use cx_core::grouping::{combine, factorize, Key};
use cx_core::{GroupedTally, KeyedTally, Scale, Tally};
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
