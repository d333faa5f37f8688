//! One table from `CxError` to Python exception classes.
//!
//! `cxkit.CxError` subclasses `ValueError`; each error kind has its own subclass. The details of
//! the error (index, value, expected range, ...) become attributes of the exception instance,
//! copied from the error's serde form so that no field is mapped by hand.

use cx_core::CxError as CoreError;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyModule;

use crate::json::to_py;

create_exception!(
    cxkit,
    CxError,
    PyValueError,
    "Base class of every cxkit error. Subclasses ValueError; has a `code` attribute."
);
create_exception!(
    cxkit,
    OutOfScaleError,
    CxError,
    "A value outside the rating scale."
);
create_exception!(
    cxkit,
    NonIntegerError,
    CxError,
    "A non-integer value on an integer scale."
);
create_exception!(
    cxkit,
    InvalidWeightError,
    CxError,
    "A negative, NaN or infinite weight."
);
create_exception!(
    cxkit,
    LengthMismatchError,
    CxError,
    "Inputs of different lengths."
);
create_exception!(cxkit, EmptyInputError, CxError, "No usable observation.");
create_exception!(
    cxkit,
    InsufficientDataError,
    CxError,
    "Too few observations for the estimate."
);
create_exception!(
    cxkit,
    ZeroVarianceError,
    CxError,
    "A test whose standard error is zero."
);
create_exception!(
    cxkit,
    InvalidLevelError,
    CxError,
    "A confidence level outside (0, 1)."
);
create_exception!(
    cxkit,
    InvalidScaleError,
    CxError,
    "A scale that cannot exist."
);
create_exception!(
    cxkit,
    ScaleMismatchError,
    CxError,
    "Summaries on different scales."
);
create_exception!(
    cxkit,
    UnreadableSummaryError,
    CxError,
    "Serialised bytes or JSON that cannot be read."
);
create_exception!(
    cxkit,
    InvalidArgumentError,
    CxError,
    "An argument outside its allowed values."
);

/// Convert a core error to the Python exception of its kind, with its details as attributes.
pub fn to_py_err(err: CoreError) -> PyErr {
    let message = err.to_string();
    let pyerr = match err.code() {
        "out_of_scale" => OutOfScaleError::new_err(message),
        "non_integer" => NonIntegerError::new_err(message),
        "invalid_weight" => InvalidWeightError::new_err(message),
        "length_mismatch" => LengthMismatchError::new_err(message),
        "empty_input" => EmptyInputError::new_err(message),
        "insufficient_data" => InsufficientDataError::new_err(message),
        "zero_variance" => ZeroVarianceError::new_err(message),
        "invalid_level" => InvalidLevelError::new_err(message),
        "invalid_scale" => InvalidScaleError::new_err(message),
        "scale_mismatch" => ScaleMismatchError::new_err(message),
        "unreadable_summary" => UnreadableSummaryError::new_err(message),
        "invalid_argument" => InvalidArgumentError::new_err(message),
        _ => CxError::new_err(message),
    };
    Python::attach(|py| {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&err) {
            let value = pyerr.value(py);
            for (k, v) in fields {
                if let Ok(obj) = to_py(py, &v) {
                    // Attribute setting on a fresh exception instance cannot fail in practice;
                    // if it did, the exception would still carry its message and class.
                    let _ = value.setattr(k.as_str(), obj);
                }
            }
            if let Some(v) = err.value() {
                let _ = pyerr.value(py).setattr("value", v);
            }
        }
    });
    pyerr
}

/// Extension: `?` on core results inside binding functions.
pub trait IntoPyResult<T> {
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, CoreError> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py_err)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("CxError", py.get_type::<CxError>())?;
    m.add("OutOfScaleError", py.get_type::<OutOfScaleError>())?;
    m.add("NonIntegerError", py.get_type::<NonIntegerError>())?;
    m.add("InvalidWeightError", py.get_type::<InvalidWeightError>())?;
    m.add("LengthMismatchError", py.get_type::<LengthMismatchError>())?;
    m.add("EmptyInputError", py.get_type::<EmptyInputError>())?;
    m.add(
        "InsufficientDataError",
        py.get_type::<InsufficientDataError>(),
    )?;
    m.add("ZeroVarianceError", py.get_type::<ZeroVarianceError>())?;
    m.add("InvalidLevelError", py.get_type::<InvalidLevelError>())?;
    m.add("InvalidScaleError", py.get_type::<InvalidScaleError>())?;
    m.add("ScaleMismatchError", py.get_type::<ScaleMismatchError>())?;
    m.add(
        "UnreadableSummaryError",
        py.get_type::<UnreadableSummaryError>(),
    )?;
    m.add(
        "InvalidArgumentError",
        py.get_type::<InvalidArgumentError>(),
    )?;
    Ok(())
}
