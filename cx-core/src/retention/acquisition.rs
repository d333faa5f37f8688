//! New customers by period and acquisition channel, and how they did afterwards.

use serde::{Deserialize, Serialize};

use super::{pct, ratio, Activity};
use crate::error::{CxError, Result};
use crate::period::Freq;

/// New customers of one acquisition channel in one period, and how they did afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AcquisitionRow {
    /// Period of acquisition (first purchase).
    pub period: String,
    /// Acquisition channel (the channel of the first purchase).
    pub channel: String,
    /// Customers acquired.
    pub new: u64,
    /// Their net revenue in the period of acquisition.
    pub new_revenue: f64,
    /// Of them, customers active in the next period.
    pub retained_next: u64,
    /// `retained_next / new` (`None` in the last period or without new customers).
    pub next_period_retention: Option<f64>,
    /// Their net revenue from acquisition to the end of the log.
    pub revenue_to_date: f64,
    /// `revenue_to_date / new`.
    pub revenue_per_customer: Option<f64>,
}

/// Customers acquired per period and acquisition channel (one row per period and channel,
/// periods first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Acquisition {
    /// Period length: "day", "week", "month", "quarter" or "year".
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub freq: Freq,
    /// Channel labels.
    pub channels: Vec<String>,
    /// One row per period and channel.
    pub rows: Vec<AcquisitionRow>,
}

/// New customers by period and acquisition channel, with their first-period revenue,
/// next-period retention and revenue to date.
///
/// # Formula
/// ```text
/// new[p, ch] = customers whose first purchase is in p, through channel ch
/// next_period_retention = |{ i ∈ new[p, ch] : i active in p + 1 }| / |new[p, ch]|
/// revenue_per_customer  = Σ_{i ∈ new[p, ch]} Σ_{t ≥ p} R_i(t) / |new[p, ch]|
/// ```
///
/// # Errors
/// [`CxError::InvalidArgument`] when the summary has no channels
/// ([`Activity::with_channels`]).
pub fn acquisition(activity: &Activity) -> Result<Acquisition> {
    let a = activity;
    if a.channels.is_empty() {
        return Err(CxError::InvalidArgument {
            name: "channels",
            value: "none".into(),
            expected: "a summary with acquisition channels (Activity::with_channels)".into(),
        });
    }
    let (n, k) = (a.n_periods, a.channels.len());
    // Total net revenue of each customer from their acquisition period on.
    let mut to_date = vec![0.0f64; a.customers.len()];
    let period_of = |d: i64| (a.freq.index(d) - a.first_period) as usize;
    for t in 0..n {
        for cell in a.cells(t) {
            let (d, _) = a.acquired[cell.customer];
            if d != i64::MAX && period_of(d) <= t {
                to_date[cell.customer] += cell.revenue;
            }
        }
    }
    let mut new = vec![0u64; n * k];
    let mut new_rev = vec![0.0; n * k];
    let mut kept = vec![0u64; n * k];
    let mut total = vec![0.0; n * k];
    for (c, &(d, ch)) in a.acquired.iter().enumerate() {
        if d == i64::MAX {
            continue;
        }
        let p = period_of(d);
        let i = p * k + ch as usize;
        new[i] += 1;
        new_rev[i] += a.revenue_at(c, p);
        kept[i] += u64::from(p + 1 < n && a.bought(c, p + 1));
        total[i] += to_date[c];
    }
    let rows = (0..n * k)
        .map(|i| {
            let (p, ch) = (i / k, i % k);
            AcquisitionRow {
                period: a.label(p),
                channel: a.channels[ch].to_string(),
                new: new[i],
                new_revenue: new_rev[i],
                retained_next: kept[i],
                next_period_retention: if p + 1 < n {
                    ratio(kept[i] as f64, new[i] as f64)
                } else {
                    None
                },
                revenue_to_date: total[i],
                revenue_per_customer: ratio(total[i], new[i] as f64),
            }
        })
        .collect();
    Ok(Acquisition {
        freq: a.freq,
        channels: a.channels.iter().map(|c| c.to_string()).collect(),
        rows,
    })
}

impl std::fmt::Display for Acquisition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<10} {:<12} {:>7} {:>12} {:>10} {:>14}",
            "period", "channel", "new", "new revenue", "next ret.", "revenue/cust."
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<10} {:<12} {:>7} {:>12.2} {:>10} {:>14}",
                r.period,
                r.channel,
                r.new,
                r.new_revenue,
                pct(r.next_period_retention),
                r.revenue_per_customer
                    .map_or_else(|| "-".into(), |v| format!("{v:.2}"))
            )?;
        }
        write!(f, "{} channels", self.channels.len())
    }
}
