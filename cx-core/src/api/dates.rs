//! Dates as bindings hand them in, to days since 1970-01-01 (UTC): the input of
//! [`Periods::from_days`](crate::period::Periods::from_days).
//!
//! A date is a day number (Python's `datetime64[D]`, read in place), epoch milliseconds (a
//! JavaScript `Date` or number), or an ISO 8601 string; `None`, `null`, `undefined`, `NaN`, an
//! invalid `Date` and the empty string are missing dates ([`MISSING_DAY`]). The day of an
//! instant is `floor(ms / 86 400 000)`, its UTC calendar day.
//!
//! Strings are the ECMAScript date time string format (ECMA-262, "Date Time String Format")
//! that `Date.parse` accepts, i.e. `YYYY`, `YYYY-MM`, `YYYY-MM-DD` and extended years
//! `±YYYYYY`, optionally followed by `THH:mm`, `THH:mm:ss` or `THH:mm:ss.sss` and an offset `Z`
//! or `±HH:mm` (`t`, `z`, a space for the `T` and `±HHmm` accepted too, as RFC 3339 and SQL
//! exports write them). One deliberate difference: a date-time without an offset is read as
//! UTC (`Date.parse` reads it in the machine's time zone, so the day would depend on where the
//! code runs). Impossible dates are errors (`Date.parse` rolls `2026-02-30` over to March 2
//! through its legacy fallback), and so is any other text: an error names the index and the
//! text, rather than silently dropping a row.

use std::borrow::Cow;

use crate::error::{CxError, Result};
use crate::period::{days_from_civil, MISSING_DAY};

const MS_PER_DAY: i64 = 86_400_000;

/// One date as a binding reads it, before the core judges it.
#[derive(Debug, Clone, PartialEq)]
pub enum DateValue {
    /// A missing date.
    Missing,
    /// Epoch milliseconds (NaN is missing).
    Ms(f64),
    /// An ISO 8601 date or date-time (empty is missing).
    Text(String),
    /// A value that is no date (a boolean, an object, ...), described as the caller would.
    Other(String),
}

/// A date column as a binding hands it in.
#[derive(Debug, Clone)]
pub enum DateColumn<'a> {
    /// Days since 1970-01-01, [`MISSING_DAY`] for a missing date.
    Days(&'a [i64]),
    /// Dates as given.
    Values(Vec<DateValue>),
}

impl DateColumn<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            DateColumn::Days(d) => d.len(),
            DateColumn::Values(v) => v.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Days since 1970-01-01 of every date ([`MISSING_DAY`] for a missing one); `name` names
    /// the argument in errors.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] naming the index and the text of a value that is no date.
    pub fn days(&self, name: &'static str) -> Result<Cow<'_, [i64]>> {
        let values = match self {
            DateColumn::Days(d) => return Ok(Cow::Borrowed(d)),
            DateColumn::Values(v) => v,
        };
        let mut days = Vec::with_capacity(values.len());
        for (index, date) in values.iter().enumerate() {
            days.push(match date {
                DateValue::Missing => MISSING_DAY,
                DateValue::Ms(ms) => {
                    day_of_ms(*ms).ok_or_else(|| invalid(name, index, js_number(*ms)))?
                }
                DateValue::Text(text) if text.trim().is_empty() => MISSING_DAY,
                DateValue::Other(what) => {
                    return Err(CxError::WrongType {
                        name,
                        value: format!("{what} at index {index}"),
                        expected: A_DATE.into(),
                    })
                }
                DateValue::Text(text) => parse_iso_ms(text)
                    .map(|ms| ms.div_euclid(MS_PER_DAY))
                    .ok_or_else(|| invalid(name, index, format!("{text:?}")))?,
            });
        }
        Ok(Cow::Owned(days))
    }
}

/// The UTC day of epoch milliseconds; NaN is a missing date, an infinity is invalid (`None`).
fn day_of_ms(ms: f64) -> Option<i64> {
    if ms.is_nan() {
        Some(MISSING_DAY)
    } else if ms.is_infinite() {
        None
    } else {
        // Saturating: a far-away date stays far away (the period check rejects it with its
        // range) and cannot become MISSING_DAY (i64::MIN), since the division brings it back.
        Some((ms.floor() as i64).div_euclid(MS_PER_DAY))
    }
}

/// A number as JavaScript prints it, for the values that Rust prints differently (`inf`).
fn js_number(x: f64) -> String {
    match x {
        f64::INFINITY => "Infinity".into(),
        f64::NEG_INFINITY => "-Infinity".into(),
        _ => x.to_string(),
    }
}

const A_DATE: &str = "a Date, epoch milliseconds or an ISO 8601 date such as \"2026-03-05\" or \
                      \"2026-03-05T10:00:00Z\" (null, undefined, NaN or \"\" for a missing date)";

fn invalid(name: &'static str, index: usize, value: String) -> CxError {
    CxError::InvalidArgument {
        name,
        value: format!("{value} at index {index}"),
        expected: A_DATE.into(),
    }
}

/// Epoch milliseconds of an ISO 8601 date or date-time (see the module documentation), or
/// `None` when the text is not one.
pub fn parse_iso_ms(text: &str) -> Option<i64> {
    let mut c = Cursor {
        bytes: text.trim().as_bytes(),
        at: 0,
    };
    let year = match c.peek() {
        Some(sign @ (b'+' | b'-')) => {
            c.at += 1;
            let y = c.digits(6)?;
            // "-000000" is not a year (ECMA-262).
            match (sign, y) {
                (b'-', 0) => return None,
                (b'-', y) => -y,
                (_, y) => y,
            }
        }
        _ => c.digits(4)?,
    };
    let (mut month, mut day) = (1, 1);
    if c.eat(b'-') {
        month = c.digits(2)?;
        if c.eat(b'-') {
            day = c.digits(2)?;
        }
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month as u32, day as u32) * MS_PER_DAY;
    if c.eat(b'T') || c.eat(b't') || c.eat(b' ') {
        let hour = c.digits(2)?;
        c.eat(b':').then_some(())?;
        let minute = c.digits(2)?;
        let (mut second, mut milli) = (0, 0);
        if c.eat(b':') {
            second = c.digits(2)?;
            if c.eat(b'.') {
                milli = c.fraction_ms()?;
            }
        }
        let end_of_day = hour == 24 && minute == 0 && second == 0 && milli == 0;
        if (hour > 23 && !end_of_day) || minute > 59 || second > 59 {
            return None;
        }
        ms += ((hour * 60 + minute) * 60 + second) * 1000 + milli;
        match c.peek() {
            Some(b'Z' | b'z') => c.at += 1,
            Some(sign @ (b'+' | b'-')) => {
                c.at += 1;
                let oh = c.digits(2)?;
                c.eat(b':');
                let om = c.digits(2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let offset = (oh * 60 + om) * 60_000;
                ms -= if sign == b'+' { offset } else { -offset };
            }
            _ => {}
        }
    }
    (c.at == c.bytes.len()).then_some(ms)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month as u32 + 1, 1)
    };
    next - days_from_civil(year, month as u32, 1)
}

struct Cursor<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.peek() == Some(byte);
        self.at += usize::from(hit);
        hit
    }

    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Option<i64> {
        let run = self.bytes.get(self.at..self.at + n)?;
        if !run.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += n;
        Some(run.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0')))
    }

    /// One or more fraction digits as whole milliseconds (further digits truncated, as V8).
    fn fraction_ms(&mut self) -> Option<i64> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let run = &self.bytes[start..self.at];
        if run.is_empty() {
            return None;
        }
        Some(
            (0..3)
                .map(|i| run.get(i).map_or(0, |d| i64::from(d - b'0')))
                .fold(0, |acc, d| acc * 10 + d),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i64, mo: u32, d: u32, h: i64, mi: i64, s: i64, ms: i64) -> i64 {
        days_from_civil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000 + ms
    }

    #[test]
    fn ecmascript_date_time_forms() {
        // Values as `Date.parse` gives them (node 20) for the forms with an offset or no time.
        assert_eq!(parse_iso_ms("1970-01-01"), Some(0));
        assert_eq!(parse_iso_ms("2026-03-05"), Some(1_772_668_800_000));
        assert_eq!(parse_iso_ms("2026-03"), Some(utc(2026, 3, 1, 0, 0, 0, 0)));
        assert_eq!(parse_iso_ms("2026"), Some(utc(2026, 1, 1, 0, 0, 0, 0)));
        assert_eq!(
            parse_iso_ms("2026-03-05T10:00:00Z"),
            Some(1_772_704_800_000)
        );
        assert_eq!(parse_iso_ms("2026-03-05T10:00Z"), Some(1_772_704_800_000));
        assert_eq!(
            parse_iso_ms("2026-03-05T10:00:00.123Z"),
            Some(1_772_704_800_123)
        );
        assert_eq!(
            parse_iso_ms("2026-03-05T10:00:00.1239Z"),
            Some(1_772_704_800_123)
        );
        assert_eq!(
            parse_iso_ms("2026-03-05T10:00:00.5Z"),
            Some(1_772_704_800_500)
        );
        assert_eq!(
            parse_iso_ms("2026-03-05T23:30:00-02:00"),
            Some(utc(2026, 3, 6, 1, 30, 0, 0))
        );
        assert_eq!(
            parse_iso_ms("2026-03-05T00:30:00+01:00"),
            Some(utc(2026, 3, 4, 23, 30, 0, 0))
        );
        assert_eq!(
            parse_iso_ms("2026-03-05T24:00:00Z"),
            Some(utc(2026, 3, 6, 0, 0, 0, 0))
        );
        assert_eq!(parse_iso_ms("+002026-03-05"), parse_iso_ms("2026-03-05"));
        assert_eq!(
            parse_iso_ms("-000001-12-31"),
            Some(utc(-1, 12, 31, 0, 0, 0, 0))
        );
        assert_eq!(parse_iso_ms("1969-12-31T23:59:59.999Z"), Some(-1));
        assert_eq!(
            parse_iso_ms(" 2024-02-29 "),
            Some(utc(2024, 2, 29, 0, 0, 0, 0))
        );
    }

    #[test]
    fn no_offset_is_utc_and_space_separates() {
        let z = parse_iso_ms("2026-03-05T23:30:00Z");
        assert_eq!(parse_iso_ms("2026-03-05T23:30:00"), z);
        assert_eq!(parse_iso_ms("2026-03-05 23:30:00"), z);
        assert_eq!(parse_iso_ms("2026-03-05 23:30:00+0000"), z);
        assert_eq!(parse_iso_ms("2026-03-05t23:30:00z"), z);
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "2026-3-5",
            "2026-13-01",
            "2026-02-29",
            "2026-04-31",
            "2026-00-10",
            "26-03-05",
            "2026-03-05T",
            "2026-03-05T10",
            "2026-03-05T25:00",
            "2026-03-05T24:00:01Z",
            "2026-03-05T10:60",
            "2026-03-05T10:00:00.",
            "2026-03-05Z",
            "2026-03-05T10:00+25:00",
            "2026/03/05",
            "March 5, 2026",
            "-000000-01-01",
            "2026-03-05T10:00:00Zjunk",
            "１２３４",
        ] {
            assert_eq!(parse_iso_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn days_of_milliseconds() {
        assert_eq!(day_of_ms(0.0), Some(0));
        assert_eq!(day_of_ms(-1.0), Some(-1));
        assert_eq!(day_of_ms(86_399_999.9), Some(0));
        assert_eq!(day_of_ms(f64::NAN), Some(MISSING_DAY));
        assert_eq!(day_of_ms(f64::INFINITY), None);
        assert_ne!(day_of_ms(-1e300), Some(MISSING_DAY));
    }
}
