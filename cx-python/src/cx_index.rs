//! The CX index for Python: `cxkit.CxSummary` (streaming, mergeable, picklable), the result
//! classes `CxIndex` and `CxDimension`, and the functions behind `cxkit.cx_index`
//! (`cxkit/_cx.py` gathers the dimension columns and factorizes keys and dates; here the
//! answers are read in place, the GIL released, and cx-core builds and computes everything).

use std::borrow::Cow;

use cx_core::{
    Adjust, Bands, CxMethod, CxOptions, CxSegmentOptions, CxSummary, CxTrendOptions, DimWeights,
    Dimension, GroupSummary, GroupedCxSummary, Rating, Scale,
};
use numpy::ndarray::ArrayView2;
use numpy::{PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyType};

use crate::errors::{to_py_err, Guarded, IntoPyResult};
use crate::input::{read_weights, scale_arg};
use crate::results::{ci, html_table, result_class, PyInterval};
use crate::segments::Columns;

/// Answers as cx-core reads them: one slice per dimension, or rows of a 2-D array.
pub enum Answers<'a, T> {
    Columns(Vec<&'a [T]>),
    Matrix(ArrayView2<'a, T>),
}

/// Work done on typed answers (and optional weights) without the GIL.
pub trait AnswersVisitor: Sync {
    type Out: Send;
    fn visit<T: Rating>(
        &self,
        answers: Answers<'_, T>,
        weights: Option<&[f64]>,
    ) -> cx_core::Result<Self::Out>;
}

/// Numpy answers of one dtype: 1-D columns or a 2-D array.
macro_rules! answer_arrays {
    ($($variant:ident $t:ty),*) => {
        enum Arrays<'py> {
            $($variant(Vec<PyReadonlyArray1<'py, $t>>, Option<PyReadonlyArray2<'py, $t>>),)*
        }

        /// Read `answers` (a list of 1-D numpy arrays of one dtype, or a 2-D numpy array).
        fn arrays<'py>(answers: &Bound<'py, PyAny>) -> PyResult<Arrays<'py>> {
            if let Ok(list) = answers.cast::<PyList>() {
                let first = list.get_item(0)?;
                $(
                    if first.extract::<PyReadonlyArray1<'py, $t>>().is_ok() {
                        let cols = list
                            .iter()
                            .map(|c| c.extract::<PyReadonlyArray1<'py, $t>>().map_err(PyErr::from))
                            .collect::<PyResult<Vec<_>>>()?;
                        return Ok(Arrays::$variant(cols, None));
                    }
                )*
            } else {
                $(
                    if let Ok(m) = answers.extract::<PyReadonlyArray2<'py, $t>>() {
                        return Ok(Arrays::$variant(vec![], Some(m)));
                    }
                )*
            }
            Err(pyo3::exceptions::PyTypeError::new_err(
                "answers must be 1-D numpy arrays of one integer or float dtype, or a 2-D array",
            ))
        }

        /// Borrow the answers (copying non-contiguous columns once) and visit them without the GIL.
        fn visit_arrays<V: AnswersVisitor>(
            py: Python<'_>,
            arrays: &Arrays<'_>,
            weights: Option<&[f64]>,
            visitor: &V,
        ) -> PyResult<cx_core::Result<V::Out>> {
            match arrays {
                $(
                    Arrays::$variant(cols, matrix) => match matrix {
                        Some(m) => {
                            let view = m.as_array();
                            py.guarded(|| visitor.visit(Answers::Matrix(view), weights))
                        }
                        None => {
                            let owned: Vec<Cow<'_, [$t]>> = cols
                                .iter()
                                .map(|c| match c.as_slice() {
                                    Ok(s) => Cow::Borrowed(s),
                                    Err(_) => Cow::Owned(c.as_array().to_vec()),
                                })
                                .collect();
                            let slices: Vec<&[$t]> = owned.iter().map(|c| c.as_ref()).collect();
                            py.guarded(|| visitor.visit(Answers::Columns(slices), weights))
                        }
                    },
                )*
            }
        }
    };
}
answer_arrays!(U8 u8, I8 i8, U16 u16, I16 i16, U32 u32, I32 i32, U64 u64, I64 i64, F32 f32, F64 f64);

/// Read `answers` and optional `weights` and hand the typed data to `visitor`.
fn with_answers<V: AnswersVisitor>(
    py: Python<'_>,
    answers: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    visitor: V,
) -> PyResult<V::Out> {
    let arrays = arrays(answers)?;
    let weights = read_weights(weights)?;
    let owned_w;
    let w: Option<&[f64]> = match &weights {
        None => None,
        Some(a) => Some(match a.as_slice() {
            Ok(s) => s,
            Err(_) => {
                owned_w = a.as_array().to_vec();
                owned_w.as_slice()
            }
        }),
    };
    visit_arrays(py, &arrays, w, &visitor).py()
}

/// The dimensions named `names` on `scales`: None (1-5 for all), one scale for all, or a dict
/// by dimension name (1-5 for the dimensions it leaves out).
pub(crate) fn dimensions(
    names: &[String],
    scales: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Dimension>> {
    let default = Scale::agreement();
    let mut dims: Vec<Dimension> = names
        .iter()
        .map(|n| Dimension::new(n.clone(), default))
        .collect();
    match scales {
        Some(s) if !s.is_none() => {
            if let Ok(map) = s.cast::<PyDict>() {
                for (k, v) in map.iter() {
                    let name: String = k.str()?.extract()?;
                    let i = cx_core::dimension_index(&dims, &name).py()?;
                    dims[i].scale = scale_arg(Some(&v))?.unwrap_or(default);
                }
            } else {
                let scale = scale_arg(Some(s))?.unwrap_or(default);
                for d in &mut dims {
                    d.scale = scale;
                }
            }
        }
        _ => {}
    }
    Ok(dims)
}

/// `dim_weights=`: None or "equal", a sequence (one per dimension), or a dict by name.
fn dim_weights(dims: &[Dimension], arg: Option<&Bound<'_, PyAny>>) -> PyResult<DimWeights> {
    let Some(arg) = arg.filter(|a| !a.is_none()) else {
        return Ok(DimWeights::Equal);
    };
    if arg.is_instance_of::<PyString>() {
        let text: String = arg.extract()?;
        if text.eq_ignore_ascii_case("equal") {
            return Ok(DimWeights::Equal);
        }
        return Err(to_py_err(cx_core::CxError::InvalidArgument {
            name: "dim_weights",
            value: format!("{text:?}"),
            expected: "None or \"equal\", a list of weights or a dict by dimension name".into(),
        }));
    }
    if let Ok(map) = arg.cast::<PyDict>() {
        let pairs: Vec<(String, f64)> = map
            .iter()
            .map(|(k, v)| Ok((k.str()?.extract()?, v.extract()?)))
            .collect::<PyResult<_>>()?;
        let pairs: Vec<(&str, f64)> = pairs.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        return DimWeights::by_name(dims, &pairs).py();
    }
    Ok(DimWeights::Given(arg.extract()?))
}

/// The options of the index.
pub(crate) fn options(
    dims: &[Dimension],
    method: &str,
    dim_weights_arg: Option<&Bound<'_, PyAny>>,
    bands: Option<Vec<f64>>,
    level: f64,
) -> PyResult<CxOptions> {
    Ok(CxOptions {
        method: method.parse::<CxMethod>().py()?,
        dim_weights: dim_weights(dims, dim_weights_arg)?,
        level,
        bands: match bands {
            None => Bands::default(),
            Some(b) => Bands::new(&b).py()?,
        },
    })
}

/// Build a [`CxSummary`].
struct SummaryOf {
    dims: Vec<Dimension>,
    require_all: bool,
}

impl AnswersVisitor for SummaryOf {
    type Out = CxSummary;
    fn visit<T: Rating>(
        &self,
        answers: Answers<'_, T>,
        weights: Option<&[f64]>,
    ) -> cx_core::Result<CxSummary> {
        match answers {
            Answers::Columns(c) => {
                CxSummary::from_columns(self.dims.clone(), &c, weights, self.require_all)
            }
            Answers::Matrix(m) => {
                CxSummary::from_rows(self.dims.clone(), m, weights, self.require_all)
            }
        }
    }
}

/// Build a [`GroupedCxSummary`] over dense codes.
struct GroupedOf<'a> {
    dims: Vec<Dimension>,
    require_all: bool,
    codes: &'a [u32],
    n_groups: usize,
}

impl AnswersVisitor for GroupedOf<'_> {
    type Out = GroupedCxSummary;
    fn visit<T: Rating>(
        &self,
        answers: Answers<'_, T>,
        weights: Option<&[f64]>,
    ) -> cx_core::Result<GroupedCxSummary> {
        let (d, c, g, r) = (
            self.dims.clone(),
            self.codes,
            self.n_groups,
            self.require_all,
        );
        match answers {
            Answers::Columns(cols) => GroupedCxSummary::from_columns(d, c, 0, g, &cols, weights, r),
            Answers::Matrix(m) => GroupedCxSummary::from_rows(d, c, 0, g, m, weights, r),
        }
    }
}

/// Resolve answers through `cxkit._cx._answers` (dict, DataFrame, list or 2-D array).
fn resolve_answers<'py>(
    data: &Bound<'py, PyAny>,
    dims: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Vec<String>, Bound<'py, PyAny>)> {
    let out = data
        .py()
        .import("cxkit._cx")?
        .getattr("_answers")?
        .call1((data, dims))?;
    out.extract()
}

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
#[pyclass(module = "cxkit", name = "CxSummary")]
#[derive(Clone)]
pub struct PyCxSummary {
    pub inner: CxSummary,
}

#[pymethods]
impl PyCxSummary {
    #[new]
    #[pyo3(signature = (dims=None, *, scales=None, require_all=false))]
    fn new(
        dims: Option<Vec<String>>,
        scales: Option<&Bound<'_, PyAny>>,
        require_all: bool,
    ) -> PyResult<Self> {
        let names = dims.unwrap_or_else(|| {
            cx_core::DEFAULT_DIMENSIONS
                .iter()
                .map(|s| s.to_string())
                .collect()
        });
        let dims = dimensions(&names, scales)?;
        Ok(PyCxSummary {
            inner: CxSummary::new(dims, require_all).py()?,
        })
    }

    /// Add one respondent's answers (one per dimension; None or NaN is missing).
    #[pyo3(signature = (answers, weight=None))]
    fn push(&mut self, answers: Vec<Option<f64>>, weight: Option<f64>) -> PyResult<()> {
        let row: Vec<f64> = answers.iter().map(|a| a.unwrap_or(f64::NAN)).collect();
        self.inner.push_weighted(&row, weight.unwrap_or(1.0)).py()
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
        let names: Vec<String> = self.inner.dims().iter().map(|d| d.name.clone()).collect();
        let names_obj = names.clone().into_pyobject(py)?.into_any();
        let (_, resolved) = resolve_answers(answers, Some(&names_obj))?;
        let part = with_answers(
            py,
            &resolved,
            weights,
            SummaryOf {
                dims: self.inner.dims().to_vec(),
                require_all: self.inner.require_all(),
            },
        )?;
        self.inner.merge(&part).py()
    }

    /// Merge another summary of the same dimensions, scales and rule into this one.
    fn merge(&mut self, other: &Bound<'_, PyCxSummary>) -> PyResult<()> {
        let other = other.borrow().inner.clone();
        self.inner.merge(&other).py()
    }

    fn __add__(&self, other: &Bound<'_, PyCxSummary>) -> PyResult<PyCxSummary> {
        Ok(PyCxSummary {
            inner: self.inner.merged(&other.borrow().inner).py()?,
        })
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyCxSummary>()
            .map(|o| o.borrow().inner == self.inner)
            .unwrap_or(false)
    }

    /// JSON text ({"format": "cxkit.cx_summary", "version": 1, ...}), the same in every language.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Read JSON written by `to_json` (in any language).
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        Ok(PyCxSummary {
            inner: CxSummary::from_json(text).py()?,
        })
    }

    /// Compact, versioned, checksummed bytes (magic "CXCS"; identical from Rust, Python and
    /// Node).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Read bytes written by `to_bytes` (in any language).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyCxSummary {
            inner: CxSummary::from_bytes(data).py()?,
        })
    }

    /// Pickled as its compact bytes.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let f = slf.get_type().getattr("from_bytes")?;
        Ok((f, (PyBytes::new(py, &slf.borrow().inner.to_bytes()),)))
    }

    fn __copy__(&self) -> Self {
        self.clone()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
        self.clone()
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
        let k = match dim.extract::<usize>() {
            Ok(k) if k < self.inner.dims().len() => k,
            Ok(k) => {
                return Err(to_py_err(cx_core::CxError::InvalidArgument {
                    name: "dims",
                    value: k.to_string(),
                    expected: format!("a position below {}", self.inner.dims().len()),
                }))
            }
            Err(_) => {
                let name: String = dim.extract()?;
                cx_core::dimension_index(self.inner.dims(), &name).py()?
            }
        };
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
}

result_class!(
    PyCxDimension, "CxDimension", cx_core::CxDimension,
    doc = "One dimension of a CX index: its score in index points (net -100..100, mean 0..100), SE, interval, band, weight in the index, n, top/bottom-box shares (0..1) and mean (scale units).",
    getters {
        name: String, estimate: f64, std_error: f64, interval: PyInterval, weight: f64,
        n: u64, effective_n: f64, missing: u64, top_share: f64, bottom_share: f64, mean: f64,
    },
    repr = |s| format!(
        "CxDimension(name='{}', estimate={:.2}, ci=[{:.2}, {:.2}], band='{}', weight={:.4}, n={})",
        s.name, s.estimate, s.interval.lower, s.interval.upper, s.band, s.weight, s.n
    ),
    html = |s| html_table(
        &s.name,
        &format!("{:.1} points ({}), CI {}", s.estimate, s.band, ci(&s.interval, 1)),
        &[
            ("n", s.n.to_string()),
            ("top box", format!("{:.1}%", 100.0 * s.top_share)),
            ("bottom box", format!("{:.1}%", 100.0 * s.bottom_share)),
            ("mean", format!("{:.3}", s.mean)),
        ],
    ),
    methods {
    /// Quality band: 'very poor', 'poor', 'okay', 'good' or 'excellent'.
    #[getter]
    fn band(&self) -> &'static str {
        self.inner.band.label()
    }
    },
);

result_class!(
    PyCxIndex, "CxIndex", cx_core::CxIndex,
    doc = "A CX index: the weighted average of the dimensions' scores in index points (net -100..100, mean 0..100) with a delta-method SE and Wald interval, quality band, weakest dimension and every dimension.",
    getters {
        estimate: f64, std_error: f64, interval: PyInterval, weakest: String,
        n: u64, effective_n: f64, missing: u64, require_all: bool,
    },
    repr = |s| format!(
        "CxIndex(estimate={:.2}, ci=[{:.2}, {:.2}], level={}, band='{}', weakest='{}', method='{}', n={}, dimensions={{{}}})",
        s.estimate, s.interval.lower, s.interval.upper, s.interval.level, s.band, s.weakest,
        s.method, s.n,
        s.dimensions.iter().map(|d| format!("'{}': {:.2}", d.name, d.estimate)).collect::<Vec<_>>().join(", ")
    ),
    html = |s| {
        let rows: Vec<(String, String)> = s
            .dimensions
            .iter()
            .map(|d| (
                d.name.clone(),
                format!("{:.1} ({}), CI {}, n={}", d.estimate, d.band, ci(&d.interval, 1), d.n),
            ))
            .collect();
        let rows: Vec<(&str, String)> = rows.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        html_table(
            "CX index",
            &format!(
                "{:.1} points ({}, {}), CI {}, weakest: {}, n = {}",
                s.estimate, s.method, s.band, ci(&s.interval, 1), s.weakest, s.n
            ),
            &rows,
        )
    },
    plot = "cx_index",
    methods {
    /// Quality band: 'very poor', 'poor', 'okay', 'good' or 'excellent'.
    #[getter]
    fn band(&self) -> &'static str {
        self.inner.band.label()
    }
    /// 'net' or 'mean'.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.name()
    }
    /// Every dimension, in order.
    #[getter]
    fn dimensions(&self) -> Vec<PyCxDimension> {
        self.inner.dimensions.iter().cloned().map(Into::into).collect()
    }
    /// One dimension by name.
    fn dimension(&self, name: &str) -> PyResult<PyCxDimension> {
        self.inner
            .dimensions
            .iter()
            .find(|d| d.name == name)
            .cloned()
            .map(Into::into)
            .ok_or_else(|| {
                let dims: Vec<Dimension> = self
                    .inner
                    .dimensions
                    .iter()
                    .map(|d| Dimension::new(d.name.clone(), Scale::agreement()))
                    .collect();
                to_py_err(
                    cx_core::dimension_index(&dims, name).expect_err("the name is not there"),
                )
            })
    }
    /// The dimensions as a pandas DataFrame (name, estimate, std_error, lower, upper, band,
    /// weight, n, top_share, bottom_share, mean).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("pandas")?.getattr("DataFrame")?.call1((dimension_columns(py, &self.inner)?,))
    }
    /// The dimensions as a polars DataFrame (the columns of `to_pandas`).
    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("polars")?.getattr("DataFrame")?.call1((dimension_columns(py, &self.inner)?,))
    }
    },
);

fn dimension_columns<'py>(py: Python<'py>, r: &cx_core::CxIndex) -> PyResult<Bound<'py, PyDict>> {
    let d = &r.dimensions;
    let out = PyDict::new(py);
    let col = |f: fn(&cx_core::CxDimension) -> f64| d.iter().map(f).collect::<Vec<f64>>();
    out.set_item("name", d.iter().map(|x| x.name.clone()).collect::<Vec<_>>())?;
    out.set_item("estimate", col(|x| x.estimate))?;
    out.set_item("std_error", col(|x| x.std_error))?;
    out.set_item("lower", col(|x| x.interval.lower))?;
    out.set_item("upper", col(|x| x.interval.upper))?;
    out.set_item("band", d.iter().map(|x| x.band.label()).collect::<Vec<_>>())?;
    out.set_item("weight", col(|x| x.weight))?;
    out.set_item("n", d.iter().map(|x| x.n).collect::<Vec<_>>())?;
    out.set_item("top_share", col(|x| x.top_share))?;
    out.set_item("bottom_share", col(|x| x.bottom_share))?;
    out.set_item("mean", col(|x| x.mean))?;
    Ok(out)
}

/// The overall CX index of resolved answers (`cxkit._cx._answers`) or of a `CxSummary`.
#[pyfunction]
#[pyo3(signature = (answers, names, *, weights=None, scales=None, require_all=false, method="net", dim_weights=None, bands=None, level=0.95))]
#[allow(clippy::too_many_arguments)]
pub fn _cx_index(
    py: Python<'_>,
    answers: &Bound<'_, PyAny>,
    names: Option<Vec<String>>,
    weights: Option<&Bound<'_, PyAny>>,
    scales: Option<&Bound<'_, PyAny>>,
    require_all: bool,
    method: &str,
    dim_weights: Option<&Bound<'_, PyAny>>,
    bands: Option<Vec<f64>>,
    level: f64,
) -> PyResult<PyCxIndex> {
    let summary = match answers.cast::<PyCxSummary>() {
        Ok(s) => s.borrow().inner.clone(),
        Err(_) => {
            let names = names.unwrap_or_default();
            let dims = dimensions(&names, scales)?;
            with_answers(py, answers, weights, SummaryOf { dims, require_all })?
        }
    };
    let options = options(summary.dims(), method, dim_weights, bands, level)?;
    let r = py.guarded(|| cx_core::cx_index(&summary, &options)).py()?;
    Ok(r.into())
}

/// Per-group columns of full indexes: band, weakest, one score column per dimension.
fn index_columns(
    out: &Columns<'_>,
    names: &[String],
    indexes: &[Option<&cx_core::CxIndex>],
) -> PyResult<()> {
    out.put(
        "band",
        indexes.iter().map(|i| i.map(|i| i.band.label())).collect(),
    )?;
    out.put(
        "weakest",
        indexes
            .iter()
            .map(|i| i.map(|i| i.weakest.clone()))
            .collect(),
    )?;
    for (k, name) in names.iter().enumerate() {
        out.put(
            name,
            indexes
                .iter()
                .map(|i| i.map(|i| i.dimensions[k].estimate))
                .collect(),
        )?;
    }
    Ok(())
}

/// Check that no dimension is named like a column of the tables.
fn check_names(names: &[String]) -> PyResult<()> {
    const TAKEN: [&str; 12] = [
        "group",
        "n",
        "effective_n",
        "missing",
        "estimate",
        "std_error",
        "lower",
        "upper",
        "band",
        "weakest",
        "too_small",
        "significant",
    ];
    match names.iter().find(|n| TAKEN.contains(&n.as_str())) {
        Some(n) => Err(to_py_err(cx_core::CxError::InvalidArgument {
            name: "dims",
            value: format!("{n:?}"),
            expected: format!("dimension names other than the table's columns {TAKEN:?}"),
        })),
        None => Ok(()),
    }
}

/// Segment table columns of the CX index by dense group `codes`.
#[pyfunction]
#[pyo3(signature = (answers, names, codes, n_groups, *, weights, scales, require_all, method, dim_weights, bands, level, alpha, adjust, min_base, reference))]
#[allow(clippy::too_many_arguments)]
pub fn _cx_segment_table<'py>(
    py: Python<'py>,
    answers: &Bound<'py, PyAny>,
    names: Vec<String>,
    codes: PyReadonlyArray1<'py, u32>,
    n_groups: usize,
    weights: Option<&Bound<'py, PyAny>>,
    scales: Option<&Bound<'py, PyAny>>,
    require_all: bool,
    method: &str,
    dim_weights: Option<&Bound<'py, PyAny>>,
    bands: Option<Vec<f64>>,
    level: f64,
    alpha: f64,
    adjust: &str,
    min_base: u64,
    reference: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    check_names(&names)?;
    let dims = dimensions(&names, scales)?;
    let options = CxSegmentOptions {
        index: options(&dims, method, dim_weights, bands, level)?,
        alpha,
        adjust: adjust.parse::<Adjust>().py()?,
        min_base,
        reference,
    };
    let codes = codes.as_slice()?;
    let grouped = with_answers(
        py,
        answers,
        weights,
        GroupedOf {
            dims,
            require_all,
            codes,
            n_groups,
        },
    )?;
    let table = py
        .guarded(|| cx_core::cx_segments(&grouped, &options))
        .py()?;
    let out = Columns::new(py);
    out.put("group", table.rows.iter().map(|r| r.row.group).collect())?;
    let summaries: Vec<Option<&GroupSummary>> =
        table.rows.iter().map(|r| Some(&r.row.summary)).collect();
    out.summary("", &summaries)?;
    let indexes: Vec<Option<&cx_core::CxIndex>> =
        table.rows.iter().map(|r| r.index.as_ref()).collect();
    index_columns(&out, &names, &indexes)?;
    out.put(
        "too_small",
        table.rows.iter().map(|r| r.row.too_small).collect(),
    )?;
    let rest: Vec<_> = table.rows.iter().map(|r| r.row.vs_rest.as_ref()).collect();
    out.vs_rest(&rest)?;
    if reference.is_some() {
        let refs: Vec<_> = table
            .rows
            .iter()
            .map(|r| r.row.vs_reference.as_ref())
            .collect();
        out.vs_reference(&refs)?;
    }
    Ok(out.dict)
}

/// Trend table columns of the CX index: groups (dense `codes`, or all zero) × periods.
#[pyfunction]
#[pyo3(signature = (answers, names, codes, n_groups, period_codes, n_periods, *, weights, scales, require_all, method, dim_weights, bands, level, alpha, adjust, min_base, window))]
#[allow(clippy::too_many_arguments)]
pub fn _cx_trend_table<'py>(
    py: Python<'py>,
    answers: &Bound<'py, PyAny>,
    names: Vec<String>,
    codes: PyReadonlyArray1<'py, u32>,
    n_groups: usize,
    period_codes: PyReadonlyArray1<'py, u32>,
    n_periods: usize,
    weights: Option<&Bound<'py, PyAny>>,
    scales: Option<&Bound<'py, PyAny>>,
    require_all: bool,
    method: &str,
    dim_weights: Option<&Bound<'py, PyAny>>,
    bands: Option<Vec<f64>>,
    level: f64,
    alpha: f64,
    adjust: &str,
    min_base: u64,
    window: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    check_names(&names)?;
    let dims = dimensions(&names, scales)?;
    let options = CxTrendOptions {
        index: options(&dims, method, dim_weights, bands, level)?,
        alpha,
        adjust: adjust.parse::<Adjust>().py()?,
        min_base,
        window,
    };
    let slots = n_periods + 1;
    let combined = crate::segments::trend_codes(py, &codes, &period_codes, n_periods)?;
    let grouped = with_answers(
        py,
        answers,
        weights,
        GroupedOf {
            dims,
            require_all,
            codes: &combined,
            n_groups: n_groups * slots,
        },
    )?;
    let mut group_col = Vec::new();
    let mut rows = Vec::new();
    py.guarded(|| -> cx_core::Result<()> {
        for g in 0..n_groups {
            let periods = &grouped.groups()[g * slots..g * slots + n_periods];
            for r in cx_core::cx_trend(periods, &options)? {
                group_col.push(g);
                rows.push(r);
            }
        }
        Ok(())
    })
    .py()?;
    let out = Columns::new(py);
    out.put("group", group_col)?;
    out.put("period_code", rows.iter().map(|r| r.row.period).collect())?;
    let summaries: Vec<Option<&GroupSummary>> = rows.iter().map(|r| Some(&r.row.summary)).collect();
    out.summary("", &summaries)?;
    let indexes: Vec<Option<&cx_core::CxIndex>> = rows.iter().map(|r| r.index.as_ref()).collect();
    index_columns(&out, &names, &indexes)?;
    out.put("too_small", rows.iter().map(|r| r.row.too_small).collect())?;
    let changes: Vec<_> = rows.iter().map(|r| r.row.change.as_ref()).collect();
    out.change(&changes)?;
    if window.is_some() {
        let rolled: Vec<Option<&GroupSummary>> = rows
            .iter()
            .map(|r| r.row.rolling.as_ref().map(|x| &x.summary))
            .collect();
        out.summary("rolling_", &rolled)?;
    }
    out.dict.set_item(
        "excluded",
        (0..n_groups)
            .map(|g| {
                grouped.group(g * slots + n_periods).n()
                    + grouped.group(g * slots + n_periods).missing()
            })
            .collect::<Vec<u64>>(),
    )?;
    Ok(out.dict)
}
