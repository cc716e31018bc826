// Package outreach brings in the people who registered and never took
// part: one welcome to each new participant, and invitations to the
// upcoming learning spaces that teach what people want to learn in a
// language they follow, those who never took part first, each recorded on
// the invitations page. It also tells the report what the messages
// brought (Figures).
package outreach

import (
	"fmt"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
)

// TaskOutreach is the task's name.
const TaskOutreach = "outreach"

// Config is the welcomes' and invitations' page and numbers: welcomes to
// the registrations created since Since (zero: no welcomes, no
// invitations), invitations to the events starting between
// InviteNoticeDays (0: from now on) and InviteAheadDays from now, at most
// InvitationsPerEvent per event (0: no invitations, the welcomes still
// go), recorded on OutreachPage. The numbers are used as they are: their
// defaults and ranges are the configuration's.
type Config struct {
	OutreachPage string `env:"LC_OUTREACH_PAGE" root:"/Invitations" doc:"generated record of the welcomes and invitations posted (docs/lifecycle.md)"`
	// SinceText switches the outreach on; Since is it read
	// (internal/config parses it).
	SinceText           string `env:"LC_OUTREACH_SINCE" doc:"switches welcomes and invitations on (RFC 3339 or YYYY-MM-DD): registrations created since then get a welcome; empty: neither is sent"`
	Since               time.Time
	InvitationsPerEvent int `env:"LC_INVITATIONS_PER_EVENT" envDefault:"15" min:"0" doc:"most invitations to one learning space (0: no invitations; the welcomes still go)"`
	InviteAheadDays     int `env:"LC_INVITE_AHEAD_DAYS" envDefault:"21" min:"1" max:"365" unit:"days" doc:"invite to learning spaces starting within this many days (1 to 365, more than LC_INVITE_NOTICE_DAYS)"`
	InviteNoticeDays    int `env:"LC_INVITE_NOTICE_DAYS" envDefault:"2" min:"0" max:"364" unit:"days" doc:"invite to none starting within this many days, too short notice (0: invite to any starting from now on, later today included)"`
}

// The outreach's message kinds.
const (
	// MessageWelcome welcomes a new participant, once.
	MessageWelcome program.MessageKind = "welcome"
	// MessageInvitation invites a participant to an upcoming event.
	MessageInvitation program.MessageKind = "invitation"
)

// invitations is the invitations page as read, when it exists, and its rows.
var invitations = program.NewRowsKey[*OutreachRow]("invitations page")

// Rows returns the invitations page's rows as read: the welcomes and
// invitations posted.
func Rows(st *program.State) []*OutreachRow { return invitations.Rows(st) }

// SetRows sets the invitations page's rows, as if read.
func SetRows(st *program.State, rows []*OutreachRow) { invitations.SetRows(st, rows) }

// settings is what the task uses: its own, and the pages its messages
// link (the directory, the calendar and its feeds, the proposals).
type settings struct {
	Config
	DirectoryPage, CalendarPage, ProposalsPage, FeedURL string
	catalog                                             *i18n.Catalog
}

// Task welcomes and invites in a delivery; it reads the invitations page
// for every task (also when outreach is off: the report keeps counting
// what the messages sent brought).
func Task(c Config, dir directory.Config, cal calendar.Config, prop proposals.Config) program.Task {
	s := settings{Config: c, DirectoryPage: dir.DirectoryPage, CalendarPage: cal.CalendarPage, ProposalsPage: prop.ProposalsPage, FeedURL: cal.FeedURL}
	t := program.Task{
		Name:        TaskOutreach,
		Description: "welcome new participants and invite people to the upcoming learning spaces",
		Messages: &program.Messenger{
			Audience: s.audience,
			Created:  s.WelcomeCandidates,
			Sent: func(st *program.State) []program.Delivery {
				var out []program.Delivery
				for _, r := range Rows(st) {
					out = append(out, r.Messages...)
				}
				return out
			},
			Plan: s.plan,
			Counters: []program.Counter{
				{Name: "welcomed", One: "welcome", Many: "welcomes", Kinds: []program.MessageKind{MessageWelcome}, Place: 20},
				{Name: "invited", One: "invitation", Many: "invitations", Kinds: []program.MessageKind{MessageInvitation}, Place: 21},
			},
		},
	}
	if c.OutreachPage != "" {
		t.Reads = []program.Read{{
			What:   "reading the invitations page",
			Titles: []string{c.OutreachPage},
			Use: func(st *program.State, pages []program.ReadPage) error {
				if p := pages[0]; p.Exists() {
					invitations.Set(st, p.Page, ParseOutreach(p.Content))
				}
				return nil
			},
		}}
	}
	return t
}

// delivery is the outreach's part of a delivery plan: the invitations
// page's rows as the run leaves them (copies, with what the talk pages
// say; posting records each message on its row).
type delivery struct {
	s    settings
	st   *program.State
	rows []*OutreachRow
}

// Account tells how many welcomes and invitations the plan posts.
func (d *delivery) Account(p *program.MessagePlan) program.Account {
	w, i := p.CountKinds(MessageWelcome), p.CountKinds(MessageInvitation)
	if w+i == 0 {
		return program.Account{}
	}
	return program.Account{ToPost: fmt.Sprintf("OUTREACH %d %s, %d %s to post", w, program.Plural(w, "welcome", "welcomes"),
		i, program.Plural(i, "invitation", "invitations"))}
}

// Finish writes the invitations page from the rows.
func (d *delivery) Finish() ([]program.PageChange, error) { return d.s.outreachChange(d.st, d.rows) }

// Outcome: the messages' counters count the welcomes and invitations.
func (d *delivery) Outcome() ([]string, map[string]int) { return nil, nil }
