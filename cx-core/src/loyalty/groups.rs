//! [`ExposureGroups`]: who is exposed and who is the reference, said in one of three ways
//! (a rule on ratings, 0/1 masks, or labels), as one type for every entry point and language.

use std::borrow::Cow;

use super::{exposure_from_labels, exposure_from_masks, Exposure, ExposureRule};
use crate::error::Result;
use crate::grouping::Key;
use crate::scale::Scale;

/// The groups of a lift comparison as the caller describes them. Every loyalty entry point
/// (`loyalty_lift`, `mean_lift`, `revenue_impact`, `joint_tally`) reads its groups into this
/// one type (see `cx_core::api` for how the arguments map to it) and classifies rows with
/// [`ExposureGroups::classify`].
///
/// # Examples
/// ```
/// use std::borrow::Cow;
/// use cx_core::loyalty::{Exposure, ExposureGroups, ExposureRule};
/// use cx_core::Scale;
/// let g = ExposureGroups::Rule {
///     ratings: Cow::Borrowed(&[10.0, 7.0, 2.0]),
///     scale: Scale::nps(),
///     rule: ExposureRule::default(),
/// };
/// assert_eq!(g.classify()?, [Exposure::Exposed, Exposure::Neither, Exposure::Reference]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum ExposureGroups<'a> {
    /// A rule on ratings (NaN missing): top box vs bottom box by default (promoters vs
    /// detractors on the NPS scale), any named sides or point ranges.
    Rule {
        /// One rating per row.
        ratings: Cow<'a, [f64]>,
        /// Their scale.
        scale: Scale,
        /// Which points are exposed and which the reference.
        rule: ExposureRule,
    },
    /// 0/1 masks (NaN missing): see [`exposure_from_masks`].
    Masks {
        /// 1 for a row of the exposed group.
        exposed: Cow<'a, [f64]>,
        /// 1 for a row of the reference group; `None`: every row not exposed.
        reference: Option<Cow<'a, [f64]>>,
    },
    /// Labels such as CX-index bands: see [`exposure_from_labels`]. Labels compare as text
    /// (the integer 2 and the text "2" are one label); a missing label is no group.
    Labels {
        /// One code per row into `labels`.
        codes: Cow<'a, [u32]>,
        /// The label of each code.
        labels: Vec<Key>,
        /// The labels of the exposed group.
        exposed: Vec<Key>,
        /// The labels of the reference group; `None`: every other label.
        reference: Option<Vec<Key>>,
    },
}

/// A label as text (`None` for the missing label).
fn text(k: &Key) -> Option<String> {
    match k {
        Key::Missing => None,
        k => Some(k.to_string()),
    }
}

impl ExposureGroups<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ExposureGroups::Rule { ratings, .. } => ratings.len(),
            ExposureGroups::Masks { exposed, .. } => exposed.len(),
            ExposureGroups::Labels { codes, .. } => codes.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The group of every row.
    ///
    /// # Errors
    /// As [`ExposureRule::classify`], [`exposure_from_masks`] or [`exposure_from_labels`].
    pub fn classify(&self) -> Result<Vec<Exposure>> {
        match self {
            ExposureGroups::Rule {
                ratings,
                scale,
                rule,
            } => rule.classify(*scale, ratings),
            ExposureGroups::Masks { exposed, reference } => {
                exposure_from_masks(exposed, reference.as_deref())
            }
            ExposureGroups::Labels {
                codes,
                labels,
                exposed,
                reference,
            } => {
                let names: Vec<Option<String>> = labels.iter().map(text).collect();
                let exposed: Vec<String> = exposed.iter().filter_map(text).collect();
                let reference: Option<Vec<String>> = reference
                    .as_ref()
                    .map(|r| r.iter().filter_map(text).collect());
                let of_label = exposure_from_labels(&names, &exposed, reference.as_deref())?;
                Ok(codes.iter().map(|&c| of_label[c as usize]).collect())
            }
        }
    }
}
