//! cx-core against the independent reference fixture `testdata/cases.json`.
//!
//! The expected values come from `testdata/make_reference.py`, a pure-Python oracle that
//! recomputes every metric respondent by respondent with its own special functions (see
//! `testdata/README.md`); none of them is produced by cx-core. Each case is run exactly as
//! `examples/xlang_dump.rs` runs it for the Python and Node suites (this file includes it), so
//! the cross-language dump is itself checked against the oracle.
//!
//! Run with `-- --nocapture` to see the largest difference per function.

#[allow(dead_code)] // the example's `main` is its entry point, unused here
#[path = "../../examples/xlang_dump.rs"]
mod xlang_dump;

use serde_json::Value;
use std::collections::BTreeMap;
use xlang_dump::{is_error_case, run_case};

/// Relative tolerance on every floating-point field: the oracle and cx-core sum in different
/// orders and invert quantiles independently, so agreement is expected to ~1e-14, not to the
/// last bit. Must equal the fixture header's `tolerance.relative`.
const REL_TOL: f64 = 1e-12;
/// Absolute tolerance, for values below 1 in magnitude (shares, bounds near zero). Must equal
/// the fixture header's `tolerance.absolute`.
const ABS_TOL: f64 = 1e-12;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/cases.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cases(fixture: &Value) -> &[Value] {
    fixture["cases"]
        .as_array()
        .expect("fixture has a cases array")
}

fn name(case: &Value) -> &str {
    case["name"].as_str().expect("case has a name")
}

/// Largest difference seen for one function, `|actual − expected| / max(1, |expected|)`.
#[derive(Default)]
struct Worst {
    diff: f64,
    at: String,
}

/// Compare `actual` with `expected` field by field, recording failures and the largest
/// difference. Integers, strings and key sets must match exactly.
fn compare(
    path: &str,
    actual: &Value,
    expected: &Value,
    failures: &mut Vec<String>,
    worst: &mut Worst,
) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, ev) in e {
                match a.get(key) {
                    Some(av) => compare(&format!("{path}.{key}"), av, ev, failures, worst),
                    None => failures.push(format!("{path}.{key}: missing in cx-core")),
                }
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                failures.push(format!("{path}.{key}: in cx-core, not in the fixture"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                failures.push(format!("{path}: {} entries, expected {}", a.len(), e.len()));
                return;
            }
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                compare(&format!("{path}[{i}]"), av, ev, failures, worst);
            }
        }
        (Value::Number(a), Value::Number(e)) if e.is_f64() => {
            let (a, e) = (a.as_f64().expect("f64"), e.as_f64().expect("f64"));
            let diff = (a - e).abs();
            let scaled = diff / e.abs().max(1.0);
            if scaled > worst.diff || !scaled.is_finite() {
                *worst = Worst {
                    diff: scaled,
                    at: path.to_string(),
                };
            }
            if diff.is_nan() || diff > ABS_TOL.max(REL_TOL * e.abs()) {
                failures.push(format!(
                    "{path}: cx-core {a:?}, oracle {e:?}, |diff| {diff:.3e} ({scaled:.3e} scaled)"
                ));
            }
        }
        // Integers (counts, n, points) and strings (methods) must match exactly.
        (a, e) => {
            if a != e {
                failures.push(format!("{path}: cx-core {a}, oracle {e}"));
            }
        }
    }
}

#[test]
fn fixture_header_matches_this_test() {
    let f = fixture();
    assert_eq!(f["tolerance"]["relative"].as_f64(), Some(REL_TOL));
    assert_eq!(f["tolerance"]["absolute"].as_f64(), Some(ABS_TOL));
    let by = f["generated_by"].as_str().expect("generated_by");
    assert!(by.contains("make_reference.py"), "{by}");
    let mut names: Vec<&str> = cases(&f).iter().map(name).collect();
    let total = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), total, "case names must be unique");
    for function in [
        "nps",
        "nps_difference",
        "top_box",
        "bottom_box",
        "csat",
        "mean",
        "ces",
        "distribution",
    ] {
        assert!(
            cases(&f)
                .iter()
                .any(|c| c["function"] == function && !c["expected"].is_null()),
            "no oracle case for {function}"
        );
    }
}

#[test]
fn every_case_matches_the_oracle() {
    let f = fixture();
    let mut failures = Vec::new();
    let mut worst: BTreeMap<String, Worst> = BTreeMap::new();
    let (mut checked, mut errors, mut cross_only) = (0, 0, 0);
    for case in cases(&f) {
        let name = name(case);
        let function = case["function"].as_str().expect("function").to_string();
        let result = run_case(case);
        if is_error_case(case) {
            errors += 1;
            let want = &case["expected_error"];
            match result {
                Ok(r) => failures.push(format!("{name}: expected error {want}, got {r}")),
                Err(e) => {
                    let got = serde_json::to_value(&e).expect("errors serialise");
                    for (key, value) in want.as_object().expect("expected_error is an object") {
                        if &got[key] != value {
                            failures.push(format!(
                                "{name}: error {key} is {}, expected {value} ({e})",
                                got[key]
                            ));
                        }
                    }
                    assert_eq!(got["code"], e.code(), "{name}");
                }
            }
            continue;
        }
        let result = match result {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: unexpected error {e}"));
                continue;
            }
        };
        if case["expected"].is_null() {
            // Bootstrap: no oracle for a seeded ChaCha8 resample; check it is reproducible and sane.
            cross_only += 1;
            assert_eq!(
                run_case(case).ok().as_ref(),
                Some(&result),
                "{name}: same seed, same result"
            );
            let ci = &result["interval"];
            let (lo, hi) = (ci["lower"].as_f64().unwrap(), ci["upper"].as_f64().unwrap());
            assert!(
                (-100.0..=hi).contains(&lo) && hi <= 100.0,
                "{name}: interval {ci}"
            );
            assert_eq!(ci["method"], "bootstrap", "{name}");
            continue;
        }
        checked += 1;
        let w = worst.entry(function).or_default();
        compare(name, &result, &case["expected"], &mut failures, w);
    }
    println!("largest |cx-core - oracle| / max(1, |oracle|) per function:");
    for (function, w) in &worst {
        println!("  {function:<15} {:.3e}  at {}", w.diff, w.at);
    }
    println!(
        "{checked} cases against the oracle, {cross_only} cross-language only, {errors} errors"
    );
    assert!(
        checked >= 40 && errors >= 10,
        "fixture too small: {checked} / {errors}"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches against testdata/cases.json:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
