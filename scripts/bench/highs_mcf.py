#!/usr/bin/env python3
"""highs_mcf.py FILE: solve a DIMACS min-cost flow problem ("p min", as
`letsconnect match --dump-graph` writes it) with HiGHS's dual simplex
through SciPy (scipy.optimize.linprog, method "highs-ds"), as a linear
program: minimise cost.x subject to flow conservation (outflow - inflow =
supply at every node) and 0 <= x <= capacity. The constraint matrix of a
network is totally unimodular, so the LP optimum is the integer optimum.

Prints one JSON line: nodes, arcs, the seconds of the linprog call alone
(reading the file and building the matrix are not timed), the optimum
(rounded to an integer), and HiGHS's status ("optimal" when solved).
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix


def read(path):
    n = m = 0
    supply = None
    tails, heads, lows, caps, costs = [], [], [], [], []
    with open(path) as f:
        for line in f:
            if not line or line[0] == "c":
                continue
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "p":
                n, m = int(parts[2]), int(parts[3])
                supply = np.zeros(n)
            elif parts[0] == "n":
                supply[int(parts[1]) - 1] += int(parts[2])
            elif parts[0] == "a":
                tails.append(int(parts[1]) - 1)
                heads.append(int(parts[2]) - 1)
                lows.append(int(parts[3]))
                caps.append(int(parts[4]))
                costs.append(int(parts[5]))
    if len(tails) != m:
        raise SystemExit(f"{path}: {len(tails)} arcs, the problem line says {m}")
    return n, supply, np.array(tails), np.array(heads), np.array(lows), np.array(caps), np.array(costs, dtype=float)


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: highs_mcf.py FILE.dimacs")
    n, supply, tails, heads, lows, caps, costs = read(sys.argv[1])
    m = len(tails)
    # Row v: +1 for the arcs out of v, -1 for the arcs into v.
    rows = np.concatenate([tails, heads])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    vals = np.concatenate([np.ones(m), -np.ones(m)])
    a_eq = csr_matrix((vals, (rows, cols)), shape=(n, m))
    bounds = np.column_stack([lows, caps])
    start = time.perf_counter()
    res = linprog(costs, A_eq=a_eq, b_eq=supply, bounds=bounds, method="highs-ds")
    seconds = time.perf_counter() - start
    status = "optimal" if res.status == 0 else f"status {res.status}: {res.message}"
    optimum = int(round(res.fun)) if res.status == 0 else 0
    print(json.dumps({"nodes": n, "arcs": m, "seconds": seconds, "optimum": optimum, "status": status}))


if __name__ == "__main__":
    main()
