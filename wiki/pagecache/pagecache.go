// Package pagecache lets a run read only the pages that changed since the
// last run.
//
// A Cache sits between the sync engine and the wiki client and keeps what
// the last run read: pages (with their revision ids), prefix listings,
// contributors, the wiki's languages. Refresh, at the start of a run, asks
// the wiki's recent changes what happened since the last look (one
// request, no page content) and forgets exactly the pages concerned, and
// the listings of the prefixes they are under; the run then reads those
// again and takes everything else from memory. A run with nothing changed
// reads no page at all.
//
// The cache is disposable: an empty or lost cache only means a full read,
// and the engine is correct without one. It never decides what the bot
// writes over: edits still go with the revision they were planned on, so a
// stale entry can only make an edit fail as a conflict, never overwrite
// someone. What recent changes do not show is covered by a full read at
// least every MaxAge: pages imported with the maintenance script
// importDump.php (Special:Import is logged and seen), moves into a watched
// namespace from another one, and anything older than the wiki keeps
// recent changes ($wgRCMaxAge).
package pagecache

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cachefile"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/accounts"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// Source is the wiki under the cache: what the sync engine uses
// (sync.Wiki), plus what the cache needs to follow changes.
type Source interface {
	User() string
	Normalize(ctx context.Context, raw string) (wiki.Title, error)
	RecentChanges(ctx context.Context, since time.Time, namespaces []int) (wiki.RecentChanges, error)
	ListPrefix(ctx context.Context, prefix string) ([]wiki.PageRef, error)
	Pages(ctx context.Context, titles []string, opts wiki.ReadOptions) ([]*wiki.Page, error)
	Contributors(ctx context.Context, titles []string) (map[string][]string, error)
	Languages(ctx context.Context) (map[string]string, error)
	Edit(ctx context.Context, req wiki.EditRequest) (wiki.EditResult, error)
	LastRevisionBy(ctx context.Context, title, user string) (*wiki.Page, error)
	RevisionsAfter(ctx context.Context, title string, revID int64, max int) ([]*wiki.Page, error)
	Created(ctx context.Context, titles []string) (map[string]time.Time, error)
	TalkTargets(ctx context.Context, users []string, bot, kind, optOutCategory string) (map[string]wiki.TalkTarget, error)
	NewSection(ctx context.Context, req wiki.SectionRequest) (wiki.EditResult, error)
	Accounts(ctx context.Context, names []string, since time.Time) (map[string]accounts.Standing, error)
	BlockLog(ctx context.Context, since time.Time) ([]string, error)
	Contributions(ctx context.Context, users []string, since time.Time) (map[string]time.Time, error)
	Renames(ctx context.Context, since time.Time) ([]accounts.Rename, error)
}

// DefaultMaxAge is how long a cache serves without a full read.
const DefaultMaxAge = 24 * time.Hour

// overlap is how far before the last look each look at recent changes
// starts: an edit can reach recent changes a moment after its timestamp
// (on Wikimedia, a lagging replica), and looking twice costs nothing,
// since a page already cached at that revision is kept.
const overlap = 10 * time.Minute

// version changes when the snapshot's layout or meaning does.
const version = 2

// Cache is a read-through cache of a Source, kept current by Refresh.
// It implements the same methods as Source (and so sync.Wiki). It is not
// safe for concurrent use: one run at a time.
type Cache struct {
	Source
	// MaxAge bounds the time between full reads: New sets DefaultMaxAge;
	// 0 makes every Refresh a full read.
	MaxAge time.Duration
	// Now is the local clock (nil: time.Now), for MaxAge only.
	Now func() time.Time

	snap snapshot
	look look
	// The compressor (with snap.Dict: made again with a new snapshot)
	// and decompressor of the pages' texts, made once per snapshot (a
	// compressor is hundreds of kilobytes).
	zw *flate.Writer
	zr io.ReadCloser
}

// look is what this run's look at recent changes found about accounts,
// for this run's Accounts and Renames (the snapshot keeps what they make
// of it).
type look struct {
	// From is where the look started (the last look, less overlap); zero
	// when this run looked at no changes (a full read).
	From    time.Time
	Blocked map[string]bool      // users a block or global lock log entry names
	Edits   map[string]time.Time // each user's latest edit or creation
	Renames []accounts.Rename
}

// covered reports whether this run's look at recent changes holds
// everything since t: it started at or before t.
func (c *Cache) covered(t time.Time) bool {
	return !t.IsZero() && !c.look.From.IsZero() && !c.look.From.After(t)
}

// note keeps what a change says about accounts: a block log entry, a
// user rename, an edit's author.
func (l *look) note(ch wiki.Change) {
	switch {
	case ch.Type == "log" && (ch.LogType == "block" || ch.LogType == "globalauth"):
		// User:NAME, or User:NAME@global for a global lock or unlock
		// (CentralAuth's log, on Meta-Wiki).
		if _, name, ok := strings.Cut(ch.Title, ":"); ok && name != "" {
			l.Blocked[wikitext.NormalizeUser(strings.TrimSuffix(name, "@global"))] = true
		}
	case ch.Type == "log" && ch.LogType == "renameuser" && ch.OldUser != "" && ch.NewUser != "":
		r := accounts.Rename{Old: wikitext.NormalizeUser(ch.OldUser), New: wikitext.NormalizeUser(ch.NewUser), At: ch.Timestamp}
		if !slices.Contains(l.Renames, r) {
			l.Renames = append(l.Renames, r)
		}
	case ch.Type != "log" && ch.User != "":
		u := wikitext.NormalizeUser(ch.User)
		if at, ok := l.Edits[u]; !ok || ch.Timestamp.After(at) {
			l.Edits[u] = ch.Timestamp
		}
	}
}

// snapshot is what the cache keeps, and saves.
type snapshot struct {
	Version int
	Key     string    // the wiki and account the entries came from
	Full    time.Time // local time of the last full read
	Checked time.Time // the wiki's clock when recent changes were last read
	// Pages by requested title, as read without and with redirects
	// followed.
	Pages, Resolved map[string]*kept
	// Dict is the dictionary the pages' texts are compressed with: the
	// first text kept (at most 32 KiB of it).
	Dict         []byte
	Lists        map[string]*listing  // by prefix as the caller gave it
	Contributors map[string][]string  // by requested title; nil: none
	Created      map[string]time.Time // by requested title (a creation never changes)
	Languages    map[string]string
	Namespaces   []int           // of everything read: where to look for changes
	Seen         map[int64]int64 // log entries already applied (rcid → unix time)
	// Accounts by name as asked (nil: none read since the last full
	// read), as of AccountsChecked, the wiki's clock of their last look.
	Accounts        map[string]accounts.Standing
	AccountsChecked time.Time
	// Renames are the user renames read so far, oldest first, as of
	// RenamesChecked: log entries, which never change, so a full read
	// keeps them.
	Renames        []accounts.Rename
	RenamesChecked time.Time
	// EditsFrom: the accounts' latest edits are known from then on (the
	// cutoff of their last full read), as long as every look at recent
	// changes reaches back to the one before.
	EditsFrom time.Time
}

// kept is a page as the cache keeps it: its text compressed (deflate,
// with the snapshot's dictionary). A cache holds every page a run reads
// for the next run, through the whole run: at 100,000 registrations 120
// MB of text as read, about a third of it compressed (docs/performance.md).
type kept struct {
	wiki.Page        // Content empty
	Text      []byte // Content, compressed
	Size      int    // len(Content)
}

type listing struct {
	Prefix string // normalised, namespace included
	Refs   []wiki.PageRef
}

// New returns an empty cache over src for the wiki and account named by
// key (the API URL and the user, say): a saved cache of another key is
// not loaded.
func New(src Source, key string) *Cache {
	c := &Cache{Source: src, MaxAge: DefaultMaxAge}
	c.reset(key)
	return c
}

// reset empties the cache but for the renames read (log entries, true
// for ever).
func (c *Cache) reset(key string) {
	renames, checked := c.snap.Renames, c.snap.RenamesChecked
	c.snap, c.zw = emptySnapshot(key), nil
	c.snap.Renames, c.snap.RenamesChecked = renames, checked
}

// emptySnapshot is a snapshot with nothing in it (and its maps made: gob
// leaves a map that was empty when saved as it finds it).
func emptySnapshot(key string) snapshot {
	return snapshot{
		Version: version, Key: key,
		Pages: map[string]*kept{}, Resolved: map[string]*kept{},
		Lists: map[string]*listing{}, Contributors: map[string][]string{},
		Created: map[string]time.Time{},
		Seen:    map[int64]int64{},
	}
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Refreshed says what Refresh found.
type Refreshed struct {
	// Full: nothing was kept; Reason says why.
	Full   bool
	Reason string
	// Changes is the number of recent changes looked at, Forgotten the
	// pages and listings dropped because of them.
	Changes, Forgotten int
}

// Refresh brings the cache up to date with the wiki's recent changes,
// with one request when nothing changed (more only past rclimit
// entries). It starts a full read (an empty cache) when the cache is
// empty, too old, or recent changes cannot be read.
func (c *Cache) Refresh(ctx context.Context) (Refreshed, error) {
	key := c.snap.Key
	var reason string
	switch {
	case c.snap.Checked.IsZero():
		reason = "no cache yet"
	case c.MaxAge <= 0:
		reason = "every run reads everything (a maximum age of 0)"
	case c.now().Sub(c.snap.Full) > c.MaxAge:
		reason = fmt.Sprintf("the last full read is more than %s old", c.MaxAge)
	}
	c.look = look{}
	if reason != "" {
		c.reset(key)
		// One look now gives the wiki's clock: changes made from here on
		// are seen by the next run.
		rc, err := c.Source.RecentChanges(ctx, c.now().Add(time.Hour), nil)
		if err != nil {
			return Refreshed{}, err
		}
		c.snap.Full, c.snap.Checked = c.now(), rc.Now
		return Refreshed{Full: true, Reason: reason}, nil
	}
	since := c.snap.Checked.Add(-overlap)
	// A cache that keeps accounts looks at every namespace: participants
	// edit anywhere, and blocks and renames are log entries on user pages.
	namespaces := c.snap.Namespaces
	if c.snap.Accounts != nil || !c.snap.RenamesChecked.IsZero() {
		namespaces = nil
	}
	rc, err := c.Source.RecentChanges(ctx, since, namespaces)
	if err != nil {
		if ctx.Err() != nil {
			return Refreshed{}, err
		}
		c.reset(key)
		c.snap.Full, c.snap.Checked = c.now(), time.Time{}
		return Refreshed{Full: true, Reason: "reading recent changes failed: " + err.Error()}, nil
	}
	out := Refreshed{Changes: len(rc.Changes)}
	c.look = look{From: since, Blocked: map[string]bool{}, Edits: map[string]time.Time{}}
	for _, ch := range rc.Changes {
		c.look.note(ch)
	}
	var idx entries
	if len(rc.Changes) > 0 {
		idx = c.index()
	}
	for _, ch := range rc.Changes {
		out.Forgotten += c.apply(ch, idx)
	}
	for id, at := range c.snap.Seen {
		if at < since.Unix() {
			delete(c.snap.Seen, id)
		}
	}
	c.snap.Checked = rc.Now
	return out, nil
}

// apply forgets what one change makes stale and returns how many entries.
func (c *Cache) apply(ch wiki.Change, idx entries) int {
	titles := []string{ch.Title}
	if ch.Type == "log" && unchanging[ch.LogType] {
		return 0
	}
	if ch.Type == "log" {
		if _, done := c.snap.Seen[ch.RCID]; done {
			return 0
		}
		c.snap.Seen[ch.RCID] = ch.Timestamp.Unix()
		if ch.Target != "" {
			titles = append(titles, ch.Target)
		}
	}
	n := 0
	for _, t := range titles {
		n += c.forget(t, ch, idx)
	}
	return n
}

// unchanging are the log types that change no page's text, title or
// existence. A content model change is also a new revision, which recent
// changes list as an edit.
var unchanging = map[string]bool{
	"contentmodel": true, "protect": true, "patrol": true, "review": true, "thanks": true,
	"newusers": true, "block": true, "rights": true, "tag": true, "create": true,
}

// forget drops the entries of title that ch may have made stale, and
// returns how many. An edit to a revision the cache already has (the
// bot's own, or one read after it) makes nothing stale. A listing is kept
// through edits of pages already in it: they change no title (Pages
// updates their redirect flag when it reads them again).
func (c *Cache) forget(title string, ch wiki.Change, idx entries) int {
	n := 0
	for _, e := range idx[title] {
		p, ok := e.m[e.key]
		if !ok {
			continue // forgotten by an earlier change
		}
		if current := ch.Type != "log" && p.Title == title && p.RevID >= ch.RevID; !current {
			delete(e.m, e.key)
			n++
		}
	}
	if ch.Type != "log" && c.known(title, ch.RevID) {
		return n
	}
	if _, ok := c.snap.Contributors[title]; ok {
		delete(c.snap.Contributors, title)
		n++
	}
	if _, ok := c.snap.Created[title]; ok && ch.Type == "log" {
		// Deleted, moved or restored: it may be another page now.
		delete(c.snap.Created, title)
		n++
	}
	for k, l := range c.snap.Lists {
		if strings.HasPrefix(title, l.Prefix) && (ch.Type != "edit" || l.find(title) < 0) {
			delete(c.snap.Lists, k)
			n++
		}
	}
	return n
}

// entries are the cached pages by the titles a change to which concerns
// them: their own, and the redirect they were read through. Made once per
// look at recent changes, it spares scanning every page for every change
// (an hour of a busy wiki is a thousand changes).
type entries map[string][]entry

type entry struct {
	m   map[string]*kept // c.snap.Pages or c.snap.Resolved
	key string
}

func (c *Cache) index() entries {
	idx := entries{}
	for _, m := range []map[string]*kept{c.snap.Pages, c.snap.Resolved} {
		for k, p := range m {
			idx[p.Title] = append(idx[p.Title], entry{m, k})
			if p.RedirectFrom != "" {
				idx[p.RedirectFrom] = append(idx[p.RedirectFrom], entry{m, k})
			}
		}
	}
	return idx
}

// known reports whether the cache has title's text at revID or later.
func (c *Cache) known(title string, revID int64) bool {
	for _, m := range []map[string]*kept{c.snap.Pages, c.snap.Resolved} {
		if p, ok := m[title]; ok && p.Title == title && p.RevID >= revID {
			return true
		}
	}
	return false
}

// find returns the index of title in the listing, or -1.
func (l *listing) find(title string) int {
	i, found := slices.BinarySearchFunc(l.Refs, title, func(r wiki.PageRef, t string) int { return strings.Compare(r.Title, t) })
	if !found {
		return -1
	}
	return i
}

// relist brings the listings' entry of a page read again up to date.
func (c *Cache) relist(p *wiki.Page) {
	for _, l := range c.snap.Lists {
		if i := l.find(p.Title); i >= 0 && p.Exists() {
			l.Refs[i].LastRevID = p.RevID
			l.Refs[i].Redirect = redirectLine.MatchString(p.Content)
		}
	}
}

// redirectLine is MediaWiki's redirect syntax with the English magic word
// (the one every wiki accepts).
var redirectLine = regexp.MustCompile(`(?i)^\s*#REDIRECT\s*:?\s*\[\[`)

func (c *Cache) watch(ns int) {
	if !slices.Contains(c.snap.Namespaces, ns) {
		c.snap.Namespaces = append(c.snap.Namespaces, ns)
		slices.Sort(c.snap.Namespaces)
	}
}

// Pages returns the cached pages and reads the others (in batches, by the
// Source).
func (c *Cache) Pages(ctx context.Context, titles []string, opts wiki.ReadOptions) ([]*wiki.Page, error) {
	m := c.snap.Pages
	if opts.FollowRedirects {
		m = c.snap.Resolved
	}
	out := make([]*wiki.Page, len(titles))
	var missing []string
	for i, t := range titles {
		if k, ok := m[t]; ok {
			p, err := c.page(k)
			if err != nil {
				return nil, err
			}
			out[i] = p
		} else {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	read, err := c.Source.Pages(ctx, missing, opts)
	if err != nil {
		return nil, err
	}
	byTitle := make(map[string]*wiki.Page, len(read))
	for _, p := range read {
		byTitle[p.Requested] = p
		if !p.Invalid {
			c.watch(p.Namespace)
			if p.RedirectFrom != "" {
				// The redirect may be in another namespace: its changes
				// (a new target) must be seen too.
				if t, err := c.Source.Normalize(ctx, p.RedirectFrom); err == nil {
					c.watch(t.Namespace)
				}
			}
			k, err := c.keep(p)
			if err != nil {
				return nil, err
			}
			m[p.Requested] = k
			if !opts.FollowRedirects {
				c.relist(p)
			}
		}
	}
	for i, t := range titles {
		if out[i] == nil {
			out[i] = byTitle[t]
		}
	}
	return out, nil
}

// ListPrefix returns the cached listing of prefix or lists it.
func (c *Cache) ListPrefix(ctx context.Context, prefix string) ([]wiki.PageRef, error) {
	if l, ok := c.snap.Lists[prefix]; ok {
		return slices.Clone(l.Refs), nil
	}
	// The placeholder keeps a trailing "/" or space through normalisation.
	t, err := c.Source.Normalize(ctx, prefix+"X")
	if err != nil {
		return nil, err
	}
	refs, err := c.Source.ListPrefix(ctx, prefix)
	if err != nil {
		return nil, err
	}
	sorted := slices.Clone(refs)
	slices.SortFunc(sorted, func(a, b wiki.PageRef) int { return strings.Compare(a.Title, b.Title) })
	c.snap.Lists[prefix] = &listing{Prefix: strings.TrimSuffix(t.Full, "X"), Refs: sorted}
	c.watch(t.Namespace)
	return refs, nil
}

// Contributors returns the cached contributors and reads the others.
func (c *Cache) Contributors(ctx context.Context, titles []string) (map[string][]string, error) {
	out := make(map[string][]string, len(titles))
	var missing []string
	for _, t := range titles {
		if users, ok := c.snap.Contributors[t]; ok {
			if users != nil {
				out[t] = slices.Clone(users)
			}
		} else {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	read, err := c.Source.Contributors(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, t := range missing {
		users := read[t]
		c.snap.Contributors[t] = users
		if users != nil {
			out[t] = slices.Clone(users)
		}
	}
	return out, nil
}

// Created returns when the pages were created: cached ones from the
// cache (a page's first revision stays its first), the others read.
func (c *Cache) Created(ctx context.Context, titles []string) (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(titles))
	var missing []string
	for _, t := range titles {
		if at, ok := c.snap.Created[t]; ok {
			out[t] = at
		} else {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	read, err := c.Source.Created(ctx, missing)
	if err != nil {
		return nil, err
	}
	if c.snap.Created == nil {
		c.snap.Created = map[string]time.Time{}
	}
	for t, at := range read {
		c.snap.Created[t], out[t] = at, at
	}
	return out, nil
}

// Languages returns the wiki's languages, read once per full read.
func (c *Cache) Languages(ctx context.Context) (map[string]string, error) {
	if c.snap.Languages == nil {
		langs, err := c.Source.Languages(ctx)
		if err != nil {
			return nil, err
		}
		c.snap.Languages = langs
	}
	out := make(map[string]string, len(c.snap.Languages))
	for k, v := range c.snap.Languages {
		out[k] = v
	}
	return out, nil
}

// Edit edits through the Source and keeps what was written: the next run
// compares its plan with it without reading the page again.
func (c *Cache) Edit(ctx context.Context, req wiki.EditRequest) (wiki.EditResult, error) {
	res, err := c.Source.Edit(ctx, req)
	written := err == nil && (res.Result == wiki.Created || res.Result == wiki.Updated) && !res.Merged && res.RevID != 0
	old, known := c.snap.Pages[req.Title]
	switch {
	case written:
		p := &wiki.Page{Requested: req.Title, Title: res.Title, RevID: res.RevID, User: c.Source.User(),
			Timestamp: c.now().UTC(), ContentModel: req.ContentModel,
			// MediaWiki trims the end of the text it saves.
			Content: strings.TrimRight(req.Text, " \t\n\r")}
		if p.ContentModel == "" {
			p.ContentModel = wiki.ContentModelWikitext
		}
		if known {
			p.PageID, p.Namespace, p.ReadAt = old.PageID, old.Namespace, old.ReadAt
			if p.Title == "" {
				p.Title = old.Title
			}
		}
		resolved, wasPage := c.snap.Resolved[req.Title]
		delete(c.snap.Resolved, req.Title)
		if p.Title == "" {
			delete(c.snap.Pages, req.Title)
			break
		}
		k, kerr := c.keep(p)
		if kerr != nil {
			delete(c.snap.Pages, req.Title)
			break
		}
		c.snap.Pages[req.Title] = k
		if wasPage && resolved.RedirectFrom == "" {
			// Read with redirects followed, it is the same page.
			cp := *k
			c.snap.Resolved[req.Title] = &cp
		}
	case err != nil || res.Merged:
		// What the page holds now is unknown: read it next time.
		delete(c.snap.Pages, req.Title)
		delete(c.snap.Resolved, req.Title)
	}
	return res, err
}

// Accounts answers as the Source does (blocks, and edits since since),
// reading everything only when the cache has no accounts yet (after a
// full read, or for an account it never saw). Otherwise what this run's
// look at recent changes found since the last one (every namespace)
// answers without a request: the accounts its block log entries name, and
// those whose block has ended since, are read again; each account's
// latest edit is brought up to date from the edits it lists, so a sharer
// known inactive is asked again only when the window reaches further back
// than the cache's knowledge of edits (since before EditsFrom). When this
// run's look does not reach back to the accounts' last one, the block log
// (one request) and the contributions of the accounts not known to have
// edited since are read instead.
func (c *Cache) Accounts(ctx context.Context, names []string, since time.Time) (map[string]accounts.Standing, error) {
	// The look at recent changes that started this run: a block after it
	// is seen by the next run's look.
	checked := c.snap.Checked
	if c.snap.Accounts == nil || c.snap.AccountsChecked.IsZero() || checked.IsZero() {
		got, err := c.Source.Accounts(ctx, names, since)
		if err != nil {
			return nil, err
		}
		c.snap.Accounts, c.snap.AccountsChecked, c.snap.EditsFrom = maps.Clone(got), checked, since
		return got, nil
	}
	covered := c.covered(c.snap.AccountsChecked)
	named := c.look.Blocked
	if !covered {
		logged, err := c.Source.BlockLog(ctx, c.snap.AccountsChecked.Add(-overlap))
		if err != nil {
			return nil, err
		}
		named = map[string]bool{}
		for _, u := range logged {
			named[u] = true
		}
	}
	var stale []string
	isStale := map[string]bool{}
	for _, n := range names {
		a, ok := c.snap.Accounts[n]
		ended := a.Blocked && !a.BlockExpiry.IsZero() && !a.BlockExpiry.After(checked)
		if !ok || ended || named[wikitext.NormalizeUser(n)] {
			stale, isStale[n] = append(stale, n), true
		}
	}
	if len(stale) > 0 {
		got, err := c.Source.Accounts(ctx, stale, since)
		if err != nil {
			return nil, err
		}
		maps.Copy(c.snap.Accounts, got)
	}
	// Edits are known from EditsFrom on when every look since reached
	// back to the one before.
	known := covered && !c.snap.EditsFrom.IsZero() && !since.Before(c.snap.EditsFrom)
	out := make(map[string]accounts.Standing, len(names))
	var unknown []string
	for _, n := range names {
		a := c.snap.Accounts[n]
		if at, ok := c.look.Edits[wikitext.NormalizeUser(n)]; ok && covered && at.After(a.LastEdit) {
			a.LastEdit = at
		}
		c.snap.Accounts[n] = a
		switch {
		case since.IsZero():
			a.Edited, a.LastEdit = false, time.Time{}
		case isStale[n] || a.Missing:
		case !a.LastEdit.IsZero() && !a.LastEdit.Before(since):
			a.Edited = true
		case known:
			a.Edited = false
		default:
			unknown = append(unknown, wikitext.NormalizeUser(n))
		}
		out[n] = a
	}
	if len(unknown) > 0 {
		last, err := c.Source.Contributions(ctx, unknown, since)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			a := out[n]
			if at, ok := last[wikitext.NormalizeUser(n)]; ok {
				a.LastEdit, a.Edited = at, true
				out[n] = a
				c.snap.Accounts[n] = a
			}
		}
	}
	if !since.IsZero() && (!known || since.Before(c.snap.EditsFrom)) {
		c.snap.EditsFrom = since
	}
	c.snap.AccountsChecked = checked
	return out, nil
}

// Renames answers as the Source does (the user renames logged at or
// after since): from this run's look at recent changes when it reaches
// back to the last time renames were read, otherwise from the rename log
// since then, less overlap (one request, after a full read), or since
// since the first time. Renames are log entries, true for ever: a full
// read keeps them.
func (c *Cache) Renames(ctx context.Context, since time.Time) ([]accounts.Rename, error) {
	got := c.look.Renames
	if !c.covered(c.snap.RenamesChecked) {
		from := since
		if last := c.snap.RenamesChecked.Add(-overlap); !c.snap.RenamesChecked.IsZero() && last.After(since) {
			from = last
		}
		var err error
		if got, err = c.Source.Renames(ctx, from); err != nil {
			return nil, err
		}
	}
	kept := slices.DeleteFunc(c.snap.Renames, func(r accounts.Rename) bool { return r.At.Before(since) })
	for _, r := range got {
		if !slices.Contains(kept, r) {
			kept = append(kept, r)
		}
	}
	slices.SortStableFunc(kept, func(a, b accounts.Rename) int { return a.At.Compare(b.At) })
	c.snap.Renames = kept
	if !c.snap.Checked.IsZero() {
		c.snap.RenamesChecked = c.snap.Checked
	}
	return slices.Clone(kept), nil
}

// Load reads a cache saved by Save. A missing, unreadable or foreign file
// (another key or layout) leaves the cache empty and says why; the next
// Refresh then starts a full read.
func (c *Cache) Load(path string) error {
	s := emptySnapshot(c.snap.Key)
	found, err := cachefile.Read(path, func(r io.Reader) error { return decode(gob.NewDecoder(r), &s) })
	switch {
	case !found && err == nil:
		return nil
	case err != nil:
		return fmt.Errorf("pagecache: %s is not a cache this version reads (%v); starting afresh", path, err)
	case s.Version != version || s.Key != c.snap.Key:
		return fmt.Errorf("pagecache: %s belongs to another wiki, account or version; starting afresh", path)
	}
	c.snap, c.zw = s, nil // the compressor has the old dictionary
	return nil
}

// Save writes the cache to path (see cachefile.Write).
func (c *Cache) Save(path string) error {
	return cachefile.Write(path, func(w io.Writer) error { return encode(gob.NewEncoder(w), &c.snap) })
}

// Stats says what the cache holds.
type Stats struct{ Pages, Lists int }

// Stats returns the number of pages and listings cached.
func (c *Cache) Stats() Stats {
	return Stats{Pages: len(c.snap.Pages) + len(c.snap.Resolved), Lists: len(c.snap.Lists)}
}

// NewSection posts through the Source and forgets the page: what it holds
// now is the wiki's to say.
func (c *Cache) NewSection(ctx context.Context, req wiki.SectionRequest) (wiki.EditResult, error) {
	res, err := c.Source.NewSection(ctx, req)
	delete(c.snap.Pages, req.Title)
	delete(c.snap.Resolved, req.Title)
	return res, err
}

// encode writes the snapshot as its header, then one value per page: gob
// buffers each value whole, and the pages together are most of the
// cache (6.7 MB at 10,000 registrations, their texts compressed).
func encode(enc *gob.Encoder, s *snapshot) error {
	head := *s
	head.Pages, head.Resolved = nil, nil
	if err := enc.Encode(&head); err != nil {
		return err
	}
	for _, m := range []map[string]*kept{s.Pages, s.Resolved} {
		if err := enc.Encode(len(m)); err != nil {
			return err
		}
		for k, p := range m {
			if err := enc.Encode(k); err != nil {
				return err
			}
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// decode reads what encode wrote.
func decode(dec *gob.Decoder, s *snapshot) error {
	if err := dec.Decode(s); err != nil {
		return err
	}
	if s.Version != version {
		return nil // the caller tells; the rest may not be pages
	}
	for _, m := range []*map[string]*kept{&s.Pages, &s.Resolved} {
		var n int
		if err := dec.Decode(&n); err != nil {
			return err
		}
		for range n {
			var k string
			p := new(kept)
			if err := dec.Decode(&k); err != nil {
				return err
			}
			if err := dec.Decode(p); err != nil {
				return err
			}
			(*m)[k] = p
		}
	}
	return nil
}

// keep returns the page as the cache keeps it, its text compressed. The
// first text kept is the dictionary of all: most pages a run reads are
// alike (the registrations), and one of them, or the taxonomy they name
// skills from, compresses the others 3.5 times rather than 2.
func (c *Cache) keep(p *wiki.Page) (*kept, error) {
	k := &kept{Page: *p, Size: len(p.Content)}
	k.Content = ""
	if p.Content == "" {
		return k, nil
	}
	if c.snap.Dict == nil {
		c.snap.Dict = []byte(p.Content[:min(len(p.Content), 32<<10)])
	}
	var buf bytes.Buffer
	if c.zw == nil {
		w, err := flate.NewWriterDict(&buf, flate.BestSpeed+1, c.snap.Dict)
		if err != nil {
			return nil, err
		}
		c.zw = w
	} else {
		c.zw.Reset(&buf)
	}
	if _, err := io.WriteString(c.zw, p.Content); err != nil {
		return nil, err
	}
	if err := c.zw.Close(); err != nil {
		return nil, err
	}
	k.Text = bytes.Clone(buf.Bytes())
	return k, nil
}

// page returns a copy of a kept page with its text.
func (c *Cache) page(k *kept) (*wiki.Page, error) {
	p := k.Page
	if k.Size == 0 {
		return &p, nil
	}
	src := bytes.NewReader(k.Text)
	if c.zr == nil {
		c.zr = flate.NewReaderDict(src, c.snap.Dict)
	} else if err := c.zr.(flate.Resetter).Reset(src, c.snap.Dict); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(k.Size)
	if _, err := io.Copy(&b, c.zr); err != nil {
		return nil, fmt.Errorf("pagecache: the text of %q: %w", p.Title, err)
	}
	p.Content = b.String()
	return &p, nil
}
