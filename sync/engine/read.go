package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
)

// Read reads everything the tasks use: the shared nouns (the taxonomy,
// the wiki's languages, every registration) and what each task declares
// (its Reads, then its People), into a State.
func (e *Engine) Read(ctx context.Context) (*program.State, error) {
	st, _, err := e.read(ctx)
	return st, err
}

// read is Read, with what the page cache found (nil without a cache).
//
// Its requests are batched as few as they can be: the pages the tasks
// read with the taxonomy (the proposals page) share its request; each
// other Read is one listing and one request for its pages.
func (e *Engine) read(ctx context.Context) (*program.State, *pagecache.Refreshed, error) {
	now := time.Now().UTC()
	if e.Now != nil {
		now = e.Now().UTC()
	}
	cfg := e.Config.Program
	st := &program.State{Now: now, Bot: e.botName(), WorkingGroup: cfg.WorkingGroup}
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
	var withTaxonomy, reads []program.Read
	var people []*program.People
	for _, t := range e.Tasks {
		for _, r := range t.Reads {
			if r.WithTaxonomy {
				withTaxonomy = append(withTaxonomy, r)
			} else {
				reads = append(reads, r)
			}
		}
		if t.People != nil {
			people = append(people, t.People)
		}
	}

	first := []string{cfg.TaxonomyPage}
	for _, r := range withTaxonomy {
		first = append(first, r.Titles...)
	}
	pages, err := e.Wiki.Pages(ctx, first, wiki.ReadOptions{FollowRedirects: true})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the taxonomy: %w", err)
	}
	st.PagesRead += len(pages)
	if !pages[0].Exists() {
		return nil, nil, fmt.Errorf("the taxonomy page %q does not exist", cfg.TaxonomyPage)
	}
	tx, problems := program.ParseTaxonomy(cfg.TaxonomyPage, pages[0].Content)
	if len(tx.Skills) == 0 {
		return nil, nil, fmt.Errorf("the taxonomy page %q defines no skill", cfg.TaxonomyPage)
	}
	st.Taxonomy = tx
	st.Problems = append(st.Problems, problems...)
	rest := pages[1:]
	for _, r := range withTaxonomy {
		if err := e.use(ctx, st, r, rest[:len(r.Titles)]); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", r.What, err)
		}
		rest = rest[len(r.Titles):]
	}

	languages, err := e.Wiki.Languages(ctx)
	if err != nil {
		return nil, nil, err
	}
	st.LanguageNames = languages
	if err := e.readRenames(ctx, st); err != nil {
		return nil, nil, err
	}
	if err := e.readRegistrations(ctx, st); err != nil {
		return nil, nil, err
	}
	if err := e.readAccounts(ctx, st); err != nil {
		return nil, nil, err
	}
	for _, r := range reads {
		if err := e.readPages(ctx, st, r); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", r.What, err)
		}
	}
	for _, p := range people {
		if err := e.readPeople(ctx, st, p); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p.What, err)
		}
	}
	program.SortProblems(st.Problems)
	e.Log.Info().Int("registrations", len(st.Registrations)).Int("problems", len(st.Problems)).Int("skills", len(tx.Skills)).Msg("sync: read")
	return st, refreshed, nil
}

// readAccounts reads the participants' accounts (wiki.API.Accounts): who
// is blocked sitewide, and, with Config.InactiveDays, which sharers made
// no edit since then. A blocked or inactive participant is not proposed
// nor invited (program.State.Unavailable).
func (e *Engine) readAccounts(ctx context.Context, st *program.State) error {
	var names []string
	for _, r := range st.Registrations {
		names = append(names, r.Username)
	}
	if len(names) == 0 {
		return nil
	}
	var since time.Time
	if days := e.Config.Program.InactiveDays; days > 0 {
		since = st.Now.AddDate(0, 0, -days)
	}
	accounts, err := e.Wiki.Accounts(ctx, names, since)
	if err != nil {
		return fmt.Errorf("reading the participants' accounts: %w", err)
	}
	st.Blocked, st.Inactive = map[string]bool{}, map[string]string{}
	for _, r := range st.Registrations {
		a := accounts[r.Username]
		if a.Blocked || a.Locked {
			st.Blocked[r.Username] = true
		}
		if !since.IsZero() && len(r.Share) > 0 && !a.Edited {
			st.Inactive[r.Username] = program.Day(since)
		}
	}
	return nil
}

// RenamesWindow is how far back a run without a cache reads the user
// rename log (a cache reads it since its last look): a rename is applied
// to the ledger by the first delivery after it, so only a rename the bot
// has not yet met must be read again.
const RenamesWindow = 90 * 24 * time.Hour

// readRenames reads the user renames of the last RenamesWindow
// (wiki.API.Renames) into State.Renamed: a renamed participant's
// registration, requests, connections and messages are read under their
// new name.
func (e *Engine) readRenames(ctx context.Context, st *program.State) error {
	log, err := e.Wiki.Renames(ctx, st.Now.Add(-RenamesWindow))
	if err != nil {
		return fmt.Errorf("reading the user renames: %w", err)
	}
	// Oldest first: after A → B and B → C, both A and B are C; a name
	// renamed back to what it was is no rename.
	st.Renamed = program.Renames{}
	for _, r := range log {
		for f, cur := range st.Renamed {
			if cur == r.Old {
				st.Renamed[f] = r.New
			}
		}
		st.Renamed[r.Old] = r.New
	}
	maps.DeleteFunc(st.Renamed, func(f, cur string) bool { return f == cur })
	return nil
}

// readRegistrations reads every registration page and checks it
// (program.Checker): the valid ones into the State, the others' problems.
func (e *Engine) readRegistrations(ctx context.Context, st *program.State) error {
	cfg := e.Config.Program
	refs, err := e.Wiki.ListPrefix(ctx, cfg.ParticipantsPrefix)
	if err != nil {
		return fmt.Errorf("listing registrations: %w", err)
	}
	var titles []string
	for _, r := range refs {
		if program.IsRegistration(r.Title, cfg.ParticipantsPrefix, r.Redirect) {
			titles = append(titles, r.Title)
		}
	}
	regPages, err := e.Wiki.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return fmt.Errorf("reading registrations: %w", err)
	}
	st.PagesRead += len(regPages)
	ck := &program.Checker{Taxonomy: st.Taxonomy, Languages: st.LanguageNames, WorkingGroup: cfg.WorkingGroup, Prefix: cfg.ParticipantsPrefix, Now: st.Now, Renamed: st.Renamed}
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
			return err
		}
		for t, users := range history {
			contributors[t] = users
		}
	}
	var toCheck []program.RegistrationPage
	for _, p := range regPages {
		if p.Exists() { // not deleted between listing and reading
			toCheck = append(toCheck, program.RegistrationPage{Title: p.Title, RevID: p.RevID, Updated: p.Timestamp, Text: p.Content, Contributors: contributors[p.Title]})
		}
	}
	regs, problems := ck.CheckAll(toCheck)
	st.Registrations = regs
	st.Problems = append(st.Problems, problems...)
	st.Problems = append(st.Problems, program.CheckRequests(st.Registrations, st.Taxonomy)...)
	return nil
}

// readPages does a task's Read: the prefix's listing (but redirects and
// the titles Keep refuses), then its pages and Titles in one request.
func (e *Engine) readPages(ctx context.Context, st *program.State, r program.Read) error {
	var titles []string
	if r.Prefix != "" {
		refs, err := e.Wiki.ListPrefix(ctx, r.Prefix)
		if err != nil {
			return err
		}
		for _, ref := range refs {
			if !ref.Redirect && (r.Keep == nil || r.Keep(ref.Title)) {
				titles = append(titles, ref.Title)
			}
		}
	}
	for _, t := range r.Titles {
		if t != "" && !slices.Contains(titles, t) {
			titles = append(titles, t)
		}
	}
	pages, err := e.Wiki.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return err
	}
	st.PagesRead += len(pages)
	return e.use(ctx, st, r, pages)
}

// use hands a Read's pages to the task, with who changed which row of
// each (that exists) when the task asks (Read.Rows).
func (e *Engine) use(ctx context.Context, st *program.State, r program.Read, pages []*wiki.Page) error {
	read := make([]program.ReadPage, len(pages))
	for i, p := range pages {
		read[i].Page = pageOf(p)
		if r.Rows == nil || !p.Exists() {
			continue
		}
		changedBy, botLast, err := e.rowChanges(ctx, read[i].Page, func(text string) map[string]string { return r.Rows(st, p.Title, text) })
		if err != nil {
			return err
		}
		read[i].ChangedBy, read[i].BotLast = changedBy, botLast
	}
	return r.Use(st, read)
}

// readPeople does a task's People read (a sync task's): the talk pages of
// its audience and the opt-out list (when it has an audience), then the
// creation times it needs.
func (e *Engine) readPeople(ctx context.Context, st *program.State, p *program.People) error {
	optedOut, talk := map[string]bool{}, map[string]program.TalkPage{}
	if users := p.Audience(st); len(users) > 0 {
		var err error
		if optedOut, err = e.readOptOut(ctx); err != nil {
			return err
		}
		if talk, err = e.talkPages(ctx, users); err != nil {
			return err
		}
	}
	if err := e.readCreated(ctx, st, p.Created(st)); err != nil {
		return err
	}
	p.Use(st, talk, optedOut)
	return nil
}

// readCreated reads when the registration pages titles were created
// (Registration.Created).
func (e *Engine) readCreated(ctx context.Context, st *program.State, titles []string) error {
	if len(titles) == 0 {
		return nil
	}
	created, err := e.Wiki.Created(ctx, titles)
	if err != nil {
		return err
	}
	for _, r := range st.Registrations {
		if at, ok := created[r.Page]; ok {
			r.Created = at
		}
	}
	return nil
}

// readOptOut reads the project's opt-out list (program.OptedOut).
func (e *Engine) readOptOut(ctx context.Context) (map[string]bool, error) {
	page := e.Config.Messages.OptOutPage
	if page == "" {
		return map[string]bool{}, nil
	}
	pages, err := e.Wiki.Pages(ctx, []string{page}, wiki.ReadOptions{FollowRedirects: true})
	if err != nil {
		return nil, fmt.Errorf("reading the opt-out list: %w", err)
	}
	return program.OptedOut(pages[0].Content), nil
}

// talkPages reads the talk pages of users, as the tasks see them.
func (e *Engine) talkPages(ctx context.Context, users []string) (map[string]program.TalkPage, error) {
	out := map[string]program.TalkPage{}
	if len(users) == 0 {
		return out, nil
	}
	targets, err := e.Wiki.TalkTargets(ctx, users, e.botName(), program.OptOutKind, e.Config.Messages.OptOutCategory)
	if err != nil {
		return nil, fmt.Errorf("reading talk pages: %w", err)
	}
	for u, t := range targets {
		out[u] = program.TalkPage{Title: t.Title, Page: pageOf(t.Page), RedirectedFrom: t.RedirectedFrom, Skip: t.Skip}
	}
	return out, nil
}

// pageOf is a page read through the wiki client as the tasks get it: a
// copy (a cache keeps its own), with what a plan uses of it (a page that
// does not exist has no revision).
func pageOf(p *wiki.Page) *wiki.Page {
	if p == nil {
		return nil
	}
	d := &wiki.Page{Title: p.Title, Timestamp: p.Timestamp, User: p.User, Content: p.Content}
	if p.Exists() {
		d.RevID = p.RevID
	}
	return d
}
