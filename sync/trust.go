package sync

import (
	"context"
	"errors"
	"slices"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// rowChanges tells, for a page whose rows people edit (the proposals, the
// ledger), who made each row's latest change since the bot's last
// revision. rows maps a text's rows to their raw text by key. It returns
// the bot's last revision too (nil when the bot made the latest one, and
// then nothing changed).
//
// Who changed a row decides whether the bot acts on it: only the working
// group approves connections, so anyone else's edit to a row is kept on
// the page but not used.
func (e *Engine) rowChanges(ctx context.Context, page *domain.Page, rows func(text string) map[string]string) (changedBy map[string]string, botLast *domain.Page, err error) {
	bot := e.botName()
	if !page.Exists() || page.User == bot {
		return nil, nil, nil
	}
	if bot == "" {
		// A dry run without credentials or MW_BOT_USER: nothing is
		// written, and without the bot's name its revisions cannot be told
		// from people's. It says so and takes the rows as they are.
		e.Log.Warn().Str("page", page.Title).Msg("sync: the bot's account is unknown (no credentials and no MW_BOT_USER): this dry run takes every row of the page as decided by the working group")
		return nil, nil, nil
	}
	read, err := e.Wiki.LastRevisionBy(ctx, page.Title, bot)
	if err != nil {
		return nil, nil, err
	}
	last := pageOf(read)
	prev := rows(last.Content)
	changedBy = map[string]string{}
	revs, err := e.Wiki.RevisionsAfter(ctx, page.Title, last.RevID, 50)
	if err != nil && !errors.Is(err, wiki.ErrTooManyRevisions) {
		return nil, nil, err // the wiki did not answer: not a reason to distrust anyone
	}
	if err != nil {
		// Too many to read: every row changed since the bot's version
		// counts as changed by someone unknown, so none is used.
		for k, raw := range rows(page.Content) {
			if prev[k] != raw {
				changedBy[k] = "someone (too many edits since the bot's last version to tell who)"
			}
		}
		return changedBy, last, nil
	}
	for _, r := range revs {
		cur := rows(r.Content)
		for k, raw := range cur {
			if prev[k] != raw {
				changedBy[k] = r.User
			}
		}
		prev = cur
	}
	return changedBy, last, nil
}

// inWorkingGroup reports whether user may decide for the working group:
// a member (LC_WORKING_GROUP) or the bot itself.
func (e *Engine) inWorkingGroup(user string) bool {
	u := wikitext.NormalizeUser(user)
	return u == wikitext.NormalizeUser(e.botName()) || slices.ContainsFunc(e.Config.WorkingGroup, func(w string) bool { return wikitext.NormalizeUser(w) == u })
}
