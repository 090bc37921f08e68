#!/usr/bin/env bash
# Builds the release preset and runs every benchmark — every executable named bench_* under the
# build's bench/ folder — then prints one table: figure, measured, target, verdict (bench/README.md).
#
#   bench/run.sh                          configure and build build/release (cmake --preset release)
#   bench/run.sh bench_logingest …        only the named benchmarks
#   VIBEML_BENCH_BUILD_DIR=DIR bench/run.sh   use an already configured Release build folder instead
#   VIBEML_BENCH_NO_BUILD=1 bench/run.sh …    skip the build: run the bench_* already built there
#
# The benchmarks read VIBEML_BENCH_RUNS (repeats, default 5) and VIBEML_BENCH_DURATION_S (the
# log-view stream, default 20 s); the recorded table uses the defaults.
# Exit status: 0 when every figure meets its target, 1 otherwise.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${VIBEML_BENCH_BUILD_DIR:-$root/build/release}

# vibeml talks to the keychain over D-Bus at startup; give it a private session bus, as a desktop has.
if [[ -z ${DBUS_SESSION_BUS_ADDRESS:-} && -z ${VIBEML_BENCH_IN_DBUS:-} ]] && command -v dbus-run-session >/dev/null; then
    VIBEML_BENCH_IN_DBUS=1 exec dbus-run-session -- "$0" "$@"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "Building the benchmarks in $build …" >&2
if [[ -z ${VIBEML_BENCH_BUILD_DIR:-} ]]; then
    build_ok() { (cd "$root" && cmake --preset release && cmake --build --preset release); }
else
    build_ok() { cmake --build "$build"; }
fi
if [[ -n ${VIBEML_BENCH_NO_BUILD:-} ]]; then
    build_ok() { echo "VIBEML_BENCH_NO_BUILD: running what $build/bench already holds"; }
fi
if ! build_ok >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "bench/run.sh: the build failed" >&2
    exit 1
fi

mapfile -t benches < <(find "$build/bench" -type f -name 'bench_*' -perm -u+x -not -path '*/CMakeFiles/*' | sort)
if (($# > 0)); then
    wanted=" $* "
    selected=()
    for bench in "${benches[@]}"; do
        [[ $wanted == *" $(basename "$bench") "* ]] && selected+=("$bench")
    done
    benches=("${selected[@]}")
fi
if ((${#benches[@]} == 0)); then
    echo "bench/run.sh: no bench_* executables in $build/bench" >&2
    exit 1
fi

results=$(mktemp)
trap 'rm -f "$log" "$results"' EXIT
status=0
for bench in "${benches[@]}"; do
    name=$(basename "$bench")
    echo "Running $name …" >&2
    started=$SECONDS
    "$bench" >"$log" && rc=0 || rc=$?
    if ((rc != 0)); then
        printf 'RESULT\t%s\t%s\t%s\tFAIL\n' "$name" "exited with status $rc" "exit status 0" >>"$results"
        status=1
    fi
    if ! grep -q $'^RESULT\t' "$log"; then
        printf 'RESULT\t%s\t%s\t%s\tFAIL\n' "$name" "reported no figures" "RESULT lines" >>"$results"
        status=1
    fi
    grep $'^RESULT\t' "$log" >>"$results" || true
    echo "  $name took $((SECONDS - started)) s" >&2
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
memory=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
echo
echo "$(date +%Y-%m-%d) · $(nproc) CPUs ($cpu) · $memory RAM · $(uname -sr) · runs per figure: ${VIBEML_BENCH_RUNS:-5}"
echo
echo "| figure | measured | target | verdict |"
echo "|---|---|---|---|"
while IFS=$'\t' read -r _ figure measured target verdict; do
    echo "| $figure | $measured | $target | $verdict |"
    [[ $verdict == FAIL ]] && status=1
done <"$results"
exit "$status"
