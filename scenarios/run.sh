#!/usr/bin/env bash
# Runs the fault scenarios S1-S8 with the full durations against H2 (TCP), PostgreSQL and
# MariaDB, for Sluice and HikariCP side by side, and writes the figures as markdown.
#
#   scenarios/run.sh [--doc] [ScenarioRunner options...]
#
#   --doc        also replace the generated block of docs/reliability.md with the new tables
#   options      passed to dev.sluice.it.scenario.ScenarioRunner, e.g.
#                  --db h2,postgresql        only these databases (default: all three)
#                  --short-db mariadb        these databases with the short (CI) durations
#                  --pools sluice            only these pools (default: sluice,hikari)
#                  --only S2,S7              only these scenarios
#                  --durations short         the CI durations everywhere (a quick look)
#
# Databases: PostgreSQL at 127.0.0.1:5432 (user postgres, trust, db test), MariaDB at 127.0.0.1:3306
# (root, empty password, db test); an unreachable one is skipped and named in the output. The full
# run takes about 12-15 minutes on a 2-core machine.
#
# Output: scenarios/results/<UTC timestamp>/{report.md,raw.txt,run.log}
set -euo pipefail
cd "$(dirname "$0")/.."

doc=()
args=()
for a in "$@"; do
  if [ "$a" = "--doc" ]; then
    doc=(--doc docs/reliability.md)
  else
    args+=("$a")
  fi
done

. scenarios/lib.sh
build_sluice_it scenarios

out="scenarios/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null | head -1)" ]; then
  commit="$commit+changes"
fi

"$java" -Xmx1g -cp "$cp" dev.sluice.it.scenario.ScenarioRunner \
  --out "$out/report.md" --raw "$out/raw.txt" \
  --command "scenarios/run.sh${args[*]:+ ${args[*]}} (commit $commit)" \
  ${doc[@]+"${doc[@]}"} ${args[@]+"${args[@]}"} 2>&1 | tee "$out/run.log"

echo "scenarios: report in $out/report.md" >&2
