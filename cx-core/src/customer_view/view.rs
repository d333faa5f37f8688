//! The result of [`customer_view`](super::customer_view): one row per customer.

use serde::{Deserialize, Serialize};

use crate::grouping::Key;

/// NPS category of an answer on the 0-10 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsCategory {
    /// 0 to 6.
    Detractor,
    /// 7 or 8.
    Passive,
    /// 9 or 10.
    Promoter,
}

impl NpsCategory {
    /// The category of a 0-10 answer.
    pub fn of(score: f64) -> NpsCategory {
        if score >= 9.0 {
            NpsCategory::Promoter
        } else if score >= 7.0 {
            NpsCategory::Passive
        } else {
            NpsCategory::Detractor
        }
    }

    /// `"promoter"`, `"passive"` or `"detractor"`.
    pub fn name(self) -> &'static str {
        match self {
            NpsCategory::Detractor => "detractor",
            NpsCategory::Passive => "passive",
            NpsCategory::Promoter => "promoter",
        }
    }
}

/// Latest and mean answer of one rating per customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingSummary {
    /// Column name.
    pub name: String,
    /// Latest non-missing answer (`None` without one).
    pub latest: Vec<Option<f64>>,
    /// Mean of the non-missing answers (`None` without one).
    pub mean: Vec<Option<f64>>,
    /// Non-missing answers.
    pub count: Vec<u32>,
}

/// The customer view: one entry per customer in every column (customers sorted as
/// [`join_keys`](super::join_keys) sorts them: integers, then strings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    /// Customer ids.
    pub customers: Vec<Key>,
    /// The cut-off day (days since 1970-01-01).
    pub cutoff: i64,
    /// The activity window of `active`, in days.
    pub active_days: u32,
    /// At least one survey response up to the cut-off.
    pub in_survey: Vec<bool>,
    /// At least one transaction up to the cut-off.
    pub in_transactions: Vec<bool>,
    /// Survey responses up to the cut-off.
    pub responses: Vec<u32>,
    /// Day of the latest response (`None` without responses or survey dates).
    pub last_response: Vec<Option<i64>>,
    /// Days from the latest response to the cut-off.
    pub response_recency_days: Vec<Option<i64>>,
    /// One summary per rating column, in input order.
    pub ratings: Vec<RatingSummary>,
    /// The NPS column used for `nps_category` (`None`: no NPS column).
    pub nps_column: Option<String>,
    /// NPS category of the latest NPS answer (empty without an NPS column).
    pub nps_category: Vec<Option<NpsCategory>>,
    /// Day of the first purchase.
    pub first_purchase: Vec<Option<i64>>,
    /// Day of the last purchase.
    pub last_purchase: Vec<Option<i64>>,
    /// Days from the last purchase to the cut-off (R).
    pub recency_days: Vec<Option<i64>>,
    /// Purchase days up to the cut-off (F).
    pub frequency: Vec<u32>,
    /// Net revenue per purchase day (M, money; `None` without purchases).
    pub monetary: Vec<Option<f64>>,
    /// Net revenue up to the cut-off (money; refunds included).
    pub revenue: Vec<f64>,
    /// Days from the first purchase to the cut-off.
    pub tenure_days: Vec<Option<i64>>,
    /// Active at the cut-off (`recency_days < active_days`); `None` without purchases.
    pub active: Vec<Option<bool>>,
    /// BG/NBD expected purchases over the model's horizon (empty without a model).
    pub expected_purchases: Vec<Option<f64>>,
    /// Probability of being alive at the cut-off (BG/NBD; empty without a model).
    pub p_alive: Vec<Option<f64>>,
    /// Lifetime value over the model's months (empty without a Gamma-Gamma fit).
    pub clv: Vec<Option<f64>>,
    /// Survey rows skipped for a missing id (or date).
    pub survey_missing: u64,
    /// Survey rows after the cut-off.
    pub survey_after_cutoff: u64,
    /// Log rows skipped for a missing id, date or revenue.
    pub transactions_missing: u64,
    /// Log rows after the cut-off.
    pub transactions_after_cutoff: u64,
}

impl CustomerView {
    /// Number of customers (rows).
    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// True without customers.
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    /// The summary of the rating called `name`.
    pub fn rating(&self, name: &str) -> Option<&RatingSummary> {
        self.ratings.iter().find(|r| r.name == name)
    }
}
