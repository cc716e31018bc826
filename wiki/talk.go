package wiki

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/accounts"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TalkTarget is where a message to a user goes, or why it must not.
type TalkTarget struct {
	User string // the user name as given
	// Title is the talk page to post on: the user's, or where it
	// redirects (a renamed user); RedirectedFrom then names the original.
	Title          string
	RedirectedFrom string
	// Page is the talk page as read (it may not exist yet): the caller
	// looks in it for the message's marker before posting.
	Page *Page
	// Skip says, in words for the log and the ledger, why the bot must
	// not post; "" when it may.
	Skip string
}

// TalkTargets checks, for each user, everything that decides whether a
// message may be posted, in one batch of requests: the account exists and
// is not blocked; the talk page (after redirects, which must stay in the
// User talk namespace) is wikitext; the page does not exclude the bot
// ({{bots}}/{{nobots}}, with optout for this kind of message); and the
// page is not in the opt-out category (optOutCategory, without the
// "Category:" prefix; "" for none).
func (c *Client) TalkTargets(ctx context.Context, users []string, bot, kind, optOutCategory string) (map[string]TalkTarget, error) {
	return ResolveTalkTargets(ctx, c, users, bot, kind, optOutCategory)
}

// TalkSource is what ResolveTalkTargets reads: *Client, or a fake wiki.
type TalkSource interface {
	Users(ctx context.Context, names []string) (map[string]accounts.UserStatus, error)
	Pages(ctx context.Context, titles []string, opts ReadOptions) ([]*Page, error)
	InCategory(ctx context.Context, titles []string, category string) (map[string]bool, error)
}

// ResolveTalkTargets is TalkTargets over any TalkSource, so that a fake
// wiki decides exactly as the real client does.
func ResolveTalkTargets(ctx context.Context, src TalkSource, users []string, bot, kind, optOutCategory string) (map[string]TalkTarget, error) {
	out := make(map[string]TalkTarget, len(users))
	status, err := src.Users(ctx, users)
	if err != nil {
		return nil, err
	}
	var titles, asked []string
	for _, u := range users {
		st := status[u]
		t := TalkTarget{User: u}
		switch {
		case st.Invalid:
			t.Skip = "not a valid user name"
		case !st.Exists:
			t.Skip = "no such user"
		case st.Blocked:
			t.Skip = "the user is blocked"
		}
		out[u] = t
		if t.Skip == "" {
			titles = append(titles, "User talk:"+st.Name)
			asked = append(asked, u)
		}
	}
	if len(titles) == 0 {
		return out, nil
	}
	pages, err := src.Pages(ctx, titles, ReadOptions{FollowRedirects: true})
	if err != nil {
		return nil, err
	}
	var final []string
	for i, p := range pages {
		t := out[asked[i]]
		t.Page, t.Title = p, p.Title
		switch {
		case p.RedirectFrom != "" && p.Namespace != NamespaceUserTalk:
			t.Skip = fmt.Sprintf("the talk page redirects to %s, outside user talk pages", p.Title)
		case p.Invalid:
			t.Skip = "the talk page's title is invalid"
		case p.Exists() && p.ContentModel != ContentModelWikitext:
			t.Skip = fmt.Sprintf("the talk page is %s, not wikitext (a structured discussion board?)", p.ContentModel)
		}
		if p.RedirectFrom != "" {
			t.RedirectedFrom = p.RedirectFrom
		}
		if t.Skip == "" && p.Exists() {
			if denied, why := wikitext.BotsExcluded(p.Content, bot, kind); denied {
				t.Skip = why
			}
		}
		if t.Skip == "" && p.Exists() {
			final = append(final, p.Title)
		}
		out[asked[i]] = t
	}
	if optOutCategory != "" && len(final) > 0 {
		in, err := src.InCategory(ctx, final, optOutCategory)
		if err != nil {
			return nil, err
		}
		for u, t := range out {
			if t.Skip == "" && in[t.Title] {
				t.Skip = "the talk page is in Category:" + optOutCategory
				out[u] = t
			}
		}
	}
	return out, nil
}

// InCategory reports which of titles are in the category (prop=categories
// with clcategories, so that categories added by templates count too).
func (c *Client) InCategory(ctx context.Context, titles []string, category string) (map[string]bool, error) {
	out := map[string]bool{}
	size := c.BatchSize()
	for start := 0; start < len(titles); start += size {
		batch := titles[start:min(start+size, len(titles))]
		err := c.QueryAll(ctx, map[string]string{
			"action": "query", "prop": "categories", "titles": strings.Join(batch, "|"),
			"clcategories": "Category:" + category, "cllimit": "max",
		}, true, func(raw []byte) error {
			var resp struct {
				Query struct {
					Pages []struct {
						Title      string            `json:"title"`
						Categories []json.RawMessage `json:"categories"`
					} `json:"pages"`
				} `json:"query"`
			}
			if err := json.Unmarshal(raw, &resp); err != nil {
				return err
			}
			for _, p := range resp.Query.Pages {
				if len(p.Categories) > 0 {
					out[p.Title] = true
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("wiki: reading categories: %w", err)
		}
	}
	return out, nil
}
