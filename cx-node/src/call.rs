//! The generic entry point: `call(name, args)` runs any entry point of the core's contract
//! (`cx_core::api`); `index.js` defines one JavaScript function per entry point over it, named
//! in camelCase (`npsBy` for `nps_by`).
//!
//! Positional arguments are read by the kind the contract declares (ratings as a `number[]`,
//! a typed array read in place, or a `Tally`); the last argument is the options object, whose
//! camelCase keys name the remaining inputs (`weights`, ...) and the options, which the core
//! parses. Results come back as plain objects with camelCase keys.

use cx_core::api::{self, Args, Input, Kind, Numbers, Output, Param, Value};
use napi::bindgen_prelude::{
    Array, ClassInstance, Either, Either5, Float32ArraySlice, Float64ArraySlice, JsObjectValue,
    Object, Unknown,
};
use napi::{Env, JsValue, Result, ValueType};
use napi_derive::napi;

use crate::camel::{snake_case, Camel};
use crate::error::{internal_error, OrThrow};
use crate::input::RawValues;
use crate::tally::Tally;

/// An input as read from JavaScript: typed arrays borrowed in place, `number[]` copied once.
enum Held<'env> {
    F64(Float64ArraySlice<'env>),
    F32(Float32ArraySlice<'env>),
    U8(napi::bindgen_prelude::Uint8ArraySlice<'env>),
    I32(napi::bindgen_prelude::Int32ArraySlice<'env>),
    Owned(Vec<f64>),
    Tally(ClassInstance<'env, Tally>),
}

impl<'env> Held<'env> {
    fn read(param: &Param, value: Unknown<'env>) -> Result<Self> {
        // SAFETY: `Either` validates the JS value's type before converting it. A Tally is read
        // as a class instance: the borrow registry of napi's `&T` needs generated glue.
        let values: Either<RawValues<'env>, ClassInstance<'env, Tally>> = match param.kind {
            Kind::Ratings | Kind::Numbers => unsafe { value.cast()? },
            Kind::Scale => unreachable!("scales are option values"),
        };
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

    fn input(&self) -> Input<'_> {
        match self {
            Held::F64(s) => Input::Numbers(Numbers::F64(s)),
            Held::F32(s) => Input::Numbers(Numbers::F32(s)),
            Held::U8(s) => Input::Numbers(Numbers::U8(s)),
            Held::I32(s) => Input::Numbers(Numbers::I32(s)),
            Held::Owned(v) => Input::Numbers(Numbers::F64(v)),
            Held::Tally(t) => Input::Tally(&t.inner),
        }
    }
}

/// A JavaScript value as an option value for the core to parse.
fn value_of(v: &Unknown) -> Result<Value> {
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
        _ => Value::Str(format!("{:?}", v.get_type()?)),
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
    for (i, value) in args.into_iter().enumerate() {
        if let Some(p) = positional.get(i) {
            if !matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) {
                held.push((p.name, Held::read(p, value)?));
            }
            continue;
        }
        if i > positional.len()
            || matches!(value.get_type()?, ValueType::Undefined | ValueType::Null)
        {
            continue;
        }
        let obj: Object = unsafe { value.cast()? };
        for (key, v) in entries(&obj)? {
            let key = snake_case(&key);
            match entry
                .params
                .iter()
                .find(|p| p.name == key && p.kind != Kind::Scale)
            {
                Some(p) if !matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {
                    held.push((p.name, Held::read(p, v)?));
                }
                Some(_) => {}
                None => options.push((key, value_of(&v)?)),
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
    output(env, &out)
}

/// A core output as a JavaScript value.
fn output<'env>(env: &'env Env, out: &Output) -> Result<Unknown<'env>> {
    match out {
        Output::Record(r) => env.to_js_value(&Camel(r)),
        Output::Table(t) => Err(napi::Error::new(
            napi::Status::GenericFailure,
            format!("table {} not supported yet", t.spec.name),
        )),
    }
}

/// The core's contract as JSON: entry points, options, defaults, choices, tables, errors.
#[napi]
pub fn contract() -> String {
    api::contract_json()
}
