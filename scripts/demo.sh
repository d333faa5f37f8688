#!/usr/bin/env bash
# The cxkit demo: a customer-experience report over the bundled sample survey
# (examples/data/survey.csv, 20,000 responses) and the customers' transaction log beside it
# (transactions.csv: retention, revenue balance, CLV). Pass another CSV path to report on your own data.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release --locked --quiet -p cx-core --example cx_report -- "${1:-examples/data/survey.csv}"
