//! Entry points of the acquisition-versus-retention balance: `response_curve` and
//! `customer_equity` (Blattberg and Deighton 1996).

use crate::api::clv::number;
use crate::api::log::nothing;
use crate::api::metrics::NoOptions;
use crate::api::value::{wrong_type, Value};
use crate::api::{Args, Entry, Kind, OptionType, Options, Param, Returns};
use crate::balance::{customer_equity, EquityOptions, ResponseCurve};
use crate::error::Result;

crate::options! {
    /// Options of the `customer_equity` entry point.
    #[derive(Copy)]
    pub struct EquityEntryOptions {
        /// Budget per prospect for the best split (the expected discounted spend A + a (R/r)
        /// r'/(1 - r')); default: the current plan's spend per prospect.
        pub budget: Option<f64> = None,
    }
}

const A_CURVE: &str = "a response curve: a ResponseCurve (response_curve) or { ceiling, k }";

/// The response curve `name`: a map with a `ceiling` and a `k`.
fn curve(a: &Args, name: &'static str) -> Result<ResponseCurve> {
    let v = a.value(name).ok_or_else(|| nothing(name, A_CURVE))?;
    let part = |key: &str| v.get(key).and_then(Value::as_f64);
    match (part("ceiling"), part("k")) {
        (Some(ceiling), Some(k)) => ResponseCurve::new(ceiling, k),
        _ => Err(wrong_type(name, v, A_CURVE)),
    }
}

/// The observed spends or rates `name`: one number (`true`), or several.
fn observed(a: &Args, name: &'static str) -> Result<(Vec<f64>, bool)> {
    let v = a
        .value(name)
        .ok_or_else(|| nothing(name, "a number or an array of numbers"))?;
    match v {
        Value::List(_) => Ok((Vec::<f64>::from_value(name, v)?, false)),
        one => Ok((vec![f64::from_value(name, one)?], true)),
    }
}

/// A named, required number.
const fn amount(name: &'static str, doc: &'static str) -> Param {
    Param {
        name,
        kind: Kind::Number,
        positional: false,
        required: true,
        doc,
        aliases: &[],
        column: None,
    }
}

/// A named, required response curve.
const fn response(name: &'static str, doc: &'static str) -> Param {
    Param {
        name,
        kind: Kind::Curve,
        positional: false,
        required: true,
        doc,
        aliases: &[],
        column: None,
    }
}

/// An observed spend or rate: one point, or several.
const fn point(name: &'static str, doc: &'static str) -> Param {
    Param {
        name,
        kind: Kind::NumberOrArray,
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
        name: "response_curve",
        module: "balance",
        doc: "A ceiling-bounded exponential response of a rate to spend, rate = ceiling x (1 - \
              exp(-k x spend)): through one observed point (spend and rate numbers: k = \
              -ln(1 - rate / ceiling) / spend), or fitted by least squares to several \
              (arrays), the ceiling given.",
        params: &[
            Param {
                name: "ceiling",
                kind: Kind::Number,
                positional: true,
                required: true,
                doc: "The rate that unlimited spend approaches, in (0, 1].",
                aliases: &[],
                column: None,
            },
            point(
                "spend",
                "The observed spend (per prospect or per customer and period): a number, or \
                 an array of spends >= 0.",
            ),
            point(
                "rate",
                "The rate observed at that spend: a number strictly between 0 and the \
                 ceiling, or an array of rates (one per spend).",
            ),
        ],
        options: NoOptions::fields,
        returns: Returns::Record("ResponseCurve"),
        run: |a| {
            a.options::<NoOptions>()?;
            let ceiling = number(a, "ceiling")?;
            let (spend, one_spend) = observed(a, "spend")?;
            let (rate, one_rate) = observed(a, "rate")?;
            let c = if one_spend && one_rate {
                ResponseCurve::from_point(ceiling, spend[0], rate[0])?
            } else {
                ResponseCurve::fit(ceiling, &spend, &rate)?
            };
            Ok(c.into())
        },
    },
    Entry {
        name: "customer_equity",
        module: "balance",
        doc: "Customer equity per prospect (Blattberg and Deighton 1996), CE = a m - A + a (m - \
              R/r) r'/(1 - r') with r' = r/(1 + d), at the current spends, at the \
              unconstrained optimum and at the best split of a budget per prospect (default: \
              the current plan's expected spend per prospect). Money is in the input's unit; \
              acquisition spend is per prospect, retention spend per customer per period.",
        params: &[
            amount("margin", "Margin per customer per period (money, >= 0)."),
            amount("discount", "Discount rate per period (>= 0)."),
            response(
                "acquisition",
                "Acquisition rate as a function of acquisition spend per prospect (a \
                 response_curve).",
            ),
            response(
                "retention",
                "Retention rate as a function of retention spend per customer per period (a \
                 response_curve).",
            ),
            amount(
                "acquisition_spend",
                "Current acquisition spend per prospect (>= 0).",
            ),
            amount(
                "retention_spend",
                "Current retention spend per customer per period (>= 0).",
            ),
        ],
        options: EquityEntryOptions::fields,
        returns: Returns::Record("CustomerEquity"),
        run: |a| {
            let o: EquityEntryOptions = a.options()?;
            let options = EquityOptions {
                margin: number(a, "margin")?,
                discount: number(a, "discount")?,
                acquisition: curve(a, "acquisition")?,
                retention: curve(a, "retention")?,
                acquisition_spend: number(a, "acquisition_spend")?,
                retention_spend: number(a, "retention_spend")?,
                budget: o.budget,
            };
            Ok(customer_equity(&options)?.into())
        },
    },
];
