#!/usr/bin/env bash
# Runs Sluice's JMH suite side by side with its peers and writes a report.
#
#   bench/run.sh [quick|full|smoke] [extra JMH options...]            (a)-(d), over the stub driver
#   bench/run.sh postgres [quick|full|smoke] [extra JMH options...]   (e), on a real PostgreSQL
#
#   quick (default)  1 fork, 2 warm-up iterations of 1 s, 5 measurement iterations of 0.5 s:
#                    9 pools x 3 benchmarks x 3 thread counts + 9 pools x 2 contention modes =
#                    99 forks, about 15 minutes on a 2-core machine. Five short iterations rather
#                    than three long ones: JMH's 99.9% error uses Student's t, which is 31.6 for
#                    3 samples and 8.6 for 5, so three iterations give error bars too wide to read.
#                    Good for a comparison, not for differences under ~10%: read the error bars.
#   full             2 forks, 3 warm-up iterations of 2 s, 5 measurement iterations of 2 s:
#                    about an hour on a 2-core machine.
#   smoke            1 fork, no warm-up, 1 iteration of 200 ms: only checks that every pool and
#                    benchmark runs and the report is made (about 5 minutes); the numbers mean nothing.
#
# postgres runs only (e), PostgresSelectBenchmark: select one row by primary key through each pool
# and through a direct connection per thread, at 1, 2 and 8 threads, against PostgreSQL at
# 127.0.0.1:5432, database test, user postgres, trust authentication (the benchmark creates and
# fills its table; -jvmArgsAppend -Dsluice.bench.pg.url=... points it elsewhere). It is not part of
# quick or full, which need no database. 9 x 3 = 27 forks; each fork also spends ~7 s starting,
# pre-touching its heap and opening its connections.
#   postgres quick   1 fork, 5 warm-up iterations of 1 s, 10 measurement iterations of 1 s: about
#                    10 minutes. A query is a round trip between two processes on 2 cores, so
#                    one-second scores jump by 10-30% with where the scheduler puts the client and
#                    the server: ten iterations (Student's t 4.8, against 8.6 for five) keep the
#                    error bars readable, and five seconds of warm-up let the JIT finish with every
#                    core busy. Still too coarse to settle a 2% difference: read the error bars.
#   postgres full    3 forks, 5 warm-up iterations of 2 s, 10 measurement iterations of 2 s: about
#                    50 minutes.
#   postgres smoke   as smoke: checks that every pool connects and runs (about 4 minutes).
#
# Extra options go to every JMH invocation, e.g. `bench/run.sh quick -p pool=sluice,hikari,agroal`.
#
# Output: bench/results/<UTC timestamp>-<profile>/ (…-postgres-<profile>/ for postgres)
#   overhead-t{1,2,8}.json   (a)-(c) at 1, 2 and 8 threads, JMH JSON with -prof gc
#   contention.json          (d) 16 threads on 4 connections, throughput and SampleTime, -prof gc
#   fairness.csv             per-iteration most/least-served thread counts of (d)
#   postgres-t{1,2,8}.json   (e) at 1, 2 and 8 threads, JMH JSON with -prof gc (postgres only)
#   jmh.log, machine.txt     the JMH console output; CPU, cores, JDK, commit
#   report.md, chart.svg     made by bench/Report.java from the files above
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

suite=stub
if [ "${1:-}" = postgres ]; then
  suite=postgres
  shift
fi
profile=${1:-quick}
if [ $# -gt 0 ]; then
  shift
fi
case "$suite/$profile" in
  stub/quick)     forks=1; warmups=2; warmup_time=1s; iterations=5; iteration_time=500ms ;;
  stub/full)      forks=2; warmups=3; warmup_time=2s; iterations=5; iteration_time=2s ;;
  postgres/quick) forks=1; warmups=5; warmup_time=1s; iterations=10; iteration_time=1s ;;
  postgres/full)  forks=3; warmups=5; warmup_time=2s; iterations=10; iteration_time=2s ;;
  */smoke)        forks=1; warmups=0; warmup_time=1s; iterations=1; iteration_time=200ms ;;
  *) echo "usage: bench/run.sh [postgres] [quick|full|smoke] [JMH options...]" >&2; exit 2 ;;
esac

java=java
if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
fi

if [ "$suite" = postgres ]; then
  out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-postgres-$profile"
else
  out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$profile"
fi
mkdir -p "$out"
started=$(date +%s)

echo "bench: building sluice-bench/target/benchmarks.jar"
./mvnw -B -q package -DskipTests -Dspotbugs.skip=true -pl sluice-bench -am
jar=sluice-bench/target/benchmarks.jar

{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores: $(nproc)"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "jdk: $("$java" -version 2>&1 | head -n 2 | tail -n 1)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "profile: $([ "$suite" = postgres ] && echo "postgres ")$profile"
  if [ "$suite" = postgres ] && command -v psql > /dev/null; then
    # The server competes with the client for the same cores; its version belongs with the scores.
    echo "postgresql: $(PGCONNECT_TIMEOUT=3 psql -w -h 127.0.0.1 -U postgres -d test -Atc 'show server_version' 2>/dev/null || echo unknown)"
  fi
} > "$out/machine.txt"

# A fixed, pre-touched heap: on these virtual machines page faults on fresh heap pages cap the
# allocation rate at a few hundred MB/s, and every allocating pool would look slower than it is.
jvm_args="-Xms2g -Xmx2g -XX:+AlwaysPreTouch"
common=(-f "$forks" -wi "$warmups" -w "$warmup_time" -i "$iterations" -r "$iteration_time" -prof gc -foe true)

# Anything else running on the machine (a build, a test suite) steals cores and shows in the
# scores. So each JMH invocation records how much of the machine's CPU time went to other
# processes while it ran (all busy time, minus this script's children), and the hypervisor's steal:
# look at machine.txt before trusting a run.
hz=$(getconf CLK_TCK)
cpu_snapshot() { # busy and steal jiffies over all CPUs, total jiffies
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}
own_seconds() { # sets $own: user + system time of this shell's finished children (`times` must run in this shell)
  times > "$out/.times"
  own=$(tail -n 1 "$out/.times" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } print s }')
  rm -f "$out/.times"
}
# For (e) the database server works for the benchmark on the same cores, so its CPU time is
# counted apart from "other processes": every live postgres process, plus the backends that have
# exited, which the kernel adds to the postmaster's children's time once it has reaped them.
pg_seconds() {
  if [ "$suite" != postgres ] || ! command -v pgrep > /dev/null; then
    echo 0
    return
  fi
  postgres_cpu_seconds
}
run() {
  local name=$1
  shift
  echo "bench: $name"
  local busy0 steal0 total0 busy1 steal1 total1 own0 own1 pg0 pg1
  read -r busy0 steal0 total0 < <(cpu_snapshot)
  own_seconds
  own0=$own
  pg0=$(pg_seconds)
  "$java" -jar "$jar" "$@" "${common[@]}" -rf json -rff "$out/$name.json" "${extra[@]}" >> "$out/jmh.log" 2>&1 || {
    echo "bench: $name failed; see $out/jmh.log" >&2
    report_jmh_failure bench "$out/jmh.log"
    exit 1
  }
  read -r busy1 steal1 total1 < <(cpu_snapshot)
  own_seconds
  own1=$own
  pg1=$(pg_seconds)
  local line
  line=$(awk -v b="$((busy1 - busy0))" -v s="$((steal1 - steal0))" -v t="$((total1 - total0))" -v o="$own0" -v p="$own1" -v hz="$hz" \
    -v g0="$pg0" -v g1="$pg1" -v pg="$([ "$suite" = postgres ] && echo 1 || echo 0)" \
    'BEGIN { other = (b / hz - (p - o) - (g1 - g0)) / (t / hz) * 100; if (other < 0) other = 0;
             printf "other processes %.0f%% of the CPU time, steal %.0f%%", other, s / t * 100;
             if (pg) printf ", PostgreSQL %.0f%%", (g1 - g0) / (t / hz) * 100 }')
  echo "$name: $line" >> "$out/machine.txt"
  if [ "${line#other processes }" != "$line" ] && [ "$(echo "$line" | awk '{ print ($3 + 0 > 10) }')" = 1 ]; then
    echo "bench: warning: $name: $line; other work distorts the scores" >&2
  fi
}

extra=("$@")
if [ "$suite" = postgres ]; then
  for threads in 1 2 8; do
    run "postgres-t$threads" 'dev.sluice.bench.PostgresSelectBenchmark' -t "$threads" -jvmArgs "$jvm_args"
  done
else
  for threads in 1 2 8; do
    run "overhead-t$threads" 'dev.sluice.bench.PoolOverheadBenchmark' -t "$threads" -jvmArgs "$jvm_args"
  done
  # Thread count fixed by @Threads(16) on the class.
  run contention 'dev.sluice.bench.ContentionBenchmark' -jvmArgs "$jvm_args -Dsluice.bench.fairness=$PWD/$out/fairness.csv"
fi

"$java" bench/Report.java "$out" > /dev/null
elapsed=$(( $(date +%s) - started ))
echo "elapsed: ${elapsed}s" >> "$out/machine.txt"
echo "bench: done in $((elapsed / 60))m$((elapsed % 60))s: $out/report.md, $out/chart.svg"
