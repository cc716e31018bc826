package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

const (
	shutoffPage = "Let's Connect/Bot shutoff"
	leasePage   = "Let's Connect/Bot lease"
)

// TestShutoffStopsSyncAndDeliveryBeforeAnyWrite: a person changes the
// shutoff page; neither a sync nor a delivery writes anything, each says
// why; once the page says "run" again, both write.
func TestShutoffStopsSyncAndDeliveryBeforeAnyWrite(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	e.Gate = &engine.Gate{Wiki: w, Shutoff: shutoffPage, Now: w.Now}
	w.Put(shutoffPage, "Alice", "stop: the bot posts twice <!-- see talk -->")

	_, err := e.Run(context.Background(), "")
	if !errors.Is(err, engine.ErrShutoff) || !strings.Contains(err.Error(), "Alice") || !strings.Contains(err.Error(), "posts twice") {
		t.Fatalf("sync: %v, want ErrShutoff naming who and what", err)
	}
	if _, err := e.Deliver(context.Background(), ""); !errors.Is(err, engine.ErrShutoff) {
		t.Fatalf("deliver: %v, want ErrShutoff", err)
	}
	if n := w.Edits(); n != 0 {
		t.Fatalf("%d edits while stopped", n)
	}
	if w.Text("User talk:Alice") != "" || w.Text("User talk:Bob") != "" {
		t.Fatal("a message was posted while stopped")
	}

	// Reset: the bot's value, with a comment and other letter case.
	w.Put(shutoffPage, "Alice", "<!-- write stop to stop the bot -->\nRun\n")
	bottest.Run(t, e)
	bottest.Deliver(t, e)
	if w.Edits() == 0 || w.Text("User talk:Alice") == "" {
		t.Fatal("nothing written after the reset")
	}
	// A missing page stops nothing.
	w.Delete(shutoffPage)
	w.Put(bottest.Prefix+"Dana", "Dana", bottest.Registration(map[string]string{
		"region": "MEA", "country": "Kenya", "languages": "en-3", "timezone": "UTC", "learn": "Bots", "share": "Lua modules",
	}))
	before := w.Edits()
	bottest.Run(t, e)
	if w.Edits() == before {
		t.Error("a missing shutoff page stopped the bot")
	}
}

// TestShutoffDuringALongDeliveryStopsIt: the page is read again within a
// batch once Recheck has passed.
func TestShutoffDuringALongDeliveryStopsIt(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	g := &engine.Gate{Wiki: w, Shutoff: shutoffPage, Now: w.Now, Recheck: time.Hour}
	if err := g.Allow(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	w.Put(shutoffPage, "Bob", "stop")
	if err := g.Allow(context.Background(), false); err != nil {
		t.Fatalf("read again before Recheck passed: %v", err)
	}
	w.Advance(2 * time.Hour)
	if err := g.Allow(context.Background(), false); !errors.Is(err, engine.ErrShutoff) {
		t.Fatalf("after Recheck: %v, want ErrShutoff", err)
	}
}

// TestIdleDayMakesNoEdits: with nothing changing, a day of hourly syncs
// and deliveries every six hours, each asking the gate as a service does,
// makes no edit at all: not even to the lease, which only a run with
// something to write takes.
func TestIdleDayMakesNoEdits(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	lease := &engine.Lease{Wiki: w, Page: leasePage, Holder: "host-a/1", TTL: 2 * time.Hour, Now: w.Now}
	e.Gate = &engine.Gate{Wiki: w, Shutoff: shutoffPage, Lease: lease, Now: w.Now}
	w.Put(shutoffPage, "Operator", "run")
	// The first runs write the pages (the proposals page shows what the
	// delivery did) and take the lease.
	bottest.Run(t, e)
	bottest.Deliver(t, e)
	bottest.Run(t, e)
	if lease.Held().Holder != "host-a/1" || w.Page(leasePage).Content == "" {
		t.Fatal("the first run wrote without taking the lease")
	}
	settled := w.Edits()
	for hour := range 24 {
		w.Advance(time.Hour)
		if err := e.Gate.Check(context.Background()); err != nil {
			t.Fatalf("hour %d: %v", hour, err)
		}
		for _, o := range bottest.Run(t, e).Outcomes {
			if o.Result != "unchanged" {
				t.Errorf("hour %d: %s %s", hour, o.Title, o.Result)
			}
		}
		if hour%6 == 0 {
			for _, o := range bottest.Deliver(t, e).Records {
				if o.Result != "unchanged" {
					t.Errorf("hour %d: %s %s", hour, o.Title, o.Result)
				}
			}
		}
	}
	if n := w.Edits() - settled; n != 0 {
		t.Errorf("%d edits in a day with nothing to do", n)
	}
	// Stopping long after the lease lapsed: nothing to release.
	if err := lease.Release(context.Background()); err != nil || w.Edits() != settled {
		t.Errorf("release of a lapsed lease: %v, %d edits", err, w.Edits()-settled)
	}
}

// TestLeaseTakenOnlyToWrite: two copies, the first writing; the second,
// with something to write while the first holds the lease, writes nothing
// and says who holds it; once the lease has lapsed it writes.
func TestLeaseTakenOnlyToWrite(t *testing.T) {
	w, a := bottest.LifecycleFixture(t)
	_, b := bottest.LifecycleFixture(t)
	b.Wiki = w
	la := &engine.Lease{Wiki: w, Page: leasePage, Holder: "host-a/1", TTL: 2 * time.Hour, Now: w.Now}
	lb := &engine.Lease{Wiki: w, Page: leasePage, Holder: "host-b/2", TTL: 2 * time.Hour, Now: w.Now}
	a.Gate = &engine.Gate{Wiki: w, Lease: la, Now: w.Now}
	b.Gate = &engine.Gate{Wiki: w, Lease: lb, Now: w.Now}
	bottest.Run(t, a)
	// A participant's edit gives both something to write.
	w.Put(bottest.Prefix+"Dana", "Dana", bottest.Registration(map[string]string{
		"region": "MEA", "country": "Kenya", "languages": "en-3", "timezone": "UTC", "learn": "Bots", "share": "Lua modules",
	}))
	if err := b.Gate.Check(context.Background()); !errors.Is(err, engine.ErrLeaseHeld) || !strings.Contains(err.Error(), "host-a/1") {
		t.Fatalf("the second copy's check: %v", err)
	}
	before := w.Edits()
	if _, err := b.Run(context.Background(), ""); !errors.Is(err, engine.ErrLeaseHeld) {
		t.Fatalf("the second copy wrote: %v", err)
	}
	if w.Edits() != before {
		t.Fatal("the second copy edited while the first held the lease")
	}
	// The holder writes; it renews only when less than half of its
	// lease is left.
	leaseRevs := len(w.History(leasePage))
	w.Advance(30 * time.Minute)
	bottest.Run(t, a)
	if w.Edits() == before || len(w.History(leasePage)) != leaseRevs {
		t.Errorf("the holder made %d edits, %d of them to its fresh lease", w.Edits()-before, len(w.History(leasePage))-leaseRevs)
	}
	w.Advance(3 * time.Hour)
	w.Put(bottest.Prefix+"Dana", "Dana", strings.Replace(w.Text(bottest.Prefix+"Dana"), "|learn=Bots", "|learn=Grant proposals", 1))
	if err := b.Gate.Check(context.Background()); err != nil {
		t.Fatalf("after the lease lapsed: %v", err)
	}
	bottest.Run(t, b)
	if lb.Held().Holder != "host-b/2" {
		t.Error("the second copy wrote without taking the lease")
	}
}

// TestGateCannotReadMeansNoWrites: when the pages the gate reads cannot be
// read (the wiki holding the lease is unreachable), nothing is written
// and the error says why.
func TestGateCannotReadMeansNoWrites(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	down := &failingReads{Wiki: w}
	lease := &engine.Lease{Wiki: down, Page: leasePage, Holder: "host-a/1", TTL: 2 * time.Hour, Now: w.Now}
	e.Gate = &engine.Gate{Wiki: down, Shutoff: shutoffPage, Lease: lease, Now: w.Now}
	if err := e.Gate.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "so not writing") {
		t.Fatalf("check: %v", err)
	}
	if _, err := e.Run(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "so not writing") {
		t.Fatalf("run: %v", err)
	}
	if w.Edits() != 0 {
		t.Fatalf("%d edits without the gate's answer", w.Edits())
	}
}

// failingReads is a wiki that cannot be read.
type failingReads struct{ *wikitest.Wiki }

func (f *failingReads) Pages(ctx context.Context, titles []string, opts wiki.ReadOptions) ([]*wiki.Page, error) {
	return nil, errors.New("dial tcp 127.0.0.1:1: connect: connection refused")
}
