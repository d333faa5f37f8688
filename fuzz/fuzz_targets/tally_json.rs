//! `Tally::from_json` on arbitrary text.
#![no_main]
use cx_core::Tally;
libfuzzer_sys::fuzz_target!(|data: &[u8]| cx_fuzz::fuzz_json(
    data,
    Tally::from_json,
    Tally::to_json,
    |t| cx_fuzz::check_estimators(t, 0.95)
));
