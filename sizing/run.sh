#!/usr/bin/env bash
# Runs the adaptive-sizing simulation and writes the tables and charts of docs/sizing.md.
#
#   sizing/run.sh           full: 4 profiles x (ADAPTIVE, FIXED 4, 8, 16, 32) on the queueing-model
#                           stand-in and on PostgreSQL at 127.0.0.1:5432 (30 s runs each; PostgreSQL is
#                           skipped with a message if it is not reachable), plus the spike with sizingInterval
#                           250 ms and 100 ms: about 25 minutes, at most 28 with repeated runs (below).
#                           Rewrites the generated part of docs/sizing.md and docs/sizing-<profile>.svg.
#   sizing/run.sh --quick   the same with 10 s runs and no interval sweep, about 8 minutes; writes only
#                           under sizing/results/, docs/ is left alone.
#
# Further options go to dev.sluice.sim.SizingSimulation, e.g.
#   sizing/run.sh --quick --profile spike --backend sim --pools adaptive,16
#
# Output: sizing/results/<UTC timestamp>-<mode>/
#   report.md                       the generated Markdown (also spliced into docs/sizing.md by a full run)
#   sizing-<profile>.svg            one chart per profile: pool size and p99 wait, ADAPTIVE vs the best fixed size
#   <backend>-<profile>-<pool>.csv  each run's pool size every 100 ms, p99 wait per second and its longest waits (2%)
#   *-decisions.log                 each ADAPTIVE run's every sizing decision with its inputs and reason
#   console.txt                     one line per run as it finished
#
# The numbers are wall-clock measurements: each run reports how late its own 100 ms sampler ran (the
# machine's scheduling delay) and the load average. A run whose sampler lag p99 exceeds 20 ms is
# repeated (at most twice, within a budget of 180 s for the whole run) and the least disturbed
# attempt counts; the report flags what stayed disturbed. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
if [ "${1:-}" = "--quick" ]; then
  mode=quick
  shift
fi

java=java
if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
fi

echo "sizing: building sluice-sim/target/sluice-sim.jar"
./mvnw -B -q package -DskipTests -Dspotbugs.skip=true -pl sluice-sim -am

SIZING_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' with local changes')"
export SIZING_COMMIT
out="sizing/results/$(date -u +%Y%m%dT%H%M%SZ)-$mode"
mkdir -p "$out"
started=$(date +%s)

if [ "$mode" = full ]; then
  args=(--full --docs docs --sweep 250,100 --command "sizing/run.sh")
else
  args=(--quick --command "sizing/run.sh --quick")
fi
# A fixed heap, so that no run pays for the heap growing under the one before it.
"$java" -Xms512m -Xmx512m -jar sluice-sim/target/sluice-sim.jar "${args[@]}" --out "$out" "$@" | tee "$out/console.txt"

echo "sizing: done in $(( $(date +%s) - started )) s; results in $out"
