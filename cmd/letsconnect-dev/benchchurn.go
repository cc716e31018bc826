package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demoinput"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
)

// runBenchChurn: `letsconnect-dev bench churn` measures how stable the
// Proposed connections page is (docs/matching.md, "Stability"). On the
// demo program, the page is written twice (the second run reads the
// first's proposals back); then, trial after trial, one participant
// changes their registration and the page is proposed again. Churn is
// the share of the proposals shown before, not involving that
// participant, that are gone or changed after; objective loss is how far
// the result is below a fresh optimum (no proposals on the page) of the
// same program. Both with the incumbent weight and without it (0), on the
// same edits.
func runBenchChurn(a *app, args []string) error {
	fs := flag.NewFlagSet("bench churn", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	sizes := fs.String("participants", "179,1000", "program sizes (the demo program)")
	trials := fs.Int("trials", 100, "edits per size and kind")
	shown := fs.Int("shown", 100, "proposals shown on the page (LC_MAX_PROPOSALS)")
	seed := fs.Uint64("seed", 16, "seed of the edits")
	incumbent := fs.Int("incumbent", -1, "the incumbent weight to measure (default: the matcher's default)")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	without, with := match.Options{}, match.Options{}
	if err := json.Unmarshal([]byte(`{"weights":{"incumbent":0}}`), &without); err != nil {
		return err
	}
	if *incumbent >= 0 {
		with.Weights.Incumbent = *incumbent
		if *incumbent == 0 {
			with = without
		}
	}
	fmt.Fprintf(a.Stdout, "| participants | edit | trials | churn median | churn p90 | churn max | without incumbency: median | p90 | max | objective loss median | max |\n")
	fmt.Fprintf(a.Stdout, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, field := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 10 {
			return cli.Usage(fmt.Errorf("--participants: %q is not a program size", field))
		}
		st, err := demoinput.State(n)
		if err != nil {
			return err
		}
		for _, kind := range []string{"a learner adds a skill", "a new registration"} {
			rows, err := churnTrials(st, kind, *trials, *shown, *seed, with, without)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Stdout, "| %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, kind, *trials,
				pct(quantile(rows.churn, 0.5)), pct(quantile(rows.churn, 0.9)), pct(quantile(rows.churn, 1)),
				pct(quantile(rows.baseline, 0.5)), pct(quantile(rows.baseline, 0.9)), pct(quantile(rows.baseline, 1)),
				pct3(quantile(rows.loss, 0.5)), pct3(quantile(rows.loss, 1)))
		}
	}
	return nil
}

type churnRows struct{ churn, baseline, loss []float64 }

// churnTrials runs the trials of one kind of edit.
func churnTrials(base *program.State, kind string, trials, shown int, seed uint64, with, without match.Options) (churnRows, error) {
	var out churnRows
	propose := func(st *program.State, opts match.Options) (proposals.Proposed, error) {
		return proposals.Propose(st, opts, shown, match.Match)
	}
	// The page as the bot leaves it when nothing changes: written, then
	// read back until a run proposes the same rows (groups, a heuristic,
	// may improve for a few runs).
	onPage := func(opts match.Options) ([]proposals.Proposal, error) {
		st := base.Copy()
		proposals.SetRows(st, nil)
		for range 8 {
			p, err := propose(st, opts)
			if err != nil {
				return nil, err
			}
			same := proposals.Rows(st) != nil && churn(proposals.Rows(st), p.Shown, "") == 0
			proposals.SetRows(st, p.Shown)
			if same {
				break
			}
		}
		return proposals.Rows(st), nil
	}
	page, err := onPage(with)
	if err != nil {
		return out, err
	}
	pageWithout, err := onPage(without)
	if err != nil {
		return out, err
	}
	var learners []*program.Registration
	for _, r := range base.Registrations {
		if r.Active && len(r.Learn) > 0 {
			learners = append(learners, r)
		}
	}
	rng := rand.New(rand.NewPCG(seed, uint64(len(base.Registrations))))
	for t := range trials {
		st, who := edit(base, learners, kind, rng, t)
		proposals.SetRows(st, page)
		after, err := propose(st, with)
		if err != nil {
			return out, err
		}
		proposals.SetRows(st, pageWithout)
		afterWithout, err := propose(st, without)
		if err != nil {
			return out, err
		}
		proposals.SetRows(st, nil)
		fresh, err := propose(st, match.Options{})
		if err != nil {
			return out, err
		}
		out.churn = append(out.churn, churn(page, after.Shown, who))
		out.baseline = append(out.baseline, churn(pageWithout, afterWithout.Shown, who))
		f := float64(fresh.Result.Metrics.Objective)
		out.loss = append(out.loss, (f-float64(after.Result.Metrics.Objective))/f)
	}
	return out, nil
}

// edit returns a copy of the state with one registration changed, and
// whose: a learner adds a skill of the taxonomy they neither learn nor
// share, or someone new registers (a copy of a learner's registration
// under a new name).
func edit(base *program.State, learners []*program.Registration, kind string, rng *rand.Rand, trial int) (*program.State, string) {
	st := base.Copy()
	st.Registrations = slices.Clone(base.Registrations)
	r := *learners[rng.IntN(len(learners))]
	switch kind {
	case "a new registration":
		r.Username = fmt.Sprintf("Newcomer %d", trial)
		r.Page = "Let's Connect/Participants/" + r.Username
		r.Updated = base.Now.Add(-time.Hour)
		st.Registrations = append(st.Registrations, &r)
		return st, r.Username
	default:
		var free []string
		for _, s := range base.Taxonomy.Skills {
			has := func(l []program.SkillLevel) bool {
				return slices.ContainsFunc(l, func(x program.SkillLevel) bool { return x.ID == s.ID })
			}
			if !has(r.Learn) && !has(r.Share) {
				free = append(free, s.ID)
			}
		}
		r.Learn = append(slices.Clone(r.Learn), program.SkillLevel{ID: free[rng.IntN(len(free))], Level: match.LevelNone})
		i := slices.IndexFunc(st.Registrations, func(x *program.Registration) bool { return x.Username == r.Username })
		st.Registrations[i] = &r
		return st, r.Username
	}
}

// churn is the share of the proposals before, not involving who, that are
// not among the proposals after, as they were (same sharer, learners,
// skill and format).
func churn(before, after []proposals.Proposal, who string) float64 {
	kept := map[string]bool{}
	for _, p := range after {
		kept[p.Identity()] = true
	}
	n, gone := 0, 0
	for _, p := range before {
		if p.Sharer == who || slices.Contains(p.Learners, who) {
			continue
		}
		n++
		if !kept[p.Identity()] {
			gone++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(gone) / float64(n)
}

// quantile is the q-quantile of xs (nearest rank; 1 is the maximum).
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(len(s)-1, max(0, i))]
}

func pct(x float64) string  { return fmt.Sprintf("%.1f%%", 100*x) }
func pct3(x float64) string { return fmt.Sprintf("%.3f%%", 100*x) }
