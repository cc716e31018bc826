package opendata_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/opendata"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

const page = "Let's Connect/Open data/Skills by month.tab"

// table reads the page as a Table, and its rows by month and skill.
func table(t *testing.T, w *wikitest.Wiki) (opendata.Table, map[string][]any) {
	t.Helper()
	var tb opendata.Table
	if err := json.Unmarshal([]byte(w.Text(page)), &tb); err != nil {
		t.Fatalf("the page is not the table's JSON: %v", err)
	}
	byKey := map[string][]any{}
	for _, r := range tb.Data {
		byKey[fmt.Sprint(r[0], " ", r[1])] = r
	}
	return tb, byKey
}

// The table counts each skill's active learners and sharers, leaves out
// every count from 1 to 4, keeps an earlier month's rows, and is not
// rewritten when nothing changed.
func TestOpenDataTable(t *testing.T) {
	w := bottest.Fixture(t)
	// Five more people want Bots: six with Alice.
	for i := range 5 {
		user := fmt.Sprintf("Learner%d", i)
		w.Put(bottest.Prefix+user, user, bottest.Registration(map[string]string{
			"region": "MEA", "country": "Kenya", "languages": "en-N", "timezone": "UTC", "learn": "Bots (beginner)"}))
	}
	tx := strings.Replace(bottest.TaxonomyText, "|name=Bots|", "|name=Bots|capx=127|", 1)
	w.Put(bottest.TaxonomyPage, bottest.Coordinator, tx)
	old := `{"license": "CC0-1.0", "description": {"en": "x"}, "sources": "<!-- letsconnect:generated task=opendata -->", "schema": {"fields": []},
		"data": [["2001-01", "tech-bots", "Bots", null, 7, 0, 0, 0, 0, true]]}`
	w.Write = true
	b := bottest.NewBot(w)
	b.Config.OpenData.Page = page
	// The page as the bot wrote it in January 2001.
	w.Put(page, bottest.BotUser, old)
	w.SetContentModel(page, wiki.ContentModelJSON)
	bottest.Run(t, b)

	tb, rows := table(t, w)
	if tb.License != "CC0-1.0" || len(tb.Schema.Fields) != 10 || !strings.Contains(tb.Sources, program.OwnershipMarker) {
		t.Errorf("license %q, %d fields, sources %q", tb.License, len(tb.Schema.Fields), tb.Sources)
	}
	month := w.Now().UTC().Format("2006-01")
	if r := rows["2001-01 tech-bots"]; r == nil || r[4] != 7.0 {
		t.Errorf("January 2001's row is not kept: %v", r)
	}
	if r := rows[month+" tech-bots"]; r == nil || r[3] != "127" || r[4] != 6.0 || r[5] != nil {
		t.Errorf("Bots this month: %v; want capx 127, 6 wanting, sharing left out (1)", r)
	}
	if r := rows[month+" tech-lua"]; r == nil || r[4] != nil || r[5] != 0.0 || r[9] != true {
		t.Errorf("Lua modules this month: %v; want wanting left out (1), 0 sharing, a gap", r)
	}
	for _, r := range tb.Data {
		for i, v := range r[4:9] {
			if n, ok := v.(float64); ok && n > 0 && n < opendata.Floor {
				t.Errorf("row %v shows %s = %v, under the floor", r, tb.Schema.Fields[4+i].Name, n)
			}
		}
	}
	edits := w.Edits()
	bottest.Run(t, b)
	if w.Edits() != edits {
		t.Error("the second run rewrote the table")
	}
}

// Connections count in the month of their date, each status apart.
func TestOpenDataConnections(t *testing.T) {
	tx, _ := program.ParseTaxonomy("T", bottest.TaxonomyText)
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	st := &program.State{Now: now, Taxonomy: tx}
	for i := range 6 {
		c := &program.Connection{Skill: "org-grants", Dates: map[program.Status]string{program.StatusProposed: "2026-12-01"}}
		if i < 5 {
			c.Dates[program.StatusApproved] = "2026-12-02"
		}
		if i < 2 {
			c.Dates[program.StatusMet] = "2026-12-05"
		}
		st.Ledger = append(st.Ledger, c)
	}
	st.Ledger = append(st.Ledger, &program.Connection{Skill: "org-grants", Dates: map[program.Status]string{program.StatusProposed: "2026-11-30"}})
	for _, r := range opendata.Build(st, "LC").Data {
		if r[1] == "org-grants" && (r[6] != 6 || r[7] != 5 || r[8] != nil) {
			t.Errorf("org-grants: %v; want 6 proposed, 5 approved, met left out (2)", r)
		}
	}
}
