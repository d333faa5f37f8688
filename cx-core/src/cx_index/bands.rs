//! Quality bands of a CX score: [`Band`] and the cut-offs between them, [`Bands`].

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{CxError, Result};

/// A quality band of a CX score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Band {
    /// Below the first cut-off.
    #[serde(rename = "very poor")]
    VeryPoor,
    /// From the first cut-off to below the second.
    #[serde(rename = "poor")]
    Poor,
    /// From the second cut-off to below the third.
    #[serde(rename = "okay")]
    Okay,
    /// From the third cut-off to below the fourth.
    #[serde(rename = "good")]
    Good,
    /// At or above the fourth cut-off.
    #[serde(rename = "excellent")]
    Excellent,
}

impl Band {
    /// `"very poor"`, `"poor"`, `"okay"`, `"good"` or `"excellent"`.
    pub fn label(self) -> &'static str {
        match self {
            Band::VeryPoor => "very poor",
            Band::Poor => "poor",
            Band::Okay => "okay",
            Band::Good => "good",
            Band::Excellent => "excellent",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// Cut-offs between the five quality bands (very poor, poor, okay, good, excellent), in index
/// points; a score at a cut-off belongs to the band above it.
///
/// # Defaults
/// `[55, 65, 75, 85]`: very poor below 55, poor 55 to 65, okay 65 to 75, good 75 to 85,
/// excellent 85 and above. These are cxkit's own documented convention, modelled on the five
/// quality labels Forrester attaches to CX Index scores (Temkin 2010, *The Customer Experience
/// Index, 2010*, where industry averages of 78-82 are "good" and 51 is "very poor"); Forrester's
/// exact cut-offs could not be verified from public sources, and they are a benchmark for
/// Forrester's own brand-level surveys. Set your own cut-offs wherever your benchmark differs
/// (the `mean` method, for one, gives higher numbers than `net` on the same answers).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "[f64; 4]", into = "[f64; 4]")]
pub struct Bands {
    cutoffs: [f64; 4],
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            cutoffs: [55.0, 65.0, 75.0, 85.0],
        }
    }
}

impl TryFrom<[f64; 4]> for Bands {
    type Error = CxError;
    fn try_from(c: [f64; 4]) -> Result<Self> {
        Bands::new(&c)
    }
}

impl From<Bands> for [f64; 4] {
    fn from(b: Bands) -> Self {
        b.cutoffs
    }
}

impl Bands {
    /// Bands from four finite, strictly increasing cut-offs.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] (`bands`) otherwise.
    ///
    /// # Examples
    /// ```
    /// use cx_core::{Band, Bands};
    /// let b = Bands::new(&[0.0, 20.0, 40.0, 60.0])?;
    /// assert_eq!((b.band(-5.0), b.band(0.0), b.band(20.0), b.band(60.0)), (Band::VeryPoor, Band::Poor, Band::Okay, Band::Excellent));
    /// assert!(Bands::new(&[0.0, 20.0, 20.0, 60.0]).is_err());
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn new(cutoffs: &[f64]) -> Result<Bands> {
        let ok = cutoffs.len() == 4
            && cutoffs.iter().all(|c| c.is_finite())
            && cutoffs.windows(2).all(|w| w[0] < w[1]);
        if !ok {
            return Err(CxError::InvalidArgument {
                name: "bands",
                value: format!("{cutoffs:?}"),
                expected: "four finite, strictly increasing cut-offs between very poor | poor | \
                           okay | good | excellent, e.g. [55, 65, 75, 85]"
                    .into(),
            });
        }
        Ok(Bands {
            cutoffs: [cutoffs[0], cutoffs[1], cutoffs[2], cutoffs[3]],
        })
    }

    /// The cut-offs.
    pub fn cutoffs(&self) -> [f64; 4] {
        self.cutoffs
    }

    /// The band of a score.
    pub fn band(&self, score: f64) -> Band {
        match self.cutoffs.iter().filter(|&&c| score >= c).count() {
            0 => Band::VeryPoor,
            1 => Band::Poor,
            2 => Band::Okay,
            3 => Band::Good,
            _ => Band::Excellent,
        }
    }
}
