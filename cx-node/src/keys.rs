//! Group keys: JavaScript key columns to cx-core group codes, group labels, and the reference
//! group of a segment table.
//!
//! A key is a string, an integer, or missing (`null`, `undefined`, `NaN`). A column that mixes
//! strings and integers is a column of strings (the integer 2 becomes the key `"2"`), so every
//! group has its own label and `2` and `"2"` are one group; other columns keep their type.
//! Factorizing and combining columns is cx-core's ([`factorize`], [`combine`]): groups come
//! sorted, integers ascending or strings by code point, the missing key last, and several
//! columns in lexicographic order of their keys.

use cx_core::grouping::{combine, factorize, factorize_ints, Grouping, Key};
use cx_core::CxError;
use napi::bindgen_prelude::{Either, Either3, Null};
use napi_derive::napi;

use crate::dates::js_number;

/// One key column, one key per score: strings or integers; `null`, `undefined` and `NaN` are
/// the missing key, a group labelled `"(missing)"`.
#[napi]
pub type KeyColumn = Vec<Option<Either<String, f64>>>;

/// The keys of a grouped summary: one {@link KeyColumn}, or an array of key columns (region ×
/// channel) whose combinations are the groups.
#[napi]
pub type GroupKeys = Either<KeyColumn, Vec<KeyColumn>>;

/// One group given by its keys: one key (one key column) or one key per column; `null` in the
/// array form names the missing key. The reference group of a segment table, the group of an
/// answer pushed into a keyed tally.
pub type GroupArg = Either<Vec<Option<Either<String, f64>>>, Either<String, f64>>;

/// The reference group of a segment table (a [`GroupArg`]).
pub type Reference = GroupArg;

/// A key as JavaScript sees it in a result: a number, a string, or `null` for missing.
pub type KeyValue = Either3<f64, String, Null>;

/// One factorized key column: a code per row and the sorted distinct keys (`None` is missing).
pub(crate) struct Column {
    codes: Vec<u32>,
    labels: Vec<Option<Key>>,
}

/// Key columns combined into groups.
pub(crate) struct Groups {
    columns: Vec<Column>,
    grouping: Grouping,
}

impl Groups {
    /// Factorize and combine the key columns; each must have `rows` keys. Without keys, all rows
    /// are one group, whose keys are none (label `""`).
    pub(crate) fn new(keys: Option<GroupKeys>, rows: usize) -> Result<Groups, CxError> {
        let raw = match keys {
            None => {
                return Ok(Groups {
                    columns: vec![],
                    grouping: Grouping {
                        codes: vec![0; rows],
                        keys: vec![vec![]],
                    },
                })
            }
            Some(Either::A(column)) => vec![column],
            Some(Either::B(columns)) => columns,
        };
        for column in &raw {
            if column.len() != rows {
                return Err(CxError::LengthMismatch {
                    left_name: "values",
                    left: rows,
                    right_name: "keys",
                    right: column.len(),
                });
            }
        }
        let columns = raw
            .into_iter()
            .map(Column::new)
            .collect::<Result<Vec<_>, _>>()?;
        let codes: Vec<&[u32]> = columns.iter().map(|c| c.codes.as_slice()).collect();
        let cardinalities: Vec<usize> = columns.iter().map(|c| c.labels.len()).collect();
        let grouping = combine(&codes, &cardinalities)?;
        Ok(Groups { columns, grouping })
    }

    /// One group per row (code) and the number of groups.
    pub(crate) fn codes(&self) -> (&[u32], usize) {
        (&self.grouping.codes, self.grouping.n_groups())
    }

    /// The keys of group `g`, one per column (`None` for missing).
    fn keys(&self, g: usize) -> impl Iterator<Item = &Option<Key>> {
        self.grouping.keys[g]
            .iter()
            .zip(&self.columns)
            .map(|(&code, column)| &column.labels[code as usize])
    }

    /// The keys of group `g`, one per column, the missing key as [`Key::Missing`].
    pub(crate) fn labels(&self, g: usize) -> Vec<Key> {
        self.keys(g)
            .map(|k| k.clone().unwrap_or(Key::Missing))
            .collect()
    }

    /// The label of group `g` (its keys joined with " / ") and its keys for JavaScript.
    pub(crate) fn describe(&self, g: usize) -> (String, Vec<KeyValue>) {
        describe(&self.labels(g))
    }

    /// The code of the reference group: the group whose keys equal the reference's, compared as
    /// text so that `2` and `"2"` name the same key in any column.
    pub(crate) fn find(&self, reference: Reference) -> Result<usize, CxError> {
        let wanted = key_tuple("reference", Some(reference), self.columns.len())?;
        (0..self.grouping.n_groups())
            .find(|&g| same_text(&self.labels(g), &wanted))
            .ok_or_else(|| unknown_group(&wanted, self.grouping.n_groups()))
    }
}

/// The label of a group (its keys joined with " / ", `"(missing)"` for a missing key) and its
/// keys for JavaScript (`null` for a missing key).
pub(crate) fn describe(keys: &[Key]) -> (String, Vec<KeyValue>) {
    let labels: Vec<String> = keys.iter().map(Key::to_string).collect();
    let values = keys
        .iter()
        .map(|k| match k {
            Key::Int(i) => Either3::A(*i as f64),
            Key::Str(s) => Either3::B(s.clone()),
            Key::Missing => Either3::C(Null),
        })
        .collect();
    (labels.join(" / "), values)
}

/// The keys of one group as given from JavaScript (`what` names the argument in errors): one
/// key (a string, a number, or `null` / `undefined` / `NaN` for the missing key) when there is
/// one key column, or an array of one key per column. Without any key column, `null` /
/// `undefined` is the one group's empty key.
///
/// # Errors
/// [`CxError::InvalidArgument`] for a number that is not an integer up to 2^53 - 1 in
/// magnitude, or a number of keys other than `columns`.
pub(crate) fn key_tuple(
    what: &'static str,
    given: Option<GroupArg>,
    columns: usize,
) -> Result<Vec<Key>, CxError> {
    let given = match given {
        None if columns == 0 => vec![],
        None => vec![None],
        Some(Either::A(list)) => list,
        Some(Either::B(one)) => vec![Some(one)],
    };
    let keys = given
        .into_iter()
        .map(|k| key_of(k).map_err(js_number))
        .collect();
    tuple_of(what, keys, columns)
}

/// One key per column, the missing key as [`Key::Missing`].
fn tuple_of(
    what: &'static str,
    keys: Vec<Result<Option<Key>, String>>,
    columns: usize,
) -> Result<Vec<Key>, CxError> {
    let n = keys.len();
    let keys = keys
        .into_iter()
        .map(|k| {
            k.map(|k| k.unwrap_or(Key::Missing))
                .map_err(|value| not_a_key(what, value))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if n != columns {
        return Err(CxError::InvalidArgument {
            name: what,
            value: format!("{n} key(s)"),
            expected: format!(
                "one key per key column ({columns}): a string or number, or an array of keys"
            ),
        });
    }
    Ok(keys)
}

/// Whether two groups' keys are the same as text (`2` and `"2"` are; the missing key is only
/// itself).
pub(crate) fn same_text(a: &[Key], b: &[Key]) -> bool {
    let text = |k: &Key| match k {
        Key::Missing => None,
        k => Some(k.to_string()),
    };
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| text(x) == text(y))
}

/// The error for a group not among `groups` groups.
pub(crate) fn unknown_group(keys: &[Key], groups: usize) -> CxError {
    CxError::UnknownGroup {
        name: describe(keys).0,
        groups,
    }
}

impl Column {
    fn new(raw: KeyColumn) -> Result<Column, CxError> {
        let mut keys = Vec::with_capacity(raw.len());
        for (index, k) in raw.into_iter().enumerate() {
            let key = key_of(k)
                .map_err(|x| not_a_key("keys", format!("{} at index {index}", js_number(x))))?;
            keys.push(key);
        }
        let ints: Option<Vec<i64>> = keys
            .iter()
            .map(|k| match k {
                Some(Key::Int(i)) => Some(*i),
                _ => None,
            })
            .collect();
        if let Some(ints) = ints {
            // Integers without a missing key: cx-core's integer factorizing (no hashing).
            let (codes, labels) = factorize_ints(&ints);
            let labels = labels.into_iter().map(|i| Some(Key::Int(i))).collect();
            return Ok(Column { codes, labels });
        }
        if keys.iter().any(|k| matches!(k, Some(Key::Str(_)))) {
            for k in &mut keys {
                if let Some(Key::Int(i)) = k {
                    *k = Some(Key::Str(i.to_string()));
                }
            }
        }
        let (codes, labels) = factorize(&keys);
        Ok(Column { codes, labels })
    }
}

/// The key of one JavaScript key, or the number that is not one (not an integer up to 2^53).
fn key_of(k: Option<Either<String, f64>>) -> Result<Option<Key>, f64> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    match k {
        None => Ok(None),
        Some(Either::A(s)) => Ok(Some(Key::Str(s))),
        Some(Either::B(x)) if x.is_nan() => Ok(None),
        Some(Either::B(x)) if x.fract() == 0.0 && x.abs() <= MAX_SAFE => {
            Ok(Some(Key::Int(x as i64)))
        }
        Some(Either::B(x)) => Err(x),
    }
}

fn not_a_key(name: &'static str, value: String) -> CxError {
    CxError::InvalidArgument {
        name,
        value,
        expected: "a string, an integer (at most 2^53 - 1 in magnitude), or null, undefined or \
                   NaN for the missing key"
            .into(),
    }
}
