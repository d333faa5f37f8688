//! `JointTally::from_bytes` (the loyalty joint tally (CXJT)) on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cx_fuzz::fuzz_bytes::<cx_core::JointTally>(data));
