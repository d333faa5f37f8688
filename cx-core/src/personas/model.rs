//! The fitted persona model: assigning new customers, and its JSON form.

use serde::{Deserialize, Serialize};

use super::cluster::nearest;
use super::prepare::Data;
use super::{CategoricalFeature, NumericFeature};
use crate::error::{CxError, Result};
use crate::grouping::Key;

/// A fitted persona model: standardisation, prototypes and the dissimilarity. Serialisable;
/// [`PersonaModel::predict`] assigns new customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaModel {
    /// Numeric feature names.
    pub numeric: Vec<String>,
    /// Means of the numeric features (original units).
    pub means: Vec<f64>,
    /// Population standard deviations of the numeric features.
    pub sds: Vec<f64>,
    /// Categorical feature names.
    pub categorical: Vec<String>,
    /// Category labels of each categorical feature.
    pub labels: Vec<Vec<Key>>,
    /// Numeric prototypes (z-scores), one row of `numeric.len()` per persona.
    pub centroids: Vec<Vec<f64>>,
    /// Categorical prototypes (codes into `labels`), one row per persona.
    pub modes: Vec<Vec<u32>>,
    /// Weight of a categorical mismatch.
    pub gamma: f64,
}

impl PersonaModel {
    /// Number of personas.
    pub fn k(&self) -> usize {
        self.centroids.len()
    }

    /// Assign customers to the nearest persona (`None` for a customer with a missing
    /// feature). Categorical features may use other codes and labels than the fit: they are
    /// matched by label, and an unseen label matches no prototype.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when the features are not the model's (names and order);
    /// [`CxError::LengthMismatch`] for columns of different lengths; [`CxError::GroupOutOfRange`]
    /// for a code not below its labels' count.
    pub fn predict(
        &self,
        numeric: &[NumericFeature],
        categorical: &[CategoricalFeature],
    ) -> Result<Vec<Option<usize>>> {
        let names: Vec<&str> = numeric.iter().map(|f| f.name).collect();
        let cats: Vec<&str> = categorical.iter().map(|f| f.name).collect();
        if names != self.numeric || cats != self.categorical {
            return Err(CxError::InvalidArgument {
                name: "features",
                value: format!("{names:?} and categorical {cats:?}"),
                expected: format!(
                    "the model's features {:?} and categorical {:?}",
                    self.numeric, self.categorical
                ),
            });
        }
        let data = Data::build(numeric, categorical, Some(self))?;
        Ok(data
            .rows
            .iter()
            .map(|r| r.map(|i| nearest(&data, i, &self.centroids, &self.modes, self.gamma).0))
            .collect())
    }

    /// The model as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A model from [`PersonaModel::to_json`].
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for text that is not a persona model.
    pub fn from_json(text: &str) -> Result<PersonaModel> {
        let m: PersonaModel = serde_json::from_str(text)
            .map_err(|e| CxError::unreadable(format!("persona model: {e}")))?;
        let p = m.numeric.len();
        let ok = m.means.len() == p
            && m.sds.len() == p
            && m.labels.len() == m.categorical.len()
            && m.modes.len() == m.centroids.len()
            && m.centroids.iter().all(|c| c.len() == p)
            && m.modes.iter().all(|c| c.len() == m.categorical.len());
        if ok {
            Ok(m)
        } else {
            Err(CxError::unreadable("persona model: inconsistent sizes"))
        }
    }
}

impl std::fmt::Display for PersonaModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "persona model: {} personas on {:?} and categorical {:?} (gamma {})",
            self.k(),
            self.numeric,
            self.categorical,
            self.gamma
        )
    }
}
