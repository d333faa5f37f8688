//! The generic entry point: `call(name, args)` runs any entry point of the core's contract
//! (`cx_core::api`); `index.js` defines one JavaScript function per entry point over it, named
//! in camelCase (`npsBy` for `nps_by`).
//!
//! Positional arguments are read by the kind the contract declares (ratings as a `number[]`,
//! a typed array read in place, or a `Tally`); the last argument is the options object, whose
//! camelCase keys name the remaining inputs (`weights`, ...) and the options, which the core
//! parses. Results come back as plain objects with camelCase keys.

use cx_core::api::{
    self, group_label, Args, ColumnData, ColumnSet, DateColumn, DateValue, Input, KeyColumn,
    KeyValue, Kind, Numbers, Output, Param, Summary, Table, Value,
};
use cx_core::grouping::Key;
use cx_core::Freq;
use napi::bindgen_prelude::{
    Array, ClassInstance, Either, Either5, Float32ArraySlice, Float64ArraySlice,
    JavaScriptClassExt, JsObjectValue, Object, Property, PropertyAttributes, Unknown,
};
use napi::{Env, JsValue, Result, ValueType};
use napi_derive::napi;

use crate::activity::ActivitySummary;
use crate::camel::{camel_case, snake_case, Camel};
use crate::clv::{BgNbdFit, GammaGammaFit, SbgFit};
use crate::cx_index::CxSummary;
use crate::error::{internal_error, OrThrow};
use crate::input::RawValues;
use crate::joint::JointTally;
use crate::tally::Tally;

/// An input as read from JavaScript: typed arrays borrowed in place, `number[]` copied once.
pub(crate) enum Held<'env> {
    Keys(Vec<KeyColumn<'static>>),
    Dates(Vec<DateValue>),
    F64(Float64ArraySlice<'env>),
    F32(Float32ArraySlice<'env>),
    U8(napi::bindgen_prelude::Uint8ArraySlice<'env>),
    I32(napi::bindgen_prelude::Int32ArraySlice<'env>),
    Owned(Vec<f64>),
    Tally(ClassInstance<'env, Tally>),
    /// Named numeric columns, in the object's key order.
    Columns(Vec<(String, Held<'env>)>),
    /// A CX summary given for the answers.
    CxSummary(ClassInstance<'env, CxSummary>),
    Activity(ClassInstance<'env, ActivitySummary>),
    /// A joint tally given where an outcome column is taken.
    Joint(ClassInstance<'env, JointTally>),
    /// One column or several (an array or an object of columns), with their names.
    ColumnSet(bool, Vec<(Option<String>, Held<'env>)>),
}

impl<'env> Held<'env> {
    fn read(param: &Param, value: Unknown<'env>) -> Result<Self> {
        match param.kind {
            Kind::Keys => return key_columns(&value).map(Held::Keys),
            Kind::Dates => return date_values(&value).map(Held::Dates),
            Kind::Columns | Kind::Dimensions => return columns(param, value),
            Kind::ColumnSet => return column_set(param, value),
            // SAFETY: the class instance's type tag is checked before it is unwrapped.
            Kind::Summary => return unsafe { value.cast() }.map(Held::Activity),
            _ => {}
        }
        // SAFETY: `Either` validates the JS value's type before converting it. A Tally is read
        // as a class instance: the borrow registry of napi's `&T` needs generated glue.
        let values: Either<RawValues<'env>, ClassInstance<'env, Tally>> = unsafe { value.cast()? };
        Ok(match values {
            Either::B(t) if param.kind == Kind::Ratings => Held::Tally(t),
            Either::B(_) => {
                return Err(napi::Error::new(
                    napi::Status::InvalidArg,
                    format!("{} must be an array of numbers", param.name),
                ))
            }
            Either::A(raw) => match raw {
                RawValues::A(list) => {
                    Held::Owned(list.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
                }
                RawValues::B(s) => Held::F64(s),
                RawValues::C(s) => Held::F32(s),
                RawValues::D(s) => Held::U8(s),
                RawValues::E(s) => Held::I32(s),
            },
        })
    }

    pub(crate) fn input(&self) -> Input<'_> {
        match self {
            Held::Tally(t) => Input::Tally(&t.inner),
            Held::Activity(a) => Input::Object(&a.inner),
            Held::Keys(k) => Input::Keys(k.clone()),
            Held::Dates(d) => Input::Dates(DateColumn::Values(d.clone())),
            Held::CxSummary(s) => Input::Object(&s.inner),
            Held::Joint(j) => Input::Object(&j.inner),
            Held::ColumnSet(several, items) => Input::ColumnSet(ColumnSet {
                items: items
                    .iter()
                    .map(|(name, h)| (name.clone(), h.input()))
                    .collect(),
                several: *several,
            }),
            Held::Columns(c) => Input::Columns(
                c.iter()
                    .filter_map(|(name, h)| Some((name.clone(), h.numbers()?)))
                    .collect(),
            ),
            numbers => Input::Numbers(numbers.numbers().expect("a numeric input")),
        }
    }

    /// The numbers of a numeric input.
    pub(crate) fn numbers(&self) -> Option<Numbers<'_>> {
        Some(match self {
            Held::F64(s) => Numbers::F64(s),
            Held::F32(s) => Numbers::F32(s),
            Held::U8(s) => Numbers::U8(s),
            Held::I32(s) => Numbers::I32(s),
            Held::Owned(v) => Numbers::F64(v),
            _ => return None,
        })
    }
}

/// Named numeric columns: an object of arrays by name (in its key order), or a `CxSummary`.
fn columns<'env>(param: &Param, value: Unknown<'env>) -> Result<Held<'env>> {
    if value.get_type()? != ValueType::Object || value.is_array()? || value.is_typedarray()? {
        return Err(napi::Error::new(
            napi::Status::InvalidArg,
            format!(
                "{} must be an object with one array of numbers per name",
                param.name
            ),
        ));
    }
    // SAFETY: `Either` validates the JS value's type before converting it.
    let summary: Either<ClassInstance<'env, CxSummary>, Object<'env>> = unsafe { value.cast()? };
    let obj = match summary {
        Either::A(s) => return Ok(Held::CxSummary(s)),
        Either::B(obj) => obj,
    };
    let column = Param {
        kind: Kind::Numbers,
        ..*param
    };
    entries(&obj)?
        .into_iter()
        .map(|(name, v)| Ok((name, Held::read(&column, v)?)))
        .collect::<Result<_>>()
        .map(Held::Columns)
}

/// One column of a column set: a numeric column or a `JointTally`.
fn column_item<'env>(param: &Param, value: Unknown<'env>) -> Result<Held<'env>> {
    if value.get_type()? == ValueType::Object && !value.is_array()? && !value.is_typedarray()? {
        // SAFETY: the class instance's type tag is checked before it is unwrapped.
        return unsafe { value.cast() }.map(Held::Joint);
    }
    let column = Param {
        kind: Kind::Numbers,
        ..*param
    };
    Held::read(&column, value)
}

/// One column or several: an array of columns (arrays, typed arrays or `JointTally`s) or an
/// object of named columns is several; anything else is one column.
fn column_set<'env>(param: &Param, value: Unknown<'env>) -> Result<Held<'env>> {
    let is_column = |v: &Unknown| -> Result<bool> {
        Ok(v.get_type()? == ValueType::Object && !v.is_array()? && !v.is_typedarray()?)
    };
    if let Some(items) = elements(&value)? {
        let several = match items.first() {
            None => true,
            Some(first) => first.is_array()? || first.is_typedarray()? || is_column(first)?,
        };
        if several {
            return items
                .into_iter()
                .map(|v| Ok((None, column_item(param, v)?)))
                .collect::<Result<_>>()
                .map(|items| Held::ColumnSet(true, items));
        }
    } else if is_column(&value)? {
        // SAFETY: `Either` validates the JS value's type before converting it.
        let joint: Either<ClassInstance<'env, JointTally>, Object<'env>> = unsafe { value.cast()? };
        if let Either::B(obj) = joint {
            return entries(&obj)?
                .into_iter()
                .map(|(name, v)| Ok((Some(name), column_item(param, v)?)))
                .collect::<Result<_>>()
                .map(|items| Held::ColumnSet(true, items));
        }
    }
    Ok(Held::ColumnSet(
        false,
        vec![(None, column_item(param, value)?)],
    ))
}

/// A group input given as a value for the core to read (a side name, a `[lowest, highest]`
/// pair, which the core tells from a two-row mask, or labels); `None` for a 0/1 mask column.
fn group_value(v: &Unknown) -> Result<Option<Value>> {
    if v.is_typedarray()? {
        return Ok(None);
    }
    let Some(items) = elements(v)? else {
        return value_of(v).map(Some);
    };
    let mut types = items.iter().map(|i| i.get_type());
    let labels = types.any(|t| matches!(t, Ok(ValueType::String)));
    let pair = items.len() == 2
        && items
            .iter()
            .all(|i| matches!(i.get_type(), Ok(ValueType::Number)));
    Ok(if labels || pair {
        Some(value_of(v)?)
    } else {
        None
    })
}

/// What a JavaScript value is, for the error of a value that is no key or date.
fn describe(v: &Unknown) -> Result<String> {
    Ok(match v.get_type()? {
        ValueType::Boolean => format!("{} (a boolean)", unsafe { v.cast::<bool>()? }),
        ValueType::Object if v.is_array()? => "an array".into(),
        ValueType::Object => "an object".into(),
        ValueType::Symbol => "a symbol".into(),
        ValueType::Function => "a function".into(),
        ValueType::BigInt => "a BigInt (numbers are JavaScript numbers)".into(),
        other => format!("a value of type {other:?}"),
    })
}

/// The elements of an array or typed array.
fn elements<'env>(v: &Unknown<'env>) -> Result<Option<Vec<Unknown<'env>>>> {
    if !v.is_array()? {
        return Ok(None);
    }
    let arr: Array = unsafe { v.cast()? };
    (0..arr.len())
        .map(|i| {
            arr.get::<Unknown>(i)
                .map(|e| e.expect("an index below the length"))
        })
        .collect::<Result<_>>()
        .map(Some)
}

/// One key column: an array of keys (strings, numbers; `null`, `undefined`, `NaN` missing) or
/// a typed array of numbers.
fn key_column(v: &Unknown) -> Result<KeyColumn<'static>> {
    if v.is_typedarray()? {
        return Ok(KeyColumn::Values(
            numbers_of(v)?.into_iter().map(KeyValue::Num).collect(),
        ));
    }
    let Some(items) = elements(v)? else {
        return Ok(KeyColumn::Values(vec![KeyValue::Other(describe(v)?)]));
    };
    items
        .iter()
        .map(|k| {
            Ok(match k.get_type()? {
                ValueType::Undefined | ValueType::Null => KeyValue::Missing,
                ValueType::Number => KeyValue::Num(unsafe { k.cast()? }),
                ValueType::String => KeyValue::Str(unsafe { k.cast()? }),
                _ => KeyValue::Other(describe(k)?),
            })
        })
        .collect::<Result<_>>()
        .map(KeyColumn::Values)
}

/// Key columns: one key column, or an array of key columns.
pub(crate) fn key_columns(v: &Unknown) -> Result<Vec<KeyColumn<'static>>> {
    if let Some(items) = elements(v)? {
        let nested = !items.is_empty()
            && items
                .iter()
                .all(|i| i.is_array().unwrap_or(false) || i.is_typedarray().unwrap_or(false));
        if nested {
            return items.iter().map(key_column).collect();
        }
    }
    Ok(vec![key_column(v)?])
}

/// The numbers of a typed array.
fn numbers_of(v: &Unknown) -> Result<Vec<f64>> {
    let values: RawValues = unsafe { v.cast()? };
    Ok(match &values {
        Either5::A(l) => l.iter().map(|x| x.unwrap_or(f64::NAN)).collect(),
        Either5::B(s) => s.to_vec(),
        Either5::C(s) => s.iter().map(|&x| f64::from(x)).collect(),
        Either5::D(s) => s.iter().map(|&x| f64::from(x)).collect(),
        Either5::E(s) => s.iter().map(|&x| f64::from(x)).collect(),
    })
}

/// Dates: `Date` objects, epoch milliseconds, ISO 8601 strings; `null`, `undefined`, `NaN`
/// and `""` missing.
fn date_values(v: &Unknown) -> Result<Vec<DateValue>> {
    let Some(items) = elements(v)? else {
        return Ok(vec![DateValue::Other(describe(v)?)]);
    };
    items
        .iter()
        .map(|d| {
            Ok(match d.get_type()? {
                ValueType::Undefined | ValueType::Null => DateValue::Missing,
                ValueType::Number => DateValue::Ms(unsafe { d.cast()? }),
                ValueType::String => DateValue::Text(unsafe { d.cast()? }),
                ValueType::Object if d.is_date()? => {
                    let date: napi::bindgen_prelude::Date = unsafe { d.cast()? };
                    DateValue::Ms(date.value_of()?)
                }
                _ => DateValue::Other(describe(d)?),
            })
        })
        .collect()
}

/// A JavaScript value as an option value for the core to parse.
pub(crate) fn value_of(v: &Unknown) -> Result<Value> {
    Ok(match v.get_type()? {
        ValueType::Undefined | ValueType::Null => Value::Null,
        ValueType::Boolean => Value::Bool(unsafe { v.cast()? }),
        ValueType::Number => Value::Num(unsafe { v.cast()? }),
        ValueType::String => Value::Str(unsafe { v.cast()? }),
        ValueType::Object if v.is_array()? => {
            let arr: Array = unsafe { v.cast()? };
            (0..arr.len())
                .map(|i| value_of(&arr.get::<Unknown>(i)?.unwrap_or_else(|| unreachable!())))
                .collect::<Result<_>>()
                .map(Value::List)?
        }
        ValueType::Object if v.is_typedarray()? => {
            let values: RawValues = unsafe { v.cast()? };
            let list: Vec<f64> = match &values {
                Either5::A(l) => l.iter().map(|x| x.unwrap_or(f64::NAN)).collect(),
                Either5::B(s) => s.to_vec(),
                Either5::C(s) => s.iter().map(|&x| f64::from(x)).collect(),
                Either5::D(s) => s.iter().map(|&x| f64::from(x)).collect(),
                Either5::E(s) => s.iter().map(|&x| f64::from(x)).collect(),
            };
            Value::List(list.into_iter().map(Value::Num).collect())
        }
        ValueType::Object => {
            let obj: Object = unsafe { v.cast()? };
            entries(&obj)?
                .into_iter()
                .map(|(k, v)| Ok((k, value_of(&v)?)))
                .collect::<Result<_>>()
                .map(Value::Map)?
        }
        _ => Value::Other(describe(v)?),
    })
}

/// The own enumerable properties of an object.
fn entries<'env>(obj: &Object<'env>) -> Result<Vec<(String, Unknown<'env>)>> {
    let names = obj.get_property_names()?;
    (0..names.get_array_length()?)
        .map(|i| {
            let key: String = names.get_element(i)?;
            let value: Unknown = obj.get_named_property(&key)?;
            Ok((key, value))
        })
        .collect()
}

/// One input read by `kind` (for the classes' methods, which read their inputs as entry points
/// do).
pub(crate) fn read<'env>(value: &Unknown<'env>, kind: Kind) -> Result<Held<'env>> {
    let param = Param {
        name: "values",
        kind,
        positional: true,
        required: true,
        doc: "",
        aliases: &[],
        column: None,
    };
    Held::read(&param, *value)
}

/// The options of an options object, keys in the core's snake case.
pub(crate) fn options_of(obj: Option<&Object>) -> Result<Vec<(String, Value)>> {
    let Some(obj) = obj else {
        return Ok(Vec::new());
    };
    entries(obj)?
        .into_iter()
        .map(|(k, v)| Ok((snake_case(&k), value_of(&v)?)))
        .collect()
}

/// The object of a [`Kind::Fields`] input, whose properties supply the numeric inputs not
/// given (an rfm result's `frequency`, `recency`, `T`, `monetaryValue`).
fn fields_of<'env>(param: &Param, value: &Unknown<'env>) -> Result<Object<'env>> {
    if value.get_type()? != ValueType::Object || value.is_array()? || value.is_typedarray()? {
        return Err(napi::Error::new(
            napi::Status::InvalidArg,
            format!(
                "{} must be an object with the arrays by name (such as an rfm result)",
                camel_case(param.name)
            ),
        ));
    }
    // SAFETY: the value is an object (checked above).
    unsafe { value.cast() }
}

/// Run the core entry point `name` on the arguments of its JavaScript function.
#[napi(catch_unwind, ts_return_type = "unknown")]
pub fn call<'env>(env: &'env Env, name: String, args: Vec<Unknown<'env>>) -> Result<Unknown<'env>> {
    let entry = api::entry(&name).ok_or_else(|| {
        napi::Error::new(
            napi::Status::InvalidArg,
            format!("no cxkit function {name:?}"),
        )
    })?;
    let positional: Vec<&Param> = entry.params.iter().filter(|p| p.positional).collect();
    let mut held: Vec<(&'static str, Held)> = Vec::new();
    let mut options: Vec<(String, Value)> = Vec::new();
    let mut fields: Option<Object> = None;
    for (i, value) in args.into_iter().enumerate() {
        if let Some(p) = positional.get(i) {
            if matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) {
                continue;
            }
            match p.kind {
                Kind::Fields => fields = Some(fields_of(p, &value)?),
                k if k.is_value() => options.push((p.name.to_string(), value_of(&value)?)),
                _ => held.push((p.name, Held::read(p, value)?)),
            }
            continue;
        }
        if i > positional.len()
            || matches!(value.get_type()?, ValueType::Undefined | ValueType::Null)
        {
            continue;
        }
        let obj: Object = unsafe { value.cast()? };
        for (raw, v) in entries(&obj)? {
            let key = snake_case(&raw);
            let named = |p: &&Param| {
                p.name == key || camel_case(p.name) == raw || p.aliases.contains(&key.as_str())
            };
            let input = |p: &&Param| p.kind != Kind::Scale && !p.kind.is_value();
            match entry.params.iter().filter(input).find(named) {
                Some(_) if matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {}
                Some(p) if p.kind == Kind::Group => match group_value(&v)? {
                    Some(value) => options.push((p.name.to_string(), value)),
                    None => held.push((p.name, Held::read(p, v)?)),
                },
                Some(p) => held.push((p.name, Held::read(p, v)?)),
                None => {
                    let value_param = entry.params.iter().find(|p| camel_case(p.name) == raw);
                    options.push((
                        value_param.map_or(key, |p| p.name.to_string()),
                        value_of(&v)?,
                    ));
                }
            }
        }
    }
    if let Some(obj) = fields {
        for p in entry.params.iter().filter(|p| p.kind == Kind::Numbers) {
            if held.iter().any(|(name, _)| *name == p.name) {
                continue;
            }
            let v: Unknown = obj.get_named_property(&camel_case(p.name))?;
            if !matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) {
                held.push((p.name, Held::read(p, v)?));
            }
        }
    }
    let mut a = Args::new();
    for (key, h) in &held {
        a.input(key, h.input());
    }
    for (key, v) in options {
        a.option(key, v);
    }
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| entry.call(&a)))
        .map_err(|p| internal_error(env, p))?
        .or_throw(env)?;
    output(env, out)
}

/// A core output as a JavaScript value: a summary or a fitted model as its class, a record as
/// a plain object with camelCase keys, a table as rows, a number as a number.
pub(crate) fn output(env: &Env, out: Output) -> Result<Unknown<'_>> {
    match out {
        Output::Summary(Summary::Activity(inner)) => ActivitySummary { inner }
            .into_instance(env)
            .map(|a| a.to_unknown()),
        Output::Summary(Summary::JointTally(inner)) => JointTally { inner }
            .into_instance(env)
            .map(|j| j.to_unknown()),
        Output::Summary(s) => Err(napi::Error::from_reason(format!(
            "no JavaScript class for {}",
            s.type_name()
        ))),
        Output::Record(api::Record::SbgFit(inner)) => {
            SbgFit { inner }.into_instance(env).map(|f| f.to_unknown())
        }
        Output::Record(api::Record::BgNbdFit(inner)) => BgNbdFit { inner }
            .into_instance(env)
            .map(|f| f.to_unknown()),
        Output::Record(api::Record::GammaGammaFit(inner)) => GammaGammaFit { inner }
            .into_instance(env)
            .map(|f| f.to_unknown()),
        Output::Record(r) => env.to_js_value(&Camel(&r)),
        Output::Table(t) => table_rows(env, &t).map(|a| a.to_unknown()),
        Output::Number(x) => env.to_js_value(&x),
    }
}

/// A table as an array of plain row objects with camelCase keys; a `group` column becomes the
/// group's label (`"North / Web"`) and its `keys`; figures about the whole table (`excluded`)
/// are non-enumerable properties of the array.
pub(crate) fn table_rows<'env>(env: &'env Env, t: &Table) -> Result<Array<'env>> {
    let names: Vec<String> = t.columns.iter().map(|(n, _)| camel_case(n)).collect();
    let mut rows = env.create_array(t.rows() as u32)?;
    for r in 0..t.rows() {
        let mut row = Object::new(env)?;
        for ((_, data), name) in t.columns.iter().zip(&names) {
            match data {
                ColumnData::Group(g) => {
                    let keys = t
                        .groups
                        .as_ref()
                        .map_or(&[][..], |k| &k.keys[g[r] as usize][..]);
                    row.set_named_property("group", group_label(keys))?;
                    let values: Vec<Option<Either<f64, String>>> = keys
                        .iter()
                        .map(|k| match k {
                            Key::Int(i) => Some(Either::A(*i as f64)),
                            Key::Str(s) => Some(Either::B(s.clone())),
                            Key::Missing => None,
                        })
                        .collect();
                    row.set_named_property("keys", values)?;
                }
                ColumnData::Number(v) => row.set_named_property(name, v[r])?,
                ColumnData::Count(v) => row.set_named_property(name, v[r].map(|x| x as f64))?,
                ColumnData::Integer(v) => row.set_named_property(name, v[r].map(|x| x as f64))?,
                ColumnData::Bool(v) => row.set_named_property(name, v[r])?,
                ColumnData::Text(v) => row.set_named_property(name, v[r].clone())?,
                ColumnData::Day(v) => {
                    row.set_named_property(name, v[r].map(|d| Freq::Day.label(d)))?
                }
                ColumnData::Named { names, rows } => {
                    let mut by_name = Object::new(env)?;
                    for (n, v) in names.iter().zip(&rows[r]) {
                        by_name.set_named_property(n, *v)?;
                    }
                    row.set_named_property(name, by_name)?;
                }
            }
        }
        rows.set(r as u32, row)?;
    }
    for (name, value) in &t.attrs {
        rows.define_properties(&[Property::new()
            .with_utf8_name(&camel_case(name))?
            .with_napi_value(env, *value)?
            .with_property_attributes(PropertyAttributes::empty())])?;
    }
    Ok(rows)
}

/// The core's contract as JSON: entry points, options, defaults, choices, tables, errors.
#[napi]
pub fn contract() -> String {
    api::contract_json()
}
