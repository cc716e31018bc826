package capx_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// sharedList is ../shared/domain/capx-capacities.csv as it is (a copy in
// testdata): CapX's capacity directory as its frontend cached it.
func sharedList(t *testing.T) (*capx.List, []capx.Note) {
	t.Helper()
	data, err := os.ReadFile("testdata/capx-capacities.csv")
	if err != nil {
		t.Fatal(err)
	}
	l, notes, err := capx.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return l, notes
}

// Every quirk of the shared file gets its own message, nothing is
// dropped, and nothing else is noted.
func TestSharedFileQuirks(t *testing.T) {
	l, notes := sharedList(t)
	if len(l.Capacities) != 134 || len(l.Roots()) != 7 {
		t.Fatalf("%d capacities, %d roots; the file has 134 and 7", len(l.Capacities), len(l.Roots()))
	}
	var got []string
	for _, n := range notes {
		got = append(got, n.String())
	}
	want := []string{
		`capacity 97: its name is a web address (https://metabase.wikibase.cloud/entity/Q22314), CapX's placeholder for a missing label; it is called "capacity 97" until CapX names it`,
		`capacity 97: it has no English description`,
		`capacity 28: the codes 28 and 29 share the pt name "avaliação": pages in that language show it for each`,
		`capacity 54: the codes 54 and 98 share the pt name "pesquisa": pages in that language show it for each`,
		`capacity 61: "Diversity, Equity, and Inclusion" is filed under 15 (governance), but numbered among other branches' capacities (between 60 and 62): kept where CapX files it; check that CapX means it there`,
		`capacity 73: "team-building" is filed under 32 (team management), but numbered among other branches' capacities (between 72 and 74): kept where CapX files it; check that CapX means it there`,
		`capacity 86: "facilitation" is filed under 65 (social skill), but numbered among other branches' capacities (between 85 and 87): kept where CapX files it; check that CapX means it there`,
		`capacity 124: "Wikimedia tools" is filed under 50 (Learning and Evaluation), but numbered among other branches' capacities (after 123, last of the list): kept where CapX files it; check that CapX means it there`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r, _ := l.Root(143); r.Code != 50 || l.Level(143) != 3 {
		t.Errorf("143's root %d, level %d; want 50, 3", r.Code, l.Level(143))
	}
}

// What the list cannot use as written is mended, never dropped silently,
// never a crash.
func TestBrokenListsAreNoted(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"a code that is no number", "code,parent_code,name_en\nx,,a\n1,,b\n", `line 2: the code "x" is not a capacity code`},
		{"a missing parent", "code,parent_code,name_en\n1,9,a\n", "capacity 1: its parent 9 is not in the list; it is taken as a root"},
		{"a loop", "code,parent_code,name_en\n1,2,a\n2,1,b\n", "capacity 1: its parents lead back to it"},
		{"a code twice", `{"capacities": [{"code": 3, "names": {"en": "a"}}, {"code": 3, "names": {"en": "b"}}]}`, "capacity 3: the code is listed twice; the first is used"},
		{"no name", `{"capacities": [{"code": 3, "names": {}}]}`, `capacity 3: it has no English name; it is called "capacity 3"`},
		{"a wrong level", "code,parent_code,level,name_en\n1,,1,a\n2,1,3,b\n", "capacity 2: the file says level 3, but its parents make it level 2"},
	} {
		_, notes, err := capx.Parse([]byte(tc.text))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var all []string
		for _, n := range notes {
			all = append(all, n.String())
		}
		if !strings.Contains(strings.Join(all, "\n"), tc.want) {
			t.Errorf("%s: notes %q, want one saying %q", tc.name, all, tc.want)
		}
	}
	if _, _, err := capx.Parse([]byte("{not json")); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("broken JSON: %v", err)
	}
	if _, _, err := capx.Parse([]byte("a,b\n1,2\n")); err == nil || !strings.Contains(err.Error(), `"code" column`) {
		t.Errorf("CSV without a code column: %v", err)
	}
}

// The list's JSON page reads back as the list it was written from.
func TestListJSONRoundTrip(t *testing.T) {
	l, _ := sharedList(t)
	text, err := l.JSON("CapX's capacities", "capx-capacities.csv")
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := capx.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.JSON("CapX's capacities", "capx-capacities.csv")
	if again != text {
		t.Error("the list's JSON does not read back as itself")
	}
	if c, _ := back.Capacity(25); c.Name() != "knowledge management" || c.NameIn("pt") != "gestão do conhecimento" || c.Parent != 23 {
		t.Errorf("capacity 25 read back as %+v", c)
	}
}

// The taxonomy's codes are checked against the list: an unknown code is
// a problem on the taxonomy page, naming the skill and the code.
func TestCheckUnknownCodes(t *testing.T) {
	l, _ := sharedList(t)
	tx, problems := program.ParseTaxonomy("T", "{{Let's Connect skill category|id=c|name=C}}"+
		"{{Let's Connect skill|id=a|category=c|name=A|capx=25, 116}}{{Let's Connect skill|id=b|category=c|name=B|capx=25, 9999, x}}")
	if len(problems) != 1 || !strings.Contains(problems[0].Message, `"x" is not a CapX capacity code`) {
		t.Errorf("parse problems %v", problems)
	}
	got := capx.Check("T", tx, l, "L")
	if len(got) != 1 || got[0].Page != "T" || got[0].Field != "capx" ||
		got[0].Message != `the skill "b" names the CapX capacity 9999, which CapX's list (L) does not have: check the code; the directory shows the skill without it` {
		t.Errorf("problems %v", got)
	}
}

// The shared file imports as a taxonomy page the bot reads without a
// problem: a category per root, a skill per other capacity with its code,
// its Portuguese name and its description; the raw address is nowhere.
func TestImportSharedFile(t *testing.T) {
	l, _ := sharedList(t)
	text, notes := capx.TaxonomyPage(l, "capx-capacities.csv")
	if len(notes) != 0 {
		t.Errorf("notes %v", notes)
	}
	bottest.CompareGolden(t, "testdata/capx-taxonomy.wikitext", "the imported taxonomy", text, "go test -run TestImportSharedFile -update ./sync/capx/")
	tx, problems := program.ParseTaxonomy("T", text)
	if len(problems) != 0 {
		t.Errorf("the imported page has problems: %v", problems)
	}
	if len(tx.Categories) != 7 || len(tx.Skills) != 127 {
		t.Fatalf("%d categories, %d skills; want 7 and 127", len(tx.Categories), len(tx.Skills))
	}
	for _, s := range tx.Skills {
		c, ok := l.Capacity(s.CapX[0])
		if r, _ := l.Root(c.Code); !ok || len(s.CapX) != 1 || s.ID != capx.ID(c.Code) || s.CategoryID != capx.ID(r.Code) || s.Name != c.Name() {
			t.Errorf("skill %+v does not match its capacity %+v", s, c)
		}
	}
	if s := tx.Skill("capx-25"); s.NameIn("pt") != "gestão do conhecimento" || !strings.HasPrefix(s.Description, "The practice of organizing") {
		t.Errorf("capx-25: %+v", s)
	}
	if s := tx.Skill("capx-97"); s.Name != "capacity 97" || strings.Contains(text, "metabase") {
		t.Errorf("97 is %q; the page holds the raw address: %v", s.Name, strings.Contains(text, "metabase"))
	}
	if tx.Category("capx-10").NameIn("pt") != "estrutura organizacional" {
		t.Errorf("category capx-10: %+v", tx.Category("capx-10"))
	}
}

// Two capacities with one English name become two skills: the second's
// name carries its code, and a note says so.
func TestImportSharedEnglishName(t *testing.T) {
	l, _, _ := capx.Parse([]byte("code,parent_code,name_en\n1,,root\n2,1,survey\n3,1,Survey\n"))
	text, notes := capx.TaxonomyPage(l, "f")
	if len(notes) != 1 || notes[0].String() != `capacity 3: its English name "Survey" is capacity 2's too; its skill is named "Survey (CapX 3)"` {
		t.Errorf("notes %v", notes)
	}
	if _, problems := program.ParseTaxonomy("T", text); len(problems) != 0 {
		t.Errorf("problems %v", problems)
	}
}

// A loop is broken at its lowest code, and only there: a capacity that
// leads into a loop keeps its parent.
func TestLoopBrokenAtItsLowestCode(t *testing.T) {
	l, notes, err := capx.Parse([]byte("code,parent_code,name_en,description_en\n1,5,a,d\n5,6,b,d\n6,5,c,d\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || notes[0].String() != "capacity 5: its parents lead back to it (through 6); it is taken as a root" {
		t.Errorf("notes %v", notes)
	}
	if r, _ := l.Root(1); r.Code != 5 || l.Level(1) != 2 {
		t.Errorf("1's root %d, level %d; want 5 and 2", r.Code, l.Level(1))
	}
}

// A list page anyone may edit can hold a chain as deep as the page is
// long: it is read, checked and imported whole (BenchmarkDeepChain
// measures it).
func TestDeepChain(t *testing.T) {
	l, notes := deepChain(t, 5000)
	if len(l.Capacities) != 5000 || len(notes) != 0 {
		t.Fatalf("%d capacities, notes %v", len(l.Capacities), notes)
	}
	if r, _ := l.Root(5000); r.Code != 1 || l.Level(5000) != 5000 {
		t.Errorf("the deepest capacity's root %d, level %d", r.Code, l.Level(5000))
	}
	page, _ := capx.TaxonomyPage(l, "chain")
	if tx, problems := program.ParseTaxonomy("T", page); len(problems) != 0 || len(tx.Skills) != 4999 {
		t.Errorf("%d skills, problems %.3v", len(tx.Skills), problems)
	}
}

func deepChain(tb testing.TB, n int) (*capx.List, []capx.Note) {
	var b strings.Builder
	b.WriteString("code,parent_code,name_en,description_en\n1,,c1,d\n")
	for i := 2; i <= n; i++ {
		fmt.Fprintf(&b, "%d,%d,c%d,d\n", i, i-1, i)
	}
	l, notes, err := capx.Parse([]byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return l, notes
}

func BenchmarkDeepChain(b *testing.B) {
	for range b.N {
		deepChain(b, 20000)
	}
}
