#!/usr/bin/env bash
# Run the comparison benchmarks and print their tables: Python (cxkit vs numpy, pandas, polars,
# duckdb and the memory floor, on 1 and 2 threads), Node (cxkit vs plain JavaScript loops,
# nodejs-polars and the npm net-promoter-score package, on 1 and 2 threads) and the Rust scaling
# table (n from 1e5 to 1e8, groups from 1 to 1e6). Sets up what it needs: .venv with the pinned
# packages plus benches/requirements.txt, the Node addon, benches/node's pinned peers.
#
#   scripts/bench.sh                 # full sizes (50M rows in Python, 10M in Node, up to 1e8 in Rust)
#   BENCH_QUICK=1 scripts/bench.sh   # small sizes, a smoke run
#   BENCH_CRITERION=1 scripts/bench.sh  # also the criterion benches (cargo bench -p cx-benches)
#
# On a shared machine run it when the machine is quiet and more than once: every ratio is
# measured within one run, and the tables print the load average at their start.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_BUILD_TARGET=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_BUILD_TARGET
if [ -n "${BENCH_QUICK:-}" ]; then
  py_rows=2000000; node_n=1000000; max_n=10000000; runs=3
else
  py_rows=${BENCH_ROWS:-50000000}; node_n=${BENCH_NODE_N:-10000000}; max_n=${BENCH_MAX_N:-100000000}; runs=${BENCH_RUNS:-5}
fi

echo "==> setup" >&2
scripts/setup-python.sh >&2
stamp=.venv/.bench-requirements.sha256
want=$(sha256sum benches/requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r benches/requirements.txt >&2 \
    && echo "$want" > "$stamp" || echo "(benches/requirements.txt not installed: duckdb is left out)" >&2
fi
(cd cx-node && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run --silent build) >&2
# nodejs-polars 0.26 declares node >= 22 and npm then skips its binary; it runs on Node 20, so force.
(cd benches/node && npm install --force --no-audit --no-fund \
  && { node -e "require('nodejs-polars')" 2>/dev/null \
       || npm install --force --no-save --no-audit --no-fund nodejs-polars-linux-x64-gnu@0.26.1; }) >&2 \
  || echo "(benches/node peers not installed: the Node table leaves them out)" >&2

echo "## Python: cxkit vs numpy, pandas, polars, duckdb"
echo
echo '```'
.venv/bin/python benches/python/bench_compare.py --rows "$py_rows" --runs "$runs" --threads 1 2
echo '```'
echo
echo "## Node: cxkit vs JavaScript loops and npm packages"
echo
echo '```'
for t in 1 2; do
  RAYON_NUM_THREADS=$t node benches/node/bench_compare.mjs --n "$node_n" --runs $((runs + 2))
  echo
done
echo '```'
echo
CX_SCALING_MAX_N=$max_n cargo bench --locked -q -p cx-benches --bench scaling 2>/dev/null
if [ -n "${BENCH_CRITERION:-}" ]; then
  cargo bench --locked -p cx-benches
fi
