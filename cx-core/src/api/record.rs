//! [`Record`]: every result struct an entry point returns, by the type name the three
//! languages share (`Nps`, `Proportion`, ...).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{CxError, Result};

macro_rules! records {
    ($($name:ident => $ty:ty),* $(,)?) => {
        /// A result struct of any entry point, by its shared type name.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Record {
            $(
                #[doc = concat!("A [`", stringify!($ty), "`].")]
                $name($ty),
            )*
        }

        impl Record {
            /// Every type name, in declaration order.
            pub const TYPES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// The type name (`"Nps"`), the same in Rust, Python and Node.
            pub fn type_name(&self) -> &'static str {
                match self {
                    $(Record::$name(_) => stringify!($name),)*
                }
            }

            /// Read a result of type `type_name` from any serde deserializer (a binding's own
            /// objects, or JSON).
            ///
            /// # Errors
            /// The deserializer's error, or a custom one for an unknown type name.
            pub fn deserialize_as<'de, D: Deserializer<'de>>(
                type_name: &str,
                d: D,
            ) -> std::result::Result<Record, D::Error> {
                match type_name {
                    $(stringify!($name) => <$ty>::deserialize(d).map(Record::$name),)*
                    other => Err(serde::de::Error::custom(format!("no result type {other:?}"))),
                }
            }
        }

        /// The JSON schema of every result type, under `$defs` by type name (nested types
        /// too), for the generators of the Python and TypeScript declarations.
        #[cfg(feature = "schema")]
        pub fn record_schemas() -> serde_json::Value {
            let mut g = schemars::SchemaGenerator::default();
            $(let _ = g.subschema_for::<$ty>();)*
            serde_json::json!({ "$defs": g.take_definitions(true) })
        }

        impl std::fmt::Display for Record {
            /// The result's own text form (its `Display`).
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $(Record::$name(r) => std::fmt::Display::fmt(r, f),)*
                }
            }
        }

        impl Serialize for Record {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Record::$name(r) => r.serialize(s),)*
                }
            }
        }

        $(impl From<$ty> for Record {
            fn from(r: $ty) -> Self {
                Record::$name(r)
            }
        })*
    };
}

records! {
    Interval => crate::Interval,
    Nps => crate::Nps,
    NpsDifference => crate::NpsDifference,
    Proportion => crate::Proportion,
    Mean => crate::Mean,
    PointShare => crate::PointShare,
    Distribution => crate::Distribution,
    Lift => crate::Lift,
    Effect => crate::Effect,
    MeanLift => crate::MeanLift,
    GroupMean => crate::loyalty::GroupMean,
    LoyaltyCurve => crate::LoyaltyCurve,
    RevenueImpact => crate::loyalty::RevenueImpact,
    Projection => crate::loyalty::Projection,
    KeyDrivers => crate::KeyDrivers,
    CxIndex => crate::CxIndex,
    Retention => crate::retention::Retention,
    Cohorts => crate::retention::Cohorts,
    Acquisition => crate::retention::Acquisition,
    SbgFit => crate::clv::SbgFit,
    BgNbdFit => crate::clv::BgNbdFit,
    GammaGammaFit => crate::clv::GammaGammaFit,
    ResponseCurve => crate::balance::ResponseCurve,
    SpendPlan => crate::balance::SpendPlan,
    CustomerEquity => crate::balance::CustomerEquity,
}

impl Record {
    /// The result as JSON text (serde's form, shared by the three languages).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("results serialise to JSON")
    }

    /// A result of type `type_name` from [`Record::to_json`] text.
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for text that is not such a result.
    pub fn from_json(type_name: &str, text: &str) -> Result<Record> {
        let mut de = serde_json::Deserializer::from_str(text);
        Record::deserialize_as(type_name, &mut de).map_err(|e| CxError::UnreadableSummary {
            reason: e.to_string(),
        })
    }
}
