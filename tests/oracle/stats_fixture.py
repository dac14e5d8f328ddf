#!/usr/bin/env python3
"""SciPy's values for the toolkit's statistics package (dev.sofim.stats), computed once into a committed fixture.

Independent of the toolkit: scipy.stats.wilcoxon (exact without ties, the normal approximation with ties),
scipy.stats.norm.sf, scipy.stats.binomtest(...).proportion_ci(method="wilson") and the Kaplan-Meier estimate of
scipy.stats.ecdf on CensoredData. StatsFixtureTest replays every case. Re-run after changing a case:
    python3 tests/oracle/stats_fixture.py
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

WILCOXON = [  # (x, y); no ties among |x - y| -> exact, else approx
    ([1.2, 3.4, 2.2, 5.0, 4.1, 0.3, 2.8, 3.9, 1.1, 6.0], [1.0, 2.9, 2.6, 3.1, 4.0, 1.5, 2.0, 2.05, 0.2, 4.45]),
    ([10, 12, 9, 15, 11, 13, 14, 8], [11, 10, 12, 9, 7, 6, 15.5, 20]),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0.5, 1.3, 2.1, 2.9, 3.7, 4.5, 5.3, 6.1, 6.9, 7.7, 8.5, 9.3]),
    ([3, 5, 7, 9, 11, 13], [1, 3, 8, 7, 14, 10]),          # |d| = 2,2,1,2,3,3: ties
    ([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], [150, 150, 250, 450, 450, 650, 650, 850, 850, 1000]),  # ties, one zero
]
NORMAL = [-3.5, -1.0, 0.0, 0.3, 1.2, 1.959963984540054, 2.5, 3.7, 5.0, 8.0]
WILSON = [(0, 10), (3, 10), (7, 10), (10, 10), (1, 3), (16, 20), (50, 100)]
KM = [  # (times, reached)
    ([5, 8, 8, 12, 15, 20, 20, 20], [True, True, False, True, True, False, False, False]),
    ([300, 120, 450, 120, 900, 900, 900, 600, 240, 900], [True, True, True, True, False, False, False, True, True, False]),
    ([3, 1, 4, 1, 5, 9, 2, 6], [True] * 8),
]


def main():
    out = {"about": "scipy " + scipy.__version__ + ", numpy " + np.__version__ + ": tests/oracle/stats_fixture.py",
           "wilcoxon": [], "normalSf": [], "wilson": [], "kaplanMeier": []}
    for x, y in WILCOXON:
        d = np.abs(np.array(x, float) - np.array(y, float))
        d = d[d != 0]
        ties = len(np.unique(d)) < len(d) or len(d) < len(x)
        method = "approx" if ties else "exact"
        r = stats.wilcoxon(x, y, zero_method="wilcox", correction=False, method=method)
        out["wilcoxon"].append({"x": x, "y": y, "method": method, "statistic": float(r.statistic),
                                "pValue": float(r.pvalue)})
    for z in NORMAL:
        out["normalSf"].append({"x": z, "sf": float(stats.norm.sf(z))})
    for k, n in WILSON:
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        out["wilson"].append({"successes": k, "trials": n, "lower": float(ci.low), "upper": float(ci.high)})
    for times, reached in KM:
        t = np.array(times, float)
        r = np.array(reached)
        res = stats.ecdf(stats.CensoredData(uncensored=t[r], right=t[~r]))
        q = res.sf.quantiles
        p = res.sf.probabilities
        below = q[p <= 0.5 + 1e-12]
        median = float(below[0]) if len(below) else float("inf")
        tau = float(t.max())
        # restricted mean: integral of the step function sf from 0 to tau
        grid = np.concatenate([[0.0], q[q < tau], [tau]])
        vals = np.concatenate([[1.0], p[q < tau]])
        rmst = float(np.sum(vals * np.diff(grid)))
        out["kaplanMeier"].append({"times": times, "reached": reached, "eventTimes": q.tolist(),
                                   "survival": p.tolist(), "median": median if np.isfinite(median) else "inf",
                                   "tau": tau, "restrictedMean": rmst})
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "toolkit", "src", "test", "resources", "oracle", "stats.json")
    tmp = target + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    os.replace(tmp, target)
    print("wrote", os.path.normpath(target))


if __name__ == "__main__":
    main()
