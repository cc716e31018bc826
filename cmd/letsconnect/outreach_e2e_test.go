package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// outreachProgram is a small program of its own on the local wiki, for
// the welcomes and invitations: a taxonomy, registrations (one made
// before outreach was switched on, the others now), events, and talk
// pages. It is imported as XML, each page by its own account, with the
// times given (so that a registration is "before" or "after" for real).
type outreachProgram struct {
	env     devwiki.Env
	own     *devwiki.Own // the wiki of the test's own, if not the shared one
	root    string
	prefix  string // of the accounts: a test's own people
	now     time.Time
	environ map[string]string
	pages   []demo.Revision
	people  []string
}

const outreachSkill = "Writing bots" // the program's one skill people want

func newOutreachProgram(t *testing.T) *outreachProgram {
	t.Helper()
	return newProgramOn(t, devwiki.Start(t), nil)
}

// newProgramOn is newOutreachProgram on a wiki: the shared one (own nil)
// or a test's own.
func newProgramOn(t *testing.T, env devwiki.Env, own *devwiki.Own) *outreachProgram {
	t.Helper()
	p := &outreachProgram{env: env, own: own, root: fmt.Sprintf("LC outreach %d", time.Now().UnixNano()), prefix: testAccountPrefix(),
		now: time.Now().UTC().Truncate(time.Minute)}
	p.environ = map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": p.root, "LC_WORKING_GROUP": env.HumanUser, "LC_EDIT_INTERVAL": "0s", "LC_MAX_EDITS": "0",
		"LC_NOW": p.now.Format(time.RFC3339), "LC_OUTREACH_SINCE": p.now.AddDate(0, 0, -1).Format(time.RFC3339),
		"LC_FEED_URL": "https://letsconnect.example.org",
	}
	for title := range templates.OnWiki {
		src, err := templates.Source(title)
		if err != nil {
			t.Fatal(err)
		}
		p.add(title, env.HumanUser, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), src)
	}
	p.add(p.root+"/Skills taxonomy", env.HumanUser, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC),
		"{{Let's Connect skill category|id=tech|name=Technical}}\n"+
			"{{Let's Connect skill|id=tech-bots|category=tech|name="+outreachSkill+"|description=Bots}}\n"+
			"{{Let's Connect skill|id=tech-lua|category=tech|name=Lua modules|description=Lua}}\n")
	return p
}

func (p *outreachProgram) add(title, user string, at time.Time, text string) {
	p.pages = append(p.pages, demo.Revision{Title: title, User: user, Time: at, Comment: "outreach test", Text: text})
}

// person registers name (the test's prefix added) at a time, with the
// registration's fields; it returns the user name.
func (p *outreachProgram) person(name string, at time.Time, fields map[string]string) string {
	user := p.prefix + name
	p.people = append(p.people, user)
	base := map[string]string{"region": "NWE", "country": "France", "timezone": "UTC", "learn": outreachSkill, "languages": "en-N"}
	for k, v := range fields {
		base[k] = v
	}
	var b strings.Builder
	b.WriteString("{{Let's Connect registration")
	for _, k := range program.RegistrationParams {
		if v, ok := base[k]; ok {
			b.WriteString("|" + k + "=" + v)
		}
	}
	b.WriteString("}}\n")
	p.add(p.root+"/Participants/"+user, user, at, b.String())
	return user
}

// event announces a clinic of the skill, days from now, in English
// interpreted into French.
func (p *outreachProgram) event(title string, days int, status, attendees string) {
	start := p.now.AddDate(0, 0, days).Format("2006-01-02") + " 15:00"
	p.add(p.root+"/Events/"+title, p.env.HumanUser, p.now.AddDate(0, 0, -2), fmt.Sprintf(
		"{{Let's Connect event|type=Learning clinic|title=%s|start=%s|duration=90 min|language=en|interpreted=fr|skills=%s|status=%s|attendees=%s}}\n",
		title, start, outreachSkill, status, attendees))
}

// load imports the pages (and the accounts of the people).
func (p *outreachProgram) load(t *testing.T) {
	t.Helper()
	if p.own != nil {
		p.own.Import(t, importDir(t, p.pages, p.people))
	} else {
		importPages(t, p.pages, p.people)
	}
	p.pages, p.people = nil, nil
}

var markerKeyRE = regexp.MustCompile(`<!-- letsconnect-message: (.*?) -->`)

// messages counts the bot's messages by key on the people's talk pages.
func (p *outreachProgram) messages(t *testing.T, users []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, text := range talkPages(t, newReader(t, p.env), users) {
		for _, m := range markerKeyRE.FindAllStringSubmatch(text, -1) {
			out[m[1]]++
		}
	}
	return out
}

// invitations reads the invitations page: who was invited to which event
// (by title), and who was welcomed.
func (p *outreachProgram) invitations(t *testing.T) (invited map[string][]string, welcomed []string) {
	t.Helper()
	invited = map[string][]string{}
	page := readPage(t, newReader(t, p.env), p.root+"/Invitations")
	for _, r := range outreach.ParseOutreach(page.Content) {
		for _, d := range r.Messages {
			if r.Kind == outreach.MessageWelcome {
				welcomed = append(welcomed, d.User)
			} else {
				invited[r.Title] = append(invited[r.Title], d.User)
			}
		}
	}
	return invited, welcomed
}

// TestOutreachOnTheWiki is the acceptance on the real wiki: a new
// registration gets one welcome and never a second; an event two weeks
// ahead invites the people who want its skill and follow its language
// (or its interpretation), those who never took part first, within the
// places per event and the messages per person per month, never the
// opted-out ({{bots}}, the opt-out list) or the paused, never for a
// cancelled or past event; re-runs post nothing.
func TestOutreachOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	p := newOutreachProgram(t)
	long := time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC)
	recent := p.now.Add(-2 * time.Hour)
	old := p.person("Old", long, nil)
	french := p.person("Francoise", recent, map[string]string{"languages": "fr-N, en-1", "timezone": "Europe/Paris"})
	came := p.person("Came", recent, nil)
	german := p.person("Gisela", recent, map[string]string{"languages": "de-N"})
	paused := p.person("Paused", recent, map[string]string{"status": "paused"})
	botsOut := p.person("Optout", recent, nil)
	nobots := p.person("Nobots", recent, nil)
	listed := p.person("Listed", recent, nil)
	lua := p.person("Lua", long, map[string]string{"learn": "Lua modules"})
	everyone := []string{old, french, came, german, paused, botsOut, nobots, listed, lua}
	p.add("User talk:"+botsOut, botsOut, recent, "{{bots|optout=letsconnect}}")
	p.add("User talk:"+nobots, nobots, recent, "{{nobots}}")
	p.add(p.root+"/Opt-out", p.env.HumanUser, recent, "* [[User:"+listed+"]]")
	p.event("Bots clinic", 14, "planned", "")
	p.event("Bots second clinic", 15, "planned", "")
	p.event("Bots cancelled", 12, "cancelled", "")
	p.event("Bots tomorrow", 1, "planned", "")
	p.event("Bots last month", -20, "done", came)
	p.load(t)
	environ := p.environ
	environ["LC_INVITATIONS_PER_EVENT"] = "2"
	environ["LC_MAX_MESSAGES_PER_PERSON"] = "2"

	// The dry run shows the plan and posts nothing.
	out, sum := runCommand(t, environ, 0, "deliver")
	if !strings.Contains(out, "OUTREACH 3 welcomes, 4 invitations to post") || !strings.Contains(out, "=== new section User talk:"+french) {
		t.Fatalf("dry run:\n%.4000s", out)
	}
	if sum.Welcomed+sum.Invited != 0 || len(p.messages(t, everyone)) != 0 {
		t.Fatal("the dry run posted")
	}

	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	invited, welcomed := p.invitations(t)
	slices.Sort(welcomed)
	// Welcomes: the new, active registrations whose talk pages and the
	// opt-out list allow it.
	if want := []string{came, french, german}; !slices.Equal(welcomed, want) || sum.Welcomed != 3 {
		t.Errorf("welcomed %v (%d), want %v", welcomed, sum.Welcomed, want)
	}
	// The first clinic: two places, for the two who never took part (the
	// French speaker through interpretation). The second: the French
	// speaker's month is full (a welcome and an invitation), so the one
	// who took part comes next.
	if got, want := invited["Bots clinic"], []string{french, old}; !sameSet(got, want) {
		t.Errorf("invited to the clinic: %v, want %v", got, want)
	}
	if got, want := invited["Bots second clinic"], []string{came, old}; !sameSet(got, want) {
		t.Errorf("invited to the second clinic: %v, want %v", got, want)
	}
	for _, title := range []string{"Bots cancelled", "Bots tomorrow", "Bots last month"} {
		if len(invited[title]) > 0 {
			t.Errorf("invited to %s: %v", title, invited[title])
		}
	}
	keys := p.messages(t, everyone)
	for key, n := range keys {
		if n != 1 {
			t.Errorf("%s is on the talk pages %d times", key, n)
		}
	}
	for _, u := range []string{paused, botsOut, nobots, listed, lua} {
		for key := range keys {
			if strings.HasSuffix(key, "/"+u) {
				t.Errorf("%s got %s", u, key)
			}
		}
	}
	if len(keys) != 7 {
		t.Errorf("%d messages on the talk pages, want 3 welcomes and 4 invitations: %v", len(keys), keys)
	}
	// MediaWiki reads a welcome as intended: a link to the event and to
	// the sharers' directory, no template, no category.
	links, tmpls, cats := parseLinks(t, p.env, "User talk:"+french)
	if len(tmpls) > 0 || len(cats) > 0 || !links[p.root+"/Events/Bots clinic"] || !links[p.root+"/Participants/"+french] {
		t.Errorf("the welcome transcludes %v, categorises %v, links %v", tmpls, cats, links)
	}

	// Re-runs post nothing and write nothing.
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if sum.Welcomed+sum.Invited+sum.Posted != 0 || sum.LedgerEdits != 0 {
		t.Errorf("a re-run: %+v", sum)
	}

	// Someone registers: one welcome, and no invitation (the clinics are
	// full); never a second welcome, even when they edit.
	late := p.person("Late", p.now.Add(-time.Hour), nil)
	p.load(t)
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if sum.Welcomed != 1 || sum.Invited != 0 {
		t.Errorf("after a new registration: %+v", sum)
	}
	reg := readPage(t, newReader(t, p.env), p.root+"/Participants/"+late)
	devwiki.EditAs(t, late, reg.Title, reg.Content+"\nAn edit.\n")
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if sum.Welcomed+sum.Invited != 0 {
		t.Errorf("after the edit: %+v", sum)
	}
	if keys := p.messages(t, []string{late}); len(keys) != 1 {
		t.Errorf("the new participant's messages: %v", keys)
	}

	// The report counts who never took part and what the messages
	// brought, as MediaWiki shows it.
	runCommand(t, environ, 0, "sync", "--write")
	report := readPage(t, newReader(t, p.env), p.root+"/Report").Content
	if !strings.Contains(report, "== Bringing people in ==") || !strings.Contains(report, "| invitation || 4 || 0 || 0%") ||
		!strings.Contains(report, "Never took part") {
		t.Errorf("the report lacks the outreach figures:\n%s", sectionOf(report, "Bringing people in"))
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestInvitationsKilledAndRestarted: a run of welcomes and invitations
// killed with SIGKILL at random points and started again each time
// leaves every message on its talk page once and on the invitations page
// once.
func TestInvitationsKilledAndRestarted(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	p := newOutreachProgram(t)
	var people []string
	for i := range 40 {
		people = append(people, p.person(fmt.Sprintf("K%02d", i), p.now.Add(-time.Hour), nil))
	}
	for i := range 3 {
		p.event(fmt.Sprintf("Bots clinic %d", i), 10+i, "planned", "")
	}
	p.load(t)
	environ := p.environ
	environ["LC_MAX_MESSAGES"] = "0"
	environ["LC_MAX_MESSAGES_PER_PERSON"] = "0"
	environ["LC_INVITATIONS_PER_EVENT"] = "20"
	last := killAndRestart(t, environ, 10)

	invited, welcomed := p.invitations(t)
	keys := p.messages(t, people)
	recorded := map[string]int{}
	for _, u := range welcomed {
		recorded["welcome/"+u]++
	}
	for title, users := range invited {
		if len(users) != 20 {
			t.Errorf("%s: %d invited, want 20", title, len(users))
		}
		for _, u := range users {
			recorded[title+"/"+u]++
		}
	}
	for k, n := range recorded {
		if n != 1 {
			t.Errorf("%s is on the invitations page %d times", k, n)
		}
	}
	for k, n := range keys {
		if n != 1 {
			t.Errorf("%s is on the talk pages %d times", k, n)
		}
	}
	// 40 welcomes and 60 invitations, each on a talk page once and
	// recorded once; the killed runs never wrote the page: the last run
	// found their messages.
	if len(keys) != 100 || len(recorded) != 100 || last.Found == 0 || last.Found+last.Welcomed+last.Invited != 100 {
		t.Errorf("%d messages on talk pages, %d recorded; the last run found %d, welcomed %d, invited %d",
			len(keys), len(recorded), last.Found, last.Welcomed, last.Invited)
	}
	t.Logf("%d welcomes and invitations exactly once across 11 runs (10 killed); the last run found %d", len(keys), last.Found)
}
