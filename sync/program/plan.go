package program

import (
	"fmt"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
)

// This file is the protocol of a delivery: the tasks that message people
// (Task.Messages) plan their messages, in the order of the task table,
// into one MessagePlan, which holds what they share: the talk pages read
// once (and the message keys on them), the opt-out list, each person's
// monthly cap and the run's. The engine posts the plan's messages in
// order, records each through the Record it carries, then lets each
// task's Part write its record pages. A dry run prints the plan (Format);
// golden tests pin it.

// Messenger is what a task does in a delivery.
type Messenger struct {
	// Audience lists the people the task may message: their talk pages
	// are read (with their opt-outs and the messages already there).
	Audience func(*State) []string
	// Created lists the registration pages whose creation time
	// (Registration.Created) the task needs; read before Audience.
	Created func(*State) []string
	// Sent lists the messages the task's record holds as delivered: this
	// month's count toward each person's monthly cap.
	Sent func(*State) []Delivery
	// First: the task's messages go before every other task's and are
	// held back only by each other's (a connection's message never waits
	// for a welcome): the other tasks' Sent is counted after it planned.
	First bool
	// Plan adds the task's messages to the plan, in order, and returns
	// its part of the plan.
	Plan func(*MessagePlan, *State) (Part, error)
	// Counters are the figures the task adds to a delivery's summary.
	Counters []Counter
}

// A Part is one task's share of a delivery plan: what it keeps besides
// the messages (its record's rows, which the messages' Records change as
// they are posted), what it tells people, and the record pages it writes.
type Part interface {
	// Account tells the part's plan for people (Format).
	Account(*MessagePlan) Account
	// Finish is called once the messages are posted: it settles what
	// they changed (a connection whose people were all told is notified)
	// and returns the task's record pages as the run leaves them.
	Finish() ([]PageChange, error)
	// Outcome tells, after Finish, what the part did: lines for people
	// (a connection's state changes) and the values of its counters that
	// no message kind makes (Counter.Kinds empty), by name.
	Outcome() (lines []string, counts map[string]int)
}

// Account is what a part tells of a plan, each in its place in Format.
type Account struct {
	Header string   // in the plan's first line: "1 new connection"
	ToPost string   // a line of what kinds it posts: "OUTREACH 4 welcomes, 0 invitations to post"
	Added  []string // what the run adds: "NEW C-…"
	Notes  []string // after the messages found: "ANSWERS 2 new", "STATE …"
}

// Counter is one figure of a delivery's summary, defined by the task that
// counts it: a kind of message posted (Kinds), or what its Part counts.
type Counter struct {
	// Name is its field in the summary's log line; One and Many its words
	// in the line for people ("welcome", "welcomes").
	Name, One, Many string
	// Kinds are the messages it counts as they are posted (planned, in a
	// dry run); none: Part.Outcome counts it.
	Kinds []MessageKind
	// Place orders the summary's log line: fields by place, the engine's
	// own among them (scripts read the line, so a field keeps its place).
	Place int
}

// Word is the counter's word for n.
func (c Counter) Word(n int) string { return Plural(n, c.One, c.Many) }

// Record is where a message is recorded once it is on its talk page
// (posted now, or found there when posting): the exactly-once record, a
// ledger row, an invitations row, a badge row.
type Record interface {
	Posted(Delivery)
}

// Refusals is a Record that also keeps why a message can never be posted.
type Refusals interface {
	Refused(user, why string)
}

// Posted records a message of the connection.
func (c *Connection) Posted(d Delivery) { c.Messages = append(c.Messages, d) }

// Refused records why user gets no message about the connection.
func (c *Connection) Refused(user, why string) { c.NotMessaged[user] = why }

// PlannedMessage is one talk-page message of a plan.
type PlannedMessage struct {
	// Record is where it is recorded once on its talk page (nil: nowhere
	// but the talk page, by its key: a problem notice).
	Record Record
	// ID is what it is about: a connection's id, a row's of the
	// invitations or Recognition page, "P-" and a digest for problems.
	ID       string
	Kind     MessageKind
	User     string
	Key      string   // what its hidden marker carries
	Target   TalkPage // the talk page it goes to
	Language string
	Heading  string
	Text     string
}

// Marker is the message's hidden marker: posting looks for it on the live
// talk page first, so a message is posted once whatever happens to a run.
func (m PlannedMessage) Marker() string { return MessageMarker(m.Key) }

// Summary is the edit summary of the message's new section.
func (m PlannedMessage) Summary() string { return m.Heading + " (bot)" }

// Skip is a message not sent, and why.
type Skip struct {
	ID     string
	Kind   MessageKind
	User   string
	Reason string
}

func (s Skip) String() string { return fmt.Sprintf("%s %s to %s: %s", s.ID, s.Kind, s.User, s.Reason) }

// MessagesConfig is the rules every talk-page message follows, whichever
// task sends it.
type MessagesConfig struct {
	// OptOutPage lists (as [[User:...]] links) users who want no
	// messages; talk pages in OptOutCategory want none either.
	OptOutPage     string `env:"LC_OPTOUT_PAGE" root:"/Opt-out" anywhere:"true" doc:"users linked on this page get no messages"`
	OptOutCategory string `env:"LC_OPTOUT_CATEGORY" envDefault:"Opted out of Let's Connect messages" keepEmpty:"true" doc:"talk pages in this category (its name, without Category:) get no messages (empty: none)"`
	// MaxMessages is the run's cap (0: none): a delivery that would post
	// more messages posts none and fails (the engine checks it), and
	// welcomes, invitations and congratulations fill only the room the
	// messages before them leave, the rest waiting for the next run.
	MaxMessages int `env:"LC_MAX_MESSAGES" envDefault:"50" min:"0" doc:"a delivery run that would post more messages about connections posts none and fails; welcomes and invitations only fill the room left, the rest wait for the next run (0: no limit); --max-messages overrides"`
	// MaxMessagesPerPerson caps the messages to one person in a calendar
	// month; the rest wait for the next month. 0: no limit.
	MaxMessagesPerPerson int `env:"LC_MAX_MESSAGES_PER_PERSON" envDefault:"4" min:"0" doc:"most messages to one person in a calendar month; the rest wait (0: no limit)"`
}

// MessagePlan is one delivery run, decided: the messages to post, in
// order, and those not sent and why.
type MessagePlan struct {
	Now time.Time
	// Messages to post, in order.
	Messages []PlannedMessage
	// Found: messages already on the talk pages (a run stopped after
	// posting and before writing its records), recorded, not posted
	// again.
	Found int
	// NotMessaged: messages due that nobody will get, and why; Deferred:
	// over the person's monthly cap, for next month; Withheld: problem
	// notices to people who opted out (not told, and not counted as not
	// messaged); Waiting: over the run's cap, for the next run.
	NotMessaged, Deferred, Withheld, Waiting []Skip
	// Parts are the tasks' parts, in order.
	Parts []Part
	// Catalog holds the messages' texts.
	Catalog *i18n.Catalog

	limits   MessagesConfig
	st       *State
	talk     map[string]TalkPage
	optedOut map[string]bool
	keys     map[string]map[string]bool
	sent     map[string]int
}

// NewMessagePlan starts a plan from what a delivery read: the state, the
// talk pages of the tasks' audiences by user, and the opted-out users.
func NewMessagePlan(st *State, talk map[string]TalkPage, optedOut map[string]bool, limits MessagesConfig) (*MessagePlan, error) {
	cat, err := Catalog()
	if err != nil {
		return nil, err
	}
	return &MessagePlan{Now: st.Now, Catalog: cat, limits: limits, st: st, talk: talk, optedOut: optedOut,
		keys: map[string]map[string]bool{}, sent: map[string]int{}}, nil
}

// Talk returns user's talk page as read; ok is false when it was not.
func (p *MessagePlan) Talk(user string) (t TalkPage, ok bool) {
	t, ok = p.talk[user]
	return t, ok
}

// OptedOut reports whether the opt-out list names user.
func (p *MessagePlan) OptedOut(user string) bool { return p.optedOut[user] }

// OptOutReason is why someone the opt-out list names gets no message.
func (p *MessagePlan) OptOutReason() string { return "listed on " + p.limits.OptOutPage }

// OnTalkPage reports whether user's talk page carries a message's key:
// the message is there already. The keys are read once per page (a
// sharer's page holds the messages of all their connections).
func (p *MessagePlan) OnTalkPage(user, key string) bool {
	k, ok := p.keys[user]
	if !ok {
		k = map[string]bool{}
		if t := p.talk[user]; t.Page != nil && t.Page.Exists() {
			k = MarkersOn(t.Page.Content)
			// A message to a former name (a renamed person) is theirs.
			for key := range k {
				if i := strings.LastIndex(key, "/"); i >= 0 && p.st.Renamed.Current(key[i+1:]) == user {
					k[key[:i+1]+user] = true
				}
			}
		}
		p.keys[user] = k
	}
	return k[key]
}

// WhyNot returns user's talk page and why they may get no message now
// ("": they may): the talk page unread or refusing (opt-outs, blocks), the
// opt-out list, a paused registration.
func (p *MessagePlan) WhyNot(user string) (TalkPage, string) {
	t, ok := p.talk[user]
	reason := t.Skip
	switch {
	case !ok:
		reason = "the talk page was not read"
	case p.optedOut[user]:
		reason = p.OptOutReason()
	case reason == "" && p.st.Registration(user) != nil && !p.st.Registration(user).Active:
		reason = "the registration is paused"
	}
	return t, reason
}

// CountSent counts a message a record holds as delivered toward its
// person's monthly cap, when it went this month.
func (p *MessagePlan) CountSent(d Delivery) {
	if strings.HasPrefix(d.Date, Day(p.Now)[:7]) {
		p.sent[d.User]++
	}
}

// OverCap reports whether user has had their monthly cap of messages,
// and the cap.
func (p *MessagePlan) OverCap(user string) (max int, over bool) {
	max = p.limits.MaxMessagesPerPerson
	return max, max > 0 && p.sent[user] >= max
}

// Room reports whether the run's cap leaves room for one more message.
func (p *MessagePlan) Room() bool {
	return p.limits.MaxMessages <= 0 || len(p.Messages) < p.limits.MaxMessages
}

// Add adds a message to the plan; capped: it counts toward its person's
// monthly cap (a problem notice does not).
func (p *MessagePlan) Add(m PlannedMessage, capped bool) {
	if capped {
		p.sent[m.User]++
	}
	p.Messages = append(p.Messages, m)
}

// RecordPost records that a message is on its talk page (posted now, or
// found there by the post).
func (p *MessagePlan) RecordPost(m PlannedMessage) {
	if m.Record != nil {
		m.Record.Posted(Delivery{Date: Day(p.Now), Kind: m.Kind, User: m.User})
	}
}

// RecordRefusal records that a message can never be posted, and why.
func (p *MessagePlan) RecordRefusal(m PlannedMessage, why string) {
	if r, ok := m.Record.(Refusals); ok {
		r.Refused(m.User, why)
	}
}

// Format writes the plan for people: what the run adds, changes and
// posts, each message whole. A dry run prints it; golden tests pin it.
func (p *MessagePlan) Format() string {
	var accounts []Account
	for _, part := range p.Parts {
		accounts = append(accounts, part.Account(p))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Delivery on %s: ", Day(p.Now))
	for _, a := range accounts {
		if a.Header != "" {
			b.WriteString(a.Header + ", ")
		}
	}
	fmt.Fprintf(&b, "%d %s to post, %d not messaged, %d deferred.\n",
		len(p.Messages), Plural(len(p.Messages), "message", "messages"), len(p.NotMessaged), len(p.Deferred))
	for _, a := range accounts {
		if a.ToPost != "" {
			b.WriteString(a.ToPost + "\n")
		}
	}
	for _, a := range accounts {
		for _, l := range a.Added {
			b.WriteString(l + "\n")
		}
	}
	if p.Found > 0 {
		fmt.Fprintf(&b, "FOUND %d %s already on the talk pages (recorded, not posted again)\n", p.Found, Plural(p.Found, "message", "messages"))
	}
	for _, a := range accounts {
		for _, l := range a.Notes {
			b.WriteString(l + "\n")
		}
	}
	for _, s := range p.NotMessaged {
		fmt.Fprintf(&b, "NOT MESSAGED %s\n", s)
	}
	for _, s := range p.Deferred {
		fmt.Fprintf(&b, "DEFERRED %s\n", s)
	}
	for _, s := range p.Withheld {
		fmt.Fprintf(&b, "WITHHELD %s\n", s)
	}
	for _, s := range p.Waiting {
		fmt.Fprintf(&b, "WAITING %s\n", s)
	}
	for _, m := range p.Messages {
		fmt.Fprintf(&b, "\n=== new section %s\n=== summary: %s\n=== %s %s to %s, in %s", m.Target.Title, m.Summary(), m.ID, m.Kind, m.User, m.Language)
		if m.Target.RedirectedFrom != "" {
			fmt.Fprintf(&b, " (%s redirects there)", m.Target.RedirectedFrom)
		}
		fmt.Fprintf(&b, "\n== %s ==\n%s\n", m.Heading, m.Text)
	}
	return b.String()
}

// CountKinds counts the plan's messages of the given kinds.
func (p *MessagePlan) CountKinds(kinds ...MessageKind) int {
	n := 0
	for _, m := range p.Messages {
		for _, k := range kinds {
			if m.Kind == k {
				n++
			}
		}
	}
	return n
}

// Plural is one when n is 1, else many.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
