#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# MLOps Workbench developer entry point.
#   ./dev.sh run    install what is missing, build (Release, ccache), open the demo project
#   ./dev.sh test   install what is missing, build, run the whole suite with ctest
#   ./dev.sh sanitize  the same under AddressSanitizer + UBSan, in build-asan (preset "asan")
# Both are idempotent and incremental.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
BUILD=${MLWB_BUILD_DIR:-$ROOT/build}

PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libqt6svg6
  qt6-qpa-plugins libgl-dev qt6-l10n-tools
  libtorch-dev libopenblas0-openmp libsqlite3-dev zlib1g-dev libsodium-dev libzip-dev
  breeze-icon-theme
  # the agent: HTTP servers measured against each other (see bench_http), TLS, tokens
  libcpp-httplib-dev libboost-dev libssl-dev qtkeychain-qt6-dev
  # tests and tools
  libgtest-dev libgmock-dev libbenchmark-dev sqlite3
  # the libFuzzer harnesses in tests/fuzz (clang, its libFuzzer runtime, the symbolizer)
  clang-14 libclang-rt-14-dev llvm-14
  # reference implementations for the interop tests (Debian's /usr/bin/python3 only)
  python3-torch python3-sklearn python3-numpy python3-scipy
  xvfb xauth imagemagick
  # promtool checks the agent's /metrics
  prometheus
  # the agent's HTTPS test makes its certificate with the openssl command
  openssl
  # reports (issue #14): PDF drawn with cairo + pango and the font it embeds; the tests read the PDF
  # with poppler-utils (pdftotext, pdfinfo, pdffonts); chromium looks at the HTML (screenshots)
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils chromium
)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "dev.sh: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

configure_and_build() {
  if [ ! -f "$BUILD/build.ninja" ]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
  fi
  export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
  # Relative paths in cache keys: a second clone of the repository reuses the cache.
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}
  cmake --build "$BUILD" -j"$(nproc)"
}

demo_project() {
  local demo="$BUILD/demo/demo.mlwb"
  if [ ! -f "$demo" ]; then
    mkdir -p "$BUILD/demo"
    "$BUILD/bin/mlwb" demo "$demo" --datasets "$ROOT/resources/datasets" >&2
  fi
  echo "$demo"
}

cmd=${1:-}
case "$cmd" in
  run)
    install_packages
    configure_and_build
    demo=$(demo_project)
    shift
    exec "$BUILD/bin/mlwb-workbench" "$demo" "$@"
    ;;
  test)
    install_packages
    configure_and_build
    shift
    export QT_QPA_PLATFORM=offscreen
    # The Python reference packages were just installed: a test that cannot import them fails
    # instead of skipping (MLWB_REQUIRE_ALL=0 to allow skips).
    export MLWB_REQUIRE_ALL=${MLWB_REQUIRE_ALL:-1}
    cd "$BUILD"
    set +e
    ctest --output-on-failure -j"$(nproc)" "$@" 2>&1 | tee "$BUILD/ctest.log"
    rc=${PIPESTATUS[0]}
    echo
    echo "=== ctest summary ==="
    grep -E '^[0-9]+% tests passed|tests failed|^Total Test time' "$BUILD/ctest.log" || true
    exit "$rc"
    ;;
  sanitize)
    install_packages
    shift
    # Its own build folder and ccache keys: sanitizer objects never mix with the normal build.
    cmake --preset asan -S "$ROOT" >/dev/null
    export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
    export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}
    cmake --build --preset asan -j"$(nproc)"
    set +e
    # The environment (QT_QPA_PLATFORM, ASAN_OPTIONS, UBSAN_OPTIONS, MLWB_REQUIRE_ALL) comes
    # from the test preset; time-outs are 4x longer in a sanitized build (tests/CMakeLists.txt).
    ctest --preset asan -j"$(nproc)" "$@" 2>&1 | tee "$ROOT/build-asan/ctest.log"
    rc=${PIPESTATUS[0]}
    echo
    echo "=== ctest summary (ASan + UBSan) ==="
    grep -E '^[0-9]+% tests passed|tests failed|^Total Test time|ERROR: AddressSanitizer|runtime error:' \
      "$ROOT/build-asan/ctest.log" || true
    exit "$rc"
    ;;
  *)
    echo "usage: ./dev.sh run | ./dev.sh test [ctest args] | ./dev.sh sanitize [ctest args]" >&2
    exit 2
    ;;
esac
