#!/usr/bin/env python3
"""Exact oracle for match/mcf: solve DIMACS "p min" files with networkx.

Usage: networkx_oracle.py FILE...

Each FILE is a minimum-cost flow problem in DIMACS format, as written by
mcf.Graph.WriteDIMACS: "p min NODES ARCS", "n ID SUPPLY" lines (positive =
supply), "a FROM TO LOW CAP COST" lines (LOW must be 0), "c" comments.
For each file, in order, prints one line: the optimal total cost found by
networkx.network_simplex on a MultiDiGraph (parallel arcs kept), with
networkx demand = -supply. Exits non-zero if a file is malformed or
infeasible.
"""
import sys

import networkx as nx


def solve(path):
    g = nx.MultiDiGraph()
    nodes = 0
    with open(path) as f:
        for line in f:
            tok = line.split()
            if not tok or tok[0] == "c":
                continue
            if tok[0] == "p":
                if tok[1] != "min":
                    raise ValueError(f"{path}: not a min problem: {line!r}")
                nodes = int(tok[2])
                g.add_nodes_from(range(1, nodes + 1), demand=0)
            elif tok[0] == "n":
                g.nodes[int(tok[1])]["demand"] = -int(tok[2])
            elif tok[0] == "a":
                u, v, low, cap, cost = (int(x) for x in tok[1:6])
                if low != 0:
                    raise ValueError(f"{path}: lower bounds are not supported: {line!r}")
                g.add_edge(u, v, capacity=cap, weight=cost)
            else:
                raise ValueError(f"{path}: unknown line {line!r}")
    cost, _ = nx.network_simplex(g)
    return cost


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in argv[1:]:
        print(solve(path), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
