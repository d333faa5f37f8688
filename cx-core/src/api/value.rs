//! Option values as a binding hands them in, and their parsing into typed options.
//!
//! A binding turns each keyword argument (Python) or property of an options object (Node)
//! into a [`Value`] without judging it; the core parses it once, with the same rules and the
//! same errors in every language. Numbers from JavaScript are doubles, so an integer option
//! accepts a double only when it is exactly an integer of the target type (napi's own
//! conversions would truncate `2.5` and wrap `-1`).

use std::fmt;

use crate::error::{CxError, Result};

/// One option value: what Python's `None`/`bool`/`int`/`float`/`str`/list/dict and
/// JavaScript's `null`/`undefined`/boolean/number/string/array/object have in common.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `None`, `null` or `undefined`: the option's default.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer given as one (Python `int`).
    Int(i128),
    /// A floating-point number (Python `float`, any JavaScript number).
    Num(f64),
    /// Text.
    Str(String),
    /// A list, tuple or array.
    List(Vec<Value>),
    /// A dict or object, in the caller's key order.
    Map(Vec<(String, Value)>),
    /// A value of a type no option takes (a JavaScript `BigInt` or symbol, a Python object),
    /// as the binding describes it: every option rejects it as
    /// [`CxError::WrongType`] naming the option.
    Other(String),
}

impl Value {
    /// The entry `key` of a map value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value as a number, if it is one (integers convert).
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Num(x) => Some(x),
            Value::Int(i) => Some(i as f64),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    /// The value as the caller would read it in an error message (`"foo"`, `2.5`, `[1, 2]`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Num(x) => write!(f, "{x}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Other(what) => f.write_str(what),
            Value::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// The error of an option `name` given `value` where `expected` was wanted: of the wrong
/// type, or (for a number or text of the right type) outside the allowed values.
pub(crate) fn invalid(name: &'static str, value: &Value, expected: &str) -> CxError {
    CxError::InvalidArgument {
        name,
        value: value.to_string(),
        expected: expected.into(),
    }
}

/// The error of an option `name` given a value of the wrong type.
pub(crate) fn wrong_type(name: &'static str, value: &Value, expected: &str) -> CxError {
    CxError::WrongType {
        name,
        value: value.to_string(),
        expected: expected.into(),
    }
}

/// How an option's type reads a [`Value`], and how the contract describes it.
pub trait OptionType: Sized {
    /// The type as the contract names it: `"number"`, `"integer"`, `"boolean"`, `"string"`,
    /// `"choice"`, `"scale"`, `"list<number>"`, `"optional<integer>"`, ...
    const TYPE: &'static str;

    /// Whether `null` means "none" for this type (an `Option`), rather than "the default".
    const OPTIONAL: bool = false;

    /// Whether the option has no default and must be given ([`Required`](super::Required)).
    const REQUIRED: bool = false;

    /// Parse the value of the option `name`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] naming the option, the value and what was expected.
    fn from_value(name: &'static str, value: &Value) -> Result<Self>;

    /// The canonical names of a choice type (empty for other types).
    fn choices() -> &'static [&'static str] {
        &[]
    }

    /// Every accepted spelling of a choice type, aliases included (empty for other types).
    fn accepted() -> Vec<&'static str> {
        Vec::new()
    }

    /// The name of a choice type (`"NpsMethod"`), for the generated declarations.
    fn choice_name() -> Option<&'static str> {
        None
    }
}

impl OptionType for f64 {
    const TYPE: &'static str = "number";
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        value
            .as_f64()
            .ok_or_else(|| wrong_type(name, value, "a number"))
    }
}

/// Largest integer a double holds exactly (2^53 − 1).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// An integer option: a whole number within the type's range, given as an integer or as a
/// double with no fractional part (at most 2^53 − 1 in magnitude).
fn integer<T: TryFrom<i128>>(name: &'static str, value: &Value, expected: &str) -> Result<T> {
    let whole = match *value {
        Value::Int(i) => Some(i),
        Value::Num(x) if x.fract() == 0.0 && x.abs() <= MAX_SAFE => Some(x as i128),
        Value::Num(_) => None,
        _ => return Err(wrong_type(name, value, expected)),
    };
    whole
        .and_then(|i| T::try_from(i).ok())
        .ok_or_else(|| invalid(name, value, expected))
}

macro_rules! integer_options {
    ($($t:ty => $expected:literal),* $(,)?) => {$(
        impl OptionType for $t {
            const TYPE: &'static str = "integer";
            fn from_value(name: &'static str, value: &Value) -> Result<Self> {
                integer(name, value, $expected)
            }
        }
    )*};
}

integer_options! {
    u32 => "an integer from 0 to 4294967295",
    u64 => "an integer from 0 to 2^53 - 1",
    usize => "an integer from 0 to 2^53 - 1",
    i32 => "a 32-bit integer",
    i64 => "an integer between -(2^53 - 1) and 2^53 - 1",
}

/// An option whose value the entry point reads itself (a group given by its keys, ...).
impl OptionType for Value {
    const TYPE: &'static str = "value";
    fn from_value(_: &'static str, value: &Value) -> Result<Self> {
        Ok(value.clone())
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i128(*i),
            Value::Num(x) => s.serialize_f64(*x),
            Value::Str(t) | Value::Other(t) => s.serialize_str(t),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(Value::from_json(&v))
    }
}

impl Value {
    fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i128::from(i)),
                None => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::Str(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(m) => Value::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

impl OptionType for bool {
    const TYPE: &'static str = "boolean";
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Bool(b) => Ok(*b),
            _ => Err(wrong_type(name, value, "true or false")),
        }
    }
}

impl OptionType for String {
    const TYPE: &'static str = "string";
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Str(s) => Ok(s.clone()),
            _ => Err(wrong_type(name, value, "a string")),
        }
    }
}

impl<T: OptionType> OptionType for Option<T> {
    const TYPE: &'static str = T::TYPE;
    const OPTIONAL: bool = true;
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(name, v).map(Some),
        }
    }
    fn choices() -> &'static [&'static str] {
        T::choices()
    }
    fn accepted() -> Vec<&'static str> {
        T::accepted()
    }
    fn choice_name() -> Option<&'static str> {
        T::choice_name()
    }
}

impl<T: OptionType> OptionType for Vec<T> {
    const TYPE: &'static str = "list";
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::List(items) => items.iter().map(|v| T::from_value(name, v)).collect(),
            _ => Err(wrong_type(name, value, "a list")),
        }
    }
    fn choices() -> &'static [&'static str] {
        T::choices()
    }
}

/// A string option with a fixed set of accepted names, defined once by [`choice!`](crate::choice).
pub trait Choice: Sized + Copy + 'static {
    /// The option's parameter name in error messages (`"method"`).
    const PARAM: &'static str;
    /// Accepted names and their values; the first name of each value is its canonical name.
    const TABLE: &'static [(&'static str, Self)];
    /// The canonical names, in table order, without aliases.
    const NAMES: &'static [&'static str];
}

/// Normalise a choice as typed: trimmed, lower case, `_` and spaces as `-` (so `"Adjusted
/// Wald"`, `"adjusted_wald"` and `"adjusted-wald"` are one name).
fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '_' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Parse a choice named `name` from text, naming every accepted spelling on failure.
pub fn parse_choice<T: Choice + PartialEq>(name: &'static str, text: &str) -> Result<T> {
    let key = normalise(text);
    T::TABLE
        .iter()
        .find(|(k, _)| *k == key)
        .map(|&(_, v)| v)
        .ok_or_else(|| choice_error::<T>(name, format!("{text:?}")))
}

/// The error of a value that is none of a choice's names (every accepted spelling listed).
pub fn choice_error<T: Choice>(name: &'static str, value: String) -> CxError {
    choice_error_of::<T>(name, value, false)
}

/// [`choice_error`], as a wrong type when the value is not text at all.
pub fn choice_error_of<T: Choice>(name: &'static str, value: String, wrong_type: bool) -> CxError {
    let expected = format!(
        "one of {}",
        T::TABLE
            .iter()
            .map(|(k, _)| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if wrong_type {
        return CxError::WrongType {
            name,
            value,
            expected,
        };
    }
    CxError::InvalidArgument {
        name,
        value,
        expected,
    }
}

/// The canonical name of a choice value.
pub fn choice_name<T: Choice + PartialEq>(value: T) -> &'static str {
    T::TABLE
        .iter()
        .find(|(_, v)| *v == value)
        .map(|(k, _)| *k)
        .unwrap_or("?")
}

/// Define a string enum's accepted names once: `FromStr`, `Display`, serde (as the canonical
/// name, reading any accepted spelling), the [`Choice`] table and the [`OptionType`] that
/// bindings' options parse with. Each variant has a canonical name and optional aliases;
/// parsing ignores case and reads `_` and spaces as `-`.
///
/// ```ignore
/// choice! { Adjust, "adjust", {
///     Holm => "holm",
///     Bh => "bh" | "fdr-bh" | "benjamini-hochberg",
///     None => "none",
/// }}
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! choice {
    ($ty:ident, $param:literal, { $($variant:ident => $name:literal $(| $alias:literal)*),* $(,)? }) => {
        impl $crate::api::Choice for $ty {
            const PARAM: &'static str = $param;
            const TABLE: &'static [(&'static str, Self)] =
                &[$(($name, $ty::$variant), $(($alias, $ty::$variant),)*)*];
            const NAMES: &'static [&'static str] = &[$($name),*];
        }
        impl ::std::str::FromStr for $ty {
            type Err = $crate::CxError;
            fn from_str(s: &str) -> $crate::Result<Self> {
                $crate::api::parse_choice($param, s)
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::api::choice_name(*self))
            }
        }
        impl $crate::api::OptionType for $ty {
            const TYPE: &'static str = "choice";
            fn from_value(name: &'static str, value: &$crate::api::Value) -> $crate::Result<Self> {
                match value {
                    $crate::api::Value::Str(s) => $crate::api::parse_choice(name, s),
                    v => Err($crate::api::choice_error_of::<$ty>(name, v.to_string(), true)),
                }
            }
            fn choices() -> &'static [&'static str] {
                <$ty as $crate::api::Choice>::NAMES
            }
            fn accepted() -> ::std::vec::Vec<&'static str> {
                <$ty as $crate::api::Choice>::TABLE.iter().map(|(k, _)| *k).collect()
            }
            fn choice_name() -> Option<&'static str> {
                Some(stringify!($ty))
            }
        }
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str($crate::api::choice_name(*self))
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

/// Declare an option type that keeps the caller's value as given, for the entry point to read
/// with its own rule (a `k` that is a number or a range, columns by name, ...), under a type
/// name of its own in the contract (from which the declarations spell its accepted forms).
///
/// ```
/// cx_core::value_option! {
///     /// A number or a pair of numbers.
///     Span, "span"
/// }
/// use cx_core::api::{OptionType, Value};
/// assert_eq!(Span::TYPE, "span");
/// assert_eq!(Span::from_value("span", &Value::Int(2))?.0, Value::Int(2));
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! value_option {
    ($(#[$meta:meta])* $name:ident, $ty:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $crate::api::Value);

        impl $crate::api::OptionType for $name {
            const TYPE: &'static str = $ty;
            fn from_value(
                _: &'static str,
                value: &$crate::api::Value,
            ) -> $crate::Result<Self> {
                Ok($name(value.clone()))
            }
        }
    };
}
