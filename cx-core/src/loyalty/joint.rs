//! [`JointTally`]: the mergeable one-pass summary of exposure × a 0/1 outcome, and its JSON
//! form.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::{outcome_scale, Exposure};
use crate::error::{check_len, CxError, Result};
use crate::segment::GroupedTally;
use crate::tally::{Rating, Tally};

/// The one-pass summary of exposure × a 0/1 loyalty outcome: per group ([`Exposure`]) a
/// [`Tally`] of the outcome on the scale 0..=1 (count, sum of weights and sum of squared
/// weights of 0s and 1s, and missing outcomes).
///
/// Merging two joint tallies equals building one on both data sets; the JSON form is
/// `{"format": "cxkit.joint_tally", "version": 1, "exposed": tally, "reference": tally,
/// "neither": tally, "unknown": tally}`.
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_masks, JointTally};
/// let groups = exposure_from_masks(&[1u8, 1, 0, 0], None)?;
/// let mut j = JointTally::from_values(&groups, &[1u8, 1, 0, 1], None)?;
/// j.merge(&JointTally::from_values(&groups, &[1.0, 0.0, f64::NAN, 0.0], None)?)?;
/// let exposed = j.tally(cx_core::loyalty::Exposure::Exposed);
/// assert_eq!((exposed.counts(), exposed.missing()), (&[1u64, 3][..], 0));
/// assert_eq!(JointTally::from_json(&j.to_json())?, j);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "JointRepr", into = "JointRepr")]
pub struct JointTally {
    pub(super) grouped: GroupedTally,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JointRepr {
    format: String,
    version: u32,
    exposed: Tally,
    reference: Tally,
    neither: Tally,
    unknown: Tally,
}

/// The `format` tag of a serialised [`JointTally`].
pub const JOINT_FORMAT: &str = "cxkit.joint_tally";

pub(super) fn check_format(format: &str, version: u32, want: &str) -> Result<()> {
    if format != want || version != 1 {
        return Err(CxError::unreadable(format!(
            "format {format:?} version {version} is not one this build reads ({want:?} version 1)"
        )));
    }
    Ok(())
}

/// Grouped tally of the outcome from per-group tallies (each checked to be on 0..=1).
pub(super) fn regroup(tallies: &[&Tally]) -> Result<GroupedTally> {
    let s = outcome_scale();
    let mut g = GroupedTally::new(s, tallies.len());
    for (i, t) in tallies.iter().enumerate() {
        s.ensure_same(&t.scale())?;
        g.add_to_group(i, t);
    }
    Ok(g)
}

impl TryFrom<JointRepr> for JointTally {
    type Error = CxError;
    fn try_from(r: JointRepr) -> Result<Self> {
        check_format(&r.format, r.version, JOINT_FORMAT)?;
        Ok(JointTally {
            grouped: regroup(&[&r.exposed, &r.reference, &r.neither, &r.unknown])?,
        })
    }
}

impl From<JointTally> for JointRepr {
    fn from(j: JointTally) -> Self {
        JointRepr {
            format: JOINT_FORMAT.into(),
            version: 1,
            exposed: j.tally(Exposure::Exposed),
            reference: j.tally(Exposure::Reference),
            neither: j.tally(Exposure::Neither),
            unknown: j.tally(Exposure::Unknown),
        }
    }
}

impl JointTally {
    /// An empty joint tally.
    pub fn new() -> JointTally {
        JointTally {
            grouped: GroupedTally::new(outcome_scale(), 4),
        }
    }

    /// The joint tally of `groups` and a 0/1 `outcome` (NaN: missing), with optional weights.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`]; [`CxError::OutOfScale`] / [`CxError::NonInteger`] for an
    /// outcome that is not 0, 1 or missing; [`CxError::InvalidWeight`].
    pub fn from_values<T: Rating>(
        groups: &[Exposure],
        outcome: &[T],
        weights: Option<&[f64]>,
    ) -> Result<JointTally> {
        check_len("exposure", groups.len(), "outcome", outcome.len())?;
        let codes: Vec<u32> = groups.iter().map(|&g| g as u32).collect();
        Ok(JointTally {
            grouped: GroupedTally::from_values(outcome_scale(), &codes, 4, outcome, weights)?,
        })
    }

    /// Add another joint tally: the result equals the joint tally of both data sets.
    ///
    /// # Errors
    /// None in practice (both are on the outcome scale with four groups).
    pub fn merge(&mut self, other: &JointTally) -> Result<()> {
        self.grouped.merge(&other.grouped)
    }

    /// The outcome tally of one group.
    pub fn tally(&self, group: Exposure) -> Tally {
        self.grouped.group(group as usize).expect("four groups")
    }

    /// The JSON form (see [`JointTally`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a joint tally always serialises")
    }

    /// Read the JSON form written by [`JointTally::to_json`] in any language.
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for anything else.
    pub fn from_json(text: &str) -> Result<JointTally> {
        serde_json::from_str(text).map_err(|e| CxError::unreadable(e.to_string()))
    }
}

impl Default for JointTally {
    fn default() -> Self {
        JointTally::new()
    }
}

impl fmt::Display for JointTally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "JointTally(exposed n={}, reference n={}, neither n={}, unknown n={})",
            self.tally(Exposure::Exposed).n(),
            self.tally(Exposure::Reference).n(),
            self.tally(Exposure::Neither).n(),
            self.tally(Exposure::Unknown).n()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loyalty::exposure_from_masks;

    #[test]
    fn joint_json_round_trip_and_merge() {
        let groups = exposure_from_masks(&[1.0, 0.0, f64::NAN, 1.0], None).unwrap();
        let j = JointTally::from_values(
            &groups,
            &[1.0, 0.0, 1.0, f64::NAN],
            Some(&[2.0, 1.0, 1.0, 0.5]),
        )
        .unwrap();
        let json = j.to_json();
        assert!(json.starts_with(r#"{"format":"cxkit.joint_tally","version":1,"#));
        assert_eq!(JointTally::from_json(&json).unwrap(), j);
        let mut m = JointTally::new();
        m.merge(&j).unwrap();
        assert_eq!(m, j);
        assert_eq!(j.tally(Exposure::Unknown).n(), 1);
        assert_eq!(j.tally(Exposure::Exposed).missing(), 1);
        let bad = json.replace(r#""version":1,"exposed""#, r#""version":2,"exposed""#);
        assert_eq!(
            JointTally::from_json(&bad).unwrap_err().code(),
            "unreadable_summary"
        );
    }
}
