package wiki

import (
	"context"
	"errors"
	"slices"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/accounts"
)

// Users looks accounts up (accounts.Users), keyed by the names as given.
func (c *Client) Users(ctx context.Context, names []string) (map[string]accounts.UserStatus, error) {
	return accounts.Users(ctx, c, names)
}

// Accounts reads participants' accounts: blocked sitewide, and edited
// since since when it is not zero (accounts.Read); on a wiki that runs
// CentralAuth (siteinfo's extensions, read once per client), locked
// globally too (accounts.Locked).
func (c *Client) Accounts(ctx context.Context, names []string, since time.Time) (map[string]accounts.Standing, error) {
	out, err := accounts.Read(ctx, c, names, since)
	if err != nil {
		return nil, err
	}
	si, err := c.SiteInfo(ctx)
	if err != nil || !slices.Contains(si.Extensions, "CentralAuth") {
		return out, err
	}
	// list=globalusers is CentralAuth's newer module: a wiki whose
	// CentralAuth lacks it refuses the request, and locks go unread there.
	var refused *APIError
	if err := accounts.Locked(ctx, c, out); errors.As(err, &refused) {
		c.log.Warn().Err(err).Msg("wiki: global locks not read (this CentralAuth has no list=globalusers)")
	} else if err != nil {
		return nil, err
	}
	return out, nil
}

// Contributions returns each user's latest edit at or after since
// (accounts.Contributions).
func (c *Client) Contributions(ctx context.Context, users []string, since time.Time) (map[string]time.Time, error) {
	return accounts.Contributions(ctx, c, users, since)
}

// BlockLog returns the users the block log names at or after since
// (accounts.BlockLog).
func (c *Client) BlockLog(ctx context.Context, since time.Time) ([]string, error) {
	return accounts.BlockLog(ctx, c, since)
}

// Renames returns the user renames logged at or after since, oldest
// first (accounts.Renames).
func (c *Client) Renames(ctx context.Context, since time.Time) ([]accounts.Rename, error) {
	return accounts.Renames(ctx, c, since)
}
