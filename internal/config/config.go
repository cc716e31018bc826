// Package config is the bot's configuration: one tree of each part's
// settings (config.Config), read from the environment only. Each
// behaviour's settings are its package's Config, whose tags define its
// variables; the help and the README's table are written from them.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/caarlos0/env/v11"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/editdistance"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/newsletter"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/opendata"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// Config is the bot's configuration, read from the environment only:
// credentials never appear on a command line (where ps and shell history
// would show them) or in a file in the repository. It is a tree: the
// wiki's settings, then each behaviour's Config (its package's), then the
// runs' and the service's.
//
// Each leaf field's tags are the one definition of its variable: env names
// it, envDefault is its default, root (for pages under the program) is its
// default's path under LC_ROOT, and doc says what it means. A number or a
// duration also has min (and max, when there is one) and unit, what it
// counts: Load refuses a value outside them, and says so with them. A
// variable set to the empty string takes its default, as if unset, unless
// keepEmpty says that empty has a meaning of its own (its doc says which:
// "empty: none"). A page under the root that the bot only reads may be
// anywhere (anywhere:"true"). The help (Variables) and the README's table
// come from the tags; Load fills the root defaults from them.
type Config struct {
	Wiki        Wiki
	Program     program.Config
	Directory   directory.Config
	Proposals   proposals.Config
	Report      report.Config
	Calendar    calendar.Config
	Lifecycle   lifecycle.Config
	Messages    program.MessagesConfig
	Outreach    outreach.Config
	Newsletter  newsletter.Config
	Recognition recognition.Config
	CapX        capx.Config
	OpenData    opendata.Config
	Run         Run
	Service     Service
}

// Wiki is how the bot reaches the wiki: its API, the bot's account, who
// runs it, and how gently it edits.
type Wiki struct {
	APIURL       string        `env:"MW_API_URL" envDefault:"http://127.0.0.1:8089/api.php" doc:"the wiki's api.php"`
	BotUser      string        `env:"MW_BOT_USER" doc:"BotPassword user name (User@app); needed to write"`
	BotPassword  string        `env:"MW_BOT_PASSWORD" doc:"BotPassword password"`
	OAuth2Token  string        `env:"MW_OAUTH2_TOKEN" doc:"OAuth 2 owner-only access token (instead of a BotPassword)"`
	Contact      string        `env:"LC_CONTACT" envDefault:"https://meta.wikimedia.org/wiki/User:LetsConnectBot" doc:"operator contact sent in the User-Agent: a URL, an email address or a user page"`
	BotPage      string        `env:"LC_BOT_PAGE" envDefault:"User:LetsConnectBot" doc:"the bot's documentation page (what it does, who runs it, how to stop it): every edit summary links it"`
	EditInterval time.Duration `env:"LC_EDIT_INTERVAL" envDefault:"5s" min:"0s" doc:"least time between two edits (0: no wait, for a local wiki)"`
	MaxLag       int           `env:"LC_MAXLAG" envDefault:"5" min:"0" unit:"seconds" doc:"maxlag sent with every request: the wiki asks the bot to wait while its replicas lag more seconds than this (0: none sent)"`
}

// Run is what every run of a command follows: the clock, the cap on
// edits, the emergency stop, the cache, the log.
type Run struct {
	Now         string        `env:"LC_NOW" doc:"pretend it is this time (RFC 3339 or YYYY-MM-DD), for demos and tests only"`
	MaxEdits    int           `env:"LC_MAX_EDITS" envDefault:"60" min:"0" doc:"a run that would make more edits makes none and fails (0: no limit; a first run writes about 30 pages: each reader page in 5 languages, the newsletter and its lists); --max-edits overrides"`
	ShutoffPage string        `env:"LC_SHUTOFF_PAGE" root:"/Bot shutoff" anywhere:"true" doc:"the emergency stop: when its text is anything but run, sync, deliver and serve --write write nothing until it says run again (a missing page stops nothing)"`
	CacheDir    string        `env:"LC_CACHE_DIR" doc:"keep what a sync or a delivery read here, so that the next run reads only what changed (recent changes) and reuses the matcher's result when its input is the same; disposable (empty: letsconnect serve keeps it in memory, other commands read everything)"`
	CacheMaxAge time.Duration `env:"LC_CACHE_MAX_AGE" envDefault:"24h" min:"0s" doc:"read everything again at least this often, whatever the cache holds (0: every run reads everything)"`
	LogLevel    string        `env:"LC_LOG_LEVEL" envDefault:"info" doc:"debug, info, warn or error"`
	ProfileDir  string        `env:"LC_PROFILE_DIR" doc:"for developers: letsconnect sync writes a CPU profile (cpu.pprof) and a heap profile at its largest live heap (heap.pprof) here (docs/performance.md)"`
}

// Service is letsconnect serve's: its web server, its schedules, its
// lease.
type Service struct {
	Port            int           `env:"PORT" envDefault:"8000" min:"1" max:"65535" doc:"letsconnect serve: the port of its web server (health, status, feeds, figures), 1 to 65535"`
	Host            string        `env:"LC_LISTEN_HOST" envDefault:"" doc:"letsconnect serve: the address to listen on, an IP address or a host name (empty: all)"`
	SyncInterval    time.Duration `env:"LC_SYNC_INTERVAL" envDefault:"1h" min:"1s" doc:"letsconnect serve: time between two syncs (at least 1s)"`
	DeliverInterval time.Duration `env:"LC_DELIVER_INTERVAL" envDefault:"6h" min:"1s" doc:"letsconnect serve: time between two deliveries (at least 1s)"`
	LeasePage       string        `env:"LC_LEASE_PAGE" root:"/Bot lease" doc:"letsconnect serve --write: the page on which the copy that writes holds its lease, taken only by a run that has something to write"`
	LeaseTTL        time.Duration `env:"LC_LEASE_TTL" envDefault:"2h" min:"1m" doc:"how long a lease lasts, at least 1m; a write renews it when less than half is left (a copy that stopped without releasing it blocks the others that long)"`
}

// leaf is a field of the tree that a variable sets.
type leaf struct {
	Field reflect.StructField
	Value reflect.Value
	Name  string // the variable
}

// leaves walks the tree in order: a field with an env tag is a leaf; a
// struct field without one is a part, walked in turn.
func leaves(v reflect.Value) []leaf {
	var out []leaf
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if name := envName(f); name != "" {
			out = append(out, leaf{Field: f, Value: v.Field(i), Name: name})
			continue
		}
		if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() != "time" && f.IsExported() && f.Type != reflect.TypeFor[match.Options]() {
			out = append(out, leaves(v.Field(i))...)
		}
	}
	return out
}

// Variable documents one environment variable: its name, its default as
// the help and the README show it ("" for none), its meaning.
type Variable struct{ Name, Default, Doc string }

// Variables documents every variable Config reads, in the tree's order,
// from its tags.
func Variables() []Variable {
	var out []Variable
	for _, l := range leaves(reflect.ValueOf(&Config{}).Elem()) {
		def := l.Field.Tag.Get("envDefault")
		if suffix, ok := l.Field.Tag.Lookup("root"); ok {
			def = "$LC_ROOT" + suffix
		}
		out = append(out, Variable{Name: l.Name, Default: def, Doc: l.Field.Tag.Get("doc")})
	}
	return out
}

// Load reads the environment (a map, so that tests need not set the
// process's), fills in the defaults derived from LC_ROOT and the values
// read from others (the matcher's options, the outreach's start), and
// checks everything.
func Load(environ map[string]string) (Config, error) {
	var cfg Config
	opts := env.Options{Environment: environ}
	if err := env.ParseWithOptions(&cfg, opts); err != nil {
		return Config{}, malformed(err, environ)
	}
	all := leaves(reflect.ValueOf(&cfg).Elem())
	if err := checkBounds(all, environ); err != nil {
		return Config{}, err
	}
	keepEmpty(all, environ)
	if o := cfg.Outreach; o.InviteNoticeDays >= o.InviteAheadDays {
		return Config{}, fmt.Errorf("configuration: LC_INVITE_NOTICE_DAYS=%d: must be less than LC_INVITE_AHEAD_DAYS=%d (invitations go to the learning spaces starting between the two)",
			o.InviteNoticeDays, o.InviteAheadDays)
	}
	root := strings.TrimSuffix(strings.TrimSpace(cfg.Program.Root), "/")
	if root == "" {
		return Config{}, fmt.Errorf("configuration: LC_ROOT is empty; it names the program's root page")
	}
	cfg.Program.Root = root
	// The pages under the root: their tags' root paths, unless set; a
	// prefix (its path ends in "/") ends in "/".
	for _, l := range all {
		suffix, ok := l.Field.Tag.Lookup("root")
		if !ok {
			continue
		}
		if strings.TrimSpace(l.Value.String()) == "" {
			l.Value.SetString(root + suffix)
		}
		if strings.HasSuffix(suffix, "/") && !strings.HasSuffix(l.Value.String(), "/") {
			l.Value.SetString(l.Value.String() + "/")
		}
	}
	if err := checkTitles(cfg, all); err != nil {
		return Config{}, err
	}
	for _, p := range WrittenPages(cfg) {
		if !strings.HasPrefix(p.Value, root+"/") {
			return Config{}, fmt.Errorf("configuration: %s=%q is not under LC_ROOT=%q; the bot only works under its root", p.Name, p.Value, root)
		}
	}
	if err := checkPageLanguages(cfg.Program.PageLanguages); err != nil {
		return Config{}, err
	}
	w := cfg.Wiki
	if !isHTTPURL(w.APIURL) {
		return Config{}, fmt.Errorf("configuration: %s: must be the http(s) URL of the wiki's api.php", assignment("MW_API_URL", w.APIURL))
	}
	if feed := cfg.Calendar.FeedURL; feed != "" && !isHTTPURL(feed) {
		return Config{}, fmt.Errorf("configuration: %s: must be an http(s) URL, or empty for no links", assignment("LC_FEED_URL", feed))
	}
	if u := cfg.CapX.URL; u != "" && (!isHTTPURL(u) || !strings.Contains(u, "$1")) {
		return Config{}, fmt.Errorf("configuration: %s: must be an http(s) URL holding $1 (the capacity's code), or empty for no links", assignment("LC_CAPX_URL", u))
	}
	if f := cfg.CapX.ListFile; f != "" {
		data, err := os.ReadFile(f)
		if err != nil {
			return Config{}, fmt.Errorf("configuration: %s: cannot be read (%v); it names the file holding CapX's capacity list", assignment("LC_CAPX_FILE", f), err)
		}
		cfg.CapX.File = data
	}
	if strings.TrimSpace(w.Contact) == "" || strings.ContainsFunc(w.Contact, unicode.IsControl) {
		return Config{}, fmt.Errorf("configuration: %s: must say how to reach the operator (a URL, an email address or a user page), on one line", assignment("LC_CONTACT", w.Contact))
	}
	if !isListenHost(cfg.Service.Host) {
		return Config{}, fmt.Errorf("configuration: %s: must be an IP address (127.0.0.1, ::1) or a host name (localhost), or empty for all addresses", assignment("LC_LISTEN_HOST", cfg.Service.Host))
	}
	if level := cfg.Run.LogLevel; !slices.Contains([]string{"debug", "info", "warn", "error"}, strings.ToLower(level)) {
		return Config{}, fmt.Errorf("configuration: %s: must be debug, info, warn or error", assignment("LC_LOG_LEVEL", level))
	}
	if w.BotPassword != "" && w.BotUser == "" {
		return Config{}, fmt.Errorf("configuration: MW_BOT_PASSWORD is set but MW_BOT_USER is not")
	}
	if w.BotUser != "" && w.BotPassword == "" {
		return Config{}, fmt.Errorf("configuration: MW_BOT_USER is set but MW_BOT_PASSWORD is not")
	}
	if text := cfg.Proposals.MatchOptions; strings.TrimSpace(text) != "" {
		if err := decodeMatchOptions(text, &cfg.Proposals.Match); err != nil {
			return Config{}, fmt.Errorf("configuration: LC_MATCH_OPTIONS is not valid matching options: %v (docs/matching.md lists them)", err)
		}
	}
	if cfg.Run.Now != "" {
		if _, err := cfg.Clock(); err != nil {
			return Config{}, err
		}
	}
	if since := strings.TrimSpace(cfg.Outreach.SinceText); since != "" {
		t, err := parseTime("LC_OUTREACH_SINCE", since)
		if err != nil {
			return Config{}, err
		}
		cfg.Outreach.Since = t
	}
	if err := checkWorkingGroup(cfg.Program.WorkingGroup); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// forbiddenInTitles are the characters MediaWiki refuses in a title, as
// a message lists them.
const forbiddenInTitles = "# < > [ ] | { }"

// checkTitles checks the variables that name a page, a prefix or a
// category: a title MediaWiki refuses (a character it forbids, more than
// its 255 bytes) would fail a run later, or, for the opt-out category,
// silently match nothing.
func checkTitles(cfg Config, all []leaf) error {
	titles := []PageVariable{{"LC_ROOT", cfg.Program.Root}, {"LC_BOT_PAGE", cfg.Wiki.BotPage}}
	for _, l := range all {
		if l.Field.Tag.Get("root") != "" {
			titles = append(titles, PageVariable{l.Name, l.Value.String()})
		}
	}
	if cat := cfg.Messages.OptOutCategory; cat != "" {
		if name, ok := cutFold(cat, "Category:"); ok {
			return fmt.Errorf("configuration: %s: write the category's name without Category: (%s)", assignment("LC_OPTOUT_CATEGORY", cat), strings.TrimSpace(name))
		}
		titles = append(titles, PageVariable{"LC_OPTOUT_CATEGORY", cat})
	}
	site := wiki.DefaultSiteInfo()
	for _, t := range titles {
		switch _, err := site.Normalize(t.Value); {
		case strings.ContainsAny(t.Value, strings.ReplaceAll(forbiddenInTitles, " ", "")):
			return fmt.Errorf("configuration: %s: must be a page title, without any of %s", assignment(t.Name, t.Value), forbiddenInTitles)
		case len(t.Value) > 255:
			return fmt.Errorf("configuration: %s is %d bytes long: MediaWiki titles are at most 255", t.Name, len(t.Value))
		case err != nil:
			return fmt.Errorf("configuration: %s: must be a page title (%v)", assignment(t.Name, t.Value), err)
		}
	}
	return nil
}

// cutFold cuts prefix off s, ignoring case and leading spaces.
func cutFold(s, prefix string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// checkWorkingGroup trims LC_WORKING_GROUP's names and refuses what
// cannot be a user name: an empty one would stand for a revision whose
// author is hidden, "User:Name" never matches Name.
func checkWorkingGroup(names program.WorkingGroup) error {
	site := wiki.DefaultSiteInfo()
	for i, u := range names {
		u = strings.TrimSpace(u)
		names[i] = u
		if u == "" {
			return fmt.Errorf("configuration: %s: names an empty user name (two commas in a row, or one at an end)", assignment("LC_WORKING_GROUP", strings.Join(names, ",")))
		}
		if t, err := site.Normalize(u); err != nil || t.Namespace != wiki.NamespaceMain {
			return fmt.Errorf("configuration: LC_WORKING_GROUP names %q: must be comma-separated user names, without User: and without any of %s", u, forbiddenInTitles)
		}
	}
	return nil
}

// decodeMatchOptions reads LC_MATCH_OPTIONS: one JSON object of known
// options, which the matcher would accept (match.Input.Validate), so that
// a bad weight stops every command now rather than the next proposals run.
func decodeMatchOptions(text string, o *match.Options) error {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "{") {
		return errors.New(`must be a JSON object, e.g. {"min_overlap_hours":3}`)
	}
	dec := json.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(o); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("there is more after the JSON object")
	}
	return match.Input{Now: time.Unix(1, 0), Options: *o}.Validate()
}

// isHTTPURL reports whether s is an absolute http or https URL.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// hostName is a DNS name: labels of 1 to 63 letters, digits and inner
// hyphens.
var hostName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)

// isListenHost reports whether LC_LISTEN_HOST names an address to listen
// on: empty (all), an IP address, or a host name with a letter in it (a
// bare number such as 0 is not an address, whatever some resolvers make
// of it).
func isListenHost(h string) bool {
	return h == "" || net.ParseIP(h) != nil || (len(h) <= 253 && hostName.MatchString(h) && strings.ContainsFunc(h, unicode.IsLetter))
}

// checkPageLanguages checks LC_PAGE_LANGUAGES: English (the base pages)
// and languages the bot has page texts in, each once.
func checkPageLanguages(langs []string) error {
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	known := cat.Languages()
	seen := map[string]bool{}
	for i, l := range langs {
		l = strings.TrimSpace(l)
		langs[i] = l
		switch {
		case !slices.Contains(known, l):
			return fmt.Errorf("configuration: LC_PAGE_LANGUAGES names %q, a language the bot has no page texts in (templates/i18n has %s)", l, strings.Join(known, ", "))
		case seen[l]:
			return fmt.Errorf("configuration: LC_PAGE_LANGUAGES names %q twice", l)
		}
		seen[l] = true
	}
	if !seen[i18n.Fallback] {
		return fmt.Errorf("configuration: LC_PAGE_LANGUAGES=%q lacks %s: the base pages are in English, the other languages are their subpages", strings.Join(langs, ","), i18n.Fallback)
	}
	return nil
}

// PageURL returns a function giving a page's URL on the wiki, next to its
// api.php (".../w/api.php" → ".../w/index.php?title=...").
func (c Config) PageURL() func(string) string {
	base := strings.TrimSuffix(c.Wiki.APIURL, "api.php") + "index.php?title="
	return func(title string) string {
		return base + url.QueryEscape(strings.ReplaceAll(title, " ", "_"))
	}
}

// WikiMaxLag is LC_MAXLAG as the wiki client takes it: LC_MAXLAG=0 sends
// no maxlag, which the client writes as a negative value (its own 0 means
// the Wikimedia recommendation, 5).
func (c Config) WikiMaxLag() int {
	if c.Wiki.MaxLag == 0 {
		return -1
	}
	return c.Wiki.MaxLag
}

// Clock returns the time the bot works at: now, or LC_NOW.
func (c Config) Clock() (func() time.Time, error) {
	if c.Run.Now == "" {
		return time.Now, nil
	}
	t, err := parseTime("LC_NOW", c.Run.Now)
	if err != nil {
		return nil, err
	}
	return func() time.Time { return t }, nil
}

// parseTime reads a variable's RFC 3339 time or YYYY-MM-DD day (UTC).
// The zero time is refused: it reads as unset.
func parseTime(name, v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil && !t.IsZero() {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("configuration: %s: must be a time, RFC 3339 (2026-12-18T15:00:00Z) or YYYY-MM-DD, after 0001-01-01", assignment(name, v))
}

// String never shows a credential.
func (c Config) String() string {
	return fmt.Sprintf("api=%s user=%s root=%q", c.Wiki.APIURL, c.Wiki.BotUser, c.Program.Root)
}

// malformed turns an env parse error, which names Go fields and the
// parser's own words, into one line per variable: its name, the value
// given and what it accepts.
func malformed(err error, environ map[string]string) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return fmt.Errorf("configuration: %w", err)
	}
	var lines []string
	for _, e := range agg.Errors {
		var parse env.ParseError
		if !errors.As(e, &parse) {
			lines = append(lines, e.Error())
			continue
		}
		var f *reflect.StructField
		for _, l := range leaves(reflect.ValueOf(&Config{}).Elem()) {
			if l.Field.Name == parse.Name {
				f = &l.Field
			}
		}
		if f == nil {
			lines = append(lines, e.Error())
			continue
		}
		name := envName(*f)
		lines = append(lines, fmt.Sprintf("%s: must be %s", assignment(name, environ[name]), accepts(*f)))
	}
	return errors.New("configuration: " + strings.Join(lines, "; "))
}

// keepEmpty empties the fields whose variable is set to nothing when empty
// means something of its own (LC_FEED_URL=: no links); caarlos0/env gives
// an empty variable its default.
func keepEmpty(all []leaf, environ map[string]string) {
	for _, l := range all {
		if value, set := environ[l.Name]; set && l.Field.Tag.Get("keepEmpty") == "true" && strings.TrimSpace(value) == "" {
			l.Value.SetString("")
		}
	}
}

// envName is the variable a field of the tree is read from.
func envName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("env"), ",")
	return name
}

// plainValue is a value a message shows without quotes: a number, a
// duration, a word.
var plainValue = regexp.MustCompile(`^[A-Za-z0-9.,+-]+$`)

// assignment writes a variable and its value as in a shell, quoted unless
// the value reads plainly.
func assignment(name, value string) string {
	if !plainValue.MatchString(value) {
		return name + "=" + strconv.Quote(value)
	}
	return name + "=" + value
}

// maxDuration is the longest time.Duration, as a setting would write it.
const maxDuration = "2562047h"

// accepts says in words what a numeric or boolean variable accepts, from
// its field's type and its min, max and unit tags.
func accepts(f reflect.StructField) string {
	minimum, maximum, unit := f.Tag.Get("min"), f.Tag.Get("max"), f.Tag.Get("unit")
	switch f.Type {
	case reflect.TypeFor[time.Duration]():
		if maximum == "" {
			maximum = maxDuration
		}
		return fmt.Sprintf("a duration such as 90s, 15m or 2h, from %s to %s", minimum, maximum)
	case reflect.TypeFor[bool]():
		return "true or false (1 or 0)"
	case reflect.TypeFor[int]():
		what := "a whole number"
		if unit != "" {
			what += " of " + unit
		}
		if maximum == "" {
			maximum = strconv.Itoa(math.MaxInt32)
		}
		return fmt.Sprintf("%s from %s to %s", what, minimum, maximum)
	}
	return "a " + f.Type.String()
}

// checkBounds holds every numeric variable to its min and max tags (every
// one has a min: a negative count or delay means nothing). The limits are
// the tags' so that the message (accepts) and the check cannot differ.
func checkBounds(all []leaf, environ map[string]string) error {
	for _, l := range all {
		f := l.Field
		minimum, hasMin := f.Tag.Lookup("min")
		maximum, hasMax := f.Tag.Lookup("max")
		if !hasMin {
			continue
		}
		var low, high, value int64
		switch x := l.Value.Interface().(type) {
		case time.Duration:
			value, low, high = int64(x), int64(mustDuration(minimum)), math.MaxInt64
			if hasMax {
				high = int64(mustDuration(maximum))
			}
		case int:
			// caarlos0/env reads an int as 32 bits: that is the largest
			// value any variable can have.
			value, low, high = int64(x), mustInt(minimum), math.MaxInt32
			if hasMax {
				high = mustInt(maximum)
			}
		default:
			panic(fmt.Sprintf("config: %s has a min tag but is a %s", f.Name, f.Type))
		}
		if value < low || value > high {
			name := envName(f)
			given, set := environ[name]
			if !set || given == "" {
				given = f.Tag.Get("envDefault")
			}
			return fmt.Errorf("configuration: %s: must be %s", assignment(name, given), accepts(f))
		}
	}
	return nil
}

func mustDuration(tag string) time.Duration {
	d, err := time.ParseDuration(tag)
	if err != nil {
		panic("config: bad duration tag " + tag)
	}
	return d
}

func mustInt(tag string) int64 {
	n, err := strconv.ParseInt(tag, 10, 64)
	if err != nil {
		panic("config: bad number tag " + tag)
	}
	return n
}

// localeVariables are the POSIX locale categories, which share the LC_
// prefix with the bot's variables.
var localeVariables = map[string]bool{
	"LC_ALL": true, "LC_CTYPE": true, "LC_COLLATE": true, "LC_MESSAGES": true, "LC_MONETARY": true,
	"LC_NUMERIC": true, "LC_TIME": true, "LC_ADDRESS": true, "LC_IDENTIFICATION": true, "LC_MEASUREMENT": true,
	"LC_NAME": true, "LC_PAPER": true, "LC_TELEPHONE": true, "LC_TERMINAL": true, "LC_TERMINAL_VERSION": true,
}

// UnknownVariable is an LC_ or MW_ variable the bot does not read, and
// the one it most likely stands for.
type UnknownVariable struct{ Name, Meant string }

// UnknownVariables finds the environment's LC_ and MW_ variables that the
// bot does not read: a misspelt name (LC_RESOURCES_SUBMISSIONS) would
// otherwise be ignored without a word, and the default used.
func UnknownVariables(environ map[string]string) []UnknownVariable {
	vars := Variables()
	known := map[string]bool{}
	for _, d := range vars {
		known[d.Name] = true
	}
	var out []UnknownVariable
	for name := range environ {
		if (!strings.HasPrefix(name, "LC_") && !strings.HasPrefix(name, "MW_")) || known[name] || localeVariables[name] {
			continue
		}
		u := UnknownVariable{Name: name}
		best := 4 // farther than 3 edits is not a misspelling
		for _, d := range vars {
			if dist := editdistance.Strings(name, d.Name); dist < best {
				u.Meant, best = d.Name, dist
			}
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b UnknownVariable) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// PageVariable names a page or a prefix (ending in "/") the bot writes by
// the variable that sets it.
type PageVariable struct{ Name, Value string }

// WrittenPages are the pages and prefixes the bot works with under its
// root (the root-tagged variables but those it only reads, which may be
// anywhere), each by its variable: Load holds them under LC_ROOT, and
// letsconnect check passes them through the client's own title gate.
func WrittenPages(cfg Config) []PageVariable {
	var out []PageVariable
	for _, l := range leaves(reflect.ValueOf(&cfg).Elem()) {
		if _, ok := l.Field.Tag.Lookup("root"); ok && l.Field.Tag.Get("anywhere") != "true" {
			out = append(out, PageVariable{l.Name, l.Value.String()})
		}
	}
	return out
}
