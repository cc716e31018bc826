package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
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
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// Config is the bot's configuration, read from the environment only:
// credentials never appear on a command line (where ps and shell history
// would show them) or in a file in the repository.
//
// Each field's tags are the one definition of its variable: env names it,
// envDefault is its default, root (for pages under the program) is its
// default's path under LC_ROOT, and doc says what it means. A number or a
// duration also has min (and max, when there is one) and unit, what it
// counts: LoadConfig refuses a value outside them, and says so with them.
// A variable set to the empty string takes its default, as if unset,
// unless keepEmpty says that empty has a meaning of its own (its doc says
// which: "empty: none").
// The help (Variables) and the README's table come from the tags;
// LoadConfig fills the root defaults from them.
type Config struct {
	APIURL      string `env:"MW_API_URL" envDefault:"http://127.0.0.1:8089/api.php" doc:"the wiki's api.php"`
	BotUser     string `env:"MW_BOT_USER" doc:"BotPassword user name (User@app); needed to write"`
	BotPassword string `env:"MW_BOT_PASSWORD" doc:"BotPassword password"`
	OAuth2Token string `env:"MW_OAUTH2_TOKEN" doc:"OAuth 2 owner-only access token (instead of a BotPassword)"`
	Contact     string `env:"LC_CONTACT" envDefault:"https://meta.wikimedia.org/wiki/User:LetsConnectBot" doc:"operator contact sent in the User-Agent: a URL, an email address or a user page"`

	Root               string   `env:"LC_ROOT" envDefault:"Let's Connect" doc:"root page of the program; the bot edits only under it and on user talk pages"`
	ParticipantsPrefix string   `env:"LC_PARTICIPANTS_PREFIX" root:"/Participants/" doc:"registration subpages"`
	TaxonomyPage       string   `env:"LC_TAXONOMY_PAGE" root:"/Skills taxonomy" doc:"the skills taxonomy the working group edits"`
	DirectoryPage      string   `env:"LC_DIRECTORY_PAGE" root:"/Skills directory" doc:"generated skills directory"`
	ProblemsPage       string   `env:"LC_PROBLEMS_PAGE" root:"/Registration problems" doc:"generated list of registration problems"`
	ProposalsPage      string   `env:"LC_PROPOSALS_PAGE" root:"/Proposed connections" doc:"generated proposals; the working group approves or rejects rows"`
	MaxProposals       int      `env:"LC_MAX_PROPOSALS" envDefault:"100" min:"0" doc:"most rows awaiting a decision on the proposals page: the rows shown stay while still proposed, the best others fill the rest (0: no limit)"`
	MatchOptions       string   `env:"LC_MATCH_OPTIONS" doc:"matching rules and weights as JSON, e.g. {\"min_overlap_hours\":3,\"weights\":{\"newcomer\":30}}; see docs/matching.md (empty: the defaults)"`
	WorkingGroup       []string `env:"LC_WORKING_GROUP" envSeparator:"," doc:"comma-separated user names of the working group: they may create or edit anyone's registration, and only their decisions on proposals count (empty: nobody, so no decision counts)"`

	ReportPage          string `env:"LC_REPORT_PAGE" root:"/Report" doc:"generated report: every figure the pilot counted by hand, with charts"`
	ReportHistoryPage   string `env:"LC_REPORT_HISTORY_PAGE" root:"/Report/History.json" doc:"generated JSON page (content model json): the report's key figures, a snapshot a day"`
	EventsPrefix        string `env:"LC_EVENTS_PREFIX" root:"/Events/" doc:"event pages: {{Let's Connect event}} and {{Let's Connect resource}} (docs/formats.md)"`
	ResourceSubmissions string `env:"LC_RESOURCE_SUBMISSIONS" root:"/Resources/Submissions" doc:"where people add {{Let's Connect resource}} outside event pages"`
	CalendarPage        string `env:"LC_CALENDAR_PAGE" root:"/Calendar" doc:"generated calendar of learning spaces"`
	ResourcesPage       string `env:"LC_RESOURCES_PAGE" root:"/Resources" doc:"generated resources page, by skill"`

	// The reader pages' languages (the directory, the calendar, the
	// resources and the report; docs/formats.md).
	PageLanguages []string `env:"LC_PAGE_LANGUAGES" envDefault:"en,fr,es,pt,ar" envSeparator:"," doc:"comma-separated languages of the directory, calendar, resources and report pages: en is the base page, each other language its subpage (Page/fr); each needs its templates/i18n file"`

	LedgerPrefix         string `env:"LC_LEDGER_PREFIX" root:"/Connections/" doc:"connections ledger pages, one per year (2026, then 2026/2 if it grows past 1 MB)"`
	OptOutPage           string `env:"LC_OPTOUT_PAGE" root:"/Opt-out" doc:"users linked on this page get no messages"`
	OptOutCategory       string `env:"LC_OPTOUT_CATEGORY" envDefault:"Opted out of Let's Connect messages" keepEmpty:"true" doc:"talk pages in this category (its name, without Category:) get no messages (empty: none)"`
	ReminderDays         int    `env:"LC_REMINDER_DAYS" envDefault:"7" min:"1" max:"365" unit:"days" doc:"days without an answer before one reminder (1 to 365)"`
	NoResponseDays       int    `env:"LC_NO_RESPONSE_DAYS" envDefault:"7" min:"1" max:"365" unit:"days" doc:"further days without an answer before the connection closes as no-response (1 to 365)"`
	CheckInDays          int    `env:"LC_CHECKIN_DAYS" envDefault:"14" min:"1" max:"365" unit:"days" doc:"days after accepting (when no planned date is set) before asking \"did you meet?\" (1 to 365)"`
	MaxMessages          int    `env:"LC_MAX_MESSAGES" envDefault:"50" min:"0" doc:"a delivery run that would post more messages about connections posts none and fails; welcomes and invitations only fill the room left, the rest wait for the next run (0: no limit); --max-messages overrides"`
	MaxMessagesPerPerson int    `env:"LC_MAX_MESSAGES_PER_PERSON" envDefault:"4" min:"0" doc:"most messages to one person in a calendar month; the rest wait (0: no limit)"`
	OutreachPage         string `env:"LC_OUTREACH_PAGE" root:"/Invitations" doc:"generated record of the welcomes and invitations posted (docs/lifecycle.md)"`
	OutreachSince        string `env:"LC_OUTREACH_SINCE" doc:"switches welcomes and invitations on (RFC 3339 or YYYY-MM-DD): registrations created since then get a welcome; empty: neither is sent"`
	InvitationsPerEvent  int    `env:"LC_INVITATIONS_PER_EVENT" envDefault:"15" min:"0" doc:"most invitations to one learning space (0: no invitations; the welcomes still go)"`
	InviteAheadDays      int    `env:"LC_INVITE_AHEAD_DAYS" envDefault:"21" min:"1" max:"365" unit:"days" doc:"invite to learning spaces starting within this many days (1 to 365, more than LC_INVITE_NOTICE_DAYS)"`
	InviteNoticeDays     int    `env:"LC_INVITE_NOTICE_DAYS" envDefault:"2" min:"0" max:"364" unit:"days" doc:"invite to none starting within this many days, too short notice (0: invite to any starting from now on, later today included)"`
	FeedURL              string `env:"LC_FEED_URL" envDefault:"https://letsconnect.toolforge.org" keepEmpty:"true" doc:"where letsconnect serve is reached, an http(s) URL: welcomes link its iCalendar feeds (empty: no links)"`
	NewsletterPrefix     string `env:"LC_NEWSLETTER_PREFIX" root:"/Newsletter/" doc:"the monthly newsletter's draft issues under this prefix: 2026-12 in English, 2026-12/fr in each other language (docs/newsletter.md)"`
	NewsletterDay        int    `env:"LC_NEWSLETTER_DAY" envDefault:"0" min:"0" max:"28" doc:"day of the month (1-28) from which the bot writes that month's newsletter draft, once, and keeps its subscriber lists (0: no newsletter)"`
	SubscribersPage      string `env:"LC_NEWSLETTER_SUBSCRIBERS" root:"/Newsletter/Subscribers" doc:"the newsletter's MassMessage subscriber lists, one subpage per language (…/Subscribers/fr), from the registrations with newsletter=yes"`
	RecognitionPage      string `env:"LC_RECOGNITION_PAGE" root:"/Recognition" doc:"generated Recognition page: the badges awarded by their rules and the record of their congratulations (docs/recognition.md)"`
	Badges               bool   `env:"LC_BADGES" envDefault:"false" doc:"true (or 1) switches the badges on: deliveries award them, write the Recognition page and congratulate each holder once (false or 0: off)"`
	Now                  string `env:"LC_NOW" doc:"pretend it is this time (RFC 3339 or YYYY-MM-DD), for demos and tests only"`

	// The service (letsconnect serve).
	Port            int           `env:"PORT" envDefault:"8000" min:"1" max:"65535" doc:"letsconnect serve: the port of its web server (health, status, feeds, figures), 1 to 65535"`
	Host            string        `env:"LC_LISTEN_HOST" envDefault:"" doc:"letsconnect serve: the address to listen on, an IP address or a host name (empty: all)"`
	SyncInterval    time.Duration `env:"LC_SYNC_INTERVAL" envDefault:"1h" min:"1s" doc:"letsconnect serve: time between two syncs (at least 1s)"`
	DeliverInterval time.Duration `env:"LC_DELIVER_INTERVAL" envDefault:"6h" min:"1s" doc:"letsconnect serve: time between two deliveries (at least 1s)"`
	LeasePage       string        `env:"LC_LEASE_PAGE" root:"/Bot lease" doc:"letsconnect serve --write: the page on which the copy that writes holds its lease, taken only by a run that has something to write"`
	LeaseTTL        time.Duration `env:"LC_LEASE_TTL" envDefault:"2h" min:"1m" doc:"how long a lease lasts, at least 1m; a write renews it when less than half is left (a copy that stopped without releasing it blocks the others that long)"`
	ShutoffPage     string        `env:"LC_SHUTOFF_PAGE" root:"/Bot shutoff" doc:"the emergency stop: when its text is anything but run, sync, deliver and serve --write write nothing until it says run again (a missing page stops nothing)"`
	BotPage         string        `env:"LC_BOT_PAGE" envDefault:"User:LetsConnectBot" doc:"the bot's documentation page (what it does, who runs it, how to stop it): every edit summary links it"`

	// The page cache and the matcher's memo (see wiki/pagecache).
	CacheDir    string        `env:"LC_CACHE_DIR" doc:"keep what a sync or a delivery read here, so that the next run reads only what changed (recent changes) and reuses the matcher's result when its input is the same; disposable (empty: letsconnect serve keeps it in memory, other commands read everything)"`
	CacheMaxAge time.Duration `env:"LC_CACHE_MAX_AGE" envDefault:"24h" min:"0s" doc:"read everything again at least this often, whatever the cache holds (0: every run reads everything)"`

	MaxEdits     int           `env:"LC_MAX_EDITS" envDefault:"60" min:"0" doc:"a run that would make more edits makes none and fails (0: no limit; a first run writes about 30 pages: each reader page in 5 languages, the newsletter and its lists); --max-edits overrides"`
	EditInterval time.Duration `env:"LC_EDIT_INTERVAL" envDefault:"5s" min:"0s" doc:"least time between two edits (0: no wait, for a local wiki)"`
	MaxLag       int           `env:"LC_MAXLAG" envDefault:"5" min:"0" unit:"seconds" doc:"maxlag sent with every request: the wiki asks the bot to wait while its replicas lag more seconds than this (0: none sent)"`
	LogLevel     string        `env:"LC_LOG_LEVEL" envDefault:"info" doc:"debug, info, warn or error"`

	// Match is LC_MATCH_OPTIONS, decoded.
	Match match.Options
}

// Variable documents one environment variable: its name, its default as
// the help and the README show it ("" for none), its meaning.
type Variable struct{ Name, Default, Doc string }

// Variables documents every variable Config reads, in Config's order,
// from its tags.
func Variables() []Variable {
	var out []Variable
	t := reflect.TypeOf(Config{})
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("env"), ",")
		if name == "" {
			continue // derived, not read (Match comes from LC_MATCH_OPTIONS)
		}
		def := f.Tag.Get("envDefault")
		if suffix, ok := f.Tag.Lookup("root"); ok {
			def = "$LC_ROOT" + suffix
		}
		out = append(out, Variable{Name: name, Default: def, Doc: f.Tag.Get("doc")})
	}
	return out
}

// LoadConfig reads the environment (a map, so that tests need not set the
// process's) and fills in the defaults derived from LC_ROOT.
func LoadConfig(environ map[string]string) (Config, error) {
	var cfg Config
	opts := env.Options{Environment: environ}
	if err := env.ParseWithOptions(&cfg, opts); err != nil {
		return Config{}, malformed(err, environ)
	}
	if err := checkBounds(&cfg, environ); err != nil {
		return Config{}, err
	}
	keepEmpty(&cfg, environ)
	if cfg.InviteNoticeDays >= cfg.InviteAheadDays {
		return Config{}, fmt.Errorf("configuration: LC_INVITE_NOTICE_DAYS=%d: must be less than LC_INVITE_AHEAD_DAYS=%d (invitations go to the learning spaces starting between the two)",
			cfg.InviteNoticeDays, cfg.InviteAheadDays)
	}
	root := strings.TrimSuffix(strings.TrimSpace(cfg.Root), "/")
	if root == "" {
		return Config{}, fmt.Errorf("configuration: LC_ROOT is empty; it names the program's root page")
	}
	cfg.Root = root
	// The pages under the root: their tags' root paths, unless set.
	v := reflect.ValueOf(&cfg).Elem()
	for i := range v.NumField() {
		if suffix, ok := v.Type().Field(i).Tag.Lookup("root"); ok && strings.TrimSpace(v.Field(i).String()) == "" {
			v.Field(i).SetString(root + suffix)
		}
	}
	if !strings.HasSuffix(cfg.EventsPrefix, "/") {
		cfg.EventsPrefix += "/"
	}
	if !strings.HasSuffix(cfg.NewsletterPrefix, "/") {
		cfg.NewsletterPrefix += "/"
	}
	if !strings.HasSuffix(cfg.LedgerPrefix, "/") {
		cfg.LedgerPrefix += "/"
	}
	if !strings.HasSuffix(cfg.ParticipantsPrefix, "/") {
		cfg.ParticipantsPrefix += "/"
	}
	if err := checkTitles(cfg); err != nil {
		return Config{}, err
	}
	for _, p := range WrittenPages(cfg) {
		if !strings.HasPrefix(p.Value, root+"/") {
			return Config{}, fmt.Errorf("configuration: %s=%q is not under LC_ROOT=%q; the bot only works under its root", p.Name, p.Value, root)
		}
	}
	if err := checkPageLanguages(cfg.PageLanguages); err != nil {
		return Config{}, err
	}
	if !isHTTPURL(cfg.APIURL) {
		return Config{}, fmt.Errorf("configuration: %s: must be the http(s) URL of the wiki's api.php", assignment("MW_API_URL", cfg.APIURL))
	}
	if cfg.FeedURL != "" && !isHTTPURL(cfg.FeedURL) {
		return Config{}, fmt.Errorf("configuration: %s: must be an http(s) URL, or empty for no links", assignment("LC_FEED_URL", cfg.FeedURL))
	}
	if strings.TrimSpace(cfg.Contact) == "" || strings.ContainsFunc(cfg.Contact, unicode.IsControl) {
		return Config{}, fmt.Errorf("configuration: %s: must say how to reach the operator (a URL, an email address or a user page), on one line", assignment("LC_CONTACT", cfg.Contact))
	}
	if !isListenHost(cfg.Host) {
		return Config{}, fmt.Errorf("configuration: %s: must be an IP address (127.0.0.1, ::1) or a host name (localhost), or empty for all addresses", assignment("LC_LISTEN_HOST", cfg.Host))
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, strings.ToLower(cfg.LogLevel)) {
		return Config{}, fmt.Errorf("configuration: %s: must be debug, info, warn or error", assignment("LC_LOG_LEVEL", cfg.LogLevel))
	}
	if cfg.BotPassword != "" && cfg.BotUser == "" {
		return Config{}, fmt.Errorf("configuration: MW_BOT_PASSWORD is set but MW_BOT_USER is not")
	}
	if cfg.BotUser != "" && cfg.BotPassword == "" {
		return Config{}, fmt.Errorf("configuration: MW_BOT_USER is set but MW_BOT_PASSWORD is not")
	}
	if strings.TrimSpace(cfg.MatchOptions) != "" {
		if err := decodeMatchOptions(cfg.MatchOptions, &cfg.Match); err != nil {
			return Config{}, fmt.Errorf("configuration: LC_MATCH_OPTIONS is not valid matching options: %v (docs/matching.md lists them)", err)
		}
	}
	if cfg.Now != "" {
		if _, err := cfg.Clock(); err != nil {
			return Config{}, err
		}
	}
	if _, err := cfg.Since(); err != nil {
		return Config{}, err
	}
	if err := checkWorkingGroup(cfg.WorkingGroup); err != nil {
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
func checkTitles(cfg Config) error {
	titles := []PageVariable{{"LC_ROOT", cfg.Root}, {"LC_BOT_PAGE", cfg.BotPage}}
	v := reflect.ValueOf(cfg)
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.Tag.Get("root") != "" {
			titles = append(titles, PageVariable{envName(f), v.Field(i).String()})
		}
	}
	if cfg.OptOutCategory != "" {
		if name, ok := cutFold(cfg.OptOutCategory, "Category:"); ok {
			return fmt.Errorf("configuration: %s: write the category's name without Category: (%s)", assignment("LC_OPTOUT_CATEGORY", cfg.OptOutCategory), strings.TrimSpace(name))
		}
		titles = append(titles, PageVariable{"LC_OPTOUT_CATEGORY", cfg.OptOutCategory})
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
func checkWorkingGroup(names []string) error {
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
	base := strings.TrimSuffix(c.APIURL, "api.php") + "index.php?title="
	return func(title string) string {
		return base + url.QueryEscape(strings.ReplaceAll(title, " ", "_"))
	}
}

// WikiMaxLag is LC_MAXLAG as the wiki client takes it: LC_MAXLAG=0 sends
// no maxlag, which the client writes as a negative value (its own 0 means
// the Wikimedia recommendation, 5).
func (c Config) WikiMaxLag() int {
	if c.MaxLag == 0 {
		return -1
	}
	return c.MaxLag
}

// Clock returns the time the bot works at: now, or LC_NOW.
func (c Config) Clock() (func() time.Time, error) {
	if c.Now == "" {
		return time.Now, nil
	}
	t, err := parseTime("LC_NOW", c.Now)
	if err != nil {
		return nil, err
	}
	return func() time.Time { return t }, nil
}

// Since is LC_OUTREACH_SINCE as a time; the zero time when it is empty.
func (c Config) Since() (time.Time, error) {
	if strings.TrimSpace(c.OutreachSince) == "" {
		return time.Time{}, nil
	}
	return parseTime("LC_OUTREACH_SINCE", strings.TrimSpace(c.OutreachSince))
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
	return fmt.Sprintf("api=%s user=%s root=%q", c.APIURL, c.BotUser, c.Root)
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
		f, ok := reflect.TypeOf(Config{}).FieldByName(parse.Name)
		if !ok {
			lines = append(lines, e.Error())
			continue
		}
		name := envName(f)
		lines = append(lines, fmt.Sprintf("%s: must be %s", assignment(name, environ[name]), accepts(f)))
	}
	return errors.New("configuration: " + strings.Join(lines, "; "))
}

// keepEmpty empties the fields whose variable is set to nothing when empty
// means something of its own (LC_FEED_URL=: no links); caarlos0/env gives
// an empty variable its default.
func keepEmpty(cfg *Config, environ map[string]string) {
	v := reflect.ValueOf(cfg).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if value, set := environ[envName(f)]; set && f.Tag.Get("keepEmpty") == "true" && strings.TrimSpace(value) == "" {
			v.Field(i).SetString("")
		}
	}
}

// envName is the variable a Config field is read from.
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
func checkBounds(cfg *Config, environ map[string]string) error {
	v := reflect.ValueOf(cfg).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		minimum, hasMin := f.Tag.Lookup("min")
		maximum, hasMax := f.Tag.Lookup("max")
		if !hasMin {
			continue
		}
		var low, high, value int64
		switch x := v.Field(i).Interface().(type) {
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

// WrittenPages are the pages and prefixes the bot writes, each by its
// variable: LoadConfig holds them under LC_ROOT, and letsconnect check
// passes them through the client's own title gate.
func WrittenPages(cfg Config) []PageVariable {
	return []PageVariable{
		{"LC_PARTICIPANTS_PREFIX", cfg.ParticipantsPrefix}, {"LC_TAXONOMY_PAGE", cfg.TaxonomyPage},
		{"LC_DIRECTORY_PAGE", cfg.DirectoryPage}, {"LC_PROBLEMS_PAGE", cfg.ProblemsPage}, {"LC_PROPOSALS_PAGE", cfg.ProposalsPage},
		{"LC_LEDGER_PREFIX", cfg.LedgerPrefix}, {"LC_EVENTS_PREFIX", cfg.EventsPrefix}, {"LC_REPORT_PAGE", cfg.ReportPage},
		{"LC_REPORT_HISTORY_PAGE", cfg.ReportHistoryPage}, {"LC_OUTREACH_PAGE", cfg.OutreachPage},
		{"LC_RESOURCE_SUBMISSIONS", cfg.ResourceSubmissions}, {"LC_CALENDAR_PAGE", cfg.CalendarPage}, {"LC_RESOURCES_PAGE", cfg.ResourcesPage},
		{"LC_NEWSLETTER_PREFIX", cfg.NewsletterPrefix}, {"LC_NEWSLETTER_SUBSCRIBERS", cfg.SubscribersPage}, {"LC_RECOGNITION_PAGE", cfg.RecognitionPage},
		{"LC_LEASE_PAGE", cfg.LeasePage},
	}
}
