package wikitext

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileValues are things a participant might type, on purpose or not.
var hostileValues = []string{
	"Alice", "Alice O'Brien", "日本語", "😀 emoji", "café",
	"{{subst:Foo}}", "{{Foo|bar}}", "}}", "{{", "{{{1}}}", "{{#if:1|a|b}}", "{{!}}", "subst:Foo", "safesubst:x",
	"{|", "|}", "|-", "||", "!!", "| leading pipe", "! leading bang", "a | b", "a || b !! c", "|+caption", "+caption",
	"[[Main Page]]", "[[Category:Spam]]", "[[File:X.jpg|thumb|evil]]", "[[:Category:X]]", "]]", "[[", "[http://evil.example click]",
	"[", "]", "https://evil.example/path", "mailto:a@example.org", "//evil.example",
	"~~~", "~~~~", "~~~~~",
	"<script>alert(1)</script>", "<!-- hidden -->", "<!--", "-->", "<nowiki>", "</nowiki>", "<nowiki/>", "<ref>x</ref>",
	"<pre>", "<includeonly>x</includeonly>", "<noinclude>", "<onlyinclude>", "<templatedata>{}</templatedata>", "<b>bold</b>", "a < b > c",
	"__NOTOC__", "__NOINDEX__", "__", "snake_case_name",
	"== heading ==", "=", "= x =", "a=b", "* item", "# item", ": indent", "; term", "----", "-dash", "--", "-{zh:x}-", "}-",
	"''italic''", "'''bold'''", "'", "it's",
	"line1\nline2", "line1\r\nline2", "a\rb", "\n* injected item", "\n== injected ==\n", "x\n|}\n{|", "\ttab",
	"\u202Eevil\u202C", "a\u200Bb", "\uFEFFbom", "soft\u00ADhyphen", "\u2066isolate\u2069", "\u200Emark\u200F", "\u061Carabic",
	"nul\x00byte", "esc\x1b[31mred", "del\x7f", "c1\u0085next", "c1\u0090", "ls\u2028ps\u2029", "tag\U000E0041chars",
	"&lt;script&gt;", "&#123;&#123;", "&amp;", "&", "&#x7C;", "ISBN 1234567890", "RFC 1234",
	"  padded  ", " \n ", "", "invalid\xff\xfeutf8", "%7B%7B", "\\{\\{",
}

var numericReference = regexp.MustCompile(`&#[0-9]+;`)

func TestEscapeHostile(t *testing.T) {
	for _, value := range hostileValues {
		esc := Escape(value)
		// Without its character references, the escaped value has no
		// markup characters left, and nothing that can start a line.
		bare := numericReference.ReplaceAllString(esc, "")
		if i := strings.IndexAny(bare, "{}[]|!<>=~_'*#:;&\n\r\t"); i >= 0 {
			t.Errorf("Escape(%q) = %q keeps %q", value, esc, bare[i])
		}
		if strings.HasPrefix(esc, "-") || strings.HasPrefix(esc, "+") || strings.HasPrefix(esc, " ") {
			t.Errorf("Escape(%q) = %q starts with syntax", value, esc)
		}
		for _, r := range esc {
			if invisible(r) || r == '\u2028' || r == '\u2029' {
				t.Errorf("Escape(%q) = %q keeps %U", value, esc, r)
			}
		}
		if !utf8.ValidString(esc) {
			t.Errorf("Escape(%q) = %q is not valid UTF-8", value, esc)
		}
		// MediaWiki shows the references as the characters they stand for.
		if got, want := html.UnescapeString(esc), cleanText(value); got != want {
			t.Errorf("Escape(%q) = %q displays as %q, want %q", value, esc, got, want)
		}
	}
}

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Alice", "Alice"},
		{"{{Foo}}", "&#123;&#123;Foo&#125;&#125;"},
		{"a|b", "a&#124;b"},
		{"[[x]]", "&#91;&#91;x&#93;&#93;"},
		{"~~~~", "&#126;&#126;&#126;&#126;"},
		{"<b>", "&#60;b&#62;"},
		{"__NOTOC__", "&#95;&#95;NOTOC&#95;&#95;"},
		{"''", "&#39;&#39;"},
		{"* x", "&#42; x"},
		{"----", "&#45;---"},
		{"a-b+c", "a-b+c"},
		{"+1", "&#43;1"},
		{"a = b", "a &#61; b"},
		{"https://x.org", "https&#58;//x.org"},
		{"&lt;", "&#38;lt&#59;"},
		{"line1\r\nline2\nline3", "line1 line2 line3"},
		{"  a\tb  ", "a b"},
		{"\u202Eabc\u200B", "abc"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestEscapeInWikitext puts escaped values where the bot puts them and
// parses the page with the preprocessor: the value must stay one argument,
// one cell, one heading, and bring no template, tag or comment of its own.
func TestEscapeInWikitext(t *testing.T) {
	for _, value := range hostileValues {
		esc := Escape(value)

		page := "{{Participant|" + esc + "|name=" + esc + "}}"
		tpls := Templates(page)
		if len(tpls) != 1 {
			t.Errorf("%q in a template: %d templates", value, len(tpls))
		} else {
			want := []Param{{Name: "1", Value: esc, Positional: true}, {Name: "name", Value: esc}}
			if got := tpls[0].Params; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Errorf("%q in a template: params %#v", value, got)
			}
		}
		requireNoMarkupNodes(t, value, page, 1)

		table := "{| class=\"wikitable\"\n|-\n| " + esc + " || " + esc + "\n! " + esc + " !! x\n|}"
		requireNoMarkupNodes(t, value, table, 0)
		if got := strings.Count(table, "||"); got != 1 {
			t.Errorf("%q in a table: %d cell separators", value, got)
		}
		if got := strings.Count(table, "!!"); got != 1 {
			t.Errorf("%q in a table: %d header separators", value, got)
		}
		if got := strings.Count(table, "\n"); got != 4 {
			t.Errorf("%q in a table: %d lines", value, got)
		}

		heading := "== " + esc + " ==\n* " + esc + "\n[[Page|" + esc + "]]\n"
		tree := Parse(heading)
		headings := 0
		Walk(tree.Root, func(n *Node) bool {
			if n.Kind == NodeHeading {
				headings++
				if n.Level != 2 {
					t.Errorf("%q in a heading: level %d", value, n.Level)
				}
			}
			return true
		})
		if headings != 1 {
			t.Errorf("%q in a heading: %d headings", value, headings)
		}
		requireNoMarkupNodes(t, value, heading, 0)
		if got := strings.Count(heading, "]]"); got != 1 {
			t.Errorf("%q in a link label: %d link ends", value, got)
		}
	}
}

// requireNoMarkupNodes fails unless page parses into exactly templates
// template nodes and nothing else but text, headings and the templates'
// structure.
func requireNoMarkupNodes(t *testing.T, value, page string, templates int) {
	t.Helper()
	count := 0
	Walk(Parse(page).Root, func(n *Node) bool {
		switch n.Kind {
		case NodeTemplate:
			count++
		case NodeTplArg, NodeComment, NodeExt, NodeIgnore:
			t.Errorf("%q: %s node in %q", value, n.Kind, page)
		}
		return true
	})
	if count != templates {
		t.Errorf("%q: %d templates in %q, want %d", value, count, page, templates)
	}
}

func TestEscapeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/a_b~c":            "https://example.org/a_b~c",
		"https://example.org/x''y":             "https://example.org/x%27%27y",
		"https://example.org/~~~~":             "https://example.org/%7E%7E%7E%7E",
		"https://example.org/__NOTOC__/a":      "https://example.org/%5F%5FNOTOC%5F%5F/a",
		"https://example.org/?q=it's&x=__a__b": "https://example.org/?q=it%27s&x=%5F%5Fa%5F%5Fb",
	} {
		if got := EscapeURL(in); got != want {
			t.Errorf("EscapeURL(%q) = %q, want %q", in, got, want)
		}
	}
}
