//! Input conversion: numpy arrays of any integer or float dtype are read in place (zero copy);
//! everything else (lists, pandas and polars Series, pyarrow arrays) goes through
//! `cxkit._convert`, which returns a numpy array, before the same path. Validation of the
//! values themselves happens once, in cx-core.

use cx_core::{Rating, Scale, Tally};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::errors::{to_py_err, Guarded, IntoPyResult};
use crate::tally::PyScale;

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

/// Work done on a typed slice of values (and optional weights) without the GIL: the one place
/// where the ten accepted dtypes meet generic core code.
pub trait ValuesVisitor: Sync {
    type Out: Send;
    fn visit<T: Rating>(&self, values: &[T], weights: Option<&[f64]>)
        -> cx_core::Result<Self::Out>;
}

/// Build a [`Tally`] on a scale.
pub struct TallyOf(pub Scale);

impl ValuesVisitor for TallyOf {
    type Out = Tally;
    fn visit<T: Rating>(&self, values: &[T], weights: Option<&[f64]>) -> cx_core::Result<Tally> {
        Tally::from_values(self.0, values, weights)
    }
}

/// Borrow the array's data if contiguous, else copy it once, then visit it without the GIL.
macro_rules! visit_slice {
    ($py:expr, $arr:expr, $visitor:expr, $w:expr) => {{
        match $arr.as_slice() {
            Ok(s) => $py.guarded(|| $visitor.visit(s, $w)),
            Err(_) => {
                let owned = $arr.as_array().to_vec();
                $py.guarded(|| $visitor.visit(owned.as_slice(), $w))
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

/// Read `values` (and optional `weights`) and hand the typed slices to `visitor`.
pub fn with_values<V: ValuesVisitor>(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    visitor: V,
) -> PyResult<V::Out> {
    let converted;
    let array: Array = match values.extract() {
        Ok(a) => a,
        Err(_) => {
            converted = convert(values, "as_values")?;
            converted.extract()?
        }
    };
    let weights = read_weights(weights)?;
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
    let v = &visitor;
    let result = match array {
        Array::U8(a) => visit_slice!(py, a, v, w),
        Array::I8(a) => visit_slice!(py, a, v, w),
        Array::U16(a) => visit_slice!(py, a, v, w),
        Array::I16(a) => visit_slice!(py, a, v, w),
        Array::U32(a) => visit_slice!(py, a, v, w),
        Array::I32(a) => visit_slice!(py, a, v, w),
        Array::U64(a) => visit_slice!(py, a, v, w),
        Array::I64(a) => visit_slice!(py, a, v, w),
        Array::F32(a) => visit_slice!(py, a, v, w),
        Array::F64(a) => visit_slice!(py, a, v, w),
    };
    result.py()
}

/// Weights as a float64 numpy array: read in place when already one, else converted by
/// `cxkit._convert.as_weights`; `None` for no weights.
pub fn read_weights<'py>(
    weights: Option<&Bound<'py, PyAny>>,
) -> PyResult<Option<PyReadonlyArray1<'py, f64>>> {
    match weights {
        None => Ok(None),
        Some(w) if w.is_none() => Ok(None),
        Some(w) => Ok(Some(match w.extract() {
            Ok(a) => a,
            Err(_) => convert(w, "as_weights")?.extract()?,
        })),
    }
}

/// Read `values` (and optional `weights`) into a new tally on `scale`.
pub fn tally_of(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    scale: Scale,
) -> PyResult<Tally> {
    with_values(py, values, weights, TallyOf(scale))
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
