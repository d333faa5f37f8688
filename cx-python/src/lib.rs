//! Python bindings of cxkit: a thin shell over cx-core. Inputs are converted (numpy arrays are
//! read in place), the GIL is released while the core works, core errors become `cxkit.CxError`
//! subclasses, and results are immutable classes mirroring the core's structs.

use cx_core::{NpsMethod, NpsOptions, ProportionMethod, ProportionOptions, Scale};
use pyo3::prelude::*;

mod cx_index;
mod errors;
mod input;
mod json;
mod keyed;
mod loyalty;
mod plot;

#[macro_use]
mod results;
mod balance;
mod clv;
mod personas;
mod retention;
mod segments;
mod tally;

use errors::{Guarded, IntoPyResult};
use input::resolve;
use results::{
    PyDistribution, PyInterval, PyMean, PyNps, PyNpsDifference, PyPointShare, PyProportion,
};
use tally::{PyScale, PyTally};

/// Net Promoter Score in points (-100..100) with standard error and confidence interval.
///
/// values: ratings (numpy array of any int/float dtype, list, pandas or polars Series; NaN and
/// None are missing) or a Tally. scale: defaults to 'nps' (0-10, promoters 9-10, detractors
/// 0-6). method: 'adjusted-wald' (default, Rocks 2016), 'wald', 'score' (Tango 1998) or
/// 'bootstrap' (seeded percentile bootstrap with `resamples` draws).
///
/// >>> import cxkit
/// >>> r = cxkit.nps([0] * 20 + [7] * 30 + [10] * 50)
/// >>> round(r.estimate, 6), [round(x, 4) for x in r.interval]
/// (30.0, [14.0511, 44.2013])
/// >>> r.promoters, r.passives, r.detractors
/// (50, 30, 20)
#[pyfunction]
#[pyo3(signature = (values, *, weights=None, scale=None, level=0.95, method="adjusted-wald", resamples=2000, seed=0))]
#[allow(clippy::too_many_arguments)]
fn nps(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    scale: Option<&Bound<'_, PyAny>>,
    level: f64,
    method: &str,
    resamples: u32,
    seed: u64,
) -> PyResult<PyNps> {
    let tally = resolve(py, values, weights, scale, Some(Scale::nps()))?;
    let options = NpsOptions {
        level,
        method: method.parse::<NpsMethod>().py()?,
        resamples,
        seed,
    };
    let r = py.guarded(|| cx_core::nps(&tally, &options)).py()?;
    Ok(r.into())
}

/// Difference of two independent NPS (a minus b) in points, with a two-sided z-test.
///
/// >>> import cxkit
/// >>> a = [0] * 20 + [7] * 30 + [10] * 50
/// >>> b = [0] * 30 + [7] * 30 + [10] * 40
/// >>> d = cxkit.nps_difference(a, b)
/// >>> round(d.estimate, 6), round(d.std_error, 5), round(d.p_value, 5)
/// (20.0, 11.40175, 0.07941)
#[pyfunction]
#[pyo3(signature = (a, b, *, weights_a=None, weights_b=None, scale=None, level=0.95))]
fn nps_difference(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    weights_a: Option<&Bound<'_, PyAny>>,
    weights_b: Option<&Bound<'_, PyAny>>,
    scale: Option<&Bound<'_, PyAny>>,
    level: f64,
) -> PyResult<PyNpsDifference> {
    let ta = resolve(py, a, weights_a, scale, Some(Scale::nps()))?;
    let tb = resolve(py, b, weights_b, scale, Some(Scale::nps()))?;
    Ok(cx_core::nps_difference(&ta, &tb, level).py()?.into())
}

type ProportionFn = fn(&cx_core::Tally, &ProportionOptions) -> cx_core::Result<cx_core::Proportion>;

/// The shared body of `top_box`, `bottom_box` and `csat`.
#[allow(clippy::too_many_arguments)]
fn proportion(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    scale: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
    level: f64,
    method: &str,
    default_scale: Option<Scale>,
    metric: ProportionFn,
) -> PyResult<PyProportion> {
    let tally = resolve(py, values, weights, scale, default_scale)?;
    let options = ProportionOptions {
        level,
        method: method.parse::<ProportionMethod>().py()?,
    };
    Ok(metric(&tally, &options).py()?.into())
}

/// Share of answers in the top box (top_box_min..=highest), 0..1, with a confidence interval.
///
/// scale is required for raw values. method: 'wilson' (default), 'wald', 'agresti-coull',
/// 'clopper-pearson', 'jeffreys'.
///
/// >>> import cxkit
/// >>> r = cxkit.top_box([5, 4, 4, 3, 1, 5, 2, 4], scale="csat")
/// >>> r.count, r.n, r.estimate
/// (5, 8, 0.625)
#[pyfunction]
#[pyo3(signature = (values, *, scale=None, weights=None, level=0.95, method="wilson"))]
fn top_box(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    scale: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
    level: f64,
    method: &str,
) -> PyResult<PyProportion> {
    proportion(
        py,
        values,
        scale,
        weights,
        level,
        method,
        None,
        cx_core::top_box,
    )
}

/// Share of answers in the bottom box (lowest..=bottom_box_max), 0..1, with an interval.
///
/// >>> import cxkit
/// >>> cxkit.bottom_box([0, 6, 7, 9, 10], scale="nps").count
/// 2
#[pyfunction]
#[pyo3(signature = (values, *, scale=None, weights=None, level=0.95, method="wilson"))]
fn bottom_box(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    scale: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
    level: f64,
    method: &str,
) -> PyResult<PyProportion> {
    proportion(
        py,
        values,
        scale,
        weights,
        level,
        method,
        None,
        cx_core::bottom_box,
    )
}

/// Customer satisfaction: the top-box share (4-5 on the default 'csat' 1-5 scale), 0..1.
///
/// >>> import cxkit
/// >>> r = cxkit.csat([5, 4, 3, None])
/// >>> round(r.estimate, 6), r.missing
/// (0.666667, 1)
#[pyfunction]
#[pyo3(signature = (values, *, scale=None, weights=None, level=0.95, method="wilson"))]
fn csat(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    scale: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
    level: f64,
    method: &str,
) -> PyResult<PyProportion> {
    proportion(
        py,
        values,
        scale,
        weights,
        level,
        method,
        Some(Scale::csat()),
        cx_core::csat,
    )
}

/// Mean rating with standard error and Student-t interval (scale required for raw values).
///
/// >>> import cxkit
/// >>> m = cxkit.mean([7, 6, 5, 5, 3], scale="ces")
/// >>> round(m.estimate, 6), round(m.std_dev ** 2, 6)
/// (5.2, 2.2)
#[pyfunction]
#[pyo3(signature = (values, *, scale=None, weights=None, level=0.95))]
fn mean(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    scale: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
    level: f64,
) -> PyResult<PyMean> {
    let tally = resolve(py, values, weights, scale, None)?;
    Ok(cx_core::mean(&tally, level).py()?.into())
}

/// Customer effort score: the mean on the CES 2.0 1-7 scale (higher is easier) by default.
///
/// >>> import cxkit
/// >>> cxkit.ces([7, 6, 5]).estimate
/// 6.0
#[pyfunction]
#[pyo3(signature = (values, *, scale=None, weights=None, level=0.95))]
fn ces(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    scale: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
    level: f64,
) -> PyResult<PyMean> {
    let tally = resolve(py, values, weights, scale, Some(Scale::ces()))?;
    Ok(cx_core::ces(&tally, level).py()?.into())
}

/// Share and count of every scale point (scale required for raw values).
///
/// >>> import cxkit
/// >>> cxkit.distribution([5, 5, 4, 1], scale="csat").shares
/// [0.25, 0.0, 0.0, 0.25, 0.5]
#[pyfunction]
#[pyo3(signature = (values, *, scale=None, weights=None))]
fn distribution(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    scale: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyDistribution> {
    let tally = resolve(py, values, weights, scale, None)?;
    Ok(cx_core::distribution(&tally).py()?.into())
}

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
    m.add_class::<PyScale>()?;
    m.add_class::<PyTally>()?;
    m.add_class::<keyed::PyKeyedTally>()?;
    m.add_class::<PyInterval>()?;
    m.add_class::<PyNps>()?;
    m.add_class::<PyNpsDifference>()?;
    m.add_class::<PyProportion>()?;
    m.add_class::<PyMean>()?;
    m.add_class::<PyPointShare>()?;
    m.add_class::<PyDistribution>()?;
    m.add_class::<cx_index::PyCxSummary>()?;
    m.add_class::<cx_index::PyCxIndex>()?;
    m.add_class::<cx_index::PyCxDimension>()?;
    m.add_function(wrap_pyfunction!(cx_index::_cx_index, m)?)?;
    m.add_function(wrap_pyfunction!(cx_index::_cx_segment_table, m)?)?;
    m.add_function(wrap_pyfunction!(cx_index::_cx_trend_table, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(nps, m)?)?;
    m.add_function(wrap_pyfunction!(nps_difference, m)?)?;
    m.add_function(wrap_pyfunction!(top_box, m)?)?;
    m.add_function(wrap_pyfunction!(bottom_box, m)?)?;
    m.add_function(wrap_pyfunction!(csat, m)?)?;
    m.add_function(wrap_pyfunction!(mean, m)?)?;
    m.add_function(wrap_pyfunction!(ces, m)?)?;
    m.add_function(wrap_pyfunction!(distribution, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_segment_table, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_trend_table, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_periods, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_combine, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_factorize_ints, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_unknown_group, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_invalid_argument, m)?)?;
    m.add_function(wrap_pyfunction!(segments::_length_mismatch, m)?)?;
    loyalty::register(m)?;
    m.add_class::<retention::PyRetention>()?;
    m.add_class::<retention::PyCohorts>()?;
    m.add_class::<retention::PyRfm>()?;
    m.add_function(wrap_pyfunction!(retention::_retention, m)?)?;
    m.add_function(wrap_pyfunction!(retention::_cohorts, m)?)?;
    m.add_function(wrap_pyfunction!(retention::_rfm, m)?)?;
    m.add_function(wrap_pyfunction!(retention::_invalid_dates, m)?)?;
    m.add_class::<retention::PyAcquisition>()?;
    m.add_function(wrap_pyfunction!(retention::_acquisition, m)?)?;
    m.add_class::<retention::PyActivity>()?;
    m.add_function(wrap_pyfunction!(retention::_activity, m)?)?;
    m.add_function(wrap_pyfunction!(retention::_retention_of, m)?)?;
    m.add_function(wrap_pyfunction!(retention::_cohorts_of, m)?)?;
    m.add_function(wrap_pyfunction!(retention::_acquisition_of, m)?)?;
    m.add_class::<clv::PySbgFit>()?;
    m.add_class::<clv::PyBgNbdFit>()?;
    m.add_class::<clv::PyGammaGammaFit>()?;
    m.add_function(wrap_pyfunction!(clv::_fit_sbg, m)?)?;
    m.add_function(wrap_pyfunction!(clv::_fit_bgnbd, m)?)?;
    m.add_function(wrap_pyfunction!(clv::_fit_gamma_gamma, m)?)?;
    m.add_function(wrap_pyfunction!(clv::margin_multiplier, m)?)?;
    m.add_class::<balance::PyResponseCurve>()?;
    m.add_class::<balance::PySpendPlan>()?;
    m.add_class::<balance::PyCustomerEquity>()?;
    m.add_function(wrap_pyfunction!(balance::response_curve, m)?)?;
    m.add_function(wrap_pyfunction!(balance::customer_equity, m)?)?;
    m.add_function(wrap_pyfunction!(personas::_customer_view, m)?)?;
    m.add_class::<personas::PyPersonas>()?;
    m.add_class::<personas::PyPersonaModel>()?;
    m.add_function(wrap_pyfunction!(personas::_personas, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
