package capx_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

const listPage = "Let's Connect/CapX capacities.json"

// mapped is the fixture with two of its skills mapped to CapX: Grant
// proposals to 21 and 22, Lua modules to 134 and to 9999, which CapX's
// list does not have.
func mapped(t *testing.T) *wikitest.Wiki {
	t.Helper()
	w := bottest.Fixture(t)
	tx := strings.Replace(bottest.TaxonomyText, "|name=Grant proposals|", "|name=Grant proposals|capx=21, 22|", 1)
	tx = strings.Replace(tx, "|name=Lua modules}}", "|name=Lua modules|capx=134,9999}}", 1)
	w.Put(bottest.TaxonomyPage, bottest.Coordinator, tx)
	return w
}

func sharedJSON(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/capx-capacities.csv")
	if err != nil {
		t.Fatal(err)
	}
	l, _, err := capx.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	text, err := l.JSON("CapX's capacity list", "capx-capacities.csv")
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// With the list on its page, the directory links each mapped skill to its
// capacities, in each page language, and the problems page names the
// unknown code; the next run changes nothing.
func TestMappingFromTheListPage(t *testing.T) {
	w := mapped(t)
	w.Put(listPage, bottest.Coordinator, sharedJSON(t))
	w.Write = true
	b := bottest.NewBot(w)
	b.Config.CapX = capx.Config{ListPage: listPage, URL: "https://capx.toolforge.org/capacity/$1"}
	b.Config.Program.PageLanguages = []string{"en", "pt"}
	bottest.Run(t, b)

	row := bottest.Row(t, w.Text(bottest.DirectoryPage), "Grant proposals")
	if !strings.Contains(row, "CapX: [https://capx.toolforge.org/capacity/21 grant proposal (21)], [https://capx.toolforge.org/capacity/22 Wikimedia Grant (22)]") {
		t.Errorf("the row does not link the capacities:\n%s", row)
	}
	if row := bottest.Row(t, w.Text(bottest.DirectoryPage+"/pt"), "Grant proposals"); !strings.Contains(row, "proposta de bolsa (21)") {
		t.Errorf("the Portuguese row does not name the capacity in Portuguese:\n%s", row)
	}
	if row := bottest.Row(t, w.Text(bottest.DirectoryPage), "Lua modules"); !strings.Contains(row, "Lua (134)]") || strings.Contains(row, "9999") {
		t.Errorf("Lua modules' row:\n%s", row)
	}
	problems := w.Text(bottest.ProblemsPage)
	if !strings.Contains(problems, `the skill &#34;tech-lua&#34; names the CapX capacity 9999, which CapX&#39;s list (Let&#39;s Connect/CapX capacities.json) does not have`) &&
		!strings.Contains(problems, "names the CapX capacity 9999") {
		t.Errorf("the problems page does not name the unknown code:\n%s", problems)
	}
	// The raw address of capacity 97 is mended on the list page's
	// problems, the list's other quirks are not problems of the program.
	if !strings.Contains(problems, "code 97") || strings.Contains(problems, "avaliação") {
		t.Errorf("the problems page on the list's quirks:\n%s", problems)
	}
	edits := w.Edits()
	bottest.Run(t, b)
	if w.Edits() != edits {
		t.Errorf("the second run made %d edits", w.Edits()-edits)
	}
}

// A mapped taxonomy without its list says so once, and the directory
// shows the skills without links.
func TestMappingWithoutAList(t *testing.T) {
	w := mapped(t)
	w.Write = true
	b := bottest.NewBot(w)
	b.Config.CapX = capx.Config{ListPage: listPage}
	bottest.Run(t, b)
	if p := w.Text(bottest.ProblemsPage); !strings.Contains(p, "skills name CapX capacities, but the list page") {
		t.Errorf("the problems page:\n%s", p)
	}
	if strings.Contains(w.Text(bottest.DirectoryPage), "CapX") {
		t.Error("the directory links capacities nobody checked")
	}
}

// The list may be a file (its content, which the command reads): then
// the page is not read and the codes are checked all the same.
func TestMappingFromAFile(t *testing.T) {
	data, err := os.ReadFile("testdata/capx-capacities.csv")
	if err != nil {
		t.Fatal(err)
	}
	w := mapped(t)
	w.Write = true
	b := bottest.NewBot(w)
	b.Config.CapX = capx.Config{ListPage: listPage, ListFile: "capx.csv", File: data}
	bottest.Run(t, b)
	if p := w.Text(bottest.ProblemsPage); !strings.Contains(p, "CapX capacity 9999, which CapX") || !strings.Contains(p, "capx.csv") {
		t.Errorf("the problems page:\n%s", p)
	}
	if !strings.Contains(w.Text(bottest.DirectoryPage), "grant proposal (21)") {
		t.Error("the directory does not name capacity 21")
	}
}

// Once skills are mapped, the report counts the people wanting and
// sharing skills under each CapX root, each person once per root, with
// the roots' names in each page language.
func TestReportPerCapXRoot(t *testing.T) {
	w := mapped(t)
	tx := strings.Replace(w.Text(bottest.TaxonomyPage), "|name=Bots|", "|name=Bots|capx=127|", 1)
	w.Put(bottest.TaxonomyPage, bottest.Coordinator, tx)
	w.Put(listPage, bottest.Coordinator, sharedJSON(t))
	w.Write = true
	b := bottest.NewBot(w)
	b.Config.CapX = capx.Config{ListPage: listPage}
	b.Config.Report = report.Config{ReportPage: "Let's Connect/Report"}
	b.Config.Program.PageLanguages = []string{"en", "pt"}
	st, err := b.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Bob wants grant proposals (21 and 22: root 10, once); Alice and
	// Chidi share them. Alice wants Bots (127) and Chidi Lua modules
	// (134), both under root 50, which Bob shares Bots under.
	want := []report.RootCount{{Code: 10, Name: "organizational structure", Learners: 1, Sharers: 2}, {Code: 50, Name: "Learning and Evaluation", Learners: 2, Sharers: 1}}
	if got := report.BuildReport(st).CapXRoots; !slices.Equal(got, want) {
		t.Errorf("CapX roots %+v, want %+v", got, want)
	}
	bottest.Run(t, b)
	if page := w.Text("Let's Connect/Report"); !strings.Contains(page, "| organizational structure (10) || 1 || 2") {
		t.Errorf("the report has no CapX table:\n%s", page)
	}
	if page := w.Text("Let's Connect/Report/pt"); !strings.Contains(page, "| estrutura organizacional (10) || 1 || 2") {
		t.Error("the Portuguese report does not name the root in Portuguese")
	}
	// Without a mapping, no table.
	w.Put(bottest.TaxonomyPage, bottest.Coordinator, bottest.TaxonomyText)
	bottest.Run(t, b)
	if strings.Contains(w.Text("Let's Connect/Report"), "(10)") {
		t.Error("the report counts CapX roots without a mapping")
	}
}

// A list page anyone may edit reaches the directory and the report only
// as text.
func TestHostileListPage(t *testing.T) {
	w := mapped(t)
	name, _ := json.Marshal(bottest.Hostile)
	w.Put(listPage, "Mallory", `{"capacities": [{"code": 10, "names": {"en": `+string(name)+`}}, {"code": 21, "parent": 10, "names": {"en": `+string(name)+`}}]}`)
	w.Write = true
	b := bottest.NewBot(w)
	b.Config.CapX = capx.Config{ListPage: listPage, URL: "https://capx.toolforge.org/capacity/$1"}
	b.Config.Report = report.Config{ReportPage: "Let's Connect/Report"}
	bottest.Run(t, b)
	for title, shown := range map[string]string{bottest.DirectoryPage: " (21)]", "Let's Connect/Report": " (10) ||"} {
		text := w.Text(title)
		if !strings.Contains(text, wikitext.Escape(bottest.Hostile)+shown) {
			t.Errorf("%s does not show the capacity's name as text:\n%s", title, text)
		}
		if tpls := wikitext.Templates(text); len(tpls) != 0 || strings.Contains(text, "[[Category:X]]") || strings.Contains(text, "__NOTOC__") {
			t.Errorf("%s calls templates %+v or holds raw markup:\n%s", title, tpls, text)
		}
	}
}
