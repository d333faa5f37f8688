//! `cxkit.CxSummary`: the streaming, mergeable, picklable summary of several experience
//! dimensions, a thin class over the core's `CxSummary` (the functions `cx_index` and
//! `cx_index_by` are entry points of the core's contract, run through `call`). Options are
//! parsed by the core (`cx_core::api::SummaryOptions`), answers by name are read by the core's
//! rule (`cx_core::api::extend_summary`).

use cx_core::api::{self, Options, SummaryOptions, Value};
use cx_core::CxSummary;
use pyo3::prelude::*;

use crate::call::{columns, numbers, value_of};
use crate::errors::IntoPyResult;
use crate::input::read_weights;
use crate::summary::summary_class;

/// Options given as Python values, for the core to parse.
fn parsed<O: Options>(given: &[(&str, Option<&Bound<'_, PyAny>>)]) -> PyResult<O> {
    let values = given
        .iter()
        .filter_map(|(k, v)| v.map(|v| Ok((*k, value_of(v)?))))
        .collect::<PyResult<Vec<(&str, Value)>>>()?;
    O::parse(values.iter().map(|(k, v)| (*k, v))).py()
}

summary_class!(
/// The one-pass, mergeable summary of several experience dimensions answered by the same
/// respondents: per dimension a tally, per pair of dimensions the squared weights of the
/// respondents who answered both (what the index's standard error needs), and the respondents
/// counted. ``cxkit.cx_index`` accepts it in place of raw answers.
///
/// dims: dimension names (default effectiveness, ease, emotion); scales: one scale for all or a
/// dict by name (default 1-5); require_all: count only respondents who answered every
/// dimension (default: each dimension they answered).
///
/// >>> import cxkit
/// >>> s = cxkit.CxSummary()
/// >>> s.push([5, 4, 4])
/// >>> s.push([2, None, 1], weight=2.0)
/// >>> s.extend({"effectiveness": [4, 5], "ease": [4, 5], "emotion": [3, 5]})
/// >>> s.n, s.dims
/// (4, ['effectiveness', 'ease', 'emotion'])
/// >>> cxkit.CxSummary.from_json(s.to_json()) == s
/// True
/// >>> r = cxkit.cx_index(s)                    # effectiveness +20, ease +100, emotion 0
/// >>> round(r.estimate, 2), r.weakest
/// (40.0, 'emotion')
    PyCxSummary, "CxSummary", CxSummary,
    methods {
    #[new]
    #[pyo3(signature = (dims=None, *, scales=None, require_all=None))]
    fn new(
        dims: Option<Vec<String>>,
        scales: Option<&Bound<'_, PyAny>>,
        require_all: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let o: SummaryOptions = parsed(&[("scales", scales), ("require_all", require_all)])?;
        Ok(PyCxSummary {
            inner: api::new_summary(dims.as_deref(), &o).py()?,
        })
    }

    /// Add one respondent's answers (one per dimension; None or NaN is missing).
    #[pyo3(signature = (answers, weight=None))]
    fn push(&mut self, answers: Vec<Option<f64>>, weight: Option<f64>) -> PyResult<()> {
        let row: Vec<f64> = answers.iter().map(|a| a.unwrap_or(f64::NAN)).collect();
        match weight {
            None => self.inner.push(&row),
            Some(w) => self.inner.push_weighted(&row, w),
        }
        .py()
    }

    /// Add many respondents: a dict of arrays or DataFrame (with this summary's dimension
    /// names), a list of arrays or a 2-D array in dimension order. On error it is unchanged.
    #[pyo3(signature = (answers, weights=None))]
    fn extend(
        &mut self,
        py: Python<'_>,
        answers: &Bound<'_, PyAny>,
        weights: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let names = self.dims();
        let by_name = py
            .import("cxkit._call")?
            .getattr("_columns")?
            .call1((answers, names))?;
        let arrays = columns("answers", &by_name)?;
        let given = arrays
            .iter()
            .map(|(name, a)| Ok((name.clone(), numbers(a)?)))
            .collect::<PyResult<Vec<_>>>()?;
        let weights = read_weights(weights)?;
        let w = weights.as_ref().map(|w| w.as_array().to_vec());
        api::extend_summary(&mut self.inner, &given, w.as_deref()).py()
    }

    /// The dimension names, in order.
    #[getter]
    fn dims(&self) -> Vec<String> {
        self.inner.dims().iter().map(|d| d.name.clone()).collect()
    }
    /// Whether only respondents who answered every dimension are counted.
    #[getter]
    fn require_all(&self) -> bool {
        self.inner.require_all()
    }
    /// Respondents counted.
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n()
    }
    /// Rows left out (no answer at all; some answer missing under require_all).
    #[getter]
    fn missing(&self) -> u64 {
        self.inner.missing()
    }
    /// Kish effective sample size of the respondents counted.
    #[getter]
    fn effective_n(&self) -> f64 {
        self.inner.effective_n()
    }

    /// The tally of one dimension (by name or position).
    fn tally(&self, dim: &Bound<'_, PyAny>) -> PyResult<crate::tally::PyTally> {
        let k = api::dimension_of(&self.inner, &value_of(dim)?).py()?;
        Ok(crate::tally::PyTally {
            inner: self.inner.tally(k).clone(),
        })
    }

    fn __repr__(&self) -> String {
        let dims: Vec<String> = self.dims().iter().map(|d| format!("'{d}'")).collect();
        format!(
            "CxSummary(dims=[{}], n={}, missing={}, require_all={})",
            dims.join(", "),
            self.inner.n(),
            self.inner.missing(),
            if self.inner.require_all() {
                "True"
            } else {
                "False"
            }
        )
    }
    },
);
