//! The one error type of cxkit.
//!
//! Every fallible function returns [`CxError`]. Each variant carries what went wrong and where
//! (the index and value of the offending element, the expected range), and has a stable
//! snake-case [`code`](CxError::code) that the Python and Node bindings map to an exception
//! class and to a JavaScript `Error.code` (`"out_of_scale"` becomes `CX_OUT_OF_SCALE`).
//!
//! The error serialises with serde as an object tagged by `code`, so a binding can copy every
//! detail field onto its own error object without a per-variant table.

use serde::Serialize;

/// Result alias used throughout cxkit.
pub type Result<T, E = CxError> = std::result::Result<T, E>;

/// Everything that can go wrong in cxkit.
///
/// Values are reported as `f64` whatever the input type, since every input type converts to it
/// exactly enough to name the culprit.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CxError {
    /// A rating outside the scale (including infinities).
    #[error("value {} at index {index} is outside the scale {lowest}..={highest}", num(*.value))]
    OutOfScale {
        /// Position of the value in the input.
        index: usize,
        /// The offending value.
        value: f64,
        /// Lowest point of the scale.
        lowest: i32,
        /// Highest point of the scale.
        highest: i32,
    },

    /// A rating that is not a whole number, on an integer scale.
    #[error(
        "value {value} at index {index} is not an integer point of the scale {lowest}..={highest}"
    )]
    NonInteger {
        /// Position of the value in the input.
        index: usize,
        /// The offending value.
        value: f64,
        /// Lowest point of the scale.
        lowest: i32,
        /// Highest point of the scale.
        highest: i32,
    },

    /// A weight that is negative, NaN, infinite, or positive but outside
    /// [`MIN_WEIGHT`](crate::tally::MIN_WEIGHT)..=[`MAX_WEIGHT`](crate::tally::MAX_WEIGHT).
    #[error(
        "weight {} at index {index} is invalid: weights must be 0 or between 1e-100 and \
         1e100 (only their ratios matter, so rescale weights outside that range)",
        num(*.value)
    )]
    InvalidWeight {
        /// Position of the weight in the input.
        index: usize,
        /// The offending weight.
        value: f64,
    },

    /// Two inputs that must have the same length do not.
    #[error("length mismatch: {left_name} has {left} elements but {right_name} has {right}")]
    LengthMismatch {
        /// Name of the first input (e.g. `"values"`).
        left_name: &'static str,
        /// Its length.
        left: usize,
        /// Name of the second input (e.g. `"weights"`).
        right_name: &'static str,
        /// Its length.
        right: usize,
    },

    /// No usable observation: every value missing, no value at all, or all weights zero.
    #[error("empty input: {what}")]
    EmptyInput {
        /// What was empty, in words.
        what: String,
    },

    /// Too few observations for the requested estimate (e.g. a standard deviation from one value).
    #[error("insufficient data: {what} needs at least {needed} observations, got {got}")]
    InsufficientData {
        /// The estimate that could not be formed.
        what: String,
        /// Observations needed.
        needed: u64,
        /// Observations available.
        got: u64,
    },

    /// A test statistic is undefined because its standard error is zero.
    #[error("zero variance: {what}")]
    ZeroVariance {
        /// What has no variance, in words.
        what: String,
    },

    /// A confidence level outside the open interval (0, 1).
    #[error(
        "invalid confidence level {}: expected a number strictly between 0 and 1",
        num(*.value)
    )]
    InvalidLevel {
        /// The offending level.
        value: f64,
    },

    /// A scale that cannot exist (lowest above highest, more than 101 points, thresholds outside).
    #[error("invalid scale: {reason}")]
    InvalidScale {
        /// Why, in words.
        reason: String,
    },

    /// Two summaries on different scales cannot be merged or compared.
    #[error("scale mismatch: {left} vs {right}")]
    ScaleMismatch {
        /// Description of the first scale.
        left: String,
        /// Description of the second scale.
        right: String,
    },

    /// A serialised summary that cannot be read (wrong magic, version, length, checksum, content).
    #[error("unreadable serialised summary: {reason}")]
    UnreadableSummary {
        /// Why, in words.
        reason: String,
    },

    /// A group code not below the number of groups.
    #[error(
        "group code {group} at index {index} is out of range: there are {groups} groups \
         (codes 0..{groups})"
    )]
    GroupOutOfRange {
        /// Position of the code in the input.
        index: usize,
        /// The offending group code (negative for a key below the lowest key).
        group: i64,
        /// Number of groups.
        groups: usize,
    },

    /// A named group (e.g. the `reference`) that is not among the groups.
    #[error("unknown group {name:?}: it is not among the {groups} groups of the data")]
    UnknownGroup {
        /// The name given.
        name: String,
        /// Number of groups in the data.
        groups: usize,
    },

    /// An iterative fit (maximum likelihood) that stopped before converging; carries its last
    /// state.
    #[error(
        "the {model} fit did not converge after {iterations} iterations ({reason}); last state: \
         {state}, log-likelihood {}",
        num(*.log_likelihood)
    )]
    NotConverged {
        /// The model (`"BG/NBD"`, `"Gamma-Gamma"`, `"sBG"`, ...).
        model: String,
        /// Iterations run.
        iterations: u64,
        /// Why the optimiser stopped.
        reason: String,
        /// The last parameters, as `name=value` pairs.
        state: String,
        /// The log-likelihood at the last parameters.
        log_likelihood: f64,
    },

    /// An argument of the wrong type (text where a number belongs, a number where a name
    /// belongs, ...). Python raises it as a `TypeError` too.
    #[error("{name} must be {expected}, not {value}")]
    WrongType {
        /// Parameter name as the user wrote it.
        name: &'static str,
        /// The value given, as text.
        value: String,
        /// What is allowed.
        expected: String,
    },

    /// An argument outside its allowed values (an unknown method name, zero resamples, ...).
    #[error("invalid argument `{name}` = {value}: expected {expected}")]
    InvalidArgument {
        /// Parameter name as the user wrote it.
        name: &'static str,
        /// The value given, as text.
        value: String,
        /// What is allowed.
        expected: String,
    },
}

/// One row of the error table: the stable code and the Python exception class of an error
/// kind. Node throws an `Error` whose `code` is `CX_` and the code in upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorKind {
    /// The stable snake-case code (`"out_of_scale"`).
    pub code: &'static str,
    /// The Python exception class (`"OutOfScaleError"`), a subclass of `cxkit.CxError`.
    pub class: &'static str,
    /// The Python builtin the class also subclasses beside `ValueError` (via `CxError`), if
    /// any (`"TypeError"`).
    pub also: Option<&'static str>,
    /// One line on when it is raised.
    pub doc: &'static str,
}

/// The error table, written once: each variant's code, Python class and doc. `code()`,
/// `CODES` and `KINDS` all come from it, and both bindings build their errors from `KINDS`.
macro_rules! error_kinds {
    ($($variant:ident => $code:literal, $class:literal $(+ $also:literal)?, $doc:literal;)*) => {
        impl CxError {
            /// The stable snake-case code of this error kind (`"out_of_scale"`,
            /// `"empty_input"`, ...).
            ///
            /// # Examples
            /// ```
            /// use cx_core::{Scale, Tally};
            /// let err = Tally::from_values(Scale::nps(), &[3.0, 11.0], None).unwrap_err();
            /// assert_eq!(err.code(), "out_of_scale");
            /// ```
            pub fn code(&self) -> &'static str {
                match self {
                    $(CxError::$variant { .. } => $code,)*
                }
            }

            /// Every error code, in declaration order.
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// Every error kind: code, Python class and doc, in declaration order.
            pub const KINDS: &'static [ErrorKind] = &[$(ErrorKind {
                code: $code,
                class: $class,
                also: error_kinds!(@also $($also)?),
                doc: $doc,
            }),*];
        }
    };
    (@also) => { None };
    (@also $also:literal) => { Some($also) };
}

error_kinds! {
    OutOfScale => "out_of_scale", "OutOfScaleError", "A value outside the rating scale.";
    NonInteger => "non_integer", "NonIntegerError", "A non-integer value on an integer scale.";
    InvalidWeight => "invalid_weight", "InvalidWeightError",
        "A negative, NaN, infinite or out-of-range weight.";
    LengthMismatch => "length_mismatch", "LengthMismatchError", "Inputs of different lengths.";
    EmptyInput => "empty_input", "EmptyInputError", "No usable observation.";
    InsufficientData => "insufficient_data", "InsufficientDataError",
        "Too few observations for the estimate.";
    ZeroVariance => "zero_variance", "ZeroVarianceError", "A test whose standard error is zero.";
    InvalidLevel => "invalid_level", "InvalidLevelError", "A confidence level outside (0, 1).";
    InvalidScale => "invalid_scale", "InvalidScaleError", "A scale that cannot exist.";
    ScaleMismatch => "scale_mismatch", "ScaleMismatchError", "Summaries on different scales.";
    UnreadableSummary => "unreadable_summary", "UnreadableSummaryError",
        "Serialised bytes or JSON that cannot be read.";
    GroupOutOfRange => "group_out_of_range", "GroupOutOfRangeError",
        "A group code not below the number of groups.";
    UnknownGroup => "unknown_group", "UnknownGroupError",
        "A named group (e.g. the reference) not in the data.";
    NotConverged => "not_converged", "NotConvergedError",
        "A maximum-likelihood fit that stopped before converging (last state attached).";
    WrongType => "wrong_type", "WrongTypeError" + "TypeError",
        "An argument of the wrong type (also a TypeError).";
    InvalidArgument => "invalid_argument", "InvalidArgumentError",
        "An argument outside its allowed values.";
}

impl CxError {
    /// The offending number, for the variants that carry one (`value` of out-of-scale,
    /// non-integer, invalid-weight and invalid-level errors).
    ///
    /// Serde writes non-finite floats as `null`; bindings use this to restore an infinite or
    /// NaN `value` exactly.
    pub fn value(&self) -> Option<f64> {
        match self {
            CxError::OutOfScale { value, .. }
            | CxError::NonInteger { value, .. }
            | CxError::InvalidWeight { value, .. }
            | CxError::InvalidLevel { value } => Some(*value),
            _ => None,
        }
    }

    pub(crate) fn empty(what: impl Into<String>) -> Self {
        CxError::EmptyInput { what: what.into() }
    }

    pub(crate) fn unreadable(reason: impl Into<String>) -> Self {
        CxError::UnreadableSummary {
            reason: reason.into(),
        }
    }
}

/// A number as a person would write it: whole numbers without a fraction (`11`), others in
/// Rust's shortest round-trip form (`3.5`, `1e-199`, `inf`, `NaN`).
fn num(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:?}")
    }
}

/// Check that a confidence level lies strictly between 0 and 1.
pub(crate) fn check_level(level: f64) -> Result<()> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(CxError::InvalidLevel { value: level })
    }
}

/// Check that two inputs have the same length: [`CxError::LengthMismatch`] naming both
/// (`left_name` with `left` elements, `right_name` with `right`) when they do not.
pub(crate) fn check_len(
    left_name: &'static str,
    left: usize,
    right_name: &'static str,
    right: usize,
) -> Result<()> {
    if left == right {
        Ok(())
    } else {
        Err(CxError::LengthMismatch {
            left_name,
            left,
            right_name,
            right,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_table_matches_code() {
        let samples = [
            CxError::OutOfScale {
                index: 0,
                value: 0.0,
                lowest: 0,
                highest: 1,
            },
            CxError::NonInteger {
                index: 0,
                value: 0.5,
                lowest: 0,
                highest: 1,
            },
            CxError::InvalidWeight {
                index: 0,
                value: -1.0,
            },
            CxError::LengthMismatch {
                left_name: "values",
                left: 1,
                right_name: "weights",
                right: 2,
            },
            CxError::empty("x"),
            CxError::InsufficientData {
                what: "x".into(),
                needed: 2,
                got: 1,
            },
            CxError::ZeroVariance { what: "x".into() },
            CxError::InvalidLevel { value: 2.0 },
            CxError::InvalidScale { reason: "x".into() },
            CxError::ScaleMismatch {
                left: "a".into(),
                right: "b".into(),
            },
            CxError::unreadable("x"),
            CxError::GroupOutOfRange {
                index: 0,
                group: 3,
                groups: 2,
            },
            CxError::UnknownGroup {
                name: "x".into(),
                groups: 2,
            },
            CxError::NotConverged {
                model: "BG/NBD".into(),
                iterations: 5,
                reason: "x".into(),
                state: "r=1".into(),
                log_likelihood: -3.0,
            },
            CxError::WrongType {
                name: "scale",
                value: "3.5".into(),
                expected: "a name".into(),
            },
            CxError::InvalidArgument {
                name: "method",
                value: "x".into(),
                expected: "y".into(),
            },
        ];
        let codes: Vec<_> = samples.iter().map(CxError::code).collect();
        assert_eq!(codes, CxError::CODES);
        for e in &samples {
            let json = serde_json::to_value(e).unwrap();
            assert_eq!(json["code"], e.code());
        }
    }

    #[test]
    fn numbers_print_readably() {
        assert_eq!(num(11.0), "11");
        assert_eq!(num(-3.0), "-3");
        assert_eq!(num(3.5), "3.5");
        assert_eq!(num(3.7656135986040742e-199), "3.7656135986040742e-199");
        assert_eq!(num(f64::INFINITY), "inf");
        assert_eq!(num(f64::NAN), "NaN");
        assert_eq!(num(1e300), "1e300");
    }

    #[test]
    fn messages_name_index_and_value() {
        let e = CxError::OutOfScale {
            index: 7,
            value: 11.0,
            lowest: 0,
            highest: 10,
        };
        assert_eq!(
            e.to_string(),
            "value 11 at index 7 is outside the scale 0..=10"
        );
    }
}
