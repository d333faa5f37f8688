//! The CX index: experience quality across several dimensions (by default Forrester's
//! effectiveness, ease and emotion), each dimension's score, the weighted average over
//! dimensions with a delta-method interval that accounts for the dimensions being answered by
//! the same respondents, a quality band and the weakest dimension; by segment and by period
//! through the machinery of [`segment`](crate::segment).
//!
//! Everything is computed from a [`CxSummary`] built in one pass (see [`cx_index`] for the
//! formulas and their sources).

mod bands;
mod index;
mod method;
mod segments;
mod summary;
#[cfg(test)]
mod tests;

pub use bands::{Band, Bands};
pub use index::{cx_index, CxDimension, CxIndex, CxOptions};
pub use method::{CxMethod, DerivedWeights, DimWeights};
pub use segments::{
    cx_segments, cx_trend, CxSegmentOptions, CxSegmentRow, CxSegments, CxTrendOptions, CxTrendRow,
};
pub use summary::{
    dimension_index, CxSummary, Dimension, GroupedCxSummary, CX_SUMMARY_FORMAT, DEFAULT_DIMENSIONS,
};
