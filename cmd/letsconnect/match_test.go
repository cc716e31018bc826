package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demoinput"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// TestMatchCommandIsOptimalAndRuleAbiding runs `letsconnect match` on the
// pilot-shaped program (179 and 1,000 participants, read through the
// bot's own registration checker), then has networkx solve the candidate
// graph it dumped: the optimum must be the matcher's, and no hard rule may
// be broken.
func TestMatchCommandIsOptimalAndRuleAbiding(t *testing.T) {
	oracle := filepath.Join(devwiki.RepoRoot(), "match", "mcf", "testdata", "networkx_oracle.py")
	for _, n := range []int{179, 1000} {
		in, err := demoinput.MatchInput(n)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		inFile, graph := filepath.Join(dir, "in.json"), filepath.Join(dir, "graph.dimacs")
		data, _ := json.Marshal(in)
		if err := os.WriteFile(inFile, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), []string{"match", "--in", inFile, "--dump-graph", graph}, nil, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("match at %d: exit %d: %s", n, code, stderr.String())
		}
		var res match.Result
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		m := res.Metrics
		if m.Violations.Total != 0 {
			t.Errorf("%d participants: violations %+v", n, m.Violations)
		}
		// Learners who take only clinics are never proposed a connection.
		if m.LearnersServed < m.LearnersEligible*9/10 || len(res.Connections) == 0 || len(res.Groups) == 0 {
			t.Errorf("%d participants: %d of %d learners who take 1:1s or groups served, %d connections, %d groups", n, m.LearnersServed, m.LearnersEligible, len(res.Connections), len(res.Groups))
		}
		for _, c := range append(res.Connections, res.Groups...) {
			if c.Explanation == "" || !strings.Contains(c.Explanation, "Why:") {
				t.Fatalf("a proposal without an explanation: %+v", c)
			}
		}
		out, err := exec.Command("python3", oracle, graph).CombinedOutput()
		if err != nil {
			t.Fatalf("the networkx oracle failed (python3 with networkx is needed): %v\n%s", err, out)
		}
		cost, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
		if err != nil {
			t.Fatalf("oracle output %q", out)
		}
		if -cost != int64(m.FlowOptimum) {
			t.Errorf("%d participants: networkx finds the optimum %d, the matcher %d", n, -cost, m.FlowOptimum)
		}
		if m.Objective < m.FlowOptimum {
			t.Errorf("%d participants: the result (%d) is below the 1:1 optimum (%d)", n, m.Objective, m.FlowOptimum)
		}
	}
}

// The same file gives the same bytes.
func TestMatchCommandIsDeterministic(t *testing.T) {
	in, err := demoinput.MatchInput(300)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(in)
	var outs []string
	for range 2 {
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), []string{"match", "--in", "-"}, nil, bytes.NewReader(data), &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		outs = append(outs, stdout.String())
	}
	if outs[0] != outs[1] {
		t.Error("two runs on the same input differ")
	}
}

func TestMatchCommandRejectsBadInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"match", "--in", "-"}, nil, strings.NewReader(`{"participants":[{"id":"A","lanugages":["en"]}]}`), &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "lanugages") {
		t.Errorf("exit %d, stderr %q: want a failure naming the unknown field", code, stderr.String())
	}
}

// At 10,000 pilot-shaped participants: no hard rule broken, everyone who
// can be served is, and the groups are real groups.
func TestMatchLargeProgramBreaksNoRule(t *testing.T) {
	in, err := demoinput.MatchInput(10000)
	if err != nil {
		t.Fatal(err)
	}
	res, err := match.Match(in)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	if m.Violations.Total != 0 {
		t.Errorf("violations %+v", m.Violations)
	}
	if m.LearnersServed < m.LearnersEligible*95/100 || m.NewcomersServed < m.Newcomers*85/100 {
		t.Errorf("%d of %d learners who take 1:1s or groups served, %d of %d newcomers", m.LearnersServed, m.LearnersEligible, m.NewcomersServed, m.Newcomers)
	}
	for _, g := range res.Groups {
		if len(g.Learners) < 2 || len(g.Learners) > 3 || len(g.Languages) != 1 {
			t.Fatalf("not a group: %+v", g)
		}
	}
	if len(res.Groups) == 0 {
		t.Error("no group at all in a program where many want the same skills")
	}
}
