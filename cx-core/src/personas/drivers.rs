//! The key drivers of loyalty within each persona, and the needs that follow from them.

use serde::{Deserialize, Serialize};

use super::prepare::check_column;
use super::ProfileColumns;
use crate::drivers::{key_drivers, DriverOptions, MAX_DRIVERS};
use crate::error::{CxError, Result};

/// The key drivers of a loyalty outcome within one persona: [`key_drivers`] (standardised
/// coefficients and the LMG / Shapley decomposition of R², Lindeman, Merenda and Gold 1980)
/// fitted on the persona's members only, without bootstrap intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaDrivers {
    /// The outcome explained: `"loyalty"` (the 0/1 loyalty column, a linear probability
    /// model) or `"nps"` (the 0-10 answer) when no loyalty column was given.
    pub outcome: String,
    /// Members complete on every driver and the outcome (listwise deletion).
    pub n: u64,
    /// R² of the outcome on all the drivers within the persona (`None` when skipped).
    pub r_squared: Option<f64>,
    /// Every driver, largest LMG share first (empty when skipped).
    pub ranking: Vec<DriverShare>,
    /// Why the analysis could not be done in this persona (too few complete members, a
    /// driver or the outcome constant within it, collinear drivers), else `None`.
    pub skipped: Option<String>,
}

/// One driver within a persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverShare {
    /// Driver name.
    pub driver: String,
    /// Its LMG share of R², 0 to 1 (the shares sum to 1).
    pub share: f64,
    /// Standardised regression coefficient within the persona.
    pub beta: f64,
    /// Pearson correlation with the outcome within the persona.
    pub correlation: f64,
    /// Where the persona stands on the driver: its members' mean minus the mean of all
    /// clustered customers, in their (population) standard deviations.
    pub z: f64,
}

/// Driver columns: lengths, at most [`MAX_DRIVERS`], finite or NaN, and an outcome to
/// explain.
pub(super) fn check_drivers(profile: &ProfileColumns, len: usize) -> Result<()> {
    let drivers = profile.drivers;
    if drivers.is_empty() {
        return Ok(());
    }
    if profile.loyalty.is_none() && profile.nps.is_none() {
        return Err(CxError::InvalidArgument {
            name: "drivers",
            value: format!("{} driver columns without an outcome", drivers.len()),
            expected: "a loyalty (0/1) or nps column for the drivers to explain".into(),
        });
    }
    if drivers.len() > MAX_DRIVERS {
        return Err(CxError::InvalidArgument {
            name: "drivers",
            value: format!("{} columns", drivers.len()),
            expected: format!("at most {MAX_DRIVERS} drivers"),
        });
    }
    for d in drivers {
        check_column("drivers", d, len, "finite numbers (NaN for missing)")?;
    }
    Ok(())
}

/// Smallest R² of a persona's driver model for its drivers to become needs.
pub const DRIVER_MIN_R_SQUARED: f64 = 0.02;
/// Smallest LMG share of R² for a driver (after the first) to become a need.
pub const DRIVER_MIN_SHARE: f64 = 0.25;

/// The needs that follow from a persona's key drivers: "improve \<driver>" for at most two
/// drivers that correlate positively with the outcome, the first by LMG share and the second
/// when its share is at least [`DRIVER_MIN_SHARE`], only when the drivers explain something
/// (R² >= [`DRIVER_MIN_R_SQUARED`]). A driver on which the persona stands low (z <=
/// -`threshold`) is marked "rated low" and comes first: a strong driver where the persona is
/// weak is where improvement pays most (the logic of an importance-performance map; Martilla
/// and James 1977, "Importance-performance analysis", Journal of Marketing 41(1)).
///
/// # Examples
/// ```
/// use cx_core::personas::{driver_needs, DriverShare, PersonaDrivers};
/// let share = |driver: &str, share, z| DriverShare {
///     driver: driver.into(), share, beta: 0.3, correlation: 0.4, z,
/// };
/// let d = PersonaDrivers {
///     outcome: "loyalty".into(), n: 500, r_squared: Some(0.3), skipped: None,
///     ranking: vec![share("ease", 0.5, 0.1), share("emotion", 0.3, -0.8), share("effectiveness", 0.2, 0.0)],
/// };
/// assert_eq!(driver_needs(&d, 0.5), [
///     "improve emotion (key driver: 30% of the explained loyalty; rated low)",
///     "improve ease (key driver: 50% of the explained loyalty)",
/// ]);
/// ```
pub fn driver_needs(drivers: &PersonaDrivers, threshold: f64) -> Vec<String> {
    if drivers.r_squared.is_none_or(|r| r < DRIVER_MIN_R_SQUARED) {
        return Vec::new();
    }
    let mut picked: Vec<&DriverShare> = drivers
        .ranking
        .iter()
        .filter(|d| d.correlation > 0.0)
        .enumerate()
        .filter(|(i, d)| *i == 0 || d.share >= DRIVER_MIN_SHARE)
        .map(|(_, d)| d)
        .take(2)
        .collect();
    // stable: rated-low drivers first, each group by share
    picked.sort_by_key(|d| d.z > -threshold);
    picked
        .iter()
        .map(|d| {
            format!(
                "improve {} (key driver: {:.0}% of the explained {}{})",
                d.driver,
                100.0 * d.share,
                drivers.outcome,
                if d.z <= -threshold { "; rated low" } else { "" }
            )
        })
        .collect()
}

/// The key drivers within one persona (`rows`: its members), `None` without driver columns.
pub(super) fn persona_drivers(
    profile: &ProfileColumns,
    rows: &[usize],
    overall: &[(f64, f64)],
) -> Result<Option<PersonaDrivers>> {
    let drivers = profile.drivers;
    let (outcome_name, outcome) = match (profile.loyalty, profile.nps) {
        _ if drivers.is_empty() => return Ok(None),
        (Some(l), _) => ("loyalty", l),
        (None, Some(n)) => ("nps", n),
        (None, None) => return Ok(None),
    };
    let cols: Vec<Vec<f64>> = drivers
        .iter()
        .map(|d| rows.iter().map(|&i| d.values[i]).collect())
        .collect();
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let y: Vec<f64> = rows.iter().map(|&i| outcome[i]).collect();
    let complete = (0..rows.len())
        .filter(|&i| !y[i].is_nan() && refs.iter().all(|c| !c[i].is_nan()))
        .count() as u64;
    let options = DriverOptions {
        resamples: 0,
        ..DriverOptions::default()
    };
    let skipped = |why: String| PersonaDrivers {
        outcome: outcome_name.into(),
        n: complete,
        r_squared: None,
        ranking: Vec::new(),
        skipped: Some(why),
    };
    let kd = match key_drivers(&refs, &y, None, &options) {
        Ok(kd) => kd,
        Err(e @ (CxError::InsufficientData { .. } | CxError::EmptyInput { .. })) => {
            return Ok(Some(skipped(e.to_string())))
        }
        Err(CxError::ZeroVariance { what }) => {
            // name the driver instead of its position
            let mut why = what.replace("the outcome", outcome_name);
            for (j, d) in drivers.iter().enumerate().rev() {
                why = why.replace(&format!("driver {j} "), &format!("{} ", d.name));
            }
            return Ok(Some(skipped(format!("{why} of the persona"))));
        }
        Err(CxError::InvalidArgument {
            name: "drivers",
            value,
            ..
        }) => return Ok(Some(skipped(format!("{value} within the persona")))),
        Err(e) => return Err(e),
    };
    let mut ranking: Vec<DriverShare> = kd
        .drivers
        .iter()
        .map(|d| {
            let col = &cols[d.index];
            let (mean, sd) = overall[d.index];
            let (s, m) = col
                .iter()
                .filter(|v| !v.is_nan())
                .fold((0.0, 0u64), |(s, m), v| (s + v, m + 1));
            DriverShare {
                driver: drivers[d.index].name.to_string(),
                share: d.lmg.share,
                beta: d.beta,
                correlation: d.correlation,
                z: if m > 0 && sd > 0.0 {
                    (s / m as f64 - mean) / sd
                } else {
                    0.0
                },
            }
        })
        .collect();
    ranking.sort_by(|a, b| b.share.total_cmp(&a.share));
    Ok(Some(PersonaDrivers {
        outcome: outcome_name.into(),
        n: kd.n,
        r_squared: Some(kd.r_squared),
        ranking,
        skipped: None,
    }))
}

/// Mean and population SD of each driver over the clustered customers (NaN skipped).
pub(super) fn driver_moments(
    profile: &ProfileColumns,
    assignments: &[Option<usize>],
) -> Vec<(f64, f64)> {
    profile
        .drivers
        .iter()
        .map(|d| {
            let (mut s, mut ss, mut m) = (0.0, 0.0, 0u64);
            for (v, a) in d.values.iter().zip(assignments) {
                if a.is_some() && !v.is_nan() {
                    s += v;
                    ss += v * v;
                    m += 1;
                }
            }
            if m == 0 {
                return (f64::NAN, 0.0);
            }
            let mean = s / m as f64;
            (mean, (ss / m as f64 - mean * mean).max(0.0).sqrt())
        })
        .collect()
}
