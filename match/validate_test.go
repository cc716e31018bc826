package match

import (
	"strings"
	"testing"
	"time"
)

// TestValidateNamesTheField: an input outside the documented limits is
// refused with a message that names the field, and Match refuses it too.
func TestValidateNamesTheField(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	valid := func() Input {
		return Input{Now: now, Participants: []Participant{
			{ID: "A", Languages: []string{"en"}, Capacity: 1, Share: []Skill{{ID: "s", Level: 3}}},
			{ID: "B", Languages: []string{"en"}, Learn: []Skill{{ID: "s", Level: 1}}},
		}}
	}
	if err := valid().Validate(); err != nil {
		t.Fatalf("the valid input: %v", err)
	}
	cases := []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"no date", func(in *Input) { in.Now = time.Time{} }, "now is not set"},
		{"solver", func(in *Input) { in.Options.Solver = "simplex" }, `solver "simplex"`},
		{"quota", func(in *Input) { in.Options.LearnerQuota = 21 }, "learner_quota 21"},
		{"group rounds", func(in *Input) { in.Options.GroupRounds = -1 }, "group_rounds -1"},
		{"weight", func(in *Input) { in.Options.Weights.Base = -5 }, "weight base is -5"},
		{"duplicate", func(in *Input) { in.Participants[1].ID = "A" }, `participant "A" appears twice`},
		{"capacity", func(in *Input) { in.Participants[0].Capacity = 101 }, "capacity 101"},
	}
	for _, c := range cases {
		in := valid()
		c.edit(&in)
		err := in.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Validate() = %v, want a message with %q", c.name, err, c.want)
		}
		if _, err := Match(in); err == nil {
			t.Errorf("%s: Match accepted an invalid input", c.name)
		}
	}
	for _, s := range []Solver{"", SolverScaling, SolverPaths} {
		in := valid()
		in.Options.Solver = s
		if err := in.Validate(); err != nil {
			t.Errorf("solver %q: %v", s, err)
		}
	}
}
