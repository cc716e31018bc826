package sync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
)

// DeliverySummary is what one Deliver run did.
type DeliverySummary struct {
	// Plan is what the run decided (nil when it stopped before): a dry
	// run prints it.
	Plan *domain.DeliveryPlan
	// Cache is what the page cache found at the start of the run (nil
	// without a cache).
	Cache       *pagecache.Refreshed
	Connections int      // on the ledger, after the run
	Added       []string // ids of connections new on the ledger
	Transitions []domain.Transition
	Responses   int // answers seen for the first time
	Posted      int // messages about connections
	Welcomed    int // welcomes posted
	Invited     int // invitations posted
	Badges      int // badges' congratulations posted
	Waiting     int // welcomes and invitations over the run's cap: the next run
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

// Deliver carries every connection one step on: it reads the program,
// the talk pages of the people concerned and the opt-out list, plans the
// run (PlanDelivery: new connections onto the ledger, answers, states,
// the messages due), posts the plan's messages in order, recording each,
// and writes the ledger through Apply.
//
// Exactly once: a message's marker is looked for on the live talk page in
// the same run, just before posting (wiki.SectionRequest.Marker); the
// ledger records it afterwards. A run killed between the two finds the
// marker next time and only records it.
func (e *Engine) Deliver(ctx context.Context) (DeliverySummary, error) {
	var sum DeliverySummary
	if e.Config.LedgerPrefix == "" {
		return sum, errors.New("no ledger page prefix configured (LC_LEDGER_PREFIX)")
	}
	cat, err := domain.Catalog() // parsed once per process
	if err != nil {
		return sum, err
	}
	st, refreshed, err := e.read(ctx)
	if err != nil {
		return sum, err
	}
	sum.Cache = refreshed
	l := e.lifecycle(cat)
	plan, err := e.planDelivery(ctx, l, st)
	if err != nil {
		return sum, err
	}
	sum.Plan = plan
	for _, c := range plan.Added {
		sum.Added = append(sum.Added, c.ID)
	}
	sum.Found, sum.Responses, sum.Deferred, sum.Waiting = plan.Found, plan.Responses, len(plan.Deferred), len(plan.Waiting)
	sum.Transitions = plan.Transitions
	for _, s := range plan.NotMessaged {
		sum.Skipped = append(sum.Skipped, s.String())
		e.Log.Info().Str("connection", s.ID).Str("kind", string(s.Kind)).Str("user", s.User).Str("reason", s.Reason).Msg("deliver: not messaging")
	}
	for _, s := range plan.Deferred {
		e.Log.Info().Str("connection", s.ID).Str("kind", string(s.Kind)).Str("user", s.User).Int("cap", e.Config.MaxMessagesPerPerson).Msg("deliver: the person's monthly cap is reached; next month")
	}
	for _, s := range plan.Withheld {
		e.Log.Info().Str("user", s.User).Str("reason", s.Reason).Msg("deliver: not telling about registration problems")
	}
	if max := e.Config.MaxMessages; max > 0 && len(plan.Messages) > max {
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
			switch m.Kind {
			case domain.MessageProblems:
				sum.Notices++
			case domain.MessageWelcome:
				sum.Welcomed++
			case domain.MessageInvitation:
				sum.Invited++
			case domain.MessageBadge:
				sum.Badges++
			default:
				sum.Posted++
			}
			e.Log.Info().Str("id", m.ID).Str("kind", string(m.Kind)).Str("user", m.User).Str("page", res.Title).Str("language", m.Language).Msg("deliver: posted")
		}
	}
	sum.Transitions = append(sum.Transitions, l.Settle(plan)...)
	sum.Connections = len(plan.Ledger)

	changes, err := l.LedgerChanges(st, plan)
	if err != nil {
		return sum, err
	}
	sum.Ledger, err = e.Apply(ctx, changes)
	if len(sum.Failed) > 0 {
		err = errors.Join(err, fmt.Errorf("%d messages failed; the next run tries them again", len(sum.Failed)))
	}
	return sum, err
}

// lifecycle is the delivery's rules and messages, with the run's cap.
func (e *Engine) lifecycle(cat *i18n.Catalog) domain.Lifecycle {
	l := e.Config.Lifecycle(cat)
	l.MaxMessagesPerRun = e.Config.MaxMessages
	return l
}

// planDelivery reads what the delivery's plan depends on besides the
// state (creation times, the opt-outs, the talk pages of everyone a
// message may concern, in one batch of reads) and plans it.
func (e *Engine) planDelivery(ctx context.Context, l domain.Lifecycle, st *domain.State) (*domain.DeliveryPlan, error) {
	if err := e.readCreated(ctx, st); err != nil {
		return nil, err
	}
	optedOut, err := e.readOptOut(ctx)
	if err != nil {
		return nil, err
	}
	talk, err := e.talkPages(ctx, l.DeliveryAudience(st))
	if err != nil {
		return nil, err
	}
	return l.PlanDelivery(st, talk, optedOut), nil
}

// talkPages reads the talk pages of users, as the domain sees them.
func (e *Engine) talkPages(ctx context.Context, users []string) (map[string]domain.TalkPage, error) {
	out := map[string]domain.TalkPage{}
	if len(users) == 0 {
		return out, nil
	}
	targets, err := e.Wiki.TalkTargets(ctx, users, e.botName(), domain.OptOutKind, e.Config.OptOutCategory)
	if err != nil {
		return nil, fmt.Errorf("reading talk pages: %w", err)
	}
	for u, t := range targets {
		out[u] = domain.TalkPage{Title: t.Title, Page: pageOf(t.Page), RedirectedFrom: t.RedirectedFrom, Skip: t.Skip}
	}
	return out, nil
}

// readOptOut reads the project's opt-out list (domain.OptedOut).
func (e *Engine) readOptOut(ctx context.Context) (map[string]bool, error) {
	if e.Config.OptOutPage == "" {
		return map[string]bool{}, nil
	}
	pages, err := e.Wiki.Pages(ctx, []string{e.Config.OptOutPage}, wiki.ReadOptions{FollowRedirects: true})
	if err != nil {
		return nil, fmt.Errorf("reading the opt-out list: %w", err)
	}
	return domain.OptedOut(pages[0].Content), nil
}
