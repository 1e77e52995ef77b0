#!/usr/bin/env bash
# Runs sluice scan, PMD 7 (CloseResource) and SpotBugs (OBL_*, ODR_*) over the labelled corpus and
# scores all three against its '// expect:' labels (see score.py for how). Not part of the build:
# it fetches PMD and SpotBugs from Maven Central through the Maven wrapper on first use.
#
#   sluice-scan/peers/run-peers.sh            # plain table
#   sluice-scan/peers/run-peers.sh --markdown # the table in docs/scan.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus="$root/sluice-scan/src/test/resources/corpus"
out="$here/target"
mkdir -p "$out"

echo "run-peers: compiling the corpus, running PMD and SpotBugs (log: $out/peers.log)" >&2
"$root/mvnw" -B -f "$here/pom.xml" clean compile pmd:pmd spotbugs:spotbugs >"$out/../peers.log" 2>&1 \
  || { tail -30 "$out/../peers.log" >&2; exit 1; }
mv "$out/../peers.log" "$out/peers.log"

echo "run-peers: running sluice scan" >&2
set +e
# From inside the corpus, so that reported paths are relative to it as the labels are.
(cd "$corpus" && "$root/sluice" scan . --format json --output "$out/sluice.json" --fail-on never) 2>"$out/sluice.err"
status=$?
set -e
if [[ $status -ne 0 ]]; then
  cat "$out/sluice.err" >&2
  exit 1
fi

python3 "$here/score.py" "$corpus" "$out/sluice.json" "$out/pmd.xml" "$out/spotbugsXml.xml" "$@"
