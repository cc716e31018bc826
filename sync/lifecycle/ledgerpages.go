package lifecycle

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// DefaultLedgerPageBytes is the size past which a year's ledger continues
// on a new page: half of MediaWiki's default $wgMaxArticleSize (2 MiB), so
// a page never nears it even when people add notes.
const DefaultLedgerPageBytes = 1 << 20

// LedgerPage is one ledger page as read.
type LedgerPage struct {
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

// ParseLedgerTitle reads the year and part of a ledger page's title.
func (c Config) ParseLedgerTitle(title string) (year, part int, ok bool) {
	rest, found := strings.CutPrefix(title, c.LedgerPrefix)
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

// ledgerData is what ledger.wiki.tmpl renders.
type ledgerData struct {
	Year   int
	Rows   []string
	Counts []stateCount
}

type stateCount struct {
	State program.Status
	N     int
}

// placeConnections puts new connections on the current year's last
// ledger page, or on a new page once that one is full.
func (l Lifecycle) placeConnections(st *program.State, added []*program.Connection) {
	limit := l.LedgerPageBytes
	if limit <= 0 {
		limit = DefaultLedgerPageBytes
	}
	year := st.Now.Year()
	part := 1
	for _, lp := range ledgerPages.Get(st) {
		if lp.Year == year && lp.Part > part {
			part = lp.Part
		}
	}
	title := l.ledgerTitle(year, part)
	size := 0
	for _, c := range st.Ledger {
		if c.Page == title {
			size += len(Row(c, st.Taxonomy)) + 1
		}
	}
	for _, c := range added {
		n := len(Row(c, st.Taxonomy)) + 1
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
func (l Lifecycle) planLedger(st *program.State, ledger, added []*program.Connection) ([]program.PageChange, error) {
	byPage := map[string][]*program.Connection{}
	for _, c := range ledger {
		if !slices.Contains(added, c) {
			byPage[c.Page] = append(byPage[c.Page], c)
		}
	}
	for _, c := range added {
		byPage[c.Page] = append(byPage[c.Page], c)
	}
	var out []program.PageChange
	titles := make([]string, 0, len(byPage))
	for t := range byPage {
		titles = append(titles, t)
	}
	slices.Sort(titles)
	for _, title := range titles {
		year, _, _ := l.ParseLedgerTitle(title)
		data := ledgerData{Year: year}
		counts := map[program.Status]int{}
		for _, c := range byPage[title] {
			data.Rows = append(data.Rows, Row(c, st.Taxonomy))
			counts[c.Status]++
		}
		for _, s := range program.ConnectionStatuses {
			if counts[s] > 0 {
				data.Counts = append(data.Counts, stateCount{s, counts[s]})
			}
		}
		text, err := templates.Render("ledger.wiki.tmpl", data)
		if err != nil {
			return nil, err
		}
		change := program.PageChange{Title: title, Text: text, HumanRows: ledgerHumanRows,
			Summary: fmt.Sprintf("Update the connections of %d: %d (bot)", year, len(data.Rows))}
		if lp := ledgerPages.Get(st)[title]; lp != nil {
			change.Base, change.BotLast = lp.Page, lp.BotLast
		}
		out = append(out, change)
	}
	return out, nil
}
