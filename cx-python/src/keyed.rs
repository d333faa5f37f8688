//! `cxkit.KeyedTally`: per-group tallies keyed by labels, for merging partitions (Spark, Dask,
//! processes) and serialising segment summaries.

use cx_core::{GroupedTally, KeyedTally, Scale};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::errors::{guard, IntoPyResult};
use crate::input::{scale_arg, with_values};
use crate::segments::{key_of_py, key_tuple, keyed_segment_table, GroupedOf};
use crate::tally::PyTally;

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
#[pyclass(module = "cxkit", name = "KeyedTally")]
#[derive(Clone)]
pub struct PyKeyedTally {
    pub inner: KeyedTally,
}

#[pymethods]
impl PyKeyedTally {
    #[new]
    #[pyo3(signature = (scale=None, names=None))]
    fn new(scale: Option<&Bound<'_, PyAny>>, names: Option<Vec<String>>) -> PyResult<Self> {
        let scale = scale_arg(scale)?.unwrap_or(Scale::nps());
        Ok(PyKeyedTally {
            inner: KeyedTally::new(scale, names.unwrap_or_else(|| vec!["group".into()])),
        })
    }

    /// Build from ratings and dense group `codes` with one label tuple per code (used by
    /// ``from_values``, which factorizes the keys).
    #[staticmethod]
    #[pyo3(signature = (values, codes, labels, names, *, weights=None, scale=None))]
    fn _from_codes(
        py: Python<'_>,
        values: &Bound<'_, PyAny>,
        codes: PyReadonlyArray1<'_, u32>,
        labels: Vec<Bound<'_, PyTuple>>,
        names: Vec<String>,
        weights: Option<&Bound<'_, PyAny>>,
        scale: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let scale = scale_arg(scale)?.unwrap_or(Scale::nps());
        let codes = codes.as_slice()?;
        let grouped: GroupedTally = with_values(
            py,
            values,
            weights,
            GroupedOf {
                scale,
                codes,
                lowest_key: 0,
                n_groups: labels.len(),
            },
        )?;
        let keys = labels
            .iter()
            .map(|t| {
                t.iter()
                    .map(|k| key_of_py(&k))
                    .collect::<PyResult<Vec<_>>>()
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyKeyedTally {
            inner: KeyedTally::from_grouped(&grouped, names, keys).py()?,
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
        names: Option<&Bound<'py, PyAny>>,
        weights: Option<&Bound<'py, PyAny>>,
        scale: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = cls.py();
        let (codes, labels, names) = py
            .import("cxkit._by")?
            .getattr("_group_codes")?
            .call1((by, names, values))?
            .extract::<(Bound<'py, PyAny>, Bound<'py, PyAny>, Bound<'py, PyAny>)>()?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("weights", weights)?;
        kwargs.set_item("scale", scale)?;
        cls.getattr("_from_codes")?
            .call((values, codes, labels, names), Some(&kwargs))
    }

    /// Merge another keyed tally (same scale and key columns) into this one, in place.
    fn merge(&mut self, other: &Bound<'_, PyKeyedTally>) -> PyResult<()> {
        let other = other.borrow().inner.clone();
        self.inner.merge(&other).py()
    }

    fn __add__(&self, other: &Bound<'_, PyKeyedTally>) -> PyResult<PyKeyedTally> {
        let mut out = self.inner.clone();
        out.merge(&other.borrow().inner).py()?;
        Ok(PyKeyedTally { inner: out })
    }

    fn __iadd__(&mut self, other: &Bound<'_, PyKeyedTally>) -> PyResult<()> {
        self.merge(other)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyKeyedTally>()
            .map(|o| o.borrow().inner == self.inner)
            .unwrap_or(false)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Compact, versioned, checksummed bytes (identical from Rust, Python and Node).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Read bytes written by ``to_bytes`` (in any language).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyKeyedTally {
            inner: guard(|| KeyedTally::from_bytes(data)).py()?,
        })
    }

    /// JSON text ({"format": "cxkit.keyed_tally", "version": 1, ...}).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
    }

    /// Read JSON written by ``to_json`` (in any language).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(|inner| PyKeyedTally { inner })
            .map_err(|e| {
                crate::errors::to_py_err(cx_core::CxError::UnreadableSummary {
                    reason: e.to_string(),
                })
            })
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let from_bytes = slf.get_type().getattr("from_bytes")?;
        Ok((
            from_bytes,
            (PyBytes::new(py, &slf.borrow().inner.to_bytes()),),
        ))
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

    /// The tally of one group (a label tuple), or None.
    fn tally(&self, key: &Bound<'_, PyTuple>) -> PyResult<Option<PyTally>> {
        let key = key
            .iter()
            .map(|k| key_of_py(&k))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(self.inner.get(&key).map(|t| PyTally { inner: t.clone() }))
    }

    /// The tally of all groups together.
    fn total(&self) -> PyTally {
        PyTally {
            inner: self.inner.total(),
        }
    }

    /// Segment-table columns (internal; ``cxkit.KeyedTally.segments`` builds the DataFrame).
    #[pyo3(signature = (metric, level, method, resamples, seed, alpha, adjust, min_base, reference))]
    #[allow(clippy::too_many_arguments)]
    fn _segment_table<'py>(
        &self,
        py: Python<'py>,
        metric: &str,
        level: f64,
        method: &str,
        resamples: u32,
        seed: u64,
        alpha: f64,
        adjust: &str,
        min_base: u64,
        reference: Option<Bound<'py, PyTuple>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let reference = match reference {
            None => None,
            Some(t) => Some(
                t.iter()
                    .map(|k| key_of_py(&k))
                    .collect::<PyResult<Vec<_>>>()?,
            ),
        };
        keyed_segment_table(
            py,
            &self.inner,
            metric,
            level,
            method,
            resamples,
            seed,
            alpha,
            adjust,
            min_base,
            reference,
        )
    }

    /// The segment table (a pandas DataFrame, as ``cxkit.nps_by``): metric ``"nps"``,
    /// ``"top_box"``, ``"bottom_box"`` or ``"mean"``, with the options of ``nps_by``.
    #[pyo3(signature = (metric="nps", *, level=0.95, method=None, resamples=2000, seed=0, alpha=0.05, adjust="holm", min_base=30, reference=None))]
    #[allow(clippy::too_many_arguments)]
    fn segments<'py>(
        slf: &Bound<'py, Self>,
        metric: &str,
        level: f64,
        method: Option<&str>,
        resamples: u32,
        seed: u64,
        alpha: f64,
        adjust: &str,
        min_base: u64,
        reference: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("cxkit._by")?
            .getattr("_keyed_frame")?
            .call1((
                slf, metric, level, method, resamples, seed, alpha, adjust, min_base, reference,
            ))
    }

    fn __repr__(&self) -> String {
        format!(
            "KeyedTally(names={:?}, groups={}, n={})",
            self.inner.names(),
            self.inner.len(),
            self.inner.total().n()
        )
    }
}
