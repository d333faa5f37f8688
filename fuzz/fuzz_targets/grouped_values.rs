//! `GroupedTally::from_values` with arbitrary group codes, values and weights, then the segment
//! table, merge with itself and the bytes round trip.
#![no_main]
use cx_fuzz::{with_column, Column, ScaleChoice, Weights};
#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    scale: ScaleChoice,
    codes: Vec<u16>,
    n_groups: u16,
    values: Column,
    weights: Option<Weights>,
}
libfuzzer_sys::fuzz_target!(|input: Input| {
    let Ok(scale) = input.scale.get() else { return };
    let codes: Vec<u32> = input.codes.iter().map(|&c| u32::from(c)).collect();
    let w = input.weights.as_ref().map(|w| w.fit(input.values.len()));
    let n_groups = usize::from(input.n_groups % 512);
    let r = with_column!(&input.values, |v| cx_core::GroupedTally::from_values(
        scale,
        &codes,
        n_groups,
        v,
        w.as_deref()
    ));
    match r {
        Ok(g) => {
            cx_fuzz::check_grouped(&g);
            let mut twice = g.clone();
            twice.merge(&g).expect("a summary merges with itself");
            assert_eq!(cx_core::GroupedTally::from_bytes(&g.to_bytes()).unwrap(), g);
        }
        Err(e) => cx_fuzz::assert_clean_error(&e),
    }
});
