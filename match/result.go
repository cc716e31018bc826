package match

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// HoursUTC writes the connection's common hours, "14:00–16:00 UTC".
func (c Assignment) HoursUTC() string {
	return clock(c.HoursStart) + "–" + clock(c.HoursEnd) + " UTC"
}

// clock writes UTC minutes as hh:mm.
func clock(m int) string {
	m = ((m % 1440) + 1440) % 1440
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// result turns a solution into proposals with explanations, and measures it.
func (r *run) result(sol *solution) *Result {
	p := r.p
	res := &Result{Connections: []Assignment{}, Groups: []Assignment{}}
	load := map[int32]int{}
	bySlot := map[int][]candidate{}
	for i, c := range sol.conns {
		if si := sol.slotOf[i]; si >= 0 {
			bySlot[si] = append(bySlot[si], c)
			continue
		}
		load[c.sharer]++
	}
	for si := range sol.slots {
		if len(bySlot[si]) > 0 {
			load[int32(sol.slots[si].sharer)]++
		}
	}
	w := r.opt.Weights
	inGroup := func(i int) bool { return sol.slotOf[i] >= 0 && len(bySlot[sol.slotOf[i]]) >= 2 }
	// Each learner's first connection of the run (the bonus counts once
	// per learner in the objective) is their best one: the highest weight
	// with the group bonus, then the skill, then the sharer.
	first := map[int32]int{} // learner → index in sol.conns
	gain := func(i int) int {
		if inGroup(i) {
			return int(sol.conns[i].weight) + r.groupBonus()
		}
		return int(sol.conns[i].weight)
	}
	for i, c := range sol.conns {
		j, ok := first[c.learner]
		if !ok || gain(i) > gain(j) || gain(i) == gain(j) && (c.skill < sol.conns[j].skill ||
			c.skill == sol.conns[j].skill && p.list[c.sharer].ID < p.list[sol.conns[j].sharer].ID) {
			first[c.learner] = i
		}
	}
	isFirst := map[candidate]bool{}
	for _, i := range first {
		isFirst[sol.conns[i]] = true
	}
	// The proposals and their explanations, on every CPU: each depends
	// only on its own connection, and they are sorted afterwards.
	var ones []int
	for i := range sol.conns {
		if !inGroup(i) {
			ones = append(ones, i)
		}
	}
	slotIdx := make([]int, 0, len(bySlot))
	for si, members := range bySlot {
		if len(members) >= 2 {
			slotIdx = append(slotIdx, si)
		}
	}
	slices.Sort(slotIdx)
	res.Connections = make([]Assignment, len(ones))
	res.Groups = make([]Assignment, len(slotIdx))
	one := func(k int) {
		i := ones[k]
		c := sol.conns[i]
		// A slot that drew one learner is a 1:1.
		conn := r.connection(c, []candidate{c}, load[c.sharer])
		conn.Score = int(c.weight)
		if isFirst[c] {
			conn.Score += w.FirstConnection
		}
		res.Connections[k] = conn
	}
	group := func(k int) {
		si := slotIdx[k]
		members := bySlot[si]
		slices.SortFunc(members, func(x, y candidate) int { return strings.Compare(p.list[x.learner].ID, p.list[y.learner].ID) })
		s := sol.slots[si]
		g := r.connection(members[0], members, load[int32(s.sharer)])
		g.Kind = Group
		g.Score = 0
		for _, m := range members {
			g.Score += int(m.weight) + r.groupBonus()
			if isFirst[m] {
				g.Score += w.FirstConnection
			}
		}
		g.Languages = []string{p.langIDs[s.lang]}
		g.HoursStart, g.HoursEnd = s.start, s.start+r.opt.MinOverlapHours*60
		g.Explanation = r.explainGroup(g, members, load[int32(s.sharer)])
		res.Groups[k] = g
	}
	parallel(len(ones)+len(slotIdx), func(k int) {
		if k < len(ones) {
			one(k)
		} else {
			group(k - len(ones))
		}
	})
	sortConnections(res.Connections)
	sortConnections(res.Groups)
	res.Metrics = r.metrics(res, sol)
	return res
}

func sortConnections(cs []Assignment) {
	slices.SortFunc(cs, func(a, b Assignment) int {
		if c := strings.Compare(a.Skill, b.Skill); c != 0 {
			return c
		}
		if c := strings.Compare(a.Sharer, b.Sharer); c != 0 {
			return c
		}
		return slices.Compare(a.Learners, b.Learners)
	})
}

// connection describes a sharer and learners for one skill.
func (r *run) connection(c candidate, members []candidate, load int) Assignment {
	p := r.p
	conn := Assignment{Kind: OneToOne, Sharer: p.list[c.sharer].ID, Skill: r.skills[c.skill], SharerLevel: Level(c.sharerLevel)}
	common := p.langs[c.sharer]
	for _, m := range members {
		conn.Learners = append(conn.Learners, p.list[m.learner].ID)
		conn.LearnerLevels = append(conn.LearnerLevels, Level(m.learnerLevel))
		common = common.and(p.langs[m.learner])
		conn.Requested = conn.Requested || m.requested()
	}
	for l, code := range p.langIDs {
		if common.has(l) {
			conn.Languages = append(conn.Languages, code)
		}
	}
	ov, start := overlap(p.window[c.learner], p.window[c.sharer])
	conn.HoursStart, conn.HoursEnd = ((start%1440)+1440)%1440, ((start%1440)+1440)%1440+ov
	conn.Explanation = r.explain(conn, c, load)
	return conn
}

// explain says why, in a sentence or two a working group can check.
func (r *run) explain(conn Assignment, c candidate, load int) string {
	p := r.p
	learner, sharer := p.list[c.learner], p.list[c.sharer]
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s is %s, %s is %s", r.skillName(r.skills[c.skill]), sharer.ID, Level(c.sharerLevel), learner.ID, Level(c.learnerLevel))
	fmt.Fprintf(&b, "; both speak %s", strings.Join(conn.Languages, ", "))
	fmt.Fprintf(&b, "; %d h of common working hours (%s)", (conn.HoursEnd-conn.HoursStart)/60, conn.HoursUTC())
	var why []string
	if c.requested() {
		why = append(why, learner.ID+" asked for "+sharer.ID)
	}
	if learner.Newcomer {
		why = append(why, learner.ID+" is new to the movement")
	}
	if learner.Repair {
		why = append(why, learner.ID+"'s last connection did not happen")
	}
	// In months, and "over 6 months" beyond what the weight counts: a
	// count of days would change the text, and so the page, every day.
	switch months := learner.WaitingDays / 30; {
	case months >= 6:
		why = append(why, learner.ID+" has waited over 6 months")
	case months >= 2:
		why = append(why, fmt.Sprintf("%s has waited %d months", learner.ID, months))
	case months == 1:
		why = append(why, learner.ID+" has waited a month")
	}
	switch gap := c.sharerLevel - c.learnerLevel; gap {
	case 1:
		why = append(why, "one level apart, the closest fit")
	case 2:
		why = append(why, "two levels apart")
	}
	why = append(why, fmt.Sprintf("%s takes %d of %d sessions this month", sharer.ID, r.used[c.sharer]+load, sharer.Capacity))
	fmt.Fprintf(&b, ". Why: %s.", strings.Join(why, "; "))
	return b.String()
}

func (r *run) explainGroup(g Assignment, members []candidate, load int) string {
	p := r.p
	var levels []string
	for i, m := range members {
		levels = append(levels, fmt.Sprintf("%s (%s)", g.Learners[i], Level(m.learnerLevel)))
	}
	sharer := p.list[members[0].sharer]
	why := []string{fmt.Sprintf("one session serves %d learners", len(members))}
	// A re-paired learner comes first in a group as in a 1:1 row: the
	// working group sees why, whichever form the matcher chose.
	for _, m := range members {
		if learner := p.list[m.learner]; learner.Repair {
			why = append(why, learner.ID+"'s last connection did not happen")
		}
	}
	why = append(why, fmt.Sprintf("%s takes %d of %d sessions this month", sharer.ID, r.used[members[0].sharer]+load, sharer.Capacity))
	return fmt.Sprintf("%s: a group of %d with %s (%s): %s; all speak %s; common hours %s. Why: %s.",
		r.skillName(g.Skill), len(members), sharer.ID, g.SharerLevel, strings.Join(levels, ", "), strings.Join(g.Languages, ", "),
		g.HoursUTC(), strings.Join(why, "; "))
}

func (r *run) skillName(id string) string {
	if name := r.in.SkillNames[id]; name != "" {
		return name
	}
	return id
}

// parallel calls f(0) to f(n-1), split between the CPUs in contiguous
// ranges. f must only write what belongs to its index.
func parallel(n int, f func(i int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n/256))
	if workers == 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := n * w / workers; i < n*(w+1)/workers; i++ {
				f(i)
			}
		}()
	}
	wg.Wait()
}
