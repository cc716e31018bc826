package wikitest

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/accounts"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// This file has the fake's accounts and talk pages: what
// (*wiki.Client).Users, TalkTargets and NewSection read and write.

// RemoveUser makes the account name not exist (as if it had never been
// registered). By default every valid user name has an account. It panics
// on an invalid user name: that is a bug in the test.
func (w *Wiki) RemoveUser(name string) {
	key := mustUser("RemoveUser", name)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.removedUsers == nil {
		w.removedUsers = map[string]bool{}
	}
	w.removedUsers[key] = true
}

// Block blocks the account name from editing the whole wiki, with reason
// (Users reports it). A block of an account that does not exist is
// invisible, as in MediaWiki's list=users. It panics on an invalid user
// name.
func (w *Wiki) Block(name, reason string) {
	key := mustUser("Block", name)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.blocks == nil {
		w.blocks = map[string]string{}
	}
	w.blocks[key] = reason
	w.logBlock(key, "block")
}

// Unblock lifts the account's block (a block log entry, as in MediaWiki).
func (w *Wiki) Unblock(name string) {
	key := mustUser("Unblock", name)
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.blocks, key)
	w.logBlock(key, "unblock")
}

// logBlock adds a block log entry, in the log and in recent changes (the
// caller holds w.mu).
func (w *Wiki) logBlock(user, action string) {
	w.blockLog = append(w.blockLog, blockEntry{User: user, At: w.now})
	w.changes = append(w.changes, wiki.Change{RCID: int64(len(w.changes) + 1), Type: "log", Title: "User:" + user,
		Namespace: wiki.NamespaceUser, Timestamp: w.now, LogType: "block", LogAction: action, User: w.bot})
}

// RenameUser renames the account old to new, as MediaWiki's Renameuser
// does with "move pages": the rename log has it, old no longer exists,
// old's revisions are new's (the actor is renamed; signatures in pages'
// text are not), and old's user and talk pages move to new's, leaving
// redirects. It panics on an invalid user name.
func (w *Wiki) RenameUser(old, new string) {
	o, n := mustUser("RenameUser", old), mustUser("RenameUser", new)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.pages {
		for i := range p.revs {
			if wikitext.NormalizeUser(p.revs[i].User) == o {
				p.revs[i].User = n
			}
		}
	}
	for i := range w.changes {
		if wikitext.NormalizeUser(w.changes[i].User) == o {
			w.changes[i].User = n
		}
	}
	for _, ns := range []string{"User:", "User talk:"} {
		if pg := w.pages[ns+o]; pg != nil && len(pg.revs) > 0 {
			w.save(ns+n, pg.namespace, n, pg.revs[len(pg.revs)-1].Text, "moved")
			w.save(ns+o, pg.namespace, n, "#REDIRECT [["+ns+n+"]]", "moved")
		}
	}
	if w.removedUsers == nil {
		w.removedUsers = map[string]bool{}
	}
	w.removedUsers[o] = true
	delete(w.removedUsers, n)
	w.now = w.now.Add(Tick)
	w.renameLog = append(w.renameLog, accounts.Rename{Old: o, New: n, At: w.now})
	w.changes = append(w.changes, wiki.Change{RCID: int64(len(w.changes) + 1), Type: "log", Title: "User:" + o,
		Namespace: wiki.NamespaceUser, Timestamp: w.now, LogType: "renameuser", LogAction: "renameuser", OldUser: o, NewUser: n})
}

// Renames answers as the real client: the renames logged at or after
// since, oldest first.
func (w *Wiki) Renames(ctx context.Context, since time.Time) ([]accounts.Rename, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	var out []accounts.Rename
	for _, r := range w.renameLog {
		if !r.At.Before(since) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Lock locks the global account name, as a steward does on Meta-Wiki
// (CentralAuth): Accounts reports it Locked, and recent changes list the
// globalauth log entry. It panics on an invalid user name.
func (w *Wiki) Lock(name string) {
	key := mustUser("Lock", name)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.locks == nil {
		w.locks = map[string]bool{}
	}
	w.locks[key] = true
	w.changes = append(w.changes, wiki.Change{RCID: int64(len(w.changes) + 1), Type: "log", Title: "User:" + key + "@global",
		Namespace: wiki.NamespaceUser, Timestamp: w.now, LogType: "globalauth", LogAction: "setstatus", User: w.bot})
}

// blockEntry is one entry of the block log: its target, and when.
type blockEntry struct {
	User string
	At   time.Time
}

// BlockLog answers as the real client: the users the block log names at
// or after since, each once, in the order of their first entry.
func (w *Wiki) BlockLog(ctx context.Context, since time.Time) ([]string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	var out []string
	for _, e := range w.blockLog {
		if !e.At.Before(since) && !slices.Contains(out, e.User) {
			out = append(out, e.User)
		}
	}
	return out, nil
}

// Contributions answers as the real client: the latest revision at or
// after since of each of the users (normalised names) who saved one.
func (w *Wiki) Contributions(ctx context.Context, users []string, since time.Time) (map[string]time.Time, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	return w.lastEdits(users, since), nil
}

// lastEdits: the latest revision at or after since of each of the users
// who saved one (deleted pages' revisions are gone, as their
// contributions are from list=usercontribs). The caller holds w.mu.
func (w *Wiki) lastEdits(users []string, since time.Time) map[string]time.Time {
	out := map[string]time.Time{}
	asked := map[string]bool{}
	for _, u := range users {
		asked[u] = true
	}
	for _, p := range w.pages {
		for _, r := range p.revs {
			u := wikitext.NormalizeUser(r.User)
			if r.Timestamp.Before(since) || !asked[u] {
				continue
			}
			if at, ok := out[u]; !ok || r.Timestamp.After(at) {
				out[u] = r.Timestamp
			}
		}
	}
	return out
}

// SetCategories sets the categories the page is in (names without
// "Category:"), replacing those set before; none clears them. On a real
// wiki categories come from the page's wikitext and the templates it uses;
// here the test says which. A literal [[Category:NAME]] in the page's text
// (outside comments and <nowiki>) counts too. It panics on an invalid
// title or category.
func (w *Wiki) SetCategories(title string, categories ...string) {
	t, _, err := normalize(title)
	if err != nil {
		panic("wikitest: SetCategories: " + err.Error())
	}
	var cats []string
	for _, c := range categories {
		ct, ok := categoryTitle(c)
		if !ok {
			panic(fmt.Sprintf("wikitest: SetCategories: invalid category %q", c))
		}
		cats = append(cats, ct)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.categories == nil {
		w.categories = map[string][]string{}
	}
	if len(cats) == 0 {
		delete(w.categories, t)
		return
	}
	w.categories[t] = cats
}

// SetContentModel sets the page's content model ("wikitext" by default),
// which Pages reports: a talk page that is, say, a "flow-board" (a
// structured discussion board) is one the bot must not post on. It may be
// set before the page exists. It panics on an invalid title.
func (w *Wiki) SetContentModel(title, model string) {
	t, _, err := normalize(title)
	if err != nil {
		panic("wikitest: SetContentModel: " + err.Error())
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.setContentModel(t, model)
}

// setContentModel sets the (normalised) title's content model; the
// caller holds mu.
func (w *Wiki) setContentModel(title, model string) {
	if model == "" || model == wiki.ContentModelWikitext {
		delete(w.contentModels, title)
		return
	}
	if w.contentModels == nil {
		w.contentModels = map[string]string{}
	}
	w.contentModels[title] = model
}

// contentModel returns the content model of the (normalised) title; the
// caller holds mu.
func (w *Wiki) contentModel(title string) string {
	if m, ok := w.contentModels[title]; ok {
		return m
	}
	return wiki.ContentModelWikitext
}

// Users looks accounts up as (*wiki.Client).Users does, keyed by the names
// as given: a name that cannot be a user's (empty, with a character
// MediaWiki forbids in titles, a "/", a namespace prefix, an IP address)
// is Invalid; any other exists unless RemoveUser removed it, and is
// Blocked when Block blocked it.
func (w *Wiki) Users(ctx context.Context, names []string) (map[string]accounts.UserStatus, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]accounts.UserStatus, len(names))
	for _, name := range names {
		// As the real client, which never sends these.
		if strings.ContainsAny(name, "|\x00\n") || strings.TrimSpace(name) == "" {
			out[name] = accounts.UserStatus{Name: name, Invalid: true}
			continue
		}
		key := wikitext.NormalizeUser(name)
		st := accounts.UserStatus{Name: key}
		switch {
		case !validUser(key):
			st.Invalid = true
		case w.removedUsers[key]:
		default:
			st.Exists = true
			st.BlockReason, st.Blocked = w.blocks[key]
		}
		out[name] = st
	}
	return out, nil
}

// validUser reports whether a normalised name can be a user's, roughly
// as MediaWiki's UserNameUtils::isValid.
func validUser(name string) bool {
	if _, err := netip.ParseAddr(name); err == nil {
		return false // an IP address edits, but has no account
	}
	n, err := wikitext.CheckUserName(name)
	return err == nil && n == name
}

func mustUser(method, name string) string {
	key := wikitext.NormalizeUser(name)
	if strings.ContainsAny(name, "|\x00\n") || !validUser(key) {
		panic(fmt.Sprintf("wikitest: %s: invalid user name %q", method, name))
	}
	return key
}

// TalkTargets checks, for each user, whether a message may be posted on
// their talk page, as (*wiki.Client).TalkTargets does and with the same
// Skip reasons: the account exists and is not blocked (see Users); the
// talk page, after one redirect, which must stay in the User talk
// namespace, is wikitext (see SetContentModel); it does not exclude bot
// ({{bots}}/{{nobots}}, see wikitext.BotsExcluded, with kind for optout); it is not
// in optOutCategory (see SetCategories; "" for none).
func (w *Wiki) TalkTargets(ctx context.Context, users []string, bot, kind, optOutCategory string) (map[string]wiki.TalkTarget, error) {
	return wiki.ResolveTalkTargets(ctx, w, users, bot, kind, optOutCategory)
}

// InCategory reports which of titles are in the category: set by
// SetCategories, or linked literally in the page's latest text.
func (w *Wiki) InCategory(ctx context.Context, titles []string, category string) (map[string]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	want, ok := categoryTitle(category)
	if !ok {
		return nil, fmt.Errorf("wikitest: reading categories: invalid category %q", category)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]bool{}
	for _, title := range titles {
		t, _, err := normalize(title)
		if err != nil {
			continue
		}
		if slices.Contains(w.categories[t], want) {
			out[title] = true
			continue
		}
		if pg := w.pages[t]; pg != nil && len(pg.revs) > 0 && slices.Contains(textCategories(pg.revs[len(pg.revs)-1].Text), want) {
			out[title] = true
		}
	}
	return out, nil
}

// categoryTitle returns the full, normalised title of a category named
// without its "Category:" prefix.
func categoryTitle(name string) (string, bool) {
	t, ns, err := normalize("Category:" + name)
	return t, err == nil && ns == wiki.NamespaceCategory
}

// linkRE matches a wikilink's target (group 1).
var linkRE = regexp.MustCompile(`\[\[([^\[\]|]*)(?:\|[^\[\]]*)?\]\]`)

// textCategories returns the categories a text puts its page in with
// literal [[Category:...]] links (not [[:Category:...]], which are links
// to the category), outside comments and extension tags.
func textCategories(text string) []string {
	var cats []string
	mapOutsideStrips(text, func(s string) string {
		for _, m := range linkRE.FindAllStringSubmatch(s, -1) {
			target := strings.TrimSpace(m[1])
			if strings.HasPrefix(target, ":") {
				continue
			}
			if t, ns, err := normalize(target); err == nil && ns == wiki.NamespaceCategory {
				cats = append(cats, t)
			}
		}
		return s
	})
	return cats
}

// NewSection adds a section at the end of a page, with the checks of
// (*wiki.Client).NewSection: the title must be a user's talk page
// (namespace User talk, not a subpage) or under EditPrefixes, else the
// error wraps wiki.ErrTitleNotAllowed; the Marker must occur in Text.
// Then BeforeSection is called, if set.
//
// Unless Write is set, it records a wiki.Action of Kind "new section"
// (with Text as given) and returns wiki.DryRun. With Write, it saves a
// revision by the bot (creating the page if needed) as MediaWiki's
// section=new does: the old text (unless blank), a blank line,
// "== Heading ==" (unless Heading is ""), a blank line and Text. In the
// new section, signatures (~~~~, also ~~~ and ~~~~~) outside comments and
// extension tags such as <nowiki> are expanded as MediaWiki's pre-save
// transform does, with Signature as of the revision's time. It returns
// wiki.Posted with the new revision, which Edits counts. The revision's
// summary is Summary, or the heading.
func (w *Wiki) NewSection(ctx context.Context, req wiki.SectionRequest) (wiki.EditResult, error) {
	if err := ctx.Err(); err != nil {
		return wiki.EditResult{}, err
	}
	w.mu.Lock()
	title, ns, err := w.allowed(req.Title, false)
	w.mu.Unlock()
	if err != nil {
		return wiki.EditResult{}, err
	}
	if req.Marker == "" || !strings.Contains(req.Text, req.Marker) {
		return wiki.EditResult{}, errors.New("wikitest: a new section needs a marker that occurs in its text")
	}
	summary := req.Summary
	if summary == "" {
		summary = req.Heading
	}
	w.mu.Lock()
	hook := w.BeforeSection
	w.mu.Unlock()
	if hook != nil {
		if err := hook(title); err != nil {
			return wiki.EditResult{}, err
		}
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++ // the read before posting
	res := wiki.EditResult{Title: title}
	if pg := w.pages[title]; pg != nil && len(pg.revs) > 0 && strings.Contains(pg.revs[len(pg.revs)-1].Text, req.Marker) {
		last := pg.revs[len(pg.revs)-1]
		res.Result, res.RevID = wiki.AlreadyPosted, last.RevID
		return res, nil
	}
	if !w.Write {
		w.recorded = append(w.recorded, wiki.Action{Kind: wiki.ActionNewSection, Title: title, Summary: summary, Heading: req.Heading, Text: req.Text})
		res.Result = wiki.DryRun
		return res, nil
	}
	if w.bot == "" {
		return wiki.EditResult{}, wiki.ErrNotLoggedIn
	}
	var old string
	if pg := w.pages[title]; pg != nil && len(pg.revs) > 0 {
		old = pg.revs[len(pg.revs)-1].Text
	}
	// WikitextContent::replaceSection with section "new", then the
	// pre-save transform (of the new section only: the fake's pages were
	// saved without one, and a test's "~~~~" in them is no signature to
	// expand).
	section := req.Text
	if req.Heading != "" {
		section = "== " + req.Heading + " ==\n\n" + section
	}
	section = expandSignatures(section, w.bot, w.now.Add(Tick)) // as of save's revision
	text := section
	if strings.TrimSpace(old) != "" {
		text = old + "\n\n" + section
	}
	if wiki.SameText(old, text) {
		res.Result = wiki.Unchanged // MediaWiki's "nochange"
		return res, nil
	}
	r := w.save(title, ns, w.bot, text, summary)
	w.edits++
	res.RevID, res.Result = r.RevID, wiki.Posted
	return res, nil
}

// Signature is what MediaWiki's pre-save transform makes of "~~~~" typed
// by user at t, with the default signature (the "signature" message, for
// an account without a custom one) and the wiki's default date format, in
// UTC:
//
//	[[User:NAME|NAME]] ([[User talk:NAME|talk]]) 15:04, 2 January 2006 (UTC)
//
// The name is not escaped (MediaWiki escapes wikitext characters in it).
func Signature(user string, t time.Time) string {
	return signatureName(user) + " " + signatureDate(t)
}

func signatureName(user string) string {
	return "[[User:" + user + "|" + user + "]] ([[User talk:" + user + "|talk]])"
}

func signatureDate(t time.Time) string {
	return t.UTC().Format("15:04, 2 January 2006 (MST)")
}

// expandSignatures replaces ~~~~~ (the date), ~~~~ (signature and date)
// and ~~~ (signature) as Parser::pstPass2 does (strtr: longest first, left
// to right), except in comments and extension tags, which are strip
// markers by then.
func expandSignatures(text, user string, t time.Time) string {
	if !strings.Contains(text, "~~~") {
		return text
	}
	name, date := signatureName(user), signatureDate(t)
	return mapOutsideStrips(text, func(s string) string {
		if !strings.Contains(s, "~~~") {
			return s
		}
		var b strings.Builder
		for i := 0; i < len(s); {
			switch {
			case strings.HasPrefix(s[i:], "~~~~~"):
				b.WriteString(date)
				i += 5
			case strings.HasPrefix(s[i:], "~~~~"):
				b.WriteString(name + " " + date)
				i += 4
			case strings.HasPrefix(s[i:], "~~~"):
				b.WriteString(name)
				i += 3
			default:
				b.WriteByte(s[i])
				i++
			}
		}
		return b.String()
	})
}

// mapOutsideStrips returns text with f applied to each stretch outside
// comments and extension tags (<nowiki>, <pre>, ...), as MediaWiki's
// preprocessor finds them; those are kept as they are.
func mapOutsideStrips(text string, f func(string) string) string {
	var b strings.Builder
	last := 0
	wikitext.Walk(wikitext.Parse(text).Root, func(n *wikitext.Node) bool {
		if n.Kind != wikitext.NodeComment && n.Kind != wikitext.NodeExt {
			return true
		}
		if n.Start >= last {
			b.WriteString(f(text[last:n.Start]))
			b.WriteString(text[n.Start:n.End])
			last = n.End
		}
		return false
	})
	b.WriteString(f(text[last:]))
	return b.String()
}

// Accounts answers as the real client: blocked sitewide (Block), and, when
// since is not zero, whether the account saved a revision at or after
// since, and its latest (Contributions).
func (w *Wiki) Accounts(ctx context.Context, names []string, since time.Time) (map[string]accounts.Standing, error) {
	users, err := w.Users(ctx, names)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var existing []string
	for _, u := range users {
		if u.Exists {
			existing = append(existing, u.Name)
		}
	}
	var last map[string]time.Time
	if !since.IsZero() {
		last = w.lastEdits(existing, since)
	}
	out := make(map[string]accounts.Standing, len(names))
	for _, name := range names {
		u := users[name]
		at, edited := last[u.Name]
		out[name] = accounts.Standing{Blocked: u.Blocked, Missing: !u.Exists || u.Invalid, Edited: edited, LastEdit: at, Locked: u.Exists && w.locks[u.Name]}
	}
	return out, nil
}
