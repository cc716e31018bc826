package directory

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// directoryLines writes the directory one skill a line, in order:
// "category/skill learners=N sharers=Name:level,... [gap]".
func directoryLines(d Directory) []string {
	var lines []string
	for _, c := range d.Categories {
		for _, r := range c.Rows {
			if r.Skill.CategoryID != c.Category.ID {
				lines = append(lines, fmt.Sprintf("skill %s under category %s", r.Skill.ID, c.Category.ID))
			}
			var sharers []string
			for _, s := range r.Sharers {
				sharers = append(sharers, s.Username+":"+s.LevelName())
			}
			line := fmt.Sprintf("%s/%s learners=%d sharers=%s", c.Category.ID, r.Skill.ID, r.Learners, strings.Join(sharers, ","))
			if r.Gap() {
				line += " gap"
			}
			lines = append(lines, line)
		}
	}
	return lines
}

func TestBuildDirectory(t *testing.T) {
	tx := programtest.ParseTaxonomy(t, programtest.SmallTaxonomy)
	regs := programtest.Registrations()
	wantLines := []string{
		"org/org-proposal learners=2 sharers= gap",
		"org/org-governance learners=1 sharers= gap",
		"org/org-finance learners=0 sharers=",
		"prog/prog-newcomers learners=0 sharers=Ada Lovelace:intermediate",
		"prog/prog-glam-innovation learners=0 sharers=",
		"wiki/wiki-wikidata learners=0 sharers=Ada Lovelace:expert,Bola:advanced,Carol:advanced",
		"wiki/wiki-queries learners=1 sharers=Bola:advanced",
		"wiki/wiki-wikisource learners=0 sharers=",
	}
	for _, order := range []string{"as given", "reversed"} {
		t.Run(order, func(t *testing.T) {
			regs := slices.Clone(regs)
			if order == "reversed" {
				slices.Reverse(regs)
			}
			d := BuildDirectory(tx, regs)
			if got := directoryLines(d); !reflect.DeepEqual(got, wantLines) {
				t.Errorf("directory:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
			}
			var cats []program.Category
			for _, c := range d.Categories {
				cats = append(cats, c.Category)
			}
			if !reflect.DeepEqual(cats, tx.Categories) {
				t.Errorf("categories = %+v, want the taxonomy's %+v", cats, tx.Categories)
			}
			if d.Active != 3 {
				t.Errorf("Active = %d, want 3", d.Active)
			}
			if d.Gaps != 2 {
				t.Errorf("Gaps = %d, want 2", d.Gaps)
			}
		})
	}
}

func TestBuildDirectorySharer(t *testing.T) {
	tx := programtest.ParseTaxonomy(t, programtest.SmallTaxonomy)
	regs := programtest.Registrations()
	d := BuildDirectory(tx, regs)
	var wikidata DirectoryRow
	for _, c := range d.Categories {
		for _, r := range c.Rows {
			if r.Skill.ID == "wiki-wikidata" {
				wikidata = r
			}
		}
	}
	if wikidata.Skill.ID != "wiki-wikidata" {
		t.Fatalf("no row for wiki-wikidata")
	}
	want := Sharer{
		Username:  "Ada Lovelace",
		Page:      programtest.Prefix + "Ada Lovelace",
		Level:     match.LevelExpert,
		Languages: []program.LanguageLevel{{Code: "en", Level: 3}, {Code: "yo", Level: program.LanguageNative}, {Code: "fr", Level: 1}},
	}
	if len(wikidata.Sharers) == 0 || !reflect.DeepEqual(wikidata.Sharers[0], want) {
		t.Fatalf("first sharer = %+v, want %+v", wikidata.Sharers, want)
	}
	if got, want := wikidata.Sharers[0].LanguageCodes(), "yo, en, fr"; got != want {
		t.Errorf("LanguageCodes() = %q, want %q", got, want)
	}
	// LanguageCodes sorts a copy: the registration keeps its order.
	if want := []program.LanguageLevel{{Code: "en", Level: 3}, {Code: "yo", Level: program.LanguageNative}, {Code: "fr", Level: 1}}; !reflect.DeepEqual(regs[1].Languages, want) {
		t.Errorf("the registration's languages became %v, want %v", regs[1].Languages, want)
	}
}

func TestBuildDirectoryEmpty(t *testing.T) {
	tx := programtest.ParseTaxonomy(t, programtest.SmallTaxonomy)
	for _, regs := range [][]*program.Registration{nil, {programtest.Registrations()[3]}} {
		d := BuildDirectory(tx, regs)
		if d.Active != 0 || d.Gaps != 0 {
			t.Errorf("Active, Gaps = %d, %d; want 0, 0", d.Active, d.Gaps)
		}
		for _, line := range directoryLines(d) {
			if !strings.HasSuffix(line, "learners=0 sharers=") {
				t.Errorf("with no active registration: %s", line)
			}
		}
		if n := len(directoryLines(d)); n != len(tx.Skills) {
			t.Errorf("%d rows, want one per skill (%d)", n, len(tx.Skills))
		}
	}
}

func TestSharerLanguageCodes(t *testing.T) {
	for _, tc := range []struct {
		langs []program.LanguageLevel
		want  string
	}{
		{nil, ""},
		{[]program.LanguageLevel{{Code: "en", Level: 3}}, "en"},
		{[]program.LanguageLevel{{Code: "en", Level: 3}, {Code: "yo", Level: program.LanguageNative}, {Code: "fr", Level: 1}}, "yo, en, fr"},
		{[]program.LanguageLevel{{Code: "fr", Level: 0}, {Code: "en", Level: 5}, {Code: "sw", Level: program.LanguageNative}}, "sw, en, fr"},
		// Equal levels keep the order the participant wrote.
		{[]program.LanguageLevel{{Code: "sw", Level: 3}, {Code: "en", Level: 3}, {Code: "fr", Level: 3}}, "sw, en, fr"},
		{[]program.LanguageLevel{{Code: "fr", Level: 2}, {Code: "yo", Level: program.LanguageNative}, {Code: "en", Level: program.LanguageNative}}, "yo, en, fr"},
	} {
		if got := (Sharer{Languages: tc.langs}).LanguageCodes(); got != tc.want {
			t.Errorf("LanguageCodes(%v) = %q, want %q", tc.langs, got, tc.want)
		}
	}
}

func TestSharerLevelName(t *testing.T) {
	for level, want := range []string{"none", "beginner", "intermediate", "advanced", "expert"} {
		if got := (Sharer{Level: match.Level(level)}).LevelName(); got != want {
			t.Errorf("LevelName(%d) = %q, want %q", level, got, want)
		}
	}
}

func TestDirectoryRowGap(t *testing.T) {
	for _, tc := range []struct {
		row  DirectoryRow
		want bool
	}{
		{DirectoryRow{}, false},
		{DirectoryRow{Learners: 1}, true},
		{DirectoryRow{Learners: 1, Sharers: []Sharer{{Username: "Ada"}}}, false},
		{DirectoryRow{Sharers: []Sharer{{Username: "Ada"}}}, false},
	} {
		if got := tc.row.Gap(); got != tc.want {
			t.Errorf("%+v.Gap() = %v, want %v", tc.row, got, tc.want)
		}
	}
}
