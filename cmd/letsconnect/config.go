package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/editdistance"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// Config is the bot's configuration, read from the environment only:
// credentials never appear on a command line (where ps and shell history
// would show them) or in a file in the repository.
type Config struct {
	APIURL      string `env:"MW_API_URL" envDefault:"http://127.0.0.1:8089/api.php"`
	BotUser     string `env:"MW_BOT_USER"`
	BotPassword string `env:"MW_BOT_PASSWORD"`
	OAuth2Token string `env:"MW_OAUTH2_TOKEN"`
	Contact     string `env:"LC_CONTACT" envDefault:"https://meta.wikimedia.org/wiki/User:LetsConnectBot"`

	Root               string   `env:"LC_ROOT" envDefault:"Let's Connect"`
	ParticipantsPrefix string   `env:"LC_PARTICIPANTS_PREFIX"`
	TaxonomyPage       string   `env:"LC_TAXONOMY_PAGE"`
	DirectoryPage      string   `env:"LC_DIRECTORY_PAGE"`
	ProblemsPage       string   `env:"LC_PROBLEMS_PAGE"`
	ProposalsPage      string   `env:"LC_PROPOSALS_PAGE"`
	MaxProposals       int      `env:"LC_MAX_PROPOSALS" envDefault:"100"`
	MatchOptions       string   `env:"LC_MATCH_OPTIONS"`
	WorkingGroup       []string `env:"LC_WORKING_GROUP" envSeparator:","`

	ReportPage          string `env:"LC_REPORT_PAGE"`
	ReportHistoryPage   string `env:"LC_REPORT_HISTORY_PAGE"`
	EventsPrefix        string `env:"LC_EVENTS_PREFIX"`
	ResourceSubmissions string `env:"LC_RESOURCE_SUBMISSIONS"`
	CalendarPage        string `env:"LC_CALENDAR_PAGE"`
	ResourcesPage       string `env:"LC_RESOURCES_PAGE"`

	LedgerPrefix         string `env:"LC_LEDGER_PREFIX"`
	OptOutPage           string `env:"LC_OPTOUT_PAGE"`
	OptOutCategory       string `env:"LC_OPTOUT_CATEGORY" envDefault:"Opted out of Let's Connect messages"`
	ReminderDays         int    `env:"LC_REMINDER_DAYS" envDefault:"7"`
	NoResponseDays       int    `env:"LC_NO_RESPONSE_DAYS" envDefault:"7"`
	CheckInDays          int    `env:"LC_CHECKIN_DAYS" envDefault:"14"`
	MaxMessages          int    `env:"LC_MAX_MESSAGES" envDefault:"50"`
	MaxMessagesPerPerson int    `env:"LC_MAX_MESSAGES_PER_PERSON" envDefault:"4"`
	Now                  string `env:"LC_NOW"`

	// The service (letsconnect serve).
	Port            string        `env:"PORT" envDefault:"8000"`
	Host            string        `env:"LC_LISTEN_HOST" envDefault:""`
	SyncInterval    time.Duration `env:"LC_SYNC_INTERVAL" envDefault:"1h"`
	DeliverInterval time.Duration `env:"LC_DELIVER_INTERVAL" envDefault:"6h"`
	LeasePage       string        `env:"LC_LEASE_PAGE"`
	LeaseTTL        time.Duration `env:"LC_LEASE_TTL" envDefault:"2h"`

	// The page cache and the matcher's memo (see wiki/pagecache).
	CacheDir    string        `env:"LC_CACHE_DIR"`
	CacheMaxAge time.Duration `env:"LC_CACHE_MAX_AGE" envDefault:"24h"`

	MaxEdits     int           `env:"LC_MAX_EDITS" envDefault:"25"`
	EditInterval time.Duration `env:"LC_EDIT_INTERVAL" envDefault:"5s"`
	MaxLag       int           `env:"LC_MAXLAG" envDefault:"5"`
	LogLevel     string        `env:"LC_LOG_LEVEL" envDefault:"info"`

	// Match is LC_MATCH_OPTIONS, decoded.
	Match match.Options
}

// configDocs documents every variable for the README and --help.
var configDocs = []struct{ Name, Default, Doc string }{
	{"MW_API_URL", "http://127.0.0.1:8089/api.php", "the wiki's api.php"},
	{"MW_BOT_USER", "", "BotPassword user name (User@app); needed to write"},
	{"MW_BOT_PASSWORD", "", "BotPassword password"},
	{"MW_OAUTH2_TOKEN", "", "OAuth 2 owner-only access token (instead of a BotPassword)"},
	{"LC_CONTACT", "https://meta.wikimedia.org/wiki/User:LetsConnectBot", "operator contact sent in the User-Agent"},
	{"LC_ROOT", "Let's Connect", "root page of the program; the bot edits only under it and on user talk pages"},
	{"LC_PARTICIPANTS_PREFIX", "$LC_ROOT/Participants/", "registration subpages"},
	{"LC_TAXONOMY_PAGE", "$LC_ROOT/Skills taxonomy", "the skills taxonomy the working group edits"},
	{"LC_DIRECTORY_PAGE", "$LC_ROOT/Skills directory", "generated skills directory"},
	{"LC_PROBLEMS_PAGE", "$LC_ROOT/Registration problems", "generated list of registration problems"},
	{"LC_PROPOSALS_PAGE", "$LC_ROOT/Proposed connections", "generated proposals; the working group approves or rejects rows"},
	{"LC_MAX_PROPOSALS", "100", "most rows awaiting a decision on the proposals page: the rows shown stay while still proposed, the best others fill the rest (0: no limit)"},
	{"LC_MATCH_OPTIONS", "", "matching rules and weights as JSON, e.g. {\"min_overlap_hours\":3,\"weights\":{\"newcomer\":30}}; see docs/matching.md"},
	{"LC_WORKING_GROUP", "", "comma-separated user names of the working group: they may create or edit anyone's registration, and only their decisions on proposals count"},
	{"LC_REPORT_PAGE", "$LC_ROOT/Report", "generated report: every figure the pilot counted by hand, with charts"},
	{"LC_REPORT_HISTORY_PAGE", "$LC_ROOT/Report/History.json", "generated JSON page (content model json): the report's key figures, a snapshot a day"},
	{"LC_EVENTS_PREFIX", "$LC_ROOT/Events/", "event pages: {{Let's Connect event}} and {{Let's Connect resource}} (docs/formats.md)"},
	{"LC_RESOURCE_SUBMISSIONS", "$LC_ROOT/Resources/Submissions", "where people add {{Let's Connect resource}} outside event pages"},
	{"LC_CALENDAR_PAGE", "$LC_ROOT/Calendar", "generated calendar of learning spaces"},
	{"LC_RESOURCES_PAGE", "$LC_ROOT/Resources", "generated resources page, by skill"},
	{"LC_LEDGER_PREFIX", "$LC_ROOT/Connections/", "connections ledger pages, one per year (2026, then 2026/2 if it grows past 1 MB)"},
	{"LC_OPTOUT_PAGE", "$LC_ROOT/Opt-out", "users linked on this page get no messages"},
	{"LC_OPTOUT_CATEGORY", "Opted out of Let's Connect messages", "talk pages in this category get no messages (empty: none)"},
	{"LC_REMINDER_DAYS", "7", "days without an answer before one reminder"},
	{"LC_NO_RESPONSE_DAYS", "7", "further days without an answer before the connection closes as no-response"},
	{"LC_CHECKIN_DAYS", "14", "days after accepting (when no planned date is set) before asking \"did you meet?\""},
	{"LC_MAX_MESSAGES", "50", "a delivery run that would post more messages posts none and fails (0: no limit); --max-messages overrides"},
	{"LC_MAX_MESSAGES_PER_PERSON", "4", "most messages to one person in a calendar month; the rest wait (0: no limit)"},
	{"LC_NOW", "", "pretend it is this time (RFC 3339 or YYYY-MM-DD), for demos and tests only"},
	{"PORT", "8000", "letsconnect serve: the port of its web server (health, status, feeds, figures)"},
	{"LC_LISTEN_HOST", "", "letsconnect serve: the address to listen on (empty: all)"},
	{"LC_SYNC_INTERVAL", "1h", "letsconnect serve: time between two syncs"},
	{"LC_DELIVER_INTERVAL", "6h", "letsconnect serve: time between two deliveries"},
	{"LC_LEASE_PAGE", "$LC_ROOT/Bot lease", "letsconnect serve --write: the page on which the copy that writes holds its lease"},
	{"LC_LEASE_TTL", "2h", "how long a lease lasts unless renewed (a copy that stopped without releasing it blocks the others that long)"},
	{"LC_CACHE_DIR", "", "keep what a sync or a delivery read here, so that the next run reads only what changed (recent changes) and reuses the matcher's result when its input is the same; disposable (empty: letsconnect serve keeps it in memory, other commands read everything)"},
	{"LC_CACHE_MAX_AGE", "24h", "read everything again at least this often, whatever the cache holds"},
	{"LC_MAX_EDITS", "25", "a run that would make more edits makes none and fails (0: no limit); --max-edits overrides"},
	{"LC_EDIT_INTERVAL", "5s", "least time between two edits"},
	{"LC_MAXLAG", "5", "maxlag sent with every request"},
	{"LC_LOG_LEVEL", "info", "debug, info, warn or error"},
}

// loadConfig reads the environment (lookup stands for os.LookupEnv in
// tests) and fills in the defaults derived from LC_ROOT.
func loadConfig(environ map[string]string) (Config, error) {
	var cfg Config
	opts := env.Options{Environment: environ}
	if err := env.ParseWithOptions(&cfg, opts); err != nil {
		return Config{}, fmt.Errorf("configuration: %s: %w", variablesIn(err), err)
	}
	root := strings.TrimSuffix(strings.TrimSpace(cfg.Root), "/")
	if root == "" {
		return Config{}, fmt.Errorf("configuration: LC_ROOT is empty; it names the program's root page")
	}
	cfg.Root = root
	def := func(v *string, suffix string) {
		if strings.TrimSpace(*v) == "" {
			*v = root + suffix
		}
	}
	def(&cfg.ParticipantsPrefix, "/Participants/")
	def(&cfg.TaxonomyPage, "/Skills taxonomy")
	def(&cfg.DirectoryPage, "/Skills directory")
	def(&cfg.ProblemsPage, "/Registration problems")
	def(&cfg.ProposalsPage, "/Proposed connections")
	def(&cfg.LedgerPrefix, "/Connections/")
	def(&cfg.ReportPage, "/Report")
	def(&cfg.ReportHistoryPage, "/Report/History.json")
	def(&cfg.EventsPrefix, "/Events/")
	def(&cfg.ResourceSubmissions, "/Resources/Submissions")
	def(&cfg.CalendarPage, "/Calendar")
	def(&cfg.ResourcesPage, "/Resources")
	if !strings.HasSuffix(cfg.EventsPrefix, "/") {
		cfg.EventsPrefix += "/"
	}
	def(&cfg.OptOutPage, "/Opt-out")
	def(&cfg.LeasePage, "/Bot lease")
	if !strings.HasSuffix(cfg.LedgerPrefix, "/") {
		cfg.LedgerPrefix += "/"
	}
	if !strings.HasSuffix(cfg.ParticipantsPrefix, "/") {
		cfg.ParticipantsPrefix += "/"
	}
	for _, p := range []struct{ name, value string }{
		{"LC_PARTICIPANTS_PREFIX", cfg.ParticipantsPrefix}, {"LC_TAXONOMY_PAGE", cfg.TaxonomyPage},
		{"LC_DIRECTORY_PAGE", cfg.DirectoryPage}, {"LC_PROBLEMS_PAGE", cfg.ProblemsPage}, {"LC_PROPOSALS_PAGE", cfg.ProposalsPage},
		{"LC_LEDGER_PREFIX", cfg.LedgerPrefix}, {"LC_EVENTS_PREFIX", cfg.EventsPrefix}, {"LC_REPORT_PAGE", cfg.ReportPage},
		{"LC_REPORT_HISTORY_PAGE", cfg.ReportHistoryPage},
		{"LC_RESOURCE_SUBMISSIONS", cfg.ResourceSubmissions}, {"LC_CALENDAR_PAGE", cfg.CalendarPage}, {"LC_RESOURCES_PAGE", cfg.ResourcesPage},
	} {
		if !strings.HasPrefix(p.value, root+"/") {
			return Config{}, fmt.Errorf("configuration: %s=%q is not under LC_ROOT=%q; the bot only works under its root", p.name, p.value, root)
		}
	}
	u, err := url.Parse(cfg.APIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Config{}, fmt.Errorf("configuration: MW_API_URL=%q is not an http(s) URL of api.php", cfg.APIURL)
	}
	if cfg.BotPassword != "" && cfg.BotUser == "" {
		return Config{}, fmt.Errorf("configuration: MW_BOT_PASSWORD is set but MW_BOT_USER is not")
	}
	if cfg.BotUser != "" && cfg.BotPassword == "" {
		return Config{}, fmt.Errorf("configuration: MW_BOT_USER is set but MW_BOT_PASSWORD is not")
	}
	if cfg.MaxProposals < 0 {
		return Config{}, fmt.Errorf("configuration: LC_MAX_PROPOSALS=%d is negative", cfg.MaxProposals)
	}
	if strings.TrimSpace(cfg.MatchOptions) != "" {
		dec := json.NewDecoder(strings.NewReader(cfg.MatchOptions))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg.Match); err != nil {
			return Config{}, fmt.Errorf("configuration: LC_MATCH_OPTIONS is not valid matching options: %v (docs/matching.md lists them)", err)
		}
	}
	if cfg.MaxEdits < 0 {
		return Config{}, fmt.Errorf("configuration: LC_MAX_EDITS=%d is negative", cfg.MaxEdits)
	}
	for _, n := range []struct {
		name  string
		value int
	}{
		{"LC_REMINDER_DAYS", cfg.ReminderDays}, {"LC_NO_RESPONSE_DAYS", cfg.NoResponseDays}, {"LC_CHECKIN_DAYS", cfg.CheckInDays},
		{"LC_MAX_MESSAGES", cfg.MaxMessages}, {"LC_MAX_MESSAGES_PER_PERSON", cfg.MaxMessagesPerPerson},
	} {
		if n.value < 0 {
			return Config{}, fmt.Errorf("configuration: %s=%d is negative", n.name, n.value)
		}
	}
	if cfg.SyncInterval < time.Second || cfg.DeliverInterval < time.Second || cfg.LeaseTTL < time.Minute {
		return Config{}, fmt.Errorf("configuration: LC_SYNC_INTERVAL and LC_DELIVER_INTERVAL must be at least 1s, LC_LEASE_TTL at least 1m")
	}
	if every := min(cfg.SyncInterval, cfg.DeliverInterval); cfg.LeaseTTL <= every {
		return Config{}, fmt.Errorf("configuration: LC_LEASE_TTL=%s must be longer than the shorter of LC_SYNC_INTERVAL and LC_DELIVER_INTERVAL (%s): the lease is renewed at each run, and would lapse between two", cfg.LeaseTTL, every)
	}
	if cfg.Now != "" {
		if _, err := cfg.clock(); err != nil {
			return Config{}, err
		}
	}
	for i, u := range cfg.WorkingGroup {
		cfg.WorkingGroup[i] = strings.TrimSpace(u)
	}
	return cfg, nil
}

// pageURL returns a function giving a page's URL on the wiki, next to its
// api.php (".../w/api.php" → ".../w/index.php?title=...").
func (c Config) pageURL() func(string) string {
	base := strings.TrimSuffix(c.APIURL, "api.php") + "index.php?title="
	return func(title string) string {
		return base + url.QueryEscape(strings.ReplaceAll(title, " ", "_"))
	}
}

// clock returns the time the bot works at: now, or LC_NOW.
func (c Config) clock() (func() time.Time, error) {
	if c.Now == "" {
		return time.Now, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, c.Now); err == nil {
			return func() time.Time { return t }, nil
		}
	}
	return nil, fmt.Errorf("configuration: LC_NOW=%q is not a time (RFC 3339, or YYYY-MM-DD)", c.Now)
}

// String never shows a credential.
func (c Config) String() string {
	return fmt.Sprintf("api=%s user=%s root=%q", c.APIURL, c.BotUser, c.Root)
}

// variablesIn names the environment variables behind an env parse error,
// which names only Go fields.
func variablesIn(err error) string {
	var names []string
	t := reflect.TypeOf(Config{})
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if strings.Contains(err.Error(), `"`+f.Name+`"`) {
			name, _, _ := strings.Cut(f.Tag.Get("env"), ",")
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "bad value"
	}
	return strings.Join(names, ", ") + " is malformed"
}

// localeVariables are the POSIX locale categories, which share the LC_
// prefix with the bot's variables.
var localeVariables = map[string]bool{
	"LC_ALL": true, "LC_CTYPE": true, "LC_COLLATE": true, "LC_MESSAGES": true, "LC_MONETARY": true,
	"LC_NUMERIC": true, "LC_TIME": true, "LC_ADDRESS": true, "LC_IDENTIFICATION": true, "LC_MEASUREMENT": true,
	"LC_NAME": true, "LC_PAPER": true, "LC_TELEPHONE": true, "LC_TERMINAL": true, "LC_TERMINAL_VERSION": true,
}

// unknownVariable is an LC_ or MW_ variable the bot does not read, and
// the one it most likely stands for.
type unknownVariable struct{ Name, Meant string }

// unknownVariables finds the environment's LC_ and MW_ variables that the
// bot does not read: a misspelt name (LC_RESOURCES_SUBMISSIONS) would
// otherwise be ignored without a word, and the default used.
func unknownVariables(environ map[string]string) []unknownVariable {
	known := map[string]bool{}
	for _, d := range configDocs {
		known[d.Name] = true
	}
	var out []unknownVariable
	for name := range environ {
		if (!strings.HasPrefix(name, "LC_") && !strings.HasPrefix(name, "MW_")) || known[name] || localeVariables[name] {
			continue
		}
		u := unknownVariable{Name: name}
		best := 4 // farther than 3 edits is not a misspelling
		for _, d := range configDocs {
			if dist := editdistance.Strings(name, d.Name); dist < best {
				u.Meant, best = d.Name, dist
			}
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b unknownVariable) int { return strings.Compare(a.Name, b.Name) })
	return out
}
