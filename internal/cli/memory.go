package cli

import (
	"os"
	"runtime/debug"
)

// MemoryLimit is the soft memory limit the letsconnect commands give Go's
// runtime (runtime/debug.SetMemoryLimit) when GOMEMLIMIT is not set:
// Toolforge gives the service's container about 1 GB. With Go's default
// collector alone the heap grows to twice its live size between
// collections, and at 100,000 participants the matcher's live heap peaks
// near 650 MB (the candidates, the 1:1 network and the solver's residual
// graph): 1.2 GB. Under the limit the collector runs sooner as the heap
// nears it, and the same match peaks at about 0.93 GB (docs/matching.md).
const MemoryLimit = 900 << 20

// LimitMemory sets MemoryLimit unless the environment sets GOMEMLIMIT
// (which wins, as Go documents). A command calls it once, first.
func LimitMemory() {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
