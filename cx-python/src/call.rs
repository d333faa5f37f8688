//! The generic entry point: `_cxkit.call(name, inputs, options)` runs any entry point of the
//! core's contract (`cx_core::api`), and the record helpers give result classes their JSON and
//! text forms.
//!
//! Inputs arrive as numpy arrays (read in place; the Python layer, `cxkit/_call.py`, has made
//! every other array-like one) or summary objects; options as plain Python values, which
//! become `cx_core::api::Value`s for the core to parse. The core runs with the GIL released;
//! its output comes back as `(kind, name, payload)`.

use cx_core::api::{
    self, Args, ColumnData, ColumnSet, Input, KeyColumn, KeyValue, Kind, Numbers, Options, Output,
    Param, Record, Returns, Summary, Table, Value,
};
use numpy::PyReadonlyArray1;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::activity::PyActivity;
use crate::balance::PyResponseCurve;
use crate::clv::{PyBgNbdFit, PyGammaGammaFit, PySbgFit};
use crate::cx_index::PyCxSummary;
use crate::errors::{to_py_err, Guarded, IntoPyResult};
use crate::loyalty::PyJointTally;
use crate::tally::PyTally;

/// A one-dimensional numpy array of a dtype the core reads in place.
#[derive(FromPyObject)]
pub enum Array<'py> {
    U8(PyReadonlyArray1<'py, u8>),
    I8(PyReadonlyArray1<'py, i8>),
    U16(PyReadonlyArray1<'py, u16>),
    I16(PyReadonlyArray1<'py, i16>),
    U32(PyReadonlyArray1<'py, u32>),
    I32(PyReadonlyArray1<'py, i32>),
    U64(PyReadonlyArray1<'py, u64>),
    I64(PyReadonlyArray1<'py, i64>),
    F32(PyReadonlyArray1<'py, f32>),
    F64(PyReadonlyArray1<'py, f64>),
}

/// An input as read from Python: the borrow of the caller's array or object lives here while
/// the core reads it.
pub(crate) enum Held<'py> {
    Array(Array<'py>),
    Tally(PyRef<'py, PyTally>),
    /// A transaction log's summary, read in place of the log.
    Activity(PyRef<'py, PyActivity>),
    /// Key columns: integer arrays, or codes factorized in Python with the key of each code.
    Keys(Vec<(Array<'py>, Option<Vec<KeyValue>>)>),
    /// A joint tally given where an outcome column is taken.
    Joint(Bound<'py, PyJointTally>),
    /// Columns (`cxkit/_call.py` hands them in as `(several, [(name, column), ...])`).
    ColumnSet(bool, Vec<(Option<String>, Held<'py>)>),
    /// Named columns (a dict of numpy arrays, in its order).
    Columns(Vec<(String, Array<'py>)>),
    /// A CX summary given for the answers.
    CxSummary(PyRef<'py, PyCxSummary>),
}

/// A column with its name, if it has one, as `cxkit/_call.py` hands it in.
type Named<'py> = (Option<String>, Bound<'py, PyAny>);

fn type_error(name: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "{name} must be a one-dimensional numeric numpy array, not {}",
        obj.get_type()
            .name()
            .map_or_else(|_| "?".to_string(), |n| n.to_string())
    ))
}

/// A Python key (a code's label) as the core reads it: None and NaN are missing, numbers are
/// numbers, anything else is its text.
fn key_value(obj: &Bound<'_, PyAny>) -> PyResult<KeyValue> {
    if obj.is_none() {
        return Ok(KeyValue::Missing);
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(KeyValue::Str(obj.extract()?));
    }
    if !obj.is_instance_of::<PyBool>() {
        if let Ok(x) = obj.extract::<f64>() {
            return Ok(KeyValue::Num(x));
        }
    }
    Ok(KeyValue::Str(obj.str()?.to_string()))
}

impl<'py> Held<'py> {
    pub(crate) fn read(param: &Param, obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        if param.kind == Kind::Keys {
            let columns = obj.cast::<PyList>()?;
            let mut keys = Vec::with_capacity(columns.len());
            for c in columns.iter() {
                keys.push(match c.cast::<PyTuple>() {
                    Ok(t) => {
                        let labels = t.get_item(1)?;
                        let labels = labels
                            .try_iter()?
                            .map(|l| key_value(&l?))
                            .collect::<PyResult<Vec<_>>>()?;
                        (t.get_item(0)?.extract()?, Some(labels))
                    }
                    Err(_) => (c.extract().map_err(|_| type_error(param.name, &c))?, None),
                });
            }
            return Ok(Held::Keys(keys));
        }
        if param.kind == Kind::ColumnSet {
            let (several, items): (bool, Vec<Named<'py>>) = obj.extract()?;
            let column = Param {
                kind: Kind::Numbers,
                ..*param
            };
            let items = items
                .iter()
                .map(|(name, item)| Ok((name.clone(), Held::read(&column, item)?)))
                .collect::<PyResult<_>>()?;
            return Ok(Held::ColumnSet(several, items));
        }
        if let Ok(j) = obj.cast::<PyJointTally>() {
            return Ok(Held::Joint(j.clone()));
        }
        if let Ok(t) = obj.cast::<PyTally>() {
            return Ok(Held::Tally(t.borrow()));
        }
        if let Ok(s) = obj.cast::<PyCxSummary>() {
            return Ok(Held::CxSummary(s.borrow()));
        }
        if matches!(param.kind, Kind::Columns | Kind::Dimensions) {
            return columns(param.name, obj).map(Held::Columns);
        }
        if let Ok(a) = obj.cast::<PyActivity>() {
            return Ok(Held::Activity(a.borrow()));
        }
        obj.extract()
            .map(Held::Array)
            .map_err(|_| type_error(param.name, obj))
    }

    pub(crate) fn input(&self) -> PyResult<Input<'_>> {
        Ok(match self {
            Held::Array(a) => Input::Numbers(numbers(a)?),
            Held::Tally(t) => Input::Tally(&t.inner),
            Held::Joint(j) => Input::Object(&j.get().inner),
            Held::ColumnSet(several, items) => Input::ColumnSet(ColumnSet {
                items: items
                    .iter()
                    .map(|(name, h)| Ok((name.clone(), h.input()?)))
                    .collect::<PyResult<_>>()?,
                several: *several,
            }),
            Held::CxSummary(s) => Input::Object(&s.inner),
            Held::Columns(c) => Input::Columns(
                c.iter()
                    .map(|(name, a)| Ok((name.clone(), numbers(a)?)))
                    .collect::<PyResult<_>>()?,
            ),
            Held::Activity(a) => Input::Object(&a.inner),
            Held::Keys(columns) => Input::Keys(
                columns
                    .iter()
                    .map(|(a, labels)| {
                        Ok(match (numbers(a)?, labels) {
                            (Numbers::U32(codes), Some(labels)) => KeyColumn::Codes {
                                codes,
                                labels: labels.clone(),
                            },
                            (n, _) => KeyColumn::Ints(n),
                        })
                    })
                    .collect::<PyResult<_>>()?,
            ),
        })
    }
}

/// Named columns: a dict of one-dimensional numpy arrays (`cxkit/_call.py` made them so).
pub fn columns<'py>(name: &str, obj: &Bound<'py, PyAny>) -> PyResult<Vec<(String, Array<'py>)>> {
    let dict = obj.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name} must be a dict of one-dimensional numpy arrays"
        ))
    })?;
    dict.iter()
        .map(|(k, v)| {
            let array = v.extract().map_err(|_| type_error(name, &v))?;
            Ok((k.str()?.to_string(), array))
        })
        .collect()
}

/// The slice of a numpy array (contiguous: `cxkit/_call.py` made it so).
pub fn numbers<'a>(a: &'a Array<'_>) -> PyResult<Numbers<'a>> {
    macro_rules! slice {
        ($($v:ident),*) => {
            match a {
                $(Array::$v(a) => Numbers::$v(
                    a.as_slice().map_err(|e| PyValueError::new_err(e.to_string()))?,
                ),)*
            }
        };
    }
    Ok(slice!(U8, I8, U16, I16, U32, I32, U64, I64, F32, F64))
}

/// A Python value as an option value for the core to parse.
pub fn value_of(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(match obj.extract::<i128>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Num(obj.extract::<f64>()?),
        });
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Value::Num(f.value()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::Str(s.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj
            .try_iter()?
            .map(|x| value_of(&x?))
            .collect::<PyResult<_>>()
            .map(Value::List);
    }
    if let Ok(s) = obj.cast::<crate::tally::PyScale>() {
        let s = s.get().inner;
        let point = |x: i32| Value::Int(i128::from(x));
        return Ok(Value::Map(vec![
            ("lowest".into(), point(s.lowest())),
            ("highest".into(), point(s.highest())),
            ("top_box_min".into(), point(s.top_box_min())),
            ("bottom_box_max".into(), point(s.bottom_box_max())),
        ]));
    }
    if let Ok(c) = obj.cast::<PyResponseCurve>() {
        let c = c.get().inner;
        return Ok(Value::Map(vec![
            ("ceiling".into(), Value::Num(c.ceiling)),
            ("k".into(), Value::Num(c.k)),
        ]));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return d
            .iter()
            .map(|(k, v)| Ok((k.str()?.to_string(), value_of(&v)?)))
            .collect::<PyResult<_>>()
            .map(Value::Map);
    }
    // numpy scalars and other numbers
    if obj.hasattr("__index__")? {
        return Ok(Value::Int(obj.call_method0("__index__")?.extract()?));
    }
    if let Ok(x) = obj.extract::<f64>() {
        return Ok(Value::Num(x));
    }
    Ok(Value::Other(format!(
        "a value of type {}",
        obj.get_type().name()?
    )))
}

/// The options of type `O` from keyword arguments (name -> plain value), parsed by the core.
pub(crate) fn options_of<O: Options>(given: Option<&Bound<'_, PyDict>>) -> PyResult<O> {
    let mut values = Vec::new();
    for (k, v) in given.into_iter().flatten() {
        values.push((k.extract::<String>()?, value_of(&v)?));
    }
    O::parse(values.iter().map(|(k, v)| (k.as_str(), v))).py()
}

/// The inputs of `dict` (name -> numpy array, key columns, summary object) read by `kinds`.
pub(crate) fn held<'py>(
    inputs: &Bound<'py, PyDict>,
    kinds: &[(&'static str, Kind)],
) -> PyResult<Vec<(&'static str, Held<'py>)>> {
    let mut out = Vec::new();
    for &(name, kind) in kinds {
        if let Some(obj) = inputs.get_item(name)? {
            if !obj.is_none() {
                let param = Param {
                    name,
                    kind,
                    positional: false,
                    required: false,
                    doc: "",
                    aliases: &[],
                    column: None,
                };
                out.push((name, Held::read(&param, &obj)?));
            }
        }
    }
    Ok(out)
}

/// Run the core entry point `name` on `inputs` (name -> numpy array or summary object) and
/// `options` (name -> plain value); returns `(kind, name, payload)`.
#[pyfunction]
pub fn call<'py>(
    py: Python<'py>,
    name: &str,
    inputs: &Bound<'py, PyDict>,
    options: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    let entry = api::entry(name)
        .ok_or_else(|| PyValueError::new_err(format!("no cxkit entry point {name:?}")))?;
    let mut held: Vec<(&'static str, Held)> = Vec::new();
    for (key, obj) in inputs.iter() {
        let key: String = key.extract()?;
        let param = entry
            .params
            .iter()
            .find(|p| p.name == key)
            .ok_or_else(|| PyValueError::new_err(format!("{name} has no input {key:?}")))?;
        held.push((param.name, Held::read(param, &obj)?));
    }
    let mut args = Args::new();
    for (key, h) in &held {
        args.input(key, h.input()?);
    }
    for (key, obj) in options.iter() {
        args.option(key.extract::<String>()?, value_of(&obj)?);
    }
    let out = py.guarded(|| entry.call(&args)).py()?;
    if let (Returns::Frame { .. }, Output::Record(r)) = (entry.returns, &out) {
        if let Some(t) = api::frame(r) {
            return ("frame", t.spec.name, table(py, &t)?).into_bound_py_any(py);
        }
    }
    output(py, out)
}

/// A core output as `(kind, name, payload)`; a summary, a fitted model or a response curve
/// comes back as its class (`"summary"`), a number as a float (`"value"`).
pub fn output<'py>(py: Python<'py>, out: Output) -> PyResult<Bound<'py, PyAny>> {
    match out {
        Output::Record(Record::SbgFit(f)) => {
            ("summary", "SbgFit", PySbgFit::from(f)).into_bound_py_any(py)
        }
        Output::Record(Record::BgNbdFit(f)) => {
            ("summary", "BgNbdFit", PyBgNbdFit::from(f)).into_bound_py_any(py)
        }
        Output::Record(Record::GammaGammaFit(f)) => {
            ("summary", "GammaGammaFit", PyGammaGammaFit::from(f)).into_bound_py_any(py)
        }
        Output::Record(Record::ResponseCurve(c)) => {
            ("summary", "ResponseCurve", PyResponseCurve::from(c)).into_bound_py_any(py)
        }
        Output::Number(x) => ("value", "float", x).into_bound_py_any(py),
        Output::Record(r) => ("record", r.type_name(), record_dict(py, &r)?).into_bound_py_any(py),
        Output::Table(t) => ("table", t.spec.name, table(py, &t)?).into_bound_py_any(py),
        Output::Summary(Summary::JointTally(j)) => {
            ("summary", "JointTally", PyJointTally::from(j)).into_bound_py_any(py)
        }
        Output::Summary(Summary::Activity(a)) => {
            ("summary", "Activity", PyActivity::from(a)).into_bound_py_any(py)
        }
        Output::Summary(other) => Err(PyValueError::new_err(format!(
            "no Python class for {}",
            other.type_name()
        ))),
    }
}

/// A table as a dict: `columns` (name -> list, in schema order), `attrs` and `groups` (each
/// group's key codes and keys), for `cxkit/_call.py` to render as a DataFrame.
pub fn table<'py>(py: Python<'py>, t: &Table) -> PyResult<Bound<'py, PyDict>> {
    let columns = PyDict::new(py);
    for (name, data) in &t.columns {
        let list = match data {
            ColumnData::Number(v) => v.into_bound_py_any(py)?,
            ColumnData::Count(v) => v.into_bound_py_any(py)?,
            ColumnData::Bool(v) => v.into_bound_py_any(py)?,
            ColumnData::Text(v) => v.into_bound_py_any(py)?,
            ColumnData::Day(v) => v.into_bound_py_any(py)?,
            ColumnData::Group(v) => v.into_bound_py_any(py)?,
            ColumnData::Integer(v) => v.into_bound_py_any(py)?,
            ColumnData::Named { names, rows } => {
                let by_name = PyDict::new(py);
                for (k, n) in names.iter().enumerate() {
                    let values: Vec<Option<f64>> = rows.iter().map(|r| r[k]).collect();
                    by_name.set_item(n, values)?;
                }
                by_name.into_any()
            }
        };
        columns.set_item(name, list)?;
    }
    let out = PyDict::new(py);
    out.set_item("columns", columns)?;
    out.set_item("attrs", t.attrs.clone().into_iter().collect::<Vec<_>>())?;
    if let Some(g) = &t.groups {
        let keys = PyList::empty(py);
        for k in &g.keys {
            keys.append(crate::segments::key_tuple(py, k)?)?;
        }
        out.set_item("column_codes", &g.column_codes)?;
        out.set_item("keys", keys)?;
    }
    Ok(out)
}

/// A result struct as a dict (field order kept).
pub fn record_dict<'py>(py: Python<'py>, r: &Record) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, r).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The core result of type `type_name` from its dict.
fn record_of(type_name: &str, data: &Bound<'_, PyAny>) -> PyResult<Record> {
    let mut de = pythonize::Depythonizer::from_object(data);
    Record::deserialize_as(type_name, &mut de).map_err(|e| {
        to_py_err(cx_core::CxError::UnreadableSummary {
            reason: e.to_string(),
        })
    })
}

/// JSON text of a result dict of type `type_name` (the serde form shared with Rust and Node).
#[pyfunction]
pub fn record_json(type_name: &str, data: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(record_of(type_name, data)?.to_json())
}

/// The dict of a result of type `type_name` from its JSON text.
#[pyfunction]
pub fn record_from_json<'py>(
    py: Python<'py>,
    type_name: &str,
    text: &str,
) -> PyResult<Bound<'py, PyAny>> {
    record_dict(py, &Record::from_json(type_name, text).py()?)
}

/// The core's text form (`Display`) of a result dict of type `type_name`.
#[pyfunction]
pub fn record_display(type_name: &str, data: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(record_of(type_name, data)?.to_string())
}

/// The core's contract as JSON: entry points, options, defaults, choices, tables, errors.
#[pyfunction]
pub fn contract() -> String {
    api::contract_json()
}

/// Add the generic entry and the record helpers to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(record_json, m)?)?;
    m.add_function(wrap_pyfunction!(record_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(record_display, m)?)?;
    m.add_function(wrap_pyfunction!(contract, m)?)?;
    Ok(())
}
