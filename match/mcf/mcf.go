package mcf

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned by MinCostFlow.
var (
	// ErrNegativeCycle means that the arcs with positive capacity contain a
	// cycle of negative total cost. Successive shortest paths cannot start
	// from the zero flow then, and the problem "min cost over s-t flows" would
	// also include an unbounded-looking circulation part, so it is refused.
	ErrNegativeCycle = errors.New("mcf: negative-cost cycle among arcs with positive capacity")
	// ErrCostRange means that some |cost| is so large that potentials or
	// distances could overflow int64 (|cost| * (nodes+1) must stay below
	// 2^59), or that the total cost does not fit in an int64.
	ErrCostRange = errors.New("mcf: cost out of range (int64 overflow possible)")
)

// maxCostProduct bounds maxAbsCost*(nodes+1): potentials and shortest-path
// distances stay within a small multiple of nodes*maxAbsCost, so this leaves
// ample int64 headroom.
const maxCostProduct = math.MaxInt64 / 16

// Graph is a flow network with integer capacities and costs. Nodes are
// 0..n-1; arcs are numbered 0..m-1 in insertion order. The zero value is an
// empty graph with no nodes. A Graph is not safe for concurrent use.
type Graph struct {
	n    int
	from []int32
	to   []int32
	capa column
	cost column

	// State of the last successful MinCostFlow call, kept for Flow.
	res   *residual
	stats Stats
	// Prices of the last successful SendSuppliesScaled, in units of
	// 1/priceScale of a cost unit (Prices).
	prices     []int64
	priceScale int64
}

// Stats describes the work done by the last MinCostFlow, SendSupplies or
// SendSuppliesScaled call.
type Stats struct {
	Nodes, Arcs    int   // size of the graph that was solved
	DAG            bool  // initial potentials came from a topological order (else SPFA); not set by SendSuppliesScaled
	Phases         int   // shortest-path computations (Dijkstra runs); for SendSuppliesScaled, refines (ε steps)
	Rounds         int   // Dinic rounds (backward BFS + blocking-flow DFS)
	Augmentations  int   // augmenting paths (SendSuppliesScaled: partial ones)
	AdmissibleArcs int   // admissible arcs collected, summed over phases
	Relabels       int   // SendSuppliesScaled: price decreases of one node
	GlobalUpdates  int   // SendSuppliesScaled: global price updates
	Checks         int   // SendSuppliesScaled: optimality checks (price refinements to 0)
	Cancels        int   // SendSuppliesScaled: negative cycles cancelled by the checks
	Flow, Cost     int64 // the returned flow and cost
}

// New returns a graph with the given number of nodes and no arcs.
func New(nodes int) *Graph {
	if nodes < 0 || nodes > math.MaxInt32-1 {
		panic(fmt.Sprintf("mcf: invalid node count %d", nodes))
	}
	return &Graph{n: nodes}
}

// Grow reserves room for at least arcs more arcs, to avoid reallocation
// while adding a known number of arcs.
func (g *Graph) Grow(arcs int) {
	if arcs <= 0 {
		return
	}
	need := len(g.from) + arcs
	if need <= cap(g.from) {
		return
	}
	g.from = append(make([]int32, 0, need), g.from...)
	g.to = append(make([]int32, 0, need), g.to...)
	g.capa.grow(need)
	g.cost.grow(need)
}

// AddNode adds a node and returns its index.
func (g *Graph) AddNode() int {
	if g.n >= math.MaxInt32-1 {
		panic("mcf: too many nodes")
	}
	g.n++
	return g.n - 1
}

// AddArc adds an arc from -> to with the given capacity and cost per unit of
// flow and returns its index; indices follow insertion order starting at 0.
// Parallel arcs and arcs into the source or out of the sink are allowed.
// It panics if a node is out of range or the capacity is negative.
func (g *Graph) AddArc(from, to int, capacity int64, cost int64) int {
	if from < 0 || from >= g.n || to < 0 || to >= g.n {
		panic(fmt.Sprintf("mcf: arc %d->%d: node out of range [0,%d)", from, to, g.n))
	}
	if capacity < 0 {
		panic(fmt.Sprintf("mcf: arc %d->%d: negative capacity %d", from, to, capacity))
	}
	if len(g.from) >= maxArcs {
		panic("mcf: too many arcs")
	}
	g.from = append(g.from, int32(from))
	g.to = append(g.to, int32(to))
	g.capa.add(capacity)
	g.cost.add(cost)
	return len(g.from) - 1
}

// maxArcs keeps residual arc indices (2 per arc) within int32.
const maxArcs = (math.MaxInt32 - 1) / 2

// Nodes returns the number of nodes.
func (g *Graph) Nodes() int { return g.n }

// Arcs returns the number of arcs.
func (g *Graph) Arcs() int { return len(g.from) }

// Arc returns the endpoints, capacity and cost of arc i.
func (g *Graph) Arc(i int) (from, to int, capacity, cost int64) {
	return int(g.from[i]), int(g.to[i]), g.capa.at(i), g.cost.at(i)
}

// Flow returns the flow on arc i found by the last successful MinCostFlow
// call: 0 before any call, after a failed call, and for arcs added since.
func (g *Graph) Flow(arc int) int64 {
	if arc < 0 || arc >= len(g.from) {
		panic(fmt.Sprintf("mcf: arc %d out of range [0,%d)", arc, len(g.from)))
	}
	r := g.res
	if r != nil && r.flows != nil {
		if arc >= len(r.flows) {
			return 0
		}
		return int64(r.flows[arc])
	}
	if r == nil || arc >= len(r.fwd) {
		return 0
	}
	p := r.fwd[arc]
	if p < 0 {
		return 0
	}
	return g.capa.at(arc) - r.rcap[p]
}

// Stats returns counters from the last MinCostFlow call.
func (g *Graph) Stats() Stats { return g.stats }

// column holds one value an arc (a capacity or a cost) in the narrowest of
// int16, int32 and int64 that every value so far fits, as the matcher's
// capacities and costs fit an int16: a graph of millions of arcs then holds
// 6 bytes an arc less for each, which counts because the solvers' own
// records of the arcs are live beside them (about 65 MB at 100,000
// participants, at the matcher's peak).
type column struct {
	small  []int16
	narrow []int32 // every value, once one did not fit an int16 (small is nil then)
	wide   []int64 // every value, once one did not fit an int32 (narrow is nil then)
}

func (c *column) at(i int) int64 {
	switch {
	case c.small != nil:
		return int64(c.small[i])
	case c.narrow != nil:
		return int64(c.narrow[i])
	}
	return c.wide[i]
}

func (c *column) len() int { return len(c.small) + len(c.narrow) + len(c.wide) }

func (c *column) add(x int64) {
	switch {
	case c.narrow == nil && c.wide == nil && x == int64(int16(x)):
		c.small = append(c.small, int16(x))
		return
	case c.wide == nil && x == int64(int32(x)):
		if c.narrow == nil {
			c.narrow = make([]int32, len(c.small), max(cap(c.small), len(c.small)+1))
			for i, v := range c.small {
				c.narrow[i] = int32(v)
			}
			c.small = nil
		}
		c.narrow = append(c.narrow, int32(x))
		return
	}
	if c.wide == nil {
		n := c.len()
		c.wide = make([]int64, n, max(cap(c.small), cap(c.narrow), n+1))
		for i := range n {
			c.wide[i] = c.at(i)
		}
		c.small, c.narrow = nil, nil
	}
	c.wide = append(c.wide, x)
}

// grow makes room for need values in all.
func (c *column) grow(need int) {
	switch {
	case c.wide != nil:
		if need > cap(c.wide) {
			c.wide = append(make([]int64, 0, need), c.wide...)
		}
	case c.narrow != nil:
		if need > cap(c.narrow) {
			c.narrow = append(make([]int32, 0, need), c.narrow...)
		}
	default:
		if need > cap(c.small) {
			c.small = append(make([]int16, 0, need), c.small...)
		}
	}
}
