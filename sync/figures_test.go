package sync

import (
	"html"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// The tests in this file are written from docs/formats.md and
// docs/report.md: registrations as the docs tell people to write them,
// figures as the docs define them.

// TestListItemsCountOncePerPerson: an interest, a support need or a
// project listed twice (case and spacing aside) is reported and counts
// once, in the registration and in the report.
func TestListItemsCountOncePerPerson(t *testing.T) {
	ck := testChecker(t)
	reg, problems := ck.Check(adaRegistration(registrationText(
		"interests=education, Education, education",
		"support=financial, financial;  Financial ",
		"projects=yo.wikipedia, Yo.Wikipedia, en.wikipedia",
	)))
	checkProblems(t, adaPage, problems, []wantProblem{
		{"interests", []string{`"Education" is listed twice`}},
		{"interests", []string{`"education" is listed twice`}},
		{"support", []string{`"financial" is listed twice`}},
		{"support", []string{`"Financial" is listed twice`}},
		{"projects", []string{`"Yo.Wikipedia" is listed twice`}},
	})
	if reg == nil {
		t.Fatal("the registration is left out")
	}
	if !reflect.DeepEqual(reg.Interests, []string{"education"}) || !reflect.DeepEqual(reg.Support, []string{"financial"}) ||
		!reflect.DeepEqual(reg.Projects, []string{"yo.wikipedia", "en.wikipedia"}) {
		t.Errorf("interests %q, support %q, projects %q", reg.Interests, reg.Support, reg.Projects)
	}

	// Five people (the report's smallest group), each writing education
	// three ways and GLAM twice; support as in the issue.
	st := &State{Now: testNow, Taxonomy: ck.Taxonomy}
	for i, interests := range []string{
		"education, Education, education",
		"Education, GLAM, glam",
		"  education  , GLAM",
		"EDUCATION; glam; Glam",
		"education\nGLAM",
	} {
		page := adaRegistration(registrationText("interests="+interests, "support=financial, financial"))
		page.Title = testPrefix + "Person " + string(rune('A'+i))
		page.Contributors = []string{"Person " + string(rune('A'+i))}
		r, _ := ck.Check(page)
		if r == nil {
			t.Fatalf("person %d is left out", i)
		}
		st.Registrations = append(st.Registrations, r)
	}
	rep := BuildReport(st)
	byKey := func(cs []Count) map[string]int {
		out := map[string]int{}
		for _, c := range cs {
			out[textKey(c.Name)] = c.N
		}
		return out
	}
	// Education: 5 people, 100%; GLAM: 4 people, a group too small to
	// show (counted per mention, it was 6).
	if len(rep.Interests) != 1 || rep.Interests[0].N != 5 || rep.Interests[0].Share != 100 {
		t.Errorf("interests %+v: want only education, 5 people, 100%%", rep.Interests)
	}
	if got := byKey(rep.Support); got["financial"] != 5 || rep.Support[0].Share != 100 {
		t.Errorf("support %+v: want financial, 5 people, 100%%", rep.Support)
	}
	// Shown as most people spell it.
	if rep.Interests[0].Name != "education" {
		t.Errorf("education is shown as %q", rep.Interests[0].Name)
	}
}

// TestCountriesCountOncePerSpelling: "Nigeria", "nigeria" and " Nigeria "
// are one country.
func TestCountriesCountOncePerSpelling(t *testing.T) {
	ck := testChecker(t)
	st := &State{Now: testNow, Taxonomy: ck.Taxonomy}
	for i, country := range []string{"Nigeria", "nigeria", " Nigeria ", "NIGERIA", "Nigeria", "Ghana"} {
		page := adaRegistration(registrationText("country=" + country))
		page.Title = testPrefix + "Person " + string(rune('A'+i))
		page.Contributors = []string{"Person " + string(rune('A'+i))}
		r, _ := ck.Check(page)
		st.Registrations = append(st.Registrations, r)
	}
	rep := BuildReport(st)
	if rep.Countries != 2 || len(rep.TopCountries) != 1 || rep.TopCountries[0] != (Count{"Nigeria", 5, 83.3}) {
		t.Errorf("%d countries, top %+v; want 2, Nigeria with 5 people (83.3%%)", rep.Countries, rep.TopCountries)
	}
}

// TestLanguageNamesWithEverySeparator: a language's name as the wiki knows
// it works with each separator docs/formats.md allows, whatever it holds
// (spaces, apostrophes, hyphens, brackets, non-Latin punctuation).
func TestLanguageNamesWithEverySeparator(t *testing.T) {
	ck := testChecker(t)
	ck.Languages = map[string]string{
		"en": "English", "es": "español", "bn": "বাংলা", "ht": "Kreyòl ayisyen", "gn": "Avañe'ẽ", "dz": "ཇོང་ཁ",
		"sr-el": "srpski (latinica)", "to": "lea faka-Tonga", "krj": "Kinaray-a", "hak": "客家語/Hak-kâ-ngî",
		"nan": "Bân-lâm-gú", "zh-min-nan": "Bân-lâm-gú", "ga": "Gaeilge", "gaa": "Ga",
	}
	for _, c := range []struct {
		written string
		want    LanguageLevel
	}{
		{"Kreyòl ayisyen-N", LanguageLevel{"ht", LanguageNative}},
		{"Kreyòl ayisyen", LanguageLevel{"ht", 3}},
		{"kreyòl  AYISYEN:2", LanguageLevel{"ht", 2}},
		{"Kreyòl ayisyen (4)", LanguageLevel{"ht", 4}},
		{"Kreyòl ayisyen 1", LanguageLevel{"ht", 1}},
		{"Kreyòl ayisyen native", LanguageLevel{"ht", LanguageNative}},
		{"Avañe'ẽ-N", LanguageLevel{"gn", LanguageNative}},
		{"Avañe’ẽ-N", LanguageLevel{"gn", LanguageNative}}, // a typographic apostrophe
		{"ཇོང་ཁ:N", LanguageLevel{"dz", LanguageNative}},
		{"ཇོང་ཁ-0", LanguageLevel{"dz", 0}},
		{"español-5", LanguageLevel{"es", 5}},
		{"বাংলা (2)", LanguageLevel{"bn", 2}},
		{"srpski (latinica)", LanguageLevel{"sr-el", 3}},
		{"srpski (latinica) (4)", LanguageLevel{"sr-el", 4}},
		{"srpski (latinica)-4", LanguageLevel{"sr-el", 4}},
		{"lea faka-Tonga-N", LanguageLevel{"to", LanguageNative}},
		{"Kinaray-a", LanguageLevel{"krj", 3}},
		{"Kinaray-a:1", LanguageLevel{"krj", 1}},
		{"客家語/Hak-kâ-ngî-3", LanguageLevel{"hak", 3}},
		// A name two codes share: the shorter code.
		{"Bân-lâm-gú-2", LanguageLevel{"nan", 2}},
		// A name that is another language's code: the code wins.
		{"Ga-3", LanguageLevel{"ga", 3}},
		{"gaa-3", LanguageLevel{"gaa", 3}},
		{"EN-2", LanguageLevel{"en", 2}},
	} {
		reg, problems := ck.Check(adaRegistration(registrationText("languages=" + c.written)))
		if len(problems) > 0 || reg == nil {
			t.Errorf("%q: %v", c.written, problems)
			continue
		}
		if !reflect.DeepEqual(reg.Languages, []LanguageLevel{c.want}) {
			t.Errorf("%q read as %v, want %v", c.written, reg.Languages, c.want)
		}
	}
	// Still refused: a name the wiki does not know, a level it has not.
	for written, want := range map[string]string{
		"Kreyol ayisyen-N": "is not a language the wiki knows",
		"Kreyòl ayisyen-7": `the level "7" is not one of 0 to 5 or N`,
		"Avañe'ẽ (x)":      `the level "x"`,
	} {
		_, problems := ck.Check(adaRegistration(registrationText("languages=en-3, " + written)))
		checkProblems(t, adaPage, problems, []wantProblem{{"languages", []string{want}}})
	}
}

// TestEventLanguagesByName: an event's language may be a name too.
func TestEventLanguagesByName(t *testing.T) {
	evs, _, problems := checkEvents(t, event(map[string]string{
		"type": "clinic", "title": "T", "start": "2026-12-03 14:00", "language": "Kiswahili", "interpreted": "français, en",
	}))
	if len(problems) > 0 || len(evs) != 1 || evs[0].Language != "sw" || !reflect.DeepEqual(evs[0].Interpreted, []string{"fr", "en"}) {
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
	cut := "Q" + strings.Repeat("q", MaxTextRunes-2) + "…"
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
		if strings.Contains(text, strings.Repeat("q", MaxTextRunes)) {
			t.Errorf("%s shows more than %d characters of a value", page, MaxTextRunes)
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
			t.Errorf("%s does not show %s cut to %d characters", page, what, MaxTextRunes)
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

// TestSkillIDsAreAnchors: a skill's or category's id is the anchor the
// directory links to, so it is letters, digits, "-", "_" and ".".
func TestSkillIDsAreAnchors(t *testing.T) {
	tx, problems := ParseTaxonomy(taxonomyPage, `{{Let's Connect skill category|id=org|name=Org}}
{{Let's Connect skill category|id=bad cat|name=Bad}}
{{Let's Connect skill|id=org-grants.2|category=org|name=Grants}}
{{Let's Connect skill|id=org]]|category=org|name=Broken}}
{{Let's Connect skill|id=org x|category=org|name=Spaced}}
{{Let's Connect skill|id=-org|category=org|name=Dash}}
{{Let's Connect skill|id=संगठन|category=org|name=Devanagari}}`)
	var ids []string
	for _, s := range tx.Skills {
		ids = append(ids, s.ID)
	}
	if !reflect.DeepEqual(ids, []string{"org-grants.2", "संगठन"}) || len(tx.Categories) != 1 {
		t.Errorf("skills %v, categories %v", ids, tx.Categories)
	}
	checkProblems(t, taxonomyPage, problems, []wantProblem{
		{"id", []string{`"bad cat"`, "letters, digits"}},
		{"id", []string{`"org]]"`, "letters, digits"}},
		{"id", []string{`"org x"`, "letters, digits"}},
		{"id", []string{`"-org"`, "letters, digits"}},
	})
}
