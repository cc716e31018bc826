package wiki

import "context"

// An administrator's actions, for the tests in this folder, package wiki
// and package wiki_test (the contract suite, which cannot reach the
// client's unexported call): the bot never deletes, blocks or creates
// accounts, so these are no part of the client's API.

// CreateAccountForTest creates the account name (with a throwaway
// password), as anyone may through Special:CreateAccount.
func (c *Client) CreateAccountForTest(ctx context.Context, name string) error {
	var tok struct {
		Query struct {
			Tokens struct {
				Create string `json:"createaccounttoken"`
			} `json:"tokens"`
		} `json:"query"`
	}
	if err := c.call(ctx, request{params: map[string]string{"action": "query", "meta": "tokens", "type": "createaccount"}}, &tok); err != nil {
		return err
	}
	return c.call(ctx, request{post: true, write: true, params: map[string]string{
		"action": "createaccount", "username": name, "password": "a-Long-password-123", "retype": "a-Long-password-123",
		"createreturnurl": "http://127.0.0.1/", "createtoken": tok.Query.Tokens.Create,
	}}, nil)
}

// BlockForTest blocks user from editing the whole wiki, for ever; c's
// account must be a sysop.
func (c *Client) BlockForTest(ctx context.Context, user, reason string) error {
	return c.call(ctx, request{post: true, write: true, token: "csrf", params: map[string]string{
		"action": "block", "user": user, "expiry": "infinite", "reason": reason,
	}}, nil)
}

// DeleteForTest deletes title; c's account must be a sysop.
func (c *Client) DeleteForTest(ctx context.Context, title string) error {
	return c.call(ctx, request{post: true, write: true, token: "csrf", params: map[string]string{
		"action": "delete", "title": title, "reason": "test",
	}}, nil)
}
