package match_test

import (
	"bytes"
	"fmt"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demoinput"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// TestFlowOptimumAgainstNetworkx checks the matcher's exact 1:1 optimum
// (Metrics.FlowOptimum), found by each solver, against networkx's network
// simplex on the same graph (WriteDIMACS, solved by match/mcf's oracle
// script): the demo program at three sizes, with one and with two
// connections per learner (two add the skill and pair nodes). It needs
// python3 with networkx, which make test installs (scripts/python.sh).
func TestFlowOptimumAgainstNetworkx(t *testing.T) {
	devwiki.NeedNetworkx(t)
	dir := t.TempDir()
	type instance struct {
		name string
		in   match.Input
	}
	var instances []instance
	for _, n := range []int{179, 400, 1000} {
		for _, quota := range []int{1, 2} {
			if n == 1000 && quota == 2 {
				continue // the slowest for networkx; 400 covers the shape
			}
			in, err := demoinput.MatchInput(n)
			if err != nil {
				t.Fatal(err)
			}
			in.Options.LearnerQuota = quota
			instances = append(instances, instance{fmt.Sprintf("demo %d, quota %d", n, quota), in})
		}
	}
	var files []string
	for i, c := range instances {
		var buf bytes.Buffer
		if err := match.WriteDIMACS(&buf, c.in); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, fmt.Sprintf("%d.dimacs", i))
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	out, err := exec.Command("python3", append([]string{filepath.Join("mcf", "testdata", "networkx_oracle.py")}, files...)...).Output()
	if err != nil {
		t.Fatalf("networkx oracle: %v", err)
	}
	costs := strings.Fields(string(out))
	if len(costs) != len(instances) {
		t.Fatalf("networkx printed %d costs for %d graphs", len(costs), len(instances))
	}
	for i, c := range instances {
		cost, err := strconv.ParseInt(costs[i], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		for _, solver := range []match.Solver{match.SolverScaling, match.SolverPaths} {
			in := c.in
			in.Options.Solver = solver
			res, err := match.Match(in)
			if err != nil {
				t.Fatal(err)
			}
			if int64(res.Metrics.FlowOptimum) != -cost {
				t.Errorf("%s, solver %s: flow optimum %d, networkx %d", c.name, solver, res.Metrics.FlowOptimum, -cost)
			}
			if res.Metrics.Violations.Total != 0 {
				t.Errorf("%s, solver %s: violations %+v", c.name, solver, res.Metrics.Violations)
			}
		}
		t.Logf("%s: optimum %d (networkx and both solvers)", c.name, -cost)
	}
}
