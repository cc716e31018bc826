package wiki

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Contributors returns, for each title, the registered users who ever
// edited the page (prop=contributors), in batches like Pages. Titles that
// do not exist map to nothing.
func (c *Client) Contributors(ctx context.Context, titles []string) (map[string][]string, error) {
	out := make(map[string][]string, len(titles))
	size := c.BatchSize()
	for start := 0; start < len(titles); start += size {
		batch := titles[start:min(start+size, len(titles))]
		params := map[string]string{
			"action":  "query",
			"prop":    "contributors",
			"titles":  titlesParam(batch),
			"pclimit": "max",
		}
		normalized := map[string]string{}
		err := c.QueryAll(ctx, params, true, func(raw []byte) error {
			var resp struct {
				Query struct {
					Normalized []fromTo `json:"normalized"`
					Pages      []struct {
						Title        string `json:"title"`
						Contributors []struct {
							Name string `json:"name"`
						} `json:"contributors"`
					} `json:"pages"`
				} `json:"query"`
			}
			if err := json.Unmarshal(raw, &resp); err != nil {
				return err
			}
			for _, n := range resp.Query.Normalized {
				normalized[n.To] = n.From
			}
			for _, p := range resp.Query.Pages {
				for _, u := range p.Contributors {
					if !slices.Contains(out[p.Title], u.Name) {
						out[p.Title] = append(out[p.Title], u.Name)
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("wiki: reading contributors: %w", err)
		}
		// Callers look pages up by the title they asked for.
		for to, from := range normalized {
			if list, ok := out[to]; ok {
				out[from] = list
			}
		}
	}
	return out, nil
}

// LastRevisionBy returns the latest revision of title made by user, with
// its text, or a Page with RevID 0 when the user never edited it.
func (c *Client) LastRevisionBy(ctx context.Context, title, user string) (*Page, error) {
	var resp revisionsResponse
	err := c.call(ctx, request{params: map[string]string{
		"action":  "query",
		"prop":    "revisions",
		"titles":  title,
		"rvuser":  user,
		"rvlimit": "1",
		"rvprop":  "ids|timestamp|user|content",
		"rvslots": "main",
	}}, &resp)
	if err != nil {
		return nil, fmt.Errorf("wiki: reading %s's last revision of %s: %w", user, title, err)
	}
	p := &Page{Requested: title, Title: title}
	for _, ap := range resp.Query.Pages {
		p.Title, p.PageID, p.Namespace, p.Missing = ap.Title, ap.PageID, ap.NS, ap.Missing
		if len(ap.Revisions) > 0 {
			rev := ap.Revisions[0]
			p.RevID, p.Timestamp, p.User = rev.RevID, rev.Timestamp, rev.User
			p.ContentModel, p.Content = rev.Slots.Main.ContentModel, rev.Slots.Main.Content
		}
	}
	return p, nil
}

// Languages returns the language codes the wiki knows, with their names
// (autonyms), for validating what people write. They come with the site
// info (one request per client).
func (c *Client) Languages(ctx context.Context) (map[string]string, error) {
	si, err := c.SiteInfo(ctx)
	if err != nil {
		return nil, fmt.Errorf("wiki: reading the wiki's languages: %w", err)
	}
	out := make(map[string]string, len(si.languages))
	for code, name := range si.languages {
		out[code] = name
	}
	return out, nil
}

// Created returns when each existing page of titles was created (its
// first revision's time), by the title asked for. MediaWiki gives the
// oldest revision of one page per request: callers ask only for the few
// pages they need.
func (c *Client) Created(ctx context.Context, titles []string) (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(titles))
	for _, title := range titles {
		var resp revisionsResponse
		err := c.call(ctx, request{params: map[string]string{
			"action": "query", "prop": "revisions", "titles": title, "rvdir": "newer", "rvlimit": "1", "rvprop": "timestamp",
		}}, &resp)
		if err != nil {
			return nil, fmt.Errorf("wiki: reading when %s was created: %w", title, err)
		}
		for _, ap := range resp.Query.Pages {
			if len(ap.Revisions) > 0 {
				out[title] = ap.Revisions[0].Timestamp
			}
		}
	}
	return out, nil
}

// ErrTooManyRevisions: RevisionsAfter found more revisions than asked for.
var ErrTooManyRevisions = errors.New("too many revisions")

// RevisionsAfter returns the revisions of title made after revision
// revID, oldest first, with their text: what people changed since then
// and who. At most max revisions are returned; more is an error (the
// caller then trusts none of them).
func (c *Client) RevisionsAfter(ctx context.Context, title string, revID int64, max int) ([]*Page, error) {
	var out []*Page
	params := map[string]string{
		"action": "query", "prop": "revisions", "titles": title, "rvstartid": strconv.FormatInt(revID, 10),
		"rvdir": "newer", "rvlimit": "10", "rvprop": "ids|timestamp|user|content", "rvslots": "main",
	}
	if revID == 0 {
		// No revision to start after (the bot never wrote the page):
		// all of them. MediaWiki refuses rvstartid=0.
		delete(params, "rvstartid")
	}
	err := c.QueryAll(ctx, params, false, func(raw []byte) error {
		var resp revisionsResponse
		if err := json.Unmarshal(raw, &resp); err != nil {
			return err
		}
		for _, ap := range resp.Query.Pages {
			for _, rev := range ap.Revisions {
				if rev.RevID == revID {
					continue // rvstartid includes the start
				}
				out = append(out, &Page{Requested: title, Title: ap.Title, PageID: ap.PageID, Namespace: ap.NS,
					RevID: rev.RevID, Timestamp: rev.Timestamp, User: rev.User,
					ContentModel: rev.Slots.Main.ContentModel, Content: rev.Slots.Main.Content})
			}
		}
		if len(out) > max {
			return fmt.Errorf("%w: more than %d of %s since revision %d", ErrTooManyRevisions, max, title, revID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("wiki: reading the revisions of %s: %w", title, err)
	}
	return out, nil
}
