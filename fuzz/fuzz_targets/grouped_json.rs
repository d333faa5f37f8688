//! `GroupedTally` and `KeyedTally` from arbitrary JSON text (their serde forms).
#![no_main]
use cx_core::{CxError, GroupedTally, KeyedTally};
fn read<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, CxError> {
    serde_json::from_str(s).map_err(|e| CxError::UnreadableSummary {
        reason: e.to_string(),
    })
}
fn write<T: serde::Serialize>(t: &T) -> String {
    serde_json::to_string(t).expect("serialises")
}
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cx_fuzz::fuzz_json::<GroupedTally>(data, read, write, cx_fuzz::check_grouped);
    cx_fuzz::fuzz_json::<KeyedTally>(data, read, write, |k| {
        for (_, t) in k.iter() {
            cx_fuzz::assert_tally(t);
        }
    });
});
