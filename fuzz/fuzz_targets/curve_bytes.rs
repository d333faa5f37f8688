//! `CurveTally::from_bytes` (the loyalty curve tally (CXCV)) on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cx_fuzz::fuzz_bytes::<cx_core::CurveTally>(data));
