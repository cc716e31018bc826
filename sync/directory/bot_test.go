package directory_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func TestMalformedRegistrationOnProblemsPage(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	sum := bottest.Run(t, bottest.NewBot(w))
	if sum.Registrations != 3 || sum.Problems == 0 {
		t.Errorf("registrations %d, problems %d", sum.Registrations, sum.Problems)
	}

	problems := w.Text(bottest.ProblemsPage)
	for _, want := range []string{
		"== [[" + bottest.Prefix + "Zed]] ==",
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
		if strings.Contains(problems, bottest.Prefix+valid) {
			t.Errorf("the problems page lists %s's valid registration", valid)
		}
	}

	directory := w.Text(bottest.DirectoryPage)
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
	w := bottest.Fixture(t)
	w.Write = true
	bottest.Run(t, bottest.NewBot(w))
	directory := w.Text(bottest.DirectoryPage)

	if r := bottest.Row(t, directory, "Lua modules"); !strings.Contains(r, "''no sharer yet''") {
		t.Errorf("Lua modules, wanted by Chidi and shared by nobody, is not a gap:\n%s", r)
	}
	if r := bottest.Row(t, directory, "Event organizing"); strings.Contains(r, "no sharer yet") || !strings.Contains(r, "| —") {
		t.Errorf("event organizing, wanted by nobody, is a gap or has sharers:\n%s", r)
	}
	if r := bottest.Row(t, directory, "Grant proposals"); strings.Contains(r, "no sharer yet") ||
		!strings.Contains(r, "| 1\n") || strings.Index(r, "Alice") > strings.Index(r, "Chidi") {
		t.Errorf("grant proposals: want 1 learner, Alice (expert) before Chidi:\n%s", r)
	}
	if !strings.Contains(directory, "'''1''' wanted skill has no sharer yet") {
		t.Error("the directory does not count one gap")
	}
}

func TestParticipantTextIsEscaped(t *testing.T) {
	w := wikitest.New(bottest.BotUser)
	w.Write = true
	// The working group's taxonomy, with markup in names and descriptions.
	w.Put(bottest.TaxonomyPage, bottest.Coordinator, `{{Let's Connect skill category|id=org|name=Org `+bottest.Hostile+`}}
{{Let's Connect skill|id=org-grants|category=org|name=Grants `+bottest.Hostile+`|description=Desc `+bottest.Hostile+`}}
{{Let's Connect skill|id=org-wanted|category=org|name=Wanted|description=Desc `+bottest.Hostile+`}}
`)
	// A valid registration with markup in its country and a user name
	// with an apostrophe; an invalid one with markup in what is quoted back.
	w.Put(bottest.Prefix+"D'Arcy", "D'Arcy", bottest.Registration(map[string]string{
		"region": "NWE", "country": "Ireland " + bottest.Hostile, "languages": "en-N", "timezone": "Europe/Dublin",
		"learn": "Wanted", "share": "org-grants (expert)",
	}))
	w.Put(bottest.Prefix+"Eve", "Eve", bottest.Registration(map[string]string{
		"region": "Region " + bottest.Hostile, "country": "Country " + bottest.Hostile, "languages": "en-N, xx" + bottest.Hostile,
		"timezone": "TZ " + bottest.Hostile, "learn": "Skill " + bottest.Hostile,
	}))
	bottest.Run(t, bottest.NewBot(w))

	categoryLink := regexp.MustCompile(`(?i)\[\[\s*:?\s*category\s*:`)
	for _, title := range []string{bottest.DirectoryPage, bottest.ProblemsPage} {
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

	directory := w.Text(bottest.DirectoryPage)
	if !strings.Contains(directory, wikitext.Escape("Desc "+bottest.Hostile)) {
		t.Errorf("the description does not reach the directory as text:\n%s", directory)
	}
	if !strings.Contains(directory, "[[User:D&#39;Arcy|D&#39;Arcy]]") {
		t.Errorf("the user link is not escaped:\n%s", directory)
	}
	if !strings.Contains(bottest.Row(t, directory, "Wanted"), "''no sharer yet''") {
		t.Errorf("no gap for the wanted skill:\n%s", directory)
	}
	if n := strings.Count(directory, "\n|}"); n != 1 {
		t.Errorf("the directory closes %d tables, want 1", n)
	}
}

// TestGolden compares the generated pages of the fixture with
// testdata/*.golden.wiki; go test -run TestGolden -update rewrites them.
func TestGolden(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	bottest.Run(t, bottest.NewBot(w))
	for file, title := range map[string]string{
		"directory.golden.wiki": bottest.DirectoryPage,
		"problems.golden.wiki":  bottest.ProblemsPage,
	} {
		bottest.PageGolden(t, file, title, w.Text(title))
	}
}

func TestDirectoryListsAtMostSharersShownPerSkill(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	for i := range directory.SharersShown + 5 {
		user := fmt.Sprintf("Sharer %02d", i)
		w.Put(bottest.Prefix+user, user, bottest.Registration(map[string]string{
			"region": "MEA", "country": "Kenya", "languages": "sw-N", "timezone": "Africa/Nairobi", "share": "Bots (expert)",
		}))
	}
	bottest.Run(t, bottest.NewBot(w))
	r := bottest.Row(t, w.Text(bottest.DirectoryPage), "Bots")
	// Bob shares Bots too: 31 sharers, 25 listed, the experts first.
	if n := strings.Count(r, "[[User:"); n != directory.SharersShown {
		t.Errorf("%d sharers listed, want %d:\n%s", n, directory.SharersShown, r)
	}
	if !strings.Contains(r, "''and 6 more''") || strings.Contains(r, "[[User:Bob|") {
		t.Errorf("the row does not end with the 6 not listed (Bob, advanced, among them):\n%s", r)
	}
}

func TestBadEventIsOnTheProblemsPage(t *testing.T) {
	w, e := bottest.CalendarFixture(t)
	w.Put(bottest.EventsPrefix+"Broken", "Bob", bottest.EventText(map[string]string{"type": "party", "title": "Oops", "start": "tomorrow"}))
	bottest.Run(t, e)
	probs := w.Text(bottest.ProblemsPage)
	if !strings.Contains(probs, "Broken") || !strings.Contains(probs, "party") || !strings.Contains(probs, "tomorrow") {
		t.Errorf("problems page:\n%s", probs)
	}
	if strings.Contains(w.Text(bottest.CalendarPage), "Oops") {
		t.Error("a broken event is on the calendar")
	}
}

func TestProblemsPageStaysSmall(t *testing.T) {
	st := &program.State{}
	for i := range 5000 {
		st.Problems = append(st.Problems, program.Problem{Page: fmt.Sprintf("%sP%05d", bottest.Prefix, i), Field: "learn", Message: strings.Repeat("unknown skill ", 100)})
	}
	task := directory.ProblemsTask(program.Config{ParticipantsPrefix: bottest.Prefix}, directory.Config{ProblemsPage: bottest.ProblemsPage, DirectoryPage: bottest.DirectoryPage})
	changes, err := task.Plan(st)
	if err != nil {
		t.Fatal(err)
	}
	text := changes[0].Text
	if len(text) > 1200000 || !strings.Contains(text, "more pages have problems not listed here") || !strings.Contains(text, "'''5000''' problems") {
		t.Errorf("the problems page is %d bytes; ends %q", len(text), text[max(0, len(text)-300):])
	}
}

func TestParticipantsAreToldTheirRegistrationProblemsOnce(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	s := bottest.Deliver(t, e)
	zed := w.Text("User talk:Zed")
	if s.Count("problem_notices") != 1 || strings.Count(zed, "/problems/Zed -->") != 1 {
		t.Fatalf("notices %d; Zed's talk page:\n%s", s.Count("problem_notices"), zed)
	}
	for _, want := range []string{"Atlantis", "<code>region</code>", "Underwater basket weaving", "[[" + bottest.Prefix + "Zed]]", "[[" + bottest.ProblemsPage + "]]"} {
		if !strings.Contains(zed, want) {
			t.Errorf("the notice lacks %q:\n%s", want, zed)
		}
	}
	// Nothing new, nothing said; Alice's valid registration hears nothing.
	if s := bottest.Deliver(t, e); s.Count("problem_notices") != 0 {
		t.Error("told twice about the same problems")
	}
	if strings.Contains(w.Text("User talk:Alice"), "/problems/") {
		t.Error("Alice was told about problems she does not have")
	}
	// Zed fixes his region: the problems left are told again.
	w.Put(bottest.Prefix+"Zed", "Zed", strings.Replace(w.Text(bottest.Prefix+"Zed"), "Atlantis", "MEA", 1))
	if s := bottest.Deliver(t, e); s.Count("problem_notices") != 1 || strings.Count(w.Text("User talk:Zed"), "/problems/Zed -->") != 2 {
		t.Errorf("after a change: %d notices", s.Count("problem_notices"))
	}
	// An opted-out participant is not told.
	w.Put("User talk:Zed", "Zed", "{{nobots}}")
	w.Put(bottest.Prefix+"Zed", "Zed", strings.Replace(w.Text(bottest.Prefix+"Zed"), "MEA", "Atlantis", 1))
	if s := bottest.Deliver(t, e); s.Count("problem_notices") != 0 {
		t.Error("an opted-out participant was told")
	}
}
