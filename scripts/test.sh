#!/usr/bin/env bash
# Build everything and run every test: Rust (fmt, clippy, unit, property, reference, doc tests),
# Python (ruff, stub check, pytest) and Node (napi build, node --test, tsc).
# Sets up its own .venv and node_modules from the pinned lock files. Needs only Rust, Python 3.11
# and Node 20 on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
start=$(date +%s)
step() { printf '\n==> %s  (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "Rust: format and lint"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust: tests (unit, property, reference fixture, doc tests, examples)"
cargo test --workspace --locked
# The cross-language checks in the Python and Node suites compare against this binary's output.
cargo build --release --locked -p cx-core --example xlang_dump

step "Python: environment and build"
scripts/setup-python.sh

step "Python: lint, stubs, tests"
.venv/bin/ruff check cx-python
.venv/bin/ruff format --check cx-python
.venv/bin/python -m mypy.stubtest cxkit._cxkit
.venv/bin/python -m pytest cx-python/tests -q

step "Distributed: Spark (local[2], Java 17) and Dask (local cluster) in .venv-dist"
scripts/test-distributed.sh

step "Node: install, build, tests, types"
(
  cd cx-node
  npm ci --no-audit --no-fund --loglevel=error
  npx napi build --platform --release
  node --test __test__/
  npx tsc --noEmit -p tsconfig.json
)

step "all tests passed"
