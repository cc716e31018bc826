// Package programtest holds the fixtures the behaviours' tests share: a
// taxonomy (small, and the demo's whole), the wiki's languages, a
// registration to vary, and a check of the problems a test expects.
package programtest

import (
	_ "embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

//go:embed taxonomy.wikitext
var demoTaxonomy string

// Prefix is the participants prefix of the tests.
const Prefix = "Let's Connect/Participants/"

// Now is in January, when Europe and North America keep winter time.
var Now = time.Date(2024, time.January, 15, 12, 0, 0, 0, time.UTC)

// Languages are the wiki's languages of the tests.
var Languages = map[string]string{"en": "English", "fr": "français", "yo": "Yorùbá", "sw": "Kiswahili"}

// Checker checks registrations against SmallTaxonomy, Languages, a
// working group of one (Coordinator One), under Prefix, at Now.
func Checker(t *testing.T) *program.Checker {
	t.Helper()
	return &program.Checker{
		Taxonomy:     ParseTaxonomy(t, SmallTaxonomy),
		Languages:    Languages,
		WorkingGroup: []string{"Coordinator_One"},
		Prefix:       Prefix,
		Now:          Now,
	}
}

// BaseParams is a valid registration with only what is required and one
// skill to learn and one to share.
var BaseParams = [][2]string{
	{"region", "MEA"},
	{"country", "Nigeria"},
	{"languages", "en-3, yo-N"},
	{"timezone", "Africa/Lagos"},
	{"learn", "Proposal writing (beginner)"},
	{"share", "Basic Wikidata (advanced)"},
}

// RegistrationText returns a registration template built from BaseParams
// with edits applied: "name=value" sets a parameter (appending it when
// BaseParams lacks it) and "-name" removes one.
func RegistrationText(edits ...string) string {
	params := append([][2]string(nil), BaseParams...)
	for _, e := range edits {
		if name, ok := strings.CutPrefix(e, "-"); ok {
			for i, p := range params {
				if p[0] == name {
					params = append(params[:i], params[i+1:]...)
					break
				}
			}
			continue
		}
		name, value, _ := strings.Cut(e, "=")
		set := false
		for i, p := range params {
			if p[0] == name {
				params[i][1], set = value, true
			}
		}
		if !set {
			params = append(params, [2]string{name, value})
		}
	}
	var b strings.Builder
	b.WriteString("{{Let's Connect registration\n")
	for _, p := range params {
		fmt.Fprintf(&b, "| %s = %s\n", p[0], p[1])
	}
	b.WriteString("}}\n")
	return b.String()
}

// AdaPage is Ada Lovelace's registration page.
const AdaPage = Prefix + "Ada Lovelace"

// AdaRegistration is a registration page by Ada Lovelace, written by her.
func AdaRegistration(text string) program.RegistrationPage {
	return program.RegistrationPage{Title: AdaPage, RevID: 42, Text: text, Contributors: []string{"Ada Lovelace"}}
}

// TaxonomyPage is the taxonomy page the tests read.
const TaxonomyPage = "Let's Connect/Skills taxonomy"

// BotTaxonomy is the whole-bot tests' small taxonomy (sync/bot/bottest
// and the report's): two categories, four skills.
const BotTaxonomy = `The skills people can learn and share in Let's Connect.

{{Let's Connect skill category|id=org|name=Organizing}}
{| class="wikitable"
{{Let's Connect skill|id=org-grants|category=org|name=Grant proposals|description=Writing a grant or project proposal|aliases=grants; proposals}}
{{Let's Connect skill|id=org-events|category=org|name=Event organizing|description=Edit-a-thons, meetups, photo walks}}
|}
{{Let's Connect skill category|id=tech|name=Technical}}
{| class="wikitable"
{{Let's Connect skill|id=tech-bots|category=tech|name=Bots|description=Writing and running bots|aliases=bot}}
{{Let's Connect skill|id=tech-lua|category=tech|name=Lua modules}}
|}
`

// SmallTaxonomy is a taxonomy page with a few skills of the demo
// taxonomy (internal/dev/demo/skills-taxonomy.tsv), written the way the
// working group writes the page: templates between tables and prose.
const SmallTaxonomy = `The skills you can name in your registration.

{{Let's Connect skill category|id=org|name=Organisational skills}}
{| class="wikitable"
! Id !! Skill !! Description !! Other names
{{Let's Connect skill|id=org-proposal|category=org|name=Proposal writing for funding|description=Writing grant proposals|aliases=Proposal writing; Writing proposals; Grant writing}}
{{Let's Connect skill|id=org-governance|category=org|name=Establishing governance|aliases=Governance}}
{{Let's Connect skill|id=org-finance|category=org|name=Financial planning and management|aliases=Financial planning + management; Financial management}}
|}

{{Let's Connect skill category|id=prog|name=Programmatic skills}}
{| class="wikitable"
{{Let's Connect skill|id=prog-newcomers|category=prog|name=Effective training for newcomers|aliases=Training newcomers}}
{{Let's Connect skill|id=prog-glam-innovation|category=prog|name=Innovations in culture and heritage (GLAM)|aliases=GLAM innovations}}
|}

{{Let's Connect skill category|id=wiki|name=On-wiki skills}}
{| class="wikitable"
{{Let's Connect skill|id=wiki-wikidata|category=wiki|name=Basic Wikidata|description=Items, properties, statements and references|aliases=Wikidata}}
{{Let's Connect skill|id=wiki-queries|category=wiki|name=Wikimedia tools for running queries and scripts|aliases=Wikimedia tools for running queries +scripts; Queries and scripts}}
{{Let's Connect skill|id=wiki-wikisource|category=wiki|name=Using Wikisource|aliases=Wikisource}}
|}
`

// ParseTaxonomy parses a taxonomy page that must have no problem.
func ParseTaxonomy(t *testing.T, text string) *program.Taxonomy {
	t.Helper()
	tx, problems := program.ParseTaxonomy(TaxonomyPage, text)
	if len(problems) > 0 {
		t.Fatalf("ParseTaxonomy: unexpected problems:\n%s", ProblemLines(problems))
	}
	return tx
}

// DemoTaxonomy is taxonomy.wikitext: the whole demo taxonomy (5
// categories, 59 skills) as a wiki page.
func DemoTaxonomy(t *testing.T) *program.Taxonomy {
	t.Helper()
	return ParseTaxonomy(t, demoTaxonomy)
}

// ProblemLines writes problems one a line, for a test's message.
func ProblemLines(list []program.Problem) string {
	var b strings.Builder
	for _, p := range list {
		b.WriteString("\t" + p.String() + "\n")
	}
	return b.String()
}

// SkillIDs lists the skills' ids.
func SkillIDs(skills []program.Skill) []string {
	var ids []string
	for _, s := range skills {
		ids = append(ids, s.ID)
	}
	return ids
}

// WantProblem is a problem a test expects: its field, and words its
// message must contain so that a person knows what to fix.
type WantProblem struct {
	Field    string
	Contains []string
}

// CheckProblems reports unless got holds exactly the wanted problems (in
// any order), each on page.
func CheckProblems(t *testing.T, page string, got []program.Problem, want []WantProblem) {
	t.Helper()
	left := append([]program.Problem(nil), got...)
	for _, w := range want {
		found := -1
		for i, p := range left {
			if p.Field == w.Field && containsAll(p.Message, w.Contains) {
				found = i
				break
			}
		}
		if found < 0 {
			t.Errorf("no problem in field %q whose message contains %q; got:\n%s", w.Field, w.Contains, ProblemLines(got))
			continue
		}
		left = append(left[:found], left[found+1:]...)
	}
	if len(left) > 0 {
		t.Errorf("unexpected problems:\n%s", ProblemLines(left))
	}
	for _, p := range got {
		if p.Page != page {
			t.Errorf("problem %q is on page %q, want %q", p.Message, p.Page, page)
		}
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// Registrations are four registrations as Check returns them (of
// SmallTaxonomy's skills): Carol, Ada Lovelace and Bola, and Dami, paused.
func Registrations() []*program.Registration {
	reg := func(user string, active bool, langs []program.LanguageLevel, learn, share []program.SkillLevel) *program.Registration {
		return &program.Registration{
			Page: Prefix + user, Username: user, Active: active,
			Region: "Middle East and Africa", Country: "Nigeria", Languages: langs, TimeZone: "Africa/Lagos",
			Learn: learn, Share: share,
			Formats: []match.Format{match.OneToOne, match.Group, match.Clinic}, Capacity: 1, Contact: "talk page",
		}
	}
	return []*program.Registration{
		reg("Carol", true, []program.LanguageLevel{{Code: "en", Level: 4}},
			[]program.SkillLevel{{ID: "org-proposal", Level: match.LevelNone}},
			[]program.SkillLevel{{ID: "wiki-wikidata", Level: match.LevelAdvanced}}),
		reg("Ada Lovelace", true, []program.LanguageLevel{{Code: "en", Level: 3}, {Code: "yo", Level: program.LanguageNative}, {Code: "fr", Level: 1}},
			[]program.SkillLevel{{ID: "org-proposal", Level: match.LevelBeginner}, {ID: "wiki-queries", Level: match.LevelBeginner}},
			[]program.SkillLevel{{ID: "wiki-wikidata", Level: match.LevelExpert}, {ID: "prog-newcomers", Level: match.LevelIntermediate}}),
		reg("Bola", true, []program.LanguageLevel{{Code: "yo", Level: program.LanguageNative}, {Code: "en", Level: 5}},
			[]program.SkillLevel{{ID: "org-governance", Level: match.LevelNone}},
			[]program.SkillLevel{{ID: "wiki-wikidata", Level: match.LevelAdvanced}, {ID: "wiki-queries", Level: match.LevelAdvanced}}),
		// Paused: neither a learner nor a sharer, so Proposal writing,
		// which only they share, stays a gap.
		reg("Dami", false, []program.LanguageLevel{{Code: "sw", Level: program.LanguageNative}},
			[]program.SkillLevel{{ID: "org-governance", Level: match.LevelBeginner}, {ID: "org-finance", Level: match.LevelNone}},
			[]program.SkillLevel{{ID: "org-proposal", Level: match.LevelExpert}, {ID: "wiki-wikisource", Level: match.LevelExpert}}),
	}
}

// TranslatedTaxonomy is a small taxonomy with one skill translated into
// French and Arabic.
const TranslatedTaxonomy = `{{Let's Connect skill category|id=wiki|name=Wiki skills|name-fr=Compétences wiki}}
{{Let's Connect skill|id=wiki-wikidata|category=wiki|name=Basic Wikidata|description=Items and statements|name-fr=Bases de Wikidata|description-fr=Éléments et déclarations|name-ar=أساسيات ويكي بيانات}}
{{Let's Connect skill|id=wiki-queries|category=wiki|name=Queries}}
`
