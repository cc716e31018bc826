// Package demoinput reads the demo program (internal/dev/demo) as a sync reads
// a wiki: its taxonomy and registrations through the bot's own checker,
// into the state the planners and the matcher take. The benchmarks
// (letsconnect-dev bench) and the match command's tests start from it.
package demoinput

import (
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
)

// Now is the date the demo program is read at: the end of the pilot,
// whose program the demo reproduces (its newcomers are newcomers then).
var Now = time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)

// MatchInput is the matcher's input for the demo program of n
// participants, built as a sync builds it.
func MatchInput(n int) (match.Input, error) {
	st, err := State(n)
	if err != nil {
		return match.Input{}, err
	}
	return proposals.MatchInput(st, nil, match.Options{}), nil
}

// State is the state a sync reads from the demo program of n
// participants: its taxonomy and registrations, through the bot's checker.
func State(n int) (*program.State, error) {
	prog, err := demo.Generate(demo.Options{Participants: n})
	if err != nil {
		return nil, err
	}
	var taxonomy string
	for _, p := range prog.Pages {
		if p.Title == prog.Root+"/Skills taxonomy" {
			taxonomy = p.Text
		}
	}
	tx, _ := program.ParseTaxonomy("taxonomy", taxonomy)
	ck := &program.Checker{Taxonomy: tx, Languages: demo.Languages(), WorkingGroup: prog.WorkingGroup,
		Prefix: prog.Root + "/Participants/", Now: Now}
	st := &program.State{Now: Now, Taxonomy: tx}
	for _, p := range prog.Pages {
		if !strings.HasPrefix(p.Title, ck.Prefix) {
			continue
		}
		reg, _ := ck.Check(program.RegistrationPage{Title: p.Title, Updated: p.Time, Text: p.Text, Contributors: []string{p.User}})
		if reg != nil {
			st.Registrations = append(st.Registrations, reg)
		}
	}
	return st, nil
}
