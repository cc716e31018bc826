package wikitext

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// TestEscapeArgHostile: every hostile value, as a named argument of a
// template placed as the proposal and connection templates place it (a
// bold cell, a user link, plain cells), stays one argument, brings no
// template, tag, comment, link, signature, behaviour switch or free link,
// and displays as the participant wrote it.
func TestEscapeArgHostile(t *testing.T) {
	free := regexp.MustCompile(`(?i)(https?|ftp|mailto|news|tel):`)
	for _, value := range hostileValues {
		esc := EscapeArg(value)
		page := "{{Row|status=" + esc + "|sharer=" + esc + "}}"
		tpls := Templates(page)
		if len(tpls) != 1 || len(tpls[0].Params) != 2 || tpls[0].Params[0].Value != esc || tpls[0].Params[1].Value != esc {
			t.Errorf("%q in a template: %#v", value, tpls)
		}
		requireNoMarkupNodes(t, value, page, 1)
		// The template's expansion, with the value in its places.
		row := "{|\n|-\n| '''" + esc + "''' || [[User:" + esc + "|" + esc + "]] || " + esc + " || <small>" + esc + "</small>\n|}"
		requireNoMarkupNodes(t, value, row, 0)
		if n := strings.Count(row, "||"); n != 3 {
			t.Errorf("%q in a row: %d cell separators", value, n)
		}
		if n := strings.Count(row, "]]"); n != 1 {
			t.Errorf("%q in a link: %d link ends", value, n)
		}
		if n := strings.Count(row, "'''"); esc != "" && (n != 2 || strings.Contains(row, "''''")) {
			t.Errorf("%q in bold: %q", value, row)
		}
		bare := numericReference.ReplaceAllString(esc, "")
		for _, bad := range []string{"|", "{", "}", "[", "]", "<", "~~~", "__", "''", "\n", "://"} {
			if strings.Contains(bare, bad) {
				t.Errorf("EscapeArg(%q) = %q keeps %q", value, esc, bad)
			}
		}
		if free.MatchString(bare) || characterReference.MatchString(bare[strings.IndexByte(bare+"&", '&'):]) {
			t.Errorf("EscapeArg(%q) = %q keeps a free link or a character reference", value, esc)
		}
		if got, want := html.UnescapeString(esc), cleanText(value); got != want {
			t.Errorf("EscapeArg(%q) = %q displays as %q, want %q", value, esc, got, want)
		}
	}
}

// TestEscapeArgReadsCleanly: what a person would write stays as written.
func TestEscapeArgReadsCleanly(t *testing.T) {
	for _, clean := range []string{
		"07:00–09:00 UTC", "O'Brien", "it's", "Let's Connect", "en; fr", "a = b", "# 1", "* x", "2026-03-01",
		"Alice 2026-01-02; Bob 2026-01-03", "Proposed: same time zone, shares English", "AT&T", "100%", "a ~~ b", "snake_case",
		"Wikidata (beginner) → Lua modules", "---", "!!", "ISBN: none", "Hotel:Lima",
	} {
		if got := EscapeArg(clean); got != clean {
			t.Errorf("EscapeArg(%q) = %q, want it unchanged", clean, got)
		}
	}
	for in, want := range map[string]string{
		"a|b":             "a&#124;b",
		"{{Foo}}":         "&#123;&#123;Foo&#125;&#125;",
		"[[x]]":           "&#91;&#91;x&#93;&#93;",
		"~~~~":            "&#126;&#126;&#126;&#126;",
		"__NOTOC__":       "&#95;&#95;NOTOC&#95;&#95;",
		"''it''":          "&#39;&#39;it&#39;&#39;",
		"'quoted'":        "&#39;quoted&#39;",
		"<b>":             "&#60;b>",
		"&lt;":            "&#38;lt;",
		"https://x.org":   "https&#58;//x.org",
		"mailto:a@x.org":  "mailto&#58;a@x.org",
		"line1\nline2":    "line1 line2",
		"\u202Eabc\u200B": "abc",
	} {
		if got := EscapeArg(in); got != want {
			t.Errorf("EscapeArg(%q) = %q, want %q", in, got, want)
		}
	}
}
