package sync

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The fake wiki implements what the engine needs.
var _ Wiki = (*wikitest.Wiki)(nil)

const (
	botUser       = "LetsConnectBot"
	prefix        = "Let's Connect/Participants/"
	taxonomyPage  = "Let's Connect/Skills taxonomy"
	directoryPage = "Let's Connect/Skills directory"
	problemsPage  = "Let's Connect/Registration problems"
	coordinator   = "Coordinator"
)

// taxonomyText is a small taxonomy: two categories, four skills.
const taxonomyText = `The skills people can learn and share in Let's Connect.

{{Let's Connect skill category|id=org|name=Organizing}}
{| class="wikitable"
{{Let's Connect skill|id=org-grants|category=org|name=Grant proposals|description=Writing a grant or project proposal|aliases=grants; proposals}}
{{Let's Connect skill|id=org-events|category=org|name=Event organizing|description=Edit-a-thons, meetups, photo walks}}
|}
{{Let's Connect skill category|id=tech|name=Technical}}
{| class="wikitable"
{{Let's Connect skill|id=tech-bots|category=tech|name=Bots|description=Writing and running bots|aliases=bot}}
{{Let's Connect skill|id=tech-lua|category=tech|name=Lua modules}}
|}
`

// registration returns a registration page: a line of text and the
// template with params (in the template's parameter order, then the others
// sorted).
func registration(params map[string]string) string {
	names := slices.Clone(domain.RegistrationParams)
	var others []string
	for name := range params {
		if !slices.Contains(names, name) {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	var b strings.Builder
	b.WriteString("I joined Let's Connect.\n{{Let's Connect registration\n")
	for _, name := range append(names, others...) {
		if v, ok := params[name]; ok {
			b.WriteString("|" + name + "=" + v + "\n")
		}
	}
	b.WriteString("}}\n")
	return b.String()
}

// fixture is a wiki with the taxonomy and four registrations, each created
// by its own user: three valid ones and one that is not.
//
//   - Alice shares grant proposals, wants bots; Bob shares bots, wants
//     grant proposals; Chidi shares grant proposals and wants Lua modules,
//     which nobody shares (a gap); nobody mentions event organizing.
//   - Zed's region and one skill are wrong and the country is missing.
func fixture(t *testing.T) *wikitest.Wiki {
	t.Helper()
	w := wikitest.New(botUser)
	w.Put(taxonomyPage, coordinator, taxonomyText)
	w.Put(prefix+"Alice", "Alice", registration(map[string]string{
		"region": "MEA", "country": "Nigeria", "languages": "en-3, yo-N", "timezone": "Africa/Lagos",
		"learn": "Bots (beginner)", "share": "Grant proposals (expert)",
	}))
	w.Put(prefix+"Bob", "Bob", registration(map[string]string{
		"region": "LATAM", "country": "Peru", "languages": "es-N, en-2", "timezone": "America/Lima",
		"learn": "grants", "share": "Bots (advanced)",
	}))
	w.Put(prefix+"Chidi", "Chidi", registration(map[string]string{
		"region": "Africa", "country": "Ghana", "languages": "en-N, fr-1", "timezone": "UTC",
		"learn": "Lua modules (beginner)", "share": "Grant proposals (intermediate)",
	}))
	w.Put(prefix+"Zed", "Zed", registration(map[string]string{
		"region": "Atlantis", "languages": "en-3", "timezone": "Africa/Lagos",
		"learn": "Underwater basket weaving", "share": "Bots",
	}))
	return w
}

func newEngine(w *wikitest.Wiki) *Engine {
	return &Engine{
		Wiki: w,
		Config: Config{Config: domain.Config{
			ParticipantsPrefix: prefix,
			TaxonomyPage:       taxonomyPage,
			DirectoryPage:      directoryPage,
			ProblemsPage:       problemsPage,
			WorkingGroup:       []string{coordinator},
		}},
		Log: zerolog.Nop(),
		Now: w.Now,
	}
}

// run runs every task and fails the test on an error.
func run(t *testing.T, e *Engine) Summary {
	t.Helper()
	sum, err := e.Run(context.Background(), "")
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return sum
}

// outcome returns the outcome for title.
func outcome(t *testing.T, sum Summary, title string) Outcome {
	t.Helper()
	for _, o := range sum.Outcomes {
		if o.Title == title {
			return o
		}
	}
	t.Fatalf("no outcome for %q in %+v", title, sum.Outcomes)
	return Outcome{}
}

// row returns the directory row of a skill: from its name to the next
// row or the end of the table.
func row(t *testing.T, page, skillName string) string {
	t.Helper()
	i := strings.Index(page, "'''"+skillName+"'''")
	if i < 0 {
		t.Fatalf("no row for %q in:\n%s", skillName, page)
	}
	rest := page[i:]
	if j := strings.Index(rest, "\n|-"); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.Index(rest, "\n|}"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func TestRunWritesThenIsIdempotent(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)

	sum := run(t, e)
	if sum.Registrations != 3 || sum.PagesRead != 5 {
		t.Errorf("registrations %d, pages read %d; want 3 and 5", sum.Registrations, sum.PagesRead)
	}
	for _, title := range []string{directoryPage, problemsPage} {
		if o := outcome(t, sum, title); o.Result != wiki.Created || o.RevID == 0 {
			t.Errorf("%s: %+v, want created", title, o)
		}
		p := w.Page(title)
		if p.User != botUser || !strings.HasPrefix(p.Content, domain.OwnershipMarker) {
			t.Errorf("%s: by %q, starts %.60q; want the bot's page starting with the marker", title, p.User, p.Content)
		}
	}
	if w.Edits() != 2 {
		t.Errorf("%d edits, want 2", w.Edits())
	}

	sum = run(t, e)
	if w.Edits() != 2 {
		t.Errorf("a second run with nothing changed made %d edits", w.Edits()-2)
	}
	if n := sum.Count(wiki.Unchanged); n != 2 || len(sum.Outcomes) != 2 {
		t.Errorf("second run outcomes %+v, want 2 unchanged", sum.Outcomes)
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	w := fixture(t)
	e := newEngine(w)

	sum := run(t, e)
	if n := sum.Count(wiki.DryRun); n != 2 {
		t.Errorf("outcomes %+v, want 2 dry-run", sum.Outcomes)
	}
	if w.Edits() != 0 || w.Page(directoryPage).Exists() || w.Page(problemsPage).Exists() {
		t.Fatal("a dry run wrote")
	}
	rec := w.Recorded()
	if len(rec) != 2 {
		t.Fatalf("recorded %d actions, want 2", len(rec))
	}
	for _, a := range rec {
		if a.Title != directoryPage && a.Title != problemsPage || a.BaseRevID != 0 || !strings.HasPrefix(a.Text, domain.OwnershipMarker) {
			t.Errorf("recorded %q (base %d), text %.40q", a.Title, a.BaseRevID, a.Text)
		}
	}

	// Against pages the bot wrote, a dry run records the planned update
	// with its base, and only for the page that would change.
	w.Write = true
	run(t, e)
	w.Write = false
	base := w.Page(directoryPage)
	w.Put(prefix+"Dora", "Dora", registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	sum = run(t, e)
	rec = w.Recorded()[2:]
	if len(rec) != 1 || rec[0].Title != directoryPage || rec[0].BaseRevID != base.RevID || rec[0].OldText != base.Content || !strings.Contains(rec[0].Text, "Dora") {
		t.Errorf("recorded %+v, want one update of the directory from revision %d", rec, base.RevID)
	}
	if w.Page(directoryPage).RevID != base.RevID || outcome(t, sum, problemsPage).Result != wiki.Unchanged {
		t.Error("the dry run changed the directory, or planned an edit of the unchanged problems page")
	}
}

func TestPageWithoutMarkerIsNotOverwritten(t *testing.T) {
	w := fixture(t)
	w.Write = true
	const human = "A directory someone wrote by hand."
	w.Put(directoryPage, "Carol", human)

	sum := run(t, newEngine(w))
	o := outcome(t, sum, directoryPage)
	if o.Result != ResultSkipped || !strings.Contains(o.Reason, "ownership marker") {
		t.Errorf("directory: %+v, want skipped for want of the marker", o)
	}
	if w.Text(directoryPage) != human {
		t.Error("the page without the marker was overwritten")
	}
	if o := outcome(t, sum, problemsPage); o.Result != wiki.Created {
		t.Errorf("problems: %+v, want created", o)
	}
}

// TestPageWrittenOnceHasNoMarker: a page the bot writes once (CreateOnly,
// the newsletter's draft) is created with exactly the planned text, with
// no ownership marker (MassMessage would carry it to every subscriber's
// talk page), and never written again: not when the plan changes, not
// after a person's edit.
func TestPageWrittenOnceHasNoMarker(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)
	const title = "Let's Connect/Newsletter/2026-12"
	ch := domain.PageChange{Task: domain.TaskNewsletter, Title: title, Text: "The news.\n\n=== Upcoming ===\nA clinic.\n", CreateOnly: true}
	apply := func(text string) Outcome {
		t.Helper()
		ch.Text = text
		out, err := e.Apply(context.Background(), []domain.PageChange{ch})
		if err != nil || len(out) != 1 {
			t.Fatalf("Apply: %v, %+v", err, out)
		}
		return out[0]
	}
	if o := apply(ch.Text); o.Result != wiki.Created || !wiki.SameText(w.Text(title), ch.Text) {
		t.Errorf("first run: %+v; the page says %q, want exactly %q", o, w.Text(title), ch.Text)
	}
	written := w.Text(title)
	if o := apply("The news, planned again.\n"); o.Result != wiki.Unchanged || w.Text(title) != written {
		t.Errorf("a second plan: %+v, and the page says %q", o, w.Text(title))
	}
	w.Put(title, coordinator, written+"\nA word from the working group.")
	if o := apply(written); o.Result != wiki.Unchanged || !strings.HasSuffix(w.Text(title), "working group.") {
		t.Errorf("after a person's edit: %+v, and the page says %q", o, w.Text(title))
	}
}

func TestHumanEditIsKeptUntilReverted(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)
	run(t, e)
	botText := w.Text(directoryPage)

	// Carol edits the directory; then a registration changes, so the bot
	// has something new to write there.
	w.Put(directoryPage, "Carol", botText+"\n\nCarol was here.")
	w.Put(prefix+"Dora", "Dora", registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	sum := run(t, e)
	o := outcome(t, sum, directoryPage)
	if o.Result != ResultSkipped || !strings.Contains(o.Reason, "Carol") {
		t.Errorf("directory after Carol's edit: %+v, want skipped naming Carol", o)
	}
	if p := w.Page(directoryPage); p.User != "Carol" || strings.Contains(p.Content, "Dora") {
		t.Error("Carol's edit was overwritten")
	}
	if o := outcome(t, sum, problemsPage); o.Result != wiki.Unchanged {
		t.Errorf("problems: %+v, want unchanged", o)
	}

	// Carol reverts to the bot's text: the page is the bot's again.
	w.Put(directoryPage, "Carol", botText)
	sum = run(t, e)
	if o := outcome(t, sum, directoryPage); o.Result != wiki.Updated {
		t.Errorf("directory after the revert: %+v, want updated", o)
	}
	if p := w.Page(directoryPage); p.User != botUser || !strings.Contains(p.Content, "Dora") {
		t.Errorf("directory by %q, mentions Dora: %v", p.User, strings.Contains(p.Content, "Dora"))
	}
}

// racingWiki lets a person edit a page just before the bot's edit of it
// reaches the wiki.
type racingWiki struct {
	*wikitest.Wiki
	title string
}

func (r *racingWiki) Edit(ctx context.Context, req wiki.EditRequest) (wiki.EditResult, error) {
	if req.Title == r.title {
		r.Put(r.title, "Carol", "Carol's text, saved a moment before the bot's.")
	}
	return r.Wiki.Edit(ctx, req)
}

func TestEditConflictIsSkipped(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)
	run(t, e)
	w.Put(prefix+"Dora", "Dora", registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	e.Wiki = &racingWiki{Wiki: w, title: directoryPage}
	sum := run(t, e)
	if o := outcome(t, sum, directoryPage); o.Result != ResultSkipped || !strings.Contains(o.Reason, "while the bot was writing") {
		t.Errorf("directory: %+v, want skipped after the conflict", o)
	}
	if w.Page(directoryPage).User != "Carol" {
		t.Error("the conflicting edit overwrote Carol's")
	}
}

func TestMaxEdits(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)
	e.Config.MaxEdits = 1

	sum, err := e.Run(context.Background(), "")
	if !errors.Is(err, ErrTooManyEdits) {
		t.Fatalf("Run: %v, want ErrTooManyEdits", err)
	}
	if w.Edits() != 0 || w.Page(directoryPage).Exists() || len(sum.Outcomes) != 0 {
		t.Fatalf("%d edits, outcomes %+v; want nothing written", w.Edits(), sum.Outcomes)
	}

	// Unchanged pages do not count: one changed page is within the limit.
	e.Config.MaxEdits = 2
	run(t, e)
	e.Config.MaxEdits = 1
	w.Put(prefix+"Dora", "Dora", registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	if sum := run(t, e); outcome(t, sum, directoryPage).Result != wiki.Updated {
		t.Errorf("outcomes %+v, want the directory updated", sum.Outcomes)
	}
}

func TestOnly(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)

	sum, err := e.Run(context.Background(), "problems")
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Outcomes) != 1 || sum.Outcomes[0].Title != problemsPage || sum.Outcomes[0].Task != "problems" {
		t.Errorf("outcomes %+v, want the problems page only", sum.Outcomes)
	}
	if w.Page(directoryPage).Exists() {
		t.Error("--only problems wrote the directory")
	}

	_, err = e.Run(context.Background(), "nope")
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "directory, problems") {
		t.Errorf("unknown task: %v, want an error listing the tasks", err)
	}
}

func TestFailingTaskDoesNotStopOthers(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)
	errBroken := errors.New("broken on purpose")
	broken := Task{Name: "broken", Plan: func(*domain.State) ([]domain.PageChange, error) { return nil, errBroken }}
	e.tasks = append([]Task{broken}, e.Tasks()...)

	sum, err := e.Run(context.Background(), "")
	if !errors.Is(err, errBroken) || !strings.Contains(err.Error(), "task broken") {
		t.Errorf("Run: %v, want the broken task's error", err)
	}
	if len(sum.TaskErrors) != 1 {
		t.Errorf("task errors %v", sum.TaskErrors)
	}
	for _, title := range []string{directoryPage, problemsPage} {
		if o := outcome(t, sum, title); o.Result != wiki.Created {
			t.Errorf("%s: %+v, want created", title, o)
		}
	}

	// A run that refuses to write still reports the failed task.
	w2 := fixture(t)
	w2.Write = true
	e2 := newEngine(w2)
	e2.Config.MaxEdits = 1
	e2.tasks = append([]Task{broken}, e2.Tasks()...)
	_, err = e2.Run(context.Background(), "")
	if !errors.Is(err, ErrTooManyEdits) || !errors.Is(err, errBroken) {
		t.Errorf("Run over MaxEdits with a broken task: %v, want both errors", err)
	}
}

func TestMalformedRegistrationOnProblemsPage(t *testing.T) {
	w := fixture(t)
	w.Write = true
	sum := run(t, newEngine(w))
	if sum.Registrations != 3 || sum.Problems == 0 {
		t.Errorf("registrations %d, problems %d", sum.Registrations, sum.Problems)
	}

	problems := w.Text(problemsPage)
	for _, want := range []string{
		"== [[" + prefix + "Zed]] ==",
		"Atlantis",
		"<code>country</code>: this field is required",
		"Underwater basket weaving",
		"left out of the directory",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("the problems page lacks %q:\n%s", want, problems)
		}
	}
	for _, valid := range []string{"Alice", "Bob", "Chidi"} {
		if strings.Contains(problems, prefix+valid) {
			t.Errorf("the problems page lists %s's valid registration", valid)
		}
	}

	directory := w.Text(directoryPage)
	if strings.Contains(directory, "Zed") {
		t.Error("the invalid registration reached the directory")
	}
	for _, want := range []string{"[[User:Alice|Alice]] (expert; yo, en)", "[[User:Bob|Bob]] (advanced; es, en)", "[[User:Chidi|Chidi]] (intermediate; en, fr)"} {
		if !strings.Contains(directory, want) {
			t.Errorf("the directory lacks %q:\n%s", want, directory)
		}
	}
}

func TestDirectoryGaps(t *testing.T) {
	w := fixture(t)
	w.Write = true
	run(t, newEngine(w))
	directory := w.Text(directoryPage)

	if r := row(t, directory, "Lua modules"); !strings.Contains(r, "''no sharer yet''") {
		t.Errorf("Lua modules, wanted by Chidi and shared by nobody, is not a gap:\n%s", r)
	}
	if r := row(t, directory, "Event organizing"); strings.Contains(r, "no sharer yet") || !strings.Contains(r, "| —") {
		t.Errorf("event organizing, wanted by nobody, is a gap or has sharers:\n%s", r)
	}
	if r := row(t, directory, "Grant proposals"); strings.Contains(r, "no sharer yet") ||
		!strings.Contains(r, "| 1\n") || strings.Index(r, "Alice") > strings.Index(r, "Chidi") {
		t.Errorf("grant proposals: want 1 learner, Alice (expert) before Chidi:\n%s", r)
	}
	if !strings.Contains(directory, "'''1''' wanted skill has no sharer yet") {
		t.Error("the directory does not count one gap")
	}
}

// hostile is wikitext that must reach a generated page only as text. It
// is a single template argument: a bare "|" would end the argument, but
// one in a link or a nested call does not (MediaWiki's preprocessor).
const hostile = "{{Delete}} [[Category:X]] [[Y|}]] {{!}}}\n{{!}}- <nowiki>|}</nowiki>\n__NOTOC__ ~~~~ <script>x</script>"

func TestParticipantTextIsEscaped(t *testing.T) {
	w := wikitest.New(botUser)
	w.Write = true
	// The working group's taxonomy, with markup in names and descriptions.
	w.Put(taxonomyPage, coordinator, `{{Let's Connect skill category|id=org|name=Org `+hostile+`}}
{{Let's Connect skill|id=org-grants|category=org|name=Grants `+hostile+`|description=Desc `+hostile+`}}
{{Let's Connect skill|id=org-wanted|category=org|name=Wanted|description=Desc `+hostile+`}}
`)
	// A valid registration with markup in its country and a user name
	// with an apostrophe; an invalid one with markup in what is quoted back.
	w.Put(prefix+"D'Arcy", "D'Arcy", registration(map[string]string{
		"region": "NWE", "country": "Ireland " + hostile, "languages": "en-N", "timezone": "Europe/Dublin",
		"learn": "Wanted", "share": "org-grants (expert)",
	}))
	w.Put(prefix+"Eve", "Eve", registration(map[string]string{
		"region": "Region " + hostile, "country": "Country " + hostile, "languages": "en-N, xx" + hostile,
		"timezone": "TZ " + hostile, "learn": "Skill " + hostile,
	}))
	run(t, newEngine(w))

	categoryLink := regexp.MustCompile(`(?i)\[\[\s*:?\s*category\s*:`)
	for _, title := range []string{directoryPage, problemsPage} {
		text := w.Text(title)
		if tpls := wikitext.Templates(text); len(tpls) != 0 {
			t.Errorf("%s calls templates %+v:\n%s", title, tpls, text)
		}
		if categoryLink.MatchString(text) {
			t.Errorf("%s has a category link:\n%s", title, text)
		}
		for _, raw := range []string{"{{", "}}", "[[Category", "[[Y", "|}]]", "__NOTOC__", "~~~", "<script", "<nowiki"} {
			if strings.Contains(text, raw) {
				t.Errorf("%s has %q raw:\n%s", title, raw, text)
			}
		}
		// The only table syntax at the start of a line is the page's own.
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "{|") && !strings.HasPrefix(line, `{| class="wikitable`) ||
				strings.HasPrefix(line, "|}") && line != "|}" {
				t.Errorf("%s: a table is opened or closed by a participant's text: %q", title, line)
			}
		}
	}

	directory := w.Text(directoryPage)
	if !strings.Contains(directory, wikitext.Escape("Desc "+hostile)) {
		t.Errorf("the description does not reach the directory as text:\n%s", directory)
	}
	if !strings.Contains(directory, "[[User:D&#39;Arcy|D&#39;Arcy]]") {
		t.Errorf("the user link is not escaped:\n%s", directory)
	}
	if !strings.Contains(row(t, directory, "Wanted"), "''no sharer yet''") {
		t.Errorf("no gap for the wanted skill:\n%s", directory)
	}
	if n := strings.Count(directory, "\n|}"); n != 1 {
		t.Errorf("the directory closes %d tables, want 1", n)
	}
}

// TestGolden compares the generated pages of the fixture with
// testdata/*.golden.wiki; go test -run TestGolden -update rewrites them.
func TestGolden(t *testing.T) {
	w := fixture(t)
	w.Write = true
	run(t, newEngine(w))
	for file, title := range map[string]string{
		"directory.golden.wiki": directoryPage,
		"problems.golden.wiki":  problemsPage,
	} {
		pageGolden(t, file, title, w.Text(title))
	}
}

// TestGoldenProposalsAndLedger: the two pages people edit by hand read in
// their source as a person would write them (times, apostrophes, semicolons
// as typed; only what would act in a template argument is encoded).
func TestGoldenProposalsAndLedger(t *testing.T) {
	w, e := lifecycleFixture(t)
	w.Put(prefix+"Seán O'Brien", "Seán O'Brien", registration(map[string]string{
		"region": "Europe", "country": "Ireland", "languages": "en-N, ga-N", "timezone": "Europe/Dublin",
		"learn": "Grant proposals (beginner)", "share": "Lua modules (advanced)",
	}))
	deliver(t, e)
	run(t, e)
	pageGolden(t, "proposals.golden.wiki", proposalsPage, w.Text(proposalsPage))
	ledger := ledgerPrefix + w.Now().Format("2006")
	pageGolden(t, "ledger.golden.wiki", ledger, w.Text(ledger))
	for _, title := range []string{proposalsPage, ledger} {
		if text := w.Text(title); strings.Contains(text, "&#58;") || strings.Contains(text, "&#59;") || strings.Contains(text, "&#39;") {
			t.Errorf("%s encodes characters a template argument does not need encoded:\n%s", title, text)
		}
	}
}

// pageGolden compares a page's text with testdata/file (-update rewrites
// it).
func pageGolden(t *testing.T, file, title, text string) {
	t.Helper()
	compareGolden(t, filepath.Join("testdata", file), title, text+"\n", "go test ./sync/ -run TestGolden -update")
}

func TestSubpagesAreNotRegistrations(t *testing.T) {
	w := fixture(t)
	w.Write = true
	// Alice keeps an old copy of her registration, and Bob notes.
	w.Put(prefix+"Alice/Old", "Alice", w.Text(prefix+"Alice"))
	w.Put(prefix+"Bob/Notes", "Bob", "Things to ask my learner.")
	sum := run(t, newEngine(w))
	if sum.Registrations != 3 {
		t.Errorf("%d registrations, want 3: subpages counted", sum.Registrations)
	}
	dir := w.Text(directoryPage)
	if n := strings.Count(row(t, dir, "Grant proposals"), "[[User:Alice|"); n != 1 {
		t.Errorf("Alice listed %d times as a sharer", n)
	}
	if strings.Contains(w.Text(problemsPage), "Bob/Notes") {
		t.Error("a participant's notes subpage is reported as a broken registration")
	}
}

func TestDryRunWithoutCredentialsRefusesWhatAWriteWould(t *testing.T) {
	w := fixture(t)
	w.Write = true
	run(t, newEngine(w))
	w.Put(directoryPage, "Carol", w.Text(directoryPage)+"\nCarol was here.")

	// An operator's dry run without logging in.
	w.Write = false
	w.SetUser("")
	e := newEngine(w)
	e.Config.BotName = botUser
	sum := run(t, e)
	if o := outcome(t, sum, directoryPage); o.Result != ResultSkipped || !strings.Contains(o.Reason, "Carol") {
		t.Errorf("anonymous dry run: %+v, want the directory skipped because of Carol", o)
	}
	e.Config.BotName = ""
	sum = run(t, e)
	if o := outcome(t, sum, problemsPage); o.Result == wiki.DryRun {
		t.Errorf("without any bot name the dry run claims it may overwrite: %+v", o)
	}
}

func TestHumanWritingThePlannedTextIsUnchanged(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)
	run(t, e)
	// Carol restores the page to what the bot would write anyway (say,
	// after an experiment): nothing to do, nothing to report.
	text := w.Text(directoryPage)
	w.Put(directoryPage, "Carol", text+"\nexperiment")
	w.Put(directoryPage, "Carol", text)
	sum := run(t, e)
	if o := outcome(t, sum, directoryPage); o.Result != wiki.Unchanged {
		t.Errorf("%+v, want unchanged", o)
	}
}

func TestDirectoryListsAtMostSharersShownPerSkill(t *testing.T) {
	w := fixture(t)
	w.Write = true
	for i := range domain.SharersShown + 5 {
		user := fmt.Sprintf("Sharer %02d", i)
		w.Put(prefix+user, user, registration(map[string]string{
			"region": "MEA", "country": "Kenya", "languages": "sw-N", "timezone": "Africa/Nairobi", "share": "Bots (expert)",
		}))
	}
	run(t, newEngine(w))
	r := row(t, w.Text(directoryPage), "Bots")
	// Bob shares Bots too: 31 sharers, 25 listed, the experts first.
	if n := strings.Count(r, "[[User:"); n != domain.SharersShown {
		t.Errorf("%d sharers listed, want %d:\n%s", n, domain.SharersShown, r)
	}
	if !strings.Contains(r, "''and 6 more''") || strings.Contains(r, "[[User:Bob|") {
		t.Errorf("the row does not end with the 6 not listed (Bob, advanced, among them):\n%s", r)
	}
}

func TestNobotsOnAGeneratedPageIsRespected(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := newEngine(w)
	run(t, e)
	// Someone adds {{nobots}} and the bot's text is otherwise its own
	// (say, the bot's last edit was restored with the template on top).
	text := "{{nobots}}\n" + w.Text(directoryPage)
	w.SetUser(botUser)
	w.Put(directoryPage, botUser, text)
	w.Put(prefix+"Dora", "Dora", registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	sum := run(t, e)
	if o := outcome(t, sum, directoryPage); o.Result != ResultSkipped || !strings.Contains(o.Reason, "nobots") {
		t.Errorf("%+v, want the page skipped for {{nobots}}", o)
	}
	if w.Text(directoryPage) != text {
		t.Error("the page with {{nobots}} was overwritten")
	}
}
