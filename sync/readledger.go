package sync

import (
	"context"
	"fmt"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// readLedger reads every ledger page and who changed its rows since the
// bot's last revision, for the domain's rules (domain.ReadLedger).
func (e *Engine) readLedger(ctx context.Context, st *domain.State) error {
	refs, err := e.Wiki.ListPrefix(ctx, e.Config.LedgerPrefix)
	if err != nil {
		return err
	}
	var titles []string
	for _, r := range refs {
		if _, _, ok := e.Config.ParseLedgerTitle(r.Title); ok && !r.Redirect {
			titles = append(titles, r.Title)
		}
	}
	pages, err := e.Wiki.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return err
	}
	st.PagesRead += len(pages)
	var read []domain.LedgerRead
	for _, p := range pages {
		if !p.Exists() {
			continue
		}
		year, part, _ := e.Config.ParseLedgerTitle(p.Title)
		r := domain.LedgerRead{Page: &domain.LedgerPage{Page: pageOf(p), Year: year, Part: part}}
		r.ChangedBy, r.BotLast, err = e.rowChanges(ctx, r.Page.Page, func(text string) map[string]string { return domain.LedgerRows(p.Title, text, st.Taxonomy) })
		if err != nil {
			return err
		}
		read = append(read, r)
	}
	domain.ReadLedger(st, read, e.Config.WorkingGroup, e.botName())
	return nil
}

// readOutreach reads the invitations page: the welcomes and invitations
// posted.
func (e *Engine) readOutreach(ctx context.Context, st *domain.State) error {
	pages, err := e.Wiki.Pages(ctx, []string{e.Config.OutreachPage}, wiki.ReadOptions{})
	if err != nil {
		return fmt.Errorf("reading the invitations page: %w", err)
	}
	st.PagesRead++
	if p := pages[0]; p.Exists() {
		st.OutreachPage = pageOf(p)
		st.Outreach = domain.ParseOutreach(p.Content)
	}
	return nil
}

// readCreated reads when the registrations that may get a welcome were
// created (domain.Config.WelcomeCandidates: few, after the first run).
func (e *Engine) readCreated(ctx context.Context, st *domain.State) error {
	return e.readCreatedOf(ctx, st, e.Config.WelcomeCandidates(st))
}

// readCreatedOf reads when the registration pages titles were created.
func (e *Engine) readCreatedOf(ctx context.Context, st *domain.State, titles []string) error {
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
