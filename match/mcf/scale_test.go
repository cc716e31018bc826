package mcf

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// checkSupplyFlow verifies that the flows left in g route every supply to
// sink within the capacities, and that they cost what was returned.
func checkSupplyFlow(t *testing.T, g *Graph, supplies []Supply, sink int, cost int64) {
	t.Helper()
	bal := make([]int64, g.Nodes())
	for _, s := range supplies {
		bal[s.Node] += s.Amount
	}
	var c int64
	for e := range g.Arcs() {
		u, v, capa, w := g.Arc(e)
		f := g.Flow(e)
		if f < 0 || f > capa {
			t.Fatalf("arc %d (%d->%d): flow %d outside [0,%d]", e, u, v, f, capa)
		}
		bal[u] -= f
		bal[v] += f
		c += f * w
	}
	for v, b := range bal {
		if v != sink && b != 0 {
			t.Fatalf("node %d: %d units neither sent on nor absorbed", v, b)
		}
	}
	if c != cost {
		t.Fatalf("returned cost %d, sum of flow*cost %d", cost, c)
	}
}

// sourceVersion is the DIMACS form of a source-based problem: maxFlow units
// of supply at the source, which gets a cost-0 bypass to the sink. Its
// optimum is MinCostFlow's.
func sourceVersion(tg tgraph) (*Graph, []Supply) {
	g := tg.graph()
	g.AddArc(tg.s, tg.t, tg.maxFlow, 0)
	return g, []Supply{{Node: tg.s, Amount: tg.maxFlow}}
}

// The scaled solver against exhaustive enumeration on tiny arbitrary
// graphs (cycles, parallel arcs, negative cycles, arcs into the source and
// out of the sink), in the source form.
func TestScaledExhaustiveTiny(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	var solved, cycles, positive, bypassCycles int
	for it := 0; it < 5000; it++ {
		tg := randomTiny(rng)
		best, _, minCirc := exhaustive(tg)
		g, supplies := sourceVersion(tg)
		cost, err := g.SendSuppliesScaled(supplies, tg.t)
		if minCirc < 0 {
			if !errors.Is(err, ErrNegativeCycle) {
				t.Fatalf("case %d %+v: negative cycle but err=%v", it, tg, err)
			}
			cycles++
			continue
		}
		if errors.Is(err, ErrNegativeCycle) {
			// The bypass closed a negative cycle with an arc sink->source:
			// not the problem MinCostFlow solves, but the old solvers'
			// contract is the same.
			if _, err := g.SendSupplies(supplies, tg.t); !errors.Is(err, ErrNegativeCycle) {
				t.Fatalf("case %d %+v: scaled found a negative cycle, SendSupplies err=%v", it, tg, err)
			}
			bypassCycles++
			continue
		}
		if err != nil {
			t.Fatalf("case %d %+v: %v", it, tg, err)
		}
		if cost != best {
			t.Fatalf("case %d %+v: scaled cost %d, exhaustive %d", it, tg, cost, best)
		}
		checkSupplyFlow(t, g, supplies, tg.t, cost)
		solved++
		if cost < 0 {
			positive++
		}
	}
	t.Logf("%d solved (%d with a negative optimum), %d negative cycles detected, %d made by the bypass", solved, positive, cycles, bypassCycles)
	if solved < 2000 || cycles < 300 || positive < 1000 {
		t.Fatalf("generator does not cover the cases: solved %d cycles %d positive %d", solved, cycles, positive)
	}
}

// The scaled solver against cycle cancelling, in both forms: the source
// form (any maxFlow) and, where the source has no arc in, the supply form
// the matcher uses, whose optimum is the unbounded one.
func TestScaledAgainstCycleCancelling(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	gens := []struct {
		name string
		gen  func() tgraph
		n    int
	}{
		{"bipartite2to5", func() tgraph { return randomBipartite(rng, 5) }, 500},
		{"bipartite2to12", func() tgraph { return randomBipartite(rng, 12) }, 300},
		{"cyclic", func() tgraph { return randomCyclic(rng) }, 500},
		{"layered", func() tgraph { return randomLayered(rng) }, 400},
	}
	for _, gn := range gens {
		t.Run(gn.name, func(t *testing.T) {
			var supplyForms int
			for it := 0; it < gn.n; it++ {
				tg := gn.gen()
				g, supplies := sourceVersion(tg)
				solveCompare(t, it, tg, g, supplies)
				unbounded := tg
				unbounded.maxFlow = 1 << 40
				g2, supplies2, ok := supplyVersion(unbounded)
				if !ok {
					continue
				}
				unbounded.maxFlow = 0
				for _, s := range supplies2 {
					unbounded.maxFlow += s.Amount
				}
				solveCompare(t, it, unbounded, g2, supplies2)
				supplyForms++
			}
			t.Logf("%d cases, %d also in the supply form", gn.n, supplyForms)
		})
	}
}

// solveCompare solves g (tg in a supply form) with SendSuppliesScaled and
// compares with cycle cancelling on tg.
func solveCompare(t *testing.T, it int, tg tgraph, g *Graph, supplies []Supply) {
	t.Helper()
	want, _ := cycleCancel(tg)
	cost, err := g.SendSuppliesScaled(supplies, tg.t)
	if err != nil {
		t.Fatalf("case %d: %v", it, err)
	}
	if cost != want {
		t.Fatalf("case %d %+v (%d supplies): scaled cost %d, cycle cancelling %d", it, tg, len(supplies), cost, want)
	}
	checkSupplyFlow(t, g, supplies, tg.t, cost)
}

// Supplies that cannot all reach the sink: the scaled solver says so
// exactly when SendSupplies does, and otherwise agrees on the cost. Random
// small graphs without bypasses, supplies at random nodes.
func TestScaledInfeasibleAgreesWithSendSupplies(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	var infeasible, feasible int
	for it := 0; it < 3000; it++ {
		var tg tgraph
		if it%2 == 0 {
			tg = randomCyclic(rng)
		} else {
			tg = randomLayered(rng)
		}
		var supplies []Supply
		for range 1 + rng.IntN(4) {
			supplies = append(supplies, Supply{Node: rng.IntN(tg.n), Amount: int64(rng.IntN(4))})
		}
		want, errWant := tg.graph().SendSupplies(supplies, tg.t)
		g := tg.graph()
		cost, err := g.SendSuppliesScaled(supplies, tg.t)
		if !errors.Is(err, errWant) && !(err == nil && errWant == nil) {
			t.Fatalf("case %d %+v supplies %v: scaled err %v, SendSupplies err %v", it, tg, supplies, err, errWant)
		}
		if errWant != nil {
			infeasible++
			continue
		}
		if cost != want {
			t.Fatalf("case %d %+v supplies %v: scaled cost %d, SendSupplies %d", it, tg, supplies, cost, want)
		}
		checkSupplyFlow(t, g, supplies, tg.t, cost)
		feasible++
	}
	t.Logf("%d feasible, %d infeasible", feasible, infeasible)
	if infeasible < 300 || feasible < 300 {
		t.Fatalf("generator does not cover the cases: %d feasible, %d infeasible", feasible, infeasible)
	}
}

// Generated learner/sharer instances of up to 2,000 learners, in the
// matcher's supply form: the scaled solver finds SendSupplies' optimum.
func TestScaledAgreesWithSendSuppliesGenerated(t *testing.T) {
	for i := range 12 {
		cfg := variedConfig(i, 100+170*i, 40+70*i, uint64(300+i))
		in := generate(cfg)
		p := supplyFormOf(in)
		want, err := p.g.SendSupplies(p.supplies, p.sink)
		if err != nil {
			t.Fatal(err)
		}
		cost, err := p.g.SendSuppliesScaled(p.supplies, p.sink)
		if err != nil {
			t.Fatal(err)
		}
		if cost != want {
			t.Fatalf("instance %d %+v: scaled %d, SendSupplies %d", i, cfg, cost, want)
		}
		checkSupplyFlow(t, p.g, p.supplies, p.sink, cost)
		st := p.g.Stats()
		t.Logf("instance %d: %d nodes, %d arcs, cost %d, %d refines, %d relabels, %d global updates",
			i, st.Nodes, st.Arcs, cost, st.Phases, st.Relabels, st.GlobalUpdates)
	}
}

// supplyFormOf turns a generated instance into the matcher's form, each
// source arc a supply node with a bypass.
func supplyFormOf(in instance) supplyProblem {
	g := New(in.g.Nodes())
	g.Grow(in.g.Arcs() + in.g.Arcs()/8)
	var supplies []Supply
	for e := range in.g.Arcs() {
		u, v, c, w := in.g.Arc(e)
		if u == in.s {
			x := g.AddNode()
			supplies = append(supplies, Supply{Node: x, Amount: c})
			g.AddArc(x, v, c, w)
			g.AddArc(x, in.t, c, 0)
			continue
		}
		g.AddArc(u, v, c, w)
	}
	return supplyProblem{g: g, supplies: supplies, sink: in.t}
}

// Same graph, same flows; the order of the supplies does not matter.
func TestScaledDeterministic(t *testing.T) {
	in := generate(genConfig{Learners: 1500, Sharers: 500, TopK: 10, Scan: 100, Bonus: 100, Delta: 5, CapScale: 2, Seed: 9})
	p := supplyFormOf(in)
	solve := func(supplies []Supply) []int64 {
		if _, err := p.g.SendSuppliesScaled(supplies, p.sink); err != nil {
			t.Fatal(err)
		}
		flows := make([]int64, p.g.Arcs())
		for e := range flows {
			flows[e] = p.g.Flow(e)
		}
		return flows
	}
	a := solve(p.supplies)
	b := solve(p.supplies)
	rev := make([]Supply, len(p.supplies))
	for i, s := range p.supplies {
		rev[len(rev)-1-i] = s
	}
	c := solve(rev)
	for e := range a {
		if a[e] != b[e] || a[e] != c[e] {
			t.Fatalf("arc %d: flows %d, %d, %d", e, a[e], b[e], c[e])
		}
	}
}

// The demo graphs (when /tmp/graphs has them): the scaled solver finds
// SendSupplies' optimum in the matcher's form and in the source form.
func TestScaledDemoGraphs(t *testing.T) {
	for _, size := range []int{1000, 10000} {
		p := demoGraph(t, size)
		sp := p.supplyForm()
		want, err := sp.g.SendSupplies(sp.supplies, sp.sink)
		if err != nil {
			t.Fatal(err)
		}
		for _, form := range []supplyProblem{sp, p.sourceForm()} {
			cost, err := form.g.SendSuppliesScaled(form.supplies, form.sink)
			if err != nil {
				t.Fatal(err)
			}
			if cost != want {
				t.Fatalf("demo %d: scaled %d, SendSupplies %d", size, cost, want)
			}
			checkSupplyFlow(t, form.g, form.supplies, form.sink, cost)
			st := form.g.Stats()
			t.Logf("demo %d (%d supplies): cost %d, %d refines, %d relabels, %d augmentations, %d global updates",
				size, len(form.supplies), cost, st.Phases, st.Relabels, st.Augmentations, st.GlobalUpdates)
		}
	}
}

// TestScaledCapacityBeyondInt32 checks that a capacity the scaler's int32
// residuals cannot hold is still solved exactly (by SendSupplies).
func TestScaledCapacityBeyondInt32(t *testing.T) {
	const big = int64(1) << 40
	build := func() *Graph {
		g := New(4) // 0 → 1 → 3 (cheap, huge), 0 → 2 → 3 (dear)
		g.AddArc(0, 1, big, 1)
		g.AddArc(1, 3, big, 1)
		g.AddArc(0, 2, big, 5)
		g.AddArc(2, 3, big, 5)
		return g
	}
	supplies := []Supply{{Node: 0, Amount: big + 7}}
	g := build()
	cost, err := g.SendSuppliesScaled(supplies, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := big*2 + 7*10
	if cost != want {
		t.Fatalf("cost %d, want %d", cost, want)
	}
	if f := g.Flow(0); f != big {
		t.Fatalf("flow on the cheap path %d, want %d", f, big)
	}
	if f := g.Flow(2); f != 7 {
		t.Fatalf("flow on the dear path %d, want 7", f)
	}
}
