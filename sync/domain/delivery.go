package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// This file decides a delivery run without doing it: PlanDelivery takes
// the state read from the wiki, the talk pages and the opt-out list, and
// returns a DeliveryPlan, a value a dry run prints and tests pin. Deliver
// (package sync) reads, plans, then applies the plan: it posts the messages
// in order, records each one, and writes the ledger through Apply.

// DeliveryPlan is one delivery run, decided.
type DeliveryPlan struct {
	Now time.Time
	// Ledger is every connection as the run leaves it before posting:
	// copies of the rows read, with what the run found (messages already
	// on talk pages, answers, states), and the new rows. Posting then
	// records each message on its row (RecordPost).
	Ledger []*Connection
	Added  []*Connection // the new rows (also in Ledger)
	// Found: messages already on the talk pages (a run stopped after
	// posting and before writing the ledger), recorded, not posted again.
	Found int
	// Responses: answers seen for the first time.
	Responses int
	// Transitions made before posting (states people set, answers,
	// time); posting makes more (Settle).
	Transitions []Transition
	// Messages to post, in order.
	Messages []PlannedMessage
	// NotMessaged: messages due that nobody will get, and why (also
	// recorded on their rows); Deferred: over the person's monthly cap,
	// for next month; Withheld: problem notices to people who opted out.
	NotMessaged, Deferred, Withheld []Skip
	// Outreach is every row of the invitations page as the run leaves it
	// before posting (welcomes and invitations found on talk pages
	// recorded); Waiting: welcomes and invitations over the run's cap,
	// for the next run.
	Outreach []*OutreachRow
	Waiting  []Skip
	// Badges is every row of the Recognition page as the run leaves it
	// before posting (new holders added, congratulations found on talk
	// pages recorded).
	Badges []*BadgeRow
}

// PlannedMessage is one talk-page message of a plan.
type PlannedMessage struct {
	// Connection is the row the message is about, nil for a registration's
	// problems; ID is its id ("P-" and a digest for problems).
	Connection *Connection
	// Outreach is the invitations page's row of a welcome or an
	// invitation.
	Outreach *OutreachRow
	// Badge is the Recognition page's row of a congratulation.
	Badge    *BadgeRow
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

// DeliveryAudience lists the people whose talk pages a delivery reads:
// the people of connections under way (new ones included) and the
// authors of registrations with problems, sorted.
func (l Lifecycle) DeliveryAudience(st *State) []string {
	seen := map[string]bool{}
	var users []string
	want := func(u string) {
		if !seen[u] {
			seen[u] = true
			users = append(users, u)
		}
	}
	for _, c := range slices.Concat(st.Ledger, l.newConnections(st)) {
		if !c.Usable() || (Final(c.Status) && c.Status != StatusNoResponse) {
			continue
		}
		for _, u := range c.People() {
			want(u)
		}
	}
	for u := range l.problemsByAuthor(st) {
		want(u)
	}
	for _, u := range l.OutreachAudience(st) {
		want(u)
	}
	for _, u := range l.BadgeAudience(st) {
		want(u)
	}
	slices.Sort(users)
	return users
}

// PlanDelivery decides a delivery run: new connections onto the ledger,
// what the talk pages say (messages already there, answers), states moved
// on with time, the messages due (with who will not get one and why, and
// who waits for next month), and the registration problems to tell. It
// reads only its arguments: st (the ledger rows are copied, not changed),
// the talk pages of DeliveryAudience by user, and the opted-out users.
func (l Lifecycle) PlanDelivery(st *State, talk map[string]TalkPage, optedOut map[string]bool) *DeliveryPlan {
	plan := &DeliveryPlan{Now: st.Now}
	for _, c := range st.Ledger {
		plan.Ledger = append(plan.Ledger, c.clone())
	}
	plan.Added = l.newConnections(st)
	l.placeConnections(st, plan.Added)
	plan.Ledger = append(plan.Ledger, plan.Added...)

	// The message keys on each talk page, read once per page (a sharer's
	// page holds the messages of all their connections).
	keys := map[string]map[string]bool{}
	keysOn := func(user string) map[string]bool {
		if k, ok := keys[user]; ok {
			return k
		}
		k := map[string]bool{}
		if t := talk[user]; t.Page != nil && t.Page.Exists() {
			k = markersOn(t.Page.Content)
		}
		keys[user] = k
		return k
	}
	today := day(st.Now)
	for _, c := range plan.Ledger {
		if !c.Usable() {
			continue
		}
		plan.Found += noteDelivered(c, keysOn, today)
		plan.Responses += noteReplies(c, talk)
		if t := l.advance(c, st.Now); t != nil {
			plan.Transitions = append(plan.Transitions, *t)
		}
	}

	sentThisMonth := map[string]int{}
	month := today[:7]
	for _, c := range plan.Ledger {
		for _, d := range c.Messages {
			if strings.HasPrefix(d.Date, month) {
				sentThisMonth[d.User]++
			}
		}
	}
	for _, c := range plan.Ledger {
		for _, d := range l.due(c, st.Now) {
			t, reason := l.whyNot(st, talk, optedOut, d.User)
			if reason != "" {
				c.NotMessaged[d.User] = reason
				plan.NotMessaged = append(plan.NotMessaged, Skip{c.ID, d.Kind, d.User, reason})
				continue
			}
			if max := l.MaxMessagesPerPerson; max > 0 && sentThisMonth[d.User] >= max {
				plan.Deferred = append(plan.Deferred, Skip{c.ID, d.Kind, d.User, fmt.Sprintf("the person's monthly cap (%d) is reached; next month", max)})
				continue
			}
			sentThisMonth[d.User]++
			m := l.compose(st, c, d, t)
			plan.Messages = append(plan.Messages, PlannedMessage{
				Connection: c, ID: c.ID, Kind: d.Kind, User: d.User, Key: d.Key(c.ID), Target: t,
				Language: m.Language, Heading: m.Heading, Text: m.Text,
			})
		}
	}
	l.problemNotices(plan, st, optedOut, talk, keysOn)
	for _, r := range st.Outreach {
		for _, d := range r.Messages {
			if strings.HasPrefix(d.Date, month) {
				sentThisMonth[d.User]++
			}
		}
	}
	for _, r := range st.Badges {
		if strings.HasPrefix(r.Congratulated, month) {
			sentThisMonth[r.User]++
		}
	}
	l.planOutreach(plan, st, talk, optedOut, keysOn, sentThisMonth)
	l.planBadges(plan, st, talk, optedOut, keysOn, sentThisMonth)
	return plan
}

// whyNot returns user's talk page and why they may get no message now
// ("": they may): the talk page unread or refusing (opt-outs, blocks),
// the opt-out list, a paused registration.
func (l Lifecycle) whyNot(st *State, talk map[string]TalkPage, optedOut map[string]bool, user string) (TalkPage, string) {
	t, ok := talk[user]
	reason := t.Skip
	switch {
	case !ok:
		reason = "the talk page was not read"
	case optedOut[user]:
		reason = "listed on " + l.OptOutPage
	case reason == "" && st.Registration(user) != nil && !st.Registration(user).Active:
		reason = "the registration is paused"
	}
	return t, reason
}

// RecordPost records on the plan's ledger that a message is on its talk
// page (posted now, or found there by the post): the exactly-once record.
func (p *DeliveryPlan) RecordPost(m PlannedMessage) {
	d := Delivery{Date: day(p.Now), Kind: m.Kind, User: m.User}
	if m.Connection != nil {
		m.Connection.Messages = append(m.Connection.Messages, d)
	}
	if m.Outreach != nil && !m.Outreach.Delivered(m.User) {
		m.Outreach.Messages = append(m.Outreach.Messages, d)
	}
	if m.Badge != nil && m.Badge.Congratulated == "" {
		m.Badge.Congratulated = d.Date
	}
}

// RecordRefusal records that a message can never be posted, and why.
func (p *DeliveryPlan) RecordRefusal(m PlannedMessage, why string) {
	if m.Connection != nil {
		m.Connection.NotMessaged[m.User] = why
	}
}

// Settle moves the connections on once the run's messages are posted
// (everyone told: notified), and returns those transitions.
func (l Lifecycle) Settle(p *DeliveryPlan) []Transition {
	var out []Transition
	for _, c := range p.Ledger {
		if t := l.advance(c, p.Now); t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// LedgerChanges are the ledger pages as the plan leaves them.
func (l Lifecycle) LedgerChanges(st *State, p *DeliveryPlan) ([]PageChange, error) {
	changes, err := l.planLedger(st, p.Ledger, p.Added)
	if err != nil {
		return nil, err
	}
	for i := range changes {
		changes[i].Task = TaskConnections
	}
	outreach, err := l.outreachChange(st, p.Outreach)
	if err != nil {
		return nil, err
	}
	recognition, err := l.recognitionChange(st, p.Badges)
	return slices.Concat(changes, outreach, recognition), err
}

// clone copies a connection deeply: a plan changes its copies, never the
// rows read.
func (c *Connection) clone() *Connection {
	d := *c
	d.Learners = slices.Clone(c.Learners)
	d.Dates = maps.Clone(c.Dates)
	d.Responses = maps.Clone(c.Responses)
	d.NotMessaged = maps.Clone(c.NotMessaged)
	d.Messages = slices.Clone(c.Messages)
	d.extra = slices.Clone(c.extra)
	if d.Dates == nil {
		d.Dates = map[Status]string{}
	}
	for _, m := range []*map[string]string{&d.Responses, &d.NotMessaged} {
		if *m == nil {
			*m = map[string]string{}
		}
	}
	return &d
}

// noteDelivered records the connection's messages found on the talk
// pages (posted by a run that stopped before writing the ledger), and
// returns how many.
func noteDelivered(c *Connection, keysOn func(user string) map[string]bool, today string) int {
	n := 0
	for _, u := range c.People() {
		on := keysOn(u)
		for _, kind := range []MessageKind{MessageConnection, MessageReminder, MessageNoResponse, MessageCheckIn} {
			d := Delivery{Date: today, Kind: kind, User: u}
			if on[d.Key(c.ID)] && !c.Delivered(kind, u) {
				c.Messages = append(c.Messages, d)
				n++
			}
		}
	}
	return n
}

// noteReplies records, for each person of the connection, the day of
// their first signed reply under one of its messages, on anyone's talk
// page, and returns how many are new.
func noteReplies(c *Connection, talk map[string]TalkPage) int {
	if c.Status != StatusApproved && c.Status != StatusNotified {
		return 0
	}
	n := 0
	for _, u := range c.People() {
		t, ok := talk[u]
		if !ok || t.Page == nil || !t.Page.Exists() {
			continue
		}
		for _, d := range c.Messages {
			if d.User != u {
				continue
			}
			for _, r := range wikitext.RepliesAfter(t.Page.Content, MessageMarker(d.Key(c.ID))) {
				if !slices.Contains(c.People(), r.User) {
					continue
				}
				when := day(r.Time)
				if old, ok := c.Responses[r.User]; !ok || when < old {
					if !ok {
						n++
					}
					c.Responses[r.User] = when
				}
			}
		}
	}
	return n
}

// problemsByAuthor groups the registration problems by the participant
// whose page it is.
func (l Lifecycle) problemsByAuthor(st *State) map[string][]Problem {
	byUser := map[string][]Problem{}
	for _, p := range st.Problems {
		rest, ok := strings.CutPrefix(p.Page, l.ParticipantsPrefix)
		if !ok || rest == "" {
			continue
		}
		user, _, _ := strings.Cut(rest, "/")
		byUser[user] = append(byUser[user], p)
	}
	return byUser
}

// problemNotices plans a message to each participant whose registration
// has problems, on their talk page: once for a given set of problems (the
// message's key is made of them), so that nobody hears twice about the
// same mistake and a new mistake is told again. The problems page lists
// them all for the working group.
func (l Lifecycle) problemNotices(plan *DeliveryPlan, st *State, optedOut map[string]bool, talk map[string]TalkPage,
	keysOn func(user string) map[string]bool) {
	byUser := l.problemsByAuthor(st)
	for _, u := range slices.Sorted(maps.Keys(byUser)) {
		problems := byUser[u]
		h := sha256.New()
		for _, p := range problems {
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00", p.Page, p.Field, p.Message)
		}
		id := "P-" + hex.EncodeToString(h.Sum(nil)[:5])
		key := id + "/" + string(MessageProblems) + "/" + u
		t := talk[u]
		reason := t.Skip
		if optedOut[u] {
			reason = "listed on " + l.OptOutPage
		}
		if reason != "" {
			plan.Withheld = append(plan.Withheld, Skip{id, MessageProblems, u, reason})
			continue
		}
		if keysOn(u)[key] {
			continue // told already
		}
		m := l.composeProblems(st, u, problems, t, key)
		plan.Messages = append(plan.Messages, PlannedMessage{
			ID: id, Kind: MessageProblems, User: u, Key: key, Target: t, Language: m.Language, Heading: m.Heading, Text: m.Text,
		})
	}
}

// composeProblems writes the problems message in the reader's language
// (their registration is often unreadable: English unless it says).
func (l Lifecycle) composeProblems(st *State, user string, problems []Problem, t TalkPage, key string) message {
	lang := l.readerLanguage(st, user)
	msg := func(k string, args ...string) string { text, _ := l.Catalog.Message(lang, k, args...); return text }
	var list []string
	for _, p := range problems {
		item := "* " + wikitext.Escape(p.Message)
		if p.Field != "" {
			item = "* <code>" + wikitext.Escape(p.Field) + "</code>: " + wikitext.Escape(p.Message)
		}
		list = append(list, item)
	}
	page := problems[0].Page
	text := msg("letsconnect-problems", wikitext.Escape(user), page, fmt.Sprint(len(problems)), strings.Join(list, "\n"), l.ProblemsPage)
	return message{
		Heading:  msg("letsconnect-problems-heading"),
		Text:     text + "\n\n" + signOff(msg, page, t, user, key),
		Language: lang,
	}
}

// Format writes the plan for people: what the run adds, changes and
// posts, each message whole. A dry run prints it; golden tests pin it.
func (p *DeliveryPlan) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Delivery on %s: %d new %s, %d %s to post, %d not messaged, %d deferred.\n",
		day(p.Now), len(p.Added), plural(len(p.Added), "connection", "connections"), len(p.Messages), plural(len(p.Messages), "message", "messages"),
		len(p.NotMessaged), len(p.Deferred))
	if n := len(p.Messages); n > 0 {
		kinds := map[MessageKind]int{}
		for _, m := range p.Messages {
			kinds[m.Kind]++
		}
		if kinds[MessageWelcome]+kinds[MessageInvitation] > 0 {
			fmt.Fprintf(&b, "OUTREACH %d %s, %d %s to post\n", kinds[MessageWelcome], plural(kinds[MessageWelcome], "welcome", "welcomes"),
				kinds[MessageInvitation], plural(kinds[MessageInvitation], "invitation", "invitations"))
		}
		if n := kinds[MessageBadge]; n > 0 {
			fmt.Fprintf(&b, "BADGES %d %s to post\n", n, plural(n, "congratulation", "congratulations"))
		}
	}
	for _, c := range p.Added {
		fmt.Fprintf(&b, "NEW %s (proposed by %s): %s → %s, %s, %s, on %s\n", c.ID, c.ProposedBy, c.Sharer,
			strings.Join(c.Learners, ", "), c.Skill, c.Format, c.Page)
	}
	if p.Found > 0 {
		fmt.Fprintf(&b, "FOUND %d %s already on the talk pages (recorded, not posted again)\n", p.Found, plural(p.Found, "message", "messages"))
	}
	if p.Responses > 0 {
		fmt.Fprintf(&b, "ANSWERS %d new\n", p.Responses)
	}
	for _, t := range p.Transitions {
		fmt.Fprintf(&b, "STATE %s\n", t)
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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
