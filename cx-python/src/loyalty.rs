//! Loyalty lift, loyalty curve, revenue impact and key drivers for `cxkit/_loyalty.py`: the
//! Python layer resolves columns and builds exposure codes' inputs; these functions call the
//! core (GIL released) and return result objects or tables as columns.

use cx_core::drivers::{key_drivers, DriverOptions, Importance};
use cx_core::loyalty::{
    exposure_from_masks, loyalty_curve, loyalty_lift, mean_lift, revenue_impact, CurveTally,
    CustomerBase, Exposure, ExposureRule, JointTally, MoveTo, Scenario, Side,
};
use cx_core::Interval;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

use crate::errors::{to_py_err, Guarded, IntoPyResult};
use crate::input::scale_arg;
use crate::results::html_table;

fn slice<'a>(a: &'a PyReadonlyArray1<'_, f64>, owned: &'a mut Vec<f64>) -> &'a [f64] {
    match a.as_slice() {
        Ok(s) => s,
        Err(_) => {
            *owned = a.as_array().to_vec();
            owned.as_slice()
        }
    }
}

fn codes_of(codes: &PyReadonlyArray1<'_, u8>) -> PyResult<Vec<Exposure>> {
    codes
        .as_array()
        .iter()
        .map(|&c| match c {
            0 => Ok(Exposure::Exposed),
            1 => Ok(Exposure::Reference),
            2 => Ok(Exposure::Neither),
            3 => Ok(Exposure::Unknown),
            _ => Err(pyo3::exceptions::PyValueError::new_err("exposure code > 3")),
        })
        .collect()
}

fn to_codes<'py>(py: Python<'py>, groups: Vec<Exposure>) -> Bound<'py, PyArray1<u8>> {
    groups
        .into_iter()
        .map(|g| g as u8)
        .collect::<Vec<u8>>()
        .into_pyarray(py)
}

/// A side of a rating rule: a name ('top_box', 'promoters', ...) or a (lowest, highest) tuple.
fn side_arg(obj: &Bound<'_, PyAny>) -> PyResult<Side> {
    if let Ok(name) = obj.extract::<String>() {
        return name.parse::<Side>().py();
    }
    let (lowest, highest): (i32, i32) = obj.extract()?;
    Ok(Side::Points { lowest, highest })
}

/// Exposure codes (0 exposed, 1 reference, 2 neither, 3 unknown) from ratings by a rule.
#[pyfunction]
pub fn _exposure_rule<'py>(
    py: Python<'py>,
    ratings: PyReadonlyArray1<'py, f64>,
    scale: &Bound<'py, PyAny>,
    exposed: &Bound<'py, PyAny>,
    reference: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let scale = scale_arg(Some(scale))?.unwrap_or(cx_core::Scale::nps());
    let rule = ExposureRule {
        exposed: side_arg(exposed)?,
        reference: side_arg(reference)?,
    };
    let mut owned = vec![];
    let r = slice(&ratings, &mut owned);
    let groups = py.guarded(|| rule.classify(scale, r)).py()?;
    Ok(to_codes(py, groups))
}

/// Exposure codes from 0/1 masks (NaN: unknown); without a reference mask, the rest.
#[pyfunction]
#[pyo3(signature = (exposed, reference=None))]
pub fn _exposure_masks<'py>(
    py: Python<'py>,
    exposed: PyReadonlyArray1<'py, f64>,
    reference: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let (mut o1, mut o2) = (vec![], vec![]);
    let e = slice(&exposed, &mut o1);
    let r = reference.as_ref().map(|r| slice(r, &mut o2));
    let groups = exposure_from_masks(e, r).py()?;
    Ok(to_codes(py, groups))
}

fn weights_slice<'a>(
    w: &'a Option<PyReadonlyArray1<'_, f64>>,
    owned: &'a mut Vec<f64>,
) -> Option<&'a [f64]> {
    w.as_ref().map(|w| slice(w, owned))
}

/// Build the joint tally of exposure codes and a 0/1 outcome.
fn joint(
    py: Python<'_>,
    codes: &PyReadonlyArray1<'_, u8>,
    outcome: &PyReadonlyArray1<'_, f64>,
    weights: &Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<JointTally> {
    let groups = codes_of(codes)?;
    let (mut o1, mut o2) = (vec![], vec![]);
    let y = slice(outcome, &mut o1);
    let w = weights_slice(weights, &mut o2);
    py.guarded(|| JointTally::from_values(&groups, y, w)).py()
}

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
    methods {
    /// Compact, versioned, checksummed bytes (magic "CXJT"; identical from Rust, Python and
    /// Node).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
        pyo3::types::PyBytes::new(py, &self.inner.to_bytes())
    }
    /// Read bytes written by `to_bytes` (in any language).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<PyJointTally> {
        Ok(JointTally::from_bytes(data).py()?.into())
    }
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

/// The joint tally of exposure codes and a 0/1 outcome.
#[pyfunction]
#[pyo3(signature = (codes, outcome, weights=None))]
pub fn _joint_tally(
    py: Python<'_>,
    codes: PyReadonlyArray1<'_, u8>,
    outcome: PyReadonlyArray1<'_, f64>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<PyJointTally> {
    Ok(joint(py, &codes, &outcome, &weights)?.into())
}

fn ci(i: &Interval, scale: f64, digits: usize) -> String {
    format!(
        "[{:.d$}, {:.d$}]",
        i.lower * scale,
        i.upper * scale,
        d = digits
    )
}

crate::results::result_class!(
    PyLift, "Lift", cx_core::Lift,
    doc = "Lift of a 0/1 loyalty outcome in the exposed group over the reference group: both rates (Wilson), risk ratio (Katz log interval, Wald test on the log scale), risk difference (Newcombe hybrid score interval, pooled z-test), odds ratio (Woolf logit interval, Wald test on the log scale). Rates and differences are shares 0..1.",
    getters {
        exposed: crate::results::PyProportion, reference: crate::results::PyProportion,
        risk_ratio: PyEffect, risk_difference: PyEffect, odds_ratio: PyEffect,
        zero_cell_correction: bool, neither: u64, unknown: u64,
    },
    repr = |s| format!(
        "Lift(exposed={:.4}, reference={:.4}, risk_ratio={:.4} {}, risk_difference={:.4} {}, odds_ratio={:.4} {}, p={:.4e})",
        s.exposed.estimate, s.reference.estimate,
        s.risk_ratio.estimate, ci(&s.risk_ratio.interval, 1.0, 4),
        s.risk_difference.estimate, ci(&s.risk_difference.interval, 1.0, 4),
        s.odds_ratio.estimate, ci(&s.odds_ratio.interval, 1.0, 4),
        s.risk_difference.p_value
    ),
    html = |s| html_table(
        "Loyalty lift",
        &s.to_string(),
        &[
            ("exposed rate", format!("{:.1}% {} n={}", 100.0 * s.exposed.estimate, ci(&s.exposed.interval, 100.0, 1), s.exposed.n)),
            ("reference rate", format!("{:.1}% {} n={}", 100.0 * s.reference.estimate, ci(&s.reference.interval, 100.0, 1), s.reference.n)),
            ("risk ratio (katz-log)", format!("{:.3} {} p={:.3e}", s.risk_ratio.estimate, ci(&s.risk_ratio.interval, 1.0, 3), s.risk_ratio.p_value)),
            ("risk difference (points, newcombe)", format!("{:+.1} {} p={:.3e}", 100.0 * s.risk_difference.estimate, ci(&s.risk_difference.interval, 100.0, 1), s.risk_difference.p_value)),
            ("odds ratio (woolf)", format!("{:.3} {} p={:.3e}", s.odds_ratio.estimate, ci(&s.odds_ratio.interval, 1.0, 3), s.odds_ratio.p_value)),
            ("zero-cell correction", s.zero_cell_correction.to_string()),
        ],
    ),    plot = "lift",
);

crate::results::result_class!(
    PyEffect, "Effect", cx_core::Effect,
    doc = "A comparison statistic: estimate, std_error (of the log for ratios), interval, statistic (z, or Welch t with df), two-sided p_value.",
    getters {
        estimate: f64, std_error: f64, interval: crate::results::PyInterval,
        statistic: f64, df: Option<f64>, p_value: f64,
    },
    repr = |s| format!(
        "Effect(estimate={:.6}, ci={}, method='{}', p_value={:.4e})",
        s.estimate, ci(&s.interval, 1.0, 6), s.interval.method, s.p_value
    ),
    html = |s| html_table("Effect", &format!("{:.4} {}", s.estimate, ci(&s.interval, 1.0, 4)), &[
        ("p-value", format!("{:.4e}", s.p_value)),
    ]),
);

/// Lift of a 0/1 outcome between exposure groups.
#[pyfunction]
#[pyo3(signature = (codes, outcome, weights=None, level=0.95))]
pub fn _lift(
    py: Python<'_>,
    codes: PyReadonlyArray1<'_, u8>,
    outcome: PyReadonlyArray1<'_, f64>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    level: f64,
) -> PyResult<PyLift> {
    let j = joint(py, &codes, &outcome, &weights)?;
    Ok(loyalty_lift(&j, level).py()?.into())
}

/// Lift from a JointTally.
#[pyfunction]
#[pyo3(signature = (joint, level=0.95))]
pub fn _lift_of_joint(joint: &PyJointTally, level: f64) -> PyResult<PyLift> {
    Ok(loyalty_lift(&joint.inner, level).py()?.into())
}

crate::results::result_class!(
    PyGroupMean,
    "GroupMean",
    cx_core::loyalty::GroupMean,
    doc = "Mean of a continuous outcome in one group (in the outcome's unit).",
    getters {
        estimate: f64,
        std_error: f64,
        n: u64,
        effective_n: f64,
        missing: u64
    },
    repr = |s| format!(
        "GroupMean(estimate={:.4}, std_error={:.4}, n={})",
        s.estimate, s.std_error, s.n
    ),
    html = |s| html_table(
        "Group mean",
        &format!("{:.4} (SE {:.4}), n={}", s.estimate, s.std_error, s.n),
        &[]
    ),
);

crate::results::result_class!(
    PyMeanLift, "MeanLift", cx_core::MeanLift,
    doc = "Lift of a continuous outcome (spend, revenue): difference of means (Welch interval and t-test) and ratio of means (delta method on the log scale; None unless both means are positive).",
    getters { exposed: PyGroupMean, reference: PyGroupMean, difference: PyEffect },
    repr = |s| format!(
        "MeanLift(exposed={:.4}, reference={:.4}, difference={:.4} {}, p={:.4e}, ratio={})",
        s.exposed.estimate, s.reference.estimate, s.difference.estimate,
        ci(&s.difference.interval, 1.0, 4), s.difference.p_value,
        s.ratio.as_ref().map_or("None".into(), |r| format!("{:.4} {}", r.estimate, ci(&r.interval, 1.0, 4)))
    ),
    html = |s| html_table("Mean lift", &format!("{:.2} vs {:.2}", s.exposed.estimate, s.reference.estimate), &[
        ("difference (welch)", format!("{:.3} {} p={:.3e}", s.difference.estimate, ci(&s.difference.interval, 1.0, 3), s.difference.p_value)),
        ("ratio (delta-log)", s.ratio.as_ref().map_or("-".into(), |r| format!("{:.3} {}", r.estimate, ci(&r.interval, 1.0, 3)))),
    ]),
    plot = "mean_lift",
    methods {
    /// Ratio of means (exposed / reference), or None unless both means are positive.
    #[getter]
    fn ratio(&self) -> Option<PyEffect> {
        self.inner.ratio.clone().map(PyEffect::from)
    }
    },
);

/// Lift of a continuous outcome between exposure groups.
#[pyfunction]
#[pyo3(signature = (codes, values, weights=None, level=0.95))]
pub fn _mean_lift(
    py: Python<'_>,
    codes: PyReadonlyArray1<'_, u8>,
    values: PyReadonlyArray1<'_, f64>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    level: f64,
) -> PyResult<PyMeanLift> {
    let groups = codes_of(&codes)?;
    let (mut o1, mut o2) = (vec![], vec![]);
    let y = slice(&values, &mut o1);
    let w = weights_slice(&weights, &mut o2);
    Ok(py.guarded(|| mean_lift(&groups, y, w, level)).py()?.into())
}

/// The loyalty curve as columns, plus the overall rate and missing ratings.
#[pyfunction]
#[pyo3(signature = (ratings, outcome, scale, weights=None, level=0.95))]
pub fn _curve<'py>(
    py: Python<'py>,
    ratings: PyReadonlyArray1<'py, f64>,
    outcome: PyReadonlyArray1<'py, f64>,
    scale: &Bound<'py, PyAny>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let scale = scale_arg(Some(scale))?.unwrap_or(cx_core::Scale::nps());
    let (mut o1, mut o2, mut o3) = (vec![], vec![], vec![]);
    let r = slice(&ratings, &mut o1);
    let y = slice(&outcome, &mut o2);
    let w = weights_slice(&weights, &mut o3);
    let curve = py
        .guarded(|| {
            let c = CurveTally::from_values(scale, r, y, w)?;
            loyalty_curve(&c, level)
        })
        .py()?;
    let d = PyDict::new(py);
    let pts = &curve.points;
    let nan = f64::NAN;
    d.set_item("point", pts.iter().map(|p| p.point).collect::<Vec<_>>())?;
    d.set_item("n", pts.iter().map(|p| p.n).collect::<Vec<_>>())?;
    d.set_item("count", pts.iter().map(|p| p.count).collect::<Vec<_>>())?;
    d.set_item(
        "effective_n",
        pts.iter().map(|p| p.effective_n).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "rate",
        pts.iter()
            .map(|p| p.estimate.unwrap_or(nan))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "std_error",
        pts.iter()
            .map(|p| p.std_error.unwrap_or(nan))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "lower",
        pts.iter()
            .map(|p| p.interval.map_or(nan, |i| i.lower))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "upper",
        pts.iter()
            .map(|p| p.interval.map_or(nan, |i| i.upper))
            .collect::<Vec<_>>(),
    )?;
    d.set_item("missing", pts.iter().map(|p| p.missing).collect::<Vec<_>>())?;
    d.set_item("overall", curve.overall.estimate)?;
    d.set_item("overall_lower", curve.overall.interval.lower)?;
    d.set_item("overall_upper", curve.overall.interval.upper)?;
    d.set_item("missing_rating", curve.missing_rating)?;
    Ok(d)
}

crate::results::result_class!(
    PyRevenueImpact, "RevenueImpact", cx_core::loyalty::RevenueImpact,
    doc = "Projected change in retained customers and revenue (caller's money unit) if a share of the reference group (detractors) moved, with intervals carrying the uncertainty of the measured rates (Newcombe hybrid interval of the rate difference, rescaled).",
    getters {
        moved_customers: f64, rate_from: f64, rate_to: f64,
        baseline_retained: PyProjection, retained_change: PyProjection, revenue_change: PyProjection,
    },
    repr = |s| format!(
        "RevenueImpact(moved_customers={:.1}, rate_from={:.4}, rate_to={:.4}, retained_change={:.2} {}, revenue_change={:.2} {})",
        s.moved_customers, s.rate_from, s.rate_to,
        s.retained_change.estimate, ci(&s.retained_change.interval, 1.0, 2),
        s.revenue_change.estimate, ci(&s.revenue_change.interval, 1.0, 2)
    ),
    html = |s| html_table("Revenue impact", &format!("{:.0} customers move", s.moved_customers), &[
        ("retention rate from -> to", format!("{:.1}% -> {:.1}%", 100.0 * s.rate_from, 100.0 * s.rate_to)),
        ("baseline retained", format!("{:.1} {}", s.baseline_retained.estimate, ci(&s.baseline_retained.interval, 1.0, 1))),
        ("change in retained", format!("{:+.1} {}", s.retained_change.estimate, ci(&s.retained_change.interval, 1.0, 1))),
        ("change in revenue", format!("{:+.2} {}", s.revenue_change.estimate, ci(&s.revenue_change.interval, 1.0, 2))),
    ]),
);

crate::results::result_class!(
    PyProjection,
    "Projection",
    cx_core::loyalty::Projection,
    doc = "A projected quantity (customers or money) with its standard error and interval.",
    getters {
        estimate: f64,
        std_error: f64,
        interval: crate::results::PyInterval
    },
    repr = |s| format!(
        "Projection(estimate={:.4}, ci={})",
        s.estimate,
        ci(&s.interval, 1.0, 4)
    ),
    html = |s| html_table(
        "Projection",
        &format!("{:.2} {}", s.estimate, ci(&s.interval, 1.0, 2)),
        &[]
    ),
);

/// Revenue impact from exposure codes and a 0/1 outcome. `customers`: a total (split by the
/// survey's weighted group shares) or a dict with `exposed`, `reference`, `neither`.
#[pyfunction]
#[pyo3(signature = (codes, outcome, customers, revenue_per_customer, share, to, weights=None, level=0.95))]
#[allow(clippy::too_many_arguments)]
pub fn _revenue_impact(
    py: Python<'_>,
    codes: PyReadonlyArray1<'_, u8>,
    outcome: PyReadonlyArray1<'_, f64>,
    customers: &Bound<'_, PyAny>,
    revenue_per_customer: f64,
    share: f64,
    to: &str,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    level: f64,
) -> PyResult<PyRevenueImpact> {
    let j = joint(py, &codes, &outcome, &weights)?;
    let base = if let Ok(total) = customers.extract::<f64>() {
        CustomerBase::from_total(total, &j).py()?
    } else {
        let d = customers.cast::<PyDict>().map_err(|_| {
            to_py_err(cx_core::CxError::InvalidArgument {
                name: "customers",
                value: "neither a number nor a dict".into(),
                expected: "a total number of customers or a dict of counts per group".into(),
            })
        })?;
        let get = |k: &str| -> PyResult<f64> {
            Ok(d.get_item(k)?
                .map(|v| v.extract::<f64>())
                .transpose()?
                .unwrap_or(0.0))
        };
        CustomerBase {
            exposed: get("exposed")?,
            reference: get("reference")?,
            neither: get("neither")?,
        }
    };
    let scenario = Scenario {
        share,
        to: to.parse::<MoveTo>().py()?,
        revenue_per_customer,
        level,
    };
    Ok(revenue_impact(&j, &base, &scenario).py()?.into())
}

fn put_importance(d: &Bound<'_, PyDict>, name: &str, items: &[&Importance]) -> PyResult<()> {
    let nan = f64::NAN;
    let lo = |i: &Option<Interval>| i.map_or(nan, |i| i.lower);
    let hi = |i: &Option<Interval>| i.map_or(nan, |i| i.upper);
    d.set_item(name, items.iter().map(|i| i.raw).collect::<Vec<_>>())?;
    d.set_item(
        format!("{name}_lower"),
        items
            .iter()
            .map(|i| lo(&i.raw_interval))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        format!("{name}_upper"),
        items
            .iter()
            .map(|i| hi(&i.raw_interval))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        format!("{name}_share"),
        items.iter().map(|i| i.share).collect::<Vec<_>>(),
    )?;
    d.set_item(
        format!("{name}_share_lower"),
        items
            .iter()
            .map(|i| lo(&i.share_interval))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        format!("{name}_share_upper"),
        items
            .iter()
            .map(|i| hi(&i.share_interval))
            .collect::<Vec<_>>(),
    )?;
    Ok(())
}

/// Key drivers as columns (one row per driver, input order) plus model-level numbers.
#[pyfunction]
#[pyo3(signature = (drivers, outcome, weights=None, level=0.95, resamples=1000, seed=0))]
pub fn _key_drivers<'py>(
    py: Python<'py>,
    drivers: Vec<PyReadonlyArray1<'py, f64>>,
    outcome: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    level: f64,
    resamples: u32,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let cols: Vec<Vec<f64>> = drivers.iter().map(|a| a.as_array().to_vec()).collect();
    let (mut o1, mut o2) = (vec![], vec![]);
    let y = slice(&outcome, &mut o1);
    let w = weights_slice(&weights, &mut o2);
    let options = DriverOptions {
        level,
        resamples,
        seed,
    };
    let kd = py
        .guarded(|| {
            let x: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
            key_drivers(&x, y, w, &options)
        })
        .py()?;
    let d = PyDict::new(py);
    let nan = f64::NAN;
    let ds = &kd.drivers;
    d.set_item("rank", ds.iter().map(|x| x.rank).collect::<Vec<_>>())?;
    d.set_item(
        "correlation",
        ds.iter().map(|x| x.correlation).collect::<Vec<_>>(),
    )?;
    d.set_item("beta", ds.iter().map(|x| x.beta).collect::<Vec<_>>())?;
    d.set_item(
        "beta_lower",
        ds.iter()
            .map(|x| x.beta_interval.map_or(nan, |i| i.lower))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "beta_upper",
        ds.iter()
            .map(|x| x.beta_interval.map_or(nan, |i| i.upper))
            .collect::<Vec<_>>(),
    )?;
    put_importance(
        &d,
        "relative_weight",
        &ds.iter().map(|x| &x.relative_weight).collect::<Vec<_>>(),
    )?;
    put_importance(&d, "lmg", &ds.iter().map(|x| &x.lmg).collect::<Vec<_>>())?;
    let model = PyDict::new(py);
    model.set_item("r_squared", kd.r_squared)?;
    model.set_item(
        "r_squared_lower",
        kd.r_squared_interval.map_or(nan, |i| i.lower),
    )?;
    model.set_item(
        "r_squared_upper",
        kd.r_squared_interval.map_or(nan, |i| i.upper),
    )?;
    model.set_item("n", kd.n)?;
    model.set_item("effective_n", kd.effective_n)?;
    model.set_item("missing", kd.missing)?;
    model.set_item("resamples", kd.resamples)?;
    model.set_item("failed_resamples", kd.failed_resamples)?;
    d.set_item("_model", model)?;
    Ok(d)
}

/// Register the loyalty classes and functions on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyJointTally>()?;
    m.add_class::<PyLift>()?;
    m.add_class::<PyEffect>()?;
    m.add_class::<PyGroupMean>()?;
    m.add_class::<PyMeanLift>()?;
    m.add_class::<PyProjection>()?;
    m.add_class::<PyRevenueImpact>()?;
    m.add_function(wrap_pyfunction!(_exposure_rule, m)?)?;
    m.add_function(wrap_pyfunction!(_exposure_masks, m)?)?;
    m.add_function(wrap_pyfunction!(_joint_tally, m)?)?;
    m.add_function(wrap_pyfunction!(_lift, m)?)?;
    m.add_function(wrap_pyfunction!(_lift_of_joint, m)?)?;
    m.add_function(wrap_pyfunction!(_mean_lift, m)?)?;
    m.add_function(wrap_pyfunction!(_curve, m)?)?;
    m.add_function(wrap_pyfunction!(_revenue_impact, m)?)?;
    m.add_function(wrap_pyfunction!(_key_drivers, m)?)?;
    Ok(())
}
