package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TestEveryWikiLanguageName: every language name the real wiki gives
// (siteinfo's languages) works in a registration, alone and with each
// separator docs/formats.md allows, and names the language the docs say:
// its own code, or, when another language's code is written the same,
// that code; when two codes share a name, the shorter.
func TestEveryWikiLanguageName(t *testing.T) {
	env := devwiki.Start(t)
	languages, err := newReader(t, env).Languages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(languages) < 300 {
		t.Fatalf("the wiki knows %d languages", len(languages))
	}
	tx, _ := program.ParseTaxonomy("T", "{{Let's Connect skill category|id=c|name=C}}{{Let's Connect skill|id=s|category=c|name=Skill}}")
	ck := &program.Checker{Taxonomy: tx, Languages: languages, Prefix: "P/", Now: time.Now()}
	key := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	byName := map[string][]string{}
	for code, name := range languages {
		byName[key(name)] = append(byName[key(name)], code)
	}
	forms := []struct {
		suffix string
		level  int
	}{{"", 3}, {"-N", program.LanguageNative}, {"-2", 2}, {":4", 4}, {": 1", 1}, {" (5)", 5}, {" (N)", program.LanguageNative}, {" 0", 0}, {" native", program.LanguageNative}}
	checked := 0
	for code, name := range languages {
		if strings.ContainsAny(name, ",;\n") {
			t.Errorf("the name of %s, %q, holds a list separator: docs/formats.md cannot promise it works", code, name)
			continue
		}
		want := code
		if _, isCode := languages[key(name)]; isCode {
			want = key(name) // "Ga" (gaa) is the code of Irish
		} else if codes := byName[key(name)]; len(codes) > 1 {
			slices.SortFunc(codes, func(a, b string) int {
				if len(a) != len(b) {
					return len(a) - len(b)
				}
				return strings.Compare(a, b)
			})
			want = codes[0]
		}
		for _, f := range forms {
			written := name + f.suffix
			text := "{{Let's Connect registration|region=MEA|country=Nigeria|timezone=UTC|learn=Skill|languages=" + written + "}}"
			reg, problems := ck.Check(program.RegistrationPage{Title: "P/Someone", Text: text, Contributors: []string{"Someone"}})
			if reg == nil || len(problems) > 0 {
				t.Errorf("%s: %q is refused: %v", code, written, problems)
				continue
			}
			if got := reg.Languages; len(got) != 1 || got[0].Code != want || got[0].Level != f.level {
				t.Errorf("%q (the name of %s) is read as %v, want %s at level %d", written, code, got, want, f.level)
			}
			checked++
		}
	}
	t.Logf("%d languages, %d forms checked", len(languages), checked)
}

// TestFiguresOnTheWiki: registrations and event pages written on the real
// wiki as docs/formats.md says, with the inputs: language names
// with spaces, apostrophes and Tibetan punctuation; interests and support
// listed twice; a 70,000-character country; links that are neither URLs
// nor titles. The report counts each person once, the language names
// count, the bad links and the long value are reported, no generated
// page shows broken link markup, and a second sync makes no edit.
func TestFiguresOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC figures %d", time.Now().UnixNano())
	prog := importDemoN(t, root, 12)
	reader := newReader(t, env)
	prefix := root + "/Participants/"
	tx, _ := program.ParseTaxonomy("", readPage(t, reader, root+"/Skills taxonomy").Content)
	long := "Atlantis" + strings.Repeat(" and more", 70_000/9)
	// Six participants rewrite their registrations; five share the long
	// country so that the report breaks it down.
	people := prog.Participants[:6]
	languages := []string{"Kreyòl ayisyen-N, en-3", "Avañe'ẽ-N, en:2", "ཇོང་ཁ:N, en (4)", "español-5, en-3", "বাংলা (3), en-3", "Kreyòl ayisyen (2), English-4"}
	for i, name := range people {
		country := long
		if i == 5 {
			country = "Ghana"
		}
		text := fmt.Sprintf(`{{Let's Connect registration
| region = Middle East and Africa
| country = %s
| languages = %s
| timezone = Africa/Lagos
| interests = education, Education, education
| support = financial, financial
| learn = %s (beginner)
| share = %s (expert)
}}
`, country, languages[i], tx.Skills[2*i].Name, tx.Skills[2*i+1].Name)
		devwiki.EditAs(t, name, prefix+name, text)
	}
	// Links that are neither: a resource, a resource's event, an event's
	// registration (as entities: the pre-save transform would expand a
	// typed signature).
	tilde := "&#126;&#126;&#126;&#126;"
	upcoming := time.Now().UTC().AddDate(0, 0, 9).Format("2006-01-02") + " 14:00"
	devwiki.EditAs(t, people[0], root+"/Events/Links clinic", fmt.Sprintf(`{{Let's Connect event
|type = learning clinic
|title = Links clinic
|start = %s
|language = Kreyòl ayisyen
|skills = %s
|registration = %s
}}
`, upcoming, tx.Skills[0].Name, tilde))
	devwiki.EditAs(t, people[1], root+"/Resources/Submissions", readPage(t, reader, root+"/Resources/Submissions").Content+
		"\n{{Let's Connect resource|title=Signature notes|type=notes|skills="+tx.Skills[0].Name+"|link="+tilde+"}}\n"+
		"{{Let's Connect resource|title=Good notes|type=notes|skills="+tx.Skills[0].Name+"|link=https://example.org/notes|event="+tilde+"}}\n")

	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(prog.WorkingGroup, ","),
		"LC_EDIT_INTERVAL": "0s", "LC_MAX_EDITS": "0",
	}
	runCommand(t, environ, 0, "sync", "--write")

	var stdout, stderr strings.Builder
	if code := Main(t.Context(), []string{"report", "--format", "json"}, environ, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("report: exit %d\n%s", code, stderr.String())
	}
	var r report.Report
	if err := json.Unmarshal([]byte(stdout.String()), &r); err != nil {
		t.Fatal(err)
	}
	// Counted per person: the six list education three times and
	// financial twice; the demo's other participants may list them too.
	var education, financial int
	for _, c := range r.Interests {
		if strings.EqualFold(c.Name, "education") {
			education = c.N
		}
	}
	for _, c := range r.Support {
		if strings.EqualFold(c.Name, "financial") {
			financial = c.N
		}
	}
	if education > r.Registered || education < 6 || financial > r.Registered || financial < 6 {
		t.Errorf("education %d and financial %d people of %d registered: counted per mention", education, financial, r.Registered)
	}
	// The long country: five people, shown cut.
	found := false
	for _, c := range r.TopCountries {
		if strings.HasPrefix(c.Name, "Atlantis and more") {
			found = true
			if n := len([]rune(c.Name)); n != program.MaxTextRunes || c.N != 5 {
				t.Errorf("the long country is %d characters and %d people; want %d and 5", n, c.N, program.MaxTextRunes)
			}
		}
	}
	if !found {
		t.Errorf("the long country (5 people) is not in the report: %+v", r.TopCountries)
	}
	if report := readPage(t, reader, root+"/Report").Content; len(report) > 100_000 {
		t.Errorf("the report page is %d bytes", len(report))
	}

	// The problems page: the bad links and the long value, and nothing
	// about the language names.
	probs := readPage(t, reader, root+"/Registration problems").Content
	shown := html.UnescapeString(probs)
	for _, want := range []string{`the registration link "~~~~" is neither`, `the link "~~~~" is neither`, `the event "~~~~" is not a page title`,
		fmt.Sprintf("a value of %d characters", len(long)), `"Education" is listed twice`, `"financial" is listed twice`} {
		if !strings.Contains(shown, want) {
			t.Errorf("the problems page does not say %q", want)
		}
	}
	for _, name := range people {
		if strings.Contains(sectionOf(probs, "[["+prefix+name+"]]"), "languages") {
			t.Errorf("%s's language names are reported as a problem:\n%s", name, sectionOf(probs, "[["+prefix+name+"]]"))
		}
	}
	// The directory lists the sharers with the languages their names name.
	dir := readPage(t, reader, root+"/Skills directory").Content
	for _, code := range []string{"ht", "gn", "dz", "es", "bn"} {
		if !strings.Contains(dir, "; "+code) && !strings.Contains(dir, ", "+code) {
			t.Errorf("the directory shows no sharer speaking %s", code)
		}
	}

	// No broken link markup on the pages that link what people wrote:
	// what MediaWiki renders shows no "[[" and no signature.
	for _, name := range []string{"Resources", "Calendar", "Skills directory", "Report"} {
		p := renderPage(t, env, root+"/"+name)
		text := p.doc.Text()
		if strings.Contains(text, "[[") || strings.Contains(text, "]]") {
			i := strings.Index(text, "[[")
			t.Errorf("%s shows link markup as text: %q", name, text[max(0, i-80):min(len(text), i+80)])
		}
		if strings.Contains(text, "(talk)") || strings.Contains(text, "~~~") {
			t.Errorf("%s shows a signature", name)
		}
	}
	res := readPage(t, reader, root+"/Resources").Content
	if strings.Contains(res, "Signature notes") || !strings.Contains(res, wikitext.Escape("Good notes")) {
		t.Errorf("the resources page: the resource with a bad link is listed, or the one with a bad event is not")
	}

	if _, sum := runCommand(t, environ, 0, "sync", "--write"); sum.Edits != 0 {
		t.Errorf("the second sync made %d edits", sum.Edits)
	}
}
