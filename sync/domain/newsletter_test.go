package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestNewsletterParameter: a registration subscribes with newsletter=yes
// or a language (code or name), unsubscribes with no; anything else is a
// problem that names the parameter.
func TestNewsletterParameter(t *testing.T) {
	for _, tc := range []struct {
		value    string
		want     bool
		lang     string
		problems int
	}{
		{"", false, "", 0}, {"yes", true, "", 0}, {"no", false, "", 0}, {"fr", true, "fr", 0},
		{"français", true, "fr", 0}, {"maybe", false, "", 1},
	} {
		text := registrationText()
		if tc.value != "" {
			text = registrationText("newsletter=" + tc.value)
		}
		r, problems := testChecker(t).Check(RegistrationPage{Title: adaPage, Text: text, Contributors: []string{"Ada Lovelace"}})
		if r == nil {
			t.Fatalf("%q: no registration: %v", tc.value, problems)
		}
		if r.Newsletter != tc.want || r.NewsletterLanguage != tc.lang || len(problems) != tc.problems {
			t.Errorf("newsletter=%q: subscribed %v in %q, problems %v", tc.value, r.Newsletter, r.NewsletterLanguage, problems)
		}
		for _, p := range problems {
			if p.Field != "newsletter" {
				t.Errorf("newsletter=%q: a problem with %s", tc.value, p.Field)
			}
		}
	}
}

// TestSubscriberLanguage: the language asked for (or its base), else the
// first of the registration's languages an issue is written in, else
// English.
func TestSubscriberLanguage(t *testing.T) {
	langs := []string{"en", "es", "fr"}
	for _, tc := range []struct {
		asked  string
		speaks []string
		want   string
	}{
		{"", []string{"yo", "fr", "en"}, "fr"},
		{"es", []string{"fr"}, "es"},
		{"fr-ca", []string{"en"}, "fr"},
		{"de", []string{"yo", "es"}, "es"},
		{"", []string{"yo"}, "en"},
		{"en", []string{"fr"}, "en"},
	} {
		r := &Registration{NewsletterLanguage: tc.asked}
		for _, c := range tc.speaks {
			r.Languages = append(r.Languages, LanguageLevel{Code: c, Level: 3})
		}
		if got := SubscriberLanguage(r, langs); got != tc.want {
			t.Errorf("asked %q, speaks %v: %s, want %s", tc.asked, tc.speaks, got, tc.want)
		}
	}
}

// TestTargetListFormat: the subscriber list is MassMessage's documented
// wikitext list, one {{target|page=User talk:…}} a line, and reads back
// as the same talk pages (names with spaces, apostrophes and non-Latin
// letters alike).
func TestTargetListFormat(t *testing.T) {
	users := []string{"Zoë", "Ada Lovelace", "O'Brien", "Хелена"}
	text := subscriberList(slices.Clone(users), "Let's Connect/Newsletter/2026-12")
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "{{") {
			lines = append(lines, l)
		}
	}
	if len(lines) != len(users) || lines[0] != "{{target|page=User talk:Ada Lovelace}}" {
		t.Errorf("target lines:\n%s", strings.Join(lines, "\n"))
	}
	var got []string
	for _, p := range ParseTargets(text) {
		got = append(got, strings.TrimPrefix(p, "User talk:"))
	}
	want := slices.Clone(users)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("read back %v, want %v", got, want)
	}
}

// TestNewsletterIssueDay: an issue is due from the configured day of its
// month, and reports since the previous issue's day.
func TestNewsletterIssueDay(t *testing.T) {
	c := Config{NewsletterDay: 5}
	month, since, due := c.NewsletterIssue(time.Date(2026, 12, 4, 23, 0, 0, 0, time.UTC))
	if month != "2026-12" || due {
		t.Errorf("the 4th: %s due %v", month, due)
	}
	month, since, due = c.NewsletterIssue(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	if month != "2026-12" || !due || !since.Equal(time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the 5th: %s due %v since %s", month, due, since)
	}
	if _, since, _ = c.NewsletterIssue(time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)); !since.Equal(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("January: since %s", since)
	}
}
