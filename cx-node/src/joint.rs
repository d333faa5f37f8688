//! `JointTally`: the mergeable summary behind {@link loyaltyLift} (exposure group x a 0/1
//! outcome), a thin shell over cx-core's `JointTally`. {@link jointTally} builds one (the
//! generic entry, `call.rs`); `loyaltyLift` reads it in place of an outcome column, and its
//! `lift` method runs that entry point of the core's contract on it.

use cx_core::api::{self, Args, Input};
use napi::bindgen_prelude::{Buffer, Either, Uint8ArraySlice, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::call::{call, output, value_of};
use crate::error::OrThrow;
use crate::tally::{json_text, parsed};

/// The one-pass summary of exposure group x a 0/1 loyalty outcome (per group: counts, weight
/// sums and squared-weight sums of 0s and 1s, and missing outcomes): build one per batch or
/// process, `merge`, send it with `toBytes` / `toJSON`, and compute the lift once with `lift()`.
/// The same bytes and JSON as `cxkit.JointTally` in Python and `cx_core::loyalty::JointTally`.
#[napi]
pub struct JointTally {
    pub(crate) inner: cx_core::JointTally,
}

#[napi]
impl JointTally {
    /// An empty joint tally (the start of a merge).
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        JointTally {
            inner: cx_core::JointTally::new(),
        }
    }

    /// The joint tally of a 0/1 outcome and exposure groups given as in {@link loyaltyLift}
    /// (the same as {@link jointTally}).
    ///
    /// @throws {Error} as {@link loyaltyLift}, but not `CX_EMPTY_INPUT` (a group may be empty
    /// until merged).
    #[napi(
        catch_unwind,
        ts_args_type = "outcome: RawValues, options?: import('./api').JointTallyOptions | null",
        ts_return_type = "JointTally"
    )]
    pub fn from_values<'env>(
        env: &'env Env,
        outcome: Unknown<'env>,
        options: Option<Unknown<'env>>,
    ) -> Result<Unknown<'env>> {
        let mut args = vec![outcome];
        args.extend(options);
        call(env, "joint_tally".into(), args)
    }

    /// Add another joint tally (another batch or partition).
    #[napi(catch_unwind)]
    pub fn merge(&mut self, env: Env, other: &JointTally) -> Result<()> {
        self.inner.merge(&other.inner).or_throw(&env)
    }

    /// The lift of the outcome in the exposed group over the reference group, as
    /// {@link loyaltyLift} (level default 0.95).
    ///
    /// @throws {Error} `CX_EMPTY_INPUT` for a group without a respondent, `CX_INVALID_LEVEL`.
    #[napi(
        catch_unwind,
        ts_args_type = "level?: number | null",
        ts_return_type = "import('./api').Lift"
    )]
    pub fn lift<'env>(&self, env: &'env Env, level: Option<Unknown>) -> Result<Unknown<'env>> {
        let mut a = Args::new();
        a.input("outcome", Input::Object(&self.inner));
        if let Some(level) = level {
            a.option("level", value_of(&level)?);
        }
        output(env, api::call("loyalty_lift", &a).or_throw(env)?)
    }

    /// The compact binary form (magic `CXJT`, versioned, checksummed; the same bytes in every
    /// language).
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        self.inner.to_bytes().into()
    }

    /// A joint tally from the bytes of {@link JointTally.toBytes} written in any language.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` on a wrong magic, version, length or checksum.
    #[napi(factory, catch_unwind)]
    pub fn from_bytes(env: Env, bytes: Uint8ArraySlice) -> Result<Self> {
        let inner = cx_core::JointTally::from_bytes(&bytes).or_throw(&env)?;
        Ok(JointTally { inner })
    }

    /// The JSON form (`{ format: "cxkit.joint_tally", version: 1, exposed, reference, neither,
    /// unknown }`, each a tally's JSON), the same in every language.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        parsed(env, self.inner.to_json())
    }

    /// Read the JSON form (text, or the object `toJSON` returns).
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY`.
    #[napi(
        factory,
        js_name = "fromJSON",
        ts_args_type = "json: string | Record<string, unknown>"
    )]
    pub fn from_json(env: Env, json: Either<String, Unknown>) -> Result<Self> {
        let inner = json_text(&env, json)?
            .and_then(|text| cx_core::JointTally::from_json(&text))
            .or_throw(&env)?;
        Ok(JointTally { inner })
    }
}
