package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// deliveryProgram imports a demo program under a root of its own, runs a
// sync and has the working group (the test's human account) approve the
// first n 1:1 proposals. It returns the environment for the command and
// the approved rows.
func deliveryProgram(t *testing.T, participants, n int) (devwiki.Env, map[string]string, string, []string) {
	t.Helper()
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC deliver %d", time.Now().UnixNano())
	prog := importDemoN(t, root, participants)
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(append(prog.WorkingGroup, env.HumanUser), ","),
		"LC_EDIT_INTERVAL": "0s", "LC_MAX_PROPOSALS": "0", "LC_MAX_EDITS": "0",
	}
	runCommand(t, environ, 0, "sync", "--write")
	proposals := root + "/Proposed connections"
	reader := newReader(t, env)
	page := readPage(t, reader, proposals)
	text := page.Content
	var approved []string
	for _, row := range proposalRows(t, page.Content) {
		if len(approved) == n {
			break
		}
		if rowField(row, "format") == "1:1" {
			text = strings.Replace(text, row, strings.Replace(row, "|status=proposed|", "|status=approved|", 1), 1)
			approved = append(approved, row)
		}
	}
	if len(approved) < n {
		t.Fatalf("only %d 1:1 proposals, want %d", len(approved), n)
	}
	if _, err := newHuman(t, env, root).Edit(context.Background(), wiki.EditRequest{Title: proposals, Text: text, Summary: "approve", Base: page}); err != nil {
		t.Fatal(err)
	}
	return env, environ, root, approved
}

// ledgerOf reads every ledger page of a program.
func ledgerOf(t *testing.T, c *wiki.Client, root string) []*program.Connection {
	t.Helper()
	refs, err := c.ListPrefix(context.Background(), root+"/Connections/")
	if err != nil {
		t.Fatal(err)
	}
	var out []*program.Connection
	for _, r := range refs {
		p := readPage(t, c, r.Title)
		rows, problems := lifecycle.ParseLedger(r.Title, p.Content, &program.Taxonomy{})
		if len(problems) > 0 {
			t.Fatalf("the ledger has problems: %v", problems)
		}
		out = append(out, rows...)
	}
	return out
}

// talkPages reads the talk pages of users (following redirects).
func talkPages(t *testing.T, c *wiki.Client, users []string) map[string]string {
	t.Helper()
	var titles []string
	for _, u := range users {
		titles = append(titles, "User talk:"+u)
	}
	pages, err := c.Pages(context.Background(), titles, wiki.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i, p := range pages {
		out[users[i]] = p.Content
	}
	return out
}

// TestDeliveryKilledAndRestarted is the acceptance: a run of 200
// messages killed with SIGKILL at 20 random points and started again each
// time ends with every message delivered exactly once, on the talk pages
// and in the ledger.
func TestDeliveryKilledAndRestarted(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	_, environ, root, _ := deliveryProgram(t, 250, 100)
	environ["LC_MAX_MESSAGES"] = "0"
	environ["LC_MAX_MESSAGES_PER_PERSON"] = "0"
	last := killAndRestart(t, environ, 20)

	// Every message is on its talk page exactly once, and in the ledger.
	reader := newReader(t, devwiki.Start(t))
	ledger := ledgerOf(t, reader, root)
	if len(ledger) < 100 {
		t.Fatalf("%d connections on the ledger, want the 100 approved (and the demo's requests)", len(ledger))
	}
	var people []string
	for _, c := range ledger {
		for _, u := range c.People() {
			if !slices.Contains(people, u) {
				people = append(people, u)
			}
		}
	}
	pages := talkPages(t, reader, people)
	messages := 0
	for _, c := range ledger {
		if c.Status != program.StatusNotified {
			t.Errorf("%s is %s, want notified", c.ID, c.Status)
		}
		for _, u := range c.People() {
			d := program.Delivery{Kind: lifecycle.MessageConnection, User: u}
			marker := program.MessageMarker(d.Key(c.ID))
			n := 0
			for _, text := range pages {
				n += strings.Count(text, marker)
			}
			recorded := 0
			for _, m := range c.Messages {
				if m.Kind == d.Kind && m.User == u {
					recorded++
				}
			}
			if n != 1 || recorded != 1 {
				t.Errorf("%s: on talk pages %d times, in the ledger %d times; want 1 and 1", d.Key(c.ID), n, recorded)
			}
			messages++
		}
	}
	// The killed runs never reached their ledger edit: the last run found
	// their messages on the talk pages and posted only the rest.
	if messages < 200 || last.Found+last.Posted != messages || last.Found == 0 {
		t.Errorf("%d messages on the ledger; the last run found %d on talk pages and posted %d", messages, last.Found, last.Posted)
	}
	t.Logf("%d messages delivered exactly once across 21 runs (20 killed); the last run found %d and posted %d", messages, last.Found, last.Posted)
}

// killAndRestart runs `deliver --write` kills times, each killed with
// SIGKILL once it has posted a random few messages (plus a random few
// milliseconds, so that some kills land in the middle of a request), then
// once to the end; it returns the last run's summary.
func killAndRestart(t *testing.T, environ map[string]string, kills int) summary {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "letsconnect")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var envList []string
	for k, v := range pilotEnviron(environ) {
		envList = append(envList, k+"="+v)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill points seeded with %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	// run reports whether the run finished, and then its summary.
	run := func(after int) (finished bool, sum summary) {
		posted := 0
		cmd := exec.Command(bin, "deliver", "--write")
		cmd.Env = envList
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		killed := false
		var log []string
		for sc.Scan() {
			log = append(log, sc.Text())
			var line struct{ Message string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Message == "deliver: summary" {
				json.Unmarshal(sc.Bytes(), &sum)
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Message == "deliver: posted" {
				posted++
				if after > 0 && posted == after && !killed {
					time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
					cmd.Process.Signal(syscall.SIGKILL)
					killed = true
				}
			}
		}
		err = cmd.Wait()
		if !killed && err != nil {
			t.Fatalf("the run failed: %v\n%s", err, strings.Join(log, "\n"))
		}
		return !killed, sum
	}
	for i := range kills {
		if finished, _ := run(1 + rng.IntN(9)); finished {
			t.Fatalf("run %d finished before its kill point: the test did not kill %d times", i, kills)
		}
	}
	finished, last := run(0)
	if !finished {
		t.Fatal("the last run did not finish")
	}
	return last
}

var sectionRE = regexp.MustCompile(`(?m)^== (.*) ==$`)

// TestLifecycleOnTheWiki follows connections on the real wiki from the
// working group's approval to their end, with the clock moved by LC_NOW
// and participants replying through MediaWiki itself.
func TestLifecycleOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env, environ, root, approved := deliveryProgram(t, 0, 2)
	// No monthly cap a person: a learner of the first connection may also
	// be in one of the demo's own requests, whose proposal, reminder and
	// closing would make the check-in their fifth message this month and
	// defer it (the cap has tests of its own: sync/lifecycle).
	environ["LC_MAX_MESSAGES_PER_PERSON"] = "0"
	reader := newReader(t, env)
	ctx := context.Background()
	today := time.Now().UTC()
	at := func(days int) string { return today.AddDate(0, 0, days).Format(time.RFC3339) }

	// A dry run posts nothing and shows the messages.
	environ["LC_NOW"] = at(0)
	out, sum := runCommand(t, environ, 0, "deliver")
	if sum.Posted != 0 || !strings.Contains(out, "=== new section User talk:") || !strings.Contains(out, "<!-- letsconnect-message: ") {
		t.Fatalf("dry run: %+v\n%.3000s", sum, out)
	}
	if refs, _ := reader.ListPrefix(ctx, root+"/Connections/"); len(refs) != 0 {
		t.Fatal("the dry run wrote the ledger")
	}

	// One of the sharers opted out on their talk page.
	optedOut := rowField(approved[1], "sharer")
	human := newHuman(t, env, root)
	optOutPage := readPage(t, reader, "User talk:"+optedOut)
	if _, err := human.Edit(ctx, wiki.EditRequest{Title: optOutPage.Title, Text: optOutPage.Content + "\n{{bots|optout=letsconnect}}", Summary: "opt out", Base: optOutPage}); err != nil {
		t.Fatal(err)
	}

	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	ledger := ledgerOf(t, reader, root)
	byPair := map[string]*program.Connection{}
	people := 0
	for _, c := range ledger {
		byPair[c.Sharer+"→"+c.Learners[0]] = c
		people += len(c.People())
	}
	first := byPair[rowField(approved[0], "sharer")+"→"+rowField(approved[0], "learners")]
	second := byPair[optedOut+"→"+rowField(approved[1], "learners")]
	// The demo's participants asked for the best proposals themselves:
	// those are theirs; the others the bot's.
	if first == nil || second == nil || (first.ProposedBy != program.ByBot && first.ProposedBy != program.ByParticipant) {
		t.Fatalf("the approved rows are not on the ledger: %+v", ledger)
	}
	notMessaged := 0
	for _, c := range ledger {
		notMessaged += len(c.NotMessaged)
	}
	if sum.Posted != people-notMessaged || sum.NotMessaged != notMessaged || !strings.Contains(second.NotMessaged[optedOut], "optout") {
		t.Errorf("posted %d (want %d), not messaged %d: %v", sum.Posted, people-notMessaged, sum.NotMessaged, second.NotMessaged)
	}
	learner := first.Learners[0]
	talk := readPage(t, reader, "User talk:"+learner)
	if !strings.Contains(talk.Content, program.MessageMarker(first.ID+"/connection/"+learner)) || talk.User != "LetsConnectBot" {
		t.Fatalf("no message on %s's talk page:\n%s", learner, talk.Content)
	}
	// MediaWiki reads the message as intended: no template, no category,
	// links to the sharer and the ledger.
	links, templates, categories := parseLinks(t, env, "User talk:"+learner)
	if len(templates) > 0 || len(categories) > 0 || !links["User:"+first.Sharer] || !links[first.Page] {
		t.Errorf("the message transcludes %v, categorises %v, links %v", templates, categories, links)
	}

	// The first connection's sharer answers yes with the template; the
	// learner replies without it: "replied", never a yes.
	// Each reply goes in the section of the first connection's message:
	// a person may have several connections, each with its section.
	reply := func(u, text string) {
		p := readPage(t, reader, "User talk:"+u)
		marker := program.MessageMarker(first.ID + "/connection/" + u)
		at := strings.Index(p.Content, marker)
		if at < 0 {
			t.Fatalf("no message about %s on %s's talk page", first.ID, u)
		}
		at += len(marker)
		end := strings.Index(p.Content[at:], "\n==")
		if end < 0 {
			end = len(p.Content) - at
		}
		devwiki.EditAs(t, u, p.Title, p.Content[:at+end]+"\n:"+text+" ~~~~"+p.Content[at+end:])
	}
	reply(first.Sharer, "{{Let's Connect answer|yes}} Happy to, let us meet next week.")
	reply(learner, "Sounds good, which day?")
	environ["LC_NOW"] = at(1)
	out, sum = runCommand(t, environ, 0, "deliver", "--write")
	for _, c := range ledgerOf(t, reader, root) {
		if c.ID == first.ID && (c.Status != program.StatusNotified || len(c.Responses) != 2 || len(c.Answers) != 1) {
			t.Errorf("after a yes and a plain reply: %s, replies %v, answers %v; want notified", c.Status, c.Responses, c.Answers)
		}
	}
	if sum.Answers != 1 || sum.Posted != 0 || !strings.Contains(out, "REPLIES 1 new without an answer") {
		t.Errorf("summary %+v, want 1 answer and 1 reply, nothing posted:\n%.2000s", sum, out)
	}
	reply(learner, "{{Let's Connect answer|yes}}")
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	for _, c := range ledgerOf(t, reader, root) {
		if c.ID == first.ID && (c.Status != program.StatusAccepted || len(c.Answers) != 2) {
			t.Errorf("after both said yes: %s, answers %v", c.Status, c.Answers)
		}
	}
	if sum.Answers != 1 || sum.Posted != 0 {
		t.Errorf("summary %+v, want 1 answer, nothing posted", sum)
	}

	// A week later everyone who has not answered gets a reminder (the
	// second connection's learner, and the people of the demo's own
	// requests); a week after that their connections close.
	wantReminders := 0
	for _, c := range ledgerOf(t, reader, root) {
		if c.ID != first.ID {
			wantReminders += len(c.People()) - len(c.NotMessaged)
		}
	}
	environ["LC_NOW"] = at(7)
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if sum.Posted != wantReminders {
		t.Errorf("a week on: %d posted, want %d reminders", sum.Posted, wantReminders)
	}
	environ["LC_NOW"] = at(14)
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	for _, c := range ledgerOf(t, reader, root) {
		if c.ID == second.ID && c.Status != program.StatusNoResponse {
			t.Errorf("two weeks on, the unanswered connection is %s", c.Status)
		}
	}
	headings := sectionRE.FindAllStringSubmatch(readPage(t, reader, "User talk:"+second.Learners[0]).Content, -1)
	if len(headings) < 3 {
		t.Errorf("the learner's talk page has sections %v, want the proposal, the reminder and the closing", headings)
	}
	// The check-in 14 days after accepting, then nothing more.
	environ["LC_NOW"] = at(15)
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if sum.Posted != 2 {
		t.Errorf("check-in: %d posted, want 2", sum.Posted)
	}
	for _, u := range first.People() {
		d := program.Delivery{Kind: lifecycle.MessageCheckIn, User: u}
		if marker := program.MessageMarker(d.Key(first.ID)); !strings.Contains(readPage(t, reader, "User talk:"+u).Content, marker) {
			t.Errorf("no check-in for %s on their talk page (marker %s)", u, marker)
		}
	}
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if sum.Posted != 0 || sum.LedgerEdits != 0 {
		t.Errorf("a run with nothing to do: %+v", sum)
	}
	// The sync after all this still proposes (the approved pairs, on the
	// proposals page and on the ledger, count once).
	runCommand(t, environ, 0, "sync", "--write")
}

// rowField reads a parameter of a proposal row (a user name, or a word).
func rowField(row, name string) string {
	m := regexp.MustCompile(`\|` + regexp.QuoteMeta(name) + `=([^|}]*)`).FindStringSubmatch(row)
	if m == nil {
		return ""
	}
	return wikitext.NormalizeUser(html.UnescapeString(m[1]))
}
