package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func load(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var paramsOf = regexp.MustCompile(`\$\d+`)

// The files are what translatewiki.net expects: every message documented
// in qqq, no translation of a message English lacks, the same parameters,
// and the words the bot reads back (status values, ~~~~, the opt-out
// template) left untranslated.
func TestCatalogIsComplete(t *testing.T) {
	c := load(t)
	if langs := c.Languages(); len(langs) < 3 || !slices.Contains(langs, "en") {
		t.Fatalf("languages %v: English and at least two more", langs)
	}
	keep := []string{"<nowiki>~~~~</nowiki>", "''accepted''", "''declined''", "''met''", "''paused''", "{{bots|optout=letsconnect}}"}
	for _, key := range c.Keys() {
		en, _ := c.Raw("en", key)
		if doc, ok := c.Raw("qqq", key); !ok || strings.TrimSpace(doc) == "" {
			t.Errorf("%s is not documented in qqq.json", key)
		}
		want := paramsOf.FindAllString(en, -1)
		for _, lang := range c.Languages() {
			text, ok := c.Raw(lang, key)
			if !ok {
				continue // falls back to English
			}
			for _, p := range paramsOf.FindAllString(text, -1) {
				if !slices.Contains(want, p) {
					t.Errorf("%s/%s uses %s, which English does not", lang, key, p)
				}
			}
			for _, k := range keep {
				if strings.Contains(en, k) != strings.Contains(text, k) {
					t.Errorf("%s/%s: %q must stay as in English", lang, key, k)
				}
			}
		}
	}
	for _, lang := range append(c.Languages(), "qqq") {
		for key := range c.langs[lang] {
			if _, ok := c.Raw("en", key); !ok {
				t.Errorf("%s.json has %s, which en.json lacks", lang, key)
			}
		}
	}
}

func TestMessage(t *testing.T) {
	c := load(t)
	cases := []struct {
		lang, key string
		args      []string
		want      string
		used      string
	}{
		{"en", "letsconnect-connection-sharer", []string{"Kwame", "Basic Wikidata", "1", "Amaka (beginner)"}, "with a learner: Amaka (beginner).", "en"},
		{"en", "letsconnect-connection-sharer", []string{"Kwame", "Basic Wikidata", "3", "A, B, C"}, "with 3 learners: A, B, C.", "en"},
		{"fr", "letsconnect-no-response", []string{"Awa", "0", "Wikidata"}, "en 0 jour,", "fr"},
		{"fr", "letsconnect-no-response", []string{"Awa", "14", "Wikidata"}, "en 14 jours,", "fr"},
		{"es", "letsconnect-reminder", []string{"Ana", "Luis", "1", "Wikidata", "2026-11-01"}, "Luis espera tu respuesta", "es"},
		{"fr-ca", "letsconnect-connection-heading", []string{"Wikidata"}, "Let's Connect : une mise en relation pour Wikidata", "fr"},
		{"pt-br", "letsconnect-connection-heading", []string{"Wikidata"}, "Let's Connect: a connection for Wikidata", "en"},
		{"yo", "letsconnect-checkin", []string{"Ade", "Wikidata", "P"}, "Did you meet about '''Wikidata'''?", "en"},
	}
	for _, tc := range cases {
		got, used := c.Message(tc.lang, tc.key, tc.args...)
		if !strings.Contains(got, tc.want) || used != tc.used {
			t.Errorf("Message(%s, %s) = %q from %q; want it to contain %q, from %q", tc.lang, tc.key, got, used, tc.want, tc.used)
		}
	}
	if got, _ := c.Message("en", "no-such-message"); got != "⧼no-such-message⧽" {
		t.Errorf("missing message rendered as %q", got)
	}
	// A parameter is inserted as text: its own $2 or PLURAL is not read.
	got, _ := c.Message("en", "letsconnect-connection-heading", "{{PLURAL:$1|x|y}} $2")
	if got != "Let's Connect: a connection for {{PLURAL:$1|x|y}} $2" {
		t.Errorf("a parameter was interpreted: %q", got)
	}
}

// Rendered messages are safe wikitext: no template but the escaped
// example of the opt-out, which <nowiki> keeps inert.
func TestMessagesAreInertWikitext(t *testing.T) {
	c := load(t)
	for _, lang := range c.Languages() {
		for _, key := range c.Keys() {
			args := []string{"1", "2", "3", "4", "5", "6", "7", "8"}
			got, _ := c.Message(lang, key, args...)
			if ts := wikitext.Templates(got); len(ts) > 0 {
				t.Errorf("%s/%s renders templates %v: %s", lang, key, ts, got)
			}
			if strings.Contains(got, "{{PLURAL") || paramsOf.MatchString(got) {
				t.Errorf("%s/%s is left unrendered: %s", lang, key, got)
			}
			// Posted as is, ~~~~ would become the bot's own signature.
			if strings.Contains(strings.ReplaceAll(got, "<nowiki>~~~~</nowiki>", ""), "~~~") {
				t.Errorf("%s/%s has a live signature: %s", lang, key, got)
			}
		}
	}
}
