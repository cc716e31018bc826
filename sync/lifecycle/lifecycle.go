package lifecycle

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
)

// This file is the connection lifecycle as pure functions of a ledger row
// and the time: which state a connection moves to, and which messages it
// needs. The delivery's plan (delivery.go) puts them together.

// Lifecycle is the connection lifecycle: the configuration's rules and
// the message catalogue. Its methods are pure functions of the state they
// are given (no wiki, no clock).
type Lifecycle struct {
	Config
	Program program.Config
	// Match is the matcher's options: a connection's common hours are
	// within everyone's working day as the matcher has it.
	Match   match.Options
	Catalog *i18n.Catalog
}

// The connections' message kinds.
const (
	MessageConnection program.MessageKind = "connection"
	MessageReminder   program.MessageKind = "reminder"
	MessageNoResponse program.MessageKind = "no-response"
	MessageCheckIn    program.MessageKind = "check-in"
)

// Transition is a state change the bot made.
type Transition struct {
	ID       string
	From, To program.Status
	Why      string // what made it, when the bot read it from an answer
}

func (t Transition) String() string {
	s := t.ID + ": " + string(t.From) + " → " + string(t.To)
	if t.Why != "" {
		s += " (" + t.Why + ")"
	}
	return s
}

// advance moves a connection on from what happened and the time: the
// sharer's no (or every learner's) → declined; every message of approval
// out → notified; everyone answered, the sharer and a learner yes →
// accepted; no answer after the reminder and a further wait → no-response
// (or accepted, when the sharer and a learner said yes). A reply without
// the answer template stops the reminders and is never a yes. States
// people set are kept: the bot only records the day it saw them.
func (l Lifecycle) advance(c *program.Connection, now time.Time) *Transition {
	if !c.Usable() {
		return nil
	}
	today := program.Day(now)
	from := c.Status
	if c.Dates[c.Status] == "" {
		c.Dates[c.Status] = today
	}
	reminder, noResponse := l.ReminderDays, l.NoResponseDays
	answered := func(u string) bool { _, ok := c.Responses[u]; return ok }
	yes := func(u string) bool { _, y := c.Said(u); return y }
	if who, no := declinedBy(c); no && (c.Status == program.StatusApproved || c.Status == program.StatusNotified) {
		c.Status = program.StatusDeclined
		c.Dates[c.Status] = today
		return &Transition{ID: c.ID, From: from, To: c.Status, Why: who + " said no: " + ledgerAnswer(c.Answers[who])[len("no "):]}
	}
	switch c.Status {
	case program.StatusApproved:
		for _, u := range c.People() {
			if !c.Delivered(MessageConnection, u) && c.NotMessaged[u] == "" {
				return nil
			}
		}
		c.Status = program.StatusNotified
	case program.StatusNotified:
		// Everyone answered, the sharer and a learner at least yes.
		if yes(c.Sharer) && slices.ContainsFunc(c.Learners, yes) &&
			!slices.ContainsFunc(c.Learners, func(u string) bool { _, ok := c.Answers[u]; return !ok }) {
			c.Status = program.StatusAccepted
			break
		}
		notified := program.ParseDay(c.Dates[program.StatusNotified])
		if notified.IsZero() {
			return nil
		}
		// Nobody is closed on without their reminder, and the wait after
		// it is whole even when a run came late.
		deadline := notified.AddDate(0, 0, reminder+noResponse)
		for _, u := range c.People() {
			if answered(u) || c.NotMessaged[u] != "" {
				continue
			}
			i := slices.IndexFunc(c.Messages, func(d program.Delivery) bool { return d.Kind == MessageReminder && d.User == u })
			if i < 0 {
				return nil
			}
			if t := program.ParseDay(c.Messages[i].Date).AddDate(0, 0, noResponse); t.After(deadline) {
				deadline = t
			}
		}
		if now.Before(deadline) {
			return nil
		}
		if yes(c.Sharer) && slices.ContainsFunc(c.Learners, yes) {
			c.Status = program.StatusAccepted
		} else {
			c.Status = program.StatusNoResponse
		}
	default:
		return nil
	}
	c.Dates[c.Status] = today
	return &Transition{ID: c.ID, From: from, To: c.Status}
}

// due lists the messages the connection needs now and has not had: the
// proposal to everyone once approved; a reminder to who has not answered;
// the closing note on no-response; the check-in after the planned date.
func (l Lifecycle) due(c *program.Connection, now time.Time) []program.Delivery {
	if !c.Usable() {
		return nil
	}
	reminder, checkIn := l.ReminderDays, l.CheckInDays
	var kind program.MessageKind
	var to []string
	switch c.Status {
	case program.StatusApproved:
		kind, to = MessageConnection, c.People()
	case program.StatusNotified:
		notified := program.ParseDay(c.Dates[program.StatusNotified])
		if notified.IsZero() || now.Before(notified.AddDate(0, 0, reminder)) {
			return nil
		}
		kind = MessageReminder
		for _, u := range c.People() {
			if _, ok := c.Responses[u]; !ok {
				to = append(to, u)
			}
		}
	case program.StatusNoResponse:
		// Only a no-response the bot reached (after its reminder) is
		// announced; one a person set was announced by them.
		if !slices.ContainsFunc(c.Messages, func(d program.Delivery) bool { return d.Kind == MessageReminder }) {
			return nil
		}
		kind, to = MessageNoResponse, c.People()
	case program.StatusAccepted:
		at := checkInDay(c, checkIn)
		if at.IsZero() || now.Before(at) {
			return nil
		}
		kind, to = MessageCheckIn, c.People()
	default:
		return nil
	}
	var out []program.Delivery
	for _, u := range to {
		if !c.Delivered(kind, u) && c.NotMessaged[u] == "" {
			out = append(out, program.Delivery{Date: program.Day(now), Kind: kind, User: u})
		}
	}
	return out
}

// checkInDay is when to ask "did you meet?": the day after the date people
// planned, or checkInDays after they accepted.
func checkInDay(c *program.Connection, checkInDays int) time.Time {
	if planned := program.ParseDay(c.Planned); !planned.IsZero() {
		return planned.AddDate(0, 0, 1)
	}
	if accepted := program.ParseDay(c.Dates[program.StatusAccepted]); !accepted.IsZero() {
		return accepted.AddDate(0, 0, checkInDays)
	}
	return time.Time{}
}

// newConnections turns what participants requested and what the working
// group approved into ledger rows, once: a request by its people and skill
// (a request left on a registration page is not asked again), a proposal
// by its id (its people, skill and first proposal day) unless the same
// people and skill are already under way (a request the matcher also
// proposed is not sent twice).
func (l Lifecycle) newConnections(st *program.State) []*program.Connection {
	return newConnections(st, st.Ledger, l.LedgerPrefix, l.Match)
}

func newConnections(st *program.State, ledger []*program.Connection, ledgerPrefix string, opts match.Options) []*program.Connection {
	ids := map[string]bool{}
	ever := map[string]bool{}     // pairs on the ledger
	live := map[string]bool{}     // pairs still under way
	latest := map[string]string{} // the day each pair was last approved
	for _, c := range ledger {
		ids[c.ID] = true
		ever[c.PairKey()] = true
		if !program.Final(c.Status) {
			live[c.PairKey()] = true
		}
		latest[c.PairKey()] = max(latest[c.PairKey()], c.Dates[program.StatusApproved])
	}
	today := program.Day(st.Now)
	var out []*program.Connection
	add := func(c *program.Connection) {
		ids[c.ID], ever[c.PairKey()], live[c.PairKey()] = true, true, true
		regs := registrationsOf(st, c.People())
		if c.Language == "" {
			c.Language = strings.Join(commonLanguages(regs), ", ")
		}
		if c.Hours == "" {
			c.Hours = commonHoursUTC(regs, opts)
		}
		if c.Format == "" {
			c.Format = match.OneToOne
		}
		c.Responses, c.NotMessaged = map[string]string{}, map[string]string{}
		out = append(out, c)
	}
	for _, r := range st.Registrations {
		for _, q := range r.Requests {
			key := program.PairKey(q.Sharer, q.Skill, []string{q.Learner})
			if ever[key] {
				continue
			}
			add(&program.Connection{
				ID: RequestID(ledgerPrefix, key), Status: program.StatusApproved, ProposedBy: program.ByParticipant,
				Sharer: q.Sharer, Learners: []string{q.Learner}, Skill: q.Skill,
				Dates: map[program.Status]string{program.StatusProposed: today, program.StatusApproved: today},
			})
		}
	}
	for _, p := range proposals.Rows(st) {
		if p.Status != program.StatusApproved || !p.Decided() || p.Sharer == "" || len(p.Learners) == 0 {
			continue
		}
		// The row's id is its names' when decided; the pair is who they
		// are now (a renamed person's connections are under the new name).
		id := program.ConnectionID(ledgerPrefix, p.Key(), p.Date)
		sharer, learners := st.Renamed.Current(p.Sharer), make([]string, len(p.Learners))
		for i, l := range p.Learners {
			learners[i] = st.Renamed.Current(l)
		}
		// A pair connected since the row was proposed (the learner's own
		// request, declined since, say) is that connection.
		key := program.PairKey(sharer, p.Skill, learners)
		if ids[id] || live[key] || (p.Date != "" && latest[key] >= p.Date) {
			continue
		}
		by := program.ByBot
		if p.ProposedBy == program.ByWorkingGroup {
			by = program.ByWorkingGroup
		}
		c := &program.Connection{
			ID: id, Status: program.StatusApproved, ProposedBy: by, Sharer: sharer, Learners: learners,
			Skill: p.Skill, Format: p.Kind, Language: p.Language, Hours: p.Hours,
			Dates: map[program.Status]string{program.StatusApproved: today},
		}
		if p.Date != "" {
			c.Dates[program.StatusProposed] = p.Date
		}
		add(c)
	}
	return out
}

// registrationsOf returns the registrations of the named people that have
// one.
func registrationsOf(st *program.State, people []string) []*program.Registration {
	var out []*program.Registration
	for _, u := range people {
		if r := st.Registration(u); r != nil {
			out = append(out, r)
		}
	}
	return out
}

// commonLanguages lists the languages everyone speaks well enough to hold
// a conversation (Babel level 2 or more), in the first person's order.
func commonLanguages(regs []*program.Registration) []string {
	if len(regs) == 0 {
		return nil
	}
	var out []string
	for _, l := range regs[0].Languages {
		if l.Level < 2 {
			continue
		}
		everyone := true
		for _, r := range regs[1:] {
			everyone = everyone && slices.ContainsFunc(r.Languages, func(o program.LanguageLevel) bool { return o.Code == l.Code && o.Level >= 2 })
		}
		if everyone {
			out = append(out, l.Code)
		}
	}
	return out
}

// commonHoursUTC finds the longest stretch of the day (in quarter hours)
// that is inside everyone's local working day, as "14:00–16:00 UTC"; ""
// when there is none.
func commonHoursUTC(regs []*program.Registration, opts match.Options) string {
	opts = opts.WithDefaults()
	if len(regs) == 0 {
		return ""
	}
	const step, slots = 15, 24 * 60 / 15
	inside := func(slot int) bool {
		for _, r := range regs {
			local := ((slot*step+r.UTCOffsetMinute)%1440 + 1440) % 1440
			if local < opts.WorkdayStart*60 || local >= opts.WorkdayEnd*60 {
				return false
			}
		}
		return true
	}
	bestStart, bestLen := 0, 0
	for start := 0; start < slots; start++ {
		if !inside(start) || inside((start+slots-1)%slots) {
			continue // not the start of a stretch
		}
		n := 0
		for n < slots && inside((start+n)%slots) {
			n++
		}
		if n > bestLen {
			bestStart, bestLen = start, n
		}
	}
	if bestLen == 0 {
		return ""
	}
	return clockUTC(bestStart*step) + "–" + clockUTC((bestStart+bestLen)*step) + " UTC"
}

func clockUTC(m int) string {
	m = (m%1440 + 1440) % 1440
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// localHours shifts "14:00–16:00 UTC" by a UTC offset in minutes.
func localHours(hoursUTC string, offsetMinutes int) (start, end string, ok bool) {
	s, e, found := strings.Cut(strings.TrimSuffix(strings.TrimSpace(hoursUTC), " UTC"), "–")
	if !found {
		return "", "", false
	}
	parse := func(hm string) (int, bool) {
		h, m, ok := strings.Cut(hm, ":")
		hi, err1 := strconv.Atoi(h)
		mi, err2 := strconv.Atoi(m)
		return hi*60 + mi, ok && err1 == nil && err2 == nil
	}
	sm, ok1 := parse(s)
	em, ok2 := parse(e)
	if !ok1 || !ok2 {
		return "", "", false
	}
	return clockUTC(sm + offsetMinutes), clockUTC(em + offsetMinutes), true
}

// RequestID is the id of the connection a participant's request makes on
// the ledger of ledgerPrefix (key: the request's Proposal.Key).
func RequestID(ledgerPrefix, key string) string {
	return program.ConnectionID(ledgerPrefix, key, "request")
}
