package program_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
)

func TestParseTaxonomyPageOrder(t *testing.T) {
	tx := programtest.ParseTaxonomy(t, programtest.SmallTaxonomy)
	wantCategories := []program.Category{
		{ID: "org", Name: "Organisational skills"},
		{ID: "prog", Name: "Programmatic skills"},
		{ID: "wiki", Name: "On-wiki skills"},
	}
	if !reflect.DeepEqual(tx.Categories, wantCategories) {
		t.Errorf("Categories = %+v, want %+v", tx.Categories, wantCategories)
	}
	wantIDs := []string{"org-proposal", "org-governance", "org-finance", "prog-newcomers", "prog-glam-innovation", "wiki-wikidata", "wiki-queries", "wiki-wikisource"}
	if got := programtest.SkillIDs(tx.Skills); !reflect.DeepEqual(got, wantIDs) {
		t.Errorf("skills = %q, want %q", got, wantIDs)
	}
	wantProposal := program.Skill{
		ID:          "org-proposal",
		CategoryID:  "org",
		Name:        "Proposal writing for funding",
		Description: "Writing grant proposals",
		Aliases:     []string{"Proposal writing", "Writing proposals", "Grant writing"},
	}
	if got := tx.Skill("org-proposal"); !reflect.DeepEqual(got, wantProposal) {
		t.Errorf("Skill(org-proposal) = %+v, want %+v", got, wantProposal)
	}
	if got := tx.Skill("org-governance"); got.Description != "" || !reflect.DeepEqual(got.Aliases, []string{"Governance"}) {
		t.Errorf("Skill(org-governance) = %+v, want no description and the alias Governance", got)
	}
	if got, want := tx.Category("prog"), (program.Category{ID: "prog", Name: "Programmatic skills"}); !reflect.DeepEqual(got, want) {
		t.Errorf("Category(prog) = %+v, want %+v", got, want)
	}
	if got, want := tx.Category("gone"), (program.Category{ID: "gone", Name: "gone"}); !reflect.DeepEqual(got, want) {
		t.Errorf("Category(gone) = %+v, want %+v", got, want)
	}
}

func TestParseTaxonomyAliases(t *testing.T) {
	for _, tc := range []struct {
		name    string
		aliases string
		want    []string
	}{
		{"none", "", nil},
		{"one", "Wikidata", []string{"Wikidata"}},
		{"semicolons, spaces trimmed", " Wikidata ;Basic WD;  Items and statements ", []string{"Wikidata", "Basic WD", "Items and statements"}},
		{"empty items dropped", ";Wikidata;; ;", []string{"Wikidata"}},
		{"new lines separate too", "Wikidata\nBasic WD", []string{"Wikidata", "Basic WD"}},
		{"commas are part of an alias", "Items, properties and statements", []string{"Items, properties and statements"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := programtest.ParseTaxonomy(t, "{{Let's Connect skill category|id=wiki|name=On-wiki skills}}\n"+
				"{{Let's Connect skill|id=wiki-wikidata|category=wiki|name=Basic Wikidata|aliases="+tc.aliases+"}}")
			if got := tx.Skills[0].Aliases; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Aliases = %q, want %q", got, tc.want)
			}
			for _, a := range tc.want {
				if s, ok := tx.Lookup(a); !ok || s.ID != "wiki-wikidata" {
					t.Errorf("Lookup(%q) = %q, %v; want wiki-wikidata", a, s.ID, ok)
				}
			}
		})
	}
}

func TestParseTaxonomyProblems(t *testing.T) {
	const (
		catOrg   = "{{Let's Connect skill category|id=org|name=Organisational skills}}\n"
		catWiki  = "{{Let's Connect skill category|id=wiki|name=On-wiki skills}}\n"
		wikidata = "{{Let's Connect skill|id=wiki-wikidata|category=wiki|name=Basic Wikidata|aliases=Wikidata}}\n"
	)
	for _, tc := range []struct {
		name           string
		text           string
		wantCategories []string
		wantSkills     []string
		want           []programtest.WantProblem
		lookups        map[string]string // Lookup(key) → skill id after the problems
	}{
		{
			name:           "category without id",
			text:           "{{Let's Connect skill category|name=Organisational skills}}\n" + catWiki + wikidata,
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "id", Contains: []string{"category", `id ""`, `"Organisational skills"`}}},
		},
		{
			name:           "category without name",
			text:           "{{Let's Connect skill category|id=org|name=}}\n" + catWiki + wikidata,
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "id", Contains: []string{"category", `id "org"`, `name ""`}}},
		},
		{
			name:           "category id used twice",
			text:           catWiki + "{{Let's Connect skill category|id=wiki|name=Wiki skills again}}\n" + wikidata,
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "id", Contains: []string{`"wiki"`, "twice"}}},
		},
		{
			name:           "skill without id",
			text:           catWiki + wikidata + "{{Let's Connect skill|category=wiki|name=Using Wikisource}}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "id", Contains: []string{"skill", `id ""`, `"Using Wikisource"`}}},
		},
		{
			name:           "skill without name",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=wiki-wikisource|category=wiki|name= }}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "id", Contains: []string{"skill", `"wiki-wikisource"`, `name ""`}}},
		},
		{
			name:           "unknown category",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=org-proposal|category=orgs|name=Proposal writing for funding}}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "category", Contains: []string{`"org-proposal"`, `"orgs"`}}},
		},
		{
			name:           "category defined below its skill",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=org-proposal|category=org|name=Proposal writing for funding}}\n" + catOrg,
			wantCategories: []string{"wiki", "org"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "category", Contains: []string{`"org-proposal"`, `"org"`, "above"}}},
		},
		{
			name:           "skill id used twice: the first wins",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=wiki-wikidata|category=wiki|name=Advanced Wikidata and SPARQL}}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want:    []programtest.WantProblem{{Field: "id", Contains: []string{`"wiki-wikidata"`, "twice"}}},
			lookups: map[string]string{"wiki-wikidata": "wiki-wikidata", "Basic Wikidata": "wiki-wikidata"},
		},
		{
			name:           "skill id written differently is still the same id",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=Wiki_Wikidata|category=wiki|name=Advanced Wikidata and SPARQL}}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "id", Contains: []string{`"Wiki_Wikidata"`, "twice"}}},
		},
		{
			name:           "skill id that is another skill's alias",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=wikidata|category=wiki|name=Advanced Wikidata and SPARQL}}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "id", Contains: []string{`"wikidata"`, "twice"}}},
		},
		{
			name:           "alias naming two skills: it keeps meaning the first",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=wiki-wikidata-advanced|category=wiki|name=Advanced Wikidata and SPARQL|aliases=SPARQL; Wikidata}}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata", "wiki-wikidata-advanced"},
			want: []programtest.WantProblem{{Field: "aliases", Contains: []string{`"Wikidata"`, `"wiki-wikidata"`, `"wiki-wikidata-advanced"`}}},
			lookups: map[string]string{
				"Wikidata": "wiki-wikidata", "SPARQL": "wiki-wikidata-advanced",
				"Advanced Wikidata and SPARQL": "wiki-wikidata-advanced",
			},
		},
		{
			name:           "alias written differently naming two skills",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=wiki-wikidata-advanced|category=wiki|name=Advanced Wikidata and SPARQL|aliases=WIKIDATA.}}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata", "wiki-wikidata-advanced"},
			want: []programtest.WantProblem{{Field: "aliases", Contains: []string{`"WIKIDATA."`, `"wiki-wikidata"`}}},
		},
		{
			name:           "name that is another skill's name",
			text:           catWiki + wikidata + "{{Let's Connect skill|id=wiki-wd|category=wiki|name=Basic Wikidata}}\n",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata", "wiki-wd"},
			want:    []programtest.WantProblem{{Field: "aliases", Contains: []string{`"Basic Wikidata"`, `"wiki-wikidata"`, `"wiki-wd"`}}},
			lookups: map[string]string{"Basic Wikidata": "wiki-wikidata", "wiki-wd": "wiki-wd"},
		},
		{
			name:           "no skill at all",
			text:           catOrg + "The list is coming soon.",
			wantCategories: []string{"org"},
			want:           []programtest.WantProblem{{Field: "", Contains: []string{"no {{Let's Connect skill}} templates"}}},
		},
		{
			name: "empty page",
			text: "",
			want: []programtest.WantProblem{{Field: "", Contains: []string{"no {{Let's Connect skill}} templates"}}},
		},
		{
			name:           "other templates are ignored",
			text:           "{{Navbox|x}}\n" + catWiki + "{{Let's Connect skill category}}" + wikidata + "{{#if:x|y}}",
			wantCategories: []string{"wiki"}, wantSkills: []string{"wiki-wikidata"},
			want: []programtest.WantProblem{{Field: "id", Contains: []string{"category", `id ""`}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx, problems := program.ParseTaxonomy(programtest.TaxonomyPage, tc.text)
			programtest.CheckProblems(t, programtest.TaxonomyPage, problems, tc.want)
			var cats []string
			for _, c := range tx.Categories {
				cats = append(cats, c.ID)
			}
			if !reflect.DeepEqual(cats, tc.wantCategories) {
				t.Errorf("categories = %q, want %q", cats, tc.wantCategories)
			}
			if got := programtest.SkillIDs(tx.Skills); !reflect.DeepEqual(got, tc.wantSkills) {
				t.Errorf("skills = %q, want %q", got, tc.wantSkills)
			}
			for key, id := range tc.lookups {
				if s, ok := tx.Lookup(key); !ok || s.ID != id {
					t.Errorf("Lookup(%q) = %q, %v; want %q", key, s.ID, ok, id)
				}
			}
		})
	}
}

// TestParseTaxonomyDemo reads the whole demo taxonomy as a page and checks
// it against the tab-separated list it was written from.
func TestParseTaxonomyDemo(t *testing.T) {
	tx := programtest.DemoTaxonomy(t)
	tsv, err := os.ReadFile("../../internal/dev/demo/skills-taxonomy.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var wantCategories []program.Category
	var wantSkills []program.Skill
	for _, line := range strings.Split(strings.TrimSpace(string(tsv)), "\n")[1:] {
		f := strings.Split(line, "\t")
		if n := len(wantCategories); n == 0 || wantCategories[n-1].ID != f[0] {
			wantCategories = append(wantCategories, program.Category{ID: f[0], Name: f[1]})
		}
		s := program.Skill{ID: f[2], CategoryID: f[0], Name: f[3], Description: f[4]}
		if len(f) > 5 {
			for _, a := range strings.Split(f[5], "|") {
				if a = strings.TrimSpace(a); a != "" {
					s.Aliases = append(s.Aliases, a)
				}
			}
		}
		wantSkills = append(wantSkills, s)
	}
	if len(wantCategories) != 5 || len(wantSkills) != 59 {
		t.Fatalf("the demo taxonomy has %d categories and %d skills, want 5 and 59", len(wantCategories), len(wantSkills))
	}
	if !reflect.DeepEqual(tx.Categories, wantCategories) {
		t.Errorf("Categories = %+v\nwant %+v", tx.Categories, wantCategories)
	}
	if len(tx.Skills) != len(wantSkills) {
		t.Fatalf("%d skills, want %d", len(tx.Skills), len(wantSkills))
	}
	for i := range wantSkills {
		if !reflect.DeepEqual(tx.Skills[i], wantSkills[i]) {
			t.Errorf("skill %d = %+v\nwant %+v", i, tx.Skills[i], wantSkills[i])
		}
		// Every id, name and alias finds its skill.
		for _, key := range append([]string{wantSkills[i].ID, wantSkills[i].Name}, wantSkills[i].Aliases...) {
			if s, ok := tx.Lookup(key); !ok || s.ID != wantSkills[i].ID {
				t.Errorf("Lookup(%q) = %q, %v; want %q", key, s.ID, ok, wantSkills[i].ID)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	tx := programtest.DemoTaxonomy(t)
	for _, tc := range []struct {
		in   string
		want string // skill id, "" for not found
	}{
		{"org-proposal", "org-proposal"},
		{"ORG_PROPOSAL", "org-proposal"},
		{"Proposal writing for funding", "org-proposal"},
		{"proposal writing", "org-proposal"},
		{"  Proposal   Writing  ", "org-proposal"},
		{"Proposal-writing!", "org-proposal"},
		{"GRANT WRITING.", "org-proposal"},
		{"Financial planning and management", "org-finance"},
		{"Financial planning + management", "org-finance"},
		{"financial planning+management", "org-finance"},
		{"Financial Planning And Management", "org-finance"},
		{"Methods and tools for qualitative evaluation", "eval-qual"},
		{"Methods + tools for qualitative evaluation", "eval-qual"},
		{"Implementing common tactics in culture and heritage (GLAM)", "prog-glam"},
		{"Implementing common tactics in culture + heritage /GLAM", "prog-glam"},
		{"Wikimedia tools for running queries and scripts", "wiki-queries"},
		{"Documenting knowledge / learning to communicate with others", "eval-docs"},
		{"wikidata", "wiki-wikidata"},
		{"SPARQL", "wiki-wikidata-advanced"},
		{"Proposal", ""},
		{"Wikidata basics", ""},
		{"Proposal writing (beginner)", ""},
		{"", ""},
		{"   ", ""},
		{"+", ""},
	} {
		s, ok := tx.Lookup(tc.in)
		if ok != (tc.want != "") || s.ID != tc.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tc.in, s.ID, ok, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tx := programtest.DemoTaxonomy(t)
	for _, tc := range []struct {
		in   string
		n    int
		want []string
	}{
		// Typos and near misses: the skill meant, and nothing else.
		{"Proposal writting", 3, []string{"Proposal writing for funding"}},
		{"wikidata basics", 3, []string{"Basic Wikidata"}},
		{"queries and script", 3, []string{"Wikimedia tools for running queries and scripts"}},
		{"Leadershp", 3, []string{"Leadership growth and sustainability"}},
		{"Wikidta", 3, []string{"Basic Wikidata"}},
		{"fundraisng", 3, []string{"Local fundraising and resource mobilisation"}},
		{"comons", 3, []string{"Wikimedia Commons"}},
		{"training new comers", 3, []string{"Effective training for newcomers"}},
		{"Social media and the press", 3, []string{"Engaging in social media and press"}},
		// Several equally close: the best n, by name.
		{"evaluation", 3, []string{
			"Defining learning and evaluation plans",
			"Methods and tools for qualitative evaluation",
		}},
		{"evaluation", 1, []string{"Defining learning and evaluation plans"}},
		{"Wikidta", 0, nil},
		// Gibberish and unrelated words: no suggestion rather than a silly one.
		{"qwertyuiop", 3, nil},
		{"Blorp flum", 3, nil},
		{"xyzzy", 3, nil},
		{"asdf ghjk", 3, nil},
		{"zzzzzzzzzzzzzzzz", 3, nil},
		{"chess", 3, nil},
		{"a", 3, nil},
		{"", 3, nil},
	} {
		got := tx.Suggest(tc.in, tc.n)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Suggest(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
		if again := tx.Suggest(tc.in, tc.n); !reflect.DeepEqual(again, got) {
			t.Errorf("Suggest(%q, %d) is not stable: %q then %q", tc.in, tc.n, got, again)
		}
	}
}
