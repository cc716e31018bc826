package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"
)

// Profile is a command's profiling for developers (LC_PROFILE_DIR,
// docs/performance.md, "Profiling a sync"): a CPU profile of the whole
// command, cpu.pprof, and a heap profile taken after the collection that
// found the most live bytes, heap.pprof: what was live at the peak, which
// is what bounds the process's memory (the collector lets the heap grow
// past it, to twice it by default, or to the soft limit).
type Profile struct {
	dir  string
	cpu  *os.File
	stop chan struct{}
	done sync.WaitGroup

	mu       sync.Mutex
	peakLive uint64 // live heap bytes at heap.pprof's collection
	err      error  // the first error writing heap.pprof
}

// StartProfile starts profiling into dir (created when missing).
func StartProfile(dir string) (*Profile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	p := &Profile{dir: dir, cpu: f, stop: make(chan struct{})}
	p.done.Add(1)
	go p.watch()
	return p, nil
}

// watch looks at each collection's live heap, every 20 ms (sample).
func (p *Profile) watch() {
	defer p.done.Done()
	var cycles uint64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			p.sample(&cycles)
		}
	}
}

// sample writes a heap profile when a collection since the last sample
// (cycles) found the live heap 2% (and 1 MiB) above the largest seen: the
// last one written is the peak's.
func (p *Profile) sample(cycles *uint64) {
	samples := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(samples)
	c, live := samples[0].Value.Uint64(), samples[1].Value.Uint64()
	if c == *cycles {
		return
	}
	*cycles = c
	p.mu.Lock()
	defer p.mu.Unlock()
	if live > p.peakLive+p.peakLive/50+1<<20 {
		p.peakLive = live
		if err := p.writeHeap(); err != nil && p.err == nil {
			p.err = err
		}
	}
}

// writeHeap writes the heap profile as of the last collection, whole or
// not at all (a temporary file renamed).
func (p *Profile) writeHeap() error {
	path := filepath.Join(p.dir, "heap.pprof")
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

// Stop ends the CPU profile and the heap's watch, and says what was
// written.
func (p *Profile) Stop() (string, error) {
	close(p.stop)
	p.done.Wait()
	var cycles uint64
	p.sample(&cycles) // the last collection's, however short the run
	pprof.StopCPUProfile()
	if err := p.cpu.Close(); err != nil {
		return "", err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return "", p.err
	}
	return fmt.Sprintf("%s: cpu.pprof; heap.pprof at a live heap of %d MiB (at the end: heap obtained from the system %d MiB, %d collections, soft memory limit %d MiB)",
		p.dir, p.peakLive>>20, ms.HeapSys>>20, ms.NumGC, debug.SetMemoryLimit(-1)>>20), nil
}
