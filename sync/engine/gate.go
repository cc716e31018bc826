package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// ShutoffValue is the shutoff page's text while the bot may write. Any
// other text (after HTML comments are removed and blanks trimmed; letter
// case does not matter) stops every write until the page says it again.
// A missing page stops nothing.
const ShutoffValue = "run"

// ErrShutoff: the shutoff page says the bot must not write.
var ErrShutoff = errors.New("the bot's shutoff page stops its edits")

// Gate decides, just before the bot writes, whether it may: the shutoff
// page (the emergency stop any logged-in user can pull) and, for a
// service, the lease (only one copy writes). A run with nothing to write
// never asks, so it makes no request and no edit for either.
//
// A nil *Gate lets everything through (a dry run writes nothing anyway).
type Gate struct {
	// Wiki is the wiki itself, never a cache: the shutoff page is read as
	// it is now.
	Wiki Wiki
	// Shutoff is the shutoff page's title; "" for none.
	Shutoff string
	// Lease, when set, is taken before the first write (Lease.Hold).
	Lease *Lease
	// Recheck is how often, within a batch of writes, the shutoff page is
	// read again; 0 means a minute. The first write of a batch always
	// reads it.
	Recheck time.Duration
	Now     func() time.Time

	checked time.Time
}

func (g *Gate) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

// Allow is asked before each write. first marks the first write of a
// batch (a sync's pages, a delivery's messages, its ledger): it always
// reads the shutoff page; later ones read it again when Recheck has
// passed, so that a long delivery stops within a minute of the page's
// change. An error means: write nothing more.
func (g *Gate) Allow(ctx context.Context, first bool) error {
	if g == nil {
		return nil
	}
	recheck := g.Recheck
	if recheck <= 0 {
		recheck = time.Minute
	}
	if g.Shutoff != "" && (first || g.now().Sub(g.checked) >= recheck) {
		pages, err := g.Wiki.Pages(ctx, []string{g.Shutoff}, wiki.ReadOptions{})
		if err != nil {
			return fmt.Errorf("cannot read the shutoff page %s, so not writing: %w", g.Shutoff, err)
		}
		if err := ShutoffSays(pages[0]); err != nil {
			return err
		}
		g.checked = g.now()
	}
	if g.Lease != nil {
		if err := g.Lease.Hold(ctx); err != nil {
			if errors.Is(err, ErrLeaseHeld) {
				return err
			}
			return fmt.Errorf("cannot take the lease on %s, so not writing: %w", g.Lease.Page, err)
		}
	}
	return nil
}

// Check is what a service asks at the start of each run, in one read of
// the shutoff and lease pages: whether either stops this copy from writing
// (ErrShutoff, ErrLeaseHeld, or the read's own error: a copy that cannot
// tell does not write). It takes nothing: the lease is taken by the first
// write (Allow).
func (g *Gate) Check(ctx context.Context) error {
	if g == nil {
		return nil
	}
	var titles []string
	if g.Shutoff != "" {
		titles = append(titles, g.Shutoff)
	}
	if g.Lease != nil {
		titles = append(titles, g.Lease.Page)
	}
	if len(titles) == 0 {
		return nil
	}
	pages, err := g.Wiki.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return fmt.Errorf("cannot read %s, so not writing: %w", strings.Join(titles, " and "), err)
	}
	if g.Shutoff != "" {
		if err := ShutoffSays(pages[0]); err != nil {
			return err
		}
		pages = pages[1:]
	}
	if g.Lease != nil {
		if _, err := g.Lease.checkPage(pages[0]); err != nil {
			return err
		}
	}
	return nil
}

var commentRE = regexp.MustCompile(`(?s)<!--.*?(-->|$)`)

// ShutoffSays returns ErrShutoff, with who changed the page and what it
// says, unless the page lets the bot write.
func ShutoffSays(p *wiki.Page) error {
	if !p.Exists() {
		return nil
	}
	text := strings.TrimSpace(commentRE.ReplaceAllString(p.Content, ""))
	if strings.EqualFold(text, ShutoffValue) {
		return nil
	}
	if r := []rune(text); len(r) > 80 {
		text = string(r[:80]) + "…"
	}
	return fmt.Errorf("%w: %s says %q (edited by %s on %s); the bot writes again once its text is %q",
		ErrShutoff, p.Title, text, p.User, p.Timestamp.UTC().Format("2006-01-02 15:04 UTC"), ShutoffValue)
}
