package proposals

import (
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// decisionsTaxonomy is the one skill the decision tests' rows are about.
const decisionsTaxonomy = `{{Let's Connect skill category|id=tech|name=Tech}}
{{Let's Connect skill|id=tech-bots|category=tech|name=Bots}}`

// proposalsState reads a proposals page's rows into a state.
func proposalsState(t *testing.T, text string) *program.State {
	t.Helper()
	tx, problems := program.ParseTaxonomy("Taxonomy", decisionsTaxonomy)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	rows, problems := ParseProposals("Proposals", text, tx)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	st := &program.State{Taxonomy: tx}
	SetRows(st, rows)
	return st
}

const (
	aliceRow = "{{Let's Connect proposal|status=approved|sharer=Bob|learners=Alice|skill=Bots|format=1:1}}"
	carolRow = "{{Let's Connect proposal|status=proposed|sharer=Bob|learners=Carol|skill=Bots|format=1:1}}"
)

func TestOnlyTheWorkingGroupsDecisionsAreUsed(t *testing.T) {
	wg := program.WorkingGroup{"Coordinator"}
	botLast := &wiki.Page{RevID: 1, Content: strings.ReplaceAll(aliceRow, "approved", "proposed") + "\n" + carolRow}
	for _, c := range []struct {
		name, by  string
		decided   bool
		untrusted string
	}{
		{"a participant's approval", "Alice", false, "Alice"},
		{"the coordinator's approval", "Coordinator", true, ""},
		{"the bot's own copy of a row", "LetsConnectBot", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := proposalsState(t, aliceRow+"\n"+carolRow)
			key := Rows(st)[0].Key()
			AttributeDecisions(st, "Proposals", map[string]string{key: c.by}, botLast, wg, "LetsConnectBot")
			p := Rows(st)[0]
			if p.Decided() != c.decided || p.UntrustedBy != c.untrusted || pageKey.Get(st).BotLast != botLast {
				t.Errorf("decided %v, untrusted by %q; want %v, %q", p.Decided(), p.UntrustedBy, c.decided, c.untrusted)
			}
			if got := len(st.Problems) > 0; got != !c.decided {
				t.Errorf("problems %v", st.Problems)
			}
			if !c.decided && !strings.Contains(st.Problems[0].Message, c.by+" set the proposal Bob → Alice (Bots) to \"approved\", who is not in the working group") {
				t.Errorf("the problem does not say whose decision is not used: %v", st.Problems[0])
			}
			if Rows(st)[1].UntrustedBy != "" {
				t.Errorf("a row nobody changed is untrusted: %+v", Rows(st)[1])
			}
		})
	}
}

func TestAnUnconfirmedDecisionStaysSoUntilTheWorkingGroupEditsIt(t *testing.T) {
	// The bot wrote Alice's decision back with unconfirmed=Alice: a later
	// run, with nobody's change since, still does not use it.
	st := proposalsState(t, strings.Replace(aliceRow, "}}", "|unconfirmed=Alice}}", 1))
	AttributeDecisions(st, "Proposals", nil, nil, program.WorkingGroup{"Coordinator"}, "LetsConnectBot")
	if p := Rows(st)[0]; p.Decided() || p.UntrustedBy != "Alice" || len(st.Problems) != 1 {
		t.Fatalf("row %+v, problems %v", p, st.Problems)
	}
	// The coordinator edits the row: the decision is theirs.
	st = proposalsState(t, strings.Replace(aliceRow, "}}", "|unconfirmed=Alice|confirmed=yes}}", 1))
	AttributeDecisions(st, "Proposals", map[string]string{Rows(st)[0].Key(): "Coordinator"}, &wiki.Page{RevID: 1}, program.WorkingGroup{"Coordinator"}, "LetsConnectBot")
	if p := Rows(st)[0]; !p.Decided() || len(st.Problems) != 0 {
		t.Fatalf("row %+v, problems %v", p, st.Problems)
	}
}

func TestWithoutAWorkingGroupNoDecisionCounts(t *testing.T) {
	st := proposalsState(t, aliceRow)
	AttributeDecisions(st, "Proposals", map[string]string{Rows(st)[0].Key(): "Coordinator"}, &wiki.Page{RevID: 1}, nil, "LetsConnectBot")
	if Rows(st)[0].Decided() || len(st.Problems) != 1 || !strings.Contains(st.Problems[0].Message, "no working group is configured") {
		t.Fatalf("row %+v, problems %v", Rows(st)[0], st.Problems)
	}
}

func TestARowTheWorkingGroupAddsIsTheirProposal(t *testing.T) {
	st := proposalsState(t, carolRow+"\n"+aliceRow)
	botLast := &wiki.Page{RevID: 1, Content: carolRow} // the bot never wrote Alice's row
	AttributeDecisions(st, "Proposals", map[string]string{Rows(st)[1].Key(): "Coordinator"}, botLast, program.WorkingGroup{"Coordinator"}, "LetsConnectBot")
	if Rows(st)[1].ProposedBy != program.ByWorkingGroup || Rows(st)[0].ProposedBy != "" {
		t.Errorf("proposed by %q and %q", Rows(st)[0].ProposedBy, Rows(st)[1].ProposedBy)
	}
}
