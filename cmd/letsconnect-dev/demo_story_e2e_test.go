package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/newsletter"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TestDemoStory runs `make demo` as a newcomer does, on a local wiki of
// its own (a new MediaWiki in a temporary directory, on a port of its
// own, so that the developer's demo is never touched), and checks on that
// wiki each claim of README's "What the demo contains". Then it runs
// `make demo` again (no edit, no message) and the dry runs the demo
// prints (0 edits planned).
func TestDemoStory(t *testing.T) {
	if testing.Short() {
		t.Skip("make demo twice takes a minute")
	}
	own := devwiki.StartOwn(t) // skipped, or failed, as every integration test
	repo, dir := devwiki.RepoRoot(), own.Dir
	environ := newcomersEnviron(own.Environ())

	out := makeDemo(t, repo, environ)
	s := &story{t: t, out: out, reader: storyReader(t, own.APIURL), apiURL: own.APIURL}
	prog, err := demo.Generate(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.prog = prog
	s.year = time.Now().UTC().Year()

	s.registrations()
	s.setUp()
	s.reviewScript(own.HumanUser)
	s.generatedPages()
	s.events(filepath.Join(dir, "calendar"))
	s.lifecycle()
	s.outreach()
	s.newsletter()
	s.badges()
	if t.Failed() {
		t.Logf("make demo printed:\n%s", out)
	}

	// A second make demo posts nothing and edits nothing: the wiki has
	// exactly the edits it had.
	edits := s.siteEdits()
	again := makeDemo(t, repo, environ)
	if after := s.siteEdits(); after != edits {
		t.Errorf("a second make demo made %d edits, want none; it printed:\n%s", after-edits, again)
	}
	for _, want := range []string{"demo: 3 1:1 proposals are approved already", "sync: 0 pages written",
		"deliver: 0 messages, 0 problem notices, 0 welcomes, 0 invitations and 0 congratulations posted"} {
		if !strings.Contains(again, want) {
			t.Errorf("a second make demo does not say %q:\n%s", want, again)
		}
	}

	// The commands make demo prints to run the bot again have the demo's
	// whole configuration: each dry run plans nothing.
	commands := rerunCommands(again)
	if len(commands) != 2 {
		t.Fatalf("make demo prints %d commands to run the bot again, want 2 (sync and deliver):\n%s", len(commands), again)
	}
	for _, command := range commands {
		cmd := exec.Command("bash", "-c", strings.ReplaceAll(command, ". .devwiki/", ". "+dir+"/"))
		cmd.Dir, cmd.Env = repo, environ
		got, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", command, err, got)
			continue
		}
		if !strings.Contains(string(got), "Dry run: nothing to change.") {
			t.Errorf("%s plans changes right after make demo:\n%s", command, got)
		}
	}
	if after := s.siteEdits(); after != edits {
		t.Errorf("the dry runs made %d edits", after-edits)
	}
}

// story holds what the checks of the demo's claims share.
type story struct {
	t      *testing.T
	out    string // what make demo printed
	reader *wiki.Client
	apiURL string
	prog   *demo.Program
	year   int
}

// registrations: 179 pilot-shaped participants, nine registrations with
// mistakes and a tenth written by a working-group member, each edited by
// its participant's own account.
func (s *story) registrations() {
	t := s.t
	if len(s.prog.Participants) != 179 || len(s.prog.Mistakes) != 9 || len(s.prog.Helped) != 1 {
		t.Errorf("the demo program has %d participants, %d registrations with mistakes, %d written for someone; README says 179, 9 and 1",
			len(s.prog.Participants), len(s.prog.Mistakes), len(s.prog.Helped))
	}
	refs, err := s.reader.ListPrefix(context.Background(), s.prog.Root+"/Participants/")
	if err != nil {
		t.Fatal(err)
	}
	if want := len(s.prog.Participants) + len(s.prog.Mistakes) + len(s.prog.Helped); len(refs) != want {
		t.Errorf("%d registration pages on the wiki, want %d", len(refs), want)
	}
	c, err := s.reader.Contributors(context.Background(), []string{s.prog.Root + "/Participants/" + s.prog.Participants[0]})
	if err != nil {
		t.Fatal(err)
	}
	if users := c[s.prog.Root+"/Participants/"+s.prog.Participants[0]]; !slices.Equal(users, s.prog.Participants[:1]) {
		t.Errorf("the first registration was edited by %v, want its participant alone", users)
	}
	if !strings.Contains(s.out, fmt.Sprintf("demo: %d participants, %d registrations with mistakes", len(s.prog.Participants)+len(s.prog.Helped), len(s.prog.Mistakes))) &&
		!strings.Contains(s.out, fmt.Sprintf("demo: %d participants, %d registrations with mistakes", len(s.prog.Participants), len(s.prog.Mistakes))) {
		t.Errorf("make demo does not say how many participants it generated")
	}
}

// setUp: the wiki looks set up on purpose: its main page links the
// program's pages, the bot's user page says how to stop it, the shutoff
// page says run.
func (s *story) setUp() {
	t := s.t
	main := s.page("Main Page")
	for _, link := range []string{"[[" + s.prog.Root + "/Skills directory", "[[" + s.prog.Root + "/Proposed connections", "[[" + s.prog.Root + "/Report"} {
		if !strings.Contains(main.Content, link) {
			t.Errorf("the main page does not link %s]]", link)
		}
	}
	if bot := s.page("User:LetsConnectBot"); !strings.Contains(bot.Content, s.prog.Root+"/Bot shutoff") {
		t.Errorf("the bot's user page does not say how to stop it:\n%s", bot.Content)
	}
	if shutoff := s.page(s.prog.Root + "/Bot shutoff"); !strings.HasSuffix(strings.TrimSpace(shutoff.Content), "run") {
		t.Errorf("the shutoff page says %q, want run", shutoff.Content)
	}
}

// reviewScript: the working group's review script is installed in the
// bot's user space, the account with a password (human) imports it and is
// in the demo's working group, and make demo says how to try it.
func (s *story) reviewScript(human string) {
	t := s.t
	want, err := templates.ReviewScript()
	if err != nil {
		t.Fatal(err)
	}
	title := "User:LetsConnectBot/" + templates.ReviewScriptFile
	if got := s.page(title); strings.TrimSpace(got.Content) != strings.TrimSpace(want) {
		t.Errorf("%s is not the review script (%d bytes, want %d)", title, len(got.Content), len(want))
	}
	if common := s.page("User:" + human + "/common.js"); !strings.Contains(common.Content, "mw.loader.load(") ||
		!strings.Contains(common.Content, "LetsConnectBot/review.js&action=raw&ctype=text/javascript") {
		t.Errorf("%s's common.js does not import the review script:\n%s", human, common.Content)
	}
	if !strings.Contains(s.out, "Try the working group's review script: log in as "+human) ||
		!strings.Contains(s.page(s.prog.Root+"/Proposed connections").Content, human) {
		t.Errorf("make demo does not say how to try the review script as %s, or %s is not in the working group", human, human)
	}
}

// generatedPages: the directory, the problems page and the proposals,
// and every reader page in each of the five languages.
func (s *story) generatedPages() {
	t := s.t
	root := s.prog.Root
	for _, base := range []string{"Skills directory", "Calendar", "Resources", "Report"} {
		for _, lang := range []string{"", "/fr", "/es", "/pt", "/ar"} {
			if p := s.page(root + "/" + base + lang); !strings.HasPrefix(p.Content, program.OwnershipMarker) {
				t.Errorf("%s/%s%s is missing or not the bot's", root, base, lang)
			}
		}
	}
	if !strings.Contains(s.page(root+"/Skills directory").Content, "no sharer yet") {
		t.Error("the directory shows no wanted skill nobody shares")
	}
	// A few skills mapped to CapX: linked from the directory, counted per
	// CapX root in the report, and the open-data table written.
	if !strings.Contains(s.page(root+"/Skills directory").Content, "[https://capx.toolforge.org/capacity/113 Wikidata (113)]") {
		t.Error("the directory does not link Basic Wikidata to CapX's Wikidata (113)")
	}
	if !strings.Contains(s.page(root+"/Report").Content, "| technology (106) ||") {
		t.Error("the report does not count the wishes per CapX root")
	}
	if p := s.page(root + "/Open data/Skills by month.tab"); p.ContentModel != "json" || !strings.Contains(p.Content, `"CC0-1.0"`) {
		t.Errorf("the open-data page: content model %q:\n%.300s", p.ContentModel, p.Content)
	}
	problems := s.page(root + "/Registration problems").Content
	for _, m := range s.prog.Mistakes {
		if !strings.Contains(problems, "[["+m.Page+"]]") {
			t.Errorf("the registration with a mistake %s (%s) is not on the problems page", m.Page, m.Kind)
		}
	}
	// About 140 proposals for the pilot's program, the best 100 shown,
	// each with its reason.
	page := s.page(root + "/Proposed connections").Content
	rows, _ := proposals.ParseProposals("", page, &program.Taxonomy{})
	awaiting, total := 0, 0
	for _, r := range rows {
		if r.Status == program.StatusProposed {
			awaiting++
		}
	}
	if m := regexp.MustCompile(`(\d+) more are not shown`).FindStringSubmatch(page); m != nil {
		fmt.Sscan(m[1], &total)
	}
	total += awaiting
	if awaiting != 100 || total < 120 || total > 160 {
		t.Errorf("the proposals page shows %d proposals of %d; README: about 140, 100 shown", awaiting, total)
	}
	for _, tpl := range wikitext.Templates(page) {
		if tpl.Name == proposals.TemplateProposal && strings.TrimSpace(tpl.Get("why")) == "" {
			t.Errorf("a proposal without its reason: %v", tpl.Params)
		}
	}
}

// events: the pilot's learning spaces and the upcoming ones, on the
// calendar, the resources page and the iCalendar feeds.
func (s *story) events(feeds string) {
	t := s.t
	count := map[string]int{}
	upcoming, cancelled := 0, 0
	for _, ev := range s.prog.Events {
		if ev.Start.After(time.Now().Add(-24 * time.Hour)) {
			upcoming++
			if ev.Status == "cancelled" {
				cancelled++
			}
			continue
		}
		count[ev.Type]++
	}
	if count["learning clinic"] != 10 || count["regional session"] != 7 || count["1:1"]+count["group"] != 11 || upcoming != 7 || cancelled != 1 || s.prog.Resources != 45 {
		t.Errorf("the demo's events: %v, %d upcoming (%d cancelled), %d resources; README: 10 clinics, 7 regional sessions, 11 1:1s and groups, 7 upcoming (one cancelled), 45 resources",
			count, upcoming, cancelled, s.prog.Resources)
	}
	if !strings.Contains(s.out, "Update the calendar: 7 upcoming, 28 past") && !strings.Contains(s.page(s.prog.Root+"/Calendar").Content, "Upcoming") {
		t.Error("the calendar does not list the upcoming learning spaces")
	}
	ics, err := os.ReadFile(filepath.Join(feeds, "all.ics"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(ics), "BEGIN:VEVENT"); n != len(s.prog.Events) {
		t.Errorf("the feed has %d events, want %d", n, len(s.prog.Events))
	}
	if resources := s.page(s.prog.Root + "/Resources").Content; !strings.Contains(resources, "'''45''' resources") {
		t.Errorf("the resources page does not count the demo's 45 resources:\n%.1500s", resources)
	}
}

// lifecycle: the working group approves the three best 1:1 proposals
// that are no participant's own request, the delivery puts them on the
// ledger with the participants' three requests and messages each person; the people with registration
// mistakes are told; the first connection's people reply and it becomes
// accepted.
func (s *story) lifecycle() {
	t := s.t
	approvedLine := regexp.MustCompile(`demo: (.+) approved (.+) → (.+) \((.+), 1:1, score (\d+)\)`)
	var approved [][]string
	for _, line := range strings.Split(s.out, "\n") {
		if m := approvedLine.FindStringSubmatch(line); m != nil {
			approved = append(approved, m)
		}
	}
	if len(approved) != 3 {
		t.Fatalf("make demo printed %d approvals, want 3:\n%s", len(approved), s.out)
	}
	s.theBestApproved(approved)

	ledgerTitle := fmt.Sprintf("%s/Connections/%d", s.prog.Root, s.year)
	ledger := s.page(ledgerTitle)
	conns, problems := lifecycle.ParseLedger(ledgerTitle, ledger.Content, &program.Taxonomy{})
	if len(problems) > 0 {
		t.Errorf("the ledger has problems: %v", problems)
	}
	requests, byGroup := 0, 0
	for _, c := range conns {
		if c.ProposedBy == program.ByParticipant {
			requests++
			continue
		}
		byGroup++
		if !slices.ContainsFunc(approved, func(m []string) bool { return m[2] == c.Sharer && m[3] == strings.Join(c.Learners, ", ") }) {
			t.Errorf("the ledger has %s → %v, which the working group did not approve", c.Sharer, c.Learners)
		}
		if c.Format != match.OneToOne {
			t.Errorf("%s is a %s, want a 1:1", c.ID, c.Format)
		}
	}
	if byGroup != 3 || requests != 3 {
		t.Errorf("the ledger has %d connections the working group approved and %d requests, want 3 and 3", byGroup, requests)
	}
	messaged := 0
	for _, c := range conns {
		for _, u := range c.People() {
			if s.hasMarker(u, program.MessageMarker(program.Delivery{Kind: lifecycle.MessageConnection, User: u}.Key(c.ID))) {
				messaged++
			} else {
				t.Errorf("%s got no message about %s", u, c.ID)
			}
		}
	}
	if messaged != 12 || !strings.Contains(s.out, "deliver: 12 messages, 9 problem notices") {
		t.Errorf("%d connection messages on the talk pages; want 12, and the first delivery to say 12 messages and 9 problem notices", messaged)
	}

	// The participants whose registrations have mistakes are told.
	told := 0
	for _, m := range s.prog.Mistakes {
		user := strings.TrimPrefix(m.Page, s.prog.Root+"/Participants/")
		if s.matches(user, `letsconnect-message: P-[0-9a-f]{10}/problems/`+regexp.QuoteMeta(user)+` -->`) {
			told++
		}
	}
	if told != 9 {
		t.Errorf("%d of the 9 participants with a mistake were told on their talk page", told)
	}

	// The first connection's people replied, and it is accepted.
	first := conns[0]
	if first.Status != program.StatusAccepted || len(first.Responses) != len(first.People()) {
		t.Errorf("the first connection %s is %s with answers from %v; want accepted with both answers", first.ID, first.Status, first.Responses)
	}
	for _, u := range first.People() {
		talk := s.page("User talk:" + u).Content
		marker := program.MessageMarker(program.Delivery{Kind: lifecycle.MessageConnection, User: u}.Key(first.ID))
		if !slices.ContainsFunc(wikitext.RepliesAfter(talk, marker), func(r wikitext.Reply) bool { return r.User == u }) {
			t.Errorf("%s did not reply under the message on their talk page", u)
		}
	}
	// The next connection whose sharer was told: the sharer said no, for
	// lack of time, so it is declined and its learner is proposed first to
	// someone else; the others wait for an answer.
	var declined *program.Connection
	for _, c := range conns[1:] {
		if declined == nil && c.Delivered(lifecycle.MessageConnection, c.Sharer) {
			declined = c
			a, ok := c.Answers[c.Sharer]
			if c.Status != program.StatusDeclined || !ok || a.Yes || a.Reason != program.ReasonTime {
				t.Errorf("%s is %s with the sharer's answer %+v (given: %v); want declined, the sharer's no for lack of time", c.ID, c.Status, a, ok)
			}
			continue
		}
		if c.Status != program.StatusNotified {
			t.Errorf("%s is %s, want notified (nobody of it answered)", c.ID, c.Status)
		}
	}
	if declined == nil {
		t.Fatalf("no connection after the first has its sharer told: the demo has no decline to show")
	}
	s.repaired(declined)
}

// repaired: the learners of the declined connection are proposed again,
// first, to another sharer, as the demo prints.
func (s *story) repaired(declined *program.Connection) {
	t := s.t
	title := s.prog.Root + "/Proposed connections"
	rows, _ := proposals.ParseProposals(title, s.page(title).Content, &program.Taxonomy{})
	var again []string
	for _, r := range rows {
		why := wikitext.Template{Params: r.Raw}.Map()["why"]
		if r.Status == program.StatusProposed && r.Sharer != declined.Sharer && slices.Contains(r.Learners, declined.Learners[0]) && strings.Contains(why, "last connection did not happen") {
			again = append(again, declined.Learners[0]+" → "+r.Sharer)
		}
	}
	if len(again) == 0 {
		t.Fatalf("%s's learner %s is not proposed again to another sharer with their declined connection as the reason", declined.ID, declined.Learners[0])
	}
	if !strings.Contains(s.out, "demo: after a sharer's no (time), proposed first with someone else: "+again[0]) {
		t.Errorf("make demo did not print the re-pairing %s", again[0])
	}
}

// theBestApproved: the rows the working group approved were the first
// 1:1 rows (the best) of the proposals page the bot had written, leaving
// out the participants' own requests (they need no approval).
func (s *story) theBestApproved(approved [][]string) {
	t := s.t
	title := s.prog.Root + "/Proposed connections"
	revs, err := s.reader.RevisionsAfter(context.Background(), title, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	for k, r := range revs {
		if r.User != demo.Coordinator || k == 0 {
			continue
		}
		before, _ := proposals.ParseProposals("", revs[k-1].Content, &program.Taxonomy{})
		var best []proposals.Proposal
		for _, p := range before {
			if p.Kind == match.OneToOne && p.Status == program.StatusProposed && len(best) < 3 && !s.requested(p.Sharer, p.Learners[0]) {
				best = append(best, p)
			}
		}
		for i, p := range best {
			if m := approved[i]; m[2] != p.Sharer || m[3] != strings.Join(p.Learners, ", ") {
				t.Errorf("approval %d is %s → %s; the %d. best 1:1 proposal was %s → %v", i+1, m[2], m[3], i+1, p.Sharer, p.Learners)
			}
		}
		return
	}
	t.Errorf("no revision of %s by %s, the working group's member", title, demo.Coordinator)
}

// outreach: the 29 participants registered since 2022-09-01 are
// welcomed, people are invited to the upcoming clinics and regional
// sessions (15 per learning space at most), all recorded on the
// invitations page; the report says what it brought.
func (s *story) outreach() {
	t := s.t
	rows := outreach.ParseOutreach(s.page(s.prog.Root + "/Invitations").Content)
	welcomes, invitations := 0, 0
	for _, r := range rows {
		switch r.Kind {
		case outreach.MessageWelcome:
			welcomes += len(r.Messages)
		case outreach.MessageInvitation:
			invitations += len(r.Messages)
			if len(r.Messages) > 15 {
				t.Errorf("%d invitations to %s; at most 15 per learning space", len(r.Messages), r.Title)
			}
		}
		for _, d := range r.Messages {
			if !s.hasMarker(d.User, program.MessageMarker(d.Key(r.ID))) {
				t.Errorf("the invitations page records a %s to %s, which is not on their talk page", d.Kind, d.User)
			}
		}
	}
	if welcomes != 29 || invitations == 0 {
		t.Errorf("%d welcomes and %d invitations recorded; README: 29 welcomes and invitations to the upcoming learning spaces", welcomes, invitations)
	}
	if report := s.page(s.prog.Root + "/Report").Content; !strings.Contains(report, "Bringing people in") {
		t.Error("the report has no section Bringing people in")
	}
}

// newsletter: the month's draft issue, in English, French, Spanish,
// Portuguese and Arabic, and the subscriber lists of the registrations
// with newsletter=yes.
func (s *story) newsletter() {
	t := s.t
	month := time.Now().UTC().Format("2006-01")
	for _, lang := range []string{"", "/fr", "/es", "/pt", "/ar"} {
		if p := s.page(s.prog.Root + "/Newsletter/" + month + lang); !p.Exists() {
			t.Errorf("no newsletter issue %s%s", month, lang)
		}
	}
	subscribers := 0
	for _, lang := range []string{"en", "fr", "es", "pt", "ar"} {
		targets := newsletter.ParseTargets(s.page(s.prog.Root + "/Newsletter/Subscribers/" + lang).Content)
		if len(targets) == 0 {
			t.Errorf("the newsletter's %s list has no subscriber", lang)
		}
		subscribers += len(targets)
	}
	want := 0
	for _, p := range s.prog.Pages {
		if strings.HasPrefix(p.Title, s.prog.Root+"/Participants/") && wantsNewsletter(p.Text) {
			want++
		}
	}
	if subscribers != want {
		t.Errorf("%d subscribers on the lists; %d active registrations ask for the newsletter", subscribers, want)
	}
}

// wantsNewsletter reports whether an active registration asks for the
// newsletter (newsletter=yes or a language).
func wantsNewsletter(text string) bool {
	for _, tpl := range wikitext.Templates(text) {
		if tpl.Name != program.TemplateRegistration {
			continue
		}
		v := strings.ToLower(strings.TrimSpace(tpl.Get("newsletter")))
		status := strings.ToLower(strings.TrimSpace(tpl.Get("status")))
		return v != "" && v != "no" && status != "paused"
	}
	return false
}

// badges: awarded by their rules, listed on the Recognition page, each
// holder congratulated once per badge, counted by the report.
func (s *story) badges() {
	t := s.t
	rows := recognition.ParseBadges(s.page(s.prog.Root + "/Recognition").Content)
	kinds := map[recognition.Badge]int{}
	perUser := map[string]int{}
	for _, r := range rows {
		kinds[r.Badge]++
		perUser[r.User]++
		if r.Congratulated == "" {
			t.Errorf("%s's %s badge is not congratulated", r.User, r.Badge)
		}
	}
	if len(rows) == 0 || kinds[recognition.BadgeClinicLeader] == 0 || kinds[recognition.BadgeResource] == 0 {
		t.Errorf("badges on the Recognition page: %v; want the demo's clinic leaders and resource sharers at least", kinds)
	}
	for user, n := range perUser {
		marker := `letsconnect-message: B-[0-9a-f]{10}/badge/` + regexp.QuoteMeta(user) + ` -->`
		if got := len(regexp.MustCompile(marker).FindAllString(s.page("User talk:"+user).Content, -1)); got != n {
			t.Errorf("%s holds %d badges and has %d congratulations", user, n, got)
		}
	}
	if !strings.Contains(s.page(s.prog.Root+"/Report").Content, string(recognition.BadgeClinicLeader)) &&
		!strings.Contains(s.page(s.prog.Root+"/Report").Content, "Clinic leader") {
		t.Error("the report does not count the badges")
	}
}

// requested reports whether learner asked sharer themselves, on their
// registration page.
func (s *story) requested(sharer, learner string) bool {
	for _, p := range s.prog.Pages {
		if p.Title != s.prog.Root+"/Participants/"+learner {
			continue
		}
		for _, tpl := range wikitext.Templates(p.Text) {
			if tpl.Name == program.TemplateRequest && strings.TrimSpace(tpl.Get("sharer")) == sharer {
				return true
			}
		}
	}
	return false
}

func (s *story) page(title string) *wiki.Page {
	s.t.Helper()
	p, err := s.reader.Page(context.Background(), title, wiki.ReadOptions{})
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

func (s *story) hasMarker(user, marker string) bool {
	return strings.Contains(s.page("User talk:"+user).Content, marker)
}

func (s *story) matches(user, pattern string) bool {
	return regexp.MustCompile(pattern).MatchString(s.page("User talk:" + user).Content)
}

// siteEdits is the wiki's count of edits (siteinfo statistics).
func (s *story) siteEdits() int {
	s.t.Helper()
	resp, err := http.Get(s.apiURL + "?action=query&meta=siteinfo&siprop=statistics&format=json&formatversion=2")
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Query struct {
			Statistics struct {
				Edits int `json:"edits"`
			} `json:"statistics"`
		} `json:"query"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		s.t.Fatal(err)
	}
	return body.Query.Statistics.Edits
}

// makeDemo runs `make demo` in the repository and returns what it printed.
func makeDemo(t *testing.T, repo string, environ []string) string {
	t.Helper()
	cmd := exec.Command("make", "--no-print-directory", "demo")
	cmd.Dir, cmd.Env = repo, environ
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make demo: %v\n%s", err, out)
	}
	return string(out)
}

// rerunCommands are the commands make demo prints to run the bot again.
func rerunCommands(out string) []string {
	var cmds []string
	after := false
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "Run it again with") {
			after = true
			continue
		}
		if after && strings.HasPrefix(line, "  ") && strings.Contains(line, "bin/letsconnect") {
			cmds = append(cmds, strings.TrimSpace(line))
		}
	}
	return cmds
}

// newcomersEnviron is environ as a newcomer's shell has it: no LC_, MW_
// or DEMO_ variable, nor this test run's DEVWIKI_TESTS or make's own.
func newcomersEnviron(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "LC_") || strings.HasPrefix(name, "MW_") || strings.HasPrefix(name, "DEMO_") ||
			name == devwiki.ModeVariable || name == "MAKEFLAGS" || name == "MAKELEVEL" {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func storyReader(t *testing.T, apiURL string) *wiki.Client {
	t.Helper()
	if _, err := url.Parse(apiURL); err != nil {
		t.Fatal(err)
	}
	c, err := wiki.New(wiki.Config{APIURL: apiURL, UserAgent: "letsconnect-test/0 (demo story)"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
