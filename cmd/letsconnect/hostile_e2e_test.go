package main

import (
	"fmt"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// The hostile corpus. Participants type these into their registration and
// event pages; none of it may do anything on a page the bot generates.
const (
	// hostileCountry is the country of every hostile registration, so
	// that the report breaks it down (groups of 5 or more). The nowiki
	// keeps the tildes and the subst literal through MediaWiki's
	// pre-save transform, as a participant can.
	hostileCountry = "Hackland {{Delete}} [[Category:Hacked]] <nowiki>~~~~ {{subst:CURRENTYEAR}}</nowiki>"
	// hostileInterest and hostileSupport: one list item each, shared by
	// every hostile registration (the report charts them as spelt).
	hostileInterest = "<script>alert(1)</script> __NOTOC__ [[User talk:Someone]] {{#invoke:x|y}}"
	hostileSupport  = "[https://evil.example x] \u202Eevil\u202C \u200Bzero\u200Dwidth\uFEFF [[User:WikiHuman]]"
	// hostileSkill is a misspelt skill: it lands quoted on the problems
	// page. (No ":": the bot reads "name: level".)
	hostileSkill = "Wiki\u202Edata\u200B {{Delete}} <nowiki>~~~~</nowiki> '''bold''' __NOTOC__ {{!}}\uFEFF"
	// hostileTable is table syntax a participant can only keep in a
	// template parameter inside nowiki (a bare "|" ends the parameter).
	hostileTable = "<nowiki>{| class=\"wikitable\"\n|-\n| a || b\n|}</nowiki>"
	// Sizes: the long value, the long list, and MediaWiki's page size
	// limit.
	longValue   = 2_000_000
	manyItems   = 20_000
	pageSizeCap = 2 * 1024 * 1024
	evilHost    = "evil.example"
)

// longChunk is repeated to make the 2 MB value: markup that escaping
// multiplies, no list separator, no "|", no "~~~".
const longChunk = "Overlong <&>'*#!~_ skill name "

// invisibleRunes are the corpus's bidirectional and zero-width
// characters: no generated page may render them.
var invisibleRunes = []rune{'\u202E', '\u202D', '\u202C', '\u200B', '\u200D', '\uFEFF'}

// TestHostileRegistrationsOnTheWiki: nothing a participant writes, on a
// registration or an event page, can make a generated page transclude a
// template, add a category, link (ping) an arbitrary user, run subst: or
// a signature, switch a behaviour, embed a script or break a table; a
// 2 MB value is shortened, not copied. Every generated page is rendered by
// the real wiki and checked as MediaWiki reads it.
func TestHostileRegistrationsOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC hostile %d", time.Now().UnixNano())
	prog := importDemo(t, root)
	reader := newReader(t, env)
	prefix := root + "/Participants/"

	// Seven active sharers of the demo turn hostile: their registrations
	// keep valid required fields (six stay usable; the seventh breaks its
	// time zone and region, so is left out), the rest is the corpus.
	var hostile []string
	for _, name := range prog.Participants {
		if text := readPage(t, reader, prefix+name).Content; sharesAndActive(text) {
			hostile = append(hostile, name)
		}
		if len(hostile) == 7 {
			break
		}
	}
	if len(hostile) < 7 {
		t.Fatalf("only %d active sharers in the demo", len(hostile))
	}
	tx, _ := program.ParseTaxonomy("", readPage(t, reader, root+"/Skills taxonomy").Content)
	validSkill := tx.Skills[0].Name
	original := func(name string) map[string]string {
		for _, tp := range wikitext.Templates(readPage(t, reader, prefix+name).Content) {
			if tp.Name == program.TemplateRegistration {
				return tp.Map()
			}
		}
		t.Fatalf("%s has no registration", name)
		return nil
	}
	long := strings.Repeat(longChunk, longValue/len(longChunk)+1)[:longValue]
	registration := func(name string, override map[string]string, extra ...string) string {
		m := original(name)
		m["country"], m["interests"], m["support"] = hostileCountry, hostileInterest, hostileSupport
		for k, v := range override {
			m[k] = v
		}
		var b strings.Builder
		b.WriteString("{{Let's Connect registration\n")
		for _, k := range program.RegistrationParams {
			if v, ok := m[k]; ok {
				fmt.Fprintf(&b, "| %s = %s\n", k, v)
			}
		}
		for _, e := range extra {
			b.WriteString(e + "\n")
		}
		b.WriteString("}}\n")
		return b.String()
	}
	pages := map[string]string{
		// The 2 MB value, as a skill to learn (after the valid ones).
		hostile[0]: registration(hostile[0], map[string]string{
			"learn": original(hostile[0])["learn"] + ", " + long,
		}),
		// Every free and checked field.
		hostile[1]: registration(hostile[1], map[string]string{
			"status":          "[[Category:Hacked]]",
			"languages":       original(hostile[1])["languages"] + ", {{Delete}}, \u202Een\u202C-3",
			"affiliation":     "{{Delete}} ~~~~ {{subst:CURRENTYEAR}}",
			"registering_for": hostileTable,
			"joined":          "<nowiki><!-- comment</nowiki>",
			"projects":        "[[Category:Hacked]], {{subst:CURRENTYEAR}}.wikipedia",
			"formats":         "1:1, <script>alert(1)</script>",
			"capacity":        "{{#invoke:x|y}}",
			"contact":         "<nowiki>~~~~ ~~~~~ {{subst:CURRENTYEAR}}</nowiki> [[User:WikiHuman]]",
			"ambassador":      "[https://evil.example x]",
		}),
		// A misspelt skill with bidirectional and zero-width characters.
		hostile[2]: registration(hostile[2], map[string]string{
			"share": original(hostile[2])["share"] + ", " + hostileSkill + " (expert)",
		}),
		// An unknown parameter, and requests naming someone else.
		hostile[3]: registration(hostile[3], map[string]string{"affiliation": "</nowiki> __NOTOC__ ~~~~~"},
			"| {{Delete}}[[Category:Hacked]] = [[User talk:Someone]]") +
			"{{Let's Connect request|sharer=[[User:WikiHuman]]|skill={{Delete}}}}\n" +
			"{{Let's Connect request|sharer=WikiHuman|skill=" + validSkill + "}}\n" +
			"<!-- comment",
		// Signatures and subst: as MediaWiki saves them (expanded).
		hostile[4]: registration(hostile[4], map[string]string{
			"affiliation": "~~~~ [[User talk:Someone]]",
			"joined":      "{{subst:CURRENTYEAR}} ~~~~",
			"ambassador":  "\u202Dyes\u202C",
			"projects":    "{{subst:CURRENTYEAR}}, [[Category:Hacked]]",
		}),
		// A long list: 20,000 formats that are not, about 540 kB.
		hostile[5]: registration(hostile[5], map[string]string{
			"affiliation": "\u202D__NOTOC__\u202C",
			"formats":     strings.Repeat("<script>alert(1)</script>, ", manyItems),
		}),
		// Left out: a time zone and a region that are not.
		hostile[6]: registration(hostile[6], map[string]string{
			"timezone": "\u202EUTC+3\u202C {{Delete}}",
			"region":   "[[Category:Hacked]] <script>alert(1)</script>",
		}),
	}
	for _, name := range hostile {
		devwiki.EditAs(t, name, prefix+name, pages[name])
	}
	if got := len(readPage(t, reader, prefix+hostile[0]).Content); got < longValue {
		t.Fatalf("the 2 MB registration was saved with %d bytes", got)
	}

	// An event page a sharer writes: an upcoming event and a past one,
	// and two resources. Entities are how text survives the pre-save
	// transform: "&#126;" is "~" to the bot.
	eventPage := root + "/Events/Hostile clinic"
	title := "Clinic &#126;&#126;&#126;&#126; {{Delete}} [[Category:Hacked]] [[User:WikiHuman]] &#95;&#95;NOTOC&#95;&#95; <script>alert(1)</script> \u202Eevil\u202C"
	wantTitle := "Clinic ~~~~ {{Delete}} [[Category:Hacked]] [[User:WikiHuman]] __NOTOC__ <script>alert(1)</script> evil"
	audience := "[[User talk:Someone]] &#123;&#123;subst:CURRENTYEAR&#125;&#125; &#126;&#126;&#126;&#126;&#126; \u200Bhidden"
	purpose := "<nowiki>{| |} || |-</nowiki> [https://evil.example x] {{#invoke:x|y}} </nowiki>"
	resourceTitle := "Slides {{Delete}} [[Category:Hacked]] <script>alert(1)</script> &#126;&#126;&#126; [https://evil.example x]"
	wantResourceTitle := "Slides {{Delete}} [[Category:Hacked]] <script>alert(1)</script> ~~~ [https://evil.example x]"
	resourceLink := "https://example.org/slides&#126;&#126;&#126;&#126;/&#95;&#95;NOTOC&#95;&#95;&#126;&#126;&#126;&#126;&#126;.pdf"
	wantResourceLink := "https://example.org/slides~~~~/__NOTOC__~~~~~.pdf"
	registerLink := "https://example.org/register&#126;&#126;&#126;&#126;?x=&#95;&#95;NOTOC&#95;&#95;"
	wantRegisterLink := "https://example.org/register~~~~?x=__NOTOC__"
	upcoming := time.Now().UTC().AddDate(0, 0, 10).Format("2006-01-02") + " 14:00"
	past := time.Now().UTC().AddDate(0, 0, -10).Format("2006-01-02") + " 14:00"
	eventText := fmt.Sprintf(`{{Let's Connect event
|type = learning clinic
|title = %[1]s
|start = %[2]s
|language = en
|skills = %[3]s, {{Delete}}
|sharers = %[4]s, [[User:WikiHuman]]
|audience = %[5]s
|purpose = %[6]s
|registration = %[7]s
}}
{{Let's Connect event
|type = learning clinic
|title = Past %[1]s
|start = %[8]s
|language = en
|skills = %[3]s
|sharers = %[4]s
|status = done
|attendees = %[9]s
}}
{{Let's Connect resource|title=%[10]s|type=slides|skills=%[3]s|language=en|link=%[11]s|date=%[12]s}}
{{Let's Connect resource|title=Evil link|type=slides|skills=%[3]s|link=[https://evil.example x]}}
`, title, upcoming, validSkill, hostile[1], audience, purpose, registerLink, past, hostile[2],
		resourceTitle, resourceLink, past[:10])
	devwiki.EditAs(t, hostile[1], eventPage, eventText)

	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(prog.WorkingGroup, ","),
		"LC_EDIT_INTERVAL": "0s", "LC_MAX_EDITS": "0",
	}
	start := time.Now()
	_, sum := runCommand(t, environ, 0, "sync", "--write")
	t.Logf("sync --write: %+v in %v", sum, time.Since(start).Round(time.Millisecond))
	if sum.Failed != 0 || sum.Skipped != 0 || sum.Edits != generatedPages {
		t.Errorf("sync --write: %+v, want %d edits (generatedPages), none failed", sum, generatedPages)
	}

	// Who the bot may link: the demo's accounts, never the corpus's.
	accounts := map[string]bool{}
	for _, a := range prog.Accounts {
		accounts["User:"+a] = true
	}
	generated := []string{"Skills directory", "Registration problems", "Proposed connections", "Calendar", "Resources", "Report"}
	rendered := map[string]*renderedPage{}
	for _, name := range generated {
		title := root + "/" + name
		text := readPage(t, reader, title).Content
		if len(text) >= pageSizeCap {
			t.Errorf("%s is %d bytes, over MediaWiki's limit", name, len(text))
		}
		if len(text) > longValue/4 {
			t.Errorf("%s is %d bytes: the long value was copied, not shortened", name, len(text))
		}
		p := renderPage(t, env, title)
		p.wikitext = text
		rendered[name] = p
		allowed := []string{}
		if name == "Proposed connections" {
			allowed = []string{"Template:" + proposals.TemplateProposal}
		}
		for _, tp := range p.templates {
			if !slices.Contains(allowed, tp) {
				t.Errorf("%s transcludes %s", name, tp)
			}
		}
		if len(p.categories) > 0 {
			t.Errorf("%s is in the categories %v", name, p.categories)
		}
		for _, l := range p.links {
			switch {
			case strings.HasPrefix(l, "User talk:"):
				t.Errorf("%s links the talk page %s (a ping)", name, l)
			case strings.HasPrefix(l, "User:") && !accounts[l]:
				t.Errorf("%s links %s, who is nobody the bot shows", name, l)
			case strings.HasPrefix(l, "Category:") || strings.HasPrefix(l, "Template:") || strings.HasPrefix(l, "Module:"):
				t.Errorf("%s links %s", name, l)
			}
		}
		for _, u := range p.external {
			if strings.Contains(u, evilHost) {
				t.Errorf("%s links %s", name, u)
			}
			if strings.Contains(u, "(UTC)") {
				t.Errorf("%s has an external link with a signature in it: %s", name, u)
			}
		}
		p.doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			t.Errorf("%s has a <script> element: %s", name, s.Text())
		})
		p.doc.Find("*").Each(func(_ int, s *goquery.Selection) {
			for _, a := range s.Nodes[0].Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s %s=%q>", name, goquery.NodeName(s), a.Key, a.Val)
				}
				if (a.Key == "href" || a.Key == "src") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					t.Errorf("%s: <%s %s=%q>", name, goquery.NodeName(s), a.Key, a.Val)
				}
			}
		})
		shown := p.doc.Text()
		for _, r := range invisibleRunes {
			if strings.ContainsRune(shown, r) {
				t.Errorf("%s shows the invisible character %U", name, r)
			}
		}
		// A page with four headings or more has a table of contents
		// unless a __NOTOC__ got through.
		if headings := p.doc.Find("h2, h3").Length(); headings >= 4 && p.doc.Find("#toc").Length() == 0 {
			t.Errorf("%s has %d headings and no table of contents: a __NOTOC__ got through", name, headings)
		}
		// Tables: every row of a table has as many cells as its first.
		p.doc.Find("table").Each(func(i int, table *goquery.Selection) {
			rows := tableRows(table)
			if rows.Length() == 0 {
				return
			}
			width := rows.First().ChildrenFiltered("th, td").Length()
			rows.Each(func(j int, row *goquery.Selection) {
				if n := row.ChildrenFiltered("th, td").Length(); n != width {
					t.Errorf("%s, table %d, row %d: %d cells, the table has %d: %.300s", name, i, j, n, width, strings.TrimSpace(row.Text()))
				}
			})
		})
	}

	// The directory: three cells a row, the hostile sharers still listed.
	dir := rendered["Skills directory"]
	checkWidths(t, "the directory", dir.doc.Find("table.wikitable"), 3)
	if n := dataRows(dir.doc.Find("table.wikitable")); n != len(tx.Skills) {
		t.Errorf("the directory has %d skill rows, the taxonomy %d skills", n, len(tx.Skills))
	}
	for _, name := range hostile[:6] {
		if !slices.Contains(dir.links, "User:"+name) {
			t.Errorf("the hostile but valid registration of %s is not in the directory", name)
		}
	}

	// The problems page: every hostile page has its section, and shows
	// what was written as text.
	prob := rendered["Registration problems"]
	for _, page := range append(hostilePages(prefix, hostile), eventPage) {
		// Every hostile page has a problem the bot reports.
		if sectionOf(prob.wikitext, "[["+page+"]]") == "" {
			t.Errorf("%s is not on the problems page", page)
		}
	}
	probText := prob.doc.Text()
	for _, want := range []string{
		"{{Delete}} <nowiki>~~~~</nowiki> '''bold''' __NOTOC__ {{!}}", // the misspelt skill
		`"[[category:hacked]]" is not a status`,
		`"{{Delete}}"`, // a language
		`"{{#invoke:x|y}}" is not a number`,
		`"<nowiki><!-- comment</nowiki>" is not a year`,
		`"<script>alert(1)</script>" is not a format`,
		`"<nowiki>~~~~ ~~~~~ {{subst:currentyear}}</nowiki> [[user:wikihuman]]": write talk page or email`,
		`"[https://evil.example x]": write yes or no`,
		`"{{Delete}}[[Category:Hacked]]"`,                                 // the unknown parameter
		`the sharer "[[User:WikiHuman]]" of a request is not a user name`, // a request
		"WikiHuman, named in a request, has no usable registration",
		`"{{Delete}}" is not a skill of the taxonomy`, // the event's skill
		"[[User talk:" + hostile[4] + "|talk]]",       // a signature, as text
		`"\u202dyes\u202c": write yes or no`,
		strconv.Quote(strings.ToLower(hostileTable)) + ": write individual or group",
		`the link "[https://evil.example x]" is neither`,
	} {
		if !strings.Contains(probText, want) {
			t.Errorf("the problems page does not show %q", want)
		}
	}
	if !strings.Contains(probText, strconv.Quote(hostileSkill)) && !strings.Contains(probText, `"`+cleaned(hostileSkill)+`"`) {
		t.Errorf("the problems page does not show the misspelt skill %q, its invisible characters removed or made visible", hostileSkill)
	}
	// The long value: named, shortened.
	section := sectionOf(prob.wikitext, "[["+prefix+hostile[0]+"]]")
	if !strings.Contains(section, "<code>learn</code>") || !strings.Contains(section, wikitext.Escape("Overlong <&>'*#!~_ skill name")) {
		t.Errorf("the long skill is not reported:\n%.1000s", section)
	}
	if len(section) > 10_000 {
		t.Errorf("the long skill's section is %d bytes: the 2 MB value is copied", len(section))
	}
	// The long list: the first problems, and how many more.
	section = sectionOf(prob.wikitext, "[["+prefix+hostile[5]+"]]")
	if n := strings.Count(section, "is not a format"); n == 0 || n > 100 {
		t.Errorf("the long list's %d problems are listed %d times", manyItems, n)
	}
	if !strings.Contains(section, "more problems on this page are not listed") {
		t.Errorf("the long list's problems are not summarised:\n%.2000s", section)
	}

	// The proposals page: ten cells a row.
	checkWidths(t, "the proposals page", rendered["Proposed connections"].doc.Find("table.wikitable"), 10)

	// The calendar: the hostile event by its title, as text, in a row of
	// the right width; its links as written.
	cal := rendered["Calendar"]
	tables := cal.doc.Find("table.wikitable")
	if tables.Length() != 2 {
		t.Fatalf("the calendar has %d tables", tables.Length())
	}
	zones := tables.First().Find("tr").First().ChildrenFiltered("th").Length() - 8
	checkWidths(t, "the calendar's upcoming events", tables.First(), 8+zones)
	checkWidths(t, "the calendar's past events", tables.Last(), 8)
	if n := dataRows(tables); n != len(prog.Events)+2 {
		t.Errorf("the calendar has %d events, want %d", n, len(prog.Events)+2)
	}
	if got := linkTexts(cal.doc, eventPage); !slices.Contains(got, wantTitle) || !slices.Contains(got, "Past "+wantTitle) {
		t.Errorf("the calendar shows the hostile events as %q, want %q", got, wantTitle)
	}
	calText := cal.doc.Text()
	for _, want := range []string{cleaned(html.UnescapeString(audience)), "<nowiki>{| |} || |-</nowiki> [https://evil.example x] {{#invoke:x|y}} </nowiki>", wantResourceTitle} {
		if !strings.Contains(calText, want) {
			t.Errorf("the calendar does not show %q", want)
		}
	}
	checkExternal(t, "the calendar", cal.external, wantRegisterLink, wantResourceLink)
	converter := ""
	for _, u := range cal.external {
		if strings.Contains(u, "timeanddate") && strings.Contains(u, "msg=Clinic+") {
			converter = u
		}
	}
	if q, err := url.Parse(converter); err != nil || q.Query().Get("msg") != html.UnescapeString(title) {
		t.Errorf("the calendar's time converter link for the hostile event is %q, want its msg to be the title", converter)
	}

	// The resources page: five cells a row, the hostile resource's title
	// as its link's text, its link as written.
	res := rendered["Resources"]
	checkWidths(t, "the resources page", res.doc.Find("table.wikitable"), 5)
	found := false
	res.doc.Find("a.external").Each(func(_ int, a *goquery.Selection) {
		if a.Text() == wantResourceTitle {
			found = true
		}
	})
	if !found {
		t.Errorf("the resources page does not show the hostile resource's title %q as its link", wantResourceTitle)
	}
	if got := linkTexts(res.doc, eventPage); !slices.Contains(got, wantTitle) && !slices.Contains(got, "Past "+wantTitle) {
		t.Errorf("the resources page does not name the hostile event %q", wantTitle)
	}
	checkExternal(t, "the resources page", res.external, wantResourceLink)

	// The report: the hostile country, interest and support as chart
	// labels, as text.
	rep := rendered["Report"]
	labels := map[string][]string{}
	rep.doc.Find("table.lc-barchart").Each(func(_ int, table *goquery.Selection) {
		caption := strings.TrimSpace(table.Find("caption").Text())
		checkWidths(t, "the report's chart "+caption, table, 3)
		table.Find(".lc-bar-label").Each(func(_ int, l *goquery.Selection) {
			labels[caption] = append(labels[caption], strings.TrimSpace(l.Text()))
		})
	})
	for caption, want := range map[string]string{
		"Countries (with at least 5 participants)": cleaned(hostileCountry),
		"Thematic interests":                       cleaned(hostileInterest), // as people spell it
		"Support asked for":                        cleaned(hostileSupport),
	} {
		if !slices.Contains(labels[caption], want) {
			t.Errorf("the report's chart %q has %q, want the label %q", caption, labels[caption], want)
		}
	}

	// Nothing changed: the next run writes nothing (hostile text renders
	// the same every time).
	if _, sum := runCommand(t, environ, 0, "sync", "--write"); sum.Edits != 0 || sum.Unchanged != generatedPages {
		t.Errorf("the second run: %+v, want %d pages unchanged", sum, generatedPages)
	}
}

// renderedPage is a page as MediaWiki's action=parse reads it.
type renderedPage struct {
	wikitext   string
	doc        *goquery.Document
	templates  []string
	categories []string
	links      []string
	external   []string
}

func renderPage(t *testing.T, env devwiki.Env, title string) *renderedPage {
	t.Helper()
	var body struct {
		Parse struct {
			Text       string                      `json:"text"`
			Templates  []struct{ Title string }    `json:"templates"`
			Categories []struct{ Category string } `json:"categories"`
			Links      []struct{ Title string }    `json:"links"`
			External   []string                    `json:"externallinks"`
		} `json:"parse"`
		Error *struct{ Code, Info string } `json:"error"`
	}
	parse(t, env, title, "text|templates|categories|links|externallinks", &body)
	if body.Error != nil {
		t.Fatalf("parse %s: %s: %s", title, body.Error.Code, body.Error.Info)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body.Parse.Text))
	if err != nil {
		t.Fatal(err)
	}
	p := &renderedPage{doc: doc, external: body.Parse.External}
	for _, x := range body.Parse.Templates {
		p.templates = append(p.templates, x.Title)
	}
	for _, x := range body.Parse.Categories {
		p.categories = append(p.categories, x.Category)
	}
	for _, x := range body.Parse.Links {
		p.links = append(p.links, x.Title)
	}
	return p
}

// tableRows returns a table's own rows (not those of tables inside it).
func tableRows(table *goquery.Selection) *goquery.Selection {
	return table.ChildrenFiltered("thead, tbody, tfoot").ChildrenFiltered("tr").AddSelection(table.ChildrenFiltered("tr"))
}

// checkWidths checks that every row of the tables has width cells.
func checkWidths(t *testing.T, what string, tables *goquery.Selection, width int) {
	t.Helper()
	if tables.Length() == 0 {
		t.Errorf("%s has no table", what)
	}
	tables.Each(func(i int, table *goquery.Selection) {
		tableRows(table).Each(func(j int, row *goquery.Selection) {
			if n := row.ChildrenFiltered("th, td").Length(); n != width {
				t.Errorf("%s, table %d, row %d: %d cells, want %d: %.300s", what, i, j, n, width, strings.TrimSpace(row.Text()))
			}
		})
	})
}

// dataRows counts the rows of the tables that have no header cell first.
func dataRows(tables *goquery.Selection) int {
	n := 0
	tables.Each(func(_ int, table *goquery.Selection) {
		tableRows(table).Each(func(_ int, row *goquery.Selection) {
			if row.ChildrenFiltered("td").Length() > 0 {
				n++
			}
		})
	})
	return n
}

// linkTexts returns the texts of the links to a page.
func linkTexts(doc *goquery.Document, page string) []string {
	var out []string
	doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		if title, _ := a.Attr("title"); title == page {
			out = append(out, a.Text())
		}
	})
	return out
}

// checkExternal checks that each wanted URL is one of the page's external
// links, as written (percent-encoding aside).
func checkExternal(t *testing.T, what string, links []string, want ...string) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, l := range links {
			if u, err := url.PathUnescape(l); err == nil && u == w {
				found = true
			}
		}
		if !found {
			t.Errorf("%s does not link %s as written; its external links:\n%s", what, w, strings.Join(links, "\n"))
		}
	}
}

// cleaned is the text a reader sees of a value: without invisible
// characters, blanks collapsed.
func cleaned(s string) string {
	s = strings.Map(func(r rune) rune {
		if slices.Contains(invisibleRunes, r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func hostilePages(prefix string, names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, prefix+n)
	}
	return out
}
