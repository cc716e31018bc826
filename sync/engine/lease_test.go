package engine

import (
	"context"
	"errors"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

func TestLeaseOneWriter(t *testing.T) {
	w := wikitest.New("LetsConnectBot")
	w.Write = true
	const page = "Let's Connect/Bot lease"
	a := &Lease{Wiki: w, Page: page, Holder: "host-a/1", TTL: 10 * time.Minute, Now: w.Now}
	b := &Lease{Wiki: w, Page: page, Holder: "host-b/2", TTL: 10 * time.Minute, Now: w.Now}
	if _, err := a.Acquire(t.Context()); err != nil {
		t.Fatalf("the first copy: %v", err)
	}
	st, err := b.Acquire(t.Context())
	if !errors.Is(err, ErrLeaseHeld) || st.Holder != "host-a/1" {
		t.Fatalf("the second copy: %v (%+v), want ErrLeaseHeld by host-a/1", err, st)
	}
	// The holder renews; the other still waits.
	if _, err := a.Acquire(t.Context()); err != nil {
		t.Fatalf("renewing: %v", err)
	}
	w.Advance(8 * time.Minute)
	if _, err := b.Acquire(t.Context()); !errors.Is(err, ErrLeaseHeld) {
		t.Fatal("the lease expired early")
	}
	// A holder that stopped without releasing: the lease expires.
	w.Advance(3 * time.Minute)
	if _, err := b.Acquire(t.Context()); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if _, err := a.Acquire(t.Context()); !errors.Is(err, ErrLeaseHeld) {
		t.Fatal("the old holder took it back")
	}
	// Released on shutdown: the other takes it at once.
	if err := b.Release(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Acquire(t.Context()); err != nil {
		t.Fatalf("after release: %v", err)
	}
	// A page someone else wrote is never taken over.
	w.Put("Other lease", "Zed", "holder=x until=2000-01-01T00:00:00Z")
	c := &Lease{Wiki: w, Page: "Other lease", Holder: "host-c/3", TTL: time.Minute, Now: w.Now}
	if _, err := c.Acquire(t.Context()); err == nil || errors.Is(err, ErrLeaseHeld) {
		t.Errorf("took over a page a person wrote: %v", err)
	}
}

// leaseRaceWiki lets another copy act between a copy's read of the lease
// page and its edit.
type leaseRaceWiki struct {
	*wikitest.Wiki
	between func()
}

func (r *leaseRaceWiki) Pages(ctx context.Context, titles []string, opts wiki.ReadOptions) ([]*wiki.Page, error) {
	pages, err := r.Wiki.Pages(ctx, titles, opts)
	if f := r.between; f != nil {
		r.between = nil
		f()
	}
	return pages, err
}

func TestLeaseRaceHasOneWinner(t *testing.T) {
	w := wikitest.New("LetsConnectBot")
	w.Write = true
	const page = "Let's Connect/Bot lease"
	race := &leaseRaceWiki{Wiki: w}
	a := &Lease{Wiki: race, Page: page, Holder: "host-a/1", TTL: 10 * time.Minute, Now: w.Now}
	b := &Lease{Wiki: w, Page: page, Holder: "host-b/2", TTL: 10 * time.Minute, Now: w.Now}
	// b takes the lease after a read the (missing) page and before a
	// writes it: a's edit, based on what it read, loses.
	race.between = func() {
		if _, err := b.Acquire(t.Context()); err != nil {
			t.Fatalf("b: %v", err)
		}
	}
	if _, err := a.Acquire(t.Context()); !errors.Is(err, ErrLeaseHeld) {
		t.Fatalf("a: %v, want ErrLeaseHeld (b won the race)", err)
	}
	if st, _ := parseLease(w.Page(page)); st.Holder != "host-b/2" {
		t.Errorf("the lease page names %q", st.Holder)
	}
	// The same when the page exists: b renews between a's read and edit
	// of an expired lease.
	w.Advance(11 * time.Minute)
	race.between = func() {
		if _, err := b.Acquire(t.Context()); err != nil {
			t.Fatalf("b: %v", err)
		}
	}
	if _, err := a.Acquire(t.Context()); !errors.Is(err, ErrLeaseHeld) {
		t.Fatalf("a over an expired lease: %v, want ErrLeaseHeld", err)
	}
}
