//! One table from `CxError` to Python exception classes.
//!
//! `cxkit.CxError` subclasses `ValueError`; each error kind has its own subclass. The details of
//! the error (index, value, expected range, ...) become attributes of the exception instance,
//! copied from the error's serde form so that no field is mapped by hand.

use cx_core::CxError as CoreError;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule, PyTuple, PyType};

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

/// The exception class of every error kind, made once from the core's table
/// (`cx_core::CxError::KINDS`): a subclass of `CxError` (and of the builtin `also` names).
static CLASSES: PyOnceLock<Vec<(&'static str, Py<PyType>)>> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Vec<(&'static str, Py<PyType>)>> {
    CLASSES.get_or_try_init(py, || {
        let builtins = py.import("builtins")?;
        let make = builtins.getattr("type")?;
        CoreError::KINDS
            .iter()
            .map(|k| {
                let mut bases = vec![py.get_type::<CxError>().into_any()];
                if let Some(also) = k.also {
                    bases.push(builtins.getattr(also)?);
                }
                let attrs = PyDict::new(py);
                attrs.set_item("__doc__", k.doc)?;
                attrs.set_item("__module__", "cxkit")?;
                let class = make.call1((k.class, PyTuple::new(py, bases)?, attrs))?;
                Ok((k.code, class.cast_into::<PyType>()?.unbind()))
            })
            .collect()
    })
}

fn new_err(code: &str, message: String) -> PyErr {
    Python::attach(|py| {
        let class = classes(py).ok().and_then(|c| {
            c.iter()
                .find(|(k, _)| *k == code)
                .map(|(_, t)| t.clone_ref(py))
        });
        match class {
            Some(t) => PyErr::from_type(t.into_bound(py), message),
            None => CxError::new_err(message),
        }
    })
}

/// Add `CxError`, `InternalError` and one class per error kind to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("CxError", py.get_type::<CxError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    for (code, class) in classes(py)? {
        let kind = CoreError::KINDS.iter().find(|k| k.code == *code);
        if let Some(k) = kind {
            m.add(k.class, class.bind(py))?;
        }
    }
    Ok(())
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
