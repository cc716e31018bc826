package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// pageLanguages is how many languages the default LC_PAGE_LANGUAGES
// writes the reader pages in; generatedPages how many pages a sync
// writes with it: the directory, problems, proposals, calendar,
// resources, report and its history, the open data, and the directory, calendar,
// resources and report in French, Spanish, Portuguese and Arabic.
const (
	pageLanguages  = 5
	generatedPages = 8 + 4*(pageLanguages-1)
)

var plannedRE = regexp.MustCompile(`(?m)^=== (\S+) (.+)$`)

// plannedTitles lists the pages a dry run would edit.
func plannedTitles(t *testing.T, environ map[string]string) []string {
	t.Helper()
	out, _ := runCommand(t, environ, 0, "sync")
	var titles []string
	for _, m := range plannedRE.FindAllStringSubmatch(out, -1) {
		if m[1] != "summary:" {
			titles = append(titles, m[2])
		}
	}
	slices.Sort(titles)
	return titles
}

// TestLanguagePagesOnTheWiki: the directory, calendar, resources and report in
// every default language, as MediaWiki renders them: translated headings,
// links to the other languages, Arabic right to left. A skill translated on
// the taxonomy changes the pages of that language that show the skill,
// and nothing else; a second sync makes no edit.
func TestLanguagePagesOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	ctx := context.Background()
	root := fmt.Sprintf("LC languages %d", time.Now().UnixNano())
	prog := importDemoN(t, root, 40)
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(append(prog.WorkingGroup, env.HumanUser), ","), "LC_EDIT_INTERVAL": "0s",
	}
	if _, sum := runCommand(t, environ, 0, "sync", "--write"); sum.Edits != generatedPages || sum.Failed+sum.Skipped != 0 {
		t.Fatalf("sync --write: %+v, want %d edits", sum, generatedPages)
	}
	cat, err := program.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	langs := program.DefaultPageLanguages
	// Each page, and a heading of its in each language (a section or a
	// table's column).
	pages := map[string]string{
		root + "/Skills directory": "letsconnect-page-directory-learners",
		root + "/Calendar":         "letsconnect-page-calendar-upcoming",
		root + "/Resources":        "letsconnect-page-resources-resource",
		root + "/Report":           "letsconnect-page-report-months",
	}
	for base, key := range pages {
		english, _ := cat.Message("en", key)
		for _, lang := range langs {
			title := base
			if lang != "en" {
				title += "/" + lang
			}
			p := renderPage(t, env, title)
			heading, _ := cat.Message(lang, key)
			var headings []string
			p.doc.Find("h2, th").Each(func(_ int, s *goquery.Selection) {
				headings = append(headings, strings.TrimSuffix(strings.TrimSpace(s.Text()), "[edit]"))
			})
			if !slices.Contains(headings, heading) || lang != "en" && heading == english {
				t.Errorf("%s: headings %q lack %q", title, headings, heading)
			}
			for _, other := range langs {
				want := base
				if other != "en" {
					want += "/" + other
				}
				if want != title && !slices.Contains(p.links, want) {
					t.Errorf("%s does not link %s (links %v)", title, want, p.links)
				}
			}
			if lang == "en" {
				continue
			}
			dir := "ltr"
			if lang == "ar" {
				dir = "rtl"
			}
			block := p.doc.Find(fmt.Sprintf(`div[lang=%q][dir=%q]`, lang, dir))
			if block.Length() != 1 || !strings.Contains(block.Text(), heading) {
				t.Errorf("%s: %d blocks in lang=%s dir=%s holding %q", title, block.Length(), lang, dir, heading)
			}
		}
	}

	// A French name for a skill that has resources: the French pages
	// that show it change, nothing else.
	reader := newReader(t, env)
	taxonomyPage := root + "/Skills taxonomy"
	taxonomy := readPage(t, reader, taxonomyPage)
	tx, _ := program.ParseTaxonomy(taxonomyPage, taxonomy.Content)
	resources := readPage(t, reader, root+"/Resources").Content
	calendar := readPage(t, reader, root+"/Calendar").Content
	report := readPage(t, reader, root+"/Report").Content
	var skill program.Skill
	for _, s := range tx.Skills {
		if strings.Contains(resources, "=== "+wikitext.Escape(s.Name)+" ===") {
			skill = s
			break
		}
	}
	if skill.ID == "" {
		t.Fatalf("no skill has resources:\n%.2000s", resources)
	}
	french := "Compétence traduite " + skill.ID
	text := strings.Replace(taxonomy.Content, "|name="+skill.Name+"|", "|name="+skill.Name+"|name-fr="+french+"|", 1)
	if text == taxonomy.Content {
		t.Fatalf("no |name=%s| on the taxonomy", skill.Name)
	}
	human := newHuman(t, env, root)
	if _, err := human.Edit(ctx, wiki.EditRequest{Title: taxonomyPage, Text: text, Summary: "French name", Base: taxonomy}); err != nil {
		t.Fatal(err)
	}
	want := []string{root + "/Resources/fr", root + "/Skills directory/fr"}
	if strings.Contains(calendar, wikitext.Escape(skill.Name)) {
		want = append(want, root+"/Calendar/fr")
	}
	if strings.Contains(report, wikitext.Escape(skill.Name)) {
		want = append(want, root+"/Report/fr")
	}
	slices.Sort(want)
	if got := plannedTitles(t, environ); !slices.Equal(got, want) {
		t.Errorf("after translating %s: the sync would edit %v, want %v", skill.ID, got, want)
	}
	if _, sum := runCommand(t, environ, 0, "sync", "--write"); sum.Edits != len(want) {
		t.Errorf("after translating %s: %+v, want %d edits", skill.ID, sum, len(want))
	}
	for _, title := range want {
		if p := readPage(t, reader, title); !strings.Contains(p.Content, french) {
			t.Errorf("%s does not name the skill %q", title, french)
		}
	}
	if p := readPage(t, reader, root+"/Skills directory/es"); strings.Contains(p.Content, french) {
		t.Error("the Spanish directory shows the French name")
	}
	if _, sum := runCommand(t, environ, 0, "sync", "--write"); sum.Edits != 0 || sum.Unchanged != generatedPages {
		t.Errorf("the second sync: %+v, want 0 edits, %d unchanged", sum, generatedPages)
	}
}
