//! The inputs of an entry point as a binding hands them in: typed columns borrowed from the
//! caller's arrays, summaries the caller built, and option values.
//!
//! A binding converts each argument once, by the kind its [`Param`](super::Param) declares,
//! without judging it: every rule (which scale raw values are read on, what may be given with
//! a tally, lengths, missing values) is applied here, the same for every language.

use std::any::Any;
use std::borrow::Cow;

use crate::api::dates::DateColumn;
use crate::api::keys::KeyColumn;
use crate::api::options::Options;
use crate::api::value::{OptionType, Value};
use crate::api::Param;
use crate::error::{CxError, Result};
use crate::scale::Scale;
use crate::tally::{Rating, Tally};

/// A numeric column borrowed in the caller's element type (numpy dtypes, typed arrays); a
/// JavaScript `number[]` arrives as `F64` with `null` as NaN.
#[derive(Debug, Clone, Copy)]
pub enum Numbers<'a> {
    /// `uint8`, `Uint8Array`, booleans.
    U8(&'a [u8]),
    /// `int8`.
    I8(&'a [i8]),
    /// `uint16`.
    U16(&'a [u16]),
    /// `int16`.
    I16(&'a [i16]),
    /// `uint32`.
    U32(&'a [u32]),
    /// `int32`, `Int32Array`.
    I32(&'a [i32]),
    /// `uint64`.
    U64(&'a [u64]),
    /// `int64`.
    I64(&'a [i64]),
    /// `float32`, `Float32Array` (NaN is missing).
    F32(&'a [f32]),
    /// `float64`, `Float64Array`, `number[]` (NaN is missing).
    F64(&'a [f64]),
}

/// Work generic over a column's element type: the one place where the accepted element types
/// meet generic core code.
pub trait NumbersVisitor {
    /// What the work returns.
    type Out;
    /// Do the work on `values`.
    fn visit<T: Rating>(self, values: &[T]) -> Self::Out;
}

impl Numbers<'_> {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.visit(Len)
    }

    /// Whether the column is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hand the typed slice to `visitor`.
    pub fn visit<V: NumbersVisitor>(&self, visitor: V) -> V::Out {
        match *self {
            Numbers::U8(s) => visitor.visit(s),
            Numbers::I8(s) => visitor.visit(s),
            Numbers::U16(s) => visitor.visit(s),
            Numbers::I16(s) => visitor.visit(s),
            Numbers::U32(s) => visitor.visit(s),
            Numbers::I32(s) => visitor.visit(s),
            Numbers::U64(s) => visitor.visit(s),
            Numbers::I64(s) => visitor.visit(s),
            Numbers::F32(s) => visitor.visit(s),
            Numbers::F64(s) => visitor.visit(s),
        }
    }

    /// The column as doubles: borrowed when it is `F64`, else converted once.
    pub fn to_f64(&self) -> Cow<'_, [f64]> {
        match *self {
            Numbers::F64(s) => Cow::Borrowed(s),
            _ => Cow::Owned(self.visit(ToF64)),
        }
    }
}

struct Len;
impl NumbersVisitor for Len {
    type Out = usize;
    fn visit<T: Rating>(self, values: &[T]) -> usize {
        values.len()
    }
}

struct ToF64;
impl NumbersVisitor for ToF64 {
    type Out = Vec<f64>;
    fn visit<T: Rating>(self, values: &[T]) -> Vec<f64> {
        values.iter().map(|v| v.to_f64()).collect()
    }
}

struct BuildTally<'w> {
    scale: Scale,
    weights: Option<&'w [f64]>,
}
impl NumbersVisitor for BuildTally<'_> {
    type Out = Result<Tally>;
    fn visit<T: Rating>(self, values: &[T]) -> Result<Tally> {
        Tally::from_values(self.scale, values, self.weights)
    }
}

/// Work generic over the element type of several columns read together.
pub trait ColumnsVisitor {
    /// What the work returns.
    type Out;
    /// Do the work on `columns`, all of one element type.
    fn visit<T: Rating>(self, columns: &[&[T]]) -> Self::Out;
}

/// Hand `columns` to `visitor` in one element type: the caller's own when every column has it
/// (read in place), else as doubles (converted once), so mixed element types give the same
/// numbers as uniform ones.
pub fn visit_columns<V: ColumnsVisitor>(columns: &[Numbers<'_>], visitor: V) -> V::Out {
    macro_rules! same {
        ($($v:ident),*) => {
            match columns.first() {
                $(Some(Numbers::$v(_)) => {
                    let typed: Option<Vec<_>> = columns
                        .iter()
                        .map(|c| match c {
                            Numbers::$v(s) => Some(*s),
                            _ => None,
                        })
                        .collect();
                    if let Some(typed) = typed {
                        return visitor.visit(&typed);
                    }
                })*
                None => return visitor.visit::<f64>(&[]),
            }
        };
    }
    same!(U8, I8, U16, I16, U32, I32, U64, I64, F32, F64);
    let owned: Vec<Cow<'_, [f64]>> = columns.iter().map(Numbers::to_f64).collect();
    let slices: Vec<&[f64]> = owned.iter().map(|c| c.as_ref()).collect();
    visitor.visit(&slices)
}

/// One input of an entry point.
#[derive(Clone)]
pub enum Input<'a> {
    /// A numeric column.
    Numbers(Numbers<'a>),
    /// A caller's [`Tally`] given where ratings are taken.
    Tally(&'a Tally),
    /// Another summary or model object of the caller's (a [`crate::JointTally`], ...).
    Object(&'a (dyn Any + Sync)),
    /// Group keys: one or more key columns.
    Keys(Vec<KeyColumn<'a>>),
    /// A date column.
    Dates(DateColumn<'a>),
    /// Named numeric columns, in the caller's order (the answers to several dimensions).
    Columns(Vec<(String, Numbers<'a>)>),
    /// One or several columns (or summaries) with their names ([`Kind::ColumnSet`]).
    ///
    /// [`Kind::ColumnSet`]: super::Kind::ColumnSet
    ColumnSet(ColumnSet<'a>),
}

/// Columns given where one or several are accepted: a column named by the caller (a
/// DataFrame's column), or a list or a dict / object of columns.
#[derive(Clone)]
pub struct ColumnSet<'a> {
    /// Each column (a numeric column or a summary object) with its name, if it has one.
    pub items: Vec<(Option<String>, Input<'a>)>,
    /// Given as a list or a dict (several columns, even if only one), rather than one column.
    pub several: bool,
}

/// A [`Kind::Group`](super::Kind::Group) input: a numeric column, or a value (a name, a
/// `(lowest, highest)` pair, labels, or a plain list of numbers).
#[derive(Debug, Clone, Copy)]
pub enum GroupArg<'v, 'a> {
    /// A numeric column.
    Column(Numbers<'a>),
    /// A value.
    Value(&'v Value),
}

/// Everything a binding hands to an entry point: named inputs and named option values.
#[derive(Default, Clone)]
pub struct Args<'a> {
    inputs: Vec<(&'static str, Input<'a>)>,
    options: Vec<(String, Value)>,
    /// The inputs the entry point declares (set by [`Entry::call`](super::Entry::call)):
    /// option values named like one of them (`scale`) are inputs, not options.
    params: &'static [Param],
}

impl<'a> Args<'a> {
    /// No inputs, no options.
    pub fn new() -> Self {
        Args::default()
    }

    /// Add the input `name`.
    pub fn input(&mut self, name: &'static str, input: Input<'a>) -> &mut Self {
        self.inputs.push((name, input));
        self
    }

    /// Add the option `name` (snake case).
    pub fn option(&mut self, name: impl Into<String>, value: Value) -> &mut Self {
        self.options.push((name.into(), value));
        self
    }

    fn get(&self, name: &str) -> Option<&Input<'a>> {
        self.inputs.iter().find(|(n, _)| *n == name).map(|(_, i)| i)
    }

    /// The key columns `name` (none when not given).
    ///
    /// # Errors
    /// [`CxError::WrongType`] when `name` holds something else.
    pub fn keys(&self, name: &'static str) -> Result<Vec<KeyColumn<'a>>> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Input::Keys(k)) => Ok(k.clone()),
            Some(Input::Numbers(n)) => Ok(vec![KeyColumn::Ints(*n)]),
            Some(_) => Err(CxError::WrongType {
                name,
                value: "an object".into(),
                expected: "a key column or a list of key columns".into(),
            }),
        }
    }

    /// The date column `name`, if given.
    ///
    /// # Errors
    /// [`CxError::WrongType`] when `name` holds something else.
    pub fn dates(&self, name: &'static str) -> Result<Option<DateColumn<'a>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Input::Dates(d)) => Ok(Some(d.clone())),
            Some(Input::Numbers(Numbers::I64(d))) => Ok(Some(DateColumn::Days(d))),
            Some(_) => Err(CxError::WrongType {
                name,
                value: "another kind of column".into(),
                expected: "dates".into(),
            }),
        }
    }

    /// The named columns `name`.
    ///
    /// # Errors
    /// [`CxError::WrongType`] when `name` is not given or holds something else.
    pub fn columns(&self, name: &'static str) -> Result<Vec<(String, Numbers<'a>)>> {
        match self.get(name) {
            Some(Input::Columns(c)) => Ok(c.clone()),
            other => Err(CxError::WrongType {
                name,
                value: if other.is_some() {
                    "another kind of input".into()
                } else {
                    "nothing".into()
                },
                expected: "named numeric columns (one array per name)".into(),
            }),
        }
    }

    /// The columns `name`: one column (a one-item, not-`several` [`ColumnSet`]), or the list or
    /// dict given; `None` when not given.
    ///
    /// # Errors
    /// [`CxError::WrongType`] when `name` holds something else.
    pub fn column_set(&self, name: &'static str) -> Result<Option<ColumnSet<'a>>> {
        Ok(match self.get(name) {
            None => None,
            Some(Input::ColumnSet(c)) => Some(c.clone()),
            Some(one @ (Input::Numbers(_) | Input::Object(_) | Input::Tally(_))) => {
                Some(ColumnSet {
                    items: vec![(None, one.clone())],
                    several: false,
                })
            }
            Some(_) => {
                return Err(CxError::WrongType {
                    name,
                    value: "another kind of input".into(),
                    expected: "a numeric column, or a list or dict of numeric columns".into(),
                })
            }
        })
    }

    /// The [`Kind::Group`](super::Kind::Group) input `name`: a numeric column or a value.
    ///
    /// # Errors
    /// [`CxError::WrongType`] when `name` holds another kind of input.
    pub fn group(&self, name: &'static str) -> Result<Option<GroupArg<'_, 'a>>> {
        if let Some(v) = self.value(name) {
            return Ok(Some(GroupArg::Value(v)));
        }
        Ok(self.numbers(name)?.map(GroupArg::Column))
    }

    /// The option value `name`, if given (and not null).
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.options
            .iter()
            .find(|(n, v)| n == name && *v != Value::Null)
            .map(|(_, v)| v)
    }

    /// The numeric column `name`, if given.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when `name` holds a summary instead.
    pub fn numbers(&self, name: &'static str) -> Result<Option<Numbers<'a>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Input::Numbers(n)) => Ok(Some(*n)),
            Some(_) => Err(CxError::WrongType {
                name,
                value: "another kind of input".into(),
                expected: "an array of numbers".into(),
            }),
        }
    }

    /// The float column `name` (weights, amounts) as doubles, if given.
    ///
    /// # Errors
    /// As [`Args::numbers`].
    pub fn floats(&self, name: &'static str) -> Result<Option<Cow<'a, [f64]>>> {
        Ok(self.numbers(name)?.map(|n| match n {
            Numbers::F64(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_f64().into_owned()),
        }))
    }

    /// The caller's object `name` of type `T`, if given.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when it is of another type.
    pub fn object<T: Any>(&self, name: &'static str) -> Result<Option<&'a T>> {
        let any: &'a dyn Any = match self.get(name) {
            None => return Ok(None),
            Some(Input::Object(o)) => *o,
            Some(Input::Tally(t)) => *t,
            Some(_) => return Err(wrong_object::<T>(name)),
        };
        any.downcast_ref::<T>()
            .map(Some)
            .ok_or_else(|| wrong_object::<T>(name))
    }

    /// The `scale` option, if given: a preset name, `{lowest, highest, top_box_min?,
    /// bottom_box_max?}` (also camel case) or `[lowest, highest]` /
    /// `[lowest, highest, top_box_min, bottom_box_max]`.
    ///
    /// # Errors
    /// [`CxError::InvalidScale`] for an impossible scale, [`CxError::InvalidArgument`] for a
    /// value of none of those forms.
    pub fn scale(&self) -> Result<Option<Scale>> {
        self.value("scale").map(scale_of).transpose()
    }

    /// The tally of the ratings input `name`: the caller's own [`Tally`] (borrowed), or one
    /// built from raw values with the `weights` input on the `scale` option, else on
    /// `default`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for weights given with a tally, or raw values without a
    /// scale where the metric has no default; [`CxError::ScaleMismatch`] for a scale that is
    /// not the tally's; the errors of [`Tally::from_values`].
    pub fn tally(&self, name: &'static str, default: Option<Scale>) -> Result<Cow<'a, Tally>> {
        self.tally_with(name, "weights", default)
    }

    /// [`Args::tally`] with the weights input named `weights` (`weights_a`, ...).
    ///
    /// # Errors
    /// As [`Args::tally`].
    pub fn tally_with(
        &self,
        name: &'static str,
        weights: &'static str,
        default: Option<Scale>,
    ) -> Result<Cow<'a, Tally>> {
        let scale = self.scale()?;
        match self.get(name) {
            Some(Input::Tally(t)) => {
                if self.get(weights).is_some() {
                    return Err(CxError::InvalidArgument {
                        name: weights,
                        value: "given with a Tally".into(),
                        expected: "no weights: a Tally already holds its weights".into(),
                    });
                }
                if let Some(s) = scale {
                    s.ensure_same(&t.scale())?;
                }
                Ok(Cow::Borrowed(*t))
            }
            Some(Input::Numbers(values)) => {
                let scale = scale.or(default).ok_or(CxError::InvalidArgument {
                    name: "scale",
                    value: "not given".into(),
                    expected: "a scale for raw values: a preset name (\"nps\", \"csat\", \
                               \"ces\", \"agreement\") or (lowest, highest)"
                        .into(),
                })?;
                let w = self.floats(weights)?;
                values
                    .visit(BuildTally {
                        scale,
                        weights: w.as_deref(),
                    })
                    .map(Cow::Owned)
            }
            Some(_) => Err(CxError::WrongType {
                name,
                value: "another kind of input".into(),
                expected: "ratings (an array of numbers) or a Tally".into(),
            }),
            None => Err(CxError::WrongType {
                name,
                value: "nothing".into(),
                expected: "ratings (an array of numbers) or a Tally".into(),
            }),
        }
    }

    /// The same arguments for an entry point with inputs `params`.
    pub(crate) fn for_params(&self, params: &'static [Param]) -> Args<'a> {
        Args {
            params,
            ..self.clone()
        }
    }

    /// The options of type `O` from every option value but those named like an input of the
    /// entry point (such as `scale`).
    ///
    /// # Errors
    /// As [`Options::parse`].
    pub fn options<O: Options>(&self) -> Result<O> {
        O::parse(
            self.options
                .iter()
                .filter(|(n, _)| !self.params.iter().any(|p| p.name == n))
                .map(|(n, v)| (n.as_str(), v)),
        )
    }
}

fn wrong_object<T>(name: &'static str) -> CxError {
    let full = std::any::type_name::<T>();
    CxError::InvalidArgument {
        name,
        value: "an object of another type".into(),
        expected: format!("a {}", full.rsplit("::").next().unwrap_or(full)),
    }
}

/// The scale an option value describes: a preset name, a spec object `{lowest, highest,
/// top_box_min?, bottom_box_max?}` (camel-case keys too), or a list `[lowest, highest]` /
/// `[lowest, highest, top_box_min, bottom_box_max]`. Box thresholds left out take
/// [`Scale::new`]'s defaults.
///
/// # Errors
/// [`CxError::InvalidScale`] for an impossible scale; [`CxError::InvalidArgument`] for a value
/// of none of those forms or a non-integer point.
pub fn scale_of(value: &Value) -> Result<Scale> {
    let point = |name: &'static str, v: &Value| <i32 as OptionType>::from_value(name, v);
    let spec = |lo: &Value, hi: &Value, top: Option<&Value>, bottom: Option<&Value>| {
        let (lo, hi) = (point("lowest", lo)?, point("highest", hi)?);
        let top = top.map(|v| point("top_box_min", v)).transpose()?;
        let bottom = bottom.map(|v| point("bottom_box_max", v)).transpose()?;
        match (top, bottom) {
            (None, None) => Scale::new(lo, hi),
            (top, bottom) => {
                let d = Scale::new(lo, hi)?;
                Scale::with_boxes(
                    lo,
                    hi,
                    top.unwrap_or(d.top_box_min()),
                    bottom.unwrap_or(d.bottom_box_max()),
                )
            }
        }
    };
    let key = |a: &str, b: &str| {
        value
            .get(a)
            .or_else(|| value.get(b))
            .filter(|v| **v != Value::Null)
    };
    match value {
        Value::Str(name) => Scale::preset(name),
        Value::List(parts) => match parts.as_slice() {
            [lo, hi] => spec(lo, hi, None, None),
            [lo, hi, top, bottom] => spec(lo, hi, Some(top), Some(bottom)),
            _ => Err(CxError::InvalidArgument {
                name: "scale",
                value: format!("a list of {} values", parts.len()),
                expected: "(lowest, highest) or (lowest, highest, top_box_min, bottom_box_max)"
                    .into(),
            }),
        },
        Value::Map(_) => match (value.get("lowest"), value.get("highest")) {
            (Some(lo), Some(hi)) => spec(
                lo,
                hi,
                key("top_box_min", "topBoxMin"),
                key("bottom_box_max", "bottomBoxMax"),
            ),
            _ => Err(bad_scale(value)),
        },
        other => Err(bad_scale(other)),
    }
}

fn bad_scale(value: &Value) -> CxError {
    CxError::WrongType {
        name: "scale",
        value: value.to_string(),
        expected: "a preset name (\"nps\", \"csat\", \"ces\", \"agreement\"), (lowest, \
                   highest) or {lowest, highest, top_box_min, bottom_box_max}"
            .into(),
    }
}
