//! Rating scales: integer points `lowest..=highest` with top-box and bottom-box thresholds.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{CxError, Result};

/// The largest number of points a scale may have (a 0-100 slider).
pub const MAX_POINTS: usize = 101;

/// An integer rating scale `lowest..=highest` (at most [`MAX_POINTS`] points) with a top box
/// (`top_box_min..=highest`) and a bottom box (`lowest..=bottom_box_max`).
///
/// The boxes are what NPS-style metrics count: on the NPS preset the top box is the promoters
/// (9-10) and the bottom box the detractors (0-6); on CSAT 1-5 they are the satisfied (4-5,
/// "top-2-box") and dissatisfied (1-2) customers.
///
/// # Presets
/// | preset | points | top box | bottom box | source |
/// |---|---|---|---|---|
/// | [`Scale::nps`] | 0-10 | 9-10 (promoters) | 0-6 (detractors) | Reichheld (2003), "The One Number You Need to Grow", HBR |
/// | [`Scale::csat`] | 1-5 | 4-5 | 1-2 | top-2-box convention of the ACSI / CSAT literature |
/// | [`Scale::ces`] | 1-7 | 5-7 | 1-3 | CES 2.0 (Dixon, Toman, DeLisi 2013, *The Effortless Experience*): 7 = strongly agree "made it easy" |
/// | [`Scale::agreement`] | 1-5 | 4-5 | 1-2 | Likert agreement, top-2-box |
///
/// # Examples
/// ```
/// use cx_core::Scale;
/// let s = Scale::nps();
/// assert_eq!((s.lowest(), s.highest(), s.points()), (0, 10, 11));
/// assert!(s.is_top_box(9) && s.is_bottom_box(6) && !s.is_top_box(8));
/// let five = Scale::new(1, 5)?;          // top-2-box / bottom-2-box by default
/// assert_eq!((five.top_box_min(), five.bottom_box_max()), (4, 2));
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ScaleRepr", into = "ScaleRepr")]
pub struct Scale {
    lowest: i32,
    highest: i32,
    top_box_min: i32,
    bottom_box_max: i32,
}

/// The serialised form of a [`Scale`], validated on the way in.
#[derive(Serialize, Deserialize)]
struct ScaleRepr {
    lowest: i32,
    highest: i32,
    top_box_min: i32,
    bottom_box_max: i32,
}

impl TryFrom<ScaleRepr> for Scale {
    type Error = CxError;
    fn try_from(r: ScaleRepr) -> Result<Self> {
        Scale::with_boxes(r.lowest, r.highest, r.top_box_min, r.bottom_box_max)
    }
}

impl From<Scale> for ScaleRepr {
    fn from(s: Scale) -> Self {
        ScaleRepr {
            lowest: s.lowest,
            highest: s.highest,
            top_box_min: s.top_box_min,
            bottom_box_max: s.bottom_box_max,
        }
    }
}

impl Scale {
    /// The Net Promoter scale 0-10: promoters 9-10, passives 7-8, detractors 0-6.
    pub const fn nps() -> Scale {
        Scale {
            lowest: 0,
            highest: 10,
            top_box_min: 9,
            bottom_box_max: 6,
        }
    }

    /// Customer satisfaction 1-5: top-2-box 4-5, bottom-2-box 1-2.
    pub const fn csat() -> Scale {
        Scale {
            lowest: 1,
            highest: 5,
            top_box_min: 4,
            bottom_box_max: 2,
        }
    }

    /// Customer effort (CES 2.0) 1-7, higher is easier: top box 5-7, bottom box 1-3.
    pub const fn ces() -> Scale {
        Scale {
            lowest: 1,
            highest: 7,
            top_box_min: 5,
            bottom_box_max: 3,
        }
    }

    /// Five-point agreement (Likert) 1-5: top-2-box 4-5, bottom-2-box 1-2.
    pub const fn agreement() -> Scale {
        Scale::csat()
    }

    /// A preset by name: `"nps"`, `"csat"`, `"ces"` or `"agreement"`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for any other name.
    pub fn preset(name: &str) -> Result<Scale> {
        match name.to_ascii_lowercase().as_str() {
            "nps" => Ok(Scale::nps()),
            "csat" => Ok(Scale::csat()),
            "ces" => Ok(Scale::ces()),
            "agreement" | "likert" => Ok(Scale::agreement()),
            _ => Err(CxError::InvalidArgument {
                name: "scale",
                value: format!("{name:?}"),
                expected: "one of \"nps\", \"csat\", \"ces\", \"agreement\"".into(),
            }),
        }
    }

    /// A scale `lowest..=highest` with default boxes: the top two and bottom two points on scales
    /// of five or more points, the single end points on scales of two to four points.
    ///
    /// # Errors
    /// [`CxError::InvalidScale`] if `lowest >= highest` or the scale has more than
    /// [`MAX_POINTS`] points.
    pub fn new(lowest: i32, highest: i32) -> Result<Scale> {
        check_range(lowest, highest)?;
        let span = i64::from(highest) - i64::from(lowest);
        let (top, bottom) = if span >= 4 {
            (highest - 1, lowest + 1)
        } else {
            (highest, lowest)
        };
        Scale::with_boxes(lowest, highest, top, bottom)
    }

    /// A scale `lowest..=highest` whose top box is `top_box_min..=highest` and bottom box
    /// `lowest..=bottom_box_max`.
    ///
    /// # Errors
    /// [`CxError::InvalidScale`] if the range is invalid (see [`Scale::new`]) or the boxes are
    /// not `lowest <= bottom_box_max < top_box_min <= highest`.
    pub fn with_boxes(
        lowest: i32,
        highest: i32,
        top_box_min: i32,
        bottom_box_max: i32,
    ) -> Result<Scale> {
        check_range(lowest, highest)?;
        if !(lowest <= bottom_box_max && bottom_box_max < top_box_min && top_box_min <= highest) {
            return Err(CxError::InvalidScale {
                reason: format!(
                    "boxes must satisfy lowest <= bottom_box_max < top_box_min <= highest, \
                     got lowest={lowest}, bottom_box_max={bottom_box_max}, \
                     top_box_min={top_box_min}, highest={highest}"
                ),
            });
        }
        Ok(Scale {
            lowest,
            highest,
            top_box_min,
            bottom_box_max,
        })
    }

    /// Lowest point.
    pub const fn lowest(&self) -> i32 {
        self.lowest
    }

    /// Highest point.
    pub const fn highest(&self) -> i32 {
        self.highest
    }

    /// Smallest point of the top box.
    pub const fn top_box_min(&self) -> i32 {
        self.top_box_min
    }

    /// Largest point of the bottom box.
    pub const fn bottom_box_max(&self) -> i32 {
        self.bottom_box_max
    }

    /// Number of points, `highest - lowest + 1` (2..=101).
    pub const fn points(&self) -> usize {
        (self.highest - self.lowest) as usize + 1
    }

    /// The point at position `index` (0 is `lowest`).
    pub const fn point(&self, index: usize) -> i32 {
        self.lowest + index as i32
    }

    /// Position of `value` on the scale, or `None` when it is not a point.
    pub fn index_of(&self, value: i64) -> Option<usize> {
        if value >= i64::from(self.lowest) && value <= i64::from(self.highest) {
            Some((value - i64::from(self.lowest)) as usize)
        } else {
            None
        }
    }

    /// Whether `point` is in the top box.
    pub const fn is_top_box(&self, point: i32) -> bool {
        point >= self.top_box_min && point <= self.highest
    }

    /// Whether `point` is in the bottom box.
    pub const fn is_bottom_box(&self, point: i32) -> bool {
        point >= self.lowest && point <= self.bottom_box_max
    }

    /// Index range of the top box.
    pub(crate) fn top_range(&self) -> std::ops::Range<usize> {
        (self.top_box_min - self.lowest) as usize..self.points()
    }

    /// Index range of the bottom box.
    pub(crate) fn bottom_range(&self) -> std::ops::Range<usize> {
        0..(self.bottom_box_max - self.lowest) as usize + 1
    }

    /// `Ok` when `other` is the same scale, else [`CxError::ScaleMismatch`] naming this scale
    /// first.
    ///
    /// # Errors
    /// [`CxError::ScaleMismatch`].
    pub fn ensure_same(&self, other: &Scale) -> Result<()> {
        if self == other {
            Ok(())
        } else {
            Err(CxError::ScaleMismatch {
                left: self.to_string(),
                right: other.to_string(),
            })
        }
    }
}

fn check_range(lowest: i32, highest: i32) -> Result<()> {
    if lowest >= highest {
        return Err(CxError::InvalidScale {
            reason: format!("lowest ({lowest}) must be below highest ({highest})"),
        });
    }
    let points = i64::from(highest) - i64::from(lowest) + 1;
    if points > MAX_POINTS as i64 {
        return Err(CxError::InvalidScale {
            reason: format!("{points} points; at most {MAX_POINTS} are supported"),
        });
    }
    Ok(())
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}..={} (top box >= {}, bottom box <= {})",
            self.lowest, self.highest, self.top_box_min, self.bottom_box_max
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid() {
        for s in [
            Scale::nps(),
            Scale::csat(),
            Scale::ces(),
            Scale::agreement(),
        ] {
            let again =
                Scale::with_boxes(s.lowest, s.highest, s.top_box_min, s.bottom_box_max).unwrap();
            assert_eq!(again, s);
        }
        assert_eq!(Scale::preset("NPS").unwrap(), Scale::nps());
        assert_eq!(Scale::preset("ces").unwrap().points(), 7);
        assert_eq!(Scale::preset("x").unwrap_err().code(), "invalid_argument");
    }

    #[test]
    fn limits() {
        assert!(Scale::new(0, 100).is_ok());
        assert_eq!(Scale::new(0, 101).unwrap_err().code(), "invalid_scale");
        assert_eq!(Scale::new(3, 3).unwrap_err().code(), "invalid_scale");
        assert_eq!(
            Scale::new(i32::MIN, i32::MAX).unwrap_err().code(),
            "invalid_scale"
        );
        assert_eq!(
            Scale::with_boxes(1, 5, 3, 3).unwrap_err().code(),
            "invalid_scale"
        );
        let two = Scale::new(0, 1).unwrap();
        assert_eq!((two.top_box_min(), two.bottom_box_max()), (1, 0));
    }

    #[test]
    fn boxes_and_indices() {
        let s = Scale::nps();
        assert_eq!(s.top_range(), 9..11);
        assert_eq!(s.bottom_range(), 0..7);
        assert_eq!(s.index_of(10), Some(10));
        assert_eq!(s.index_of(11), None);
        assert_eq!(s.index_of(-1), None);
        let c = Scale::csat();
        assert_eq!(c.top_range(), 3..5);
        assert_eq!(c.bottom_range(), 0..2);
        assert_eq!(c.point(0), 1);
    }

    #[test]
    fn serde_validates() {
        let json = serde_json::to_string(&Scale::nps()).unwrap();
        assert_eq!(
            json,
            r#"{"lowest":0,"highest":10,"top_box_min":9,"bottom_box_max":6}"#
        );
        assert_eq!(serde_json::from_str::<Scale>(&json).unwrap(), Scale::nps());
        let bad = r#"{"lowest":0,"highest":10,"top_box_min":5,"bottom_box_max":6}"#;
        assert!(serde_json::from_str::<Scale>(bad).is_err());
    }
}
