package engine

import (
	"context"
	"errors"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// rowChanges reads, for a page whose rows people edit (the proposals, the
// ledger), the bot's last revision and the revisions since, and tells who
// made each row's latest change (program.ChangedRows). rows maps a text's
// rows to their raw text by key. It returns the bot's last revision too
// (nil when the bot made the latest one, and then nothing changed).
func (e *Engine) rowChanges(ctx context.Context, page *wiki.Page, rows func(text string) map[string]string) (changedBy map[string]string, botLast *wiki.Page, err error) {
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
	revs, err := e.Wiki.RevisionsAfter(ctx, page.Title, last.RevID, 50)
	if err != nil && !errors.Is(err, wiki.ErrTooManyRevisions) {
		return nil, nil, err // the wiki did not answer: not a reason to distrust anyone
	}
	var after []*wiki.Page
	for _, r := range revs {
		after = append(after, pageOf(r))
	}
	return program.ChangedRows(rows, last, page, after, err != nil), last, nil
}
