package proposals

import (
	"slices"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
)

// A sharer's no sends the learner back to the pool: first (Repair), with
// the waiting time they had, and never with that sharer again; once they
// have a connection again, they are no longer first.
func TestDeclinedLearnerComesFirst(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	regs := programtest.Registrations()
	for _, r := range regs {
		r.Updated = now.AddDate(0, 0, -100)
	}
	declined := &program.Connection{ID: "C-1", Status: program.StatusDeclined, Sharer: "Carol", Learners: []string{"Ada Lovelace"}, Skill: "wiki-queries",
		Dates:   map[program.Status]string{program.StatusApproved: "2026-02-20", program.StatusDeclined: "2026-02-25"},
		Answers: map[string]program.Answer{"Carol": {Reason: program.ReasonTime}}}
	st := &program.State{Now: now, Registrations: regs, Ledger: []*program.Connection{declined}, Taxonomy: &program.Taxonomy{}}
	participant := func(in match.Input, id string) match.Participant {
		i := slices.IndexFunc(in.Participants, func(x match.Participant) bool { return x.ID == id })
		return in.Participants[i]
	}
	in := MatchInput(st, nil, match.Options{})
	ada := participant(in, "Ada Lovelace")
	if !ada.Repair || ada.WaitingDays != 100 {
		t.Errorf("Ada after Carol's no: repair %v, waiting %d days; want first, 100 days", ada.Repair, ada.WaitingDays)
	}
	if !slices.ContainsFunc(in.Rejected, func(p match.Pair) bool { return p.Sharer == "Carol" && p.Learner == "Ada Lovelace" }) {
		t.Errorf("Carol → Ada is not rejected: %+v", in.Rejected)
	}
	// A decline set on the row (no answer) sends nobody back first.
	declined.Answers = nil
	if participant(MatchInput(st, nil, match.Options{}), "Ada Lovelace").Repair {
		t.Error("a decline without the sharer's answer put Ada first")
	}
	// Connected again since: not first any more.
	declined.Answers = map[string]program.Answer{"Carol": {Reason: program.ReasonTime}}
	st.Ledger = append(st.Ledger, &program.Connection{ID: "C-2", Status: program.StatusNotified, Sharer: "Bola", Learners: []string{"Ada Lovelace"}, Skill: "wiki-queries",
		Dates: map[program.Status]string{program.StatusApproved: "2026-02-27"}})
	if participant(MatchInput(st, nil, match.Options{}), "Ada Lovelace").Repair {
		t.Error("Ada, connected again, is still first")
	}
}
