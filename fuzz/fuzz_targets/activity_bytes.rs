//! `Activity::from_bytes` (the retention activity summary (CXAC)) on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cx_fuzz::fuzz_bytes::<cx_core::Activity>(data));
