//! The contract: every public entry point as Python and Node callers see it, defined once.
//!
//! cxkit has one core and two bindings. So that the three languages cannot drift, everything a
//! caller can observe is defined here and nowhere else:
//!
//! - **Entry points** ([`Entry`], listed in [`ENTRIES`]): the name (`nps`; Node spells it
//!   `npsBy` for `nps_by`), the module it belongs to, the inputs ([`Param`]: positional
//!   columns, named columns such as `weights`, and named values such as `scale`), the options
//!   struct, what it returns, and the function that runs it from [`Args`].
//! - **Options** ([`options!`](crate::options)): names, types, defaults, accepted strings
//!   ([`choice!`](crate::choice)) and docs, parsed from the [`Value`]s a binding hands in.
//! - **Results** ([`Record`]): the result structs, serialised with serde; the bindings convert
//!   them generically (pythonize; napi's serde support with camelCase keys).
//! - **Tables** ([`Table`] with a [`TableSpec`]): named, typed columns that each binding
//!   renders in its idiom.
//!
//! A binding converts arguments by the kind its [`Param`] declares, calls [`Entry::run`] and
//! converts the [`Output`] and errors; the Python stub and the TypeScript declarations are
//! generated from [`ENTRIES`] (see `scripts/contract.sh`), and a test in each language checks
//! that every entry point exists there with these option names, defaults and choices.
//!
//! ```
//! use cx_core::api::{self, Args, Input, Numbers, Output, Value};
//!
//! let scores = [10u8, 9, 9, 8, 7, 6, 3, 10, 9, 0];
//! let mut args = Args::new();
//! args.input("values", Input::Numbers(Numbers::U8(&scores)))
//!     .option("method", Value::Str("wald".into()));
//! let out = api::call("nps", &args)?;
//! let Output::Record(api::Record::Nps(r)) = out else { unreachable!() };
//! assert!((r.estimate - 20.0).abs() < 1e-12);
//! # Ok::<(), cx_core::CxError>(())
//! ```

mod balance;
mod clv;
pub mod customer_view;
mod cx_index;
mod cx_tables;
mod dates;
mod frame;
mod input;
pub mod keyed;
mod keys;
mod log;
mod loyalty;
mod loyalty_tables;
mod metrics;
mod options;
mod persona_tables;
pub mod personas;
mod record;
mod retention;
mod segments;
mod table;
mod value;

#[cfg(test)]
mod clv_tests;
#[cfg(test)]
mod cx_index_tests;
#[cfg(test)]
mod loyalty_tests;
#[cfg(test)]
mod personas_tests;
#[cfg(test)]
mod retention_tests;
#[cfg(test)]
mod segments_tests;
#[cfg(test)]
mod tests;

pub use cx_index::{
    dim_weights_of, dimension_of, dimensions_of, extend_summary, index_options, new_summary,
    CxIndexByOptions, CxIndexOptions, IndexOptions, SummaryOptions,
};
pub use cx_tables::{CX_SEGMENTS, CX_TREND};
pub use dates::{parse_iso_ms, DateColumn, DateValue};
pub use frame::{base_name, ColumnUse, Frame, FrameColumn};
pub use input::{
    scale_of, visit_columns, Args, ColumnSet, ColumnsVisitor, GroupArg, Input, Numbers,
    NumbersVisitor,
};
pub use keys::{group_label, key_tuple, same_text, Groups, KeyColumn, KeyValue};
pub use options::{field, optional_of, Field, Options, Required};
pub use persona_tables::{persona_drivers_table, PERSONA_DRIVERS};
#[cfg(feature = "schema")]
pub use record::record_schemas;
pub use record::Record;
pub use segments::{segment_table, GroupKeys, GroupOptions, SEGMENTS, TREND};
pub use table::{ColumnData, ColumnSpec, ColumnType, GroupLabels, Table, TableSpec};
pub use value::{
    choice_error, choice_error_of, choice_name, parse_choice, Choice, OptionType, Value,
};

use crate::error::{CxError, Result};

/// How a binding reads an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Ratings: a numeric array (NaN / None / null missing) or a `Tally`.
    Ratings,
    /// Ratings as a numeric array only (entry points that group them read raw answers).
    Scores,
    /// A numeric array (weights, amounts, days).
    Numbers,
    /// A rating scale: a preset name, `(lowest, highest)`, a spec object or a `Scale`.
    Scale,
    /// Group keys: a key column (strings, integers, missing) or a list of key columns.
    Keys,
    /// Dates: days, `Date` objects, epoch milliseconds or ISO 8601 strings.
    Dates,
    /// Named numeric columns: a map of name to numeric column, in order (a dict or an object
    /// of arrays; in Python also a DataFrame's columns, a list of arrays or a 2-D array).
    Columns,
    /// Answers to several dimensions: named numeric columns as [`Kind::Columns`], or a
    /// `CxSummary` already built from them.
    Dimensions,
    /// A summary object of the caller's that the entry point reads in place of its columns
    /// (an `Activity`).
    Summary,
    /// One numeric column, or several as a list or a dict / object of columns, named or not
    /// (each column may also be a summary of it, such as a `JointTally`).
    ColumnSet,
    /// Who is in a group of a comparison: a name or a `(lowest, highest)` range of rating
    /// points, a 0/1 mask column, or one or more labels; the bindings hand text and plain
    /// lists in as option values and numeric arrays as columns, and the core reads them.
    Group,
    /// One number, handed in as a [`Value`] (like an option) and read by the entry point.
    Number,
    /// A number or an array of numbers, handed in as a [`Value`].
    NumberOrArray,
    /// A response curve: a `ResponseCurve` or a map `{ceiling, k}`, handed in as a [`Value`].
    Curve,
    /// An object whose fields supply the entry point's numeric inputs not given, by name: a
    /// DataFrame (its columns), an `Rfm` result or a dict in Python, an object in Node. The
    /// bindings read it; the core never sees it.
    Fields,
}

impl Kind {
    /// Whether a binding hands this input in as a [`Value`] (read by the entry point with
    /// [`Args::value`]) rather than as a column or an object.
    pub fn is_value(self) -> bool {
        matches!(self, Kind::Number | Kind::NumberOrArray | Kind::Curve)
    }
}

/// One input of an entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Param {
    /// Its name in snake case.
    pub name: &'static str,
    /// How bindings read it.
    pub kind: Kind,
    /// Passed by position (`nps(values)`), else by name (`weights=`, `{ weights }`).
    pub positional: bool,
    /// Whether it must be given.
    pub required: bool,
    /// What it is, with its default when it has one.
    pub doc: &'static str,
    /// Other names it is accepted under (deprecated spellings kept for existing callers).
    pub aliases: &'static [&'static str],
    /// With a DataFrame (Python's `data=`), the column read when the input is not given
    /// (`"retained"`); a binding drops it when the frame has no such column.
    pub column: Option<&'static str>,
}

/// What an entry point returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Returns {
    /// A result struct of [`Record`], by type name.
    Record(&'static str),
    /// A table of one of the named schemas (the first without a period, the second with
    /// one, for the grouped metrics).
    Table(&'static [&'static str]),
    /// A record that Python renders as a DataFrame of the table schema (see [`frame`]: its
    /// rows, its other figures as the DataFrame's attrs) and Node returns as an object.
    Frame {
        /// The record's type name.
        record: &'static str,
        /// The table schema of its DataFrame.
        table: &'static str,
    },
    /// For one input column, a record; for several (a list or a dict of columns), a table
    /// with one row per column.
    Each {
        /// The record's type name.
        record: &'static str,
        /// The table schema.
        table: &'static str,
    },
    /// A summary object the caller keeps (merges, serialises): a class of each binding.
    Summary(&'static str),
    /// One number.
    Number,
}

/// What an entry point produced.
// Built once per call and handed straight to a binding, never stored in bulk: the size of the
// largest result struct costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A result struct.
    Record(Record),
    /// A table.
    Table(Table),
    /// One number.
    Number(f64),
    /// A summary object, which each binding wraps in its class of the same name.
    Summary(Summary),
}

/// A summary object an entry point built, for the caller to keep, merge and send.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Summary {
    /// A [`crate::JointTally`] (exposure group x a 0/1 outcome).
    JointTally(crate::JointTally),
    /// A transaction log's [`crate::Activity`].
    Activity(crate::Activity),
}

impl Summary {
    /// The class name (`"JointTally"`), the same in Rust, Python and Node.
    pub fn type_name(&self) -> &'static str {
        match self {
            Summary::JointTally(_) => "JointTally",
            Summary::Activity(_) => "Activity",
        }
    }
}

impl<T: Into<Record>> From<T> for Output {
    fn from(r: T) -> Self {
        Output::Record(r.into())
    }
}

/// One entry point of the contract.
#[derive(Clone, Copy)]
pub struct Entry {
    /// Its name in snake case (`nps_by`); Node spells it in camel case (`npsBy`).
    pub name: &'static str,
    /// The module of the Rust core (and the binding modules) it belongs to.
    pub module: &'static str,
    /// What it computes: one paragraph, with the defaults and their sources.
    pub doc: &'static str,
    /// Its inputs.
    pub params: &'static [Param],
    /// Its options.
    pub options: fn() -> Vec<Field>,
    /// What it returns.
    pub returns: Returns,
    /// Run it.
    pub run: fn(&Args) -> Result<Output>,
}

impl Entry {
    /// Run this entry point on `args`.
    ///
    /// # Errors
    /// The entry point's own errors.
    pub fn call(&self, args: &Args) -> Result<Output> {
        (self.run)(&args.for_params(self.params))
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry").field("name", &self.name).finish()
    }
}

impl serde::Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Entry", 6)?;
        st.serialize_field("name", self.name)?;
        st.serialize_field("module", self.module)?;
        st.serialize_field("doc", self.doc)?;
        st.serialize_field("params", self.params)?;
        st.serialize_field("options", &(self.options)())?;
        st.serialize_field("returns", &self.returns)?;
        st.end()
    }
}

/// Every entry point, in the order the docs list them.
pub static ENTRIES: &[&[Entry]] = &[
    metrics::ENTRIES,
    segments::ENTRIES,
    cx_index::ENTRIES,
    retention::ENTRIES,
    loyalty::ENTRIES,
    clv::ENTRIES,
    balance::ENTRIES,
];

/// The fields of an options struct, as its `fields()` lists them.
pub type FieldsOf = fn() -> Vec<Field>;

/// The options of the classes' methods (which are not entry points), by the name the
/// declarations give them: for the generated TypeScript interfaces and the contract tests.
pub static METHOD_OPTIONS: &[(&str, FieldsOf)] = &[
    ("KeyedSegmentsOptions", keyed::KeyedSegmentsOptions::fields),
    ("PersonaOptions", personas::PersonasOptions::fields),
    ("CustomerViewOptions", customer_view::ViewOptions::fields),
    ("CxSummaryOptions", cx_index::SummaryOptions::fields),
    ("ClvOptions", crate::clv::ClvOptions::fields),
];

/// The entry point `name`.
pub fn entry(name: &str) -> Option<&'static Entry> {
    ENTRIES
        .iter()
        .flat_map(|m| m.iter())
        .find(|e| e.name == name)
}

/// Every entry point, flattened.
pub fn entries() -> impl Iterator<Item = &'static Entry> {
    ENTRIES.iter().flat_map(|m| m.iter())
}

/// Run the entry point `name` on `args`.
///
/// # Errors
/// [`CxError::InvalidArgument`] for an unknown name; the entry point's own errors.
pub fn call(name: &str, args: &Args) -> Result<Output> {
    let e = entry(name).ok_or_else(|| CxError::InvalidArgument {
        name: "entry",
        value: format!("{name:?}"),
        expected: "the name of a cxkit function".into(),
    })?;
    e.call(args)
}

/// The whole contract as JSON: entry points (with their options' defaults and choices),
/// table schemas and error codes. The generators of the Python stub and the TypeScript
/// declarations, and the contract tests of both bindings, read this.
pub fn contract_json() -> String {
    let entries: Vec<&Entry> = entries().collect();
    let methods: serde_json::Map<String, serde_json::Value> = METHOD_OPTIONS
        .iter()
        .map(|(name, fields)| {
            let fields = serde_json::to_value(fields()).unwrap_or(serde_json::Value::Null);
            (name.to_string(), fields)
        })
        .collect();
    serde_json::json!({
        "entries": entries,
        "method_options": methods,
        "tables": table_specs(),
        "records": Record::TYPES,
        "errors": CxError::CODES,
    })
    .to_string()
}

/// Every table schema.
pub fn table_specs() -> Vec<&'static TableSpec> {
    [
        segments::TABLES,
        cx_tables::TABLES,
        loyalty_tables::TABLES,
        persona_tables::TABLES,
    ]
    .concat()
}

/// The table of a record that Python renders as a DataFrame ([`Returns::Frame`],
/// [`Returns::Each`]); `None` for other records.
pub fn frame(record: &Record) -> Option<Table> {
    loyalty_tables::frame(record)
}

/// The table schema `name`.
pub fn table_spec(name: &str) -> Option<&'static TableSpec> {
    table_specs().into_iter().find(|t| t.name == name)
}
