//! Merge of arbitrary pairs of tallies (built from values or read from bytes): an error, or a
//! tally equal to the merge in the other order whose estimates are valid.
#![no_main]
use cx_fuzz::{with_column, Column, ScaleChoice, Weights};
#[derive(arbitrary::Arbitrary, Debug)]
enum Side {
    Values(ScaleChoice, Column, Option<Weights>),
    Bytes(Vec<u8>),
    Json(String),
}
fn build(s: &Side) -> Option<cx_core::Tally> {
    match s {
        Side::Values(scale, col, w) => {
            let scale = scale.get().ok()?;
            let w = w.as_ref().map(|w| w.fit(col.len()));
            with_column!(col, |v| cx_core::Tally::from_values(scale, v, w.as_deref())).ok()
        }
        Side::Bytes(b) => cx_core::Tally::from_bytes(b).ok(),
        Side::Json(s) => cx_core::Tally::from_json(s).ok(),
    }
}
libfuzzer_sys::fuzz_target!(|pair: (Side, Side)| {
    let (Some(a), Some(b)) = (build(&pair.0), build(&pair.1)) else {
        return;
    };
    match (a.merged(&b), b.merged(&a)) {
        (Ok(ab), Ok(ba)) => {
            assert_eq!(ab.counts(), ba.counts());
            assert_eq!(ab.missing(), a.missing() + b.missing());
            cx_fuzz::check_estimators(&ab, 0.95);
            assert_eq!(cx_core::Tally::from_bytes(&ab.to_bytes()).unwrap(), ab);
        }
        (Err(e), Err(_)) => cx_fuzz::assert_clean_error(&e),
        (x, y) => panic!("merge is not symmetric: {x:?} vs {y:?}"),
    }
});
