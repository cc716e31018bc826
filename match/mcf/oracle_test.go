package mcf

import (
	"bufio"
	"bytes"
	"fmt"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNetworkxOracle compares MinCostFlow with networkx.network_simplex on
// random learner/sharer instances of 50 to 2,000 learners, exported with
// WriteDIMACS and solved by testdata/networkx_oracle.py. SendSuppliesScaled
// solves the DIMACS file read back (one source with the bypass) and, where
// maxFlow does not bind, its supply form (a supply per learner, as the
// matcher builds it); both must find networkx's optimum too. It needs python3
// with networkx (devwiki.NeedNetworkx: make test installs it and fails
// without it; a plain go test skips with the reason).
// variedConfig is the i-th of a cycle of generator settings that covers
// the bonus, the load spreading, quotas per skill, capacities and node
// numbering.
func variedConfig(i, learners, sharers int, seed uint64) genConfig {
	return genConfig{
		Learners: learners, Sharers: sharers,
		TopK: 6 + 4*(i%4), Scan: 100,
		Bonus:         []int64{0, 100, 40}[i%3],
		Delta:         []int64{5, 0, 10, 30}[i%4],
		QuotaPerSkill: i%2 == 1,
		CapScale:      1 + int64(i%3),
		Permute:       i%3 != 0,
		Seed:          seed,
	}
}

func TestNetworkxOracle(t *testing.T) {
	devwiki.NeedNetworkx(t)
	sizes := []struct {
		learners, sharers int
	}{{50, 25}, {120, 60}, {200, 100}, {300, 120}, {500, 250}, {700, 300}, {1000, 500}, {1300, 500}, {1600, 800}, {2000, 800}}
	dir := t.TempDir()
	type job struct {
		file       string
		flow, cost int64
		scaled     []int64 // SendSuppliesScaled's costs on the forms read back
		desc       string
	}
	var jobs []job
	for i, sz := range sizes {
		cfg := variedConfig(i, sz.learners, sz.sharers, uint64(100+i))
		in := generate(cfg)
		maxFlow := in.maxFlow
		if i == 4 {
			maxFlow /= 3 // a binding flow limit
		}
		flow, cost, err := in.g.MinCostFlow(in.s, in.t, maxFlow)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		checkFlow(t, in.g, in.s, in.t, maxFlow, flow, cost)
		file := filepath.Join(dir, fmt.Sprintf("inst%02d.dimacs", i))
		var buf bytes.Buffer
		if err := in.g.WriteDIMACS(&buf, in.s, in.t, maxFlow); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := readDIMACS(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		forms := []supplyProblem{p.sourceForm()}
		if maxFlow == in.maxFlow {
			forms = append(forms, p.supplyForm())
		}
		var scaled []int64
		for _, f := range forms {
			c, err := f.g.SendSuppliesScaled(f.supplies, f.sink)
			if err != nil {
				t.Fatalf("instance %d: SendSuppliesScaled: %v", i, err)
			}
			checkSupplyFlow(t, f.g, f.supplies, f.sink, c)
			scaled = append(scaled, c)
		}
		st := in.g.Stats()
		jobs = append(jobs, job{file, flow, cost, scaled, fmt.Sprintf("instance %d (%d learners, %d sharers, %d arcs, maxFlow %d, %+v)",
			i, sz.learners, sz.sharers, in.g.Arcs(), maxFlow, cfg)})
		t.Logf("instance %d: %d nodes, %d arcs, flow %d/%d, cost %d, %d phases, %d rounds",
			i, in.g.Nodes(), in.g.Arcs(), flow, maxFlow, cost, st.Phases, st.Rounds)
	}

	// Two python processes, one per core, each solving every other file.
	script := filepath.Join("testdata", "networkx_oracle.py")
	results := make([]chan []int64, 2)
	errs := make([]chan error, 2)
	start := time.Now()
	for w := range 2 {
		results[w], errs[w] = make(chan []int64, 1), make(chan error, 1)
		var files []string
		for i := w; i < len(jobs); i += 2 {
			files = append(files, jobs[i].file)
		}
		go func() {
			out, err := exec.Command("python3", append([]string{script}, files...)...).Output()
			if err != nil {
				if ee, ok := err.(*exec.ExitError); ok {
					err = fmt.Errorf("%v\n%s", err, ee.Stderr)
				}
				errs[w] <- err
				return
			}
			var costs []int64
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				c, err := strconv.ParseInt(strings.TrimSpace(sc.Text()), 10, 64)
				if err != nil {
					errs[w] <- fmt.Errorf("oracle output %q: %v", sc.Text(), err)
					return
				}
				costs = append(costs, c)
			}
			results[w] <- costs
		}()
	}
	for w := range 2 {
		select {
		case err := <-errs[w]:
			t.Fatalf("networkx oracle failed: %v", err)
		case costs := <-results[w]:
			k := 0
			for i := w; i < len(jobs); i += 2 {
				if k >= len(costs) {
					t.Fatalf("networkx oracle printed %d costs for %d files", len(costs), (len(jobs)+1-w)/2)
				}
				if costs[k] != jobs[i].cost {
					t.Errorf("%s: MinCostFlow cost %d (flow %d), networkx optimum %d", jobs[i].desc, jobs[i].cost, jobs[i].flow, costs[k])
				}
				for f, c := range jobs[i].scaled {
					if c != costs[k] {
						t.Errorf("%s: SendSuppliesScaled cost %d (form %d), networkx optimum %d", jobs[i].desc, c, f, costs[k])
					}
				}
				k++
			}
		}
	}
	t.Logf("networkx solved %d instances in %v", len(jobs), time.Since(start))
}
