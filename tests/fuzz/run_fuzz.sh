#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer harnesses (tests/fuzz, clang) and runs each for a bounded time.
#   tests/fuzz/run_fuzz.sh [--short | --seconds N] [--make-corpus] [HARNESS ...]
#     (default)      60 s per harness
#     --seconds N    N s per harness
#     --short        5 s per harness (ctest's fuzz_short)
#     --make-corpus  rewrite tests/fuzz/corpus/ with make_seed_corpus, then stop
# Before fuzzing, every saved crash in tests/fuzz/regressions/HARNESS/ runs once. Each harness
# reads its seeds from tests/fuzz/corpus/HARNESS/ (never written to) and keeps what it finds in
# BUILD/corpus/HARNESS/. Exits 1 on any crash, leak, time-out or broken promise, naming where
# the input was saved; reproduce with BUILD/HARNESS FILE.
# BUILD is $MLWB_FUZZ_BUILD_DIR, else ${MLWB_BUILD_DIR:-build}/fuzz. The compiler is
# $MLWB_FUZZ_CXX, else clang++-14, else clang++: without one (or without libFuzzer) this fails.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

seconds=60
short=0
make_corpus=0
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1; seconds=5 ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift ;;
    --make-corpus) make_corpus=1 ;;
    -h|--help) sed -n '3,14p' "$0"; exit 0 ;;
    -*) echo "run_fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) only+=("$1") ;;
  esac
  shift
done
case "$seconds" in ''|*[!0-9]*) echo "run_fuzz.sh: --seconds takes whole seconds, not '$seconds'" >&2; exit 2 ;; esac

BUILD=${MLWB_FUZZ_BUILD_DIR:-${MLWB_BUILD_DIR:-$ROOT/build}/fuzz}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac

CXX=${MLWB_FUZZ_CXX:-}
if [ -z "$CXX" ]; then
  for c in clang++-14 clang++; do
    if command -v "$c" >/dev/null; then CXX=$(command -v "$c"); break; fi
  done
fi
if [ -z "$CXX" ]; then
  echo "run_fuzz.sh: no clang++ found; the fuzz harnesses need clang and libFuzzer" \
       "(apt-get install clang-14 libclang-rt-14-dev; ./dev.sh test installs them)" >&2
  exit 1
fi

configure=(-S "$HERE" -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER="$CXX")
if command -v ccache >/dev/null; then
  configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}
fi
if [ ! -f "$BUILD/build.ninja" ]; then
  mkdir -p "$BUILD"
  cmake "${configure[@]}" >"$BUILD/configure.log" 2>&1 || { cat "$BUILD/configure.log" >&2; exit 1; }
fi
jobs=$(nproc)
[ "$jobs" -le 2 ] || jobs=2 # beside the gcc build, on a small machine
echo "run_fuzz.sh: building the harnesses in $BUILD ($CXX)"
cmake --build "$BUILD" -j"$jobs"

if [ "$make_corpus" -eq 1 ]; then
  rm -rf "$HERE/corpus"
  exec "$BUILD/make_seed_corpus" "$HERE/corpus"
fi

if [ ${#only[@]} -gt 0 ]; then
  harnesses=("${only[@]}")
else
  mapfile -t harnesses < <(grep -v '^$' "$BUILD/fuzzers.txt")
fi

# Findings are fatal and symbolized; libFuzzer's own -detect_leaks stays on.
export ASAN_OPTIONS=${MLWB_FUZZ_ASAN_OPTIONS:-abort_on_error=0:halt_on_error=1:detect_odr_violation=0}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for s in llvm-symbolizer-14 llvm-symbolizer; do
  if command -v "$s" >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v "$s"); break; fi
done

failed=()
for h in "${harnesses[@]}"; do
  bin=$BUILD/$h
  [ -x "$bin" ] || { echo "run_fuzz.sh: no harness $h in $BUILD" >&2; exit 2; }
  mkdir -p "$BUILD/logs" "$BUILD/artifacts/$h"
  log=$BUILD/logs/$h.log
  artifacts=$BUILD/artifacts/$h/

  regressions=()
  if [ -d "$HERE/regressions/$h" ]; then
    mapfile -t regressions < <(find "$HERE/regressions/$h" -type f ! -name '*.md' | sort)
  fi
  if [ ${#regressions[@]} -gt 0 ]; then
    if "$bin" -artifact_prefix="$artifacts" "${regressions[@]}" >"$BUILD/logs/$h.regressions.log" 2>&1; then
      echo "$h: ${#regressions[@]} saved crash input(s) pass"
    else
      echo "$h: a saved crash input fails again:" >&2
      tail -n 40 "$BUILD/logs/$h.regressions.log" >&2
      failed+=("$h (regressions)")
      continue
    fi
  fi

  work=$BUILD/corpus/$h
  [ "$short" -eq 0 ] || rm -rf "$work" # a short run starts from the seeds alone
  mkdir -p "$work"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1
        -artifact_prefix="$artifacts")
  [ ! -f "$HERE/$h.dict" ] || args+=(-dict="$HERE/$h.dict")
  seeds=()
  [ ! -d "$HERE/corpus/$h" ] || seeds=("$HERE/corpus/$h")
  if "$bin" "${args[@]}" "$work" "${seeds[@]}" >"$log" 2>&1; then
    done_line=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p' <<<"$done_line")
    echo "$h: ${seconds}s, ${runs:-?} runs (${rate:-?}/s), ${cov:-no coverage line}, corpus $(find "$work" -type f | wc -l) files; no crash"
  else
    echo "$h: FAILED (log: $log)" >&2
    grep -E 'ERROR: |runtime error:|broken promise|SUMMARY:' "$log" | head -n 5 >&2 || true
    grep -E 'Test unit written to|written to ' "$log" | sed 's/^/  /' >&2 || true
    echo "  reproduce: $bin <that file>" >&2
    failed+=("$h")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "run_fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "run_fuzz.sh: ${#harnesses[@]} harness(es) ran ${seconds}s each, no crash"
