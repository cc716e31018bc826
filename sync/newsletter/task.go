// Package newsletter writes the program's monthly newsletter
// (docs/newsletter.md): a draft issue per month, in every language that
// translates the newsletter's messages, that the working group edits and
// sends with MassMessage, and the subscriber lists in MassMessage's
// target-list format, one per language, from the registrations that ask
// for it.
package newsletter

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// TaskNewsletter is the task's name.
const TaskNewsletter = "newsletter"

// Config is the newsletter's pages and day: an issue per month under
// NewsletterPrefix ("…/Newsletter/"), written from the NewsletterDay of the
// month (0: no newsletter), and the subscriber lists, one per language
// under SubscribersPage.
type Config struct {
	NewsletterPrefix string `env:"LC_NEWSLETTER_PREFIX" root:"/Newsletter/" doc:"the monthly newsletter's draft issues under this prefix: 2026-12 in English, 2026-12/fr in each other language (docs/newsletter.md)"`
	NewsletterDay    int    `env:"LC_NEWSLETTER_DAY" envDefault:"0" min:"0" max:"28" doc:"day of the month (1-28) from which the bot writes that month's newsletter draft, once, and keeps its subscriber lists (0: no newsletter)"`
	SubscribersPage  string `env:"LC_NEWSLETTER_SUBSCRIBERS" root:"/Newsletter/Subscribers" doc:"the newsletter's MassMessage subscriber lists, one subpage per language (…/Subscribers/fr), from the registrations with newsletter=yes"`
}

// skip maps the newsletter's subscribers who may get no message (opted
// out, {{bots}}, blocked) to why.
var skip = program.NewKey[map[string]string]("newsletter skip")

// settings is what the task uses: its own, and the pages an issue links
// (the calendar and its feed, the resources, the directory).
type settings struct {
	Config
	CalendarPage, ResourcesPage, FeedURL, DirectoryPage string
}

// Task writes the month's draft issue (once) and the subscriber lists.
// It reads who of the subscribers opted out of messages (the opt-out
// list, {{bots}}, the opt-out category: they are never listed), and when
// the new sharers' registrations were created.
func Task(c Config, cal calendar.Config, dir directory.Config) program.Task {
	s := settings{Config: c, CalendarPage: cal.CalendarPage, ResourcesPage: cal.ResourcesPage, FeedURL: cal.FeedURL, DirectoryPage: dir.DirectoryPage}
	t := program.Task{Name: TaskNewsletter, Description: "write the month's newsletter draft (once) and its subscriber lists", Plan: s.planNewsletter}
	if c.NewsletterOn() {
		t.People = &program.People{
			What:     "reading the newsletter's subscribers",
			Audience: c.NewsletterAudience,
			Created:  c.NewsletterCandidates,
			Use: func(st *program.State, talk map[string]program.TalkPage, optedOut map[string]bool) {
				why := map[string]string{}
				for _, u := range c.NewsletterAudience(st) {
					switch {
					case optedOut[u]:
						why[u] = "listed on the opt-out page"
					case talk[u].Skip != "":
						why[u] = talk[u].Skip
					}
				}
				skip.Set(st, why)
			},
		}
	}
	return t
}
