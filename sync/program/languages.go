package program

import (
	"fmt"
	"strconv"
	"strings"
)

// LanguageIndex finds a language by what people write for it: its code,
// or its name as the wiki knows it (siteinfo's languages, autonyms such
// as "français", "Kreyòl ayisyen", "Avañe'ẽ", "ཇོང་ཁ").
type LanguageIndex struct {
	codes map[string]string // lower-case code → code
	names map[string]string // nameKey(name) → code
}

// NewLanguageIndex indexes the wiki's languages (code → name).
func NewLanguageIndex(languages map[string]string) *LanguageIndex {
	x := &LanguageIndex{codes: make(map[string]string, len(languages)), names: make(map[string]string, len(languages))}
	for code, name := range languages {
		x.codes[strings.ToLower(code)] = code
		k := nameKey(name)
		if k == "" {
			continue
		}
		// A few names belong to two codes (nan and zh-min-nan are both
		// "Bân-lâm-gú"): the shorter code, then the first in order, is
		// the one meant, whatever order the map is read in.
		if other, ok := x.names[k]; !ok || len(code) < len(other) || (len(code) == len(other) && code < other) {
			x.names[k] = code
		}
	}
	return x
}

// nameKey folds what varies when people type a language's name: case,
// spacing, and a typographic apostrophe for a straight one.
func nameKey(s string) string {
	return strings.ReplaceAll(TextKey(s), "’", "'")
}

// Lookup returns the code of a language written as a code or a name. A
// code wins over a name: "Ga" is the code of Irish (ga) before it is the
// name of Ga (gaa).
func (x *LanguageIndex) Lookup(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if code, ok := x.codes[strings.ToLower(s)]; ok {
		return code, true
	}
	code, ok := x.names[nameKey(s)]
	return code, ok
}

// languageSeparators are what may stand between a language and its level:
// "yo-N", "en:3", "en (3)", "en 3".
const languageSeparators = "-:( "

// level reads a language item: a code or a name, with an optional level
// (0 to 5, or N for native; none means 3). The language is the longest
// start of the item the wiki knows, so names holding a separator
// ("Kreyòl ayisyen-N", "lea faka-Tonga:2", "srpski (latinica) (4)") work.
func (x *LanguageIndex) level(item string) (LanguageLevel, error) {
	item = strings.TrimSpace(item)
	if code, ok := x.Lookup(item); ok {
		return LanguageLevel{Code: code, Level: 3}, nil // a language listed without a level is one the person works in
	}
	for i := len(item) - 1; i > 0; i-- {
		if !strings.ContainsRune(languageSeparators, rune(item[i])) {
			continue
		}
		code, ok := x.Lookup(item[:i])
		if !ok {
			continue
		}
		rest := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(item[i:]), "-:"))
		if inner, ok := strings.CutPrefix(rest, "("); ok {
			rest = strings.TrimSpace(strings.TrimSuffix(inner, ")"))
		}
		switch l := strings.ToLower(rest); l {
		case "n", "native":
			return LanguageLevel{Code: code, Level: LanguageNative}, nil
		case "0", "1", "2", "3", "4", "5":
			n, _ := strconv.Atoi(l)
			return LanguageLevel{Code: code, Level: n}, nil
		default:
			return LanguageLevel{}, fmt.Errorf("%q: the level %q is not one of 0 to 5 or N (native)", item, rest)
		}
	}
	return LanguageLevel{}, fmt.Errorf("%q is not a language the wiki knows: write its code (such as en, fr, sw, yo) or its name (English, français, Kiswahili), with a level such as en-3 or yo-N", item)
}
