package demo

import (
	"fmt"
	"strings"
)

// taxonomy is the demo taxonomy from skills-taxonomy.tsv (a copy of
// ../shared/domain/skills-taxonomy.tsv: 5 categories, 59 skills).
type taxonomy struct {
	categories []taxonomyCategory
	skills     []taxonomySkill
}

type taxonomyCategory struct{ ID, Name string }

type taxonomySkill struct {
	ID, CategoryID, Name, Description string
	Aliases                           []string
}

func parseTaxonomy(tsv string) (*taxonomy, error) {
	tx := &taxonomy{}
	for n, line := range strings.Split(strings.TrimSpace(tsv), "\n") {
		if n == 0 {
			continue // header
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 {
			return nil, fmt.Errorf("demo: skills-taxonomy.tsv line %d: %d fields, want 6", n+1, len(f))
		}
		if len(tx.categories) == 0 || tx.categories[len(tx.categories)-1].ID != f[0] {
			tx.categories = append(tx.categories, taxonomyCategory{f[0], f[1]})
		}
		s := taxonomySkill{ID: f[2], CategoryID: f[0], Name: f[3], Description: f[4]}
		if len(f) > 5 && strings.TrimSpace(f[5]) != "" {
			for _, a := range strings.Split(f[5], "|") {
				if a = strings.TrimSpace(a); a != "" {
					s.Aliases = append(s.Aliases, a)
				}
			}
		}
		tx.skills = append(tx.skills, s)
	}
	return tx, nil
}

// categoryNames translate the categories (name-CODE parameters), so that
// the demo's pages in other languages show translated headings; the
// skills keep their English names there, as a taxonomy nobody translated
// yet would.
var categoryNames = map[string]string{
	"org":   "|name-fr=Compétences organisationnelles|name-es=Habilidades organizativas|name-pt=Competências organizacionais|name-ar=مهارات تنظيمية",
	"prog":  "|name-fr=Compétences programmatiques|name-es=Habilidades programáticas|name-pt=Competências programáticas|name-ar=مهارات برامجية",
	"wiki":  "|name-fr=Compétences sur les wikis|name-es=Habilidades en los wikis|name-pt=Competências nas wikis|name-ar=مهارات على الويكي",
	"inter": "|name-fr=Compétences relationnelles|name-es=Habilidades interpersonales|name-pt=Competências interpessoais|name-ar=مهارات التواصل مع الآخرين",
	"eval":  "|name-fr=Apprentissage, évaluation et communication|name-es=Aprendizaje, evaluación y comunicación|name-pt=Aprendizagem, avaliação e comunicação|name-ar=التعلّم والتقييم والتواصل",
}

// capxCodes map a few of the demo's skills to the Capacity Exchange's
// capacities (capx-capacities.csv), as a working group would start: the
// directory links them and the report counts them per CapX root.
var capxCodes = map[string]string{
	"org-proposal":           "21, 22",
	"org-finance":            "13",
	"org-knowledge":          "25",
	"inter-mentoring":        "69",
	"inter-speaking":         "46",
	"prog-glam":              "92",
	"prog-photo":             "96",
	"wiki-wikidata":          "113",
	"wiki-wikidata-advanced": "113, 143",
	"wiki-commons":           "115",
	"wiki-templates":         "134",
}

// wikitext is the taxonomy page the working group edits: a table per
// category, a template per skill.
func (tx *taxonomy) wikitext() string {
	var b strings.Builder
	b.WriteString("The skills participants can name in their [[Template:Let's Connect registration|registration]]. " +
		"The working group keeps this list; the bot reads it. Add a skill with a new <code>id</code>; never change an id once people use it. " +
		"Aliases are other names people may write, separated by semicolons.\n")
	for _, c := range tx.categories {
		fmt.Fprintf(&b, "\n{{Let's Connect skill category|id=%s|name=%s%s}}\n", c.ID, c.Name, categoryNames[c.ID])
		b.WriteString("{| class=\"wikitable sortable\"\n! Id !! Skill !! Description !! Other names\n")
		for _, s := range tx.skills {
			if s.CategoryID != c.ID {
				continue
			}
			codes := ""
			if c := capxCodes[s.ID]; c != "" {
				codes = "|capx=" + c
			}
			fmt.Fprintf(&b, "{{Let's Connect skill|id=%s|category=%s|name=%s|description=%s|aliases=%s%s}}\n",
				s.ID, s.CategoryID, s.Name, s.Description, strings.Join(s.Aliases, "; "), codes)
		}
		b.WriteString("|}\n")
	}
	return b.String()
}
