#!/usr/bin/env bash
# Times sluice scan on real JDBC code from Maven Central (-sources.jar of Commons DbUtils, Spring
# JDBC, Jdbi, MyBatis: over 100,000 lines) and keeps each library's report for triage. Not part of
# the build.
#
#   sluice-scan/peers/real-code.sh          # fetch, unpack, scan all together (timed), then each alone
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/sluice-scan/target/real-code"
repo=$("$root/mvnw" -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || echo "$HOME/.m2/repository")

libraries=(
  commons-dbutils:commons-dbutils:1.8.1
  org.springframework:spring-jdbc:6.2.19
  org.jdbi:jdbi3-core:3.49.6
  org.mybatis:mybatis:3.5.19
)

mkdir -p "$out"
for gav in "${libraries[@]}"; do
  IFS=: read -r group artifact version <<<"$gav"
  dir="$out/src/$artifact"
  if [[ ! -d $dir ]]; then
    jar="$repo/${group//.//}/$artifact/$version/$artifact-$version-sources.jar"
    if [[ ! -f $jar ]]; then
      echo "real-code: fetching $artifact $version sources" >&2
      "$root/mvnw" -B -q dependency:get -Dartifact="$gav:jar:sources" -Dtransitive=false >&2
    fi
    mkdir -p "$dir"
    (cd "$dir" && unzip -q -o "$jar" '*.java')
  fi
done

files=$(find "$out/src" -name '*.java' | wc -l)
lines=$(find "$out/src" -name '*.java' -print0 | xargs -0 cat | wc -l)
echo "real-code: $files files, $lines lines" >&2

# Build the CLI first so that the timing is the scan's, JVM start included, not Maven's.
"$root/sluice" --version >/dev/null
export SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xmx512m}
# Wall time depends on what else the machine runs; CPU time (user + system) and the load average
# say how much of it was this scan.
TIMEFORMAT='%R %U %S'
set +e
{ time (cd "$out/src" && "$root/sluice" scan . --format json --output "$out/all.json" --fail-on never 2>"$out/all.err"); } 2>"$out/time.txt"
status=$?
set -e
[[ $status -eq 0 ]] || { cat "$out/all.err" >&2; exit 1; }
python3 - "$out/time.txt" "$files" "$out/all.json" <<'PY'
import json, os, sys
wall, user, system = (float(x) for x in open(sys.argv[1]).read().split()[-3:])
files, report = int(sys.argv[2]), sys.argv[3]
data = json.load(open(report))
load = os.getloadavg()[0]
print(f"scanned {data['files']} files, {data['lines']} lines in {wall:.1f} s wall, {user + system:.1f} s CPU "
      f"({data['files'] / wall:.0f} files/s, {data['lines'] / wall:.0f} lines/s wall), {len(data['findings'])} findings; "
      f"load average {load:.1f} on {os.cpu_count()} cores")
PY

# One text report per library, for the triage in docs/scan.md.
for gav in "${libraries[@]}"; do
  IFS=: read -r _ artifact _ <<<"$gav"
  (cd "$out/src" && "$root/sluice" scan "$artifact" --fail-on never >"$out/$artifact.txt" 2>/dev/null) || true
  echo "$artifact: $(tail -1 "$out/$artifact.txt")"
done
