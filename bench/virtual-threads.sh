#!/usr/bin/env bash
# Many virtual threads on a pool of 16: Sluice, HikariCP and Agroal side by side in one JVM.
#
#   bench/virtual-threads.sh [quick|smoke] [extra options...]
#
#   quick (default)  1,000 and 10,000 virtual threads, each looping borrow -> one query -> close;
#                    per pool and thread count, 3 rounds of 3 s warm-up + 10 s measured, on both
#                    backends: 2 x 2 x 3 x 3 = 36 runs, plus one untimed 3 s pass per pool and
#                    backend first (the JVM's warm-up), about 14 minutes.
#   smoke            1 round of 1 s + 1 s, 1,000 threads: checks that everything runs (~1 min).
#
# Backends (--backends stub,postgres by default):
#   stub       sluice-stub's stand-in database, every statement parked for 100 us
#              (LockSupport.parkNanos, which unmounts a virtual thread rather than pinning it)
#   postgres   PostgreSQL at 127.0.0.1:5432, database test, user postgres, trust authentication,
#              running `select pg_sleep(0.0005)`; -Dsluice.bench.pg.url / -Dsluice.bench.pg.user in
#              JAVA_OPTS point it elsewhere (and SLUICE_BENCH_PG_PASSWORD gives a password)
#
# Extra options go to dev.sluice.bench.VirtualThreadBenchmark: --backends stub, --threads 1000,
# --pools sluice,hikari, --rounds 5, --warmup 3, --measure 10, --size 16, --query-micros 100,
# --pg-sleep 0.0005, and --jfr-dir DIR to keep, per run, a JFR recording with CPU samples and
# park/monitor events besides the pinned-thread events (for profiling; it costs some throughput).
#
# Needs a JDK 21 or newer: JAVA_HOME, else the newest Temurin/OpenJDK under /usr/lib/jvm, else
# `java` on the PATH. The build itself (./mvnw) runs on whatever JDK Maven finds.
#
# Output: bench/results/<UTC timestamp>-virtual-threads-<profile>/
#   runs.csv      one line per run (pool, thread count, round): ops/s, acquire p50/p99/max,
#                 per-thread min/max operations, threads that completed none, pinned events
#   summary.txt   the console output, ending with mean +- half-range over rounds per pool and the
#                 throughput as a ratio to the best other pool of the same round
#   machine.txt   CPU, cores, JDK, commit, and the share of CPU time other processes used
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-quick}
if [ $# -gt 0 ]; then
  shift
fi
case "$profile" in
  quick) args=(--threads 1000,10000 --rounds 3 --warmup 3 --measure 10) ;;
  smoke) args=(--threads 1000 --rounds 1 --warmup 1 --measure 1) ;;
  *) echo "usage: bench/virtual-threads.sh [quick|smoke] [options...]" >&2; exit 2 ;;
esac

java_major() { "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }'; }
java=
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
else
  for candidate in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V -r) $(command -v java || true); do
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      java=$candidate
      break
    fi
  done
fi
if [ -z "$java" ] || [ "$(java_major "$java")" -lt 21 ]; then
  echo "virtual-threads: needs a JDK 21 or newer (set JAVA_HOME)" >&2
  exit 1
fi

out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-virtual-threads-$profile"
mkdir -p "$out"
echo "virtual-threads: building sluice-bench/target/benchmarks.jar"
./mvnw -B -q package -DskipTests -Dspotbugs.skip=true -pl sluice-bench -am
jar=sluice-bench/target/benchmarks.jar

{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores: $(nproc)"
  echo "jdk: $("$java" -version 2>&1 | head -n 2 | tail -n 1)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "profile: $profile $*"
} > "$out/machine.txt"

# How much of the machine's CPU time went to other processes while the benchmark ran (all busy
# time minus this script's children and PostgreSQL's): the machine may be shared, and with both
# cores busy anything else running shows as lost throughput. Ratios from the same run hold better.
. bench/lib.sh
hz=$(getconf CLK_TCK)
cpu_snapshot() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
own_seconds() { # sets $own; `times` must run in this shell, not in a command substitution
  times > "$out/.times"
  own=$(tail -n 1 "$out/.times" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } print s }')
  rm -f "$out/.times"
}
pg_seconds() { if command -v pgrep > /dev/null; then postgres_cpu_seconds; else echo 0; fi; }
read -r busy0 total0 < <(cpu_snapshot)
own_seconds
own0=$own
pg0=$(pg_seconds)
started=$(date +%s)
# A fixed, pre-touched heap, as for the JMH runs: fresh heap pages fault slowly on these VMs.
# shellcheck disable=SC2086
"$java" -Xms2g -Xmx2g -XX:+AlwaysPreTouch ${JAVA_OPTS:-} -cp "$jar" dev.sluice.bench.VirtualThreadBenchmark \
  "${args[@]}" --csv "$out/runs.csv" "$@" 2>> "$out/pool.log" | tee "$out/summary.txt"
read -r busy1 total1 < <(cpu_snapshot)
own_seconds
own1=$own
pg1=$(pg_seconds)
awk -v b="$((busy1 - busy0))" -v t="$((total1 - total0))" -v o0="$own0" -v o1="$own1" -v g0="$pg0" -v g1="$pg1" -v hz="$hz" \
  'BEGIN { other = (b / hz - (o1 - o0) - (g1 - g0)) / (t / hz) * 100; if (other < 0) other = 0;
           printf "during the run: benchmark JVM %.0f%%, PostgreSQL %.0f%%, other processes %.0f%% of all CPU time\n",
                  (o1 - o0) / (t / hz) * 100, (g1 - g0) / (t / hz) * 100, other }' >> "$out/machine.txt"
echo "elapsed: $(( $(date +%s) - started ))s" >> "$out/machine.txt"
echo "virtual-threads: done: $out/summary.txt, $out/runs.csv"
