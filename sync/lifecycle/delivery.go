package lifecycle

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// This file is the connections' share of a delivery: new connections onto
// the ledger, what the talk pages say (messages already there, answers),
// states moved on with time, and the messages due (with who will not get
// one and why, and who waits for next month). It reads only the state
// (the ledger rows are copied, not changed) and what the plan read: the
// talk pages and the opt-out list.

// audience lists the people whose talk pages a delivery reads for the
// connections: the people of connections under way, new ones included.
func (l Lifecycle) audience(st *program.State) []string {
	var users []string
	for _, c := range slices.Concat(st.Ledger, l.newConnections(st)) {
		if !c.Usable() || (program.Final(c.Status) && c.Status != program.StatusNoResponse) {
			continue
		}
		users = append(users, c.People()...)
	}
	return users
}

// sent lists the messages the ledger records.
func sent(st *program.State) []program.Delivery {
	var out []program.Delivery
	for _, c := range st.Ledger {
		out = append(out, c.Messages...)
	}
	return out
}

// delivery is the connections' part of a delivery plan.
type delivery struct {
	l   Lifecycle
	st  *program.State
	now time.Time
	// ledger is every connection as the run leaves it: copies of the rows
	// read, with what the run found, and the new rows; posting records
	// each message on its row (Connection.Posted).
	ledger []*program.Connection
	added  []*program.Connection // the new rows (also in ledger)
	// What the talk pages said for the first time: replies, answers,
	// answer templates not understood.
	replies replies
	// transitions made before posting (states people set, answers,
	// time), then by Finish.
	transitions []Transition
	settled     int  // how many of transitions Finish made
	finished    bool // Finish ran: the ledger is as the run leaves it
}

// plan adds the connections' messages to the plan.
func (l Lifecycle) plan(p *program.MessagePlan, st *program.State) (program.Part, error) {
	d := &delivery{l: l, st: st, now: st.Now}
	for _, c := range st.Ledger {
		d.ledger = append(d.ledger, cloneConnection(c))
	}
	d.added = l.newConnections(st)
	l.placeConnections(st, d.added)
	d.ledger = append(d.ledger, d.added...)

	today := program.Day(st.Now)
	for _, c := range d.ledger {
		if !c.Usable() {
			continue
		}
		p.Found += noteDelivered(c, p, today)
		r := noteReplies(c, p, st.Renamed)
		d.replies.plain += r.plain
		d.replies.answers += r.answers
		d.replies.unread = append(d.replies.unread, r.unread...)
		if r.met != "" && c.Status == program.StatusAccepted {
			c.Status = program.StatusMet
			c.Dates[c.Status] = today
			d.transitions = append(d.transitions, Transition{ID: c.ID, From: program.StatusAccepted, To: c.Status, Why: r.met + " said met" + fitWords(c)})
		}
		if t := l.advance(c, st.Now); t != nil {
			d.transitions = append(d.transitions, *t)
		}
	}
	for _, c := range d.ledger {
		for _, due := range l.due(c, st.Now) {
			t, reason := p.WhyNot(due.User)
			if reason != "" {
				c.NotMessaged[due.User] = reason
				p.NotMessaged = append(p.NotMessaged, program.Skip{ID: c.ID, Kind: due.Kind, User: due.User, Reason: reason})
				continue
			}
			if max, over := p.OverCap(due.User); over {
				p.Deferred = append(p.Deferred, program.Skip{ID: c.ID, Kind: due.Kind, User: due.User, Reason: fmt.Sprintf("the person's monthly cap (%d) is reached; next month", max)})
				continue
			}
			m := l.compose(st, c, due, t)
			p.Add(program.PlannedMessage{
				Record: c, ID: c.ID, Kind: due.Kind, User: due.User, Key: due.Key(c.ID), Target: t,
				Language: m.Language, Heading: m.Heading, Text: m.Text,
			}, true)
		}
	}
	return d, nil
}

// Account tells the new connections, the answers and the state changes.
func (d *delivery) Account(*program.MessagePlan) program.Account {
	a := program.Account{Header: fmt.Sprintf("%d new %s", len(d.added), program.Plural(len(d.added), "connection", "connections"))}
	for _, c := range d.added {
		a.Added = append(a.Added, fmt.Sprintf("NEW %s (proposed by %s): %s → %s, %s, %s, on %s", c.ID, c.ProposedBy, c.Sharer,
			strings.Join(c.Learners, ", "), c.Skill, c.Format, c.Page))
	}
	a.Notes = append(a.Notes, d.replies.lines()...)
	for _, t := range d.transitions[:len(d.transitions)-d.settled] {
		a.Notes = append(a.Notes, "STATE "+t.String())
	}
	return a
}

// Finish moves the connections on once the run's messages are posted
// (everyone told: notified), and writes the ledger pages as the run
// leaves them.
func (d *delivery) Finish() ([]program.PageChange, error) {
	for _, c := range d.ledger {
		if t := d.l.advance(c, d.now); t != nil {
			d.transitions = append(d.transitions, *t)
			d.settled++
		}
	}
	d.finished = true
	changes, err := d.l.planLedger(d.st, d.ledger, d.added)
	for i := range changes {
		changes[i].Task = program.DeliveryMarker
	}
	return changes, err
}

// Outcome tells the answers read and every state change, and counts the connections on the
// ledger once the run finished, the new ones, the state changes and the
// answers.
func (d *delivery) Outcome() ([]string, map[string]int) {
	lines := d.replies.lines()
	for _, t := range d.transitions {
		lines = append(lines, "STATE "+t.String())
	}
	connections := 0
	if d.finished {
		connections = len(d.ledger)
	}
	return lines, map[string]int{"connections": connections, "added": len(d.added), "transitions": len(d.transitions), "answers": d.replies.answers}
}

// noteDelivered records the connection's messages found on the talk
// pages (posted by a run that stopped before writing the ledger), counted
// toward their people's monthly cap, and returns how many.
func noteDelivered(c *program.Connection, p *program.MessagePlan, today string) int {
	n := 0
	for _, u := range c.People() {
		for _, kind := range []program.MessageKind{MessageConnection, MessageReminder, MessageNoResponse, MessageCheckIn} {
			d := program.Delivery{Date: today, Kind: kind, User: u}
			if p.OnTalkPage(u, d.Key(c.ID)) && !c.Delivered(kind, u) {
				c.Messages = append(c.Messages, d)
				p.CountSent(d)
				n++
			}
		}
	}
	return n
}

// replies is what a run read under a connection's messages.
type replies struct {
	plain   int      // people who replied for the first time, without an answer
	met     string   // who answered "met" under the check-in
	answers int      // new answers (the answer template)
	unread  []string // answer templates that say neither yes nor no
}

// lines tell the new answers, the replies without one, and the answer
// templates not understood.
func (r replies) lines() []string {
	var out []string
	if r.answers > 0 {
		out = append(out, fmt.Sprintf("ANSWERS %d new", r.answers))
	}
	if r.plain > 0 {
		out = append(out, fmt.Sprintf("REPLIES %d new without an answer (replied: no reminder, not a yes)", r.plain))
	}
	return append(out, r.unread...)
}

// noteCheckIn reads a reply under the check-in: "met", and whether it
// was a good fit.
func (out *replies) noteCheckIn(c *program.Connection, r wikitext.Reply, page string) {
	a, found, bad := ReadAnswer(r.Text)
	if bad != "" {
		out.unread = append(out.unread, fmt.Sprintf("UNREAD %s: %s's answer on %s: %s; read as a reply", c.ID, r.User, page, bad))
	}
	if !found || !a.Met {
		return
	}
	if out.met == "" {
		out.met = r.User
	}
	if a.Fit != "" {
		if old, ok := c.Fit[r.User]; !ok || old != (a.Fit == "yes") {
			out.answers++
			c.Fit[r.User] = a.Fit == "yes"
		}
	}
}

// noteReplies records, for each person of the connection, the day of
// their first signed reply under one of its messages, on anyone's talk
// page, and their answer: the answer template in their latest reply that
// has one (ReadAnswer). A reply without it is a reply, never a yes.
func noteReplies(c *program.Connection, p *program.MessagePlan, renamed program.Renames) replies {
	var out replies
	consent := c.Status == program.StatusApproved || c.Status == program.StatusNotified
	checkIn := c.Status == program.StatusAccepted || c.Status == program.StatusMet
	if !consent && !checkIn {
		return out
	}
	latest := map[string]time.Time{} // the latest answer read, by person
	var first []string               // who replied for the first time
	for _, u := range c.People() {
		t, ok := p.Talk(u)
		if !ok || t.Page == nil || !t.Page.Exists() {
			continue
		}
		for _, d := range c.Messages {
			if d.User != u || (d.Kind == MessageCheckIn) != checkIn {
				continue
			}
			var replies []wikitext.Reply
			for _, name := range append([]string{u}, renamed.Former(u)...) {
				key := program.Delivery{Kind: d.Kind, User: name}.Key(c.ID)
				replies = append(replies, wikitext.RepliesAfter(t.Page.Content, program.MessageMarker(key))...)
			}
			for _, r := range replies {
				// A reply signed before a rename is signed with the former name.
				r.User = renamed.Current(r.User)
				if !slices.Contains(c.People(), r.User) {
					continue
				}
				if checkIn {
					out.noteCheckIn(c, r, t.Title)
					continue
				}
				when := program.Day(r.Time)
				if old, ok := c.Responses[r.User]; !ok || when < old {
					if !ok {
						first = append(first, r.User)
					}
					c.Responses[r.User] = when
				}
				a, found, bad := ReadAnswer(r.Text)
				if bad != "" {
					out.unread = append(out.unread, fmt.Sprintf("UNREAD %s: %s's answer on %s: %s; read as a reply", c.ID, r.User, t.Title, bad))
				}
				if !found || a.Met || r.Time.Before(latest[r.User]) {
					continue
				}
				if old, ok := c.Answers[r.User]; !ok || old != a {
					if !ok {
						out.answers++
					}
					c.Answers[r.User] = a
				}
				latest[r.User] = r.Time
			}
		}
	}
	for _, u := range first {
		if _, ok := c.Answers[u]; !ok {
			out.plain++
		}
	}
	return out
}

// fitWords tells who said the connection was not a good fit.
func fitWords(c *program.Connection) string {
	var not []string
	for _, u := range c.People() {
		if fit, ok := c.Fit[u]; ok && !fit {
			not = append(not, u)
		}
	}
	if len(not) == 0 {
		return ""
	}
	return "; not a good fit for " + strings.Join(not, ", ") + ": the learners are proposed first to someone else"
}
