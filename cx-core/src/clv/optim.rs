//! Maximum likelihood through argmin: Nelder-Mead (derivative-free) and L-BFGS with a
//! More-Thuente line search (analytic gradients), both minimising a negative log-likelihood
//! over log-scale parameters (so every parameter stays positive).

use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::LBFGS;

use crate::error::{CxError, Result};

crate::options! {
    /// Options of the model fits (`fit_sbg`, `fit_bgnbd`, `fit_gamma_gamma`).
    pub struct FitOptions {
        /// Iteration limit of the optimiser, at least 1 (default 2000).
        pub max_iterations: u64 = 2000,
        /// Convergence tolerance (default 1e-10): Nelder-Mead stops when the standard deviation
        /// of the simplex's costs falls below it, L-BFGS when the gradient norm or the change of
        /// the cost does (costs are mean negative log-likelihoods per customer).
        pub tolerance: f64 = 1e-10,
        /// Starting parameters on their natural scale: (alpha, beta) for the sBG model, (r,
        /// alpha, a, b) for BG/NBD, (p, q, v) for Gamma-Gamma (default: model-specific,
        /// documented on the fit function).
        pub initial: Option<Vec<f64>> = None,
        /// When true (default) a fit that does not converge is an error (`not_converged`, with
        /// its last state); when false it is returned with `converged` false.
        pub strict: bool = true,
    }
}

impl FitOptions {
    /// Check the options: at least one iteration, a positive finite tolerance, `n` positive
    /// finite initial values.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] naming the option.
    pub fn validate(&self, n: usize) -> Result<()> {
        if self.max_iterations == 0 {
            return Err(CxError::InvalidArgument {
                name: "max_iterations",
                value: "0".into(),
                expected: "at least 1".into(),
            });
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(CxError::InvalidArgument {
                name: "tolerance",
                value: self.tolerance.to_string(),
                expected: "a positive number".into(),
            });
        }
        if let Some(init) = &self.initial {
            if init.len() != n || init.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                return Err(CxError::InvalidArgument {
                    name: "initial",
                    value: format!("{init:?}"),
                    expected: format!("{n} positive finite parameters"),
                });
            }
        }
        Ok(())
    }
}

/// The outcome of one minimisation.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    /// Best log-parameters.
    pub x: Vec<f64>,
    /// Cost at `x`.
    pub cost: f64,
    pub iterations: u64,
    pub converged: bool,
    pub reason: String,
}

/// Costs beyond this are treated as "outside the model" (a log-likelihood of -inf).
pub(crate) const HUGE: f64 = 1e300;

struct Cost<F>(F);

impl<F: Fn(&[f64]) -> f64> CostFunction for Cost<F> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, x: &Vec<f64>) -> std::result::Result<f64, argmin::core::Error> {
        let c = (self.0)(x);
        Ok(if c.is_finite() { c } else { HUGE })
    }
}

/// The last point evaluated, with its cost and gradient.
type Evaluated = Option<(Vec<f64>, f64, Vec<f64>)>;

/// Cost and gradient from one pass: the last point's pair is kept, since the line search asks
/// for the cost and then the gradient at the same point.
struct CostGrad<F> {
    f: F,
    last: std::cell::RefCell<Evaluated>,
}

impl<F: Fn(&[f64], Option<&mut [f64]>) -> f64> CostGrad<F> {
    fn eval(&self, x: &[f64]) -> (f64, Vec<f64>) {
        if let Some((px, c, g)) = self.last.borrow().as_ref() {
            if px.as_slice() == x {
                return (*c, g.clone());
            }
        }
        let mut g = vec![0.0; x.len()];
        let c = (self.f)(x, Some(&mut g));
        *self.last.borrow_mut() = Some((x.to_vec(), c, g.clone()));
        (c, g)
    }
}

impl<F: Fn(&[f64], Option<&mut [f64]>) -> f64> CostFunction for CostGrad<F> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, x: &Vec<f64>) -> std::result::Result<f64, argmin::core::Error> {
        let c = self.eval(x).0;
        Ok(if c.is_finite() { c } else { HUGE })
    }
}

impl<F: Fn(&[f64], Option<&mut [f64]>) -> f64> Gradient for CostGrad<F> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, x: &Vec<f64>) -> std::result::Result<Vec<f64>, argmin::core::Error> {
        let g = self.eval(x).1;
        if g.iter().any(|v| !v.is_finite()) {
            return Err(argmin::core::Error::msg(
                "the gradient is not finite at these parameters",
            ));
        }
        Ok(g)
    }
}

fn outcome(reason: Option<&TerminationReason>, status: &TerminationStatus) -> (bool, String) {
    match reason {
        Some(TerminationReason::SolverConverged) => (true, "converged".into()),
        Some(r) => (false, r.text().to_lowercase()),
        None => (false, format!("{status:?}").to_lowercase()),
    }
}

/// Minimise `f` by Nelder-Mead from `x0` (initial simplex: `x0` and `x0` with each coordinate
/// moved by 0.5 on the log scale).
pub(crate) fn nelder_mead(
    f: impl Fn(&[f64]) -> f64,
    x0: Vec<f64>,
    options: &FitOptions,
) -> std::result::Result<Minimum, String> {
    let mut simplex = vec![x0.clone()];
    for i in 0..x0.len() {
        let mut v = x0.clone();
        v[i] += 0.5;
        simplex.push(v);
    }
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(options.tolerance)
        .map_err(|e| e.to_string())?;
    let res = Executor::new(Cost(f), solver)
        .configure(|s| s.max_iters(options.max_iterations))
        .timer(false)
        .run()
        .map_err(|e| e.to_string())?;
    let state = res.state();
    let (converged, reason) = outcome(
        state.get_termination_reason(),
        state.get_termination_status(),
    );
    Ok(Minimum {
        x: state.get_best_param().cloned().unwrap_or(x0),
        cost: state.get_best_cost(),
        iterations: state.get_iter(),
        converged,
        reason,
    })
}

/// Minimise `f` (cost and, when asked, gradient) by L-BFGS (memory 7) from `x0`.
pub(crate) fn lbfgs(
    f: impl Fn(&[f64], Option<&mut [f64]>) -> f64,
    x0: Vec<f64>,
    options: &FitOptions,
) -> std::result::Result<Minimum, String> {
    let linesearch = MoreThuenteLineSearch::new();
    let solver = LBFGS::new(linesearch, 7)
        .with_tolerance_grad(options.tolerance.sqrt() * 1e-2)
        .map_err(|e| e.to_string())?
        .with_tolerance_cost(options.tolerance)
        .map_err(|e| e.to_string())?;
    let problem = CostGrad {
        f,
        last: std::cell::RefCell::new(None),
    };
    let res = Executor::new(problem, solver)
        .configure(|s| s.param(x0.clone()).max_iters(options.max_iterations))
        .timer(false)
        .run()
        .map_err(|e| e.to_string())?;
    let state = res.state();
    let (converged, reason) = outcome(
        state.get_termination_reason(),
        state.get_termination_status(),
    );
    Ok(Minimum {
        x: state.get_best_param().cloned().unwrap_or(x0),
        cost: state.get_best_cost(),
        iterations: state.get_iter(),
        converged,
        reason,
    })
}

/// `name=value` pairs of a parameter vector.
pub(crate) fn describe(names: &[&str], values: &[f64]) -> String {
    names
        .iter()
        .zip(values)
        .map(|(n, v)| format!("{n}={v:.6}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error of a fit that did not converge, or of an optimiser that failed outright.
pub(crate) fn not_converged(
    model: &str,
    names: &[&str],
    params: &[f64],
    iterations: u64,
    reason: String,
    log_likelihood: f64,
) -> CxError {
    CxError::NotConverged {
        model: model.into(),
        iterations,
        reason,
        state: describe(names, params),
        log_likelihood,
    }
}
