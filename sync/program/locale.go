package program

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/numfmt"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// The reader pages (directory, calendar, resources, report) are written
// in each of Config.PageLanguages as Meta does without the Translate
// extension: the English page is the base, every other language a
// subpage named by its code ("Let's Connect/Calendar/fr"). Each page
// links the others at its top; the texts come from templates/i18n (keys
// letsconnect-page-...), skill names from the taxonomy's name-CODE
// parameters, both falling back to English.

// DefaultPageLanguages are the languages the pilot's learning spaces ran
// in (Portuguese and Arabic with interpretation).
var DefaultPageLanguages = []string{"en", "fr", "es", "pt", "ar"}

var catalog = sync.OnceValues(i18n.Load)

// Catalog returns the embedded message catalog.
func Catalog() (*i18n.Catalog, error) { return catalog() }

// rtlLanguages are the right-to-left languages among those the bot may
// write.
var rtlLanguages = []string{"ar", "arz", "ary", "fa", "he", "ur", "ps", "ckb", "sd", "yi", "dv", "ug"}

// Locale writes one language's page: its messages, numbers, dates and
// the links to the same pages in the other languages written.
type Locale struct {
	Lang  string
	langs []string // every language written, English first
	cat   *i18n.Catalog
}

// Locales returns a Locale per page language (pageLanguages, English
// added when missing), English (the base pages) first.
func Locales(pageLanguages []string) ([]Locale, error) {
	cat, err := Catalog()
	if err != nil {
		return nil, err
	}
	langs := []string{i18n.Fallback}
	for _, l := range pageLanguages {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	out := make([]Locale, len(langs))
	for i, l := range langs {
		out[i] = Locale{Lang: l, langs: langs, cat: cat}
	}
	return out, nil
}

// LocaleFor is a Locale of lang alone (no links to other languages), with
// the messages of cat.
func LocaleFor(cat *i18n.Catalog, lang string) Locale {
	return Locale{Lang: lang, langs: []string{lang}, cat: cat}
}

// Base reports whether the locale writes the base (English) pages.
func (l Locale) Base() bool { return l.Lang == i18n.Fallback }

// Dir is the language's writing direction: "rtl" or "ltr".
func (l Locale) Dir() string {
	if slices.Contains(rtlLanguages, l.Lang) {
		return "rtl"
	}
	return "ltr"
}

// Page is the title of a generated page in the locale's language.
func (l Locale) Page(title string) string {
	if l.Base() || title == "" {
		return title
	}
	return title + "/" + l.Lang
}

// T renders a message in the locale's language (English when it lacks
// it). Integer arguments are formatted as numbers of the language;
// strings are inserted as given (escape participant text first).
func (l Locale) T(key string, args ...any) string {
	strs := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case int:
			strs[i] = l.Num(v)
		case float64:
			strs[i] = l.Float(v)
		case string:
			strs[i] = v
		default:
			strs[i] = fmt.Sprint(v)
		}
	}
	text, _ := l.cat.Message(l.Lang, key, strs...)
	return text
}

// digits writes ASCII digits in the language's digits.
func (l Locale) digits(s string) string { return numfmt.Digits(l.Lang, s) }

// Num formats an integer: 12,345 in English, 12 345 in French, ١٢٬٣٤٥
// in Arabic (internal/numfmt).
func (l Locale) Num(n int) string { return numfmt.Int(l.Lang, n) }

// Float formats a number as short as it reads exactly (61.5, 30):
// 61,5 in French.
func (l Locale) Float(x float64) string { return numfmt.Float(l.Lang, x) }

// OneDecimal formats a number with one decimal: 12.0 in English, 12,0 in
// French.
func (l Locale) OneDecimal(x float64) string { return numfmt.OneDecimal(l.Lang, x) }

// listItem returns the i-th (from 0) of a comma-separated list message.
func (l Locale) listItem(key string, i int) string {
	items := strings.Split(l.T(key), ",")
	if i < len(items) {
		return strings.TrimSpace(items[i])
	}
	return ""
}

// Date writes a day, with its weekday and, if year, its year: "Mon 2 Nov
// 2026" in English, "lun. 2 nov. 2026" in French.
func (l Locale) Date(t time.Time, year bool) string {
	day := l.digits(strconv.Itoa(t.Day()))
	wd, mon := l.listItem("letsconnect-page-weekdays", int(t.Weekday())), l.listItem("letsconnect-page-months", int(t.Month())-1)
	if year {
		return l.T("letsconnect-page-date", wd, day, mon, l.digits(strconv.Itoa(t.Year())))
	}
	return l.T("letsconnect-page-date-no-year", wd, day, mon)
}

// Clock writes a time of day, 24-hour: "15:04".
func (l Locale) Clock(t time.Time) string { return l.digits(t.Format("15:04")) }

// DateTime writes a day and a time of day.
func (l Locale) DateTime(t time.Time, year bool) string {
	return l.T("letsconnect-page-date-time", l.Date(t, year), l.Clock(t))
}

// Word translates a value the bot reads in English (an event's or a
// resource's type): the message prefix+value, spaces and colons as
// hyphens, or the value itself when no message has it.
func (l Locale) Word(prefix, value string) string {
	key := prefix + strings.NewReplacer(" ", "-", ":", "-").Replace(value)
	if _, ok := l.cat.Raw(i18n.Fallback, key); !ok {
		return value
	}
	return l.T(key)
}

// Level names a skill level.
func (l Locale) Level(lv match.Level) string {
	return l.T("letsconnect-page-level-" + lv.String())
}

// Skill is a skill's name in the locale's language (escaped wikitext).
func (l Locale) Skill(s Skill) string { return wikitext.Escape(s.NameIn(l.Lang)) }

// SkillDescription is a skill's description in the locale's language
// (escaped wikitext).
func (l Locale) SkillDescription(s Skill) string { return wikitext.Escape(s.DescriptionIn(l.Lang)) }

// Category is a category's name in the locale's language (escaped).
func (l Locale) Category(c Category) string { return wikitext.Escape(c.NameIn(l.Lang)) }

// autonym is a language's name in itself.
func (l Locale) autonym(lang string) string {
	if name, ok := l.cat.Raw(lang, "letsconnect-page-language-name"); ok {
		return name
	}
	return lang
}

// languageLinks is the line at the top of each language's page: every
// language written, the current one in bold, the others linked.
func (l Locale) languageLinks(title string) string {
	var items []string
	for _, lang := range l.langs {
		other := Locale{Lang: lang, langs: l.langs, cat: l.cat}
		name := wikitext.Escape(l.autonym(lang))
		item := "[[" + wikitext.Escape(other.Page(title)) + "|" + name + "]]"
		if lang == l.Lang {
			item = "'''" + name + "'''"
		}
		items = append(items, `<bdi lang="`+lang+`" dir="`+other.Dir()+`">`+item+"</bdi>")
	}
	return `<div class="letsconnect-languages" style="margin-bottom:1em">` + l.T("letsconnect-page-languages") + " " + strings.Join(items, " • ") + "</div>\n"
}

// InLanguages renders a reader page in every page language (Locales):
// base is the English page's change (its title, summary and sources);
// render writes the text in a locale. Each page starts with the links to
// the others (when there are others); a translated page is wrapped in its
// language and direction.
func InLanguages(pageLanguages []string, base PageChange, render func(Locale) (string, error)) ([]PageChange, error) {
	locales, err := Locales(pageLanguages)
	if err != nil {
		return nil, err
	}
	var out []PageChange
	for _, l := range locales {
		text, err := render(l)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l.Lang, err)
		}
		ch := base
		ch.Title = l.Page(base.Title)
		if len(locales) > 1 {
			text = l.languageLinks(base.Title) + text
		}
		if !l.Base() {
			text = `<div lang="` + l.Lang + `" dir="` + l.Dir() + `">` + "\n" + strings.TrimRight(text, "\n") + "\n</div>\n"
			ch.Summary = "[" + l.Lang + "] " + base.Summary
		}
		ch.Text = text
		out = append(out, ch)
	}
	return out, nil
}
