//! A transaction log as the bindings hand it in: customer ids (a key column), dates and revenue,
//! read by one rule for `retention`, `cohorts`, `acquisition` and `activity`.

use std::borrow::Cow;

use crate::api::dates::DateColumn;
use crate::api::keys::{Groups, KeyColumn};
use crate::api::{Args, Kind, Param};
use crate::error::{CxError, Result};
use crate::grouping::{Key, MISSING_LABEL};
use crate::transactions::MISSING_CUSTOMER;

/// The customer id column.
pub(super) const CUSTOMERS: Param = Param {
    name: "customers",
    kind: Kind::Keys,
    positional: true,
    required: true,
    doc: "One customer id per row: strings or integers (None, null, undefined and NaN are \
          missing: the row is skipped and counted in `missing`).",
    aliases: &[],
    column: None,
};

/// The date column.
pub(super) const DATES: Param = Param {
    name: "dates",
    kind: Kind::Dates,
    positional: true,
    required: true,
    doc: "One date per row: dates, datetimes, epoch milliseconds or ISO 8601 strings (a \
          missing date skips the row, counted in `missing`).",
    aliases: &[],
    column: None,
};

/// The revenue column.
pub(super) const REVENUE: Param = Param {
    name: "revenue",
    kind: Kind::Numbers,
    positional: true,
    required: true,
    doc: "One amount per row (money; negative for a refund, netted per customer and period but \
          never a purchase; NaN, None and null are missing).",
    aliases: &[],
    column: None,
};

/// The acquisition channel column.
pub(super) const CHANNELS: Param = Param {
    name: "channels",
    kind: Kind::Keys,
    positional: true,
    required: true,
    doc: "One acquisition channel per row (strings or integers; a missing channel is \
          \"(missing)\"). A customer's channel is that of their first purchase (on a day with \
          purchases in several channels, the first in sorted order).",
    aliases: &[],
    column: None,
};

/// A transaction log read from an entry point's inputs.
pub(super) struct Log<'a> {
    /// Dense customer codes, [`MISSING_CUSTOMER`] for a missing id.
    pub codes: Cow<'a, [u32]>,
    /// The id of each code, sorted.
    pub ids: Vec<Key>,
    /// Days since 1970-01-01, [`MISSING_DAY`] for a missing date.
    pub days: Cow<'a, [i64]>,
    /// Revenue per row.
    pub revenue: Cow<'a, [f64]>,
}

/// The one key column of `name`.
fn one_column<'a>(a: &Args<'a>, name: &'static str) -> Result<KeyColumn<'a>> {
    let mut columns = a.keys(name)?;
    match columns.len() {
        1 => Ok(columns.pop().expect("one column")),
        0 => Err(nothing(name, "a key column")),
        n => Err(CxError::InvalidArgument {
            name,
            value: format!("{n} key columns"),
            expected: "one key column".into(),
        }),
    }
}

/// The error of a required input that was not given.
pub(super) fn nothing(name: &'static str, expected: &str) -> CxError {
    CxError::WrongType {
        name,
        value: "nothing".into(),
        expected: expected.into(),
    }
}

/// The groups of the key column `name`: dense codes and the key of each code.
fn groups<'a>(a: &Args<'a>, name: &'static str) -> Result<(Cow<'a, [u32]>, Vec<Key>)> {
    let column = one_column(a, name)?;
    let g = Groups::new(std::slice::from_ref(&column), column.len(), name)?;
    let keys = g
        .keys
        .into_iter()
        .map(|mut k| k.pop().unwrap_or(Key::Missing));
    Ok((g.codes, keys.collect()))
}

/// Read the customer ids, dates and revenue of the entry point's inputs: ids grouped by the
/// rule of every key column (sorted; the missing id becomes [`MISSING_CUSTOMER`]), dates to
/// days. Lengths and values are checked by the summary that reads the log.
///
/// # Errors
/// [`CxError::WrongType`] for a column not given or of another kind; the errors of
/// [`Groups::new`] and of [`DateColumn::days`](crate::api::DateColumn::days).
pub(super) fn read<'a>(a: &Args<'a>) -> Result<Log<'a>> {
    let (codes, keys) = groups(a, "customers")?;
    let mut remap = Vec::with_capacity(keys.len());
    let mut ids = Vec::with_capacity(keys.len());
    for k in keys {
        if k == Key::Missing {
            remap.push(MISSING_CUSTOMER);
        } else {
            remap.push(ids.len() as u32);
            ids.push(k);
        }
    }
    let identity = remap.iter().enumerate().all(|(i, &c)| c == i as u32);
    let codes = if identity {
        codes
    } else {
        Cow::Owned(codes.iter().map(|&c| remap[c as usize]).collect())
    };
    let days = match a.dates("dates")? {
        Some(DateColumn::Days(d)) => Cow::Borrowed(d),
        Some(d) => Cow::Owned(d.days("dates")?.into_owned()),
        None => return Err(nothing("dates", "dates")),
    };
    let revenue = a
        .floats("revenue")?
        .ok_or_else(|| nothing("revenue", "an array of numbers"))?;
    Ok(Log {
        codes,
        ids,
        days,
        revenue,
    })
}

/// The acquisition channel of every row: dense codes and their labels (a missing channel is
/// the label `"(missing)"`, sorted last).
///
/// # Errors
/// As [`read`].
pub(super) fn channels<'a>(a: &Args<'a>) -> Result<(Cow<'a, [u32]>, Vec<Key>)> {
    let (codes, keys) = groups(a, "channels")?;
    let labels = keys
        .into_iter()
        .map(|k| match k {
            Key::Missing => Key::Str(MISSING_LABEL.into()),
            k => k,
        })
        .collect();
    Ok((codes, labels))
}
