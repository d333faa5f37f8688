//! `CxSummary::from_bytes` (the CX index summary (CXCS)) on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cx_fuzz::fuzz_bytes::<cx_core::CxSummary>(data));
