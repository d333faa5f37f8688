//! Entry points of the lifetime-value models: `fit_sbg`, `fit_bgnbd`, `fit_gamma_gamma` (each
//! a fitted model whose methods project per customer) and `margin_multiplier`.

use crate::api::log::nothing;
use crate::api::metrics::NoOptions;
use crate::api::{Args, Entry, Kind, OptionType, Options, Output, Param, Returns};
use crate::clv::{fit_bgnbd, fit_gamma_gamma, fit_sbg, margin_multiplier, FitOptions, Rfm};
use crate::error::Result;

/// The numeric column `name` as doubles.
///
/// # Errors
/// [`CxError::WrongType`](crate::CxError::WrongType) when it is not given.
fn column(a: &Args, name: &'static str) -> Result<Vec<f64>> {
    match a.floats(name)? {
        Some(c) => Ok(c.into_owned()),
        None => Err(nothing(name, "an array of numbers")),
    }
}

/// The number `name` (a [`Kind::Number`] input).
///
/// # Errors
/// [`CxError::WrongType`](crate::CxError::WrongType) when it is not given or not a number.
pub(super) fn number(a: &Args, name: &'static str) -> Result<f64> {
    let v = a.value(name).ok_or_else(|| nothing(name, "a number"))?;
    f64::from_value(name, v)
}

/// A numeric column found in `data` when not given.
const fn numbers(name: &'static str, doc: &'static str) -> Param {
    Param {
        name,
        kind: Kind::Numbers,
        positional: false,
        required: false,
        doc,
        aliases: &[],
        column: None,
    }
}

const FREQUENCY: Param = numbers(
    "frequency",
    "Repeat purchases per customer (whole numbers >= 0); default: data's frequency.",
);

const DATA: Param = Param {
    name: "data",
    kind: Kind::Fields,
    positional: true,
    required: false,
    doc: "Where the columns not given are found by name: an Rfm result (rfm) or a DataFrame in \
          Python, an object such as an rfm result in Node.",
    aliases: &[],
    column: None,
};

/// A positional number.
const fn number_param(name: &'static str, doc: &'static str) -> Param {
    Param {
        name,
        kind: Kind::Number,
        positional: true,
        required: true,
        doc,
        aliases: &[],
        column: None,
    }
}

/// Every entry point of this module.
pub(super) static ENTRIES: &[Entry] = &[
    Entry {
        name: "fit_sbg",
        module: "clv",
        doc: "Fit the shifted-beta-geometric model (Fader and Hardie 2007) to a cohort's \
              survivors by maximum likelihood (Nelder-Mead from alpha = beta = 1): churn \
              probability ~ Beta(alpha, beta). The fit projects survival, retention rates, \
              churn probabilities and lifetime value. A fit that does not converge is a \
              not_converged error with its last state (or, with strict false, the fit with \
              converged false). Defaults: 2000 iterations, tolerance 1e-10, strict.",
        params: &[Param {
            name: "alive",
            kind: Kind::Numbers,
            positional: true,
            required: true,
            doc: "The number (or share) of the cohort still customers after t periods, starting \
                  with the cohort itself: [1000, 869, 743, ...] or [1, 0.869, ...].",
            aliases: &[],
            column: None,
        }],
        options: FitOptions::fields,
        returns: Returns::Record("SbgFit"),
        run: |a| {
            let o: FitOptions = a.options()?;
            Ok(fit_sbg(&column(a, "alive")?, &o)?.into())
        },
    },
    Entry {
        name: "fit_bgnbd",
        module: "clv",
        doc: "Fit the BG/NBD model (Fader, Hardie and Lee 2005) to RFM data by maximum \
              likelihood (L-BFGS with the analytic gradient): purchase rate ~ Gamma(r, alpha), \
              dropout ~ Beta(a, b), in the time units of the data. The fit projects expected \
              purchases, P(alive) and lifetime value. initial: (r, alpha, a, b). Defaults: \
              2000 iterations, tolerance 1e-10, strict.",
        params: &[
            DATA,
            FREQUENCY,
            numbers(
                "recency",
                "First to last purchase per customer, in time units; default: data's recency.",
            ),
            numbers(
                "T",
                "First purchase to the end of the observation per customer, in time units; \
                 default: data's T.",
            ),
        ],
        options: FitOptions::fields,
        returns: Returns::Record("BgNbdFit"),
        run: |a| {
            let o: FitOptions = a.options()?;
            let x = column(a, "frequency")?;
            let (tx, t) = (column(a, "recency")?, column(a, "T")?);
            let rfm = Rfm::from_arrays(&x, &tx, &t, None)?;
            Ok(fit_bgnbd(&rfm, &o)?.into())
        },
    },
    Entry {
        name: "fit_gamma_gamma",
        module: "clv",
        doc: "Fit the Gamma-Gamma spend model (Fader, Hardie and Lee 2005) by maximum \
              likelihood on the customers with repeat purchases (frequency > 0) and a positive \
              monetary value; repeat buyers with a monetary value <= 0 (net refunds) are left \
              out and counted in `excluded`. initial: (p, q, v). Defaults: 2000 iterations, \
              tolerance 1e-10, strict.",
        params: &[
            DATA,
            FREQUENCY,
            numbers(
                "monetary_value",
                "Mean spend per repeat purchase per customer; default: data's monetary_value.",
            ),
        ],
        options: FitOptions::fields,
        returns: Returns::Record("GammaGammaFit"),
        run: |a| {
            let o: FitOptions = a.options()?;
            let (x, m) = (column(a, "frequency")?, column(a, "monetary_value")?);
            Ok(fit_gamma_gamma(&x, &m, &o)?.into())
        },
    },
    Entry {
        name: "margin_multiplier",
        module: "clv",
        doc: "Lifetime value with a constant margin and retention rate, m x r / (1 + d - r) \
              (Gupta and Lehmann 2003): margins received at the end of each period the customer \
              is retained, over an infinite horizon.",
        params: &[
            number_param("margin", "Margin per period (money)."),
            number_param("retention", "Retention rate per period, 0 to 1."),
            number_param("discount", "Discount rate per period, >= 0."),
        ],
        options: NoOptions::fields,
        returns: Returns::Number,
        run: |a| {
            a.options::<NoOptions>()?;
            let (m, r, d) = (
                number(a, "margin")?,
                number(a, "retention")?,
                number(a, "discount")?,
            );
            Ok(Output::Number(margin_multiplier(m, r, d)?))
        },
    },
];
