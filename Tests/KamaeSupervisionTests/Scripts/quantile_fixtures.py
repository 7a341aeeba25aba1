#!/usr/bin/env python3
"""Writes Fixtures/quantiles.json: reference quantiles and percentile ranks for DistributionTests.

Quantiles: numpy.percentile(..., method="linear") = Hyndman & Fan type 7 (R's default).
Percentile ranks: scipy.stats.percentileofscore(..., kind="mean")
  = (count strictly below + half the count equal) / n * 100.
Run from this directory: python3 quantile_fixtures.py  (numpy and scipy needed only to regenerate).
"""
import json
import pathlib

import numpy as np
from scipy import stats

rng = np.random.default_rng(20250704)

cases = [
    ("single", [0.42]),
    ("two", [0.0, 1.0]),
    ("five_sorted", [0.1, 0.2, 0.3, 0.4, 0.5]),
    ("five_unsorted", [0.9, 0.15, 0.6, 0.15, 0.3]),
    ("ties", [0.5, 0.5, 0.5, 0.75, 1.0, 1.0]),
    ("all_equal", [0.8] * 7),
    ("halves_rates", [k / 352 for k in (0, 17, 88, 176, 200, 264, 301, 352)]),
    ("negative_and_large", [-3.5, 12.25, 0.0, 7.0, -1.0, 100.0, 2.5, 2.5, 9.75]),
    ("random_20", rng.random(20).round(6).tolist()),
    ("random_101", rng.random(101).round(6).tolist()),
    ("random_1000", rng.beta(5, 2, 1000).round(9).tolist()),
]

fixtures = []
for name, values in cases:
    array = np.array(values, dtype=float)
    q1, median, q3 = np.percentile(array, [25, 50, 75], method="linear")
    probes = sorted(set([values[0], values[-1], float(np.median(array)), -10.0, 1000.0, 0.5] + values[:3]))
    ranks = [{"value": p, "rank": float(stats.percentileofscore(array, p, kind="mean"))} for p in probes]
    fixtures.append({
        "name": name,
        "values": values,
        "count": len(values),
        "min": float(array.min()),
        "max": float(array.max()),
        "mean": float(array.mean()),
        "q1": float(q1),
        "median": float(median),
        "q3": float(q3),
        "deciles": [float(x) for x in np.percentile(array, np.arange(0, 101, 10), method="linear")],
        "percentile_ranks": ranks,
    })

out = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "quantiles.json"
out.write_text(json.dumps({"numpy": np.__version__, "method": "linear (type 7)", "cases": fixtures}, indent=1) + "\n")
print(f"wrote {out} ({len(fixtures)} cases)")
