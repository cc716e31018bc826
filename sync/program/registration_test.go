package program_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

func TestCheckFullRegistration(t *testing.T) {
	text := `Hello! This is my registration.
{{Let's Connect registration
| status = paused
| region = MEA
| country = Nigeria
| languages = en-4, yo-N, français (2), Kiswahili
| timezone = Africa/Lagos
| affiliation = Wikimedia User Group Nigeria
| registering_for = group
| joined = 2019
| projects = Wikipedia, Wikidata; Commons
| interests = education, GLAM, human rights
| learn = Proposal writing (beginner), Governance, Queries and scripts: Intermediate
| share = Basic Wikidata (expert), Training newcomers
| formats = one-to-one, Groups, 1:1
| capacity = 3
| contact = e-mail
| ambassador = yes
| support = connectivity, interpretation
}}
[[Category:Let's Connect participants]]`
	reg, problems := programtest.Checker(t).Check(program.RegistrationPage{
		Title: programtest.AdaPage, RevID: 42, Text: text,
		Contributors: []string{"Coordinator One", "Ada_Lovelace"},
	})
	programtest.CheckProblems(t, programtest.AdaPage, problems, nil)
	want := &program.Registration{
		Page:     programtest.AdaPage,
		RevID:    42,
		Username: "Ada Lovelace",
		Active:   false,
		Region:   "Middle East and Africa",
		Country:  "Nigeria",
		Languages: []program.LanguageLevel{
			{Code: "en", Level: 4},
			{Code: "yo", Level: program.LanguageNative},
			{Code: "fr", Level: 2},
			{Code: "sw", Level: 3},
		},
		TimeZone:    "Africa/Lagos",
		Affiliation: "Wikimedia User Group Nigeria",
		ForGroup:    true,
		JoinedYear:  2019,
		Projects:    []string{"Commons", "Wikidata", "Wikipedia"}, // a set: by text
		Interests:   []string{"education", "GLAM", "human rights"},
		Learn: []program.SkillLevel{
			{ID: "org-proposal", Level: match.LevelBeginner},
			{ID: "org-governance", Level: program.DefaultLearnLevel},
			{ID: "wiki-queries", Level: match.LevelIntermediate},
		},
		Share: []program.SkillLevel{ // the taxonomy's order
			{ID: "prog-newcomers", Level: program.DefaultShareLevel},
			{ID: "wiki-wikidata", Level: match.LevelExpert},
		},
		Formats:         []match.Format{match.OneToOne, match.Group},
		Capacity:        3,
		Contact:         "email",
		Ambassador:      true,
		Support:         []string{"connectivity", "interpretation"},
		UTCOffsetMinute: 60,
	}
	if !reflect.DeepEqual(reg, want) {
		t.Errorf("Check =\n%+v\nwant\n%+v", reg, want)
	}
}

func TestCheckDefaults(t *testing.T) {
	reg, problems := programtest.Checker(t).Check(programtest.AdaRegistration(programtest.RegistrationText()))
	programtest.CheckProblems(t, programtest.AdaPage, problems, nil)
	want := &program.Registration{
		Page:            programtest.AdaPage,
		RevID:           42,
		Username:        "Ada Lovelace",
		Active:          true,
		Region:          "Middle East and Africa",
		Country:         "Nigeria",
		Languages:       []program.LanguageLevel{{Code: "en", Level: 3}, {Code: "yo", Level: program.LanguageNative}},
		TimeZone:        "Africa/Lagos",
		Learn:           []program.SkillLevel{{ID: "org-proposal", Level: match.LevelBeginner}},
		Share:           []program.SkillLevel{{ID: "wiki-wikidata", Level: match.LevelAdvanced}},
		Formats:         []match.Format{match.OneToOne, match.Group, match.Clinic},
		Capacity:        1,
		Contact:         "talk page",
		UTCOffsetMinute: 60,
	}
	if !reflect.DeepEqual(reg, want) {
		t.Errorf("Check =\n%+v\nwant\n%+v", reg, want)
	}
}

// TestCheckAccepts checks the ways people write a field that the bot
// understands, one field at a time.
func TestCheckAccepts(t *testing.T) {
	type get func(r *program.Registration) any
	var (
		region    get = func(r *program.Registration) any { return r.Region }
		languages get = func(r *program.Registration) any { return r.Languages }
		timeZone  get = func(r *program.Registration) any { return [2]any{r.TimeZone, r.UTCOffsetMinute} }
		learn     get = func(r *program.Registration) any { return r.Learn }
		share     get = func(r *program.Registration) any { return r.Share }
		formats   get = func(r *program.Registration) any { return r.Formats }
		active    get = func(r *program.Registration) any { return r.Active }
		away      get = func(r *program.Registration) any { return program.Day(r.AwayUntil) }
		forGroup  get = func(r *program.Registration) any { return r.ForGroup }
		contact   get = func(r *program.Registration) any { return r.Contact }
		amb       get = func(r *program.Registration) any { return r.Ambassador }
		capacity  get = func(r *program.Registration) any { return r.Capacity }
		joined    get = func(r *program.Registration) any { return r.JoinedYear }
	)
	type langs = []program.LanguageLevel
	type skills = []program.SkillLevel
	for _, tc := range []struct {
		edit  string
		field get
		want  any
	}{
		{"region=Middle East and Africa", region, "Middle East and Africa"},
		{"region=Africa", region, "Middle East and Africa"},
		{"region=mena", region, "Middle East and Africa"},
		{"region=LATAM", region, "Latin America and the Caribbean"},
		{"region=latin america and the caribbean", region, "Latin America and the Caribbean"},
		{"region=SA", region, "South Asia"},
		{"region=ESEAP", region, "East, Southeast Asia and Pacific"},
		{"region=East Southeast Asia and Pacific", region, "East, Southeast Asia and Pacific"},
		{"region=CEECA", region, "Central and Eastern Europe"},
		{"region=Western Europe", region, "North and Western Europe"},
		{"region=US&C", region, "United States and Canada"},
		{"region=north america", region, "United States and Canada"},

		{"languages=en-3", languages, langs{{"en", 3}}},
		{"languages=EN-5, fr-0", languages, langs{{"en", 5}, {"fr", 0}}},
		{"languages=yo-N; sw-n", languages, langs{{"yo", 6}, {"sw", 6}}},
		{"languages=yo native, en:4", languages, langs{{"yo", 6}, {"en", 4}}},
		{"languages=en (2), sw(1)", languages, langs{{"en", 2}, {"sw", 1}}},
		{"languages=en", languages, langs{{"en", 3}}},
		{"languages=English-N", languages, langs{{"en", 6}}},
		{"languages=english (4)", languages, langs{{"en", 4}}},
		{"languages=Kiswahili", languages, langs{{"sw", 3}}},
		{"languages=français-2", languages, langs{{"fr", 2}}},
		{"languages=Yorùbá N, Français (1)", languages, langs{{"yo", 6}, {"fr", 1}}},
		{"languages=en-3, en-N", languages, langs{{"en", 3}}},
		{"languages=en-3, English-4", languages, langs{{"en", 3}}},

		{"timezone=Africa/Lagos", timeZone, [2]any{"Africa/Lagos", 60}},
		{"timezone=America/Lima", timeZone, [2]any{"America/Lima", -300}},
		{"timezone=Asia/Kolkata", timeZone, [2]any{"Asia/Kolkata", 330}},
		{"timezone=Europe/Paris", timeZone, [2]any{"Europe/Paris", 60}}, // winter time at programtest.Now
		{"timezone=America/New York", timeZone, [2]any{"America/New York", -300}},
		{"timezone=Etc/GMT+3", timeZone, [2]any{"Etc/GMT+3", -180}},
		{"timezone=UTC", timeZone, [2]any{"UTC", 0}},
		{"timezone=gmt", timeZone, [2]any{"gmt", 0}},
		{"timezone=UTC+3", timeZone, [2]any{"UTC+3", 180}},
		{"timezone=UTC +3", timeZone, [2]any{"UTC +3", 180}},
		{"timezone=UTC-5", timeZone, [2]any{"UTC-5", -300}},
		{"timezone=UTC−5", timeZone, [2]any{"UTC−5", -300}}, // a minus sign
		{"timezone=UTC-03:30", timeZone, [2]any{"UTC-03:30", -210}},
		{"timezone=GMT+5:30", timeZone, [2]any{"GMT+5:30", 330}},
		{"timezone=UTC+0545", timeZone, [2]any{"UTC+0545", 345}},
		{"timezone=UTC+14", timeZone, [2]any{"UTC+14", 840}},
		{"timezone=UTC-12", timeZone, [2]any{"UTC-12", -720}},

		{"learn=Proposal writing", learn, skills{{ID: "org-proposal", Level: program.DefaultLearnLevel}}},
		{"learn=Proposal writing (none)", learn, skills{{ID: "org-proposal", Level: match.LevelNone}}},
		{"learn=Proposal writing (0)", learn, skills{{ID: "org-proposal", Level: match.LevelNone}}},
		{"learn=proposal WRITING (Basic)", learn, skills{{ID: "org-proposal", Level: match.LevelBeginner}}},
		{"learn=Proposal writing: novice", learn, skills{{ID: "org-proposal", Level: match.LevelBeginner}}},
		{"learn=Proposal writing ( medium )", learn, skills{{ID: "org-proposal", Level: match.LevelIntermediate}}},
		{"learn=org-proposal (2)", learn, skills{{ID: "org-proposal", Level: match.LevelIntermediate}}},
		{"learn=Financial planning + management (beginner); Governance", learn, skills{{ID: "org-governance", Level: match.LevelNone}, {ID: "org-finance", Level: match.LevelBeginner}}}, // the taxonomy's order
		{"learn=Wikimedia tools for running queries +scripts", learn, skills{{ID: "wiki-queries", Level: match.LevelNone}}},
		{"share=Basic Wikidata", share, skills{{ID: "wiki-wikidata", Level: program.DefaultShareLevel}}},
		{"share=Wikidata (Expert), Governance: good", share, skills{{ID: "org-governance", Level: match.LevelAdvanced}, {ID: "wiki-wikidata", Level: match.LevelExpert}}},
		{"share=Wikidata (4)", share, skills{{ID: "wiki-wikidata", Level: match.LevelExpert}}},
		// A name that itself ends in brackets, with and without a level.
		{"share=Innovations in culture and heritage (GLAM) (expert)", share, skills{{ID: "prog-glam-innovation", Level: match.LevelExpert}}},
		{"share=Innovations in culture and heritage (GLAM)", share, skills{{ID: "prog-glam-innovation", Level: program.DefaultShareLevel}}},

		{"formats=clinic", formats, []match.Format{match.Clinic}},
		{"formats=Learning clinics; small group", formats, []match.Format{match.Group, match.Clinic}},
		{"formats=1-1, coffee, cluster group", formats, []match.Format{match.OneToOne, match.Group}},
		{"formats=", formats, []match.Format{match.OneToOne, match.Group, match.Clinic}},

		{"status=", active, true},
		{"status=Active", active, true},
		{"status=Paused", active, false},
		{"status=inactive", active, false},
		{"away_until=2027-03-01", away, "2027-03-01"},
		{"away_until= 2027-03-01 ", away, "2027-03-01"},
		{"away_until=", away, "0001-01-01"},
		{"registering_for=individual", forGroup, false},
		{"registering_for=Affiliate", forGroup, true},
		{"contact=Talk page", contact, "talk page"},
		{"contact=EMAIL", contact, "email"},
		{"ambassador=Oui", amb, true},
		{"ambassador=no", amb, false},
		{"capacity=0", capacity, 0},
		{"capacity=20", capacity, 20},
		{"joined=2001", joined, 2001},
		{"joined=2024", joined, 2024},
	} {
		t.Run(tc.edit, func(t *testing.T) {
			reg, problems := programtest.Checker(t).Check(programtest.AdaRegistration(programtest.RegistrationText(tc.edit)))
			programtest.CheckProblems(t, programtest.AdaPage, problems, nil)
			if reg == nil {
				t.Fatal("Check returned no registration")
			}
			if got := tc.field(reg); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckTimeZoneOffsetIsCurrent(t *testing.T) {
	ck := programtest.Checker(t)
	ck.Now = time.Date(2024, time.July, 1, 12, 0, 0, 0, time.UTC)
	reg, problems := ck.Check(programtest.AdaRegistration(programtest.RegistrationText("timezone=Europe/Paris")))
	programtest.CheckProblems(t, programtest.AdaPage, problems, nil)
	if reg == nil || reg.UTCOffsetMinute != 120 {
		t.Fatalf("Europe/Paris in July: got %+v, want the offset 120", reg)
	}
}

// incomplete is the problem that says a registration is left out.
var incomplete = programtest.WantProblem{Field: "", Contains: []string{"incomplete"}}

// TestCheckMistakes checks each mistake people make: the problem names the
// field and the value, and the registration is kept or left out.
func TestCheckMistakes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edits []string
		want  []programtest.WantProblem
		// keep reports whether the registration is still used; if so,
		// check looks at what was kept of it.
		keep  bool
		check func(t *testing.T, r *program.Registration)
	}{
		{
			name:  "unknown skill: the taxonomy name is suggested",
			edits: []string{"learn=Proposal writting (beginner)"},
			want:  []programtest.WantProblem{{Field: "learn", Contains: []string{`"Proposal writting"`, "not a skill", `did you mean "Proposal writing for funding"?`}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if len(r.Learn) != 0 {
					t.Errorf("Learn = %v, want nothing", r.Learn)
				}
			},
		},
		{
			name:  "unknown skill among others",
			edits: []string{"learn=Governance, wikidata basics (none), Queries and script"},
			want: []programtest.WantProblem{
				{Field: "learn", Contains: []string{`"wikidata basics"`, `"Basic Wikidata"`}},
				{Field: "learn", Contains: []string{`"Queries and script"`, `"Wikimedia tools for running queries and scripts"`}},
			},
			keep: true,
			check: func(t *testing.T, r *program.Registration) {
				if want := []program.SkillLevel{{ID: "org-governance", Level: match.LevelNone}}; !reflect.DeepEqual(r.Learn, want) {
					t.Errorf("Learn = %v, want %v", r.Learn, want)
				}
			},
		},
		{
			name:  "unknown skill without any suggestion",
			edits: []string{"learn=Qwertyuiop"},
			want:  []programtest.WantProblem{{Field: "learn", Contains: []string{`"Qwertyuiop" is not a skill of the taxonomy`}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if len(r.Learn) != 0 {
					t.Errorf("Learn = %v, want nothing", r.Learn)
				}
			},
		},
		{
			name:  "the only skill is unknown",
			edits: []string{"learn=Proposal writting", "-share"},
			want:  []programtest.WantProblem{{Field: "learn", Contains: []string{`"Proposal writting"`, `"Proposal writing for funding"`}}, incomplete},
		},
		{
			name:  "unknown level",
			edits: []string{"share=Basic Wikidata (guru)"},
			want:  []programtest.WantProblem{{Field: "share", Contains: []string{`"guru"`, `"Basic Wikidata"`, "expert"}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if len(r.Share) != 0 {
					t.Errorf("Share = %v, want nothing", r.Share)
				}
			},
		},
		{
			name:  "unknown level after a colon",
			edits: []string{"learn=Governance: a little"},
			want:  []programtest.WantProblem{{Field: "learn", Contains: []string{`"a little"`, `"Establishing governance"`}}},
			keep:  true,
		},
		{
			name:  "share at level none",
			edits: []string{"share=Basic Wikidata (none), Governance (0)"},
			want: []programtest.WantProblem{
				{Field: "share", Contains: []string{`"Basic Wikidata"`, "level none"}},
				{Field: "share", Contains: []string{`"Establishing governance"`, "level none"}},
			},
			keep: true,
			check: func(t *testing.T, r *program.Registration) {
				if len(r.Share) != 0 {
					t.Errorf("Share = %v, want nothing", r.Share)
				}
			},
		},
		{
			name:  "duplicate skill: the first is kept",
			edits: []string{"learn=Proposal writing (beginner), Grant writing (advanced)"},
			want:  []programtest.WantProblem{{Field: "learn", Contains: []string{`"Proposal writing for funding"`, "twice"}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if want := []program.SkillLevel{{ID: "org-proposal", Level: match.LevelBeginner}}; !reflect.DeepEqual(r.Learn, want) {
					t.Errorf("Learn = %v, want %v", r.Learn, want)
				}
			},
		},
		{
			name:  "skill both learned and shared: left out of both",
			edits: []string{"learn=Basic Wikidata (beginner), Governance", "share=Wikidata (advanced), Training newcomers"},
			want:  []programtest.WantProblem{{Field: "learn", Contains: []string{`"Basic Wikidata"`, "both to learn and to share"}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if want := []program.SkillLevel{{ID: "org-governance", Level: match.LevelNone}}; !reflect.DeepEqual(r.Learn, want) {
					t.Errorf("Learn = %v, want %v", r.Learn, want)
				}
				if want := []program.SkillLevel{{ID: "prog-newcomers", Level: program.DefaultShareLevel}}; !reflect.DeepEqual(r.Share, want) {
					t.Errorf("Share = %v, want %v", r.Share, want)
				}
			},
		},
		{
			name:  "the only skill is both learned and shared",
			edits: []string{"learn=Basic Wikidata", "share=Wikidata (advanced)"},
			want:  []programtest.WantProblem{{Field: "learn", Contains: []string{`"Basic Wikidata"`, "both to learn and to share"}}, incomplete},
		},
		{
			name:  "unknown language: the others are kept",
			edits: []string{"languages=en-3, elvish-2"},
			want:  []programtest.WantProblem{{Field: "languages", Contains: []string{`"elvish-2"`, "not a language"}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if want := []program.LanguageLevel{{Code: "en", Level: 3}}; !reflect.DeepEqual(r.Languages, want) {
					t.Errorf("Languages = %v, want %v", r.Languages, want)
				}
			},
		},
		{
			name:  "language level out of range",
			edits: []string{"languages=en-7, yo-N"},
			want:  []programtest.WantProblem{{Field: "languages", Contains: []string{`"en-7"`, `level "7"`, "0 to 5 or N"}}},
			keep:  true,
		},
		{
			name:  "no language known",
			edits: []string{"languages=elvish-2, klingon"},
			want: []programtest.WantProblem{
				{Field: "languages", Contains: []string{`"elvish-2"`}},
				{Field: "languages", Contains: []string{`"klingon"`}},
				incomplete,
			},
		},
		{
			name:  "unknown region",
			edits: []string{"region=Atlantis"},
			want:  []programtest.WantProblem{{Field: "region", Contains: []string{`"Atlantis"`, "Middle East and Africa"}}, incomplete},
		},
		{
			name:  "missing region",
			edits: []string{"-region"},
			want:  []programtest.WantProblem{{Field: "region", Contains: []string{"required"}}, incomplete},
		},
		{
			name:  "empty region",
			edits: []string{"region= "},
			want:  []programtest.WantProblem{{Field: "region", Contains: []string{"required"}}, incomplete},
		},
		{
			name:  "missing country",
			edits: []string{"-country"},
			want:  []programtest.WantProblem{{Field: "country", Contains: []string{"required"}}, incomplete},
		},
		{
			name:  "missing languages",
			edits: []string{"languages="},
			want:  []programtest.WantProblem{{Field: "languages", Contains: []string{"required"}}, incomplete},
		},
		{
			name:  "missing time zone",
			edits: []string{"-timezone"},
			want:  []programtest.WantProblem{{Field: "timezone", Contains: []string{"required"}}, incomplete},
		},
		{
			name:  "no skill at all",
			edits: []string{"-learn", "-share"},
			want:  []programtest.WantProblem{{Field: "learn", Contains: []string{"at least one skill"}}, incomplete},
		},
		{
			name:  "everything required missing",
			edits: []string{"-region", "-country", "-languages", "-timezone", "-learn", "-share"},
			want: []programtest.WantProblem{
				{Field: "region", Contains: []string{"required"}},
				{Field: "country", Contains: []string{"required"}},
				{Field: "languages", Contains: []string{"required"}},
				{Field: "timezone", Contains: []string{"required"}},
				{Field: "learn", Contains: []string{"at least one skill"}},
				incomplete,
			},
		},
		{
			name:  "unknown parameter",
			edits: []string{"skils=Wikidata"},
			want:  []programtest.WantProblem{{Field: "skils", Contains: []string{`"skils"`, "learn", "share"}}},
			keep:  true,
		},
		{
			name:  "unknown parameter left empty is no problem",
			edits: []string{"notes="},
			keep:  true,
		},
		{
			name:  "bad joined year: not a number",
			edits: []string{"joined=since 2019"},
			want:  []programtest.WantProblem{{Field: "joined", Contains: []string{`"since 2019"`, "2001", "2024"}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if r.JoinedYear != 0 {
					t.Errorf("JoinedYear = %d, want 0", r.JoinedYear)
				}
			},
		},
		{
			name:  "bad joined year: before Wikipedia",
			edits: []string{"joined=1999"},
			want:  []programtest.WantProblem{{Field: "joined", Contains: []string{`"1999"`}}},
			keep:  true,
		},
		{
			name:  "bad joined year: in the future",
			edits: []string{"joined=2025"},
			want:  []programtest.WantProblem{{Field: "joined", Contains: []string{`"2025"`}}},
			keep:  true,
		},
		{
			name:  "bad capacity: not a number",
			edits: []string{"capacity=a few"},
			want:  []programtest.WantProblem{{Field: "capacity", Contains: []string{`"a few"`, "20"}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if r.Capacity != 1 {
					t.Errorf("Capacity = %d, want the default 1", r.Capacity)
				}
			},
		},
		{
			name:  "bad capacity: negative",
			edits: []string{"capacity=-1"},
			want:  []programtest.WantProblem{{Field: "capacity", Contains: []string{`"-1"`}}},
			keep:  true,
		},
		{
			name:  "bad capacity: too many",
			edits: []string{"capacity=21"},
			want:  []programtest.WantProblem{{Field: "capacity", Contains: []string{`"21"`}}},
			keep:  true,
		},
		{
			name:  "bad away_until",
			edits: []string{"away_until=next March"},
			want:  []programtest.WantProblem{{Field: "away_until", Contains: []string{`"next March"`, "YYYY-MM-DD"}}},
			keep:  true,
		},
		{
			name:  "bad status",
			edits: []string{"status=maybe"},
			want:  []programtest.WantProblem{{Field: "status", Contains: []string{`"maybe"`, "active", "paused"}}},
			keep:  true,
		},
		{
			name:  "bad registering_for",
			edits: []string{"registering_for=both"},
			want:  []programtest.WantProblem{{Field: "registering_for", Contains: []string{`"both"`}}},
			keep:  true,
		},
		{
			name:  "bad format: the others are kept",
			edits: []string{"formats=webinar, clinic"},
			want:  []programtest.WantProblem{{Field: "formats", Contains: []string{`"webinar"`, "1:1"}}},
			keep:  true,
			check: func(t *testing.T, r *program.Registration) {
				if want := []match.Format{match.Clinic}; !reflect.DeepEqual(r.Formats, want) {
					t.Errorf("Formats = %v, want %v", r.Formats, want)
				}
			},
		},
		{
			name:  "bad contact",
			edits: []string{"contact=carrier pigeon"},
			want:  []programtest.WantProblem{{Field: "contact", Contains: []string{`"carrier pigeon"`}}},
			keep:  true,
		},
		{
			name:  "bad ambassador",
			edits: []string{"ambassador=perhaps"},
			want:  []programtest.WantProblem{{Field: "ambassador", Contains: []string{`"perhaps"`, "yes or no"}}},
			keep:  true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg, problems := programtest.Checker(t).Check(programtest.AdaRegistration(programtest.RegistrationText(tc.edits...)))
			programtest.CheckProblems(t, programtest.AdaPage, problems, tc.want)
			if !tc.keep {
				if reg != nil {
					t.Errorf("Check returned %+v, want no registration", reg)
				}
				return
			}
			if reg == nil {
				t.Fatal("Check returned no registration")
			}
			if tc.check != nil {
				tc.check(t, reg)
			}
		})
	}
}

func TestCheckUnknownTimeZone(t *testing.T) {
	for _, tz := range []string{
		"Accra time",
		"Lagos",
		"Local", // time.LoadLocation's name for the host's zone
		"EST",   // an abbreviation time.LoadLocation knows
		"WAT",
		"Mars/Olympus_Mons",
		"Africa/Lagoss",
		"/etc/localtime",
		"../Africa/Lagos",
		"UTC+15",
		"UTC+3:75",
		"UTC+",
		"UTC 3",
		"UTC 10",
		"GMT 10",
		"UTCx5",
		"UTC*3",
		"+3",
		"3",
	} {
		t.Run(tz, func(t *testing.T) {
			reg, problems := programtest.Checker(t).Check(programtest.AdaRegistration(programtest.RegistrationText("timezone=" + tz)))
			programtest.CheckProblems(t, programtest.AdaPage, problems, []programtest.WantProblem{
				{Field: "timezone", Contains: []string{fmt.Sprintf("%q is not a time zone", tz), "Africa/Lagos", "UTC+3"}},
				incomplete,
			})
			if reg != nil {
				t.Errorf("Check returned a registration with the time zone %q (offset %d)", reg.TimeZone, reg.UTCOffsetMinute)
			}
		})
	}
}

// TestCheckPage checks what makes a whole page unusable or suspicious:
// where it is, who edited it, how many templates it holds.
func TestCheckPage(t *testing.T) {
	valid := programtest.RegistrationText()
	for _, tc := range []struct {
		name         string
		page         program.RegistrationPage
		want         []programtest.WantProblem
		wantUsername string // "" when no registration is wanted
	}{
		{
			name:         "edited by the participant",
			page:         program.RegistrationPage{Title: programtest.AdaPage, Text: valid, Contributors: []string{"Ada Lovelace"}},
			wantUsername: "Ada Lovelace",
		},
		{
			name:         "edited by others too",
			page:         program.RegistrationPage{Title: programtest.AdaPage, Text: valid, Contributors: []string{"Someone", "Ada Lovelace", "Cleanup bot"}},
			wantUsername: "Ada Lovelace",
		},
		{
			name:         "created by a working-group member",
			page:         program.RegistrationPage{Title: programtest.AdaPage, Text: valid, Contributors: []string{"Coordinator One"}},
			wantUsername: "Ada Lovelace",
		},
		{
			name:         "working-group member written with an underscore and a small letter",
			page:         program.RegistrationPage{Title: programtest.AdaPage, Text: valid, Contributors: []string{"coordinator_One"}},
			wantUsername: "Ada Lovelace",
		},
		{
			name:         "user name in the title with underscores",
			page:         program.RegistrationPage{Title: programtest.Prefix + "Ada_Lovelace", Text: valid, Contributors: []string{"Ada Lovelace"}},
			wantUsername: "Ada Lovelace",
		},
		{
			name:         "user name in the title with a small first letter",
			page:         program.RegistrationPage{Title: programtest.Prefix + "ada Lovelace", Text: valid, Contributors: []string{"Ada_Lovelace"}},
			wantUsername: "Ada Lovelace",
		},
		{
			name: "nobody entitled edited it",
			page: program.RegistrationPage{Title: programtest.AdaPage, Text: valid, Contributors: []string{"Impostor"}},
			want: []programtest.WantProblem{{Field: "", Contains: []string{"Ada Lovelace", "working-group", "not used"}}},
		},
		{
			name: "only a differently capitalised user edited it",
			page: program.RegistrationPage{Title: programtest.AdaPage, Text: valid, Contributors: []string{"Ada lovelace"}},
			want: []programtest.WantProblem{{Field: "", Contains: []string{"Ada Lovelace", "not used"}}},
		},
		{
			name: "no contributors",
			page: program.RegistrationPage{Title: programtest.AdaPage, Text: valid},
			want: []programtest.WantProblem{{Field: "", Contains: []string{"Ada Lovelace", "not used"}}},
		},
		{
			name: "outside the prefix",
			page: program.RegistrationPage{Title: "User:Ada Lovelace/Let's Connect", Text: valid, Contributors: []string{"Ada Lovelace"}},
			want: []programtest.WantProblem{{Field: "", Contains: []string{"not a participant's registration page", programtest.Prefix}}},
		},
		{
			name: "the prefix itself",
			page: program.RegistrationPage{Title: programtest.Prefix, Text: valid, Contributors: []string{"Ada Lovelace"}},
			want: []programtest.WantProblem{{Field: "", Contains: []string{"not a participant's registration page"}}},
		},
		{
			name: "no template",
			page: program.RegistrationPage{Title: programtest.AdaPage, Text: "Hello! I want to learn proposal writing and Wikidata. I live in Kano.", Contributors: []string{"Ada Lovelace"}},
			want: []programtest.WantProblem{{Field: "", Contains: []string{"no {{Let's Connect registration}} template"}}},
		},
		{
			name: "only other templates",
			page: program.RegistrationPage{Title: programtest.AdaPage, Text: "{{Babel|en-3|yo-N}}\n{{Let's Connect skill|id=x}}", Contributors: []string{"Ada Lovelace"}},
			want: []programtest.WantProblem{{Field: "", Contains: []string{"no {{Let's Connect registration}} template"}}},
		},
		{
			name: "the template inside nowiki",
			page: program.RegistrationPage{Title: programtest.AdaPage, Text: "<nowiki>" + valid + "</nowiki>", Contributors: []string{"Ada Lovelace"}},
			want: []programtest.WantProblem{{Field: "", Contains: []string{"no {{Let's Connect registration}} template"}}},
		},
		{
			name:         "the template name written differently",
			page:         program.RegistrationPage{Title: programtest.AdaPage, Text: strings.Replace(valid, "Let's Connect registration", "Template:let's_Connect  registration", 1), Contributors: []string{"Ada Lovelace"}},
			wantUsername: "Ada Lovelace",
		},
		{
			name:         "two templates: the first is used",
			page:         program.RegistrationPage{Title: programtest.AdaPage, Text: valid + strings.Replace(valid, "Nigeria", "Ghana", 1), Contributors: []string{"Ada Lovelace"}},
			want:         []programtest.WantProblem{{Field: "", Contains: []string{"2 {{Let's Connect registration}} templates", "exactly one"}}},
			wantUsername: "Ada Lovelace",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg, problems := programtest.Checker(t).Check(tc.page)
			programtest.CheckProblems(t, tc.page.Title, problems, tc.want)
			if tc.wantUsername == "" {
				if reg != nil {
					t.Errorf("Check returned %+v, want no registration", reg)
				}
				if len(problems) != 1 {
					t.Errorf("%d problems, want 1: a page that is not used gets one problem, not one per field", len(problems))
				}
				return
			}
			if reg == nil {
				t.Fatal("Check returned no registration")
			}
			if reg.Username != tc.wantUsername || reg.Page != tc.page.Title {
				t.Errorf("Username, Page = %q, %q; want %q, %q", reg.Username, reg.Page, tc.wantUsername, tc.page.Title)
			}
			if reg.Country != "Nigeria" {
				t.Errorf("Country = %q, want Nigeria (from the first template)", reg.Country)
			}
		})
	}
}

// TestCheckOddInput feeds pages people could write by accident: Check must
// not panic, must say why a page is not used, and its problems must be
// readable.
func TestCheckOddInput(t *testing.T) {
	for _, text := range []string{
		"",
		"   \n\t ",
		"{{Let's Connect registration}}",
		"{{Let's Connect registration|}}",
		"{{Let's Connect registration|||}}",
		"{{Let's Connect registration\n|\n| region = MEA\n|\n}}",
		"{{Let's Connect registration| = | region = \n| country = \t|languages= , ;;|timezone= |learn= ,|share=;}}",
		"{{Let's Connect registration|region=MEA|country=X|languages=en|timezone=UTC|learn=(beginner)|share=: expert}}",
		"{{Let's Connect registration|region=MEA|country=X|languages=en-|timezone=UTC-|learn=()|share=(())}}",
		"{{Let's Connect registration|region=MEA|country=X|languages=-N|timezone=/|learn=Governance (|share=Wikidata )}}",
		"{{Let's Connect registration|region=,|country=X|languages=(3)|timezone=UTC+99:99|learn=Governance::|capacity=99999999999999999999|joined=-0}}",
		"{{Let's Connect registration|region={{{1}}}|country={{PAGENAME}}|languages={{#babel:en}}|timezone=[[UTC]]|learn=[[Governance]]}}",
		"{{Let's Connect registration",
		"}}{{Let's Connect registration|learn=Governance}}{{",
		"{{Let's Connect registration|ambassador= |contact= |formats= , |status= |registering_for= }}",
	} {
		t.Run(fmt.Sprintf("%.40q", text), func(t *testing.T) {
			reg, problems := programtest.Checker(t).Check(programtest.AdaRegistration(text))
			if reg == nil && len(problems) == 0 {
				t.Error("no registration and no problem saying why")
			}
			for _, p := range problems {
				if p.Page != programtest.AdaPage || strings.TrimSpace(p.Message) == "" {
					t.Errorf("unreadable problem %+v", p)
				}
			}
		})
	}
}

// TestCheckEmptyParamsAreNotUnknown: a stray "|" line in the template, or
// a parameter left empty, is not a mistake worth a problem.
func TestCheckEmptyParamsAreNotUnknown(t *testing.T) {
	text := strings.Replace(programtest.RegistrationText(), "| region", "|\n| \n| notes = \n| region", 1)
	reg, problems := programtest.Checker(t).Check(programtest.AdaRegistration(text))
	programtest.CheckProblems(t, programtest.AdaPage, problems, nil)
	if reg == nil {
		t.Fatal("Check returned no registration")
	}
}

// TestCheckAllMatchesOneByOne: the registrations checked on every core
// are those checked one by one, mistakes included.
func TestCheckAllMatchesOneByOne(t *testing.T) {
	prog, err := demo.Generate(demo.Options{Participants: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var taxonomy string
	var pages []program.RegistrationPage
	for _, p := range prog.Pages {
		if p.Title == "Let's Connect/Skills taxonomy" {
			taxonomy = p.Text
		}
		if strings.HasPrefix(p.Title, "Let's Connect/Participants/") {
			pages = append(pages, program.RegistrationPage{Title: p.Title, RevID: 1, Updated: p.Time, Text: p.Text, Contributors: []string{p.User}})
		}
	}
	tx, _ := program.ParseTaxonomy("taxonomy", taxonomy)
	ck := &program.Checker{Taxonomy: tx, Languages: demo.Languages(), WorkingGroup: prog.WorkingGroup,
		Prefix: "Let's Connect/Participants/", Now: programtest.Now}
	regs, problems := ck.CheckAll(pages)
	var wantRegs []*program.Registration
	var wantProblems []program.Problem
	for _, p := range pages {
		reg, ps := program.CloneChecker(ck).Check(p)
		wantProblems = append(wantProblems, ps...)
		if reg != nil {
			wantRegs = append(wantRegs, reg)
		}
	}
	slices.SortFunc(wantRegs, func(a, b *program.Registration) int { return strings.Compare(a.Username, b.Username) })
	if !reflect.DeepEqual(regs, wantRegs) || !reflect.DeepEqual(problems, wantProblems) {
		t.Errorf("checked on every core: %d registrations, %d problems; one by one: %d and %d", len(regs), len(problems), len(wantRegs), len(wantProblems))
	}
	if len(regs) < 900 || len(problems) == 0 {
		t.Errorf("%d registrations, %d problems (the demo has mistakes)", len(regs), len(problems))
	}
}
