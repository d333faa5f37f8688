//! `cxkit.Scale` and `cxkit.Tally`.

use cx_core::{Scale, Tally};
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::errors::{guard, IntoPyResult};
use crate::input::{scale_arg, tally_of};
use crate::json::to_dict;
use crate::summary::summary_class;

/// What `__reduce__` returns: a callable and its arguments.
type Reduced<'py, A> = (Bound<'py, PyAny>, A);

/// An integer rating scale lowest..=highest (at most 101 points) with a top box
/// (top_box_min..=highest) and a bottom box (lowest..=bottom_box_max).
///
/// Without box thresholds, scales of five or more points get top-2 / bottom-2 boxes.
///
/// >>> import cxkit
/// >>> cxkit.Scale(1, 7)
/// Scale(lowest=1, highest=7, top_box_min=6, bottom_box_max=2)
/// >>> cxkit.Scale.nps().points
/// 11
#[pyclass(frozen, eq, hash, module = "cxkit", name = "Scale")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyScale {
    pub inner: Scale,
}

#[pymethods]
impl PyScale {
    #[new]
    #[pyo3(signature = (lowest, highest, top_box_min=None, bottom_box_max=None))]
    fn new(
        lowest: i32,
        highest: i32,
        top_box_min: Option<i32>,
        bottom_box_max: Option<i32>,
    ) -> PyResult<Self> {
        let default = Scale::new(lowest, highest).py()?;
        let inner = match (top_box_min, bottom_box_max) {
            (None, None) => default,
            (t, b) => Scale::with_boxes(
                lowest,
                highest,
                t.unwrap_or(default.top_box_min()),
                b.unwrap_or(default.bottom_box_max()),
            )
            .py()?,
        };
        Ok(PyScale { inner })
    }

    /// Net Promoter scale 0-10: promoters 9-10, detractors 0-6.
    #[staticmethod]
    fn nps() -> Self {
        PyScale {
            inner: Scale::nps(),
        }
    }

    /// Satisfaction 1-5: top-2-box 4-5, bottom-2-box 1-2.
    #[staticmethod]
    fn csat() -> Self {
        PyScale {
            inner: Scale::csat(),
        }
    }

    /// Customer effort (CES 2.0) 1-7, higher is easier: top box 5-7, bottom box 1-3.
    #[staticmethod]
    fn ces() -> Self {
        PyScale {
            inner: Scale::ces(),
        }
    }

    /// Five-point agreement 1-5: top-2-box 4-5, bottom-2-box 1-2.
    #[staticmethod]
    fn agreement() -> Self {
        PyScale {
            inner: Scale::agreement(),
        }
    }

    #[getter]
    fn lowest(&self) -> i32 {
        self.inner.lowest()
    }
    #[getter]
    fn highest(&self) -> i32 {
        self.inner.highest()
    }
    #[getter]
    fn top_box_min(&self) -> i32 {
        self.inner.top_box_min()
    }
    #[getter]
    fn bottom_box_max(&self) -> i32 {
        self.inner.bottom_box_max()
    }
    /// Number of points.
    #[getter]
    fn points(&self) -> usize {
        self.inner.points()
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        let s = self.inner;
        format!(
            "Scale(lowest={}, highest={}, top_box_min={}, bottom_box_max={})",
            s.lowest(),
            s.highest(),
            s.top_box_min(),
            s.bottom_box_max()
        )
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py, (i32, i32, i32, i32)>> {
        let s = slf.get().inner;
        Ok((
            slf.get_type().into_any(),
            (s.lowest(), s.highest(), s.top_box_min(), s.bottom_box_max()),
        ))
    }
}

summary_class!(
/// The one-pass, mergeable, weighted summary of one rating item.
///
/// Per scale point it keeps the count, the sum of weights and the sum of squared weights,
/// plus the count of missing answers (NaN / None). Every metric (nps, csat, top_box, mean,
/// distribution, ...) accepts a Tally in place of raw values.
///
/// >>> import cxkit
/// >>> t = cxkit.Tally("nps")
/// >>> t.extend([10, 9, 7, None, 3])
/// >>> t.push(9)
/// >>> t.n, t.missing
/// (5, 1)
/// >>> round(cxkit.nps(t).estimate, 6)
/// 40.0
/// >>> t2 = cxkit.Tally.from_bytes(t.to_bytes())
/// >>> t2 == t
/// True
    PyTally, "Tally", Tally,
    methods {
    #[new]
    #[pyo3(signature = (scale=None))]
    fn new(scale: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let scale = scale_arg(scale)?.unwrap_or(Scale::nps());
        Ok(PyTally {
            inner: Tally::new(scale),
        })
    }

    /// Build a tally from values (numpy array, list, pandas or polars Series) in one pass.
    #[classmethod]
    #[pyo3(signature = (values, *, scale=None, weights=None))]
    fn from_values(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        values: &Bound<'_, PyAny>,
        scale: Option<&Bound<'_, PyAny>>,
        weights: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let scale = scale_arg(scale)?.unwrap_or(Scale::nps());
        Ok(PyTally {
            inner: tally_of(py, values, weights, scale)?,
        })
    }

    /// Add one answer (None or NaN is a missing answer) with an optional weight.
    #[pyo3(signature = (value, weight=None))]
    fn push(&mut self, value: Option<f64>, weight: Option<f64>) -> PyResult<()> {
        match value {
            None => {
                self.inner.push_missing();
                Ok(())
            }
            Some(v) => guard(|| self.inner.push_weighted(v, weight.unwrap_or(1.0))).py(),
        }
    }

    /// Add many answers (and optional weights). On error the tally is unchanged.
    #[pyo3(signature = (values, weights=None))]
    fn extend(
        &mut self,
        py: Python<'_>,
        values: &Bound<'_, PyAny>,
        weights: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let part = tally_of(py, values, weights, self.inner.scale())?;
        self.inner.merge(&part).py()
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    #[getter]
    fn scale(&self) -> PyScale {
        PyScale {
            inner: self.inner.scale(),
        }
    }
    /// Respondents per scale point, lowest first.
    #[getter]
    fn counts(&self) -> Vec<u64> {
        self.inner.counts().to_vec()
    }
    /// Sum of weights per point.
    #[getter]
    fn weights(&self) -> Vec<f64> {
        self.inner.weights().to_vec()
    }
    /// Sum of squared weights per point.
    #[getter]
    fn weights_sq(&self) -> Vec<f64> {
        self.inner.weights_sq().to_vec()
    }
    /// Missing answers seen.
    #[getter]
    fn missing(&self) -> u64 {
        self.inner.missing()
    }
    /// Non-missing answers.
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n()
    }
    /// Sum of all weights.
    #[getter]
    fn total_weight(&self) -> f64 {
        self.inner.total_weight()
    }
    /// Kish effective sample size.
    #[getter]
    fn effective_n(&self) -> f64 {
        self.inner.effective_n()
    }

    fn __repr__(&self) -> String {
        let s = self.inner.scale();
        format!(
            "Tally(scale={}..={}, n={}, missing={}, counts={:?})",
            s.lowest(),
            s.highest(),
            self.inner.n(),
            self.inner.missing(),
            self.inner.counts()
        )
    }
    },
);
