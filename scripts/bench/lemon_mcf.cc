// lemon_mcf SOLVER FILE: solve a DIMACS min-cost flow problem ("p min", as
// `letsconnect match --dump-graph` writes it) with LEMON's NetworkSimplex
// (SOLVER "ns") or CostScaling ("cs"), C++ network codes: the closer anchor
// for the matcher's own solver than a general LP solver (highs_mcf.py).
// Built by scripts/bench/match.sh from Debian's liblemon-dev.
//
// Prints one JSON line, as highs_mcf.py does: nodes, arcs, the seconds of
// the solve alone (reading the file is not timed), the optimum and the
// status ("optimal" when solved).
#include <lemon/cost_scaling.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

using namespace lemon;
typedef SmartDigraph G;
typedef long long ll;

template <typename Solver>
int solve(Solver& s, const G& g, const G::ArcMap<ll>& cap, const G::ArcMap<ll>& cost, const G::NodeMap<ll>& sup) {
  auto t0 = std::chrono::steady_clock::now();
  s.upperMap(cap).costMap(cost).supplyMap(sup);
  auto status = s.run();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  printf("{\"nodes\": %d, \"arcs\": %d, \"seconds\": %.6f, \"optimum\": %lld, \"status\": \"%s\"}\n", countNodes(g),
         countArcs(g), secs, status == Solver::OPTIMAL ? (ll)s.totalCost() : 0LL,
         status == Solver::OPTIMAL ? "optimal" : status == Solver::INFEASIBLE ? "infeasible" : "unbounded");
  return status == Solver::OPTIMAL ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: lemon_mcf ns|cs FILE\n");
    return 2;
  }
  std::string which = argv[1];
  std::ifstream in(argv[2]);
  if (!in) {
    fprintf(stderr, "lemon_mcf: cannot read %s\n", argv[2]);
    return 2;
  }
  G g;
  G::ArcMap<ll> lower(g), cap(g), cost(g);
  G::NodeMap<ll> sup(g);
  readDimacsMin(in, g, lower, cap, cost, sup);
  if (which == "ns") {
    NetworkSimplex<G, ll, ll> s(g);
    return solve(s, g, cap, cost, sup);
  }
  if (which == "cs") {
    CostScaling<G, ll, ll> s(g);
    return solve(s, g, cap, cost, sup);
  }
  fprintf(stderr, "lemon_mcf: unknown solver %s (ns, cs)\n", argv[1]);
  return 2;
}
