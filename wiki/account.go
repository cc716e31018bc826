package wiki

import (
	"context"
	"fmt"
	"slices"
)

// Account is the account a client acts as, as the wiki sees it.
type Account struct {
	Name string // "" when anonymous
	ID   int64  // 0 when anonymous
	// Groups are the account's user groups ("user", "bot", ...).
	Groups []string
	// Rights are what the account may do in this session: for a
	// BotPassword or an OAuth consumer, the rights of its groups narrowed
	// to the grants it was given.
	Rights []string
	// Blocked: blocked from editing the whole wiki (a partial block does
	// not count).
	Blocked     bool
	BlockReason string
}

// Anonymous reports whether the client is not logged in.
func (a Account) Anonymous() bool { return a.ID == 0 }

// HasRight reports whether the account has a user right in this session.
func (a Account) HasRight(right string) bool { return slices.Contains(a.Rights, right) }

// InGroup reports whether the account is in a user group.
func (a Account) InGroup(group string) bool { return slices.Contains(a.Groups, group) }

// Account reads the account the client acts as: its name, groups, rights
// and block (action=query&meta=userinfo). Unlike the rights read at login,
// it asks the wiki again and also returns the groups, so that a caller can
// tell a missing group from a missing grant.
func (c *Client) Account(ctx context.Context) (Account, error) {
	a, err := c.readAccount(ctx, false)
	if err != nil {
		return Account{}, fmt.Errorf("wiki: reading the account: %w", err)
	}
	return a, nil
}

// readAccount is meta=userinfo: Account's and the login's one read of
// who the client is. noAssert leaves out the assertion (the login reads
// it to learn who it is).
func (c *Client) readAccount(ctx context.Context, noAssert bool) (Account, error) {
	var resp struct {
		Query struct {
			UserInfo struct {
				ID           int64    `json:"id"`
				Name         string   `json:"name"`
				Anon         bool     `json:"anon"`
				Groups       []string `json:"groups"`
				Rights       []string `json:"rights"`
				BlockID      int64    `json:"blockid"`
				BlockReason  string   `json:"blockreason"`
				BlockPartial bool     `json:"blockpartial"`
			} `json:"userinfo"`
		} `json:"query"`
	}
	err := c.call(ctx, request{params: map[string]string{
		"action": "query", "meta": "userinfo", "uiprop": "rights|groups|blockinfo",
	}, noAssert: noAssert}, &resp)
	if err != nil {
		return Account{}, err
	}
	ui := resp.Query.UserInfo
	if ui.Anon || ui.ID == 0 {
		return Account{Groups: ui.Groups, Rights: ui.Rights}, nil
	}
	return Account{
		Name: ui.Name, ID: ui.ID, Groups: ui.Groups, Rights: ui.Rights,
		Blocked: ui.BlockID != 0 && !ui.BlockPartial, BlockReason: ui.BlockReason,
	}, nil
}

// MainPage returns the title of the wiki's main page (siteinfo's
// general.mainpage, read once with the rest of the site info).
func (c *Client) MainPage(ctx context.Context) (string, error) {
	si, err := c.SiteInfo(ctx)
	if err != nil {
		return "", err
	}
	if si.MainPage == "" {
		return "", fmt.Errorf("wiki: site info names no main page")
	}
	return si.MainPage, nil
}
