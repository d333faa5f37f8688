//! The retention table: active, new, retained, reactivated and churned customers per period,
//! revenue by customer status, growth accounting, net and gross revenue retention and the
//! acquisition-versus-retention spend balance.

use serde::{Deserialize, Serialize};

use super::{pct, ratio, Activity};
use crate::error::{check_len, CxError, Result};
use crate::period::Freq;

crate::options! {
    /// Options of [`retention`].
    pub struct RetentionOptions {
        /// Periods between the base period and the period whose revenue retention is measured,
        /// at least 1 (default 1: period over period; 12 with monthly periods gives the annual
        /// NRR / GRR of the SaaS literature).
        pub lag: u32 = 1,
        /// Spend on acquisition in each period (money, one value per period of the log),
        /// optional.
        pub acquisition_spend: Option<Vec<f64>> = None,
        /// Spend on retention in each period (money, one value per period of the log),
        /// optional.
        pub retention_spend: Option<Vec<f64>> = None,
    }
}

impl RetentionOptions {
    /// Check the options without computing: `lag` at least 1, spends finite and >= 0.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] naming the option, index and value.
    pub fn validate(&self) -> Result<()> {
        if self.lag == 0 {
            return Err(CxError::InvalidArgument {
                name: "lag",
                value: "0".into(),
                expected: "at least 1 period".into(),
            });
        }
        for (name, spend) in [
            ("acquisition_spend", &self.acquisition_spend),
            ("retention_spend", &self.retention_spend),
        ] {
            if let Some(s) = spend {
                if let Some((i, v)) = s
                    .iter()
                    .enumerate()
                    .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
                {
                    return Err(CxError::InvalidArgument {
                        name,
                        value: format!("{v} at index {i}"),
                        expected: "finite amounts >= 0, one per period".into(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// One period of the [`retention`] table. Counts are customers; money is in the input's unit;
/// rates and shares are fractions 0..1 (`None` where the denominator is 0 or the period has no
/// predecessor in the log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetentionRow {
    /// Period label (`2026-03`, `2026-W09`, `2026-Q1`, ...).
    pub period: String,
    /// First day of the period, days since 1970-01-01.
    pub start: i64,
    /// Customers with a purchase in the period.
    pub active: u64,
    /// Active customers whose first purchase is in this period.
    pub new: u64,
    /// Active customers who were also active in the previous period.
    pub retained: u64,
    /// Active customers who bought before, but not in the previous period.
    pub reactivated: u64,
    /// Customers active in the previous period but not in this one.
    pub churned: u64,
    /// `retained / active of the previous period`.
    pub retention_rate: Option<f64>,
    /// `churned / active of the previous period` (1 - retention rate).
    pub churn_rate: Option<f64>,
    /// Net revenue of the period (all rows, refunds included).
    pub revenue: f64,
    /// Net revenue of new customers.
    pub new_revenue: f64,
    /// Net revenue of retained customers.
    pub retained_revenue: f64,
    /// Net revenue of reactivated customers.
    pub reactivated_revenue: f64,
    /// Net revenue (refunds) of customers without a purchase in the period.
    pub inactive_revenue: f64,
    /// `new_revenue / revenue`.
    pub new_revenue_share: Option<f64>,
    /// `(retained_revenue + reactivated_revenue) / revenue`: revenue from existing customers.
    pub existing_revenue_share: Option<f64>,
    /// Growth accounting: revenue increase of retained customers over the previous period.
    pub expansion_revenue: f64,
    /// Growth accounting: revenue decrease of retained customers (a positive amount).
    pub contraction_revenue: f64,
    /// Growth accounting: previous-period revenue of the churned customers.
    pub churned_revenue: f64,
    /// `(new + reactivated + expansion) / (churned + contraction)` revenue (Hsu's quick ratio).
    pub quick_ratio: Option<f64>,
    /// Share of the gross revenue gains (`new + reactivated + expansion`) from new customers.
    pub growth_from_new_share: Option<f64>,
    /// Share of the gross revenue gains from existing customers (`reactivated + expansion`).
    pub growth_from_existing_share: Option<f64>,
    /// Net revenue retention against the period `lag` periods earlier.
    pub nrr: Option<f64>,
    /// Gross revenue retention against the period `lag` periods earlier.
    pub grr: Option<f64>,
    /// Acquisition spend of the period, when given.
    pub acquisition_spend: Option<f64>,
    /// Retention spend of the period, when given.
    pub retention_spend: Option<f64>,
    /// `acquisition_spend / new` (money per acquired customer).
    pub cost_per_acquired: Option<f64>,
    /// `retention_spend / retained` (money per retained customer).
    pub cost_per_retained: Option<f64>,
    /// `cost_per_acquired / cost_per_retained`: how many times more a new customer costs than
    /// keeping one.
    pub balance_ratio: Option<f64>,
}

/// The retention table of a transaction log, one row per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Retention {
    /// Period length: "day", "week", "month", "quarter" or "year".
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub freq: Freq,
    /// Base-period lag of `nrr` and `grr`.
    pub lag: u32,
    /// Distinct customers with at least one purchase.
    pub customers: u64,
    /// Net revenue of the whole log.
    pub revenue: f64,
    /// Rows skipped for a missing customer id, date or revenue.
    pub missing: u64,
    /// One row per period, first to last.
    pub rows: Vec<RetentionRow>,
}

/// Per-period retention, revenue by customer status, growth accounting, revenue retention and
/// the acquisition-versus-retention spend balance.
///
/// # Formula
/// ```text
/// A_t  = customers with a purchase in t           new_t = A_t with first purchase in t
/// retained_t = A_t ∩ A_{t-1}   reactivated_t = A_t − new_t − retained_t   churned_t = A_{t-1} − A_t
/// retention_rate_t = |retained_t| / |A_{t-1}|,    churn_rate_t = |churned_t| / |A_{t-1}|
/// R_i(t) = net revenue of customer i in t
/// expansion_t   = Σ_{i ∈ retained_t} max(R_i(t) − R_i(t−1), 0)
/// contraction_t = Σ_{i ∈ retained_t} max(R_i(t−1) − R_i(t), 0)
/// churned_revenue_t = Σ_{i ∈ churned_t} R_i(t−1)
/// revenue_t − revenue_{t−1} = new + reactivated + expansion − contraction − churned
///                             + inactive_t − inactive_{t−1}            (exact identity)
/// quick_ratio_t = (new + reactivated + expansion) / (churned + contraction)
/// B_t = customers with a purchase and R_i > 0 in the base period b = t − lag
/// NRR_t = Σ_{i∈B_t} R_i(t) / Σ_{i∈B_t} R_i(b)
/// GRR_t = Σ_{i∈B_t} min(R_i(t), R_i(b)) / Σ_{i∈B_t} R_i(b)
/// cost_per_acquired_t = acquisition_spend_t / |new_t|
/// cost_per_retained_t = retention_spend_t / |retained_t|
/// balance_ratio_t = cost_per_acquired_t / cost_per_retained_t
/// ```
/// NRR and GRR are cohort-based: the base cohort is fixed in the base period and followed to
/// period t; NRR counts expansion, so it can exceed 1; GRR caps each customer at their base
/// revenue, so expansion cannot offset churn and contraction and GRR <= 1 (with refunds, a
/// negative R_i(t) lowers both). These are the net and gross dollar retention of the SaaS
/// metrics literature (beginning revenue of a cohort plus expansion minus contraction and
/// churn, over beginning revenue; gross: without expansion), with revenue in place of
/// recurring revenue; use `lag` = 12 on monthly periods for the usual annual figure.
///
/// # Errors
/// [`CxError::InvalidArgument`] for invalid options; [`CxError::LengthMismatch`] for a spend
/// series whose length is not the number of periods of the log.
///
/// # Examples
/// ```
/// use cx_core::retention::{retention, Activity, RetentionOptions};
/// use cx_core::Freq;
/// // customer 1 buys in January and February, customer 2 in January only
/// let a = Activity::from_ints(&[1, 2, 1], &[0, 5, 40], &[10.0, 4.0, 12.0], Freq::Month)?;
/// let t = retention(&a, &RetentionOptions::default())?;
/// let feb = &t.rows[1];
/// assert_eq!((feb.active, feb.retained, feb.churned), (1, 1, 1));
/// assert_eq!(feb.retention_rate, Some(0.5));
/// assert_eq!(feb.nrr, Some(12.0 / 14.0));  // base: both January customers, 14 of revenue
/// assert_eq!(feb.grr, Some(10.0 / 14.0));  // customer 1 capped at their January 10
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Hsu, J. (2015), "Diligence at Social Capital, Part 2: Accounting for Revenue Growth"
/// (growth accounting: new, resurrected, expansion, contraction, churned; the quick ratio).
/// KeyBanc Capital Markets and Sapphire Ventures, "Private SaaS Company Survey" (net and gross
/// dollar retention of a cohort of customers from a year earlier). Fader, P. S. and Hardie,
/// B. G. S. (2009), "Probability models for customer-base analysis", Journal of Interactive
/// Marketing 23(1) (active, retained and reactivated customers in non-contractual settings).
pub fn retention(activity: &Activity, options: &RetentionOptions) -> Result<Retention> {
    options.validate()?;
    let n = activity.n_periods;
    for (name, spend) in [
        ("acquisition_spend", &options.acquisition_spend),
        ("retention_spend", &options.retention_spend),
    ] {
        if let Some(s) = spend {
            check_len("periods", n, name, s.len())?;
        }
    }
    let lag = options.lag as usize;
    let mut active = vec![0u64; n];
    let mut new = vec![0u64; n];
    let mut retained = vec![0u64; n];
    let mut reactivated = vec![0u64; n];
    let mut churned = vec![0u64; n];
    let mut revenue = vec![0.0; n];
    let mut new_rev = vec![0.0; n];
    let mut ret_rev = vec![0.0; n];
    let mut react_rev = vec![0.0; n];
    let mut inactive_rev = vec![0.0; n];
    let mut expansion = vec![0.0; n];
    let mut contraction = vec![0.0; n];
    let mut churned_rev = vec![0.0; n];
    let mut base = vec![0.0; n];
    let mut nrr_num = vec![0.0; n];
    let mut grr_num = vec![0.0; n];
    // One sweep over the periods: `ever` holds the customers with a purchase before t.
    let a = activity;
    let mut ever = vec![0u64; a.cw];
    for t in 0..n {
        for cell in a.cells(t) {
            let (c, rev) = (cell.customer, cell.revenue);
            revenue[t] += rev;
            if !cell.bought {
                inactive_rev[t] += rev;
                continue;
            }
            active[t] += 1;
            if ever[c / 64] >> (c % 64) & 1 == 0 {
                new[t] += 1;
                new_rev[t] += rev;
            } else if t > 0 && a.bought(c, t - 1) {
                retained[t] += 1;
                ret_rev[t] += rev;
                let d = rev - a.revenue_at(c, t - 1);
                if d > 0.0 {
                    expansion[t] += d;
                } else {
                    contraction[t] -= d;
                }
            } else {
                reactivated[t] += 1;
                react_rev[t] += rev;
            }
            if rev > 0.0 && t + lag < n {
                let now = a.revenue_at(c, t + lag);
                base[t + lag] += rev;
                nrr_num[t + lag] += now;
                grr_num[t + lag] += now.min(rev);
            }
        }
        if t > 0 {
            // churned in t: bought in t - 1, not in t
            for w in 0..a.cw {
                let mut gone = a.buy[(t - 1) * a.cw + w] & !a.buy[t * a.cw + w];
                churned[t] += u64::from(gone.count_ones());
                while gone != 0 {
                    let c = w * 64 + gone.trailing_zeros() as usize;
                    churned_rev[t] += a.revenue_at(c, t - 1);
                    gone &= gone - 1;
                }
            }
        }
        for (e, b) in ever.iter_mut().zip(&a.buy[t * a.cw..(t + 1) * a.cw]) {
            *e |= b;
        }
    }
    let customers: u64 = ever.iter().map(|w| u64::from(w.count_ones())).sum();
    let spend_at = |s: &Option<Vec<f64>>, t: usize| s.as_ref().map(|v| v[t]);
    let rows = (0..n)
        .map(|t| {
            let prev_active = if t == 0 {
                None
            } else {
                Some(active[t - 1] as f64)
            };
            let gains = new_rev[t] + react_rev[t] + expansion[t];
            let acquisition_spend = spend_at(&options.acquisition_spend, t);
            let retention_spend = spend_at(&options.retention_spend, t);
            let cost_per_acquired = acquisition_spend.and_then(|s| ratio(s, new[t] as f64));
            let cost_per_retained = retention_spend.and_then(|s| ratio(s, retained[t] as f64));
            RetentionRow {
                period: activity.label(t),
                start: activity.start(t),
                active: active[t],
                new: new[t],
                retained: retained[t],
                reactivated: reactivated[t],
                churned: churned[t],
                retention_rate: prev_active.and_then(|a| ratio(retained[t] as f64, a)),
                churn_rate: prev_active.and_then(|a| ratio(churned[t] as f64, a)),
                revenue: revenue[t],
                new_revenue: new_rev[t],
                retained_revenue: ret_rev[t],
                reactivated_revenue: react_rev[t],
                inactive_revenue: inactive_rev[t],
                new_revenue_share: ratio(new_rev[t], revenue[t]),
                existing_revenue_share: ratio(ret_rev[t] + react_rev[t], revenue[t]),
                expansion_revenue: expansion[t],
                contraction_revenue: contraction[t],
                churned_revenue: churned_rev[t],
                quick_ratio: if t == 0 {
                    None
                } else {
                    ratio(gains, churned_rev[t] + contraction[t])
                },
                growth_from_new_share: ratio(new_rev[t], gains),
                growth_from_existing_share: ratio(react_rev[t] + expansion[t], gains),
                nrr: if t >= lag {
                    ratio(nrr_num[t], base[t])
                } else {
                    None
                },
                grr: if t >= lag {
                    ratio(grr_num[t], base[t])
                } else {
                    None
                },
                acquisition_spend,
                retention_spend,
                cost_per_acquired,
                cost_per_retained,
                balance_ratio: cost_per_acquired
                    .zip(cost_per_retained)
                    .and_then(|(a, r)| ratio(a, r)),
            }
        })
        .collect();
    Ok(Retention {
        freq: activity.freq,
        lag: options.lag,
        customers,
        revenue: revenue.iter().sum(),
        missing: activity.missing,
        rows,
    })
}

impl std::fmt::Display for Retention {
    /// A text table: one line per period.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<10} {:>8} {:>7} {:>8} {:>7} {:>7} {:>9} {:>12} {:>8} {:>8} {:>8}",
            "period",
            "active",
            "new",
            "retained",
            "react.",
            "churned",
            "retention",
            "revenue",
            "new rev",
            "NRR",
            "GRR"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<10} {:>8} {:>7} {:>8} {:>7} {:>7} {:>9} {:>12.2} {:>8} {:>8} {:>8}",
                r.period,
                r.active,
                r.new,
                r.retained,
                r.reactivated,
                r.churned,
                pct(r.retention_rate),
                r.revenue,
                pct(r.new_revenue_share),
                pct(r.nrr),
                pct(r.grr)
            )?;
        }
        write!(
            f,
            "{} customers, revenue {:.2}, NRR/GRR lag {} {}(s)",
            self.customers, self.revenue, self.lag, self.freq
        )
    }
}
