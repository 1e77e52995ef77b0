#!/usr/bin/env bash
# Start-up time and retained heap of Sluice and HikariCP on a real PostgreSQL, side by side.
#
#   bench/startup-footprint.sh [-r ROUNDS] [-n SIZE] [-s SETTLE_MS] [-c CYCLES] [-j JAR]
#
#   -r ROUNDS     rounds (default 5); a round runs, for each pool, one start-up JVM and one
#                 footprint JVM, the pools' order alternating from round to round
#   -n SIZE       connections per pool: maximumPoolSize = minimumIdle = SIZE (default 10)
#   -s SETTLE_MS  how long a filled pool idles before its heap is counted (default 1000; HikariCP's
#                 connection adder outlives the fill by 5 s, Sluice's connect threads by 0.2 s,
#                 so -s 6000 counts both pools without them)
#   -c CYCLES     footprint cycles per JVM (default 3)
#   -j JAR        run this benchmarks jar instead of building sluice-bench/target/benchmarks.jar
#
# Start-up: per JVM, 6 pools one after another; each is timed from the constructor's call until
# SIZE connections are open (polled every 100 us), then SIZE threads each hold one at once and
# check it. Repeat 1 is the first pool in a fresh JVM, the rest a warm JVM.
# Footprint: per JVM, CYCLES cycles of: class histogram with nothing open, with SIZE plain pgjdbc
# connections in an array, with a pool of SIZE idle connections. See StartupFootprintBenchmark.
#
# Needs PostgreSQL at 127.0.0.1:5432, database test, user postgres, trust authentication
# (-Dsluice.bench.pg.url / -Dsluice.bench.pg.user in JAVA_OPTS and SLUICE_BENCH_PG_PASSWORD
# point it elsewhere). On a shared machine: `flock /tmp/bench.lock bench/startup-footprint.sh`.
#
# Output: bench/results/<UTC timestamp>-startup-footprint/
#   startup.csv     round,pool,repeat,constructor ms,all open ms
#   footprint.csv   round,pool,cycle,size, then bytes per connection: raw - base, pool - raw (all
#                   classes), pool - raw split into the pool's classes, org.postgresql, the rest
#   histograms/     the class histograms of the last round (compare two with the `top` mode)
#   summary.txt     means with 95% intervals and Sluice / HikariCP per measure
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5
size=10
settle=1000
cycles=3
jar=
while getopts "r:n:s:c:j:" opt; do
  case "$opt" in
    r) rounds=$OPTARG ;;
    n) size=$OPTARG ;;
    s) settle=$OPTARG ;;
    c) cycles=$OPTARG ;;
    j) jar=$OPTARG ;;
    *) echo "usage: bench/startup-footprint.sh [-r ROUNDS] [-n SIZE] [-s SETTLE_MS] [-c CYCLES] [-j JAR]" >&2; exit 2 ;;
  esac
done

out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-startup-footprint"
mkdir -p "$out"
if [ -z "$jar" ]; then
  echo "startup-footprint: building sluice-bench/target/benchmarks.jar"
  ./mvnw -B -q package -DskipTests -Dspotbugs.skip=true -pl sluice-bench -am
  jar=sluice-bench/target/benchmarks.jar
fi
main=dev.sluice.bench.StartupFootprintBenchmark
{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores: $(nproc)"
  echo "jdk: $(java -version 2>&1 | head -n 2 | tail -n 1)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "jar: $jar"
  echo "rounds=$rounds size=$size settle_ms=$settle cycles=$cycles"
} > "$out/machine.txt"

for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then pools="sluice hikari"; else pools="hikari sluice"; fi
  keep=()
  if [ "$r" -eq "$rounds" ]; then keep=(--histograms "$out/histograms"); fi
  for p in $pools; do
    echo "startup-footprint: round $r/$rounds, $p"
    # shellcheck disable=SC2086
    java -Xms512m -Xmx512m ${JAVA_OPTS:-} -cp "$jar" "$main" startup --pool "$p" --size "$size" --round "$r" \
      >> "$out/startup.csv" 2>> "$out/pool.log"
    # shellcheck disable=SC2086
    java -Xms512m -Xmx512m ${JAVA_OPTS:-} -cp "$jar" "$main" footprint --pool "$p" --size "$size" --round "$r" \
      --settle-ms "$settle" --cycles "$cycles" "${keep[@]}" >> "$out/footprint.csv" 2>> "$out/pool.log"
  done
done
java -cp "$jar" "$main" summarize "$out/startup.csv" "$out/footprint.csv" | tee "$out/summary.txt"
echo "startup-footprint: done: $out/summary.txt"
