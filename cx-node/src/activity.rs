//! `Activity`: the one-pass, mergeable summary of a transaction log as a JS class, a thin shell
//! over cx-core's `Activity`. {@link activity} builds one (the generic entry, `call.rs`);
//! `retention`, `cohorts` and `acquisition` read it in place of a log, and its methods run
//! those entry points of the core's contract on it.

use cx_core::api::{self, Args, Input};
use cx_core::retention::Activity;
use napi::bindgen_prelude::{Buffer, Object, ToNapiValue, Uint8ArraySlice, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::call::{call, options_of, output};
use crate::error::OrThrow;
use crate::summary;

/// The one-pass, mergeable summary of a transaction log behind {@link retention},
/// {@link cohorts} and {@link acquisition}: build one per partition or batch, `merge` them,
/// then ask for the tables; `toJSON` / `fromJSON` and `toBytes` / `fromBytes` carry it between
/// processes and languages.
#[napi(js_name = "Activity")]
pub struct ActivitySummary {
    pub(crate) inner: Activity,
}

impl ActivitySummary {
    /// Run the entry point `name` on this summary with the caller's options.
    fn run<'env>(
        &self,
        env: &'env Env,
        name: &str,
        options: Option<Object>,
    ) -> Result<Unknown<'env>> {
        let mut a = Args::new();
        a.input("activity", Input::Object(&self.inner));
        for (key, value) in options_of(options.as_ref())? {
            a.option(key, value);
        }
        output(env, api::call(name, &a).or_throw(env)?)
    }
}

#[napi]
impl ActivitySummary {
    /// Summarise a log (arguments as {@link activity}; `channels` in the options).
    ///
    /// @throws {Error} as {@link retention}.
    #[napi(
        catch_unwind,
        ts_args_type = "customers: GroupKeys, dates: DateValues, revenue: Weights, options?: { freq?: import('./api').Freq; channels?: GroupKeys } | null",
        ts_return_type = "Activity"
    )]
    pub fn from_log<'env>(
        env: &'env Env,
        customers: Unknown<'env>,
        dates: Unknown<'env>,
        revenue: Unknown<'env>,
        options: Option<Unknown<'env>>,
    ) -> Result<Unknown<'env>> {
        let mut args = vec![customers, dates, revenue, ().into_unknown(env)?];
        args.extend(options);
        call(env, "activity".into(), args)
    }

    /// The summary of both logs (customers matched by id), as a new Activity.
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` for different period lengths, or channels on one
    /// summary only.
    #[napi(catch_unwind)]
    pub fn merge(&self, env: Env, other: &ActivitySummary) -> Result<ActivitySummary> {
        let mut inner = self.inner.clone();
        inner.merge(&other.inner).or_throw(&env)?;
        Ok(ActivitySummary { inner })
    }

    /// The summary as JSON text (the serde form shared with Rust and Python).
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The compact binary form (magic `CXAC`, versioned, checksummed; the same bytes in every
    /// language).
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        summary::to_bytes(&self.inner)
    }

    /// A summary from the bytes of {@link Activity.toBytes} written in any language.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` on a wrong magic, version, length or checksum.
    #[napi(factory, catch_unwind)]
    pub fn from_bytes(env: Env, bytes: Uint8ArraySlice) -> Result<Self> {
        summary::from_bytes(&env, &bytes).map(|inner| ActivitySummary { inner })
    }

    /// Rebuild a summary from {@link Activity.toJSON} text.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` for text that is not a summary.
    #[napi(factory, js_name = "fromJSON")]
    pub fn from_json(env: Env, text: String) -> Result<Self> {
        let inner = Activity::from_json(&text).or_throw(&env)?;
        Ok(ActivitySummary { inner })
    }

    /// Period length.
    #[napi(getter)]
    pub fn freq(&self) -> String {
        self.inner.freq.to_string()
    }

    /// Customers in the summary.
    #[napi(getter)]
    pub fn n_customers(&self) -> f64 {
        self.inner.customers.len() as f64
    }

    /// Periods from the first to the last date.
    #[napi(getter)]
    pub fn n_periods(&self) -> f64 {
        self.inner.n_periods as f64
    }

    /// The retention table (options as {@link retention}; `freq` is the summary's).
    ///
    /// @throws {Error} as {@link retention}.
    #[napi(
        catch_unwind,
        ts_args_type = "options?: import('./api').RetentionOptions | null",
        ts_return_type = "import('./api').Retention"
    )]
    pub fn retention<'env>(
        &self,
        env: &'env Env,
        options: Option<Object>,
    ) -> Result<Unknown<'env>> {
        self.run(env, "retention", options)
    }

    /// The cohort tables.
    #[napi(catch_unwind, ts_return_type = "import('./api').Cohorts")]
    pub fn cohorts<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        self.run(env, "cohorts", None)
    }

    /// New customers by period and acquisition channel.
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` when the summary has no channels.
    #[napi(catch_unwind, ts_return_type = "import('./api').Acquisition")]
    pub fn acquisition<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        self.run(env, "acquisition", None)
    }
}
