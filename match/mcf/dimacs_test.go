package mcf

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// dimacsProblem is a DIMACS "p min" instance as WriteDIMACS writes it: one
// source with supply F, the sink with demand F, and the graph's arcs, the
// last one the cost-0 bypass source->sink.
type dimacsProblem struct {
	g        *Graph
	source   int
	sink     int
	supply   int64
	comments []string
}

// readDIMACS reads a "p min" instance with exactly one supply node and one
// demand node (0-based nodes in the result). Lower bounds must be 0.
func readDIMACS(r io.Reader) (*dimacsProblem, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	p := &dimacsProblem{source: -1, sink: -1}
	var arcs int
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		bad := func(err error) error { return fmt.Errorf("dimacs line %d %q: %v", line, sc.Text(), err) }
		ints := func(k int) ([]int64, error) {
			if len(f) != k+1 {
				return nil, fmt.Errorf("want %d fields", k+1)
			}
			out := make([]int64, k)
			for i := range out {
				x, err := strconv.ParseInt(f[i+1], 10, 64)
				if err != nil {
					return nil, err
				}
				out[i] = x
			}
			return out, nil
		}
		switch f[0] {
		case "c":
			p.comments = append(p.comments, sc.Text())
		case "p":
			if len(f) != 4 || f[1] != "min" || p.g != nil {
				return nil, bad(fmt.Errorf("want one \"p min N M\" line"))
			}
			n, err1 := strconv.Atoi(f[2])
			m, err2 := strconv.Atoi(f[3])
			if err1 != nil || err2 != nil {
				return nil, bad(fmt.Errorf("bad sizes"))
			}
			p.g = New(n)
			p.g.Grow(m)
			arcs = m
		case "n":
			x, err := ints(2)
			if err != nil || p.g == nil || x[0] < 1 || x[0] > int64(p.g.n) {
				return nil, bad(fmt.Errorf("bad node line (%v)", err))
			}
			switch {
			case x[1] > 0 && p.source < 0:
				p.source, p.supply = int(x[0]-1), x[1]
			case x[1] < 0 && p.sink < 0:
				p.sink = int(x[0] - 1)
			case x[1] != 0:
				return nil, bad(fmt.Errorf("more than one supply or demand node"))
			}
		case "a":
			x, err := ints(5)
			if err != nil || p.g == nil || x[2] != 0 {
				return nil, bad(fmt.Errorf("bad arc line (%v)", err))
			}
			p.g.AddArc(int(x[0]-1), int(x[1]-1), x[3], x[4])
		default:
			return nil, bad(fmt.Errorf("unknown line"))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if p.g == nil || p.g.Arcs() != arcs || p.source < 0 || p.sink < 0 {
		return nil, fmt.Errorf("dimacs: incomplete problem")
	}
	return p, nil
}

// supplyProblem is a problem in SendSupplies' form.
type supplyProblem struct {
	g        *Graph
	supplies []Supply
	sink     int
}

// sourceForm is the DIMACS problem as it is: the supply at the source, which
// has the bypass arc to the sink.
func (p *dimacsProblem) sourceForm() supplyProblem {
	return supplyProblem{g: p.g, supplies: []Supply{{Node: p.source, Amount: p.supply}}, sink: p.sink}
}

// supplyForm rewrites a problem from match.WriteDIMACS into the form the
// matcher gives SendSupplies: every source arc source->x of cost 0 into a
// node x with no other arc in becomes a supply at x with a cost-0 bypass
// x->sink (any other source arc gets a node of its own holding the supply),
// the source->sink bypass is dropped, and the supplies are ordered as the
// matcher orders them: best candidate weight first (the most negative arc
// two steps on), stable.
func (p *dimacsProblem) supplyForm() supplyProblem {
	in := p.g
	m := in.Arcs()
	indeg := make([]int, in.n)
	for e := range m {
		indeg[in.to[e]]++
	}
	g := New(in.n)
	g.Grow(m + m/8)
	var supplies []Supply
	for e := range m {
		u, v, c, w := in.Arc(e)
		switch {
		case int(u) == p.source && int(v) == p.sink:
			// the DIMACS bypass: the per-supply bypasses replace it
		case int(u) == p.source && w == 0 && indeg[v] == 1:
			supplies = append(supplies, Supply{Node: int(v), Amount: c})
			g.AddArc(int(v), p.sink, c, 0)
		case int(u) == p.source:
			x := g.AddNode()
			supplies = append(supplies, Supply{Node: x, Amount: c})
			g.AddArc(x, int(v), c, w)
			g.AddArc(x, p.sink, c, 0)
		default:
			g.AddArc(int(u), int(v), c, w)
		}
	}
	// best[u]: the most negative cost of an arc two steps from u.
	first := make([]int64, g.n) // cheapest arc out of each node
	for e := range g.Arcs() {
		first[g.from[e]] = min(first[g.from[e]], g.cost.at(e))
	}
	best := make([]int64, len(supplies))
	at := make([]int, g.n)
	for i := range at {
		at[i] = -1
	}
	for i, s := range supplies {
		at[s.Node] = i
	}
	for e := range g.Arcs() {
		if i := at[g.from[e]]; i >= 0 && int(g.to[e]) != p.sink {
			best[i] = min(best[i], first[g.to[e]])
		}
	}
	order := make([]int, len(supplies))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case best[x] < best[y]:
			return -1
		case best[x] > best[y]:
			return 1
		}
		return 0
	})
	sorted := make([]Supply, len(supplies))
	for i, k := range order {
		sorted[i] = supplies[k]
	}
	return supplyProblem{g: g, supplies: sorted, sink: p.sink}
}

// demoGraph reads /tmp/graphs/demo<size>.dimacs (written by the matcher's
// match.WriteDIMACS on the demo program), skipping when it is absent.
func demoGraph(tb testing.TB, size int) *dimacsProblem {
	tb.Helper()
	path := fmt.Sprintf("/tmp/graphs/demo%d.dimacs", size)
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Skipf("no demo graph: %v", err)
	}
	p, err := readDIMACS(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return p
}

// The reader reads what the writer writes.
func TestDIMACSRoundTrip(t *testing.T) {
	in := generate(genConfig{Learners: 40, Sharers: 15, TopK: 5, Scan: 20, Bonus: 100, Delta: 5, Seed: 7})
	var buf bytes.Buffer
	if err := in.g.WriteDIMACS(&buf, in.s, in.t, in.maxFlow); err != nil {
		t.Fatal(err)
	}
	p, err := readDIMACS(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if p.source != in.s || p.sink != in.t || p.supply != in.g.DIMACSSupply(in.s, in.maxFlow) {
		t.Fatalf("source %d sink %d supply %d", p.source, p.sink, p.supply)
	}
	if p.g.Arcs() != in.g.Arcs()+1 {
		t.Fatalf("%d arcs, want %d", p.g.Arcs(), in.g.Arcs()+1)
	}
	for e := range in.g.Arcs() {
		u1, v1, c1, w1 := in.g.Arc(e)
		u2, v2, c2, w2 := p.g.Arc(e)
		if u1 != u2 || v1 != v2 || c1 != c2 || w1 != w2 {
			t.Fatalf("arc %d: %d %d %d %d, read %d %d %d %d", e, u1, v1, c1, w1, u2, v2, c2, w2)
		}
	}
}
