#!/usr/bin/env python3
"""Scores sluice scan, PMD CloseResource and SpotBugs OBL/ODR against the corpus labels.

Usage: score.py CORPUS SLUICE_JSON PMD_XML SPOTBUGS_XML [--markdown]

The peers name no SLC rule, and the rules do not line up one to one (PMD's CloseResource covers a
close on the success path only, which Sluice calls SLC006; SpotBugs' ODR names the resource's type
only sometimes). So every tool is scored the same way, on positions: a label position is a
(file, line) that carries a resource-leak label (SLC003, SLC004, SLC005 or SLC006); a finding
position is a (file, line) where the tool reports a resource it thinks leaks. Precision is the
share of finding positions that are label positions, recall the share of label positions found.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

LEAK_RULES = {"SLC003", "SLC004", "SLC005", "SLC006"}
EXPECT = re.compile(r"//\s*expect:\s*([A-Z0-9, ]+)")
SPOTBUGS_PATTERNS = ("OBL_", "ODR_")


def labels(corpus):
    leak, every = set(), set()
    for root, _, files in os.walk(corpus):
        for name in files:
            if not name.endswith(".java"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, corpus).replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    m = EXPECT.search(line)
                    if not m:
                        continue
                    rules = {r for r in re.split(r"[ ,]+", m.group(1)) if r}
                    every.add((rel, number))
                    if rules & LEAK_RULES:
                        leak.add((rel, number))
    return leak, every


def sluice(report):
    with open(report, encoding="utf-8") as f:
        data = json.load(f)
    return {(x["path"], x["line"]) for x in data["findings"] if x["rule"] in LEAK_RULES}


def pmd(report, corpus, leak):
    """PMD reports the variable's declaration; where that is `Statement st;` or `= null` and the
    resource is assigned further down (where the labels are), the finding stands for the labelled
    assignments of that variable in the lines that follow, so PMD is not charged a false alarm and
    a miss for one right finding."""
    ns = {"p": "http://pmd.sourceforge.net/report/2.0.0"}
    root = ET.parse(report).getroot()
    found = set()
    for file in root.findall("p:file", ns):
        rel = os.path.relpath(file.get("name"), corpus).replace(os.sep, "/")
        with open(file.get("name"), encoding="utf-8") as f:
            source = f.read().splitlines()
        for v in file.findall("p:violation", ns):
            if v.get("rule") != "CloseResource":
                continue
            line = int(v.get("beginline"))
            variable = v.get("variable")
            if (rel, line) in leak or not variable:
                found.add((rel, line))
                continue
            assigned = re.compile(r"\b" + re.escape(variable) + r"\s*=[^=]")
            later = {(rel, n) for n in range(line + 1, min(line + 60, len(source)) + 1)
                     if assigned.search(source[n - 1]) and (rel, n) in leak}
            found |= later or {(rel, line)}
    return found


def spotbugs(report):
    root = ET.parse(report).getroot()
    found = set()
    for bug in root.iter("BugInstance"):
        if not bug.get("type", "").startswith(SPOTBUGS_PATTERNS):
            continue
        # The bug's own primary line: where the obligation was created (OBL) or the resource opened (ODR).
        lines = [s for s in bug.findall("SourceLine") if s.get("primary") == "true"] or bug.findall("SourceLine")
        for s in lines[:1]:
            rel = s.get("sourcepath", "")
            rel = rel[len("corpus/"):] if rel.startswith("corpus/") else rel
            found.add((rel, int(s.get("start"))))
    return found


def score(found, leak):
    hits = found & leak
    precision = len(hits) / len(found) if found else 1.0
    recall = len(hits) / len(leak) if leak else 1.0
    false_alarms = sorted(p for p in found - leak if p[0].startswith("reproducers/"))
    return precision, recall, len(hits), len(found), false_alarms


def main(argv):
    markdown = "--markdown" in argv
    corpus, sluice_json, pmd_xml, spotbugs_xml = [a for a in argv if not a.startswith("--")]
    leak, _ = labels(corpus)
    tools = [("sluice scan", sluice(sluice_json)),
             ("PMD 7 CloseResource", pmd(pmd_xml, corpus, leak)),
             ("SpotBugs OBL/ODR", spotbugs(spotbugs_xml))]
    rows = []
    for name, found in tools:
        p, r, hits, total, fa = score(found, leak)
        rows.append((name, p, r, hits, total, fa))
    if markdown:
        print("| tool | precision | recall | false alarms on the reproducers |")
        print("|---|---|---|---|")
        for name, p, r, hits, total, fa in rows:
            files = sorted({f for f, _ in fa})
            shown = ", ".join(os.path.basename(f)[:-5] for f in files)
            print(f"| {name} | {p:.3f} ({hits} of {total}) | {r:.3f} ({hits} of {len(leak)}) | {len(fa)}"
                  + (f" ({shown})" if shown else "") + " |")
    else:
        print(f"label positions (SLC003-SLC006): {len(leak)}")
        for name, p, r, hits, total, fa in rows:
            print(f"{name:22s} precision {p:.3f} ({hits}/{total})  recall {r:.3f} ({hits}/{len(leak)})"
                  f"  reproducer false alarms {len(fa)}")
            for f, line in fa:
                print(f"    false alarm: {f}:{line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
