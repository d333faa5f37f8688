//! Immutable result classes: attribute access, `to_dict()`, a readable `repr`, `_repr_html_`
//! for Jupyter, equality and pickling. Each wraps the cx-core struct it mirrors.

use pyo3::prelude::*;
use pyo3::types::PyType;

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
/// method that calls the Python function `cxkit.plot.name(result, ax, **kwargs)`; `bytes =
/// "MAGIC"` adds a summary's `to_bytes()` and `from_bytes()` (see `crate::summary`).
macro_rules! result_class {
    (
        $py:ident, $name:literal, $core:ty,
        doc = $doc:literal,
        getters { $($field:ident : $ty:ty),* $(,)? },
        repr = |$s:ident| $repr:expr,
        html = |$h:ident| $html:expr
        $(, plot = $plot:literal)?
        $(, bytes = $magic:literal)?
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

            $(
                #[doc = concat!(
                    "Compact, versioned, checksummed bytes (magic \"", $magic,
                    "\"; identical from Rust, Python and Node)."
                )]
                fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
                    crate::summary::bytes(py, &self.inner)
                }
                /// Read bytes written by `to_bytes` (in any language).
                #[staticmethod]
                fn from_bytes(data: &[u8]) -> PyResult<Self> {
                    Ok(crate::summary::from_bytes::<$core>(data)?.into())
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
