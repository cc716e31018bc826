package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demoinput"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// runBench: `letsconnect-dev bench match` measures the matcher on the
// pilot-shaped demo program at several sizes. Each size runs in a child
// process, so that its peak memory (maxrss) is its own.
func runBench(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 && args[0] == "read" {
		return runBenchRead(ctx, a, args[1:])
	}
	if len(args) > 0 && args[0] == "churn" {
		return runBenchChurn(a, args[1:])
	}
	if len(args) == 0 || args[0] != "match" {
		return cli.Usage(errors.New("usage: letsconnect-dev bench match [--sizes 179,1000,10000,100000] [--reference 10000]\n       letsconnect-dev bench churn [--participants 179,1000] [--trials 200]\n       letsconnect-dev bench read [--runs 3] (on the wiki of MW_API_URL, beside mwn and mwclient: make bench)"))
	}
	fs := flag.NewFlagSet("bench match", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	sizes := fs.String("sizes", "179,1000,10000,100000", "participant counts")
	reference := fs.Int("reference", 10000, "largest size at which to also solve with wide candidate lists (80 + 80) to measure the pruning loss")
	child := fs.Int("child", 0, "internal: measure one size and print JSON")
	candidates := fs.Int("candidates", 0, "internal: candidates per learner")
	random := fs.Int("random", 0, "internal: random candidates per learner")
	solver := fs.String("solver", "", "internal: the min-cost flow solver (scaling, paths)")
	if err := cli.ParseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *child > 0 {
		return benchChild(a, *child, *candidates, *random, match.Solver(*solver))
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "| participants | learners (who take 1:1s or groups) | candidate arcs | build input | match | peak RSS | objective | greedy / optimum | learners served (of those) | newcomers served | 1:1 | groups | violations | pruning loss |\n")
	fmt.Fprintf(a.Stdout, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	var solvers []string
	for _, field := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			return cli.Usage(fmt.Errorf("--sizes: %q is not a participant count", field))
		}
		m, err := benchRun(ctx, self, n, 0, 0, match.SolverScaling)
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
		fmt.Fprintf(a.Stdout, "| %d | %d (%d) | %d | %.2f s | %.2f s | %d MB | %d | %.3f | %d (%.1f%%) | %d of %d | %d | %d | %d | %s |\n",
			n, m.Learners, m.Eligible, m.Arcs, m.BuildSeconds, m.MatchSeconds, m.MatchPeakKB/1024, m.Objective, float64(m.Greedy)/float64(m.FlowOptimum),
			m.Served, 100*float64(m.Served)/float64(max(1, m.Eligible)), m.NewcomersServed, m.Newcomers, m.Connections, m.Groups, m.Violations, loss)
		// The solver before this one, on the same instance: the optimum
		// must be the same (both are exact); the time and memory are the
		// comparison make bench is for.
		old, err := benchRun(ctx, self, n, 0, 0, match.SolverPaths)
		if err != nil {
			return err
		}
		if old.FlowOptimum != m.FlowOptimum {
			return fmt.Errorf("bench at %d participants: the solvers disagree on the 1:1 optimum: %s %d, %s %d", n, match.SolverScaling, m.FlowOptimum, match.SolverPaths, old.FlowOptimum)
		}
		solvers = append(solvers, fmt.Sprintf("| %d | %d | %.2f s | %.2f s | %.2f | %d MB | %d MB | %.2f | %d | %d / %d | %d / %d |",
			n, m.Arcs, m.MatchSeconds, old.MatchSeconds, m.MatchSeconds/old.MatchSeconds, m.MatchPeakKB/1024, old.MatchPeakKB/1024,
			float64(m.MatchPeakKB)/float64(old.MatchPeakKB), m.FlowOptimum, m.Objective, old.Objective, m.Violations, old.Violations))
	}
	fmt.Fprintf(a.Stdout, "\nThe exact solvers on the same instances (%s, the default; %s, the one before it):\n\n", match.SolverScaling, match.SolverPaths)
	fmt.Fprintf(a.Stdout, "| participants | candidate arcs | match, %[1]s | match, %[2]s | time %[1]s / %[2]s | peak RSS, %[1]s | peak RSS, %[2]s | memory %[1]s / %[2]s | 1:1 optimum (both) | objective %[1]s / %[2]s | violations %[1]s / %[2]s |\n", match.SolverScaling, match.SolverPaths)
	fmt.Fprintf(a.Stdout, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, row := range solvers {
		fmt.Fprintln(a.Stdout, row)
	}
	fmt.Fprintf(a.Stdout, "\nPeak RSS is the matching's: the child process's high-water mark, reset after the input is built.\n")
	return nil
}

// benchResult is what a child prints.
type benchResult struct {
	Participants    int     `json:"participants"`
	Learners        int     `json:"learners"`
	Eligible        int     `json:"eligible"`
	Arcs            int     `json:"arcs"`
	BuildSeconds    float64 `json:"build_seconds"`
	MatchSeconds    float64 `json:"match_seconds"`
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
}

func benchRun(ctx context.Context, self string, n, candidates, random int, solver match.Solver) (benchResult, error) {
	cmd := exec.CommandContext(ctx, self, "bench", "match", "--child", strconv.Itoa(n),
		"--candidates", strconv.Itoa(candidates), "--random", strconv.Itoa(random), "--solver", string(solver))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return benchResult{}, fmt.Errorf("bench at %d participants: %v\n%s", n, err, errOut.String())
	}
	var r benchResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return r, fmt.Errorf("bench at %d participants: %v", n, err)
	}
	return r, nil
}

// benchChild measures one size: the demo program read as the bot reads
// it (taxonomy and registrations through the bot's checker), then the
// matcher, then the greedy baseline.
func benchChild(a *app, n, candidates, random int, solver match.Solver) error {
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
	start = time.Now()
	res, err := match.Match(in)
	if err != nil {
		return err
	}
	took := time.Since(start)
	peak, err := peakRSS()
	if err != nil {
		return err
	}
	greedy, err := match.Greedy(in)
	if err != nil {
		return err
	}
	m := res.Metrics
	return json.NewEncoder(a.Stdout).Encode(benchResult{
		Participants: n, Learners: m.Learners, Eligible: m.LearnersEligible, Arcs: m.CandidateArcs, BuildSeconds: build.Seconds(), MatchSeconds: took.Seconds(),
		Objective: m.Objective, FlowOptimum: m.FlowOptimum, Greedy: greedy.Objective, Served: m.LearnersServed,
		Newcomers: m.Newcomers, NewcomersServed: m.NewcomersServed, Connections: m.Connections, Groups: m.Groups, Violations: m.Violations.Total,
		MatchPeakKB: peak,
	})
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
