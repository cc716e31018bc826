package sync

import (
	"html"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// The tests in this file are written from docs/formats.md and
// docs/report.md: registrations as the docs tell people to write them,
// figures as the docs define them.

// TestEventLanguagesByName: an event's language may be a name too.
func TestEventLanguagesByName(t *testing.T) {
	evs, _, problems := checkEvents(t, event(map[string]string{
		"type": "clinic", "title": "T", "start": "2026-12-03 14:00", "language": "Kiswahili", "interpreted": "français, en",
	}))
	if len(problems) > 0 || len(evs) != 1 || evs[0].Language != "sw" || !reflect.DeepEqual(evs[0].Interpreted, []string{"en", "fr"}) {
		t.Errorf("events %+v, problems %v", evs, problems)
	}
}

// linkTargetRE and externalLinkRE find the links of a generated page.
var (
	linkTargetRE   = regexp.MustCompile(`\[\[([^\]|]*)(?:\|[^\]]*)?\]\]`)
	externalLinkRE = regexp.MustCompile(`\[(https?://[^ \]]*)[ \]]`)
)

// checkLinks fails unless every link of a generated page is one MediaWiki
// reads as a link: a valid title (after the character references the bot
// writes are decoded, as MediaWiki decodes them) or an http(s) URL.
func checkLinks(t *testing.T, name, text string) {
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
	w, e := calendarFixture(t)
	e.Config.ReportPage = "Let's Connect/Report"
	start := w.Now().AddDate(0, 0, 5).Format("2006-01-02") + " 10:00"
	past := w.Now().AddDate(0, 0, -5).Format("2006-01-02") + " 10:00"
	w.Put(eventsPrefix+"Bad links", coordinator, event(map[string]string{
		"type": "clinic", "title": "Signature link", "start": start, "skills": "Bots",
		"registration": "&#126;&#126;&#126;&#126;", "sharers": "Bob, &#126;&#126;&#126;&#126;, Jo/notes",
	})+event(map[string]string{
		"type": "group", "title": "Past group", "start": past, "status": "done", "skills": "Bots",
		"sharers": "Alice", "attendees": "Bob, User:Someone, Chidi",
	}))
	w.Put(submissions, "Chidi", resource(map[string]string{"title": "My notes", "type": "notes", "link": "https://example.org/notes"})+
		resource(map[string]string{"title": "Tilde link", "type": "notes", "link": "&#126;&#126;&#126;&#126;", "skills": "Bots"})+
		resource(map[string]string{"title": "Namespace link", "type": "notes", "link": "Talk:", "skills": "Bots"})+
		resource(map[string]string{"title": "Encoded link", "type": "notes", "link": "Slides%20of%20the%20clinic", "skills": "Bots"})+
		resource(map[string]string{"title": "Relative link", "type": "notes", "link": "../Secret", "skills": "Bots"})+
		resource(map[string]string{"title": "Good link, bad event", "type": "notes", "link": "File:Good.pdf", "event": "&#126;&#126;&#126;&#126;", "skills": "Bots"}))
	w.Put(prefix+"Bob", "Bob", registration(map[string]string{
		"region": "LATAM", "country": "Peru", "languages": "es-N, en-2", "timezone": "America/Lima",
		"learn": "grants", "share": "Bots (advanced)",
	})+"{{Let's Connect request|sharer=&#126;&#126;&#126;&#126;|skill=grants}}\n")
	run(t, e)

	probs := html.UnescapeString(w.Text(problemsPage)) // as readers see it
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
	for _, page := range []string{calendarPage, resourcesPage, directoryPage, e.Config.ReportPage, proposalsPage} {
		checkLinks(t, page, w.Text(page))
	}
	res := w.Text(resourcesPage)
	for _, gone := range []string{"Tilde link", "Namespace link", "Encoded link", "Relative link"} {
		if strings.Contains(res, gone) {
			t.Errorf("the resources page lists %q, whose link is broken", gone)
		}
	}
	if !strings.Contains(res, "[[:File&#58;Good.pdf|Good link, bad event]]") {
		t.Errorf("the resource with a good link and a bad event is not listed without its event:\n%s", res)
	}
	cal := w.Text(calendarPage)
	if !strings.Contains(cal, "Signature link") || !strings.Contains(cal, "[[User:Bob|Bob]]") {
		t.Errorf("the event with a bad registration link and a bad sharer is not shown with what is good:\n%s", cal)
	}
}

// TestFreeTextLimitOnEveryPage: a 70,000-character value in any free-text
// field is shown cut to MaxTextRunes characters on every generated page,
// and its page is reported.
func TestFreeTextLimitOnEveryPage(t *testing.T) {
	w, e := calendarFixture(t)
	e.Config.ReportPage = "Let's Connect/Report"
	long := "Q" + strings.Repeat("q", 70_000)
	cut := "Q" + strings.Repeat("q", domain.MaxTextRunes-2) + "…"
	w.Put(taxonomyPage, coordinator, taxonomyText+
		"{{Let's Connect skill|id=tech-long|category=tech|name=Long "+long+"|description="+long+"}}\n")
	for _, name := range []string{"P1", "P2", "P3", "P4", "P5"} {
		w.Put(prefix+name, name, registration(map[string]string{
			"region": "MEA", "country": long, "languages": "en-3", "timezone": "UTC",
			"learn": "Bots", "share": "Lua modules", "affiliation": long, "interests": long + ", education", "support": long,
		}))
	}
	start := w.Now().AddDate(0, 0, 5).Format("2006-01-02") + " 10:00"
	past := w.Now().AddDate(0, 0, -5).Format("2006-01-02") + " 10:00"
	w.Put(eventsPrefix+"Long", coordinator, event(map[string]string{
		"type": "clinic", "title": long, "start": start, "skills": "Bots", "audience": long, "purpose": long,
	})+event(map[string]string{"type": "clinic", "title": long, "start": past, "status": "done", "skills": "Bots"})+
		resource(map[string]string{"title": long, "type": "notes", "link": "https://example.org/long", "skills": "Bots"}))
	run(t, e)

	generated := []string{directoryPage, problemsPage, proposalsPage, calendarPage, resourcesPage, e.Config.ReportPage}
	for _, page := range generated {
		text := w.Text(page)
		if strings.Contains(text, strings.Repeat("q", domain.MaxTextRunes)) {
			t.Errorf("%s shows more than %d characters of a value", page, domain.MaxTextRunes)
		}
		if len(text) > 60_000 {
			t.Errorf("%s is %d bytes", page, len(text))
		}
	}
	// Shown, cut, where each page shows that kind of value.
	for page, what := range map[string]string{
		e.Config.ReportPage: "the country of 5 people",
		calendarPage:        "the events' titles, audience and purpose",
		resourcesPage:       "the resource's title",
		directoryPage:       "the skill's name and description",
	} {
		if !strings.Contains(w.Text(page), cut) {
			t.Errorf("%s does not show %s cut to %d characters", page, what, domain.MaxTextRunes)
		}
	}
	// Reported, field by field.
	probs := w.Text(problemsPage)
	for _, page := range []string{prefix + "P1", eventsPrefix + "Long", taxonomyPage} {
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
