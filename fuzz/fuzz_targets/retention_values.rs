//! The retention summary from arbitrary customer ids, days and revenue at every frequency, then
//! retention, cohorts and acquisition tables and merge.
#![no_main]
use cx_core::{Activity, Freq};
use cx_fuzz::{Int, Num};
#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    rows: Vec<(Int, Int, Num)>,
    freq: u8,
    lag: u8,
}
libfuzzer_sys::fuzz_target!(|input: Input| {
    let ids: Vec<i64> = input.rows.iter().map(|r| r.0.get()).collect();
    let days: Vec<i64> = input.rows.iter().map(|r| r.1.get()).collect();
    let revenue: Vec<f64> = input.rows.iter().map(|r| r.2.get()).collect();
    let freq = match input.freq % 4 {
        0 => Freq::Day,
        1 => Freq::Week,
        2 => Freq::Month,
        _ => Freq::Quarter,
    };
    match Activity::from_ints(&ids, &days, &revenue, freq) {
        Ok(a) => {
            cx_fuzz::check_activity(&a);
            let opts = cx_core::RetentionOptions {
                lag: u32::from(input.lag % 16),
                ..Default::default()
            };
            match cx_core::retention(&a, &opts) {
                Ok(r) => cx_fuzz::assert_all_finite(&r),
                Err(e) => cx_fuzz::assert_clean_error(&e),
            }
            let mut twice = a.clone();
            twice.merge(&a).expect("a summary merges with itself");
        }
        Err(e) => cx_fuzz::assert_clean_error(&e),
    }
});
