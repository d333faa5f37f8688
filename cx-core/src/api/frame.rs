//! Columns by name, as a data frame holds them: the input of `personas` and
//! `assign_personas`, read by one rule for every language.
//!
//! The core first says which columns it needs and how it reads each ([`ColumnUse`]: numbers
//! or categories), so that a binding converts only those, in its idiom: Python hands in float
//! arrays and the codes its DataFrame library factorized ([`FrameColumn::Floats`],
//! [`FrameColumn::Codes`]); JavaScript hands in the values as given ([`FrameColumn::Values`]),
//! which are read here.

use std::borrow::Cow;

use crate::api::keys::KeyValue;
use crate::error::{CxError, Result};
use crate::grouping::{factorize, Key};
use crate::transactions::MISSING_CUSTOMER;

/// How a column is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnUse {
    /// Numbers; missing values are NaN.
    Numeric,
    /// Categories (k-prototypes features), matched by label.
    Categorical,
}

/// One column as a binding hands it in.
#[derive(Debug, Clone)]
pub enum FrameColumn<'a> {
    /// Doubles, NaN for missing (a numeric column read in place, or converted once).
    Floats(Cow<'a, [f64]>),
    /// Categories factorized by the caller's DataFrame library: one code per row
    /// ([`MISSING_CUSTOMER`] for a missing value) and the key of each code.
    Codes {
        /// One code per row.
        codes: &'a [u32],
        /// The key of each code.
        labels: Vec<Key>,
    },
    /// Values as given (JavaScript): numbers, text, or missing.
    Values(Vec<KeyValue>),
}

/// Named columns (the caller's data frame, or the columns the core asked for).
#[derive(Debug, Clone, Default)]
pub struct Frame<'a> {
    columns: Vec<(String, FrameColumn<'a>)>,
}

/// A column read as categories: codes and the key of each code.
pub(crate) type Categories<'a> = (Cow<'a, [u32]>, Vec<Key>);

impl<'a> Frame<'a> {
    /// No columns.
    pub fn new() -> Self {
        Frame::default()
    }

    /// Add the column `name`.
    pub fn insert(&mut self, name: impl Into<String>, column: FrameColumn<'a>) -> &mut Self {
        self.columns.push((name.into(), column));
        self
    }

    fn get(&self, name: &str) -> Result<&FrameColumn<'a>> {
        self.columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c)
            .ok_or_else(|| CxError::InvalidArgument {
                name: "features",
                value: format!("{name:?}"),
                expected: "a column of the data".into(),
            })
    }

    /// The column `name` as numbers (NaN for missing).
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a column the frame lacks, or text in it (naming the
    /// column and the index).
    pub fn floats(&self, name: &str) -> Result<Cow<'_, [f64]>> {
        match self.get(name)? {
            FrameColumn::Floats(v) => Ok(Cow::Borrowed(v)),
            FrameColumn::Codes { .. } => Err(CxError::InvalidArgument {
                name: "features",
                value: format!("categories in column {name:?}"),
                expected: "numbers (null for missing)".into(),
            }),
            FrameColumn::Values(values) => values
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    KeyValue::Missing => Ok(f64::NAN),
                    KeyValue::Num(x) => Ok(*x),
                    KeyValue::Str(s) => Err(CxError::InvalidArgument {
                        name: "features",
                        value: format!("{s:?} in column {name:?} at index {i}"),
                        expected: "numbers (null for missing)".into(),
                    }),
                    KeyValue::Other(what) => Err(CxError::WrongType {
                        name: "features",
                        value: format!("{what} in column {name:?} at index {i}"),
                        expected: "numbers (null for missing)".into(),
                    }),
                })
                .collect::<Result<Vec<_>>>()
                .map(Cow::Owned),
        }
    }

    /// The column `name` as categories: codes ([`MISSING_CUSTOMER`] for a missing value) and
    /// the key of each code. Values as given are keys as text or integers (a number that is
    /// not a whole number up to 2^53 is its text; NaN is missing), in order of first
    /// appearance.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a column the frame lacks; [`CxError::WrongType`] for a
    /// value that is neither a number nor text.
    pub(crate) fn categories(&self, name: &str) -> Result<Categories<'_>> {
        let values = match self.get(name)? {
            FrameColumn::Codes { codes, labels } => {
                return Ok((Cow::Borrowed(*codes), labels.clone()))
            }
            FrameColumn::Floats(v) => v.iter().map(|&x| KeyValue::Num(x)).collect(),
            FrameColumn::Values(v) => v.clone(),
        };
        let keys = values
            .iter()
            .enumerate()
            .map(|(i, v)| category_key(v).map_err(|what| bad_category(name, i, what)))
            .collect::<Result<Vec<_>>>()?;
        let (mut codes, found) = factorize(&keys);
        let mut labels = Vec::with_capacity(found.len());
        for key in found {
            match key {
                Some(k) => labels.push(k),
                None => {
                    let missing = labels.len() as u32;
                    codes
                        .iter_mut()
                        .filter(|c| **c == missing)
                        .for_each(|c| *c = MISSING_CUSTOMER);
                }
            }
        }
        Ok((Cow::Owned(codes), labels))
    }
}

/// The category of one value (`None`: missing), or the text of a value that is none.
fn category_key(v: &KeyValue) -> std::result::Result<Option<Key>, String> {
    Ok(match v {
        KeyValue::Missing => None,
        KeyValue::Str(s) => Some(Key::Str(s.clone())),
        KeyValue::Num(x) if x.is_nan() => None,
        KeyValue::Num(x) if x.fract() == 0.0 && x.abs() < 9.007e15 => Some(Key::Int(*x as i64)),
        KeyValue::Num(x) => Some(Key::Str(x.to_string())),
        KeyValue::Other(what) => return Err(what.clone()),
    })
}

fn bad_category(name: &str, index: usize, what: String) -> CxError {
    CxError::WrongType {
        name: "categorical",
        value: format!("{what} in column {name:?} at index {index}"),
        expected: "numbers or strings (null for missing)".into(),
    }
}

/// A column's name without a customer view's `_latest` / `_mean` suffix (the name of a driver
/// or CX dimension given by its column).
pub fn base_name(column: &str) -> &str {
    ["_latest", "_mean"]
        .iter()
        .find_map(|s| column.strip_suffix(s))
        .filter(|b| !b.is_empty())
        .unwrap_or(column)
}
