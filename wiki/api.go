package wiki

import (
	"context"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/accounts"
)

// API is what the bot needs of a wiki: the reads, the edits and the
// messages of the engine (package sync). *Client implements it;
// wiki/wikitest has an in-memory fake, and wiki/wikicontract runs one
// contract suite on both, so that the fake answers as MediaWiki does.
type API interface {
	User() string
	ListPrefix(ctx context.Context, prefix string) ([]PageRef, error)
	Pages(ctx context.Context, titles []string, opts ReadOptions) ([]*Page, error)
	Contributors(ctx context.Context, titles []string) (map[string][]string, error)
	LastRevisionBy(ctx context.Context, title, user string) (*Page, error)
	TalkTargets(ctx context.Context, users []string, bot, kind, optOutCategory string) (map[string]TalkTarget, error)
	NewSection(ctx context.Context, req SectionRequest) (EditResult, error)
	RevisionsAfter(ctx context.Context, title string, revID int64, max int) ([]*Page, error)
	Created(ctx context.Context, titles []string) (map[string]time.Time, error)
	Languages(ctx context.Context) (map[string]string, error)
	Accounts(ctx context.Context, names []string, since time.Time) (map[string]accounts.Standing, error)
	Renames(ctx context.Context, since time.Time) ([]accounts.Rename, error)
	Edit(ctx context.Context, req EditRequest) (EditResult, error)
}

var _ API = (*Client)(nil)
