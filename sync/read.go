package sync

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// Read reads the taxonomy and every registration, and validates them.
func (e *Engine) Read(ctx context.Context) (*State, error) {
	now := time.Now().UTC()
	if e.Now != nil {
		now = e.Now().UTC()
	}
	st := &State{Now: now}
	if c, ok := e.Wiki.(Refresher); ok {
		r, err := c.Refresh(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the wiki's recent changes: %w", err)
		}
		st.Cache = &r
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
		return nil, fmt.Errorf("reading the taxonomy: %w", err)
	}
	st.PagesRead += len(pages)
	if !pages[0].Exists() {
		return nil, fmt.Errorf("the taxonomy page %q does not exist", e.Config.TaxonomyPage)
	}
	tx, problems := ParseTaxonomy(e.Config.TaxonomyPage, pages[0].Content)
	if len(tx.Skills) == 0 {
		return nil, fmt.Errorf("the taxonomy page %q defines no skill", e.Config.TaxonomyPage)
	}
	st.Taxonomy = tx
	st.Problems = append(st.Problems, problems...)
	if len(pages) > 1 {
		st.ProposalsPage = pages[1]
		rows, problems := ParseProposals(pages[1].Title, pages[1].Content, tx)
		st.Proposals = rows
		st.Problems = append(st.Problems, problems...)
		if err := e.attributeDecisions(ctx, st, pages[1]); err != nil {
			return nil, fmt.Errorf("reading who decided the proposals: %w", err)
		}
	}

	languages, err := e.Wiki.Languages(ctx)
	if err != nil {
		return nil, err
	}
	st.LanguageNames = languages
	refs, err := e.Wiki.ListPrefix(ctx, e.Config.ParticipantsPrefix)
	if err != nil {
		return nil, fmt.Errorf("listing registrations: %w", err)
	}
	var titles []string
	for _, r := range refs {
		// A registration is the participant's page itself; their subpages
		// (notes, an old copy) are not registrations and would count them
		// twice. Redirects are left for renamed users' pages to settle.
		rest := strings.TrimPrefix(r.Title, e.Config.ParticipantsPrefix)
		if !r.Redirect && !strings.Contains(rest, "/") {
			titles = append(titles, r.Title)
		}
	}
	regPages, err := e.Wiki.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return nil, fmt.Errorf("reading registrations: %w", err)
	}
	st.PagesRead += len(regPages)
	ck := &Checker{Taxonomy: tx, Languages: languages, WorkingGroup: e.Config.WorkingGroup, Prefix: e.Config.ParticipantsPrefix, Now: now}
	// Whoever made the latest revision edited the page: when that is the
	// participant or the working group, the page is theirs and its
	// history need not be read (most pages; reading every history cost
	// five requests per 500 pages).
	contributors := map[string][]string{}
	var unsure []string
	for _, p := range regPages {
		if p.Exists() {
			if user := ck.participant(p.Title); user != "" && ck.entitled(user, []string{p.User}) {
				contributors[p.Title] = []string{p.User}
			} else {
				unsure = append(unsure, p.Title)
			}
		}
	}
	if len(unsure) > 0 {
		history, err := e.Wiki.Contributors(ctx, unsure)
		if err != nil {
			return nil, err
		}
		for t, users := range history {
			contributors[t] = users
		}
	}
	checked := checkAll(ck, regPages, contributors)
	for _, c := range checked {
		st.Problems = append(st.Problems, c.problems...)
		if c.reg != nil {
			st.Registrations = append(st.Registrations, c.reg)
		}
	}
	slices.SortFunc(st.Registrations, func(a, b *Registration) int { return strings.Compare(a.Username, b.Username) })
	st.Problems = append(st.Problems, CheckRequests(st.Registrations, tx)...)
	if e.Config.EventsPrefix != "" {
		if err := e.readEvents(ctx, st); err != nil {
			return nil, fmt.Errorf("reading the events: %w", err)
		}
	}
	if e.Config.ReportHistoryPage != "" {
		if err := e.readHistory(ctx, st); err != nil {
			return nil, fmt.Errorf("reading the report's history: %w", err)
		}
	}
	if e.Config.LedgerPrefix != "" {
		if err := e.readLedger(ctx, st); err != nil {
			return nil, fmt.Errorf("reading the connections ledger: %w", err)
		}
	}
	SortProblems(st.Problems)
	e.Log.Info().Int("registrations", len(st.Registrations)).Int("problems", len(st.Problems)).Int("skills", len(tx.Skills)).Msg("sync: read")
	return st, nil
}

// readEvents reads every page under the events prefix, the resource
// submissions and the calendar page (for its state).
func (e *Engine) readEvents(ctx context.Context, st *State) error {
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
	ck := &EventChecker{Taxonomy: st.Taxonomy, Languages: st.LanguageNames}
	for _, p := range pages {
		if p.Title == e.Config.CalendarPage {
			st.CalendarPage = p
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
	slices.SortStableFunc(st.Events, func(a, b Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	slices.SortStableFunc(st.Resources, func(a, b Resource) int {
		if c := strings.Compare(a.Date, b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
	return nil
}

type checkedPage struct {
	reg      *Registration
	problems []Problem
}

// checkAll checks the registration pages on every core (pages are
// independent; at 10,000 they are most of a sync with nothing changed),
// and returns the results in the pages' order.
func checkAll(ck *Checker, pages []*wiki.Page, contributors map[string][]string) []checkedPage {
	out := make([]checkedPage, len(pages))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(pages)/200))
	var wg gosync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := ck.clone() // its memo of skill items is not shared
			for i := w; i < len(pages); i += workers {
				p := pages[i]
				if !p.Exists() {
					continue // deleted between listing and reading
				}
				out[i].reg, out[i].problems = own.Check(RegistrationPage{Title: p.Title, RevID: p.RevID, Updated: p.Timestamp, Text: p.Content, Contributors: contributors[p.Title]})
			}
		}()
	}
	wg.Wait()
	return out
}
