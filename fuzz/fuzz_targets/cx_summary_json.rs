//! `CxSummary::from_json` on arbitrary text; what reads must give a valid CX index or an error.
#![no_main]
use cx_core::CxSummary;
libfuzzer_sys::fuzz_target!(|data: &[u8]| cx_fuzz::fuzz_json(
    data,
    CxSummary::from_json,
    CxSummary::to_json,
    cx_fuzz::check_cx_index
));
