# Shell functions shared by bench/run.sh and bench/paired-postgres.sh; sourced, not run.

# CPU seconds PostgreSQL has used: every live postgres process, plus the backends that have exited,
# which the kernel adds to the postmaster's children's time once it has reaped them. Needs $hz
# (clock ticks per second, `getconf CLK_TCK`).
postgres_cpu_seconds() {
  local master p
  master=$(pgrep -o -x postgres || true)
  for p in $(pgrep -x postgres || true); do
    # Fields after "pid (comm) ": $1 is the state (field 3), so utime..cstime (14..17) are $12..$15.
    [ -r "/proc/$p/stat" ] && echo "$p $(sed 's/^.*) //' "/proc/$p/stat" 2> /dev/null)"
  done | awk -v m="$master" -v hz="$hz" '{ s += $13 + $14; if ($1 == m) s += $15 + $16 } END { printf "%.2f\n", s / hz }'
}

# Says on stderr why a JMH run failed. A set-up that explains itself (no database, say) needs its
# one line, not JMH's stack traces; anything else gets the end of the log.
#   $1: the prefix of the message (the script's name), $2: the JMH log
report_jmh_failure() {
  if grep -q 'SetupFailure: ' "$2"; then
    grep -m1 'SetupFailure: ' "$2" | sed "s/^.*SetupFailure: /$1: /" >&2
  else
    tail -n 40 "$2" >&2
  fi
}
