//! Immutable result classes: attribute access, `to_dict()`, a readable `repr`, `_repr_html_`
//! for Jupyter, equality and pickling. Each wraps the cx-core struct it mirrors.

use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::json::to_dict;

/// Escape text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A compact two-column HTML table, no JavaScript.
pub(crate) fn html_table(title: &str, summary: &str, rows: &[(&str, String)]) -> String {
    let mut h = String::from(
        "<div class=\"cxkit-result\"><table style=\"border-collapse:collapse;font-size:0.9em\">",
    );
    h.push_str(&format!(
        "<caption style=\"text-align:left;font-weight:bold\">{}</caption>",
        esc(title)
    ));
    h.push_str(&format!(
        "<tr><td colspan=\"2\" style=\"padding:2px 8px\">{}</td></tr>",
        esc(summary)
    ));
    for (k, v) in rows {
        h.push_str(&format!(
            "<tr><th style=\"text-align:left;padding:2px 8px\">{}</th>\
             <td style=\"text-align:right;padding:2px 8px\">{}</td></tr>",
            esc(k),
            esc(v)
        ));
    }
    h.push_str("</table></div>");
    h
}

/// Define a frozen Python class around a cx-core result struct.
///
/// `getters` lists the fields exposed as attributes (type after conversion); `repr` and `html`
/// build the text forms from `$s: &CoreType`; `plot = "name"` adds a `plot(ax=None, **kwargs)`
/// method that calls the Python function `cxkit.plot.name(result, ax, **kwargs)`.
macro_rules! result_class {
    (
        $py:ident, $name:literal, $core:ty,
        doc = $doc:literal,
        getters { $($field:ident : $ty:ty),* $(,)? },
        repr = |$s:ident| $repr:expr,
        html = |$h:ident| $html:expr
        $(, plot = $plot:literal)?
        $(, methods { $($methods:tt)* })? $(,)?
    ) => {
        #[doc = $doc]
        #[pyclass(frozen, module = "cxkit", name = $name)]
        #[derive(Clone)]
        pub struct $py {
            pub inner: $core,
        }

        #[pymethods]
        impl $py {
            $(
                #[getter]
                fn $field(&self) -> $ty {
                    self.inner.$field.clone().into()
                }
            )*

            /// The result as a dict of plain Python values (nested dicts for intervals).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                crate::json::to_dict(py, &self.inner)
            }

            /// The result as JSON text (the serde form shared with Rust and Node).
            fn to_json(&self) -> PyResult<String> {
                serde_json::to_string(&self.inner)
                    .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
            }

            /// Rebuild a result from `to_json()` text.
            #[classmethod]
            fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
                serde_json::from_str(text)
                    .map(|inner| $py { inner })
                    .map_err(|e| {
                        crate::errors::to_py_err(cx_core::CxError::UnreadableSummary {
                            reason: e.to_string(),
                        })
                    })
            }

            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (String,))> {
                let f = slf.get_type().getattr("from_json")?;
                Ok((f, (slf.get().to_json()?,)))
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other
                    .cast::<$py>()
                    .map(|o| o.get().inner == self.inner)
                    .unwrap_or(false)
            }

            fn __repr__(&self) -> String {
                let $s = &self.inner;
                $repr
            }

            fn __str__(&self) -> String {
                self.inner.to_string()
            }

            fn _repr_html_(&self) -> String {
                let $h = &self.inner;
                $html
            }

            $(
                /// Draw the result with matplotlib (`pip install cxkit[plot]`) on `ax` (a new
                /// figure when None) and return the Axes; see `cxkit.plot`.
                #[pyo3(signature = (ax=None, **kwargs))]
                fn plot<'py>(
                    slf: &Bound<'py, Self>,
                    ax: Option<Bound<'py, PyAny>>,
                    kwargs: Option<Bound<'py, pyo3::types::PyDict>>,
                ) -> PyResult<Bound<'py, PyAny>> {
                    crate::plot::delegate(slf.as_any(), $plot, ax, kwargs)
                }
            )?

            $($($methods)*)?
        }

        impl From<$core> for $py {
            fn from(inner: $core) -> Self {
                $py { inner }
            }
        }
    };
}

pub(crate) use result_class;

pub(crate) fn ci(i: &cx_core::Interval, digits: usize) -> String {
    format!(
        "[{:.d$}, {:.d$}] ({}% {})",
        i.lower,
        i.upper,
        i.level * 100.0,
        i.method,
        d = digits
    )
}

result_class!(
    PyInterval, "Interval", cx_core::Interval,
    doc = "A confidence interval: lower, upper, level and method (in the unit of its estimate).",
    getters { lower: f64, upper: f64, level: f64 },
    repr = |s| format!(
        "Interval(lower={}, upper={}, level={}, method='{}')",
        s.lower, s.upper, s.level, s.method
    ),
    html = |s| html_table("Interval", &ci(s, 4), &[]),
    methods {
    /// The method that produced the interval, e.g. 'adjusted-wald', 'wilson'.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.name()
    }
    /// upper - lower.
    #[getter]
    fn width(&self) -> f64 {
        self.inner.width()
    }
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        (self.inner.lower, self.inner.upper)
            .into_pyobject(py)?
            .into_any()
            .try_iter()
            .map(|i| i.into_any())
    }
    },
);

result_class!(
    PyNps, "Nps", cx_core::Nps,
    doc = "A Net Promoter Score. estimate, std_error and interval are in NPS points (-100..100); shares are 0..1.",
    getters {
        estimate: f64, std_error: f64, interval: PyInterval,
        promoters: u64, passives: u64, detractors: u64,
        promoter_share: f64, passive_share: f64, detractor_share: f64,
        n: u64, effective_n: f64, missing: u64,
    },
    repr = |s| format!(
        "Nps(estimate={:.2}, ci=[{:.2}, {:.2}], level={}, method='{}', n={}, promoters={:.1}%, passives={:.1}%, detractors={:.1}%)",
        s.estimate, s.interval.lower, s.interval.upper, s.interval.level, s.interval.method,
        s.n, 100.0 * s.promoter_share, 100.0 * s.passive_share, 100.0 * s.detractor_share
    ),
    html = |s| html_table(
        "Net Promoter Score",
        &format!("NPS {:+.1} points, CI {}", s.estimate, ci(&s.interval, 1)),
        &[
            ("estimate (points)", format!("{:.2}", s.estimate)),
            ("std. error (points)", format!("{:.2}", s.std_error)),
            ("promoters", format!("{} ({:.1}%)", s.promoters, 100.0 * s.promoter_share)),
            ("passives", format!("{} ({:.1}%)", s.passives, 100.0 * s.passive_share)),
            ("detractors", format!("{} ({:.1}%)", s.detractors, 100.0 * s.detractor_share)),
            ("n", s.n.to_string()),
            ("effective n", format!("{:.1}", s.effective_n)),
            ("missing", s.missing.to_string()),
        ],
    ),
    plot = "nps",
);

result_class!(
    PyNpsDifference,
    "NpsDifference",
    cx_core::NpsDifference,
    doc = "The difference of two independent NPS (a minus b) in points, with its z-test.",
    getters {
        estimate: f64,
        std_error: f64,
        interval: PyInterval,
        z: f64,
        p_value: f64,
        nps_a: f64,
        nps_b: f64,
        n_a: u64,
        n_b: u64,
    },
    repr = |s| {
        format!(
        "NpsDifference(estimate={:.2}, ci=[{:.2}, {:.2}], z={:.4}, p_value={}, nps_a={:.2}, nps_b={:.2}, n_a={}, n_b={})",
        s.estimate, s.interval.lower, s.interval.upper, s.z, s.p_value, s.nps_a, s.nps_b, s.n_a, s.n_b
    )
    },
    html = |s| html_table(
        "NPS difference (a - b)",
        &format!(
            "{:+.1} points, CI {}, p = {:.4}",
            s.estimate,
            ci(&s.interval, 1),
            s.p_value
        ),
        &[
            ("difference (points)", format!("{:.2}", s.estimate)),
            ("std. error (points)", format!("{:.2}", s.std_error)),
            ("z", format!("{:.4}", s.z)),
            ("p-value", format!("{:.4}", s.p_value)),
            ("NPS a (n)", format!("{:.2} ({})", s.nps_a, s.n_a)),
            ("NPS b (n)", format!("{:.2} ({})", s.nps_b, s.n_b)),
        ],
    ),
    plot = "nps_difference",
);

result_class!(
    PyProportion,
    "Proportion",
    cx_core::Proportion,
    doc =
        "A share of respondents (top box, bottom box, CSAT) as a fraction 0..1, with its interval.",
    getters {
        estimate: f64,
        std_error: f64,
        interval: PyInterval,
        count: u64,
        n: u64,
        effective_n: f64,
        missing: u64,
    },
    repr = |s| format!(
        "Proportion(estimate={:.4}, ci=[{:.4}, {:.4}], level={}, method='{}', count={}, n={})",
        s.estimate,
        s.interval.lower,
        s.interval.upper,
        s.interval.level,
        s.interval.method,
        s.count,
        s.n
    ),
    html = |s| html_table(
        "Proportion",
        &format!(
            "{:.1}%, CI [{:.1}%, {:.1}%] ({}% {})",
            100.0 * s.estimate,
            100.0 * s.interval.lower,
            100.0 * s.interval.upper,
            s.interval.level * 100.0,
            s.interval.method
        ),
        &[
            ("share", format!("{:.4}", s.estimate)),
            ("std. error", format!("{:.4}", s.std_error)),
            ("count", s.count.to_string()),
            ("n", s.n.to_string()),
            ("effective n", format!("{:.1}", s.effective_n)),
            ("missing", s.missing.to_string()),
        ],
    ),
    plot = "proportion",
);

result_class!(
    PyMean, "Mean", cx_core::Mean,
    doc = "A mean rating (scale units) with standard error, standard deviation and Student-t interval.",
    getters {
        estimate: f64, std_error: f64, std_dev: f64, interval: PyInterval,
        n: u64, effective_n: f64, missing: u64,
    },
    repr = |s| format!(
        "Mean(estimate={:.4}, ci=[{:.4}, {:.4}], level={}, std_dev={:.4}, n={})",
        s.estimate, s.interval.lower, s.interval.upper, s.interval.level, s.std_dev, s.n
    ),
    html = |s| html_table(
        "Mean",
        &format!("{:.3}, CI {}", s.estimate, ci(&s.interval, 3)),
        &[
            ("mean", format!("{:.4}", s.estimate)),
            ("std. error", format!("{:.4}", s.std_error)),
            ("std. deviation", format!("{:.4}", s.std_dev)),
            ("n", s.n.to_string()),
            ("effective n", format!("{:.1}", s.effective_n)),
            ("missing", s.missing.to_string()),
        ],
    ),
    plot = "mean",
);

result_class!(
    PyPointShare,
    "PointShare",
    cx_core::PointShare,
    doc = "One point of a distribution: point, count, weight and share (0..1).",
    getters {
        point: i32,
        count: u64,
        weight: f64,
        share: f64
    },
    repr = |s| format!(
        "PointShare(point={}, count={}, weight={}, share={:.4})",
        s.point, s.count, s.weight, s.share
    ),
    html = |s| html_table(
        "Point",
        &format!("{}: {:.1}%", s.point, 100.0 * s.share),
        &[
            ("count", s.count.to_string()),
            ("weight", format!("{}", s.weight)),
        ]
    ),
);

result_class!(
    PyDistribution, "Distribution", cx_core::Distribution,
    doc = "The share and count of every scale point.",
    getters { n: u64, effective_n: f64, missing: u64 },
    repr = |s| format!(
        "Distribution(n={}, missing={}, shares={{{}}})",
        s.n,
        s.missing,
        s.points
            .iter()
            .map(|p| format!("{}: {:.4}", p.point, p.share))
            .collect::<Vec<_>>()
            .join(", ")
    ),
    html = |s| {
        let rows: Vec<(String, String)> = s
            .points
            .iter()
            .map(|p| (p.point.to_string(), format!("{} ({:.1}%)", p.count, 100.0 * p.share)))
            .collect();
        let rows: Vec<(&str, String)> = rows.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        html_table(
            "Distribution",
            &format!("n = {}, missing = {}", s.n, s.missing),
            &rows,
        )
    },
    plot = "distribution",
    methods {
    /// One PointShare per scale point, lowest first.
    #[getter]
    fn points(&self) -> Vec<PyPointShare> {
        self.inner.points.iter().cloned().map(Into::into).collect()
    }

    /// The shares as a list, lowest point first.
    #[getter]
    fn shares(&self) -> Vec<f64> {
        self.inner.points.iter().map(|p| p.share).collect()
    }

    /// A pandas DataFrame with columns point, count, weight, share.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rows = to_dict(py, &self.inner.points)?;
        py.import("pandas")?.getattr("DataFrame")?.call1((rows,))
    }

    /// A polars DataFrame with columns point, count, weight, share.
    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rows = to_dict(py, &self.inner.points)?;
        py.import("polars")?.getattr("DataFrame")?.call1((rows,))
    }
    },
);
