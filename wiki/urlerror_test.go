package wiki

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// dnsFailure is a transport whose every request fails as an unknown host
// does (no name is looked up: tests talk to 127.0.0.1 only).
type dnsFailure struct{}

func (dnsFailure) RoundTrip(req *http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: req.URL.Hostname(), IsNotFound: true}}
}

// TestWrongAPIURLFailsAtOnce: before the wiki first answered, a refused
// connection, an unknown host, an HTML page or a 404 is a configuration
// error naming the setting and what was found, returned without retries
// (the client's backoff would otherwise wait minutes).
func TestWrongAPIURLFailsAtOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/api.php"
	ln.Close()
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>Hello</body></html>"))
	}))
	defer html.Close()
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()

	for _, tc := range []struct {
		name, url string
		transport http.RoundTripper
		want      string
	}{
		{"connection refused", refused, nil, "nothing answers there (connection refused)"},
		{"unknown host", "https://wiki.example.invalid/w/api.php", dnsFailure{}, "the host wiki.example.invalid is unknown"},
		{"an HTML page", html.URL + "/", nil, `an HTML page titled "Welcome to nginx!"`},
		{"not found", notFound.URL + "/w/api.php", nil, "it answers HTTP 404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(Config{APIURL: tc.url, APIURLSetting: "MW_API_URL", UserAgent: "letsconnect-test/0 (test)", Transport: tc.transport,
				BackoffBase: time.Minute, BackoffMax: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			// A generous bound: with a retry the minute's backoff would
			// pass it.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err = c.SiteInfo(ctx)
			var uerr *URLError
			if !errors.As(err, &uerr) {
				t.Fatalf("got %v, want a URLError", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "MW_API_URL="+tc.url) || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "api.php") {
				t.Errorf("message %q lacks the setting, the URL or %q", msg, tc.want)
			}
			if c.Stats().Retries != 0 {
				t.Errorf("%d retries", c.Stats().Retries)
			}
		})
	}
}

// TestFailureAfterTheFirstAnswerIsRetried: once the API has answered, an
// HTML page in its place is a passing failure (a proxy's error page),
// retried as before.
func TestFailureAfterTheFirstAnswerIsRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 2 {
			w.Write([]byte("<html><title>Bad gateway</title></html>"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"batchcomplete":true,"query":{"general":{"sitename":"Test","generator":"MediaWiki 1.43.0"}}}`))
	}))
	defer srv.Close()
	c, err := New(Config{APIURL: srv.URL + "/api.php", APIURLSetting: "MW_API_URL", UserAgent: "letsconnect-test/0 (test)",
		BackoffBase: time.Millisecond, BackoffMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := c.call(context.Background(), request{params: map[string]string{"action": "query", "meta": "siteinfo"}}, nil); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if c.Stats().Retries != 1 {
		t.Errorf("%d retries, want 1 (the HTML page)", c.Stats().Retries)
	}
}

// TestSummariesLinkTheBotPage: every edit summary ends with a link to the
// bot's documentation page, in place of "(bot)", once.
func TestSummariesLinkTheBotPage(t *testing.T) {
	c, err := New(Config{APIURL: "http://127.0.0.1:1/api.php", UserAgent: "letsconnect-test/0 (test)", BotPage: "User:LetsConnectBot"})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"Update the skills directory from the registrations (bot)": "Update the skills directory from the registrations ([[User:LetsConnectBot|bot]])",
		"Meet Bob":                        "Meet Bob ([[User:LetsConnectBot|bot]])",
		"x ([[User:LetsConnectBot|bot]])": "x ([[User:LetsConnectBot|bot]])",
	} {
		if got := c.summary(in); got != want {
			t.Errorf("summary(%q) = %q, want %q", in, got, want)
		}
	}
	if got := c.editParams("T", "x", "Take the lease (bot)")["summary"]; got != "Take the lease ([[User:LetsConnectBot|bot]])" {
		t.Errorf("an edit's summary is %q", got)
	}
}
