//! Entry points of the lifetime-value models: `fit_sbg`, `fit_bgnbd`, `fit_gamma_gamma` (each
//! a fitted model whose methods project per customer) and `margin_multiplier`.

use crate::api::log::{column, required_number};
use crate::api::metrics::NoOptions;
use crate::api::{Entry, Kind, Options, Output, Param, Returns};
use crate::clv::{fit_bgnbd, fit_gamma_gamma, fit_sbg, margin_multiplier, FitOptions, Rfm};

/// A numeric column found in `data` when not given.
const fn numbers(name: &'static str, doc: &'static str) -> Param {
    Param {
        name,
        kind: Kind::Numbers,
        positional: false,
        required: false,
        doc,
        aliases: &[],
    }
}

const FREQUENCY: Param = numbers(
    "frequency",
    "Repeat purchases per customer (whole numbers >= 0); default: data's frequency.",
);

const DATA: Param = Param {
    name: "data",
    kind: Kind::Columns,
    positional: true,
    required: false,
    doc: "Where the columns not given are found by name: an Rfm result (rfm) or a DataFrame in \
          Python, an object such as an rfm result in Node.",
    aliases: &[],
};

/// A positional number.
const fn number(name: &'static str, doc: &'static str) -> Param {
    Param {
        name,
        kind: Kind::Number,
        positional: true,
        required: true,
        doc,
        aliases: &[],
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
              churn probabilities and lifetime value. Defaults: 2000 iterations, tolerance \
              1e-10, strict.",
        params: &[Param {
            name: "alive",
            kind: Kind::Numbers,
            positional: true,
            required: true,
            doc: "The number (or share) of the cohort still customers after t periods, starting \
                  with the cohort itself: [1000, 869, 743, ...] or [1, 0.869, ...].",
            aliases: &[],
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
              purchases, P(alive) and lifetime value. Defaults: 2000 iterations, tolerance \
              1e-10, strict.",
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
            let (x, tx, t) = (
                column(a, "frequency")?,
                column(a, "recency")?,
                column(a, "T")?,
            );
            let rfm = Rfm::from_arrays(&x, &tx, &t, None)?;
            Ok(fit_bgnbd(&rfm, &o)?.into())
        },
    },
    Entry {
        name: "fit_gamma_gamma",
        module: "clv",
        doc: "Fit the Gamma-Gamma spend model (Fader, Hardie and Lee 2005) by maximum \
              likelihood on the customers with repeat purchases and a positive monetary value \
              (repeat buyers with a monetary value <= 0, net refunds, are left out and counted \
              in `excluded`). Defaults: 2000 iterations, tolerance 1e-10, strict.",
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
            number("margin", "Margin per period (money)."),
            number("retention", "Retention rate per period, 0 to 1."),
            number("discount", "Discount rate per period, >= 0."),
        ],
        options: NoOptions::fields,
        returns: Returns::Number,
        run: |a| {
            a.options::<NoOptions>()?;
            let value = margin_multiplier(
                required_number(a, "margin")?,
                required_number(a, "retention")?,
                required_number(a, "discount")?,
            )?;
            Ok(Output::Number(value))
        },
    },
];
