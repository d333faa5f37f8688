//! Cohort tables: the retention triangle by acquisition cohort.

use serde::{Deserialize, Serialize};

use super::{ratio, Activity};
use crate::period::Freq;

/// Cohort tables: customers and revenue by acquisition cohort (period of first purchase) x
/// periods since acquisition, as counts and as rates, with the average retention curves.
///
/// Row `c` is the cohort acquired in period `c` (every period of the log, empty cohorts
/// included); column `k` is `k` periods after acquisition; cells past the end of the log are
/// `None` (the triangle).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cohorts {
    /// Period length: "day", "week", "month", "quarter" or "year".
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub freq: Freq,
    /// Cohort labels (period of acquisition).
    pub cohorts: Vec<String>,
    /// Customers acquired in each cohort.
    pub sizes: Vec<u64>,
    /// Active customers of cohort c, k periods after acquisition.
    pub customers: Vec<Vec<Option<u64>>>,
    /// Net revenue of cohort c's customers k periods after acquisition (money).
    pub revenue: Vec<Vec<Option<f64>>>,
    /// `customers[c][k] / sizes[c]` (`None` for an empty cohort).
    pub customer_rates: Vec<Vec<Option<f64>>>,
    /// `revenue[c][k] / revenue[c][0]` (`None` when the first-period revenue is 0).
    pub revenue_rates: Vec<Vec<Option<f64>>>,
    /// Average customer retention curve: `Σ_c customers[c][k] / Σ_c sizes[c]` over the cohorts
    /// observed k periods after acquisition (pooled, i.e. weighted by cohort size).
    pub average_retention: Vec<Option<f64>>,
    /// Average revenue retention curve: `Σ_c revenue[c][k] / Σ_c revenue[c][0]` over the
    /// cohorts observed k periods after acquisition.
    pub average_revenue_retention: Vec<Option<f64>>,
}

/// The cohort tables (retention triangle) of a transaction log; see [`Cohorts`].
///
/// # Formula
/// ```text
/// customers[c][k] = |{ i : first purchase of i in c, i active in c + k }|
/// revenue[c][k]   = Σ_{i : first purchase in c} R_i(c + k)
/// average_retention[k] = Σ_{c : c + k < n} customers[c][k] / Σ_{c : c + k < n} sizes[c]
/// ```
/// Rows before a customer's first purchase (refunds only) count in no cohort.
///
/// # Memory
/// The triangle has one cell per cohort and period since acquisition: O(P²) for P periods
/// (16 bytes a cell; 1,000 periods take 16 MB, daily periods over ten years about 210 MB). Use a
/// coarser `freq` for long logs.
///
/// # Examples
/// ```
/// use cx_core::retention::{cohorts, Activity};
/// use cx_core::Freq;
/// let a = Activity::from_ints(&[1, 2, 1, 3], &[0, 5, 40, 45], &[10.0, 4.0, 12.0, 1.0], Freq::Month)?;
/// let c = cohorts(&a);
/// assert_eq!(c.customers[0], vec![Some(2), Some(1)]);
/// assert_eq!(c.customer_rates[0][1], Some(0.5));
/// assert_eq!(c.customers[1], vec![Some(1), None]);
/// assert_eq!(c.average_retention, vec![Some(1.0), Some(0.5)]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Fader, P. S. and Hardie, B. G. S. (2007), "How to project customer retention", Journal of
/// Interactive Marketing 21(1) (cohort survival tables); Gupta, S. et al. (2006), "Modeling
/// customer lifetime value", Journal of Service Research 9(2).
pub fn cohorts(activity: &Activity) -> Cohorts {
    let n = activity.n_periods;
    let mut counts = vec![vec![0u64; n]; n];
    let mut revenue = vec![vec![0.0f64; n]; n];
    // First purchase period per customer, filled in by the sweep over the periods.
    const NONE: u32 = u32::MAX;
    let mut first = vec![NONE; activity.customers.len()];
    for t in 0..n {
        for cell in activity.cells(t) {
            let f = &mut first[cell.customer];
            if *f == NONE && cell.bought {
                *f = t as u32;
            }
            if *f != NONE {
                let (f, k) = (*f as usize, t - *f as usize);
                revenue[f][k] += cell.revenue;
                if cell.bought {
                    counts[f][k] += 1;
                }
            }
        }
    }
    let sizes: Vec<u64> = counts.iter().map(|r| r[0]).collect();
    let tri = |c: usize, k: usize| c + k < n;
    let customers = (0..n)
        .map(|c| (0..n).map(|k| tri(c, k).then_some(counts[c][k])).collect())
        .collect();
    let revenue_tab = (0..n)
        .map(|c| (0..n).map(|k| tri(c, k).then_some(revenue[c][k])).collect())
        .collect();
    let customer_rates = (0..n)
        .map(|c| {
            (0..n)
                .map(|k| {
                    if tri(c, k) {
                        ratio(counts[c][k] as f64, sizes[c] as f64)
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect();
    let revenue_rates = (0..n)
        .map(|c| {
            (0..n)
                .map(|k| {
                    if tri(c, k) {
                        ratio(revenue[c][k], revenue[c][0])
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect();
    let average_retention = (0..n)
        .map(|k| {
            let (num, den) = (0..n - k).fold((0.0, 0.0), |(a, b), c| {
                (a + counts[c][k] as f64, b + sizes[c] as f64)
            });
            ratio(num, den)
        })
        .collect();
    let average_revenue_retention = (0..n)
        .map(|k| {
            let (num, den) = (0..n - k).fold((0.0, 0.0), |(a, b), c| {
                (a + revenue[c][k], b + revenue[c][0])
            });
            ratio(num, den)
        })
        .collect();
    Cohorts {
        freq: activity.freq,
        cohorts: (0..n).map(|p| activity.label(p)).collect(),
        sizes,
        customers,
        revenue: revenue_tab,
        customer_rates,
        revenue_rates,
        average_retention,
        average_revenue_retention,
    }
}

impl std::fmt::Display for Cohorts {
    /// The retention triangle in percent, one line per cohort.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<10} {:>7}  retained customers by {}s since acquisition",
            "cohort", "size", self.freq
        )?;
        for ((c, n), rates) in self
            .cohorts
            .iter()
            .zip(&self.sizes)
            .zip(&self.customer_rates)
        {
            let cells: Vec<String> = rates
                .iter()
                .flatten()
                .map(|x| format!("{:>4.0}", 100.0 * x))
                .collect();
            writeln!(f, "{c:<10} {n:>7}  {}", cells.join(" "))?;
        }
        let avg: Vec<String> = self
            .average_retention
            .iter()
            .map(|x| x.map_or_else(|| "   -".into(), |v| format!("{:>4.0}", 100.0 * v)))
            .collect();
        write!(f, "{:<10} {:>7}  {}", "average", "", avg.join(" "))
    }
}
