// Package i18n holds the bot's talk-page messages and the generated
// pages' texts (letsconnect-page-*) in the banana format
// that MediaWiki and translatewiki.net use: one JSON file per language
// (en.json, fr.json, ...), qqq.json documenting each message for
// translators, "@metadata" for authors. English is the fallback.
//
// Messages take $1, $2, ... parameters and {{PLURAL:$n|one|other}}. The
// parameters are inserted as given: escape participant text
// (wikitext.Escape) before passing it.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

//go:embed *.json
var files embed.FS

// Fallback is the language every message exists in.
const Fallback = "en"

// Catalog is every language's messages.
type Catalog struct {
	langs map[string]map[string]string // code → key → text; "qqq" is documentation
}

// Load reads the embedded message files.
func Load() (*Catalog, error) {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	c := &Catalog{langs: map[string]map[string]string{}}
	for _, e := range entries {
		code := strings.TrimSuffix(e.Name(), path.Ext(e.Name()))
		data, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", e.Name(), err)
		}
		msgs := map[string]string{}
		for k, v := range raw {
			if k == "@metadata" {
				continue
			}
			var text string
			if err := json.Unmarshal(v, &text); err != nil {
				return nil, fmt.Errorf("i18n: %s: %s is not a string", e.Name(), k)
			}
			msgs[k] = text
		}
		c.langs[code] = msgs
	}
	if c.langs[Fallback] == nil {
		return nil, fmt.Errorf("i18n: no %s.json", Fallback)
	}
	return c, nil
}

// Languages lists the languages with messages (not qqq), sorted.
func (c *Catalog) Languages() []string {
	var out []string
	for code := range c.langs {
		if code != "qqq" {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}

// Keys lists the messages, sorted.
func (c *Catalog) Keys() []string {
	var out []string
	for k := range c.langs[Fallback] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Raw returns a language's text of a message, without fallback.
func (c *Catalog) Raw(lang, key string) (string, bool) {
	text, ok := c.langs[lang][key]
	return text, ok
}

// Chain is the order in which languages are tried for lang: itself, its
// base language ("pt" for "pt-br"), then English.
func Chain(lang string) []string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	var out []string
	for lang != "" {
		out = append(out, lang)
		i := strings.LastIndexByte(lang, '-')
		if i < 0 {
			break
		}
		lang = lang[:i]
	}
	if !slices.Contains(out, Fallback) {
		out = append(out, Fallback)
	}
	return out
}

// Message renders key in the first language of lang's chain that has it,
// and says which language that was. A key no language has renders as
// MediaWiki shows missing messages, ⧼key⧽.
func (c *Catalog) Message(lang, key string, args ...string) (text, used string) {
	for _, l := range Chain(lang) {
		if t, ok := c.langs[l][key]; ok && l != "qqq" {
			return render(l, t, args), l
		}
	}
	return "⧼" + key + "⧽", ""
}

var (
	pluralRE = regexp.MustCompile(`\{\{PLURAL:\$(\d+)\|([^{}]*)\}\}`)
	paramRE  = regexp.MustCompile(`\$(\d+)`)
)

// render substitutes {{PLURAL}} with the parameters' numbers, then the
// parameters. PLURAL is resolved first so that a parameter's own text is
// never read as markup.
func render(lang, text string, args []string) string {
	arg := func(n string) (string, bool) {
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 || i > len(args) {
			return "", false
		}
		return args[i-1], true
	}
	text = pluralRE.ReplaceAllStringFunc(text, func(m string) string {
		sub := pluralRE.FindStringSubmatch(m)
		forms := strings.Split(sub[2], "|")
		v, ok := arg(sub[1])
		n, err := strconv.Atoi(plainDigits(v))
		if !ok || err != nil {
			return forms[len(forms)-1]
		}
		return forms[min(pluralForm(lang, n), len(forms)-1)]
	})
	return paramRE.ReplaceAllStringFunc(text, func(m string) string {
		if v, ok := arg(m[1:]); ok {
			return v
		}
		return m
	})
}

// plainDigits reads a number as the generated pages format it (with
// grouping separators, in Arabic-Indic digits) back as ASCII digits, so
// that PLURAL picks its form from a formatted count.
func plainDigits(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + r - '٠')
		case strings.ContainsRune(",. \u00a0\u202f\u066c", r):
		default:
			return s // not a number
		}
	}
	return b.String()
}

// pluralForm is the CLDR plural category index for the languages the bot
// ships, in the order MediaWiki's {{PLURAL}} takes the forms: one (0) or
// other (1); French and Portuguese treat 0 as one. Arabic has six: zero,
// one, two, few (3-10), many (11-99), other.
func pluralForm(lang string, n int) int {
	switch lang {
	case "ar":
		switch m := n % 100; {
		case n == 0:
			return 0
		case n == 1:
			return 1
		case n == 2:
			return 2
		case m >= 3 && m <= 10:
			return 3
		case m >= 11 && m <= 99:
			return 4
		}
		return 5
	case "fr", "pt":
		if n == 0 || n == 1 {
			return 0
		}
	default:
		if n == 1 {
			return 0
		}
	}
	return 1
}
