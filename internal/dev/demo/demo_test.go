package demo

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// checked generates a program and runs every registration through the
// bot's own checker, as a sync would.
func checked(t *testing.T, n int) (*Program, []*program.Registration, []program.Problem) {
	t.Helper()
	prog, err := Generate(Options{Participants: n})
	if err != nil {
		t.Fatal(err)
	}
	var taxonomyText string
	for _, p := range prog.Pages {
		if p.Title == prog.Root+"/Skills taxonomy" {
			taxonomyText = p.Text
		}
	}
	tx, problems := program.ParseTaxonomy("taxonomy", taxonomyText)
	if len(problems) > 0 || len(tx.Skills) != 59 || len(tx.Categories) != 5 {
		t.Fatalf("taxonomy: %d skills, %d categories, problems %v", len(tx.Skills), len(tx.Categories), problems)
	}
	ck := &program.Checker{Taxonomy: tx, Languages: Languages(), WorkingGroup: prog.WorkingGroup,
		Prefix: prog.Root + "/Participants/", Now: time.Date(2022, 10, 31, 0, 0, 0, 0, time.UTC)}
	var regs []*program.Registration
	var all []program.Problem
	for _, p := range prog.Pages {
		if !strings.HasPrefix(p.Title, ck.Prefix) {
			continue
		}
		reg, ps := ck.Check(program.RegistrationPage{Title: p.Title, Text: p.Text, Contributors: []string{p.User}})
		all = append(all, ps...)
		if reg != nil {
			regs = append(regs, reg)
		}
	}
	return prog, regs, all
}

func TestPilotFigures(t *testing.T) {
	prog, regs, problems := checked(t, PilotParticipants)
	if len(prog.Participants) != 179 {
		t.Fatalf("%d participants, want 179", len(prog.Participants))
	}
	pilot := map[string]*program.Registration{}
	for _, r := range regs {
		pilot[r.Username] = r
	}
	for _, name := range prog.Participants {
		if pilot[name] == nil {
			t.Errorf("participant %s: registration not usable", name)
		}
	}
	// Only the planted mistakes are reported.
	mistaken := map[string]bool{}
	for _, m := range prog.Mistakes {
		mistaken[m.Page] = true
	}
	for _, p := range problems {
		if !mistaken[p.Page] {
			t.Errorf("unexpected problem in a pilot-shaped registration: %v", p)
		}
	}

	var (
		countries                                         = map[string]int{}
		regions                                           = map[string]int{}
		languages                                         = map[string]bool{}
		learn, share                                      = map[string]int{}, map[string]int{}
		interests                                         = map[string]int{}
		individuals, ambassadors, financial, connectivity int
		asked, under2, over5                              int
		wikipedias                                        = map[string]bool{}
	)
	for _, name := range prog.Participants {
		r := pilot[name]
		if r == nil {
			continue
		}
		countries[r.Country]++
		regions[r.Region]++
		for _, l := range r.Languages {
			languages[l.Code] = true
		}
		for _, s := range r.Learn {
			learn[s.ID]++
		}
		for _, s := range r.Share {
			share[s.ID]++
		}
		for _, in := range r.Interests {
			interests[in]++
		}
		if !r.ForGroup {
			individuals++
		}
		if r.Ambassador {
			ambassadors++
		}
		for _, s := range r.Support {
			switch s {
			case "financial":
				financial++
			case "connectivity":
				connectivity++
			}
		}
		if r.JoinedYear != 0 {
			asked++
			switch {
			case 2022-r.JoinedYear < 2:
				under2++
			case 2022-r.JoinedYear > 5:
				over5++
			}
		}
		for _, p := range r.Projects {
			if code, ok := strings.CutSuffix(p, ".wikipedia"); ok {
				wikipedias[code] = true
			}
		}
	}
	check := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %d, want the pilot's %d", what, got, want)
		}
	}
	check("countries", len(countries), 25)
	check("languages", len(languages), 14)
	check("language Wikipedias", len(wikipedias), 28)
	check("Middle East and Africa", regions["Middle East and Africa"], 109) // 61%
	check("Nigeria", countries["Nigeria"], 56)                              // over half of MEA
	if !(countries["Tanzania"] > countries["Ghana"] && countries["Ghana"] > countries["Kenya"]) {
		t.Errorf("after Nigeria come Tanzania then Ghana: %v", countries)
	}
	check("individuals", individuals, 129)
	check("Learning Ambassadors", ambassadors, 107)
	check("financial support", financial, 90)
	check("connectivity support", connectivity, 72)
	check("experience asked", asked, 75)
	check("under 2 years", under2, 45)
	check("over 5 years", over5, 6)
	check("education", interests["education"], 125)
	check("GLAM", interests["GLAM"], 91)
	check("human rights", interests["human rights"], 70)
	check("climate change", interests["climate change"], 54)
	check("advocacy", interests["advocacy"], 47)
	for id, want := range wantToLearn {
		check("learn "+id, learn[id], want)
	}
	for id, want := range wantToShare {
		check("share "+id, share[id], want)
	}
	for id := range nobodyShares {
		check("share "+id, share[id], 0)
	}
}

func TestEveryMistakeIsReported(t *testing.T) {
	prog, regs, problems := checked(t, PilotParticipants)
	used := map[string]bool{}
	for _, r := range regs {
		used[r.Page] = true
	}
	kinds := map[string]bool{}
	for _, m := range prog.Mistakes {
		kinds[m.Kind] = true
		found := false
		for _, p := range problems {
			if p.Page == m.Page && p.Field == m.Field {
				found = true
			}
		}
		if !found {
			t.Errorf("%s (%s): no problem on field %q; problems: %v", m.Page, m.Kind, m.Field, problems)
		}
		if used[m.Page] != m.Usable {
			t.Errorf("%s (%s): used = %v, want %v", m.Page, m.Kind, used[m.Page], m.Usable)
		}
	}
	// The kinds the issue names, each planted at least once.
	for _, k := range []string{"unknown skill", "unknown level", "unknown language", "unknown time zone",
		"skill both learned and shared", "missing required field", "not edited by the participant"} {
		if !kinds[k] {
			t.Errorf("no planted mistake of kind %q", k)
		}
	}
	for _, h := range prog.Helped {
		if !used[prog.Root+"/Participants/"+h] {
			t.Errorf("%s, registered by a working-group member, is not used", h)
		}
	}
}

func TestScaledFigures(t *testing.T) {
	const n = 1000
	prog, regs, _ := checked(t, n)
	if len(prog.Participants) != n {
		t.Fatalf("%d participants", len(prog.Participants))
	}
	participant := map[string]bool{}
	for _, name := range prog.Participants {
		participant[name] = true
	}
	learn := map[string]int{}
	individuals := 0
	for _, r := range regs {
		if !participant[r.Username] {
			continue // a planted mistake
		}
		for _, s := range r.Learn {
			learn[s.ID]++
		}
		if !r.ForGroup {
			individuals++
		}
	}
	// 101 of 179 want an organisational plan: 564 of 1,000.
	if learn["org-plan"] != 564 {
		t.Errorf("learn org-plan = %d, want 564", learn["org-plan"])
	}
	if individuals != 721 { // 129 of 179
		t.Errorf("individuals = %d, want 721", individuals)
	}
	seen := map[string]bool{}
	for _, a := range prog.Accounts {
		if seen[a] {
			t.Errorf("account %q twice", a)
		}
		seen[a] = true
	}
}

func TestDeterministic(t *testing.T) {
	render := func() []byte {
		prog, err := Generate(Options{Participants: 300, Root: "Demo root", Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteXML(&buf, prog.Pages); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := render(), render()
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same options differ")
	}
	if !strings.Contains(string(a), "<title>Demo root/Participants/") {
		t.Error("the root option is not used")
	}
}

// The stream is PCG-DXSM, the same as math/rand/v2's PCG: the comment in
// rng.go says so, and it makes the generator's randomness reviewable.
func TestPCGMatchesStandardLibrary(t *testing.T) {
	ours, std := newPCG(1, 2), rand.NewPCG(1, 2)
	for i := range 1000 {
		if a, b := ours.next(), std.Uint64(); a != b {
			t.Fatalf("value %d: %d, math/rand/v2 gives %d", i, a, b)
		}
	}
}

func TestWriteXMLSha1(t *testing.T) {
	// MediaWiki's rev_sha1 of "" and of "a" (base 36, 31 digits), from
	// PHP: \Wikimedia\base_convert(sha1("a"), 16, 36, 31).
	for text, want := range map[string]string{"": "phoiac9h4m842xq45sp7s6u21eteeq1", "a": "frkhg3ewxov0h1g2eh87fri7z1g12ns"} {
		if got := sha1Base36(text); got != want {
			t.Errorf("sha1Base36(%q) = %s, want %s", text, got, want)
		}
	}
}

// TestAccountPrefix: a test's program (Options.AccountPrefix) has none of
// the demo's accounts, so its messages and edits never reach the demo's
// people; every name in it carries the prefix, and with the prefix taken
// out it is the demo's program, byte for byte.
func TestAccountPrefix(t *testing.T) {
	const prefix = "Test42 "
	for _, n := range []int{0, 600} {
		opts := Options{Participants: n, Root: "Demo root", Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)}
		plain, err := Generate(opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.AccountPrefix = prefix
		test, err := Generate(opts)
		if err != nil {
			t.Fatal(err)
		}
		demoAccount := map[string]bool{}
		for _, a := range plain.Accounts {
			demoAccount[a] = true
		}
		if len(test.Accounts) != len(plain.Accounts) {
			t.Errorf("%d participants: %d accounts with the prefix, %d without", n, len(test.Accounts), len(plain.Accounts))
		}
		var named []string // every account the test's program names
		named = append(named, test.Accounts...)
		named = append(named, test.WorkingGroup...)
		named = append(named, test.Participants...)
		named = append(named, test.Helped...)
		for _, pg := range test.Pages {
			named = append(named, pg.User)
		}
		for _, a := range named {
			if !strings.HasPrefix(a, prefix) || demoAccount[a] {
				t.Errorf("%d participants: the test's program has the account %q", n, a)
			}
		}

		// Longest first, so that "Ana Silva 2" goes before "Ana Silva".
		names := slices.Clone(plain.Accounts)
		slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
		strip := func(s string) string { return strings.ReplaceAll(s, prefix, "") }
		if len(test.Pages) != len(plain.Pages) {
			t.Fatalf("%d participants: %d pages with the prefix, %d without", n, len(test.Pages), len(plain.Pages))
		}
		for i, pg := range test.Pages {
			want := plain.Pages[i]
			if strip(pg.Title) != want.Title || strip(pg.User) != want.User || strip(pg.Text) != want.Text || strip(pg.Comment) != want.Comment || !pg.Time.Equal(want.Time) {
				t.Errorf("%d participants: page %d is %q by %q, the demo's %q by %q, or their texts differ by more than the prefix", n, i, pg.Title, pg.User, want.Title, want.User)
				continue
			}
			text := strings.Join([]string{pg.Title, pg.User, pg.Comment, pg.Text}, "\n")
			for _, a := range names {
				text = strings.ReplaceAll(text, prefix+a, "\x00")
			}
			for _, a := range names {
				if strings.Contains(text, a) {
					t.Errorf("%d participants: %s names the demo's %q without the prefix", n, pg.Title, a)
				}
			}
		}
	}
	for _, bad := range []string{"test ", "Test", "Test/ ", "Test  ", "T:x "} {
		if _, err := Generate(Options{AccountPrefix: bad}); err == nil {
			t.Errorf("the account prefix %q is accepted", bad)
		}
	}
}
