package program_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// FuzzRegistration feeds the registration checker values for the fields
// docs/formats.md documents, and checks what the docs promise of any
// registration the bot keeps: languages the wiki knows, each once; list
// items once each (case and spacing aside); free text within MaxTextRunes;
// skills in the taxonomy, never both to learn and to share; a capacity
// from 0 to 20; requests naming valid user names. Whatever the input, the
// checker neither panics nor loses the other fields.
func FuzzRegistration(f *testing.F) {
	// The docs' example, and the inputs.
	f.Add("yo-N, en-4, fr-1", "Nigeria", "education, GLAM", "connectivity", "yo.wikipedia, en.wikipedia, Wikidata",
		"Proposal writing (beginner), Basic Wikidata (none)", "Effective training for newcomers (expert)", "1:1, group", "2", "Kwame Mensah")
	f.Add("Kreyòl ayisyen-N, Avañe'ẽ-N, ཇོང་ཁ:N", "nigeria ", "education, Education, education", "financial, financial", "",
		"Governance", "Wikidata (4)", "", "", "~~~~")
	f.Add("en (3), English-4; fr:2", strings.Repeat("x", 70_000), strings.Repeat("a, ", 100), "", "Yo.Wikipedia, yo.wikipedia",
		"Proposal writing (beginner), Proposal writing", "Proposal writing", "coffee, clinic, tea", "21", "[[User:X]]")
	f.Fuzz(func(t *testing.T, languages, country, interests, support, projects, learn, share, formats, capacity, sharer string) {
		ck := programtest.Checker(t)
		ck.Languages = map[string]string{"en": "English", "fr": "français", "yo": "Yorùbá", "ht": "Kreyòl ayisyen", "gn": "Avañe'ẽ", "dz": "ཇོང་ཁ"}
		text := programtest.RegistrationText("languages="+languages, "country="+country, "interests="+interests, "support="+support,
			"projects="+projects, "learn="+learn, "share="+share, "formats="+formats, "capacity="+capacity) +
			"{{Let's Connect request|sharer=" + sharer + "|skill=Governance}}"
		reg, problems := ck.Check(programtest.AdaRegistration(text))
		for _, p := range problems {
			if p.Page != programtest.AdaPage || p.Message == "" {
				t.Fatalf("problem %+v", p)
			}
		}
		if reg == nil {
			if len(problems) == 0 {
				t.Fatal("the registration is left out and no problem says why")
			}
			return
		}
		var codes []string
		for _, l := range reg.Languages {
			if _, ok := ck.Languages[l.Code]; !ok || slices.Contains(codes, l.Code) || l.Level < 0 || l.Level > program.LanguageNative {
				t.Fatalf("languages %v", reg.Languages)
			}
			codes = append(codes, l.Code)
		}
		if len(codes) == 0 || reg.Country == "" || utf8.RuneCountInString(reg.Country) > program.MaxTextRunes {
			t.Fatalf("country %q, languages %v", reg.Country, reg.Languages)
		}
		for _, list := range [][]string{reg.Interests, reg.Support, reg.Projects} {
			var keys []string
			for _, item := range list {
				k := program.TextKey(item)
				if k == "" || slices.Contains(keys, k) || utf8.RuneCountInString(item) > program.MaxTextRunes {
					t.Fatalf("list %q", list)
				}
				keys = append(keys, k)
			}
		}
		var ids []string
		for _, s := range slices.Concat(reg.Learn, reg.Share) {
			if _, ok := ck.Taxonomy.Lookup(s.ID); !ok || slices.Contains(ids, s.ID) {
				t.Fatalf("learn %v, share %v", reg.Learn, reg.Share)
			}
			ids = append(ids, s.ID)
		}
		if reg.Capacity < 0 || reg.Capacity > 20 || len(reg.Formats) == 0 {
			t.Fatalf("capacity %d, formats %v", reg.Capacity, reg.Formats)
		}
		for _, q := range reg.Requests {
			if name, err := wikitext.CheckUserName(q.Sharer); err != nil || name != q.Sharer {
				t.Fatalf("request to %q: %v", q.Sharer, err)
			}
		}
	})
}
