package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TemplateConnection is one row of a connections ledger page.
const TemplateConnection = "Let's Connect connection"

// Status is where a proposal or a connection stands: one vocabulary for
// the Proposed connections page and the ledger. A connection usually goes
// through them in this order. The working group approves proposals (or a
// participant requests a connection, which needs no approval); the bot
// notifies everyone and follows the answers; people set accepted,
// declined, met or cancelled themselves by editing the ledger row.
type Status string

// The statuses.
const (
	StatusProposed   Status = "proposed"
	StatusApproved   Status = "approved"
	StatusRejected   Status = "rejected" // a proposal the working group turned down
	StatusNotified   Status = "notified"
	StatusAccepted   Status = "accepted"
	StatusDeclined   Status = "declined"
	StatusMet        Status = "met"
	StatusNoResponse Status = "no-response"
	StatusCancelled  Status = "cancelled"
)

// ConnectionStatuses lists a connection's statuses; each is also the name
// of the ledger parameter holding the date it was reached.
var ConnectionStatuses = []Status{StatusProposed, StatusApproved, StatusNotified, StatusAccepted, StatusDeclined, StatusMet, StatusNoResponse, StatusCancelled}

// Final reports whether nothing more happens to a connection in state s.
func Final(s Status) bool {
	return s == StatusDeclined || s == StatusMet || s == StatusNoResponse || s == StatusCancelled
}

// Who proposed a connection.
const (
	ByBot          = "bot"           // the matcher, approved by the working group
	ByWorkingGroup = "working group" // a row the working group wrote itself
	ByParticipant  = "participant"   // a request on a registration page
)

// MessageKind is a kind of message the lifecycle sends.
type MessageKind string

// The message kinds.
const (
	MessageConnection MessageKind = "connection"
	MessageReminder   MessageKind = "reminder"
	MessageNoResponse MessageKind = "no-response"
	MessageCheckIn    MessageKind = "check-in"
	// MessageProblems tells a participant what is wrong with their
	// registration.
	MessageProblems MessageKind = "problems"
	// MessageWelcome welcomes a new participant, once.
	MessageWelcome MessageKind = "welcome"
	// MessageInvitation invites a participant to an upcoming event.
	MessageInvitation MessageKind = "invitation"
)

// Connection is one row of the ledger.
type Connection struct {
	ID         string // "C-" and 10 hex digits, stable across runs
	Status     Status
	ProposedBy string
	Sharer     string
	Learners   []string
	Skill      string // the taxonomy id
	Format     match.Format
	Language   string
	Hours      string // common hours, "14:00–16:00 UTC"
	Planned    string // the date people plan to meet (they set it)
	Note       string // free text people write
	// Dates maps a state to the day (YYYY-MM-DD) it was reached.
	Dates map[Status]string
	// Responses maps a person to the day of their first signed reply.
	Responses map[string]string
	// Messages are the messages delivered (or found already on the talk
	// page), with their day: the exactly-once record.
	Messages []Delivery
	// NotMessaged maps a person to why they get no messages.
	NotMessaged map[string]string
	// Unconfirmed names who changed the row last when they may not (see
	// rowTrust): the row is kept, not used, until the working group
	// edits it.
	Unconfirmed string

	Page string // the ledger page it is on
	// extra are parameters the bot does not know, kept as written.
	extra []wikitext.Param
}

// Delivery is one message the ledger records as delivered.
type Delivery struct {
	Date string // YYYY-MM-DD
	Kind MessageKind
	User string
}

// Key is the message's identity: the hidden marker on the talk page
// carries it.
func (d Delivery) Key(connID string) string { return connID + "/" + string(d.Kind) + "/" + d.User }

// People returns the sharer, then the learners.
func (c *Connection) People() []string { return append([]string{c.Sharer}, c.Learners...) }

// PairKey identifies the connection's people and skill (not its dates).
func (c *Connection) PairKey() string {
	return Proposal{Sharer: c.Sharer, Learners: c.Learners, Skill: c.Skill}.Key()
}

// Delivered reports whether the message kind went to user.
func (c *Connection) Delivered(kind MessageKind, user string) bool {
	return slices.ContainsFunc(c.Messages, func(d Delivery) bool { return d.Kind == kind && d.User == user })
}

// connectionID derives a connection's id from what identifies it: the
// ledger it is on (two programs on one wiki never share ids, nor their
// messages' markers), the proposal's key and the day it was first
// proposed. Two runs (or a run killed and started again) give the same
// connection the same id, so its messages carry the same markers.
func connectionID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "C-" + hex.EncodeToString(sum[:5])
}

// LedgerParams are a ledger row's parameters, in the order the bot
// writes them (and the template documents them).
var LedgerParams = slices.Concat(
	[]string{"id", "status", "proposed-by", "sharer", "learners", "skill", "format", "language", "hours", "planned"},
	statusNames(ConnectionStatuses),
	[]string{"responses", "messages", "not-messaged", "note", "unconfirmed"})

// statusNames writes statuses as strings.
func statusNames(list []Status) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return out
}

// ParseLedger reads the rows of a ledger page.
func ParseLedger(page, text string, tx *Taxonomy) ([]*Connection, []Problem) {
	ps := &problems{page: page}
	var out []*Connection
	for _, t := range wikitext.Templates(text) {
		if t.Name != TemplateConnection {
			continue
		}
		c := &Connection{Page: page, Dates: map[Status]string{}, Responses: map[string]string{}, NotMessaged: map[string]string{}}
		for _, p := range t.Params {
			name := strings.ToLower(strings.TrimSpace(p.Name))
			v := strings.TrimSpace(html.UnescapeString(p.Value))
			switch {
			case p.Positional:
				c.extra = append(c.extra, p)
			case name == "id":
				c.ID = v
			case name == "status":
				c.Status = Status(strings.ToLower(v))
			case name == "proposed-by":
				c.ProposedBy = v
			case name == "sharer":
				c.Sharer = wikitext.NormalizeUser(v)
			case name == "learners":
				for _, l := range splitList(v, ",;") {
					c.Learners = append(c.Learners, wikitext.NormalizeUser(l))
				}
			case name == "skill":
				if s, ok := tx.Lookup(v); ok {
					c.Skill = s.ID
				} else {
					c.Skill = v
				}
			case name == "format":
				c.Format = match.Format(v)
			case name == "language":
				c.Language = v
			case name == "hours":
				c.Hours = v
			case name == "planned":
				c.Planned = v
			case name == "note":
				c.Note = v
			case name == "unconfirmed":
				c.Unconfirmed = v
			case slices.Contains(ConnectionStatuses, Status(name)):
				if v != "" {
					c.Dates[Status(name)] = v
				}
			case name == "responses":
				for _, item := range splitList(v, ";") {
					if user, day, ok := cutLast(item, " "); ok {
						c.Responses[wikitext.NormalizeUser(user)] = day
					}
				}
			case name == "messages":
				for _, item := range splitList(v, ";") {
					f := strings.SplitN(item, " ", 3)
					if len(f) == 3 {
						c.Messages = append(c.Messages, Delivery{Date: f[0], Kind: MessageKind(f[1]), User: wikitext.NormalizeUser(f[2])})
					}
				}
			case name == "not-messaged":
				for _, item := range splitList(v, ";") {
					if user, why, ok := strings.Cut(item, ":"); ok {
						c.NotMessaged[wikitext.NormalizeUser(user)] = strings.TrimSpace(why)
					}
				}
			default:
				c.extra = append(c.extra, p)
			}
		}
		switch {
		case c.Sharer == "" || len(c.Learners) == 0:
			ps.add("", "a connection row (%s) has no sharer or no learners; it is kept and not used", orNone(c.ID))
			c.Status = ""
		case c.Status == "":
			c.Status = StatusApproved
		case !slices.Contains(ConnectionStatuses, c.Status):
			ps.add("status", "the connection %s (%s → %s) has the status %q; write one of %s (the row is kept and not used until then)",
				orNone(c.ID), c.Sharer, strings.Join(c.Learners, ", "), c.Status, strings.Join(statusNames(ConnectionStatuses), ", "))
		}
		if c.ID == "" && c.Sharer != "" {
			// A row a person added: its id comes from what it says.
			c.ID = connectionID(page, c.PairKey(), c.Dates[StatusProposed], c.Dates[StatusApproved])
		}
		out = append(out, c)
	}
	return out, ps.list
}

func orNone(id string) string {
	if id == "" {
		return "without id"
	}
	return id
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):]), true
}

// Usable reports whether the bot acts on the row: a known state, people,
// and no unconfirmed change.
func (c *Connection) Usable() bool {
	return slices.Contains(ConnectionStatuses, c.Status) && c.Unconfirmed == "" && c.Sharer != "" && len(c.Learners) > 0
}

// Row writes the connection as a template call on one line.
func (c *Connection) Row(tx *Taxonomy) string {
	values := map[string]string{
		"id": c.ID, "status": string(c.Status), "proposed-by": c.ProposedBy, "sharer": c.Sharer,
		"learners": strings.Join(c.Learners, ", "), "format": string(c.Format), "language": c.Language,
		"hours": c.Hours, "planned": c.Planned, "note": c.Note, "unconfirmed": c.Unconfirmed,
	}
	values["skill"] = c.Skill
	if s := tx.Skill(c.Skill); s.Name != "" {
		values["skill"] = s.Name
	}
	for state, day := range c.Dates {
		values[string(state)] = day
	}
	var items []string
	for _, user := range c.People() {
		if day, ok := c.Responses[user]; ok {
			items = append(items, user+" "+day)
		}
	}
	values["responses"] = strings.Join(items, "; ")
	items = nil
	for _, d := range c.Messages {
		items = append(items, d.Date+" "+string(d.Kind)+" "+d.User)
	}
	values["messages"] = strings.Join(items, "; ")
	items = nil
	for _, user := range c.People() {
		if why, ok := c.NotMessaged[user]; ok {
			items = append(items, user+": "+why)
		}
	}
	values["not-messaged"] = strings.Join(items, "; ")

	var b strings.Builder
	b.WriteString("{{" + TemplateConnection)
	for _, k := range LedgerParams {
		if v := values[k]; v != "" || k == "status" || k == "planned" {
			fmt.Fprintf(&b, "|%s=%s", k, oneLine(wikitext.EscapeArg(v)))
		}
	}
	for _, p := range c.extra {
		if p.Positional {
			fmt.Fprintf(&b, "|%s", oneLine(p.Value))
		} else {
			fmt.Fprintf(&b, "|%s=%s", strings.TrimSpace(p.Name), oneLine(p.Value))
		}
	}
	b.WriteString("}}")
	return b.String()
}

// oneLine keeps a row on one line: the page's rows are lines (see
// ledgerHumanRows), whatever editor wrote them.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ledgerHumanRows removes the rows from a ledger page: what is left is
// what only the bot writes (people edit rows, not the rest).
func ledgerHumanRows(text string) string { return withoutRows(text, TemplateConnection) }

// day writes t as the ledger writes dates.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// parseDay reads a ledger date; the zero time when it is not one.
func parseDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

// ParticipantStatuses are the statuses a participant may set on their own
// connection (the working group may set any).
var ParticipantStatuses = []Status{StatusAccepted, StatusDeclined, StatusMet, StatusCancelled}

// ParticipantMayChange reports whether who, someone outside the working
// group, may have changed the row old (the bot's last version; nil when
// they added the row) into c: only a person of the connection, setting
// one of ParticipantStatuses, never who or what it connects.
func ParticipantMayChange(old, c *Connection, who string) bool {
	return old != nil && old.Unconfirmed == "" && old.PairKey() == c.PairKey() &&
		slices.Contains(c.People(), who) &&
		(c.Status == old.Status || slices.Contains(ParticipantStatuses, c.Status))
}

// UnconfirmedChange is the problem of a row changed by someone who may not
// make that change (c.Unconfirmed names them).
func UnconfirmedChange(page string, c *Connection) Problem {
	return Problem{Page: page, Field: "status", Message: fmt.Sprintf(
		"%s changed the connection %s (%s → %s) in a way only the working group may (participants may set their own connection to %s); the row is kept and not used until a working-group member edits it",
		c.Unconfirmed, c.ID, c.Sharer, strings.Join(c.Learners, ", "), strings.Join(statusNames(ParticipantStatuses), ", "))}
}

// LedgerRead is a ledger page as read, with who changed its rows since
// the bot's last revision (ChangedRows; nil BotLast: nobody did, or the
// bot's account is unknown).
type LedgerRead struct {
	Page      *LedgerPage
	ChangedBy map[string]string
	BotLast   *Page
}

// ReadLedger puts the ledger pages' rows on the state's ledger, in page
// order, with their problems. A row changed since the bot's last revision
// by someone who may not make that change is kept, with unconfirmed=, and
// not acted on until a working-group member edits it (TrustLedgerRows):
// otherwise anyone could make the bot message anyone. A connection on the
// ledger twice is used where it is first and kept, unused, where it is
// again.
func ReadLedger(st *State, pages []LedgerRead, wg WorkingGroup, bot string) {
	st.LedgerPages = map[string]*LedgerPage{}
	seen := map[string]string{}
	for _, r := range pages {
		lp := r.Page
		st.LedgerPages[lp.Page.Title] = lp
		rows, problems := ParseLedger(lp.Page.Title, lp.Page.Content, st.Taxonomy)
		st.Problems = append(st.Problems, problems...)
		if r.BotLast != nil {
			lp.BotLast = r.BotLast
			var prev []*Connection
			if r.BotLast.RevID != 0 {
				prev, _ = ParseLedger(lp.Page.Title, r.BotLast.Content, st.Taxonomy)
			}
			TrustLedgerRows(rows, prev, r.ChangedBy, wg, bot)
		}
		for _, c := range rows {
			if c.Unconfirmed != "" {
				st.Problems = append(st.Problems, UnconfirmedChange(lp.Page.Title, c))
			}
		}
		for _, c := range rows {
			if other, dup := seen[c.ID]; dup {
				st.Problems = append(st.Problems, Problem{Page: lp.Page.Title, Field: "id", Message: fmt.Sprintf(
					"the connection %s is on the ledger twice (also on %s); the bot uses the first and keeps both", c.ID, other)})
				c.Status = "" // kept, never acted on
			}
			seen[c.ID] = lp.Page.Title
			st.Ledger = append(st.Ledger, c)
		}
	}
}

// LedgerRows maps a ledger page's rows to their text as the bot writes
// them, by id, to tell which rows a revision changed (ChangedRows).
func LedgerRows(title, text string, tx *Taxonomy) map[string]string {
	parsed, _ := ParseLedger(title, text, tx)
	out := map[string]string{}
	for _, c := range parsed {
		out[c.ID] = c.Row(tx)
	}
	return out
}

// TrustLedgerRows marks the rows changed (changedBy, since the bot's last
// revision, whose rows were prev) by someone who may not make that change:
// anyone outside the working group adding a row or changing who or what
// it connects, and a participant setting a state other than accepted,
// declined, met or cancelled, or on a connection they are not part of. A
// working-group member's change confirms the row.
func TrustLedgerRows(rows, prev []*Connection, changedBy map[string]string, wg WorkingGroup, bot string) {
	before := map[string]*Connection{}
	for _, c := range prev {
		before[c.ID] = c
	}
	for _, c := range rows {
		who, changed := changedBy[c.ID]
		if !changed {
			continue
		}
		if wg.Decides(who, bot) {
			c.Unconfirmed = ""
			continue
		}
		who = wikitext.NormalizeUser(who)
		if ParticipantMayChange(before[c.ID], c, who) {
			continue
		}
		c.Unconfirmed = who
	}
}
