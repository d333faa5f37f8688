//! `cxkit.JointTally`: the mergeable summary behind a loyalty lift, kept by the caller (built by
//! the `joint_tally` entry point, merged, sent as bytes or JSON). A thin class over
//! `cx_core::JointTally`; the loyalty functions themselves are entry points of the contract.

use cx_core::loyalty::{Exposure, JointTally};
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::errors::IntoPyResult;
use crate::results::html_table;

crate::results::result_class!(
    PyJointTally, "JointTally", JointTally,
    doc = "One-pass, mergeable summary of exposure group x a 0/1 outcome (counts, weight sums, squared-weight sums per cell). JSON form {'format': 'cxkit.joint_tally', 'version': 1, ...}.",
    getters { },
    repr = |s| format!(
        "JointTally(exposed n={}, reference n={}, neither n={}, unknown n={})",
        s.tally(Exposure::Exposed).n(), s.tally(Exposure::Reference).n(),
        s.tally(Exposure::Neither).n(), s.tally(Exposure::Unknown).n()
    ),
    html = |s| html_table("Joint tally", &format!(
        "exposed n={}, reference n={}", s.tally(Exposure::Exposed).n(), s.tally(Exposure::Reference).n()), &[]),
    bytes = "CXJT",
    methods {
    /// An empty joint tally (the start of a merge).
    #[staticmethod]
    fn empty() -> PyJointTally {
        JointTally::new().into()
    }
    /// The merge of two joint tallies (equals the joint tally of both data sets).
    fn merged(&self, other: &PyJointTally) -> PyResult<PyJointTally> {
        let mut j = self.inner.clone();
        j.merge(&other.inner).py()?;
        Ok(j.into())
    }
    },
);
