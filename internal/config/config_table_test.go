package config

import (
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// expect is what Load makes of one value of a variable: accepted,
// and then the value the bot works with (effective, as the field holds
// it), or refused with one line that names the variable and contains
// refused (what it accepts).
type expect struct {
	in        string
	effective string
	refused   string
}

func accept(in, effective string) expect { return expect{in: in, effective: effective} }
func refuse(in, says string) expect      { return expect{in: in, refused: says} }

// valueCases are a variable's five kinds of value, each chosen for the
// variable (malformed: what its type or form cannot read; large: the
// largest or longest value worth trying); with holds the other variables
// the values need (a password beside a user name).
type valueCases struct {
	with                                    map[string]string
	empty, zero, negative, malformed, large expect
}

const (
	maxInt = "2147483647" // the largest int caarlos0/env reads: a count this large must not overflow
	tooBig = "99999999999999999999"
	maxDur = "2562047h" // about the largest time.Duration
)

var (
	long300   = strings.Repeat("x", 300)
	longTitle = "Let's Connect/" + long300
	// Phrases of the refusals.
	wholeFrom0 = "must be a whole number from 0 to 2147483647"
	days1to365 = "must be a whole number of days from 1 to 365"
	underRoot  = "is not under LC_ROOT"
	tooLong    = "bytes long: MediaWiki titles are at most 255"
	notATime   = "must be a time, RFC 3339 (2026-12-18T15:00:00Z) or YYYY-MM-DD"
)

func durationMin(min string) string {
	return "must be a duration such as 90s, 15m or 2h, from " + min + " to 2562047h"
}

// page is the cases of a page (or prefix) the bot writes, under LC_ROOT:
// empty is its default, anything not under the root is refused.
func page(def string) valueCases {
	return valueCases{
		empty: accept("", def), zero: refuse("0", underRoot), negative: refuse("-1", underRoot),
		malformed: refuse("Let's Connect/[[x]]", "must be a page title, without any of # < > [ ] | { }"),
		large:     refuse(longTitle, tooLong),
	}
}

// pageAnywhere is the cases of a page the bot does not write (it reads it,
// or links it): it may be anywhere, and 0 is a title like any other.
func pageAnywhere(def string) valueCases {
	c := page(def)
	c.zero, c.negative = accept("0", "0"), accept("-1", "-1")
	return c
}

// count is the cases of a count where 0 means none or no limit: any whole
// number from 0.
func count(def string) valueCases {
	return valueCases{
		empty: accept("", def), zero: accept("0", "0"), negative: refuse("-1", wholeFrom0),
		malformed: refuse("1.5", wholeFrom0), large: accept(maxInt, maxInt),
	}
}

// days is the cases of the lifecycle's delays: 1 to 365 days.
func days(def string) valueCases {
	return valueCases{
		empty: accept("", def), zero: refuse("0", days1to365), negative: refuse("-1", days1to365),
		malformed: refuse("1.5", days1to365), large: refuse(maxInt, days1to365),
	}
}

// interval is the cases of a duration of at least min.
func interval(def, min string) valueCases {
	return valueCases{
		empty: accept("", def), zero: refuse("0", durationMin(min)), negative: refuse("-1s", durationMin(min)),
		malformed: refuse("5", durationMin(min)), large: accept(maxDur, "2562047h0m0s"),
	}
}

// variableCases has every variable of the README's table; the test fails
// for one missing, so that a new variable comes with what 0, a negative,
// a malformed and a very large value do.
var variableCases = map[string]valueCases{
	"MW_API_URL": {
		empty: accept("", "http://127.0.0.1:8089/api.php"), zero: refuse("0", "must be the http(s) URL of the wiki's api.php"),
		negative: refuse("-1", "must be the http(s) URL"), malformed: refuse("ftp://example.org/api.php", "must be the http(s) URL"),
		large: accept("https://example.org/"+long300+"/api.php", "https://example.org/"+long300+"/api.php"),
	},
	// Credentials are whatever the wiki gave; they come in pairs.
	"MW_BOT_USER": {
		with:  map[string]string{"MW_BOT_PASSWORD": "secret"},
		empty: refuse("", "MW_BOT_PASSWORD is set but MW_BOT_USER is not"), zero: accept("0", "0"), negative: accept("-1", "-1"),
		malformed: accept("Bot without app", "Bot without app"), // letsconnect check says it is not Name@app
		large:     accept(long300, long300),
	},
	"MW_BOT_PASSWORD": {
		with:  map[string]string{"MW_BOT_USER": "Bot@app"},
		empty: refuse("", "MW_BOT_USER is set but MW_BOT_PASSWORD is not"), zero: accept("0", "0"), negative: accept("-1", "-1"),
		malformed: accept("a password with spaces", "a password with spaces"), large: accept(long300, long300),
	},
	"MW_OAUTH2_TOKEN": {
		empty: accept("", ""), zero: accept("0", "0"), negative: accept("-1", "-1"),
		malformed: accept("not.a.jwt", "not.a.jwt"), large: accept(long300, long300), // the wiki says whether it is one
	},
	"LC_CONTACT": {
		empty: accept("", "https://meta.wikimedia.org/wiki/User:LetsConnectBot"), zero: accept("0", "0"), negative: accept("-1", "-1"),
		malformed: refuse("two\nlines", "must say how to reach the operator"), large: accept(long300, long300),
	},
	"LC_ROOT": {
		empty: accept("", "Let's Connect"), zero: accept("0", "0"), negative: accept("-1", "-1"),
		malformed: refuse("Let's {{Connect}}", "must be a page title"), large: refuse(long300, "LC_ROOT is 300 bytes long"),
	},
	"LC_PARTICIPANTS_PREFIX": page("Let's Connect/Participants/"),
	"LC_TAXONOMY_PAGE":       page("Let's Connect/Skills taxonomy"),
	"LC_DIRECTORY_PAGE":      page("Let's Connect/Skills directory"),
	"LC_PROBLEMS_PAGE":       page("Let's Connect/Registration problems"),
	"LC_PROPOSALS_PAGE":      page("Let's Connect/Proposed connections"),
	"LC_MAX_PROPOSALS":       count("100"),
	"LC_MATCH_OPTIONS": {
		empty: accept("", ""), zero: refuse("0", "must be a JSON object"), negative: refuse("-1", "must be a JSON object"),
		malformed: refuse(`{"min_overlap": 3}`, `unknown field "min_overlap"`),
		large:     refuse(`{"cooldown_days": 99999}`, "cooldown_days 99999 is not between 0 and 3660"),
	},
	"LC_WORKING_GROUP": {
		empty: accept("", ""), zero: accept("0", "0"), negative: accept("-1", "-1"),
		malformed: refuse("Ada,,Grace", "names an empty user name"),
		large:     accept(strings.Repeat("Ada,", 999)+"Ada", strings.Repeat("Ada,", 999)+"Ada"),
	},
	"LC_REPORT_PAGE":          page("Let's Connect/Report"),
	"LC_REPORT_HISTORY_PAGE":  page("Let's Connect/Report/History.json"),
	"LC_EVENTS_PREFIX":        page("Let's Connect/Events/"),
	"LC_RESOURCE_SUBMISSIONS": page("Let's Connect/Resources/Submissions"),
	"LC_CALENDAR_PAGE":        page("Let's Connect/Calendar"),
	"LC_RESOURCES_PAGE":       page("Let's Connect/Resources"),
	"LC_PAGE_LANGUAGES": {
		empty: accept("", "en,fr,es,pt,ar"), zero: refuse("0", `names "0", a language the bot has no page texts in`),
		negative: refuse("-1", `names "-1"`), malformed: refuse("en,,fr", `names "", a language`),
		large: refuse(strings.Repeat("en,", 100)+"en", `names "en" twice`),
	},
	"LC_LEDGER_PREFIX": page("Let's Connect/Connections/"),
	"LC_OPTOUT_PAGE":   pageAnywhere("Let's Connect/Opt-out"),
	"LC_OPTOUT_CATEGORY": {
		empty: accept("", ""), zero: accept("0", "0"), negative: accept("-1", "-1"),
		malformed: refuse("Category:No bots", "write the category's name without Category: (No bots)"),
		large:     refuse(long300, "LC_OPTOUT_CATEGORY is 300 bytes long"),
	},
	"LC_INACTIVE_DAYS": {
		empty: accept("", "30"), zero: accept("0", "0"), negative: refuse("-1", "must be a whole number of days from 0 to 3650"),
		malformed: refuse("1.5", "from 0 to 3650"), large: refuse("3651", "from 0 to 3650"),
	},
	"LC_REMINDER_DAYS":           days("7"),
	"LC_NO_RESPONSE_DAYS":        days("7"),
	"LC_CHECKIN_DAYS":            days("14"),
	"LC_MAX_MESSAGES":            count("50"),
	"LC_MAX_MESSAGES_PER_PERSON": count("4"),
	"LC_OUTREACH_PAGE":           page("Let's Connect/Invitations"),
	"LC_OUTREACH_SINCE": {
		empty: accept("", ""), zero: refuse("0", notATime), negative: refuse("-1", notATime),
		malformed: refuse("2026-13-01", notATime), large: accept("9999-12-31", "9999-12-31"),
	},
	"LC_INVITATIONS_PER_EVENT": count("15"),
	"LC_INVITE_AHEAD_DAYS": {
		empty: accept("", "21"), zero: refuse("0", days1to365), negative: refuse("-1", days1to365),
		malformed: refuse("1.5", days1to365), large: refuse("366", days1to365),
	},
	"LC_INVITE_NOTICE_DAYS": {
		empty: accept("", "2"), zero: accept("0", "0"), negative: refuse("-1", "must be a whole number of days from 0 to 364"),
		malformed: refuse("1.5", "from 0 to 364"), large: refuse("21", "LC_INVITE_NOTICE_DAYS=21: must be less than LC_INVITE_AHEAD_DAYS=21"),
	},
	"LC_FEED_URL": {
		empty: accept("", ""), zero: refuse("0", "must be an http(s) URL, or empty for no links"), negative: refuse("-1", "must be an http(s) URL"),
		malformed: refuse("letsconnect.toolforge.org", "must be an http(s) URL"),
		large:     accept("https://example.org/"+long300, "https://example.org/"+long300),
	},
	"LC_NEWSLETTER_PREFIX": page("Let's Connect/Newsletter/"),
	"LC_NEWSLETTER_DAY": {
		empty: accept("", "0"), zero: accept("0", "0"), negative: refuse("-1", "must be a whole number from 0 to 28"),
		malformed: refuse("1st", "must be a whole number from 0 to 28"), large: refuse("29", "must be a whole number from 0 to 28"),
	},
	"LC_NEWSLETTER_SUBSCRIBERS": page("Let's Connect/Newsletter/Subscribers"),
	"LC_RECOGNITION_PAGE":       page("Let's Connect/Recognition"),
	"LC_CAPX_PAGE":              page("Let's Connect/CapX capacities.json"),
	"LC_OPEN_DATA_PAGE":         page("Let's Connect/Open data/Skills by month.tab"),
	"LC_CAPX_FILE": {
		empty: accept("", ""), zero: refuse("0", "cannot be read"), negative: refuse("-1", "cannot be read"),
		malformed: refuse("/no/such/capx.csv", "no such file or directory"), large: refuse("/"+long300, "cannot be read"),
	},
	"LC_CAPX_URL": {
		empty: accept("", ""), zero: refuse("0", "must be an http(s) URL holding $1"), negative: refuse("-1", "must be an http(s) URL"),
		malformed: refuse("https://capx.toolforge.org/capacity/", "holding $1"),
		large:     accept("https://example.org/"+long300+"/$1", "https://example.org/"+long300+"/$1"),
	},
	"LC_BADGES": {
		empty: accept("", "false"), zero: accept("0", "false"), negative: refuse("-1", "must be true or false (1 or 0)"),
		malformed: refuse("yes", "must be true or false"), large: refuse(tooBig, "must be true or false"),
	},
	"LC_NOW": {
		empty: accept("", ""), zero: refuse("0", notATime), negative: refuse("-1", notATime),
		malformed: refuse("0001-01-01", "after 0001-01-01"), large: accept("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
	},
	"PORT": {
		empty: accept("", "8000"), zero: refuse("0", "must be a whole number from 1 to 65535"), negative: refuse("-1", "from 1 to 65535"),
		malformed: refuse("http", "from 1 to 65535"), large: refuse("65536", "from 1 to 65535"),
	},
	"LC_LISTEN_HOST": {
		empty: accept("", ""), zero: refuse("0", "must be an IP address (127.0.0.1, ::1) or a host name (localhost)"),
		negative: refuse("-1", "must be an IP address"), malformed: refuse("127.0.0.1:8000", "must be an IP address"),
		large: refuse(strings.Repeat("a", 64)+".example.org", "must be an IP address"),
	},
	"LC_SYNC_INTERVAL":    interval("1h0m0s", "1s"),
	"LC_DELIVER_INTERVAL": interval("6h0m0s", "1s"),
	"LC_LEASE_PAGE":       page("Let's Connect/Bot lease"),
	"LC_LEASE_TTL":        interval("2h0m0s", "1m"),
	"LC_SHUTOFF_PAGE":     pageAnywhere("Let's Connect/Bot shutoff"),
	"LC_BOT_PAGE":         pageAnywhere("User:LetsConnectBot"),
	"LC_CACHE_DIR": {
		empty: accept("", ""), zero: accept("0", "0"), negative: accept("-1", "-1"), // directories of those names
		malformed: accept("with\nnewline", "with\nnewline"), large: accept(long300, long300),
	},
	"LC_PROFILE_DIR": {
		empty: accept("", ""), zero: accept("0", "0"), negative: accept("-1", "-1"), // directories of those names
		malformed: accept("with\nnewline", "with\nnewline"), large: accept(long300, long300),
	},
	"LC_CACHE_MAX_AGE": {
		empty: accept("", "24h0m0s"), zero: accept("0", "0s"), negative: refuse("-1s", durationMin("0s")),
		malformed: refuse("1 day", durationMin("0s")), large: accept(maxDur, "2562047h0m0s"),
	},
	"LC_MAX_EDITS": count("60"),
	"LC_EDIT_INTERVAL": {
		empty: accept("", "5s"), zero: accept("0", "0s"), negative: refuse("-1s", durationMin("0s")),
		malformed: refuse("5", durationMin("0s")), large: accept(maxDur, "2562047h0m0s"),
	},
	"LC_MAXLAG": {
		empty: accept("", "5"), zero: accept("0", "0"), // none sent: TestMaxLagZeroSendsNone
		negative: refuse("-1", "must be a whole number of seconds from 0 to 2147483647"), malformed: refuse("5s", "whole number of seconds"),
		large: accept(maxInt, maxInt),
	},
	"LC_LOG_LEVEL": {
		empty: accept("", "info"), zero: refuse("0", "must be debug, info, warn or error"), negative: refuse("-1", "must be debug, info, warn or error"),
		malformed: refuse("loud", "must be debug, info, warn or error"), large: refuse(long300, "must be debug, info, warn or error"),
	},
}

// effective is the value a variable's field holds, written as the
// environment would write it.
func effective(cfg Config, name string) string {
	for _, l := range leaves(reflect.ValueOf(&cfg).Elem()) {
		if l.Name != name {
			continue
		}
		switch x := l.Value.Interface().(type) {
		case string:
			return x
		case int:
			return strconv.Itoa(x)
		case bool:
			return strconv.FormatBool(x)
		case time.Duration:
			return x.String()
		case []string:
			return strings.Join(x, ",")
		case program.WorkingGroup:
			return strings.Join(x, ",")
		}
		panic("effective: no format for " + name)
	}
	panic("effective: no variable " + name)
}

// Every variable of the README's table, with an empty, a 0, a negative, a
// malformed and a very large value: each is accepted, and then what the
// bot works with is stated, or refused in one line naming the variable.
func TestEveryVariableWithZeroNegativeMalformedAndLargeValues(t *testing.T) {
	var names []string
	for _, d := range Variables() {
		names = append(names, d.Name)
	}
	// The README's table lists exactly the variables (cmd/letsconnect's
	// test also holds its rows to the tags), and this test has them all.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Configuration\n")
	section, _, _ = strings.Cut(section, "\n## ")
	var table []string
	for _, line := range strings.Split(section, "\n") {
		if name, ok := strings.CutPrefix(line, "| `"); ok {
			name, _, _ = strings.Cut(name, "`")
			table = append(table, name)
		}
	}
	if !slices.Equal(table, names) {
		t.Errorf("README.md's configuration table lists %v; the configuration reads %v", table, names)
	}
	for name := range variableCases {
		if !slices.Contains(names, name) {
			t.Errorf("%s has cases but is not a variable", name)
		}
	}

	for _, name := range names {
		cases, ok := variableCases[name]
		if !ok {
			t.Errorf("%s has no cases: say what an empty, 0, negative, malformed and very large value do", name)
			continue
		}
		for kind, c := range map[string]expect{"empty": cases.empty, "0": cases.zero, "negative": cases.negative, "malformed": cases.malformed, "large": cases.large} {
			if c.effective == "" && c.refused == "" && c.in != "" {
				t.Errorf("%s, %s value %q: no expected outcome", name, kind, c.in)
				continue
			}
			environ := map[string]string{name: c.in}
			for k, v := range cases.with {
				if k != name {
					environ[k] = v
				}
			}
			cfg, err := Load(environ)
			shown := c.in
			if len(shown) > 40 {
				shown = shown[:40] + "…"
			}
			switch {
			case c.refused != "" && err == nil:
				t.Errorf("%s=%q (%s) accepted as %q; want it refused with %q", name, shown, kind, effective(cfg, name), c.refused)
			case c.refused != "" && (!strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), c.refused) || strings.Contains(err.Error(), "\n")):
				t.Errorf("%s=%q (%s): %q; want one line naming %s, with %q", name, shown, kind, err, name, c.refused)
			case c.refused == "" && err != nil:
				t.Errorf("%s=%q (%s) refused: %v; want it accepted as %q", name, shown, kind, err, c.effective)
			case c.refused == "" && effective(cfg, name) != c.effective:
				t.Errorf("%s=%q (%s) accepted as %q; want %q", name, shown, kind, effective(cfg, name), c.effective)
			}
		}
	}
}

// Every number, duration and boolean variable refuses what its type cannot
// read, even beyond its type's range, in one line naming it and saying
// what it accepts; every number and duration has its range in its tags.
func TestMalformedNumbersSayWhatIsAccepted(t *testing.T) {
	for _, l := range leaves(reflect.ValueOf(&Config{}).Elem()) {
		f, name := l.Field, l.Name
		var values []string
		switch f.Type {
		case reflect.TypeFor[int]():
			values = []string{"abc", "1.5", tooBig, "-" + tooBig, " 7", "0x10"}
		case reflect.TypeFor[time.Duration]():
			values = []string{"abc", "5", "2562048h", "1 day"}
		case reflect.TypeFor[bool]():
			values = []string{"yes", "on", "2"}
		default:
			continue
		}
		if _, ok := f.Tag.Lookup("min"); !ok && f.Type != reflect.TypeFor[bool]() {
			t.Errorf("%s has no min tag: what is the least value it accepts?", name)
		}
		for _, v := range values {
			_, err := Load(map[string]string{name: v})
			want := assignment(name, v) + ": must be " + accepts(f)
			if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s=%q: %v; want one line with %q", name, v, err, want)
			}
		}
	}
}
