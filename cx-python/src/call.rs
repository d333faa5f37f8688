//! The generic entry point: `_cxkit.call(name, inputs, options)` runs any entry point of the
//! core's contract (`cx_core::api`), and the record helpers give result classes their JSON and
//! text forms.
//!
//! Inputs arrive as numpy arrays (read in place; the Python layer, `cxkit/_call.py`, has made
//! every other array-like one) or summary objects; options as plain Python values, which
//! become `cx_core::api::Value`s for the core to parse. The core runs with the GIL released;
//! its output comes back as `(kind, name, payload)`.

use cx_core::api::{self, Args, Input, Numbers, Output, Record, Value};
use numpy::PyReadonlyArray1;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::errors::{to_py_err, Guarded, IntoPyResult};
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
enum Held<'py> {
    Array(Array<'py>),
    Tally(PyRef<'py, PyTally>),
}

impl<'py> Held<'py> {
    fn read(name: &str, obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        if let Ok(t) = obj.cast::<PyTally>() {
            return Ok(Held::Tally(t.borrow()));
        }
        obj.extract().map(Held::Array).map_err(|_| {
            PyTypeError::new_err(format!(
                "{name} must be a one-dimensional numeric numpy array, not {}",
                obj.get_type()
                    .name()
                    .map_or_else(|_| "?".to_string(), |n| n.to_string())
            ))
        })
    }

    fn input(&self) -> PyResult<Input<'_>> {
        macro_rules! slice {
            ($($v:ident),*) => {
                match self {
                    $(Held::Array(Array::$v(a)) => Input::Numbers(Numbers::$v(
                        a.as_slice().map_err(|e| PyValueError::new_err(e.to_string()))?,
                    )),)*
                    Held::Tally(t) => Input::Tally(&t.inner),
                }
            };
        }
        Ok(slice!(U8, I8, U16, I16, U32, I32, U64, I64, F32, F64))
    }
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
    Err(PyTypeError::new_err(format!(
        "unsupported option value of type {}",
        obj.get_type().name()?
    )))
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
        held.push((param.name, Held::read(param.name, &obj)?));
    }
    let mut args = Args::new();
    for (key, h) in &held {
        args.input(key, h.input()?);
    }
    for (key, obj) in options.iter() {
        args.option(key.extract::<String>()?, value_of(&obj)?);
    }
    let out = py.guarded(|| entry.call(&args)).py()?;
    output(py, out)
}

/// A core output as `(kind, name, payload)`.
pub fn output<'py>(py: Python<'py>, out: Output) -> PyResult<Bound<'py, PyAny>> {
    match out {
        Output::Record(r) => ("record", r.type_name(), record_dict(py, &r)?).into_bound_py_any(py),
        Output::Table(t) => Err(PyValueError::new_err(format!(
            "table {} not supported yet",
            t.spec.name
        ))),
    }
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
