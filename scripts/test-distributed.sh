#!/usr/bin/env bash
# The Spark and Dask tests: a separate virtualenv (.venv-dist) with PySpark 4.3 (and the
# machine's Java 17), pandas 2.3 and Dask, the cxkit wheel installed into it, and the tests in
# cx-python/tests/distributed run against a real local Spark session (local[2]) and a real local
# Dask cluster. Called by scripts/test.sh; runnable on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
export SPARK_LOCAL_IP=127.0.0.1

if ! command -v java >/dev/null 2>&1; then
  echo "java not found: the Spark tests need a JDK (17)" >&2
  exit 1
fi
[ -x .venv/bin/maturin ] || scripts/setup-python.sh
if [ ! -x .venv-dist/bin/python ]; then
  python3 -m venv .venv-dist
fi
stamp=.venv-dist/.requirements.sha256
want=$(sha256sum requirements-distributed.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv-dist/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv-dist/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-distributed.txt
  echo "$want" > "$stamp"
fi
# The same abi3 wheel users install, built once and installed into the test environment.
rm -rf target/wheels
.venv/bin/maturin build --release --locked --quiet -m cx-python/Cargo.toml -o target/wheels -i python3 \
  --target "$(rustc -vV | sed -n 's/^host: //p')"
.venv-dist/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/cxkit-*.whl
# Run from outside the source tree so the installed wheel (not cx-python/python) is imported.
cd cx-python/tests/distributed
../../../.venv-dist/bin/python -m pytest -q -p no:cacheprovider .
