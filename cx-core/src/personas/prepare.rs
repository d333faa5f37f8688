//! The clustering input: features checked, complete customers kept, numeric features
//! standardised.

use std::collections::HashMap;

use super::{CategoricalFeature, NumericFeature, PersonaModel};
use crate::error::{CxError, Result};
use crate::grouping::Key;
use crate::retention::MISSING_CUSTOMER;

/// A categorical code that matches no prototype (a label unseen when the model was fitted).
const UNSEEN: u32 = u32::MAX - 1;

/// The clustering input: z-scores, row-major, of the complete customers.
pub(super) struct Data {
    /// Complete customers' z-scores, `p` per customer.
    pub(super) z: Vec<f64>,
    /// Categorical codes, `q` per customer.
    pub(super) cat: Vec<u32>,
    pub(super) p: usize,
    pub(super) q: usize,
    /// Per input row: its index among complete customers.
    pub(super) rows: Vec<Option<usize>>,
    pub(super) means: Vec<f64>,
    pub(super) sds: Vec<f64>,
    pub(super) n: usize,
}

impl Data {
    pub(super) fn build(
        numeric: &[NumericFeature],
        categorical: &[CategoricalFeature],
        model: Option<&PersonaModel>,
    ) -> Result<Data> {
        let len = numeric
            .first()
            .map(|f| f.values.len())
            .or_else(|| categorical.first().map(|f| f.codes.len()))
            .ok_or_else(|| CxError::InvalidArgument {
                name: "features",
                value: "none".into(),
                expected: "at least one feature column".into(),
            })?;
        for f in numeric {
            check_column("features", f, len, "finite values (NaN for missing)")?;
        }
        // Categorical codes, mapped by label onto the model's when predicting.
        let mut cat_cols: Vec<Vec<u32>> = Vec::with_capacity(categorical.len());
        for (j, f) in categorical.iter().enumerate() {
            if f.codes.len() != len {
                return Err(feature_len(f.name, f.codes.len(), len));
            }
            let map: Option<Vec<u32>> = model.map(|m| {
                let index: HashMap<&Key, u32> = m.labels[j]
                    .iter()
                    .enumerate()
                    .map(|(c, k)| (k, c as u32))
                    .collect();
                f.labels
                    .iter()
                    .map(|k| index.get(k).copied().unwrap_or(UNSEEN))
                    .collect()
            });
            let mut col = Vec::with_capacity(len);
            for (i, &c) in f.codes.iter().enumerate() {
                if c == MISSING_CUSTOMER {
                    col.push(c);
                } else if c as usize >= f.labels.len() {
                    return Err(CxError::GroupOutOfRange {
                        index: i,
                        group: i64::from(c),
                        groups: f.labels.len(),
                    });
                } else {
                    col.push(map.as_ref().map_or(c, |m| m[c as usize]));
                }
            }
            cat_cols.push(col);
        }
        let complete = |i: usize| {
            numeric.iter().all(|f| !f.values[i].is_nan())
                && cat_cols.iter().all(|c| c[i] != MISSING_CUSTOMER)
        };
        let mut rows = Vec::with_capacity(len);
        let mut n = 0usize;
        for i in 0..len {
            if complete(i) {
                rows.push(Some(n));
                n += 1;
            } else {
                rows.push(None);
            }
        }
        let (p, q) = (numeric.len(), categorical.len());
        let (means, sds) = match model {
            Some(m) => (m.means.clone(), m.sds.clone()),
            None => {
                if n == 0 {
                    return Err(CxError::empty(
                        "no customer with every feature present (all rows have a missing feature)",
                    ));
                }
                let mut means = Vec::with_capacity(p);
                let mut sds = Vec::with_capacity(p);
                for f in numeric {
                    let vals = rows
                        .iter()
                        .zip(f.values)
                        .filter(|(r, _)| r.is_some())
                        .map(|(_, &v)| v);
                    let mean = vals.clone().sum::<f64>() / n as f64;
                    let var = vals.map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                    let sd = var.sqrt();
                    if sd.is_nan() || sd <= 1e-12 * mean.abs().max(1.0) {
                        return Err(CxError::ZeroVariance {
                            what: format!(
                                "feature {:?} is constant ({mean}) over the {n} customers with every feature present",
                                f.name
                            ),
                        });
                    }
                    means.push(mean);
                    sds.push(sd);
                }
                (means, sds)
            }
        };
        let mut z = Vec::with_capacity(n * p);
        let mut cat = Vec::with_capacity(n * q);
        for i in 0..len {
            if rows[i].is_none() {
                continue;
            }
            for (j, f) in numeric.iter().enumerate() {
                z.push((f.values[i] - means[j]) / sds[j]);
            }
            for c in &cat_cols {
                cat.push(c[i]);
            }
        }
        Ok(Data {
            z,
            cat,
            p,
            q,
            rows,
            means,
            sds,
            n,
        })
    }

    #[inline]
    pub(super) fn num(&self, i: usize) -> &[f64] {
        &self.z[i * self.p..(i + 1) * self.p]
    }

    #[inline]
    pub(super) fn cats(&self, i: usize) -> &[u32] {
        &self.cat[i * self.q..(i + 1) * self.q]
    }

    /// Dissimilarity of two customers: squared distance plus gamma times mismatches.
    #[inline]
    pub(super) fn pair(&self, i: usize, j: usize, gamma: f64) -> f64 {
        let d: f64 = self
            .num(i)
            .iter()
            .zip(self.num(j))
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        let m = self
            .cats(i)
            .iter()
            .zip(self.cats(j))
            .filter(|(a, b)| a != b)
            .count();
        d + gamma * m as f64
    }
}

pub(super) fn feature_len(name: &str, got: usize, want: usize) -> CxError {
    CxError::InvalidArgument {
        name: "features",
        value: format!("column {name:?} with {got} values"),
        expected: format!("{want} values, one per customer (as the first feature column)"),
    }
}

/// A numeric column of `len` values, finite or NaN: the error names the column (and the index
/// of an infinite value), `argument` is the argument it belongs to.
pub(super) fn check_column(
    argument: &'static str,
    column: &NumericFeature,
    len: usize,
    expected: &str,
) -> Result<()> {
    if column.values.len() != len {
        return Err(feature_len(column.name, column.values.len(), len));
    }
    if let Some(i) = column.values.iter().position(|v| v.is_infinite()) {
        return Err(CxError::InvalidArgument {
            name: argument,
            value: format!(
                "{} in column {:?} at index {i}",
                column.values[i], column.name
            ),
            expected: expected.into(),
        });
    }
    Ok(())
}
