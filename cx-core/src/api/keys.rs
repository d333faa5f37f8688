//! Group keys as bindings hand them in, to group codes: one rule for every language.
//!
//! A key is a string, an integer, or missing (Python `None`/NaN, JavaScript `null`,
//! `undefined` and `NaN`). A column that mixes strings and integers is a column of strings (the
//! integer 2 becomes the key `"2"`), so `2` and `"2"` are one group; a number that is not an
//! integer up to 2^53 in magnitude is no key. Groups are sorted: integers ascending, strings by
//! code point, the missing key last, several columns lexicographically
//! ([`crate::grouping`]).

use std::borrow::Cow;

use crate::api::input::Numbers;
use crate::api::value::Value;
use crate::error::{CxError, Result};
use crate::grouping::{combine, factorize, factorize_ints, Key};

/// One key as a binding reads it, before the core judges it.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyValue {
    /// `None`, `null`, `undefined` or NaN: the missing key.
    Missing,
    /// A number (an integer key when it is a whole number up to 2^53).
    Num(f64),
    /// Text.
    Str(String),
    /// A value that is no key (a boolean, an object, ...), described as the caller would.
    Other(String),
}

/// One key column as a binding hands it in.
#[derive(Debug, Clone)]
pub enum KeyColumn<'a> {
    /// Dense codes `0..labels.len()`, factorized by the binding's own DataFrame library, with
    /// the key of each code.
    Codes {
        /// One code per row.
        codes: &'a [u32],
        /// The key of each code.
        labels: Vec<KeyValue>,
    },
    /// Integer keys of any integer element type, grouped by value.
    Ints(Numbers<'a>),
    /// Keys as given.
    Values(Vec<KeyValue>),
}

impl KeyColumn<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            KeyColumn::Codes { codes, .. } => codes.len(),
            KeyColumn::Ints(n) => n.len(),
            KeyColumn::Values(v) => v.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The key of one given value, or the text of a value that is none.
pub(crate) fn key_of(k: &KeyValue) -> std::result::Result<Key, String> {
    key_or_kind(k).map_err(|(text, _)| text)
}

/// The key of one given value, or the text of a value that is no key and whether it is of
/// the wrong type altogether (not a number or text).
fn key_or_kind(k: &KeyValue) -> std::result::Result<Key, (String, bool)> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    match *k {
        KeyValue::Missing => Ok(Key::Missing),
        KeyValue::Str(ref s) => Ok(Key::Str(s.clone())),
        KeyValue::Num(x) if x.is_nan() => Ok(Key::Missing),
        KeyValue::Num(x) if x.fract() == 0.0 && x.abs() <= MAX_SAFE => Ok(Key::Int(x as i64)),
        KeyValue::Num(x) => Err((js_number(x), false)),
        KeyValue::Other(ref what) => Err((what.clone(), true)),
    }
}

/// A number as JavaScript and Python users write it (`Infinity`, not `inf`).
fn js_number(x: f64) -> String {
    match x {
        f64::INFINITY => "Infinity".into(),
        f64::NEG_INFINITY => "-Infinity".into(),
        _ => x.to_string(),
    }
}

const A_KEY: &str = "a string, an integer (at most 2^53 - 1 in magnitude), or null, undefined \
                     or NaN for the missing key";

fn not_a_key(name: &'static str, value: String) -> CxError {
    CxError::InvalidArgument {
        name,
        value,
        expected: A_KEY.into(),
    }
}

/// The error of a value that is no key: of the wrong type, or a number that is no integer.
fn bad_key(name: &'static str, (value, wrong_type): (String, bool)) -> CxError {
    if wrong_type {
        CxError::WrongType {
            name,
            value,
            expected: A_KEY.into(),
        }
    } else {
        not_a_key(name, value)
    }
}

/// A key given as an option value (the `reference` group, a pushed answer's group).
pub(crate) fn key_of_value(name: &'static str, v: &Value) -> Result<Key> {
    let k = match v {
        Value::Null => KeyValue::Missing,
        Value::Num(x) => KeyValue::Num(*x),
        Value::Int(i) => KeyValue::Num(*i as f64),
        Value::Str(s) => KeyValue::Str(s.clone()),
        Value::Bool(b) => return Err(bad_key(name, (format!("{b} (a boolean)"), true))),
        other => return Err(bad_key(name, (other.to_string(), true))),
    };
    key_or_kind(&k).map_err(|e| bad_key(name, e))
}

/// The keys of one group as given: one key when there is one key column, or a list of one key
/// per column (`null` for the missing key). Without any key column, `null` is the one group.
///
/// # Errors
/// [`CxError::InvalidArgument`] for a value that is no key, or a number of keys other than
/// `columns`.
pub fn key_tuple(name: &'static str, given: &Value, columns: usize) -> Result<Vec<Key>> {
    let keys = match given {
        Value::Null if columns == 0 => vec![],
        Value::List(items) => items
            .iter()
            .map(|k| key_of_value(name, k))
            .collect::<Result<Vec<_>>>()?,
        one => vec![key_of_value(name, one)?],
    };
    if keys.len() != columns {
        return Err(CxError::InvalidArgument {
            name,
            value: format!("{} key(s)", keys.len()),
            expected: format!(
                "one key per key column ({columns}): a string or number, or an array of keys"
            ),
        });
    }
    Ok(keys)
}

/// Whether two groups' keys are the same as text (`2` and `"2"` are; the missing key is only
/// itself).
pub fn same_text(a: &[Key], b: &[Key]) -> bool {
    let text = |k: &Key| match k {
        Key::Missing => None,
        k => Some(k.to_string()),
    };
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| text(x) == text(y))
}

/// The label of a group: its keys joined with `" / "`, `"(missing)"` for a missing key.
pub fn group_label(keys: &[Key]) -> String {
    keys.iter()
        .map(Key::to_string)
        .collect::<Vec<_>>()
        .join(" / ")
}

/// One factorized key column: a code per row and the key of each code.
struct Column<'a> {
    codes: Cow<'a, [u32]>,
    labels: Vec<Key>,
}

impl<'a> Column<'a> {
    fn of(column: &KeyColumn<'a>, name: &'static str) -> Result<Column<'a>> {
        match column {
            KeyColumn::Codes { codes, labels } => {
                let labels = labels
                    .iter()
                    .map(|k| key_of(k).map_err(|x| not_a_key(name, x)))
                    .collect::<Result<Vec<_>>>()?;
                if let Some((index, &c)) = codes
                    .iter()
                    .enumerate()
                    .find(|(_, &c)| c as usize >= labels.len())
                {
                    return Err(CxError::GroupOutOfRange {
                        index,
                        group: i64::from(c),
                        groups: labels.len(),
                    });
                }
                Ok(Column {
                    codes: Cow::Borrowed(codes),
                    labels,
                })
            }
            KeyColumn::Ints(n) => {
                if let Some(ints) = int_keys(n) {
                    let (codes, labels) = factorize_ints(&ints);
                    return Ok(Column {
                        codes: Cow::Owned(codes),
                        labels: labels.into_iter().map(Key::Int).collect(),
                    });
                }
                let values: Vec<KeyValue> = n.to_f64().iter().map(|&x| KeyValue::Num(x)).collect();
                Column::of(&KeyColumn::Values(values), name)
            }
            KeyColumn::Values(values) => {
                let mut keys = Vec::with_capacity(values.len());
                for (index, k) in values.iter().enumerate() {
                    let key = key_or_kind(k).map_err(|(x, wrong)| {
                        bad_key(name, (format!("{x} at index {index}"), wrong))
                    })?;
                    keys.push(key);
                }
                let ints: Option<Vec<i64>> = keys
                    .iter()
                    .map(|k| match k {
                        Key::Int(i) => Some(*i),
                        _ => None,
                    })
                    .collect();
                if let Some(ints) = ints {
                    // Integers without a missing key: integer factorizing (no hashing).
                    let (codes, labels) = factorize_ints(&ints);
                    return Ok(Column {
                        codes: Cow::Owned(codes),
                        labels: labels.into_iter().map(Key::Int).collect(),
                    });
                }
                let text = keys.iter().any(|k| matches!(k, Key::Str(_)));
                let keys: Vec<Option<Key>> = keys
                    .into_iter()
                    .map(|k| match k {
                        Key::Missing => None,
                        Key::Int(i) if text => Some(Key::Str(i.to_string())),
                        k => Some(k),
                    })
                    .collect();
                let (codes, labels) = factorize(&keys);
                Ok(Column {
                    codes: Cow::Owned(codes),
                    labels: labels
                        .into_iter()
                        .map(|k| k.unwrap_or(Key::Missing))
                        .collect(),
                })
            }
        }
    }
}

/// The integer keys of an integer column (`None` for float columns).
fn int_keys(n: &Numbers) -> Option<Vec<i64>> {
    match *n {
        Numbers::U8(s) => Some(s.iter().map(|&x| i64::from(x)).collect()),
        Numbers::I8(s) => Some(s.iter().map(|&x| i64::from(x)).collect()),
        Numbers::U16(s) => Some(s.iter().map(|&x| i64::from(x)).collect()),
        Numbers::I16(s) => Some(s.iter().map(|&x| i64::from(x)).collect()),
        Numbers::U32(s) => Some(s.iter().map(|&x| i64::from(x)).collect()),
        Numbers::I32(s) => Some(s.iter().map(|&x| i64::from(x)).collect()),
        Numbers::I64(s) => Some(s.to_vec()),
        Numbers::U64(_) | Numbers::F32(_) | Numbers::F64(_) => None,
    }
}

/// Rows grouped by their keys: one code per row, and each group's key in every column.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups<'a> {
    /// One group code per row.
    pub codes: Cow<'a, [u32]>,
    /// Per group, the code of its key in each column (the binding's own label order for
    /// [`KeyColumn::Codes`]).
    pub column_codes: Vec<Vec<u32>>,
    /// Per group, its key in each column.
    pub keys: Vec<Vec<Key>>,
    /// Number of key columns.
    pub columns: usize,
}

impl<'a> Groups<'a> {
    /// Group `rows` rows by `columns` (none: one group of every row, with no keys).
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] for a column of another length than `rows`;
    /// [`CxError::InvalidArgument`] for a value that is no key; [`CxError::GroupOutOfRange`]
    /// for a code beyond its labels.
    pub fn new(columns: &[KeyColumn<'a>], rows: usize, name: &'static str) -> Result<Groups<'a>> {
        for c in columns {
            if c.len() != rows {
                return Err(CxError::LengthMismatch {
                    left_name: "values",
                    left: rows,
                    right_name: name,
                    right: c.len(),
                });
            }
        }
        let mut factorized = columns
            .iter()
            .map(|c| Column::of(c, name))
            .collect::<Result<Vec<_>>>()?;
        match factorized.len() {
            0 => Ok(Groups {
                codes: Cow::Owned(vec![0; rows]),
                column_codes: vec![vec![]],
                keys: vec![vec![]],
                columns: 0,
            }),
            1 => {
                let c = factorized.pop().expect("one column");
                let n = c.labels.len();
                Ok(Groups {
                    codes: c.codes,
                    column_codes: (0..n as u32).map(|g| vec![g]).collect(),
                    keys: c.labels.into_iter().map(|k| vec![k]).collect(),
                    columns: 1,
                })
            }
            _ => {
                let codes: Vec<&[u32]> = factorized.iter().map(|c| &*c.codes).collect();
                let cards: Vec<usize> = factorized.iter().map(|c| c.labels.len()).collect();
                let g = combine(&codes, &cards)?;
                let keys = g
                    .keys
                    .iter()
                    .map(|cc| {
                        cc.iter()
                            .zip(&factorized)
                            .map(|(&c, col)| col.labels[c as usize].clone())
                            .collect()
                    })
                    .collect();
                Ok(Groups {
                    codes: Cow::Owned(g.codes),
                    column_codes: g.keys,
                    keys,
                    columns: factorized.len(),
                })
            }
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no group.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The code of the group named by `reference` (see [`key_tuple`]; keys compare as text).
    ///
    /// # Errors
    /// [`CxError::UnknownGroup`] when no group has those keys; the errors of [`key_tuple`].
    pub fn find(&self, reference: &Value) -> Result<usize> {
        let wanted = key_tuple("reference", reference, self.columns)?;
        self.keys
            .iter()
            .position(|k| same_text(k, &wanted))
            .ok_or_else(|| CxError::UnknownGroup {
                name: group_label(&wanted),
                groups: self.len(),
            })
    }
}
