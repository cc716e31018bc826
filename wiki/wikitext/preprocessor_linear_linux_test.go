package wikitext

import (
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestLinearTime checks that the hostile inputs parse, and list their
// templates, in time that grows linearly: eight times the input may take
// at most 24 times as long (linear is 8, quadratic 64). The times are the CPU time of the
// test's own thread, the best of three, so that other work on the machine
// does not count; absolute speed is measured by BenchmarkParseHostile
// (make bench), never asserted. Each tree must also be lossless.
func TestLinearTime(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector's own costs hide the parser's growth; make test runs this test again without it")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// Without the collector during a parse: its work grows with the live
	// heap, which made 8 times the input take 30 to 60 times as long
	// although the parser's own work is linear (flat in ns per byte from
	// 32 KB to 1 MB with GOGC=off). runtime.GC still runs between parses.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	n := 8000
	if testing.Short() {
		n = 2000
	}
	small, large := hostileInputs(n), hostileInputs(8*n)
	best := func(text string) time.Duration {
		d := time.Duration(1<<63 - 1)
		for range 3 {
			runtime.GC() // a collection the last parse left due is not this one's
			start := threadCPU(t)
			Parse(text).Templates()
			d = min(d, threadCPU(t)-start)
		}
		return d
	}
	for name, text := range large {
		ds, dl := best(small[name]), best(text)
		// 2 ms of slack: the small input can parse in microseconds.
		if dl > 24*ds+2*time.Millisecond {
			t.Errorf("%s: %d bytes took %v, %d bytes %v: %.0f times as long for 8 times the input", name, len(small[name]), ds, len(text), dl, float64(dl)/float64(max(ds, 1)))
		}
		tree := Parse(text)
		var b strings.Builder
		rebuildSource(&b, text, tree.Root)
		if b.String() != text {
			t.Errorf("%s: tree is not lossless", name)
		}
	}
}

// threadCPU is the CPU time the calling thread has used, to the
// nanosecond (CLOCK_THREAD_CPUTIME_ID; the caller locks its goroutine to
// its thread).
func threadCPU(t *testing.T) time.Duration {
	const clockThreadCPUTime = 3
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		t.Fatal(errno)
	}
	return time.Duration(ts.Nano())
}
