//! Run every case of the shared fixture through cx-core and print the results as one JSON
//! object, `{case name: result}`, results serialised with serde (snake_case fields).
//!
//! ```text
//! cargo run -p cx-core --example xlang_dump -- testdata/cases.json > rust.json
//! ```
//!
//! The Python and Node suites run this and check that cxkit gives the same numbers in all
//! three languages, bootstrap intervals included. Error cases (those with `expected_error`) are
//! skipped; each suite checks those against the fixture itself. `cx-core/tests/reference.rs`
//! includes this file to run the cases the same way.

use cx_core::{
    bottom_box, ces, csat, distribution, mean, nps, nps_difference, top_box, CxError, NpsOptions,
    ProportionOptions, Scale, Tally,
};
use serde_json::{Map, Value};

/// Run one fixture case: build the tally (or tallies) from `values` and `weights` (null is a
/// missing answer), call the function with the case's options and serialise the result.
///
/// # Panics
/// On a malformed case (a missing or mistyped field, an unknown function): the fixture is wrong.
pub fn run_case(case: &Value) -> Result<Value, CxError> {
    let name = case["name"].as_str().expect("case has a name");
    let field = |key: &str| &case[key];
    let options = field("options");
    let level = || {
        options["level"]
            .as_f64()
            .unwrap_or_else(|| panic!("{name}: options.level must be a number"))
    };
    let method = || {
        options["method"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: options.method must be a string"))
    };
    let scale = scale_of(name, field("scale"))?;
    let tally = |values: &str, weights: &str| -> Result<Tally, CxError> {
        let v = numbers(name, values, field(values));
        let w = match field(weights) {
            Value::Null => None,
            other => Some(numbers(name, weights, other)),
        };
        Tally::from_values(scale, &v, w.as_deref())
    };
    let proportion = || -> Result<ProportionOptions, CxError> {
        Ok(ProportionOptions {
            level: level(),
            method: method().parse()?,
        })
    };
    let result = match field("function").as_str() {
        Some("nps") => {
            let defaults = NpsOptions::default();
            let o = NpsOptions {
                level: level(),
                method: method().parse()?,
                resamples: options.get("resamples").map_or(defaults.resamples, |r| {
                    r.as_u64()
                        .and_then(|r| u32::try_from(r).ok())
                        .unwrap_or_else(|| panic!("{name}: options.resamples must be a u32"))
                }),
                seed: options.get("seed").map_or(defaults.seed, |s| {
                    s.as_u64()
                        .unwrap_or_else(|| panic!("{name}: options.seed must be a u64"))
                }),
            };
            to_json(&nps(&tally("values", "weights")?, &o)?)
        }
        Some("nps_difference") => to_json(&nps_difference(
            &tally("values", "weights")?,
            &tally("values_b", "weights_b")?,
            level(),
        )?),
        Some("top_box") => to_json(&top_box(&tally("values", "weights")?, &proportion()?)?),
        Some("bottom_box") => to_json(&bottom_box(&tally("values", "weights")?, &proportion()?)?),
        Some("csat") => to_json(&csat(&tally("values", "weights")?, &proportion()?)?),
        Some("mean") => to_json(&mean(&tally("values", "weights")?, level())?),
        Some("ces") => to_json(&ces(&tally("values", "weights")?, level())?),
        Some("distribution") => to_json(&distribution(&tally("values", "weights")?)?),
        other => panic!("{name}: unknown function {other:?}"),
    };
    Ok(result)
}

fn scale_of(name: &str, s: &Value) -> Result<Scale, CxError> {
    let int = |key: &str| {
        s[key]
            .as_i64()
            .and_then(|x| i32::try_from(x).ok())
            .unwrap_or_else(|| panic!("{name}: scale.{key} must be an i32"))
    };
    Scale::with_boxes(
        int("lowest"),
        int("highest"),
        int("top_box_min"),
        int("bottom_box_max"),
    )
}

/// A JSON array of numbers, `null` read as NaN (a missing answer).
fn numbers(name: &str, key: &str, v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("{name}: {key} must be an array"))
        .iter()
        .map(|x| match x {
            Value::Null => f64::NAN,
            x => x
                .as_f64()
                .unwrap_or_else(|| panic!("{name}: {key} holds a non-number {x}")),
        })
        .collect()
}

fn to_json<T: serde::Serialize>(r: &T) -> Value {
    serde_json::to_value(r).expect("cx-core results serialise")
}

/// Whether a case expects an error (and so has no result to compare across languages).
pub fn is_error_case(case: &Value) -> bool {
    case.get("expected_error").is_some_and(|e| !e.is_null())
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: xlang_dump <path to testdata/cases.json>");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let fixture: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = Map::new();
    for case in fixture["cases"]
        .as_array()
        .expect("fixture has a cases array")
    {
        if is_error_case(case) {
            continue;
        }
        let name = case["name"].as_str().expect("case has a name");
        let result = run_case(case).unwrap_or_else(|e| panic!("{name}: {e}"));
        out.insert(name.to_string(), result);
    }
    println!(
        "{}",
        serde_json::to_string(&Value::Object(out)).expect("results serialise")
    );
}
