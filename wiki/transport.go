package wiki

import (
	"context"
	"net/http"
	"sync/atomic"
)

// transport sits under go-mwclient's http.Client. go-mwclient builds its
// requests without a context and hides HTTP statuses and transport errors
// behind fmt.Errorf("%v"), so this RoundTripper threads the caller's context
// into each request and records what really happened for Client.call to
// classify. It relies on requests being serial (Client.mu).
type transport struct {
	base   http.RoundTripper
	bearer string // OAuth 2 owner-only access token, if any

	ctx      context.Context // the context of the call in flight
	last     outcome
	requests atomic.Int64
}

// outcome is what the last round trip produced.
type outcome struct {
	status int
	header http.Header
	err    error // the transport's own error, if the round trip failed
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := t.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	req = req.Clone(ctx)
	if t.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+t.bearer)
	}
	t.requests.Add(1)
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		t.last = outcome{err: err}
		return nil, err
	}
	t.last = outcome{status: resp.StatusCode, header: resp.Header.Clone()}
	// go-mwclient turns any response carrying X-Database-Lag into its own
	// maxlag error and parses Retry-After with strconv.Atoi, which fails on
	// the HTTP-date form. Client.call handles maxlag itself, from the body
	// and the headers recorded above.
	resp.Header.Del("X-Database-Lag")
	return resp, nil
}

func (t *transport) begin(ctx context.Context) {
	t.ctx = ctx
	t.last = outcome{}
}
