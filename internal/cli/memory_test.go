package cli

import (
	"os"
	"runtime/debug"
	"testing"
)

// The commands' soft memory limit: 900 MiB by default, and a GOMEMLIMIT
// the operator set wins.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	t.Setenv("GOMEMLIMIT", "")
	os.Unsetenv("GOMEMLIMIT")
	debug.SetMemoryLimit(1 << 40)
	LimitMemory()
	if got := debug.SetMemoryLimit(-1); got != MemoryLimit {
		t.Errorf("without GOMEMLIMIT the limit is %d, want %d", got, MemoryLimit)
	}

	t.Setenv("GOMEMLIMIT", "2GiB")
	debug.SetMemoryLimit(2 << 30) // what the runtime read from it at start
	LimitMemory()
	if got := debug.SetMemoryLimit(-1); got != 2<<30 {
		t.Errorf("with GOMEMLIMIT=2GiB the limit is %d, want the operator's %d", got, 2<<30)
	}
}
