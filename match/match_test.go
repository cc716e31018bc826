package match

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"
)

var now = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// randomInput is a small random program: every rule has a chance to bite.
type shape struct {
	learners, sharers, skills, langs int
	quota                            int
	offsets                          []int // time zones to draw from, minutes
	workday                          [2]int
}

func randomInput(rng *rand.Rand, sh shape) Input {
	in := Input{Now: now, Options: Options{LearnerQuota: sh.quota, Candidates: 1000, RandomCandidates: 1000,
		WorkdayStart: sh.workday[0], WorkdayEnd: sh.workday[1]}}
	langs := []string{"en", "fr", "sw", "yo", "es"}[:sh.langs]
	skills := []string{"s1", "s2", "s3", "s4"}[:sh.skills]
	pick := func(list []string, k int) []string {
		out := slices.Clone(list)
		rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out[:k]
	}
	person := func(id string) Participant {
		x := Participant{ID: id, Languages: pick(langs, 1+rng.IntN(min(2, len(langs)))),
			UTCOffset: sh.offsets[rng.IntN(len(sh.offsets))], Newcomer: rng.IntN(3) == 0, WaitingDays: rng.IntN(200)}
		switch rng.IntN(4) {
		case 0:
			x.Formats = []Format{OneToOne}
		case 1:
			x.Formats = []Format{Group}
		}
		return x
	}
	for i := range sh.sharers {
		x := person(fmt.Sprintf("S%d", i))
		x.Capacity = 1 + rng.IntN(2)
		for _, s := range pick(skills, 1+rng.IntN(len(skills))) {
			x.Share = append(x.Share, Skill{s, Level(1 + rng.IntN(4))})
		}
		in.Participants = append(in.Participants, x)
	}
	for i := range sh.learners {
		x := person(fmt.Sprintf("L%d", i))
		for _, s := range pick(skills, 1+rng.IntN(min(2, len(skills)))) {
			x.Learn = append(x.Learn, Skill{s, Level(rng.IntN(3))})
		}
		if rng.IntN(8) == 0 {
			x.Paused = true
		}
		in.Participants = append(in.Participants, x)
	}
	if rng.IntN(2) == 0 {
		in.Past = append(in.Past, Pair{Sharer: "S0", Learner: "L0", Date: now.AddDate(0, 0, -10)})
		in.Rejected = append(in.Rejected, Pair{Sharer: "S1", Learner: "L1"})
	}
	if rng.IntN(2) == 0 {
		in.Requests = append(in.Requests, Request{Learner: "L2", Sharer: "S0", Skill: "s1"})
	}
	return in
}

// bruteForceOneToOne is the exact optimum of the 1:1 objective on the
// candidate graph, by enumerating every assignment.
func bruteForceOneToOne(r *run) int {
	w := r.opt.Weights
	learners := []int{}
	for b, c := range r.cand {
		if len(c) > 0 {
			learners = append(learners, b)
		}
	}
	sessions := make([]int, len(r.p.list))
	best := 0
	var rec func(i, value int, taken map[[2]int]bool, skills map[string]bool, count []int)
	rec = func(i, value int, taken map[[2]int]bool, skills map[string]bool, count []int) {
		if i == len(learners) {
			total := value
			for a, n := range sessions {
				for k := range n {
					total -= (r.used[a] + k) * w.LoadSpread
				}
			}
			best = max(best, total)
			return
		}
		b := learners[i]
		// Either stop giving b connections...
		rec(i+1, value, taken, skills, count)
		// ...or give one more (up to the quota), in sharer order to
		// enumerate each set once.
		if count[b] == r.quota[b] {
			return
		}
		for _, c := range r.cand[b] {
			if !c.oneToOne() {
				continue // they meet only in groups
			}
			key := fmt.Sprint(b, c.skill)
			if taken[[2]int{b, int(c.sharer)}] || skills[key] || sessions[c.sharer] >= r.capacity[c.sharer] {
				continue
			}
			taken[[2]int{b, int(c.sharer)}], skills[key] = true, true
			sessions[c.sharer]++
			count[b]++
			gain := int(c.weight)
			if count[b] == 1 {
				gain += w.FirstConnection
			}
			rec(i, value+gain, taken, skills, count) // b may take another
			count[b]--
			sessions[c.sharer]--
			delete(taken, [2]int{b, int(c.sharer)})
			delete(skills, key)
		}
	}
	rec(0, 0, map[[2]int]bool{}, map[string]bool{}, make([]int, len(r.p.list)))
	return best
}

func TestOneToOneIsTheExactOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		quota := 1
		if i%3 == 2 {
			quota = 2
		}
		in := randomInput(rng, shape{learners: 2 + rng.IntN(4), sharers: 1 + rng.IntN(3), skills: 2, langs: 2, quota: quota,
			offsets: []int{0, 60, -300, 330}, workday: [2]int{8, 20}})
		for _, solver := range []Solver{SolverScaling, SolverPaths} {
			in.Options.Solver = solver
			r, err := newRun(in)
			if err != nil {
				t.Fatal(err)
			}
			r.candidates()
			sol, err := r.solveOneToOne()
			if err != nil {
				t.Fatal(err)
			}
			if want := bruteForceOneToOne(r); sol.objective != want {
				t.Fatalf("instance %d (quota %d, solver %s): flow objective %d, brute force %d\n%+v", i, quota, solver, sol.objective, want, in)
			}
		}
		in.Options.Solver = ""
		in.Options.NoGroups = true
		res, err := Match(in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Metrics.Violations.Total != 0 {
			t.Fatalf("instance %d: violations %+v", i, res.Metrics.Violations)
		}
	}
}

// Every admissible (sharer, learner, skill) is a candidate when pruning
// allows it: the rules in candidates() agree with Check, which is written
// independently from the rules' text.
func TestCandidatesAreExactlyTheAdmissiblePairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 100 {
		in := randomInput(rng, shape{learners: 6, sharers: 4, skills: 3, langs: 3, quota: 1,
			offsets: []int{0, 120, -300, 330, 600}, workday: [2]int{8, 20}})
		r, err := newRun(in)
		if err != nil {
			t.Fatal(err)
		}
		r.candidates()
		got := map[string]bool{}
		formats := map[string][2]bool{}
		for _, cs := range r.cand {
			for _, c := range cs {
				key := fmt.Sprint(r.p.list[c.sharer].ID, ">", r.p.list[c.learner].ID, ":", r.skills[c.skill])
				got[key] = true
				formats[key] = [2]bool{c.oneToOne(), c.group()}
			}
		}
		takes := func(x Participant, f Format) bool { return len(x.Formats) == 0 || slices.Contains(x.Formats, f) }
		for _, a := range in.Participants {
			for _, b := range in.Participants {
				for _, s := range b.Learn {
					key := fmt.Sprint(a.ID, ">", b.ID, ":", s.ID)
					ai, okA := r.p.index[a.ID]
					bi, okB := r.p.index[b.ID]
					start, end := 0, 0
					if okA && okB {
						ov, st := overlap(r.p.window[bi], r.p.window[ai])
						start, end = ((st%1440)+1440)%1440, ((st%1440)+1440)%1440+ov
					}
					one := &Result{Connections: []Assignment{{Kind: OneToOne, Sharer: a.ID, Learners: []string{b.ID}, Skill: s.ID, HoursStart: start, HoursEnd: end}}}
					v := Check(in, one)
					// Formats: a 1:1 if both take 1:1s, a group if both
					// take groups; a candidate needs one of them.
					both := [2]bool{takes(a, OneToOne) && takes(b, OneToOne), takes(a, Group) && takes(b, Group)}
					admissible := v.Total-v.FormatNotWanted == 0 && (both[0] || both[1]) && a.Capacity > 0
					if admissible != got[key] {
						t.Fatalf("instance %d: %s admissible=%v, candidate=%v (%+v)", i, key, admissible, got[key], v)
					}
					if got[key] && formats[key] != both {
						t.Fatalf("instance %d: %s formats 1:1/group %v, want %v", i, key, formats[key], both)
					}
				}
			}
		}
	}
}

// bruteForceGroups is the true optimum of the group model: each session is
// a 1:1 or a group of 2 or 3 learners with a common skill, language and
// meeting hours (on the hour grid the matcher uses), taking one unit of
// the sharer's capacity.
func bruteForceGroups(r *run) int {
	w := r.opt.Weights
	minOv := r.opt.MinOverlapHours * 60
	type option struct {
		cand  candidate
		group string // "" for 1:1
	}
	var learners []int
	var options [][]option
	for b, cs := range r.cand {
		if len(cs) == 0 {
			continue
		}
		var opts []option
		for _, c := range cs {
			if c.oneToOne() {
				opts = append(opts, option{cand: c})
			}
			if !c.group() {
				continue
			}
			win := r.p.window[c.sharer]
			for l := range len(r.p.langIDs) {
				if !r.p.langs[c.sharer].has(l) || !r.p.langs[b].has(l) {
					continue
				}
				for start := win.start; start+minOv <= win.end; start += 60 {
					if ov, _ := overlap(interval{start, start + minOv}, r.p.window[b]); ov >= minOv {
						opts = append(opts, option{c, fmt.Sprint(c.sharer, c.skill, l, start%1440)})
					}
				}
			}
		}
		learners = append(learners, b)
		options = append(options, opts)
	}
	best := 0
	members := map[string]int{}
	groupSharer := map[string]int{}
	oneToOne := make([]int, len(r.p.list))
	var rec func(i, value int)
	rec = func(i, value int) {
		if i == len(learners) {
			sessions := slices.Clone(oneToOne)
			for g, n := range members {
				if n == 0 {
					continue
				}
				if n < 2 || n > 3 {
					return
				}
				sessions[groupSharer[g]]++
			}
			total := value
			for a, n := range sessions {
				if n > r.capacity[a] {
					return
				}
				for k := range n {
					total -= (r.used[a] + k) * w.LoadSpread
				}
			}
			best = max(best, total)
			return
		}
		rec(i+1, value)
		for _, o := range options[i] {
			gain := int(o.cand.weight) + w.FirstConnection
			if o.group == "" {
				oneToOne[o.cand.sharer]++
				rec(i+1, value+gain)
				oneToOne[o.cand.sharer]--
				continue
			}
			members[o.group]++
			groupSharer[o.group] = int(o.cand.sharer)
			rec(i+1, value+gain+r.groupBonus())
			members[o.group]--
		}
	}
	rec(0, 0)
	return best
}

// TestGroupsAgainstTheTrueOptimum measures the group heuristic against
// the exact optimum of the group model on small instances: it never
// claims more than the optimum (its result is feasible), never less than
// the exact 1:1 optimum, and stays close on average.
func TestGroupsAgainstTheTrueOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var gaps []float64
	exactHits := 0
	for i := range 150 {
		in := randomInput(rng, shape{learners: 4 + rng.IntN(3), sharers: 1 + rng.IntN(2), skills: 1 + rng.IntN(2), langs: 1 + rng.IntN(2), quota: 1,
			offsets: []int{0, 60}, workday: [2]int{9, 13}})
		for j := range in.Participants {
			in.Participants[j].Formats = nil // everyone takes groups
			in.Participants[j].Paused = false
		}
		res, err := Match(in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Metrics.Violations.Total != 0 {
			t.Fatalf("instance %d: violations %+v", i, res.Metrics.Violations)
		}
		r, _ := newRun(in)
		r.candidates()
		opt := bruteForceGroups(r)
		got := res.Metrics.Objective
		if got > opt {
			t.Fatalf("instance %d: objective %d above the true optimum %d: the result cannot be feasible", i, got, opt)
		}
		if got < res.Metrics.FlowOptimum {
			t.Fatalf("instance %d: groups lowered the objective below the 1:1 optimum (%d < %d)", i, got, res.Metrics.FlowOptimum)
		}
		gap := 0.0
		if opt > 0 {
			gap = float64(opt-got) / float64(opt)
		}
		if gap == 0 {
			exactHits++
		}
		gaps = append(gaps, gap)
	}
	mean, worst := 0.0, 0.0
	for _, g := range gaps {
		mean += g / float64(len(gaps))
		worst = max(worst, g)
	}
	t.Logf("groups vs true optimum on %d instances: exact on %d, mean gap %.2f%%, worst %.2f%%", len(gaps), exactHits, 100*mean, 100*worst)
	if mean > 0.02 {
		t.Errorf("mean gap %.2f%% to the true optimum; the heuristic got worse", 100*mean)
	}
}

func TestRules(t *testing.T) {
	base := func() Input {
		return Input{Now: now, Participants: []Participant{
			{ID: "Sharer", Languages: []string{"en"}, Capacity: 2, Share: []Skill{{"wikidata", 3}}},
			{ID: "Learner", Languages: []string{"en"}, Learn: []Skill{{"wikidata", 1}}},
		}}
	}
	proposes := func(in Input) bool {
		res, err := Match(in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Metrics.Violations.Total != 0 {
			t.Fatalf("violations %+v", res.Metrics.Violations)
		}
		return len(res.Connections)+len(res.Groups) > 0
	}
	if !proposes(base()) {
		t.Fatal("the base case proposes nothing")
	}
	cases := map[string]func(*Input){
		"no common language": func(in *Input) { in.Participants[1].Languages = []string{"fr"} },
		"sharer not above":   func(in *Input) { in.Participants[1].Learn[0].Level = 3 },
		"time zones too far": func(in *Input) { in.Participants[1].UTCOffset = 12 * 60 },
		"no capacity":        func(in *Input) { in.Participants[0].Capacity = 0 },
		"paused learner":     func(in *Input) { in.Participants[1].Paused = true },
		"paused sharer":      func(in *Input) { in.Participants[0].Paused = true },
		"rejected pair":      func(in *Input) { in.Rejected = []Pair{{Sharer: "Sharer", Learner: "Learner"}} },
		"met within the cooldown": func(in *Input) {
			in.Past = []Pair{{Sharer: "Sharer", Learner: "Learner", Date: now.AddDate(0, 0, -30)}}
		},
		"approved already": func(in *Input) {
			in.Approved = []Pair{{Sharer: "Sharer", Learner: "Learner", Skill: "wikidata", Date: now}}
		},
		"approved beyond the capacity": func(in *Input) {
			// The working group approved three for a capacity of two:
			// nothing more, and not a violation of the matcher's.
			for _, l := range []string{"A", "B", "C"} {
				in.Approved = append(in.Approved, Pair{Sharer: "Sharer", Learner: l, Skill: "wikidata", Date: now})
			}
		},
		"learner is the sharer": func(in *Input) {
			in.Participants = []Participant{{ID: "Both", Languages: []string{"en"}, Capacity: 1, Share: []Skill{{"wikidata", 3}}, Learn: []Skill{{"wikidata", 1}}}}
		},
	}
	for name, change := range cases {
		in := base()
		change(&in)
		if proposes(in) {
			t.Errorf("%s: a connection was proposed", name)
		}
	}
	// After the cooldown the pair may meet again.
	in := base()
	in.Past = []Pair{{Sharer: "Sharer", Learner: "Learner", Date: now.AddDate(0, 0, -200)}}
	if !proposes(in) {
		t.Error("a pair that met 200 days ago (cooldown 90) is never proposed again")
	}
}

func TestPriorities(t *testing.T) {
	// One sharer, one session, two learners: who gets it?
	two := func(a, b Participant) string {
		in := Input{Now: now, Options: Options{NoGroups: true}, Participants: []Participant{
			{ID: "Sharer", Languages: []string{"en"}, Capacity: 1, Share: []Skill{{"wikidata", 3}}}, a, b}}
		res, err := Match(in)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Connections) != 1 {
			t.Fatalf("%d connections, want 1", len(res.Connections))
		}
		return res.Connections[0].Learners[0]
	}
	learner := func(id string) Participant {
		return Participant{ID: id, Languages: []string{"en"}, Learn: []Skill{{"wikidata", 2}}}
	}
	newcomer := learner("B newcomer")
	newcomer.Newcomer = true
	if got := two(learner("A"), newcomer); got != "B newcomer" {
		t.Errorf("a newcomer and an old hand at the same fit: %s served, want the newcomer", got)
	}
	waited := learner("B waited")
	waited.WaitingDays = 120
	if got := two(learner("A"), waited); got != "B waited" {
		t.Errorf("%s served, want the one who waited 120 days", got)
	}
	// A learner whose sharer said no comes first, over a newcomer who
	// waited six months.
	repaired := learner("B repaired")
	repaired.Repair = true
	oldest := learner("A newcomer waited")
	oldest.Newcomer, oldest.WaitingDays = true, 200
	if got := two(oldest, repaired); got != "B repaired" {
		t.Errorf("%s served, want the learner whose last connection was declined", got)
	}
	// The learner who asked for this sharer comes first.
	in := Input{Now: now, Options: Options{NoGroups: true}, Requests: []Request{{Learner: "B asked", Sharer: "Sharer", Skill: "wikidata"}},
		Participants: []Participant{{ID: "Sharer", Languages: []string{"en"}, Capacity: 1, Share: []Skill{{"wikidata", 3}}}, newcomer, learner("B asked")}}
	res, _ := Match(in)
	if len(res.Connections) != 1 || res.Connections[0].Learners[0] != "B asked" || !res.Connections[0].Requested {
		t.Errorf("request not served first: %+v", res.Connections)
	}
	// Load is spread: two sharers with room, two learners: one each.
	in = Input{Now: now, Options: Options{NoGroups: true}, Participants: []Participant{
		{ID: "S1", Languages: []string{"en"}, Capacity: 3, Share: []Skill{{"wikidata", 3}}},
		{ID: "S2", Languages: []string{"en"}, Capacity: 3, Share: []Skill{{"wikidata", 3}}},
		learner("L1"), learner("L2")}}
	res, _ = Match(in)
	if len(res.Connections) != 2 || res.Connections[0].Sharer == res.Connections[1].Sharer {
		t.Errorf("the load is not spread: %+v", res.Connections)
	}
	if !bytes.Contains([]byte(res.Connections[0].Explanation), []byte("both speak en")) {
		t.Errorf("explanation %q", res.Connections[0].Explanation)
	}
}

func TestGroupsForm(t *testing.T) {
	// One sharer with one session, three learners of the same skill and
	// language: a group serves all three.
	in := Input{Now: now, Participants: []Participant{
		{ID: "Sharer", Languages: []string{"fr"}, Capacity: 1, Share: []Skill{{"wikidata", 3}}},
		{ID: "L1", Languages: []string{"fr"}, Learn: []Skill{{"wikidata", 1}}},
		{ID: "L2", Languages: []string{"fr", "en"}, Learn: []Skill{{"wikidata", 0}}, UTCOffset: 60},
		{ID: "L3", Languages: []string{"fr"}, Learn: []Skill{{"wikidata", 2}}},
	}}
	res, err := Match(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 1 || len(res.Groups[0].Learners) != 3 || len(res.Connections) != 0 {
		t.Fatalf("groups %+v, connections %+v; want one group of 3", res.Groups, res.Connections)
	}
	if v := res.Metrics.Violations; v.Total != 0 {
		t.Errorf("violations %+v", v)
	}
	if res.Metrics.Objective <= res.Metrics.FlowOptimum {
		t.Errorf("objective %d, 1:1 optimum %d: the group should serve more", res.Metrics.Objective, res.Metrics.FlowOptimum)
	}
	if why := res.Groups[0].Explanation; strings.Contains(why, "did not happen") {
		t.Errorf("no learner was re-paired, yet the group says %q", why)
	}

	// A re-paired learner in a group: the group's why says so, as a 1:1
	// row would.
	in.Participants[2].Repair = true
	res, err = Match(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 1 || !strings.Contains(res.Groups[0].Explanation, "; L2's last connection did not happen;") {
		t.Errorf("the group does not say L2 is re-paired: %+v", res.Groups)
	}
}

func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	in := randomInput(rng, shape{learners: 60, sharers: 25, skills: 4, langs: 3, quota: 1, offsets: []int{0, 60, 120, -300}, workday: [2]int{8, 20}})
	in.Options.Candidates, in.Options.RandomCandidates = 5, 3
	var outs [][]byte
	for range 3 {
		res, err := Match(in)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) || !bytes.Equal(outs[1], outs[2]) {
		t.Fatal("the same input gave different output")
	}
	// Input order does not matter either.
	slices.Reverse(in.Participants)
	res, _ := Match(in)
	b, _ := json.Marshal(res)
	if !bytes.Equal(outs[0], b) {
		t.Error("reordering the participants changed the output")
	}
}

// An explanation does not change from one day to the next, or the
// proposals page would be edited every day for nothing.
func TestExplanationIsStableDayToDay(t *testing.T) {
	in := Input{Now: now, Options: Options{NoGroups: true}, Participants: []Participant{
		{ID: "Sharer", Languages: []string{"en"}, Capacity: 1, Share: []Skill{{"wikidata", 3}}},
		{ID: "Learner", Languages: []string{"en"}, Learn: []Skill{{"wikidata", 2}}, WaitingDays: 400},
	}}
	a, _ := Match(in)
	in.Participants[1].WaitingDays++
	in.Now = in.Now.AddDate(0, 0, 1)
	b, _ := Match(in)
	if a.Connections[0].Explanation != b.Connections[0].Explanation {
		t.Errorf("the explanation changed overnight:\n%s\n%s", a.Connections[0].Explanation, b.Connections[0].Explanation)
	}
}

// selectBest keeps exactly the n best (the first n once sorted), for any
// list and n, with many equal values.
func TestSelectBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for trial := range 2000 {
		size := rng.IntN(60)
		ks := make([]keyedCandidate, size)
		for i := range ks {
			ks[i] = newKeyed(int32(rng.IntN(5)), rng.Uint64()%4<<40, skillID(rng.IntN(3)), i)
		}
		sorted := slices.Clone(ks)
		slices.SortFunc(sorted, func(a, b keyedCandidate) int {
			switch {
			case a.less(b):
				return -1
			case b.less(a):
				return 1
			}
			return int(a.i - b.i)
		})
		n := 1 + rng.IntN(size+1)
		if n >= size {
			continue
		}
		selectBest(ks, n)
		var got, want []int32
		for i := range n {
			got, want = append(got, ks[i].i), append(want, sorted[i].i)
		}
		// Equal keys may swap, so compare the keys taken.
		key := func(ids []int32, from []keyedCandidate) []keyedCandidate {
			var out []keyedCandidate
			for _, k := range from {
				if slices.Contains(ids, k.i) {
					out = append(out, keyedCandidate{hi: k.hi, lo: k.lo})
				}
			}
			slices.SortFunc(out, func(a, b keyedCandidate) int {
				if a.less(b) {
					return -1
				} else if b.less(a) {
					return 1
				}
				return 0
			})
			return out
		}
		if g, w := key(got, ks), key(want, sorted); !slices.Equal(g, w) {
			t.Fatalf("trial %d: n %d of %d: selected %v, want %v", trial, n, size, g, w)
		}
	}
}

// A 100,000-participant run holds 5.3 M candidates at the peak of a sync:
// each byte of the record is 5 MB there (docs/performance.md).
func TestCandidateRecordStaysSmall(t *testing.T) {
	if n := unsafe.Sizeof(candidate{}); n > 20 {
		t.Errorf("a candidate takes %d bytes, more than 20", n)
	}
}
