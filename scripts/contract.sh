#!/usr/bin/env bash
# Regenerate the files made from the Rust core's contract (cx_core::api): the Python API module
# (cx-python/python/cxkit/_api.py) and the TypeScript declarations of the same functions
# (cx-node/api.d.ts) and the npm entry (cx-node/index.js). `scripts/contract.sh --check` changes nothing and fails when a committed
# file is stale (scripts/test.sh runs it). Needs .venv (for ruff): scripts/setup-python.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --quiet --locked -p cx-core --features schema --example contract > "$tmp/contract.json"
files=$(python3 scripts/contract.py "$tmp/contract.json" "$tmp/out")
# Unused imports and the order of __all__ are left to ruff, like the layout.
.venv/bin/ruff check --quiet --fix --exit-zero --config cx-python/pyproject.toml "$tmp/out/cx-python"
.venv/bin/ruff format --quiet --config cx-python/pyproject.toml "$tmp/out/cx-python"
status=0
for f in $files; do
  if [ "${1:-}" = "--check" ]; then
    if ! cmp -s "$tmp/out/$f" "$f"; then
      echo "stale: $f (run scripts/contract.sh)" >&2
      diff -u "$f" "$tmp/out/$f" | head -40 >&2 || true
      status=1
    fi
  else
    cp "$tmp/out/$f" "$f"
    echo "wrote $f"
  fi
done
exit $status
