//! Grouped summaries for `cxkit.nps_by` and friends: the Python layer (`cxkit/_by.py`)
//! factorizes keys and dates with the caller's DataFrame library, these functions build one
//! grouped tally in one pass (GIL released) and return the table as columns.

use cx_core::grouping::{combine, Key};
use cx_core::period::{Freq, Periods};
use cx_core::{
    Adjust, Comparison, GroupCode, GroupSummary, GroupedTally, Metric, NpsMethod, NpsOptions,
    ProportionMethod, ProportionOptions, Scale, SegmentOptions, Segments,
};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::errors::{to_py_err, Guarded, IntoPyResult};
use crate::input::ValuesVisitor;

/// The metric named by the Python function (`nps`, `top_box`, `bottom_box`, `mean`).
fn metric_of(name: &str, level: f64, method: &str, resamples: u32, seed: u64) -> PyResult<Metric> {
    Ok(match name {
        "nps" => Metric::Nps(NpsOptions {
            level,
            method: method.parse::<NpsMethod>().py()?,
            resamples,
            seed,
        }),
        "top_box" | "bottom_box" => {
            let o = ProportionOptions {
                level,
                method: method.parse::<ProportionMethod>().py()?,
            };
            if name == "top_box" {
                Metric::TopBox(o)
            } else {
                Metric::BottomBox(o)
            }
        }
        _ => Metric::Mean { level },
    })
}

/// Build a [`GroupedTally`] over dense codes.
pub(crate) struct GroupedOf<'a, C> {
    pub(crate) scale: Scale,
    pub(crate) codes: &'a [C],
    pub(crate) lowest_key: i64,
    pub(crate) n_groups: usize,
}

impl<C: GroupCode> ValuesVisitor for GroupedOf<'_, C> {
    type Out = GroupedTally;
    fn visit<T: cx_core::Rating>(
        &self,
        values: &[T],
        weights: Option<&[f64]>,
    ) -> cx_core::Result<GroupedTally> {
        GroupedTally::from_keys(
            self.scale,
            self.codes,
            self.lowest_key,
            self.n_groups,
            values,
            weights,
        )
    }
}

/// Column builder: every column is a list of the same length.
pub(crate) struct Columns<'py> {
    pub(crate) dict: Bound<'py, PyDict>,
}

impl<'py> Columns<'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        Columns {
            dict: PyDict::new(py),
        }
    }

    pub(crate) fn put<T: IntoPyObject<'py> + Clone>(
        &self,
        name: &str,
        values: Vec<T>,
    ) -> PyResult<()> {
        self.dict.set_item(name, values)
    }

    /// Summary columns; `None` rows (e.g. incomplete rolling windows) give `None` everywhere.
    pub(crate) fn summary(&self, prefix: &str, rows: &[Option<&GroupSummary>]) -> PyResult<()> {
        let col = |f: fn(&GroupSummary) -> Option<f64>| {
            rows.iter().map(|s| s.and_then(f)).collect::<Vec<_>>()
        };
        let p = |name: &str| format!("{prefix}{name}");
        self.put(&p("n"), rows.iter().map(|s| s.map(|s| s.n)).collect())?;
        if prefix.is_empty() {
            self.put("effective_n", col(|s| Some(s.effective_n)))?;
            self.put(
                "missing",
                rows.iter().map(|s| s.map(|s| s.missing)).collect(),
            )?;
        }
        self.put(&p("estimate"), col(|s| s.estimate))?;
        if prefix.is_empty() {
            self.put("std_error", col(|s| s.std_error))?;
        }
        self.put(&p("lower"), col(|s| s.interval.map(|i| i.lower)))?;
        self.put(&p("upper"), col(|s| s.interval.map(|i| i.upper)))?;
        Ok(())
    }

    /// Each group against the rest: `diff_vs_rest`, ..., `significant`.
    pub(crate) fn vs_rest(&self, rows: &[Option<&Comparison>]) -> PyResult<()> {
        self.comparison(
            [
                "diff_vs_rest",
                "se_vs_rest",
                "lower_vs_rest",
                "upper_vs_rest",
                "p_vs_rest",
                "p_adj_vs_rest",
                "significant",
            ],
            rows,
        )
    }

    /// Each group against the reference group: `diff_vs_reference`, ... (no interval).
    pub(crate) fn vs_reference(&self, rows: &[Option<&Comparison>]) -> PyResult<()> {
        self.comparison(
            [
                "diff_vs_reference",
                "se_vs_reference",
                "",
                "",
                "p_vs_reference",
                "p_adj_vs_reference",
                "significant_vs_reference",
            ],
            rows,
        )
    }

    /// Each period against the one before: `change`, `se_change`, ... (no interval).
    pub(crate) fn change(&self, rows: &[Option<&Comparison>]) -> PyResult<()> {
        self.comparison(
            [
                "change",
                "se_change",
                "",
                "",
                "p_change",
                "p_adj_change",
                "significant_change",
            ],
            rows,
        )
    }

    /// Comparison columns named `{diff}`, `se_{suffix}`, ... (`suffix` like `vs_rest`).
    fn comparison(&self, names: [&str; 7], rows: &[Option<&Comparison>]) -> PyResult<()> {
        let col = |f: fn(&Comparison) -> f64| rows.iter().map(|c| c.map(f)).collect::<Vec<_>>();
        let [diff, se, lower, upper, p, p_adj, significant] = names;
        self.put(diff, col(|c| c.difference))?;
        self.put(se, col(|c| c.std_error))?;
        if !lower.is_empty() {
            self.put(lower, col(|c| c.interval.lower))?;
            self.put(upper, col(|c| c.interval.upper))?;
        }
        self.put(p, col(|c| c.p_value))?;
        self.put(p_adj, col(|c| c.p_adjusted))?;
        self.put(
            significant,
            rows.iter().map(|c| c.map(|c| c.significant)).collect(),
        )?;
        Ok(())
    }
}

/// Every column of a segment table but the group keys.
fn segment_columns(out: &Columns<'_>, table: &Segments, reference: bool) -> PyResult<()> {
    let summaries: Vec<Option<&GroupSummary>> =
        table.rows.iter().map(|r| Some(&r.summary)).collect();
    out.summary("", &summaries)?;
    out.put(
        "too_small",
        table.rows.iter().map(|r| r.too_small).collect(),
    )?;
    let rest: Vec<Option<&Comparison>> = table.rows.iter().map(|r| r.vs_rest.as_ref()).collect();
    out.vs_rest(&rest)?;
    if reference {
        let refs: Vec<Option<&Comparison>> =
            table.rows.iter().map(|r| r.vs_reference.as_ref()).collect();
        out.vs_reference(&refs)?;
    }
    Ok(())
}

/// The segment table of a keyed tally (`cxkit.KeyedTally.segments`): columns, with the group
/// labels as a list of tuples under `"keys"`.
#[allow(clippy::too_many_arguments)]
pub fn keyed_segment_table<'py>(
    py: Python<'py>,
    keyed: &cx_core::KeyedTally,
    metric: &str,
    level: f64,
    method: &str,
    resamples: u32,
    seed: u64,
    alpha: f64,
    adjust: &str,
    min_base: u64,
    reference: Option<Vec<Key>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (grouped, keys) = keyed.to_grouped();
    let reference = match reference {
        None => None,
        Some(r) => Some(keys.iter().position(|k| *k == r).ok_or_else(|| {
            to_py_err(cx_core::CxError::UnknownGroup {
                name: format!("{r:?}"),
                groups: keys.len(),
            })
        })?),
    };
    let options = SegmentOptions {
        metric: metric_of(metric, level, method, resamples, seed)?,
        alpha,
        adjust: adjust.parse::<Adjust>().py()?,
        min_base,
        reference,
    };
    let table = py.guarded(|| cx_core::segments(&grouped, &options)).py()?;
    let out = Columns::new(py);
    let labels: Vec<Bound<'py, PyTuple>> = table
        .rows
        .iter()
        .map(|r| key_tuple(py, &keys[r.group]))
        .collect::<PyResult<_>>()?;
    out.dict.set_item("keys", labels)?;
    segment_columns(&out, &table, reference.is_some())?;
    Ok(out.dict)
}

/// A label tuple as Python values (ints, strings, None for missing).
pub fn key_tuple<'py>(py: Python<'py>, key: &[Key]) -> PyResult<Bound<'py, PyTuple>> {
    let items: Vec<Bound<'py, PyAny>> = key
        .iter()
        .map(|k| match k {
            Key::Int(i) => i.into_bound_py_any(py),
            Key::Str(s) => s.into_bound_py_any(py),
            Key::Missing => Ok(py.None().into_bound(py)),
        })
        .collect::<PyResult<_>>()?;
    PyTuple::new(py, items)
}

/// A Python label (int, bool, str, None or NaN for missing, anything else as its `str`) as a key.
pub fn key_of_py(obj: &Bound<'_, PyAny>) -> PyResult<Key> {
    if obj.is_none() {
        return Ok(Key::Missing);
    }
    if let Ok(f) = obj.extract::<f64>() {
        if f.is_nan() && !obj.is_instance_of::<pyo3::types::PyInt>() {
            return Ok(Key::Missing);
        }
    }
    if obj.is_instance_of::<pyo3::types::PyString>() {
        return Ok(Key::Str(obj.extract()?));
    }
    if let Ok(i) = obj.extract::<i64>() {
        if !obj.is_instance_of::<pyo3::types::PyFloat>() {
            return Ok(Key::Int(i));
        }
    }
    Ok(Key::Str(obj.str()?.to_string()))
}

/// The codes of a trend table's (group, period) cells: `group * (n_periods + 1) + period`,
/// one slot past the last period holding the rows with a missing date.
pub(crate) fn trend_codes(
    py: Python<'_>,
    codes: &PyReadonlyArray1<'_, u32>,
    period_codes: &PyReadonlyArray1<'_, u32>,
    n_periods: usize,
) -> PyResult<Vec<u32>> {
    let (codes, periods) = (codes.as_slice()?, period_codes.as_slice()?);
    if codes.len() != periods.len() {
        return Err(to_py_err(cx_core::CxError::LengthMismatch {
            left_name: "groups",
            left: codes.len(),
            right_name: "dates",
            right: periods.len(),
        }));
    }
    let slots = n_periods as u32 + 1;
    py.guarded(|| {
        codes
            .iter()
            .zip(periods)
            .map(|(&g, &p)| g * slots + p.min(n_periods as u32))
            .collect()
    })
}

/// Period codes of dates given as days since 1970-01-01 (`i64::MIN` = missing):
/// `(codes, n_periods, labels, start_days, missing)`.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn _periods<'py>(
    py: Python<'py>,
    days: PyReadonlyArray1<'py, i64>,
    freq: &str,
) -> PyResult<(Bound<'py, PyArray1<u32>>, usize, Vec<String>, Vec<i64>, u64)> {
    let freq = freq.parse::<Freq>().py()?;
    let days = days.as_slice()?;
    let p = py.guarded(|| Periods::from_days(days, freq)).py()?;
    let labels = (0..p.n_periods).map(|c| p.label(c)).collect();
    let starts = (0..p.n_periods).map(|c| p.start(c)).collect();
    let (n, missing) = (p.n_periods, p.missing);
    Ok((p.codes.into_pyarray(py), n, labels, starts, missing))
}

/// Combine several dense code columns: `(codes, keys)` with one tuple of column codes per group.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn _combine<'py>(
    py: Python<'py>,
    columns: Vec<PyReadonlyArray1<'py, u32>>,
    cardinalities: Vec<usize>,
) -> PyResult<(Bound<'py, PyArray1<u32>>, Vec<Vec<u32>>)> {
    let slices: Vec<&[u32]> = columns
        .iter()
        .map(|c| c.as_slice())
        .collect::<Result<_, _>>()?;
    let g = py.guarded(|| combine(&slices, &cardinalities)).py()?;
    Ok((g.codes.into_pyarray(py), g.keys))
}

/// Raise `cxkit.UnknownGroupError` for a reference label that is not among the groups.
#[pyfunction]
pub fn _unknown_group(name: String, groups: usize) -> PyResult<()> {
    Err(to_py_err(cx_core::CxError::UnknownGroup { name, groups }))
}

/// Raise `cxkit.InvalidArgumentError` (for argument checks made in the Python layer).
#[pyfunction]
pub fn _invalid_argument(name: String, value: String, expected: String) -> PyResult<()> {
    // The core error names parameters with static strings; leak-free by matching known names.
    let name: &'static str = match name.as_str() {
        "scale" => "scale",
        "by" => "by",
        "period" => "period",
        "dims" => "dims",
        _ => "argument",
    };
    Err(to_py_err(cx_core::CxError::InvalidArgument {
        name,
        value,
        expected,
    }))
}

/// Raise `cxkit.LengthMismatchError` for inputs of different lengths checked in Python.
#[pyfunction]
pub fn _length_mismatch(
    left_name: String,
    left: usize,
    right_name: String,
    right: usize,
) -> PyResult<()> {
    let err = cx_core::CxError::LengthMismatch {
        left_name: "values",
        left,
        right_name: "keys or dates",
        right,
    };
    let py_err = to_py_err(err);
    Python::attach(|py| {
        let v = py_err.value(py);
        v.setattr("left_name", left_name)?;
        v.setattr("right_name", right_name)
    })?;
    Err(py_err)
}

/// An integer numpy array accepted as group keys.
#[derive(FromPyObject)]
pub enum IntKeys<'py> {
    I8(PyReadonlyArray1<'py, i8>),
    U8(PyReadonlyArray1<'py, u8>),
    I16(PyReadonlyArray1<'py, i16>),
    U16(PyReadonlyArray1<'py, u16>),
    I32(PyReadonlyArray1<'py, i32>),
    U32(PyReadonlyArray1<'py, u32>),
    I64(PyReadonlyArray1<'py, i64>),
}

/// Dense codes and sorted labels of integer keys (the fast path of `nps_by` on integer keys).
#[pyfunction]
pub fn _factorize_ints<'py>(
    py: Python<'py>,
    keys: IntKeys<'py>,
) -> PyResult<(Bound<'py, PyArray1<u32>>, Vec<i64>)> {
    macro_rules! go {
        ($a:expr) => {{
            let owned;
            let s = match $a.as_slice() {
                Ok(s) => s,
                Err(_) => {
                    owned = $a.as_array().to_vec();
                    owned.as_slice()
                }
            };
            py.guarded(|| cx_core::grouping::factorize_ints(s))?
        }};
    }
    let (codes, labels) = match keys {
        IntKeys::I8(a) => go!(a),
        IntKeys::U8(a) => go!(a),
        IntKeys::I16(a) => go!(a),
        IntKeys::U16(a) => go!(a),
        IntKeys::I32(a) => go!(a),
        IntKeys::U32(a) => go!(a),
        IntKeys::I64(a) => go!(a),
    };
    Ok((codes.into_pyarray(py), labels))
}
