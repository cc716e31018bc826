package sync

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// DeliverySummary is what one Deliver run did.
type DeliverySummary struct {
	Connections int      // on the ledger, after the run
	Added       []string // ids of connections new on the ledger
	Transitions []Transition
	Responses   int // answers seen for the first time
	Posted      int // messages about connections
	Notices     int // messages telling participants their registration's problems
	Found       int // messages already on the talk page: recorded, not posted again
	Deferred    int // over a person's monthly cap: next month
	Skipped     []string
	Failed      []string
	Ledger      []Outcome
}

// ErrTooManyMessages: the plan exceeded Config.MaxMessages; nothing was
// posted or written.
var ErrTooManyMessages = errors.New("the plan has more messages than allowed")

// Deliver carries every connection one step on: it adds what the working
// group approved and what participants requested to the ledger, reads the
// talk pages for answers and for messages already there, moves
// connections on with time, posts the messages due, and writes the
// ledger.
//
// Exactly once: a message's marker is looked for on the live talk page in
// the same run, just before posting; the ledger records it afterwards. A
// run killed between the two finds the marker next time and only records
// it.
func (e *Engine) Deliver(ctx context.Context) (DeliverySummary, error) {
	var sum DeliverySummary
	if e.Config.LedgerPrefix == "" {
		return sum, errors.New("no ledger page prefix configured (LC_LEDGER_PREFIX)")
	}
	cat, err := i18n.Load()
	if err != nil {
		return sum, err
	}
	st, err := e.Read(ctx)
	if err != nil {
		return sum, err
	}
	added := newConnections(st, st.Ledger, e.Config.LedgerPrefix, e.Config.Match)
	for _, c := range added {
		sum.Added = append(sum.Added, c.ID)
	}
	e.placeConnections(st, added)
	st.Ledger = append(st.Ledger, added...)

	optedOut, err := e.readOptOut(ctx)
	if err != nil {
		return sum, err
	}
	// Everyone a message may concern (the people of connections under
	// way, the authors of registrations with problems), with their talk
	// page as it is now: one batch of reads for all.
	var users []string
	seen := map[string]bool{}
	want := func(u string) {
		if !seen[u] {
			seen[u] = true
			users = append(users, u)
		}
	}
	for _, c := range st.Ledger {
		if !c.Usable() || (Final(c.Status) && c.Status != StateNoResponse) {
			continue
		}
		for _, u := range c.People() {
			want(u)
		}
	}
	problems := e.problemsByAuthor(st)
	for u := range problems {
		want(u)
	}
	slices.Sort(users)
	targets := map[string]wiki.TalkTarget{}
	if len(users) > 0 {
		if targets, err = e.Wiki.TalkTargets(ctx, users, e.botName(), OptOutKind, e.Config.OptOutCategory); err != nil {
			return sum, fmt.Errorf("reading talk pages: %w", err)
		}
	}
	// The message keys on each talk page, read once per page (a sharer's
	// page holds the messages of all their connections).
	keys := map[string]map[string]bool{}
	keysOn := func(user string) map[string]bool {
		if k, ok := keys[user]; ok {
			return k
		}
		k := map[string]bool{}
		if t := targets[user]; t.Page != nil && t.Page.Exists() {
			k = markersOn(t.Page.Content)
		}
		keys[user] = k
		return k
	}
	today := day(st.Now)
	for _, c := range st.Ledger {
		if !c.Usable() {
			continue
		}
		sum.Found += noteDelivered(c, keysOn, today)
		sum.Responses += e.noteReplies(c, targets)
		if t := e.advance(c, st.Now); t != nil {
			sum.Transitions = append(sum.Transitions, *t)
		}
	}

	// Plan the messages.
	sentThisMonth := map[string]int{}
	month := today[:7]
	for _, c := range st.Ledger {
		for _, d := range c.Messages {
			if strings.HasPrefix(d.Date, month) {
				sentThisMonth[d.User]++
			}
		}
	}
	var out []outgoing
	for _, c := range st.Ledger {
		for _, d := range e.due(c, st.Now) {
			t, ok := targets[d.User]
			reason := t.Skip
			switch {
			case !ok:
				reason = "the talk page was not read"
			case optedOut[d.User]:
				reason = "listed on " + e.Config.OptOutPage
			case reason == "" && st.registration(d.User) != nil && !st.registration(d.User).Active:
				reason = "the registration is paused"
			}
			if reason != "" {
				c.NotMessaged[d.User] = reason
				sum.Skipped = append(sum.Skipped, fmt.Sprintf("%s %s to %s: %s", c.ID, d.Kind, d.User, reason))
				e.Log.Info().Str("connection", c.ID).Str("kind", d.Kind).Str("user", d.User).Str("reason", reason).Msg("deliver: not messaging")
				continue
			}
			if max := e.Config.MaxMessagesPerPerson; max > 0 && sentThisMonth[d.User] >= max {
				sum.Deferred++
				e.Log.Info().Str("connection", c.ID).Str("kind", d.Kind).Str("user", d.User).Int("cap", max).Msg("deliver: the person's monthly cap is reached; next month")
				continue
			}
			sentThisMonth[d.User]++
			c, d, t := c, d, t
			out = append(out, outgoing{
				id: c.ID, kind: d.Kind, user: d.User, target: t, marker: MessageMarker(d.Key(c.ID)),
				compose: func() message { return e.compose(st, cat, c, d, t) },
				posted:  func() { c.Messages = append(c.Messages, d) },
				refused: func(why string) { c.NotMessaged[d.User] = why },
			})
		}
	}
	out = append(out, e.problemNotices(st, cat, optedOut, problems, targets, keysOn)...)
	if max := e.Config.MaxMessages; max > 0 && len(out) > max {
		return sum, fmt.Errorf("%w: %d messages planned, the cap per run (LC_MAX_MESSAGES) is %d; nothing was posted or written. Check the ledger and the proposals, then raise the cap for one run if they are right",
			ErrTooManyMessages, len(out), max)
	}

	for _, o := range out {
		if err := ctx.Err(); err != nil {
			break
		}
		m := o.compose()
		res, err := e.Wiki.NewSection(ctx, wiki.SectionRequest{
			Title: o.target.Title, Heading: m.Heading, Text: m.Text, Marker: o.marker, Summary: m.Heading + " (bot)",
		})
		switch {
		case err != nil:
			sum.Failed = append(sum.Failed, fmt.Sprintf("%s %s to %s: %v", o.id, o.kind, o.user, err))
			e.Log.Warn().Err(err).Str("id", o.id).Str("user", o.user).Msg("deliver: posting failed; next run tries again")
			if errors.Is(err, wiki.ErrTitleNotAllowed) {
				o.refused("the talk page is outside the pages the bot may edit")
			}
		case res.Result == wiki.DryRun:
		case res.Result == wiki.AlreadyPosted:
			// Posted since the talk pages were read at the start of
			// the run: recorded, not posted again.
			o.posted()
			sum.Found++
		default:
			o.posted()
			if o.kind == MessageProblems {
				sum.Notices++
			} else {
				sum.Posted++
			}
			e.Log.Info().Str("id", o.id).Str("kind", o.kind).Str("user", o.user).Str("page", res.Title).Str("language", m.Language).Msg("deliver: posted")
		}
	}
	for _, c := range st.Ledger {
		if t := e.advance(c, st.Now); t != nil {
			sum.Transitions = append(sum.Transitions, *t)
		}
	}
	sum.Connections = len(st.Ledger)

	changes, err := e.planLedger(st, added)
	if err != nil {
		return sum, err
	}
	for i := range changes {
		changes[i].Task = "connections"
	}
	sum.Ledger, err = e.Apply(ctx, changes)
	if len(sum.Failed) > 0 {
		err = errors.Join(err, fmt.Errorf("%d messages failed; the next run tries them again", len(sum.Failed)))
	}
	return sum, err
}

// outgoing is one message ready to post, with what to record once it is
// posted (or refused).
type outgoing struct {
	id, kind, user string
	target         wiki.TalkTarget
	marker         string
	compose        func() message
	posted         func()
	refused        func(why string)
}

// noteDelivered records the connection's messages found on the talk
// pages (posted by a run that stopped before writing the ledger), and
// returns how many.
func noteDelivered(c *Connection, keysOn func(user string) map[string]bool, today string) int {
	n := 0
	for _, u := range c.People() {
		on := keysOn(u)
		for _, kind := range []string{MessageConnection, MessageReminder, MessageNoResponse, MessageCheckIn} {
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
func (e *Engine) noteReplies(c *Connection, targets map[string]wiki.TalkTarget) int {
	if c.Status != StateApproved && c.Status != StateNotified {
		return 0
	}
	n := 0
	for _, u := range c.People() {
		t, ok := targets[u]
		if !ok || t.Page == nil || !t.Page.Exists() {
			continue
		}
		for _, d := range c.Messages {
			if d.User != u {
				continue
			}
			for _, r := range wiki.RepliesAfter(t.Page.Content, MessageMarker(d.Key(c.ID))) {
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

var userLinkRE = regexp.MustCompile(`\[\[\s*:?\s*[Uu]ser\s*:\s*([^|\]/#]+)`)

// readOptOut reads the project's opt-out list: every user linked on the
// page.
func (e *Engine) readOptOut(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	if e.Config.OptOutPage == "" {
		return out, nil
	}
	pages, err := e.Wiki.Pages(ctx, []string{e.Config.OptOutPage}, wiki.ReadOptions{FollowRedirects: true})
	if err != nil {
		return nil, fmt.Errorf("reading the opt-out list: %w", err)
	}
	for _, m := range userLinkRE.FindAllStringSubmatch(pages[0].Content, -1) {
		out[wiki.NormalizeUser(m[1])] = true
	}
	return out, nil
}
