package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// TestServeIdleDayMakesNoEdits is the acceptance for a quiet
// service: `serve --write` on the local wiki, its clock moved an hour at a
// time through a whole day with nothing changing (24 syncs, 4
// deliveries), makes no edit at all, not even to its lease. Then, with
// something to write but the lease and shutoff pages unreadable (the lock
// store down), it writes nothing and its status page says why.
func TestServeIdleDayMakesNoEdits(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC idle %d", time.Now().UnixNano())
	prog := importDemo(t, root)
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(prog.WorkingGroup, ","), "LC_EDIT_INTERVAL": "0s",
		"LC_MAX_EDITS": "0", "LC_MAX_MESSAGES": "0",
	}
	cfg, err := config.Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{Name: "letsconnect", Environ: environ, Stdout: io.Discard, Stderr: io.Discard, Log: zerolog.Nop()}
	ctx := context.Background()
	s, err := newServer(ctx, a, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	// A day long after the demo's events: passing hours move none of them
	// from upcoming to past, and the report's daily snapshot stays the
	// same day's.
	day := time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour)
	clock := day
	s.engine.Now = func() time.Time { return clock }
	runOK := func(kind string) {
		t.Helper()
		s.run(ctx, kind)
		if r := s.runs[0]; r.Error != "" || strings.HasPrefix(r.Summary, "read only") {
			t.Fatalf("%s at %s: %s %s", kind, clock.Format(time.RFC3339), r.Summary, r.Error)
		}
	}
	// The first runs write the program's pages and its problem notices,
	// taking the lease; the second sync shows what the delivery did.
	runOK("sync")
	runOK("deliver")
	runOK("sync")
	if s.client.Stats().Edits == 0 || s.lease.Held().Holder == "" {
		t.Fatal("the first runs wrote nothing, or wrote without the lease")
	}
	lease := readPage(t, newReader(t, env), cfg.Service.LeasePage)
	settled := s.client.Stats().Edits
	for hour := range 24 {
		clock = day.Add(time.Duration(hour)*time.Hour + 30*time.Minute)
		runOK("sync")
		if hour%6 == 0 {
			runOK("deliver")
		}
	}
	if n := s.client.Stats().Edits - settled; n != 0 {
		t.Errorf("%d edits in a day with nothing to do; last runs: %+v", n, s.runs[:4])
	}
	if p := readPage(t, newReader(t, env), cfg.Service.LeasePage); p.RevID != lease.RevID {
		t.Errorf("the lease page was edited (revision %d, then %d)", lease.RevID, p.RevID)
	}

	// The lock store (the wiki's lease and shutoff pages) cannot be read,
	// while a participant's edit gives the run something to write: the
	// run writes nothing, and the status page says why.
	user := prog.Participants[0]
	title := root + "/Participants/" + user
	text := readPage(t, newReader(t, env), title).Content
	zone := regexp.MustCompile(`(?m)^\| timezone = .*$`)
	devwiki.EditAs(t, user, title, zone.ReplaceAllString(text, "| timezone = Mars/Olympus Mons"))
	down, err := wiki.New(wiki.Config{APIURL: "http://127.0.0.1:" + freePort(t) + "/api.php", APIURLSetting: "MW_API_URL", UserAgent: "letsconnect-test/0 (down)"})
	if err != nil {
		t.Fatal(err)
	}
	s.engine.Gate.Wiki, s.lease.Wiki = down, down
	before := s.client.Stats().Edits
	clock = clock.Add(time.Hour)
	s.run(ctx, "sync")
	if n := s.client.Stats().Edits - before; n != 0 {
		t.Errorf("%d edits without the lock store", n)
	}
	rec := httptest.NewRecorder()
	s.routes().ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if status := rec.Body.String(); !strings.Contains(status, "Read only") || !strings.Contains(status, "so not writing") || !strings.Contains(status, "connection refused") {
		t.Errorf("the status page does not say why nothing is written:\n%s", status)
	}
	// The store back: the same run has the participant's edit to write.
	s.engine.Gate.Wiki, s.lease.Wiki = s.client, s.client
	clock = clock.Add(time.Hour)
	runOK("sync")
	if s.client.Stats().Edits == before {
		t.Error("nothing to write once the lock store is back: the check above proved nothing")
	}
}
