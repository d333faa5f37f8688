//! Expected purchases, P(alive) and CLV in the customer view, from fitted lifetime-value
//! models.

use serde::{Deserialize, Serialize};

use super::CustomerView;
use crate::clv::{BgNbdFit, GammaGammaFit};
use crate::error::{CxError, Result};
use crate::transactions::Purchases;

/// Fitted lifetime-value models, to add expected purchases and CLV to the view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvModel {
    /// The BG/NBD fit (its time unit is `unit_days` days).
    pub bgnbd: BgNbdFit,
    /// The Gamma-Gamma fit; without it there is no CLV column.
    pub gamma_gamma: Option<GammaGammaFit>,
    /// Days per time unit of the fits (1 = days, the default of [`rfm`](crate::clv::rfm)).
    pub unit_days: f64,
    /// Horizon of `expected_purchases`, in time units (default 365 with days).
    pub horizon: f64,
    /// Months of the CLV (default 12).
    pub months: u32,
    /// Monthly discount rate of the CLV (default 0.01, as lifetimes).
    pub discount: f64,
    /// Time units per month (default 30 with days, as lifetimes).
    pub period_length: f64,
}

impl ClvModel {
    /// The fits with the defaults for a fit in days.
    pub fn new(bgnbd: BgNbdFit, gamma_gamma: Option<GammaGammaFit>) -> ClvModel {
        let clv = crate::clv::ClvOptions::default();
        ClvModel {
            bgnbd,
            gamma_gamma,
            unit_days: 1.0,
            horizon: 365.0,
            months: clv.months,
            discount: clv.discount,
            period_length: clv.period_length,
        }
    }
}

/// Expected purchases, P(alive) and CLV of the customers with purchases.
pub(super) fn add_clv(
    view: &mut CustomerView,
    model: &ClvModel,
    keep: &[usize],
    purchases: &Purchases,
) -> Result<()> {
    let u = model.unit_days;
    if !(u.is_finite() && u > 0.0) {
        return Err(CxError::InvalidArgument {
            name: "unit_days",
            value: u.to_string(),
            expected: "a positive number of days per time unit".into(),
        });
    }
    let (mut x, mut tx_, mut tt, mut mv, mut rows) = (vec![], vec![], vec![], vec![], vec![]);
    for (row, &c) in keep.iter().enumerate() {
        if let Some(p) = purchases.get(c).rfm(view.cutoff, u) {
            x.push(p.frequency);
            tx_.push(p.recency);
            tt.push(p.t);
            mv.push(p.monetary_value);
            rows.push(row);
        }
    }
    let k = view.len();
    view.expected_purchases = vec![None; k];
    view.p_alive = vec![None; k];
    let e = model
        .bgnbd
        .expected_purchases(model.horizon, &x, &tx_, &tt)?;
    let pa = model.bgnbd.p_alive(&x, &tx_, &tt)?;
    for (i, &row) in rows.iter().enumerate() {
        view.expected_purchases[row] = Some(e[i]);
        view.p_alive[row] = Some(pa[i]);
    }
    if let Some(gg) = &model.gamma_gamma {
        // A net refund (mean spend <= 0) has no Gamma-Gamma spend: the population mean is used,
        // as for a customer without repeat purchases.
        let m: Vec<f64> = mv.iter().map(|&v| v.max(0.0)).collect();
        let xs: Vec<f64> = x
            .iter()
            .zip(&mv)
            .map(|(&f, &v)| if v > 0.0 { f } else { 0.0 })
            .collect();
        let spend = gg.expected_spend(&xs, &m)?;
        let clv = model.bgnbd.clv(
            &x,
            &tx_,
            &tt,
            &spend,
            model.months,
            model.discount,
            model.period_length,
        )?;
        view.clv = vec![None; k];
        for (i, &row) in rows.iter().enumerate() {
            view.clv[row] = Some(clv[i]);
        }
    }
    Ok(())
}
