package mcf

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func mustSolve(t *testing.T, g *Graph, s, snk int, maxFlow int64) (int64, int64) {
	t.Helper()
	flow, cost, err := g.MinCostFlow(s, snk, maxFlow)
	if err != nil {
		t.Fatalf("MinCostFlow: %v", err)
	}
	checkFlow(t, g, s, snk, maxFlow, flow, cost)
	return flow, cost
}

// A 2x2 assignment where the greedy choice (the -10 arc) is wrong.
func TestSmallAssignment(t *testing.T) {
	g := New(6) // 0 source, 1-2 learners, 3-4 sharers, 5 sink
	g.AddArc(0, 1, 1, 0)
	g.AddArc(0, 2, 1, 0)
	a13 := g.AddArc(1, 3, 1, -10)
	a14 := g.AddArc(1, 4, 1, -9)
	a23 := g.AddArc(2, 3, 1, -9)
	a24 := g.AddArc(2, 4, 1, -1)
	g.AddArc(3, 5, 1, 0)
	g.AddArc(4, 5, 1, 0)
	flow, cost := mustSolve(t, g, 0, 5, 10)
	if flow != 2 || cost != -18 {
		t.Fatalf("got flow %d cost %d, want 2 and -18", flow, cost)
	}
	if g.Flow(a13) != 0 || g.Flow(a14) != 1 || g.Flow(a23) != 1 || g.Flow(a24) != 0 {
		t.Fatalf("wrong assignment: %d %d %d %d", g.Flow(a13), g.Flow(a14), g.Flow(a23), g.Flow(a24))
	}
}

// Flow stops at the cheapest non-negative path: positive and zero-cost paths
// are not used even though capacity is left.
func TestStopsAtNonNegativePath(t *testing.T) {
	g := New(4)
	g.AddArc(0, 1, 5, 0)
	g.AddArc(1, 3, 2, -3) // 2 units at -3
	g.AddArc(1, 2, 5, 1)
	zero := g.AddArc(2, 3, 5, -1) // 0 per unit through 2
	pos := g.AddArc(0, 3, 5, 4)   // +4 per unit
	flow, cost := mustSolve(t, g, 0, 3, 100)
	if flow != 2 || cost != -6 || g.Flow(zero) != 0 || g.Flow(pos) != 0 {
		t.Fatalf("got flow %d cost %d (zero-cost path %d, positive %d), want 2, -6, 0, 0", flow, cost, g.Flow(zero), g.Flow(pos))
	}
}

func TestNoNegativePathSendsNothing(t *testing.T) {
	g := New(4)
	g.AddArc(0, 1, 3, 0)
	g.AddArc(1, 2, 3, 0)
	g.AddArc(2, 3, 3, 2)
	g.AddArc(0, 3, 3, 1)
	g.AddArc(0, 2, 3, -2) // 0->2->3 costs 0: still not sent
	g.AddArc(2, 3, 3, 5)
	flow, cost := mustSolve(t, g, 0, 3, 100)
	if flow != 0 || cost != 0 {
		t.Fatalf("got flow %d cost %d, want 0 0", flow, cost)
	}
	for i := 0; i < g.Arcs(); i++ {
		if g.Flow(i) != 0 {
			t.Fatalf("arc %d carries %d", i, g.Flow(i))
		}
	}
}

func TestUnreachableSink(t *testing.T) {
	g := New(4)
	g.AddArc(0, 1, 1, -5)
	g.AddArc(2, 3, 1, -5)
	if flow, cost := mustSolve(t, g, 0, 3, 10); flow != 0 || cost != 0 {
		t.Fatalf("got %d %d", flow, cost)
	}
}

func TestMaxFlowLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for it := 0; it < 30; it++ {
		in := generate(genConfig{Learners: 200, Sharers: 60, TopK: 8, Scan: 60, Bonus: 50, Delta: 5, CapScale: 2, Seed: uint64(it)})
		free, freeCost := mustSolve(t, in.g, in.s, in.t, in.maxFlow)
		if free < 2 {
			t.Fatalf("instance %d: flow %d too small to test limits", it, free)
		}
		limit := 1 + rng.Int64N(free-1) // binding: < free
		flow, cost := mustSolve(t, in.g, in.s, in.t, limit)
		if flow != limit {
			t.Fatalf("instance %d: limit %d, flow %d (unlimited %d)", it, limit, flow, free)
		}
		if cost <= freeCost {
			t.Fatalf("instance %d: limited cost %d not above unlimited %d", it, cost, freeCost)
		}
		if flow, cost := mustSolve(t, in.g, in.s, in.t, 0); flow != 0 || cost != 0 {
			t.Fatalf("maxFlow 0 gave %d %d", flow, cost)
		}
		if flow, cost := mustSolve(t, in.g, in.s, in.t, math.MaxInt64); flow != free || cost != freeCost {
			t.Fatalf("MaxInt64 limit gave %d %d, want %d %d", flow, cost, free, freeCost)
		}
	}
}

// Successive limits: the cost is convex in the flow value and each extra
// unit costs the price of a shortest path, never less than the one before.
func TestConvexInFlowValue(t *testing.T) {
	in := generate(genConfig{Learners: 150, Sharers: 40, TopK: 6, Scan: 60, Bonus: 30, Delta: 10, CapScale: 2, Seed: 9})
	full, _ := mustSolve(t, in.g, in.s, in.t, in.maxFlow)
	prevCost, prevMarginal := int64(0), int64(math.MinInt64)
	for k := int64(1); k <= full; k++ {
		_, c := mustSolve(t, in.g, in.s, in.t, k)
		marginal := c - prevCost
		if marginal >= 0 || marginal < prevMarginal {
			t.Fatalf("unit %d costs %d after %d", k, marginal, prevMarginal)
		}
		prevCost, prevMarginal = c, marginal
	}
}

func TestParallelArcs(t *testing.T) {
	g := New(3)
	g.AddArc(0, 1, 3, 0)
	g.AddArc(0, 1, 1, -7) // first-connection bonus
	var sink []int
	for k := range 4 {
		sink = append(sink, g.AddArc(1, 2, 1, int64(k)*3-5)) // -5, -2, 1, 4
	}
	flow, cost := mustSolve(t, g, 0, 2, 10)
	// Units: -7-5 = -12, 0-2 = -2, then 0+1 >= 0 stops.
	if flow != 2 || cost != -14 {
		t.Fatalf("got flow %d cost %d, want 2 -14", flow, cost)
	}
	if g.Flow(sink[0]) != 1 || g.Flow(sink[1]) != 1 || g.Flow(sink[2]) != 0 || g.Flow(sink[3]) != 0 {
		t.Fatalf("parallel sink arcs used in the wrong order")
	}
	if g.Flow(1) != 1 || g.Flow(0) != 1 {
		t.Fatalf("source arcs: %d %d", g.Flow(0), g.Flow(1))
	}
}

func TestNegativeCycle(t *testing.T) {
	g := New(4)
	g.AddArc(0, 1, 1, 0)
	g.AddArc(1, 2, 1, -3)
	g.AddArc(2, 1, 1, 2) // cycle 1->2->1 costs -1
	g.AddArc(2, 3, 1, 0)
	if _, _, err := g.MinCostFlow(0, 3, 1); !errors.Is(err, ErrNegativeCycle) {
		t.Fatalf("err = %v, want ErrNegativeCycle", err)
	}
	if g.Flow(0) != 0 {
		t.Fatal("flow left after an error")
	}
	// A cycle that is not reachable from the source still counts.
	h := New(5)
	h.AddArc(0, 1, 1, -1)
	h.AddArc(3, 4, 1, -1)
	h.AddArc(4, 3, 1, 0)
	if _, _, err := h.MinCostFlow(0, 1, 1); !errors.Is(err, ErrNegativeCycle) {
		t.Fatalf("unreachable cycle: err = %v", err)
	}
	// A negative self-loop too; with capacity 0 it is ignored.
	k := New(2)
	k.AddArc(0, 1, 1, -1)
	k.AddArc(1, 1, 1, -1)
	if _, _, err := k.MinCostFlow(0, 1, 1); !errors.Is(err, ErrNegativeCycle) {
		t.Fatalf("self-loop: err = %v", err)
	}
	z := New(2)
	z.AddArc(0, 1, 1, -1)
	z.AddArc(1, 1, 0, -1)
	z.AddArc(1, 0, 0, -1)
	if flow, cost := mustSolve(t, z, 0, 1, 5); flow != 1 || cost != -1 {
		t.Fatalf("zero-capacity cycle: %d %d", flow, cost)
	}
	// Zero-cost cycles are fine.
	c := New(4)
	c.AddArc(0, 1, 2, -1)
	c.AddArc(1, 2, 2, 1)
	c.AddArc(2, 1, 2, -1) // cycle 1->2->1 costs 0
	c.AddArc(2, 3, 2, -1)
	if flow, cost := mustSolve(t, c, 0, 3, 5); flow != 2 || cost != -2 {
		t.Fatalf("zero-cost cycle: %d %d, want 2 -2", flow, cost)
	}
	if c.Stats().DAG {
		t.Fatal("a graph with a cycle was taken for a DAG")
	}
}

func TestBadArguments(t *testing.T) {
	g := New(3)
	g.AddArc(0, 1, 1, -1)
	for _, c := range []struct {
		s, t int
		max  int64
	}{{0, 0, 1}, {-1, 1, 1}, {0, 3, 1}, {0, 1, -1}} {
		if _, _, err := g.MinCostFlow(c.s, c.t, c.max); err == nil {
			t.Errorf("MinCostFlow(%d, %d, %d): no error", c.s, c.t, c.max)
		}
	}
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: no panic", name)
			}
		}()
		f()
	}
	mustPanic("node out of range", func() { g.AddArc(0, 3, 1, 0) })
	mustPanic("negative node", func() { g.AddArc(-1, 0, 1, 0) })
	mustPanic("negative capacity", func() { g.AddArc(0, 1, -1, 0) })
	mustPanic("Flow out of range", func() { g.Flow(5) })
	if v := g.AddNode(); v != 3 || g.Nodes() != 4 {
		t.Fatalf("AddNode = %d, Nodes = %d", v, g.Nodes())
	}
	g.AddArc(1, 3, 1, 0)
	if g.Arcs() != 2 {
		t.Fatalf("Arcs = %d", g.Arcs())
	}
	if flow, cost := mustSolve(t, g, 0, 3, 5); flow != 1 || cost != -1 {
		t.Fatalf("after AddNode: %d %d", flow, cost)
	}
	if g.Flow(1) != 1 {
		t.Fatal("Flow(1) != 1")
	}
	g.AddArc(0, 3, 1, -5)
	if g.Flow(2) != 0 {
		t.Fatal("an arc added after solving reports flow")
	}
}

func TestCostRange(t *testing.T) {
	// Big costs that still fit (big-M weighting) are exact.
	const big = int64(1) << 40 // beyond an int32
	g := New(4)
	g.AddArc(0, 1, 1, 0)
	g.AddArc(0, 2, 1, 0)
	g.AddArc(1, 3, 1, -big)
	g.AddArc(2, 3, 1, -big-1)
	if flow, cost := mustSolve(t, g, 0, 3, 2); flow != 2 || cost != -2*big-1 {
		t.Fatalf("got %d %d", flow, cost)
	}
	h := New(2)
	h.AddArc(0, 1, 1, math.MinInt64)
	if _, _, err := h.MinCostFlow(0, 1, 1); !errors.Is(err, ErrCostRange) {
		t.Fatalf("err = %v, want ErrCostRange", err)
	}
	k := New(2)
	k.AddArc(0, 1, math.MaxInt64, -(int64(1) << 58))
	if _, _, err := k.MinCostFlow(0, 1, math.MaxInt64); !errors.Is(err, ErrCostRange) {
		t.Fatalf("total cost overflow: err = %v, want ErrCostRange", err)
	}
}

// Two solves of the same graph, and a solve of a graph rebuilt with the same
// arcs in the same order, give identical flows on every arc.
func TestDeterminism(t *testing.T) {
	cfg := genConfig{Learners: 3000, Sharers: 700, TopK: 10, Scan: 100, Bonus: 100, Delta: 5, CapScale: 2, Permute: true, Seed: 42}
	a := generate(cfg)
	b := generate(cfg)
	fa, ca := mustSolve(t, a.g, a.s, a.t, a.maxFlow)
	first := make([]int64, a.g.Arcs())
	for i := range first {
		first[i] = a.g.Flow(i)
	}
	fa2, ca2 := mustSolve(t, a.g, a.s, a.t, a.maxFlow)
	fb, cb := mustSolve(t, b.g, b.s, b.t, b.maxFlow)
	if fa != fa2 || fa != fb || ca != ca2 || ca != cb {
		t.Fatalf("flow/cost differ: %d/%d, %d/%d, %d/%d", fa, ca, fa2, ca2, fb, cb)
	}
	if a.g.Arcs() != b.g.Arcs() {
		t.Fatal("generator not deterministic")
	}
	diff := 0
	for i := range first {
		if first[i] != a.g.Flow(i) || first[i] != b.g.Flow(i) {
			diff++
		}
	}
	if diff != 0 {
		t.Fatalf("%d arcs have different flows across runs", diff)
	}
	t.Logf("flow %d cost %d, %d arcs", fa, ca, len(first))
}

func TestWriteDIMACS(t *testing.T) {
	g := New(4)
	g.AddArc(0, 1, 2, -5)
	g.AddArc(0, 2, 1, 0)
	g.AddArc(1, 3, 1, -3)
	g.AddArc(2, 3, 4, 7)
	g.AddArc(1, 3, 1, 2) // parallel
	var buf bytes.Buffer
	if err := g.WriteDIMACS(&buf, 0, 3, 10); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if strings.HasPrefix(l, "c ") {
			continue
		}
		lines = append(lines, l)
	}
	want := []string{
		"p min 4 6",
		"n 1 3", // min(maxFlow 10, capacity out of the source 2+1)
		"n 4 -3",
		"a 1 2 0 2 -5",
		"a 1 3 0 1 0",
		"a 2 4 0 1 -3",
		"a 3 4 0 4 7",
		"a 2 4 0 1 2",
		"a 1 4 0 3 0",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("DIMACS:\n%s\nwant (without comments):\n%s", buf.String(), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(buf.String(), "c ") || !strings.Contains(buf.String(), "bypass") {
		t.Fatalf("missing comment lines:\n%s", buf.String())
	}
	buf.Reset()
	if err := g.WriteDIMACS(&buf, 0, 3, 2); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\nn 1 2\nn 4 -2\n") || !strings.HasSuffix(buf.String(), "a 1 4 0 2 0\n") {
		t.Fatalf("maxFlow 2 not used as supply:\n%s", buf.String())
	}
	if err := g.WriteDIMACS(&buf, 0, 0, 2); err == nil {
		t.Fatal("source == sink accepted")
	}
}

// A graph keeps capacities and costs as int16 while they fit, then as
// int32, then as int64: what Arc returns and what the solvers find are the
// same either way, whichever arc first needs the wider type.
func TestWideValuesKeepTheirArcs(t *testing.T) {
	// Beyond an int32, beyond an int16, and the values of either tier
	// once the column is wider.
	for _, big := range []int64{1 << 40, 1 << 20, 1 << 14} {
		testWideValuesKeepTheirArcs(t, big)
	}
}

func testWideValuesKeepTheirArcs(t *testing.T, big int64) {
	for _, wideAt := range []int{0, 1, 3} {
		g := New(4)
		g.Grow(2)
		type arc struct{ from, to, capa, cost int64 }
		arcs := []arc{{0, 1, 2, -5}, {1, 3, 2, -3}, {0, 2, 1, -1}, {2, 3, 1, -1}}
		if wideAt < len(arcs) {
			arcs[wideAt].capa += big // a wider arc, the same optimum: maxFlow bounds the flow
		}
		for _, a := range arcs {
			g.AddArc(int(a.from), int(a.to), a.capa, a.cost)
		}
		for i, a := range arcs {
			if from, to, capa, cost := g.Arc(i); int64(from) != a.from || int64(to) != a.to || capa != a.capa || cost != a.cost {
				t.Errorf("%d at %d: arc %d is %d→%d cap %d cost %d, want %+v", big, wideAt, i, from, to, capa, cost, a)
			}
		}
		flow, cost, err := g.MinCostFlow(0, 3, 3)
		if err != nil || flow != 3 || cost != 2*(-5-3)+1*(-1-1) {
			t.Errorf("wide at %d: flow %d cost %d err %v, want 3 and -18", wideAt, flow, cost, err)
		}
		if f := g.Flow(0) + g.Flow(2); f != 3 {
			t.Errorf("wide at %d: %d leaves the source, want 3", wideAt, f)
		}
	}
}

// A column returns what was added, whichever tiers it went through, and
// stays in the narrowest one that holds every value.
func TestColumnTiers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		var c column
		if rng.IntN(2) == 0 {
			c.grow(rng.IntN(20))
		}
		var want []int64
		widest := 16
		for range rng.IntN(40) {
			var x int64
			switch rng.IntN(10) {
			case 0:
				x = rng.Int64() - 1<<62
			case 1, 2:
				x = rng.Int64N(1<<32) - 1<<31
			default:
				x = rng.Int64N(1<<16) - 1<<15
			}
			switch {
			case x != int64(int32(x)):
				widest = 64
			case x != int64(int16(x)):
				widest = max(widest, 32)
			}
			c.add(x)
			want = append(want, x)
		}
		if c.len() != len(want) {
			t.Fatalf("%d values, want %d", c.len(), len(want))
		}
		for i, x := range want {
			if got := c.at(i); got != x {
				t.Fatalf("value %d is %d, want %d (of %v)", i, got, x, want)
			}
		}
		tier := 16
		switch {
		case c.wide != nil:
			tier = 64
		case c.narrow != nil:
			tier = 32
		}
		if len(want) > 0 && tier != widest {
			t.Fatalf("values %v kept as int%d, want int%d", want, tier, widest)
		}
	}
}
