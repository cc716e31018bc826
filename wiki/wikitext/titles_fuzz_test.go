package wikitext

import (
	"strings"
	"testing"
)

// FuzzCheckTitle: whatever CheckTitle accepts is a title MediaWiki's rules
// accept (no forbidden character, no signature, at most MaxTitleBytes
// after its namespace), and accepting it again changes nothing.
func FuzzCheckTitle(f *testing.F) {
	for _, s := range []string{"Let's Connect/Events/Clinic", "~~~~", "File:Slides.pdf", "Talk:", "a/../b", "%41", "&amp;", "Page#Slides", ":x", "::x"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, fragment bool) {
		title, err := CheckTitle(s, fragment)
		if err != nil {
			return
		}
		name, _, _ := strings.Cut(title, "#")
		if strings.ContainsAny(name, "<>[]{}|\n\t") || strings.Contains(name, "~~~") || name == "" || strings.HasPrefix(name, " ") || strings.HasSuffix(name, " ") {
			t.Fatalf("CheckTitle(%q) accepted %q", s, title)
		}
		if !fragment && strings.Contains(title, "#") {
			t.Fatalf("CheckTitle(%q, false) accepted a section: %q", s, title)
		}
		again, err := CheckTitle(title, fragment)
		if err != nil || again != title {
			t.Fatalf("CheckTitle(%q) = %q, then %q, %v", s, title, again, err)
		}
		if user, err := CheckUserName(s); err == nil {
			if strings.ContainsAny(user, "/#:") {
				t.Fatalf("CheckUserName(%q) accepted %q", s, user)
			}
		}
	})
}
