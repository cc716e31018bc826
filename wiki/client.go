package wiki

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mwclient "cgt.name/pkg/go-mwclient"
	"github.com/rs/zerolog"
)

// Config says how to reach a wiki and how to behave there.
type Config struct {
	// APIURL is the wiki's api.php, e.g. https://meta.wikimedia.org/w/api.php.
	APIURL string
	// APIURLSetting names where APIURL comes from (for example
	// "MW_API_URL"), for the error when nothing at it answers as
	// MediaWiki's API (URLError); "" says "the API URL".
	APIURLSetting string
	// UserAgent identifies the bot per the Wikimedia User-Agent policy:
	// "name/version (contact)". The client appends its libraries.
	UserAgent string
	// Write enables edits. Without it the client is read-only and records
	// the edits it would have made (Recorded).
	Write bool
	// EditPrefixes are the title prefixes the bot may edit (after title
	// normalisation), besides user talk pages. Any other title is refused
	// before a request is made.
	EditPrefixes []string
	// EditInterval is the least time between two edits (pacing bulk writes).
	EditInterval time.Duration
	// Tags are change tags applied to every edit; they must exist on the wiki.
	Tags []string
	// BotPage, when set, is the bot's documentation page: every edit
	// summary ends with a link to it ("… ([[BotPage|bot]])", in place of
	// a closing "(bot)"), so that anyone reading a history or a watchlist
	// can find what the bot is and how to stop it.
	BotPage string

	// MaxLag is sent as maxlag on every request; 0 means 5 (the Wikimedia
	// recommendation); a negative value leaves it out.
	MaxLag int
	// MaxRetries bounds the retries of one request (transient failures and
	// requests to wait); 0 means 8.
	MaxRetries int
	// BackoffBase and BackoffMax shape the exponential backoff; 0 means 1 s
	// and 60 s.
	BackoffBase, BackoffMax time.Duration
	// MaxRetryAfter is the longest wait the client accepts from a server's
	// Retry-After before giving up with ErrBusy; 0 means 5 minutes.
	MaxRetryAfter time.Duration
	// Timeout bounds one HTTP round trip; 0 means 60 s.
	Timeout time.Duration

	// Transport is the HTTP transport under the client (tests put a fault
	// proxy here or in front of the wiki); nil means http.DefaultTransport
	// with a 10 s connection timeout (a host that never answers is then
	// reported in seconds, not after the default 30).
	Transport http.RoundTripper
	// Log receives retries, waits, warnings and edits. Never credentials.
	Log zerolog.Logger
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
}

// Version is the client's version in the User-Agent.
var Version = "0.1.0"

// Client talks to one wiki, one request at a time.
type Client struct {
	cfg Config
	mw  *mwclient.Client
	tr  *transport
	log zerolog.Logger

	mu sync.Mutex // serialises requests: API etiquette asks for no parallel traffic

	// Guarded by being used only from call sites that hold no lock; the
	// fields below change only during login and token refresh, which happen
	// inside call's loop.
	login       func(context.Context) error // how to log in again; nil if anonymous
	user        string
	rights      map[string]bool
	tokens      map[string]string
	seenWarning map[string]bool
	site        *SiteInfo
	lastEdit    time.Time

	recMu    sync.Mutex
	recorded []Action

	// answered is set by the first response that is MediaWiki's API's:
	// until then, a failure to reach the URL is the configuration's fault
	// (URLError), not a passing outage, and is not retried.
	answered atomic.Bool

	stats Stats
}

// Stats counts what a client did; a run summary reports them.
type Stats struct {
	Requests  int64 // HTTP round trips, retries included
	Retries   int   // requests repeated after a transient failure or a wait
	Edits     int   // edits made (or, read-only, recorded)
	Unchanged int   // edits skipped because the text was already there
}

// New returns a read-only or writing client per cfg. It makes no request.
func New(cfg Config) (*Client, error) {
	if cfg.APIURL == "" {
		return nil, errors.New("wiki: no API URL")
	}
	if cfg.UserAgent == "" {
		return nil, errors.New("wiki: no User-Agent; Wikimedia requires one with contact information")
	}
	if cfg.MaxLag == 0 {
		cfg.MaxLag = 5
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 8
	}
	if cfg.BackoffBase == 0 {
		cfg.BackoffBase = time.Second
	}
	if cfg.BackoffMax == 0 {
		cfg.BackoffMax = 60 * time.Second
	}
	if cfg.MaxRetryAfter == 0 {
		cfg.MaxRetryAfter = 5 * time.Minute
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := cfg.Transport
	if base == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		base = tr
	}
	mw, err := mwclient.New(cfg.APIURL, "")
	if err != nil {
		return nil, fmt.Errorf("wiki: API URL %q: %w", cfg.APIURL, err)
	}
	// go-mwclient appends a token without a version; say it ourselves.
	mw.UserAgent = fmt.Sprintf("%s letsconnect-wiki/%s go-mwclient/1.3.0 %s", cfg.UserAgent, Version, runtime.Version())
	tr := &transport{base: base}
	mw.SetHTTPClient(&http.Client{Transport: tr, Timeout: cfg.Timeout})
	return &Client{
		cfg:         cfg,
		mw:          mw,
		tr:          tr,
		log:         cfg.Log,
		tokens:      map[string]string{},
		seenWarning: map[string]bool{},
	}, nil
}

// UserAgent returns the User-Agent header the client sends.
func (c *Client) UserAgent() string { return c.mw.UserAgent }

// Writes reports whether the client really edits (Config.Write).
func (c *Client) Writes() bool { return c.cfg.Write }

// User returns the logged-in user name, or "" when anonymous.
func (c *Client) User() string { return c.user }

// HasRight reports whether the logged-in account has a user right.
func (c *Client) HasRight(right string) bool { return c.rights[right] }

// Stats returns the counters so far.
func (c *Client) Stats() Stats {
	s := c.stats
	s.Requests = c.tr.requests.Load()
	return s
}

// LoginBotPassword logs in with a BotPassword (user "Name@app"), the way
// Wikimedia asks bots to log in with action=login.
func (c *Client) LoginBotPassword(ctx context.Context, user, password string) error {
	if user == "" || password == "" {
		return errors.New("wiki: BotPassword login needs a user name and a password")
	}
	c.login = func(ctx context.Context) error { return c.botPasswordLogin(ctx, user, password) }
	if err := c.login(ctx); err != nil {
		c.login = nil
		return err
	}
	return c.loadUser(ctx)
}

// LoginOAuth2 authenticates every request with an OAuth 2 owner-only access
// token (Authorization: Bearer). Cookies are kept, as Wikimedia's traffic
// layer asks of owner-only clients.
func (c *Client) LoginOAuth2(ctx context.Context, token string) error {
	if token == "" {
		return errors.New("wiki: OAuth 2 login needs an access token")
	}
	c.tr.bearer = token
	if err := c.loadUser(ctx); err != nil {
		return err
	}
	if c.user == "" {
		c.tr.bearer = ""
		return errors.New("wiki: the OAuth 2 token was not accepted (the wiki sees an anonymous user)")
	}
	return nil
}

func (c *Client) botPasswordLogin(ctx context.Context, user, password string) error {
	token, err := c.freshToken(ctx, "login")
	if err != nil {
		return fmt.Errorf("wiki: login: %w", err)
	}
	var resp struct {
		Login struct {
			Result string          `json:"result"`
			Reason json.RawMessage `json:"reason"`
			User   string          `json:"lgusername"`
		} `json:"login"`
	}
	err = c.call(ctx, request{params: map[string]string{
		"action": "login", "lgname": user, "lgpassword": password, "lgtoken": token,
	}, post: true, noAssert: true}, &resp)
	if err != nil {
		return fmt.Errorf("wiki: login as %s: %w", user, err)
	}
	if resp.Login.Result != "Success" {
		return fmt.Errorf("wiki: login as %s failed: %s: %s", user, resp.Login.Result, reasonText(resp.Login.Reason))
	}
	c.tokens = map[string]string{} // tokens belong to the session
	return nil
}

// reasonText reads a login failure reason, a string (errorformat=bc) or an
// object with text (errorformat=plaintext).
func reasonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct{ Code, Text string }
	if json.Unmarshal(raw, &obj) == nil {
		if obj.Text != "" {
			return obj.Text
		}
		return obj.Code
	}
	return string(raw)
}

// loadUser reads who we are and what we may do; the rights decide the read
// batch size (apihighlimits) and the assertion sent with writes (bot).
func (c *Client) loadUser(ctx context.Context) error {
	a, err := c.readAccount(ctx, true)
	if err != nil {
		return fmt.Errorf("wiki: reading the account's rights: %w", err)
	}
	c.rights = map[string]bool{}
	for _, r := range a.Rights {
		c.rights[r] = true
	}
	c.user = a.Name
	if a.Name == "" {
		return nil
	}
	c.log.Info().Str("user", a.Name).Bool("bot", c.rights["bot"]).Bool("apihighlimits", c.rights["apihighlimits"]).Msg("wiki: logged in")
	return nil
}

// request is one API call as Client.call sees it.
type request struct {
	params   map[string]string
	post     bool
	write    bool   // changes the wiki: an unknown outcome must not be retried blindly
	token    string // token type to add ("csrf"), refreshed on badtoken
	noAssert bool   // login and userinfo run before we know who we are
}

// envelope is the part of every response the client inspects.
type envelope struct {
	Continue map[string]any  `json:"continue"` // a query's continuation
	Errors   []apiMessage    `json:"errors"`   // errorformat=plaintext
	Error    *bcError        `json:"error"`    // errorformat=bc (proxies, old wikis)
	Warnings json.RawMessage `json:"warnings"` // a list (plaintext) or an object (bc)
}

type apiMessage struct {
	Code   string          `json:"code"`
	Text   string          `json:"text"`
	Module string          `json:"module"`
	Data   json.RawMessage `json:"data"`
}

type bcError struct {
	Code string  `json:"code"`
	Info string  `json:"info"`
	Lag  float64 `json:"lag"`
}

// uncertainError is a write whose request may or may not have been applied.
type uncertainError struct{ cause error }

func (e *uncertainError) Error() string {
	return "outcome unknown: " + e.cause.Error()
}
func (e *uncertainError) Unwrap() error { return e.cause }

// call sends one request, retrying what can be retried, and decodes the
// response into out (which may be nil).
func (c *Client) call(ctx context.Context, r request, out any) error {
	var (
		lastErr      error
		tokenRetries int
		relogins     int
	)
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if attempt > c.cfg.MaxRetries {
			return fmt.Errorf("%w: %v", ErrBusy, lastErr)
		}
		if attempt > 0 {
			c.stats.Retries++
		}
		params, err := c.prepare(ctx, r)
		if err != nil {
			return err
		}
		sent := time.Now()
		body, oc, err := c.roundTrip(ctx, params, r.post)
		c.logRequest(params, len(body), time.Since(sent))
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		wait, retry, env, err := c.classify(r, attempt, body, oc, err)
		if err == nil {
			// The body was checked and its envelope decoded: the raw forms
			// take it as it is (a second full pass over a 1 MB batch of
			// pages costs as much as the first).
			switch o := out.(type) {
			case nil:
				return nil
			case *json.RawMessage:
				*o = body
				return nil
			case *continued:
				o.body, o.next = body, env.Continue
				return nil
			}
			if jerr := json.Unmarshal(body, out); jerr != nil {
				return fmt.Errorf("wiki: decoding %s response: %w", params["action"], jerr)
			}
			return nil
		}
		lastErr = err
		switch {
		case IsCode(err, "badtoken") && r.token != "" && tokenRetries < 2:
			// The session's token went stale (session expired, or another
			// login replaced it): get a fresh one and send again.
			tokenRetries++
			delete(c.tokens, r.token)
			c.log.Warn().Str("action", params["action"]).Msg("wiki: badtoken, refreshing the token")
			continue
		case isSessionLost(err) && c.login != nil && relogins < 1:
			relogins++
			c.log.Warn().Str("code", err.(*APIError).Code).Msg("wiki: session lost, logging in again")
			if lerr := c.login(ctx); lerr != nil {
				return fmt.Errorf("wiki: logging in again after %v: %w", err, lerr)
			}
			continue
		case retry:
			if wait > c.cfg.MaxRetryAfter {
				return fmt.Errorf("%w: asked to wait %s: %v", ErrBusy, wait, err)
			}
			c.log.Warn().Err(err).Str("action", params["action"]).Dur("wait", wait).Int("attempt", attempt+1).Msg("wiki: retrying")
			if serr := sleep(ctx, wait); serr != nil {
				return serr
			}
			continue
		default:
			return err
		}
	}
}

func isSessionLost(err error) bool {
	return IsCode(err, "assertuserfailed") || IsCode(err, "assertbotfailed") || IsCode(err, "notloggedin")
}

// prepare builds the parameters of one attempt: the caller's, plus what
// every request carries.
func (c *Client) prepare(ctx context.Context, r request) (map[string]string, error) {
	p := make(map[string]string, len(r.params)+8)
	for k, v := range r.params {
		p[k] = v
	}
	p["format"] = "json"
	p["formatversion"] = "2"
	p["errorformat"] = "plaintext"
	if c.cfg.MaxLag > 0 {
		p["maxlag"] = fmt.Sprint(c.cfg.MaxLag)
	}
	if !r.noAssert && c.user != "" {
		if c.rights["bot"] && r.write {
			p["assert"] = "bot"
		} else {
			p["assert"] = "user"
		}
	}
	if r.token != "" {
		tok, err := c.token(ctx, r.token)
		if err != nil {
			return nil, err
		}
		p["token"] = tok
	}
	return p, nil
}

// roundTrip sends one HTTP request through go-mwclient, serially.
func (c *Client) roundTrip(ctx context.Context, params map[string]string, post bool) ([]byte, outcome, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tr.begin(ctx)
	var (
		body []byte
		err  error
	)
	if post {
		body, err = c.mw.PostRaw(params)
	} else {
		body, err = c.mw.GetRaw(params)
	}
	oc := c.tr.last
	c.tr.ctx = nil
	return body, oc, err
}

// classify decides what a response means: success (nil error), a failure
// worth retrying after wait, or a final error.
//
// env is the response's decoded envelope, when it was JSON.
func (c *Client) classify(r request, attempt int, body []byte, oc outcome, err error) (wait time.Duration, retry bool, env *envelope, _ error) {
	now := c.cfg.Now()
	if !c.answered.Load() {
		if uerr := c.notTheAPI(body, oc, err); uerr != nil {
			return 0, false, nil, uerr
		}
	}
	transient := func(cause error) (time.Duration, bool, *envelope, error) {
		if r.write {
			return 0, false, nil, &uncertainError{cause}
		}
		return backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffMax), true, nil, cause
	}
	if err != nil || oc.err != nil {
		cause := oc.err
		if cause == nil {
			cause = err
		}
		if isRefusedBeforeSending(cause) && r.write {
			// Nothing reached the server: safe to repeat even a write.
			return backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffMax), true, nil, fmt.Errorf("wiki: network: %w", cause)
		}
		return transient(fmt.Errorf("wiki: network: %w", cause))
	}
	if oc.status != http.StatusOK {
		httpErr := &HTTPError{Status: oc.status, Body: truncate(string(body), 200)}
		ra, hasRA := parseRetryAfter(oc.header.Get("Retry-After"), now)
		switch {
		case oc.status == http.StatusTooManyRequests:
			// Rate limited before being served: safe to repeat, writes too.
			if !hasRA {
				ra = backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffMax)
			}
			return ra, true, nil, httpErr
		case oc.status >= 500:
			if r.write {
				return 0, false, nil, &uncertainError{httpErr}
			}
			if !hasRA {
				ra = backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffMax)
			}
			return ra, true, nil, httpErr
		default:
			return 0, false, nil, httpErr
		}
	}
	env = &envelope{}
	if jerr := json.Unmarshal(body, env); jerr != nil {
		// A 200 that is not JSON comes from something between us and the
		// API (an HTML error page); it says nothing about the request.
		return transient(fmt.Errorf("wiki: response is not JSON (%v): %s", jerr, truncate(string(body), 120)))
	}
	c.answered.Store(true)
	c.logWarnings(env.Warnings)
	apiErr := env.firstError()
	if apiErr == nil {
		return 0, false, env, nil
	}
	switch apiErr.Code {
	case "maxlag":
		// The replicas are lagging: wait as asked (Retry-After, at least
		// 5 s per the Manual:Maxlag_parameter advice) before trying again.
		ra, ok := parseRetryAfter(oc.header.Get("Retry-After"), now)
		if !ok || ra < time.Second {
			ra = 5 * time.Second
		}
		return ra, true, env, apiErr
	case "ratelimited", "readonly", "internal_api_error_DBQueryError", "internal_api_error_DBConnectionError":
		ra, ok := parseRetryAfter(oc.header.Get("Retry-After"), now)
		if !ok {
			ra = backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffMax)
		}
		return ra, true, env, apiErr
	}
	return 0, false, env, apiErr
}

func (e *envelope) firstError() *APIError {
	if len(e.Errors) > 0 {
		return &APIError{Code: e.Errors[0].Code, Info: e.Errors[0].Text}
	}
	if e.Error != nil && e.Error.Code != "" {
		return &APIError{Code: e.Error.Code, Info: e.Error.Info}
	}
	return nil
}

// logWarnings logs each distinct API warning once per client: warnings are
// the API telling the operator something, not a failure of the request.
func (c *Client) logWarnings(raw json.RawMessage) {
	if len(raw) == 0 {
		return
	}
	var texts []string
	var list []apiMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, w := range list {
			texts = append(texts, w.Module+": "+w.Code+": "+w.Text)
		}
	} else {
		var bc map[string]map[string]any
		if json.Unmarshal(raw, &bc) == nil {
			// By module: the log says the same for the same answer.
			for _, module := range slices.Sorted(maps.Keys(bc)) {
				texts = append(texts, fmt.Sprintf("%s: %v", module, bc[module]["warnings"]))
			}
		}
	}
	for _, t := range texts {
		if c.seenWarning[t] {
			continue
		}
		c.seenWarning[t] = true
		c.log.Warn().Str("warning", truncate(t, 300)).Msg("wiki: API warning")
	}
}

// isRefusedBeforeSending reports whether a network error happened before
// any byte of the request could reach the server (the dial failed).
func isRefusedBeforeSending(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// token returns a cached token of the given type, fetching it when needed.
func (c *Client) token(ctx context.Context, kind string) (string, error) {
	if tok, ok := c.tokens[kind]; ok {
		return tok, nil
	}
	tok, err := c.freshToken(ctx, kind)
	if err != nil {
		return "", err
	}
	c.tokens[kind] = tok
	return tok, nil
}

func (c *Client) freshToken(ctx context.Context, kind string) (string, error) {
	var resp struct {
		Query struct {
			Tokens map[string]string `json:"tokens"`
		} `json:"query"`
	}
	err := c.call(ctx, request{params: map[string]string{
		"action": "query", "meta": "tokens", "type": kind,
	}, noAssert: kind == "login"}, &resp)
	if err != nil {
		return "", fmt.Errorf("wiki: getting a %s token: %w", kind, err)
	}
	tok := resp.Query.Tokens[kind+"token"]
	if tok == "" {
		return "", fmt.Errorf("wiki: the wiki returned no %s token", kind)
	}
	return tok, nil
}

// logRequest logs one request at the debug level: what it asked for and
// how big the answer was, never a parameter's value that could be a
// secret (passwords and tokens are not among the ones named).
func (c *Client) logRequest(params map[string]string, size int, took time.Duration) {
	ev := c.log.Debug()
	if !ev.Enabled() {
		return
	}
	for _, k := range []string{"action", "prop", "list", "meta", "generator", "rvcontinue", "gapcontinue", "pccontinue", "rccontinue"} {
		if v, ok := params[k]; ok {
			ev = ev.Str(k, v)
		}
	}
	if titles, ok := params["titles"]; ok {
		ev = ev.Int("titles", strings.Count(titles, "|")+strings.Count(titles, "\x1f")+1)
	}
	ev.Int("bytes", size).Dur("took", took).Msg("wiki: request")
}
