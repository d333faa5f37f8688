//! The customer view and personas. `cxkit/_personas.py` factorizes the ids of both tables
//! together, converts dates to days and reads the columns the core names; these functions
//! parse the options with the core (`cx_core::api::personas`, `cx_core::api::customer_view`),
//! call it with the GIL released and return columns (the view) or immutable result objects
//! (personas).

use cx_core::api::customer_view::ViewOptions;
use cx_core::api::personas::{
    assign, model_columns, personas_columns, personas_of, PersonasOptions,
};
use cx_core::api::{persona_drivers_table, ColumnUse, Frame, FrameColumn};
use cx_core::customer_view::{customer_view, RatingColumn, SurveyTable, TransactionLog};
use cx_core::grouping::Key;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

use crate::call::options_of;
use crate::clv::{PyBgNbdFit, PyGammaGammaFit};
use crate::errors::IntoPyResult;
use crate::json::to_dict;
use crate::results::html_table;
use crate::retention::labels_of;

fn key_py<'py>(py: Python<'py>, k: &Key) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    match k {
        Key::Int(i) => i.into_bound_py_any(py),
        Key::Str(s) => s.into_bound_py_any(py),
        Key::Missing => Ok(py.None().into_bound(py)),
    }
}

/// Optional floats as a float64 array with NaN for None.
fn floats<'py>(py: Python<'py>, v: &[Option<f64>]) -> Bound<'py, PyArray1<f64>> {
    v.iter()
        .map(|x| x.unwrap_or(f64::NAN))
        .collect::<Vec<_>>()
        .into_pyarray(py)
}

/// Optional days as int64 days with i64::MIN (NaT) for None.
fn days<'py>(py: Python<'py>, v: &[Option<i64>]) -> Bound<'py, PyArray1<i64>> {
    v.iter()
        .map(|x| x.unwrap_or(i64::MIN))
        .collect::<Vec<_>>()
        .into_pyarray(py)
}

/// The customer view as a dict of columns (days as int64 with NaT = int64 min; the Python
/// side turns them into dates); `options` as the core's `ViewOptions` read them.
#[pyfunction]
#[pyo3(signature = (labels, survey_codes, survey_days, rating_names, rating_values, codes, tx_days, revenue, *, bgnbd=None, gamma_gamma=None, **options))]
#[allow(clippy::too_many_arguments)]
pub fn _customer_view<'py>(
    py: Python<'py>,
    labels: &Bound<'py, PyAny>,
    survey_codes: PyReadonlyArray1<'py, u32>,
    survey_days: Option<PyReadonlyArray1<'py, i64>>,
    rating_names: Vec<String>,
    rating_values: Vec<PyReadonlyArray1<'py, f64>>,
    codes: PyReadonlyArray1<'py, u32>,
    tx_days: PyReadonlyArray1<'py, i64>,
    revenue: PyReadonlyArray1<'py, f64>,
    bgnbd: Option<PyRef<'py, PyBgNbdFit>>,
    gamma_gamma: Option<PyRef<'py, PyGammaGammaFit>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let ids = labels_of(labels)?;
    let values: Vec<&[f64]> = rating_values
        .iter()
        .map(|a| a.as_slice())
        .collect::<Result<_, _>>()?;
    let survey = SurveyTable {
        customers: survey_codes.as_slice()?,
        days: survey_days.as_ref().map(|d| d.as_slice()).transpose()?,
        ratings: rating_names
            .iter()
            .zip(&values)
            .map(|(name, values)| RatingColumn { name, values })
            .collect(),
    };
    let log = TransactionLog {
        customers: codes.as_slice()?,
        days: tx_days.as_slice()?,
        revenue: revenue.as_slice()?,
    };
    let options = options_of::<ViewOptions>(options)?
        .view_options(
            bgnbd.as_ref().map(|b| &b.inner),
            gamma_gamma.as_ref().map(|g| &g.inner),
        )
        .py()?;
    let v = py
        .detach(|| customer_view(ids, &survey, &log, &options))
        .py()?;
    let d = PyDict::new(py);
    let customers = v
        .customers
        .iter()
        .map(|k| key_py(py, k))
        .collect::<PyResult<Vec<_>>>()?;
    d.set_item("customer", PyList::new(py, customers)?)?;
    d.set_item("in_survey", v.in_survey.clone().into_pyarray(py))?;
    d.set_item(
        "in_transactions",
        v.in_transactions.clone().into_pyarray(py),
    )?;
    d.set_item("responses", v.responses.clone().into_pyarray(py))?;
    d.set_item("last_response", days(py, &v.last_response))?;
    let recency: Vec<Option<f64>> = v
        .response_recency_days
        .iter()
        .map(|x| x.map(|d| d as f64))
        .collect();
    d.set_item("response_recency_days", floats(py, &recency))?;
    for r in &v.ratings {
        d.set_item(format!("{}_latest", r.name), floats(py, &r.latest))?;
        d.set_item(format!("{}_mean", r.name), floats(py, &r.mean))?;
    }
    if v.nps_column.is_some() {
        let cats: Vec<Option<&str>> = v.nps_category.iter().map(|c| c.map(|c| c.name())).collect();
        d.set_item("nps_category", cats)?;
    }
    d.set_item("first_purchase", days(py, &v.first_purchase))?;
    d.set_item("last_purchase", days(py, &v.last_purchase))?;
    let as_f =
        |x: &[Option<i64>]| -> Vec<Option<f64>> { x.iter().map(|d| d.map(|d| d as f64)).collect() };
    d.set_item("recency_days", floats(py, &as_f(&v.recency_days)))?;
    d.set_item("frequency", v.frequency.clone().into_pyarray(py))?;
    d.set_item("monetary", floats(py, &v.monetary))?;
    d.set_item("revenue", v.revenue.clone().into_pyarray(py))?;
    d.set_item("tenure_days", floats(py, &as_f(&v.tenure_days)))?;
    d.set_item("active", v.active.clone())?;
    if !v.expected_purchases.is_empty() {
        d.set_item("expected_purchases", floats(py, &v.expected_purchases))?;
        d.set_item("p_alive", floats(py, &v.p_alive))?;
    }
    if !v.clv.is_empty() {
        d.set_item("clv", floats(py, &v.clv))?;
    }
    d.set_item("_cutoff", v.cutoff)?;
    Ok(d)
}

result_class!(
    PyPersonaModel, "PersonaModel", cx_core::personas::PersonaModel,
    doc = "A fitted persona model (standardisation, prototypes, gamma): pickles and has to_json()/from_json(); cxkit.assign_personas(model, df) assigns new customers.",
    getters { numeric: Vec<String>, means: Vec<f64>, sds: Vec<f64>, categorical: Vec<String>, centroids: Vec<Vec<f64>>, gamma: f64 },
    repr = |s| format!("PersonaModel(k={}, numeric={:?}, categorical={:?}, gamma={})", s.k(), s.numeric, s.categorical, s.gamma),
    html = |s| html_table("Persona model", &format!("{} personas on {} features", s.k(), s.numeric.len() + s.categorical.len()), &[]),
    methods {
    /// Number of personas.
    #[getter]
    fn k(&self) -> usize {
        self.inner.k()
    }
    /// The columns the model reads and how (`"numeric"` or `"categorical"`).
    fn _columns(&self) -> Vec<(String, &'static str)> {
        uses(model_columns(&self.inner))
    }
    /// Persona of each customer (-1 for a missing feature) from the columns `_columns` names
    /// (see cxkit.assign_personas).
    fn _assign<'py>(
        &self,
        py: Python<'py>,
        frame: &Bound<'py, PyDict>,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let held = held_columns(frame)?;
        let frame = frame_of(&held)?;
        let m = &self.inner;
        let out = py.detach(|| assign(m, &frame)).py()?;
        Ok(out.iter().map(|a| a.map_or(-1, |c| c as i64)).collect::<Vec<_>>().into_pyarray(py))
    }
    },
);

/// A column of the frame as Python hands it in: floats, or codes with their labels.
enum HeldColumn<'py> {
    Floats(PyReadonlyArray1<'py, f64>),
    Codes(PyReadonlyArray1<'py, u32>, Vec<Key>),
}

/// The columns of `frame` (name -> float64 array, or (uint32 codes, labels)).
fn held_columns<'py>(frame: &Bound<'py, PyDict>) -> PyResult<Vec<(String, HeldColumn<'py>)>> {
    frame
        .iter()
        .map(|(name, column)| {
            let held = match column.cast::<PyTuple>() {
                Ok(t) => HeldColumn::Codes(t.get_item(0)?.extract()?, labels_of(&t.get_item(1)?)?),
                Err(_) => HeldColumn::Floats(column.extract()?),
            };
            Ok((name.extract()?, held))
        })
        .collect()
}

fn frame_of<'a>(held: &'a [(String, HeldColumn<'_>)]) -> PyResult<Frame<'a>> {
    let mut frame = Frame::new();
    for (name, column) in held {
        frame.insert(
            name.clone(),
            match column {
                HeldColumn::Floats(a) => FrameColumn::Floats(a.as_slice()?.into()),
                HeldColumn::Codes(codes, labels) => FrameColumn::Codes {
                    codes: codes.as_slice()?,
                    labels: labels.clone(),
                },
            },
        );
    }
    Ok(frame)
}

fn uses(columns: Vec<(String, ColumnUse)>) -> Vec<(String, &'static str)> {
    columns
        .into_iter()
        .map(|(name, used)| {
            let used = match used {
                ColumnUse::Numeric => "numeric",
                ColumnUse::Categorical => "categorical",
            };
            (name, used)
        })
        .collect()
}

result_class!(
    PyPersonas, "Personas", cx_core::personas::Personas,
    doc = "Personas: the chosen k, the silhouette of every k tried, each customer's persona and each persona's profile (size, share, feature means vs the rest, NPS, revenue and CLV shares, label, needs). cxkit.personas wraps it with DataFrames.",
    getters { k: usize, sample_size: usize, method: String, missing: u64 },
    repr = |s| format!(
        "Personas(k={}, method='{}', labels={:?})",
        s.k, s.method, s.personas.iter().map(|p| p.label.as_str()).collect::<Vec<_>>()
    ),
    html = |s| {
        let rows: Vec<(String, String)> = s
            .personas
            .iter()
            .map(|p| {
                (
                    format!("{}: {}", p.id, p.label),
                    format!(
                        "{} customers ({:.1}%){}{}; needs: {}",
                        p.size,
                        100.0 * p.share,
                        p.nps.as_ref().map_or_else(String::new, |n| format!(", NPS {:.1}", n.estimate)),
                        p.cx_index.as_ref().map_or_else(String::new, |c| format!(
                            ", CX index {:.1} ({})",
                            c.estimate,
                            c.band.label()
                        )),
                        p.needs.join("; ")
                    ),
                )
            })
            .collect();
        let rows: Vec<(&str, String)> = rows.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let sil = s
            .scores
            .iter()
            .map(|x| format!("k={}: {}", x.k, x.silhouette.map_or_else(|| "-".into(), |v| format!("{v:.3}"))))
            .collect::<Vec<_>>()
            .join(", ");
        html_table(
            "Personas",
            &format!("{} personas ({}); silhouette {}", s.k, s.method, sil),
            &rows,
        )
    },
    methods {
    /// The silhouette and cost of every k tried (list of dicts).
    #[getter]
    fn scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner.scores)
    }
    /// The persona profiles (list of dicts), largest first.
    #[getter]
    fn personas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner.personas)
    }
    /// Persona of each customer as int64 (-1: a missing feature).
    #[getter]
    fn assignments<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        self.inner
            .assignments
            .iter()
            .map(|a| a.map_or(-1, |c| c as i64))
            .collect::<Vec<_>>()
            .into_pyarray(py)
    }
    /// The fitted model (for assign_personas).
    #[getter]
    fn model(&self) -> PyPersonaModel {
        self.inner.model.clone().into()
    }
    /// The key drivers within each persona as the core's `persona_drivers` table (for
    /// `cxkit/_call.py` to render).
    fn _drivers_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::call::table(py, &persona_drivers_table(&self.inner))
    }
    },
);

/// The columns `personas` reads for `features` and `options`, and how (`"numeric"` or
/// `"categorical"`).
#[pyfunction]
#[pyo3(signature = (features, **options))]
pub fn _personas_columns(
    features: Vec<String>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<(String, &'static str)>> {
    let o = options_of::<PersonasOptions>(options)?;
    Ok(uses(personas_columns(&features, &o).py()?))
}

/// Personas of the customers in `frame` (the columns `_personas_columns` names) on
/// `features`, with the core's `PersonasOptions`.
#[pyfunction]
#[pyo3(signature = (frame, features, **options))]
pub fn _personas<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyDict>,
    features: Vec<String>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<PyPersonas> {
    let o = options_of::<PersonasOptions>(options)?;
    let held = held_columns(frame)?;
    let frame = frame_of(&held)?;
    Ok(py
        .detach(|| personas_of(&frame, &features, &o))
        .py()?
        .into())
}
