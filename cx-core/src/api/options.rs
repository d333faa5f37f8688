//! Options structs defined once: names, defaults, accepted strings, docs and parsing.
//!
//! Every entry point's options are one struct declared with [`options!`](crate::options): the
//! macro writes the struct (serde, `Default`), the [`Options`] impl that parses the options a
//! binding hands in as [`Value`]s, and the field descriptions the contract (generated Python
//! and TypeScript declarations, the cross-language contract test) is made from.

use crate::api::value::{OptionType, Value};
use crate::error::{CxError, Result};

/// One option of an entry point, as the contract describes it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Field {
    /// Its name in snake case (`min_base`); Node spells it in camel case (`minBase`).
    pub name: &'static str,
    /// The doc comment of the field.
    pub doc: String,
    /// Its type, as [`OptionType::TYPE`] names it.
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// Whether `None` / `null` is a meaningful value (an `Option` field).
    pub optional: bool,
    /// Whether it must be given (a [`Required`] field: no default).
    pub required: bool,
    /// The accepted strings of a choice option (canonical names).
    pub choices: &'static [&'static str],
    /// The name of its choice type (`"NpsMethod"`), if it is a choice.
    pub choice: Option<&'static str>,
    /// Every accepted spelling of a choice option (canonical names and aliases; case and `_`
    /// versus `-` do not matter).
    pub accepted: Vec<&'static str>,
    /// The default, as JSON.
    pub default: serde_json::Value,
}

/// An options struct: parsed from the [`Value`]s a binding hands in, described for the
/// contract.
pub trait Options: Default + serde::Serialize {
    /// Every option, flattened groups included, in declaration order.
    fn fields() -> Vec<Field>;

    /// Set the option `key` from `value`; `Ok(false)` when there is no such option.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when the value does not parse.
    fn set(&mut self, key: &str, value: &Value) -> Result<bool>;

    /// The options given as `(name, value)` pairs over the defaults; `Null` keeps a default.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a value that does not parse, a name that is no
    /// option of this entry point (`expected` lists the options), or a [`Required`] option
    /// not given.
    fn parse<'a, I: IntoIterator<Item = (&'a str, &'a Value)>>(given: I) -> Result<Self> {
        let mut out = Self::default();
        let mut set = Vec::new();
        for (key, value) in given {
            if *value == Value::Null && !is_optional::<Self>(key) {
                continue;
            }
            set.push(key);
            if !out.set(key, value)? {
                return Err(CxError::InvalidArgument {
                    name: "options",
                    value: format!("{key:?}"),
                    expected: format!(
                        "one of the options {}",
                        Self::fields()
                            .iter()
                            .map(|f| f.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
        if let Some(f) = Self::fields()
            .into_iter()
            .find(|f| f.required && !set.contains(&f.name))
        {
            return Err(CxError::InvalidArgument {
                name: f.name,
                value: "not given".into(),
                expected: "a value: this option has no default".into(),
            });
        }
        Ok(out)
    }
}

fn is_optional<O: Options>(key: &str) -> bool {
    O::fields().iter().any(|f| f.name == key && f.optional)
}

/// The description of one declared field (used by [`options!`](crate::options)).
pub fn field<T: OptionType + serde::Serialize>(
    name: &'static str,
    doc: &[&str],
    optional: bool,
    default: &T,
) -> Field {
    Field {
        name,
        doc: doc
            .iter()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n"),
        ty: T::TYPE,
        optional,
        required: T::REQUIRED,
        choices: T::choices(),
        accepted: T::accepted(),
        choice: T::choice_name(),
        default: serde_json::to_value(default).unwrap_or(serde_json::Value::Null),
    }
}

/// Declare an options struct once. Fields are `pub name: Type = default,` with doc comments;
/// `..group: Group,` flattens another options struct into this one (its fields are this
/// struct's options too, listed first). Generates the struct (Debug, Clone, PartialEq, serde
/// with defaults), `Default`, and [`Options`].
///
/// ```
/// cx_core::options! {
///     /// Options of a demo entry point.
///     pub struct DemoOptions {
///         /// Confidence level.
///         pub level: f64 = 0.95,
///         /// A bound, or none.
///         pub max: Option<u32> = None,
///     }
/// }
/// use cx_core::api::{Options, Value};
/// let o = DemoOptions::parse([("max", &Value::Num(3.0))])?;
/// assert_eq!((o.level, o.max), (0.95, Some(3)));
/// assert!(DemoOptions::parse([("max", &Value::Num(2.5))]).is_err());
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[macro_export]
macro_rules! options {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(..$group:ident : $group_ty:ty,)*
            $(
                $(#[doc = $doc:expr])*
                pub $field:ident : $ty:ty = $default:expr,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(default)]
        pub struct $name {
            $(
                #[doc = concat!("Options of the [`", stringify!($group_ty), "`] group.")]
                #[serde(flatten)]
                pub $group: $group_ty,
            )*
            $(
                $(#[doc = $doc])*
                pub $field: $ty,
            )*
        }

        impl ::std::default::Default for $name {
            fn default() -> Self {
                $name {
                    $($group: <$group_ty as ::std::default::Default>::default(),)*
                    $($field: $default,)*
                }
            }
        }

        impl $crate::api::Options for $name {
            fn fields() -> ::std::vec::Vec<$crate::api::Field> {
                #[allow(unused_mut)]
                let mut out = ::std::vec::Vec::new();
                $(out.extend(<$group_ty as $crate::api::Options>::fields());)*
                #[allow(unused_variables)]
                let d = <Self as ::std::default::Default>::default();
                $(
                    out.push($crate::api::field::<$ty>(
                        stringify!($field),
                        &[$($doc),*],
                        $crate::api::optional_of::<$ty>(),
                        &d.$field,
                    ));
                )*
                out
            }

            #[allow(unused_variables)]
            fn set(&mut self, key: &str, value: &$crate::api::Value) -> $crate::Result<bool> {
                $(if <$group_ty as $crate::api::Options>::set(&mut self.$group, key, value)? {
                    return Ok(true);
                })*
                match key {
                    $(stringify!($field) => {
                        self.$field = <$ty as $crate::api::OptionType>::from_value(
                            stringify!($field),
                            value,
                        )?;
                        Ok(true)
                    })*
                    _ => Ok(false),
                }
            }
        }
    };
}

/// Whether `T` is an `Option` (by its [`OptionType::TYPE`] wrapper); used by
/// [`options!`](crate::options).
pub fn optional_of<T: OptionType>() -> bool {
    T::OPTIONAL
}

/// An option without a default, which the caller must give (`customers` of a revenue
/// projection): [`Options::parse`] fails when it is missing, and the generated signatures
/// require it. Read it with [`Required::get`].
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Required<T>(pub Option<T>);

impl<T> Required<T> {
    /// The value; an error naming the option `name` when it was not given (only options
    /// built by hand can lack it: [`Options::parse`] checks).
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when it is missing.
    pub fn get(&self, name: &'static str) -> Result<&T> {
        self.0.as_ref().ok_or_else(|| CxError::InvalidArgument {
            name,
            value: "not given".into(),
            expected: "a value: this option has no default".into(),
        })
    }
}

impl<T: OptionType> OptionType for Required<T> {
    const TYPE: &'static str = T::TYPE;
    const REQUIRED: bool = true;
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        T::from_value(name, value).map(|v| Required(Some(v)))
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
