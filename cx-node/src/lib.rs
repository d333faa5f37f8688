//! # cxkit for Node.js
//!
//! The napi-rs binding of cx-core, published on npm as `cxkit`. It is a thin shell: each
//! function converts its JavaScript arguments, calls cx-core and converts the result or the
//! error. Every formula, default and validation lives in cx-core.
//!
//! - [`input`]: ratings (`number[]` or a typed array read in place, or a `Tally`), weights,
//!   scales.
//! - [`call`]: `call(name, args)`, which runs any entry point of the core's contract
//!   (`cx_core::api`): `nps`, `npsDifference`, `topBox`, `bottomBox`, `csat`, `mean`, `ces`,
//!   `distribution`, ... (`index.js`, generated from the contract, names them), and
//!   `contract()`, the contract as JSON.
//! - [`camel`]: core results to plain objects with camelCase keys (a serde adapter).
//! - [`tally`]: the `Tally` class (push, extend, merge, JSON and bytes).
//! - [`keyed`]: the `KeyedTally` class: per-group tallies keyed by labels (push into a group,
//!   merge by label, JSON and bytes, the segment table of the merged summary).
//! - [`grouped`]: `npsBy`, `csatBy`, `cesBy`, `topBoxBy`, `bottomBoxBy`, `meanBy`: segment
//!   tables and trends, from key columns ([`keys`]) and dates ([`dates`]).
//! - [`joint`]: the `JointTally` class (the mergeable summary behind `loyaltyLift`, which
//!   `loyaltyLift` reads in place of an outcome column; `loyaltyLift`, `meanLift`,
//!   `loyaltyCurve`, `revenueImpact`, `keyDrivers` and `jointTally` are entry points of the
//!   contract).
//! - [`cx_index`]: the `CxSummary` class (the streaming summary that `cxIndex`, an entry point
//!   of the contract, accepts for raw answers).
//! - [`retention`]: `rfm` from a transaction log; [`clv`]: the fitted models (`SbgFit`,
//!   `BgNbdFit`, `GammaGammaFit`) that `fitSbg`, `fitBgnbd` and `fitGammaGamma` return.
//! - [`personas`]: `customerView` (survey answers joined with the transaction log per
//!   customer), `personas` and `assignPersonas`.
//! - [`results`]: plain-object results, field for field cx-core's result structs.
//! - `error`: every `CxError` thrown as an `Error` with `code` (`CX_OUT_OF_SCALE`, ...) and
//!   the error's detail fields (`index`, `value`, ...).
//!
//! The entry points that run cx-core's computations are `#[napi(catch_unwind)]`: a panic is a
//! bug, but it reaches JavaScript as a thrown `Error` instead of aborting the Node process.

pub mod activity;
pub mod call;
pub mod camel;
pub mod clv;
pub mod cx_index;
pub mod dates;
mod error;
pub mod grouped;
pub mod input;
pub mod joint;
pub mod keyed;
pub mod keys;
pub mod personas;
pub mod results;
pub mod retention;
mod summary;
pub mod tally;
