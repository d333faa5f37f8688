//! Entry points of the CX index: `cx_index` (the index of answers to several dimensions, or of
//! a `CxSummary`) and `cx_index_by` (its segment and trend tables), and the rules the bindings'
//! `CxSummary` classes share with them: dimensions and scales from names, dimension weights,
//! answers by name into a summary.

use std::borrow::Cow;

use crate::api::cx_tables::{cx_segment_table, cx_trend_table};
use crate::api::input::{visit_columns, ColumnsVisitor, Numbers};
use crate::api::segments::{only_with_period, trend_cells, GroupKeys, GroupOptions, TrendCells};
use crate::api::{scale_of, Args, Entry, Groups, Kind, OptionType, Options, Output, Param};
use crate::api::{Returns, Value};
use crate::cx_index::{
    cx_index, cx_segments, cx_trend, dimension_index, Bands, CxMethod, CxOptions, CxSegmentOptions,
    CxSummary, CxTrendOptions, DimWeights, Dimension, GroupedCxSummary, DEFAULT_DIMENSIONS,
};
use crate::error::{CxError, Result};
use crate::inference::DEFAULT_LEVEL;
use crate::tally::Rating;
use crate::Scale;

crate::options! {
    /// How a `CxSummary` is built from answers: the dimensions' scales and the missing-answer
    /// rule (the options of the bindings' `CxSummary` constructors).
    pub struct SummaryOptions {
        /// The dimensions' scale: one for every dimension (a preset name, (lowest, highest) or
        /// a scale spec) or a map of scales by dimension name; default 1-5 (top box 4-5, bottom
        /// box 1-2) for every dimension it does not name. Raw answers only: a CxSummary holds
        /// its scales.
        pub scales: Option<Value> = None,
        /// Count only respondents who answered every dimension (default false: a respondent
        /// counts in each dimension they answered, and overall when they answered at least
        /// one). Raw answers only: a CxSummary holds its rule.
        pub require_all: bool = false,
    }
}

crate::options! {
    /// How the index is computed from a summary.
    pub struct IndexOptions {
        /// "net" (default: per dimension the top-box share minus the bottom-box share, in
        /// points -100..100, the method of Forrester's original CX Index) or "mean" (the mean
        /// rescaled to 0-100, (x - lowest) / (highest - lowest) * 100, as the ACSI rescales its
        /// items).
        pub method: CxMethod = CxMethod::Net,
        /// Weights of the dimensions in the index, normalised to sum 1: null or "equal"
        /// (default), one weight per dimension in order, a map by dimension name, or a
        /// key-driver table ({driver: [...], lmg_share: [...]}, as key_drivers returns: each
        /// dimension weighted by its share of the outcome's R-squared).
        pub dim_weights: Option<Value> = None,
        /// Four increasing cut-offs between very poor | poor | okay | good | excellent, in
        /// index points (default [55, 65, 75, 85]: cxkit's convention modelled on Forrester's
        /// quality labels; set your own where your benchmark differs).
        pub bands: Option<Bands> = None,
        /// Confidence level, strictly between 0 and 1 (default 0.95).
        pub level: f64 = DEFAULT_LEVEL,
    }
}

crate::options! {
    /// Options of `cx_index`.
    pub struct CxIndexOptions {
        ..index: IndexOptions,
        ..summary: SummaryOptions,
    }
}

crate::options! {
    /// Options of `cx_index_by`.
    pub struct CxIndexByOptions {
        ..index: IndexOptions,
        ..summary: SummaryOptions,
        ..tests: GroupOptions,
    }
}

/// Bands as an option: four strictly increasing numbers.
impl OptionType for Bands {
    const TYPE: &'static str = "list";
    fn from_value(name: &'static str, value: &Value) -> Result<Self> {
        Bands::new(&<Vec<f64> as OptionType>::from_value(name, value)?)
    }
}

/// The dimensions `names` on the `scales` option (see [`SummaryOptions::scales`]): a map is by
/// dimension name unless it is a scale spec (`lowest` and `highest` keys).
///
/// # Errors
/// [`CxError::InvalidArgument`] (`dims`) for a scale given for an unknown dimension; the
/// errors of [`scale_of`].
pub fn dimensions_of(names: &[String], scales: Option<&Value>) -> Result<Vec<Dimension>> {
    let default = Scale::agreement();
    let mut dims: Vec<Dimension> = names
        .iter()
        .map(|n| Dimension::new(n.clone(), default))
        .collect();
    match scales {
        None | Some(Value::Null) => {}
        Some(map @ Value::Map(by_name))
            if map.get("lowest").is_none() || map.get("highest").is_none() =>
        {
            for (name, v) in by_name {
                let k = dimension_index(&dims, name)?;
                dims[k].scale = match v {
                    Value::Null => default,
                    v => scale_of(v)?,
                };
            }
        }
        Some(v) => {
            let scale = scale_of(v)?;
            for d in &mut dims {
                d.scale = scale;
            }
        }
    }
    Ok(dims)
}

/// The dimension weights of the `dim_weights` option (see [`IndexOptions::dim_weights`]).
///
/// # Errors
/// [`CxError::InvalidArgument`] for text other than "equal", or names that are not the
/// dimensions' (see [`DimWeights::by_name`]); [`CxError::WrongType`] for a value of no
/// accepted form.
pub fn dim_weights_of(dims: &[Dimension], value: Option<&Value>) -> Result<DimWeights> {
    const EXPECTED: &str = "null or \"equal\", a list of weights, a map by dimension name or a \
                            key-driver table";
    let number = |v: &Value| <f64 as OptionType>::from_value("dim_weights", v);
    match value {
        None | Some(Value::Null) => Ok(DimWeights::Equal),
        Some(Value::Str(s)) if s.eq_ignore_ascii_case("equal") => Ok(DimWeights::Equal),
        Some(Value::Str(s)) => Err(CxError::InvalidArgument {
            name: "dim_weights",
            value: format!("{s:?}"),
            expected: EXPECTED.into(),
        }),
        Some(Value::List(items)) => Ok(DimWeights::Given(
            items.iter().map(number).collect::<Result<_>>()?,
        )),
        Some(table @ Value::Map(entries)) => {
            let share = table.get("lmg_share").or_else(|| table.get("lmgShare"));
            let pairs: Vec<(String, f64)> = match (table.get("driver"), share) {
                (Some(Value::List(drivers)), Some(Value::List(shares))) => drivers
                    .iter()
                    .zip(shares)
                    .map(|(d, w)| {
                        let name = match d {
                            Value::Str(s) => s.clone(),
                            other => other.to_string(),
                        };
                        Ok((name, number(w)?))
                    })
                    .collect::<Result<_>>()?,
                _ => entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), number(v)?)))
                    .collect::<Result<_>>()?,
            };
            let pairs: Vec<(&str, f64)> = pairs.iter().map(|(k, w)| (k.as_str(), *w)).collect();
            DimWeights::by_name(dims, &pairs)
        }
        Some(other) => Err(CxError::WrongType {
            name: "dim_weights",
            value: other.to_string(),
            expected: EXPECTED.into(),
        }),
    }
}

/// The index options over the dimensions `dims`.
///
/// # Errors
/// As [`dim_weights_of`].
pub fn index_options(dims: &[Dimension], o: &IndexOptions) -> Result<CxOptions> {
    Ok(CxOptions {
        method: o.method,
        dim_weights: dim_weights_of(dims, o.dim_weights.as_ref())?,
        level: o.level,
        bands: o.bands.unwrap_or_default(),
    })
}

/// An empty summary of the dimensions `names` (default effectiveness, ease and emotion), built
/// as `options` say.
///
/// # Errors
/// As [`dimensions_of`] and [`CxSummary::new`].
pub fn new_summary(names: Option<&[String]>, options: &SummaryOptions) -> Result<CxSummary> {
    let defaults: Vec<String>;
    let names = match names {
        Some(n) => n,
        None => {
            defaults = DEFAULT_DIMENSIONS.iter().map(|s| s.to_string()).collect();
            &defaults
        }
    };
    let dims = dimensions_of(names, options.scales.as_ref())?;
    CxSummary::new(dims, options.require_all)
}

/// Build a summary (or one per group) from columns of one element type.
struct Build<'w> {
    dims: Vec<Dimension>,
    weights: Option<&'w [f64]>,
    require_all: bool,
    /// Dense group codes and the number of groups, for a grouped summary.
    groups: Option<(&'w [u32], usize)>,
}

enum Built {
    One(CxSummary),
    Grouped(GroupedCxSummary),
}

impl ColumnsVisitor for Build<'_> {
    type Out = Result<Built>;
    fn visit<T: Rating>(self, columns: &[&[T]]) -> Result<Built> {
        match self.groups {
            None => CxSummary::from_columns(self.dims, columns, self.weights, self.require_all)
                .map(Built::One),
            Some((codes, n)) => GroupedCxSummary::from_columns(
                self.dims,
                codes,
                0,
                n,
                columns,
                self.weights,
                self.require_all,
            )
            .map(Built::Grouped),
        }
    }
}

/// Add the answers `columns` (by dimension name, every dimension once, in any order) to
/// `summary`; on error it is left as it was.
///
/// # Errors
/// [`CxError::InvalidArgument`] (`dims`) for a name that is no dimension of the summary or a
/// dimension without a column; as [`CxSummary::extend`].
pub fn extend_summary(
    summary: &mut CxSummary,
    columns: &[(String, Numbers<'_>)],
    weights: Option<&[f64]>,
) -> Result<()> {
    let dims = summary.dims();
    let mut ordered: Vec<Option<Numbers>> = vec![None; dims.len()];
    for (name, column) in columns {
        ordered[dimension_index(dims, name)?] = Some(*column);
    }
    let missing: Vec<&str> = dims
        .iter()
        .zip(&ordered)
        .filter(|(_, c)| c.is_none())
        .map(|(d, _)| d.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(CxError::InvalidArgument {
            name: "dims",
            value: format!("no answers for {missing:?}"),
            expected: "one array of answers per dimension".into(),
        });
    }
    let columns: Vec<Numbers> = ordered.into_iter().flatten().collect();
    let build = Build {
        dims: dims.to_vec(),
        weights,
        require_all: summary.require_all(),
        groups: None,
    };
    match visit_columns(&columns, build)? {
        Built::One(part) => summary.merge(&part),
        Built::Grouped(_) => unreachable!("no groups were asked for"),
    }
}

/// The position of the dimension `dim` of `summary`: its name, or its position.
///
/// # Errors
/// [`CxError::InvalidArgument`] (`dims`) for an unknown name or a position past the last.
pub fn dimension_of(summary: &CxSummary, dim: &Value) -> Result<usize> {
    let dims = summary.dims();
    match dim {
        Value::Str(name) => dimension_index(dims, name),
        v => {
            let k = <usize as OptionType>::from_value("dims", v)?;
            if k < dims.len() {
                Ok(k)
            } else {
                Err(CxError::InvalidArgument {
                    name: "dims",
                    value: k.to_string(),
                    expected: format!("a position below {}", dims.len()),
                })
            }
        }
    }
}

/// The answers of the `dims` input with their names, the row count, and the weights.
struct Answers<'a> {
    names: Vec<String>,
    columns: Vec<Numbers<'a>>,
    weights: Option<Cow<'a, [f64]>>,
}

impl<'a> Answers<'a> {
    fn of(a: &Args<'a>) -> Result<Answers<'a>> {
        let (names, columns) = a.columns("dims")?.into_iter().unzip();
        Ok(Answers {
            names,
            columns,
            weights: a.floats("weights")?,
        })
    }

    fn rows(&self) -> usize {
        self.columns.first().map_or(0, Numbers::len)
    }

    fn build(&self, options: &SummaryOptions, groups: Option<(&[u32], usize)>) -> Result<Built> {
        let dims = dimensions_of(&self.names, options.scales.as_ref())?;
        let build = Build {
            dims,
            weights: self.weights.as_deref(),
            require_all: options.require_all,
            groups,
        };
        visit_columns(&self.columns, build)
    }
}

fn given_with_summary(name: &'static str, what: &str) -> CxError {
    CxError::InvalidArgument {
        name,
        value: "given with a CxSummary".into(),
        expected: format!("no {what}: the summary holds its own"),
    }
}

fn run_cx_index(a: &Args) -> Result<Output> {
    let o: CxIndexOptions = a.options()?;
    let built;
    let summary = match a.object::<CxSummary>("dims") {
        Ok(Some(s)) => {
            if a.numbers("weights")?.is_some() {
                return Err(given_with_summary("weights", "weights"));
            }
            if o.summary.scales.is_some() {
                return Err(given_with_summary("scales", "scales"));
            }
            if o.summary.require_all {
                return Err(given_with_summary("require_all", "missing-answer rule"));
            }
            s
        }
        _ => match Answers::of(a)?.build(&o.summary, None)? {
            Built::One(s) => {
                built = s;
                &built
            }
            Built::Grouped(_) => unreachable!("no groups were asked for"),
        },
    };
    let options = index_options(summary.dims(), &o.index)?;
    Ok(cx_index(summary, &options)?.into())
}

fn run_cx_index_by(a: &Args) -> Result<Output> {
    let o: CxIndexByOptions = a.options()?;
    if let Ok(Some(_)) = a.object::<CxSummary>("dims") {
        return Err(CxError::InvalidArgument {
            name: "dims",
            value: "a CxSummary".into(),
            expected: "answers by dimension: a summary has no rows to group".into(),
        });
    }
    let answers = Answers::of(a)?;
    let dims = dimensions_of(&answers.names, o.summary.scales.as_ref())?;
    let index = index_options(&dims, &o.index)?;
    let tests = &o.tests;
    let by = a.keys("by")?;
    let rows = answers.rows();
    let Some(period) = a.dates("period")? else {
        only_with_period("window", tests.window.is_some())?;
        let groups = Groups::new(&by, rows, "by")?;
        let reference = tests
            .reference
            .as_ref()
            .map(|r| groups.find(r))
            .transpose()?;
        let options = CxSegmentOptions {
            index,
            alpha: tests.alpha,
            adjust: tests.adjust,
            min_base: tests.min_base,
            reference,
        };
        let Built::Grouped(grouped) =
            answers.build(&o.summary, Some((&groups.codes, groups.len())))?
        else {
            unreachable!("groups were asked for")
        };
        let table = cx_segments(&grouped, &options)?;
        let labels = GroupKeys::of(&groups, reference.is_some());
        return Ok(Output::Table(cx_segment_table(
            &table,
            &answers.names,
            labels,
        )));
    };
    let TrendCells {
        groups,
        periods,
        stride,
        codes,
        cells,
    } = trend_cells(&by, &period, rows, tests)?;
    let options = CxTrendOptions {
        index,
        alpha: tests.alpha,
        adjust: tests.adjust,
        min_base: tests.min_base,
        window: tests.window,
    };
    // The options are checked even when there is no period to compute.
    cx_trend(&[], &options)?;
    let Built::Grouped(grouped) = answers.build(&o.summary, Some((&codes, cells)))? else {
        unreachable!("groups were asked for")
    };
    let mut rows = Vec::with_capacity(groups.len() * periods.n_periods);
    for g in 0..groups.len() {
        let cell = &grouped.groups()[g * stride..g * stride + periods.n_periods];
        rows.extend(cx_trend(cell, &options)?.into_iter().map(|r| (g as u32, r)));
    }
    let labels = GroupKeys::of(&groups, false);
    Ok(Output::Table(cx_trend_table(
        &rows,
        &periods,
        tests.window.is_some(),
        &answers.names,
        labels,
    )))
}

const DIMS_DOC: &str = "The answers: one numeric column per dimension, by name, in the order \
                        wanted (NaN, None and null are missing); in Python also a DataFrame \
                        (dims names its columns: default effectiveness, ease, emotion), a list \
                        of arrays or a 2-D array (rows are respondents) with dims naming them.";

const WEIGHTS: Param = Param {
    name: "weights",
    kind: Kind::Numbers,
    positional: false,
    required: false,
    doc: "One weight per respondent (0 or between 1e-100 and 1e100); not with a CxSummary, \
          which holds its weights.",
    aliases: &[],
    column: None,
};

/// Every entry point of this module.
pub(super) static ENTRIES: &[Entry] = &[
    Entry {
        name: "cx_index",
        module: "cx_index",
        doc: "CX index: experience quality across dimensions (by default Forrester's \
              effectiveness, ease and emotion on 1-5). Per dimension the 'net' score (top-box \
              share minus bottom-box share, points -100..100) or the 'mean' score (rescaled to \
              0-100), then their weighted average, with delta-method standard errors and Wald \
              intervals that account for the dimensions being answered by the same \
              respondents, a quality band and the weakest dimension. Defaults: method 'net', \
              equal dimension weights, level 0.95, bands [55, 65, 75, 85], scales 1-5.",
        params: &[
            Param {
                name: "dims",
                kind: Kind::Dimensions,
                positional: true,
                required: true,
                doc: DIMS_DOC,
                aliases: &[],
                column: None,
            },
            WEIGHTS,
        ],
        options: CxIndexOptions::fields,
        returns: Returns::Record("CxIndex"),
        run: run_cx_index,
    },
    Entry {
        name: "cx_index_by",
        module: "cx_index",
        doc: "The CX index by group, in one pass: a segment table (each group's index in \
              points with its band, weakest dimension and per-dimension scores, compared with \
              the rest of the data by a z test on the delta-method standard errors, p-values \
              adjusted across the groups of at least min_base respondents), or with a period a \
              trend table by group and period (the change from the previous period and, with a \
              window, a trailing rolling index). Defaults as cx_index, and alpha 0.05, adjust \
              'holm', min_base 30, freq 'month'.",
        params: &[
            Param {
                name: "dims",
                kind: Kind::Columns,
                positional: true,
                required: true,
                doc: DIMS_DOC,
                aliases: &[],
                column: None,
            },
            Param {
                name: "by",
                kind: Kind::Keys,
                positional: true,
                required: false,
                doc: "Group keys: one key column, or a list of key columns whose combinations \
                      are the groups; keys are strings or integers, and missing keys form a \
                      group labelled \"(missing)\". None / null for one group of every row.",
                aliases: &["keys"],
                column: None,
            },
            WEIGHTS,
            Param {
                name: "period",
                kind: Kind::Dates,
                positional: false,
                required: false,
                doc: "One date per respondent: a trend table by freq instead of a segment \
                      table. Rows with a missing date are left out (their number is the \
                      table's `excluded`).",
                aliases: &["dates"],
                column: None,
            },
        ],
        options: CxIndexByOptions::fields,
        returns: Returns::Table(&["cx_segments", "cx_trend"]),
        run: run_cx_index_by,
    },
];
