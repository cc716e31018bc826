package program

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

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

// MessageKind is a kind of talk-page message: each behaviour that sends
// messages names its own (lifecycle.MessageConnection, ...).
type MessageKind string

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
	// Responses maps a person to the day of their first signed reply,
	// with or without an answer: a reply stops the reminders.
	Responses map[string]string
	// Answers maps a person to their answer (the answer template under
	// one of the connection's messages): only a yes accepts.
	Answers map[string]Answer
	// Fit maps a person to their answer to "was it a good fit?" (the
	// answer template under the check-in): a no re-pairs the learners.
	Fit map[string]bool
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
	// Extra are parameters the bot does not know, kept as written.
	Extra []wikitext.Param
}

// Answer is a person's answer to a connection: yes, or no with a reason
// (one of Reasons) and, optionally, their own words.
type Answer struct {
	Yes    bool
	Reason Reason
	Note   string
	// Met: the answer to the check-in ("met"), with Fit "yes", "no" or
	// "" (not said).
	Met bool
	Fit string
}

// Reason is why a person said no.
type Reason string

// The reasons of a no, as the answer template and the ledger write them.
const (
	ReasonTime      Reason = "time"       // no time
	ReasonExpertise Reason = "expertise"  // not my expertise
	ReasonBetterFit Reason = "better-fit" // someone else fits better
	ReasonOther     Reason = "other"
)

// Reasons lists the reasons of a no, in the order they are documented
// and counted.
var Reasons = []Reason{ReasonTime, ReasonExpertise, ReasonBetterFit, ReasonOther}

// Said reports whether user answered, and whether they said yes.
func (c *Connection) Said(user string) (answered, yes bool) {
	a, ok := c.Answers[user]
	return ok, ok && a.Yes
}

// BackToPool lists the learners a connection sends back to the pool, to
// be proposed first at the next matching with someone else
// (proposals.MatchInput): when the sharer said no, the learners (but for
// one who said no themselves); when someone said it was not a good fit,
// every learner. A decline set on the row sends nobody back.
func (c *Connection) BackToPool() []string {
	if c.NotAGoodFit() {
		return slices.Clone(c.Learners)
	}
	if c.Status != StatusDeclined {
		return nil
	}
	if answered, yes := c.Said(c.Sharer); !answered || yes {
		return nil
	}
	var out []string
	for _, l := range c.Learners {
		if answered, yes := c.Said(l); !answered || yes {
			out = append(out, l)
		}
	}
	return out
}

// NotAGoodFit reports whether someone said the connection, met, was not
// a good fit.
func (c *Connection) NotAGoodFit() bool {
	return c.Status == StatusMet && slices.Contains(slices.Collect(maps.Values(c.Fit)), false)
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

// PairKey identifies the connection's people and skill (not its dates):
// the key of the proposal it came from.
func (c *Connection) PairKey() string { return PairKey(c.Sharer, c.Skill, c.Learners) }

// PairKey identifies a proposal or a connection across runs: the sharer,
// the skill and the learners (in any order).
func PairKey(sharer, skill string, learners []string) string {
	learners = slices.Clone(learners)
	slices.Sort(learners)
	return sharer + "\x00" + skill + "\x00" + strings.Join(learners, "\x00")
}

// Delivered reports whether the message kind went to user.
func (c *Connection) Delivered(kind MessageKind, user string) bool {
	return slices.ContainsFunc(c.Messages, func(d Delivery) bool { return d.Kind == kind && d.User == user })
}

// ConnectionID derives a connection's id from what identifies it: the
// ledger it is on (two programs on one wiki never share ids, nor their
// messages' markers), the proposal's key and the day it was first
// proposed. Two runs (or a run killed and started again) give the same
// connection the same id, so its messages carry the same markers.
func ConnectionID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "C-" + hex.EncodeToString(sum[:5])
}

// StatusNames writes statuses as strings.
func StatusNames(list []Status) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return out
}

// Usable reports whether the bot acts on the row: a known state, people,
// and no unconfirmed change.
func (c *Connection) Usable() bool {
	return slices.Contains(ConnectionStatuses, c.Status) && c.Unconfirmed == "" && c.Sharer != "" && len(c.Learners) > 0
}

// SkillName is the connection's skill as the taxonomy names it in lang
// (in English when it has no translation; its id when the taxonomy lacks
// it).
func (c *Connection) SkillName(tx *Taxonomy, lang string) string {
	if s := tx.Skill(c.Skill); s.Name != "" {
		return s.NameIn(lang)
	}
	return c.Skill
}

// OneLine keeps a row on one line: the page's rows are lines (see
// ledgerHumanRows), whatever editor wrote them.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Day writes t as the ledger writes dates.
func Day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// ParseDay reads a ledger date; the zero time when it is not one.
func ParseDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}
