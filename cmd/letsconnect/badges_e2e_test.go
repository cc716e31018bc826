package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// held writes a learning space that took place, with its sharers and
// attendees, on its own event page (and a resource on it, when given).
func (p *outreachProgram) held(title, kind, sharers, attendees, resource string) {
	start := p.now.AddDate(0, 0, -10).Format("2006-01-02") + " 15:00"
	text := fmt.Sprintf("{{Let's Connect event|type=%s|title=%s|start=%s|duration=1h|language=en|skills=%s|sharers=%s|attendees=%s|status=done}}\n",
		kind, title, start, outreachSkill, sharers, attendees)
	if resource != "" {
		text += fmt.Sprintf("{{Let's Connect resource|title=%s|type=slides|skills=%s|language=en|link=https://example.org/%s}}\n", resource, outreachSkill, strings.ReplaceAll(resource, " ", "_"))
	}
	p.add(p.root+"/Events/"+title, p.env.HumanUser, p.now.AddDate(0, 0, -9), text)
}

// badgesOn reads the Recognition page: its holders as "badge user".
func (p *outreachProgram) badgesOn(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range recognition.ParseBadges(readPage(t, newReader(t, p.env), p.root+"/Recognition").Content) {
		out = append(out, string(r.Badge)+" "+r.User)
	}
	slices.Sort(out)
	return out
}

// TestBadgesOnTheWiki is the recognition's acceptance on the real wiki:
// the badges are awarded by their rules from the event pages and the
// ledger (a connection that met, three learners, a clinic held, a
// resource of it), to registered participants only; each holder is
// congratulated once per badge, within the monthly cap per person (the
// rest wait) and never when they opted out ({{bots}}, the opt-out list)
// or paused; re-runs post nothing; the report counts the badges.
func TestBadgesOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	p := newOutreachProgram(t)
	long := time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC)
	sharer := map[string]string{"share": outreachSkill, "learn": "Lua modules"}
	leader := p.person("Leader", long, sharer)
	mentor := p.person("Mentor", long, sharer)
	quiet := p.person("Quiet", long, sharer)
	listed := p.person("Listed", long, sharer)
	paused := p.person("Resting", long, map[string]string{"share": outreachSkill, "learn": "Lua modules", "status": "paused"})
	l1, l2, l3 := p.person("Learner1", long, nil), p.person("Learner2", long, nil), p.person("Learner3", long, nil)
	stranger := p.prefix + "Stranger" // leads a clinic, never registered
	p.add("User talk:"+quiet, quiet, long, "{{bots|optout=letsconnect}}")
	p.add(p.root+"/Opt-out", p.env.HumanUser, long, "* [[User:"+listed+"]]")
	p.held("Bots clinic held", "Learning clinic", strings.Join([]string{leader, quiet, listed, paused, stranger}, ", "), l1, "Bots slides")
	p.held("Coffee one", "1:1", mentor, l1, "")
	p.held("Coffee two", "group", mentor, l2+", "+l1, "")
	p.load(t)
	// A connection that met, on the ledger as the working group wrote it.
	ledger := fmt.Sprintf("{{Let's Connect connection|status=met|proposed-by=working group|sharer=%s|learners=%s|skill=%s|format=1:1|met=%s}}\n",
		mentor, l3, outreachSkill, p.now.AddDate(0, 0, -3).Format("2006-01-02"))
	if _, err := newHuman(t, p.env, p.root).Edit(context.Background(), wiki.EditRequest{Title: p.root + "/Connections/" + p.now.Format("2006"), Text: ledger, Summary: "a connection"}); err != nil {
		t.Fatal(err)
	}
	environ := p.environ
	delete(environ, "LC_OUTREACH_SINCE") // the badges' messages alone
	environ["LC_BADGES"] = "true"
	environ["LC_MAX_MESSAGES_PER_PERSON"] = "1"
	everyone := []string{leader, mentor, quiet, listed, paused, l1, l2, l3}

	// Mentor has three learners (two attendees of a 1:1 and a group, one
	// met on the ledger); the stranger leads a clinic but has no
	// registration.
	want := []string{
		"clinic-leader " + leader, "clinic-leader " + listed, "clinic-leader " + paused, "clinic-leader " + quiet,
		"first-connection " + l3, "first-connection " + mentor,
		"resource " + leader, "resource " + listed, "resource " + paused, "resource " + quiet,
		"three-learners " + mentor,
	}
	slices.Sort(want)

	out, sum := runCommand(t, environ, 0, "deliver")
	if !strings.Contains(out, "BADGES 3 congratulations to post") || sum.Badges != 0 || len(p.messages(t, everyone)) != 0 {
		t.Fatalf("the dry run (badges posted %d):\n%.3000s", sum.Badges, out)
	}

	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if got := p.badgesOn(t); !slices.Equal(got, want) {
		t.Errorf("the Recognition page lists:\n%v\nwant\n%v", got, want)
	}
	// One message per person this month (the cap): Leader, Mentor and
	// Learner3; Quiet, Listed and Resting get none.
	keys := p.messages(t, everyone)
	if sum.Badges != 3 || len(keys) != 3 {
		t.Errorf("posted %d congratulations: %v", sum.Badges, keys)
	}
	for key, n := range keys {
		if n != 1 {
			t.Errorf("%s is on the talk pages %d times", key, n)
		}
		for _, u := range []string{quiet, listed, paused} {
			if strings.HasSuffix(key, "/"+u) {
				t.Errorf("%s, who may get no message, got %s", u, key)
			}
		}
	}

	// The same month: nothing more (the cap); the page is unchanged.
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if sum.Badges != 0 || sum.LedgerEdits != 0 {
		t.Errorf("a re-run: %+v", sum)
	}
	// Without the cap, the waiting badges go out once, and never again.
	environ["LC_MAX_MESSAGES_PER_PERSON"] = "0"
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	if sum.Badges != 2 {
		t.Errorf("without the cap, %d congratulations, want Leader's and Mentor's second", sum.Badges)
	}
	_, sum = runCommand(t, environ, 0, "deliver", "--write")
	keys = p.messages(t, everyone)
	if sum.Badges != 0 || len(keys) != 5 {
		t.Errorf("after all: %d posted again, %v on the talk pages", sum.Badges, keys)
	}
	for key, n := range keys {
		if n != 1 {
			t.Errorf("%s is on the talk pages %d times", key, n)
		}
	}
	// MediaWiki reads the Recognition page as rows of the badge template
	// linking the holders.
	links, tmpls, _ := parseLinks(t, p.env, p.root+"/Recognition")
	if !slices.Contains(tmpls, "Template:Let's Connect badge") || !links["User:"+mentor] {
		t.Errorf("the Recognition page uses %v and links %v", tmpls, links)
	}

	runCommand(t, environ, 0, "sync", "--write", "--only", "report")
	report := readPage(t, newReader(t, p.env), p.root+"/Report").Content
	if !strings.Contains(report, "== Badges awarded ==") || !strings.Contains(report, "| Clinic leader || 4") {
		t.Errorf("the report does not count the badges:\n%s", sectionOf(report, "Badges awarded"))
	}
}
