package program

import (
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// TalkPage is where a message to a person goes, as the engine found it:
// the page (following a renamed user's redirect) and what it holds, or why
// nothing may be posted there.
type TalkPage struct {
	Title string // the page to post on
	// Page is its latest revision (nil or missing: a new page).
	Page *wiki.Page
	// RedirectedFrom names the person's own talk page when it redirects
	// to Title (a renamed user).
	RedirectedFrom string
	// Skip, when set, says why the person gets no message (an opt-out, a
	// blocked or missing account, a page the bot may not edit).
	Skip string
}

// State is everything read from the wiki for one run: the shared nouns
// every behaviour may read, and each behaviour's own data (its page, its
// rows) under its Key, which others read only through the accessors its
// package exports.
type State struct {
	Now time.Time
	// Bot is the bot's account ("" for a dry run without one), and
	// WorkingGroup who decides: their revisions of a page people edit are
	// decisions (WorkingGroup.Decides).
	Bot          string
	WorkingGroup WorkingGroup
	// Taxonomy, and the valid registrations, by user name.
	Taxonomy      *Taxonomy
	Registrations []*Registration
	// Problems are what people wrote that the bot cannot use: every
	// page's, sorted by page (SortProblems).
	Problems  []Problem
	PagesRead int
	// LanguageNames maps the wiki's language codes to their names.
	LanguageNames map[string]string
	// Events (by start) and Resources (by date, then title): the learning
	// spaces and what they left behind (the calendar reads them).
	Events    []Event
	Resources []Resource
	// Ledger is every connection on the ledger pages (the lifecycle reads
	// them): proposals, the report, the newsletter and the badges count
	// them.
	Ledger []*Connection
	// Blocked names the participants whose account is blocked sitewide,
	// and Inactive the sharers who made no edit for Config.InactiveDays
	// (with the day since which they made none); nil when not read.
	Blocked  map[string]bool
	Inactive map[string]string
	// Renamed maps renamed participants' former names to their current
	// ones (the user rename log); everything read that names a person
	// is read under the current name.
	Renamed Renames

	byUser map[string]*Registration
	store  map[any]any
}

// Unavailable says why user is not proposed nor invited now, though
// their registration is active: their account is blocked sitewide; they
// are away (away_until=) until a day; a sharer, they made no edit for a
// while (Config.InactiveDays: until they edit again). "" when they are
// available.
func (st *State) Unavailable(user string) string {
	if st.Blocked[user] {
		return "blocked"
	}
	if r := st.Registration(user); r != nil && r.Away(st.Now) {
		return "away until " + Day(r.AwayUntil)
	}
	return st.InactiveReason(user)
}

// InactiveReason is Unavailable's reason for a sharer who made no edit
// for Config.InactiveDays ("no edit since DAY"), "" for anyone else. It
// keeps them from sharing only: they are still proposed as learners.
func (st *State) InactiveReason(user string) string {
	if since, ok := st.Inactive[user]; ok {
		return "no edit since " + since
	}
	return ""
}

// Registration returns a user's valid registration, or nil.
func (st *State) Registration(user string) *Registration {
	if st.byUser == nil {
		st.byUser = map[string]*Registration{}
		for _, r := range st.Registrations {
			st.byUser[r.Username] = r
		}
	}
	return st.byUser[user]
}

// CompareEvents is the order of every list of events: by start, then by
// id (the page and the place on it), so that no page depends on the order
// the events were read in.
func CompareEvents(a, b Event) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// CompareResources is the order of every list of resources: by date, then
// title, then where they are written and what they link.
func CompareResources(a, b Resource) int {
	for _, c := range [][2]string{{a.Date, b.Date}, {a.Title, b.Title}, {a.Page, b.Page}, {a.Link, b.Link}, {a.Type, b.Type}, {a.Language, b.Language}, {a.Event, b.Event}} {
		if d := strings.Compare(c[0], c[1]); d != 0 {
			return d
		}
	}
	return 0
}

// EventsInOrder returns the events in their order (CompareEvents), as a
// copy: planners never depend on, nor change, the order of the state's
// slices (the service serves feeds from a state while the next run reads).
func (st *State) EventsInOrder() []Event {
	return slices.SortedStableFunc(slices.Values(st.Events), CompareEvents)
}

// ResourcesInOrder returns the resources in their order
// (CompareResources), as a copy.
func (st *State) ResourcesInOrder() []Resource {
	return slices.SortedStableFunc(slices.Values(st.Resources), CompareResources)
}

// PageChange is a page a task wants to have this text.
type PageChange struct {
	Task    string
	Title   string
	Text    string // without the ownership marker; the applier adds it
	Summary string
	// Source and EditInstead are the ownership marker's word to people who
	// open the editor: what the page is written from ("the event pages"),
	// and what to change instead of it. Empty: the registrations and the
	// skills taxonomy, and the registrations.
	Source, EditInstead string
	// Base, when set, is the revision the plan was computed from: the
	// page is written only if it is still the latest (a decision made
	// meanwhile is never lost).
	Base *wiki.Page
	// HumanRows, when set, says which parts of the page people may edit:
	// it returns the page without them. A person's revision that leaves
	// the rest as the bot wrote it does not stop the bot, whose plan
	// carries their edits over.
	HumanRows func(text string) string
	// BotLast, when set, is the bot's last revision of the page, already
	// read while planning (the applier would otherwise read it again).
	BotLast *wiki.Page
	// JSON: the page's content model is JSON (wiki.ContentModelJSON), and
	// Text is JSON that carries the ownership marker
	// itself (a JSON page has no comments); it is compared with the page
	// as data, since MediaWiki reformats JSON when it saves it.
	JSON bool
	// CreateOnly: the page is written only if it does not exist (a
	// newsletter issue: once written, it is the working group's), and
	// without the ownership marker: the bot never writes over it, so it
	// never needs to recognise it, and Text is the page's whole text.
	CreateOnly bool
}
