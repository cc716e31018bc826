package lifecycle

import (
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// botsTaxonomy is the one skill the ledger tests' rows are about.
const botsTaxonomy = `{{Let's Connect skill category|id=tech|name=Tech}}
{{Let's Connect skill|id=tech-bots|category=tech|name=Bots}}`

// ledgerRow is a ledger row between Bob and Alice with the given status.
func ledgerRow(id, status string) string {
	return "{{Let's Connect connection|id=" + id + "|status=" + status + "|sharer=Bob|learners=Alice|skill=Bots}}"
}

// readLedgerPages reads ledger pages (title → text) with who changed which
// row since the bot's text (botText, by title).
func readLedgerPages(t *testing.T, titles []string, texts, botText map[string]string, changedBy map[string]map[string]string) *program.State {
	t.Helper()
	tx, _ := program.ParseTaxonomy("Taxonomy", botsTaxonomy)
	st := &program.State{Taxonomy: tx}
	var read []LedgerRead
	for i, title := range titles {
		r := LedgerRead{Page: &LedgerPage{Page: &wiki.Page{Title: title, RevID: int64(i + 10), Content: texts[title]}, Year: 2026, Part: i + 1}}
		if bt, ok := botText[title]; ok {
			r.BotLast, r.ChangedBy = &wiki.Page{Title: title, RevID: int64(i + 1), Content: bt}, changedBy[title]
		}
		read = append(read, r)
	}
	ReadLedger(st, read, program.WorkingGroup{"Coordinator"}, "LetsConnectBot")
	return st
}

func TestLedgerChangesOnlyTheWorkingGroupMayMake(t *testing.T) {
	const page = "Connections/2026"
	for _, c := range []struct {
		name, by, from, to string
		unconfirmed        string
	}{
		{"a learner accepts", "Alice", "notified", "accepted", ""},
		{"the sharer marks it met", "Bob", "notified", "met", ""},
		{"a learner approves it", "Alice", "proposed", "approved", "Alice"},
		{"someone else marks it met", "Chidi", "notified", "met", "Chidi"},
		{"the coordinator sets any state", "Coordinator", "proposed", "approved", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := readLedgerPages(t, []string{page}, map[string]string{page: ledgerRow("C-1", c.to)},
				map[string]string{page: ledgerRow("C-1", c.from)}, map[string]map[string]string{page: {"C-1": c.by}})
			if got := st.Ledger[0].Unconfirmed; got != c.unconfirmed {
				t.Errorf("unconfirmed %q, want %q", got, c.unconfirmed)
			}
			if c.unconfirmed != "" && (len(st.Problems) != 1 || !strings.Contains(st.Problems[0].Message, c.by+" changed the connection C-1")) {
				t.Errorf("problems %v", st.Problems)
			}
			if c.unconfirmed == "" && len(st.Problems) != 0 {
				t.Errorf("problems %v", st.Problems)
			}
			if st.Ledger[0].Usable() != (c.unconfirmed == "") {
				t.Errorf("usable %v", st.Ledger[0].Usable())
			}
		})
	}
}

func TestLedgerRowsOthersAddOrRewireAreNotUsed(t *testing.T) {
	const page = "Connections/2026"
	// Zed adds a row of his own, and Alice changes who the connection is
	// with: neither is a participant's change of their own state.
	text := ledgerRow("C-1", "notified") + "\n" + "{{Let's Connect connection|id=C-2|status=approved|sharer=Zed|learners=Alice|skill=Bots}}"
	text = strings.Replace(text, "learners=Alice|skill=Bots}}\n", "learners=Alice, Carol|skill=Bots}}\n", 1)
	st := readLedgerPages(t, []string{page}, map[string]string{page: text},
		map[string]string{page: ledgerRow("C-1", "notified")}, map[string]map[string]string{page: {"C-1": "Alice", "C-2": "Zed"}})
	if st.Ledger[0].Unconfirmed != "Alice" || st.Ledger[1].Unconfirmed != "Zed" {
		t.Errorf("unconfirmed %q and %q", st.Ledger[0].Unconfirmed, st.Ledger[1].Unconfirmed)
	}
}

func TestAConnectionOnTheLedgerTwiceIsUsedOnce(t *testing.T) {
	a, b := "Connections/2026", "Connections/2026/2"
	st := readLedgerPages(t, []string{a, b}, map[string]string{a: ledgerRow("C-1", "notified"), b: ledgerRow("C-1", "met")}, nil, nil)
	if len(st.Ledger) != 2 || st.Ledger[0].Status != program.StatusNotified || st.Ledger[1].Status != "" || st.Ledger[1].Usable() {
		t.Fatalf("ledger %+v, %+v", st.Ledger[0], st.Ledger[1])
	}
	if len(st.Problems) != 1 || st.Problems[0].Page != b || !strings.Contains(st.Problems[0].Message, "the connection C-1 is on the ledger twice (also on "+a+")") {
		t.Errorf("problems %v", st.Problems)
	}
	if ledgerPages.Get(st)[a].Part != 1 || ledgerPages.Get(st)[b].Part != 2 {
		t.Errorf("pages %v", ledgerPages.Get(st))
	}
}

func TestIsRegistration(t *testing.T) {
	const prefix = "Let's Connect/Participants/"
	for _, c := range []struct {
		title    string
		redirect bool
		want     bool
	}{
		{prefix + "Alice", false, true},
		{prefix + "Alice/notes", false, false},      // a subpage would count her twice
		{prefix + "Alice/Old copy", false, false},   // so would an old copy
		{prefix + "Old name", true, false},          // a renamed user's redirect
		{prefix + "Ada Lovelace", false, true},      // spaces are part of names
		{prefix + "O'Brien (WMF)", false, true},     // and so are other signs
		{prefix + "Bola/", false, false},            // an empty subpage name is still a subpage
		{prefix + "Chidi/2026/notes", false, false}, // deeper too
	} {
		if got := program.IsRegistration(c.title, prefix, c.redirect); got != c.want {
			t.Errorf("IsRegistration(%q, redirect %v) = %v, want %v", c.title, c.redirect, got, c.want)
		}
	}
}

func TestOptedOutCountsTheLinksAReaderSees(t *testing.T) {
	got := program.OptedOut(`* [[User:Alice]]
* [[User talk:Bob|Bob]] asked on 2026-12-01
<!-- * [[User:Carol]] -->
<nowiki>[[User:Dami]]</nowiki>
* {{u|Eve}} (a template is not a link)`)
	if len(got) != 2 || !got["Alice"] || !got["Bob"] {
		t.Errorf("opted out: %v, want Alice and Bob", got)
	}
}
