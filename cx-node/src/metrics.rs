//! Metric options read from JavaScript by the grouped functions not yet on the contract
//! (`npsBy`, ..., `KeyedTally.segments`); defaults and names come from cx-core.

use cx_core::{NpsMethod, ProportionMethod};

use crate::input::{exact_u32, exact_u64};

/// cx-core's NPS options from the JavaScript ones, cx-core's defaults for those not given.
pub(crate) fn nps_options(
    level: Option<f64>,
    method: Option<&str>,
    resamples: Option<f64>,
    seed: Option<f64>,
) -> cx_core::Result<cx_core::NpsOptions> {
    let d = cx_core::NpsOptions::default();
    Ok(cx_core::NpsOptions {
        level: level.unwrap_or(d.level),
        method: method
            .map(str::parse::<NpsMethod>)
            .transpose()?
            .unwrap_or(d.method),
        resamples: resamples
            .map(|r| exact_u32("resamples", r))
            .transpose()?
            .unwrap_or(d.resamples),
        seed: seed
            .map(|s| exact_u64("seed", s))
            .transpose()?
            .unwrap_or(d.seed),
    })
}

/// cx-core's box-share options from the JavaScript ones, cx-core's defaults for those not given.
pub(crate) fn proportion_options(
    level: Option<f64>,
    method: Option<&str>,
) -> cx_core::Result<cx_core::ProportionOptions> {
    let d = cx_core::ProportionOptions::default();
    Ok(cx_core::ProportionOptions {
        level: level.unwrap_or(d.level),
        method: method
            .map(str::parse::<ProportionMethod>)
            .transpose()?
            .unwrap_or(d.method),
    })
}
