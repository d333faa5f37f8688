//! Tables with a named schema: the one shape every table-valued entry point returns.
//!
//! The core fills the columns; each binding renders them in its language's idiom (a pandas or
//! polars DataFrame of the caller's library in Python, an array of plain row objects with
//! camelCase keys in Node). Column names and types are declared once, in a [`TableSpec`], and
//! the contract documents them from there.

use serde::Serialize;

/// The type of a column's values (a missing value is `None` / `null` in every type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// Doubles.
    Number,
    /// Whole numbers (counts), exact up to 2^53.
    Count,
    /// Booleans.
    Bool,
    /// Text.
    Text,
    /// Calendar days since 1970-01-01 (a date in Python, an ISO date string in Node).
    Day,
    /// Dense group codes `0..groups`, which the binding maps back to the caller's keys.
    Group,
    /// Signed whole numbers (rating points).
    Integer,
    /// Doubles by name, the names known only with the data (e.g. one score per dimension): a
    /// column per name in Python, an object keyed by name in Node.
    Named,
}

/// One column of a table schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ColumnSpec {
    /// Its name in snake case (Node spells it in camel case).
    pub name: &'static str,
    /// The type of its values.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// What it holds, with its unit.
    pub doc: &'static str,
    /// Present only under a condition the doc names (e.g. with a `reference`).
    pub optional: bool,
    /// Never null (every row has a value).
    pub always: bool,
}

/// A table schema: the name by which the contract refers to it, and its columns in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TableSpec {
    /// The schema's name (`"segments"`, `"trend"`, ...).
    pub name: &'static str,
    /// What one row is.
    pub doc: &'static str,
    /// The columns, in order.
    pub columns: &'static [ColumnSpec],
    /// Figures about the whole table (Python: the DataFrame's `attrs`; numbers or counts).
    pub attrs: &'static [ColumnSpec],
}

impl TableSpec {
    /// The spec of the column `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// The values of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ColumnData {
    /// Doubles, `None` where a row has no value.
    Number(Vec<Option<f64>>),
    /// Counts.
    Count(Vec<Option<u64>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
    /// Text.
    Text(Vec<Option<String>>),
    /// Days since 1970-01-01.
    Day(Vec<Option<i64>>),
    /// Dense group codes.
    Group(Vec<u32>),
    /// Signed whole numbers.
    Integer(Vec<Option<i64>>),
    /// Doubles by name: per row, one value (or `None`) per name, in the order of `names`.
    Named {
        /// The names, in order.
        names: Vec<String>,
        /// Per row, the value of each name.
        rows: Vec<Vec<Option<f64>>>,
    },
}

impl ColumnData {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Number(v) => v.len(),
            ColumnData::Count(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Text(v) => v.len(),
            ColumnData::Day(v) => v.len(),
            ColumnData::Group(v) => v.len(),
            ColumnData::Integer(v) => v.len(),
            ColumnData::Named { rows, .. } => rows.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The keys of the groups a table's `group` column codes, for the bindings to render (a key
/// column each in Python, a label and a key array in Node).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLabels {
    /// Per group, the code of its key in each key column (for a binding that factorized the
    /// keys itself: the index into its own labels).
    pub column_codes: Vec<Vec<u32>>,
    /// Per group, its key in each key column.
    pub keys: Vec<Vec<crate::grouping::Key>>,
}

/// A table: its schema and the columns present, in schema order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// The schema.
    #[serde(skip)]
    pub spec: &'static TableSpec,
    /// The columns present (optional ones may be left out), each as long as the others.
    pub columns: Vec<(&'static str, ColumnData)>,
    /// Figures about the whole table (e.g. `excluded`: rows left out for a missing date).
    pub attrs: Vec<(&'static str, f64)>,
    /// The keys of the groups of the `group` column, if it has one.
    pub groups: Option<GroupLabels>,
}

impl Table {
    /// An empty table of schema `spec`.
    pub fn new(spec: &'static TableSpec) -> Self {
        Table {
            spec,
            columns: Vec::new(),
            attrs: Vec::new(),
            groups: None,
        }
    }

    /// Add the column `name`, which must be in the schema with the type of `data` (a bug
    /// otherwise: checked in debug builds and by the tests of every table).
    pub fn push(&mut self, name: &'static str, data: ColumnData) -> &mut Self {
        debug_assert!(
            self.spec.column(name).is_some(),
            "column {name} is not in the {} schema",
            self.spec.name
        );
        self.columns.push((name, data));
        self
    }

    /// Add a figure about the whole table.
    pub fn attr(&mut self, name: &'static str, value: f64) -> &mut Self {
        self.attrs.push((name, value));
        self
    }

    /// The column `name`, if present.
    pub fn column(&self, name: &str) -> Option<&ColumnData> {
        self.columns
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }
}

/// Declare a table schema once: `table_spec!(pub NAME, "name", "doc", [(col, Type, "doc"),
/// ...])`; a column written `(col, Type, "doc", optional)` is present only under the condition
/// its doc names, one written `(col, Type, "doc", always)` is never null. Figures about the
/// whole table follow as `attrs [(name, Type, "doc"), ...]`.
#[macro_export]
#[doc(hidden)]
macro_rules! table_spec {
    ($(#[$meta:meta])* $vis:vis $konst:ident, $name:literal, $doc:literal, [
        $(($col:ident, $ty:ident, $cdoc:literal $(, $flag:ident)?)),* $(,)?
    ] $(, attrs [$(($attr:ident, $aty:ident, $adoc:literal)),* $(,)?])? $(,)?) => {
        $(#[$meta])*
        $vis static $konst: $crate::api::TableSpec = $crate::api::TableSpec {
            name: $name,
            doc: $doc,
            columns: &[$($crate::api::ColumnSpec {
                name: stringify!($col),
                ty: $crate::api::ColumnType::$ty,
                doc: $cdoc,
                optional: $crate::table_spec!(@optional $($flag)?),
                always: $crate::table_spec!(@always $($flag)?),
            }),*],
            attrs: &[$($($crate::api::ColumnSpec {
                name: stringify!($attr),
                ty: $crate::api::ColumnType::$aty,
                doc: $adoc,
                optional: false,
                always: true,
            }),*)?],
        };
    };
    (@optional optional) => { true };
    (@optional $($flag:ident)?) => { false };
    (@always always) => { true };
    (@always $($flag:ident)?) => { false };
}
