package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestWrongAPIURLFailsFast is the acceptance for a wrong
// MW_API_URL: every command that reads the wiki (with credentials or
// without) exits 1 with one message naming the variable and what is
// there, well within the bound (the client's retries would take minutes),
// and none says "nothing to change".
func TestWrongAPIURLFailsFast(t *testing.T) {
	refused := "http://127.0.0.1:" + freePort(t) + "/w/api.php"
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><head><title>Main Page - My Wiki</title></head></html>"))
	}))
	defer html.Close()

	for _, tc := range []struct {
		url, found string
	}{
		{refused, "connection refused"},
		{html.URL + "/w/index.php", `an HTML page titled \"Main Page - My Wiki\"`},
	} {
		for _, args := range [][]string{{"sync"}, {"deliver"}, {"report", "--format", "json"}, {"sync", "--write"}, {"serve"}} {
			environ := map[string]string{"MW_API_URL": tc.url, "LC_ROOT": "LC failfast", "PORT": freePort(t), "LC_LISTEN_HOST": "127.0.0.1"}
			if args[len(args)-1] == "--write" {
				environ["MW_BOT_USER"], environ["MW_BOT_PASSWORD"] = "Bot@test", "secret"
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			var stdout, stderr strings.Builder
			started := time.Now()
			code := Main(ctx, args, environ, strings.NewReader(""), &stdout, &stderr)
			took := time.Since(started)
			timedOut := ctx.Err() != nil
			cancel()
			name := strings.Join(args, " ") + " at " + tc.url
			if code != 1 || timedOut {
				t.Errorf("%s: exit %d after %s (want 1 before the 30 s bound)\n%s", name, code, took, stderr.String())
				continue
			}
			if !strings.Contains(stderr.String(), "MW_API_URL="+tc.url) || !strings.Contains(stderr.String(), tc.found) {
				t.Errorf("%s: the message does not name MW_API_URL and what is there:\n%s", name, stderr.String())
			}
			if strings.Contains(stdout.String(), "nothing to change") {
				t.Errorf("%s: says there is nothing to change:\n%s", name, stdout.String())
			}
			t.Logf("%s: exit 1 after %s", name, took.Round(time.Millisecond))
		}
	}
}

// TestStoppedRunNeverSaysNothingToChange: a dry run stopped before its read
// completed (SIGINT, here a cancelled context) does not report that there
// is nothing to change.
func TestStoppedRunNeverSaysNothingToChange(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	}))
	defer slow.Close()
	for _, cmd := range []string{"sync", "deliver"} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		var stdout, stderr strings.Builder
		code := Main(ctx, []string{cmd}, map[string]string{"MW_API_URL": slow.URL + "/api.php"}, strings.NewReader(""), &stdout, &stderr)
		cancel()
		if code == 0 || strings.Contains(stdout.String(), "nothing to change") {
			t.Errorf("%s stopped while reading: exit %d, output:\n%s", cmd, code, stdout.String())
		}
	}
}
