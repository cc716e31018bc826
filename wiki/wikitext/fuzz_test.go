package wikitext

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"testing"
)

// FuzzTemplates checks that any input parses without panicking into a
// lossless tree, that template offsets point at "{{", and that the JSON
// output is valid.
func FuzzTemplates(f *testing.F) {
	for _, s := range handWrittenInputs() {
		f.Add(s)
	}
	for _, s := range differentialInputs(len(handWrittenInputs())+200, 1)[len(handWrittenInputs()):] {
		f.Add(s)
	}
	f.Add(registrationPage(3))
	f.Fuzz(func(t *testing.T, text string) {
		tree := Parse(text)
		if err := checkTree(tree); err != nil {
			t.Fatalf("Parse(%q): %v", text, err)
		}
		prev := -1
		for _, tpl := range tree.Templates() {
			if tpl.Offset+2 > len(text) || text[tpl.Offset:tpl.Offset+2] != "{{" {
				t.Fatalf("Templates(%q): offset %d does not point at {{", text, tpl.Offset)
			}
			if tpl.Offset <= prev {
				t.Fatalf("Templates(%q): offset %d after %d", text, tpl.Offset, prev)
			}
			prev = tpl.Offset
		}
		var buf bytes.Buffer
		if err := WriteTemplatesJSON(&buf, text); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(buf.Bytes()) {
			t.Fatalf("WriteTemplatesJSON(%q) wrote invalid JSON %q", text, buf.String())
		}
		// The links' reading keeps every offset, and names users as
		// MediaWiki stores them.
		if h := hide(text); len(h) != len(text) || strings.Count(h, "\n") != strings.Count(text, "\n") {
			t.Fatalf("hide(%q) = %q: offsets or lines moved", text, h)
		}
		for _, u := range UserLinks(text) {
			if u == "" || u != NormalizeUser(u) {
				t.Fatalf("UserLinks(%q) names %q", text, u)
			}
		}
	})
}

// FuzzEscape checks that escaped values display as the cleaned input and
// stay a single template argument.
func FuzzEscape(f *testing.F) {
	for _, s := range hostileValues {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		esc := Escape(value)
		if got, want := html.UnescapeString(esc), cleanText(value); got != want {
			t.Fatalf("Escape(%q) = %q displays as %q, want %q", value, esc, got, want)
		}
		tpls := Templates("{{T|" + esc + "}}")
		if len(tpls) != 1 || len(tpls[0].Params) != 1 || tpls[0].Params[0].Value != esc {
			t.Fatalf("Escape(%q) = %q does not stay one argument: %#v", value, esc, tpls)
		}
	})
}
