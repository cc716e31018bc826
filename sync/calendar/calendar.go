package calendar

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// The calendar page keeps, hidden on each event's row, the event's
// iCalendar sequence number and the fingerprint it had: when an event
// changes, the next run bumps the number, so that calendar applications
// replace their copy. The bot owns the page, so the state survives runs
// and restarts without any file of its own.
var eventStateRE = regexp.MustCompile(`<!-- letsconnect-event (\S+) seq=(\d+) fp=(\w+) -->`)

type eventState struct {
	Seq         int
	Fingerprint string
}

// EventSequences returns each event's iCalendar SEQUENCE: 0 for an event
// the calendar page does not know yet, the page's number for one that did
// not change since, one more for one that did.
func EventSequences(st *program.State) map[string]int {
	prev := map[string]eventState{}
	if page := calendarPage.Get(st); page != nil {
		for _, m := range eventStateRE.FindAllStringSubmatch(page.Content, -1) {
			n, _ := strconv.Atoi(m[2])
			prev[m[1]] = eventState{n, m[3]}
		}
	}
	out := map[string]int{}
	for _, ev := range st.EventsInOrder() {
		p, ok := prev[ev.ID]
		switch {
		case !ok:
			out[ev.ID] = 0
		case p.Fingerprint == ev.Fingerprint():
			out[ev.ID] = p.Seq
		default:
			out[ev.ID] = p.Seq + 1
		}
	}
	return out
}

// zoneColumn is a time zone the calendar shows times in.
type zoneColumn struct {
	Name string
	Loc  *time.Location
}

// commonZones returns the n time zones most participants wrote (active
// registrations), most common first, ties by name.
func commonZones(regs []*program.Registration, n int) []zoneColumn {
	count := map[string]int{}
	offset := map[string]int{}
	for _, r := range regs {
		if r.Active && r.TimeZone != "" {
			count[r.TimeZone]++
			offset[r.TimeZone] = r.UTCOffsetMinute
		}
	}
	names := make([]string, 0, len(count))
	for name := range count {
		if !strings.EqualFold(name, "UTC") {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	var out []zoneColumn
	for _, name := range names[:min(n, len(names))] {
		loc, err := program.LoadLocation(name)
		if err != nil || strings.HasPrefix(strings.ToUpper(name), "UTC") {
			// "UTC+05:30" as written: a fixed offset.
			loc = time.FixedZone(name, offset[name]*60)
		}
		out = append(out, zoneColumn{strings.ReplaceAll(name, "_", " "), loc})
	}
	return out
}

// calendarData is what calendar.wiki.tmpl renders.
type calendarData struct {
	L         program.Locale
	Zones     []zoneColumn
	Upcoming  []calendarRow
	Past      []calendarRow
	Cancelled int
}

// calendarRow is one event, rendered.
type calendarRow struct {
	SortKey   string // data-sort-value
	When      string // UTC, with the end
	Local     []string
	Converter string
	Event     string // link to the event page
	Type      string
	Language  string
	Skills    string
	Sharers   string
	ForWhom   string
	Register  string
	Cancelled bool
	State     string // the hidden sequence state
	Attended  string
	Resources string
}

// planCalendar writes the calendar page, in each page language.
func (c settings) planCalendar(st *program.State) ([]program.PageChange, error) {
	if c.CalendarPage == "" {
		return nil, nil
	}
	seq := EventSequences(st)
	zones := commonZones(st.Registrations, 3)
	byEvent := resourcesByEvent(st.ResourcesInOrder())
	upcoming := 0
	for _, ev := range st.EventsInOrder() {
		if ev.Upcoming(st.Now) {
			upcoming++
		}
	}
	return program.InLanguages(c.Program.PageLanguages, program.PageChange{
		Title:  c.CalendarPage,
		Source: "the event pages", EditInstead: "the event pages",
		Summary: fmt.Sprintf("Update the calendar: %d upcoming, %d past (bot)", upcoming, len(st.Events)-upcoming),
	}, func(l program.Locale) (string, error) {
		data := calendarData{L: l, Zones: zones}
		for _, ev := range st.EventsInOrder() {
			row := calendarRow{
				SortKey:   ev.Start.Format("2006-01-02T15:04"),
				When:      l.DateTime(ev.Start, true) + "–" + l.Clock(ev.End()) + " UTC",
				Converter: "https://www.timeanddate.com/worldclock/fixedtime.html?iso=" + ev.Start.Format("20060102T1504") + "&p1=1440&msg=" + wikitext.EscapeURL(url.QueryEscape(ev.Title)),
				Event:     "[[" + wikitext.Escape(ev.Page) + "|" + wikitext.Escape(ev.Title) + "]]",
				Type:      l.Word("letsconnect-page-event-type-", string(ev.Type)),
				Language:  ev.Languages(st, l),
				Skills:    program.SkillNames(st.Taxonomy, ev.Skills, l.Lang),
				Sharers:   program.UserLinks(ev.Sharers),
				ForWhom:   forWhom(ev, l),
				Register:  program.LinkText(ev.Registration, l.T("letsconnect-page-calendar-register")),
				Cancelled: ev.Status == program.EventCancelled,
				State:     fmt.Sprintf("<!-- letsconnect-event %s seq=%d fp=%s -->", ev.ID, seq[ev.ID], ev.Fingerprint()),
			}
			if ev.End().Day() != ev.Start.Day() {
				row.When = l.DateTime(ev.Start, true) + " – " + l.Date(ev.End(), false) + " " + l.Clock(ev.End()) + " UTC"
			}
			for _, z := range data.Zones {
				local := ev.Start.In(z.Loc)
				text := l.Clock(local)
				if local.YearDay() != ev.Start.YearDay() {
					text = l.DateTime(local, false)
				}
				row.Local = append(row.Local, text)
			}
			if ev.Upcoming(st.Now) {
				if row.Cancelled {
					data.Cancelled++
				}
				data.Upcoming = append(data.Upcoming, row)
				continue
			}
			if n := len(ev.Attendees) + ev.Unregistered; n > 0 {
				row.Attended = l.Num(n)
			}
			var links []string
			for _, r := range byEvent[ev.Page] {
				links = append(links, program.ResourceLink(r)+" ("+l.Word("letsconnect-page-resource-type-", r.Type)+")")
			}
			row.Resources = strings.Join(links, "<br />")
			data.Past = append(data.Past, row)
		}
		slices.Reverse(data.Past) // newest first
		return templates.Render("calendar.wiki.tmpl", data)
	})
}

func forWhom(ev program.Event, l program.Locale) string {
	var parts []string
	if ev.Audience != "" {
		parts = append(parts, "''"+l.T("letsconnect-page-calendar-for")+"'' "+wikitext.Escape(ev.Audience))
	}
	if ev.Purpose != "" {
		parts = append(parts, "''"+l.T("letsconnect-page-calendar-to")+"'' "+wikitext.Escape(ev.Purpose))
	}
	return strings.Join(parts, "<br />")
}

func resourcesByEvent(rs []program.Resource) map[string][]program.Resource {
	out := map[string][]program.Resource{}
	for _, r := range rs {
		if r.Event != "" {
			out[r.Event] = append(out[r.Event], r)
		}
	}
	return out
}

// resourcesData is what resources.wiki.tmpl renders.
type resourcesData struct {
	L          program.Locale
	Total      int
	ByType     []string // "12 recording", in the page's language
	Categories []resourceCategory
	Other      []resourceRow
}

type resourceCategory struct {
	Name   string
	Skills []resourceSkill
}

type resourceSkill struct {
	ID, Name string
	Rows     []resourceRow
}

type resourceRow struct {
	Link, Type, Language, Event, Date string
}

// planResources writes the resources page, in each page language: by
// category and skill, in taxonomy order; a resource for several skills is
// under each.
func (c settings) planResources(st *program.State) ([]program.PageChange, error) {
	if c.ResourcesPage == "" {
		return nil, nil
	}
	titles := map[string]string{}
	for _, ev := range st.EventsInOrder() {
		if _, seen := titles[ev.Page]; !seen {
			titles[ev.Page] = ev.Title
		}
	}
	return program.InLanguages(c.Program.PageLanguages, program.PageChange{
		Title:  c.ResourcesPage,
		Source: "the event pages", EditInstead: "the event pages",
		Summary: fmt.Sprintf("Update the resources: %d (bot)", len(st.Resources)),
	}, func(l program.Locale) (string, error) {
		row := func(r program.Resource) resourceRow {
			out := resourceRow{Link: program.ResourceLink(r), Type: l.Word("letsconnect-page-resource-type-", r.Type), Language: wikitext.Escape(r.Language), Date: r.Date}
			if r.Event != "" {
				label := titles[r.Event]
				if label == "" {
					label = r.Event
				}
				out.Event = "[[" + wikitext.Escape(r.Event) + "|" + wikitext.Escape(label) + "]]"
			}
			return out
		}
		bySkill := map[string][]resourceRow{}
		counts := map[string]int{}
		data := resourcesData{L: l, Total: len(st.Resources)}
		for _, r := range st.ResourcesInOrder() {
			counts[r.Type]++
			if len(r.Skills) == 0 {
				data.Other = append(data.Other, row(r))
			}
			for _, id := range r.Skills {
				bySkill[id] = append(bySkill[id], row(r))
			}
		}
		for _, t := range program.ResourceTypes {
			if counts[t] > 0 {
				data.ByType = append(data.ByType, l.T("letsconnect-page-resources-type-count", counts[t], l.Word("letsconnect-page-resource-type-", t)))
			}
		}
		for _, c := range st.Taxonomy.Categories {
			cat := resourceCategory{Name: l.Category(c)}
			for _, s := range st.Taxonomy.Skills {
				if s.CategoryID == c.ID && len(bySkill[s.ID]) > 0 {
					cat.Skills = append(cat.Skills, resourceSkill{ID: s.ID, Name: l.Skill(s), Rows: bySkill[s.ID]})
				}
			}
			if len(cat.Skills) > 0 {
				data.Categories = append(data.Categories, cat)
			}
		}
		return templates.Render("resources.wiki.tmpl", data)
	})
}

// ResourceCounts counts the resources of each skill.
func ResourceCounts(rs []program.Resource) map[string]int {
	out := map[string]int{}
	for _, r := range rs {
		for _, id := range r.Skills {
			out[id]++
		}
	}
	return out
}
