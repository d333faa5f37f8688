//! The dimensions of a CX summary: [`Dimension`], the defaults, and the checks and labels of a
//! list of dimensions.

use serde::{Deserialize, Serialize};

use crate::error::{CxError, Result};
use crate::scale::Scale;

/// The default experience dimensions: Forrester's effectiveness, ease and emotion.
pub const DEFAULT_DIMENSIONS: [&str; 3] = ["effectiveness", "ease", "emotion"];

/// One experience dimension: its name (a column name in the bindings) and its rating scale,
/// whose top and bottom boxes the `net` method counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dimension {
    /// The dimension's name, e.g. `"ease"`.
    pub name: String,
    /// Its rating scale.
    pub scale: Scale,
}

impl Dimension {
    /// A dimension named `name` on `scale`.
    pub fn new(name: impl Into<String>, scale: Scale) -> Dimension {
        Dimension {
            name: name.into(),
            scale,
        }
    }

    /// The default three dimensions, effectiveness, ease and emotion, each on the five-point
    /// agreement scale 1-5 (top-2-box 4-5, bottom-2-box 1-2), the scale of Forrester's CX Index
    /// questions.
    ///
    /// # Examples
    /// ```
    /// use cx_core::Dimension;
    /// let d = Dimension::defaults();
    /// assert_eq!(d[1].name, "ease");
    /// assert_eq!((d[1].scale.lowest(), d[1].scale.highest(), d[1].scale.top_box_min()), (1, 5, 4));
    /// ```
    pub fn defaults() -> Vec<Dimension> {
        DEFAULT_DIMENSIONS
            .iter()
            .map(|n| Dimension::new(*n, Scale::agreement()))
            .collect()
    }

    /// Dimensions named `names`, all on `scale`.
    pub fn all_on(names: &[&str], scale: Scale) -> Vec<Dimension> {
        names.iter().map(|n| Dimension::new(*n, scale)).collect()
    }
}

/// The position of the dimension called `name`.
///
/// # Errors
/// [`CxError::InvalidArgument`] (`dims`) naming the unknown name and the known ones.
pub fn dimension_index(dims: &[Dimension], name: &str) -> Result<usize> {
    dims.iter()
        .position(|d| d.name == name)
        .ok_or_else(|| CxError::InvalidArgument {
            name: "dims",
            value: format!("{name:?}"),
            expected: format!(
                "the name of a dimension: {}",
                dims.iter()
                    .map(|d| format!("{:?}", d.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

/// Check a list of dimensions: at least one, names non-empty and distinct.
pub(crate) fn check_dimensions(dims: &[Dimension]) -> Result<()> {
    if dims.is_empty() {
        return Err(CxError::InvalidArgument {
            name: "dims",
            value: "no dimension".into(),
            expected: "at least one experience dimension".into(),
        });
    }
    for (i, d) in dims.iter().enumerate() {
        if d.name.is_empty() {
            return Err(CxError::InvalidArgument {
                name: "dims",
                value: format!("an empty name for dimension {}", i + 1),
                expected: "a non-empty name for every dimension".into(),
            });
        }
        if dims[..i].iter().any(|e| e.name == d.name) {
            return Err(CxError::InvalidArgument {
                name: "dims",
                value: format!("{:?} twice", d.name),
                expected: "distinct dimension names".into(),
            });
        }
    }
    Ok(())
}

/// Names of dimensions by position for errors whose fields are static text.
const DIMENSION_NAMES: [&str; 16] = [
    "dimension 1",
    "dimension 2",
    "dimension 3",
    "dimension 4",
    "dimension 5",
    "dimension 6",
    "dimension 7",
    "dimension 8",
    "dimension 9",
    "dimension 10",
    "dimension 11",
    "dimension 12",
    "dimension 13",
    "dimension 14",
    "dimension 15",
    "dimension 16",
];

/// `"dimension k+1"` for the first sixteen dimensions (the order the caller gave them in).
pub(crate) fn dimension_label(k: usize) -> &'static str {
    DIMENSION_NAMES
        .get(k)
        .copied()
        .unwrap_or("a later dimension")
}
