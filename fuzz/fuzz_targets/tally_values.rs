//! `Tally::from_values` over every element type with values and weights of any bit pattern, on
//! any scale, at any level: every estimator gives a valid result or an error.
#![no_main]
use cx_fuzz::{with_column, Column, Num, ScaleChoice, Weights};
#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    scale: ScaleChoice,
    values: Column,
    weights: Option<Weights>,
    level: Num,
}
libfuzzer_sys::fuzz_target!(|input: Input| {
    let Ok(scale) = input.scale.get() else { return };
    let w = input.weights.as_ref().map(|w| w.fit(input.values.len()));
    let r = with_column!(&input.values, |v| cx_core::Tally::from_values(
        scale,
        v,
        w.as_deref()
    ));
    match r {
        Ok(t) => {
            cx_fuzz::check_estimators(&t, input.level.get());
            cx_fuzz::check_estimators(&t, 0.95);
            // Pushing one at a time gives the same tally.
            let mut p = cx_core::Tally::new(scale);
            for (i, x) in input.values.as_f64().into_iter().enumerate() {
                let wi = w.as_ref().map_or(1.0, |w| w[i]);
                p.push_weighted(x, wi)
                    .expect("accepted in bulk, accepted one by one");
            }
            assert_eq!(p.counts(), t.counts());
            assert_eq!(p.missing(), t.missing());
        }
        Err(e) => cx_fuzz::assert_clean_error(&e),
    }
});
