package wiki

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// EditRequest replaces the whole text of a page.
type EditRequest struct {
	Title   string
	Text    string
	Summary string
	// Base is the page as read before computing Text: its revision guards
	// the edit against conflicts, and its text lets a no-op edit be skipped
	// without a request. A nil or missing Base means "create": the edit
	// fails with ErrPageExists if someone created the page meanwhile.
	Base  *Page
	Minor bool
	// ContentModel, when set (e.g. "json"), is the page's content model:
	// MediaWiki then checks the text (valid JSON) and stores it as such.
	ContentModel string
}

// SectionRequest adds a new section at the end of a (talk) page.
type SectionRequest struct {
	Title   string
	Heading string // the section's title
	Text    string // the message, signed by the caller (~~~~)
	Summary string // defaults to Heading
	// Marker is a string that occurs in Text and nowhere else (a hidden
	// comment with a message id). The client reads the page just before
	// posting and posts nothing when the marker is there; when a request's
	// outcome is unknown, it looks again before posting again. So a message
	// is never posted twice.
	Marker string
}

// Result says what an edit did.
type Result string

const (
	Created   Result = "created"
	Updated   Result = "updated"
	Unchanged Result = "unchanged" // the page already had the text: no request made
	Posted    Result = "posted"    // a new section
	// AlreadyPosted: the page already had the new section's marker (read
	// just before posting), so nothing was posted.
	AlreadyPosted Result = "already-posted"
	DryRun        Result = "dry-run" // read-only client: recorded, not sent
)

// EditResult is the outcome of one edit.
type EditResult struct {
	Title  string
	Result Result
	RevID  int64 // the new revision; 0 for Unchanged and DryRun
	// Merged reports that MediaWiki merged the edit with a revision made
	// after the base (its parent is not the base revision): someone else
	// edited the page meanwhile, on other lines. Callers that own the page
	// should look at what was merged.
	Merged bool
}

// The kinds of Action: MediaWiki's action=edit, replacing a page's text,
// and the same action adding a section (section=new).
const (
	ActionEdit       = "edit"
	ActionNewSection = "new section"
)

// Content models the bot writes besides wikitext (ContentModelWikitext,
// every page's unless said otherwise).
const (
	ContentModelWikitext = "wikitext"
	ContentModelJSON     = "json"
)

// Action is an edit a read-only client did not make.
type Action struct {
	Kind      string // ActionEdit or ActionNewSection
	Title     string
	Summary   string
	Heading   string // new sections only
	OldText   string // the base text ("" for a new page)
	Text      string
	BaseRevID int64
}

// Recorded returns the edits a read-only client would have made.
func (c *Client) Recorded() []Action {
	c.recMu.Lock()
	defer c.recMu.Unlock()
	return slices.Clone(c.recorded)
}

// SameText reports whether two page texts are the same once saved:
// MediaWiki trims trailing whitespace from saved wikitext.
func SameText(a, b string) bool {
	return strings.TrimRight(a, " \t\n\r") == strings.TrimRight(b, " \t\n\r")
}

// Allowed reports whether the client may edit title (see
// SiteInfo.Allowed), and returns it normalised.
func (c *Client) Allowed(ctx context.Context, title string) (Title, error) {
	si, err := c.SiteInfo(ctx)
	if err != nil {
		return Title{}, err
	}
	return si.Allowed(title, c.cfg.EditPrefixes)
}

// Allowed is the bot's allowlist of titles (Config.EditPrefixes): it
// reports whether title, once normalised, is inside one of prefixes (in
// the prefix's namespace, e.g. "Let's Connect/" or "Project:Program/") or
// is a user's talk page (not a subpage), and returns it normalised. Any
// other title, or one that is not valid, is refused with an error
// wrapping ErrTitleNotAllowed.
func (si *SiteInfo) Allowed(title string, prefixes []string) (Title, error) {
	t, err := si.Normalize(title)
	if err != nil {
		return Title{}, fmt.Errorf("%w: %v", ErrTitleNotAllowed, err)
	}
	if t.Namespace == NamespaceUserTalk && !strings.Contains(t.Text, "/") {
		return t, nil
	}
	for _, prefix := range prefixes {
		p, err := si.Normalize(prefix + "X")
		if err != nil {
			continue
		}
		if p.Namespace == t.Namespace && strings.HasPrefix(t.Text, strings.TrimSuffix(p.Text, "X")) {
			return t, nil
		}
	}
	return Title{}, fmt.Errorf("%w: %q", ErrTitleNotAllowed, t.Full)
}

// Edit writes the page text, unless it is already there.
func (c *Client) Edit(ctx context.Context, req EditRequest) (EditResult, error) {
	t, err := c.Allowed(ctx, req.Title)
	if err != nil {
		return EditResult{}, err
	}
	creating := req.Base == nil || !req.Base.Exists()
	if !creating && SameText(req.Base.Content, req.Text) {
		c.stats.Unchanged++
		return EditResult{Title: t.Full, Result: Unchanged}, nil
	}
	if !c.cfg.Write {
		a := Action{Kind: ActionEdit, Title: t.Full, Summary: c.summary(req.Summary), Text: req.Text}
		if !creating {
			a.OldText, a.BaseRevID = req.Base.Content, req.Base.RevID
		}
		c.record(a)
		return EditResult{Title: t.Full, Result: DryRun}, nil
	}
	if c.user == "" && c.tr.bearer == "" {
		return EditResult{}, ErrNotLoggedIn
	}
	params := c.editParams(t.Full, req.Text, req.Summary)
	if req.ContentModel != "" {
		params["contentmodel"] = req.ContentModel
	}
	if req.Minor {
		params["minor"] = "1"
	} else {
		params["notminor"] = "1"
	}
	if creating {
		params["createonly"] = "1"
	} else {
		params["nocreate"] = "1"
		// baserevid alone: MediaWiki then reports a conflict with any
		// revision saved since the base, or merges the edit with it
		// (EditPage::internalAttemptSave). basetimestamp is not sent: with
		// it MediaWiki suppresses a conflict when every revision since the
		// base is by the same account (RevisionStore::userWasLastToEdit),
		// and the edit silently replaces them; two copies of the bot run
		// as the same account (the lease relies on the conflict).
		params["baserevid"] = fmt.Sprint(req.Base.RevID)
	}
	if req.Base != nil && !req.Base.ReadAt.IsZero() {
		params["starttimestamp"] = req.Base.ReadAt.UTC().Format(time.RFC3339)
	}
	verify := func(ctx context.Context) (bool, int64, error) {
		p, err := c.Page(ctx, t.Full, ReadOptions{})
		if err != nil {
			return false, 0, err
		}
		if !p.Exists() {
			return false, 0, nil
		}
		// MediaWiki transforms text on save (signatures, line endings,
		// Unicode normalisation), so equal text is not the only sign that
		// the edit landed: a newer revision by this account is ours too.
		ours := c.user != "" && p.User == c.user && (creating || p.RevID != req.Base.RevID)
		return SameText(p.Content, req.Text) || ours, p.RevID, nil
	}
	var baseRevID int64
	if !creating {
		baseRevID = req.Base.RevID
	}
	res, err := c.write(ctx, params, baseRevID, verify)
	if err != nil {
		return EditResult{}, fmt.Errorf("wiki: editing %s: %w", t.Full, err)
	}
	res.Title = t.Full
	if res.Result == "" {
		res.Result = Updated
		if creating {
			res.Result = Created
		}
	}
	return res, nil
}

// NewSection posts a new section, as MassMessage does: section=new,
// notminor (a minor bot edit to a talk page would not notify its owner).
func (c *Client) NewSection(ctx context.Context, req SectionRequest) (EditResult, error) {
	t, err := c.Allowed(ctx, req.Title)
	if err != nil {
		return EditResult{}, err
	}
	if req.Marker == "" || !strings.Contains(req.Text, req.Marker) {
		return EditResult{}, errors.New("wiki: a new section needs a marker that occurs in its text")
	}
	summary := req.Summary
	if summary == "" {
		summary = req.Heading
	}
	summary = c.summary(summary)
	verify := func(ctx context.Context) (bool, int64, error) {
		p, err := c.Page(ctx, t.Full, ReadOptions{})
		if err != nil {
			return false, 0, err
		}
		return p.Exists() && strings.Contains(p.Content, req.Marker), p.RevID, nil
	}
	// The live page, just before posting: a copy of the bot that stopped
	// after posting (or another one) may have posted it already.
	there, revID, err := verify(ctx)
	if err != nil {
		return EditResult{}, fmt.Errorf("wiki: reading %s before posting: %w", t.Full, err)
	}
	if there {
		return EditResult{Title: t.Full, Result: AlreadyPosted, RevID: revID}, nil
	}
	if !c.cfg.Write {
		c.record(Action{Kind: ActionNewSection, Title: t.Full, Summary: summary, Heading: req.Heading, Text: req.Text})
		return EditResult{Title: t.Full, Result: DryRun}, nil
	}
	if c.user == "" && c.tr.bearer == "" {
		return EditResult{}, ErrNotLoggedIn
	}
	params := c.editParams(t.Full, req.Text, summary)
	params["section"] = "new"
	params["sectiontitle"] = req.Heading
	params["notminor"] = "1"
	res, err := c.write(ctx, params, 0, verify)
	if err != nil {
		return EditResult{}, fmt.Errorf("wiki: posting to %s: %w", t.Full, err)
	}
	res.Title = t.Full
	if res.Result == "" {
		res.Result = Posted
	}
	return res, nil
}

func (c *Client) record(a Action) {
	c.recMu.Lock()
	c.recorded = append(c.recorded, a)
	c.recMu.Unlock()
	c.stats.Edits++
}

// write sends an edit. When its outcome is unknown, verify reads the page
// to tell whether it landed, and only if it did not is the edit sent again.
func (c *Client) write(ctx context.Context, params map[string]string, baseRevID int64, verify func(context.Context) (bool, int64, error)) (EditResult, error) {
	if wait := c.cfg.EditInterval - c.cfg.Now().Sub(c.lastEdit); wait > 0 {
		if err := sleep(ctx, wait); err != nil {
			return EditResult{}, err
		}
	}
	defer func() { c.lastEdit = c.cfg.Now() }()
	for attempt := 0; ; attempt++ {
		var resp struct {
			Edit struct {
				Result   string `json:"result"`
				OldRevID int64  `json:"oldrevid"`
				NewRevID int64  `json:"newrevid"`
				NoChange bool   `json:"nochange"`
			} `json:"edit"`
		}
		// An edit in flight finishes even when the run is being stopped
		// (SIGTERM): half-sent, its outcome would be unknown. The round
		// trip stays bounded by the client's timeout; callers check ctx
		// before starting the next edit.
		err := c.call(context.WithoutCancel(ctx), request{params: params, post: true, write: true, token: "csrf"}, &resp)
		var uncertain *uncertainError
		if errors.As(err, &uncertain) {
			if attempt >= c.cfg.MaxRetries {
				return EditResult{}, fmt.Errorf("%w: %v", ErrBusy, err)
			}
			c.log.Warn().Err(err).Str("title", params["title"]).Msg("wiki: edit outcome unknown, reading the page before trying again")
			if serr := sleep(ctx, backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffMax)); serr != nil {
				return EditResult{}, serr
			}
			landed, revID, verr := verify(ctx)
			if verr != nil {
				return EditResult{}, fmt.Errorf("checking whether an uncertain edit landed: %w", verr)
			}
			if landed {
				c.stats.Edits++
				return EditResult{RevID: revID}, nil
			}
			c.stats.Retries++
			continue
		}
		switch {
		case err == nil:
		case IsCode(err, "editconflict"):
			return EditResult{}, ErrEditConflict
		case IsCode(err, "articleexists"):
			return EditResult{}, ErrPageExists
		case IsCode(err, "missingtitle"), IsCode(err, "pagedeleted"):
			return EditResult{}, ErrPageMissing
		default:
			return EditResult{}, err
		}
		if resp.Edit.Result != "Success" {
			return EditResult{}, fmt.Errorf("edit result %q (a captcha or an abuse filter?)", resp.Edit.Result)
		}
		if resp.Edit.NoChange {
			c.stats.Unchanged++
			return EditResult{Result: Unchanged}, nil
		}
		c.stats.Edits++
		c.log.Info().Str("title", params["title"]).Int64("revid", resp.Edit.NewRevID).Str("summary", params["summary"]).Msg("wiki: edited")
		merged := baseRevID != 0 && resp.Edit.OldRevID != baseRevID
		return EditResult{RevID: resp.Edit.NewRevID, Merged: merged}, nil
	}
}

// editParams are the parameters every edit carries. Booleans are "1":
// go-mwclient's multipart encoding (used for texts over 8,000 bytes) drops
// parameters with empty values.
func (c *Client) editParams(title, text, summary string) map[string]string {
	params := map[string]string{
		"action":    "edit",
		"title":     title,
		"text":      text,
		"summary":   c.summary(summary),
		"watchlist": "nochange",
	}
	if c.rights["bot"] {
		params["bot"] = "1"
	}
	if len(c.cfg.Tags) > 0 {
		params["tags"] = strings.Join(c.cfg.Tags, "|")
	}
	return params
}

// summary ends an edit summary with the link to the bot's page
// (Config.BotPage), once.
func (c *Client) summary(s string) string {
	if c.cfg.BotPage == "" {
		return s
	}
	link := "([[" + c.cfg.BotPage + "|bot]])"
	if strings.HasSuffix(s, link) {
		return s
	}
	return strings.TrimSuffix(strings.TrimSuffix(s, " (bot)"), "(bot)") + " " + link
}
