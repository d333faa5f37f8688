//! The profile of each persona: its features against the rest, categorical modes, NPS,
//! value, loyalty, CX index, key drivers, label and needs.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::drivers::{driver_moments, driver_needs, persona_drivers, PersonaDrivers};
use super::prepare::Data;
use super::wording::{label_of, needs_of};
use super::{CategoricalFeature, NumericFeature, PersonaOptions, ProfileColumns};
use crate::cx_index::{cx_index, CxIndex, GroupedCxSummary};
use crate::error::{CxError, Result};
use crate::inference::{adjust_p_values, two_sided_p_t, Adjust};
use crate::loyalty::outcome_scale;
use crate::nps::{nps, Nps, NpsOptions};
use crate::satisfaction::{top_box, Proportion, ProportionOptions};
use crate::scale::Scale;
use crate::tally::Tally;

/// How one feature of a persona differs from the other customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureDifference {
    /// Feature name.
    pub feature: String,
    /// Mean in the persona (original units).
    pub mean: f64,
    /// Mean of the other customers (original units).
    pub rest_mean: f64,
    /// The persona's mean z-score: its standardised difference from the overall mean.
    pub z: f64,
    /// Holm-adjusted p-value of Welch's t-test, persona vs the rest (`None` when a side has
    /// fewer than two customers or no variance).
    pub p_value: Option<f64>,
    /// `p_value < alpha`.
    pub significant: bool,
}

/// The profile of one persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    /// Persona number (0-based; personas are sorted by size, largest first).
    pub id: usize,
    /// Generated label from the distinguishing features (`"high value, low ease"`); rename
    /// freely.
    pub label: String,
    /// Customers in the persona.
    pub size: u64,
    /// Share of the clustered customers, 0 to 1.
    pub share: f64,
    /// Each numeric feature against the rest, in feature order.
    pub differences: Vec<FeatureDifference>,
    /// Most frequent category of each categorical feature, and its share within the persona.
    pub modes: Vec<(String, String, f64)>,
    /// Names of the distinguishing features (|z| >= threshold), strongest first.
    pub distinguishing: Vec<String>,
    /// NPS of the members (points, with interval), when an NPS column was given and answered.
    pub nps: Option<Nps>,
    /// Share of the total revenue, 0 to 1.
    pub revenue_share: Option<f64>,
    /// Mean lifetime value of the members (money).
    pub mean_clv: Option<f64>,
    /// Share of the total lifetime value, 0 to 1.
    pub clv_share: Option<f64>,
    /// Loyalty rate of the members: the share with outcome 1 among those with a non-missing
    /// 0/1 loyalty outcome, with its 95% Wilson (1927) interval (as [`crate::satisfaction::top_box`] on the
    /// 0/1 scale), when a loyalty column was given and answered.
    #[serde(default)]
    pub loyalty: Option<Proportion>,
    /// CX index of the members' latest answers with its interval and band, when CX columns
    /// were given and answered (see [`CxColumns`](super::CxColumns)).
    #[serde(default)]
    pub cx_index: Option<CxIndex>,
    /// Key drivers of the loyalty outcome within the persona, when driver columns were given.
    #[serde(default)]
    pub drivers: Option<PersonaDrivers>,
    /// What the persona needs: first its key drivers (see [`driver_needs`]), then the rules of
    /// [`needs_of`].
    pub needs: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn profile_all(
    data: &Data,
    labels: &[usize],
    k: usize,
    numeric: &[NumericFeature],
    categorical: &[CategoricalFeature],
    profile: &ProfileColumns,
    assignments: &[Option<usize>],
    options: &PersonaOptions,
) -> Result<Vec<Persona>> {
    let n = data.n;
    let p = data.p;
    // Per persona and feature: count, sum and sum of squares of the original values.
    let mut size = vec![0u64; k];
    let mut sum = vec![0.0; k * p];
    let mut sq = vec![0.0; k * p];
    let mut zsum = vec![0.0; k * p];
    let (mut tot, mut tot_sq) = (vec![0.0; p], vec![0.0; p]);
    for (i, &c) in labels.iter().enumerate() {
        size[c] += 1;
        for j in 0..p {
            let z = data.z[i * p + j];
            let x = data.means[j] + z * data.sds[j];
            sum[c * p + j] += x;
            sq[c * p + j] += x * x;
            zsum[c * p + j] += z;
            tot[j] += x;
            tot_sq[j] += x * x;
        }
    }
    // Outcome sums over the clustered customers.
    let clustered_sum = |col: &[f64]| {
        assignments
            .iter()
            .zip(col)
            .filter(|(a, v)| a.is_some() && !v.is_nan())
            .map(|(_, v)| v)
            .sum::<f64>()
    };
    let revenue_total = profile.revenue.map(clustered_sum);
    let clv_total = profile.clv.map(clustered_sum);
    let cx_groups = match profile.cx {
        Some(cx) => {
            // persona k collects the customers left out of the clustering
            let keys: Vec<i64> = assignments
                .iter()
                .map(|a| a.map_or(k as i64, |c| c as i64))
                .collect();
            Some(GroupedCxSummary::from_columns(
                cx.dims.clone(),
                &keys,
                0,
                k + 1,
                &cx.columns,
                None,
                false,
            )?)
        }
        None => None,
    };
    let moments = driver_moments(profile, assignments);
    let mut out = Vec::with_capacity(k);
    for c in 0..k {
        let m = size[c] as f64;
        let rest = (n as u64 - size[c]) as f64;
        let mut diffs = Vec::with_capacity(p);
        let mut raw_p = Vec::with_capacity(p);
        for (j, f) in numeric.iter().enumerate() {
            let (s, ss) = (sum[c * p + j], sq[c * p + j]);
            let mean = s / m;
            let (rs, rss) = (tot[j] - s, tot_sq[j] - ss);
            let rest_mean = if rest > 0.0 { rs / rest } else { f64::NAN };
            let var = |sum: f64, sq: f64, cnt: f64| (sq - sum * sum / cnt).max(0.0) / (cnt - 1.0);
            let pv = if m >= 2.0 && rest >= 2.0 {
                let (v1, v2) = (var(s, ss, m), var(rs, rss, rest));
                let se2 = v1 / m + v2 / rest;
                if se2 > 0.0 {
                    // Welch (1947) with the Welch-Satterthwaite degrees of freedom.
                    let t = (mean - rest_mean) / se2.sqrt();
                    let df = se2 * se2
                        / ((v1 / m).powi(2) / (m - 1.0) + (v2 / rest).powi(2) / (rest - 1.0));
                    Some(two_sided_p_t(t, df))
                } else {
                    None
                }
            } else {
                None
            };
            raw_p.push(pv);
            diffs.push(FeatureDifference {
                feature: f.name.to_string(),
                mean,
                rest_mean,
                z: zsum[c * p + j] / m,
                p_value: pv,
                significant: false,
            });
        }
        let present: Vec<usize> = (0..p).filter(|&j| raw_p[j].is_some()).collect();
        let adjusted = adjust_p_values(
            &present
                .iter()
                .map(|&j| raw_p[j].unwrap_or(1.0))
                .collect::<Vec<_>>(),
            Adjust::Holm,
        );
        for (&j, &a) in present.iter().zip(&adjusted) {
            diffs[j].p_value = Some(a);
            diffs[j].significant = a < options.alpha;
        }
        let mut strong: Vec<&FeatureDifference> = diffs
            .iter()
            .filter(|d| d.z.abs() >= options.threshold)
            .collect();
        strong.sort_by(|a, b| b.z.abs().total_cmp(&a.z.abs()));
        let distinguishing: Vec<String> = strong.iter().map(|d| d.feature.clone()).collect();
        let label = label_of(&strong);
        // Categorical modes within the persona.
        let modes = categorical
            .iter()
            .enumerate()
            .map(|(l, f)| {
                let mut counts: HashMap<u32, u64> = HashMap::new();
                for (i, &lab) in labels.iter().enumerate() {
                    if lab == c {
                        *counts.entry(data.cats(i)[l]).or_insert(0) += 1;
                    }
                }
                let (code, cnt) = counts
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .unwrap_or((0, 0));
                let name = f
                    .labels
                    .get(code as usize)
                    .map_or_else(String::new, ToString::to_string);
                (f.name.to_string(), name, cnt as f64 / m)
            })
            .collect();
        let members = || {
            assignments
                .iter()
                .enumerate()
                .filter(move |(_, a)| **a == Some(c))
                .map(|(i, _)| i)
        };
        let nps_result = match profile.nps {
            Some(col) => {
                let vals: Vec<f64> = members().map(|i| col[i]).collect();
                let tally = Tally::from_values(Scale::nps(), &vals, None)?;
                if tally.n() > 0 {
                    Some(nps(&tally, &NpsOptions::default())?)
                } else {
                    None
                }
            }
            None => None,
        };
        let loyalty = match profile.loyalty {
            Some(col) => {
                let vals: Vec<f64> = members().map(|i| col[i]).collect();
                let tally = Tally::from_values(outcome_scale(), &vals, None)?;
                if tally.n() > 0 {
                    Some(top_box(&tally, &ProportionOptions::default())?)
                } else {
                    None
                }
            }
            None => None,
        };
        let share_of = |col: Option<&[f64]>, total: Option<f64>| -> Option<f64> {
            let (col, total) = (col?, total?);
            let s: f64 = members().map(|i| col[i]).filter(|v| !v.is_nan()).sum();
            (total != 0.0).then(|| s / total)
        };
        let mean_clv = profile.clv.and_then(|col| {
            let vals: Vec<f64> = members().map(|i| col[i]).filter(|v| !v.is_nan()).collect();
            (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
        });
        let cx_result = match (profile.cx, &cx_groups) {
            (Some(cx), Some(g)) => match cx_index(g.group(c), &cx.options) {
                Ok(r) => Some(r),
                Err(CxError::EmptyInput { .. } | CxError::InsufficientData { .. }) => None,
                Err(e) => return Err(e),
            },
            _ => None,
        };
        let rows: Vec<usize> = if profile.drivers.is_empty() {
            Vec::new()
        } else {
            members().collect()
        };
        let drivers = persona_drivers(profile, &rows, &moments)?;
        let mut needs = drivers
            .as_ref()
            .map(|d| driver_needs(d, options.threshold))
            .unwrap_or_default();
        let rules = needs_of(&diffs, options.threshold);
        if needs.is_empty() || rules.len() > 1 || !rules[0].starts_with("maintain") {
            needs.extend(rules);
        }
        out.push(Persona {
            id: c,
            label,
            size: size[c],
            share: m / n as f64,
            differences: diffs,
            modes,
            distinguishing,
            nps: nps_result,
            revenue_share: share_of(profile.revenue, revenue_total),
            mean_clv,
            clv_share: share_of(profile.clv, clv_total),
            loyalty,
            cx_index: cx_result,
            drivers,
            needs,
        });
    }
    Ok(out)
}
