package domain

import (
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// Config is what the domain needs of the bot's configuration: the pages
// the program lives on and generates, and the rules it follows. Its
// methods plan the generated pages (PlanDirectory, PlanProblems, ...),
// pure functions of a State.
type Config struct {
	ParticipantsPrefix string // registration subpages, e.g. "Let's Connect/Participants/"
	TaxonomyPage       string // the skills taxonomy the working group edits
	DirectoryPage      string // generated
	ProblemsPage       string // generated
	ProposalsPage      string // generated; the working group decides its rows
	// MaxProposals caps the rows awaiting a decision, so the working
	// group sees a list it can act on. 0 means no limit.
	MaxProposals int
	// Match sets the matcher's rules and weights: zero values are the
	// defaults, except in options read from JSON (LC_MATCH_OPTIONS), where
	// a 0 written is 0 (match.Options).
	Match        match.Options
	WorkingGroup WorkingGroup // may create and edit anyone's registration

	// Events and resources: pages under EventsPrefix hold
	// {{Let's Connect event}} and {{Let's Connect resource}};
	// ResourceSubmissions holds resources people add. CalendarPage and
	// ResourcesPage are generated. PageURL turns a title into its URL on
	// the wiki (for the iCalendar feed).
	ReportPage          string // generated: the working group's report
	ReportHistoryPage   string // generated JSON: a snapshot of the figures a day
	EventsPrefix        string
	ResourceSubmissions string
	CalendarPage        string
	ResourcesPage       string
	PageURL             func(title string) string

	// PageLanguages are the languages the reader pages (directory,
	// calendar, resources, report) are written in besides English, whose
	// pages are the base ones; the others are their subpages (Page/fr).
	// Empty: English only.
	PageLanguages []string

	// The connection lifecycle (Lifecycle).
	//
	// LedgerPrefix is where the connections ledger pages go, one per
	// year ("Let's Connect/Connections/2026", then ".../2026/2" when a
	// page reaches LedgerPageBytes).
	LedgerPrefix    string
	LedgerPageBytes int // 0: DefaultLedgerPageBytes
	// OptOutPage lists users (as [[User:...]] links) who want no messages.
	OptOutPage string
	// Days without an answer before a reminder, then before no-response;
	// days after accepting before the "did you meet?" check-in when
	// people set no planned date. Used as they are: the defaults and the
	// ranges (1 to 365) are the configuration's (internal/cli).
	ReminderDays, NoResponseDays, CheckInDays int
	// MaxMessagesPerPerson caps messages to one person in a calendar
	// month; the rest wait for the next month. 0 means no limit.
	MaxMessagesPerPerson int
	// MaxMessagesPerRun is the run's cap on messages (0: none): welcomes
	// and invitations fill only the room the connections' messages leave,
	// the rest wait for the next run.
	MaxMessagesPerRun int

	// Outreach (outreach.go): welcomes to the registrations created since
	// OutreachSince (zero: no welcomes, no invitations), invitations to
	// the events starting between InviteNoticeDays (0: from now on) and
	// InviteAheadDays from now, at most InvitationsPerEvent per event (0:
	// no invitations, the welcomes still go), recorded on OutreachPage.
	// Used as they are, as the lifecycle's days. FeedURL is where the service serves the
	// iCalendar feeds ("" : welcomes link none).
	OutreachPage                                           string
	OutreachSince                                          time.Time
	InvitationsPerEvent, InviteAheadDays, InviteNoticeDays int
	FeedURL                                                string

	// The newsletter (newsletter.go): an issue per month under
	// NewsletterPrefix ("…/Newsletter/"), written from the NewsletterDay
	// of the month (0: no newsletter), and the subscriber lists, one per
	// language under SubscribersPage.
	NewsletterPrefix string
	NewsletterDay    int
	SubscribersPage  string

	// Recognition (badges.go): badges by rule, listed on RecognitionPage,
	// each congratulated once, when BadgesEnabled.
	RecognitionPage string
	BadgesEnabled   bool
}
