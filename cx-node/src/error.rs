//! `CxError` to a thrown JavaScript `Error` with a stable `code` and the error's detail fields.
//!
//! The JS error is built once, here, for every error kind: `code` is `"CX_" + code()` in upper
//! case, `message` is the error's text, and every field of the error's serde form (an object
//! tagged by `code`) is copied onto it in camelCase (`left_name` becomes `leftName`; a detail
//! called `name` becomes `argument`, or `group` for an unknown group, so that `err.name` stays
//! `"Error"`). Values go
//! through napi's serde serialiser, so a NaN or infinite `value` arrives as NaN or Infinity.

use cx_core::CxError;

use crate::camel::camel_case;
use napi::bindgen_prelude::{JsObjectValue, Object, Unknown};
use napi::{Env, JsValue, Status};

/// Map a core result to a napi result whose error throws as a JS `Error` with `code` and details.
pub(crate) trait OrThrow<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrThrow<T> for Result<T, CxError> {
    fn or_throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| js_error(env, &e))
    }
}

/// The JS error of `err`, handed to napi as a reference so that napi throws this very object.
fn js_error(env: &Env, err: &CxError) -> napi::Error {
    let code = js_code(err);
    let message = caller_spelling(err);
    match error_object(env, err, &code, &message) {
        Ok(obj) => napi::Error::from(obj.to_unknown()),
        // Only reachable while the environment is shutting down: keep at least the message.
        Err(_) => napi::Error::new(Status::GenericFailure, format!("{code}: {message}")),
    }
}

/// The error's message with the arguments it names spelled as a JavaScript caller writes them
/// (`dimWeights`, not `dim_weights`).
fn caller_spelling(err: &CxError) -> String {
    let mut message = err.to_string();
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(err) {
        for key in ["name", "left_name", "right_name"] {
            if let Some(serde_json::Value::String(name)) = fields.get(key) {
                if name.contains('_') && !name.contains(' ') {
                    message = message.replace(name.as_str(), &camel_case(name));
                }
            }
        }
    }
    message
}

/// A panic caught before it reached JavaScript (a bug), as an `Error` with code
/// `CX_INTERNAL` whose message says so and carries the panic's own message.
pub(crate) fn internal_error(env: &Env, payload: Box<dyn std::any::Any + Send>) -> napi::Error {
    let what = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    };
    let message = format!("internal error (a bug in cxkit, please report it): {what}");
    let thrown = env
        .create_error(napi::Error::new(Status::GenericFailure, message.as_str()))
        .and_then(|mut obj| {
            obj.set_named_property("code", "CX_INTERNAL")?;
            Ok(obj)
        });
    match thrown {
        Ok(obj) => napi::Error::from(obj.to_unknown()),
        Err(_) => napi::Error::new(Status::GenericFailure, format!("CX_INTERNAL: {message}")),
    }
}

/// `"CX_" + code()` in upper case: `CX_OUT_OF_SCALE`.
/// Panic inside Rust on purpose, through the path every entry point takes: the tests check
/// that it reaches JavaScript as an `Error` with code `CX_INTERNAL`, never as an abort.
#[napi_derive::napi(js_name = "_panicForTests")]
#[allow(dead_code)] // called from JavaScript only (this module is private)
pub fn panic_for_tests(env: Env) -> napi::Result<()> {
    std::panic::catch_unwind(|| -> () { panic!("deliberate panic for the tests") })
        .map_err(|p| internal_error(&env, p))
}

fn js_code(err: &CxError) -> String {
    format!("CX_{}", err.code().to_ascii_uppercase())
}

fn error_object<'env>(
    env: &'env Env,
    err: &CxError,
    code: &str,
    message: &str,
) -> napi::Result<Object<'env>> {
    let mut obj = env.create_error(napi::Error::new(Status::GenericFailure, message))?;
    obj.set_named_property("code", code)?;
    // A detail that cannot be converted (an index beyond 2^32 - 1 without BigInt support) leaves
    // the error with its code and message rather than replacing it with a conversion error.
    if let Ok(details) = env.to_js_value(err).and_then(|d| d.coerce_to_object()) {
        copy_details(&details, &mut obj, code)?;
    }
    Ok(obj)
}

fn copy_details(details: &Object, target: &mut Object, code: &str) -> napi::Result<()> {
    let names = details.get_property_names()?;
    for i in 0..names.get_array_length()? {
        let name: String = names.get_element(i)?;
        if name == "code" {
            continue;
        }
        let value: Unknown = details.get_named_property(&name)?;
        let field = js_field(code, &name);
        if matches!(name.as_str(), "name" | "left_name" | "right_name") {
            // Argument names, in the caller's spelling.
            let arg: String = details.get_named_property(&name)?;
            if !arg.contains(' ') {
                target.set_named_property(&field, camel_case(&arg))?;
                continue;
            }
        }
        target.set_named_property(&field, value)?;
    }
    Ok(())
}

/// The JS property of a detail field: camelCase, and never one of `Error`'s own properties
/// (`name`, `message`, `stack`): a detail called `name` would replace `err.name` ("Error"),
/// so it becomes `argument` (the parameter of an invalid argument) or `group` (an unknown
/// group's label).
fn js_field(code: &str, field: &str) -> String {
    match (code, field) {
        ("CX_UNKNOWN_GROUP", "name") => "group".into(),
        (_, "name") => "argument".into(),
        (_, "message") => "detail".into(),
        _ => camel_case(field),
    }
}

#[cfg(test)]
mod tests {
    use super::js_code;
    use crate::camel::camel_case;
    use cx_core::CxError;

    #[test]
    fn camel_case_of_detail_names() {
        assert_eq!(camel_case("left_name"), "leftName");
        assert_eq!(camel_case("index"), "index");
        assert_eq!(camel_case("right_name"), "rightName");
    }

    /// `group_out_of_range` cannot be raised through the Node API (the binding makes every group
    /// code), so its code is checked here; its details (`index`, `group`, `groups`, one word
    /// each) are copied by the same generic path as every other error's.
    #[test]
    fn grouped_error_codes() {
        let out_of_range = CxError::GroupOutOfRange {
            index: 4,
            group: 9,
            groups: 3,
        };
        assert_eq!(js_code(&out_of_range), "CX_GROUP_OUT_OF_RANGE");
        let unknown = CxError::UnknownGroup {
            name: "West".into(),
            groups: 3,
        };
        assert_eq!(js_code(&unknown), "CX_UNKNOWN_GROUP");
    }
}
