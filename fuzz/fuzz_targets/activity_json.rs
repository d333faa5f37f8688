//! `Activity::from_json` (the retention summary) on arbitrary text.
#![no_main]
use cx_core::Activity;
libfuzzer_sys::fuzz_target!(|data: &[u8]| cx_fuzz::fuzz_json(
    data,
    Activity::from_json,
    Activity::to_json,
    cx_fuzz::check_activity
));
