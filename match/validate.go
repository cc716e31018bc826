package match

import (
	"errors"
	"fmt"
	"slices"
)

// Limits on an Input: what a registration allows, with room, and what keeps
// a run's memory and arithmetic bounded whatever a JSON file says.
const (
	MaxCapacity     = 100     // sessions a month a sharer can take
	MaxLearnerQuota = 20      // connections a learner gets in one run
	MaxLevel        = 4       // expert
	MaxCandidates   = 10_000  // per learner, best or random
	MaxGroupRounds  = 20      //
	MaxCooldownDays = 3660    // ten years
	MaxWeight       = 100_000 // any weight
	MaxWaitingDays  = 36_600  // a hundred years
	MinUTCOffset    = -12 * 60
	MaxUTCOffset    = 14 * 60
)

// Validate reports the first reason in is not a valid matching input
// (docs/matching.md, "Input"), in words that name the field. Match refuses
// an invalid input; any valid one gives a result that breaks no hard rule.
func (in Input) Validate() error {
	if in.Now.IsZero() {
		return errors.New("now is not set: the date of the run (RFC 3339), for the cooldown")
	}
	o := in.Options.withDefaults()
	switch {
	case o.WorkdayStart < 0 || o.WorkdayEnd > 24 || o.WorkdayEnd <= o.WorkdayStart:
		return fmt.Errorf("options: workday %d–%d h is not a span of the day (0 ≤ workday_start < workday_end ≤ 24)", o.WorkdayStart, o.WorkdayEnd)
	case o.MinOverlapHours < 1 || o.MinOverlapHours > o.WorkdayEnd-o.WorkdayStart:
		return fmt.Errorf("options: min_overlap_hours %d is not between 1 and the workday's %d hours", o.MinOverlapHours, o.WorkdayEnd-o.WorkdayStart)
	case o.CooldownDays < 0 || o.CooldownDays > MaxCooldownDays:
		return fmt.Errorf("options: cooldown_days %d is not between 0 and %d", o.CooldownDays, MaxCooldownDays)
	case o.LearnerQuota < 1 || o.LearnerQuota > MaxLearnerQuota:
		return fmt.Errorf("options: learner_quota %d is not between 1 and %d", o.LearnerQuota, MaxLearnerQuota)
	case o.Candidates < 1 || o.Candidates > MaxCandidates || o.RandomCandidates < 0 || o.RandomCandidates > MaxCandidates:
		return fmt.Errorf("options: candidates %d and random_candidates %d must be 1 to %d and 0 to %d", o.Candidates, o.RandomCandidates, MaxCandidates, MaxCandidates)
	case o.GroupRounds < 0 || o.GroupRounds > MaxGroupRounds:
		return fmt.Errorf("options: group_rounds %d is not between 0 and %d", o.GroupRounds, MaxGroupRounds)
	case o.Solver != "" && o.Solver != SolverScaling && o.Solver != SolverPaths:
		return fmt.Errorf("options: solver %q is not %q or %q", o.Solver, SolverScaling, SolverPaths)
	}
	w := o.Weights
	for _, f := range []struct {
		name  string
		value int
	}{
		{"base", w.Base}, {"level_fit", w.LevelFit}, {"time_zone", w.TimeZone}, {"newcomer", w.Newcomer},
		{"waiting", w.Waiting}, {"repair", w.Repair}, {"request", w.Request}, {"first_connection", w.FirstConnection},
		{"load_spread", w.LoadSpread}, {"group", w.Group}, {"incumbent", w.Incumbent},
	} {
		if f.value < 0 || f.value > MaxWeight {
			return fmt.Errorf("options: the weight %s is %d; weights are 0 to %d", f.name, f.value, MaxWeight)
		}
	}
	ids := make(map[string]bool, len(in.Participants))
	var seen []string // a participant's skill ids in one list
	for i, x := range in.Participants {
		if x.ID == "" {
			return fmt.Errorf("participants[%d] has no id", i)
		}
		if ids[x.ID] {
			return fmt.Errorf("participant %q appears twice", x.ID)
		}
		ids[x.ID] = true
		switch {
		case x.Capacity < 0 || x.Capacity > MaxCapacity:
			return fmt.Errorf("participant %q: capacity %d is not between 0 and %d", x.ID, x.Capacity, MaxCapacity)
		case x.UTCOffset < MinUTCOffset || x.UTCOffset > MaxUTCOffset:
			return fmt.Errorf("participant %q: utc_offset_minutes %d is not between %d and %d", x.ID, x.UTCOffset, MinUTCOffset, MaxUTCOffset)
		case x.WaitingDays < 0 || x.WaitingDays > MaxWaitingDays:
			return fmt.Errorf("participant %q: waiting_days %d is not between 0 and %d", x.ID, x.WaitingDays, MaxWaitingDays)
		}
		for _, f := range x.Formats {
			if f != OneToOne && f != Group && f != Clinic {
				return fmt.Errorf("participant %q: %q is not a format (1:1, group or clinic)", x.ID, f)
			}
		}
		for _, list := range []struct {
			name   string
			skills []Skill
		}{{"learn", x.Learn}, {"share", x.Share}} {
			seen = seen[:0]
			for _, s := range list.skills {
				switch {
				case s.ID == "":
					return fmt.Errorf("participant %q: a skill in %s has no id", x.ID, list.name)
				case s.Level < 0 || s.Level > MaxLevel:
					return fmt.Errorf("participant %q: the level %d of %q is not between 0 (none) and %d (expert)", x.ID, s.Level, s.ID, MaxLevel)
				case slices.Contains(seen, s.ID):
					return fmt.Errorf("participant %q: %q is in %s twice", x.ID, s.ID, list.name)
				}
				seen = append(seen, s.ID)
			}
		}
	}
	return nil
}
