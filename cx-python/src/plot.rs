//! `plot()` on result classes: the drawing is Python (matplotlib, in `cxkit/plot.py`), so the
//! method only hands the result to the function of its kind.

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Call `cxkit.plot.<kind>(obj, ax, **kwargs)` and return what it returns (the Axes).
pub fn delegate<'py>(
    obj: &Bound<'py, PyAny>,
    kind: &str,
    ax: Option<Bound<'py, PyAny>>,
    kwargs: Option<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    let draw = py.import("cxkit.plot")?.getattr(kind)?;
    let ax = ax.unwrap_or_else(|| py.None().into_bound(py));
    draw.call((obj, ax), kwargs.as_ref())
}
