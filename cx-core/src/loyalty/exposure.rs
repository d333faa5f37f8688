//! The groups of a lift comparison: exposed, reference, neither or unknown, from a rating
//! ([`ExposureRule`]), boolean masks or labels.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::outcome_scale;
use crate::error::{check_len, CxError, Result};
use crate::scale::Scale;
use crate::tally::Rating;

/// The group of one respondent in a lift comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Exposure {
    /// The better-experience group (promoters by default).
    Exposed = 0,
    /// The group it is compared with (detractors by default).
    Reference = 1,
    /// Neither (passives by default): kept for [`revenue_impact`](super::revenue_impact), not
    /// in the lift.
    Neither = 2,
    /// No group: the rating, mask or label is missing.
    Unknown = 3,
}

/// A set of rating points that makes one side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The scale's top box (promoters 9-10 on NPS).
    TopBox,
    /// The scale's bottom box (detractors 0-6 on NPS).
    BottomBox,
    /// Between the boxes (passives 7-8 on NPS).
    Middle,
    /// Every point not on the other side (only as the reference).
    Rest,
    /// The points `lowest..=highest`.
    Points {
        /// Lowest point of the range.
        lowest: i32,
        /// Highest point of the range.
        highest: i32,
    },
}

/// A side of a comparison by name: the accepted spellings of [`Side`]'s named sides, defined
/// once for every language (case, `_`, `-` and spaces do not matter: `"Top Box"`, `"top_box"`
/// and `"top-box"` are one name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SideName {
    /// [`Side::TopBox`].
    TopBox,
    /// [`Side::BottomBox`].
    BottomBox,
    /// [`Side::Middle`].
    Middle,
    /// [`Side::Rest`].
    Rest,
}

crate::choice! { SideName, "side", {
    TopBox => "top-box" | "promoters",
    BottomBox => "bottom-box" | "detractors",
    Middle => "middle" | "passives",
    Rest => "rest",
}}

impl From<SideName> for Side {
    fn from(n: SideName) -> Side {
        match n {
            SideName::TopBox => Side::TopBox,
            SideName::BottomBox => Side::BottomBox,
            SideName::Middle => Side::Middle,
            SideName::Rest => Side::Rest,
        }
    }
}

impl FromStr for Side {
    type Err = CxError;
    /// `"top_box"` (also `"promoters"`), `"bottom_box"` (`"detractors"`), `"middle"`
    /// (`"passives"`) or `"rest"`; `-`, `_` and spaces are interchangeable, case is ignored
    /// ([`SideName`]).
    fn from_str(s: &str) -> Result<Self> {
        s.parse::<SideName>().map(Side::from)
    }
}

/// How ratings on a scale map to the exposed and the reference group. The default is the
/// scale's top box against its bottom box: promoters (9-10) against detractors (0-6) on NPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureRule {
    /// The exposed side (not [`Side::Rest`]).
    pub exposed: Side,
    /// The reference side ([`Side::Rest`]: every rated respondent not exposed).
    pub reference: Side,
}

impl Default for ExposureRule {
    fn default() -> Self {
        ExposureRule {
            exposed: Side::TopBox,
            reference: Side::BottomBox,
        }
    }
}

impl ExposureRule {
    /// The group of every point of `scale`, lowest point first.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when the exposed side is [`Side::Rest`], a point range is
    /// empty or leaves the scale, or the two sides share a point.
    pub fn groups(&self, scale: Scale) -> Result<Vec<Exposure>> {
        if self.exposed == Side::Rest {
            return Err(CxError::InvalidArgument {
                name: "exposure",
                value: "\"rest\"".into(),
                expected: "a set of points: top box, bottom box, middle or a point range \
                           (\"rest\" is only a reference)"
                    .into(),
            });
        }
        let exposed = side_points(scale, self.exposed, "exposure")?;
        let reference = match self.reference {
            Side::Rest => exposed.iter().map(|&e| !e).collect(),
            side => side_points(scale, side, "reference")?,
        };
        if let Some(i) = (0..scale.points()).find(|&i| exposed[i] && reference[i]) {
            return Err(CxError::InvalidArgument {
                name: "reference",
                value: format!("{:?}", self.reference),
                expected: format!(
                    "points apart from the exposed ones ({:?}); both contain {}",
                    self.exposed,
                    scale.point(i)
                ),
            });
        }
        Ok((0..scale.points())
            .map(|i| {
                if exposed[i] {
                    Exposure::Exposed
                } else if reference[i] {
                    Exposure::Reference
                } else {
                    Exposure::Neither
                }
            })
            .collect())
    }

    /// The group of every rating (NaN: [`Exposure::Unknown`]).
    ///
    /// # Errors
    /// As [`ExposureRule::groups`]; [`CxError::OutOfScale`] or [`CxError::NonInteger`] for a
    /// rating that is not a point of `scale`.
    ///
    /// # Examples
    /// ```
    /// use cx_core::loyalty::{Exposure, ExposureRule};
    /// use cx_core::Scale;
    /// let g = ExposureRule::default().classify(Scale::nps(), &[10.0, 7.0, 3.0, f64::NAN])?;
    /// assert_eq!(g, [Exposure::Exposed, Exposure::Neither, Exposure::Reference, Exposure::Unknown]);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn classify<T: Rating>(&self, scale: Scale, ratings: &[T]) -> Result<Vec<Exposure>> {
        let groups = self.groups(scale)?;
        ratings
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                Ok(r.locate(&scale, i)?
                    .map_or(Exposure::Unknown, |k| groups[k]))
            })
            .collect()
    }
}

fn side_points(scale: Scale, side: Side, name: &'static str) -> Result<Vec<bool>> {
    let k = scale.points();
    let (lo, hi) = match side {
        Side::TopBox => (scale.top_box_min(), scale.highest()),
        Side::BottomBox => (scale.lowest(), scale.bottom_box_max()),
        Side::Middle => (scale.bottom_box_max() + 1, scale.top_box_min() - 1),
        Side::Points { lowest, highest } => {
            if lowest > highest || lowest < scale.lowest() || highest > scale.highest() {
                return Err(CxError::InvalidArgument {
                    name,
                    value: format!("points {lowest}..={highest}"),
                    expected: format!(
                        "a non-empty range of points within the scale {}..={}",
                        scale.lowest(),
                        scale.highest()
                    ),
                });
            }
            (lowest, highest)
        }
        Side::Rest => unreachable!("handled by the caller"),
    };
    Ok((0..k)
        .map(|i| (lo..=hi).contains(&scale.point(i)))
        .collect())
}

/// Groups from boolean masks: `exposed[i] = 1` puts row `i` in the exposed group; with a
/// `reference` mask, `reference[i] = 1` puts it in the reference group (rows in neither are
/// [`Exposure::Neither`]); without one, every row not exposed is the reference. Masks are
/// 0/1 (any numeric type; NaN is missing: the row's group is [`Exposure::Unknown`]).
///
/// # Errors
/// [`CxError::OutOfScale`] / [`CxError::NonInteger`] for a mask value that is not 0 or 1;
/// [`CxError::LengthMismatch`]; [`CxError::InvalidArgument`] for a row in both groups.
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_masks, Exposure};
/// let g = exposure_from_masks(&[1u8, 0, 0], Some(&[0u8, 1, 0]))?;
/// assert_eq!(g, [Exposure::Exposed, Exposure::Reference, Exposure::Neither]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn exposure_from_masks<T: Rating>(
    exposed: &[T],
    reference: Option<&[T]>,
) -> Result<Vec<Exposure>> {
    let s = outcome_scale();
    if let Some(r) = reference {
        check_len("exposure", exposed.len(), "reference", r.len())?;
    }
    let mut out = Vec::with_capacity(exposed.len());
    for (i, &e) in exposed.iter().enumerate() {
        let e = e.locate(&s, i)?;
        let g = match reference {
            None => match e {
                None => Exposure::Unknown,
                Some(1) => Exposure::Exposed,
                Some(_) => Exposure::Reference,
            },
            Some(r) => match (e, r[i].locate(&s, i)?) {
                (None, _) | (_, None) => Exposure::Unknown,
                (Some(1), Some(1)) => {
                    return Err(CxError::InvalidArgument {
                        name: "reference",
                        value: format!("a mask that is 1 at index {i}"),
                        expected: "rows in at most one of the exposed and reference groups".into(),
                    })
                }
                (Some(1), Some(0)) => Exposure::Exposed,
                (Some(0), Some(1)) => Exposure::Reference,
                _ => Exposure::Neither,
            },
        };
        out.push(g);
    }
    Ok(out)
}

/// Groups from labels (e.g. the bands of a CX index: "high", "medium", "low"): a label in
/// `exposed` is the exposed group, one in `reference` the reference group (`None`: every
/// labelled row not exposed), others [`Exposure::Neither`]; a missing label (`None`) is
/// [`Exposure::Unknown`].
///
/// This is the seam for any precomputed grouping, such as the bands of a CX index computed
/// elsewhere: pass its band labels here.
///
/// # Errors
/// [`CxError::InvalidArgument`] when `exposed` is empty or a label is in both lists.
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_labels, Exposure};
/// let bands = [Some("high"), Some("low"), None, Some("medium")];
/// let g = exposure_from_labels(&bands, &["high"], Some(&["low"]))?;
/// assert_eq!(g, [Exposure::Exposed, Exposure::Reference, Exposure::Unknown, Exposure::Neither]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn exposure_from_labels<L: PartialEq + fmt::Debug>(
    labels: &[Option<L>],
    exposed: &[L],
    reference: Option<&[L]>,
) -> Result<Vec<Exposure>> {
    if exposed.is_empty() {
        return Err(CxError::InvalidArgument {
            name: "exposure",
            value: "no labels".into(),
            expected: "at least one label of the exposed group".into(),
        });
    }
    if let Some(both) = reference
        .unwrap_or(&[])
        .iter()
        .find(|r| exposed.contains(r))
    {
        return Err(CxError::InvalidArgument {
            name: "reference",
            value: format!("{both:?}"),
            expected: "labels apart from the exposed ones".into(),
        });
    }
    Ok(labels
        .iter()
        .map(|l| match l {
            None => Exposure::Unknown,
            Some(l) if exposed.contains(l) => Exposure::Exposed,
            Some(l) => match reference {
                None => Exposure::Reference,
                Some(r) if r.contains(l) => Exposure::Reference,
                Some(_) => Exposure::Neither,
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_classify_points() {
        let s = Scale::nps();
        let g = ExposureRule::default().groups(s).unwrap();
        assert_eq!(g.iter().filter(|&&g| g == Exposure::Exposed).count(), 2);
        assert_eq!(g.iter().filter(|&&g| g == Exposure::Reference).count(), 7);
        let top_vs_rest = ExposureRule {
            exposed: "top_box".parse().unwrap(),
            reference: "rest".parse().unwrap(),
        };
        let g = top_vs_rest.groups(Scale::csat()).unwrap();
        use Exposure::*;
        assert_eq!(g, [Reference, Reference, Reference, Exposed, Exposed]);
        let mid = ExposureRule {
            exposed: Side::Middle,
            reference: Side::Points {
                lowest: 0,
                highest: 3,
            },
        };
        assert_eq!(
            mid.groups(s).unwrap(),
            [
                Reference, Reference, Reference, Reference, Neither, Neither, Neither, Exposed,
                Exposed, Neither, Neither
            ]
        );
    }
}
