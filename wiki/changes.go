package wiki

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Change is one entry of the wiki's recent changes: an edit, a page
// creation or a log action (deletion, move, import, ...).
type Change struct {
	RCID      int64
	Type      string // "edit", "new" or "log"
	Title     string // the page, as the wiki writes it
	Namespace int
	RevID     int64 // the new revision (edits and creations)
	Timestamp time.Time
	LogType   string // "delete", "move", "import", ... (log entries)
	LogAction string
	// Target is where a move took the page (log entries of type move).
	Target string
	// User made the change (for an edit, its author; "" when hidden).
	User string
	// OldUser and NewUser: a user rename's names (log type renameuser).
	OldUser, NewUser string
}

// RecentChanges is what changed since a time, and the wiki's clock when it
// answered: the next look starts from Now.
type RecentChanges struct {
	Changes []Change
	Now     time.Time
}

// RecentChanges lists the edits, creations and log actions in the given
// namespaces (all when none) made at or after since, oldest first,
// following continuation. It reads no page content: one request per
// rclimit entries (500, or 5000 with apihighlimits).
//
// MediaWiki keeps recent changes for $wgRCMaxAge (90 days on Wikimedia);
// callers must not rely on it for older times. Pages imported by the
// maintenance script importDump.php leave no recent change.
func (c *Client) RecentChanges(ctx context.Context, since time.Time, namespaces []int) (RecentChanges, error) {
	params := map[string]string{
		"action":       "query",
		"list":         "recentchanges",
		"rcstart":      since.UTC().Format(time.RFC3339),
		"rcdir":        "newer",
		"rctype":       "edit|new|log",
		"rcprop":       "title|ids|timestamp|loginfo|user",
		"rclimit":      "max",
		"curtimestamp": "1",
	}
	if len(namespaces) > 0 {
		ns := make([]string, len(namespaces))
		for i, n := range namespaces {
			ns[i] = strconv.Itoa(n)
		}
		params["rcnamespace"] = strings.Join(ns, "|")
	}
	var out RecentChanges
	err := c.QueryAll(ctx, params, false, func(raw []byte) error {
		var resp struct {
			CurTimestamp time.Time `json:"curtimestamp"`
			Query        struct {
				RecentChanges []struct {
					Type      string    `json:"type"`
					NS        int       `json:"ns"`
					Title     string    `json:"title"`
					RCID      int64     `json:"rcid"`
					RevID     int64     `json:"revid"`
					Timestamp time.Time `json:"timestamp"`
					LogType   string    `json:"logtype"`
					LogAction string    `json:"logaction"`
					User      string    `json:"user"`
					LogParams struct {
						TargetTitle string `json:"target_title"`
						OldUser     string `json:"olduser"`
						NewUser     string `json:"newuser"`
					} `json:"logparams"`
				} `json:"recentchanges"`
			} `json:"query"`
		}
		if err := json.Unmarshal(raw, &resp); err != nil {
			return err
		}
		if out.Now.IsZero() {
			out.Now = resp.CurTimestamp
		}
		for _, rc := range resp.Query.RecentChanges {
			out.Changes = append(out.Changes, Change{
				RCID: rc.RCID, Type: rc.Type, Title: rc.Title, Namespace: rc.NS, RevID: rc.RevID,
				Timestamp: rc.Timestamp, LogType: rc.LogType, LogAction: rc.LogAction, Target: rc.LogParams.TargetTitle,
				User: rc.User, OldUser: rc.LogParams.OldUser, NewUser: rc.LogParams.NewUser,
			})
		}
		return nil
	})
	if err != nil {
		return RecentChanges{}, fmt.Errorf("wiki: reading recent changes: %w", err)
	}
	return out, nil
}
