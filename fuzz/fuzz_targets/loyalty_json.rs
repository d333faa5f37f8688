//! `JointTally::from_json` and `CurveTally::from_json` on arbitrary text.
#![no_main]
use cx_core::{CurveTally, JointTally};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cx_fuzz::fuzz_json(data, JointTally::from_json, JointTally::to_json, |j| {
        cx_fuzz::check_lift(j, 0.95)
    });
    cx_fuzz::fuzz_json(data, CurveTally::from_json, CurveTally::to_json, |c| {
        cx_fuzz::check_curve(c, 0.95)
    });
});
