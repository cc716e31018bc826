package sync

import (
	"context"
	"fmt"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// readLedger reads every ledger page and its rows, and works out which
// rows the bot may act on (see ledgerTrust).
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
	st.LedgerPages = map[string]*domain.LedgerPage{}
	seen := map[string]string{}
	for _, p := range pages {
		if !p.Exists() {
			continue
		}
		year, part, _ := e.Config.ParseLedgerTitle(p.Title)
		lp := &domain.LedgerPage{Page: pageOf(p), Year: year, Part: part}
		st.LedgerPages[p.Title] = lp
		rows, problems := domain.ParseLedger(p.Title, p.Content, st.Taxonomy)
		st.Problems = append(st.Problems, problems...)
		if err := e.ledgerTrust(ctx, st, lp, rows); err != nil {
			return err
		}
		for _, c := range rows {
			if other, dup := seen[c.ID]; dup {
				st.Problems = append(st.Problems, domain.Problem{Page: p.Title, Field: "id", Message: fmt.Sprintf(
					"the connection %s is on the ledger twice (also on %s); the bot uses the first and keeps both", c.ID, other)})
				c.Status = "" // kept, never acted on
			}
			seen[c.ID] = p.Title
			st.Ledger = append(st.Ledger, c)
		}
	}
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

// ledgerTrust marks the rows changed since the bot's last revision by
// someone who may not make that change: anyone outside the working group
// adding a row or changing who or what it connects, and a participant
// setting a state other than accepted, declined, met or cancelled, or on a
// connection they are not part of. Such rows are kept, with unconfirmed=,
// and not acted on until a working-group member edits them: otherwise
// anyone could make the bot message anyone.
func (e *Engine) ledgerTrust(ctx context.Context, st *domain.State, lp *domain.LedgerPage, rows []*domain.Connection) error {
	rowsOf := func(text string) map[string]string {
		parsed, _ := domain.ParseLedger(lp.Page.Title, text, st.Taxonomy)
		out := map[string]string{}
		for _, c := range parsed {
			out[c.ID] = c.Row(st.Taxonomy)
		}
		return out
	}
	defer func() {
		for _, c := range rows {
			if c.Unconfirmed != "" {
				st.Problems = append(st.Problems, domain.UnconfirmedChange(lp.Page.Title, c))
			}
		}
	}()
	changedBy, botLast, err := e.rowChanges(ctx, lp.Page, rowsOf)
	if err != nil || botLast == nil {
		return err
	}
	lp.BotLast = botLast
	before := map[string]*domain.Connection{}
	if prev, _ := domain.ParseLedger(lp.Page.Title, botLast.Content, st.Taxonomy); botLast.RevID != 0 {
		for _, c := range prev {
			before[c.ID] = c
		}
	}
	for _, c := range rows {
		who, changed := changedBy[c.ID]
		if !changed {
			continue
		}
		if e.inWorkingGroup(who) {
			c.Unconfirmed = ""
			continue
		}
		who = wikitext.NormalizeUser(who)
		if domain.ParticipantMayChange(before[c.ID], c, who) {
			continue
		}
		c.Unconfirmed = who
	}
	return nil
}
