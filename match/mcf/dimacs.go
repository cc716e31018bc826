package mcf

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
)

// DIMACSSupply returns the supply that WriteDIMACS puts at the source:
// maxFlow, or the sum of the capacities of the arcs out of source if that is
// smaller (no s-t flow can exceed it).
func (g *Graph) DIMACSSupply(source int, maxFlow int64) int64 {
	var out int64
	for i, f := range g.from {
		if int(f) == source {
			if c := g.capa.at(i); out > math.MaxInt64-c {
				out = math.MaxInt64
			} else {
				out += c
			}
		}
	}
	return min(out, maxFlow)
}

// WriteDIMACS writes the problem as a DIMACS "p min" minimum-cost flow
// instance that any exact solver can check. The source gets supply F =
// DIMACSSupply(source, maxFlow), the sink demand F; graph arc i is written as
// line "a from to 0 cap cost" (1-based node ids) in index order, and a last
// bypass arc source->sink with cost 0 and capacity F carries the flow that
// is not worth sending. So the optimum of the DIMACS problem equals the cost
// returned by MinCostFlow(source, sink, maxFlow) (when there is no negative
// cycle, which MinCostFlow refuses). Comment lines ("c ...") say so.
func (g *Graph) WriteDIMACS(w io.Writer, source, sink int, maxFlow int64) error {
	if source < 0 || source >= g.n || sink < 0 || sink >= g.n || source == sink {
		return fmt.Errorf("mcf: WriteDIMACS: bad source %d / sink %d for %d nodes", source, sink, g.n)
	}
	if maxFlow < 0 {
		return fmt.Errorf("mcf: WriteDIMACS: negative maxFlow %d", maxFlow)
	}
	supply := g.DIMACSSupply(source, maxFlow)
	bw := bufio.NewWriterSize(w, 1<<16)
	m := len(g.from)
	fmt.Fprintf(bw, "c min-cost flow instance from gitlab.wikimedia.org/toolforge-repos/letsconnect/match/mcf\n")
	fmt.Fprintf(bw, "c source node %d, sink node %d (1-based), maxFlow %d, supply = demand = %d\n",
		source+1, sink+1, maxFlow, supply)
	fmt.Fprintf(bw, "c arc lines 1..%d are graph arcs 0..%d in order; the last arc is a cost-0 bypass source->sink\n", m, m-1)
	fmt.Fprintf(bw, "c the optimum cost equals MinCostFlow(source, sink, maxFlow)\n")
	fmt.Fprintf(bw, "p min %d %d\n", g.n, m+1)
	if supply > 0 {
		fmt.Fprintf(bw, "n %d %d\n", source+1, supply)
		fmt.Fprintf(bw, "n %d %d\n", sink+1, -supply)
	}
	buf := make([]byte, 0, 96)
	for i := range g.from {
		buf = append(buf[:0], 'a', ' ')
		buf = strconv.AppendInt(buf, int64(g.from[i])+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(g.to[i])+1, 10)
		buf = append(buf, " 0 "...)
		buf = strconv.AppendInt(buf, g.capa.at(i), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, g.cost.at(i), 10)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	fmt.Fprintf(bw, "a %d %d 0 %d 0\n", source+1, sink+1, supply)
	return bw.Flush()
}
