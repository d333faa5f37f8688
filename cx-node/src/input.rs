//! JavaScript inputs to cx-core inputs: ratings, weights, scales and integer options.
//!
//! Nothing here judges a rating or a weight: typed arrays are borrowed as they are and handed to
//! [`cx_core::Tally::from_values`] with their native element type; in a `number[]`, `null` and
//! `undefined` become NaN (a missing answer for a value, an invalid weight for a weight), and
//! cx-core decides the rest.

use std::borrow::Cow;

use cx_core::{CxError, Scale};
use napi::bindgen_prelude::{
    Either, Either5, Float32ArraySlice, Float64ArraySlice, Int32ArraySlice, Uint8ArraySlice,
};
use napi_derive::napi;

use crate::tally::Tally;

/// Raw ratings: a `number[]` (`null`, `undefined` and `NaN` are missing answers) or a typed
/// array, read in place without copying (`NaN` is missing in float arrays).
#[napi]
pub type RawValues<'a> = Either5<
    Vec<Option<f64>>,
    Float64ArraySlice<'a>,
    Float32ArraySlice<'a>,
    Uint8ArraySlice<'a>,
    Int32ArraySlice<'a>,
>;

/// Ratings as raw values or an already built {@link Tally}.
#[napi]
pub type Values<'a> = Either<RawValues<'a>, &'a Tally>;

/// One weight per value, 0 or between 1e-100 and 1e100 (only ratios matter), as a `number[]` or
/// a `Float64Array` (read in place). The weight of a missing answer is ignored.
#[napi]
pub type Weights<'a> = Either<Vec<Option<f64>>, Float64ArraySlice<'a>>;

/// A scale: a preset name (`"nps"`, `"csat"`, `"ces"`, `"agreement"`) or a {@link ScaleSpec}.
pub type ScaleArg = Either<String, ScaleSpec>;

/// A custom rating scale: integer points `lowest..=highest` (at most 101 points).
///
/// Without box thresholds the top box is the two highest points and the bottom box the two
/// lowest (the single end points on scales of two to four points); a threshold left out takes
/// that default.
#[napi(object, object_to_js = false)]
pub struct ScaleSpec {
    /// Lowest point (an integer).
    pub lowest: f64,
    /// Highest point (an integer).
    pub highest: f64,
    /// Smallest point of the top box (`topBoxMin..=highest`).
    pub top_box_min: Option<f64>,
    /// Largest point of the bottom box (`lowest..=bottomBoxMax`).
    pub bottom_box_max: Option<f64>,
}

/// The cx-core scale of a scale argument.
pub(crate) fn scale_of(arg: &ScaleArg) -> Result<Scale, CxError> {
    match arg {
        Either::A(name) => Scale::preset(name),
        Either::B(spec) => spec_scale(spec),
    }
}

/// The cx-core scale of a [`ScaleSpec`].
pub(crate) fn spec_scale(spec: &ScaleSpec) -> Result<Scale, CxError> {
    let lowest = exact_i32("lowest", spec.lowest)?;
    let highest = exact_i32("highest", spec.highest)?;
    let top = spec
        .top_box_min
        .map(|x| exact_i32("topBoxMin", x))
        .transpose()?;
    let bottom = spec
        .bottom_box_max
        .map(|x| exact_i32("bottomBoxMax", x))
        .transpose()?;
    match (top, bottom) {
        (None, None) => Scale::new(lowest, highest),
        (Some(top), Some(bottom)) => Scale::with_boxes(lowest, highest, top, bottom),
        (top, bottom) => {
            let default = Scale::new(lowest, highest)?;
            Scale::with_boxes(
                lowest,
                highest,
                top.unwrap_or(default.top_box_min()),
                bottom.unwrap_or(default.bottom_box_max()),
            )
        }
    }
}

/// The tally of raw values, each typed array passed to cx-core with its own element type.
pub(crate) fn build(
    scale: Scale,
    values: &RawValues,
    weights: Option<&[f64]>,
) -> Result<cx_core::Tally, CxError> {
    match values {
        Either5::A(list) => {
            let list: Vec<f64> = list.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
            cx_core::Tally::from_values(scale, &list, weights)
        }
        Either5::B(f64s) => cx_core::Tally::from_values(scale, f64s, weights),
        Either5::C(f32s) => cx_core::Tally::from_values(scale, f32s, weights),
        Either5::D(bytes) => cx_core::Tally::from_values(scale, bytes, weights),
        Either5::E(i32s) => cx_core::Tally::from_values(scale, i32s, weights),
    }
}

/// Weights as a slice: a `Float64Array` in place, a `number[]` with `null` as NaN (which
/// cx-core rejects as an invalid weight, naming its index, unless the value is missing).
pub(crate) fn weight_slice<'w>(weights: &'w Weights) -> Cow<'w, [f64]> {
    match weights {
        Either::A(list) => Cow::Owned(list.iter().map(|w| w.unwrap_or(f64::NAN)).collect()),
        Either::B(slice) => Cow::Borrowed(slice),
    }
}

/// JavaScript numbers are doubles; an integer parameter takes one only when it is exactly an
/// integer of the target type (napi's own conversions would truncate 2.5 and wrap -1).
fn exact<T: TryFrom<i64>>(name: &'static str, x: f64, expected: &str) -> Result<T, CxError> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    let invalid = || CxError::InvalidArgument {
        name,
        value: x.to_string(),
        expected: expected.into(),
    };
    if x.fract() != 0.0 || x.abs() > MAX_SAFE {
        return Err(invalid());
    }
    T::try_from(x as i64).map_err(|_| invalid())
}

fn exact_i32(name: &'static str, x: f64) -> Result<i32, CxError> {
    exact(name, x, "a 32-bit integer")
}

pub(crate) fn exact_u32(name: &'static str, x: f64) -> Result<u32, CxError> {
    exact(name, x, "an integer from 0 to 4294967295")
}
