package bot_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// The tests in this file are written from docs/formats.md and
// docs/report.md: registrations as the docs tell people to write them,
// figures as the docs define them.

// linkTargetRE and externalLinkRE find the links of a generated page.
var (
	linkTargetRE   = regexp.MustCompile(`\[\[([^\]|]*)(?:\|[^\]]*)?\]\]`)
	externalLinkRE = regexp.MustCompile(`\[(https?://[^ \]]*)[ \]]`)
)

// CheckLinks fails unless every link of a generated page is one MediaWiki
// reads as a link: a valid title (after the character references the bot
// writes are decoded, as MediaWiki decodes them) or an http(s) URL.
func CheckLinks(t *testing.T, name, text string) {
	t.Helper()
	for _, m := range linkTargetRE.FindAllStringSubmatch(text, -1) {
		target := html.UnescapeString(m[1])
		if _, err := wikitext.CheckTitle(target, true); err != nil {
			t.Errorf("%s links %q, which MediaWiki shows as text: %v", name, m[0], err)
		}
	}
	for _, m := range externalLinkRE.FindAllStringSubmatch(text, -1) {
		if _, err := url.Parse(m[1]); err != nil || strings.Contains(m[1], "~~~") {
			t.Errorf("%s links %q", name, m[1])
		}
	}
	if strings.Contains(text, "~~~") {
		t.Errorf("%s holds a signature (~~~), which MediaWiki expands when it saves the page", name)
	}
}

// TestLinksThatAreNeitherURLNorTitle: every field the bot turns into a
// link (a resource's link and event, an event's registration, sharers and
// attendees, a request's sharer) is checked; a value that is neither a
// URL nor a title (nor a user name) is on the problems page and never
// reaches a generated page as broken link markup.
func TestLinksThatAreNeitherURLNorTitle(t *testing.T) {
	w, e := bottest.CalendarFixture(t)
	e.Config.Report.ReportPage = "Let's Connect/Report"
	start := w.Now().AddDate(0, 0, 5).Format("2006-01-02") + " 10:00"
	past := w.Now().AddDate(0, 0, -5).Format("2006-01-02") + " 10:00"
	w.Put(bottest.EventsPrefix+"Bad links", bottest.Coordinator, bottest.EventText(map[string]string{
		"type": "clinic", "title": "Signature link", "start": start, "skills": "Bots",
		"registration": "&#126;&#126;&#126;&#126;", "sharers": "Bob, &#126;&#126;&#126;&#126;, Jo/notes",
	})+bottest.EventText(map[string]string{
		"type": "group", "title": "Past group", "start": past, "status": "done", "skills": "Bots",
		"sharers": "Alice", "attendees": "Bob, User:Someone, Chidi",
	}))
	w.Put(bottest.Submissions, "Chidi", bottest.ResourceText(map[string]string{"title": "My notes", "type": "notes", "link": "https://example.org/notes"})+
		bottest.ResourceText(map[string]string{"title": "Tilde link", "type": "notes", "link": "&#126;&#126;&#126;&#126;", "skills": "Bots"})+
		bottest.ResourceText(map[string]string{"title": "Namespace link", "type": "notes", "link": "Talk:", "skills": "Bots"})+
		bottest.ResourceText(map[string]string{"title": "Encoded link", "type": "notes", "link": "Slides%20of%20the%20clinic", "skills": "Bots"})+
		bottest.ResourceText(map[string]string{"title": "Relative link", "type": "notes", "link": "../Secret", "skills": "Bots"})+
		bottest.ResourceText(map[string]string{"title": "Good link, bad event", "type": "notes", "link": "File:Good.pdf", "event": "&#126;&#126;&#126;&#126;", "skills": "Bots"}))
	w.Put(bottest.Prefix+"Bob", "Bob", bottest.Registration(map[string]string{
		"region": "LATAM", "country": "Peru", "languages": "es-N, en-2", "timezone": "America/Lima",
		"learn": "grants", "share": "Bots (advanced)",
	})+"{{Let's Connect request|sharer=&#126;&#126;&#126;&#126;|skill=grants}}\n")
	bottest.Run(t, e)

	probs := html.UnescapeString(w.Text(bottest.ProblemsPage)) // as readers see it
	for _, want := range []string{
		`registration link "~~~~"`, `"~~~~" is not a user name`, `"Jo/notes" is not a user name`,
		`"User:Someone" is not a user name`,
		`the link "~~~~" is neither`, `the link "Talk:" is neither`, `the link "Slides%20of%20the%20clinic" is neither`,
		`the link "../Secret" is neither`, `the event "~~~~" is not a page title`,
		`the sharer "~~~~" of a request is not a user name`,
	} {
		if !strings.Contains(probs, want) {
			t.Errorf("the problems page does not say %q", want)
		}
	}
	for _, page := range []string{bottest.CalendarPage, bottest.ResourcesPage, bottest.DirectoryPage, e.Config.Report.ReportPage, bottest.ProposalsPage} {
		CheckLinks(t, page, w.Text(page))
	}
	res := w.Text(bottest.ResourcesPage)
	for _, gone := range []string{"Tilde link", "Namespace link", "Encoded link", "Relative link"} {
		if strings.Contains(res, gone) {
			t.Errorf("the resources page lists %q, whose link is broken", gone)
		}
	}
	if !strings.Contains(res, "[[:File&#58;Good.pdf|Good link, bad event]]") {
		t.Errorf("the resource with a good link and a bad event is not listed without its event:\n%s", res)
	}
	cal := w.Text(bottest.CalendarPage)
	if !strings.Contains(cal, "Signature link") || !strings.Contains(cal, "[[User:Bob|Bob]]") {
		t.Errorf("the event with a bad registration link and a bad sharer is not shown with what is good:\n%s", cal)
	}
}

// TestFreeTextLimitOnEveryPage: a 70,000-character value in any free-text
// field is shown cut to MaxTextRunes characters on every generated page,
// and its page is reported.
func TestFreeTextLimitOnEveryPage(t *testing.T) {
	w, e := bottest.CalendarFixture(t)
	e.Config.Report.ReportPage = "Let's Connect/Report"
	long := "Q" + strings.Repeat("q", 70_000)
	cut := "Q" + strings.Repeat("q", program.MaxTextRunes-2) + "…"
	w.Put(bottest.TaxonomyPage, bottest.Coordinator, bottest.TaxonomyText+
		"{{Let's Connect skill|id=tech-long|category=tech|name=Long "+long+"|description="+long+"}}\n")
	for _, name := range []string{"P1", "P2", "P3", "P4", "P5"} {
		w.Put(bottest.Prefix+name, name, bottest.Registration(map[string]string{
			"region": "MEA", "country": long, "languages": "en-3", "timezone": "UTC",
			"learn": "Bots", "share": "Lua modules", "affiliation": long, "interests": long + ", education", "support": long,
		}))
	}
	start := w.Now().AddDate(0, 0, 5).Format("2006-01-02") + " 10:00"
	past := w.Now().AddDate(0, 0, -5).Format("2006-01-02") + " 10:00"
	w.Put(bottest.EventsPrefix+"Long", bottest.Coordinator, bottest.EventText(map[string]string{
		"type": "clinic", "title": long, "start": start, "skills": "Bots", "audience": long, "purpose": long,
	})+bottest.EventText(map[string]string{"type": "clinic", "title": long, "start": past, "status": "done", "skills": "Bots"})+
		bottest.ResourceText(map[string]string{"title": long, "type": "notes", "link": "https://example.org/long", "skills": "Bots"}))
	bottest.Run(t, e)

	generated := []string{bottest.DirectoryPage, bottest.ProblemsPage, bottest.ProposalsPage, bottest.CalendarPage, bottest.ResourcesPage, e.Config.Report.ReportPage}
	for _, page := range generated {
		text := w.Text(page)
		if strings.Contains(text, strings.Repeat("q", program.MaxTextRunes)) {
			t.Errorf("%s shows more than %d characters of a value", page, program.MaxTextRunes)
		}
		if len(text) > 60_000 {
			t.Errorf("%s is %d bytes", page, len(text))
		}
	}
	// Shown, cut, where each page shows that kind of value.
	for page, what := range map[string]string{
		e.Config.Report.ReportPage: "the country of 5 people",
		bottest.CalendarPage:       "the events' titles, audience and purpose",
		bottest.ResourcesPage:      "the resource's title",
		bottest.DirectoryPage:      "the skill's name and description",
	} {
		if !strings.Contains(w.Text(page), cut) {
			t.Errorf("%s does not show %s cut to %d characters", page, what, program.MaxTextRunes)
		}
	}
	// Reported, field by field.
	probs := w.Text(bottest.ProblemsPage)
	for _, page := range []string{bottest.Prefix + "P1", bottest.EventsPrefix + "Long", bottest.TaxonomyPage} {
		if !strings.Contains(probs, "== [["+page+"]] ==") {
			t.Errorf("%s is not on the problems page", page)
		}
	}
	for _, field := range []string{"country", "affiliation", "interests", "support", "title", "audience", "purpose", "name", "description"} {
		if !strings.Contains(probs, "<code>"+field+"</code>: a value of 70") {
			t.Errorf("the problems page does not report the long %s", field)
		}
	}
}
