package newsletter

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TestNewsletterParameter: a registration subscribes with newsletter=yes
// or a language (code or name), unsubscribes with no; anything else is a
// problem that names the parameter.
func TestNewsletterParameter(t *testing.T) {
	for _, tc := range []struct {
		value    string
		want     bool
		lang     string
		problems int
	}{
		{"", false, "", 0}, {"yes", true, "", 0}, {"no", false, "", 0}, {"fr", true, "fr", 0},
		{"français", true, "fr", 0}, {"maybe", false, "", 1},
	} {
		text := programtest.RegistrationText()
		if tc.value != "" {
			text = programtest.RegistrationText("newsletter=" + tc.value)
		}
		r, problems := programtest.Checker(t).Check(program.RegistrationPage{Title: programtest.AdaPage, Text: text, Contributors: []string{"Ada Lovelace"}})
		if r == nil {
			t.Fatalf("%q: no registration: %v", tc.value, problems)
		}
		if r.Newsletter != tc.want || r.NewsletterLanguage != tc.lang || len(problems) != tc.problems {
			t.Errorf("newsletter=%q: subscribed %v in %q, problems %v", tc.value, r.Newsletter, r.NewsletterLanguage, problems)
		}
		for _, p := range problems {
			if p.Field != "newsletter" {
				t.Errorf("newsletter=%q: a problem with %s", tc.value, p.Field)
			}
		}
	}
}

// TestSubscriberLanguage: the language asked for (or its base), else the
// first of the registration's languages an issue is written in (or its
// base), else English.
func TestSubscriberLanguage(t *testing.T) {
	langs := []string{"ar", "en", "es", "fr", "pt"}
	for _, tc := range []struct {
		asked  string
		speaks []string
		want   string
	}{
		{"", []string{"yo", "fr", "en"}, "fr"},
		{"", []string{"yo", "pt-br", "en"}, "pt"},
		{"", []string{"ar", "fr"}, "ar"},
		{"pt-BR", []string{"es"}, "pt"},
		{"en-gb", []string{"fr"}, "en"},
		{"", []string{"en-gb", "fr"}, "en"},
		{"es", []string{"fr"}, "es"},
		{"fr-ca", []string{"en"}, "fr"},
		{"de", []string{"yo", "es"}, "es"},
		{"", []string{"yo"}, "en"},
		{"en", []string{"fr"}, "en"},
	} {
		r := &program.Registration{NewsletterLanguage: tc.asked}
		for _, c := range tc.speaks {
			r.Languages = append(r.Languages, program.LanguageLevel{Code: c, Level: 3})
		}
		if got := SubscriberLanguage(r, langs); got != tc.want {
			t.Errorf("asked %q, speaks %v: %s, want %s", tc.asked, tc.speaks, got, tc.want)
		}
	}
}

// TestTargetListFormat: the subscriber list is a MassMessage wikitext
// list in MassMessage's own parser function, one {{#target:User talk:…}}
// a line, which needs no template on the wiki; it reads back as the same
// talk pages (names with spaces, apostrophes and non-Latin letters
// alike). ParseTargets also reads the older {{target|page=…}} lines, and
// no target of another wiki.
func TestTargetListFormat(t *testing.T) {
	users := []string{"Zoë", "Ada Lovelace", "O'Brien", "Хелена"}
	text := subscriberList(slices.Clone(users), "Let's Connect/Newsletter/2026-12")
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "{{") {
			lines = append(lines, l)
		}
	}
	if len(lines) != len(users) || lines[0] != "* {{#target:User talk:Ada Lovelace}}" {
		t.Errorf("target lines:\n%s", strings.Join(lines, "\n"))
	}
	for _, tpl := range wikitext.Templates(text) {
		if !strings.HasPrefix(tpl.Name, "#") {
			t.Errorf("the list calls the template %q: MassMessage reads no target from it on a wiki without it", tpl.Name)
		}
	}
	var got []string
	for _, p := range ParseTargets(text) {
		got = append(got, strings.TrimPrefix(p, "User talk:"))
	}
	want := slices.Clone(users)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("read back %v, want %v", got, want)
	}
	old := "{{target|page=User talk:Ada Lovelace}}\n{{Target | page = User talk:O'Brien }}\n" +
		"{{#TARGET: User talk:Zoë }}\n{{#target:User talk:Elsewhere|en.wikipedia.org}}\n{{target|page=User talk:Far|site=fr.wikipedia.org}}\n"
	if got := ParseTargets(old); !slices.Equal(got, []string{"User talk:Ada Lovelace", "User talk:O'Brien", "User talk:Zoë"}) {
		t.Errorf("the older lines read as %v", got)
	}
}

// TestNewsletterIssueDay: an issue is due from the configured day of its
// month, and reports since the previous issue's day.
func TestNewsletterIssueDay(t *testing.T) {
	c := Config{NewsletterDay: 5}
	month, _, due := c.NewsletterIssue(time.Date(2026, 12, 4, 23, 0, 0, 0, time.UTC))
	var since time.Time
	if month != "2026-12" || due {
		t.Errorf("the 4th: %s due %v", month, due)
	}
	month, since, due = c.NewsletterIssue(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	if month != "2026-12" || !due || !since.Equal(time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the 5th: %s due %v since %s", month, due, since)
	}
	if _, since, _ = c.NewsletterIssue(time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)); !since.Equal(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("January: since %s", since)
	}
}

// TestNewsletterIssueSections: the issue reports what happened since the
// previous issue's day and nothing before it (resources by date,
// connections by their met date, sharers by their registration's
// creation), the figures' change since the last snapshot by then, and it
// is planned once its day has come, in every language, create-only.
func TestNewsletterIssueSections(t *testing.T) {
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	c := settings{Config: Config{NewsletterPrefix: "LC/Newsletter/", NewsletterDay: 5, SubscribersPage: "LC/Newsletter/Subscribers"},
		CalendarPage: "LC/Calendar", ResourcesPage: "LC/Resources", DirectoryPage: "LC/Directory"}
	st := &program.State{Now: now, Taxonomy: programtest.ParseTaxonomy(t, programtest.SmallTaxonomy)}
	reg := func(u string, created time.Time, learn, share string) {
		r := &program.Registration{Username: u, Page: "P/" + u, Active: true, Created: created, Updated: created,
			Languages: []program.LanguageLevel{{Code: "en", Level: 3}}}
		if learn != "" {
			r.Learn = []program.SkillLevel{{ID: learn}}
		}
		if share != "" {
			r.Share = []program.SkillLevel{{ID: share, Level: 3}}
		}
		st.Registrations = append(st.Registrations, r)
	}
	reg("Newcomer", time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), "", "org-proposal")
	reg("Veteran", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "", "org-proposal")
	reg("Learner", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "org-proposal", "")
	st.Resources = []program.Resource{
		{Title: "Fresh slides", Type: "slides", Link: "https://example.org/fresh", Date: "2026-11-06"},
		{Title: "Old notes", Type: "notes", Link: "https://example.org/old", Date: "2026-11-04"},
	}
	st.Ledger = []*program.Connection{
		{ID: "C-1", Status: program.StatusMet, Sharer: "Veteran", Learners: []string{"Learner"}, Skill: "org-proposal", Dates: map[program.Status]string{program.StatusMet: "2026-12-01"}},
		{ID: "C-2", Status: program.StatusMet, Sharer: "Newcomer", Learners: []string{"Learner"}, Skill: "org-proposal", Dates: map[program.Status]string{program.StatusMet: "2026-10-01"}},
	}
	report.SetHistory(st, []report.Snapshot{{Date: "2026-10-01", Registered: 1}, {Date: "2026-11-04", Registered: 2}, {Date: "2026-11-20", Registered: 9}})
	changes, err := c.planNewsletter(st)
	if err != nil {
		t.Fatal(err)
	}
	issues := map[string]string{}
	for _, ch := range changes {
		if ch.CreateOnly {
			issues[ch.Title] = ch.Text
		}
	}
	en := issues["LC/Newsletter/2026-12"]
	for _, lang := range []string{"/fr", "/es", "/pt", "/ar"} {
		if issues["LC/Newsletter/2026-12"+lang] == "" {
			t.Fatalf("issues planned: %v; none in %s", slices.Collect(maps.Keys(issues)), lang)
		}
	}
	for _, want := range []string{"Fresh slides", "[[User:Newcomer|Newcomer]]", "One connection met", "[[User:Veteran|Veteran]] with [[User:Learner|Learner]]",
		"| Registered || 3 || +1", "Change since 2026-11-05"} {
		if !strings.Contains(en, want) {
			t.Errorf("the issue lacks %q:\n%s", want, en)
		}
	}
	for _, not := range []string{"Old notes", "[[User:Newcomer|Newcomer]] with"} {
		if strings.Contains(en, not) {
			t.Errorf("the issue has %q, from before the last issue:\n%s", not, en)
		}
	}
	// Before the day: the lists only.
	st.Now = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	changes, _ = c.planNewsletter(st)
	for _, ch := range changes {
		if ch.CreateOnly {
			t.Errorf("before its day, the issue %s is planned", ch.Title)
		}
	}
}
