package newsletter

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TestNewsletterLanguagesHaveEveryMessage: an issue is written only in
// the languages that translate the whole newsletter (en, fr, es, pt and
// ar at least); a language with only the talk-page messages gets none,
// rather than an English issue under its code.
func TestNewsletterLanguagesHaveEveryMessage(t *testing.T) {
	langs, cat, err := newsletterLanguages()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"en", "es", "fr", "pt", "ar"} {
		if !slices.Contains(langs, want) {
			t.Errorf("newsletter languages %v lack %s", langs, want)
		}
	}
	for _, l := range cat.Languages() {
		missing := ""
		for _, k := range cat.Keys() {
			if _, ok := cat.Raw(l, k); !ok && strings.HasPrefix(k, "letsconnect-newsletter-") {
				missing = k
				break
			}
		}
		if in := slices.Contains(langs, l); in == (missing != "") {
			t.Errorf("%s: in the newsletter languages %v, missing %q", l, in, missing)
		}
	}
}

// TestNewsletterInEveryPageLanguage: the bot's page languages (en, fr,
// es, pt, ar) translate every message, so each has its issue and its
// subscriber list, and every talk-page message (a badge's congratulation
// too) reaches their readers in their language, not partly in English.
func TestNewsletterInEveryPageLanguage(t *testing.T) {
	langs, cat, err := newsletterLanguages()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range program.DefaultPageLanguages {
		if !slices.Contains(langs, l) {
			t.Errorf("no newsletter in %s, a page language", l)
		}
		for _, k := range cat.Keys() {
			if _, ok := cat.Raw(l, k); !ok {
				t.Errorf("%s.json lacks %s: its readers get it in English", l, k)
			}
		}
	}
}

// TestNewsletterIssueArrivesAsOneSection: MassMessage posts the draft's
// wikitext as it is, as one new level-2 section of each talk page. So in
// every language the issue has no heading above level 3 (it would end the
// section and start others), no comment (it would be posted to every
// talk page), no message left unrendered, and a translated issue says its
// language and direction (Arabic: right to left).
func TestNewsletterIssueArrivesAsOneSection(t *testing.T) {
	c := settings{Config: Config{NewsletterPrefix: "LC/Newsletter/", NewsletterDay: 1, SubscribersPage: "LC/Newsletter/Subscribers"},
		CalendarPage: "LC/Calendar", ResourcesPage: "LC/Resources", DirectoryPage: "LC/Directory", FeedURL: "https://feeds.example"}
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	st := &program.State{Now: now, Taxonomy: programtest.ParseTaxonomy(t, programtest.SmallTaxonomy),
		Resources: []program.Resource{{Title: "Slides", Type: "slides", Link: "https://example.org/s", Date: "2026-12-01"}},
		Ledger: []*program.Connection{{ID: "C-1", Status: program.StatusMet, Sharer: "Ada", Learners: []string{"Bo"}, Skill: "org-proposal",
			Dates: map[program.Status]string{program.StatusMet: "2026-12-02"}}}}
	changes, err := c.planNewsletter(st)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ch := range changes {
		if !ch.CreateOnly {
			continue
		}
		lang := i18n.Fallback
		if _, l, ok := strings.Cut(strings.TrimPrefix(ch.Title, "LC/Newsletter/2026-12"), "/"); ok {
			lang = l
		}
		seen[lang] = true
		tree := wikitext.Parse(ch.Text)
		headings := 0
		for _, n := range tree.Root.Children {
			switch n.Kind {
			case wikitext.NodeHeading:
				headings++
				if n.Level < 3 {
					t.Errorf("%s: a level-%d heading %q would split the message", ch.Title, n.Level, ch.Text[n.Start:n.End])
				}
			case wikitext.NodeComment:
				t.Errorf("%s: a comment %q would be posted to every talk page", ch.Title, ch.Text[n.Start:n.End])
			}
		}
		if headings != 6 || strings.Contains(ch.Text, "⧼") {
			t.Errorf("%s: %d headings (want the 6 sections), or a missing message:\n%s", ch.Title, headings, ch.Text)
		}
		dir := "ltr"
		if lang == "ar" {
			dir = "rtl"
		}
		if wrapped := strings.HasPrefix(ch.Text, `<div lang="`+lang+`" dir="`+dir+`">`) && strings.HasSuffix(ch.Text, "</div>\n"); wrapped == (lang == i18n.Fallback) {
			t.Errorf("%s: wrapped in its language %v:\n%.200s", ch.Title, wrapped, ch.Text)
		}
	}
	for _, l := range program.DefaultPageLanguages {
		if !seen[l] {
			t.Errorf("no issue in %s", l)
		}
	}
}
