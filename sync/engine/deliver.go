package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
)

// DeliverySummary is what one Deliver run did.
type DeliverySummary struct {
	// Plan is what the run decided (nil when it stopped before): a dry
	// run prints it.
	Plan *program.MessagePlan
	// Cache is what the page cache found at the start of the run (nil
	// without a cache).
	Cache *pagecache.Refreshed
	// Figures are the tasks' counters, in task order.
	Figures []Figure
	// Lines are what the tasks tell people of the run (a connection's
	// state changes).
	Lines []string
	// Found: messages already on the talk pages, recorded, not posted
	// again (by the plan, and found when posting).
	Found   int
	Skipped []string // not messaged, and why
	Failed  []string
	// Records is what happened to the tasks' record pages (the ledger,
	// the invitations page, the Recognition page).
	Records []Outcome
}

// Figure is a counter's value after a delivery: N, the messages of its
// kinds posted (or what the task's part counts); Planned, the messages of
// its kinds the plan had.
type Figure struct {
	program.Counter
	N, Planned int
}

// Count returns the value of the counter or field named name.
func (s DeliverySummary) Count(name string) int {
	for _, f := range s.Fields() {
		if f.Name == name {
			return f.N
		}
	}
	return 0
}

// Field is one field of the summary's log line.
type Field struct {
	Name string
	N    int
}

// The places of the engine's own fields in the summary's log line, among
// the tasks' counters (program.Counter.Place).
const (
	placeWaiting     = 40
	placeFound       = 60
	placeDeferred    = 61
	placeNotMessaged = 62
	placeFailed      = 63
	placeRecordEdits = 64
)

// Fields are the summary's log line: the tasks' counters and the
// engine's own, by place.
func (s DeliverySummary) Fields() []Field {
	type placed struct {
		Field
		place int
	}
	var waiting, deferred int
	if s.Plan != nil {
		waiting, deferred = len(s.Plan.Waiting), len(s.Plan.Deferred)
	}
	all := []placed{
		{Field{"waiting", waiting}, placeWaiting},
		{Field{"found_on_talk_pages", s.Found}, placeFound},
		{Field{"deferred", deferred}, placeDeferred},
		{Field{"not_messaged", len(s.Skipped)}, placeNotMessaged},
		{Field{"failed", len(s.Failed)}, placeFailed},
		{Field{"ledger_edits", CountResults(s.Records, wiki.Created, wiki.Updated)}, placeRecordEdits},
	}
	for _, f := range s.Figures {
		all = append(all, placed{Field{f.Name, f.N}, f.Place})
	}
	slices.SortStableFunc(all, func(a, b placed) int { return cmp.Compare(a.place, b.place) })
	out := make([]Field, len(all))
	for i, p := range all {
		out[i] = p.Field
	}
	return out
}

// ErrTooManyMessages: the plan exceeded the run's cap on messages
// (MessagesConfig.MaxMessages); nothing was posted or written.
var ErrTooManyMessages = errors.New("the plan has more messages than allowed")

// Deliver runs the tasks that message people (or only the named one): it
// reads the program, the talk pages of everyone the tasks may message and
// the opt-out list, lets each task plan its messages into one plan, in
// order, posts them in that order, recording each through the Record it
// carries, then writes the tasks' record pages through Apply.
//
// Exactly once: a message's marker is looked for on the live talk page in
// the same run, just before posting (wiki.SectionRequest.Marker); its
// record is written afterwards. A run killed between the two finds the
// marker next time and only records it.
func (e *Engine) Deliver(ctx context.Context, only string) (sum DeliverySummary, err error) {
	tasks, err := selectTask(e.DeliveryTasks(), only)
	if err != nil {
		return sum, err
	}
	st, refreshed, err := e.read(ctx)
	if err != nil {
		return sum, err
	}
	sum.Cache = refreshed
	plan, err := e.planMessages(ctx, st, tasks)
	if err != nil {
		return sum, err
	}
	sum.Plan = plan
	posted := map[program.MessageKind]int{}
	defer func() { e.figures(&sum, tasks, posted) }()
	sum.Found = plan.Found
	for _, s := range plan.NotMessaged {
		sum.Skipped = append(sum.Skipped, s.String())
		e.Log.Info().Str("connection", s.ID).Str("kind", string(s.Kind)).Str("user", s.User).Str("reason", s.Reason).Msg("deliver: not messaging")
	}
	for _, s := range plan.Deferred {
		e.Log.Info().Str("connection", s.ID).Str("kind", string(s.Kind)).Str("user", s.User).Int("cap", e.Config.Messages.MaxMessagesPerPerson).Msg("deliver: the person's monthly cap is reached; next month")
	}
	for _, s := range plan.Withheld {
		e.Log.Info().Str("user", s.User).Str("reason", s.Reason).Msg("deliver: not telling about registration problems")
	}
	if max := e.Config.Messages.MaxMessages; max > 0 && len(plan.Messages) > max {
		return sum, fmt.Errorf("%w: %d messages planned, the cap per run (LC_MAX_MESSAGES) is %d; nothing was posted or written. Check the ledger and the proposals, then raise the cap for one run if they are right",
			ErrTooManyMessages, len(plan.Messages), max)
	}

	lastProgress := time.Now()
	for i, m := range plan.Messages {
		if err := ctx.Err(); err != nil {
			break
		}
		if i > 0 && time.Since(lastProgress) >= wiki.ProgressEvery {
			// Messages are paced (LC_EDIT_INTERVAL): a long delivery says
			// how far it is.
			lastProgress = time.Now()
			e.Log.Info().Int("done", i).Int("total", len(plan.Messages)).Msgf("deliver: posting messages: %d of %d", i, len(plan.Messages))
		}
		if err := e.Gate.Allow(ctx, i == 0); err != nil {
			// Stopped (the shutoff page, the lease): nothing more is
			// posted or written; the messages already posted are found
			// on their talk pages and recorded by the next run.
			e.Log.Warn().Err(err).Int("not_posted", len(plan.Messages)-i).Msg("deliver: not writing")
			return sum, fmt.Errorf("%d messages not posted and the ledger not written: %w", len(plan.Messages)-i, err)
		}
		res, err := e.Wiki.NewSection(ctx, wiki.SectionRequest{
			Title: m.Target.Title, Heading: m.Heading, Text: m.Text, Marker: m.Marker(), Summary: m.Summary(),
		})
		switch {
		case err != nil:
			sum.Failed = append(sum.Failed, fmt.Sprintf("%s %s to %s: %v", m.ID, m.Kind, m.User, err))
			e.Log.Warn().Err(err).Str("id", m.ID).Str("user", m.User).Msg("deliver: posting failed; next run tries again")
			if errors.Is(err, wiki.ErrTitleNotAllowed) {
				plan.RecordRefusal(m, "the talk page is outside the pages the bot may edit")
			}
		case res.Result == wiki.DryRun:
		case res.Result == wiki.AlreadyPosted:
			// Posted since the talk pages were read at the start of
			// the run: recorded, not posted again.
			plan.RecordPost(m)
			sum.Found++
		default:
			plan.RecordPost(m)
			posted[m.Kind]++
			e.Log.Info().Str("id", m.ID).Str("kind", string(m.Kind)).Str("user", m.User).Str("page", res.Title).Str("language", m.Language).Msg("deliver: posted")
		}
	}
	var changes []program.PageChange
	for _, part := range plan.Parts {
		c, err := part.Finish()
		if err != nil {
			return sum, err
		}
		changes = append(changes, c...)
	}
	sum.Records, err = e.Apply(ctx, changes)
	if len(sum.Failed) > 0 {
		err = errors.Join(err, fmt.Errorf("%d messages failed; the next run tries them again", len(sum.Failed)))
	}
	return sum, err
}

// PlanDelivery plans a delivery from st without posting anything: what
// Deliver would post, in order (it reads what the plan depends on besides
// st: creation times, the opt-out list, the talk pages).
func (e *Engine) PlanDelivery(ctx context.Context, st *program.State, only string) (*program.MessagePlan, error) {
	tasks, err := selectTask(e.DeliveryTasks(), only)
	if err != nil {
		return nil, err
	}
	return e.planMessages(ctx, st, tasks)
}

// planMessages reads what the tasks' plans depend on besides the state
// (creation times, the opt-out list, the talk pages of everyone a message
// may concern, in one batch of reads) and lets each task plan, in order.
// Each person's monthly cap counts the messages the tasks' records hold
// this month: a First task's plan sees the First tasks' only (a
// connection's message never waits for a welcome), the others' every
// task's.
func (e *Engine) planMessages(ctx context.Context, st *program.State, tasks []program.Task) (*program.MessagePlan, error) {
	var created, audience []string
	for _, t := range tasks {
		if t.Messages.Created != nil {
			for _, title := range t.Messages.Created(st) {
				if !slices.Contains(created, title) {
					created = append(created, title)
				}
			}
		}
	}
	if err := e.readCreated(ctx, st, created); err != nil {
		return nil, err
	}
	optedOut, err := e.readOptOut(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Messages.Audience != nil {
			audience = append(audience, t.Messages.Audience(st)...)
		}
	}
	slices.Sort(audience)
	talk, err := e.talkPages(ctx, slices.Compact(audience))
	if err != nil {
		return nil, err
	}
	plan, err := program.NewMessagePlan(st, talk, optedOut, e.Config.Messages)
	if err != nil {
		return nil, err
	}
	counted := map[string]bool{}
	count := func(first bool) {
		for _, t := range e.DeliveryTasks() {
			if counted[t.Name] || (first && !t.Messages.First) || t.Messages.Sent == nil {
				continue
			}
			counted[t.Name] = true
			for _, d := range t.Messages.Sent(st) {
				plan.CountSent(d)
			}
		}
	}
	for _, t := range tasks {
		count(t.Messages.First)
		part, err := t.Messages.Plan(plan, st)
		if err != nil {
			return nil, fmt.Errorf("task %s: %w", t.Name, err)
		}
		plan.Parts = append(plan.Parts, part)
	}
	return plan, nil
}

// figures sets the summary's figures and lines from the tasks' counters:
// the messages posted (and planned) of each counter's kinds, the rest from
// each task's part.
func (e *Engine) figures(sum *DeliverySummary, tasks []program.Task, posted map[program.MessageKind]int) {
	sum.Figures, sum.Lines = nil, nil
	for i, t := range tasks {
		var counts map[string]int
		if sum.Plan != nil && i < len(sum.Plan.Parts) {
			var lines []string
			lines, counts = sum.Plan.Parts[i].Outcome()
			sum.Lines = append(sum.Lines, lines...)
		}
		for _, c := range t.Messages.Counters {
			f := Figure{Counter: c, N: counts[c.Name]}
			if len(c.Kinds) > 0 {
				f.N = 0
				for _, k := range c.Kinds {
					f.N += posted[k]
					if sum.Plan != nil {
						f.Planned += sum.Plan.CountKinds(k)
					}
				}
			}
			sum.Figures = append(sum.Figures, f)
		}
	}
}
