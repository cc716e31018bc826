package program

import "gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

// OwnershipMarker starts every page the bot generates. The bot edits a
// page only if it carries the marker: a page someone else created under
// the same title is never overwritten.
const OwnershipMarker = "<!-- letsconnect:generated"

// DeliveryMarker is the task= word of the pages a delivery writes, its
// records (the ledger, the invitations page, the Recognition page):
// "connections", after the first of them, whichever task writes them.
const DeliveryMarker = "connections"

// Task is one behaviour's unit of work, a line of the bot's task table.
// A sync task plans pages (Plan); a task a delivery runs plans talk-page
// messages (Messages). Its name names it for --only and, for a sync task,
// in the ownership marker of the pages it writes.
type Task struct {
	Name        string
	Description string
	// Reads are what the task reads from the wiki into the State, beyond
	// the shared nouns the engine reads itself (the taxonomy, the wiki's
	// languages, the registrations). Every run does every task's reads,
	// whichever tasks it plans: tasks read each other's data (the report
	// counts the ledger).
	Reads []Read
	// People, when set, is what the task needs to know of people beyond
	// their registrations (a sync task: the newsletter's subscribers'
	// opt-outs), read after every task's Reads.
	People *People
	// Plan computes the pages the task wants: pure, deterministic, no
	// network.
	Plan func(*State) ([]PageChange, error)
	// Messages is what the task does in a delivery.
	Messages *Messenger
}

// Read is something a task reads from the wiki, declared: the engine
// reads it (the Prefix's listing, then Titles and the listed pages in one
// request) and hands the pages to Use.
type Read struct {
	// What the read is, for its errors: "reading the invitations page".
	What string
	// Titles are pages to read (a missing one is handed over as a Page
	// that does not exist).
	Titles []string
	// Prefix, when set, adds every page under it, but for redirects and
	// those Keep refuses (nil: all), before Titles not listed.
	Prefix string
	Keep   func(title string) bool
	// WithTaxonomy: Titles are read in the taxonomy's request (following
	// redirects), and Use comes right after the taxonomy is parsed,
	// before the registrations are read.
	WithTaxonomy bool
	// Rows, when set, says that people edit the rows of these pages: it
	// maps a page's text to its rows' raw text by key, and each page
	// read (that exists) is handed over with who changed which row since
	// the bot's last revision (ChangedRows).
	Rows func(st *State, title, text string) map[string]string
	// Use puts what was read into the State.
	Use func(st *State, pages []ReadPage) error
}

// ReadPage is a page a Read read, with, for a Read with Rows, who made
// each row's latest change since the bot's last revision (BotLast; nil
// when the bot made the latest one, or its account is unknown).
type ReadPage struct {
	*wiki.Page
	ChangedBy map[string]string
	BotLast   *wiki.Page
}

// People is what a task reads about people: the talk pages of an
// audience (with their opt-outs) and the opt-out list, and when some
// registrations were created.
type People struct {
	// What the read is, for its errors.
	What string
	// Audience lists the people whose talk pages are read.
	Audience func(*State) []string
	// Created lists the registration pages whose creation time
	// (Registration.Created) the task needs.
	Created func(*State) []string
	// Use hands over the audience's talk pages and who the opt-out list
	// names (both empty when the audience is).
	Use func(st *State, talk map[string]TalkPage, optedOut map[string]bool)
}
