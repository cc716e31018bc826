package lifecycle

import (
	"slices"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

func TestReadAnswer(t *testing.T) {
	for _, tc := range []struct {
		text  string
		want  program.Answer
		found bool
		bad   bool
	}{
		{"Happy to! [[User:Bob|Bob]]", program.Answer{}, false, false},
		{"{{Let's Connect answer|yes}}", program.Answer{Yes: true}, true, false},
		{"{{let's_Connect_answer| YES }}", program.Answer{Yes: true}, true, false},
		{"{{Let's Connect answer|no|reason=time}}", program.Answer{Reason: program.ReasonTime}, true, false},
		{"{{Let's Connect answer|no|reason=Better-Fit|note=Carol}}", program.Answer{Reason: program.ReasonBetterFit, Note: "Carol"}, true, false},
		// A reason of one's own is "other", in one's words.
		{"{{Let's Connect answer|no|reason=moving house}}", program.Answer{Reason: program.ReasonOther, Note: "moving house"}, true, false},
		{"{{Let's Connect answer|no}}", program.Answer{Reason: program.ReasonOther}, true, false},
		// The last call counts: people correct themselves.
		{"{{Let's Connect answer|no|reason=time}} oh wait {{Let's Connect answer|yes}}", program.Answer{Yes: true}, true, false},
		{"{{Let's Connect answer|maybe}}", program.Answer{}, false, true},
		{"{{Let's Connect answer|met|fit=No}}", program.Answer{Met: true, Fit: "no"}, true, false},
		{"{{Let's Connect answer|met}}", program.Answer{Met: true}, true, false},
		{"{{Let's Connect answer|met|fit=so-so}}", program.Answer{}, false, true},
		{"{{Let's Connect request|sharer=X|skill=Y}}", program.Answer{}, false, false},
	} {
		a, found, bad := ReadAnswer(tc.text)
		if a != tc.want || found != tc.found || (bad != "") != tc.bad {
			t.Errorf("ReadAnswer(%q) = %+v, %v, %q; want %+v, %v, bad %v", tc.text, a, found, bad, tc.want, tc.found, tc.bad)
		}
	}
}

// The ledger keeps answers as people can read them, and reads back what
// it wrote (and what a person wrote the same way).
func TestLedgerAnswers(t *testing.T) {
	for _, a := range []program.Answer{
		{Yes: true},
		{Reason: program.ReasonTime},
		{Reason: program.ReasonOther, Note: "moving; back (maybe) in spring"},
	} {
		got, ok := parseLedgerAnswer(ledgerAnswer(a))
		want := a
		if a.Note != "" {
			want.Note = "moving, back [maybe] in spring"
		}
		if !ok || got != want {
			t.Errorf("%q reads back as %+v, want %+v", ledgerAnswer(a), got, want)
		}
	}
	if got, ok := parseLedgerAnswer("no busy"); !ok || got != (program.Answer{Reason: program.ReasonOther, Note: "busy"}) {
		t.Errorf(`"no busy" reads as %+v`, got)
	}
	if _, ok := parseLedgerAnswer("perhaps"); ok {
		t.Error(`"perhaps" read as an answer`)
	}
}

// Who a no closes a connection for, and who goes back to the pool.
func TestDeclines(t *testing.T) {
	now := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	l := Lifecycle{Config: Config{ReminderDays: 7, NoResponseDays: 7}}
	conn := func(answers map[string]program.Answer) *program.Connection {
		c := &program.Connection{ID: "C-1", Status: program.StatusNotified, Sharer: "S", Learners: []string{"A", "B"},
			Dates: map[program.Status]string{program.StatusNotified: "2026-01-09"}, Responses: map[string]string{}, Answers: answers}
		for u := range answers {
			c.Responses[u] = "2026-01-09"
		}
		return c
	}
	yes, no := program.Answer{Yes: true}, program.Answer{Reason: program.ReasonTime}
	for _, tc := range []struct {
		name    string
		answers map[string]program.Answer
		want    program.Status
		back    []string
	}{
		{"the sharer's no", map[string]program.Answer{"S": no}, program.StatusDeclined, []string{"A", "B"}},
		{"the sharer's no, a learner's too", map[string]program.Answer{"S": no, "B": no}, program.StatusDeclined, []string{"A"}},
		{"one learner's no", map[string]program.Answer{"A": no}, program.StatusNotified, nil},
		{"every learner's no", map[string]program.Answer{"A": no, "B": no}, program.StatusDeclined, nil},
		{"everyone's yes", map[string]program.Answer{"S": yes, "A": yes, "B": yes}, program.StatusAccepted, nil},
		{"yes but for one learner's no", map[string]program.Answer{"S": yes, "A": yes, "B": no}, program.StatusAccepted, nil},
		{"yes, a learner still to answer", map[string]program.Answer{"S": yes, "A": yes}, program.StatusNotified, nil},
	} {
		c := conn(tc.answers)
		l.advance(c, now)
		if c.Status != tc.want || !slices.Equal(c.BackToPool(), tc.back) {
			t.Errorf("%s: %s, back to the pool %v; want %s, %v", tc.name, c.Status, c.BackToPool(), tc.want, tc.back)
		}
		if tc.want == program.StatusDeclined && (DeclineReason(c) != program.ReasonTime || c.Dates[program.StatusDeclined] != "2026-01-10") {
			t.Errorf("%s: reason %q, declined on %q", tc.name, DeclineReason(c), c.Dates[program.StatusDeclined])
		}
	}
	// Met, and not a good fit for one of them: every learner goes back.
	met := conn(nil)
	met.Status, met.Fit = program.StatusMet, map[string]bool{"S": true, "B": false}
	if !slices.Equal(met.BackToPool(), []string{"A", "B"}) {
		t.Errorf("not a good fit sends back %v, want both learners", met.BackToPool())
	}
	met.Fit["B"] = true
	if met.BackToPool() != nil {
		t.Errorf("a good fit sends back %v", met.BackToPool())
	}
	// A plain reply stops nothing at the deadline: without a yes the
	// connection closes as no-response.
	c := conn(map[string]program.Answer{"S": yes})
	c.Responses["A"] = "2026-01-09"
	c.Responses["B"] = "2026-01-09"
	l.advance(c, now.AddDate(0, 0, 14))
	if c.Status != program.StatusNoResponse {
		t.Errorf("the sharer's yes and two plain replies: %s, want no-response", c.Status)
	}
}
