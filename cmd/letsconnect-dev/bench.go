package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demoinput"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// runBench: `letsconnect-dev bench match` measures the matcher on the
// pilot-shaped demo program at several sizes. Each size runs in a child
// process, so that its peak memory (maxrss) is its own; beside it, on the
// same instances and in the same run, the matcher of another build (the
// code before a change: --baseline), the exact solver before cost scaling,
// and HiGHS on the 1:1 graph (an established solver: --anchor).
func runBench(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 && args[0] == "read" {
		return runBenchRead(ctx, a, args[1:])
	}
	if len(args) > 0 && args[0] == "churn" {
		return runBenchChurn(a, args[1:])
	}
	if len(args) == 0 || args[0] != "match" {
		return cli.Usage(errors.New("usage: letsconnect-dev bench match [--sizes 179,1000,10000,100000] [--runs 3] [--reference 10000] [--baseline BIN] [--anchor 10000 --python PYTHON]\n       letsconnect-dev bench churn [--participants 179,1000] [--trials 200]\n       letsconnect-dev bench read [--runs 3] (on the wiki of MW_API_URL, beside mwn and mwclient: make bench)"))
	}
	fs := flag.NewFlagSet("bench match", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	sizes := fs.String("sizes", "179,1000,10000,100000", "participant counts")
	runs := fs.Int("runs", 3, "runs of each matcher at each size (medians shown)")
	reference := fs.Int("reference", 10000, "largest size at which to also solve with wide candidate lists (80 + 80) to measure the pruning loss")
	baseline := fs.String("baseline", "", "a letsconnect-dev binary of another build (scripts/bench/baseline.sh), measured on the same instances")
	paths := fs.Int("paths", 100000, "largest size at which to also solve with the solver before cost scaling (paths), once")
	anchor := fs.Int("anchor", 0, "largest size at which HiGHS (SciPy's linprog, highs-ds) also solves the 1:1 graph; 0: none")
	python := fs.String("python", "/usr/bin/python3", "a python3 with SciPy, for --anchor (scripts/bench/match.sh installs Debian's)")
	script := fs.String("highs", "scripts/bench/highs_mcf.py", "the HiGHS script, for --anchor")
	work := fs.String("work", os.TempDir(), "where the 1:1 graphs go, for --anchor and --lemon")
	lemon := fs.String("lemon", "", "a lemon_mcf binary (scripts/bench/lemon_mcf.cc, built by scripts/bench/match.sh): LEMON's network simplex and cost scaling also solve the 1:1 graph, up to --lemon-max participants")
	lemonMax := fs.Int("lemon-max", 100000, "largest size for --lemon")
	child := fs.Int("child", 0, "internal: measure one size and print JSON")
	candidates := fs.Int("candidates", 0, "internal: candidates per learner")
	random := fs.Int("random", 0, "internal: random candidates per learner")
	solver := fs.String("solver", "", "internal: the min-cost flow solver (scaling, paths)")
	cpuProfile := fs.String("cpuprofile", "", "with --child: write a CPU profile of the matching")
	memProfile := fs.String("memprofile", "", "with --child: write a heap profile (allocations) of the matching")
	if err := cli.ParseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *child > 0 {
		return benchChild(a, *child, *candidates, *random, match.Solver(*solver), *cpuProfile, *memProfile)
	}
	if *runs < 1 {
		return cli.Usage(fmt.Errorf("--runs %d: at least 1", *runs))
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var ns []int
	for _, field := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			return cli.Usage(fmt.Errorf("--sizes: %q is not a participant count", field))
		}
		ns = append(ns, n)
	}
	fmt.Fprintf(a.Stdout, "Machine: %d CPUs, %s; %s. Times and peak memory are medians of %d runs; load is the 1-minute load average at the start of each run (lowest–highest).\n\n",
		runtime.NumCPU(), cpuModel(), runtime.Version(), *runs)
	fmt.Fprintf(a.Stdout, "| participants | learners (who take 1:1s or groups) | candidate arcs | build input | match | peak RSS | load | objective | greedy / optimum | learners served (of those) | newcomers served | 1:1 | groups | violations | pruning loss |\n")
	fmt.Fprintf(a.Stdout, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	var before, solvers, anchors, lemons []string
	for _, n := range ns {
		m, err := benchRuns(ctx, self, n, 0, 0, match.SolverScaling, *runs)
		if err != nil {
			return err
		}
		loss := "–"
		if n <= *reference {
			ref, err := benchRun(ctx, self, n, 80, 80, match.SolverScaling)
			if err != nil {
				return err
			}
			loss = fmt.Sprintf("%.3f%%", 100*float64(ref.FlowOptimum-m.FlowOptimum)/float64(ref.FlowOptimum))
		}
		fmt.Fprintf(a.Stdout, "| %d | %d (%d) | %d | %.2f s | %.2f s | %d MB | %s | %d | %.3f | %d (%.1f%%) | %d of %d | %d | %d | %d | %s |\n",
			n, m.Learners, m.Eligible, m.Arcs, m.BuildSeconds, m.MatchSeconds, m.MatchPeakKB/1024, m.loads(), m.Objective, float64(m.Greedy)/float64(m.FlowOptimum),
			m.Served, 100*float64(m.Served)/float64(max(1, m.Eligible)), m.NewcomersServed, m.Newcomers, m.Connections, m.Groups, m.Violations, loss)
		if *baseline != "" {
			old, err := benchRuns(ctx, *baseline, n, 0, 0, match.SolverScaling, *runs)
			if err != nil {
				return fmt.Errorf("baseline: %w", err)
			}
			if old.FlowOptimum != m.FlowOptimum {
				return fmt.Errorf("bench at %d participants: the 1:1 optimum moved: %d, %d before", n, m.FlowOptimum, old.FlowOptimum)
			}
			before = append(before, fmt.Sprintf("| %d | %d | %.2f s | %.2f s | %.2f | %d MB | %d MB | %.2f | %s | %s | %d | %d / %d (%+.3f%%) | %d / %d |",
				n, m.Arcs, m.MatchSeconds, old.MatchSeconds, m.MatchSeconds/old.MatchSeconds, m.MatchPeakKB/1024, old.MatchPeakKB/1024,
				float64(m.MatchPeakKB)/float64(old.MatchPeakKB), m.loads(), old.loads(), m.FlowOptimum, m.Objective, old.Objective,
				100*float64(m.Objective-old.Objective)/float64(old.Objective), m.Violations, old.Violations))
		}
		// The solver before cost scaling, on the same instance: the 1:1
		// optimum must be the same (both are exact).
		if n <= *paths {
			p, err := benchRun(ctx, self, n, 0, 0, match.SolverPaths)
			if err != nil {
				return err
			}
			if p.FlowOptimum != m.FlowOptimum {
				return fmt.Errorf("bench at %d participants: the solvers disagree on the 1:1 optimum: %s %d, %s %d", n, match.SolverScaling, m.FlowOptimum, match.SolverPaths, p.FlowOptimum)
			}
			solvers = append(solvers, fmt.Sprintf("| %d | %d | %.2f s | %.2f s | %.2f | %d MB | %d MB | %.2f | %s | %d | %d / %d | %d / %d |",
				n, m.Arcs, m.MatchSeconds, p.MatchSeconds, m.MatchSeconds/p.MatchSeconds, m.MatchPeakKB/1024, p.MatchPeakKB/1024,
				float64(m.MatchPeakKB)/float64(p.MatchPeakKB), p.loads(), m.FlowOptimum, m.Objective, p.Objective, m.Violations, p.Violations))
		}
		if n <= *anchor {
			h, err := benchHiGHS(ctx, n, *python, *script, *work)
			if err != nil {
				return err
			}
			if h.Optimum != -int64(m.FlowOptimum) {
				return fmt.Errorf("bench at %d participants: HiGHS's optimum %d is not the matcher's %d", n, h.Optimum, -m.FlowOptimum)
			}
			anchors = append(anchors, fmt.Sprintf("| %d | %d | %d | %.2f s | %.2f s | %.3f | %.2f | %d (both) | %s |",
				n, h.Nodes, h.Arcs, h.Seconds, m.MatchSeconds, m.MatchSeconds/h.Seconds, h.Seconds/m.MatchSeconds, m.FlowOptimum, h.Load))
		}
		if *lemon != "" && n <= *lemonMax {
			ns, cs, err := benchLEMON(ctx, n, *lemon, *work)
			if err != nil {
				return err
			}
			if ns.Optimum != -int64(m.FlowOptimum) || cs.Optimum != -int64(m.FlowOptimum) {
				return fmt.Errorf("bench at %d participants: LEMON's optima %d and %d are not the matcher's %d", n, ns.Optimum, cs.Optimum, -m.FlowOptimum)
			}
			lemons = append(lemons, fmt.Sprintf("| %d | %d | %d | %.2f s | %.2f s | %.2f s | %.3f | %.3f | %d (all three) | %s / %s |",
				n, ns.Nodes, ns.Arcs, ns.Seconds, cs.Seconds, m.MatchSeconds, m.MatchSeconds/ns.Seconds, m.MatchSeconds/cs.Seconds, m.FlowOptimum, ns.Load, cs.Load))
		}
	}
	printTable(a.Stdout, fmt.Sprintf("The same instances with the matcher before (%s), %d runs each:", baselineName(*baseline), *runs),
		"| participants | candidate arcs | match | match, before | × | peak RSS | peak RSS, before | × | load | load, before | 1:1 optimum (both) | objective / before | violations / before |", before)
	printTable(a.Stdout, fmt.Sprintf("The exact solvers on the same instances (%s, the default; %s, the one before it, one run):", match.SolverScaling, match.SolverPaths),
		fmt.Sprintf("| participants | candidate arcs | match, %[1]s | match, %[2]s | time %[1]s / %[2]s | peak RSS, %[1]s | peak RSS, %[2]s | memory %[1]s / %[2]s | load, %[2]s | 1:1 optimum (both) | objective %[1]s / %[2]s | violations %[1]s / %[2]s |", match.SolverScaling, match.SolverPaths), solvers)
	printTable(a.Stdout, "An anchor: the 1:1 graph (match --dump-graph) solved by HiGHS's dual simplex through SciPy (linprog, method highs-ds), one run; its time is the linprog call alone, the matcher's its whole run (candidates, the 1:1 solve, the groups, the result):",
		"| participants | nodes | arcs | HiGHS solve | matcher, whole run | matcher / HiGHS | HiGHS / matcher | optimum | load, HiGHS |", anchors)
	printTable(a.Stdout, "A second anchor: the same 1:1 graph solved by LEMON's network simplex and cost scaling (C++, Debian's liblemon-dev), one run each; their times are the solve alone (not reading the file), the matcher's its whole run:",
		"| participants | nodes | arcs | LEMON network simplex | LEMON cost scaling | matcher, whole run | matcher / network simplex | matcher / cost scaling | optimum | load, LEMON |", lemons)
	fmt.Fprintf(a.Stdout, "\nPeak RSS is the matching's: the child process's high-water mark, reset after the input is built.\n")
	return nil
}

// baselineName names a baseline binary: by its directory when that is a
// commit (scripts/bench/baseline.sh), else by its path.
func baselineName(bin string) string {
	dir := filepath.Base(filepath.Dir(bin))
	if len(dir) == 40 && strings.Trim(dir, "0123456789abcdef") == "" {
		return "commit " + dir[:12]
	}
	return bin
}

// benchResult is what a child prints.
type benchResult struct {
	Participants int     `json:"participants"`
	Learners     int     `json:"learners"`
	Eligible     int     `json:"eligible"`
	Arcs         int     `json:"arcs"`
	BuildSeconds float64 `json:"build_seconds"`
	MatchSeconds float64 `json:"match_seconds"`
	// MatchCPUSeconds is the CPU time (user and system, all threads) the
	// process spent matching: on a shared machine it moves less with the
	// load than the wall time does.
	MatchCPUSeconds float64 `json:"match_cpu_seconds"`
	Objective       int     `json:"objective"`
	FlowOptimum     int     `json:"flow_optimum"`
	Greedy          int     `json:"greedy"`
	Served          int     `json:"served"`
	Newcomers       int     `json:"newcomers"`
	NewcomersServed int     `json:"newcomers_served"`
	Connections     int     `json:"connections"`
	Groups          int     `json:"groups"`
	Violations      int     `json:"violations"`
	// MatchPeakKB is the process's peak resident memory while matching:
	// reset after the input is built, so that the demo generator and the
	// checker do not count (the input itself does: the matcher reads it).
	MatchPeakKB int64 `json:"match_peak_kb"`

	// Load: the 1-minute load averages at the start of the runs (set by
	// the parent, not printed by the child).
	Load []float64 `json:"-"`
}

// loads is the range of the load averages the runs started at.
func (r benchResult) loads() string {
	if len(r.Load) == 0 {
		return "–"
	}
	lo, hi := slices.Min(r.Load), slices.Max(r.Load)
	if fmt.Sprintf("%.1f", lo) == fmt.Sprintf("%.1f", hi) {
		return fmt.Sprintf("%.1f", lo)
	}
	return fmt.Sprintf("%.1f–%.1f", lo, hi)
}

// benchRuns measures one size runs times with bin: the medians of the time
// and the peak memory (the rest does not change from run to run).
func benchRuns(ctx context.Context, bin string, n, candidates, random int, solver match.Solver, runs int) (benchResult, error) {
	var rs []benchResult
	for range runs {
		r, err := benchRun(ctx, bin, n, candidates, random, solver)
		if err != nil {
			return r, err
		}
		if len(rs) > 0 && (r.Objective != rs[0].Objective || r.Arcs != rs[0].Arcs) {
			return r, fmt.Errorf("bench at %d participants: two runs of %s differ: objective %d and %d", n, bin, r.Objective, rs[0].Objective)
		}
		rs = append(rs, r)
	}
	m := rs[0]
	seconds := make([]float64, len(rs))
	peaks := make([]int64, len(rs))
	m.Load = nil
	for i, r := range rs {
		seconds[i], peaks[i] = r.MatchSeconds, r.MatchPeakKB
		m.Load = append(m.Load, r.Load...)
	}
	slices.Sort(seconds)
	slices.Sort(peaks)
	m.MatchSeconds, m.MatchPeakKB = seconds[len(rs)/2], peaks[len(rs)/2]
	return m, nil
}

func benchRun(ctx context.Context, bin string, n, candidates, random int, solver match.Solver) (benchResult, error) {
	cmd := exec.CommandContext(ctx, bin, "bench", "match", "--child", strconv.Itoa(n),
		"--candidates", strconv.Itoa(candidates), "--random", strconv.Itoa(random), "--solver", string(solver))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	load := loadAverage()
	if err := cmd.Run(); err != nil {
		return benchResult{}, fmt.Errorf("bench at %d participants: %v\n%s", n, err, errOut.String())
	}
	var r benchResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return r, fmt.Errorf("bench at %d participants: %v", n, err)
	}
	r.Load = []float64{load}
	return r, nil
}

// loadAverage is the machine's 1-minute load average (-1 when unknown).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f, err := strconv.ParseFloat(strings.Fields(string(b) + " -1")[0], 64)
	if err != nil {
		return -1
	}
	return f
}

// cpuModel is the CPU's name, from /proc/cpuinfo.
func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return "unknown CPU"
}

// benchChild measures one size: the demo program read as the bot reads
// it (taxonomy and registrations through the bot's checker), then the
// matcher, then the greedy baseline.
func benchChild(a *app, n, candidates, random int, solver match.Solver, cpuProfile, memProfile string) error {
	start := time.Now()
	in, err := demoinput.MatchInput(n)
	if err != nil {
		return err
	}
	in.Options.Candidates, in.Options.RandomCandidates, in.Options.Solver = candidates, random, solver
	build := time.Since(start)
	// From here the peak is the matcher's: the garbage of building the
	// input returned, the high-water mark reset (Linux: clear_refs 5).
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("bench: cannot reset the peak memory: %w", err)
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	if memProfile != "" {
		runtime.MemProfileRate = 64 << 10
	}
	start, cpu0 := time.Now(), cpuTime()
	res, err := match.Match(in)
	if err != nil {
		return err
	}
	took, cpu := time.Since(start), cpuTime()-cpu0
	peak, err := peakRSS()
	if err != nil {
		return err
	}
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if memProfile != "" {
		f, err := os.Create(memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	greedy, err := match.Greedy(in)
	if err != nil {
		return err
	}
	m := res.Metrics
	return json.NewEncoder(a.Stdout).Encode(benchResult{
		Participants: n, Learners: m.Learners, Eligible: m.LearnersEligible, Arcs: m.CandidateArcs, BuildSeconds: build.Seconds(), MatchSeconds: took.Seconds(), MatchCPUSeconds: cpu.Seconds(),
		Objective: m.Objective, FlowOptimum: m.FlowOptimum, Greedy: greedy.Objective, Served: m.LearnersServed,
		Newcomers: m.Newcomers, NewcomersServed: m.NewcomersServed, Connections: m.Connections, Groups: m.Groups, Violations: m.Violations.Total,
		MatchPeakKB: peak,
	})
}

// highsResult is what scripts/bench/highs_mcf.py prints.
type highsResult struct {
	Nodes   int     `json:"nodes"`
	Arcs    int     `json:"arcs"`
	Seconds float64 `json:"seconds"`
	Optimum int64   `json:"optimum"`
	Status  string  `json:"status"`
	Load    string  `json:"-"`
}

// printTable prints a Markdown table after its introduction, if it has
// rows.
func printTable(w io.Writer, intro, header string, rows []string) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n\n%s\n%s|\n", intro, header, strings.Repeat("|---", strings.Count(header, "|")-1))
	for _, row := range rows {
		fmt.Fprintln(w, row)
	}
}

// benchHiGHS writes the 1:1 graph of the demo at n participants (what
// `letsconnect match --dump-graph` writes) and has HiGHS solve it.
func benchHiGHS(ctx context.Context, n int, python, script, work string) (highsResult, error) {
	var h highsResult
	err := withGraph(n, work, func(file string) (err error) {
		h, err = benchAnchor(ctx, n, "HiGHS", file, python, script)
		return err
	})
	return h, err
}

// withGraph writes the 1:1 graph of the demo at n participants to a file
// under work for f, and removes it after.
func withGraph(n int, work string, f func(file string) error) error {
	in, err := demoinput.MatchInput(n)
	if err != nil {
		return err
	}
	file := filepath.Join(work, fmt.Sprintf("letsconnect-bench-%d.dimacs", n))
	out, err := os.Create(file)
	if err != nil {
		return err
	}
	defer os.Remove(file)
	if err := match.WriteDIMACS(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return f(file)
}

// benchAnchor runs an anchor's command with the graph file as its last
// argument; it prints what highs_mcf.py prints.
func benchAnchor(ctx context.Context, n int, name, file string, argv ...string) (highsResult, error) {
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], file)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	load := loadAverage()
	if err := cmd.Run(); err != nil {
		return highsResult{}, fmt.Errorf("%s at %d participants: %v\n%s", name, n, err, errOut.String())
	}
	var h highsResult
	if err := json.Unmarshal(out.Bytes(), &h); err != nil {
		return h, fmt.Errorf("%s at %d participants: %v\n%s", name, n, err, out.String())
	}
	if h.Status != "optimal" {
		return h, fmt.Errorf("%s at %d participants: %s", name, n, h.Status)
	}
	h.Load = fmt.Sprintf("%.1f", load)
	return h, nil
}

// benchLEMON has LEMON's network simplex and cost scaling solve the 1:1
// graph of the demo at n participants (scripts/bench/lemon_mcf.cc).
func benchLEMON(ctx context.Context, n int, bin, work string) (ns, cs highsResult, err error) {
	err = withGraph(n, work, func(file string) (err error) {
		if ns, err = benchAnchor(ctx, n, "LEMON's network simplex", file, bin, "ns"); err != nil {
			return err
		}
		cs, err = benchAnchor(ctx, n, "LEMON's cost scaling", file, bin, "cs")
		return err
	})
	return ns, cs, err
}

// cpuTime is the CPU time the process has used so far (user and system).
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// peakRSS is the process's peak resident memory in kB (VmHWM).
func peakRSS() (int64, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		}
	}
	return 0, errors.New("bench: no VmHWM in /proc/self/status")
}
