package wiki

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
)

// These tests put faultProxy (faultproxy_test.go) between the client and
// the real local wiki (scripts/devwiki.sh), and check on the wiki itself,
// through a client without the proxy, what really happened.
//
// They edit as the wiki's administrator, not as the bot: MediaWiki limits
// the edits of accounts without the noratelimit right to 90 a minute
// ($wgRateLimits), the bot account has no such right, and these tests make
// about 80 edits in half a minute. Spending the bot's budget would also
// make the other tests that edit as the bot fail with "ratelimited". What
// is specific to the bot (assert=bot, bot=1) is tested in client_test.go.

const faultPrefix = "Fault test/"

// faultRunID keeps the pages of one run apart from earlier runs on the same
// wiki; faultSetups, those of each setup within a run (go test -count).
var (
	faultRunID  = time.Now().UTC().Format("20060102-150405.000")
	faultSetups int
)

// title returns a title of the test's own.
func (f *faultSetup) title(t *testing.T, name string) string {
	return faultPrefix + f.run + "/" + t.Name() + "/" + name
}

// faultSetup is a client behind a fault proxy, and a direct client to check
// the wiki with.
type faultSetup struct {
	run    string // unique to this setup: faultRunID.n
	env    devwiki.Env
	proxy  *faultProxy
	c      *Client // through the proxy
	direct *Client // straight to the wiki
	log    *lockedBuffer
}

func faultConfig(apiURL string, log *lockedBuffer) Config {
	return Config{
		APIURL:        apiURL,
		UserAgent:     "LetsConnectFaultTest/0.0 (https://example.org/letsconnect; test@example.org)",
		Write:         true,
		EditPrefixes:  []string{faultPrefix},
		BackoffBase:   10 * time.Millisecond,
		BackoffMax:    200 * time.Millisecond,
		MaxRetries:    8,
		MaxRetryAfter: 10 * time.Second,
		Timeout:       20 * time.Second,
		Log:           zerolog.New(log),
	}
}

// newFaultSetup logs the administrator in through a new fault proxy (without faults:
// the test sets its plan afterwards) and another one directly. configure,
// if not nil, adjusts the proxied client's configuration.
func newFaultSetup(t *testing.T, configure func(*Config)) *faultSetup {
	t.Helper()
	env := devwiki.Start(t)
	ctx := context.Background()
	faultSetups++
	f := &faultSetup{
		run: fmt.Sprintf("%s.%d", faultRunID, faultSetups),
		env: env, proxy: newFaultProxy(t, env.APIURL), log: &lockedBuffer{},
	}
	cfg := faultConfig(f.proxy.URL, f.log)
	if configure != nil {
		configure(&cfg)
	}
	var err error
	if f.c, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	faultLogin(t, f.c, env)
	// What the client fetches once (site info, the CSRF token) is fetched
	// now, so the tests see only the requests they are about.
	if _, err := f.c.SiteInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.token(ctx, "csrf"); err != nil {
		t.Fatal(err)
	}
	f.direct = directFaultClient(t, env)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("proxy traffic:\n%s", f.proxy.Log())
			t.Logf("client log:\n%s", f.log.String())
		}
	})
	return f
}

// faultDirect is the client that checks the wiki, shared by the tests
// (which do not run in parallel) to save a login each.
var faultDirect *Client

func directFaultClient(t *testing.T, env devwiki.Env) *Client {
	t.Helper()
	if faultDirect == nil {
		c, err := New(faultConfig(env.APIURL, &lockedBuffer{}))
		if err != nil {
			t.Fatal(err)
		}
		faultLogin(t, c, env)
		faultDirect = c
	}
	return faultDirect
}

// faultLogin logs c in as the administrator (see the top of the file).
// Main-account action=login is deprecated but works.
func faultLogin(t *testing.T, c *Client, env devwiki.Env) {
	t.Helper()
	if err := c.LoginBotPassword(context.Background(), env.AdminUser, env.AdminPassword); err != nil {
		t.Fatalf("logging in as %s: %v", env.AdminUser, err)
	}
	if !c.HasRight("noratelimit") {
		t.Fatalf("%s lacks noratelimit", env.AdminUser)
	}
}

// seed creates a page directly (not through the proxy) and returns it as read.
func (f *faultSetup) seed(t *testing.T, title, text string) *Page {
	t.Helper()
	ctx := context.Background()
	if _, err := f.direct.Edit(ctx, EditRequest{Title: title, Text: text, Summary: "seed"}); err != nil {
		t.Fatalf("seeding %s: %v", title, err)
	}
	p, err := f.direct.Page(ctx, title, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type faultRevision struct {
	RevID     int64     `json:"revid"`
	User      string    `json:"user"`
	Comment   string    `json:"comment"`
	Timestamp time.Time `json:"timestamp"`
}

// faultRevisions returns a page's history as the wiki has it, newest first; with
// a non-zero since, only the revisions made since then.
func faultRevisions(t *testing.T, direct *Client, title string, since time.Time) []faultRevision {
	t.Helper()
	params := map[string]string{
		"action": "query", "prop": "revisions", "titles": title,
		"rvprop": "ids|user|comment|timestamp", "rvlimit": "max",
	}
	if !since.IsZero() {
		params["rvend"] = since.UTC().Add(-time.Second).Format(time.RFC3339)
	}
	var resp struct {
		Query struct {
			Pages []struct {
				Revisions []faultRevision `json:"revisions"`
			} `json:"pages"`
		} `json:"query"`
	}
	if err := direct.call(context.Background(), request{params: params}, &resp); err != nil {
		t.Fatalf("history of %s: %v", title, err)
	}
	if len(resp.Query.Pages) != 1 {
		t.Fatalf("history of %s: %d pages", title, len(resp.Query.Pages))
	}
	return resp.Query.Pages[0].Revisions
}

// content reads a page's text directly from the wiki.
func (f *faultSetup) content(t *testing.T, title string) string {
	t.Helper()
	p, err := f.direct.Page(context.Background(), title, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Content
}

// faultEdits returns the edit requests among reqs.
func faultEdits(reqs []*faultRequest) []*faultRequest {
	var out []*faultRequest
	for _, r := range reqs {
		if r.IsEdit() {
			out = append(out, r)
		}
	}
	return out
}

// faultKinds lists the faults injected into reqs, in order.
func faultKinds(reqs []*faultRequest) []faultKind {
	var out []faultKind
	for _, r := range reqs {
		out = append(out, r.Fault)
	}
	return out
}

// faultAssertRetried checks that reqs are one request sent twice, the
// first answered with wantFirst, both with maxlag=5, and returns the time
// between them.
func faultAssertRetried(t *testing.T, reqs []*faultRequest, wantFirst faultKind) (gap time.Duration) {
	t.Helper()
	if len(reqs) != 2 || reqs[0].Fault != wantFirst || reqs[1].Fault != faultNone {
		t.Fatalf("requests %v, want [%s, none]", faultKinds(reqs), wantFirst)
	}
	if !maps.EqualFunc(reqs[0].Params, reqs[1].Params, slices.Equal) {
		t.Errorf("the retry changed the parameters:\n%v\n%v", reqs[0].Params, reqs[1].Params)
	}
	for _, r := range reqs {
		if r.Params.Get("maxlag") != "5" {
			t.Errorf("request %s without maxlag=5: %v", r, r.Params)
		}
	}
	return reqs[1].At.Sub(reqs[0].At)
}

func TestFault429RetryAfterSecondsIsWaitedFor(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	title := f.title(t, "page")
	f.seed(t, title, "text")

	f.proxy.SetPlan(faultsOn(faultIsPageRead, fault429))
	n, retries := f.proxy.Count(), f.c.Stats().Retries
	p, err := f.c.Page(ctx, title, ReadOptions{})
	if err != nil || p.Content != "text" {
		t.Fatalf("read after a 429: %v, %+v", err, p)
	}
	gap := faultAssertRetried(t, f.proxy.Requests(n), fault429)
	if gap < time.Second-20*time.Millisecond {
		t.Errorf("retried %s after a 429 with Retry-After: 1", gap)
	}
	if got := f.c.Stats().Retries - retries; got != 1 {
		t.Errorf("Stats().Retries grew by %d, want 1", got)
	}
}

// A 429 was not served: even an edit is simply sent again (no read first),
// once the HTTP-date has passed.
func TestFault429RetryAfterHTTPDateIsWaitedFor(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	title := f.title(t, "page")
	base := f.seed(t, title, "one")

	f.proxy.SetPlan(faultsOn(faultIsEdit, fault429Date))
	n := f.proxy.Count()
	res, err := f.c.Edit(ctx, EditRequest{Title: title, Text: "two", Summary: "test", Base: base})
	if err != nil || res.Result != Updated {
		t.Fatalf("edit after a 429: %+v, %v", res, err)
	}
	reqs := f.proxy.Requests(n)
	faultAssertRetried(t, reqs, fault429Date)
	if early := reqs[0].RetryAt.Sub(reqs[1].At); early > 10*time.Millisecond {
		t.Errorf("retried %s before the Retry-After date", early)
	}
	if h := faultRevisions(t, f.direct, title, time.Time{}); len(h) != 2 || h[0].RevID != res.RevID {
		t.Errorf("history %+v, want the seed and one edit (%d)", h, res.RevID)
	}
}

func TestFaultMaxlagIsRetriedAfterRetryAfter(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	title := f.title(t, "page")
	f.seed(t, title, "one")

	t.Run("read", func(t *testing.T) {
		f.proxy.SetPlan(faultsOn(faultIsPageRead, faultMaxlag))
		n := f.proxy.Count()
		if _, err := f.c.Page(ctx, title, ReadOptions{}); err != nil {
			t.Fatalf("read after maxlag: %v", err)
		}
		if gap := faultAssertRetried(t, f.proxy.Requests(n), faultMaxlag); gap < time.Second-20*time.Millisecond {
			t.Errorf("retried %s after maxlag with Retry-After: 1", gap)
		}
	})
	t.Run("edit", func(t *testing.T) {
		base, err := f.direct.Page(ctx, title, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		f.proxy.SetPlan(faultsOn(faultIsEdit, faultMaxlag))
		n := f.proxy.Count()
		res, err := f.c.Edit(ctx, EditRequest{Title: title, Text: "two", Summary: "test", Base: base})
		if err != nil || res.Result != Updated {
			t.Fatalf("edit after maxlag: %+v, %v", res, err)
		}
		faultAssertRetried(t, faultEdits(f.proxy.Requests(n)), faultMaxlag)
		if h := faultRevisions(t, f.direct, title, time.Time{}); len(h) != 2 {
			t.Errorf("%d revisions, want 2", len(h))
		}
	})
	if !strings.Contains(f.log.String(), "maxlag") {
		t.Error("the maxlag wait was not logged")
	}
}

func TestFault503HTMLIsRetried(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	title := f.title(t, "page")
	base := f.seed(t, title, "one")

	t.Run("read", func(t *testing.T) {
		f.proxy.SetPlan(faultsOn(faultIsPageRead, fault503HTML, fault503HTML))
		n := f.proxy.Count()
		p, err := f.c.Page(ctx, title, ReadOptions{})
		if err != nil || p.Content != "one" {
			t.Fatalf("read after two 503s: %v, %+v", err, p)
		}
		reqs := f.proxy.Requests(n)
		if got := faultKinds(reqs); !slices.Equal(got, []faultKind{fault503HTML, fault503HTML, faultNone}) {
			t.Errorf("requests %v", got)
		}
		if strings.Contains(f.log.String(), "invalid character") {
			t.Error("the HTML page reached the JSON decoder")
		}
	})
	// The 503 did not reach the wiki, but the client cannot know: it reads
	// the page, finds the edit missing, and sends it again.
	t.Run("edit", func(t *testing.T) {
		f.proxy.SetPlan(faultsOn(faultIsEdit, fault503HTML))
		n := f.proxy.Count()
		res, err := f.c.Edit(ctx, EditRequest{Title: title, Text: "two", Summary: "test", Base: base})
		if err != nil || res.Result != Updated {
			t.Fatalf("edit after a 503: %+v, %v", res, err)
		}
		reqs := f.proxy.Requests(n)
		if len(reqs) != 3 || reqs[0].Fault != fault503HTML || !faultIsPageRead(reqs[1]) || !reqs[2].IsEdit() {
			t.Errorf("requests:\n%s", faultRequestList(reqs))
		}
		if h := faultRevisions(t, f.direct, title, time.Time{}); len(h) != 2 || h[0].RevID != res.RevID {
			t.Errorf("history %+v, want the seed and one edit (%d)", h, res.RevID)
		}
	})
}

func faultRequestList(reqs []*faultRequest) string {
	var b strings.Builder
	for _, r := range reqs {
		b.WriteString(r.String() + "\n")
	}
	return b.String()
}

func TestFaultPermanent4xxIsNotRetried(t *testing.T) {
	f := newFaultSetup(t, nil)
	f.proxy.SetPlan(faultAlways(faultAny, fault404))
	n := f.proxy.Count()
	_, err := f.c.Page(context.Background(), "Main Page", ReadOptions{})
	var httpErr *HTTPError
	if !errors.As(err, &httpErr) || httpErr.Status != 404 {
		t.Fatalf("read answered 404: %v, want an *HTTPError 404", err)
	}
	if errors.Is(err, ErrBusy) {
		t.Errorf("a 404 reported as busy: %v", err)
	}
	if got := f.proxy.Count() - n; got != 1 {
		t.Errorf("%d requests for a permanent 404, want 1", got)
	}
}

func TestFaultDropBeforeForwardingIsRetried(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	title := f.title(t, "page")
	base := f.seed(t, title, "one")

	f.proxy.SetPlan(faultsOn(faultIsPageRead, faultDropBefore))
	n := f.proxy.Count()
	if p, err := f.c.Page(ctx, title, ReadOptions{}); err != nil || p.Content != "one" {
		t.Fatalf("read after a dropped connection: %v", err)
	}
	faultAssertRetried(t, f.proxy.Requests(n), faultDropBefore)

	f.proxy.SetPlan(faultsOn(faultIsEdit, faultDropBefore))
	n = f.proxy.Count()
	res, err := f.c.Edit(ctx, EditRequest{Title: title, Text: "two", Summary: "test", Base: base})
	if err != nil || res.Result != Updated {
		t.Fatalf("edit after a dropped connection: %+v, %v", res, err)
	}
	if edits := faultEdits(f.proxy.Requests(n)); len(edits) != 2 {
		t.Errorf("edit sent %d times, want twice (the first never reached the wiki)", len(edits))
	}
	if h := faultRevisions(t, f.direct, title, time.Time{}); len(h) != 2 || h[0].RevID != res.RevID {
		t.Errorf("history %+v, want the seed and one edit (%d)", h, res.RevID)
	}
}

// The dangerous faults: the wiki applied the edit, the client never heard.
// The client must find the edit on the page instead of making it again.
func TestFaultLostAnswerEditIsAppliedOnce(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	for _, kind := range []faultKind{faultDropAfter, fault502After, fault500After} {
		t.Run(string(kind), func(t *testing.T) {
			created, updated := f.title(t, "created"), f.title(t, "updated")
			base := f.seed(t, updated, "one")

			f.proxy.SetPlan(faultAlways(faultIsEdit, kind))
			n := f.proxy.Count()
			res, err := f.c.Edit(ctx, EditRequest{Title: created, Text: "new page", Summary: "test"})
			if err != nil || res.Result != Created {
				t.Fatalf("create: %+v, %v", res, err)
			}
			res2, err := f.c.Edit(ctx, EditRequest{Title: updated, Text: "two", Summary: "test", Base: base})
			if err != nil || res2.Result != Updated {
				t.Fatalf("update: %+v, %v", res2, err)
			}
			if edits := faultEdits(f.proxy.Requests(n)); len(edits) != 2 || edits[0].Fault != kind || edits[1].Fault != kind {
				t.Errorf("edit requests:\n%s\nwant each edit sent once", faultRequestList(edits))
			}
			if h := faultRevisions(t, f.direct, created, time.Time{}); len(h) != 1 || h[0].RevID != res.RevID {
				t.Errorf("created page history %+v, want one revision (%d)", h, res.RevID)
			}
			if h := faultRevisions(t, f.direct, updated, time.Time{}); len(h) != 2 || h[0].RevID != res2.RevID {
				t.Errorf("updated page history %+v, want the seed and one edit (%d)", h, res2.RevID)
			}
			if got := f.content(t, updated); got != "two" {
				t.Errorf("text %q", got)
			}
		})
	}
}

func TestFaultLostAnswerNewSectionIsPostedOnce(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	talk := "User talk:" + f.env.HumanUser
	since := time.Now()
	for _, kind := range []faultKind{faultDropAfter, fault502After, fault500After} {
		marker := fmt.Sprintf("<!-- letsconnect:fault-test:%s:%s -->", f.run, kind)
		heading := fmt.Sprintf("Fault test %s %s", f.run, kind)
		f.proxy.SetPlan(faultsOn(faultIsEdit, kind))
		n := f.proxy.Count()
		res, err := f.c.NewSection(ctx, SectionRequest{Title: talk, Heading: heading, Text: "A message. " + marker, Marker: marker})
		if err != nil || res.Result != Posted {
			t.Fatalf("%s: NewSection: %+v, %v", kind, res, err)
		}
		if edits := faultEdits(f.proxy.Requests(n)); len(edits) != 1 {
			t.Errorf("%s: section sent %d times, want once:\n%s", kind, len(edits), faultRequestList(edits))
		}
		content := f.content(t, talk)
		if got := strings.Count(content, marker); got != 1 {
			t.Errorf("%s: marker on the talk page %d times, want 1", kind, got)
		}
		if got := strings.Count(content, "== "+heading+" =="); got != 1 {
			t.Errorf("%s: heading on the talk page %d times, want 1", kind, got)
		}
	}
	var ours int
	for _, r := range faultRevisions(t, f.direct, talk, since) {
		if strings.Contains(r.Comment, "Fault test "+f.run+" ") && r.Timestamp.After(since.Add(-time.Second)) {
			ours++
		}
	}
	if ours != 3 {
		t.Errorf("%d revisions of ours on the talk page, want 3", ours)
	}
}

func TestFaultSlowResponses(t *testing.T) {
	const timeout = 2 * time.Second
	f := newFaultSetup(t, func(c *Config) { c.Timeout = timeout })
	ctx := context.Background()
	title := f.title(t, "page")
	base := f.seed(t, title, "one")

	t.Run("slow", func(t *testing.T) {
		f.proxy.SetPlan(faultsOn(faultIsPageRead, faultSlow))
		n := f.proxy.Count()
		start := time.Now()
		if _, err := f.c.Page(ctx, title, ReadOptions{}); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < f.proxy.SlowDelay {
			t.Errorf("a read delayed by %s took %s", f.proxy.SlowDelay, d)
		}
		if got := faultKinds(f.proxy.Requests(n)); !slices.Equal(got, []faultKind{faultSlow}) {
			t.Errorf("requests %v, want one slow request and no retry", got)
		}
	})
	t.Run("read past the timeout", func(t *testing.T) {
		f.proxy.SetPlan(faultsOn(faultIsPageRead, faultSlowTimeout))
		n := f.proxy.Count()
		start := time.Now()
		p, err := f.c.Page(ctx, title, ReadOptions{})
		if err != nil || p.Content != "one" {
			t.Fatalf("read after a timeout: %v", err)
		}
		if d := time.Since(start); d < timeout {
			t.Errorf("took %s, want the timeout (%s) and a retry", d, timeout)
		}
		// Normally two requests; more if the wiki itself was slow.
		reqs := f.proxy.Requests(n)
		if len(reqs) < 2 || reqs[0].Fault != faultSlowTimeout {
			t.Fatalf("requests %v, want a timeout and a retry", faultKinds(reqs))
		}
		faultAssertRetried(t, reqs[len(reqs)-2:], reqs[len(reqs)-2].Fault)
	})
	t.Run("edit past the timeout", func(t *testing.T) {
		f.proxy.SetPlan(faultsOn(faultIsEdit, faultSlowTimeout))
		n := f.proxy.Count()
		res, err := f.c.Edit(ctx, EditRequest{Title: title, Text: "two", Summary: "test", Base: base})
		if err != nil || res.Result != Updated {
			t.Fatalf("edit after a timeout: %+v, %v", res, err)
		}
		if edits := faultEdits(f.proxy.Requests(n)); len(edits) != 1 {
			t.Errorf("edit sent %d times, want once (it landed before the timeout)", len(edits))
		}
		if h := faultRevisions(t, f.direct, title, time.Time{}); len(h) != 2 || h[0].RevID != res.RevID {
			t.Errorf("history %+v, want the seed and one edit (%d)", h, res.RevID)
		}
	})
}

func TestFaultBadTokenIsRefreshedAndTheEditLandsOnce(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	title := f.title(t, "page")
	base := f.seed(t, title, "one")

	f.proxy.SetPlan(faultsOn(faultIsEdit, faultBadToken))
	n := f.proxy.Count()
	res, err := f.c.Edit(ctx, EditRequest{Title: title, Text: "two", Summary: "test", Base: base})
	if err != nil || res.Result != Updated {
		t.Fatalf("edit after badtoken: %+v, %v", res, err)
	}
	reqs := f.proxy.Requests(n)
	if len(reqs) != 3 || reqs[0].Fault != faultBadToken || reqs[1].Params.Get("meta") != "tokens" || !reqs[2].IsEdit() {
		t.Errorf("requests:\n%s\nwant the edit, a token request and the edit again", faultRequestList(reqs))
	}
	if h := faultRevisions(t, f.direct, title, time.Time{}); len(h) != 2 || h[0].RevID != res.RevID {
		t.Errorf("history %+v, want the seed and one edit (%d)", h, res.RevID)
	}
	if !strings.Contains(f.log.String(), "badtoken") {
		t.Error("the token refresh was not logged")
	}
}

func TestFaultRetryBudgetExhaustedIsErrBusy(t *testing.T) {
	const maxRetries = 3
	f := newFaultSetup(t, func(c *Config) { c.MaxRetries = maxRetries; c.MaxRetryAfter = 5 * time.Second })
	ctx := context.Background()
	title := f.title(t, "page")
	base := f.seed(t, title, "one")

	t.Run("503 on reads", func(t *testing.T) {
		f.proxy.SetPlan(faultAlways(faultAny, fault503HTML))
		n := f.proxy.Count()
		_, err := f.c.Page(ctx, title, ReadOptions{})
		if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "HTTP 503") {
			t.Errorf("read answered 503 forever: %v, want ErrBusy with the last error", err)
		}
		if got := f.proxy.Count() - n; got != maxRetries+1 {
			t.Errorf("%d requests, want %d", got, maxRetries+1)
		}
	})
	t.Run("429 on edits", func(t *testing.T) {
		f.proxy.SetRetryAfter(0) // "retry now": keep the test short
		defer f.proxy.SetRetryAfter(1)
		f.proxy.SetPlan(faultAlways(faultIsEdit, fault429))
		n := f.proxy.Count()
		_, err := f.c.Edit(ctx, EditRequest{Title: title, Text: "two", Summary: "test", Base: base})
		if !errors.Is(err, ErrBusy) {
			t.Errorf("edit answered 429 forever: %v, want ErrBusy", err)
		}
		if got := len(faultEdits(f.proxy.Requests(n))); got != maxRetries+1 {
			t.Errorf("%d edit requests, want %d", got, maxRetries+1)
		}
		if h := faultRevisions(t, f.direct, title, time.Time{}); len(h) != 1 {
			t.Errorf("%d revisions, want only the seed", len(h))
		}
	})
	// 120 s is beyond MaxRetryAfter; the largest int64 seconds is beyond
	// what a time.Duration holds.
	for _, ra := range []int{120, math.MaxInt64} {
		t.Run(fmt.Sprintf("Retry-After %d beyond MaxRetryAfter", ra), func(t *testing.T) {
			f.proxy.SetRetryAfter(ra)
			defer f.proxy.SetRetryAfter(1)
			f.proxy.SetPlan(faultAlways(faultAny, faultMaxlag))
			n := f.proxy.Count()
			start := time.Now()
			_, err := f.c.Page(ctx, title, ReadOptions{})
			if !errors.Is(err, ErrBusy) || time.Since(start) > time.Second {
				t.Errorf("asked to wait %d s: %v after %s, want ErrBusy at once", ra, err, time.Since(start))
			}
			if got := f.proxy.Count() - n; got != 1 {
				t.Errorf("%d requests, want 1", got)
			}
		})
	}
}

func TestFaultContextCancelledDuringRetryAfterWait(t *testing.T) {
	f := newFaultSetup(t, nil)
	f.proxy.SetRetryAfter(5)
	f.proxy.SetPlan(faultAlways(faultAny, fault429))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(200*time.Millisecond, cancel)
	n := f.proxy.Count()
	start := time.Now()
	_, err := f.c.Page(ctx, "Main Page", ReadOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during a Retry-After wait: %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned %s after the start, want promptly after the cancellation (200 ms)", d)
	}
	if got := f.proxy.Count() - n; got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
}

// A login whose answer is lost is sent again with the same login token;
// MediaWiki accepts it for a BotPassword. (The bot's own account: a login
// is not an edit, and is not rate-limited when it succeeds.)
func TestFaultLostLoginAnswerStillLogsIn(t *testing.T) {
	env := devwiki.Start(t)
	for _, kind := range []faultKind{faultDropAfter, fault502After, fault500After} {
		t.Run(string(kind), func(t *testing.T) {
			p := newFaultProxy(t, env.APIURL)
			log := &lockedBuffer{}
			c, err := New(faultConfig(p.URL, log))
			if err != nil {
				t.Fatal(err)
			}
			p.SetPlan(faultsOn(func(r *faultRequest) bool { return r.Action() == "login" }, kind))
			if err := c.LoginBotPassword(context.Background(), env.BotUser, env.BotPassword); err != nil {
				t.Fatalf("login after %s: %v\n%s%s", kind, err, p.Log(), log.String())
			}
			if u, _, _ := strings.Cut(env.BotUser, "@"); c.User() != u || !c.HasRight("bot") {
				t.Errorf("logged in as %q (bot right: %v), want %s", c.User(), c.HasRight("bot"), u)
			}
		})
	}
}

// The end-to-end test: the same batch of reads and edits, once straight to
// the wiki and once through the proxy with random faults on about a third
// of the requests, must leave the wiki in the same state, with no edit
// made twice.

const faultWorkloadPages = 8

// faultWorkloadText is the text of page i after step (0: created; 1, 2:
// updated). Page 3 is large, so its edits go as multipart/form-data.
func faultWorkloadText(i, step int) string {
	text := fmt.Sprintf("Page %d, version %d.\n\n* item a\n* item %d-%d\n", i, step, i, step)
	if i == 3 {
		text += strings.Repeat(fmt.Sprintf("Line of a large page, version %d.\n", step), 300)
	}
	return text
}

type faultWorkloadResult struct {
	texts    map[string]string // page texts by page number
	sections map[string]string // section texts by number, the run tag replaced by "RUN"
	markers  []string
	titles   []string
	headings []string
}

// runFaultWorkload creates the pages under prefix, updates each twice from
// a fresh read, posts sections to talk, and reads everything back.
func runFaultWorkload(t *testing.T, c *Client, prefix, talk, tag string) faultWorkloadResult {
	t.Helper()
	ctx := context.Background()
	res := faultWorkloadResult{texts: map[string]string{}, sections: map[string]string{}}
	for i := range faultWorkloadPages {
		res.titles = append(res.titles, fmt.Sprintf("%sPage %d", prefix, i))
	}
	for i, title := range res.titles {
		r, err := c.Edit(ctx, EditRequest{Title: title, Text: faultWorkloadText(i, 0), Summary: "create"})
		if err != nil || r.Result != Created {
			t.Fatalf("creating %s: %+v, %v", title, r, err)
		}
	}
	for step := 1; step <= 2; step++ {
		for i, title := range res.titles {
			base, err := c.Page(ctx, title, ReadOptions{})
			if err != nil {
				t.Fatalf("reading %s: %v", title, err)
			}
			r, err := c.Edit(ctx, EditRequest{Title: title, Text: faultWorkloadText(i, step), Summary: fmt.Sprintf("update %d", step), Base: base})
			if err != nil || r.Result != Updated || r.Merged {
				t.Fatalf("updating %s (step %d): %+v, %v", title, step, r, err)
			}
		}
	}
	for j := range 4 {
		marker := fmt.Sprintf("<!-- letsconnect:fault-test:%s:%d -->", tag, j)
		heading := fmt.Sprintf("Fault test %s message %d", tag, j)
		text := fmt.Sprintf("Message %d of run %s.\n\nWith a second paragraph. %s", j, tag, marker)
		r, err := c.NewSection(ctx, SectionRequest{Title: talk, Heading: heading, Text: text, Marker: marker})
		if err != nil || r.Result != Posted {
			t.Fatalf("posting section %d: %+v, %v", j, r, err)
		}
		res.markers = append(res.markers, marker)
		res.headings = append(res.headings, heading)
	}
	pages, err := c.Pages(ctx, append(slices.Clone(res.titles), talk), ReadOptions{})
	if err != nil {
		t.Fatalf("reading back: %v", err)
	}
	for i, p := range pages[:faultWorkloadPages] {
		res.texts[strconv.Itoa(i)] = p.Content
	}
	talkText := pages[faultWorkloadPages].Content
	for j, heading := range res.headings {
		res.sections[strconv.Itoa(j)] = strings.ReplaceAll(faultSection(talkText, heading), tag, "RUN")
	}
	return res
}

// faultSection returns the section under "== heading ==" up to the next
// heading; "" if the heading is not there exactly once.
func faultSection(text, heading string) string {
	h := "== " + heading + " =="
	if strings.Count(text, h) != 1 {
		return ""
	}
	rest := text[strings.Index(text, h):]
	if end := strings.Index(rest[len(h):], "\n=="); end >= 0 {
		rest = rest[:len(h)+end]
	}
	return strings.TrimSpace(rest)
}

// faultSeed is the random plan's seed: LETSCONNECT_FAULT_SEED replays a run.
func faultSeed(t *testing.T) uint64 {
	if s := os.Getenv("LETSCONNECT_FAULT_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("LETSCONNECT_FAULT_SEED: %v", err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

func TestFaultBatchThroughFaultsEndsLikeACleanRun(t *testing.T) {
	const timeout = 2 * time.Second
	f := newFaultSetup(t, func(c *Config) { c.Timeout = timeout })
	talk := "User talk:" + f.env.HumanUser
	root := faultPrefix + f.run + "/" + t.Name() + "/"
	since := time.Now()

	cleanStart := time.Now()
	clean := runFaultWorkload(t, f.direct, root+"clean/", talk, f.run+"-clean")
	cleanTime := time.Since(cleanStart)

	seed := faultSeed(t)
	t.Logf("fault plan seed %d (LETSCONNECT_FAULT_SEED=%d replays it)", seed, seed)
	f.proxy.SetPlan(faultRandom(seed, 0.35, allFaultKinds,
		[]faultKind{faultDropAfter, fault502After, fault500After, faultSlowTimeout, faultBadToken},
		map[faultKind]int{fault429: 1, fault429Date: 1, faultMaxlag: 1, faultSlowTimeout: 1}))
	n := f.proxy.Count()
	faultyStart := time.Now()
	faulty := runFaultWorkload(t, f.c, root+"faulty/", talk, f.run+"-faulty")
	faultyTime := time.Since(faultyStart)
	f.proxy.SetPlan(nil)
	reqs := f.proxy.Requests(n)
	t.Logf("clean run %s; faulty run %s, %d requests, injected %v", cleanTime.Round(time.Millisecond), faultyTime.Round(time.Millisecond), len(reqs), f.proxy.Injected())

	// The same pages and sections.
	if !maps.Equal(clean.texts, faulty.texts) {
		for i := range faultWorkloadPages {
			if k := strconv.Itoa(i); clean.texts[k] != faulty.texts[k] {
				t.Errorf("page %d: faulty run %q, clean run %q", i, truncate(faulty.texts[k], 100), truncate(clean.texts[k], 100))
			}
		}
	}
	for i := range faultWorkloadPages {
		if want := faultWorkloadText(i, 2); !SameText(faulty.texts[strconv.Itoa(i)], want) {
			t.Errorf("page %d: %q, want %q", i, truncate(faulty.texts[strconv.Itoa(i)], 100), truncate(want, 100))
		}
	}
	for j := range 4 {
		k := strconv.Itoa(j)
		if clean.sections[k] == "" || faulty.sections[k] != clean.sections[k] {
			t.Errorf("section %d: faulty run %q, clean run %q", j, faulty.sections[k], clean.sections[k])
		}
	}

	// No edit applied twice: three revisions per page, one per section.
	for _, run := range []faultWorkloadResult{clean, faulty} {
		for _, title := range run.titles {
			h := faultRevisions(t, f.direct, title, time.Time{})
			if len(h) != 3 {
				t.Errorf("%s has %d revisions, want 3: %+v", title, len(h), h)
			}
		}
	}
	talkText := f.content(t, talk)
	talkHistory := faultRevisions(t, f.direct, talk, since)
	for _, run := range []faultWorkloadResult{clean, faulty} {
		for j, marker := range run.markers {
			if got := strings.Count(talkText, marker); got != 1 {
				t.Errorf("marker %s on the talk page %d times, want 1", marker, got)
			}
			var revs int
			for _, r := range talkHistory {
				if strings.Contains(r.Comment, run.headings[j]) {
					revs++
				}
			}
			if revs != 1 {
				t.Errorf("%d talk page revisions for %q, want 1", revs, run.headings[j])
			}
		}
	}

	// Every fault happened, the dangerous ones to edits.
	injected := f.proxy.Injected()
	for _, k := range allFaultKinds {
		if injected[k] == 0 {
			t.Errorf("fault %s never injected", k)
		}
	}
	onEdits := map[faultKind]int{}
	for _, r := range reqs {
		if r.IsEdit() {
			onEdits[r.Fault]++
		}
	}
	for _, k := range []faultKind{faultDropAfter, fault502After, fault500After, faultBadToken} {
		if onEdits[k] == 0 {
			t.Errorf("fault %s never injected into an edit", k)
		}
	}
	for _, r := range reqs {
		if r.Params.Get("maxlag") != "5" || !strings.HasPrefix(r.Header.Get("User-Agent"), "LetsConnectFaultTest/") {
			t.Errorf("request %s without maxlag=5 or the User-Agent (%q)", r, r.Header.Get("User-Agent"))
		}
	}
	if faulty := float64(len(reqs)-faultUnfaulted(reqs)) / float64(len(reqs)); faulty < 0.2 {
		t.Errorf("only %.0f%% of the requests had a fault", 100*faulty)
	}
}

func faultUnfaulted(reqs []*faultRequest) int {
	var n int
	for _, r := range reqs {
		if r.Fault == faultNone {
			n++
		}
	}
	return n
}

// MediaWiki transforms some text on save (signatures, CRLF line endings),
// so after a lost answer the page's text differs from what was sent: the
// newer revision by the same account still tells that the edit landed.
func TestFaultLostAnswerOnTransformedTextIsNotAConflict(t *testing.T) {
	f := newFaultSetup(t, nil)
	ctx := context.Background()
	created, updated := f.title(t, "created"), f.title(t, "updated")
	base := f.seed(t, updated, "one")
	f.proxy.SetPlan(faultAlways(faultIsEdit, faultDropAfter))
	res, err := f.c.Edit(ctx, EditRequest{Title: created, Text: "signed ~~~~", Summary: "test"})
	if err != nil || res.Result != Created {
		t.Fatalf("create with a signature: %+v, %v", res, err)
	}
	res2, err := f.c.Edit(ctx, EditRequest{Title: updated, Text: "café\r\nline two", Summary: "test", Base: base})
	if err != nil || res2.Result != Updated {
		t.Fatalf("update with CRLF: %+v, %v", res2, err)
	}
	if h := faultRevisions(t, f.direct, created, time.Time{}); len(h) != 1 {
		t.Errorf("created page has %d revisions, want 1", len(h))
	}
	if h := faultRevisions(t, f.direct, updated, time.Time{}); len(h) != 2 {
		t.Errorf("updated page has %d revisions, want 2", len(h))
	}
}
