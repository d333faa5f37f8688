//! Print cxkit's contract as JSON: every entry point with its inputs, options (defaults,
//! choices, docs) and output, the table schemas, the error codes, and the JSON schemas of the
//! result structs. `scripts/contract.sh` turns it into the Python and TypeScript declarations.
//!
//! ```text
//! cargo run -p cx-core --features schema --example contract > contract.json
//! ```

fn main() {
    let mut contract: serde_json::Value =
        serde_json::from_str(&cx_core::api::contract_json()).expect("the contract is JSON");
    contract["schemas"] = cx_core::api::record_schemas();
    println!(
        "{}",
        serde_json::to_string_pretty(&contract).expect("the contract serialises")
    );
}
