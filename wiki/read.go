package wiki

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Page is one page as read: its latest revision with the text, or why there
// is none.
type Page struct {
	Requested string // the title the caller asked for
	Title     string // the title the wiki has it under (normalised, redirect followed)
	PageID    int64
	Namespace int

	Missing       bool   // no such page
	Invalid       bool   // not a valid title (or an interwiki link)
	InvalidReason string //
	RedirectFrom  string // set when Requested was a redirect to Title

	RevID        int64     // the latest revision, base of any edit
	Timestamp    time.Time // that revision's timestamp
	User         string    // who made it
	ContentModel string    // "wikitext", "json", ...
	Content      string

	// ReadAt is the wiki's clock when the page was read; edits send it as
	// starttimestamp so a page deleted in between is not silently recreated.
	ReadAt time.Time
}

// Exists reports whether the page exists and has a revision.
func (p *Page) Exists() bool { return !p.Missing && !p.Invalid && p.RevID != 0 }

// ReadOptions change how pages are read.
type ReadOptions struct {
	// FollowRedirects resolves redirects; Page.RedirectFrom tells.
	FollowRedirects bool
}

// BatchSize is the number of titles per read request: 500 when the account
// has apihighlimits, else 50 (ApiBase::LIMIT_SML1/SML2).
func (c *Client) BatchSize() int {
	if c.rights["apihighlimits"] {
		return 500
	}
	return 50
}

// Page reads one page.
func (c *Client) Page(ctx context.Context, title string, opts ReadOptions) (*Page, error) {
	pages, err := c.Pages(ctx, []string{title}, opts)
	if err != nil {
		return nil, err
	}
	return pages[0], nil
}

// Pages reads the latest revision of each title, in batches, and returns one
// Page per title in the order given (duplicates included).
func (c *Client) Pages(ctx context.Context, titles []string, opts ReadOptions) ([]*Page, error) {
	out := make([]*Page, 0, len(titles))
	size := c.BatchSize()
	progress := c.progress("wiki: reading pages", len(titles))
	for start := 0; start < len(titles); start += size {
		end := min(start+size, len(titles))
		batch, err := c.readBatch(ctx, titles[start:end], opts)
		if err != nil {
			return nil, err
		}
		out = append(out, batch...)
		progress(end)
	}
	return out, nil
}

// ProgressEvery is how often a long operation logs how far it got (a
// variable for tests).
var ProgressEvery = 5 * time.Second

// progress returns a function to call with how many of total items are
// done: it logs a progress line ("done of total") once ProgressEvery has
// passed since the start or the last line, so that a long read says how
// far it is and a short one says nothing.
func (c *Client) progress(what string, total int) func(done int) {
	last := time.Now()
	return func(done int) {
		if done >= total || time.Since(last) < ProgressEvery {
			return
		}
		last = time.Now()
		c.log.Info().Int("done", done).Int("total", total).Msgf("%s: %d of %d", what, done, total)
	}
}

type revisionsResponse struct {
	CurTimestamp time.Time `json:"curtimestamp"`
	Continue     map[string]string
	Query        struct {
		Normalized []fromTo `json:"normalized"`
		Redirects  []fromTo `json:"redirects"`
		Interwiki  []struct {
			Title string `json:"title"`
		} `json:"interwiki"`
		Pages []apiPage `json:"pages"`
	} `json:"query"`
}

type fromTo struct{ From, To string }

type apiPage struct {
	PageID        int64   `json:"pageid"`
	NS            int     `json:"ns"`
	Title         string  `json:"title"`
	Missing       bool    `json:"missing"`
	Invalid       bool    `json:"invalid"`
	InvalidReason apiText `json:"invalidreason"`
	Redirect      bool    `json:"redirect"`
	LastRevID     int64   `json:"lastrevid"`
	Touched       string  `json:"touched"`
	Revisions     []struct {
		RevID     int64     `json:"revid"`
		Timestamp time.Time `json:"timestamp"`
		User      string    `json:"user"`
		Slots     struct {
			Main struct {
				ContentModel string `json:"contentmodel"`
				Content      string `json:"content"`
			} `json:"main"`
		} `json:"slots"`
	} `json:"revisions"`
}

// titlesParam joins titles for a multi-value parameter. A title with "|"
// is invalid, but joining it with "|" would turn it into two valid titles:
// MediaWiki's U+001F separator keeps it one (and reported invalid).
func titlesParam(titles []string) string {
	for _, t := range titles {
		if strings.Contains(t, "|") {
			return "\x1f" + strings.Join(titles, "\x1f")
		}
	}
	return strings.Join(titles, "|")
}

func (c *Client) readBatch(ctx context.Context, titles []string, opts ReadOptions) ([]*Page, error) {
	params := map[string]string{
		"action":       "query",
		"prop":         "revisions",
		"rvprop":       "ids|timestamp|user|content",
		"rvslots":      "main",
		"titles":       titlesParam(titles),
		"curtimestamp": "1",
	}
	if opts.FollowRedirects {
		params["redirects"] = "1"
	}
	var (
		normalized = map[string]string{}
		redirects  = map[string]string{}
		interwiki  = map[string]bool{}
		byTitle    = map[string]*Page{}
		readAt     time.Time
	)
	// Large pages can exceed $wgAPIMaxResultSize: MediaWiki then returns the
	// remaining pages without revisions and an rvcontinue, and we follow it.
	err := c.QueryAll(ctx, params, true, func(raw []byte) error {
		var resp revisionsResponse
		if err := json.Unmarshal(raw, &resp); err != nil {
			return err
		}
		if readAt.IsZero() {
			readAt = resp.CurTimestamp
		}
		for _, n := range resp.Query.Normalized {
			normalized[n.From] = n.To
		}
		for _, r := range resp.Query.Redirects {
			redirects[r.From] = r.To
		}
		for _, iw := range resp.Query.Interwiki {
			interwiki[iw.Title] = true
		}
		for _, ap := range resp.Query.Pages {
			p := byTitle[ap.Title]
			if p == nil {
				p = &Page{Title: ap.Title, PageID: ap.PageID, Namespace: ap.NS,
					Missing: ap.Missing, Invalid: ap.Invalid, InvalidReason: string(ap.InvalidReason)}
				byTitle[ap.Title] = p
			}
			if len(ap.Revisions) > 0 {
				rev := ap.Revisions[0]
				p.RevID, p.Timestamp, p.User = rev.RevID, rev.Timestamp, rev.User
				p.ContentModel, p.Content = rev.Slots.Main.ContentModel, rev.Slots.Main.Content
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Page, 0, len(titles))
	for _, requested := range titles {
		title := requested
		if n, ok := normalized[title]; ok {
			title = n
		}
		var redirectFrom string
		for hops := 0; hops < 5; hops++ { // redirects are resolved once by MediaWiki; the loop guards odd data
			to, ok := redirects[title]
			if !ok {
				break
			}
			redirectFrom, title = title, to
		}
		found := byTitle[title]
		var p Page
		switch {
		case found != nil:
			p = *found
		case interwiki[title]:
			p = Page{Title: title, Invalid: true, InvalidReason: "interwiki title"}
		default:
			// MediaWiki reports invalid titles under their raw form.
			p = Page{Title: title, Invalid: true, InvalidReason: "the wiki did not return this title"}
		}
		if !p.Exists() && !p.Missing && !p.Invalid {
			return nil, fmt.Errorf("wiki: %q came back without a revision after following continuation", title)
		}
		p.Requested, p.RedirectFrom, p.ReadAt = requested, redirectFrom, readAt
		out = append(out, &p)
	}
	return out, nil
}

// continued is a query's answer as call hands it over: the body, and its
// continuation read with the envelope (no second pass over the body).
type continued struct {
	body []byte
	next map[string]any
}

// Query sends one action=query request (a POST when post, for long
// parameters) and returns its answer's body, checked, and whether the
// answer has a continuation (the caller decides whether to follow it).
func (c *Client) Query(ctx context.Context, params map[string]string, post bool) (body []byte, more bool, err error) {
	var resp continued
	if err := c.call(ctx, request{params: params, post: post}, &resp); err != nil {
		return nil, false, err
	}
	return resp.body, len(resp.next) > 0, nil
}

// QueryAll runs an action=query request and each continuation of it,
// handing each answer's body to handle: every continuation is the
// original request plus the latest continue values only (go-mwclient
// keeps stale keys from earlier responses).
func (c *Client) QueryAll(ctx context.Context, params map[string]string, post bool, handle func(raw []byte) error) error {
	var cont map[string]string
	for {
		p := make(map[string]string, len(params)+len(cont))
		for k, v := range params {
			p[k] = v
		}
		for k, v := range cont {
			p[k] = v
		}
		var resp continued
		if err := c.call(ctx, request{params: p, post: post}, &resp); err != nil {
			return err
		}
		if err := handle(resp.body); err != nil {
			return fmt.Errorf("wiki: decoding query response: %w", err)
		}
		if len(resp.next) == 0 {
			return nil
		}
		cont = make(map[string]string, len(resp.next))
		for k, v := range resp.next {
			cont[k] = fmt.Sprint(v)
		}
	}
}

// PageRef is a page in a listing: enough to tell whether it changed.
type PageRef struct {
	Title     string
	PageID    int64
	Namespace int
	LastRevID int64
	Redirect  bool
}

// ListPrefix lists the pages whose title starts with prefix (namespace
// included, e.g. "Let's Connect/Participants/").
func (c *Client) ListPrefix(ctx context.Context, prefix string) ([]PageRef, error) {
	si, err := c.SiteInfo(ctx)
	if err != nil {
		return nil, err
	}
	// Normalise with a placeholder so a prefix ending in "/" or a space
	// keeps it; then take the placeholder off again.
	const mark = "X"
	t, err := si.Normalize(prefix + mark)
	if err != nil {
		return nil, fmt.Errorf("wiki: prefix %q: %w", prefix, err)
	}
	return c.listGenerator(ctx, map[string]string{
		"generator":    "allpages",
		"gapnamespace": fmt.Sprint(t.Namespace),
		"gapprefix":    strings.TrimSuffix(t.Text, mark),
		"gaplimit":     "max",
	})
}

// ListCategory lists the members of a category ("Category:" optional).
func (c *Client) ListCategory(ctx context.Context, category string) ([]PageRef, error) {
	title, err := c.inNamespace(ctx, category, NamespaceCategory)
	if err != nil {
		return nil, err
	}
	return c.listGenerator(ctx, map[string]string{
		"generator": "categorymembers", "gcmtitle": title, "gcmlimit": "max",
	})
}

// ListEmbeddedIn lists the pages that transclude a template ("Template:"
// optional).
func (c *Client) ListEmbeddedIn(ctx context.Context, template string) ([]PageRef, error) {
	title, err := c.inNamespace(ctx, template, NamespaceTemplate)
	if err != nil {
		return nil, err
	}
	return c.listGenerator(ctx, map[string]string{
		"generator": "embeddedin", "geititle": title, "geilimit": "max",
	})
}

func (c *Client) inNamespace(ctx context.Context, name string, ns int) (string, error) {
	si, err := c.SiteInfo(ctx)
	if err != nil {
		return "", err
	}
	t, err := si.Normalize(name)
	if err != nil {
		return "", err
	}
	if t.Namespace != ns {
		t, err = si.Normalize(si.namespaces[ns].Name + ":" + name)
		if err != nil {
			return "", err
		}
	}
	return t.Full, nil
}

func (c *Client) listGenerator(ctx context.Context, params map[string]string) ([]PageRef, error) {
	params["action"] = "query"
	params["prop"] = "info"
	var refs []PageRef
	seen := map[int64]bool{}
	err := c.QueryAll(ctx, params, false, func(raw []byte) error {
		var resp struct {
			Query struct {
				Pages []apiPage `json:"pages"`
			} `json:"query"`
		}
		if err := json.Unmarshal(raw, &resp); err != nil {
			return err
		}
		for _, p := range resp.Query.Pages {
			if seen[p.PageID] {
				continue
			}
			seen[p.PageID] = true
			refs = append(refs, PageRef{Title: p.Title, PageID: p.PageID, Namespace: p.NS, LastRevID: p.LastRevID, Redirect: p.Redirect})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortRefs(refs)
	return refs, nil
}

func sortRefs(refs []PageRef) {
	slices.SortFunc(refs, func(a, b PageRef) int { return strings.Compare(a.Title, b.Title) })
}

// apiText is a message the API gives as a string (errorformat=bc) or as an
// object with code and text (errorformat=plaintext).
type apiText string

func (t *apiText) UnmarshalJSON(raw []byte) error {
	*t = apiText(reasonText(raw))
	return nil
}
