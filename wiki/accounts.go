package wiki

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// Standing is what the program needs of a participant's account to
// propose them: blocked sitewide, and whether they edited lately.
type Standing struct {
	Blocked bool
	// Edited: an edit at or after the time Accounts was asked about.
	Edited bool
}

// Accounts looks up accounts (keyed by the names as given): whether each
// is blocked sitewide (list=users with blockinfo, in batches) and, when
// since is not zero, whether it edited since then (list=usercontribs for a
// batch of users at once, newest first, down to since, only the user and
// timestamp of each edit). A query over a batch is asked again without the
// users its first page already showed, rather than continued, so that
// one prolific editor costs one request and not one per page of their
// edits: a batch costs one request, plus one per page of edits that does
// not close the batch.
func (c *Client) Accounts(ctx context.Context, names []string, since time.Time) (map[string]Standing, error) {
	users, err := c.Users(ctx, names)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Standing, len(names))
	var existing []string
	for _, name := range names {
		u := users[name]
		out[name] = Standing{Blocked: u.Blocked}
		if u.Exists && !u.Invalid {
			existing = append(existing, u.Name)
		}
	}
	if since.IsZero() || len(existing) == 0 {
		return out, nil
	}
	slices.Sort(existing)
	existing = slices.Compact(existing)
	edited := map[string]bool{}
	size := c.BatchSize()
	for start := 0; start < len(existing); start += size {
		batch := existing[start:min(start+size, len(existing))]
		for len(batch) > 0 {
			var resp struct {
				envelope
				Query struct {
					UserContribs []struct {
						User string `json:"user"`
					} `json:"usercontribs"`
				} `json:"query"`
			}
			err := c.call(ctx, request{post: true, params: map[string]string{
				"action": "query", "list": "usercontribs", "ucuser": strings.Join(batch, "|"),
				"ucend": since.UTC().Format(time.RFC3339), "ucprop": "timestamp", "uclimit": "max",
			}}, &resp)
			if err != nil {
				return nil, fmt.Errorf("wiki: reading users' contributions: %w", err)
			}
			for _, uc := range resp.Query.UserContribs {
				edited[wikitext.NormalizeUser(uc.User)] = true
			}
			if resp.Continue == nil {
				break
			}
			rest := slices.DeleteFunc(slices.Clone(batch), func(u string) bool { return edited[u] })
			if len(rest) == len(batch) {
				return nil, fmt.Errorf("wiki: reading users' contributions: a page of contributions named none of %d users", len(batch))
			}
			batch = rest
		}
	}
	for _, name := range names {
		if u := users[name]; edited[u.Name] {
			a := out[name]
			a.Edited = true
			out[name] = a
		}
	}
	return out, nil
}
