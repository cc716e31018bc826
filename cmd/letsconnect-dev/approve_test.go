package main

import (
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
)

// proposalsPage is a proposals page as the bot writes it (arguments
// escaped by context: "1:1" as is), with a group first, a row a person
// edited by hand with blanks around its values, and one written in the
// older escaping ("1&#58;1").
const proposalsPage = `== Awaiting a decision ==
{| class="wikitable sortable"
{{Let's Connect proposal|status=proposed|sharer=Ana|learners=Bo, Cy, Di|skill=Bots|format=group|score=900|why=a group}}
{{Let's Connect proposal|status=proposed|sharer=Ed|learners=Fay|skill=Grants|format=1:1|score=300|why=best 1:1}}
{{Let's Connect proposal
 | status = proposed
 | sharer = Gil | learners = Hal | skill = Wikidata | format = 1:1 | score = 250 | why = second}}
{{Let's Connect proposal|status=proposed|sharer=Ivy|learners=Jo|skill=Lua|format=1&#58;1|score=200|why=third, older escaping}}
{{Let's Connect proposal|status=proposed|sharer=Kim|learners=Lee|skill=Commons|format=1:1|score=100|why=fourth}}
|}
`

func TestApproveBestApprovesTheFirstOneToOnes(t *testing.T) {
	text, approved, chosen := approveBest(proposalsPage, 3, nil)
	if approved != 3 || len(chosen) != 3 {
		t.Fatalf("approved %d, chose %d rows; want 3 and 3", approved, len(chosen))
	}
	for k, sharer := range []string{"Ed", "Gil", "Ivy"} {
		if chosen[k].Sharer != sharer {
			t.Errorf("row %d approved is %s's, want %s's (the page lists the best first)", k, chosen[k].Sharer, sharer)
		}
	}
	rows, problems := proposals.ParseProposals("", text, &program.Taxonomy{})
	if len(problems) > 0 || len(rows) != 5 {
		t.Fatalf("%d rows, problems %v", len(rows), problems)
	}
	want := map[string]program.Status{"Ana": program.StatusProposed, "Ed": program.StatusApproved, "Gil": program.StatusApproved,
		"Ivy": program.StatusApproved, "Kim": program.StatusProposed}
	for _, r := range rows {
		if r.Status != want[r.Sharer] {
			t.Errorf("%s's row is %s, want %s", r.Sharer, r.Status, want[r.Sharer])
		}
	}
	// Only the status values changed: the rest of every row, blanks
	// included, is as it was.
	if back := strings.ReplaceAll(text, "status=approved", "status=proposed"); strings.ReplaceAll(back, "status = approved", "status = proposed") != proposalsPage {
		t.Errorf("approving changed more than the statuses:\n%s", text)
	}

	// Run again: n are approved already, nothing changes.
	again, approved, chosen := approveBest(text, 3, nil)
	if again != text || approved != 3 || len(chosen) != 0 {
		t.Errorf("a second approval changed the page or chose %d rows (approved %d)", len(chosen), approved)
	}
}

func TestApproveBestWithoutOneToOnes(t *testing.T) {
	onlyGroups := "{{Let's Connect proposal|status=proposed|sharer=Ana|learners=Bo, Cy|skill=Bots|format=group}}\n"
	text, approved, chosen := approveBest(onlyGroups, 3, nil)
	if text != onlyGroups || approved != 0 || len(chosen) != 0 {
		t.Errorf("a page without 1:1 rows: approved %d, chose %d, text changed %v", approved, len(chosen), text != onlyGroups)
	}
}

// A row that is a participant's own request needs no approval (it becomes
// a connection anyway): the next best row is approved instead.
func TestApproveBestLeavesRequestsAlone(t *testing.T) {
	_, _, chosen := approveBest(proposalsPage, 2, map[string]bool{"Ed\x00Fay": true})
	if len(chosen) != 2 || chosen[0].Sharer != "Gil" || chosen[1].Sharer != "Ivy" {
		t.Errorf("approved %+v; want Gil's and Ivy's rows (Fay asked Ed herself)", chosen)
	}
}
