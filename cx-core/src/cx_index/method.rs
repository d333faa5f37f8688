//! How each dimension is scored ([`CxMethod`]) and how the dimensions are weighted in the
//! overall index ([`DimWeights`], [`DerivedWeights`]).

use serde::{Deserialize, Serialize};

use super::summary::{dimension_index, Dimension};
use crate::error::{check_len, CxError, Result};

/// How each dimension is scored before the (weighted) average over dimensions. Serialised as
/// `"net"` or `"mean"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename_all = "kebab-case")
)]
pub enum CxMethod {
    /// Top-box share minus bottom-box share, in points (−100 to 100): the method of Forrester's
    /// original Customer Experience Index (CxPi / CXi, 2007-2015). The default.
    #[default]
    Net,
    /// The mean rescaled to 0-100, `(x − lowest) / (highest − lowest) · 100`, as the ACSI
    /// rescales its items.
    Mean,
}

impl CxMethod {
    /// `"net"` or `"mean"`.
    pub fn name(self) -> &'static str {
        match self {
            CxMethod::Net => "net",
            CxMethod::Mean => "mean",
        }
    }

    /// The range of the index in points: −100..100 (net) or 0..100 (mean).
    pub fn range(self) -> (f64, f64) {
        match self {
            CxMethod::Net => (-100.0, 100.0),
            CxMethod::Mean => (0.0, 100.0),
        }
    }
}

crate::choice! { CxMethod, "method", {
    Net => "net",
    Mean => "mean",
}}

/// Weights computed elsewhere and handed to the CX index: the seam for key-driver weights.
///
/// The loyalty module's key-driver analysis (the importance of each dimension for a loyalty
/// outcome such as retention) produces one of these; the CX index only normalises and uses
/// the weights, so the analysis that derives them lives with the loyalty code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedWeights {
    /// One non-negative importance per dimension, in the dimensions' order (any scale: they
    /// are normalised to sum to 1).
    pub weights: Vec<f64>,
    /// What they were derived from, for reports (e.g. `"key drivers of retained"`).
    pub source: String,
}

/// The weights of the dimensions in the overall index (`dim_weights=` in the bindings).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "weights")]
pub enum DimWeights {
    /// Every dimension counts the same (Forrester's CxPi average of the three). The default.
    #[default]
    Equal,
    /// One non-negative weight per dimension, in the dimensions' order, normalised to sum 1.
    Given(Vec<f64>),
    /// Weights derived from a loyalty outcome by key-driver analysis, computed elsewhere.
    Derived(DerivedWeights),
}

impl DimWeights {
    /// Weights given by dimension name (every dimension named once).
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for an unknown or repeated name, or a dimension left out.
    ///
    /// # Examples
    /// ```
    /// use cx_core::{Dimension, DimWeights};
    /// let w = DimWeights::by_name(&Dimension::defaults(), &[("emotion", 2.0), ("ease", 1.0), ("effectiveness", 1.0)])?;
    /// assert_eq!(w, DimWeights::Given(vec![1.0, 1.0, 2.0]));
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn by_name(dims: &[Dimension], weights: &[(&str, f64)]) -> Result<DimWeights> {
        let mut out = vec![None; dims.len()];
        for &(name, w) in weights {
            let k = dimension_index(dims, name)?;
            if out[k].replace(w).is_some() {
                return Err(CxError::InvalidArgument {
                    name: "dim_weights",
                    value: format!("{name:?} twice"),
                    expected: "one weight per dimension".into(),
                });
            }
        }
        let missing: Vec<&str> = dims
            .iter()
            .zip(&out)
            .filter(|(_, w)| w.is_none())
            .map(|(d, _)| d.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(CxError::InvalidArgument {
                name: "dim_weights",
                value: format!("no weight for {missing:?}"),
                expected: "a weight for every dimension".into(),
            });
        }
        Ok(DimWeights::Given(out.into_iter().flatten().collect()))
    }

    /// The weights of `k` dimensions, normalised to sum to 1.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] (`dims` vs `dim_weights`) for a wrong number of weights;
    /// [`CxError::InvalidArgument`] for a negative or non-finite weight, or all zero.
    pub fn resolve(&self, k: usize) -> Result<Vec<f64>> {
        let given = match self {
            DimWeights::Equal => return Ok(vec![1.0 / k as f64; k]),
            DimWeights::Given(w) => w,
            DimWeights::Derived(d) => &d.weights,
        };
        check_len("dims", k, "dim_weights", given.len())?;
        if let Some((i, &w)) = given
            .iter()
            .enumerate()
            .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
        {
            return Err(CxError::InvalidArgument {
                name: "dim_weights",
                value: format!("{w} for dimension {}", i + 1),
                expected: "finite, non-negative weights".into(),
            });
        }
        let total: f64 = given.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err(CxError::InvalidArgument {
                name: "dim_weights",
                value: format!("{given:?}"),
                expected: "weights with a positive, finite sum".into(),
            });
        }
        Ok(given.iter().map(|w| w / total).collect())
    }
}
