//! `cxkit.KeyedTally`: per-group tallies keyed by labels, for merging partitions (Spark, Dask,
//! processes) and serialising segment summaries.

use cx_core::api::keyed::{self, KeyedSegmentsOptions};
use cx_core::api::{Args, Kind, Numbers, Options, Value};
use cx_core::{KeyedTally, Scale};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::call::value_of;
use crate::errors::{guard, Guarded, IntoPyResult};
use crate::input::scale_arg;
use crate::segments::key_tuple;
use crate::summary::summary_class;
use crate::tally::PyTally;

summary_class!(
/// Per-group tallies keyed by group labels, with the key columns' names.
///
/// Build one per partition, serialise (``to_bytes``), merge by label (``merge`` or ``+``),
/// and compute the segment table once with ``segments``: the result equals
/// ``cxkit.nps_by`` on the whole data.
///
/// >>> import cxkit
/// >>> a = cxkit.KeyedTally.from_values([10, 3, 9], by=["North", "South", "North"], names=["region"])
/// >>> b = cxkit.KeyedTally.from_values([6], by=["North"], names=["region"])
/// >>> merged = a + cxkit.KeyedTally.from_bytes(b.to_bytes())
/// >>> merged.keys(), merged.tally(("North",)).n
/// ([('North',), ('South',)], 3)
    PyKeyedTally, "KeyedTally", KeyedTally,
    methods {
    #[new]
    #[pyo3(signature = (scale=None, names=None))]
    fn new(scale: Option<&Bound<'_, PyAny>>, names: Option<Vec<String>>) -> PyResult<Self> {
        let scale = scale_arg(scale)?.unwrap_or(Scale::nps());
        Ok(PyKeyedTally {
            inner: KeyedTally::new(scale, names.unwrap_or_else(|| vec!["group".into()])),
        })
    }

    /// Build from ratings and keys in one pass: ``by`` is one key array or a list of them
    /// (pandas/polars Series, numpy arrays, lists; None/NaN keys form the missing group).
    #[classmethod]
    #[pyo3(signature = (values, by, *, names=None, weights=None, scale=None))]
    fn from_values<'py>(
        cls: &Bound<'py, pyo3::types::PyType>,
        values: &Bound<'py, PyAny>,
        by: &Bound<'py, PyAny>,
        names: Option<Vec<String>>,
        weights: Option<&Bound<'py, PyAny>>,
        scale: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        let py = cls.py();
        let (inputs, names): (Bound<'py, PyDict>, Option<Vec<String>>) = py
            .import("cxkit._call")?
            .getattr("keyed_inputs")?
            .call1((values, by, weights, names))?
            .extract()?;
        let scale = scale_arg(scale)?.unwrap_or(Scale::nps());
        let held = crate::call::held(
            &inputs,
            &[
                ("values", Kind::Scores),
                ("by", Kind::Keys),
                ("weights", Kind::Numbers),
            ],
        )?;
        let mut args = Args::new();
        for (key, h) in &held {
            args.input(key, h.input()?);
        }
        let inner = py
            .guarded(|| -> cx_core::Result<KeyedTally> {
                let values = args.numbers("values")?.unwrap_or(Numbers::F64(&[]));
                let weights = args.floats("weights")?;
                keyed::from_values(&values, &args.keys("by")?, weights.as_deref(), scale, names)
            })?
            .py()?;
        Ok(PyKeyedTally { inner })
    }

    /// Push one answer (None is missing) with an optional weight into the group named by
    /// `key` (a label tuple, or one label for one key column; None is the missing key). A new
    /// group's labels must be of the type of their column's other labels. On error nothing
    /// changes.
    #[pyo3(signature = (value, key, weight=None))]
    fn push(
        &mut self,
        value: Option<f64>,
        key: &Bound<'_, PyAny>,
        weight: Option<f64>,
    ) -> PyResult<()> {
        let key = value_of(key)?;
        guard(|| keyed::push(&mut self.inner, &key, value, weight)).py()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The key columns' names.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.inner.names().to_vec()
    }

    /// The rating scale.
    #[getter]
    fn scale(&self) -> crate::tally::PyScale {
        crate::tally::PyScale {
            inner: self.inner.scale(),
        }
    }

    /// Group labels in order (tuples; None is the missing key).
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyTuple>>> {
        self.inner.iter().map(|(k, _)| key_tuple(py, k)).collect()
    }

    /// The tally of one group (a label tuple, or one label for one key column), or None.
    fn tally(&self, key: &Bound<'_, PyAny>) -> PyResult<Option<PyTally>> {
        let found = keyed::tally_of(&self.inner, &value_of(key)?).py()?;
        Ok(found.map(|t| PyTally { inner: t.clone() }))
    }

    /// The tally of all groups together.
    fn total(&self) -> PyTally {
        PyTally {
            inner: self.inner.total(),
        }
    }

    /// The segment table (a DataFrame, as ``cxkit.nps_by``): metric ``"nps"``,
    /// ``"top_box"``, ``"bottom_box"`` or ``"mean"``, with the options of ``nps_by`` (level,
    /// method, resamples, seed, alpha, adjust, min_base, reference).
    #[pyo3(signature = (metric="nps", **options))]
    fn segments<'py>(
        &self,
        py: Python<'py>,
        metric: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut given = vec![("metric".to_string(), Value::Str(metric.into()))];
        for (k, v) in options.into_iter().flatten() {
            given.push((k.extract()?, value_of(&v)?));
        }
        let table = py
            .guarded(|| {
                let o = KeyedSegmentsOptions::parse(given.iter().map(|(k, v)| (k.as_str(), v)))?;
                keyed::segments_of(&self.inner, &o)
            })?
            .py()?;
        let payload = crate::call::table(py, &table)?;
        py.import("cxkit._call")?
            .getattr("keyed_table")?
            .call1((payload, self.inner.names().to_vec()))
    }

    fn __repr__(&self) -> String {
        format!(
            "KeyedTally(names={:?}, groups={}, n={})",
            self.inner.names(),
            self.inner.len(),
            self.inner.total().n()
        )
    }
    },
);
