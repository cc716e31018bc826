package ical_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Kolkata even without system zoneinfo
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/ical"
)

const prodID = "-//Wikimedia Let's Connect//letsconnect//EN"

// The tricky strings: every TEXT escape, both newline forms, accents,
// Arabic, emoji (4-byte UTF-8) and a ZWJ sequence.
const (
	tricky     = `Clinic, part 1; "tools" \ templates: C:\path\n (literal backslash-n)`
	multiline  = "First line\nSecond, with comma; semicolon\r\nThird \\ backslash\n\nafter a blank line\ttab"
	accents    = "Atelier d’édition à Montréal — Ünïcödé"
	arabic     = "ورشة تحرير ويكيبيديا باللغة العربية"
	emoji      = "Let's Connect 🎉🌍👩🏽‍💻 peer learning"
	ampersands = "Q&A: a|b <c> 'd' ~e~ ^f^ `g`"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

// long returns a string of n characters mixing 1-, 2-, 3- and 4-byte UTF-8
// and characters that are escaped, so that folds fall everywhere.
func long(n int) string {
	parts := []rune("abc, é; ع\\ 語🎉\n")
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(parts[i%len(parts)])
	}
	return b.String()
}

func sample(t *testing.T) *ical.Calendar {
	kolkata := mustLoad(t, "Asia/Kolkata") // UTC+05:30
	stamp := time.Date(2026, 11, 20, 8, 15, 30, 0, time.UTC)
	return &ical.Calendar{
		ProdID:      prodID,
		Name:        "Let's Connect: Editing, Wikidata; more",
		Description: "Learning clinics, regional sessions\nand connectathons \\ 1:1s",
		Events: []ical.Event{
			{
				UID:          "clinic-2026-12-03@letsconnect.toolforge.org",
				Sequence:     3,
				Start:        time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC),
				End:          time.Date(2026, 12, 3, 15, 30, 0, 0, time.UTC),
				Stamp:        stamp,
				LastModified: time.Date(2026, 11, 19, 23, 59, 59, 0, time.UTC),
				Summary:      tricky,
				Description:  multiline,
				Location:     "Online; Zoom, link on the page",
				URL:          "https://meta.wikimedia.org/wiki/Let%27s_Connect/Clinics?a=1,2;b=3",
				Categories:   []string{"Learning clinic", "Editing, advanced", "Wiki;data", `back\slash`},
				Status:       "CONFIRMED",
				Language:     "en",
			},
			{
				// Half-hour zone: 19:30 IST is 14:00 UTC.
				UID:         "kolkata@letsconnect.toolforge.org",
				Sequence:    0,
				Start:       time.Date(2026, 12, 4, 19, 30, 0, 0, kolkata),
				End:         time.Date(2026, 12, 4, 21, 0, 0, 0, kolkata),
				Stamp:       stamp,
				Summary:     arabic,
				Description: accents + "\n" + emoji + "\n" + ampersands,
				Categories:  []string{"Regional session"},
				Status:      "TENTATIVE",
				Language:    "ar",
			},
			{
				// Crosses midnight UTC: 23:00 → 01:30 the next day.
				UID:          "midnight@letsconnect.toolforge.org",
				Sequence:     12,
				Start:        time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC),
				End:          time.Date(2027, 1, 1, 1, 30, 0, 0, time.UTC),
				Stamp:        stamp,
				LastModified: stamp,
				Summary:      long(300),
				Description:  long(1000),
				Location:     emoji,
				Status:       "CANCELLED",
			},
		},
	}
}

func write(t *testing.T, c *ical.Calendar) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.Write(&b); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

func decode(t *testing.T, data []byte) *goical.Calendar {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
	return cal
}

// one returns the only property name of comp, failing if there are none or
// several.
func one(t *testing.T, comp *goical.Component, name string) *goical.Prop {
	t.Helper()
	ps := comp.Props.Values(name)
	if len(ps) != 1 {
		t.Fatalf("%s: %d %s properties, want 1", comp.Name, len(ps), name)
	}
	return &ps[0]
}

func absent(t *testing.T, comp *goical.Component, name string) {
	t.Helper()
	if ps := comp.Props.Values(name); len(ps) != 0 {
		t.Errorf("%s: %s present (%q), want absent", comp.Name, name, ps[0].Value)
	}
}

func textOf(t *testing.T, comp *goical.Component, name string) string {
	t.Helper()
	s, err := one(t, comp, name).Text()
	if err != nil {
		t.Fatalf("%s %s: %v", comp.Name, name, err)
	}
	return s
}

func timeOf(t *testing.T, comp *goical.Component, name string) time.Time {
	t.Helper()
	p := one(t, comp, name)
	if !strings.HasSuffix(p.Value, "Z") || len(p.Value) != len("20060102T150405Z") {
		t.Errorf("%s %s = %q, want a UTC date-time like 20261203T140000Z", comp.Name, name, p.Value)
	}
	if len(p.Params) != 0 {
		t.Errorf("%s %s has parameters %v, want none (no TZID)", comp.Name, name, p.Params)
	}
	tm, err := p.DateTime(time.FixedZone("elsewhere", 7*3600)) // ignored for Z times
	if err != nil {
		t.Fatalf("%s %s: %v", comp.Name, name, err)
	}
	if tm.Location() != time.UTC {
		t.Errorf("%s %s parsed in %v, want UTC", comp.Name, name, tm.Location())
	}
	return tm
}

// normNL is what a TEXT value reads back as: CRLF becomes LF.
func normNL(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestRoundTrip(t *testing.T) {
	in := sample(t)
	cal := decode(t, write(t, in))

	if got := textOf(t, cal.Component, goical.PropVersion); got != "2.0" {
		t.Errorf("VERSION = %q", got)
	}
	if got := textOf(t, cal.Component, goical.PropProductID); got != prodID {
		t.Errorf("PRODID = %q, want %q", got, prodID)
	}
	if got := textOf(t, cal.Component, goical.PropCalendarScale); got != "GREGORIAN" {
		t.Errorf("CALSCALE = %q", got)
	}
	if got := textOf(t, cal.Component, goical.PropMethod); got != "PUBLISH" {
		t.Errorf("METHOD = %q", got)
	}
	for _, name := range []string{goical.PropName, "X-WR-CALNAME"} {
		if got := textOf(t, cal.Component, name); got != in.Name {
			t.Errorf("%s = %q, want %q", name, got, in.Name)
		}
	}
	if got := textOf(t, cal.Component, "X-WR-CALDESC"); got != in.Description {
		t.Errorf("X-WR-CALDESC = %q, want %q", got, in.Description)
	}

	if len(cal.Children) != len(in.Events) {
		t.Fatalf("%d components, want %d", len(cal.Children), len(in.Events))
	}
	evs := cal.Events()
	if len(evs) != len(in.Events) {
		t.Fatalf("%d events, want %d", len(evs), len(in.Events))
	}
	for i, want := range in.Events {
		ev := evs[i].Component
		t.Run(want.UID, func(t *testing.T) {
			if got := textOf(t, ev, goical.PropUID); got != want.UID {
				t.Errorf("UID = %q, want %q", got, want.UID)
			}
			if got, err := one(t, ev, goical.PropSequence).Int(); err != nil || got != want.Sequence {
				t.Errorf("SEQUENCE = %d (%v), want %d", got, err, want.Sequence)
			}
			for _, tc := range []struct {
				name string
				want time.Time
			}{
				{goical.PropDateTimeStart, want.Start},
				{goical.PropDateTimeEnd, want.End},
				{goical.PropDateTimeStamp, want.Stamp},
			} {
				if got := timeOf(t, ev, tc.name); !got.Equal(tc.want) || got != tc.want.UTC() {
					t.Errorf("%s = %v, want %v (%v)", tc.name, got, tc.want.UTC(), tc.want)
				}
			}
			if want.LastModified.IsZero() {
				absent(t, ev, goical.PropLastModified)
			} else if got := timeOf(t, ev, goical.PropLastModified); !got.Equal(want.LastModified) {
				t.Errorf("LAST-MODIFIED = %v, want %v", got, want.LastModified)
			}
			// The library's own accessors agree.
			e := goical.Event{Component: ev}
			if s, err := e.DateTimeStart(nil); err != nil || !s.Equal(want.Start) {
				t.Errorf("DateTimeStart = %v, %v; want %v", s, err, want.Start)
			}
			if s, err := e.DateTimeEnd(nil); err != nil || !s.Equal(want.End) {
				t.Errorf("DateTimeEnd = %v, %v; want %v", s, err, want.End)
			}

			for _, tc := range []struct{ name, want string }{
				{goical.PropSummary, want.Summary},
				{goical.PropDescription, want.Description},
			} {
				if got := textOf(t, ev, tc.name); got != normNL(tc.want) {
					t.Errorf("%s =\n%q\nwant\n%q", tc.name, got, normNL(tc.want))
				}
				p := one(t, ev, tc.name)
				if got := p.Params.Get(goical.ParamLanguage); got != want.Language {
					t.Errorf("%s LANGUAGE = %q, want %q", tc.name, got, want.Language)
				}
				if want.Language == "" && len(p.Params) != 0 {
					t.Errorf("%s has parameters %v, want none", tc.name, p.Params)
				}
			}

			if want.Location == "" {
				absent(t, ev, goical.PropLocation)
			} else if got := textOf(t, ev, goical.PropLocation); got != want.Location {
				t.Errorf("LOCATION = %q, want %q", got, want.Location)
			}

			if want.URL == "" {
				absent(t, ev, goical.PropURL)
			} else {
				u, err := one(t, ev, goical.PropURL).URI()
				if err != nil || u.String() != want.URL {
					t.Errorf("URL = %v (%v), want %q", u, err, want.URL)
				}
			}

			if len(want.Categories) == 0 {
				absent(t, ev, goical.PropCategories)
			} else {
				got, err := one(t, ev, goical.PropCategories).TextList()
				if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want.Categories) {
					t.Errorf("CATEGORIES = %q (%v), want %q", got, err, want.Categories)
				}
			}

			if want.Status == "" {
				absent(t, ev, goical.PropStatus)
			} else if got, err := e.Status(); err != nil || string(got) != want.Status {
				t.Errorf("STATUS = %q (%v), want %q", got, err, want.Status)
			}
		})
	}
}

// TestTimesInUTC pins the exact text of the times, the half-hour zone and
// the midnight crossing included.
func TestTimesInUTC(t *testing.T) {
	out := string(write(t, sample(t)))
	for _, want := range []string{
		"\r\nDTSTART:20261203T140000Z\r\n",
		"\r\nDTEND:20261203T153000Z\r\n",
		"\r\nDTSTAMP:20261120T081530Z\r\n",
		"\r\nLAST-MODIFIED:20261119T235959Z\r\n",
		"\r\nDTSTART:20261204T140000Z\r\n", // 19:30 Asia/Kolkata
		"\r\nDTEND:20261204T153000Z\r\n",   // 21:00 Asia/Kolkata
		"\r\nDTSTART:20261231T230000Z\r\n",
		"\r\nDTEND:20270101T013000Z\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", strings.TrimSpace(want))
		}
	}
	if strings.Contains(out, "TZID") || strings.Contains(out, "VTIMEZONE") {
		t.Error("output uses time zones, want UTC only")
	}
}

// TestEscapingExact pins the escaped form of a TEXT value, so that a
// writer and parser that are wrong in the same way cannot pass.
func TestEscapingExact(t *testing.T) {
	c := &ical.Calendar{ProdID: prodID, Events: []ical.Event{{
		UID:         "x@y",
		Start:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		End:         time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC),
		Stamp:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Summary:     "a,b;c\\d\ne\r\nf:g\tend\x00\x01\x1b\x7f\rX",
		Description: "bad \xff\xfe utf-8",
		Categories:  []string{"one,two", "three;four", "", "\x01"},
		URL:         "https://example.org/a\r\nb",
		Language:    "x-a,b;c:d\"e",
	}}}
	out := string(write(t, c))
	for _, want := range []string{
		"\r\nSUMMARY;LANGUAGE=\"x-a,b;c:de\":a\\,b\\;c\\\\d\\ne\\nf:g\tendX\r\n",
		"\r\nDESCRIPTION;LANGUAGE=\"x-a,b;c:de\":bad \uFFFD utf-8\r\n",
		"\r\nCATEGORIES:one\\,two,three\\;four\r\n",
		"\r\nURL:https://example.org/ab\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// And the parser agrees.
	ev := decode(t, []byte(out)).Events()[0]
	if got, _ := ev.Props.Text(goical.PropSummary); got != "a,b;c\\d\ne\nf:g\tendX" {
		t.Errorf("SUMMARY reads back as %q", got)
	}
	if got := ev.Props.Get(goical.PropSummary).Params.Get(goical.ParamLanguage); got != "x-a,b;c:de" {
		t.Errorf("LANGUAGE reads back as %q", got)
	}
	if got, _ := ev.Props.Get(goical.PropCategories).TextList(); fmt.Sprint(got) != "[one,two three;four]" {
		t.Errorf("CATEGORIES read back as %q", got)
	}
}

// physicalLines splits raw output at CRLF, failing on a bare CR or LF or
// a last line without CRLF.
func physicalLines(t *testing.T, data []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Fatalf("output does not end with CRLF: %q", data[max(0, len(data)-20):])
	}
	lines := strings.Split(string(data[:len(data)-2]), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
	}
	return lines
}

func TestRawLines(t *testing.T) {
	cals := map[string]*ical.Calendar{
		"sample": sample(t),
		"empty":  {ProdID: prodID},
	}
	// Long values of every character width at every offset: each start
	// shifts where the folds fall by one byte.
	for shift := 0; shift < 8; shift++ {
		cals[fmt.Sprintf("shift%d", shift)] = &ical.Calendar{
			ProdID: prodID,
			Name:   strings.Repeat("x", shift) + long(200),
			Events: []ical.Event{{
				UID:         strings.Repeat("u", shift) + "@letsconnect.toolforge.org",
				Start:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
				End:         time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC),
				Stamp:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
				Summary:     strings.Repeat("s", shift) + strings.Repeat("🎉", 100),
				Description: strings.Repeat("d", shift) + strings.Repeat("é", 100) + strings.Repeat("語", 100) + arabic,
				Categories:  []string{strings.Repeat("c", shift) + long(150), emoji},
			}},
		}
	}
	for name, c := range cals {
		t.Run(name, func(t *testing.T) {
			data := write(t, c)
			if !utf8.Valid(data) {
				t.Error("output is not valid UTF-8")
			}
			lines := physicalLines(t, data)
			folded := 0
			for i, l := range lines {
				if len(l) > 75 {
					t.Errorf("line %d is %d octets, want at most 75: %q", i+1, len(l), l)
				}
				if !utf8.ValidString(l) {
					t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
				}
				if l == "" || l == " " {
					t.Errorf("line %d is empty or a bare continuation", i+1)
				}
				if strings.HasPrefix(l, " ") {
					folded++
					if i == 0 {
						t.Error("first line is a continuation")
					}
				}
				if strings.HasPrefix(l, "\t") {
					t.Errorf("line %d starts with a tab", i+1)
				}
			}
			if name != "empty" && folded == 0 {
				t.Error("nothing was folded")
			}
			// Folds are as late as they can be: a line is shorter than the
			// limit only where the next character would not fit.
			for i := 0; i+1 < len(lines); i++ {
				next := lines[i+1]
				if !strings.HasPrefix(next, " ") {
					continue
				}
				_, size := utf8.DecodeRuneInString(next[1:])
				if len(lines[i])+size <= 75 {
					t.Errorf("line %d folded early at %d octets before %q", i+1, len(lines[i]), next[1:1+size])
				}
			}
			decode(t, data)
		})
	}
}

func TestFoldedSummaryExact(t *testing.T) {
	in := sample(t)
	cal := decode(t, write(t, in))
	got, err := cal.Events()[2].Props.Text(goical.PropSummary)
	if err != nil {
		t.Fatal(err)
	}
	if utf8.RuneCountInString(in.Events[2].Summary) != 300 {
		t.Fatal("test summary is not 300 characters")
	}
	if got != in.Events[2].Summary {
		t.Errorf("300-character SUMMARY reads back as\n%q\nwant\n%q", got, in.Events[2].Summary)
	}
}

func TestStructure(t *testing.T) {
	data := string(write(t, sample(t)))
	// Unfold, then check the order of the lines that carry no data.
	unfolded := strings.Split(strings.ReplaceAll(strings.TrimSuffix(data, "\r\n"), "\r\n ", ""), "\r\n")
	wantHead := []string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:" + prodID,
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
	}
	for i, w := range wantHead {
		if unfolded[i] != w {
			t.Errorf("line %d = %q, want %q", i+1, unfolded[i], w)
		}
	}
	if last := unfolded[len(unfolded)-1]; last != "END:VCALENDAR" {
		t.Errorf("last line = %q", last)
	}
	if n := strings.Count(data, "\r\nBEGIN:VEVENT\r\n"); n != 3 {
		t.Errorf("%d BEGIN:VEVENT, want 3", n)
	}
	// Events keep their order.
	a := strings.Index(data, "UID:clinic")
	b := strings.Index(data, "UID:kolkata")
	c := strings.Index(data, "UID:midnight")
	if !(a >= 0 && a < b && b < c) {
		t.Errorf("events out of order: %d %d %d", a, b, c)
	}
}

func TestDeterministic(t *testing.T) {
	a := write(t, sample(t))
	b := write(t, sample(t))
	c := sample(t)
	first := write(t, c)
	second := write(t, c)
	if !bytes.Equal(a, b) || !bytes.Equal(first, second) || !bytes.Equal(a, first) {
		t.Error("two writes of the same calendar differ")
	}
}

func TestEmptyCalendar(t *testing.T) {
	data := write(t, &ical.Calendar{ProdID: prodID})
	want := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + prodID +
		"\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
	if string(data) != want {
		t.Errorf("empty calendar =\n%q\nwant\n%q", data, want)
	}
	cal := decode(t, data)
	if len(cal.Children) != 0 {
		t.Errorf("%d components, want 0", len(cal.Children))
	}
	if got, _ := cal.Props.Text(goical.PropProductID); got != prodID {
		t.Errorf("PRODID = %q", got)
	}
	for _, name := range []string{goical.PropName, "X-WR-CALNAME", "X-WR-CALDESC"} {
		absent(t, cal.Component, name)
	}
}

func TestOptionalOmitted(t *testing.T) {
	c := &ical.Calendar{ProdID: prodID, Events: []ical.Event{{
		UID:        "min@letsconnect.toolforge.org",
		Start:      time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC),
		End:        time.Date(2026, 1, 1, 11, 0, 0, 0, time.UTC),
		Stamp:      time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		Categories: []string{},
	}}}
	ev := decode(t, write(t, c)).Events()[0].Component
	for _, name := range []string{
		goical.PropLastModified, goical.PropLocation, goical.PropURL,
		goical.PropCategories, goical.PropStatus,
	} {
		absent(t, ev, name)
	}
	if got, err := one(t, ev, goical.PropSequence).Int(); err != nil || got != 0 {
		t.Errorf("SEQUENCE = %d (%v), want 0", got, err)
	}
}

func TestInvalid(t *testing.T) {
	ok := ical.Event{
		UID:   "ok@letsconnect.toolforge.org",
		Start: time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC),
		End:   time.Date(2026, 1, 1, 11, 0, 0, 0, time.UTC),
		Stamp: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for name, mutate := range map[string]func(*ical.Calendar){
		"no PRODID":   func(c *ical.Calendar) { c.ProdID = "" },
		"no UID":      func(c *ical.Calendar) { c.Events[0].UID = "" },
		"no start":    func(c *ical.Calendar) { c.Events[0].Start = time.Time{} },
		"no stamp":    func(c *ical.Calendar) { c.Events[0].Stamp = time.Time{} },
		"end = start": func(c *ical.Calendar) { c.Events[0].End = c.Events[0].Start },
		"end < start": func(c *ical.Calendar) { c.Events[0].End = c.Events[0].Start.Add(-time.Hour) },
		"sub-second":  func(c *ical.Calendar) { c.Events[0].End = c.Events[0].Start.Add(time.Second / 2) },
		"sequence":    func(c *ical.Calendar) { c.Events[0].Sequence = -1 },
		"status":      func(c *ical.Calendar) { c.Events[0].Status = "confirmed" },
	} {
		t.Run(name, func(t *testing.T) {
			c := &ical.Calendar{ProdID: prodID, Events: []ical.Event{ok, ok}}
			c.Events[1].UID = "second@letsconnect.toolforge.org"
			mutate(c)
			var b bytes.Buffer
			if err := c.Write(&b); err == nil {
				t.Error("Write succeeded, want an error")
			}
			if b.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing, want none", b.Len())
			}
		})
	}
}
