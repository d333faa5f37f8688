//! The serialised form of a [`CxSummary`] ([`SummaryRepr`]), validated on the way in.

use serde::{Deserialize, Serialize};

use super::accumulate::Layout;
use super::dimension::{check_dimensions, Dimension};
use super::CxSummary;
use crate::error::{CxError, Result};
use crate::tally::Tally;

/// The `format` tag of a serialised CX summary.
pub const CX_SUMMARY_FORMAT: &str = "cxkit.cx_summary";

/// Serialised form of a [`CxSummary`], validated on the way in.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SummaryRepr {
    pub(super) format: String,
    pub(super) version: u32,
    pub(super) dimensions: Vec<Dimension>,
    pub(super) require_all: bool,
    pub(super) respondents: u64,
    pub(super) excluded: u64,
    pub(super) weight: f64,
    pub(super) weight_sq: f64,
    pub(super) tallies: Vec<Tally>,
    pub(super) pairs: Vec<Vec<f64>>,
}

impl From<CxSummary> for SummaryRepr {
    fn from(s: CxSummary) -> Self {
        SummaryRepr {
            format: CX_SUMMARY_FORMAT.into(),
            version: 1,
            dimensions: s.dims,
            require_all: s.require_all,
            respondents: s.respondents,
            excluded: s.excluded,
            weight: s.weight,
            weight_sq: s.weight_sq,
            tallies: s.tallies,
            pairs: s.pairs,
        }
    }
}

impl TryFrom<SummaryRepr> for CxSummary {
    type Error = CxError;
    fn try_from(r: SummaryRepr) -> Result<Self> {
        if r.format != CX_SUMMARY_FORMAT || r.version != 1 {
            return Err(CxError::unreadable(format!(
                "format {:?} version {} is not a CX summary this build reads \
                 ({CX_SUMMARY_FORMAT:?} version 1)",
                r.format, r.version
            )));
        }
        check_dimensions(&r.dimensions).map_err(|e| CxError::unreadable(e.to_string()))?;
        let layout = Layout::new(&r.dimensions);
        let bad = |what: String| Err(CxError::unreadable(what));
        if r.tallies.len() != r.dimensions.len() {
            return bad(format!(
                "{} tallies for {} dimensions",
                r.tallies.len(),
                r.dimensions.len()
            ));
        }
        for (t, d) in r.tallies.iter().zip(&r.dimensions) {
            if t.scale() != d.scale {
                return bad(format!("the tally of {:?} is on another scale", d.name));
            }
            if t.n() > r.respondents || (r.require_all && t.n() != r.respondents) {
                return bad(format!(
                    "the tally of {:?} counts {} respondents, inconsistent with {}",
                    d.name,
                    t.n(),
                    r.respondents
                ));
            }
        }
        if r.pairs.len() != layout.pair_offset.len() {
            return bad(format!(
                "{} pair tables for {} dimensions",
                r.pairs.len(),
                r.dimensions.len()
            ));
        }
        let k = r.dimensions.len();
        let mut p = 0;
        for a in 0..k {
            for b in a + 1..k {
                if r.pairs[p].len() != layout.points[a] * layout.points[b] {
                    return bad(format!("pair table {p} has the wrong number of cells"));
                }
                p += 1;
            }
        }
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        if !r.pairs.iter().flatten().all(|&x| ok(x)) || !ok(r.weight) || !ok(r.weight_sq) {
            return bad("weight sums must be finite and >= 0".into());
        }
        if r.respondents.checked_add(r.excluded).is_none() {
            return bad("counts overflow 64 bits".into());
        }
        Ok(CxSummary {
            dims: r.dimensions,
            require_all: r.require_all,
            tallies: r.tallies,
            pairs: r.pairs,
            respondents: r.respondents,
            excluded: r.excluded,
            weight: r.weight,
            weight_sq: r.weight_sq,
        })
    }
}
