package match

import (
	"reflect"
	"testing"
	"time"
)

// TestAlternatives: a learner with four sharers of their skill is
// proposed the best; the alternatives are the next two, best first, each
// scored as the proposal is (its first-connection bonus included) and
// explained; a sharer with no session left and one who takes no 1:1 are
// not alternatives.
func TestAlternatives(t *testing.T) {
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	sharer := func(id string, level Level, offset int) Participant {
		return Participant{ID: id, Languages: []string{"en"}, UTCOffset: offset, Capacity: 1, Share: []Skill{{"wikidata", level}}}
	}
	full := sharer("Full", 2, 0)
	groupsOnly := sharer("Groups", 2, 0)
	groupsOnly.Formats = []Format{Group}
	in := Input{Now: now, Participants: []Participant{
		{ID: "Amaka", Languages: []string{"en"}, Capacity: 0, Learn: []Skill{{"wikidata", 1}}},
		{ID: "Other", Languages: []string{"en"}, Capacity: 0, Learn: []Skill{{"wikidata", 1}}},
		sharer("Best", 2, 0),     // one level apart, same hours
		sharer("Second", 3, 0),   // two levels apart
		sharer("Third", 2, -300), // one level apart, fewer common hours
		full, groupsOnly,
	}, Approved: []Pair{{Sharer: "Full", Learner: "Someone", Skill: "wikidata", Date: now}}}
	in.Options.NoGroups = true
	res, alts := matchWithAlternatives(t, in, 2)
	if len(alts) != len(res.Connections) {
		t.Fatalf("%d lists of alternatives for %d connections", len(alts), len(res.Connections))
	}
	for i, c := range res.Connections {
		var names []string
		for _, a := range alts[i] {
			names = append(names, a.Sharer)
			if a.Score > c.Score || a.Explanation == "" || len(a.Languages) == 0 {
				t.Errorf("%s → %v: alternative %+v scores above the proposal's %d or is not explained", c.Sharer, c.Learners, a, c.Score)
			}
			if a.Sharer == c.Sharer || a.Sharer == "Full" || a.Sharer == "Groups" {
				t.Errorf("%s → %v: %s is not an alternative", c.Sharer, c.Learners, a.Sharer)
			}
			for _, d := range res.Connections {
				if d.Sharer == a.Sharer {
					t.Errorf("%s has no session left after the result, yet is an alternative", a.Sharer)
				}
			}
		}
		t.Logf("%s → %v (%d): %v", c.Sharer, c.Learners, c.Score, alts[i])
	}
	// Amaka and Other each get one of Best, Second, Third (capacity 1
	// each): the one left over is every proposal's only alternative.
	if len(res.Connections) != 2 {
		t.Fatalf("%d connections, want 2", len(res.Connections))
	}
	for i := range res.Connections {
		if len(alts[i]) != 1 {
			t.Errorf("%s → %v: alternatives %v, want the one sharer left", res.Connections[i].Sharer, res.Connections[i].Learners, alts[i])
		}
	}
	if again, _ := Alternatives(in, res, nil, 2); !reflect.DeepEqual(again, alts) {
		t.Errorf("the same input gave other alternatives: %v, then %v", alts, again)
	}
	// Asked for one proposal, the alternatives are the same as among all.
	if one, _ := Alternatives(in, res, res.Connections[1:], 2); !reflect.DeepEqual(one, alts[1:]) {
		t.Errorf("the second proposal's alternatives alone are %v, among all %v", one, alts[1:])
	}
}

// TestAlternativesBestFirst: with room for everyone, a learner's
// alternatives are ordered by score, the proposal's bonus added alike.
func TestAlternativesBestFirst(t *testing.T) {
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	sharer := func(id string, level Level, offset int) Participant {
		return Participant{ID: id, Languages: []string{"en"}, UTCOffset: offset, Capacity: 2, Share: []Skill{{"wikidata", level}}}
	}
	in := Input{Now: now, Participants: []Participant{
		{ID: "Amaka", Languages: []string{"en"}, Capacity: 0, Learn: []Skill{{"wikidata", 1}}},
		sharer("Best", 2, 0), sharer("Second", 3, 0), sharer("Third", 4, 0), sharer("Fourth", 4, -360),
	}}
	res, alts := matchWithAlternatives(t, in, 2)
	if len(res.Connections) != 1 || res.Connections[0].Sharer != "Best" {
		t.Fatalf("proposed %+v, want Best", res.Connections)
	}
	w := DefaultOptions().Weights
	c := res.Connections[0]
	want := []struct {
		sharer string
		score  int
	}{{"Second", c.Score - w.LevelFit}, {"Third", c.Score - 2*w.LevelFit}}
	if len(alts[0]) != len(want) {
		t.Fatalf("alternatives %+v, want %v", alts[0], want)
	}
	for i, a := range alts[0] {
		if a.Sharer != want[i].sharer || a.Score != want[i].score {
			t.Errorf("alternative %d: %s %d, want %s %d", i+1, a.Sharer, a.Score, want[i].sharer, want[i].score)
		}
	}
	if got := alts[0][0].HoursUTC(); got != "08:00–20:00 UTC" {
		t.Errorf("Second's common hours %q", got)
	}
}

// matchWithAlternatives matches in and returns n alternatives for each 1:1.
func matchWithAlternatives(t *testing.T, in Input, n int) (*Result, [][]Alternative) {
	t.Helper()
	res, err := Match(in)
	if err != nil {
		t.Fatal(err)
	}
	alts, err := Alternatives(in, res, nil, n)
	if err != nil {
		t.Fatal(err)
	}
	return res, alts
}
