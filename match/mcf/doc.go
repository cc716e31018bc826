// Package mcf is an exact minimum-cost flow solver for the matcher: integer
// capacities and costs, standard library only. Three solvers share one
// Graph: SendSuppliesScaled (cost scaling, the fast one, for supplies at
// nodes and one sink), SendSupplies (successive shortest paths, same
// problem) and MinCostFlow (primal-dual, one source and one sink). The
// last two are simple and serve as oracles for the first.
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
//
// # Cost scaling: SendSuppliesScaled
//
// SendSupplies and SendSuppliesScaled take supplies at nodes and one sink:
// every unit must reach the sink (ErrInfeasible otherwise), so the matcher
// gives each learner a cost-0 bypass arc to the sink. SendSupplies routes
// each unit along a shortest path; on the demo's graphs, whose scores take
// few distinct values, each search crosses wide plateaus of equal reduced
// cost (66 s of the matcher's 70 s at 100,000 participants).
// SendSuppliesScaled solves the same problem by Goldberg's cost scaling
// (push-relabel with ε-scaling; Goldberg 1997, "An efficient implementation
// of a scaling minimum-cost flow algorithm"; LEMON's CostScaling), which
// works on all units at once and is not slowed down by ties:
//
//   - Costs are multiplied by k = n+1. A flow is ε-optimal for prices pi if
//     every residual arc has reduced cost cost*k + pi(u) - pi(v) >= -ε;
//     with ε = 1 every residual cycle (at most n arcs) costs more than -k,
//     i.e. more than -1 in the original integer costs, so at least 0: the
//     flow is optimal.
//   - Start: shortest distances from a virtual node over the arcs with
//     capacity (the price refinement below, which also finds negative
//     cycles: ErrNegativeCycle, as the other solvers), times k, are the
//     first prices: the zero flow is 0-optimal for them. Feasibility is
//     checked first: trivially when every supply node has arcs straight to
//     the sink with room for its supply (the bypasses), otherwise by a
//     maximum flow (MinCostFlow on a zero-cost copy with a super-source).
//   - Refine(ε), for ε = max|cost|*k/16, then divided by α = 16 each time:
//     saturate the residual arcs of negative reduced cost, then move the
//     excesses to the deficits by partial augment-relabel (from the first
//     active node in FIFO order, follow admissible arcs — residual, reduced
//     cost < 0 — for up to 4 steps, lowering the price of a node that has
//     none until its cheapest residual arc costs -ε, then push along the
//     path). A global price update (Dial's buckets backwards from the
//     deficits, arc lengths floor(rc/ε)+1, stopping once every excess is
//     reached) runs at the start of each refine and every 4n relabels.
//   - Early stop: after each refine with ε <= k/2 (half a unit of the
//     original costs), a price refinement tries to prove the flow optimal:
//     shortest distances with reduced costs as lengths, by Goldberg and
//     Radzik's method (passes of a depth-first topological order of the
//     negative arcs, then a Bellman-Ford scan in that order, each pass
//     touching only the nodes whose distance fell), at most 40 passes. If
//     the arcs that last lowered each distance close a cycle, it is a
//     negative one: the flow around it is cancelled and the check goes on.
//     On success the flow is optimal and the solver stops. On the demo's
//     graphs it stops after the third refine (ε of 0.1 cost unit), where
//     the remaining refines would only have separated ties: they were
//     three quarters of the time. (In cost units ε is max|cost|/16 in the
//     first refine, on the demo 25, then 1.6, then 0.1.)
//
// Why this one: the matcher's graphs are assignment-like (learner, sharer,
// load-spreading arcs to the sink) with few distinct scores, where
// successive shortest paths does one plateau-crossing search per unit and
// the primal-dual one a whole-graph search per distinct path cost (140 at
// 100,000). Cost scaling's work per refine is bounded by local
// relabelling, not by plateaus; network simplex would be the alternative,
// but its pivots on this degenerate problem (most basic arcs at 0 or at
// capacity) are hard to bound. OR-Tools' min-cost flow is a cost-scaling
// push-relabel too, and LEMON ships one (CostScaling) beside its network
// simplex; the heuristics here (partial augment, global update, price
// refinement) are those of LEMON's and Goldberg's CS2. An ε-scaling
// auction would do the same work on the pure assignment part but not on
// the matcher's other shapes (quota per skill, pair and slot nodes).
//
// Complexity and memory: O(n^2 m log(nC)) in the worst case (n nodes, m
// arcs, C = max|cost|), in practice ten to twenty relabels per node and
// refine and three refines on the matcher's graphs. Measured on the demo
// graphs (`go test -bench Demo ./match/mcf/` with the graphs in
// /tmp/graphs, supply form, 2-core machine, 2026-12-04): 15 ms at 1,000
// participants (38k arcs), 0.23 s at 10,000 (393k arcs), 5.0 s at 100,000
// (4.1M arcs), where SendSupplies takes 10 ms, 0.47 s and 59 s and
// MinCostFlow 18 ms, 0.48 s and 21 s. Each arc with capacity becomes two
// records (head, partner, residual capacity and the pair's capacity, scaled
// cost: 16 bytes where capacities fit an int16 and scaled costs an int32, as
// the matcher's do, else 24) laid out by tail, forward arcs first, then the reverse arcs,
// whose ones with capacity are kept in a "live" prefix so that a sharer
// with hundreds of candidate learners is scanned at the cost of the few it
// serves; about 70 bytes per node for prices, excesses, arc pointers and
// the price refinement, 64 per node of bucket heads (16n), and 12 bytes per
// arc kept for Flow afterwards: 358 MB allocated at 100,000 participants
// with 32-byte records (about 90 MB less since), against 494 MB for
// SendSupplies and 424 MB for MinCostFlow. Prices stay within a few
// n*k*max|cost|: beyond 2^61 (never for the matcher's costs), or with a
// capacity beyond int32, the solver hands the problem to SendSupplies.
//
// Determinism: FIFO order of active nodes, arcs in graph order within each
// part of a node's list, no maps, goroutines or randomness; the result
// depends only on the graph and its arc order, not on the order of the
// supplies (they are summed per node). It may be another optimal flow than
// SendSupplies', of the same cost.
//
// Warm starts: SendSuppliesScaledFrom starts from given prices (Start),
// typically an earlier solve's (Prices) on a graph that differs in some
// places, as the matcher's group rounds do, with the refines beginning at a
// given ε of the cold schedule. The first refine saturates the arcs of
// negative reduced cost under them, so good prices give a flow close to an
// optimal one; any prices give the same optimal cost, as the refines end as
// a cold solve's do (ε = 1 scaled, or the optimality check). Starting from a
// flow as well was tried (2026-12-07): no fewer relabels than from the
// prices alone. Not done: parallel refines, which would need a
// deterministic schedule.
package mcf
