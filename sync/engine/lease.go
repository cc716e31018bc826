package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync/atomic"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// Lease makes sure only one copy of the bot writes: the copy that holds
// it writes its holder and expiry on a page of the wiki (the one place
// every copy sees, and which survives restarts). Another copy that finds
// an unexpired lease held by someone else stays read-only. Taking the
// lease is an edit based on the revision read, so two copies racing for
// it cannot both win: MediaWiki refuses the second edit as a conflict.
//
// The lease is taken only by a run that has something to write, just
// before its first write (Hold, through Gate), and renewed only when less
// than half of TTL is left: a service with nothing to do makes no edit,
// not even to its lease.
type Lease struct {
	Wiki   Wiki
	Page   string
	Holder string        // this copy: host, process and start time
	TTL    time.Duration // how long a lease lasts unless renewed
	Now    func() time.Time

	// held is what this copy last wrote on the page (nil: nothing); the
	// status page reads it while a run may change it.
	held atomic.Pointer[LeaseState]
}

// LeaseState is what the lease page says.
type LeaseState struct {
	Holder string
	Until  time.Time
}

var leaseRE = regexp.MustCompile(`holder=(\S+) until=([0-9T:Z+-]+)`)

// ErrLeaseHeld: another copy holds the lease.
var ErrLeaseHeld = errors.New("another copy of the bot holds the lease")

func (l *Lease) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

// Acquire takes or renews the lease. It returns ErrLeaseHeld (with who
// holds it, until when) when another copy holds an unexpired one.
func (l *Lease) Acquire(ctx context.Context) (LeaseState, error) {
	pages, err := l.Wiki.Pages(ctx, []string{l.Page}, wiki.ReadOptions{})
	if err != nil {
		return LeaseState{}, err
	}
	page := pages[0]
	if cur, err := l.checkPage(page); err != nil {
		return cur, err
	}
	next := LeaseState{Holder: l.Holder, Until: l.now().Add(l.TTL)}
	if err := l.write(ctx, page, next, "Take the Let's Connect bot's lease (bot)"); err != nil {
		if errors.Is(err, wiki.ErrEditConflict) || errors.Is(err, wiki.ErrPageExists) {
			return LeaseState{}, fmt.Errorf("%w: another copy took it at the same moment", ErrLeaseHeld)
		}
		return LeaseState{}, err
	}
	l.held.Store(&next)
	return next, nil
}

// Hold makes sure this copy holds the lease for at least half of TTL more,
// before a write: it takes or renews it only when it does not (so a copy
// that writes every hour with a TTL of two hours renews at most once an
// hour, and one with nothing to write never does).
func (l *Lease) Hold(ctx context.Context) error {
	if h := l.Held(); h.Holder == l.Holder && h.Until.Sub(l.now()) >= l.TTL/2 {
		return nil
	}
	_, err := l.Acquire(ctx)
	return err
}

// Held is the lease this copy last took (zero when none); it may have
// expired.
func (l *Lease) Held() LeaseState {
	if h := l.held.Load(); h != nil {
		return *h
	}
	return LeaseState{}
}

// checkPage reads who holds the lease from its page as read, without
// taking it: ErrLeaseHeld (with who, until when) when another copy holds
// an unexpired one.
func (l *Lease) checkPage(p *wiki.Page) (LeaseState, error) {
	cur, ok := parseLease(p)
	if ok && cur.Holder != l.Holder && cur.Until.After(l.now()) {
		return cur, fmt.Errorf("%w: %s until %s", ErrLeaseHeld, cur.Holder, cur.Until.Format(time.RFC3339))
	}
	return cur, nil
}

// Release gives the lease up (on shutdown), if this copy holds an
// unexpired one: an expired lease blocks nobody and needs no edit.
func (l *Lease) Release(ctx context.Context) error {
	pages, err := l.Wiki.Pages(ctx, []string{l.Page}, wiki.ReadOptions{})
	if err != nil {
		return err
	}
	if cur, ok := parseLease(pages[0]); !ok || cur.Holder != l.Holder || !cur.Until.After(l.now()) {
		return nil
	}
	l.held.Store(nil)
	return l.write(ctx, pages[0], LeaseState{Holder: l.Holder, Until: l.now()}, "Release the Let's Connect bot's lease (bot)")
}

func (l *Lease) write(ctx context.Context, base *wiki.Page, s LeaseState, summary string) error {
	text := program.OwnershipMarker + " task=lease -- Only the copy of the bot named here writes; the others stay read-only until the time below has passed. -->\n" +
		fmt.Sprintf("The Let's Connect bot running as <code>holder=%s until=%s</code> is the one that writes.", s.Holder, s.Until.Format(time.RFC3339))
	if base.Exists() && !owned(base.Content) {
		return fmt.Errorf("the lease page %s exists and was not written by the bot; move it or delete it", l.Page)
	}
	if !base.Exists() {
		base = nil
	}
	_, err := l.Wiki.Edit(ctx, wiki.EditRequest{Title: l.Page, Text: text, Summary: summary, Base: base})
	return err
}

// parseLease reads the lease page.
func parseLease(p *wiki.Page) (LeaseState, bool) {
	if !p.Exists() {
		return LeaseState{}, false
	}
	m := leaseRE.FindStringSubmatch(p.Content)
	if m == nil {
		return LeaseState{}, false
	}
	until, err := time.Parse(time.RFC3339, m[2])
	if err != nil {
		return LeaseState{}, false
	}
	return LeaseState{Holder: m[1], Until: until}, true
}
