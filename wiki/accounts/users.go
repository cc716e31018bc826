package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// UserStatus is what the bot must know of an account before it writes to
// its talk page.
type UserStatus struct {
	Name    string // as the wiki normalises it
	Exists  bool
	Invalid bool // not a possible user name (an IP range, a bad character)
	// Blocked: blocked from editing the whole wiki (a partial block does
	// not count); the bot leaves blocked users alone.
	Blocked     bool
	BlockReason string
	// BlockExpiry: when the block ends; zero for a block without end.
	BlockExpiry time.Time
}

// Users looks accounts up (list=users), in batches. The result is keyed by
// the names as given.
func Users(ctx context.Context, c Querier, names []string) (map[string]UserStatus, error) {
	out := make(map[string]UserStatus, len(names))
	// "|" separates names in the request; no user name contains it.
	var valid []string
	for _, name := range names {
		if strings.ContainsAny(name, "|\x00\n") || strings.TrimSpace(name) == "" {
			out[name] = UserStatus{Name: name, Invalid: true}
			continue
		}
		valid = append(valid, name)
	}
	names = valid
	size := c.BatchSize()
	for start := 0; start < len(names); start += size {
		batch := names[start:min(start+size, len(names))]
		var resp struct {
			Query struct {
				Users []struct {
					Name         string `json:"name"`
					UserID       int64  `json:"userid"`
					Missing      bool   `json:"missing"`
					Invalid      bool   `json:"invalid"`
					BlockID      int64  `json:"blockid"`
					BlockReason  string `json:"blockreason"`
					BlockPartial bool   `json:"blockpartial"`
					BlockExpiry  string `json:"blockexpiry"`
				} `json:"users"`
			} `json:"query"`
		}
		body, _, err := c.Query(ctx, map[string]string{
			"action": "query", "list": "users", "ususers": strings.Join(batch, "|"), "usprop": "blockinfo",
		}, true)
		if err == nil {
			err = json.Unmarshal(body, &resp)
		}
		if err != nil {
			return nil, fmt.Errorf("wiki: looking up users: %w", err)
		}
		byName := map[string]UserStatus{}
		for _, u := range resp.Query.Users {
			byName[u.Name] = UserStatus{
				Name: u.Name, Exists: u.UserID != 0 && !u.Missing, Invalid: u.Invalid,
				Blocked: u.BlockID != 0 && !u.BlockPartial, BlockReason: u.BlockReason,
			}
			if st := byName[u.Name]; st.Blocked {
				// "infinite", or a time.
				st.BlockExpiry, _ = time.Parse(time.RFC3339, u.BlockExpiry)
				byName[u.Name] = st
			}
		}
		// list=users answers with the normalised names and no mapping.
		for _, name := range batch {
			key := wikitext.NormalizeUser(name)
			st, ok := byName[key]
			if !ok {
				st = UserStatus{Name: key, Invalid: true}
			}
			out[name] = st
		}
	}
	return out, nil
}
