#!/usr/bin/env python3
"""p99 of each measurement iteration of a JMH SampleTime result, per parameter set, with the mean
and its 95% confidence interval (Student's t), and each set's ratio to the first one.

JMH prints one p99 over all iterations and no error for it; the spread between iterations is what
says whether a difference of a few nanoseconds is real.

    bench/p99-per-iteration.py result.json
"""
import json
import math
import statistics
import sys

# Two-sided 95% Student's t for n-1 degrees of freedom.
T95 = {2: 12.706, 3: 4.303, 4: 3.182, 5: 2.776, 6: 2.571, 7: 2.447, 8: 2.365, 9: 2.306, 10: 2.262,
       11: 2.228, 12: 2.201, 13: 2.179, 14: 2.160, 15: 2.145, 16: 2.131, 20: 2.093, 30: 2.045}


def p99(histogram):
    pairs = sorted(histogram, key=lambda p: p[0])
    total = sum(c for _, c in pairs)
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= 0.99 * total:
            return value
    return pairs[-1][0]


def main(path):
    rows = []
    for result in json.load(open(path)):
        params = ",".join(f"{k}={v}" for k, v in result.get("params", {}).items())
        per_iteration = [p99(it) for fork in result["primaryMetric"]["rawDataHistogram"] for it in fork]
        n = len(per_iteration)
        mean = statistics.mean(per_iteration)
        half = T95.get(n, 1.96) * statistics.stdev(per_iteration) / math.sqrt(n) if n > 1 else float("nan")
        rows.append((result["benchmark"].rsplit(".", 1)[-1] + " " + params, n, mean, half))
    base = rows[0]
    unit = "ns"
    for name, n, mean, half in rows:
        if (name, n, mean, half) == base:
            print(f"{name:40s} n={n:2d}  p99 {mean:8.1f} ± {half:6.1f} {unit}   (the base)")
            continue
        # Ratio error by first-order propagation of the two relative errors.
        ratio = mean / base[2]
        rel = math.sqrt((half / mean) ** 2 + (base[3] / base[2]) ** 2)
        print(f"{name:40s} n={n:2d}  p99 {mean:8.1f} ± {half:6.1f} {unit}   ratio {ratio:5.2f} ± {ratio * rel:4.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
