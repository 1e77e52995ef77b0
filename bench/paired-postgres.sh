#!/usr/bin/env bash
# Paired measurement of (e), select by primary key on a real PostgreSQL, with the client and the
# server pinned to separate cores: does a pool reach 0.98 x a direct connection per thread?
#
#   bench/paired-postgres.sh [-r ROUNDS] [-t THREADS] [-p POOL] [-b BASE] [-W WARMUPS] [-- extra JMH options...]
#
#   -r ROUNDS    rounds of one BASE fork and one POOL fork (default 10; a round takes about
#                35 s on a 2-core VM: two forks of 5 x 1 s warm-up and 10 x 1 s measurement, plus
#                2-3 s each to start a JVM, pre-touch its heap and open its connections)
#   -t THREADS   JMH threads (default 1)
#   -p POOL      the pool compared with direct (default sluice; any pool PostgresSelectBenchmark knows)
#   -b BASE      what POOL is compared with (default direct; or another pool, to pair two pools in
#                the same rounds: -b hikari -p sluice)
#   -W WARMUPS   warm-up iterations of 1 s per fork (default 5, as bench/run.sh postgres quick)
#   --           ends this script's options: what follows goes to JMH (-prof comp, -jvmArgsAppend ...)
#
# Why: bench/run.sh postgres lets PostgreSQL and the JMH client share every core, and on a 2-core
# machine one-second scores jump between scheduler regimes (where the client thread and its backend
# land), so its intervals are too wide to settle a 2% difference. Here every postgres process (the
# postmaster and all its children; backends forked later inherit the postmaster's mask) is pinned
# to CPU 1, and each JMH run (the host JVM and the forked one, which inherits the mask) to CPU 0.
# At 1 thread, client and server then each have a core of their own; at 2 or more threads the
# client threads share CPU 0. Note that a JVM limited to one CPU sees availableProcessors() = 1 and
# picks the serial collector and fewer compiler threads: the same for both sides of the comparison.
#
# The forks alternate: round 1 runs direct then POOL, round 2 POOL then direct, and so on, so that
# a drift of the machine over time (or a warm server cache) favours neither side. Each fork uses
# the settings of `bench/run.sh postgres quick` (1 fork, 5 x 1 s warm-up, 10 x 1 s measurement,
# -Xms2g -Xmx2g -XX:+AlwaysPreTouch), without -prof gc. At the end it prints, from the JMH JSON:
#   - per round: both scores (mean of the fork's measurement iterations) and POOL / direct
#   - the geometric mean of the per-round ratios with a 95% confidence interval: Student's t over
#     the per-round log ratios (each round is one paired sample, so the slow drift of the machine
#     cancels within a round rather than widening the interval)
#   - the pooled-iterations ratio: mean of all POOL iterations / mean of all direct iterations
#   - the verdict: 0.98 x direct is shown only if the interval's lower bound is >= 0.98.
#
# A trap puts every postgres process back on all CPUs when the script ends in any way (done, an
# error, Ctrl-C, kill; a signal is acted on once the JVM running in the foreground has stopped). It needs root (or CAP_SYS_NICE) to change the affinity of postgres'
# processes, a PostgreSQL on this machine at 127.0.0.1:5432, database test, user postgres, trust
# authentication (as PostgresSelectBenchmark expects), at least 2 CPUs, and taskset and pgrep.
# On a shared machine, hold the lock others use: `flock /tmp/machine.lock bench/paired-postgres.sh`.
#
# Output: bench/results/<UTC timestamp>-paired-postgres-<POOL>-t<THREADS>/
#   rNN-direct.json, rNN-<POOL>.json   JMH JSON of each fork (NN = round)
#   jmh.log                            the JMH console output
#   machine.txt                        CPU, JDK, commit, PostgreSQL version; per fork: the busy share
#                                      of CPU 0 and CPU 1 and PostgreSQL's CPU time as a share of
#                                      one core, over the whole fork (start-up included)
#   summary.txt                        the summary printed at the end
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

rounds=10
threads=1
pool=sluice
warmups=5
base=direct
while getopts 'r:t:p:b:W:h' opt; do
  case "$opt" in
    r) rounds=$OPTARG ;;
    t) threads=$OPTARG ;;
    p) pool=$OPTARG ;;
    W) warmups=$OPTARG ;;
    b) base=$OPTARG ;;
    h) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
extra=("$@")
case "$rounds$threads$warmups" in
  *[!0-9]*) echo "paired-postgres: -r, -t and -W take positive whole numbers" >&2; exit 2 ;;
esac
if [ "$rounds" -lt 2 ] || [ "$threads" -lt 1 ] || [ "$warmups" -lt 1 ]; then
  echo "paired-postgres: need -r 2 or more (an interval needs two rounds), -t 1 or more and -W 1 or more" >&2
  exit 2
fi
if [ "$pool" = direct ]; then
  echo "paired-postgres: -p names the pool to compare with direct; direct itself makes no pair" >&2
  exit 2
fi
if [ "$pool" = "$base" ]; then
  echo "paired-postgres: -p and -b name the same set-up ($pool); a pair needs two" >&2
  exit 2
fi
# Checked here, not by the forked JVM's stack trace. A JMH option given without -- in front (-prof
# gc) is read by getopts as -p rof, so the message says that too. The names are those of
# PostgresSelectBenchmark's @Param (the jar may not be built yet, so JMH's -lp cannot be asked).
pools="sluice hikari agroal dbcp2 vibur tomcat c3p0 druid"
known() { case "$1" in *" "* | "") return 1 ;; esac; case " $pools " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if ! known "$pool"; then
  echo "paired-postgres: -p $pool is not a pool PostgresSelectBenchmark knows ($pools);" \
    "to pass options to JMH, put -- before them: bench/paired-postgres.sh -t 8 -- -prof comp" >&2
  exit 2
fi
if [ "$base" != direct ] && ! known "$base"; then
  echo "paired-postgres: -b $base is neither direct nor a pool PostgresSelectBenchmark knows ($pools)" >&2
  exit 2
fi

client_cpu=0
server_cpu=1
for tool in taskset pgrep awk; do
  command -v "$tool" > /dev/null || { echo "paired-postgres: $tool is missing (util-linux, procps)" >&2; exit 1; }
done
ncpu=$(nproc --all)
if [ "$ncpu" -lt 2 ]; then
  echo "paired-postgres: needs 2 CPUs (client on CPU $client_cpu, PostgreSQL on CPU $server_cpu); this machine has $ncpu" >&2
  exit 1
fi
all_cpus="0-$((ncpu - 1))"

java=java
if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
fi

jar=sluice-bench/target/benchmarks.jar
if [ ! -f "$jar" ]; then
  echo "paired-postgres: building $jar"
  ./mvnw -B -q package -DskipTests -Dspotbugs.skip=true -pl sluice-bench -am
fi

# Reachable? psql says more (a refused login, a missing database); without it, at least the port.
if command -v psql > /dev/null; then
  if ! err=$(PGCONNECT_TIMEOUT=3 psql -w -h 127.0.0.1 -p 5432 -U postgres -d test -Atc 'select 1' 2>&1 > /dev/null); then
    echo "paired-postgres: PostgreSQL is not reachable at 127.0.0.1:5432, database test, user postgres: $(echo "$err" | head -n 1)" >&2
    exit 1
  fi
elif ! (exec 3<> /dev/tcp/127.0.0.1/5432) 2> /dev/null; then
  echo "paired-postgres: PostgreSQL is not reachable: nothing listens on 127.0.0.1:5432" >&2
  exit 1
fi
if ! pgrep -x postgres > /dev/null; then
  echo "paired-postgres: no process named postgres on this machine: the server must run here to be pinned" >&2
  exit 1
fi

# Sets the affinity of every thread (-a) of every postgres process. A backend may exit between
# pgrep and taskset; that one is skipped. The postmaster (the oldest) must succeed: without it,
# new backends would not inherit the mask.
pin_postgres() {
  local cpus=$1 p master
  master=$(pgrep -o -x postgres || true)
  for p in $(pgrep -x postgres || true); do
    if ! taskset -a -p -c "$cpus" "$p" > /dev/null 2>&1 && [ "$p" = "$master" ]; then
      echo "paired-postgres: could not set the affinity of the postmaster (pid $p) to CPU $cpus: are you root?" >&2
      return 1
    fi
  done
}
restore() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if pin_postgres "$all_cpus"; then
    echo "paired-postgres: PostgreSQL's processes are back on CPUs $all_cpus" >&2
  else
    echo "paired-postgres: warning: PostgreSQL's affinity could not be restored; run: for p in \$(pgrep -x postgres); do taskset -a -p -c $all_cpus \$p; done" >&2
  fi
  exit "$rc"
}
trap restore EXIT
# A signal ends the script through exit, which runs the EXIT trap once.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-paired-postgres-$pool$([ "$base" = direct ] || echo "-vs-$base")-t$threads"
mkdir -p "$out"
started=$(date +%s)

{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores: $ncpu; client (JMH) on CPU $client_cpu, PostgreSQL on CPU $server_cpu"
  echo "jdk: $("$java" -version 2>&1 | head -n 2 | tail -n 1)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "command: bench/paired-postgres.sh -r $rounds -t $threads -p $pool -b $base -W $warmups${extra[*]:+ -- ${extra[*]}}"
  if command -v psql > /dev/null; then
    echo "postgresql: $(PGCONNECT_TIMEOUT=3 psql -w -h 127.0.0.1 -U postgres -d test -Atc 'show server_version' 2>/dev/null || echo unknown)"
  fi
} > "$out/machine.txt"

pin_postgres "$server_cpu"
echo "paired-postgres: pinned $(pgrep -x postgres | wc -l) postgres processes to CPU $server_cpu; JMH runs on CPU $client_cpu"

hz=$(getconf CLK_TCK)
cpu_snapshot() { # busy and total jiffies of the client's CPU, then of the server's
  awk -v a="cpu$client_cpu" -v b="cpu$server_cpu" '$1 == a || $1 == b {
      busy[$1] = $2 + $3 + $4 + $7 + $8; total[$1] = $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }
    END { print busy[a], total[a], busy[b], total[b] }' /proc/stat
}

fork() { # round, pool
  local name r0 w0 a0 t0 b0 u0 g0 a1 t1 b1 u1 g1 w1
  name=$(printf 'r%02d-%s' "$1" "$2")
  read -r a0 t0 b0 u0 < <(cpu_snapshot)
  g0=$(postgres_cpu_seconds)
  w0=$(date +%s)
  taskset -c "$client_cpu" "$java" -jar "$jar" 'dev.sluice.bench.PostgresSelectBenchmark' -p pool="$2" \
    -f 1 -wi "$warmups" -w 1s -i 10 -r 1s -t "$threads" -foe true -jvmArgs "-Xms2g -Xmx2g -XX:+AlwaysPreTouch" \
    -rf json -rff "$out/$name.json" "${extra[@]}" >> "$out/jmh.log" 2>&1 || {
    echo "paired-postgres: $name failed; see $out/jmh.log" >&2
    report_jmh_failure paired-postgres "$out/jmh.log"
    exit 1
  }
  read -r a1 t1 b1 u1 < <(cpu_snapshot)
  g1=$(postgres_cpu_seconds)
  w1=$(date +%s)
  awk -v n="$name" -v a="$((a1 - a0))" -v t="$((t1 - t0))" -v b="$((b1 - b0))" -v u="$((u1 - u0))" \
    -v g0="$g0" -v g1="$g1" -v w="$((w1 - w0))" -v hz="$hz" -v cc="$client_cpu" -v sc="$server_cpu" \
    'BEGIN { if (t < 1) t = 1; if (u < 1) u = 1
             printf "%s: %d s; CPU %d busy %.0f%%, CPU %d busy %.0f%%, PostgreSQL %.0f%% of one core\n",
               n, w, cc, 100 * a / t, sc, 100 * b / u, 100 * (g1 - g0) / (t / hz) }' \
    | tee -a "$out/machine.txt"
}

for ((r = 1; r <= rounds; r++)); do
  if ((r % 2 == 1)); then
    order=("$base" "$pool")
  else
    order=("$pool" "$base")
  fi
  echo "paired-postgres: round $r of $rounds: ${order[0]} then ${order[1]}"
  fork "$r" "${order[0]}"
  fork "$r" "${order[1]}"
done

# The statistics, in awk so that nothing but this script is needed. JMH writes its JSON one value
# per line: a fork's score follows "primaryMetric", and its iterations are the numbers between
# "rawData" and the end of that array.
stats() {
  local r
  for ((r = 1; r <= rounds; r++)); do
    for side in "$base" "$pool"; do
      awk -v r="$r" -v side="$side" '
        /"primaryMetric"/ { inprimary = 1 }
        inprimary && /"score" :/ && !scored { v = $0; sub(/.*: */, "", v); sub(/,.*/, "", v); print r, side, "score", v; scored = 1 }
        inprimary && /"rawData"/ { inraw = 1; next }
        inraw && /^[[:space:]]*\]/ { depth++; if (depth == 2) { inraw = 0; inprimary = 0 } next }
        inraw && /^[[:space:]]*\[/ { depth = 0; next }
        inraw && /[0-9]/ { v = $0; gsub(/[ ,\t]/, "", v); print r, side, "iteration", v }
      ' "$out/$(printf 'r%02d-%s' "$r" "$side").json"
    done
  done | awk -v pool="$pool" -v base="$base" -v rounds="$rounds" -v target=0.98 '
    # Two-sided 95% quantiles of Student t for 1..30 degrees of freedom; beyond, the Cornish-Fisher
    # expansion around the normal quantile (off by less than 1e-4 there).
    function tq(df,   z) {
      if (df <= 30) return T[df]
      z = 1.959964
      return z + (z^3 + z) / (4 * df) + (5 * z^5 + 16 * z^3 + 3 * z) / (96 * df^2) \
        + (3 * z^7 + 19 * z^5 + 17 * z^3 - 15 * z) / (384 * df^3) \
        + (79 * z^9 + 776 * z^7 + 1482 * z^5 - 1920 * z^3 - 945 * z) / (92160 * df^4)
    }
    BEGIN {
      split("12.7062 4.3027 3.1824 2.7764 2.5706 2.4469 2.3646 2.3060 2.2622 2.2281 2.2010 2.1788 2.1604 2.1448 2.1314 " \
            "2.1199 2.1098 2.1009 2.0930 2.0860 2.0796 2.0739 2.0687 2.0639 2.0595 2.0555 2.0518 2.0484 2.0452 2.0423", T, " ")
    }
    $3 == "score" { score[$1, $2] = $4 }
    $3 == "iteration" { sum[$2] += $4; count[$2]++ }
    END {
      printf "%-6s %-8s %14s %14s %10s\n", "round", "first", base " ops/ms", pool " ops/ms", "ratio"
      n = 0
      for (r = 1; r <= rounds; r++) {
        d = score[r, base]; p = score[r, pool]
        if (d <= 0 || p <= 0) { printf "round %d: no score\n", r; continue }
        x = log(p / d); n++; s += x; ss += x * x
        first = (r % 2 == 1) ? base : pool
        if (r % 2 == 1) { s1 += x; n1++ } else { s2 += x; n2++ }
        printf "%-6d %-8s %14.3f %14.3f %10.4f\n", r, first, d, p, p / d
      }
      if (n < 2) { print "fewer than 2 rounds with scores: no interval"; exit 1 }
      mean = s / n; v = (ss - n * mean * mean) / (n - 1); sd = sqrt(v > 0 ? v : 0); half = tq(n - 1) * sd / sqrt(n)
      lo = exp(mean - half); hi = exp(mean + half)
      printf "\n%s / %s, geometric mean of %d per-round ratios: %.4f, 95%% CI [%.4f, %.4f] (t = %.3f, sd of log ratio %.4f)\n", \
        pool, base, n, exp(mean), lo, hi, tq(n - 1), sd
      printf "%s / %s, pooled iterations: %.4f (%s %.3f ops/ms over %d iterations, %s %.3f over %d)\n", \
        pool, base, (sum[pool] / count[pool]) / (sum[base] / count[base]), pool, sum[pool] / count[pool], count[pool], \
        base, sum[base] / count[base], count[base]
      if (n1 && n2) printf "order check: geometric mean ratio %.4f in rounds where %s ran first, %.4f where %s ran first\n", \
        exp(s1 / n1), base, exp(s2 / n2), pool
      if (lo >= target) verdict = "shown: the lower bound is >= " target
      else if (hi < target) verdict = "not met: the whole interval is below " target
      else verdict = "not settled: the interval reaches across " target
      printf "target >= %.2f x %s: %s\n", target, base, verdict
    }'
}
stats | tee "$out/summary.txt"
elapsed=$(( $(date +%s) - started ))
echo "elapsed: ${elapsed}s" >> "$out/machine.txt"
echo "paired-postgres: done in $((elapsed / 60))m$((elapsed % 60))s: $out/summary.txt, $out/machine.txt"
