//! The methods every mergeable summary class shares (`Tally`, `KeyedTally`, `CxSummary`;
//! `Activity` and `JointTally` take the byte methods through `result_class!`), defined once over
//! the core's `cx_core::Summary`: compact bytes, JSON text, merging, equality, copying and
//! pickling (as the compact bytes).

use cx_core::Summary;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::{guard, IntoPyResult};

/// The compact bytes of a summary as Python `bytes`.
pub(crate) fn bytes<'py, S: Summary>(py: Python<'py>, s: &S) -> Bound<'py, PyBytes> {
    PyBytes::new(py, &s.to_bytes())
}

/// A summary read from its compact bytes (a panic is `cxkit.InternalError`).
pub(crate) fn from_bytes<S: Summary>(data: &[u8]) -> PyResult<S> {
    guard(|| S::from_bytes(data)).py()
}

/// A summary read from its JSON text.
pub(crate) fn from_json<S: Summary>(text: &str) -> PyResult<S> {
    guard(|| S::from_json(text)).py()
}

/// `a.merge(b)` in place (a panic is `cxkit.InternalError`; on error `a` is unchanged).
pub(crate) fn merge<S: Summary>(a: &mut S, b: &S) -> PyResult<()> {
    guard(|| a.merge(b)).py()
}

/// `a + b` as a new summary.
pub(crate) fn merged<S: Summary>(a: &S, b: &S) -> PyResult<S> {
    guard(|| a.merged(b)).py()
}

/// Define a mutable, mergeable Python summary class `$py` (Python name `$name`) around the core
/// summary `$core`, with the shared methods (`to_bytes`, `from_bytes`, `to_json`, `from_json`,
/// `merge`, `+`, `+=`, `==`, `copy`, `deepcopy`, pickling as bytes) and the class's own
/// `methods`.
macro_rules! summary_class {
    (
        $(#[$attr:meta])*
        $py:ident, $name:literal, $core:ty,
        methods { $($methods:tt)* } $(,)?
    ) => {
        $(#[$attr])*
        #[pyclass(module = "cxkit", name = $name)]
        #[derive(Clone)]
        pub struct $py {
            pub inner: $core,
        }

        impl From<$core> for $py {
            fn from(inner: $core) -> Self {
                $py { inner }
            }
        }

        #[pymethods]
        impl $py {
            /// Merge another summary of the same kind (same scale, key columns or dimensions)
            /// into this one, in place: the result equals the summary of both data sets.
            fn merge(&mut self, other: &Bound<'_, $py>) -> PyResult<()> {
                let other = other.borrow().inner.clone();
                $crate::summary::merge(&mut self.inner, &other)
            }

            fn __add__(&self, other: &Bound<'_, $py>) -> PyResult<$py> {
                Ok($crate::summary::merged(&self.inner, &other.borrow().inner)?.into())
            }

            fn __iadd__(&mut self, other: &Bound<'_, $py>) -> PyResult<()> {
                self.merge(other)
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other
                    .cast::<$py>()
                    .map(|o| o.borrow().inner == self.inner)
                    .unwrap_or(false)
            }

            /// Compact, versioned, checksummed bytes (identical from Rust, Python and Node).
            fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
                $crate::summary::bytes(py, &self.inner)
            }

            /// Read bytes written by `to_bytes` (in any language).
            #[staticmethod]
            fn from_bytes(data: &[u8]) -> PyResult<Self> {
                Ok($crate::summary::from_bytes::<$core>(data)?.into())
            }

            /// JSON text ({"format": "cxkit.<kind>", "version": 1, ...}), the same in every
            /// language.
            fn to_json(&self) -> String {
                cx_core::Summary::to_json(&self.inner)
            }

            /// Read JSON written by `to_json` (in any language).
            #[staticmethod]
            fn from_json(text: &str) -> PyResult<Self> {
                Ok($crate::summary::from_json::<$core>(text)?.into())
            }

            /// Pickled as its compact bytes.
            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
                py: Python<'py>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, pyo3::types::PyBytes>,))> {
                let from_bytes = slf.get_type().getattr("from_bytes")?;
                Ok((from_bytes, ($crate::summary::bytes(py, &slf.borrow().inner),)))
            }

            fn __copy__(&self) -> Self {
                self.clone()
            }

            fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
                self.clone()
            }

            $($methods)*
        }
    };
}

pub(crate) use summary_class;
