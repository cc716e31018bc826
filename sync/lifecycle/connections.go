package lifecycle

import (
	"maps"
	"slices"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// cloneConnection copies a connection deeply: a plan changes its copies,
// never the rows read.
func cloneConnection(c *program.Connection) *program.Connection {
	d := *c
	d.Learners = slices.Clone(c.Learners)
	d.Dates = maps.Clone(c.Dates)
	d.Responses = maps.Clone(c.Responses)
	d.NotMessaged = maps.Clone(c.NotMessaged)
	d.Answers = maps.Clone(c.Answers)
	if d.Answers == nil {
		d.Answers = map[string]program.Answer{}
	}
	d.Fit = maps.Clone(c.Fit)
	if d.Fit == nil {
		d.Fit = map[string]bool{}
	}
	d.Messages = slices.Clone(c.Messages)
	d.Extra = slices.Clone(c.Extra)
	if d.Dates == nil {
		d.Dates = map[program.Status]string{}
	}
	for _, m := range []*map[string]string{&d.Responses, &d.NotMessaged} {
		if *m == nil {
			*m = map[string]string{}
		}
	}
	return &d
}

// renameConnection puts the current names (program.State.Renamed) on a
// connection wherever it names a person: its people, their replies,
// answers and fit, its messages and who was not messaged.
func renameConnection(c *program.Connection, r program.Renames) {
	if len(r) == 0 {
		return
	}
	c.Sharer = r.Current(c.Sharer)
	for i, l := range c.Learners {
		c.Learners[i] = r.Current(l)
	}
	c.Responses = renameKeys(c.Responses, r)
	c.Answers = renameKeys(c.Answers, r)
	c.Fit = renameKeys(c.Fit, r)
	c.NotMessaged = renameKeys(c.NotMessaged, r)
	for i, d := range c.Messages {
		c.Messages[i].User = r.Current(d.User)
	}
}

// renameKeys returns m with its keys renamed (the current name's own
// entry wins over a former name's).
func renameKeys[V any](m map[string]V, r program.Renames) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if cur := r.Current(k); cur == k {
			out[k] = m[k]
		} else if _, own := m[cur]; !own {
			out[cur] = m[k]
		}
	}
	return out
}
