// Package accounts reads participants' accounts as MediaWiki tells them:
// whether each exists and is blocked sitewide (list=users), when each
// last edited (list=usercontribs, a batch of users at once), and who the
// block log names since a time, so that a cache reads again only those.
//
// It speaks to the wiki through the client's query surface (Querier:
// *wiki.Client's Query and QueryAll, which carry its retries, its
// User-Agent and its maxlag); go-mwclient stays behind package wiki.
package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// Querier is the wiki client's query surface (*wiki.Client).
type Querier interface {
	// Query sends one action=query request (a POST when post) and returns
	// its answer's body and whether the answer has a continuation.
	Query(ctx context.Context, params map[string]string, post bool) (body []byte, more bool, err error)
	// QueryAll runs a query and each of its continuations.
	QueryAll(ctx context.Context, params map[string]string, post bool, handle func(raw []byte) error) error
	// BatchSize is how many names a request may carry (50, or 500 with
	// apihighlimits).
	BatchSize() int
}

// Standing is what the program needs of a participant's account to
// propose them: blocked sitewide, and whether they edited lately.
type Standing struct {
	Blocked bool
	// Missing: no such account (or not a possible user name).
	Missing bool
	// Edited: an edit at or after the time Accounts was asked about.
	Edited bool
	// LastEdit is the latest such edit the reader knows of, when the wiki
	// said when (zero otherwise); a cache (wiki/pagecache) keeps it to
	// know, at a later cutoff, who is still active without asking.
	LastEdit time.Time
	// BlockExpiry: when the block ends (zero: no end, or not blocked).
	BlockExpiry time.Time
	// Locked: the global account is locked (CentralAuth: it cannot log in
	// on any wiki of the farm).
	Locked bool
}

// Read looks up accounts (keyed by the names as given): whether each is
// blocked sitewide (list=users with blockinfo, in batches) and, when since
// is not zero, whether it edited since then (Contributions).
func Read(ctx context.Context, c Querier, names []string, since time.Time) (map[string]Standing, error) {
	users, err := Users(ctx, c, names)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Standing, len(names))
	var existing []string
	for _, name := range names {
		u := users[name]
		out[name] = Standing{Blocked: u.Blocked, BlockExpiry: u.BlockExpiry, Missing: !u.Exists || u.Invalid}
		if u.Exists && !u.Invalid {
			existing = append(existing, u.Name)
		}
	}
	if since.IsZero() || len(existing) == 0 {
		return out, nil
	}
	last, err := Contributions(ctx, c, existing, since)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if at, ok := last[users[name].Name]; ok {
			a := out[name]
			a.Edited, a.LastEdit = true, at
			out[name] = a
		}
	}
	return out, nil
}

// Contributions returns, for each of the users (normalised names) who
// edited at or after since, their latest edit's time (zero when the wiki
// did not say): list=usercontribs for a batch of users at once, down to
// since, only the user and timestamp of each edit. A query over a batch
// is asked again without the users its first page already showed, rather
// than continued, so that one prolific editor costs one request and not
// one per page of their edits: a batch costs one request, plus one per
// page of edits that does not close the batch.
func Contributions(ctx context.Context, c Querier, users []string, since time.Time) (map[string]time.Time, error) {
	users = slices.Clone(users)
	slices.Sort(users)
	users = slices.Compact(users)
	last := map[string]time.Time{}
	size := c.BatchSize()
	for start := 0; start < len(users); start += size {
		batch := users[start:min(start+size, len(users))]
		for len(batch) > 0 {
			var resp struct {
				Query struct {
					UserContribs []struct {
						User      string    `json:"user"`
						Timestamp time.Time `json:"timestamp"`
					} `json:"usercontribs"`
				} `json:"query"`
			}
			body, more, err := c.Query(ctx, map[string]string{
				"action": "query", "list": "usercontribs", "ucuser": strings.Join(batch, "|"),
				"ucend": since.UTC().Format(time.RFC3339), "ucprop": "timestamp", "uclimit": "max",
			}, true)
			if err == nil {
				err = json.Unmarshal(body, &resp)
			}
			if err != nil {
				return nil, fmt.Errorf("wiki: reading users' contributions: %w", err)
			}
			for _, uc := range resp.Query.UserContribs {
				name := wikitext.NormalizeUser(uc.User)
				if at, seen := last[name]; !seen || uc.Timestamp.After(at) {
					last[name] = uc.Timestamp
				}
			}
			if !more {
				break
			}
			rest := slices.DeleteFunc(slices.Clone(batch), func(u string) bool { _, seen := last[u]; return seen })
			if len(rest) == len(batch) {
				return nil, fmt.Errorf("wiki: reading users' contributions: a page of contributions named none of %d users", len(batch))
			}
			batch = rest
		}
	}
	return last, nil
}

// BlockLog returns the users named by the block log (blocks, unblocks,
// changed blocks) at or after since, each once, in the order of their
// first entry: list=logevents with letype=block, oldest first, following
// continuation. Entries whose target is hidden are left out.
func BlockLog(ctx context.Context, c Querier, since time.Time) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	params := map[string]string{
		"action": "query", "list": "logevents", "letype": "block", "ledir": "newer",
		"lestart": since.UTC().Format(time.RFC3339), "leprop": "title", "lelimit": "max",
	}
	err := c.QueryAll(ctx, params, false, func(raw []byte) error {
		var resp struct {
			Query struct {
				LogEvents []struct {
					Title string `json:"title"`
				} `json:"logevents"`
			} `json:"query"`
		}
		if err := json.Unmarshal(raw, &resp); err != nil {
			return err
		}
		for _, ev := range resp.Query.LogEvents {
			// The target is User:NAME (a user name holds no colon).
			_, name, ok := strings.Cut(ev.Title, ":")
			if !ok || name == "" {
				continue
			}
			if name = wikitext.NormalizeUser(name); !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("wiki: reading the block log: %w", err)
	}
	return out, nil
}

// Rename is one entry of the user rename log: the account Old is called
// New since At.
type Rename struct {
	Old, New string
	At       time.Time
}

// Renames returns the user renames logged at or after since, oldest
// first (list=logevents with letype=renameuser, following continuation:
// one request per 500 entries, 5,000 with apihighlimits). On Wikimedia a
// global rename writes such an entry on every wiki where the account has
// edited. Entries whose details are hidden are left out.
func Renames(ctx context.Context, c Querier, since time.Time) ([]Rename, error) {
	var out []Rename
	params := map[string]string{
		"action": "query", "list": "logevents", "letype": "renameuser", "ledir": "newer",
		"lestart": since.UTC().Format(time.RFC3339), "leprop": "details|timestamp", "lelimit": "max",
	}
	err := c.QueryAll(ctx, params, false, func(raw []byte) error {
		var resp struct {
			Query struct {
				LogEvents []struct {
					Timestamp time.Time `json:"timestamp"`
					Params    struct {
						OldUser string `json:"olduser"`
						NewUser string `json:"newuser"`
					} `json:"params"`
				} `json:"logevents"`
			} `json:"query"`
		}
		if err := json.Unmarshal(raw, &resp); err != nil {
			return err
		}
		for _, ev := range resp.Query.LogEvents {
			old, new := wikitext.NormalizeUser(ev.Params.OldUser), wikitext.NormalizeUser(ev.Params.NewUser)
			if old != "" && new != "" && old != new {
				out = append(out, Rename{Old: old, New: new, At: ev.Timestamp})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("wiki: reading the user rename log: %w", err)
	}
	return out, nil
}

// Locked marks, in accounts (keyed by the names as asked), the accounts
// whose global account is locked: CentralAuth's list=globalusers with
// gusprop=locked, for a batch of names at once (500 a request with
// apihighlimits, 50 without). Only a wiki that runs CentralAuth answers.
func Locked(ctx context.Context, c Querier, accounts map[string]Standing) error {
	var names []string
	for n, a := range accounts {
		if !a.Missing {
			names = append(names, wikitext.NormalizeUser(n))
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	locked := map[string]bool{}
	size := c.BatchSize()
	for start := 0; start < len(names); start += size {
		err := c.QueryAll(ctx, map[string]string{
			"action": "query", "list": "globalusers", "gususers": strings.Join(names[start:min(start+size, len(names))], "|"), "gusprop": "locked",
		}, true, func(raw []byte) error {
			var resp struct {
				Query struct {
					GlobalUsers []struct {
						Name   string `json:"name"`
						Locked bool   `json:"locked"`
					} `json:"globalusers"`
				} `json:"query"`
			}
			if err := json.Unmarshal(raw, &resp); err != nil {
				return err
			}
			for _, u := range resp.Query.GlobalUsers {
				if u.Locked {
					locked[wikitext.NormalizeUser(u.Name)] = true
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("wiki: reading global locks: %w", err)
		}
	}
	for n, a := range accounts {
		a.Locked = locked[wikitext.NormalizeUser(n)]
		accounts[n] = a
	}
	return nil
}
