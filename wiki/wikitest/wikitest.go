// Package wikitest is an in-memory wiki for unit tests of code that talks
// to MediaWiki through *wiki.Client's methods (such as sync.Wiki).
//
// A Wiki keeps every page with its full history. Tests edit it as any user
// with Put (a person editing) and look at it with Text, Page and History;
// the code under test reads it and edits it as the bot through the same
// methods as *wiki.Client. The contract suite (wiki/wikicontract) runs the
// same cases on a Wiki and on the client against a real MediaWiki; where
// they disagreed, the fake was made to answer as MediaWiki does:
//
//   - Edit is read-only unless Write is set: it then records the Action and
//     returns wiki.DryRun, as the real client does without Config.Write.
//   - Titles are checked first, with wiki.SiteInfo.Allowed when
//     EditPrefixes is set, and refused with wiki.ErrTitleNotAllowed.
//   - Then Edit compares the request with its Base: the same text is
//     wiki.Unchanged, with nothing recorded, written or sent.
//   - An edit based on a revision that is no longer the latest is merged
//     with the revisions saved since, whoever saved them (the bot
//     included), as MediaWiki merges with diff3: when the two changed
//     different lines, the result says Merged; when they changed the same
//     or neighbouring lines, the edit fails with wiki.ErrEditConflict. On
//     runs of repeated lines it may pair lines differently from GNU diff3,
//     and so rarely merge where MediaWiki reports a conflict or the other
//     way round (TestMerge3AgreesWithDiff3 measures it): tests should not
//     depend on merges of repeated lines.
//     Creating a page (Base nil or missing) that exists fails with
//     wiki.ErrPageExists; editing a page (Base existing) that was deleted
//     fails with wiki.ErrPageMissing.
//   - Saved text has LF line ends and loses its trailing whitespace, and
//     an edit that would not change the text makes no revision
//     (wiki.Unchanged), as in MediaWiki. An edit with a ContentModel sets
//     the page's; JSON must be valid, but is kept as written where
//     MediaWiki pretty-prints it (compare JSON pages by value).
//   - Reads follow a chain of redirects to its end, as MediaWiki does.
//   - Accounts and talk pages (Users, TalkTargets, NewSection) follow
//     (*wiki.Client)'s checks: every valid user name has an account
//     unless RemoveUser says otherwise, Block blocks one, SetCategories
//     and SetContentModel set what TalkTargets looks at, and NewSection
//     appends a signed section as MediaWiki does.
//   - Titles are normalised by wiki.DefaultSiteInfo (MediaWiki's default
//     namespaces, the project namespace as "Project"); titles with
//     characters MediaWiki forbids are invalid. Interwiki prefixes are
//     unknown to the fake: such titles are main-namespace pages.
//
// The clock is fake: it starts at Epoch and every revision moves it one
// minute on, so histories, timestamps and anything rendered from them are
// the same on every run. Pass Wiki.Now as the clock of the code under test.
//
// A Wiki is safe for concurrent use.
package wikitest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/accounts"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// Epoch is the fake clock's start.
var Epoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// Tick is how far each revision moves the fake clock.
const Tick = time.Minute

// DefaultLanguages is what Languages returns unless a test sets
// Wiki.LanguageNames: a few codes with their autonyms.
var DefaultLanguages = map[string]string{
	"ar": "العربية",
	"de": "Deutsch",
	"en": "English",
	"es": "español",
	"fr": "français",
	"ha": "Hausa",
	"hi": "हिन्दी",
	"ig": "Igbo",
	"pt": "português",
	"sw": "Kiswahili",
	"yo": "Yorùbá",
}

// Revision is one saved version of a page.
type Revision struct {
	RevID     int64
	User      string
	Timestamp time.Time
	Text      string
	Summary   string
}

type page struct {
	id        int64
	namespace int
	revs      []Revision // oldest first; empty once deleted
}

// Wiki is an in-memory wiki. Make one with New.
type Wiki struct {
	// Write makes Edit write, as the bot user; without it Edit records the
	// edit (Recorded) and returns wiki.DryRun.
	Write bool
	// EditPrefixes, when set, are the title prefixes Edit and NewSection
	// may write under besides user talk pages, as wiki.Config.EditPrefixes
	// (with wiki.SiteInfo.Allowed): any other title is refused before
	// anything is counted or recorded. Without them Edit may write any
	// valid title (tests that do not care need not list them) and
	// NewSection only user talk pages.
	EditPrefixes []string
	// LanguageNames is what Languages returns (code → name).
	LanguageNames map[string]string
	// BeforeSection, when set, is called by NewSection with the talk
	// page's normalised title once the request has passed NewSection's
	// checks, before anything is recorded or posted; when it returns an
	// error, NewSection returns that error and posts nothing. Tests use it
	// to make a given message fail (a crash, a lost connection). It runs
	// without the Wiki's lock, so it may use the Wiki. Set it before the
	// code under test runs.
	BeforeSection func(title string) error

	mu       sync.Mutex
	bot      string
	now      time.Time
	pages    map[string]*page
	lastRev  int64
	lastPage int64
	edits    int
	recorded []wiki.Action
	changes  []wiki.Change // the recent changes, oldest first
	// requests counts the calls to the methods that read or write the
	// wiki: one a call, where the real client may need several requests
	// (batches, continuation).
	requests int

	// Accounts and talk pages (talk.go); nil until a test sets them.
	removedUsers  map[string]bool     // by wikitext.NormalizeUser name
	blocks        map[string]string   // by wikitext.NormalizeUser name → reason
	blockLog      []blockEntry        // Block and Unblock, oldest first
	renameLog     []accounts.Rename   // RenameUser, oldest first
	locks         map[string]bool     // Lock: global locks, by name
	categories    map[string][]string // by title → full category titles
	contentModels map[string]string   // by title, when not wikitext
}

// New returns an empty, read-only wiki where the code under test is logged
// in as bot ("" for an anonymous client, which cannot write).
func New(bot string) *Wiki {
	return &Wiki{
		LanguageNames: DefaultLanguages,
		bot:           bot,
		now:           Epoch,
		pages:         map[string]*page{},
	}
}

// Now returns the fake clock: the time of the latest revision, or Epoch.
func (w *Wiki) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// Advance moves the fake clock on by d.
func (w *Wiki) Advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

// Put saves text as the page's new latest revision by user, creating the
// page if needed, as a person editing would. It returns the latest revision
// id, which is unchanged when the page already had the text (MediaWiki
// makes no revision then). It panics on an invalid title: that is a bug in
// the test.
func (w *Wiki) Put(title, user, text string) int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ns, err := normalize(title)
	if err != nil {
		panic("wikitest: Put: " + err.Error())
	}
	return w.save(t, ns, user, text, "").RevID
}

// Delete deletes a page and its history, as an administrator would.
func (w *Wiki) Delete(title string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t, ns, err := normalize(title); err == nil && w.pages[t] != nil {
		delete(w.pages, t)
		w.now = w.now.Add(Tick)
		w.changes = append(w.changes, wiki.Change{RCID: int64(len(w.changes) + 1), Type: "log", Title: t, Namespace: ns,
			Timestamp: w.now, LogType: "delete", LogAction: "delete"})
	}
}

// RecentChanges lists the edits, creations and deletions made at or after
// since in the namespaces (all when none), oldest first, as
// (*wiki.Client).RecentChanges does.
func (w *Wiki) RecentChanges(ctx context.Context, since time.Time, namespaces []int) (wiki.RecentChanges, error) {
	if err := ctx.Err(); err != nil {
		return wiki.RecentChanges{}, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	out := wiki.RecentChanges{Now: w.now}
	for _, c := range w.changes {
		if !c.Timestamp.Before(since) && (len(namespaces) == 0 || slices.Contains(namespaces, c.Namespace)) {
			out.Changes = append(out.Changes, c)
		}
	}
	return out, nil
}

// Normalize normalises a title with wiki.DefaultSiteInfo.
func (w *Wiki) Normalize(ctx context.Context, raw string) (wiki.Title, error) {
	return site.Normalize(raw)
}

// Requests returns how many reads and writes the code under test made.
func (w *Wiki) Requests() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.requests
}

// Text returns the page's latest text, or "" when it does not exist.
func (w *Wiki) Text(title string) string {
	if r, ok := w.latest(title); ok {
		return r.Text
	}
	return ""
}

// Page returns the page as Pages would read it.
func (w *Wiki) Page(title string) *wiki.Page {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.read(title, false)
}

// History returns the page's revisions, oldest first.
func (w *Wiki) History(title string) []Revision {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, _, err := normalize(title)
	if err != nil || w.pages[t] == nil {
		return nil
	}
	return slices.Clone(w.pages[t].revs)
}

// Edits returns how many edits Edit made (not counting Put, Unchanged and
// dry-run edits).
func (w *Wiki) Edits() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.edits
}

// Recorded returns the edits Edit did not make because Write was off, as
// (*wiki.Client).Recorded does.
func (w *Wiki) Recorded() []wiki.Action {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.recorded)
}

// User returns the bot's user name.
func (w *Wiki) User() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.bot
}

// SetUser changes the account the fake is logged in as; "" is an
// anonymous reader (who cannot write).
func (w *Wiki) SetUser(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.bot = name
}

// Pages reads the latest revision of each title, one Page per title in the
// order given, as (*wiki.Client).Pages does.
func (w *Wiki) Pages(ctx context.Context, titles []string, opts wiki.ReadOptions) ([]*wiki.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	out := make([]*wiki.Page, len(titles))
	for i, t := range titles {
		out[i] = w.read(t, opts.FollowRedirects)
	}
	return out, nil
}

// ListPrefix lists the existing pages whose title starts with prefix, by
// title.
func (w *Wiki) ListPrefix(ctx context.Context, prefix string) ([]wiki.PageRef, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	// Normalise with a placeholder so that a trailing "/" or space stays.
	p, _, err := normalize(prefix + "X")
	if err != nil {
		return nil, fmt.Errorf("wikitest: prefix %q: %w", prefix, err)
	}
	p = strings.TrimSuffix(p, "X")
	var refs []wiki.PageRef
	for title, pg := range w.pages {
		if len(pg.revs) == 0 || !strings.HasPrefix(title, p) {
			continue
		}
		last := pg.revs[len(pg.revs)-1]
		_, redirect := redirectTarget(last.Text)
		refs = append(refs, wiki.PageRef{Title: title, PageID: pg.id, Namespace: pg.namespace, LastRevID: last.RevID, Redirect: redirect})
	}
	slices.SortFunc(refs, func(a, b wiki.PageRef) int { return strings.Compare(a.Title, b.Title) })
	return refs, nil
}

// Contributors returns, for each existing title, everyone who edited it,
// under the title as asked for and as normalised. They come in the order
// of their first edit; MediaWiki's order is another (by account), so
// callers must not rely on it.
func (w *Wiki) Contributors(ctx context.Context, titles []string) (map[string][]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	out := map[string][]string{}
	for _, requested := range titles {
		t, _, err := normalize(requested)
		if err != nil || w.pages[t] == nil {
			continue
		}
		var users []string
		for _, r := range w.pages[t].revs {
			if !slices.Contains(users, r.User) {
				users = append(users, r.User)
			}
		}
		out[t], out[requested] = users, users
	}
	return out, nil
}

// LastRevisionBy returns user's latest revision of title, or a Page with
// RevID 0 when they never edited it.
func (w *Wiki) LastRevisionBy(ctx context.Context, title, user string) (*wiki.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	t, ns, err := normalize(title)
	if err != nil {
		return &wiki.Page{Requested: title, Title: title, Invalid: true, InvalidReason: err.Error()}, nil
	}
	p := &wiki.Page{Requested: title, Title: t, Namespace: ns}
	pg := w.pages[t]
	if pg == nil || len(pg.revs) == 0 {
		p.Missing = true
		return p, nil
	}
	p.PageID = pg.id
	for i := len(pg.revs) - 1; i >= 0; i-- {
		if r := pg.revs[i]; wikitext.NormalizeUser(r.User) == wikitext.NormalizeUser(user) {
			p.RevID, p.Timestamp, p.User = r.RevID, r.Timestamp, r.User
			p.ContentModel, p.Content = w.contentModel(t), r.Text
			break
		}
	}
	return p, nil
}

// Languages returns LanguageNames.
func (w *Wiki) Languages(ctx context.Context) (map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	out := make(map[string]string, len(w.LanguageNames))
	for code, name := range w.LanguageNames {
		out[code] = name
	}
	return out, nil
}

// Edit replaces the page's text as the bot, with the checks of
// (*wiki.Client).Edit and MediaWiki's answers (see the package
// documentation).
func (w *Wiki) Edit(ctx context.Context, req wiki.EditRequest) (wiki.EditResult, error) {
	if err := ctx.Err(); err != nil {
		return wiki.EditResult{}, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	title, ns, err := w.allowed(req.Title, true)
	if err != nil {
		return wiki.EditResult{}, err
	}
	res := wiki.EditResult{Title: title}
	creating := req.Base == nil || !req.Base.Exists()
	if !creating && wiki.SameText(req.Base.Content, req.Text) {
		res.Result = wiki.Unchanged
		return res, nil
	}
	if !w.Write {
		a := wiki.Action{Kind: wiki.ActionEdit, Title: title, Summary: req.Summary, Text: req.Text}
		if !creating {
			a.OldText, a.BaseRevID = req.Base.Content, req.Base.RevID
		}
		w.recorded = append(w.recorded, a)
		res.Result = wiki.DryRun
		return res, nil
	}
	w.requests++
	if w.bot == "" {
		return wiki.EditResult{}, wiki.ErrNotLoggedIn
	}
	model := req.ContentModel
	if model == "" {
		model = w.contentModel(title)
	}
	text := savedText(req.Text)
	if model == wiki.ContentModelJSON && !json.Valid([]byte(text)) {
		return wiki.EditResult{}, fmt.Errorf("wikitest: editing %s: the text is not valid JSON", title)
	}
	pg := w.pages[title]
	exists := pg != nil && len(pg.revs) > 0
	switch {
	case creating && exists:
		return wiki.EditResult{}, fmt.Errorf("wikitest: editing %s: %w", title, wiki.ErrPageExists)
	case !creating && !exists:
		return wiki.EditResult{}, fmt.Errorf("wikitest: editing %s: %w", title, wiki.ErrPageMissing)
	}
	if !creating {
		latest := pg.revs[len(pg.revs)-1]
		if latest.RevID != req.Base.RevID {
			// MediaWiki merges the edit into what was saved since its
			// base, whoever saved it, or reports a conflict.
			i := slices.IndexFunc(pg.revs, func(r Revision) bool { return r.RevID == req.Base.RevID })
			merged, ok := "", false
			if i >= 0 {
				merged, ok = merge3(pg.revs[i].Text, text, latest.Text)
			}
			if !ok {
				return wiki.EditResult{}, fmt.Errorf("wikitest: editing %s: %w", title, wiki.ErrEditConflict)
			}
			text, res.Merged = savedText(merged), true
		}
		if text == latest.Text {
			res.Result, res.Merged = wiki.Unchanged, false // MediaWiki's "nochange"
			return res, nil
		}
	}
	r := w.save(title, ns, w.bot, text, req.Summary)
	w.setContentModel(title, model)
	w.edits++
	res.RevID, res.Result = r.RevID, wiki.Updated
	if creating {
		res.Result = wiki.Created
	}
	return res, nil
}

// allowed returns the normalised title when the bot may write it (see
// EditPrefixes); edit says whether for Edit (else NewSection). The caller
// holds mu.
func (w *Wiki) allowed(title string, edit bool) (string, int, error) {
	if edit && w.EditPrefixes == nil {
		t, ns, err := normalize(title)
		if err != nil {
			return "", 0, fmt.Errorf("%w: %v", wiki.ErrTitleNotAllowed, err)
		}
		return t, ns, nil
	}
	t, err := site.Allowed(title, w.EditPrefixes)
	return t.Full, t.Namespace, err
}

// savedText is text as MediaWiki saves it: LF line ends, no trailing
// whitespace (TextContent::normalizeLineEndings).
func savedText(text string) string {
	text = strings.TrimRight(text, " \t\n\r")
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}

// save adds a revision unless the page already has the text; the caller
// holds mu.
func (w *Wiki) save(title string, ns int, user, text, summary string) Revision {
	text = savedText(text)
	pg := w.pages[title]
	if pg == nil {
		w.lastPage++
		pg = &page{id: w.lastPage, namespace: ns}
		w.pages[title] = pg
	}
	if n := len(pg.revs); n > 0 && pg.revs[n-1].Text == text {
		return pg.revs[n-1]
	}
	w.lastRev++
	w.now = w.now.Add(Tick)
	r := Revision{RevID: w.lastRev, User: user, Timestamp: w.now, Text: text, Summary: summary}
	kind := "edit"
	if len(pg.revs) == 0 {
		kind = "new"
	}
	pg.revs = append(pg.revs, r)
	w.changes = append(w.changes, wiki.Change{RCID: int64(len(w.changes) + 1), Type: kind, Title: title, Namespace: ns, RevID: r.RevID, Timestamp: r.Timestamp, User: user})
	return r
}

func (w *Wiki) latest(title string) (Revision, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, _, err := normalize(title)
	if err != nil || w.pages[t] == nil || len(w.pages[t].revs) == 0 {
		return Revision{}, false
	}
	revs := w.pages[t].revs
	return revs[len(revs)-1], true
}

// read returns a page as the API gives it; the caller holds mu.
func (w *Wiki) read(requested string, followRedirects bool) *wiki.Page {
	p := &wiki.Page{Requested: requested, Title: requested, ReadAt: w.now}
	t, ns, err := normalize(requested)
	if err != nil {
		p.Invalid, p.InvalidReason = true, err.Error()
		return p
	}
	p.Title, p.Namespace = t, ns
	for hops := 0; ; hops++ {
		pg := w.pages[p.Title]
		if pg == nil || len(pg.revs) == 0 {
			p.Missing = true
			return p
		}
		r := pg.revs[len(pg.revs)-1]
		// MediaWiki follows a chain of redirects to its end; RedirectFrom
		// is the last redirect, as the client reports it.
		if target, ok := redirectTarget(r.Text); ok && followRedirects && hops < maxRedirects {
			if tt, tns, err := normalize(target); err == nil && tt != p.Title && tt != p.RedirectFrom {
				p.RedirectFrom, p.Title, p.Namespace = p.Title, tt, tns
				continue
			}
		}
		p.PageID = pg.id
		p.RevID, p.Timestamp, p.User = r.RevID, r.Timestamp, r.User
		p.ContentModel, p.Content = w.contentModel(p.Title), r.Text
		return p
	}
}

// maxRedirects is the longest chain of redirects read follows.
const maxRedirects = 5

var redirectRE = regexp.MustCompile(`(?i)^\s*#redirect\s*:?\s*\[\[([^\[\]|#]+)`)

// redirectTarget returns the title a redirect page points to.
func redirectTarget(text string) (string, bool) {
	m := redirectRE.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// site is the fake's site info: MediaWiki's default namespaces.
var site = wiki.DefaultSiteInfo()

// normalize returns MediaWiki's form of a title and its namespace, as
// (*wiki.SiteInfo).Normalize does.
func normalize(raw string) (string, int, error) {
	t, err := site.Normalize(raw)
	return t.Full, t.Namespace, err
}

// Created returns when each existing page was created, as
// (*wiki.Client).Created does.
func (w *Wiki) Created(ctx context.Context, titles []string) (map[string]time.Time, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]time.Time{}
	for _, title := range titles {
		w.requests++
		t, _, err := normalize(title)
		if err != nil || w.pages[t] == nil || len(w.pages[t].revs) == 0 {
			continue
		}
		out[title] = w.pages[t].revs[0].Timestamp
	}
	return out, nil
}

// RevisionsAfter returns the revisions of title after revID, oldest
// first, as (*wiki.Client).RevisionsAfter does.
func (w *Wiki) RevisionsAfter(ctx context.Context, title string, revID int64, max int) ([]*wiki.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	t, ns, err := normalize(title)
	if err != nil || w.pages[t] == nil {
		return nil, nil
	}
	pg := w.pages[t]
	var out []*wiki.Page
	for _, r := range pg.revs {
		if r.RevID > revID {
			out = append(out, &wiki.Page{Requested: title, Title: t, PageID: pg.id, Namespace: ns, RevID: r.RevID,
				User: r.User, Timestamp: r.Timestamp, ContentModel: w.contentModel(t), Content: r.Text})
		}
	}
	if len(out) > max {
		return nil, fmt.Errorf("wikitest: %w: more than %d of %s since %d", wiki.ErrTooManyRevisions, max, title, revID)
	}
	return out, nil
}
