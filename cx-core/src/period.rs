//! Calendar periods for trends: day, ISO week, month, quarter and year, from dates given as
//! days since 1970-01-01 (UTC).
//!
//! Every period has an integer index that increases by one from one period to the next, so a
//! trend is a run of consecutive indices, and a label (`2026-03-05`, `2026-W09`, `2026-03`,
//! `2026-Q1`, `2026`). Weeks are ISO 8601 weeks: they start on Monday and belong to the year of
//! their Thursday.
//!
//! Calendar arithmetic follows Hinnant, H. (2013), "chrono-Compatible Low-Level Date
//! Algorithms" (`days_from_civil`, `civil_from_days`), proleptic Gregorian calendar.

use crate::error::{CxError, Result};

/// The missing-date marker in day arrays (numpy's `NaT` is `i64::MIN` too).
pub const MISSING_DAY: i64 = i64::MIN;

/// The range of representable dates, in days since 1970-01-01: a date further than this from
/// 1970-01-01 (about ±27,000 years) is rejected by every reader of dates (periods, transaction
/// logs, summaries), so that period arithmetic can never overflow.
pub const MAX_ABS_DAY: i64 = 10_000_000;

/// The most periods a trend may span (about 27,000 years of days).
pub const MAX_PERIODS: usize = 10_000_000;

/// A period length. The default is the month, the usual reporting period of CX programmes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Freq {
    /// Calendar day.
    Day,
    /// ISO 8601 week (Monday to Sunday), labelled by ISO year and week number.
    Week,
    /// Calendar month.
    #[default]
    Month,
    /// Calendar quarter (Q1 = January to March).
    Quarter,
    /// Calendar year.
    Year,
}

// `day`/`D`, `week`/`W`, `month`/`M`, `quarter`/`Q`, `year`/`Y` (any case), and pandas'
// offset aliases.
crate::choice! { Freq, "freq", {
    Day => "day" | "d",
    Week => "week" | "w",
    Month => "month" | "m" | "me" | "ms",
    Quarter => "quarter" | "q" | "qe" | "qs",
    Year => "year" | "y" | "a" | "ye",
}}

/// Days since 1970-01-01 of a proleptic Gregorian date.
///
/// # Examples
/// ```
/// use cx_core::period::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2000, 3, 1), 11017);
/// ```
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01.
///
/// # Examples
/// ```
/// use cx_core::period::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// ```
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// ISO weekday, 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

impl Freq {
    /// The index of the period containing `days`.
    pub fn index(self, days: i64) -> i64 {
        match self {
            Freq::Day => days,
            Freq::Week => (days + 3).div_euclid(7),
            Freq::Month => {
                let (y, m, _) = civil_from_days(days);
                y * 12 + i64::from(m) - 1
            }
            Freq::Quarter => {
                let (y, m, _) = civil_from_days(days);
                y * 4 + (i64::from(m) - 1) / 3
            }
            Freq::Year => civil_from_days(days).0,
        }
    }

    /// The first day (days since 1970-01-01) of period `index`.
    pub fn start(self, index: i64) -> i64 {
        match self {
            Freq::Day => index,
            Freq::Week => index * 7 - 3,
            Freq::Month => {
                days_from_civil(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
            }
            Freq::Quarter => {
                days_from_civil(index.div_euclid(4), (index.rem_euclid(4) * 3) as u32 + 1, 1)
            }
            Freq::Year => days_from_civil(index, 1, 1),
        }
    }

    /// The label of period `index`: `2026-03-05`, `2026-W09`, `2026-03`, `2026-Q1`, `2026`.
    ///
    /// # Examples
    /// ```
    /// use cx_core::period::{days_from_civil, Freq};
    /// let d = days_from_civil(2021, 1, 3);      // a Sunday in ISO week 53 of 2020
    /// assert_eq!(Freq::Week.label(Freq::Week.index(d)), "2020-W53");
    /// assert_eq!(Freq::Quarter.label(Freq::Quarter.index(d)), "2021-Q1");
    /// ```
    pub fn label(self, index: i64) -> String {
        match self {
            Freq::Day => {
                let (y, m, d) = civil_from_days(index);
                format!("{y:04}-{m:02}-{d:02}")
            }
            Freq::Week => {
                let thursday = self.start(index) + 3;
                let (iso_year, _, _) = civil_from_days(thursday);
                let week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
                format!("{iso_year:04}-W{week:02}")
            }
            Freq::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            Freq::Quarter => format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
            Freq::Year => format!("{index:04}"),
        }
    }
}

/// Dates mapped to consecutive period codes: code `c` is period `first + c`; rows with a
/// missing date get code `n_periods` (one past the last period), so a grouped summary over
/// `n_periods + 1` groups holds them apart without a second pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Periods {
    /// One code per input date.
    pub codes: Vec<u32>,
    /// The period length.
    pub freq: Freq,
    /// Index of the first period (code 0).
    pub first: i64,
    /// Number of consecutive periods from the first to the last date.
    pub n_periods: usize,
    /// Rows whose date is missing (code `n_periods`).
    pub missing: u64,
}

impl Periods {
    /// Map `days` (days since 1970-01-01; [`MISSING_DAY`] is a missing date) to period codes.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a date more than 10,000,000 days (about 27,000 years)
    /// from 1970, or dates spanning more than [`MAX_PERIODS`] periods.
    ///
    /// # Examples
    /// ```
    /// use cx_core::period::{days_from_civil, Freq, Periods, MISSING_DAY};
    /// let days = [days_from_civil(2026, 3, 31), MISSING_DAY, days_from_civil(2026, 1, 2)];
    /// let p = Periods::from_days(&days, Freq::Month)?;
    /// assert_eq!((p.codes.clone(), p.n_periods, p.missing), (vec![2, 3, 0], 3, 1));
    /// assert_eq!(p.label(1), "2026-02");
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn from_days(days: &[i64], freq: Freq) -> Result<Periods> {
        let mut lo = i64::MAX;
        let mut hi = i64::MIN;
        let mut missing = 0u64;
        for (i, &d) in days.iter().enumerate() {
            if d == MISSING_DAY {
                missing += 1;
                continue;
            }
            if !(-MAX_ABS_DAY..=MAX_ABS_DAY).contains(&d) {
                return Err(CxError::InvalidArgument {
                    name: "dates",
                    value: format!("{d} days since 1970-01-01 at index {i}"),
                    expected: format!("dates within {MAX_ABS_DAY} days of 1970-01-01"),
                });
            }
            lo = lo.min(d);
            hi = hi.max(d);
        }
        if lo > hi {
            return Ok(Periods {
                codes: vec![0; days.len()],
                freq,
                first: 0,
                n_periods: 0,
                missing,
            });
        }
        let first = freq.index(lo);
        let n_periods = (freq.index(hi) - first + 1) as usize;
        if n_periods > MAX_PERIODS {
            return Err(CxError::InvalidArgument {
                name: "freq",
                value: freq.to_string(),
                expected: format!(
                    "at most {MAX_PERIODS} periods between the first and last date, not {n_periods}"
                ),
            });
        }
        let codes = days
            .iter()
            .map(|&d| {
                if d == MISSING_DAY {
                    n_periods as u32
                } else {
                    (freq.index(d) - first) as u32
                }
            })
            .collect();
        Ok(Periods {
            codes,
            freq,
            first,
            n_periods,
            missing,
        })
    }

    /// The label of code `code` (a period).
    pub fn label(&self, code: usize) -> String {
        self.freq.label(self.first + code as i64)
    }

    /// The first day of period `code`, in days since 1970-01-01.
    pub fn start(&self, code: usize) -> i64 {
        self.freq.start(self.first + code as i64)
    }

    /// Number of groups a grouped summary over these codes needs (`n_periods`, plus one for
    /// missing dates when there are any).
    pub fn n_groups(&self) -> usize {
        self.n_periods + usize::from(self.missing > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_centuries() {
        for d in (-800_000..800_000).step_by(37) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
        assert_eq!(
            days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28),
            1
        );
    }

    #[test]
    fn iso_weeks_known_dates() {
        // ISO 8601 examples (also in Python's datetime.date.isocalendar documentation).
        let w = |y, m, d| Freq::Week.label(Freq::Week.index(days_from_civil(y, m, d)));
        assert_eq!(w(2004, 1, 1), "2004-W01");
        assert_eq!(w(2005, 1, 1), "2004-W53");
        assert_eq!(w(2007, 12, 31), "2008-W01");
        assert_eq!(w(2008, 12, 29), "2009-W01");
        assert_eq!(w(2010, 1, 3), "2009-W53");
        assert_eq!(weekday(days_from_civil(2026, 11, 25)), 2); // a Wednesday
    }

    #[test]
    fn period_starts_and_labels() {
        let d = days_from_civil(2026, 8, 17);
        assert_eq!(
            Freq::Month.start(Freq::Month.index(d)),
            days_from_civil(2026, 8, 1)
        );
        assert_eq!(
            Freq::Quarter.start(Freq::Quarter.index(d)),
            days_from_civil(2026, 7, 1)
        );
        assert_eq!(
            Freq::Year.start(Freq::Year.index(d)),
            days_from_civil(2026, 1, 1)
        );
        assert_eq!(weekday(Freq::Week.start(Freq::Week.index(d))), 0);
        assert_eq!(Freq::Day.label(d), "2026-08-17");
        assert_eq!(Freq::Month.label(Freq::Month.index(d)), "2026-08");
        assert_eq!(Freq::Quarter.label(Freq::Quarter.index(d)), "2026-Q3");
        assert_eq!(Freq::Year.label(Freq::Year.index(d)), "2026");
        // consecutive indices are consecutive periods across year ends
        let dec = Freq::Month.index(days_from_civil(2025, 12, 31));
        assert_eq!(Freq::Month.label(dec + 1), "2026-01");
        assert_eq!(
            Freq::Month.label(Freq::Month.index(days_from_civil(-1, 12, 31))),
            "-001-12"
        );
    }

    #[test]
    fn freq_parses() {
        assert_eq!("M".parse::<Freq>().unwrap(), Freq::Month);
        assert_eq!("week".parse::<Freq>().unwrap(), Freq::Week);
        assert_eq!("QE".parse::<Freq>().unwrap(), Freq::Quarter);
        let e = "fortnight".parse::<Freq>().unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        assert!(e.to_string().contains("freq"));
    }

    #[test]
    fn periods_reject_absurd_dates() {
        assert!(Periods::from_days(&[0, 20_000_000], Freq::Day).is_err());
        let all_missing = Periods::from_days(&[MISSING_DAY; 3], Freq::Day).unwrap();
        assert_eq!((all_missing.n_periods, all_missing.missing), (0, 3));
        assert_eq!(all_missing.codes, vec![0, 0, 0]);
        assert_eq!(all_missing.n_groups(), 1);
    }
}
