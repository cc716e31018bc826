package wiki

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
)

// These tests run against the real local wiki (scripts/devwiki.sh).

const testPrefix = "Client test/"

// runID keeps titles of one test run apart from earlier runs on the same wiki.
var runID = time.Now().UTC().Format("20060102-150405.000")

func testTitle(t *testing.T, name string) string {
	return testPrefix + runID + "/" + t.Name() + "/" + name
}

// recorder is a transport that keeps a copy of every request's parameters.
type recorder struct {
	mu   sync.Mutex
	reqs []recordedRequest
}

type recordedRequest struct {
	Method string
	Header http.Header
	Params url.Values
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	params := req.URL.Query()
	if req.Body != nil && req.GetBody != nil {
		body, _ := req.GetBody()
		raw, _ := io.ReadAll(body)
		if strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/") {
			params = parseMultipart(req.Header.Get("Content-Type"), raw, params)
		} else {
			form, _ := url.ParseQuery(string(raw))
			for k, v := range form {
				params[k] = v
			}
		}
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recordedRequest{Method: req.Method, Header: req.Header.Clone(), Params: params})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func parseMultipart(contentType string, body []byte, into url.Values) url.Values {
	req, err := http.NewRequest("POST", "http://x/", bytes.NewReader(body))
	if err != nil {
		return into
	}
	req.Header.Set("Content-Type", contentType)
	if err := req.ParseMultipartForm(32 << 20); err != nil {
		return into
	}
	for k, v := range req.MultipartForm.Value {
		into[k] = v
	}
	return into
}

func (r *recorder) since(n int) []recordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedRequest(nil), r.reqs[n:]...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

type testClient struct {
	*Client
	rec *recorder
	log *lockedBuffer
}

func newTestClient(t *testing.T, write bool) *testClient {
	t.Helper()
	env := devwiki.Start(t)
	rec := &recorder{}
	logBuf := &lockedBuffer{}
	c, err := New(Config{
		APIURL:       env.APIURL,
		UserAgent:    "LetsConnectTest/0.0 (https://example.org/letsconnect; test@example.org)",
		Write:        write,
		EditPrefixes: []string{testPrefix},
		Transport:    rec,
		BackoffBase:  10 * time.Millisecond,
		BackoffMax:   100 * time.Millisecond,
		Log:          zerolog.New(logBuf),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &testClient{Client: c, rec: rec, log: logBuf}
}

// lockedBuffer collects a client's log; the client may log from several
// goroutines while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *lockedBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *lockedBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newBot(t *testing.T) *testClient {
	t.Helper()
	c := newTestClient(t, true)
	env := devwiki.Start(t)
	if err := c.LoginBotPassword(context.Background(), env.BotUser, env.BotPassword); err != nil {
		t.Fatal(err)
	}
	return c
}

func newHuman(t *testing.T) *testClient {
	t.Helper()
	c := newTestClient(t, true)
	env := devwiki.Start(t)
	// Main-account action=login is deprecated but works, with a warning.
	if err := c.LoginBotPassword(context.Background(), env.HumanUser, env.HumanPassword); err != nil {
		t.Fatal(err)
	}
	return c
}

func mustEdit(t *testing.T, c *testClient, title, text string) EditResult {
	t.Helper()
	ctx := context.Background()
	base, err := c.Page(ctx, title, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Edit(ctx, EditRequest{Title: title, Text: text, Summary: "test", Base: base})
	if err != nil {
		t.Fatalf("edit %s: %v", title, err)
	}
	return res
}

type revision struct {
	RevID int64  `json:"revid"`
	User  string `json:"user"`
	Minor bool   `json:"minor"`
}

// history returns the page's revisions, newest first.
func history(t *testing.T, c *testClient, title string) []revision {
	t.Helper()
	var resp struct {
		Query struct {
			Pages []struct {
				Revisions []revision `json:"revisions"`
			} `json:"pages"`
		} `json:"query"`
	}
	err := c.call(context.Background(), request{params: map[string]string{
		"action": "query", "prop": "revisions", "titles": title, "rvprop": "ids|user|flags", "rvlimit": "max",
	}}, &resp)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Query.Pages) != 1 {
		t.Fatalf("history of %s: %d pages", title, len(resp.Query.Pages))
	}
	return resp.Query.Pages[0].Revisions
}

func TestLoginBotPassword(t *testing.T) {
	c := newBot(t)
	if c.User() != "LetsConnectBot" {
		t.Errorf("User() = %q, want LetsConnectBot", c.User())
	}
	if !c.HasRight("bot") || !c.HasRight("apihighlimits") {
		t.Errorf("the bot's BotPassword lacks bot or apihighlimits: %v", c.rights)
	}
	if c.BatchSize() != 500 {
		t.Errorf("BatchSize() = %d with apihighlimits, want 500", c.BatchSize())
	}
}

func TestLoginWrongPasswordSaysWhyAndHidesThePassword(t *testing.T) {
	c := newTestClient(t, true)
	env := devwiki.Start(t)
	const secret = "not-the-password-1234567890"
	err := c.LoginBotPassword(context.Background(), env.BotUser, secret)
	if err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
	if !strings.Contains(err.Error(), "Failed") {
		t.Errorf("error does not say the login failed: %v", err)
	}
	if strings.Contains(err.Error(), secret) || strings.Contains(c.log.String(), secret) {
		t.Errorf("the password leaked into the error or the log: %v\n%s", err, c.log.String())
	}
}

func TestEveryRequestCarriesPolicyParametersAndUserAgent(t *testing.T) {
	c := newBot(t)
	title := testTitle(t, "page")
	mustEdit(t, c, title, "text")
	ua := regexp.MustCompile(`^LetsConnectTest/0\.0 \(https://example\.org/letsconnect; test@example\.org\) letsconnect-wiki/\S+ go-mwclient/1\.3\.0 go\S+$`)
	reqs := c.rec.since(0)
	if len(reqs) < 4 {
		t.Fatalf("only %d requests recorded", len(reqs))
	}
	sawEdit := false
	for _, r := range reqs {
		if !ua.MatchString(r.Header.Get("User-Agent")) {
			t.Errorf("User-Agent %q does not follow the policy format", r.Header.Get("User-Agent"))
		}
		for k, want := range map[string]string{"format": "json", "formatversion": "2", "maxlag": "5", "errorformat": "plaintext"} {
			if got := r.Params.Get(k); got != want {
				t.Errorf("%s request: %s=%q, want %q", r.Params.Get("action"), k, got, want)
			}
		}
		if r.Params.Get("action") == "edit" {
			sawEdit = true
			if r.Method != "POST" {
				t.Errorf("edit sent with %s", r.Method)
			}
			for k, want := range map[string]string{"assert": "bot", "bot": "1", "createonly": "1", "watchlist": "nochange"} {
				if got := r.Params.Get(k); got != want {
					t.Errorf("edit: %s=%q, want %q", k, got, want)
				}
			}
		}
	}
	if !sawEdit {
		t.Error("no edit request recorded")
	}
}

func TestReadsGoInBatchesOf50Or500(t *testing.T) {
	ctx := context.Background()
	titles := make([]string, 120)
	for i := range titles {
		titles[i] = fmt.Sprintf("%sBatch/%d", testPrefix+runID+"/", i)
	}
	for _, tc := range []struct {
		name         string
		client       *testClient
		wantRequests int
	}{
		{"human without apihighlimits", newHuman(t), 3},
		{"bot with apihighlimits", newBot(t), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.client.rec.count()
			pages, err := tc.client.Pages(ctx, titles, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.client.rec.count() - before; got != tc.wantRequests {
				t.Errorf("reading %d titles took %d requests, want %d", len(titles), got, tc.wantRequests)
			}
			if len(pages) != len(titles) {
				t.Fatalf("got %d pages for %d titles", len(pages), len(titles))
			}
			for i, p := range pages {
				if p.Requested != titles[i] || !p.Missing {
					t.Errorf("page %d = %+v, want missing %q", i, p, titles[i])
				}
			}
		})
	}
}

func TestReadReportsMissingInvalidRedirectedAndNormalisedTitles(t *testing.T) {
	c := newBot(t)
	ctx := context.Background()
	target := testTitle(t, "Target")
	redirect := testTitle(t, "Redirect")
	mustEdit(t, c, target, "target text")
	mustEdit(t, c, redirect, "#REDIRECT [["+target+"]]")

	lower := strings.ReplaceAll(strings.ToLower(target[:1])+target[1:], " ", "_")
	requested := []string{target, lower, redirect, testTitle(t, "Nowhere"), "Bad|title", "[[x]]", "wikipedia:Foo"}
	pages, err := c.Pages(ctx, requested, ReadOptions{FollowRedirects: true})
	if err != nil {
		t.Fatal(err)
	}
	check := func(i int, ok bool, what string) {
		t.Helper()
		if !ok {
			t.Errorf("%s: %+v", what, *pages[i])
		}
	}
	check(0, pages[0].Exists() && pages[0].Content == "target text" && pages[0].RevID > 0 && !pages[0].Timestamp.IsZero(), "existing page")
	check(1, pages[1].Title == target && pages[1].Content == "target text", "normalised title (lower case, underscores)")
	check(2, pages[2].Title == target && pages[2].RedirectFrom == redirect && pages[2].Content == "target text", "redirect followed")
	check(3, pages[3].Missing && !pages[3].Exists(), "missing page")
	check(4, pages[4].Invalid && strings.Contains(pages[4].InvalidReason, "|"), "title with a pipe")
	check(5, pages[5].Invalid, "title with brackets")
	check(6, pages[6].Invalid && pages[6].InvalidReason == "interwiki title", "interwiki title")
	for _, p := range pages {
		if p.ReadAt.IsZero() {
			t.Errorf("%s: no ReadAt (needed for starttimestamp)", p.Requested)
		}
	}

	// Without FollowRedirects the redirect page itself is returned.
	p, err := c.Page(ctx, redirect, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != redirect || !strings.HasPrefix(p.Content, "#REDIRECT") {
		t.Errorf("redirect read without following: %+v", *p)
	}
}

func TestReadFollowsContinuationForPagesWithoutRevisions(t *testing.T) {
	// The local wiki's $wgAPIMaxResultSize is 2 MiB: three pages of 800 kB
	// cannot come in one response, so MediaWiki returns the last without
	// revisions and an rvcontinue (go-mwclient panics here).
	c := newBot(t)
	ctx := context.Background()
	var titles, texts []string
	for i := 0; i < 3; i++ {
		title := testTitle(t, fmt.Sprint(i))
		text := fmt.Sprintf("page %d\n", i) + strings.Repeat(fmt.Sprintf("line %d of a long page.\n", i), 800_000/22)
		mustEdit(t, c, title, text)
		titles, texts = append(titles, title), append(texts, text)
	}
	before := c.rec.count()
	pages, err := c.Pages(ctx, titles, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.rec.count() - before; got < 2 {
		t.Errorf("read took %d request; the test expects continuation (check $wgAPIMaxResultSize)", got)
	}
	for i, p := range pages {
		if !SameText(p.Content, texts[i]) {
			t.Errorf("%s: got %d bytes, want %d", titles[i], len(p.Content), len(texts[i]))
		}
	}
}

func TestListByPrefixCategoryAndTransclusion(t *testing.T) {
	c := newBot(t)
	ctx := context.Background()
	root := testTitle(t, "")
	tmpl := "Template:" + strings.TrimSuffix(root, "/") + " marker"
	category := strings.TrimSuffix(root, "/") + " members"
	if _, err := c.Allowed(ctx, tmpl); err == nil {
		t.Fatal("templates outside the prefixes must not be editable by the bot")
	}
	human := newHuman(t)
	human.cfg.EditPrefixes = []string{"Template:" + testPrefix}
	mustEdit(t, human, tmpl, "marker")
	want := []string{root + "A", root + "B", root + "C"}
	for _, title := range want {
		mustEdit(t, c, title, "{{"+strings.TrimPrefix(tmpl, "Template:")+"}} [[Category:"+category+"]]")
	}
	mustEdit(t, c, root+"Other", "no template, no category")

	refs, err := c.ListPrefix(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if got := refTitles(refs); strings.Join(got, ",") != strings.Join(append(want, root+"Other"), ",") {
		t.Errorf("ListPrefix = %v", got)
	}
	for _, r := range refs {
		if r.LastRevID == 0 || r.PageID == 0 {
			t.Errorf("ListPrefix: %+v lacks ids", r)
		}
	}
	cat, err := c.ListCategory(ctx, category)
	if err != nil {
		t.Fatal(err)
	}
	if got := refTitles(cat); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ListCategory = %v, want %v", got, want)
	}
	emb, err := c.ListEmbeddedIn(ctx, strings.TrimPrefix(tmpl, "Template:"))
	if err != nil {
		t.Fatal(err)
	}
	if got := refTitles(emb); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ListEmbeddedIn = %v, want %v", got, want)
	}
}

func refTitles(refs []PageRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Title)
	}
	return out
}

func TestEditCreatesUpdatesAndSkipsNoOps(t *testing.T) {
	c := newBot(t)
	ctx := context.Background()
	title := testTitle(t, "page")
	if res := mustEdit(t, c, title, "one"); res.Result != Created || res.RevID == 0 {
		t.Errorf("first edit: %+v, want created", res)
	}
	if res := mustEdit(t, c, title, "two"); res.Result != Updated {
		t.Errorf("second edit: %+v, want updated", res)
	}
	base, err := c.Page(ctx, title, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before := c.rec.count()
	res, err := c.Edit(ctx, EditRequest{Title: title, Text: "two\n\n", Summary: "no-op", Base: base})
	if err != nil || res.Result != Unchanged {
		t.Errorf("same text (trailing newlines aside): %+v, %v; want unchanged", res, err)
	}
	if n := c.rec.count() - before; n != 0 {
		t.Errorf("a no-op edit made %d requests, want 0", n)
	}
	if h := history(t, c, title); len(h) != 2 {
		t.Errorf("history has %d revisions, want 2", len(h))
	}
	for _, r := range c.rec.since(0) {
		if r.Params.Get("action") == "edit" && r.Params.Get("nocreate") == "1" {
			if r.Params.Get("baserevid") == "" || r.Params.Get("starttimestamp") == "" {
				t.Errorf("update without conflict guards: %v", r.Params)
			}
		}
	}

	// Never basetimestamp, even on a base older than the second it was
	// read in: it would let the bot's account overwrite its own newer
	// revisions without a conflict (see Edit, and the contract's
	// Conflicts cases).
	time.Sleep(1100 * time.Millisecond)
	before = c.rec.count()
	mustEdit(t, c, title, "three")
	var sent bool
	for _, r := range c.rec.since(before) {
		if r.Params.Get("action") == "edit" {
			sent = true
			if r.Params.Get("baserevid") == "" || r.Params.Get("starttimestamp") == "" || r.Params.Has("basetimestamp") {
				t.Errorf("an edit on an old base: baserevid %q, starttimestamp %q, basetimestamp %q; want the first two only",
					r.Params.Get("baserevid"), r.Params.Get("starttimestamp"), r.Params.Get("basetimestamp"))
			}
		}
	}
	if !sent {
		t.Error("no edit sent")
	}
}

func TestEditConflictIsItsOwnErrorAndKeepsTheHumanEdit(t *testing.T) {
	bot, human := newBot(t), newHuman(t)
	ctx := context.Background()
	title := testTitle(t, "page")
	// Both with a base read in the second it was saved and with an older
	// base.
	for _, pause := range []time.Duration{0, 1100 * time.Millisecond} {
		mustEdit(t, bot, title, "bot text")
		time.Sleep(pause)
		stale, err := bot.Page(ctx, title, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mustEdit(t, human, title, "a human's careful edit")
		_, err = bot.Edit(ctx, EditRequest{Title: title, Text: "bot overwrite", Summary: "test", Base: stale})
		if !errors.Is(err, ErrEditConflict) {
			t.Fatalf("pause %s: edit on a stale base: %v, want ErrEditConflict", pause, err)
		}
		now, err := bot.Page(ctx, title, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if now.Content != "a human's careful edit" {
			t.Errorf("pause %s: page now %q: the human's edit was lost", pause, now.Content)
		}
	}

	// A human edit on other lines is merged by MediaWiki, and said so.
	mustEdit(t, bot, title, "line one\n\nline two\n\nline three")
	stale, err := bot.Page(ctx, title, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mustEdit(t, human, title, "line one\n\nline two\n\nline three, by a human")
	res, err := bot.Edit(ctx, EditRequest{Title: title, Text: "line one, by the bot\n\nline two\n\nline three", Summary: "test", Base: stale})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Merged {
		t.Errorf("edit merged with a human's: %+v, want Merged", res)
	}
	if now, _ := bot.Page(ctx, title, ReadOptions{}); !strings.Contains(now.Content, "by a human") {
		t.Errorf("merged page lost the human's line: %q", now.Content)
	}
}

func TestCreateOnlyAndNoCreateSurviveLargeMultipartEdits(t *testing.T) {
	// go-mwclient switches to multipart over 8,000 bytes and drops empty
	// values there: flags must still arrive.
	bot := newBot(t)
	ctx := context.Background()
	title := testTitle(t, "page")
	big := strings.Repeat("A long line of text for a large edit.\n", 400) // ~15 kB
	mustEdit(t, bot, title, "exists")
	_, err := bot.Edit(ctx, EditRequest{Title: title, Text: big, Summary: "create", Base: nil})
	if !errors.Is(err, ErrPageExists) {
		t.Errorf("large create-only edit of an existing page: %v, want ErrPageExists", err)
	}
	base, err := bot.Page(ctx, title, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := bot.Edit(ctx, EditRequest{Title: title, Text: big, Summary: "minor", Base: base, Minor: true})
	if err != nil || res.Result != Updated {
		t.Fatalf("large minor edit: %+v %v", res, err)
	}
	if h := history(t, bot, title); !h[0].Minor {
		t.Error("the large edit lost its minor flag")
	}

	// nocreate: the page is deleted after the bot read it.
	env := devwiki.Start(t)
	admin := newTestClient(t, true)
	if err := admin.LoginBotPassword(ctx, env.AdminUser, env.AdminPassword); err != nil {
		t.Fatal(err)
	}
	base, err = bot.Page(ctx, title, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.DeleteForTest(ctx, title); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Edit(ctx, EditRequest{Title: title, Text: big + "more", Summary: "after delete", Base: base})
	if !errors.Is(err, ErrPageMissing) {
		t.Errorf("edit of a page deleted since it was read: %v, want ErrPageMissing", err)
	}
	if p, _ := bot.Page(ctx, title, ReadOptions{}); p.Exists() {
		t.Error("the deleted page was recreated")
	}
}

func TestReadOnlyClientRecordsAndSendsNothing(t *testing.T) {
	bot := newBot(t)
	ctx := context.Background()
	title := testTitle(t, "page")
	mustEdit(t, bot, title, "original")

	dry := newTestClient(t, false)
	env := devwiki.Start(t)
	if err := dry.LoginBotPassword(ctx, env.BotUser, env.BotPassword); err != nil {
		t.Fatal(err)
	}
	base, err := dry.Page(ctx, title, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dry.SiteInfo(ctx); err != nil { // titles are checked with it
		t.Fatal(err)
	}
	before := dry.rec.count()
	res, err := dry.Edit(ctx, EditRequest{Title: title, Text: "changed", Summary: "dry", Base: base})
	if err != nil || res.Result != DryRun {
		t.Fatalf("dry-run edit: %+v %v", res, err)
	}
	res, err = dry.NewSection(ctx, SectionRequest{Title: "User talk:" + env.HumanUser, Heading: "Hello", Text: "hi <!-- m -->", Marker: "<!-- m -->"})
	if err != nil || res.Result != DryRun {
		t.Fatalf("dry-run section: %+v %v", res, err)
	}
	// It reads (the talk page, for the message's marker) but never
	// writes, nor asks for a token to write with.
	for _, r := range dry.rec.since(before) {
		if a := r.Params.Get("action"); a != "query" || r.Params.Get("meta") == "tokens" {
			t.Errorf("a read-only client sent action=%s meta=%s", a, r.Params.Get("meta"))
		}
	}
	got := dry.Recorded()
	if len(got) != 2 || got[0].OldText != "original" || got[0].Text != "changed" || got[0].BaseRevID != base.RevID || got[1].Kind != "new section" {
		t.Errorf("Recorded() = %+v", got)
	}
	if p, _ := bot.Page(ctx, title, ReadOptions{}); p.Content != "original" {
		t.Errorf("the page changed to %q under a read-only client", p.Content)
	}
}

func TestTitlesOutsideThePrefixesAreRefusedBeforeAnyRequest(t *testing.T) {
	bot := newBot(t)
	ctx := context.Background()
	if _, err := bot.SiteInfo(ctx); err != nil {
		t.Fatal(err)
	}
	before := bot.rec.count()
	for _, title := range []string{"Main Page", "User:WikiHuman", "User talk:WikiHuman/Archive", "Template:Client test/x", "Talk:" + testPrefix + "x", "Client test", "Category:" + testPrefix} {
		_, err := bot.Edit(ctx, EditRequest{Title: title, Text: "x", Summary: "x"})
		if !errors.Is(err, ErrTitleNotAllowed) {
			t.Errorf("Edit(%q): %v, want ErrTitleNotAllowed", title, err)
		}
		_, err = bot.NewSection(ctx, SectionRequest{Title: title, Heading: "x", Text: "x m", Marker: "m"})
		if !errors.Is(err, ErrTitleNotAllowed) {
			t.Errorf("NewSection(%q): %v, want ErrTitleNotAllowed", title, err)
		}
	}
	if n := bot.rec.count() - before; n != 0 {
		t.Errorf("refused titles cost %d requests", n)
	}
	for _, title := range []string{"client_test/" + runID + "/x", "User talk:WikiHuman", "user_talk:WikiHuman"} {
		if _, err := bot.Allowed(ctx, title); err != nil {
			t.Errorf("Allowed(%q): %v", title, err)
		}
	}
}

func TestNewSectionNotifiesAndIsNotMinor(t *testing.T) {
	bot := newBot(t)
	env := devwiki.Start(t)
	ctx := context.Background()
	talk := "User talk:" + env.HumanUser
	marker := "<!-- letsconnect:test:" + runID + " -->"
	res, err := bot.NewSection(ctx, SectionRequest{Title: talk, Heading: "Hello " + runID, Text: "A message. " + marker + " ~~~~", Marker: marker})
	if err != nil || res.Result != Posted {
		t.Fatalf("NewSection: %+v %v", res, err)
	}
	p, err := bot.Page(ctx, talk, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(p.Content, marker) != 1 || !strings.Contains(p.Content, "== Hello "+runID+" ==") {
		t.Errorf("talk page lacks the section once: %q", p.Content)
	}
	if h := history(t, bot, talk); h[0].Minor || h[0].RevID != res.RevID {
		t.Errorf("latest talk revision %+v: want ours (%d), not minor (minor bot edits do not notify)", h[0], res.RevID)
	}
	if _, err := bot.NewSection(ctx, SectionRequest{Title: talk, Heading: "x", Text: "no marker"}); err == nil {
		t.Error("a section without a marker was accepted")
	}
	// The same message again (a second run, another copy of the bot): the
	// live page has its marker, so nothing is posted.
	again, err := bot.NewSection(ctx, SectionRequest{Title: talk, Heading: "Hello " + runID, Text: "A message. " + marker + " ~~~~", Marker: marker})
	if err != nil || again.Result != AlreadyPosted || again.RevID != res.RevID {
		t.Errorf("posting the same message again: %+v %v, want %s at revision %d", again, err, AlreadyPosted, res.RevID)
	}
	if p, _ := bot.Page(ctx, talk, ReadOptions{}); strings.Count(p.Content, marker) != 1 {
		t.Error("the message is on the page twice")
	}
}

func TestBadTokenIsRefreshed(t *testing.T) {
	bot := newBot(t)
	title := testTitle(t, "page")
	mustEdit(t, bot, title, "one")
	bot.tokens["csrf"] = "0123456789abcdef+\\"
	if res := mustEdit(t, bot, title, "two"); res.Result != Updated {
		t.Errorf("edit after a stale token: %+v", res)
	}
	if !strings.Contains(bot.log.String(), "badtoken") {
		t.Error("the token refresh was not logged")
	}
}

func TestLostSessionLogsInAgain(t *testing.T) {
	bot := newBot(t)
	ctx := context.Background()
	title := testTitle(t, "page")
	mustEdit(t, bot, title, "one")
	// Log out behind the client's back: the server forgets the session.
	if err := bot.call(ctx, request{params: map[string]string{"action": "logout"}, post: true, token: "csrf"}, nil); err != nil {
		t.Fatal(err)
	}
	if res := mustEdit(t, bot, title, "two"); res.Result != Updated {
		t.Errorf("edit after the session was lost: %+v", res)
	}
	if h := history(t, bot, title); h[0].User != "LetsConnectBot" {
		t.Errorf("latest revision by %q, want the bot (not an anonymous edit)", h[0].User)
	}
}

func TestWarningsAreLoggedNotFatal(t *testing.T) {
	c := newHuman(t) // main-account login: the wiki answers Success with a deprecation warning
	ctx := context.Background()
	var resp struct {
		Query struct {
			General struct{ SiteName string } `json:"general"`
		} `json:"query"`
	}
	err := c.call(ctx, request{params: map[string]string{"action": "query", "meta": "siteinfo", "nosuchparameter": "1"}}, &resp)
	if err != nil {
		t.Fatalf("a response with warnings failed: %v", err)
	}
	if resp.Query.General.SiteName == "" {
		t.Error("data of a response with warnings was lost")
	}
	logs := c.log.String()
	if !strings.Contains(logs, "nosuchparameter") || !strings.Contains(logs, "action=login") {
		t.Errorf("warnings not logged:\n%s", logs)
	}
}

func TestCancelledContextStopsBeforeRequest(t *testing.T) {
	c := newBot(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := c.rec.count()
	_, err := c.Pages(ctx, []string{"Main Page"}, ReadOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("read with a cancelled context: %v", err)
	}
	if n := c.rec.count() - before; n != 0 {
		t.Errorf("%d requests sent on a cancelled context", n)
	}
}

// TestOAuth2SendsBearerToken uses an in-process fake API: the Debian wiki
// has no OAuth extension, so this only checks what the client sends.
func TestOAuth2SendsBearerToken(t *testing.T) {
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"query": map[string]any{"userinfo": map[string]any{"id": 7, "name": "OAuthBot", "rights": []string{"bot", "edit"}}}})
	}))
	defer srv.Close()
	c, err := New(Config{APIURL: srv.URL, UserAgent: "t/0 (x)"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LoginOAuth2(context.Background(), "tok123"); err != nil {
		t.Fatal(err)
	}
	if c.User() != "OAuthBot" || len(auth) != 1 || auth[0] != "Bearer tok123" {
		t.Errorf("user %q, Authorization headers %v", c.User(), auth)
	}
}
