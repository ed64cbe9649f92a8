#!/usr/bin/env bash
# Start-up of sr, measured as a user meets it: ./sr (launcher, JDK choice, JVM, picocli, Jackson, the HTTP
# client) up to its first request. The request goes to a closed local port, so no server time is counted.
# Prints the median and range of N runs (default 15) with and without the class archive (AOT cache on JDK 25+,
# AppCDS before). "first request" runs from the launch (SR_TIMING=<date +%s%N> given to sr) to the moment the
# first HTTP request is sent; "whole command" until the process has exited (connection refused, exit 9).
#
#   cli/startup-benchmark.sh [runs]
#   SR_IMAGE=<rootfs> cli/startup-benchmark.sh [runs]   the sr image's runtime and jar, run on this host from an
#       unpacked image (umoci unpack --image target/images/oci:sr dir; rootfs = dir/rootfs), with its jlink CDS
#       archive and with -Xshare:off
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${1:-15}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CACHE=$(mktemp -d)
trap 'rm -rf "$CACHE"' EXIT
SR=$ROOT/sr
if [ -n "${SR_IMAGE:-}" ]; then # the image's entrypoint, minus the container-only options
  SR="$SR_IMAGE/opt/java/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m -XX:-UsePerfData -jar $SR_IMAGE/opt/sr/sr.jar"
fi
export XDG_CACHE_HOME=$CACHE XDG_CONFIG_HOME=$CACHE STRONGROOM_TOKEN=benchmark STRONGROOM_AUTH_URL=http://127.0.0.1:$PORT

measure() { # label, extra env
  local label=$1 walls=() firsts=() cpus=() i start end first out
  shift
  env "$@" $SR whoami >/dev/null 2>&1 || true # warm-up: starts making the archive when CDS is on
  while compgen -G "$CACHE/strongroom/*.lock" >/dev/null; do sleep 1; done # JDK 25+: the background training run
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s%N)
    out=$( { /usr/bin/time -f 'cpu %U %S' env "$@" SR_TIMING="$start" $SR whoami >/dev/null; } 2>&1 || true)
    end=$(date +%s%N)
    first=$(printf '%s\n' "$out" | sed -n 's/^sr: first request \([0-9]*\) ms.*/\1/p')
    walls+=($(((end - start) / 1000000)))
    firsts+=("${first:-0}")
    cpus+=("$(printf '%s\n' "$out" | awk '/^cpu /{printf "%d", ($2 + $3) * 1000}')")
  done
  stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms (min %d, max %d)", a[int((NR+1)/2)], a[1], a[NR]}'; }
  printf '%-18s first request: %s\n%-18s whole command:  %s\n%-18s CPU (user+sys):  %s\n' "$label" "$(stats "${firsts[@]}")" \
    "" "$(stats "${walls[@]}")" "" "$(stats "${cpus[@]}")"
}

echo "sr start-up, $RUNS runs each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${SR_IMAGE:-}" ]; then
  measure "image, CDS archive" SR_CDS=on
  measure "image, -Xshare:off" JAVA_TOOL_OPTIONS=-Xshare:off
else
  measure "AOT cache/AppCDS" SR_CDS=on
  measure "without AppCDS" SR_CDS=off
fi
