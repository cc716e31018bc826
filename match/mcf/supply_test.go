package mcf

import (
	"math/rand/v2"
	"testing"
)

// supplyVersion turns a source-based problem into a supply-based one: the
// source's arcs become supplies at their heads (each with a bypass arc of
// cost 0 to the sink, so sending nothing stays possible) and maxFlow is not
// binding. The minimum costs must agree.
func supplyVersion(tg tgraph) (*Graph, []Supply, bool) {
	g := New(tg.n)
	var supplies []Supply
	for _, a := range tg.arcs {
		switch {
		case a.v == tg.s:
			return nil, nil, false
		case a.u == tg.s:
			// A node of its own holds the supply, so the arc keeps its
			// cost (a first-connection bonus, say).
			x := g.AddNode()
			supplies = append(supplies, Supply{Node: x, Amount: a.c})
			g.AddArc(x, a.v, a.c, a.w)
			g.AddArc(x, tg.t, a.c, 0)
		default:
			g.AddArc(a.u, a.v, a.c, a.w)
		}
	}
	return g, supplies, true
}

func TestSendSuppliesAgreesWithMinCostFlow(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	compared := 0
	for i := 0; compared < 1500 && i < 20000; i++ {
		tg := randomBipartite(rng, 2+rng.IntN(11))
		tg.maxFlow = 1 << 40
		g2, supplies, ok := supplyVersion(tg)
		if !ok {
			continue
		}
		want, wantCost, err := tg.graph().MinCostFlow(tg.s, tg.t, tg.maxFlow)
		if err != nil {
			continue // negative cycles are MinCostFlow's tests' business
		}
		cost, err := g2.SendSupplies(supplies, tg.t)
		if err != nil {
			t.Fatalf("graph %d: %v", i, err)
		}
		if cost != wantCost {
			t.Fatalf("graph %d: SendSupplies cost %d, MinCostFlow %d (flow %d)\n%+v", i, cost, wantCost, want, tg)
		}
		// Flows respect capacities and conservation.
		bal := make([]int64, g2.Nodes())
		for _, s := range supplies {
			bal[s.Node] += s.Amount
		}
		for e := range g2.Arcs() {
			u, v, c, _ := g2.Arc(e)
			f := g2.Flow(e)
			if f < 0 || f > c {
				t.Fatalf("graph %d: arc %d flow %d, capacity %d", i, e, f, c)
			}
			bal[u] -= f
			bal[v] += f
		}
		for v, b := range bal {
			if v != tg.t && b != 0 {
				t.Fatalf("graph %d: node %d unbalanced by %d", i, v, b)
			}
		}
		compared++
	}
	if compared < 1500 {
		t.Fatalf("only %d graphs compared", compared)
	}
}

func TestSendSuppliesInfeasible(t *testing.T) {
	g := New(3)
	g.AddArc(0, 1, 1, -5)
	if _, err := g.SendSupplies([]Supply{{Node: 0, Amount: 2}}, 2); err != ErrInfeasible {
		t.Errorf("err %v, want ErrInfeasible", err)
	}
}
