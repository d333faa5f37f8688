//! Grouped summaries for `cxkit.nps_by` and friends: the Python layer (`cxkit/_by.py`)
//! factorizes keys and dates with the caller's DataFrame library, these functions build one
//! grouped tally in one pass (GIL released) and return the table as columns.

use cx_core::grouping::{combine, Key};
use cx_core::period::{Freq, Periods};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3::IntoPyObjectExt;

use crate::errors::{to_py_err, Guarded, IntoPyResult};

/// A label tuple as Python values (ints, strings, None for missing).
pub fn key_tuple<'py>(py: Python<'py>, key: &[Key]) -> PyResult<Bound<'py, PyTuple>> {
    let items: Vec<Bound<'py, PyAny>> = key
        .iter()
        .map(|k| match k {
            Key::Int(i) => i.into_bound_py_any(py),
            Key::Str(s) => s.into_bound_py_any(py),
            Key::Missing => Ok(py.None().into_bound(py)),
        })
        .collect::<PyResult<_>>()?;
    PyTuple::new(py, items)
}

/// Period codes of dates given as days since 1970-01-01 (`i64::MIN` = missing):
/// `(codes, n_periods, labels, start_days, missing)`.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn _periods<'py>(
    py: Python<'py>,
    days: PyReadonlyArray1<'py, i64>,
    freq: &str,
) -> PyResult<(Bound<'py, PyArray1<u32>>, usize, Vec<String>, Vec<i64>, u64)> {
    let freq = freq.parse::<Freq>().py()?;
    let days = days.as_slice()?;
    let p = py.guarded(|| Periods::from_days(days, freq)).py()?;
    let labels = (0..p.n_periods).map(|c| p.label(c)).collect();
    let starts = (0..p.n_periods).map(|c| p.start(c)).collect();
    let (n, missing) = (p.n_periods, p.missing);
    Ok((p.codes.into_pyarray(py), n, labels, starts, missing))
}

/// Combine several dense code columns: `(codes, keys)` with one tuple of column codes per group.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn _combine<'py>(
    py: Python<'py>,
    columns: Vec<PyReadonlyArray1<'py, u32>>,
    cardinalities: Vec<usize>,
) -> PyResult<(Bound<'py, PyArray1<u32>>, Vec<Vec<u32>>)> {
    let slices: Vec<&[u32]> = columns
        .iter()
        .map(|c| c.as_slice())
        .collect::<Result<_, _>>()?;
    let g = py.guarded(|| combine(&slices, &cardinalities)).py()?;
    Ok((g.codes.into_pyarray(py), g.keys))
}

/// Raise `cxkit.UnknownGroupError` for a reference label that is not among the groups.
#[pyfunction]
pub fn _unknown_group(name: String, groups: usize) -> PyResult<()> {
    Err(to_py_err(cx_core::CxError::UnknownGroup { name, groups }))
}

/// Raise `cxkit.InvalidArgumentError` (for argument checks made in the Python layer).
#[pyfunction]
pub fn _invalid_argument(name: String, value: String, expected: String) -> PyResult<()> {
    // The core error names parameters with static strings; leak-free by matching known names.
    let name: &'static str = match name.as_str() {
        "scale" => "scale",
        "by" => "by",
        "period" => "period",
        "dims" => "dims",
        "dates" => "dates",
        "values" => "values",
        _ => "argument",
    };
    Err(to_py_err(cx_core::CxError::InvalidArgument {
        name,
        value,
        expected,
    }))
}

/// Raise `cxkit.LengthMismatchError` for inputs of different lengths checked in Python.
#[pyfunction]
pub fn _length_mismatch(
    left_name: String,
    left: usize,
    right_name: String,
    right: usize,
) -> PyResult<()> {
    let err = cx_core::CxError::LengthMismatch {
        left_name: "values",
        left,
        right_name: "keys or dates",
        right,
    };
    let py_err = to_py_err(err);
    Python::attach(|py| {
        let v = py_err.value(py);
        v.setattr("left_name", left_name)?;
        v.setattr("right_name", right_name)
    })?;
    Err(py_err)
}

/// An integer numpy array accepted as group keys.
#[derive(FromPyObject)]
pub enum IntKeys<'py> {
    I8(PyReadonlyArray1<'py, i8>),
    U8(PyReadonlyArray1<'py, u8>),
    I16(PyReadonlyArray1<'py, i16>),
    U16(PyReadonlyArray1<'py, u16>),
    I32(PyReadonlyArray1<'py, i32>),
    U32(PyReadonlyArray1<'py, u32>),
    I64(PyReadonlyArray1<'py, i64>),
}

/// Dense codes and sorted labels of integer keys (the fast path of `nps_by` on integer keys).
#[pyfunction]
pub fn _factorize_ints<'py>(
    py: Python<'py>,
    keys: IntKeys<'py>,
) -> PyResult<(Bound<'py, PyArray1<u32>>, Vec<i64>)> {
    macro_rules! go {
        ($a:expr) => {{
            let owned;
            let s = match $a.as_slice() {
                Ok(s) => s,
                Err(_) => {
                    owned = $a.as_array().to_vec();
                    owned.as_slice()
                }
            };
            py.guarded(|| cx_core::grouping::factorize_ints(s))?
        }};
    }
    let (codes, labels) = match keys {
        IntKeys::I8(a) => go!(a),
        IntKeys::U8(a) => go!(a),
        IntKeys::I16(a) => go!(a),
        IntKeys::U16(a) => go!(a),
        IntKeys::I32(a) => go!(a),
        IntKeys::U32(a) => go!(a),
        IntKeys::I64(a) => go!(a),
    };
    Ok((codes.into_pyarray(py), labels))
}
