#!/usr/bin/env bash
# Run every cargo-fuzz target for a bounded time and print the executions per target.
#
#   fuzz/run.sh [seconds-per-target] [target ...]      (default 60 s, every target)
#
# Not part of scripts/test.sh: it needs the nightly toolchain and libFuzzer. Installs cargo-fuzz
# from crates.io when it is missing. A crash stops that target, leaves the input under
# fuzz/artifacts/<target>/ and makes the script exit non-zero at the end; reproduce it with
# `cargo +nightly fuzz run <target> <artifact>` and turn it into a regression test in the
# normal suite. Inputs that grew coverage are kept in fuzz/corpus/<target>/ (git-ignored), so
# later runs start where earlier ones stopped. Each run's log is fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz/run.sh needs a nightly toolchain: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz from crates.io"
  cargo +nightly install cargo-fuzz --locked
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build -O
mkdir -p logs
failed=()
printf '%-20s %14s %12s %10s  %s\n' target executions "exec/s" "cov" result
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  # -rss_limit_mb / -malloc_limit_mb: a reader that allocates beyond the bound is a crash too
  # (the targets also assert the tighter per-input bound themselves).
  if cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
      -max_total_time="$secs" -rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=4096 \
      -print_final_stats=1 >"logs/$t.log" 2>&1; then
    result=ok
  else
    result=CRASH
    failed+=("$t")
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "logs/$t.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "logs/$t.log" | tail -1 | cut -d' ' -f2)
  printf '%-20s %14s %12s %10s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]} (inputs under fuzz/artifacts/, logs under fuzz/logs/)" >&2
  exit 1
fi
