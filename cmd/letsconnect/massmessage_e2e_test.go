package main

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/newsletter"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// massMessageTarball is the real MassMessage extension, REL1_39 (the
// branch for Debian's MediaWiki 1.39), beside the repository: see its
// README for what it is and where it comes from.
var massMessageTarball = filepath.Join(devwiki.RepoRoot(), "..", "shared", "vendor", "MassMessage-REL1_39.tar.gz")

// TestNewsletterThroughMassMessage sends the newsletter as the working
// group does (docs/newsletter.md), with the real MassMessage on a wiki of
// the test's own (the shared wiki has no MassMessage, and keeps none):
// `sync --write` writes the subscriber lists and the issues, a sysop
// sends each language's issue to its list with page-message, the job
// queue runs. Then every listed person has the issue once, as one section
// (its headings inside it), in their language, without the bot's marker;
// nobody else has it; MassMessage logged no skip. The wiki has no
// Template:Target: the lists need none, while a list in the older
// {{target|page=…}} form reads 0 targets there and the send still says
// success. A second send of an issue is delivered again: MassMessage does
// not stop it, as the doc warns.
func TestNewsletterThroughMassMessage(t *testing.T) {
	devwiki.Start(t) // skipped, or failed, as every integration test
	if _, err := os.Stat(massMessageTarball); err != nil {
		t.Skipf("the real MassMessage is not beside the repository (%v): this test loads it from ../shared/vendor/MassMessage-REL1_39.tar.gz", err)
	}
	began := time.Now()
	lap := func(what string) {
		t.Logf("%5.1f s  %s", time.Since(began).Seconds(), what)
	}
	own := devwiki.StartOwn(t)
	ext := t.TempDir()
	if out, err := exec.Command("tar", "-xzf", massMessageTarball, "-C", ext).CombinedOutput(); err != nil {
		t.Fatalf("extracting %s: %v\n%s", massMessageTarball, err, out)
	}
	own.LoadExtension(t, filepath.Join(ext, "MassMessage", "extension.json"))
	lap("a wiki of its own, with MassMessage")

	p := newProgramOn(t, own.Env, own)
	recent := p.now.Add(-2 * time.Hour)
	yes := map[string]string{"newsletter": "yes"}
	byLang := map[string][]string{
		"en": {p.person("Reader", recent, yes), p.person("Talker", recent, yes)},
		"fr": {p.person("Lectrice", recent, map[string]string{"newsletter": "yes", "languages": "fr-N, en-2"})},
		"es": {p.person("Lector", recent, map[string]string{"newsletter": "es", "languages": "en-N"})},
		"pt": {p.person("Leitora", recent, map[string]string{"newsletter": "yes", "languages": "pt-N, en-2"})},
		"ar": {p.person("Qari", recent, map[string]string{"newsletter": "ar", "languages": "ar-N, en-1"})},
	}
	paused := p.person("Away", recent, map[string]string{"newsletter": "yes", "status": "paused"})
	optedOut := p.person("Nomsg", recent, yes)
	nonSubscriber := p.person("Nonews", recent, nil)
	p.add("User talk:"+optedOut, optedOut, recent, "{{bots|optout=letsconnect}}")
	// A talk page with a conversation already: the issue comes after it,
	// as one more section.
	talker := byLang["en"][1]
	p.add("User talk:"+talker, p.env.HumanUser, recent, "== An earlier conversation ==\nHello.\n")
	p.event("Lua clinic", 14, "planned", "")
	p.load(t)
	lap("the program imported")
	environ := p.environ
	environ["LC_NEWSLETTER_DAY"] = "1"
	runCommand(t, environ, 0, "sync", "--write", "--only", "newsletter")
	lap("sync --write: the lists and the issues")

	reader := newReader(t, p.env)
	if readPage(t, reader, "Template:Target").Exists() {
		t.Fatal("the wiki has Template:Target; this test shows the lists need none")
	}
	month := p.now.Format("2006-01")
	issues := map[string]string{}
	for lang, want := range byLang {
		list := readPage(t, reader, p.root+"/Newsletter/Subscribers/"+lang).Content
		var got []string
		for _, target := range newsletter.ParseTargets(list) {
			got = append(got, strings.TrimPrefix(target, "User talk:"))
		}
		if slices.Sort(got); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
			t.Errorf("the %s list targets %v, want %v", lang, got, want)
		}
		title := p.root + "/Newsletter/" + month
		if lang != "en" {
			title += "/" + lang
		}
		issues[lang] = readPage(t, reader, title).Content
	}

	// The working group sends each language's issue to its list.
	sysop := newSysop(t, p.env)
	subject := func(lang string) string { return "Let's Connect newsletter " + month + " (" + lang + ")" }
	for lang, people := range byLang {
		list := p.root + "/Newsletter/Subscribers/" + lang
		page := p.root + "/Newsletter/" + month
		if lang != "en" {
			page += "/" + lang
		}
		if n := sysop.massMessage(t, list, subject(lang), page); n != len(people) {
			t.Errorf("MassMessage reads %d targets in %s, which lists %d", n, list, len(people))
		}
	}
	// The older form, on a wiki without Template:Target: no target, and
	// no error either.
	older := p.root + "/Newsletter/Subscribers/older form"
	oldList := "{{target|page=User talk:" + byLang["en"][0] + "}}\n"
	if _, err := newHuman(t, p.env, p.root).Edit(t.Context(), wiki.EditRequest{Title: older, Text: oldList, Summary: "a list in the older form"}); err != nil {
		t.Fatal(err)
	}
	if got := newsletter.ParseTargets(oldList); len(got) != 1 {
		t.Errorf("the bot reads %v in the older form", got)
	}
	if n := sysop.massMessage(t, older, "the older form", p.root+"/Newsletter/"+month); n != 0 {
		t.Errorf("MassMessage reads %d targets in the older form without Template:Target; it read none when this test was written", n)
	}
	own.RunJobs(t)
	lap("sent in five languages, the jobs run")

	// Every listed person has their language's issue once, as one section.
	everyone := []string{paused, optedOut, nonSubscriber}
	for _, people := range byLang {
		everyone = append(everyone, people...)
	}
	for lang, people := range byLang {
		for _, user := range people {
			talk := readPage(t, reader, "User talk:"+user).Content
			s := deliveredSection(t, talk, subject(lang))
			if s == "" {
				continue
			}
			if !strings.Contains(s, strings.TrimSpace(issues[lang])) {
				t.Errorf("%s's section is not the %s issue:\n%s", user, lang, s)
			}
			if strings.Contains(s, program.OwnershipMarker) || strings.Contains(s, "written by the Let's Connect bot") {
				t.Errorf("%s's section carries the bot's marker:\n%.300s", user, s)
			}
			if lang == "ar" && !strings.Contains(s, `<div lang="ar" dir="rtl">`) {
				t.Errorf("the Arabic issue is not right to left:\n%.300s", s)
			}
			checkSections(t, p, user, subject(lang), user == talker)
		}
	}
	// Nobody else: MassMessage's account edited exactly the listed talk
	// pages, each once, and logged no skip or failure.
	edited := map[string]int{}
	for _, c := range apiList(t, p.env, "usercontribs", url.Values{"ucuser": {"MediaWiki message delivery"}, "uclimit": {"max"}}) {
		edited[strings.TrimPrefix(c["title"].(string), "User talk:")]++
	}
	for _, user := range everyone {
		listed := 0
		for _, people := range byLang {
			if slices.Contains(people, user) {
				listed = 1
			}
		}
		if edited[user] != listed {
			t.Errorf("%s's talk page got %d deliveries, want %d", user, edited[user], listed)
		}
		delete(edited, user)
	}
	if len(edited) > 0 {
		t.Errorf("MassMessage also delivered to %v", edited)
	}
	sends := 0
	for _, e := range apiList(t, p.env, "logevents", url.Values{"letype": {"massmessage"}, "lelimit": {"max"}}) {
		if e["action"] == "send" {
			sends++
			continue
		}
		t.Errorf("MassMessage logged %s on %s: %v", e["action"], e["title"], e["params"])
	}
	if sends != len(byLang)+1 {
		t.Errorf("MassMessage logged %d sends, want %d", sends, len(byLang)+1)
	}

	// A second send of the Spanish issue is delivered again: nothing in
	// MassMessage stops it (docs/newsletter.md says so).
	spanish := byLang["es"][0]
	sysop.massMessage(t, p.root+"/Newsletter/Subscribers/es", subject("es"), p.root+"/Newsletter/"+month+"/es")
	own.RunJobs(t)
	if n := strings.Count(readPage(t, reader, "User talk:"+spanish).Content, "== "+subject("es")+" =="); n != 2 {
		t.Errorf("after a second send, %s has the issue %d times; MassMessage delivered it twice when this test was written", spanish, n)
	}
	lap("a second send")
}

// deliveredSection is the level-2 section titled subject on a talk page,
// from its heading to the next level-2 heading; it fails t unless there
// is exactly one.
func deliveredSection(t *testing.T, talk, subject string) string {
	t.Helper()
	heading := regexp.MustCompile(`(?m)^==[^=].*?[^=]==\s*$`)
	var sections []string
	locs := heading.FindAllStringIndex(talk, -1)
	for i, loc := range locs {
		if strings.TrimSpace(strings.Trim(talk[loc[0]:loc[1]], "= \n")) != subject {
			continue
		}
		end := len(talk)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		sections = append(sections, talk[loc[1]:end])
	}
	if len(sections) != 1 {
		t.Errorf("%d sections %q, want one:\n%s", len(sections), subject, talk)
		return ""
	}
	return sections[0]
}

// checkSections asks MediaWiki for a talk page's sections: the issue is
// one level-2 section (after the earlier conversation, if any), and each
// of its six headings a level-3 section inside it.
func checkSections(t *testing.T, p *outreachProgram, user, subject string, earlier bool) {
	t.Helper()
	var body struct {
		Parse struct {
			Sections []struct {
				Level string `json:"level"`
				Line  string `json:"line"`
			} `json:"sections"`
		} `json:"parse"`
	}
	parse(t, p.env, "User talk:"+user, "sections", &body)
	var got []string
	for _, s := range body.Parse.Sections {
		got = append(got, s.Level)
	}
	want := "2 3 3 3 3 3 3"
	if earlier {
		want = "2 " + want
	}
	if strings.Join(got, " ") != want {
		t.Errorf("%s's talk page has sections at levels %v, want %s: %+v", user, got, want, body.Parse.Sections)
		return
	}
	if top := body.Parse.Sections[len(got)-7]; top.Line != subject {
		t.Errorf("%s's talk page: the issue's section is %q, want %q", user, top.Line, subject)
	}
}

// sysop is the wiki's administrator, as the working group's member who
// may send with MassMessage (the massmessage right is the sysops').
type sysop struct {
	api    string
	client *http.Client
}

func newSysop(t *testing.T, env devwiki.Env) *sysop {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &sysop{api: env.APIURL, client: &http.Client{Jar: jar, Timeout: time.Minute}}
	var tok struct {
		Query struct{ Tokens map[string]string } `json:"query"`
	}
	s.call(t, url.Values{"action": {"query"}, "meta": {"tokens"}, "type": {"login"}}, &tok)
	var login struct {
		Login struct{ Result, Reason string } `json:"login"`
	}
	s.call(t, url.Values{"action": {"login"}, "lgname": {env.AdminUser}, "lgpassword": {env.AdminPassword}, "lgtoken": {tok.Query.Tokens["logintoken"]}}, &login)
	if login.Login.Result != "Success" {
		t.Fatalf("logging in as %s: %s %s", env.AdminUser, login.Login.Result, login.Login.Reason)
	}
	return s
}

// massMessage sends page to the list's targets, as Special:MassMessage
// does, and returns how many targets MassMessage read.
func (s *sysop) massMessage(t *testing.T, list, subject, page string) int {
	t.Helper()
	var tok struct {
		Query struct{ Tokens map[string]string } `json:"query"`
	}
	s.call(t, url.Values{"action": {"query"}, "meta": {"tokens"}}, &tok)
	var sent struct {
		MassMessage struct {
			Result string
			Count  int
		} `json:"massmessage"`
		Error *struct{ Code, Info string } `json:"error"`
	}
	s.call(t, url.Values{"action": {"massmessage"}, "spamlist": {list}, "subject": {subject}, "page-message": {page},
		"token": {tok.Query.Tokens["csrftoken"]}}, &sent)
	if sent.Error != nil || sent.MassMessage.Result != "success" {
		t.Fatalf("sending %s to %s: %+v %+v", page, list, sent.Error, sent.MassMessage)
	}
	return sent.MassMessage.Count
}

func (s *sysop) call(t *testing.T, params url.Values, out any) {
	t.Helper()
	params.Set("format", "json")
	params.Set("formatversion", "2")
	resp, err := s.client.PostForm(s.api, params)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s: %v", params.Get("action"), err)
	}
}

// apiList reads a query list module (list=usercontribs, logevents…) to
// its end.
func apiList(t *testing.T, env devwiki.Env, list string, params url.Values) []map[string]any {
	t.Helper()
	var out []map[string]any
	params.Set("action", "query")
	params.Set("list", list)
	params.Set("format", "json")
	params.Set("formatversion", "2")
	for {
		resp, err := http.Get(env.APIURL + "?" + params.Encode())
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Query    map[string][]map[string]any `json:"query"`
			Continue map[string]string           `json:"continue"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("list=%s: %v", list, err)
		}
		out = append(out, body.Query[list]...)
		if body.Continue == nil {
			return out
		}
		for k, v := range body.Continue {
			params.Set(k, v)
		}
	}
}
