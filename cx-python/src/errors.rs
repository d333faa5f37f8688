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
    InternalError,
    CxError,
    "A bug in cxkit: Rust code panicked. The call had no effect on its inputs; please report it \
     with the message."
);

/// The one table from error code to Python class: defines each class, the lookup used by
/// [`to_py_err`] and the module registration.
macro_rules! error_classes {
    ($($class:ident => $code:literal, $doc:literal;)*) => {
        $(create_exception!(cxkit, $class, CxError, $doc);)*

        fn new_err(code: &str, message: String) -> PyErr {
            match code {
                $($code => $class::new_err(message),)*
                _ => CxError::new_err(message),
            }
        }

        pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = m.py();
            m.add("CxError", py.get_type::<CxError>())?;
            m.add("InternalError", py.get_type::<InternalError>())?;
            $(m.add(stringify!($class), py.get_type::<$class>())?;)*
            Ok(())
        }
    };
}

error_classes! {
    OutOfScaleError => "out_of_scale", "A value outside the rating scale.";
    NonIntegerError => "non_integer", "A non-integer value on an integer scale.";
    InvalidWeightError => "invalid_weight", "A negative, NaN, infinite or out-of-range weight.";
    LengthMismatchError => "length_mismatch", "Inputs of different lengths.";
    EmptyInputError => "empty_input", "No usable observation.";
    InsufficientDataError => "insufficient_data", "Too few observations for the estimate.";
    ZeroVarianceError => "zero_variance", "A test whose standard error is zero.";
    InvalidLevelError => "invalid_level", "A confidence level outside (0, 1).";
    InvalidScaleError => "invalid_scale", "A scale that cannot exist.";
    ScaleMismatchError => "scale_mismatch", "Summaries on different scales.";
    UnreadableSummaryError => "unreadable_summary", "Serialised bytes or JSON that cannot be read.";
    GroupOutOfRangeError => "group_out_of_range", "A group code not below the number of groups.";
    UnknownGroupError => "unknown_group", "A named group (e.g. the reference) not in the data.";
    NotConvergedError => "not_converged", "A maximum-likelihood fit that stopped before converging (last state attached).";
    InvalidArgumentError => "invalid_argument", "An argument outside its allowed values.";
}

/// Convert a core error to the Python exception of its kind, with its details as attributes.
pub fn to_py_err(err: CoreError) -> PyErr {
    let message = err.to_string();
    let pyerr = new_err(err.code(), message);
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

/// A panic caught before it reached Python, as a `cxkit.InternalError` (code `internal`) whose
/// message says it is a bug and carries the panic's own message.
pub fn panic_to_py_err(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    };
    let err = InternalError::new_err(format!(
        "internal error (a bug in cxkit, please report it): {what}"
    ));
    Python::attach(|py| {
        let _ = err.value(py).setattr("code", "internal");
    });
    err
}

/// Run core work with the GIL released (as `py.detach`) and turn a panic inside it into
/// `cxkit.InternalError` instead of pyo3's `PanicException`: every binding calls the core
/// through this (or [`guard`] for work too small to release the GIL for).
pub trait Guarded {
    fn guarded<T: Send, F: FnOnce() -> T + Send>(self, f: F) -> PyResult<T>;
}

impl Guarded for Python<'_> {
    fn guarded<T: Send, F: FnOnce() -> T + Send>(self, f: F) -> PyResult<T> {
        self.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)))
            .map_err(panic_to_py_err)
    }
}

/// Run core work holding the GIL and turn a panic into `cxkit.InternalError`.
pub fn guard<T, F: FnOnce() -> T>(f: F) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(panic_to_py_err)
}

impl<T> IntoPyResult<T> for PyResult<Result<T, CoreError>> {
    fn py(self) -> PyResult<T> {
        self?.map_err(to_py_err)
    }
}
