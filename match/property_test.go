package match

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// This file checks the matcher against docs/matching.md with inputs
// written from the doc: defaults, scores recomputed by hand, and, for any
// valid input, a result that breaks no rule and whose scores add up.

// decodeInput reads a JSON input as `letsconnect match` does.
func decodeInput(t testing.TB, text string) Input {
	t.Helper()
	var in Input
	if err := strictJSON([]byte(text), &in); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return in
}

// loadCosts is what the sharers' sessions cost, from the input and the
// result alone: a sharer's j-th session of the month (counting the
// approved ones) costs (j - 1) × load_spread.
func loadCosts(in Input, res *Result) int {
	o := in.Options.withDefaults()
	known := map[string]bool{}
	for _, x := range in.Participants {
		known[x.ID] = !x.Paused
	}
	used, added := map[string]int{}, map[string]int{}
	for _, p := range in.Approved {
		if known[p.Sharer] {
			used[p.Sharer]++
		}
	}
	for _, c := range append(slices.Clone(res.Connections), res.Groups...) {
		added[c.Sharer]++
	}
	total := 0
	for a, n := range added {
		for j := used[a] + 1; j <= used[a]+n; j++ {
			total += (j - 1) * o.Weights.LoadSpread
		}
	}
	return total
}

func sumScores(res *Result) int {
	total := 0
	for _, c := range append(slices.Clone(res.Connections), res.Groups...) {
		total += c.Score
	}
	return total
}

// TestScoresRecomputedByHand: every term of docs/matching.md's score,
// worked out by hand for a 1:1 program and a group, equals what the
// matcher says; the scores minus the load costs are the objective.
func TestScoresRecomputedByHand(t *testing.T) {
	in := decodeInput(t, `{
  "now": "2026-11-29T00:00:00Z",
  "participants": [
    {"id": "Kwame", "languages": ["en"], "utc_offset_minutes": 0, "capacity": 3,
     "share": [{"skill": "org-proposal", "level": 4}]},
    {"id": "Amaka", "languages": ["en", "ig"], "utc_offset_minutes": 60, "newcomer": true, "waiting_days": 45,
     "capacity": 0, "learn": [{"skill": "org-proposal", "level": 1}], "formats": ["1:1", "group"]},
    {"id": "Efua", "languages": ["en"], "utc_offset_minutes": -300, "waiting_days": 200, "capacity": 0,
     "learn": [{"skill": "org-proposal", "level": 2}], "formats": ["1:1"]}
  ],
  "approved": [{"sharer": "Kwame", "learner": "Yaw", "skill": "org-plan"}],
  "requests": [{"learner": "Amaka", "sharer": "Kwame", "skill": "org-proposal"}],
  "options": {"no_groups": true}
}`)
	res, err := Match(in)
	if err != nil {
		t.Fatal(err)
	}
	// Amaka: base 100; level_fit 10 × 1 (expert over beginner: 3 levels);
	// time_zone 2 × 8 (07–19 UTC and 08–20 UTC share 11 h, counted up to
	// 8); newcomer 15; waiting 8 × 1 (45 days: 1 whole month); request
	// 200; first_connection 100. 100+10+16+15+8+200+100 = 449.
	// Efua: 100; level_fit 10 × 2 (two levels); time_zone 2 × 7 (13–01
	// UTC and 08–20 UTC share 7 h); waiting 8 × 6 (200 days: 6 months,
	// the most counted); first_connection 100. 100+20+14+48+100 = 282.
	want := map[string]int{"Amaka": 449, "Efua": 282}
	if len(res.Connections) != 2 {
		t.Fatalf("connections %+v", res.Connections)
	}
	for _, c := range res.Connections {
		if c.Score != want[c.Learners[0]] {
			t.Errorf("%s's score is %d; by hand %d", c.Learners[0], c.Score, want[c.Learners[0]])
		}
	}
	// Kwame has 1 session approved this month, then these 2: the 2nd and
	// 3rd cost (2-1)×5 and (3-1)×5 (the weights table and "How it is
	// computed", step 2; k × 5 for the k-th would be 25). Objective:
	// 449 + 282 - 15 = 716.
	if res.Metrics.Objective != 716 || loadCosts(in, res) != 15 {
		t.Errorf("objective %d, load costs %d; by hand 716 and 15", res.Metrics.Objective, loadCosts(in, res))
	}

	// A group: Sola has one session; Bimpe and Chidi take only groups.
	in = decodeInput(t, `{
  "now": "2026-11-29T00:00:00Z",
  "participants": [
    {"id": "Sola", "languages": ["en"], "utc_offset_minutes": 0, "share": [{"skill": "wiki-queries", "level": 3}]},
    {"id": "Bimpe", "languages": ["en"], "utc_offset_minutes": 0, "capacity": 0, "formats": ["group"],
     "learn": [{"skill": "wiki-queries", "level": 1}]},
    {"id": "Chidi", "languages": ["en", "ha"], "utc_offset_minutes": 0, "capacity": 0, "formats": ["group", "clinic"],
     "learn": [{"skill": "wiki-queries", "level": 0}]}
  ]
}`)
	res, err = Match(in)
	if err != nil {
		t.Fatal(err)
	}
	// Bimpe: 100 + 10×2 (two levels) + 2×8 (12 h, up to 8) + group 5 +
	// first_connection 100 = 241. Chidi: 100 + 10×1 (three levels) + 16
	// + 5 + 100 = 231. The group: 472; Sola's first session costs 0.
	if len(res.Groups) != 1 || len(res.Connections) != 0 {
		t.Fatalf("want one group: %+v", res)
	}
	if g := res.Groups[0]; g.Score != 472 || res.Metrics.Objective != 472 || !slices.Equal(g.Learners, []string{"Bimpe", "Chidi"}) {
		t.Errorf("group %v, score %d, objective %d; by hand Bimpe and Chidi, 472, 472", g.Learners, g.Score, res.Metrics.Objective)
	}
}

// TestDefaultsAsDocumented: what a JSON input leaves out takes the
// documented default; what it sets to 0 is 0; now is required.
func TestDefaultsAsDocumented(t *testing.T) {
	in := decodeInput(t, `{"now": "2026-11-29T00:00:00Z",
  "participants": [{"id": "Kwame", "languages": ["en"], "share": [{"skill": "s", "level": 4}]}],
  "options": {"learner_quota": 2, "weights": {"newcomer": 0, "waiting": 0}}}`)
	if in.Participants[0].Capacity != 1 {
		t.Errorf("an omitted capacity is %d; the doc says 1", in.Participants[0].Capacity)
	}
	o := in.Options.withDefaults()
	want := DefaultOptions()
	want.LearnerQuota = 2
	want.Weights.Newcomer, want.Weights.Waiting = 0, 0
	want.explicit = true
	if o != want {
		t.Errorf("options %+v, want %+v", o, want)
	}
	// In Go, zero values take the defaults.
	if got := (Options{}).withDefaults(); got != DefaultOptions() {
		t.Errorf("Options{} with defaults: %+v", got)
	}
	var got map[string]any
	b, _ := json.Marshal(DefaultOptions())
	json.Unmarshal(b, &got)
	for field, d := range map[string]int{
		"workday_start": 8, "workday_end": 20, "min_overlap_hours": 2, "cooldown_days": 90, "learner_quota": 1,
		"candidates": 20, "random_candidates": 40, "group_rounds": 3,
	} {
		if int(got[field].(float64)) != d {
			t.Errorf("%s defaults to %v; the doc says %d", field, got[field], d)
		}
	}
	w := DefaultOptions().Weights
	if w != (Weights{Base: 100, LevelFit: 10, TimeZone: 2, Newcomer: 15, Waiting: 8, Repair: 100, Request: 200, FirstConnection: 100, LoadSpread: 5, Group: 5, Incumbent: 10}) {
		t.Errorf("default weights %+v differ from the doc's table", w)
	}
	// Without now, no result: a zero date would make every dated past
	// pair recent, and block it forever.
	noNow := decodeInput(t, `{"participants": [{"id": "A", "languages": ["en"]}]}`)
	if _, err := Match(noNow); err == nil || !strings.Contains(err.Error(), "now") {
		t.Errorf("Match without now: %v; want an error naming now", err)
	}
}

// TestPairMeetsOnceWhateverTheQuota reproduces the bug that made a learner
// and a sharer meet twice in one run (a 1:1 for one skill and a group for
// another, with learner_quota 2), and checks it cannot happen: the
// learner wants two skills the sharer shares, and two other learners
// make a group of the second skill attractive.
func TestPairMeetsOnceWhateverTheQuota(t *testing.T) {
	in := decodeInput(t, `{"now": "2026-11-29T00:00:00Z",
  "participants": [
    {"id": "S", "languages": ["en"], "capacity": 2, "share": [{"skill": "a", "level": 4}, {"skill": "b", "level": 4}]},
    {"id": "L1", "languages": ["en"], "capacity": 0, "learn": [{"skill": "a", "level": 0}, {"skill": "b", "level": 0}]},
    {"id": "L2", "languages": ["en"], "capacity": 0, "learn": [{"skill": "b", "level": 0}]},
    {"id": "L3", "languages": ["en"], "capacity": 0, "learn": [{"skill": "b", "level": 0}]}
  ],
  "options": {"learner_quota": 2}}`)
	res, err := Match(in)
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Metrics.Violations; v.Total != 0 {
		t.Fatalf("violations %+v in %+v", v, res)
	}
	meetings := 0
	for _, c := range append(slices.Clone(res.Connections), res.Groups...) {
		if slices.Contains(c.Learners, "L1") {
			meetings++
		}
	}
	if meetings != 1 || len(res.Groups) != 1 {
		t.Errorf("L1 meets S %d times; groups %d (want one meeting, and the group of b)", meetings, len(res.Groups))
	}
	// And on random programs like the ones that showed it (about one in
	// ten with 400 participants and quota 2).
	for seed := range 30 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		in := randomInput(rng, shape{learners: 300, sharers: 100, skills: 4, langs: 3, quota: 2, offsets: []int{0, 60, 180, -300, 330}, workday: [2]int{8, 20}})
		in.Options.Candidates, in.Options.RandomCandidates = 20, 40
		res, err := Match(in)
		if err != nil {
			t.Fatal(err)
		}
		if v := res.Metrics.Violations; v.Total != 0 {
			t.Fatalf("seed %d: violations %+v", seed, v)
		}
	}
}

// randomProgram is a random valid input of any shape the doc allows:
// quotas, formats, options (zeros included), approved, past, rejected
// and current pairs, requests.
func randomProgram(rng *rand.Rand) Input {
	sh := shape{learners: 2 + rng.IntN(40), sharers: 1 + rng.IntN(15), skills: 1 + rng.IntN(4), langs: 1 + rng.IntN(4),
		quota: 1 + rng.IntN(3), offsets: []int{0, 60, -300, 330, 600, -720, 840}[:1+rng.IntN(7)], workday: [2]int{6 + rng.IntN(4), 16 + rng.IntN(8)}}
	in := randomInput(rng, sh)
	in.Options.Candidates, in.Options.RandomCandidates = 1+rng.IntN(30), rng.IntN(30)
	in.Options.MinOverlapHours = 1 + rng.IntN(3)
	in.Options.NoGroups = rng.IntN(5) == 0
	in.Options.GroupRounds = rng.IntN(4)
	if rng.IntN(2) == 0 {
		// Weights as a JSON file sets them, zeros included.
		w := map[string]int{}
		for _, name := range []string{"base", "level_fit", "time_zone", "newcomer", "waiting", "repair", "request", "first_connection", "load_spread", "group", "incumbent"} {
			if rng.IntN(2) == 0 {
				w[name] = rng.IntN(300)
			}
		}
		b, _ := json.Marshal(map[string]any{"learner_quota": sh.quota, "candidates": in.Options.Candidates,
			"random_candidates": in.Options.RandomCandidates, "min_overlap_hours": in.Options.MinOverlapHours,
			"workday_start": sh.workday[0], "workday_end": sh.workday[1], "no_groups": in.Options.NoGroups, "weights": w})
		if err := json.Unmarshal(b, &in.Options); err != nil {
			panic(err)
		}
	}
	id := func(prefix string, n int) string { return fmt.Sprintf("%s%d", prefix, rng.IntN(max(1, n))) }
	for range rng.IntN(4) {
		in.Approved = append(in.Approved, Pair{Sharer: id("S", sh.sharers), Learner: id("L", sh.learners), Skill: fmt.Sprint("s", 1+rng.IntN(sh.skills))})
	}
	for range rng.IntN(4) {
		in.Past = append(in.Past, Pair{Sharer: id("S", sh.sharers), Learner: id("L", sh.learners), Date: now.AddDate(0, 0, -rng.IntN(200))})
	}
	for range rng.IntN(6) {
		c := Proposal{Sharer: id("S", sh.sharers), Skill: fmt.Sprint("s", 1+rng.IntN(sh.skills))}
		for range 1 + rng.IntN(3) {
			c.Learners = append(c.Learners, id("L", sh.learners))
		}
		in.Current = append(in.Current, c)
	}
	return in
}

// TestAnyValidInputBreaksNoRule: for random valid inputs, the result passes
// the independent rule check, its scores minus the load costs are its
// objective, it is never below the exact 1:1 optimum, and it is the same
// on a second run.
func TestAnyValidInputBreaksNoRule(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 60
	}
	rng := rand.New(rand.NewPCG(16, 2026))
	for i := range n {
		in := randomProgram(rng)
		if err := in.Validate(); err != nil {
			t.Fatalf("instance %d: the generator wrote an invalid input: %v", i, err)
		}
		res, err := Match(in)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		checkResult(t, fmt.Sprint("instance ", i), in, res)
		again, _ := Match(in)
		a, _ := json.Marshal(res)
		b, _ := json.Marshal(again)
		if string(a) != string(b) {
			t.Fatalf("instance %d: two runs differ", i)
		}
	}
}

// TestSolversAgree: on any valid input the two exact solvers find the same
// 1:1 optimum, and each result keeps every rule (they may pick different
// optima where several exist, and so different groups).
func TestSolversAgree(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 40
	}
	rng := rand.New(rand.NewPCG(19, 2026))
	for i := range n {
		in := randomProgram(rng)
		var optimum [2]int
		for k, solver := range []Solver{SolverScaling, SolverPaths} {
			in.Options.Solver = solver
			res, err := Match(in)
			if err != nil {
				t.Fatalf("instance %d, solver %s: %v", i, solver, err)
			}
			checkResult(t, fmt.Sprintf("instance %d, solver %s", i, solver), in, res)
			optimum[k] = res.Metrics.FlowOptimum
		}
		if optimum[0] != optimum[1] {
			t.Fatalf("instance %d: 1:1 optimum %d with %s, %d with %s", i, optimum[0], SolverScaling, optimum[1], SolverPaths)
		}
	}
}

// checkResult is what docs/matching.md promises of any result.
func checkResult(t *testing.T, name string, in Input, res *Result) {
	t.Helper()
	m := res.Metrics
	if m.Violations.Total != 0 {
		t.Fatalf("%s: violations %+v", name, m.Violations)
	}
	if got := sumScores(res) - loadCosts(in, res); got != m.Objective {
		t.Fatalf("%s: the scores minus the load costs are %d, the objective %d", name, got, m.Objective)
	}
	if m.Objective+m.Incumbents < m.FlowOptimum {
		t.Fatalf("%s: objective %d + incumbents %d below the 1:1 optimum %d", name, m.Objective, m.Incumbents, m.FlowOptimum)
	}
}

// FuzzMatchInput: any JSON the matcher accepts gives a result that breaks
// no rule and whose scores add up to its objective.
func FuzzMatchInput(f *testing.F) {
	f.Add([]byte(`{"now":"2026-11-29T00:00:00Z","participants":[{"id":"Amaka","languages":["en","ig"],"utc_offset_minutes":60,"newcomer":true,"waiting_days":45,"capacity":0,"learn":[{"skill":"org-proposal","level":1}],"formats":["1:1","group"]},{"id":"Kwame","languages":["en"],"utc_offset_minutes":0,"capacity":2,"share":[{"skill":"org-proposal","level":4}]}],"past":[{"sharer":"Kwame","learner":"Efua","skill":"org-plan","date":"2026-10-01T00:00:00Z"}],"rejected":[{"sharer":"Kwame","learner":"Yaw"}],"requests":[{"learner":"Amaka","sharer":"Kwame","skill":"org-proposal"}]}`))
	rng := rand.New(rand.NewPCG(1, 1))
	for range 20 {
		in := randomProgram(rng)
		in.Participants = in.Participants[:min(len(in.Participants), 12)]
		b, _ := json.Marshal(in)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in Input
		if strictJSON(data, &in) != nil || in.Validate() != nil || len(in.Participants) > 60 {
			return
		}
		res, err := Match(in)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
			return // e.g. more than 256 languages
		}
		checkResult(t, "fuzzed input", in, res)
	})
}

// FuzzRandomProgram explores programs of the generator's shape from
// fuzzed seeds (the JSON fuzz target mostly meets invalid JSON).
func FuzzRandomProgram(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		in := randomProgram(rand.New(rand.NewPCG(a, b)))
		res, err := Match(in)
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, fmt.Sprintf("seeds %d, %d", a, b), in, res)
	})
}

// TestIncumbentStaysUnlessClearlyBetter: of two equally good sharers, the
// one proposed on the page now stays; a clearly better one (a request)
// replaces it; the incumbent weight is in no score.
func TestIncumbentStaysUnlessClearlyBetter(t *testing.T) {
	base := `{"now": "2026-11-29T00:00:00Z",
  "participants": [
    {"id": "A", "languages": ["en"], "share": [{"skill": "s", "level": 3}]},
    {"id": "B", "languages": ["en"], "share": [{"skill": "s", "level": 3}]},
    {"id": "L", "languages": ["en"], "capacity": 0, "learn": [{"skill": "s", "level": 1}]}
  ]%s}`
	sharerOf := func(extra string) (string, int) {
		t.Helper()
		res, err := Match(decodeInput(t, fmt.Sprintf(base, extra)))
		if err != nil || len(res.Connections) != 1 {
			t.Fatalf("%v %+v", err, res)
		}
		return res.Connections[0].Sharer, res.Connections[0].Score
	}
	fresh, score := sharerOf("")
	other := map[string]string{"A": "B", "B": "A"}[fresh]
	got, kept := sharerOf(`, "current": [{"sharer": "` + other + `", "learners": ["L"], "skill": "s"}]`)
	if got != other || kept != score {
		t.Errorf("with %s on the page, the matcher proposes %s (score %d); want %s kept, score %d as before", other, got, kept, other, score)
	}
	got, _ = sharerOf(`, "current": [{"sharer": "` + other + `", "learners": ["L"], "skill": "s"}],
  "requests": [{"learner": "L", "sharer": "` + fresh + `", "skill": "s"}]`)
	if got != fresh {
		t.Errorf("L asked for %s, yet %s, on the page, stays", fresh, got)
	}
}
