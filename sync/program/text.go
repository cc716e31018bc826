package program

import (
	"strings"
	"unicode/utf8"
)

// This file holds the rules for what people write as free text and as
// lists, the same for every template (docs/formats.md, "Free text and
// lists"): one length limit, and one way of telling two list items apart.

// MaxTextRunes is the longest free text (a country, an affiliation, an
// interest, a support need, a title, an audience, a purpose, a skill's
// name or description) any generated page shows. A page may hold
// anything up to MediaWiki's 2 MB; a longer value is cut to its first
// MaxTextRunes-1 characters and "…", and reported on the problems page.
const MaxTextRunes = 300

// clip applies MaxTextRunes to a value of field, and says so when it cuts.
func Clip(ps *ProblemList, field, v string) string {
	n := utf8.RuneCountInString(v)
	if n <= MaxTextRunes {
		return v
	}
	ps.Add(field, "a value of %d characters; generated pages show at most %d, so it is cut there: shorten it", n, MaxTextRunes)
	return string([]rune(v)[:MaxTextRunes-1]) + "…"
}

// TextKey is what tells two free-text values apart: case and spacing do
// not ("Education", "education" and " education " are one interest).
func TextKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// freeList reads a list of free-text items (interests, support,
// projects): each item is clipped, and an item listed again (by TextKey)
// is reported and counted once, as a skill is.
func freeList(ps *ProblemList, field, v string) []string {
	var out []string
	seen := map[string]bool{}
	for _, item := range SplitList(v, ",;") {
		item = Clip(ps, field, strings.Join(strings.Fields(item), " "))
		k := TextKey(item)
		if seen[k] {
			ps.Add(field, "%q is listed twice; it counts once", item)
			continue
		}
		seen[k] = true
		out = append(out, item)
	}
	return out
}
