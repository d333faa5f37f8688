//! Input conversion: numpy arrays of any integer or float dtype are read in place (zero copy);
//! everything else (lists, pandas and polars Series, pyarrow arrays) goes through
//! `cxkit._convert`, which returns a numpy array, before the same path. Validation of the
//! values themselves happens once, in cx-core.

use cx_core::{Scale, Tally};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::errors::{to_py_err, IntoPyResult};
use crate::tally::{PyScale, PyTally};

/// A one-dimensional numpy array of a dtype cx-core reads directly.
#[derive(FromPyObject)]
pub enum Array<'py> {
    U8(PyReadonlyArray1<'py, u8>),
    I8(PyReadonlyArray1<'py, i8>),
    U16(PyReadonlyArray1<'py, u16>),
    I16(PyReadonlyArray1<'py, i16>),
    U32(PyReadonlyArray1<'py, u32>),
    I32(PyReadonlyArray1<'py, i32>),
    U64(PyReadonlyArray1<'py, u64>),
    I64(PyReadonlyArray1<'py, i64>),
    F32(PyReadonlyArray1<'py, f32>),
    F64(PyReadonlyArray1<'py, f64>),
}

/// Borrow the array's data if contiguous, else copy it once, then run `f` without the GIL.
macro_rules! with_slice {
    ($py:expr, $arr:expr, |$s:ident| $body:expr) => {{
        match $arr.as_slice() {
            Ok($s) => $py.detach(|| $body),
            Err(_) => {
                let owned = $arr.as_array().to_vec();
                let $s = owned.as_slice();
                $py.detach(|| $body)
            }
        }
    }};
}

fn convert<'py>(obj: &Bound<'py, PyAny>, helper: &str) -> PyResult<Bound<'py, PyAny>> {
    obj.py()
        .import("cxkit._convert")?
        .getattr(helper)?
        .call1((obj,))
}

/// Read `values` (and optional `weights`) into a new tally on `scale`.
pub fn tally_of(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    scale: Scale,
) -> PyResult<Tally> {
    let converted;
    let array: Array = match values.extract() {
        Ok(a) => a,
        Err(_) => {
            converted = convert(values, "as_values")?;
            converted.extract()?
        }
    };
    let weights_converted;
    let weights: Option<PyReadonlyArray1<f64>> = match weights {
        None => None,
        Some(w) if w.is_none() => None,
        Some(w) => Some(match w.extract() {
            Ok(a) => a,
            Err(_) => {
                weights_converted = convert(w, "as_weights")?;
                weights_converted.extract()?
            }
        }),
    };
    let owned_w;
    let w: Option<&[f64]> = match &weights {
        None => None,
        Some(a) => Some(match a.as_slice() {
            Ok(s) => s,
            Err(_) => {
                owned_w = a.as_array().to_vec();
                owned_w.as_slice()
            }
        }),
    };
    let result = match array {
        Array::U8(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::I8(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::U16(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::I16(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::U32(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::I32(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::U64(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::I64(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::F32(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
        Array::F64(a) => with_slice!(py, a, |s| Tally::from_values(scale, s, w)),
    };
    result.py()
}

/// A scale argument: `None`, a preset name, a `cxkit.Scale`, or a tuple
/// `(lowest, highest)` / `(lowest, highest, top_box_min, bottom_box_max)`.
pub fn scale_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Scale>> {
    let Some(obj) = obj else { return Ok(None) };
    if obj.is_none() {
        return Ok(None);
    }
    if obj.is_instance_of::<PyString>() {
        let name: String = obj.extract()?;
        return Scale::preset(&name).py().map(Some);
    }
    if let Ok(s) = obj.cast::<PyScale>() {
        return Ok(Some(s.get().inner));
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        let parts: Vec<i32> = t.extract()?;
        return match parts.as_slice() {
            [lo, hi] => Scale::new(*lo, *hi).py().map(Some),
            [lo, hi, top, bottom] => Scale::with_boxes(*lo, *hi, *top, *bottom).py().map(Some),
            _ => Err(to_py_err(cx_core::CxError::InvalidArgument {
                name: "scale",
                value: format!("a tuple of {} integers", parts.len()),
                expected: "(lowest, highest) or (lowest, highest, top_box_min, bottom_box_max)"
                    .into(),
            })),
        };
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "scale must be a preset name ('nps', 'csat', 'ces', 'agreement'), a cxkit.Scale or a \
         tuple of integers, not {}",
        obj.get_type().name()?
    )))
}

/// The tally a metric is computed from: a `cxkit.Tally` as given (no weights allowed; a given
/// scale must match), or raw values read on the given scale, or on `default` when none is given.
pub fn resolve(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    scale: Option<&Bound<'_, PyAny>>,
    default: Option<Scale>,
) -> PyResult<Tally> {
    let scale = scale_arg(scale)?;
    if let Ok(t) = values.cast::<PyTally>() {
        let t = t.borrow();
        if weights.is_some_and(|w| !w.is_none()) {
            return Err(to_py_err(cx_core::CxError::InvalidArgument {
                name: "weights",
                value: "an array".into(),
                expected: "None when values is a Tally (its weights are already in it)".into(),
            }));
        }
        if let Some(s) = scale {
            s.ensure_same(&t.inner.scale()).py()?;
        }
        return Ok(t.inner.clone());
    }
    let scale = match scale.or(default) {
        Some(s) => s,
        None => {
            return Err(to_py_err(cx_core::CxError::InvalidArgument {
                name: "scale",
                value: "None".into(),
                expected: "a scale for raw values, e.g. scale='csat' or scale=(1, 7)".into(),
            }))
        }
    };
    tally_of(py, values, weights, scale)
}
