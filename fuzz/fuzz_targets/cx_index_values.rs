//! `CxSummary::from_columns` with arbitrary answers, weights, scales and options, then the CX
//! index by both methods at any level.
#![no_main]
use cx_fuzz::{Column, Num, ScaleChoice, Weights};
#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    scales: Vec<ScaleChoice>,
    columns: Vec<Column>,
    weights: Option<Weights>,
    require_all: bool,
    level: Num,
}
libfuzzer_sys::fuzz_target!(|input: Input| {
    let mut dims = Vec::new();
    for (i, s) in input.scales.iter().take(6).enumerate() {
        let Ok(scale) = s.get() else { return };
        dims.push(cx_core::Dimension::new(format!("d{i}"), scale));
    }
    let cols: Vec<Vec<f64>> = input.columns.iter().take(6).map(|c| c.as_f64()).collect();
    let refs: Vec<&[f64]> = cols.iter().map(|c| &c[..]).collect();
    let rows = cols.first().map_or(0, |c| c.len());
    let w = input.weights.as_ref().map(|w| w.fit(rows));
    match cx_core::CxSummary::from_columns(dims, &refs, w.as_deref(), input.require_all) {
        Ok(s) => {
            cx_fuzz::check_cx_index(&s);
            cx_fuzz::check_cx_index_at(&s, input.level.get());
            let mut twice = s.clone();
            twice.merge(&s).expect("a summary merges with itself");
            assert_eq!(cx_core::CxSummary::from_json(&s.to_json()).unwrap(), s);
        }
        Err(e) => cx_fuzz::assert_clean_error(&e),
    }
});
