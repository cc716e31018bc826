// Package calendar is the program's learning spaces: it reads the event
// pages ({{Let's Connect event}}, {{Let's Connect resource}}) and the
// resource submissions into the State's Events and Resources, and writes
// the calendar page (with each event's iCalendar sequence kept on it), the
// resources page by skill, and the iCalendar feeds the service serves.
package calendar

import (
	"slices"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// The tasks' names.
const (
	TaskCalendar  = "calendar"
	TaskResources = "resources"
)

// Config is where the learning spaces are and what is written from them.
type Config struct {
	// EventsPrefix holds the event pages; ResourceSubmissions is where
	// people add resources outside them.
	EventsPrefix        string `env:"LC_EVENTS_PREFIX" root:"/Events/" doc:"event pages: {{Let's Connect event}} and {{Let's Connect resource}} (docs/formats.md)"`
	ResourceSubmissions string `env:"LC_RESOURCE_SUBMISSIONS" root:"/Resources/Submissions" doc:"where people add {{Let's Connect resource}} outside event pages"`
	// CalendarPage and ResourcesPage are generated ("": not written).
	CalendarPage  string `env:"LC_CALENDAR_PAGE" root:"/Calendar" doc:"generated calendar of learning spaces"`
	ResourcesPage string `env:"LC_RESOURCES_PAGE" root:"/Resources" doc:"generated resources page, by skill"`
	// FeedURL is where the service serves the iCalendar feeds ("": no
	// links to them).
	FeedURL string `env:"LC_FEED_URL" envDefault:"https://letsconnect.toolforge.org" keepEmpty:"true" doc:"where letsconnect serve is reached, an http(s) URL: welcomes link its iCalendar feeds (empty: no links)"`
}

// calendarPage is the calendar page as read: its hidden state keeps the
// events' sequence numbers.
var calendarPage = program.NewKey[*wiki.Page]("calendar page")

type settings struct {
	Config
	Program program.Config
}

// Task writes the calendar page; it reads the event pages for every task
// (the State's Events and Resources).
func Task(p program.Config, c Config) program.Task {
	s := settings{Config: c, Program: p}
	t := program.Task{Name: TaskCalendar, Description: "write the calendar of learning spaces", Plan: s.planCalendar}
	if c.EventsPrefix != "" {
		t.Reads = []program.Read{s.readEvents()}
	}
	return t
}

// ResourcesTask writes the resources page.
func ResourcesTask(p program.Config, c Config) program.Task {
	s := settings{Config: c, Program: p}
	return program.Task{Name: TaskResources, Description: "write the resources page", Plan: s.planResources}
}

// readEvents reads every page under the events prefix, the resource
// submissions and the calendar page (for its state).
func (c settings) readEvents() program.Read {
	return program.Read{
		What:   "reading the events",
		Prefix: c.EventsPrefix,
		Titles: []string{c.ResourceSubmissions, c.CalendarPage},
		Use: func(st *program.State, pages []program.ReadPage) error {
			ck := &EventChecker{Taxonomy: st.Taxonomy, Languages: st.LanguageNames}
			for _, p := range pages {
				if p.Title == c.CalendarPage {
					calendarPage.Set(st, p.Page)
					continue
				}
				if !p.Exists() {
					continue
				}
				events, resources, problems := ck.Check(p.Title, p.Timestamp, p.Content)
				st.Events = append(st.Events, events...)
				st.Resources = append(st.Resources, resources...)
				st.Problems = append(st.Problems, problems...)
			}
			slices.SortStableFunc(st.Events, program.CompareEvents)
			slices.SortStableFunc(st.Resources, program.CompareResources)
			return nil
		},
	}
}
