//! Entry points of the transaction-log summaries: `retention`, `cohorts`, `acquisition`,
//! and `activity` (the mergeable summary behind the first three).

use std::borrow::Cow;

use crate::api::log::{self, CHANNELS, CUSTOMERS, DATES, REVENUE};
use crate::api::{Args, Entry, Kind, Options, Output, Param, Returns, Summary};
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

const ACTIVITY: Param = Param {
    name: "activity",
    kind: Kind::Summary,
    positional: false,
    required: false,
    doc: "An Activity (from `activity`, e.g. merged from partitions) in place of the log; its \
          own period length is used.",
    aliases: &[],
    column: None,
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
            Ok(retention(&s, &o.table)?.into())
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
            let s = summary(a, o.freq, false)?;
            Ok(cohorts(&s).into())
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
            let s = summary(a, o.freq, true)?;
            Ok(acquisition(&s)?.into())
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
                required: false,
                doc: "One acquisition channel per row, optional (needed for acquisition).",
                ..CHANNELS
            },
        ],
        options: LogOptions::fields,
        returns: Returns::Summary("Activity"),
        run: |a| {
            let o: LogOptions = a.options()?;
            let channels = !a.keys("channels")?.is_empty();
            Ok(Output::Summary(Summary::Activity(
                summary(a, o.freq, channels)?.into_owned(),
            )))
        },
    },
];
