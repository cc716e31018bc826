// Package mcf is an exact minimum-cost flow solver for the matcher: integer
// capacities and costs, one source, one sink, standard library only.
//
// # What it solves
//
// Build a Graph with New, AddNode and AddArc (parallel arcs, arcs into the
// source or out of the sink, and negative costs are all allowed), then call
// MinCostFlow(source, sink, maxFlow). It finds an s-t flow of value at most
// maxFlow with the least total cost, where the value itself is free: arcs
// with negative cost are rewards, and the solver sends a unit only while the
// cheapest way to send it has negative cost. It does not force a maximum
// flow (unlike OR-Tools' SolveMaxFlowWithMinCost). Equivalently, it
// augments along cheapest paths and stops as soon as the cheapest path
// costs >= 0, so among all optimal flows it returns one with the smallest
// value. For the matcher (shared/guides/matching.md §1.1) this is the
// max-weight b-matching: source -> learner (quota, first-connection bonus as
// a separate negative arc), learner -> sharer (capacity 1, cost -weight),
// sharer -> sink (parallel arcs with increasing cost for load spreading).
//
// Flow(arc) gives the per-arc flows afterwards. WriteDIMACS exports the same
// problem as a DIMACS "p min" instance (with a 0-cost source->sink bypass arc
// so that "send at most maxFlow" becomes a fixed supply), whose optimum any
// exact solver can confirm; testdata/networkx_oracle.py does that with
// networkx's network simplex.
//
// The arcs with positive capacity must not contain a negative-cost cycle
// (ErrNegativeCycle); flow-network costs must stay small enough that
// |cost|*(nodes+1) < 2^59 (ErrCostRange). Big-M weights like 10^6 are fine.
//
// # Algorithm
//
// Primal-dual successive shortest paths with node potentials:
//
//   - Initial potentials are shortest distances from a virtual node joined
//     to every node by a 0-cost arc: a single pass in topological order when
//     the arcs with capacity form a DAG (the matcher's graphs do, whatever
//     the node numbering), otherwise SPFA (queue-based Bellman-Ford), which
//     also detects negative cycles. After that every reduced cost
//     c(u,v) + pi(u) - pi(v) of a residual arc is >= 0.
//   - Each phase runs Dijkstra on reduced costs from the source (4-ary heap
//     with lazy deletion; nodes reached at the current distance skip the
//     heap). It stops once the sink and every node at the sink's distance
//     are settled, and updates potentials as pi(v) += min(d(v), d(t)), which
//     keeps reduced costs >= 0 for settled and unsettled nodes alike and
//     gives every shortest s-t path reduced cost 0. pi(t) - pi(s) is then
//     the cost of a shortest path in the original costs; the solver stops
//     when it is >= 0.
//   - Otherwise it sends a maximum flow on the admissible graph: residual
//     arcs of reduced cost 0 between settled nodes. Those arcs are collected
//     during Dijkstra into a small per-phase adjacency, so this part does not
//     rescan the whole graph. The maximum flow is Dinic's: a backward BFS
//     from the sink that stops when it reaches the source, then an iterative
//     DFS with current-arc pointers that sends a blocking flow, repeated
//     until the source is cut off. Every path it uses is a shortest path, and
//     afterwards none of cost pi(t) - pi(s) is left, so the next phase's
//     shortest path is strictly more expensive.
//
// Why this one: successive shortest paths is simple to get exactly right
// and naturally implements "stop at the first non-negative path", which
// cost-scaling and network simplex only give through a bypass arc and do not
// give with the smallest flow value. Augmenting a whole maximum flow per
// Dijkstra instead of one path makes the number of Dijkstra runs the number
// of distinct shortest-path costs (about 100-300 for weights of a few
// hundred) instead of the number of units of flow (100k at 100k
// participants).
//
// # Complexity and memory
//
// With n nodes, m arcs and P phases (P is at most the number of distinct
// shortest-path costs, so at most the spread of path costs, about 2*max|cost|
// for the matcher's graphs), time is O(P * (m + n log n)) for the Dijkstra
// runs plus the Dinic rounds on the admissible graphs, which are much
// smaller than the graph in practice (e.g. 40k of 930k residual arcs). On
// the matcher's 100k-learner graphs with 6M arcs, P is about 140. Memory is
// about 24 bytes per arc for the Graph, 48 bytes per arc for the residual
// graph built at each MinCostFlow call (kept for Flow), and a few dozen
// bytes per node. The residual graph uses CSR adjacency with int32 node and
// arc indices and int64 capacities and costs; nothing is allocated per
// phase once the work slices have grown.
//
// # Determinism
//
// The result depends only on the graph and the order of its arcs: no maps,
// no goroutines, no randomness. The same graph built with the same arc order
// gives identical per-arc flows on every run. Different arc orders may give
// different optimal flows of the same cost.
package mcf
