//! Personas as callers meet them: the options of `personas` (names, defaults, accepted
//! strings, defined once), the columns they name, and the run over a [`Frame`]; the assignment
//! of new customers by a fitted model.
//!
//! The statistics are in [`crate::personas`]; this module turns what a caller gives (column
//! names, `k` as a number or a range, drivers and CX dimensions by column, CX scales and
//! weights) into its inputs.

use std::borrow::Cow;

use crate::api::frame::{base_name, Categories, ColumnUse, Frame};
use crate::api::input::scale_of;
use crate::api::value::{invalid, wrong_type, OptionType, Value};
use crate::cx_index::{dimension_index, CxMethod, CxOptions, DimWeights, Dimension};
use crate::error::Result;
use crate::personas::{
    personas, CategoricalFeature, CxColumns, NumericFeature, PersonaModel, PersonaOptions,
    Personas, ProfileColumns,
};
use crate::Scale;

const D: fn() -> PersonaOptions = PersonaOptions::default;

crate::value_option! {
    /// A number of personas, or `[k_min, k_max]`.
    KRange, "k_range"
}

crate::value_option! {
    /// Columns by name: column names, or a map {name: column}.
    NamedColumns, "named_columns"
}

crate::value_option! {
    /// Scales of CX dimensions: one scale for all, or a map by dimension name.
    DimScales, "dim_scales"
}

crate::value_option! {
    /// Weights of CX dimensions: "equal", one per dimension, or a map by dimension name.
    DimWeightsArg, "dim_weights"
}

crate::options! {
    /// Options of `personas`: which columns profile the personas, how k is chosen and how the
    /// clusters are found (defaults of [`PersonaOptions`]).
    pub struct PersonasOptions {
        /// Categorical feature columns (k-prototypes, Huang 1998, mismatch weight `gamma`).
        pub categorical: Vec<String> = Vec::new(),
        /// A fixed number of personas, or `[k_min, k_max]` (overrides `k_min` / `k_max`).
        pub k: Option<KRange> = None,
        /// Smallest k tried (default 2).
        pub k_min: usize = D().k_min,
        /// Largest k tried (default 6); the k with the highest mean silhouette wins.
        pub k_max: usize = D().k_max,
        /// Seed of every random choice (default 0): the same seed gives the same personas in
        /// Rust, Python and Node.
        pub seed: u64 = D().seed,
        /// Seeded k-means++ restarts per k, the best kept (default 10).
        pub n_init: usize = D().n_init,
        /// Iterations per restart at most (default 300).
        pub max_iter: usize = D().max_iter,
        /// Convergence tolerance (default 1e-4, scikit-learn's rule: stop when the prototypes
        /// moved by at most this much in total squared z-score distance; 0: only on no change).
        pub tol: f64 = D().tol,
        /// Weight of a categorical mismatch (default 0.5, Huang 1998).
        pub gamma: Option<f64> = D().gamma,
        /// Customers in the seeded silhouette sample (default 5000).
        pub silhouette_sample: usize = D().silhouette_sample,
        /// Column of the latest NPS answer (0-10) for each persona's NPS with its interval.
        pub nps: Option<String> = None,
        /// Column of revenue for each persona's revenue share.
        pub revenue: Option<String> = None,
        /// Column of lifetime value for each persona's mean CLV and CLV share.
        pub clv: Option<String> = None,
        /// Column of a 0/1 loyalty outcome for each persona's loyalty rate (Wilson interval).
        pub loyalty: Option<String> = None,
        /// Columns whose key drivers are found within each persona (standardised betas and LMG
        /// shares of R², no bootstrap) on the `loyalty` outcome (`nps` without one); the
        /// leading drivers become the persona's first needs. Column names (a `_latest` /
        /// `_mean` suffix is dropped from the driver's name) or a map {name: column}.
        pub drivers: Option<NamedColumns> = None,
        /// Columns of each customer's latest answer to each CX dimension, for each persona's CX
        /// index with its interval and band; names or a map {name: column} as `drivers`.
        pub cx_dims: Option<NamedColumns> = None,
        /// Scales of the CX dimensions, as the CX index's `scales`: one scale for all, or a map
        /// by dimension name (default 1-5).
        pub cx_scales: Option<DimScales> = None,
        /// Method of the CX index: "net" (default) or "mean".
        pub cx_method: CxMethod = CxMethod::Net,
        /// Weights of the CX dimensions: one per dimension, or a map by name (default equal).
        pub cx_dim_weights: Option<DimWeightsArg> = None,
        /// |z| at which a feature distinguishes a persona (default 0.5).
        pub threshold: f64 = D().threshold,
        /// Level of the Holm-adjusted persona-vs-rest Welch tests (default 0.05).
        pub alpha: f64 = D().alpha,
    }
}

impl PersonasOptions {
    /// The smallest and largest k tried: `k` (one number, or `[k_min, k_max]`), else
    /// `k_min` and `k_max`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] / [`CxError::WrongType`] for a `k` of another form.
    pub fn k_range(&self) -> Result<(usize, usize)> {
        match self.k.as_ref().map(|k| &k.0) {
            None => Ok((self.k_min, self.k_max)),
            Some(k @ Value::List(pair)) => match pair.as_slice() {
                [lo, hi] => Ok((usize::from_value("k", lo)?, usize::from_value("k", hi)?)),
                _ => Err(invalid("k", k, "(k_min, k_max)")),
            },
            Some(k) => usize::from_value("k", k).map(|k| (k, k)),
        }
    }

    /// The clustering options of [`personas`].
    ///
    /// # Errors
    /// As [`PersonasOptions::k_range`].
    pub fn persona_options(&self) -> Result<PersonaOptions> {
        let (k_min, k_max) = self.k_range()?;
        Ok(PersonaOptions {
            k_min,
            k_max,
            seed: self.seed,
            n_init: self.n_init,
            max_iter: self.max_iter,
            tol: self.tol,
            gamma: self.gamma,
            silhouette_sample: self.silhouette_sample,
            threshold: self.threshold,
            alpha: self.alpha,
        })
    }
}

/// `(name, column)` pairs of a `drivers` / `cx_dims` option: a column name, a list of them
/// (named by [`base_name`]) or a map {name: column}.
///
/// # Errors
/// [`CxError::InvalidArgument`] for anything else, naming the option.
pub fn named_columns(option: &'static str, spec: Option<&Value>) -> Result<Vec<(String, String)>> {
    let expected = "column names or a map {name: column}";
    let by_column = |v: &Value| match v {
        Value::Str(c) => Ok((base_name(c).to_string(), c.clone())),
        other => Err(invalid(option, other, expected)),
    };
    match spec {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(v @ Value::Str(_)) => Ok(vec![by_column(v)?]),
        Some(Value::List(items)) => items.iter().map(by_column).collect(),
        Some(Value::Map(pairs)) => pairs
            .iter()
            .map(|(name, v)| match v {
                Value::Str(c) => Ok((name.clone(), c.clone())),
                other => Err(invalid(option, other, expected)),
            })
            .collect(),
        Some(other) => Err(wrong_type(option, other, expected)),
    }
}

/// The columns `personas` reads for `features` and `o`, and how: the features, the
/// categorical features, the profile columns, the drivers' and the CX dimensions' columns.
///
/// # Errors
/// As [`named_columns`].
pub fn personas_columns(
    features: &[String],
    o: &PersonasOptions,
) -> Result<Vec<(String, ColumnUse)>> {
    let mut out: Vec<(String, ColumnUse)> = Vec::new();
    let mut add = |name: &str, used: ColumnUse| {
        if !out.iter().any(|(n, u)| n == name && *u == used) {
            out.push((name.to_string(), used));
        }
    };
    features.iter().for_each(|f| add(f, ColumnUse::Numeric));
    o.categorical
        .iter()
        .for_each(|f| add(f, ColumnUse::Categorical));
    for c in [&o.nps, &o.revenue, &o.clv, &o.loyalty]
        .into_iter()
        .flatten()
    {
        add(c, ColumnUse::Numeric);
    }
    for (_, c) in named_columns("drivers", o.drivers.as_ref().map(|v| &v.0))?
        .into_iter()
        .chain(named_columns("cx_dims", o.cx_dims.as_ref().map(|v| &v.0))?)
    {
        add(&c, ColumnUse::Numeric);
    }
    Ok(out)
}

/// The columns a fitted model reads to assign customers.
pub fn model_columns(model: &PersonaModel) -> Vec<(String, ColumnUse)> {
    let numeric = model
        .numeric
        .iter()
        .map(|f| (f.clone(), ColumnUse::Numeric));
    let categorical = model
        .categorical
        .iter()
        .map(|f| (f.clone(), ColumnUse::Categorical));
    numeric.chain(categorical).collect()
}

/// The CX dimensions named `names` on `scales`: none (1-5 for all), one scale for all (a
/// preset name, `[lowest, highest]` or `{lowest, highest, ...}`), or a map by dimension name
/// (1-5 for the dimensions it leaves out).
///
/// # Errors
/// The errors of [`scale_of`]; [`CxError::InvalidArgument`] for a map naming no dimension.
pub fn cx_dimensions(names: &[String], scales: Option<&Value>) -> Result<Vec<Dimension>> {
    let default = Scale::agreement();
    let mut dims: Vec<Dimension> = names
        .iter()
        .map(|n| Dimension::new(n.clone(), default))
        .collect();
    match scales {
        None | Some(Value::Null) => {}
        Some(Value::Map(pairs)) if scales.and_then(|s| s.get("lowest")).is_none() => {
            for (name, v) in pairs {
                let i = dimension_index(&dims, name)?;
                dims[i].scale = match v {
                    Value::Null => default,
                    v => scale_of(v)?,
                };
            }
        }
        Some(v) => {
            let scale = scale_of(v)?;
            dims.iter_mut().for_each(|d| d.scale = scale);
        }
    }
    Ok(dims)
}

/// The dimension weights of a `dim_weights` option named `option`: none or "equal", one
/// weight per dimension, or a map by dimension name.
///
/// # Errors
/// [`CxError::InvalidArgument`] / [`CxError::WrongType`] for another value; the errors of
/// [`DimWeights::by_name`].
pub fn dim_weights_of(
    option: &'static str,
    dims: &[Dimension],
    value: Option<&Value>,
) -> Result<DimWeights> {
    let expected = "none or \"equal\", a list of weights or a map by dimension name";
    let number = |v: &Value| v.as_f64().ok_or_else(|| wrong_type(option, v, expected));
    match value {
        None | Some(Value::Null) => Ok(DimWeights::Equal),
        Some(Value::Str(s)) if s.eq_ignore_ascii_case("equal") => Ok(DimWeights::Equal),
        Some(v @ Value::Str(_)) => Err(invalid(option, v, expected)),
        Some(Value::List(items)) => items
            .iter()
            .map(number)
            .collect::<Result<_>>()
            .map(DimWeights::Given),
        Some(Value::Map(pairs)) => {
            let pairs: Vec<(&str, f64)> = pairs
                .iter()
                .map(|(k, v)| Ok((k.as_str(), number(v)?)))
                .collect::<Result<_>>()?;
            DimWeights::by_name(dims, &pairs)
        }
        Some(other) => Err(wrong_type(option, other, expected)),
    }
}

/// Personas of the customers in `frame` on the numeric `features` and the options `o`.
///
/// # Errors
/// The errors of [`personas_columns`], of reading the columns ([`Frame::floats`]), of the CX
/// options and of [`personas`].
pub fn personas_of(frame: &Frame, features: &[String], o: &PersonasOptions) -> Result<Personas> {
    let options = o.persona_options()?;
    let columns = FeatureColumns::read(frame, features, &o.categorical)?;
    let profile = |name: &Option<String>| name.as_ref().map(|n| frame.floats(n)).transpose();
    let (nps, revenue) = (profile(&o.nps)?, profile(&o.revenue)?);
    let (clv, loyalty) = (profile(&o.clv)?, profile(&o.loyalty)?);
    let read = |pairs: &[(String, String)]| {
        pairs
            .iter()
            .map(|(_, c)| frame.floats(c))
            .collect::<Result<Vec<_>>>()
    };
    let drivers = named_columns("drivers", o.drivers.as_ref().map(|v| &v.0))?;
    let driver_values = read(&drivers)?;
    let cx_dims = named_columns("cx_dims", o.cx_dims.as_ref().map(|v| &v.0))?;
    let cx_values = read(&cx_dims)?;
    let cx = if cx_dims.is_empty() {
        None
    } else {
        let names: Vec<String> = cx_dims.iter().map(|(n, _)| n.clone()).collect();
        let dims = cx_dimensions(&names, o.cx_scales.as_ref().map(|v| &v.0))?;
        let options = CxOptions {
            method: o.cx_method,
            dim_weights: dim_weights_of(
                "cx_dim_weights",
                &dims,
                o.cx_dim_weights.as_ref().map(|v| &v.0),
            )?,
            ..CxOptions::default()
        };
        Some(CxColumns {
            dims,
            columns: cx_values.iter().map(|c| &**c).collect(),
            options,
        })
    };
    let driver_columns: Vec<NumericFeature> = drivers
        .iter()
        .zip(&driver_values)
        .map(|((name, _), values)| NumericFeature { name, values })
        .collect();
    let profile = ProfileColumns {
        nps: nps.as_deref(),
        revenue: revenue.as_deref(),
        clv: clv.as_deref(),
        loyalty: loyalty.as_deref(),
        cx: cx.as_ref(),
        drivers: &driver_columns,
    };
    personas(
        &columns.numeric(),
        &columns.categorical(),
        &profile,
        &options,
    )
}

/// The persona of each customer in `frame` (the model's feature columns; `None`: a missing
/// feature) under the fitted `model`.
///
/// # Errors
/// The errors of reading the columns and of [`PersonaModel::predict`].
pub fn assign(model: &PersonaModel, frame: &Frame) -> Result<Vec<Option<usize>>> {
    let read = FeatureColumns::read(frame, &model.numeric, &model.categorical)?;
    model.predict(&read.numeric(), &read.categorical())
}

/// The feature columns of a frame, read once by name: numbers (NaN for missing) and
/// categories (codes and labels); the features of [`personas`] and [`PersonaModel::predict`]
/// borrow them.
struct FeatureColumns<'a> {
    numeric: Vec<(&'a str, Cow<'a, [f64]>)>,
    categorical: Vec<(&'a str, Categories<'a>)>,
}

impl<'a> FeatureColumns<'a> {
    /// The columns `numeric` and `categorical` of `frame`.
    fn read(
        frame: &'a Frame<'_>,
        numeric: &'a [String],
        categorical: &'a [String],
    ) -> Result<Self> {
        Ok(FeatureColumns {
            numeric: numeric
                .iter()
                .map(|f| Ok((f.as_str(), frame.floats(f)?)))
                .collect::<Result<_>>()?,
            categorical: categorical
                .iter()
                .map(|f| Ok((f.as_str(), frame.categories(f)?)))
                .collect::<Result<_>>()?,
        })
    }

    /// The numeric features.
    fn numeric(&self) -> Vec<NumericFeature<'_>> {
        self.numeric
            .iter()
            .map(|(name, values)| NumericFeature { name, values })
            .collect()
    }

    /// The categorical features.
    fn categorical(&self) -> Vec<CategoricalFeature<'_>> {
        self.categorical
            .iter()
            .map(|(name, (codes, labels))| CategoricalFeature {
                name,
                codes,
                labels: labels.clone(),
            })
            .collect()
    }
}
