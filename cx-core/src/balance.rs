//! Acquisition versus retention: the customer equity model of Blattberg and Deighton (1996)
//! and the spend split that maximises customer equity.
//!
//! # The model
//! ```text
//! a(A) = c_a · (1 − e^{−k_a A})      acquisition rate per prospect at spend A per prospect
//! r(R) = c_r · (1 − e^{−k_r R})      retention rate per period at spend R per customer per period
//! r′ = r / (1 + d)
//! CE(A, R) = a·m − A + a·(m − R/r) · r′ / (1 − r′)
//! ```
//! Customer equity `CE` is the discounted margin of a prospect, net of what is spent on them:
//! the first-period margin `m` of an acquired prospect, less the acquisition spend, plus the
//! margin net of retention spend (`R/r` per retained customer) over the discounted expected
//! retained periods `r′/(1 − r′)`. Each response curve is set by its ceiling and one observed
//! (spend, rate) point ([`ResponseCurve::from_point`], as in the paper's decision-calculus
//! approach) or fitted to several ([`ResponseCurve::fit`]).
//!
//! # References
//! Blattberg, R. C. and Deighton, J. (1996), "Manage marketing by the customer equity test",
//! Harvard Business Review 74(4), 136-144; the formulas as restated in Villanueva, J. and
//! Hanssens, D. M. (2007), "Customer equity: measurement, management and research
//! opportunities", Foundations and Trends in Marketing 1(1).

use argmin::core::{CostFunction, Executor, State};
use argmin::solver::brent::BrentOpt;
use serde::{Deserialize, Serialize};

use crate::error::{CxError, Result};

/// A ceiling-bounded exponential response of a rate to spend: `rate = ceiling · (1 − e^{−k·spend})`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResponseCurve {
    /// The rate that unlimited spend approaches (0 < ceiling <= 1).
    pub ceiling: f64,
    /// How fast spend approaches the ceiling (per unit of money, > 0).
    pub k: f64,
}

fn invalid(name: &'static str, value: impl ToString, expected: &str) -> CxError {
    CxError::InvalidArgument {
        name,
        value: value.to_string(),
        expected: expected.into(),
    }
}

fn check_ceiling(ceiling: f64) -> Result<()> {
    if !(ceiling > 0.0 && ceiling <= 1.0) {
        return Err(invalid("ceiling", ceiling, "a rate in (0, 1]"));
    }
    Ok(())
}

/// Minimise `f` on `[lo, hi]`: the best of a 400-point grid, refined by Brent's method
/// (argmin) on the grid cell around it (a global search for the unimodal-or-not curves here).
fn minimise(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    struct P<F>(F);
    impl<F: Fn(f64) -> f64> CostFunction for P<F> {
        type Param = f64;
        type Output = f64;
        fn cost(&self, x: &f64) -> std::result::Result<f64, argmin::core::Error> {
            let v = (self.0)(*x);
            Ok(if v.is_finite() { v } else { f64::MAX })
        }
    }
    const GRID: usize = 400;
    let step = (hi - lo) / GRID as f64;
    let mut best = (lo, f(lo));
    for i in 1..=GRID {
        let x = lo + step * i as f64;
        let v = f(x);
        if v < best.1 {
            best = (x, v);
        }
    }
    if step <= 0.0 {
        return best.0;
    }
    let (a, b) = ((best.0 - step).max(lo), (best.0 + step).min(hi));
    let solver = BrentOpt::new(a, b).set_tolerance(1e-12, 1e-12);
    match Executor::new(P(&f), solver)
        .configure(|s| s.max_iters(200))
        .timer(false)
        .run()
    {
        Ok(r) => match r.state().get_best_param() {
            Some(&x) if f(x) <= best.1 => x,
            _ => best.0,
        },
        Err(_) => best.0,
    }
}

impl ResponseCurve {
    /// A curve from its ceiling and steepness.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a ceiling outside (0, 1] or `k` not positive.
    pub fn new(ceiling: f64, k: f64) -> Result<ResponseCurve> {
        check_ceiling(ceiling)?;
        if !(k.is_finite() && k > 0.0) {
            return Err(invalid("k", k, "a positive finite steepness"));
        }
        Ok(ResponseCurve { ceiling, k })
    }

    /// The curve through one observed point: `k = −ln(1 − rate/ceiling) / spend`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a spend not above 0 or a rate not strictly between 0
    /// and the ceiling.
    ///
    /// # Examples
    /// ```
    /// use cx_core::balance::ResponseCurve;
    /// let c = ResponseCurve::from_point(0.4, 50.0, 0.2)?;   // half the ceiling at 50
    /// assert!((c.rate(50.0) - 0.2).abs() < 1e-15);
    /// assert!((c.k - 2f64.ln() / 50.0).abs() < 1e-15);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn from_point(ceiling: f64, spend: f64, rate: f64) -> Result<ResponseCurve> {
        check_ceiling(ceiling)?;
        if !(spend.is_finite() && spend > 0.0) {
            return Err(invalid("spend", spend, "an observed spend above 0"));
        }
        if !(rate > 0.0 && rate < ceiling) {
            return Err(invalid(
                "rate",
                rate,
                &format!("an observed rate strictly between 0 and the ceiling {ceiling}"),
            ));
        }
        ResponseCurve::new(ceiling, -(1.0 - rate / ceiling).ln() / spend)
    }

    /// The least-squares curve through several observed (spend, rate) points, the ceiling
    /// given: `k` minimises `Σ (rate_i − ceiling · (1 − e^{−k·spend_i}))²`.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`]; [`CxError::InsufficientData`] without a point of positive
    /// spend; [`CxError::InvalidArgument`] for a negative or non-finite spend, or a rate
    /// outside 0..=ceiling.
    pub fn fit(ceiling: f64, spends: &[f64], rates: &[f64]) -> Result<ResponseCurve> {
        check_ceiling(ceiling)?;
        if spends.len() != rates.len() {
            return Err(CxError::LengthMismatch {
                left_name: "spends",
                left: spends.len(),
                right_name: "rates",
                right: rates.len(),
            });
        }
        for (i, (&s, &r)) in spends.iter().zip(rates).enumerate() {
            if !(s.is_finite() && s >= 0.0) {
                return Err(invalid(
                    "spends",
                    format!("{s} at index {i}"),
                    "spends >= 0",
                ));
            }
            if !(r >= 0.0 && r <= ceiling) {
                return Err(invalid(
                    "rates",
                    format!("{r} at index {i}"),
                    &format!("rates between 0 and the ceiling {ceiling}"),
                ));
            }
        }
        let positive: Vec<f64> = spends.iter().copied().filter(|&s| s > 0.0).collect();
        if positive.is_empty() {
            return Err(CxError::InsufficientData {
                what: "a response-curve fit (points with spend above 0)".into(),
                needed: 1,
                got: 0,
            });
        }
        // Search ln k over a range that covers every half-saturation spend from a millionth of
        // the smallest spend to a million times the largest.
        let smin = positive.iter().copied().fold(f64::INFINITY, f64::min);
        let smax = positive.iter().copied().fold(0.0, f64::max);
        let (lo, hi) = (
            (2f64.ln() / (smax * 1e6)).ln(),
            (2f64.ln() / (smin * 1e-6)).ln(),
        );
        let sse = |lk: f64| {
            let k = lk.exp();
            spends
                .iter()
                .zip(rates)
                .map(|(&s, &r)| (r - ceiling * (1.0 - (-k * s).exp())).powi(2))
                .sum::<f64>()
        };
        ResponseCurve::new(ceiling, minimise(sse, lo, hi).exp())
    }

    /// The rate at `spend`: `ceiling · (1 − e^{−k·spend})`.
    pub fn rate(&self, spend: f64) -> f64 {
        self.ceiling * (1.0 - (-self.k * spend).exp())
    }
}

/// Inputs of [`customer_equity`]. Money is in the input's unit; acquisition spend is per
/// prospect, retention spend per customer per period, as in the paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EquityOptions {
    /// Margin per customer per period (money).
    pub margin: f64,
    /// Discount rate per period (>= 0).
    pub discount: f64,
    /// Acquisition rate as a function of acquisition spend per prospect.
    pub acquisition: ResponseCurve,
    /// Retention rate as a function of retention spend per customer per period.
    pub retention: ResponseCurve,
    /// Current acquisition spend per prospect.
    pub acquisition_spend: f64,
    /// Current retention spend per customer per period.
    pub retention_spend: f64,
    /// Budget per prospect for the split (the expected discounted spend
    /// `A + a·(R/r)·r′/(1 − r′)`); default: the current spend's.
    pub budget: Option<f64>,
}

/// One spend plan and its customer equity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SpendPlan {
    /// Acquisition spend per prospect.
    pub acquisition_spend: f64,
    /// Retention spend per customer per period.
    pub retention_spend: f64,
    /// Acquisition rate at that spend.
    pub acquisition_rate: f64,
    /// Retention rate at that spend.
    pub retention_rate: f64,
    /// Customer equity per prospect (money).
    pub customer_equity: f64,
    /// Expected discounted spend per prospect, `A + a·(R/r)·r′/(1 − r′)` (money).
    pub spend_per_prospect: f64,
    /// `customer_equity` minus the current plan's.
    pub gain: f64,
}

/// The current plan, the unconstrained optimum and the best split of the budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CustomerEquity {
    /// The current spends.
    pub current: SpendPlan,
    /// Each spend at its own best (no budget).
    pub optimum: SpendPlan,
    /// The best split of the budget (the current plan's spend per prospect unless given):
    /// the optimum itself when it costs no more than the budget.
    pub budget_optimum: SpendPlan,
    /// The budget per prospect used.
    pub budget: f64,
}

struct Model<'a>(&'a EquityOptions);

impl Model<'_> {
    /// Discounted expected retained periods `r′/(1 − r′)`.
    fn periods(&self, r: f64) -> f64 {
        let rp = r / (1.0 + self.0.discount);
        rp / (1.0 - rp)
    }
    /// Retention spend per retained customer, `R/r` (0 when R is 0).
    fn per_retained(&self, spend: f64, r: f64) -> f64 {
        if spend == 0.0 || r == 0.0 {
            0.0
        } else {
            spend / r
        }
    }
    /// Value of an acquired customer before acquisition spend: `m + (m − R/r)·r′/(1 − r′)`.
    fn value(&self, rs: f64) -> f64 {
        let r = self.0.retention.rate(rs);
        self.0.margin + (self.0.margin - self.per_retained(rs, r)) * self.periods(r)
    }
    fn plan(&self, acq: f64, ret: f64) -> SpendPlan {
        let a = self.0.acquisition.rate(acq);
        let r = self.0.retention.rate(ret);
        SpendPlan {
            acquisition_spend: acq,
            retention_spend: ret,
            acquisition_rate: a,
            retention_rate: r,
            customer_equity: a * self.value(ret) - acq,
            spend_per_prospect: acq + a * self.per_retained(ret, r) * self.periods(r),
            gain: 0.0,
        }
    }
    /// Retention spend whose expected cost per acquired customer is `q`.
    fn retention_for(&self, q: f64) -> f64 {
        let h = |rs: f64| {
            let r = self.0.retention.rate(rs);
            self.per_retained(rs, r) * self.periods(r)
        };
        let mut hi = 1.0;
        while h(hi) < q && hi < 1e15 {
            hi *= 2.0;
        }
        crate::inference::bisect(|rs| h(rs) - q, 0.0, hi)
    }
}

/// Customer equity at the current spends, at the unconstrained optimum, and at the best split
/// of a budget per prospect.
///
/// # Formula
/// ```text
/// CE(A, R) = a(A)·V(R) − A,   V(R) = m + (m − R/r)·r′/(1 − r′),   r′ = r(R)/(1 + d)
/// optimum:  R* = argmax_R V(R)   (V does not depend on A)
///           A* = ln(c_a·k_a·V(R*)) / k_a   (0 when c_a·k_a·V(R*) <= 1: da/dA · V = 1)
/// budget:   maximise CE subject to S(A, R) = A + a·(R/r)·r′/(1 − r′) <= B
/// ```
/// R* is found on `[0, m·c_r]` (beyond it the retention term is negative) by a grid and Brent's
/// method (argmin); on the budget boundary, A is searched the same way on `[0, B]` with R
/// solved by bisection from the constraint.
///
/// # Errors
/// [`CxError::InvalidArgument`] for a non-finite or negative margin, discount, spend or
/// budget.
///
/// # Examples
/// ```
/// use cx_core::balance::{customer_equity, EquityOptions, ResponseCurve};
/// let o = EquityOptions {
///     margin: 100.0,
///     discount: 0.1,
///     acquisition: ResponseCurve::from_point(0.4, 50.0, 0.2)?,
///     retention: ResponseCurve::from_point(0.9, 20.0, 0.6)?,
///     acquisition_spend: 50.0,
///     retention_spend: 20.0,
///     budget: None,
/// };
/// let ce = customer_equity(&o)?;
/// assert!(ce.optimum.customer_equity >= ce.current.customer_equity);
/// assert!(ce.budget_optimum.spend_per_prospect <= ce.budget + 1e-9);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Blattberg, R. C. and Deighton, J. (1996), "Manage marketing by the customer equity test",
/// Harvard Business Review 74(4), 136-144.
pub fn customer_equity(options: &EquityOptions) -> Result<CustomerEquity> {
    let o = options;
    for (name, v) in [
        ("margin", o.margin),
        ("discount", o.discount),
        ("acquisition_spend", o.acquisition_spend),
        ("retention_spend", o.retention_spend),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(invalid(name, v, "a finite amount >= 0"));
        }
    }
    ResponseCurve::new(o.acquisition.ceiling, o.acquisition.k)?;
    ResponseCurve::new(o.retention.ceiling, o.retention.k)?;
    if o.retention.ceiling >= 1.0 && o.discount == 0.0 {
        return Err(invalid(
            "discount",
            o.discount,
            "above 0 when the retention ceiling is 1 (the equity would be infinite)",
        ));
    }
    let m = Model(o);
    let mut current = m.plan(o.acquisition_spend, o.retention_spend);
    let budget = o.budget.unwrap_or(current.spend_per_prospect);
    if !(budget.is_finite() && budget >= 0.0) {
        return Err(invalid(
            "budget",
            budget,
            "a finite budget per prospect >= 0",
        ));
    }
    // Unconstrained: R* maximises V; A* from the first-order condition.
    let r_hi = (o.margin * o.retention.ceiling).max(1e-12);
    let r_star = minimise(|rs| -m.value(rs), 0.0, r_hi);
    let v_star = m.value(r_star);
    let ca_ka = o.acquisition.ceiling * o.acquisition.k;
    let a_star = if ca_ka * v_star > 1.0 {
        (ca_ka * v_star).ln() / o.acquisition.k
    } else {
        0.0
    };
    let mut optimum = m.plan(a_star, r_star);
    // Budget: the optimum if affordable, else the best point on the boundary S(A, R) = B.
    let mut budget_optimum = if optimum.spend_per_prospect <= budget {
        optimum.clone()
    } else {
        let boundary = |acq: f64| {
            let a = o.acquisition.rate(acq);
            if a <= 0.0 {
                return m.plan(acq, 0.0);
            }
            m.plan(acq, m.retention_for((budget - acq).max(0.0) / a))
        };
        let best_a = minimise(|acq| -boundary(acq).customer_equity, 0.0, budget);
        let on_boundary = boundary(best_a);
        // Spending nothing is always within the budget.
        if on_boundary.customer_equity >= 0.0 {
            on_boundary
        } else {
            m.plan(0.0, 0.0)
        }
    };
    let base = current.customer_equity;
    current.gain = 0.0;
    optimum.gain = optimum.customer_equity - base;
    budget_optimum.gain = budget_optimum.customer_equity - base;
    Ok(CustomerEquity {
        current,
        optimum,
        budget_optimum,
        budget,
    })
}

impl std::fmt::Display for ResponseCurve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rate = {} × (1 − exp(−{:.6} × spend))",
            self.ceiling, self.k
        )
    }
}

impl std::fmt::Display for SpendPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "acquisition {:.2}/prospect (rate {:.1}%), retention {:.2}/customer (rate {:.1}%): customer equity {:.2} per prospect ({:+.2})",
            self.acquisition_spend,
            100.0 * self.acquisition_rate,
            self.retention_spend,
            100.0 * self.retention_rate,
            self.customer_equity,
            self.gain
        )
    }
}

impl std::fmt::Display for CustomerEquity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "current:       {}", self.current)?;
        writeln!(f, "optimum:       {}", self.optimum)?;
        write!(f, "budget {:.2}: {}", self.budget, self.budget_optimum)
    }
}
