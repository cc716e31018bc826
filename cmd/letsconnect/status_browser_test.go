package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
)

// TestStatusPageEscapesInABrowser: run summaries and errors quote wiki
// text (page titles, user names, API errors); whatever they hold, the
// status page shows it as text. Checked in a real browser (Debian's
// headless Chromium, installed by scripts/browser.sh; make test installs
// it, a plain go test skips this test without it): the DOM after the
// page ran has no element, attribute or script from the hostile text, and
// the text itself is there, literally.
func TestStatusPageEscapesInABrowser(t *testing.T) {
	chromium := devwiki.Tool(t, "/usr/bin/chromium", "browser.sh")

	hostile := []string{
		`<script>document.title="pwned"</script>`,
		`<img src=x onerror="document.title='pwned'">`,
		`"><svg onload="document.title='pwned'">`,
		`</td></tr></table><h1 id="injected">x</h1>`,
		`javascript:void(0) {{subst:x}} [[Category:X]] ~~~~`,
		"\u202eevil\u200b",
	}
	s := &server{a: &app{}, write: true, writer: hostile[0], started: time.Now().UTC()}
	for i, h := range hostile {
		s.runs = append(s.runs, runRecord{Kind: "sync" + h, Started: time.Now().UTC(), Summary: h, Error: hostile[(i+1)%len(hostile)]})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: s.routes()}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+profile,
		"--virtual-time-budget=2000", "--dump-dom", "http://"+ln.Addr().String()+"/")
	cmd.Env = append(os.Environ(), "HOME="+profile)
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(dom)))
	if err != nil {
		t.Fatal(err)
	}
	if title := doc.Find("title").Text(); title != "Let's Connect bot" {
		t.Errorf("the page's script ran: title %q", title)
	}
	if n := doc.Find("script, img, svg, #injected").Length(); n > 0 {
		t.Errorf("%d elements came from the hostile text:\n%s", n, dom)
	}
	doc.Find("*").Each(func(_ int, el *goquery.Selection) {
		for _, a := range el.Nodes[0].Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("an event handler attribute %s=%q", a.Key, a.Val)
			}
		}
	})
	if rows := doc.Find("tr.run").Length(); rows != len(hostile) {
		t.Errorf("%d run rows, want %d: a hostile text broke the table", rows, len(hostile))
	}
	text := doc.Text()
	for _, h := range hostile {
		if !strings.Contains(text, h) {
			t.Errorf("the page does not show %q as text", h)
		}
	}
	if !strings.Contains(doc.Find("#mode").Text(), hostile[0]) {
		t.Error("the read-only reason is not shown as text")
	}
}
