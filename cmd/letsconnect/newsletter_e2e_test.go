package main

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/newsletter"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// targetLineRE is MassMessage's target-list line as the lists must hold
// it (its own parser function, which needs no template), and nothing else
// between the lines but the page's introduction.
var targetLineRE = regexp.MustCompile(`^\* \{\{#target:User talk:[^|{}\[\]]+\}\}$`)

// levelTwoRE is a heading of level 1 or 2: in an issue it would end the
// section MassMessage posts it as.
var levelTwoRE = regexp.MustCompile(`(?m)^==?[^=].*[^=]==?\s*$`)

// subscribersOn reads a subscriber list page: the talk pages it targets,
// checking every target line has the documented form.
func subscribersOn(t *testing.T, p *outreachProgram, lang string) []string {
	t.Helper()
	page := readPage(t, newReader(t, p.env), p.root+"/Newsletter/Subscribers/"+lang)
	if !page.Exists() {
		t.Fatalf("no subscriber list in %s", lang)
	}
	for _, l := range strings.Split(page.Content, "\n") {
		if strings.Contains(l, "{{") && !targetLineRE.MatchString(l) {
			t.Errorf("list %s: %q is not a MassMessage target line", lang, l)
		}
	}
	var users []string
	for _, target := range newsletter.ParseTargets(page.Content) {
		users = append(users, strings.TrimPrefix(target, "User talk:"))
	}
	slices.Sort(users)
	return users
}

// TestNewsletterOnTheWiki is the newsletter's acceptance on the real wiki:
// the subscriber lists, one per language, list the active registrations
// that ask for it and never the paused or opted out ({{bots}}, the
// opt-out list); the month's issue is written once in every language,
// with the upcoming learning space and the calendar feed; a re-run makes
// no edit, a person's edit of the issue is never overwritten (even when
// the program changes), and a subscriber who says no leaves the list.
func TestNewsletterOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	p := newOutreachProgram(t)
	recent := p.now.Add(-2 * time.Hour)
	yes := map[string]string{"newsletter": "yes"}
	english := p.person("Reader", recent, yes)
	french := p.person("Lectrice", recent, map[string]string{"newsletter": "yes", "languages": "fr-N, en-2"})
	spanish := p.person("Lector", recent, map[string]string{"newsletter": "es", "languages": "en-N"})
	portuguese := p.person("Leitor", recent, map[string]string{"newsletter": "yes", "languages": "pt-N, en-1"})
	arabic := p.person("Qari", recent, map[string]string{"newsletter": "ar", "languages": "en-N"})
	paused := p.person("Away", recent, map[string]string{"newsletter": "yes", "status": "paused"})
	botsOut := p.person("Nomsg", recent, yes)
	listed := p.person("Listed", recent, yes)
	p.person("Nonews", recent, nil)
	p.add("User talk:"+botsOut, botsOut, recent, "{{bots|optout=letsconnect}}")
	p.add(p.root+"/Opt-out", p.env.HumanUser, recent, "* [[User:"+listed+"]]")
	p.event("Bots clinic", 14, "planned", "")
	p.load(t)
	environ := p.environ
	environ["LC_NEWSLETTER_DAY"] = "1"
	month := p.now.Format("2006-01")
	issue := p.root + "/Newsletter/" + month

	// The dry run shows the issue and writes nothing.
	out, _ := runCommand(t, environ, 0, "sync")
	if !strings.Contains(out, issue+"/fr") || !strings.Contains(out, "Upcoming learning spaces") {
		t.Fatalf("the dry run does not show the newsletter:\n%.3000s", out)
	}
	if readPage(t, newReader(t, p.env), issue).Exists() {
		t.Fatal("the dry run wrote the issue")
	}

	runCommand(t, environ, 0, "sync", "--write")
	for lang, want := range map[string][]string{"en": {english}, "fr": {french}, "es": {spanish}, "pt": {portuguese}, "ar": {arabic}} {
		if got := subscribersOn(t, p, lang); !slices.Equal(got, want) {
			t.Errorf("subscribers in %s: %v, want %v (never %s, %s, %s)", lang, got, want, paused, botsOut, listed)
		}
	}
	reader := newReader(t, p.env)
	en, fr, es := readPage(t, reader, issue), readPage(t, reader, issue+"/fr"), readPage(t, reader, issue+"/es")
	pt, ar := readPage(t, reader, issue+"/pt"), readPage(t, reader, issue+"/ar")
	if !strings.Contains(en.Content, "\n=== Upcoming learning spaces ===\n") || !strings.Contains(en.Content, "Bots clinic") ||
		!strings.Contains(en.Content, "https://letsconnect.example.org/calendar.ics") || strings.Contains(en.Content, "&#60;small") || !strings.Contains(en.Content, "\n=== The month in figures ===\n") {
		t.Errorf("the English issue:\n%s", en.Content)
	}
	if !strings.Contains(fr.Content, "\n=== Espaces d'apprentissage à venir ===\n") || !strings.Contains(es.Content, "\n=== Próximos espacios de aprendizaje ===\n") ||
		!strings.Contains(pt.Content, "\n=== Próximos espaços de aprendizagem ===\n") || !strings.Contains(ar.Content, "\n=== مساحات التعلّم القادمة ===\n") {
		t.Errorf("the French, Spanish, Portuguese and Arabic issues:\n%s\n%s\n%s\n%s", fr.Content, es.Content, pt.Content, ar.Content)
	}
	// Each issue goes out whole as one talk-page section: no heading that
	// would end it, no bot's comment to travel with it.
	for _, page := range []*wiki.Page{en, fr, es, pt, ar} {
		if levelTwoRE.MatchString(page.Content) || strings.Contains(page.Content, "<!--") {
			t.Errorf("%s has a level-2 heading or a comment:\n%s", page.Title, page.Content)
		}
	}
	// MediaWiki reads the issue as intended: it links the event and the
	// calendar, and transcludes nothing.
	links, tmpls, cats := parseLinks(t, p.env, issue)
	if len(tmpls) > 0 || len(cats) > 0 || !links[p.root+"/Events/Bots clinic"] || !links[p.root+"/Calendar"] {
		t.Errorf("the issue transcludes %v, categorises %v, links %v", tmpls, cats, links)
	}

	// A re-run writes nothing.
	if _, sum := runCommand(t, environ, 0, "sync", "--write", "--only", "newsletter"); sum.Edits != 0 {
		t.Errorf("a re-run made %d edits", sum.Edits)
	}

	// The working group edits the issue; the program changes (a new
	// event); the bot leaves the issue as they wrote it.
	edited := en.Content + "\nA word from the working group.\n"
	if _, err := newHuman(t, p.env, p.root).Edit(context.Background(), wiki.EditRequest{Title: issue, Text: edited, Summary: "editing the draft", Base: en}); err != nil {
		t.Fatal(err)
	}
	p.event("Lua clinic", 10, "planned", "")
	p.load(t)
	runCommand(t, environ, 0, "sync", "--write")
	if got := readPage(t, newReader(t, p.env), issue).Content; !wiki.SameText(got, edited) {
		t.Errorf("the bot changed the issue a person edited:\n%s", got)
	}
	if got := readPage(t, newReader(t, p.env), issue+"/fr").Content; got != fr.Content {
		t.Errorf("the bot rewrote an issue it had written:\n%s", got)
	}

	// A subscriber says no: they leave their list.
	reg := readPage(t, newReader(t, p.env), p.root+"/Participants/"+french)
	devwiki.EditAs(t, french, reg.Title, strings.Replace(reg.Content, "|newsletter=yes", "|newsletter=no", 1))
	runCommand(t, environ, 0, "sync", "--write", "--only", "newsletter")
	if got := subscribersOn(t, p, "fr"); len(got) != 0 {
		t.Errorf("after unsubscribing, the French list is %v", got)
	}
}
