package wiki

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultProxy is an HTTP proxy in front of the real local wiki's api.php that
// injects the failures a bot meets on Wikimedia: rate limiting, maxlag,
// HTML error pages from the CDN, dropped connections (before and after the
// wiki acted on the request), slow answers and stale tokens. A plan decides,
// request by request, which fault (if any) to inject; the proxy records every
// request it saw, with its parameters, and counts what it injected.
//
// Faults that do not forward the request (429, maxlag, 503, drop-before,
// badtoken, 404) leave the wiki untouched. Faults that forward it first
// (drop-after, 502-after, 500-after, slow-timeout) let an edit land while
// the client never learns so: those are the ones that could make a careless
// client edit twice.
type faultProxy struct {
	URL string // the proxy's api.php, for Config.APIURL

	srv    *httptest.Server
	target string // the real api.php
	fwd    *http.Client

	// SlowDelay is how long a "slow" request waits before being forwarded.
	SlowDelay time.Duration
	// Hold is the longest a "slow-timeout" answer is held back after the
	// wiki answered; the client normally gives up (Config.Timeout) first.
	Hold time.Duration

	mu         sync.Mutex
	retryAfter int // seconds, sent with 429 and maxlag (SetRetryAfter)
	plan       faultPlan
	reqs       []*faultRequest
	injected   map[faultKind]int
}

// faultKind is one kind of failure the proxy can inject.
type faultKind string

const (
	faultNone        faultKind = ""
	fault429         faultKind = "429"          // 429, Retry-After: seconds; not forwarded
	fault429Date     faultKind = "429-date"     // 429, Retry-After: HTTP-date; not forwarded
	faultMaxlag      faultKind = "maxlag"       // 200 + maxlag error, Retry-After, X-Database-Lag; not forwarded
	fault503HTML     faultKind = "503-html"     // 503 with an HTML error page; not forwarded
	fault404         faultKind = "404"          // a permanent 4xx; not forwarded
	faultDropBefore  faultKind = "drop-before"  // connection closed before forwarding
	faultDropAfter   faultKind = "drop-after"   // forwarded, then the connection is closed unanswered
	fault502After    faultKind = "502-after"    // forwarded, then 502 with an HTML page
	fault500After    faultKind = "500-after"    // forwarded, then 500 with an HTML page
	faultSlow        faultKind = "slow"         // delayed by SlowDelay, then forwarded normally
	faultSlowTimeout faultKind = "slow-timeout" // forwarded, answer held back past the client's timeout
	faultBadToken    faultKind = "badtoken"     // badtoken error for a POST with a token; not forwarded
)

// allFaultKinds are the kinds the random plan draws from (404 is not
// transient, so it is left to its own test).
var allFaultKinds = []faultKind{
	fault429, fault429Date, faultMaxlag, fault503HTML, faultDropBefore, faultDropAfter,
	fault502After, fault500After, faultSlow, faultSlowTimeout, faultBadToken,
}

// applies reports whether k can be injected into r: badtoken only answers
// requests that carry a token.
func (k faultKind) applies(r *faultRequest) bool {
	if k == faultBadToken {
		return r.Method == http.MethodPost && r.Params.Get("token") != ""
	}
	return true
}

// faultRequest is one request as the proxy saw it.
type faultRequest struct {
	N       int // 0-based, in arrival order
	Method  string
	Params  url.Values // query, urlencoded body and multipart fields together
	Header  http.Header
	At      time.Time // arrival
	Fault   faultKind
	RetryAt time.Time // the HTTP-date sent with 429-date
}

// Action is the request's API action, "edit" for an edit or new section.
func (r *faultRequest) Action() string { return r.Params.Get("action") }

// IsEdit reports whether r is an edit (or new section) with its token.
func (r *faultRequest) IsEdit() bool {
	return r.Action() == "edit" && r.Params.Get("token") != ""
}

func (r *faultRequest) String() string {
	s := fmt.Sprintf("#%d %s action=%s", r.N, r.Method, r.Action())
	for _, k := range []string{"meta", "prop", "title", "titles", "section"} {
		if v := r.Params.Get(k); v != "" {
			s += " " + k + "=" + truncate(v, 60)
		}
	}
	if r.Fault != faultNone {
		s += " [" + string(r.Fault) + "]"
	}
	return s
}

// faultPlan picks the fault for a request (called under the proxy's lock,
// in arrival order); faultNone forwards it untouched.
type faultPlan func(r *faultRequest) faultKind

// newFaultProxy starts a proxy to the wiki's api.php, without faults until
// a plan is set.
func newFaultProxy(t testing.TB, target string) *faultProxy {
	t.Helper()
	p := &faultProxy{
		target:     target,
		retryAfter: 1,
		SlowDelay:  300 * time.Millisecond,
		Hold:       10 * time.Second,
		injected:   map[faultKind]int{},
		fwd: &http.Client{
			Timeout:       60 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	p.srv = httptest.NewServer(p) // listens on 127.0.0.1
	p.URL = p.srv.URL + "/api.php"
	t.Cleanup(p.srv.Close)
	return p
}

// SetPlan replaces the plan; nil forwards everything.
func (p *faultProxy) SetPlan(plan faultPlan) {
	p.mu.Lock()
	p.plan = plan
	p.mu.Unlock()
}

// SetRetryAfter sets the Retry-After, in seconds, of 429 and maxlag
// answers (1 until set).
func (p *faultProxy) SetRetryAfter(secs int) {
	p.mu.Lock()
	p.retryAfter = secs
	p.mu.Unlock()
}

// Requests returns the requests seen so far (from index from on).
func (p *faultProxy) Requests(from int) []*faultRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.reqs[min(from, len(p.reqs)):])
}

// Count returns the number of requests seen so far.
func (p *faultProxy) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.reqs)
}

// Injected returns how many times each fault was injected.
func (p *faultProxy) Injected() map[faultKind]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[faultKind]int, len(p.injected))
	for k, n := range p.injected {
		if k != faultNone {
			out[k] = n
		}
	}
	return out
}

// Log is the proxy's view of the traffic, one request a line, for failure
// messages.
func (p *faultProxy) Log() string {
	var b strings.Builder
	for _, r := range p.Requests(0) {
		b.WriteString(r.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "proxy: reading the request: "+err.Error(), http.StatusBadRequest)
		return
	}
	fr := &faultRequest{
		Method: r.Method,
		Params: faultParams(r, body),
		Header: r.Header.Clone(),
		At:     time.Now(),
	}
	p.mu.Lock()
	fr.N = len(p.reqs)
	if p.plan != nil {
		fr.Fault = p.plan(fr)
	}
	if !fr.Fault.applies(fr) {
		fr.Fault = faultNone
	}
	if fr.Fault == fault429Date {
		// http.TimeFormat has whole seconds: 0.5 to 1.5 s ahead.
		fr.RetryAt = time.Now().Add(1500 * time.Millisecond).Truncate(time.Second)
	}
	p.reqs = append(p.reqs, fr)
	p.injected[fr.Fault]++
	retryAfter := fmt.Sprint(p.retryAfter)
	p.mu.Unlock()

	switch fr.Fault {
	case fault429:
		w.Header().Set("Retry-After", retryAfter)
		faultWriteHTML(w, http.StatusTooManyRequests, "Too many requests")
		return
	case fault429Date:
		w.Header().Set("Retry-After", fr.RetryAt.UTC().Format(http.TimeFormat))
		faultWriteHTML(w, http.StatusTooManyRequests, "Too many requests")
		return
	case faultMaxlag:
		// What MediaWiki's ApiMain sends with errorformat=plaintext.
		w.Header().Set("Retry-After", retryAfter)
		w.Header().Set("X-Database-Lag", "7")
		faultWriteAPIError(w, "maxlag", `{"errors":[{"code":"maxlag","text":"Waiting for 10.64.48.35: 7 seconds lagged.",`+
			`"data":{"host":"10.64.48.35","lag":7,"type":"db"},"module":"main"}],`+
			`"docref":"See http://127.0.0.1/api.php for API usage."}`)
		return
	case fault503HTML:
		faultWriteHTML(w, http.StatusServiceUnavailable, "Our servers are currently under maintenance or experiencing a technical issue")
		return
	case fault404:
		faultWriteHTML(w, http.StatusNotFound, "Not Found")
		return
	case faultDropBefore:
		faultDrop(w)
		return
	case faultBadToken:
		faultWriteAPIError(w, "badtoken", `{"errors":[{"code":"badtoken","text":"Invalid CSRF token.","module":"main"}],`+
			`"docref":"See http://127.0.0.1/api.php for API usage."}`)
		return
	case faultSlow:
		select {
		case <-time.After(p.SlowDelay):
		case <-r.Context().Done():
			return
		}
	}

	// Forward. The wiki finishes the request even if the client gives up,
	// as a real server does.
	resp, respBody, err := p.forward(r, body)
	if err != nil {
		faultWriteHTML(w, http.StatusBadGateway, "proxy: "+err.Error())
		return
	}
	switch fr.Fault {
	case faultDropAfter:
		faultDrop(w)
		return
	case fault502After:
		faultWriteHTML(w, http.StatusBadGateway, "Bad Gateway")
		return
	case fault500After:
		faultWriteHTML(w, http.StatusInternalServerError, "Internal Server Error")
		return
	case faultSlowTimeout:
		select {
		case <-time.After(p.Hold):
		case <-r.Context().Done(): // the client timed out and hung up
			return
		}
	}
	for k, vs := range resp.Header {
		if faultHopByHop[http.CanonicalHeaderKey(k)] {
			continue
		}
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(respBody)))
	w.WriteHeader(resp.StatusCode)
	w.Write(respBody)
}

// faultHopByHop are the headers the proxy does not pass on: hop-by-hop
// ones, and those of the body's encoding (the proxy's own HTTP client
// negotiates gzip with the wiki and hands the body on decoded).
var faultHopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true, "Proxy-Connection": true,
	"Content-Length": true, "Content-Encoding": true, "Accept-Encoding": true,
}

// forward sends the request on to the wiki with its method, body, headers
// and cookies, and returns the wiki's answer.
func (p *faultProxy) forward(r *http.Request, body []byte) (*http.Response, []byte, error) {
	u := p.target
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 60*time.Second)
	defer cancel()
	out, err := http.NewRequestWithContext(ctx, r.Method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, vs := range r.Header {
		if !faultHopByHop[http.CanonicalHeaderKey(k)] {
			out.Header[k] = vs
		}
	}
	resp, err := p.fwd.Do(out)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	return resp, respBody, nil
}

// faultParams collects a request's API parameters from its query string
// and its body (urlencoded or multipart/form-data).
func faultParams(r *http.Request, body []byte) url.Values {
	params := r.URL.Query()
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		form, _ := url.ParseQuery(string(body))
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), ctParams["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			v, _ := io.ReadAll(part)
			params.Add(part.FormName(), string(v))
		}
	}
	return params
}

// faultDrop closes the client's connection without an answer.
func faultDrop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic("fault proxy: cannot hijack: " + err.Error())
	}
	conn.Close()
}

// faultWriteAPIError answers with an API error, as MediaWiki does: HTTP 200.
func faultWriteAPIError(w http.ResponseWriter, code, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("MediaWiki-API-Error", code)
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, body)
}

// faultWriteHTML answers like Wikimedia's CDN error pages do.
func faultWriteHTML(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en">
<meta charset="utf-8">
<title>Wikimedia Error</title>
<style>body { font-family: sans-serif; }</style>
<div class="content" role="main">
<h1>Error</h1>
<p>%s. Please try again in a few minutes.</p>
</div>
<div class="footer"><p>If you report this error to the Wikimedia System Administrators, please include the details below.</p>
<p class="text-muted"><code>Request served via cp3066 cp3066, Varnish XID 123456789<br>Upstream caches: cp3066 int<br>Error: %d, %s at %s</code></p></div>
</html>
`, msg, status, http.StatusText(status), time.Now().UTC().Format(time.RFC1123))
}

// Plans.

// faultsOn injects kinds, in order, into the successive requests that match,
// and nothing afterwards.
func faultsOn(match func(*faultRequest) bool, kinds ...faultKind) faultPlan {
	i := 0
	return func(r *faultRequest) faultKind {
		if i >= len(kinds) || !match(r) {
			return faultNone
		}
		i++
		return kinds[i-1]
	}
}

// faultAlways injects kind into every request that matches.
func faultAlways(match func(*faultRequest) bool, kind faultKind) faultPlan {
	return func(r *faultRequest) faultKind {
		if match(r) {
			return kind
		}
		return faultNone
	}
}

func faultAny(*faultRequest) bool { return true }

func faultIsEdit(r *faultRequest) bool { return r.IsEdit() }

// faultIsPageRead matches reads of page texts (Client.Pages).
func faultIsPageRead(r *faultRequest) bool {
	return r.Action() == "query" && r.Params.Get("prop") == "revisions"
}

// faultMaxInARow bounds the faults in a row of faultRandom (Config.MaxRetries
// is 8 in the tests).
const faultMaxInARow = 3

// faultRandom injects a fault into a fraction rate of the requests, drawn
// with a seeded generator so that a run can be replayed. Every kind gets its
// turn as soon as it can: a kind not injected yet is preferred, and on an
// edit, a kind of onEdits not yet injected into an edit (the faults after
// forwarding are the dangerous ones there). maxPer caps the kinds that cost
// time (Retry-After waits, timeouts). No more than faultMaxInARow requests
// in a row get a fault, so no request exhausts the client's retry budget by
// bad luck: these are faults a client must survive.
func faultRandom(seed uint64, rate float64, kinds, onEdits []faultKind, maxPer map[faultKind]int) faultPlan {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	seen := map[faultKind]int{}
	seenOnEdit := map[faultKind]bool{}
	inARow := 0
	return func(r *faultRequest) faultKind {
		if rng.Float64() >= rate || inARow >= faultMaxInARow {
			inARow = 0
			return faultNone
		}
		inARow++
		var usable, fresh, freshOnEdit []faultKind
		for _, k := range kinds {
			if !k.applies(r) || (maxPer[k] > 0 && seen[k] >= maxPer[k]) {
				continue
			}
			usable = append(usable, k)
			if seen[k] == 0 {
				fresh = append(fresh, k)
			}
			if r.IsEdit() && !seenOnEdit[k] && slices.Contains(onEdits, k) {
				freshOnEdit = append(freshOnEdit, k)
			}
		}
		pool := usable
		switch {
		case len(freshOnEdit) > 0:
			pool = freshOnEdit
		case len(fresh) > 0:
			pool = fresh
		}
		if len(pool) == 0 {
			inARow = 0
			return faultNone
		}
		k := pool[rng.IntN(len(pool))]
		seen[k]++
		if r.IsEdit() {
			seenOnEdit[k] = true
		}
		return k
	}
}
