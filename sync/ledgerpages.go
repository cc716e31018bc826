package sync

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// DefaultLedgerPageBytes is the size past which a year's ledger continues
// on a new page: half of MediaWiki's default $wgMaxArticleSize (2 MiB), so
// a page never nears it even when people add notes.
const DefaultLedgerPageBytes = 1 << 20

// ledgerPage is one ledger page as read.
type ledgerPage struct {
	Page    *wiki.Page
	BotLast *wiki.Page // the bot's last revision, when someone edited since
	Year    int
	Part    int // 1 for ".../2026", n for ".../2026/n"
}

// ledgerTitle names the page for a year and part.
func (l Lifecycle) ledgerTitle(year, part int) string {
	t := l.LedgerPrefix + strconv.Itoa(year)
	if part > 1 {
		t += "/" + strconv.Itoa(part)
	}
	return t
}

// parseLedgerTitle reads the year and part of a ledger page's title.
func (l Lifecycle) parseLedgerTitle(title string) (year, part int, ok bool) {
	rest, found := strings.CutPrefix(title, l.LedgerPrefix)
	if !found {
		return 0, 0, false
	}
	y, p, hasPart := strings.Cut(rest, "/")
	year, err := strconv.Atoi(y)
	if err != nil || year < 2000 || year > 9999 {
		return 0, 0, false
	}
	part = 1
	if hasPart {
		if part, err = strconv.Atoi(p); err != nil || part < 2 {
			return 0, 0, false
		}
	}
	return year, part, true
}

// readLedger reads every ledger page and its rows, and works out which
// rows the bot may act on (see ledgerTrust).
func (e *Engine) readLedger(ctx context.Context, st *State) error {
	refs, err := e.Wiki.ListPrefix(ctx, e.Config.LedgerPrefix)
	if err != nil {
		return err
	}
	var titles []string
	for _, r := range refs {
		if _, _, ok := e.lifecycle(nil).parseLedgerTitle(r.Title); ok && !r.Redirect {
			titles = append(titles, r.Title)
		}
	}
	pages, err := e.Wiki.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return err
	}
	st.PagesRead += len(pages)
	st.LedgerPages = map[string]*ledgerPage{}
	seen := map[string]string{}
	for _, p := range pages {
		if !p.Exists() {
			continue
		}
		year, part, _ := e.lifecycle(nil).parseLedgerTitle(p.Title)
		lp := &ledgerPage{Page: p, Year: year, Part: part}
		st.LedgerPages[p.Title] = lp
		rows, problems := ParseLedger(p.Title, p.Content, st.Taxonomy)
		st.Problems = append(st.Problems, problems...)
		if err := e.ledgerTrust(ctx, st, lp, rows); err != nil {
			return err
		}
		for _, c := range rows {
			if other, dup := seen[c.ID]; dup {
				st.Problems = append(st.Problems, Problem{Page: p.Title, Field: "id", Message: fmt.Sprintf(
					"the connection %s is on the ledger twice (also on %s); the bot uses the first and keeps both", c.ID, other)})
				c.Status = "" // kept, never acted on
			}
			seen[c.ID] = p.Title
			st.Ledger = append(st.Ledger, c)
		}
	}
	return nil
}

// participantStates are the states a participant may set on their own
// connection (the working group may set any).
var participantStates = []Status{StatusAccepted, StatusDeclined, StatusMet, StatusCancelled}

// ledgerTrust marks the rows changed since the bot's last revision by
// someone who may not make that change: anyone outside the working group
// adding a row or changing who or what it connects, and a participant
// setting a state other than accepted, declined, met or cancelled, or on a
// connection they are not part of. Such rows are kept, with unconfirmed=,
// and not acted on until a working-group member edits them: otherwise
// anyone could make the bot message anyone.
func (e *Engine) ledgerTrust(ctx context.Context, st *State, lp *ledgerPage, rows []*Connection) error {
	rowsOf := func(text string) map[string]string {
		parsed, _ := ParseLedger(lp.Page.Title, text, st.Taxonomy)
		out := map[string]string{}
		for _, c := range parsed {
			out[c.ID] = c.row(st.Taxonomy)
		}
		return out
	}
	defer func() {
		for _, c := range rows {
			if c.Unconfirmed != "" {
				st.Problems = append(st.Problems, Problem{Page: lp.Page.Title, Field: "status", Message: fmt.Sprintf(
					"%s changed the connection %s (%s → %s) in a way only the working group may (participants may set their own connection to %s); the row is kept and not used until a working-group member edits it",
					c.Unconfirmed, c.ID, c.Sharer, strings.Join(c.Learners, ", "), strings.Join(statusNames(participantStates), ", "))})
			}
		}
	}()
	changedBy, botLast, err := e.rowChanges(ctx, lp.Page, rowsOf)
	if err != nil || botLast == nil {
		return err
	}
	lp.BotLast = botLast
	before := map[string]*Connection{}
	if prev, _ := ParseLedger(lp.Page.Title, botLast.Content, st.Taxonomy); botLast.RevID != 0 {
		for _, c := range prev {
			before[c.ID] = c
		}
	}
	for _, c := range rows {
		who, changed := changedBy[c.ID]
		if !changed {
			continue
		}
		if e.inWorkingGroup(who) {
			c.Unconfirmed = ""
			continue
		}
		who = wikitext.NormalizeUser(who)
		old := before[c.ID]
		allowed := old != nil && old.Unconfirmed == "" && old.PairKey() == c.PairKey() &&
			slices.Contains(c.People(), who) &&
			(c.Status == old.Status || slices.Contains(participantStates, c.Status))
		if allowed {
			continue
		}
		c.Unconfirmed = who
	}
	return nil
}

// ledgerData is what ledger.wiki.tmpl renders.
type ledgerData struct {
	Year   int
	Rows   []string
	Counts []stateCount
}

type stateCount struct {
	State Status
	N     int
}

// placeConnections puts new connections on the current year's last
// ledger page, or on a new page once that one is full.
func (l Lifecycle) placeConnections(st *State, added []*Connection) {
	limit := l.LedgerPageBytes
	if limit <= 0 {
		limit = DefaultLedgerPageBytes
	}
	year := st.Now.Year()
	part := 1
	for _, lp := range st.LedgerPages {
		if lp.Year == year && lp.Part > part {
			part = lp.Part
		}
	}
	title := l.ledgerTitle(year, part)
	size := 0
	for _, c := range st.Ledger {
		if c.Page == title {
			size += len(c.row(st.Taxonomy)) + 1
		}
	}
	for _, c := range added {
		n := len(c.row(st.Taxonomy)) + 1
		if size > 0 && size+n > limit {
			part++
			title, size = l.ledgerTitle(year, part), 0
		}
		c.Page = title
		size += n
	}
}

// planLedger writes every ledger page that has rows: existing pages with
// their rows (changed or not; Apply skips what did not change), and the
// pages of new connections. ledger is every connection, added ones
// included.
func (l Lifecycle) planLedger(st *State, ledger, added []*Connection) ([]PageChange, error) {
	byPage := map[string][]*Connection{}
	for _, c := range ledger {
		if !slices.Contains(added, c) {
			byPage[c.Page] = append(byPage[c.Page], c)
		}
	}
	for _, c := range added {
		byPage[c.Page] = append(byPage[c.Page], c)
	}
	var out []PageChange
	titles := make([]string, 0, len(byPage))
	for t := range byPage {
		titles = append(titles, t)
	}
	slices.Sort(titles)
	for _, title := range titles {
		year, _, _ := l.parseLedgerTitle(title)
		data := ledgerData{Year: year}
		counts := map[Status]int{}
		for _, c := range byPage[title] {
			data.Rows = append(data.Rows, c.row(st.Taxonomy))
			counts[c.Status]++
		}
		for _, s := range ConnectionStatuses {
			if counts[s] > 0 {
				data.Counts = append(data.Counts, stateCount{s, counts[s]})
			}
		}
		text, err := templates.Render("ledger.wiki.tmpl", data)
		if err != nil {
			return nil, err
		}
		change := PageChange{Title: title, Text: text, HumanRows: ledgerHumanRows,
			Summary: fmt.Sprintf("Update the connections of %d: %d (bot)", year, len(data.Rows))}
		if lp := st.LedgerPages[title]; lp != nil {
			change.Base, change.BotLast = lp.Page, lp.BotLast
		}
		out = append(out, change)
	}
	return out, nil
}
