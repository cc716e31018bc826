package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// sharedCapX is ../shared/domain/capx-capacities.csv as it is (sync/capx
// keeps the copy its tests read).
const sharedCapX = "../../sync/capx/testdata/capx-capacities.csv"

// TestImportCapXAndRunTheProgram is the import's acceptance on the real
// local wiki: the shared CapX file, quirks included, imported as the
// demo program's taxonomy (dry run, then written once, with its list
// page), then the program run on it end to end (registrations naming
// CapX's capacities, the directory with its links, matching, the report)
// without an error, and a second sync that changes nothing.
func TestImportCapXAndRunTheProgram(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC capx %d", time.Now().UnixNano())
	prog, err := demo.Generate(demo.Options{Root: root, Participants: 8, AccountPrefix: testAccountPrefix()})
	if err != nil {
		t.Fatal(err)
	}
	taxonomy, list := root+"/Skills taxonomy", root+"/CapX capacities.json"
	var pages []demo.Revision
	for _, p := range prog.Pages {
		if p.Title != taxonomy && p.Title != list { // the import writes them
			pages = append(pages, p)
		}
	}
	// Six people who name CapX's capacities, by their names as CapX has
	// them: two share Wikidata and Lua, four want them.
	people := []struct{ user, learn, share string }{
		{"Ana", "Lua (none)", "Wikidata (expert)"},
		{"Bola", "Wikidata (beginner)", "Lua (advanced)"},
		{"Chen", "Wikidata (none), public speaking (beginner)", ""},
		{"Dina", "Wikidata (beginner)", "storytelling (advanced)"},
		{"Eli", "Lua (beginner), capacity 97 (none)", ""},
		{"Femi", "knowledge management (none)", "public speaking (expert)"},
	}
	accounts := prog.Accounts
	for _, p := range people {
		user := prog.Accounts[0][:strings.Index(prog.Accounts[0], " ")+1] + "CapX " + p.user
		accounts = append(accounts, user)
		params := map[string]string{"region": "MEA", "country": "Nigeria", "languages": "en-N, pt-3", "timezone": "UTC", "learn": p.learn, "formats": "1:1, group"}
		if p.share != "" {
			params["share"] = p.share
		}
		pages = append(pages, demo.Revision{Title: root + "/Participants/" + user, User: user, Time: time.Now().Add(-time.Hour).UTC(), Comment: "registration", Text: bottest.Registration(params)})
	}
	importPages(t, pages, accounts)

	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(append(prog.WorkingGroup, env.HumanUser), ","), "LC_EDIT_INTERVAL": "0s",
	}
	reader := newReader(t, env)

	// The dry run prints the page and a note per quirk, writes nothing.
	out, errOut := runPlain(t, environ, 0, "taxonomy", "import-capx", sharedCapX)
	for _, want := range []string{"{{Let's Connect skill category|id=capx-10|name=organizational structure|name-pt=estrutura organizacional}}",
		"{{Let's Connect skill|id=capx-25|category=capx-10|capx=25|name=knowledge management|"} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry run does not print %q", want)
		}
	}
	for _, want := range []string{"capacity 97: its name is a web address", `the codes 28 and 29 share the pt name "avaliação"`,
		`capacity 61: "Diversity, Equity, and Inclusion" is filed under 15`, `capacity 124: "Wikimedia tools" is filed under 50`, "134 capacities, 7 roots; 8 notes"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the import does not say %q:\n%s", want, errOut)
		}
	}
	if readPage(t, reader, taxonomy).Exists() {
		t.Fatal("the dry run wrote the taxonomy")
	}

	// --write writes both pages; a second --write leaves them.
	out, _ = runPlain(t, environ, 0, "taxonomy", "import-capx", sharedCapX, "--write")
	if !strings.Contains(out, "created "+taxonomy) || !strings.Contains(out, "created "+list) {
		t.Errorf("the import wrote:\n%s", out)
	}
	out, _ = runPlain(t, environ, 0, "taxonomy", "import-capx", "--write", sharedCapX)
	if !strings.Contains(out, "unchanged "+taxonomy+": written already") || !strings.Contains(out, "unchanged "+list) {
		t.Errorf("the second import:\n%s", out)
	}
	if p := readPage(t, reader, list); p.ContentModel != "json" {
		t.Errorf("the list page's content model is %q", p.ContentModel)
	}

	// The program on the imported taxonomy, end to end.
	_, sum := runCommand(t, environ, 0, "sync", "--write")
	if sum.Edits == 0 || sum.Registrations < len(people) {
		t.Errorf("first sync: %+v", sum)
	}
	dir := readPage(t, reader, root+"/Skills directory").Content
	for _, want := range []string{"'''Wikidata'''", "[https://capx.toolforge.org/capacity/113 Wikidata (113)]", "CapX Ana"} {
		if !strings.Contains(dir, want) {
			t.Errorf("the directory lacks %q", want)
		}
	}
	if pt := readPage(t, reader, root+"/Skills directory/pt").Content; !strings.Contains(pt, "gestão do conhecimento") {
		t.Error("the Portuguese directory does not name the skills in Portuguese")
	}
	if proposals := readPage(t, reader, root+"/Proposed connections").Content; !strings.Contains(proposals, "|skill=Wikidata|") {
		t.Errorf("no connection proposed for Wikidata:\n%.1500s", proposals)
	}
	if report := readPage(t, reader, root+"/Report"); !report.Exists() {
		t.Error("no report")
	}
	// The demo's own skills are not in CapX's taxonomy: reported, and the
	// run goes on.
	if problems := readPage(t, reader, root+"/Registration problems").Content; !strings.Contains(problems, "is not a skill of the taxonomy") {
		t.Errorf("the problems page does not report the demo's skills:\n%.1500s", problems)
	}
	_, sum = runCommand(t, environ, 0, "sync", "--write")
	if sum.Edits != 0 {
		t.Errorf("the second sync made %d edits", sum.Edits)
	}

	// check reads the same list.
	out, _ = runPlain(t, environ, -1, "check")
	if !strings.Contains(out, "ok    the taxonomy's CapX codes are in CapX's list (127 mapped skills; 134 capacities in "+list+")") {
		t.Errorf("check:\n%s", out)
	}
}

// runPlain runs the command line and returns what it printed; wantCode
// -1 takes any exit status.
func runPlain(t *testing.T, environ map[string]string, wantCode int, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, environ, strings.NewReader(""), &out, &errOut)
	if wantCode >= 0 && code != wantCode {
		t.Fatalf("letsconnect %s: exit %d, want %d\nstdout:\n%.3000s\nstderr:\n%.3000s", strings.Join(args, " "), code, wantCode, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

// checkOpenData checks the open-data page as the wiki returns it: a JSON
// page in Commons' tabular-data shape (license, description, sources,
// schema.fields, data), CC0, each value of its field's type (or null),
// and no count under the report's floor, while some counts are shown.
func checkOpenData(t *testing.T, p *wiki.Page) {
	t.Helper()
	if !p.Exists() || p.ContentModel != wiki.ContentModelJSON {
		t.Fatalf("the open-data page: exists %v, content model %q", p.Exists(), p.ContentModel)
	}
	var tb struct {
		License     string            `json:"license"`
		Description map[string]string `json:"description"`
		Sources     string            `json:"sources"`
		Schema      struct {
			Fields []struct {
				Name  string            `json:"name"`
				Type  string            `json:"type"`
				Title map[string]string `json:"title"`
			} `json:"fields"`
		} `json:"schema"`
		Data [][]any `json:"data"`
	}
	dec := json.NewDecoder(strings.NewReader(p.Content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tb); err != nil {
		t.Fatalf("the open-data page is not tabular data: %v", err)
	}
	if tb.License != "CC0-1.0" || tb.Description["en"] == "" || tb.Sources == "" {
		t.Errorf("license %q, description %q, sources %q", tb.License, tb.Description, tb.Sources)
	}
	var names []string
	nameRE := regexp.MustCompile(`^[a-zA-Z_][a-zA-Z_0-9]*$`)
	for _, f := range tb.Schema.Fields {
		names = append(names, f.Name+":"+f.Type)
		if !nameRE.MatchString(f.Name) || f.Title["en"] == "" {
			t.Errorf("field %+v: Commons wants a name of letters, digits and _ and a title", f)
		}
	}
	if want := "month:string skill:string name:string capx:string wanting:number sharing:number proposed:number approved:number met:number gap:boolean"; strings.Join(names, " ") != want {
		t.Errorf("fields %s, want %s", strings.Join(names, " "), want)
	}
	shown := 0
	for _, r := range tb.Data {
		if len(r) != len(tb.Schema.Fields) {
			t.Fatalf("row %v has %d values for %d fields", r, len(r), len(tb.Schema.Fields))
		}
		for i, v := range r {
			f := tb.Schema.Fields[i]
			switch v := v.(type) {
			case nil:
				if i < 3 || f.Type == "boolean" {
					t.Errorf("row %v: %s is null", r, f.Name)
				}
			case string:
				if f.Type != "string" {
					t.Errorf("row %v: %s is a string, its field a %s", r, f.Name, f.Type)
				}
			case bool:
				if f.Type != "boolean" {
					t.Errorf("row %v: %s is a boolean, its field a %s", r, f.Name, f.Type)
				}
			case float64:
				if f.Type != "number" {
					t.Errorf("row %v: %s is a number, its field a %s", r, f.Name, f.Type)
				}
				if v > 0 && v < 5 {
					t.Errorf("row %v: %s = %v, under the report's floor of 5", r, f.Name, v)
				}
				if v >= 5 {
					shown++
				}
			}
		}
	}
	if shown == 0 {
		t.Error("the open data shows no count at all")
	}
}
