//! Entry points of the transaction-log summaries: `retention`, `cohorts`, `acquisition`,
//! `activity` (the mergeable summary behind the first three) and `rfm`.

use std::borrow::Cow;

use crate::api::log::{self, CHANNELS, CUSTOMERS, DATES, REVENUE};
use crate::api::value::{invalid, wrong_type, OptionType, Value};
use crate::api::{Args, Entry, Kind, Options, Param, Returns};
use crate::clv::{rfm, RfmOptions};
use crate::error::{CxError, Result};
use crate::period::Freq;
use crate::retention::{acquisition, cohorts, retention, Activity, RetentionOptions};

crate::options! {
    /// The period of a transaction-log summary.
    #[derive(Copy)]
    pub struct LogOptions {
        /// Period length: "day", "week" (ISO 8601, Monday to Sunday), "month" (default),
        /// "quarter" or "year" (also "D", "W", "M", "Q", "Y"). With an `activity`, the
        /// summary's own.
        pub freq: Freq = Freq::default(),
    }
}

crate::options! {
    /// Options of the `retention` entry point: the period and the table's options.
    pub struct RetentionEntryOptions {
        ..log: LogOptions,
        ..table: RetentionOptions,
    }
}

/// Days per time unit of `rfm`'s recency and T: `"D"` (days, 1), `"W"` (weeks, 7) or a
/// positive number of days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeUnit(pub f64);

const A_UNIT: &str = "'D', 'W' or a number of days";

impl OptionType for TimeUnit {
    const TYPE: &'static str = "number_or_string";
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        let days = match value {
            Value::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "d" | "day" | "days" => 1.0,
                "w" | "week" | "weeks" => 7.0,
                _ => return Err(invalid(name, value, A_UNIT)),
            },
            v => v.as_f64().ok_or_else(|| wrong_type(name, v, A_UNIT))?,
        };
        if !(days.is_finite() && days > 0.0) {
            return Err(invalid(name, value, A_UNIT));
        }
        Ok(TimeUnit(days))
    }
}

impl serde::Serialize for TimeUnit {
    /// `"D"` for days, `"W"` for weeks, else the number of days.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0 {
            d if d == 1.0 => s.serialize_str("D"),
            d if d == 7.0 => s.serialize_str("W"),
            d => s.serialize_f64(d),
        }
    }
}

impl<'de> serde::Deserialize<'de> for TimeUnit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        TimeUnit::from_value("unit", &v).map_err(serde::de::Error::custom)
    }
}

crate::options! {
    /// Options of the `rfm` entry point.
    #[derive(Copy)]
    pub struct RfmEntryOptions {
        /// The time unit of recency and T: "D" (days, the default, as lifetimes), "W" (weeks
        /// of 7 days) or a number of days.
        pub unit: TimeUnit = TimeUnit(RfmOptions::default().unit_days),
    }
}

const ACTIVITY: Param = Param {
    name: "activity",
    kind: Kind::Summary,
    positional: false,
    required: false,
    doc: "An Activity (from `activity`, e.g. merged from partitions) in place of the log; its \
          own period length is used.",
    aliases: &[],
};

/// The summary of the entry's log, or the caller's own `activity` (borrowed); with
/// `channels`, the log's acquisition channels attached.
fn summary<'a>(a: &Args<'a>, freq: Freq, channels: bool) -> Result<Cow<'a, Activity>> {
    if let Some(given) = a.object::<Activity>("activity")? {
        if !a.keys("customers")?.is_empty() {
            return Err(CxError::InvalidArgument {
                name: "activity",
                value: "given with a log".into(),
                expected: "either an Activity or the log's columns".into(),
            });
        }
        return Ok(Cow::Borrowed(given));
    }
    let log = log::read(a)?;
    let built = Activity::from_codes(&log.codes, log.ids, &log.days, &log.revenue, freq)?;
    if !channels {
        return Ok(Cow::Owned(built));
    }
    let (codes, labels) = log::channels(a)?;
    built
        .with_channels(&log.codes, &log.days, &log.revenue, &codes, labels)
        .map(Cow::Owned)
}

const LOG_AND_ACTIVITY: &[Param] = &[CUSTOMERS, DATES, REVENUE, ACTIVITY];

/// Every entry point of this module.
pub(super) static ENTRIES: &[Entry] = &[
    Entry {
        name: "retention",
        module: "retention",
        doc: "Retention per period from a transaction log: active, new, retained, reactivated \
              and churned customers, revenue by customer status, growth accounting \
              (expansion, contraction, churned revenue, quick ratio), net and gross revenue \
              retention against `lag` periods earlier, and with spends (one value per period) \
              the cost per acquired and per retained customer and their ratio. A row with \
              revenue >= 0 is a purchase; a negative revenue is a refund, netted per customer \
              and period. Defaults: freq 'month', lag 1.",
        params: LOG_AND_ACTIVITY,
        options: RetentionEntryOptions::fields,
        returns: Returns::Record("Retention"),
        run: |a| {
            let o: RetentionEntryOptions = a.options()?;
            o.table.validate()?;
            let s = summary(a, o.log.freq, false)?;
            Ok(retention(&*s, &o.table)?.into())
        },
    },
    Entry {
        name: "cohorts",
        module: "retention",
        doc: "Cohort tables (the retention triangle) from a transaction log: per acquisition \
              cohort (period of the first purchase) and period since acquisition, active \
              customers and net revenue as counts, and as rates of the cohort's size and \
              first-period revenue (None / null past the end of the log), with the average \
              retention curves pooled over cohorts. Default freq 'month'.",
        params: LOG_AND_ACTIVITY,
        options: LogOptions::fields,
        returns: Returns::Record("Cohorts"),
        run: |a| {
            let o: LogOptions = a.options()?;
            Ok(cohorts(&*summary(a, o.freq, false)?).into())
        },
    },
    Entry {
        name: "acquisition",
        module: "retention",
        doc: "New customers per period and acquisition channel (the channel of each \
              customer's first purchase), with their revenue in the acquisition period, the \
              share active in the next period and their revenue to date. Default freq 'month'.",
        params: &[CUSTOMERS, DATES, REVENUE, CHANNELS, ACTIVITY],
        options: LogOptions::fields,
        returns: Returns::Record("Acquisition"),
        run: |a| {
            let o: LogOptions = a.options()?;
            Ok(acquisition(&*summary(a, o.freq, true)?)?.into())
        },
    },
    Entry {
        name: "activity",
        module: "retention",
        doc: "The one-pass, mergeable summary of a transaction log behind retention, cohorts \
              and acquisition: build one per partition (or batch), merge them, and pass the \
              result in place of the log. With channels, acquisition channels are attached.",
        params: &[
            CUSTOMERS,
            DATES,
            REVENUE,
            Param {
                positional: false,
                required: false,
                doc: "One acquisition channel per row, optional (needed for acquisition).",
                ..CHANNELS
            },
        ],
        options: LogOptions::fields,
        returns: Returns::Record("Activity"),
        run: |a| {
            let o: LogOptions = a.options()?;
            let channels = !a.keys("channels")?.is_empty();
            Ok(summary(a, o.freq, channels)?.into_owned().into())
        },
    },
    Entry {
        name: "rfm",
        module: "clv",
        doc: "Frequency, recency, T and monetary value per customer with a purchase (the BG/NBD \
              and Gamma-Gamma input), as lifetimes counts them: purchases per day, frequency = \
              repeat purchase days, recency and T in the unit's time, monetary value = mean net \
              revenue per repeat purchase. Default unit 'D' (days); observation_end defaults \
              to the last date of the log.",
        params: &[
            CUSTOMERS,
            DATES,
            REVENUE,
            Param {
                name: "observation_end",
                kind: Kind::Date,
                positional: false,
                required: false,
                doc: "The last day of the observation period (a date); rows after it are \
                      ignored. Default: the last date in the log.",
                aliases: &[],
            },
        ],
        options: RfmEntryOptions::fields,
        returns: Returns::Record("Rfm"),
        run: |a| {
            let o: RfmEntryOptions = a.options()?;
            let options = RfmOptions {
                unit_days: o.unit.0,
                observation_end: log::date(a, "observation_end")?,
            };
            let log = log::read(a)?;
            Ok(rfm(&log.codes, log.ids, &log.days, &log.revenue, &options)?.into())
        },
    },
];
