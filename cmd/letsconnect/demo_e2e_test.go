package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TestDemoEndToEnd is the acceptance on the real local wiki: the
// pilot-shaped program imported with each registration by its own
// account, then the command line as an operator runs it.
func TestDemoEndToEnd(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	ctx := context.Background()
	// A root of its own, so that this test never meets another's pages.
	root := fmt.Sprintf("LC e2e %d", time.Now().UnixNano())
	prog := importDemo(t, root)

	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		// The test's human account plays a working-group member.
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(append(prog.WorkingGroup, env.HumanUser), ","), "LC_EDIT_INTERVAL": "0s",
	}
	directory, problems := root+"/Skills directory", root+"/Registration problems"
	reader := newReader(t, env)

	// The wiki reads the registration template's TemplateData: the form
	// VisualEditor shows has every parameter the bot reads.
	if params := templateDataParams(t, env, "Template:"+program.TemplateRegistration); !slices.Equal(params, program.RegistrationParams) {
		t.Errorf("the wiki's TemplateData lists %v, want %v", params, program.RegistrationParams)
	}

	// A dry run shows both pages as diffs and writes nothing.
	out, sum := runCommand(t, environ, 0, "sync")
	if !strings.Contains(out, fmt.Sprintf("Dry run: %d edits would be made", generatedPages)) || !strings.Contains(out, "+++ "+directory+" (planned)") {
		t.Errorf("dry run output:\n%.2000s", out)
	}
	if sum.Planned != generatedPages || sum.Edits != 0 {
		t.Errorf("dry run summary %+v", sum)
	}
	if p := readPage(t, reader, directory); p.Exists() {
		t.Fatal("the dry run created the directory")
	}

	// --max-edits below the plan: nothing is written and the run fails.
	runCommand(t, environ, 1, "sync", "--write", "--max-edits", "2")
	if p := readPage(t, reader, directory); p.Exists() {
		t.Fatal("--max-edits 1 still wrote the directory")
	}

	// The real run.
	_, sum = runCommand(t, environ, 0, "sync", "--write")
	wantRegs := len(prog.Participants) + len(prog.Helped)
	for _, m := range prog.Mistakes {
		if m.Usable {
			wantRegs++
		}
	}
	if sum.Edits != generatedPages || sum.Registrations != wantRegs {
		t.Errorf("write summary %+v, want %d edits (generatedPages) and %d registrations", sum, generatedPages, wantRegs)
	}
	dir := readPage(t, reader, directory)
	if !strings.HasPrefix(dir.Content, program.OwnershipMarker) {
		t.Errorf("directory lacks the ownership marker:\n%.300s", dir.Content)
	}

	// Every active sharer is linked from the directory, as MediaWiki
	// itself reads the page (names with apostrophes and accents included),
	// and nothing a participant wrote became a template or a category.
	links, templates, categories := parseLinks(t, env, directory)
	sharers := 0
	for _, p := range prog.Pages {
		name, ok := strings.CutPrefix(p.Title, root+"/Participants/")
		if !ok || !sharesAndActive(p.Text) || !isParticipant(prog, name) {
			continue
		}
		sharers++
		if !links["User:"+name] {
			t.Errorf("sharer %s is not linked from the directory", name)
		}
	}
	if sharers < 100 {
		t.Errorf("only %d active sharers in the demo; the pilot had well over 100", sharers)
	}
	if len(templates) > 0 || len(categories) > 0 {
		t.Errorf("the directory transcludes %v and categorises in %v", templates, categories)
	}
	if !strings.Contains(dir.Content, "no sharer yet") {
		t.Error("the directory marks no gap, but the demo has wanted skills nobody shares")
	}

	// The open data, as the wiki stores it.
	checkOpenData(t, readPage(t, reader, root+"/Open data/Skills by month.tab"))

	// Every planted mistake is on the problems page, under its page, with
	// its field.
	prob := readPage(t, reader, problems)
	for _, m := range prog.Mistakes {
		section := sectionOf(prob.Content, "[["+m.Page+"]]")
		if section == "" {
			t.Errorf("%s (%s) is not on the problems page", m.Page, m.Kind)
			continue
		}
		if m.Field != "" && !strings.Contains(section, "<code>"+wikitext.Escape(m.Field)+"</code>") {
			t.Errorf("%s (%s): the problem does not name the field %q:\n%s", m.Page, m.Kind, m.Field, section)
		}
	}
	for _, h := range prog.Helped {
		if strings.Contains(prob.Content, "/Participants/"+h+"]]") {
			t.Errorf("%s, registered by the working group, is reported as a problem", h)
		}
	}

	// Compare before writing: nothing changed, nothing is written.
	_, sum = runCommand(t, environ, 0, "sync", "--write")
	if sum.Edits != 0 || sum.Unchanged != generatedPages {
		t.Errorf("second run summary %+v, want 0 edits and %d unchanged", sum, generatedPages)
	}

	// The working group decides two proposals on the wiki: the bot keeps
	// the approval and never proposes the rejected pair again.
	proposals := root + "/Proposed connections"
	page := readPage(t, reader, proposals)
	rows := proposalRows(t, page.Content)
	if len(rows) < 10 {
		t.Fatalf("only %d proposals for the pilot's program:\n%.2000s", len(rows), page.Content)
	}
	approved, rejected := rows[0], rows[1]
	text := strings.Replace(page.Content, approved, strings.Replace(approved, "|status=proposed|", "|status=approved|", 1), 1)
	text = strings.Replace(text, rejected, strings.Replace(rejected, "|status=proposed|", "|status=rejected|", 1), 1)
	coordinator := newHuman(t, env, root)
	if _, err := coordinator.Edit(ctx, wiki.EditRequest{Title: proposals, Text: text, Summary: "approve one, reject one", Base: page}); err != nil {
		t.Fatal(err)
	}
	_, sum = runCommand(t, environ, 0, "sync", "--write")
	if sum.Skipped != 0 || sum.Failed != 0 {
		t.Errorf("after the decisions: %+v, want the page updated, not skipped", sum)
	}
	after := readPage(t, reader, proposals).Content
	if !strings.Contains(after, strings.Replace(approved, "|status=proposed|", "|status=approved|", 1)) {
		t.Errorf("the approval was lost:\n%s", approved)
	}
	rejectedPair := rowPair(rejected)
	for _, row := range proposalRows(t, after) {
		if strings.Contains(row, "|status=proposed|") && rowPair(row) == rejectedPair {
			t.Errorf("the rejected pair %s is proposed again: %s", rejectedPair, row)
		}
	}
	if !strings.Contains(after, strings.Replace(rejected, "|status=proposed|", "|status=rejected|", 1)) {
		t.Error("the rejected row is not kept")
	}

	// A person edits the directory: the bot neither overwrites nor loses
	// it, and says so.
	human := newHuman(t, env, root)
	const note = "\nNote from a human: please also list mentors here."
	if _, err := human.Edit(ctx, wiki.EditRequest{Title: directory, Text: dir.Content + note, Summary: "a human's note", Base: dir}); err != nil {
		t.Fatal(err)
	}
	out, sum = runCommand(t, environ, 0, "sync", "--write")
	if sum.Skipped != 1 || sum.Edits != 0 {
		t.Errorf("after a human edit: summary %+v, want the directory skipped and nothing else to do:\n%s", sum, out)
	}
	if !strings.Contains(out, "SKIPPED "+directory) || !strings.Contains(out, env.HumanUser) {
		t.Errorf("the run does not report the human edit:\n%s", out)
	}
	if p := readPage(t, reader, directory); !strings.HasSuffix(p.Content, note) || p.User != env.HumanUser {
		t.Errorf("the human's edit was lost: last by %s, ends %q", p.User, p.Content[max(0, len(p.Content)-80):])
	}
}

// importDemo generates the pilot-shaped program under root and imports it.
func importDemo(t *testing.T, root string) *demo.Program {
	t.Helper()
	return importDemoN(t, root, 0)
}

// importDemoN is importDemo with n participants (0: the pilot's 179).
// The program's people have accounts of their own (testAccountPrefix):
// the test's messages and edits never reach the demo's participants or
// another test's.
func importDemoN(t *testing.T, root string, n int) *demo.Program {
	t.Helper()
	prog, err := demo.Generate(demo.Options{Root: root, Participants: n, AccountPrefix: testAccountPrefix()})
	if err != nil {
		t.Fatal(err)
	}
	importPages(t, prog.Pages, prog.Accounts)
	return prog
}

// importPages imports pages (each revision by its account, at its time)
// into the local wiki, creating the accounts first.
func importPages(t *testing.T, pages []demo.Revision, accounts []string) {
	t.Helper()
	devwiki.Import(t, importDir(t, pages, accounts))
}

// importDir writes pages and accounts as scripts/devwiki.sh import reads
// them, into a new directory.
func importDir(t *testing.T, pages []demo.Revision, accounts []string) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "pages.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.WriteXML(f, pages); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(filepath.Join(dir, "accounts.txt"), []byte(strings.Join(accounts, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// testAccountPrefix is a new demo.Options.AccountPrefix at each call,
// "T" and the time in base 36: a capital first, as user names have.
func testAccountPrefix() string {
	return "T" + strconv.FormatInt(time.Now().UnixNano(), 36) + " "
}

// summary is the run's last log line.
type summary struct {
	Registrations int    `json:"registrations"`
	Problems      int    `json:"problems"`
	Edits         int    `json:"edits"`
	Planned       int    `json:"planned"`
	Unchanged     int    `json:"unchanged"`
	Skipped       int    `json:"skipped"`
	Failed        int    `json:"failed"`
	Requests      int    `json:"requests"`
	Read          string `json:"read"`
	Matcher       string `json:"matcher"`
	// deliver's
	Added       int `json:"added"`
	Transitions int `json:"transitions"`
	Answers     int `json:"answers"`
	Posted      int `json:"posted"`
	Welcomed    int `json:"welcomed"`
	Invited     int `json:"invited"`
	Badges      int `json:"badges"`
	Waiting     int `json:"waiting"`
	Found       int `json:"found_on_talk_pages"`
	NotMessaged int `json:"not_messaged"`
	LedgerEdits int `json:"ledger_edits"`
}

// runCommand runs letsconnect with args and checks its exit status; it
// returns stdout and the parsed summary line.
func runCommand(t *testing.T, environ map[string]string, wantCode int, args ...string) (string, summary) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, pilotEnviron(environ), strings.NewReader(""), &stdout, &stderr)
	if code != wantCode {
		t.Fatalf("letsconnect %s: exit %d, want %d\nstdout:\n%.3000s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, stdout.String(), stderr.String())
	}
	var sum summary
	found := false
	sc := bufio.NewScanner(&stderr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && (line.Message == "sync: summary" || line.Message == "deliver: summary") {
			if err := json.Unmarshal(sc.Bytes(), &sum); err != nil {
				t.Fatal(err)
			}
			found = true
		}
	}
	if !found {
		t.Fatalf("letsconnect %s logged no summary line:\n%s", strings.Join(args, " "), stderr.String())
	}
	return stdout.String(), sum
}

// pilotEnviron is environ with LC_INACTIVE_DAYS=0 unless environ sets it:
// the tests' programs are the pilot's, imported with their 2022
// revisions, so by the default 30 days every sharer would be inactive and
// none proposed. A test of that rule sets it (TestConsentOnTheWiki).
func pilotEnviron(environ map[string]string) map[string]string {
	if _, set := environ["LC_INACTIVE_DAYS"]; set {
		return environ
	}
	out := maps.Clone(environ)
	if out == nil {
		out = map[string]string{}
	}
	out["LC_INACTIVE_DAYS"] = "0"
	return out
}

func newReader(t *testing.T, env devwiki.Env) *wiki.Client {
	t.Helper()
	c, err := wiki.New(wiki.Config{APIURL: env.APIURL, UserAgent: "letsconnect-test/0 (test)"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newHuman(t *testing.T, env devwiki.Env, root string) *wiki.Client {
	t.Helper()
	c, err := wiki.New(wiki.Config{APIURL: env.APIURL, UserAgent: "letsconnect-test/0 (human)", Write: true, EditPrefixes: []string{root + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LoginBotPassword(context.Background(), env.HumanUser, env.HumanPassword); err != nil {
		t.Fatal(err)
	}
	return c
}

func readPage(t *testing.T, c *wiki.Client, title string) *wiki.Page {
	t.Helper()
	p, err := c.Page(context.Background(), title, wiki.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// parseLinks asks MediaWiki how it reads a page: its links, templates and
// categories.
func parseLinks(t *testing.T, env devwiki.Env, title string) (links map[string]bool, templates, categories []string) {
	t.Helper()
	var body struct {
		Parse struct {
			Links      []struct{ Title string }    `json:"links"`
			Templates  []struct{ Title string }    `json:"templates"`
			Categories []struct{ Category string } `json:"categories"`
		} `json:"parse"`
	}
	parse(t, env, title, "links|templates|categories", &body)
	links = map[string]bool{}
	for _, l := range body.Parse.Links {
		links[l.Title] = true
	}
	for _, tp := range body.Parse.Templates {
		templates = append(templates, tp.Title)
	}
	for _, c := range body.Parse.Categories {
		categories = append(categories, c.Category)
	}
	return links, templates, categories
}

// parse asks MediaWiki's action=parse for props of a page, into body.
func parse(t *testing.T, env devwiki.Env, title, props string, body any) {
	t.Helper()
	q := url.Values{"action": {"parse"}, "page": {title}, "prop": {props}, "format": {"json"}, "formatversion": {"2"}}
	resp, err := http.Get(env.APIURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(body); err != nil {
		t.Fatal(err)
	}
}

// sharesAndActive reports whether a registration page shares a skill and
// is not paused.
func sharesAndActive(text string) bool {
	for _, tp := range wikitext.Templates(text) {
		if tp.Name == program.TemplateRegistration {
			m := tp.Map()
			return strings.TrimSpace(m["share"]) != "" && m["status"] != "paused"
		}
	}
	return false
}

func isParticipant(prog *demo.Program, name string) bool {
	for _, p := range prog.Participants {
		if p == name {
			return true
		}
	}
	return false
}

// sectionOf returns the text of the level-2 section whose heading is
// heading, or "".
func sectionOf(text, heading string) string {
	start := strings.Index(text, "== "+heading+" ==")
	if start < 0 {
		return ""
	}
	rest := text[start+len(heading)+6:]
	if end := strings.Index(rest, "\n== "); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// templateDataParams asks the wiki (action=templatedata, the API
// VisualEditor uses) for a template's parameters in form order.
func templateDataParams(t *testing.T, env devwiki.Env, title string) []string {
	t.Helper()
	q := url.Values{"action": {"templatedata"}, "titles": {title}, "format": {"json"}, "formatversion": {"2"}}
	resp, err := http.Get(env.APIURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Pages map[string]struct {
			ParamOrder []string `json:"paramOrder"`
		} `json:"pages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	for _, p := range body.Pages {
		return p.ParamOrder
	}
	t.Fatalf("the wiki has no TemplateData for %s", title)
	return nil
}

// proposalRows returns the proposal rows of a Proposed connections page.
func proposalRows(t *testing.T, text string) []string {
	t.Helper()
	var rows []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "{{"+proposals.TemplateProposal+"|") {
			rows = append(rows, line)
		}
	}
	return rows
}

// rowPair is a row's sharer and learners.
func rowPair(row string) string {
	field := func(name string) string {
		_, rest, _ := strings.Cut(row, "|"+name+"=")
		value, _, _ := strings.Cut(rest, "|")
		return value
	}
	return field("sharer") + " → " + field("learners")
}
