package domain

import (
	"slices"
	"strings"
	"testing"
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
	for _, l := range DefaultPageLanguages {
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
