package sync

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
)

// Read reads everything the domain uses (the taxonomy, every registration,
// the proposals, the events, the report's history, the ledger) and turns
// it into a State.
func (e *Engine) Read(ctx context.Context) (*domain.State, error) {
	st, _, err := e.read(ctx)
	return st, err
}

// read is Read, with what the page cache found (nil without a cache).
func (e *Engine) read(ctx context.Context) (*domain.State, *pagecache.Refreshed, error) {
	now := time.Now().UTC()
	if e.Now != nil {
		now = e.Now().UTC()
	}
	st := &domain.State{Now: now}
	var refreshed *pagecache.Refreshed
	if c, ok := e.Wiki.(Refresher); ok {
		r, err := c.Refresh(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the wiki's recent changes: %w", err)
		}
		refreshed = &r
		ev := e.Log.Info()
		if r.Full {
			ev = ev.Str("full_read", r.Reason)
		}
		ev.Int("changes", r.Changes).Int("forgotten", r.Forgotten).Msg("sync: cache")
	}

	first := []string{e.Config.TaxonomyPage}
	if e.Config.ProposalsPage != "" {
		first = append(first, e.Config.ProposalsPage)
	}
	pages, err := e.Wiki.Pages(ctx, first, wiki.ReadOptions{FollowRedirects: true})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the taxonomy: %w", err)
	}
	st.PagesRead += len(pages)
	if !pages[0].Exists() {
		return nil, nil, fmt.Errorf("the taxonomy page %q does not exist", e.Config.TaxonomyPage)
	}
	tx, problems := domain.ParseTaxonomy(e.Config.TaxonomyPage, pages[0].Content)
	if len(tx.Skills) == 0 {
		return nil, nil, fmt.Errorf("the taxonomy page %q defines no skill", e.Config.TaxonomyPage)
	}
	st.Taxonomy = tx
	st.Problems = append(st.Problems, problems...)
	if len(pages) > 1 {
		st.ProposalsPage = pageOf(pages[1])
		rows, problems := domain.ParseProposals(pages[1].Title, pages[1].Content, tx)
		st.Proposals = rows
		st.Problems = append(st.Problems, problems...)
		if err := e.attributeDecisions(ctx, st, st.ProposalsPage); err != nil {
			return nil, nil, fmt.Errorf("reading who decided the proposals: %w", err)
		}
	}

	languages, err := e.Wiki.Languages(ctx)
	if err != nil {
		return nil, nil, err
	}
	st.LanguageNames = languages
	refs, err := e.Wiki.ListPrefix(ctx, e.Config.ParticipantsPrefix)
	if err != nil {
		return nil, nil, fmt.Errorf("listing registrations: %w", err)
	}
	var titles []string
	for _, r := range refs {
		if domain.IsRegistration(r.Title, e.Config.ParticipantsPrefix, r.Redirect) {
			titles = append(titles, r.Title)
		}
	}
	regPages, err := e.Wiki.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("reading registrations: %w", err)
	}
	st.PagesRead += len(regPages)
	ck := &domain.Checker{Taxonomy: tx, Languages: languages, WorkingGroup: e.Config.WorkingGroup, Prefix: e.Config.ParticipantsPrefix, Now: now}
	// Whoever made the latest revision edited the page: when that is the
	// participant or the working group, the page is theirs and its
	// history need not be read (most pages; reading every history cost
	// five requests per 500 pages).
	contributors := map[string][]string{}
	var unsure []string
	for _, p := range regPages {
		if p.Exists() {
			if user := ck.Participant(p.Title); user != "" && ck.Entitled(user, []string{p.User}) {
				contributors[p.Title] = []string{p.User}
			} else {
				unsure = append(unsure, p.Title)
			}
		}
	}
	if len(unsure) > 0 {
		history, err := e.Wiki.Contributors(ctx, unsure)
		if err != nil {
			return nil, nil, err
		}
		for t, users := range history {
			contributors[t] = users
		}
	}
	var toCheck []domain.RegistrationPage
	for _, p := range regPages {
		if p.Exists() { // not deleted between listing and reading
			toCheck = append(toCheck, domain.RegistrationPage{Title: p.Title, RevID: p.RevID, Updated: p.Timestamp, Text: p.Content, Contributors: contributors[p.Title]})
		}
	}
	regs, problems := ck.CheckAll(toCheck)
	st.Registrations = regs
	st.Problems = append(st.Problems, problems...)
	st.Problems = append(st.Problems, domain.CheckRequests(st.Registrations, tx)...)
	if e.Config.EventsPrefix != "" {
		if err := e.readEvents(ctx, st); err != nil {
			return nil, nil, fmt.Errorf("reading the events: %w", err)
		}
	}
	if e.Config.ReportHistoryPage != "" {
		if err := e.readHistory(ctx, st); err != nil {
			return nil, nil, fmt.Errorf("reading the report's history: %w", err)
		}
	}
	if e.Config.LedgerPrefix != "" {
		if err := e.readLedger(ctx, st); err != nil {
			return nil, nil, fmt.Errorf("reading the connections ledger: %w", err)
		}
	}
	if e.Config.OutreachPage != "" {
		// Also when outreach is off: the report keeps counting what
		// the messages sent brought.
		if err := e.readOutreach(ctx, st); err != nil {
			return nil, nil, err
		}
	}
	if e.Config.BadgesOn() {
		if err := e.readRecognition(ctx, st); err != nil {
			return nil, nil, err
		}
	}
	if e.Config.NewsletterOn() {
		if err := e.readNewsletter(ctx, st); err != nil {
			return nil, nil, fmt.Errorf("reading the newsletter's subscribers: %w", err)
		}
	}
	domain.SortProblems(st.Problems)
	e.Log.Info().Int("registrations", len(st.Registrations)).Int("problems", len(st.Problems)).Int("skills", len(tx.Skills)).Msg("sync: read")
	return st, refreshed, nil
}

// readEvents reads every page under the events prefix, the resource
// submissions and the calendar page (for its state).
func (e *Engine) readEvents(ctx context.Context, st *domain.State) error {
	refs, err := e.Wiki.ListPrefix(ctx, e.Config.EventsPrefix)
	if err != nil {
		return err
	}
	var titles []string
	for _, r := range refs {
		if !r.Redirect {
			titles = append(titles, r.Title)
		}
	}
	extra := []string{}
	for _, t := range []string{e.Config.ResourceSubmissions, e.Config.CalendarPage} {
		if t != "" && !slices.Contains(titles, t) {
			extra = append(extra, t)
		}
	}
	pages, err := e.Wiki.Pages(ctx, append(titles, extra...), wiki.ReadOptions{})
	if err != nil {
		return err
	}
	st.PagesRead += len(pages)
	ck := &domain.EventChecker{Taxonomy: st.Taxonomy, Languages: st.LanguageNames}
	for _, p := range pages {
		if p.Title == e.Config.CalendarPage {
			st.CalendarPage = pageOf(p)
			continue
		}
		if !p.Exists() {
			continue
		}
		events, resources, problems := ck.Check(p.Title, p.Timestamp, p.Content)
		st.Events = append(st.Events, events...)
		st.Resources = append(st.Resources, resources...)
		st.Problems = append(st.Problems, problems...)
	}
	slices.SortStableFunc(st.Events, domain.CompareEvents)
	slices.SortStableFunc(st.Resources, domain.CompareResources)
	return nil
}

// readHistory reads the report's history page. A page that is not the
// bot's JSON is reported and left alone (the applier will refuse it).
func (e *Engine) readHistory(ctx context.Context, st *domain.State) error {
	pages, err := e.Wiki.Pages(ctx, []string{e.Config.ReportHistoryPage}, wiki.ReadOptions{})
	if err != nil {
		return err
	}
	st.PagesRead++
	p := pages[0]
	if !p.Exists() {
		return nil
	}
	history, problems := domain.ParseHistory(p.Title, p.Content)
	st.History = history
	st.Problems = append(st.Problems, problems...)
	return nil
}

// pageOf is a page read through the wiki client, as the domain sees it.
func pageOf(p *wiki.Page) *domain.Page {
	if p == nil {
		return nil
	}
	d := &domain.Page{Title: p.Title, Timestamp: p.Timestamp, User: p.User, Content: p.Content}
	if p.Exists() {
		d.RevID = p.RevID
	}
	return d
}

// readNewsletter reads what the newsletter needs beyond the rest: who of
// its subscribers opted out of messages (the opt-out list, {{bots}}, the
// opt-out category: they are never listed), and when the new sharers'
// registrations were created.
func (e *Engine) readNewsletter(ctx context.Context, st *domain.State) error {
	st.NewsletterSkip = map[string]string{}
	if users := e.Config.NewsletterAudience(st); len(users) > 0 {
		optedOut, err := e.readOptOut(ctx)
		if err != nil {
			return err
		}
		talk, err := e.talkPages(ctx, users)
		if err != nil {
			return err
		}
		for _, u := range users {
			switch {
			case optedOut[u]:
				st.NewsletterSkip[u] = "listed on the opt-out page"
			case talk[u].Skip != "":
				st.NewsletterSkip[u] = talk[u].Skip
			}
		}
	}
	return e.readCreatedOf(ctx, st, e.Config.NewsletterCandidates(st))
}

// readRecognition reads the Recognition page: the badges awarded and
// congratulated.
func (e *Engine) readRecognition(ctx context.Context, st *domain.State) error {
	pages, err := e.Wiki.Pages(ctx, []string{e.Config.RecognitionPage}, wiki.ReadOptions{})
	if err != nil {
		return fmt.Errorf("reading the Recognition page: %w", err)
	}
	st.PagesRead++
	if p := pages[0]; p.Exists() {
		st.RecognitionPage = pageOf(p)
		st.Badges = domain.ParseBadges(p.Content)
	}
	return nil
}
