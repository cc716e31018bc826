package match

import (
	"maps"
	"slices"
)

// Metrics measure a result: the objective, who is served, the sharers'
// load, and the hard rules (Violations must all be 0).
type Metrics struct {
	// Objective is the result's value: the connections' scores minus the
	// sharers' load costs (docs/matching.md, "The score"). FlowOptimum is
	// the exact optimum of the 1:1 flow problem on the candidate graph,
	// which also counts the incumbent weights (what --dump-graph lets
	// anyone check). The matcher maximises Objective + Incumbents;
	// Objective + Incumbents >= FlowOptimum, groups making up the
	// difference.
	Objective   int `json:"objective"`
	FlowOptimum int `json:"flow_optimum"`
	// Incumbents is the incumbent weight earned: Weights.Incumbent per
	// learner of a proposal on the page (Input.Current) kept with the same
	// sharer and skill. CurrentPairs is how many such learner–sharer–skill
	// pairs the input had, CurrentKept how many the result keeps.
	Incumbents    int `json:"incumbents"`
	CurrentPairs  int `json:"current_pairs"`
	CurrentKept   int `json:"current_pairs_kept"`
	CandidateArcs int `json:"candidate_arcs"`
	Learners      int `json:"learners"` // active participants who want a skill
	// LearnersEligible: learners who take 1:1s or groups (a learner who
	// takes only clinics is never proposed a connection).
	LearnersEligible int `json:"learners_eligible"`
	LearnersServed   int `json:"learners_served"`
	Newcomers        int `json:"newcomers"` // newcomer learners
	NewcomersServed  int `json:"newcomers_served"`
	Connections      int `json:"connections"` // 1:1
	Groups           int `json:"groups"`
	LearnersInGroups int `json:"learners_in_groups"`
	// DemandPerSkill: per skill, learners who want it and learners served.
	DemandPerSkill []SkillDemand `json:"demand_per_skill"`
	// SharerLoad: how many sharers have each number of sessions this run.
	SharerLoad   []LoadCount `json:"sharer_load"`
	MaxLoadRatio float64     `json:"max_load_ratio"` // sessions / capacity, highest
	Violations   Violations  `json:"violations"`
}

// SkillDemand is one skill's demand and how much of it is served.
type SkillDemand struct {
	Skill  string `json:"skill"`
	Wanted int    `json:"wanted"`
	Served int    `json:"served"`
}

// LoadCount is a bar of the sharer load histogram.
type LoadCount struct {
	Sessions int `json:"sessions"`
	Sharers  int `json:"sharers"`
}

func (r *run) metrics(res *Result, sol *solution) Metrics {
	// The rules are checked from the input alone, beside the rest.
	violations := make(chan Violations, 1)
	go func() { violations <- Check(r.in, res) }()
	m := Metrics{Objective: sol.objective, FlowOptimum: r.flowOptimum, Connections: len(res.Connections), Groups: len(res.Groups),
		Incumbents: sol.kept, CurrentPairs: len(r.current), CandidateArcs: r.arcs}
	for _, c := range sol.conns {
		if c.incumbent() || r.current[currentKey{c.sharer, c.learner, c.skill}] {
			m.CurrentKept++
		}
	}
	// The maps sized up front: at 100,000 participants, growing them
	// took a third of this function's time.
	places := len(res.Connections) + 3*len(res.Groups)
	served := make(map[string]bool, places)
	servedSkill := map[string]int{}
	sessions := make(map[string]int, len(res.Connections)+len(res.Groups))
	for _, c := range append(slices.Clone(res.Connections), res.Groups...) {
		for _, l := range c.Learners {
			served[l] = true
		}
		servedSkill[c.Skill] += len(c.Learners)
		sessions[c.Sharer]++
		if c.Kind == Group {
			m.LearnersInGroups += len(c.Learners)
		}
	}
	wanted := map[string]int{}
	for _, x := range r.p.list {
		if len(x.Learn) == 0 {
			continue
		}
		m.Learners++
		if len(x.Formats) == 0 || slices.Contains(x.Formats, OneToOne) || slices.Contains(x.Formats, Group) {
			m.LearnersEligible++
		}
		if x.Newcomer {
			m.Newcomers++
		}
		if served[x.ID] {
			m.LearnersServed++
			if x.Newcomer {
				m.NewcomersServed++
			}
		}
		for _, s := range x.Learn {
			wanted[s.ID]++
		}
	}
	for _, id := range slices.Sorted(maps.Keys(wanted)) {
		m.DemandPerSkill = append(m.DemandPerSkill, SkillDemand{Skill: id, Wanted: wanted[id], Served: servedSkill[id]})
	}
	hist := map[int]int{}
	for a, x := range r.p.list {
		if len(x.Share) == 0 || x.Capacity <= 0 {
			continue
		}
		n := sessions[x.ID] + r.used[a]
		hist[n]++
		if ratio := float64(n) / float64(x.Capacity); ratio > m.MaxLoadRatio {
			m.MaxLoadRatio = ratio
		}
	}
	for n := range hist {
		m.SharerLoad = append(m.SharerLoad, LoadCount{n, hist[n]})
	}
	slices.SortFunc(m.SharerLoad, func(a, b LoadCount) int { return a.Sessions - b.Sessions })
	m.Violations = <-violations
	return m
}

// Violations counts broken hard rules. Check computes them from the Input
// alone, independently of how the matcher chose, so a test can trust it.
type Violations struct {
	NoCommonLanguage int `json:"no_common_language"`
	LevelNotAbove    int `json:"level_not_above"`
	TooFewHours      int `json:"too_few_common_hours"`
	OverCapacity     int `json:"over_capacity"`
	RecentPair       int `json:"recent_or_rejected_pair"`
	SelfPair         int `json:"self_pair"`
	Paused           int `json:"paused_participant"`
	SkillTwice       int `json:"learner_skill_twice"`
	OverQuota        int `json:"learner_over_quota"`
	BadGroupSize     int `json:"bad_group_size"`
	UnknownSkill     int `json:"skill_not_learned_or_shared"`
	// PairTwice: a learner and a sharer in two connections of one run
	// (1:1s or groups, whatever the skills).
	PairTwice int `json:"pair_twice"`
	// FormatNotWanted: someone in a 1:1 or a group who does not take that
	// format (Participant.Formats).
	FormatNotWanted int `json:"format_not_wanted"`
	Total           int `json:"total"`
}

// langCount is a language and how many people of a connection speak it.
type langCount struct {
	lang  string
	count int
}

// Check verifies every hard rule of the result against the input.
func Check(in Input, res *Result) Violations {
	opt := in.Options.withDefaults()
	var v Violations
	// The maps sized up front (growing them was most of Check's time at
	// 100,000 participants).
	byID := make(map[string]*Participant, len(in.Participants))
	for i := range in.Participants {
		byID[in.Participants[i].ID] = &in.Participants[i]
	}
	level := func(list []Skill, id string) (Level, bool) {
		for _, s := range list {
			if s.ID == id {
				return s.Level, true
			}
		}
		return 0, false
	}
	window := func(x *Participant) interval {
		start := ((opt.WorkdayStart*60-x.UTCOffset)%1440 + 1440) % 1440
		return interval{start, start + (opt.WorkdayEnd-opt.WorkdayStart)*60}
	}
	cooldown := in.Now.AddDate(0, 0, -opt.CooldownDays)
	blocked := map[[2]string]bool{}
	for _, p := range in.Past {
		if p.Date.IsZero() || !p.Date.Before(cooldown) {
			blocked[[2]string{p.Sharer, p.Learner}] = true
		}
	}
	for _, p := range append(slices.Clone(in.Rejected), in.Approved...) {
		blocked[[2]string{p.Sharer, p.Learner}] = true
	}
	places := len(in.Approved) + len(res.Connections) + 3*len(res.Groups)
	sessions := make(map[string]int, len(in.Approved)+len(res.Connections)+len(res.Groups))
	for _, p := range in.Approved {
		sessions[p.Sharer]++
	}
	takes := func(x *Participant, kind Format) bool { return len(x.Formats) == 0 || slices.Contains(x.Formats, kind) }
	met := make(map[[2]string]bool, places) // pairs connected in this result
	perLearner := make(map[string]int, places)
	skillTaken := make(map[[2]string]bool, places)
	for _, p := range in.Approved {
		perLearner[p.Learner]++
		skillTaken[[2]string{p.Learner, p.Skill}] = true
	}
	var common []langCount
	for _, c := range append(slices.Clone(res.Connections), res.Groups...) {
		sharer := byID[c.Sharer]
		if sharer == nil {
			v.UnknownSkill++
			continue
		}
		sessions[c.Sharer]++
		if c.Kind == Group && (len(c.Learners) < 2 || len(c.Learners) > 3) || c.Kind == OneToOne && len(c.Learners) != 1 {
			v.BadGroupSize++
		}
		if sharer.Paused {
			v.Paused++
		}
		if !takes(sharer, c.Kind) {
			v.FormatNotWanted++
		}
		sl, ok := level(sharer.Share, c.Skill)
		if !ok {
			v.UnknownSkill++
		}
		// The sharer's languages, each with how many of the connection
		// speak it (a few: a slice, not a map per connection).
		common = common[:0]
		for _, l := range sharer.Languages {
			if !slices.ContainsFunc(common, func(x langCount) bool { return x.lang == l }) {
				common = append(common, langCount{l, 1})
			}
		}
		meeting := window(sharer)
		for _, id := range c.Learners {
			learner := byID[id]
			if learner == nil {
				v.UnknownSkill++
				continue
			}
			if id == c.Sharer {
				v.SelfPair++
			}
			if learner.Paused {
				v.Paused++
			}
			if !takes(learner, c.Kind) {
				v.FormatNotWanted++
			}
			if met[[2]string{c.Sharer, id}] {
				v.PairTwice++
			}
			met[[2]string{c.Sharer, id}] = true
			ll, ok := level(learner.Learn, c.Skill)
			if !ok {
				v.UnknownSkill++
			}
			if sl <= ll {
				v.LevelNotAbove++
			}
			for _, l := range learner.Languages {
				for k := range common {
					if common[k].lang == l {
						common[k].count++
					}
				}
			}
			if blocked[[2]string{c.Sharer, id}] {
				v.RecentPair++
			}
			perLearner[id]++
			if perLearner[id] > opt.LearnerQuota {
				v.OverQuota++
			}
			if skillTaken[[2]string{id, c.Skill}] {
				v.SkillTwice++
			}
			skillTaken[[2]string{id, c.Skill}] = true
			// The connection's hours must lie in everyone's working hours.
			ov, _ := overlap(interval{c.HoursStart, c.HoursEnd}, window(learner))
			if ov < opt.MinOverlapHours*60 {
				v.TooFewHours++
			}
		}
		if ov, _ := overlap(interval{c.HoursStart, c.HoursEnd}, meeting); ov < opt.MinOverlapHours*60 || c.HoursEnd-c.HoursStart < opt.MinOverlapHours*60 {
			v.TooFewHours++
		}
		n := 0
		for _, x := range common {
			if x.count == len(c.Learners)+1 {
				n++
			}
		}
		if n == 0 {
			v.NoCommonLanguage++
		}
	}
	// Approved connections may already exceed a capacity (the working
	// group decides); only what the run added beyond it is a violation.
	added := make(map[string]int, len(res.Connections)+len(res.Groups))
	for _, c := range append(slices.Clone(res.Connections), res.Groups...) {
		added[c.Sharer]++
	}
	for id, n := range sessions {
		if x := byID[id]; x != nil && n > x.Capacity {
			v.OverCapacity += min(n-x.Capacity, added[id])
		}
	}
	v.Total = v.NoCommonLanguage + v.LevelNotAbove + v.TooFewHours + v.OverCapacity + v.RecentPair +
		v.SelfPair + v.Paused + v.SkillTwice + v.OverQuota + v.BadGroupSize + v.UnknownSkill + v.PairTwice + v.FormatNotWanted
	return v
}
