package calendar

import (
	"fmt"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/ical"
)

// FeedDomain qualifies the events' UIDs (RFC 5545 asks for a globally
// unique id; the event's id is unique within the program).
const FeedDomain = "letsconnect.toolforge.org"

// FeedFilter picks the events of a feed: all, one skill's, one language's.
type FeedFilter struct {
	Skill    string // a taxonomy id, or ""
	Language string // a language code, or "" (the event's language or one interpreted into)
}

// Match reports whether the filter keeps the event.
func (f FeedFilter) Match(ev program.Event) bool {
	if f.Skill != "" && !slices.Contains(ev.Skills, f.Skill) {
		return false
	}
	if f.Language != "" && ev.Language != f.Language && !slices.Contains(ev.Interpreted, f.Language) {
		return false
	}
	return true
}

// Feed builds the iCalendar feed of the events the filter keeps: stable
// UIDs, UTC times, SEQUENCE from the calendar page (EventSequences),
// cancelled events as STATUS:CANCELLED (so calendar applications remove
// them), and a description with everything the calendar page shows.
// pageURL turns a title into its URL on the wiki (nil: no links).
func Feed(st *program.State, f FeedFilter, pageURL func(title string) string) *ical.Calendar {
	seq := EventSequences(st)
	name := "Let's Connect"
	switch {
	case f.Skill != "":
		name += ": " + st.Taxonomy.Skill(f.Skill).Name
	case f.Language != "":
		lang := st.LanguageNames[f.Language]
		if lang == "" {
			lang = f.Language
		}
		name += " (" + lang + ")"
	}
	cal := &ical.Calendar{
		ProdID:      "-//Wikimedia Let's Connect//letsconnect//EN",
		Name:        name,
		Description: "Learning clinics, regional sessions, connectathons, 1:1s and groups of Wikimedia's Let's Connect peer-learning program",
	}
	for _, ev := range st.EventsInOrder() {
		if !f.Match(ev) {
			continue
		}
		var desc []string
		line := func(label, value string) {
			if value != "" {
				desc = append(desc, label+": "+value)
			}
		}
		line("Type", string(ev.Type))
		lang := ev.Language
		if len(ev.Interpreted) > 0 {
			lang += " (interpreted: " + strings.Join(ev.Interpreted, ", ") + ")"
		}
		line("Language", strings.TrimSpace(lang))
		var skills []string
		for _, id := range ev.Skills {
			skills = append(skills, st.Taxonomy.Skill(id).Name)
		}
		line("Skills", strings.Join(skills, ", "))
		line("Sharers", strings.Join(ev.Sharers, ", "))
		line("For whom", ev.Audience)
		line("What for", ev.Purpose)
		if t, external, err := program.LinkTarget(ev.Registration); err == nil {
			if !external && pageURL != nil {
				t = pageURL(t)
			}
			line("Registration", t)
		}
		page := ""
		if pageURL != nil {
			page = pageURL(ev.Page)
			line("Page", page)
		}
		status := "CONFIRMED"
		if ev.Status == program.EventCancelled {
			status = "CANCELLED"
		}
		categories := append([]string{string(ev.Type)}, skills...)
		stamp := ev.Updated.UTC()
		if stamp.IsZero() {
			stamp = st.Now
		}
		cal.Events = append(cal.Events, ical.Event{
			UID:          fmt.Sprintf("%s@%s", ev.ID, FeedDomain),
			Sequence:     seq[ev.ID],
			Start:        ev.Start,
			End:          ev.End(),
			Stamp:        stamp,
			LastModified: stamp,
			Summary:      ev.Title,
			Description:  strings.Join(desc, "\n"),
			Location:     "Online",
			URL:          page,
			Categories:   categories,
			Status:       status,
			Language:     ev.Language,
		})
	}
	return cal
}
