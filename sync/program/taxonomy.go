package program

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/editdistance"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// Names of the on-wiki templates the bot reads. Their sources, with
// TemplateData, live in templates/wiki.
const (
	TemplateSkillCategory = "Let's Connect skill category"
	TemplateSkill         = "Let's Connect skill"
	TemplateRegistration  = "Let's Connect registration"
	TemplateRequest       = "Let's Connect request"
)

// Category groups skills on the generated pages.
type Category struct {
	ID   string
	Name string
	// Names are the category's name in other languages, by code (the
	// template's name-CODE parameters).
	Names map[string]string
}

// NameIn is the category's name in lang, else in English.
func (c Category) NameIn(lang string) string { return inLanguage(c.Name, c.Names, lang) }

// Skill is one entry of the taxonomy.
type Skill struct {
	ID          string
	CategoryID  string
	Name        string
	Description string
	Aliases     []string
	// Names and Descriptions are the skill's name and description in
	// other languages, by code (the template's name-CODE and
	// description-CODE parameters), for the pages and messages in those
	// languages.
	Names, Descriptions map[string]string
	// CapX are the codes of the Capacity Exchange's capacities the skill
	// corresponds to (the template's capx parameter), as written: whether
	// CapX knows them is checked against its list (sync/capx).
	CapX []int
}

// NameIn is the skill's name in lang ("pt-br" falls back to "pt"), else
// in English.
func (s Skill) NameIn(lang string) string { return inLanguage(s.Name, s.Names, lang) }

// DescriptionIn is the skill's description in lang, else in English.
func (s Skill) DescriptionIn(lang string) string {
	return inLanguage(s.Description, s.Descriptions, lang)
}

// inLanguage picks lang's text, or its base language's, or the English.
func inLanguage(en string, texts map[string]string, lang string) string {
	for _, l := range i18n.Chain(lang) {
		if t := texts[l]; t != "" {
			return t
		}
	}
	return en
}

// translations reads the name-CODE (or description-CODE) parameters.
func translations(ps *ProblemList, params map[string]string, field string) map[string]string {
	var out map[string]string
	for _, k := range slices.Sorted(maps.Keys(params)) {
		v := params[k]
		lang, ok := strings.CutPrefix(k, field+"-")
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		if !languageCodeRE.MatchString(lang) {
			ps.Add(k, "%q is not a language code: translations are %s-CODE, e.g. %s-fr", lang, field, field)
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[lang] = Clip(ps, k, v)
	}
	return out
}

// SkillParams are the parameters of {{Let's Connect skill}} its
// TemplateData documents: the translations for the default page languages
// (name-CODE and description-CODE are read for any language).
var SkillParams = append([]string{"id", "category", "name", "description", "aliases", "capx"}, translatedParams("name", "description")...)

// SkillCategoryParams are those of {{Let's Connect skill category}}.
var SkillCategoryParams = append([]string{"id", "name"}, translatedParams("name")...)

func translatedParams(fields ...string) []string {
	var out []string
	for _, lang := range DefaultPageLanguages[1:] {
		for _, f := range fields {
			out = append(out, f+"-"+lang)
		}
	}
	return out
}

// languageCodeRE matches the language codes MediaWiki uses (fr, pt-br,
// zh-hans).
var languageCodeRE = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`)

// Taxonomy is the skills taxonomy the working group keeps on the wiki.
type Taxonomy struct {
	Categories []Category // in page order
	Skills     []Skill    // in page order
	byKey      map[string]int
}

// ParseTaxonomy reads the taxonomy page: one {{Let's Connect skill
// category}} per category and one {{Let's Connect skill}} per skill.
func ParseTaxonomy(page, text string) (*Taxonomy, []Problem) {
	ps := &ProblemList{Page: page}
	tx := &Taxonomy{byKey: map[string]int{}}
	categories := map[string]bool{}
	for _, t := range wikitext.Templates(text) {
		params := t.Map()
		switch t.Name {
		case TemplateSkillCategory:
			id, name := params["id"], Clip(ps, "name", params["name"])
			if id == "" || name == "" {
				ps.Add("id", "a skill category needs an id and a name (found id %q, name %q)", id, name)
				continue
			}
			if !validID(id) {
				ps.Add("id", "the category id %q may hold only letters, digits, %q, %q and %q, at most %d characters", id, "-", "_", ".", maxIDRunes)
				continue
			}
			if categories[id] {
				ps.Add("id", "the category id %q is used twice", id)
				continue
			}
			categories[id] = true
			tx.Categories = append(tx.Categories, Category{ID: id, Name: name, Names: translations(ps, params, "name")})
		case TemplateSkill:
			s := Skill{
				ID:          params["id"],
				CategoryID:  params["category"],
				Name:        Clip(ps, "name", params["name"]),
				Description: Clip(ps, "description", params["description"]),
				Aliases:     SplitList(params["aliases"], ";"),
			}
			s.Names, s.Descriptions = translations(ps, params, "name"), translations(ps, params, "description")
			s.CapX = capxCodes(ps, params["capx"])
			if s.ID == "" || s.Name == "" {
				ps.Add("id", "a skill needs an id and a name (found id %q, name %q)", s.ID, s.Name)
				continue
			}
			if !validID(s.ID) {
				// The id is the anchor the directory links to on the
				// resources page (Resources#org-proposal).
				ps.Add("id", "the skill id %q may hold only letters, digits, %q, %q and %q, at most %d characters", s.ID, "-", "_", ".", maxIDRunes)
				continue
			}
			if !categories[s.CategoryID] {
				ps.Add("category", "the skill %q names the category %q, which the page does not define above it", s.ID, s.CategoryID)
				continue
			}
			if _, dup := tx.byKey[skillKey(s.ID)]; dup {
				ps.Add("id", "the skill id %q is used twice (or is another skill's name or alias)", s.ID)
				continue
			}
			tx.Skills = append(tx.Skills, s)
			i := len(tx.Skills) - 1
			for _, key := range append([]string{s.ID, s.Name}, s.Aliases...) {
				k := skillKey(key)
				if other, dup := tx.byKey[k]; dup && other != i {
					ps.Add("aliases", "%q names both %q and %q; it will mean %q", key, tx.Skills[other].ID, s.ID, tx.Skills[other].ID)
					continue
				}
				tx.byKey[k] = i
			}
		}
	}
	if len(tx.Skills) == 0 {
		ps.Add("", "the taxonomy page has no {{%s}} templates", TemplateSkill)
	}
	return tx, ps.List
}

// capxCodes reads a skill's capx parameter: capacity codes separated by
// commas or spaces ("25, 116"). What is not a code is reported and left
// out; a code written twice counts once.
func capxCodes(ps *ProblemList, value string) []int {
	var out []int
	for _, w := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		n, err := strconv.Atoi(w)
		if err != nil || n <= 0 {
			ps.Add("capx", "%q is not a CapX capacity code: write the capacities' numbers, separated by commas (capx=25, 116)", w)
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// maxIDRunes is the longest id of a skill or a category.
const maxIDRunes = 64

// validID reports whether an id is letters (with their marks), digits,
// "-", "_" and ".", starting with a letter or a digit: it is used in links' anchors and in
// the ledger's rows, where it must read the same everywhere.
func validID(id string) bool {
	if id == "" || utf8.RuneCountInString(id) > maxIDRunes {
		return false
	}
	for i, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && (i == 0 || !unicode.IsMark(r) && !strings.ContainsRune("-_.", r)) {
			return false
		}
	}
	return true
}

// Lookup finds a skill by id, name or alias, ignoring case, punctuation
// and spacing.
func (tx *Taxonomy) Lookup(s string) (Skill, bool) {
	i, ok := tx.byKey[skillKey(s)]
	if !ok {
		return Skill{}, false
	}
	return tx.Skills[i], true
}

// Index returns the place in Skills of the skill s names (its id, name or
// an alias, as Lookup reads them).
func (tx *Taxonomy) Index(s string) (int, bool) {
	i, ok := tx.byKey[skillKey(s)]
	return i, ok
}

// Skill returns the skill with the given id.
func (tx *Taxonomy) Skill(id string) Skill {
	s, _ := tx.Lookup(id)
	return s
}

// Category returns the category with the given id.
func (tx *Taxonomy) Category(id string) Category {
	for _, c := range tx.Categories {
		if c.ID == id {
			return c
		}
	}
	return Category{ID: id, Name: id}
}

// Suggest returns up to n skill names closest to s, best first, for a
// "did you mean" message.
func (tx *Taxonomy) Suggest(s string, n int) []string {
	key := skillKey(s)
	type scored struct {
		name  string
		score float64
	}
	best := map[string]float64{}
	for k, i := range tx.byKey {
		score := similarity(key, k)
		name := tx.Skills[i].Name
		if score > best[name] {
			best[name] = score
		}
	}
	top := 0.0
	for _, score := range best {
		top = max(top, score)
	}
	var list []scored
	for name, score := range best {
		if score >= minSuggestScore && score >= top-suggestSpread {
			list = append(list, scored{name, score})
		}
	}
	slices.SortFunc(list, func(a, b scored) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	var out []string
	for _, s := range list[:min(n, len(list))] {
		out = append(out, s.name)
	}
	return out
}

// A suggestion must be a fair match and not far behind the best one: below
// that, names look alike only by chance ("Blorp flum" is 40% like the id
// "org plan", "Proposal writting" 35% like "Grant reporting") and a "did
// you mean" naming them misleads more than it helps.
const (
	minSuggestScore = 0.5
	suggestSpread   = 0.2
)

var andReplacer = strings.NewReplacer("+", " and ", "&", " and ")

// skillKey folds what people vary when they type a skill: case,
// punctuation, "+" or "&" for "and", extra spaces.
func skillKey(s string) string {
	s = strings.ToLower(andReplacer.Replace(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// similarity scores two keys in [0, 1]: the better of edit-distance
// similarity (typos) and word overlap (words in another order, a word
// missing).
func similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	// The edit distance is at least the difference in length: when one key
	// is over twice as long as the other, the similarity is below
	// minSuggestScore, and computing it (quadratic) is skipped: a 2 MB
	// misspelt skill took 20 s.
	edit := 0.0
	if na, nb := utf8.RuneCountInString(a), utf8.RuneCountInString(b); 2*min(na, nb) >= max(na, nb) {
		edit = 1 - float64(editdistance.Runes([]rune(a), []rune(b)))/float64(max(na, nb))
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	// Distinct words of the shorter key found in the longer: a word
	// repeated in a long text counts once (counted each time, "and" 66,000
	// times scored 20,000).
	common := 0
	for i, w := range wa {
		if len(w) > 2 && !slices.Contains(wa[:i], w) && slices.Contains(wb, w) {
			common++
		}
	}
	overlap := 0.0
	if n := max(len(wa), len(wb)); n > 0 {
		overlap = float64(common) / float64(min(len(wa), len(wb))) * 0.9
		if common == 0 {
			overlap = 0
		}
	}
	return max(edit, overlap)
}

// SplitList splits a list a person typed: on the given separators and on
// new lines, trimming items and dropping empty ones.
func SplitList(s, seps string) []string {
	f := func(r rune) bool { return r == '\n' || strings.ContainsRune(seps, r) }
	var out []string
	for _, item := range strings.FieldsFunc(s, f) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
