package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// LC_PROFILE_DIR's profiles: a CPU profile, and a heap profile written
// at the largest live heap a collection found (Stop takes the last
// collection's when the watch has not).
func TestProfileWritesCPUAndPeakHeapProfiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profile")
	p, err := StartProfile(dir)
	if err != nil {
		t.Fatal(err)
	}
	var held [][]byte
	for range 8 {
		held = append(held, make([]byte, 4<<20))
		runtime.GC()
	}
	said, err := p.Stop()
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(held)
	for _, name := range []string{"cpu.pprof", "heap.pprof"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !strings.Contains(said, "heap.pprof at a live heap of") {
		t.Errorf("Stop said %q", said)
	}
}
