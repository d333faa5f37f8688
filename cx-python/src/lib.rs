//! Python bindings of cxkit: a thin shell over cx-core. Inputs are converted (numpy arrays are
//! read in place), the GIL is released while the core works, core errors become `cxkit.CxError`
//! subclasses, and results are immutable classes mirroring the core's structs.

use pyo3::prelude::*;

mod call;
mod cx_index;
mod errors;
mod input;
mod json;
mod keyed;
mod loyalty;
mod plot;

#[macro_use]
mod results;
mod activity;
mod balance;
mod clv;
mod personas;
mod retention;
mod segments;
mod summary;
mod tally;

use errors::Guarded;
use tally::{PyScale, PyTally};

/// Panic inside Rust on purpose, with the GIL released (`released=True`) or held: the tests
/// check that it reaches Python as `cxkit.InternalError`, never as pyo3's `PanicException`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>, released: bool) -> PyResult<()> {
    if released {
        py.guarded(|| -> () { panic!("deliberate panic for the tests") })
    } else {
        errors::guard(|| -> () { panic!("deliberate panic for the tests") })
    }
}

#[pymodule]
fn _cxkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    call::register(m)?;
    m.add_class::<PyScale>()?;
    m.add_class::<PyTally>()?;
    m.add_class::<keyed::PyKeyedTally>()?;
    m.add_class::<cx_index::PyCxSummary>()?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_periods, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_combine, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_factorize_ints, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_unknown_group, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_invalid_argument, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_length_mismatch, m)?)?;
    m.add_class::<loyalty::PyJointTally>()?;
    m.add_class::<retention::PyRfm>()?;
    m.add_function(wrap_pyfunction!(retention::_rfm, m)?)?;
    m.add_function(wrap_pyfunction!(retention::_invalid_dates, m)?)?;
    m.add_class::<activity::PyActivity>()?;
    m.add_class::<clv::PySbgFit>()?;
    m.add_class::<clv::PyBgNbdFit>()?;
    m.add_class::<clv::PyGammaGammaFit>()?;
    m.add_class::<balance::PyResponseCurve>()?;
    m.add_function(wrap_pyfunction!(personas::_customer_view, m)?)?;
    m.add_class::<personas::PyPersonas>()?;
    m.add_class::<personas::PyPersonaModel>()?;
    m.add_function(wrap_pyfunction!(personas::_personas, m)?)?;
    m.add_function(wrap_pyfunction!(personas::_personas_columns, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
