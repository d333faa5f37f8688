#!/usr/bin/env bash
# Build everything and run every test: Rust (fmt, clippy, unit, property, reference, doc tests),
# Python (ruff, stub check, pytest, the HTML report in headless Chromium) and Node (napi build,
# node --test, tsc).
# Sets up its own .venv and node_modules from the pinned lock files. Needs only Rust, Python 3.11
# and Node 20 on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
# Release builds (the examples the tests run, the Python extension, the Node addon) all target the
# host triple explicitly, so they share one release build of the dependencies.
CARGO_BUILD_TARGET=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_BUILD_TARGET
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

step "Browser for the HTML report's screenshot test"
# Debian's chromium renders the report in test_report.py; install it where it is missing (as
# root, non-interactively). If that cannot be done, the test is skipped and says why.
if command -v chromium >/dev/null 2>&1; then
  chromium --version 2>/dev/null || true
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  if (export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq chromium) </dev/null >/tmp/cxkit-chromium-install.log 2>&1; then
    chromium --version 2>/dev/null || true
  else
    echo "chromium could not be installed (see /tmp/cxkit-chromium-install.log): the screenshot test will be skipped"
  fi
else
  echo "chromium is missing and cannot be installed here (needs root and apt-get): the screenshot test will be skipped"
fi

step "Contract: the generated Python API and TypeScript declarations are up to date"
scripts/contract.sh --check

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
  npm run --silent build
  # The napi-rs declarations and loader are committed: a fresh build must not change them.
  git diff --exit-code --stat -- native.d.ts native.js || {
    echo "cx-node/native.d.ts or native.js is stale: commit the files the build wrote" >&2
    exit 1
  }
  node --test __test__/
  npx tsc --noEmit -p tsconfig.json
)

step "all tests passed"
