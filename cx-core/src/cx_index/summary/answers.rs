//! Respondents' answers as read by the accumulation ([`Answers`]: columns or, with the
//! `ndarray` feature, a two-dimensional array) and the checks of their shape.

use super::dimension::{dimension_label, Dimension};
use crate::error::{check_len, CxError, Result};

/// Respondents' answers to K dimensions, read by (row, dimension): columns (one slice per
/// dimension) or a two-dimensional array (rows = respondents).
pub(crate) trait Answers<T> {
    fn rows(&self) -> usize;
    fn get(&self, row: usize, k: usize) -> T;
    /// The answers of rows `rows` to dimension `k`.
    fn column(&self, k: usize, rows: std::ops::Range<usize>) -> impl Iterator<Item = T>;
}

pub(super) struct Columns<'a, T>(pub(super) &'a [&'a [T]]);

impl<T: Copy> Answers<T> for Columns<'_, T> {
    fn rows(&self) -> usize {
        self.0.first().map_or(0, |c| c.len())
    }
    #[inline]
    fn get(&self, row: usize, k: usize) -> T {
        self.0[k][row]
    }
    fn column(&self, k: usize, rows: std::ops::Range<usize>) -> impl Iterator<Item = T> {
        self.0[k][rows].iter().copied()
    }
}

#[cfg(feature = "ndarray")]
impl<T: Copy> Answers<T> for ndarray::ArrayView2<'_, T> {
    fn rows(&self) -> usize {
        self.nrows()
    }
    #[inline]
    fn get(&self, row: usize, k: usize) -> T {
        self[[row, k]]
    }
    fn column(&self, k: usize, rows: std::ops::Range<usize>) -> impl Iterator<Item = T> {
        self.slice(ndarray::s![rows, k]).into_iter().copied()
    }
}

/// Check that every column has as many rows as the first, and that there are as many columns
/// as dimensions.
pub(super) fn check_columns<T>(dims: &[Dimension], columns: &[&[T]]) -> Result<()> {
    check_len("dims", dims.len(), "columns", columns.len())?;
    let rows = columns.first().map_or(0, |c| c.len());
    for (k, c) in columns.iter().enumerate().skip(1) {
        check_len(dimension_label(0), rows, dimension_label(k), c.len())?;
    }
    Ok(())
}

pub(super) fn check_weights(rows: usize, weights: Option<&[f64]>) -> Result<()> {
    match weights {
        Some(w) if w.len() != rows => Err(CxError::LengthMismatch {
            left_name: "respondents",
            left: rows,
            right_name: "weights",
            right: w.len(),
        }),
        _ => Ok(()),
    }
}

#[cfg(feature = "ndarray")]
pub(super) fn check_matrix(dims: &[Dimension], columns: usize) -> Result<()> {
    check_len("dims", dims.len(), "columns", columns)?;
    Ok(())
}
