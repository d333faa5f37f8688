#!/usr/bin/env bash
# The cxkit demo: a customer-experience report over the bundled sample survey
# (examples/data/survey.csv, 20,000 responses) and the customers' transaction log beside it
# (transactions.csv: retention, revenue balance, CLV), printed to the terminal by the Rust example
# and written as one self-contained HTML file (out/cx_report.html) by the Python package.
# Pass another CSV path to report on your own data.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-examples/data/survey.csv}"
cargo run --release --locked --quiet -p cx-core --example cx_report -- "$data"

# The HTML report needs the Python package: set up .venv (idempotent; ~1 min the first time).
log=$(mktemp)
if ! scripts/setup-python.sh >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
mkdir -p out
# The bundled survey has the CX dimensions, loyalty outcomes and a transaction log beside it: the
# report then has every section (CX index, loyalty, key drivers, retention). Other files get the
# sections their columns allow.
extra=()
if [ "$data" = examples/data/survey.csv ]; then
  extra=(--dims effectiveness,ease,emotion --outcome retained
         --transactions examples/data/transactions.csv --customer customer_id --revenue revenue
         --personas auto)
fi
.venv/bin/cxkit report "$data" --score nps --by region,channel --date date "${extra[@]}" \
  --out out/cx_report.html >/dev/null
echo
echo "HTML report: $(pwd)/out/cx_report.html"
