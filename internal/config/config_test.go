package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestConfigErrorsNameTheVariable(t *testing.T) {
	for env, want := range map[string]string{
		"LC_MAX_EDITS=abc":                         "LC_MAX_EDITS",
		"MW_API_URL=ftp://x":                       "MW_API_URL",
		"MW_BOT_USER=Bot@app":                      "MW_BOT_PASSWORD",
		"LC_DIRECTORY_PAGE=Elsewhere/Directory":    "LC_DIRECTORY_PAGE",
		"LC_LEASE_PAGE=Elsewhere/Lease":            `LC_LEASE_PAGE="Elsewhere/Lease" is not under LC_ROOT`,
		`LC_MATCH_OPTIONS={"min_overlap":3}`:       "LC_MATCH_OPTIONS",
		"LC_MATCH_OPTIONS={not json":               "LC_MATCH_OPTIONS",
		"LC_MAX_PROPOSALS=-1":                      "LC_MAX_PROPOSALS=-1: must be a whole number from 0 to 2147483647",
		"LC_REMINDER_DAYS=0":                       "LC_REMINDER_DAYS=0: must be a whole number of days from 1 to 365",
		"LC_REMINDER_DAYS=1.5":                     "LC_REMINDER_DAYS=1.5: must be a whole number of days from 1 to 365",
		"LC_SYNC_INTERVAL=0":                       "LC_SYNC_INTERVAL=0: must be a duration such as 90s, 15m or 2h, from 1s to 2562047h",
		"LC_BADGES=yes":                            "LC_BADGES=yes: must be true or false (1 or 0)",
		"PORT=0":                                   "PORT=0: must be a whole number from 1 to 65535",
		"LC_INVITE_NOTICE_DAYS=21":                 "LC_INVITE_NOTICE_DAYS=21: must be less than LC_INVITE_AHEAD_DAYS=21",
		"LC_DIRECTORY_PAGE=Let's Connect/[[x]]":    `LC_DIRECTORY_PAGE="Let's Connect/[[x]]": must be a page title, without any of # < > [ ] | { }`,
		"LC_OPTOUT_CATEGORY=Category:No bots":      "LC_OPTOUT_CATEGORY=\"Category:No bots\": write the category's name without Category: (No bots)",
		"LC_WORKING_GROUP=Ada,,Grace":              "LC_WORKING_GROUP=Ada,,Grace: names an empty user name",
		"LC_WORKING_GROUP=Ada,User:Grace":          `LC_WORKING_GROUP names "User:Grace": must be comma-separated user names, without User:`,
		`LC_MATCH_OPTIONS={"min_overlap_hours":0}`: "LC_MATCH_OPTIONS is not valid matching options: options: min_overlap_hours 0 is not between 1",
		"LC_MATCH_OPTIONS={} {}":                   "LC_MATCH_OPTIONS is not valid matching options: there is more after the JSON object",
		"LC_FEED_URL=letsconnect.toolforge.org":    "LC_FEED_URL=letsconnect.toolforge.org: must be an http(s) URL, or empty for no links",
		"LC_LISTEN_HOST=0":                         "LC_LISTEN_HOST=0: must be an IP address",
		"LC_LOG_LEVEL=0":                           "LC_LOG_LEVEL=0: must be debug, info, warn or error",
		"LC_NOW=0001-01-01":                        "LC_NOW=0001-01-01: must be a time",
	} {
		k, v, _ := strings.Cut(env, "=")
		_, err := Load(map[string]string{k: v})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %s", env, err, want)
		}
	}
	cfg, err := Load(map[string]string{"MW_BOT_PASSWORD": "s3cret", "MW_BOT_USER": "Bot@x"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cfg.String(), "s3cret") {
		t.Error("Config.String shows the password")
	}
	opts, err := Load(map[string]string{"LC_MATCH_OPTIONS": `{"min_overlap_hours":3,"weights":{"newcomer":30}}`})
	if err != nil || opts.Proposals.Match.MinOverlapHours != 3 || opts.Proposals.Match.Weights.Newcomer != 30 {
		t.Errorf("LC_MATCH_OPTIONS not read: %+v, %v", opts.Proposals.Match, err)
	}
	if cfg.Directory.DirectoryPage != "Let's Connect/Skills directory" {
		t.Errorf("default directory page %q", cfg.Directory.DirectoryPage)
	}
}

// A variable set to nothing takes its default, except where empty has a
// meaning of its own: LC_OPTOUT_CATEGORY= reads no category, LC_FEED_URL=
// links no feed.
func TestEmptyIsDefaultUnlessItMeansNone(t *testing.T) {
	cfg, err := Load(map[string]string{"LC_OPTOUT_CATEGORY": "", "LC_FEED_URL": " ", "LC_REMINDER_DAYS": "", "LC_BOT_PAGE": ""})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Messages.OptOutCategory != "" || cfg.Calendar.FeedURL != "" {
		t.Errorf("empty LC_OPTOUT_CATEGORY and LC_FEED_URL: %q, %q; want none", cfg.Messages.OptOutCategory, cfg.Calendar.FeedURL)
	}
	if cfg.Lifecycle.ReminderDays != 7 || cfg.Wiki.BotPage != "User:LetsConnectBot" {
		t.Errorf("empty LC_REMINDER_DAYS and LC_BOT_PAGE: %d, %q; want their defaults", cfg.Lifecycle.ReminderDays, cfg.Wiki.BotPage)
	}
}

// A misspelt variable is named, with the one it stands for; the locale's
// LC_ variables and the bot's own are not.
func TestUnknownVariablesAreNamed(t *testing.T) {
	got := UnknownVariables(map[string]string{
		"LC_RESOURCES_SUBMISSIONS": "x", "LC_RESOURCE_SUBMISSIONS": "y", "LC_ALL": "C.UTF-8", "LC_CTYPE": "C",
		"MW_API_ULR": "http://x", "LC_SOMETHING_ELSE_ENTIRELY": "1", "PATH": "/bin", "MW_BOT_USER": "B@a",
	})
	want := []UnknownVariable{
		{"LC_RESOURCES_SUBMISSIONS", "LC_RESOURCE_SUBMISSIONS"},
		{"LC_SOMETHING_ELSE_ENTIRELY", ""},
		{"MW_API_ULR", "MW_API_URL"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("UnknownVariables = %v, want %v", got, want)
	}
}

// Config's tags are the one definition of each variable, and what they
// say is what Load does: every documented default, set explicitly,
// gives the configuration that leaving the variable unset gives (the
// pages under the root at any root), and every variable is documented.
func TestVariablesAreWhatLoadDoes(t *testing.T) {
	for _, root := range []string{"Let's Connect", "Another program"} {
		base := map[string]string{}
		if root != "Let's Connect" {
			base["LC_ROOT"] = root
		}
		unset, err := Load(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range Variables() {
			if d.Doc == "" {
				t.Errorf("%s has no doc tag", d.Name)
			}
			if d.Default == "" || d.Name == "LC_ROOT" {
				continue
			}
			environ := map[string]string{d.Name: strings.ReplaceAll(d.Default, "$LC_ROOT", root)}
			for k, v := range base {
				environ[k] = v
			}
			set, err := Load(environ)
			if err != nil {
				t.Errorf("%s=%q, its documented default: %v", d.Name, environ[d.Name], err)
				continue
			}
			if !reflect.DeepEqual(set, unset) {
				t.Errorf("%s=%q, its documented default, is not what leaving it unset gives", d.Name, environ[d.Name])
			}
		}
	}
	// Every field the environment sets is a documented variable, once.
	seen := map[string]bool{}
	for _, d := range Variables() {
		if seen[d.Name] {
			t.Errorf("%s is documented twice", d.Name)
		}
		seen[d.Name] = true
	}
	for _, l := range leaves(reflect.ValueOf(&Config{}).Elem()) {
		if !seen[l.Name] {
			t.Errorf("%s is read but not documented", l.Name)
		}
	}
	// The variables' fields have names of their own: the parser's errors
	// name a field by its name alone.
	fields := map[string]bool{}
	for _, l := range leaves(reflect.ValueOf(&Config{}).Elem()) {
		if fields[l.Field.Name] {
			t.Errorf("two variables are read into fields named %s", l.Field.Name)
		}
		fields[l.Field.Name] = true
	}
	// The documented defaults are the ones the help and README show.
	for name, want := range map[string]string{
		"MW_API_URL": "http://127.0.0.1:8089/api.php", "LC_PARTICIPANTS_PREFIX": "$LC_ROOT/Participants/",
		"LC_MAX_EDITS": "60", "LC_LEASE_TTL": "2h", "MW_BOT_PASSWORD": "",
	} {
		i := slices.IndexFunc(Variables(), func(d Variable) bool { return d.Name == name })
		if i < 0 || Variables()[i].Default != want {
			t.Errorf("%s's documented default is not %q", name, want)
		}
	}
}

// LC_PAGE_LANGUAGES: English and the languages the bot has texts in, each
// once; any other list is refused with the variable and the reason.
func TestPageLanguages(t *testing.T) {
	cfg, err := Load(map[string]string{})
	if err != nil || !slices.Equal(cfg.Program.PageLanguages, []string{"en", "fr", "es", "pt", "ar"}) {
		t.Errorf("default page languages %v (%v), want en, fr, es, pt, ar", cfg.Program.PageLanguages, err)
	}
	cfg, err = Load(map[string]string{"LC_PAGE_LANGUAGES": "en, ar"})
	if err != nil || !slices.Equal(cfg.Program.PageLanguages, []string{"en", "ar"}) {
		t.Errorf("LC_PAGE_LANGUAGES=en, ar: %v (%v)", cfg.Program.PageLanguages, err)
	}
	for value, want := range map[string]string{
		"en,de":    `"de", a language the bot has no page texts in (templates/i18n has ar, en, es, fr, pt)`,
		"en,fr,fr": `"fr" twice`,
		"fr,es":    "lacks en: the base pages are in English",
		"en,":      `names "", a language`,
	} {
		_, err := Load(map[string]string{"LC_PAGE_LANGUAGES": value})
		if err == nil || !strings.Contains(err.Error(), "LC_PAGE_LANGUAGES") || !strings.Contains(err.Error(), want) {
			t.Errorf("LC_PAGE_LANGUAGES=%s: error %v, want one containing %q", value, err, want)
		}
	}
}
