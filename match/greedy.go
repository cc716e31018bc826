package match

import "slices"

// Baseline is what a careful volunteer would do by hand, best pair first:
// the greedy matching on the same candidate graph and the same objective.
// The benchmark reports it beside the optimum.
type Baseline struct {
	Objective      int `json:"objective"`
	Connections    int `json:"connections"`
	LearnersServed int `json:"learners_served"`
}

// Greedy computes the baseline for in: 1:1 connections only, taking the
// candidate arcs by decreasing weight while both ends have room.
func Greedy(in Input) (*Baseline, error) {
	r, err := newRun(in)
	if err != nil {
		return nil, err
	}
	r.candidates()
	var all []candidate
	for _, c := range r.cand {
		all = append(all, c...)
	}
	slices.SortStableFunc(all, func(a, b candidate) int { return int(b.weight - a.weight) })
	w := r.opt.Weights
	capacity := slices.Clone(r.capacity)
	sessions := make([]int, len(capacity))
	quota := slices.Clone(r.quota)
	pairUsed := map[uint64]bool{}
	skillUsed := map[uint64]bool{}
	served := map[int32]bool{}
	var base Baseline
	for _, c := range all {
		if !c.oneToOne() {
			continue // a pair that meets only in groups
		}
		key := servedKey(int(c.learner), c.skill)
		pair := pairKey(int(c.sharer), int(c.learner))
		if quota[c.learner] == 0 || capacity[c.sharer] == 0 || pairUsed[pair] || skillUsed[key] {
			continue
		}
		// Take it only if it adds to the objective.
		gain := int(c.weight) - (r.used[c.sharer]+sessions[c.sharer])*w.LoadSpread
		if !served[c.learner] {
			gain += w.FirstConnection
		}
		if gain <= 0 {
			continue
		}
		quota[c.learner]--
		capacity[c.sharer]--
		sessions[c.sharer]++
		pairUsed[pair] = true
		skillUsed[key] = true
		served[c.learner] = true
		base.Objective += gain
		base.Connections++
	}
	base.LearnersServed = len(served)
	return &base, nil
}
