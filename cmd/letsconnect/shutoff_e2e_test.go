package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// TestShutoffPageStopsEveryWrite is the acceptance for the
// emergency stop, on the local wiki: an ordinary user changes the shutoff
// page; `sync --write`, `deliver --write` and `serve --write` write
// nothing (no page, no message), each saying why; once the page says
// "run" again, the service writes.
func TestShutoffPageStopsEveryWrite(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC shutoff %d", time.Now().UnixNano())
	prog := importDemo(t, root)
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(prog.WorkingGroup, ","), "LC_EDIT_INTERVAL": "0s",
		"LC_MAX_EDITS": "0", "LC_MAX_MESSAGES": "0",
	}
	shutoff := root + "/Bot shutoff"
	human := newHuman(t, env, root)
	setShutoff := func(text string) {
		t.Helper()
		p := readPage(t, human, shutoff)
		base := p
		if !p.Exists() {
			base = nil
		}
		if _, err := human.Edit(context.Background(), wiki.EditRequest{Title: shutoff, Text: text, Summary: "emergency stop", Base: base}); err != nil {
			t.Fatal(err)
		}
	}
	setShutoff("stop: testing the emergency stop")
	reader := newReader(t, env)
	nothingWritten := func(when string) {
		t.Helper()
		for _, title := range []string{root + "/Skills directory", root + "/Registration problems", root + "/Connections/" + fmt.Sprint(time.Now().Year())} {
			if readPage(t, reader, title).Exists() {
				t.Errorf("%s: %s was written", when, title)
			}
		}
		for _, m := range prog.Mistakes {
			user := m.Page[strings.LastIndex(m.Page, "/")+1:]
			if p := readPage(t, reader, "User talk:"+user); p.Exists() {
				t.Errorf("%s: %s was messaged", when, user)
			}
		}
	}

	var stdout, stderr strings.Builder
	if code := Main(context.Background(), []string{"sync", "--write"}, environ, strings.NewReader(""), &stdout, &stderr); code != 1 {
		t.Fatalf("sync --write: exit %d, want 1\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "shutoff page") || !strings.Contains(stderr.String(), "testing the emergency stop") {
		t.Errorf("sync --write does not say why it wrote nothing:\n%s", stderr.String())
	}
	nothingWritten("sync")
	stderr.Reset()
	if code := Main(context.Background(), []string{"deliver", "--write"}, environ, strings.NewReader(""), &stdout, &stderr); code != 1 {
		t.Fatalf("deliver --write: exit %d, want 1\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "shutoff page") {
		t.Errorf("deliver --write does not say why it wrote nothing:\n%s", stderr.String())
	}
	nothingWritten("deliver")

	// The service: read only while stopped, and says so; writing again
	// once the page says run.
	bin := filepath.Join(t.TempDir(), "letsconnect")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	environ["LC_SYNC_INTERVAL"], environ["LC_DELIVER_INTERVAL"] = "1s", "1s"
	svc := startService(t, bin, environ)
	status := svc.waitFor(t, "a run stopped by the shutoff page", func(s string) bool { return strings.Contains(s, `class="run"`) })
	if !strings.Contains(status, "Read only") || !strings.Contains(status, "testing the emergency stop") || !strings.Contains(status, "Emergency stop") {
		t.Errorf("the status page does not show the stop:\n%s", status)
	}
	nothingWritten("serve")
	setShutoff("run")
	svc.waitFor(t, "writing after the reset", func(s string) bool { return strings.Contains(s, "Writing to the wiki") })
	deadline := time.Now().Add(serviceDeadline)
	for !readPage(t, reader, root+"/Skills directory").Exists() {
		if time.Now().After(deadline) {
			t.Fatalf("no directory written within %s of the reset:\n%s", serviceDeadline, svc.logText())
		}
		time.Sleep(500 * time.Millisecond)
	}
}
