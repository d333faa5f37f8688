#!/usr/bin/env bash
# Create .venv (if needed), install the pinned Python packages, and build cxkit into it.
# Idempotent: reinstalls packages only when requirements-dev.txt changes.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
# maturin builds the Rust extension (release) and installs cxkit in editable mode. It builds for
# the explicit host target, like napi-rs does for the Node addon, so both share one release build
# of the dependencies under target/<host triple>/release.
host=$(rustc -vV | sed -n 's/^host: //p')
.venv/bin/maturin develop --release --locked --quiet -m cx-python/Cargo.toml --target "$host"
