package sync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

const (
	ledgerPrefix = "Let's Connect/Connections/"
	optOutPage   = "Let's Connect/Opt-out"
	optOutCat    = "No Let's Connect messages"
	day1         = 24 * time.Hour
)

// lifecycleFixture is the engine fixture with Alice asking Bob for Bots
// (a request needs no approval), and the lifecycle configured.
func lifecycleFixture(t *testing.T) (*wikitest.Wiki, *Engine) {
	t.Helper()
	w := fixture(t)
	w.Write = true
	w.Put(prefix+"Alice", "Alice", w.Text(prefix+"Alice")+"\n{{Let's Connect request|sharer=Bob|skill=Bots}}\n")
	return w, withLifecycle(proposalsEngine(w))
}

// defaults is the bot's configuration with no variable set. The defaults
// are defined once, by the configuration's tags (internal/cli), and the
// domain uses what it is given as it is: the fixtures take the delays and
// the outreach numbers from here, so the golden plans are what the bot
// does with its default settings.
var defaults = func() cli.Config {
	cfg, err := cli.LoadConfig(map[string]string{})
	if err != nil {
		panic(err)
	}
	return cfg
}()

// withLifecycle configures the engine's connection lifecycle: the ledger,
// the opt-outs, the caps and the delays.
func withLifecycle(e *Engine) *Engine {
	e.Config.LedgerPrefix = ledgerPrefix
	e.Config.OptOutPage = optOutPage
	e.Config.OptOutCategory = optOutCat
	e.Config.MaxMessages = 50
	e.Config.MaxMessagesPerPerson = 4
	e.Config.ReminderDays = defaults.ReminderDays
	e.Config.NoResponseDays = defaults.NoResponseDays
	e.Config.CheckInDays = defaults.CheckInDays
	return e
}

func deliver(t *testing.T, e *Engine) DeliverySummary {
	t.Helper()
	sum, err := e.Deliver(context.Background())
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	return sum
}

// ledgerRows parses every ledger page of the fake wiki.
func ledgerRows(t *testing.T, w *wikitest.Wiki) []*domain.Connection {
	t.Helper()
	tx, _ := domain.ParseTaxonomy(taxonomyPage, taxonomyText)
	refs, _ := w.ListPrefix(context.Background(), ledgerPrefix)
	var out []*domain.Connection
	for _, r := range refs {
		rows, problems := domain.ParseLedger(r.Title, w.Text(r.Title), tx)
		if len(problems) > 0 {
			t.Fatalf("the bot's own ledger has problems: %v", problems)
		}
		out = append(out, rows...)
	}
	return out
}

func onlyRow(t *testing.T, w *wikitest.Wiki) *domain.Connection {
	t.Helper()
	rows := ledgerRows(t, w)
	if len(rows) != 1 {
		t.Fatalf("%d ledger rows, want 1", len(rows))
	}
	return rows[0]
}

// sections counts the bot's messages of a kind on a user's talk page.
func sections(w *wikitest.Wiki, user string, kind domain.MessageKind) int {
	return strings.Count(w.Text("User talk:"+user), "/"+string(kind)+"/"+user+" -->")
}

// reply appends a signed reply under the last section of a talk page.
func reply(w *wikitest.Wiki, page, user, text string) {
	w.Put(page, user, w.Text(page)+"\n:"+text+" "+wikitest.Signature(user, w.Now()))
}

// editRow changes a ledger row as a person would.
func editRow(t *testing.T, w *wikitest.Wiki, user, id, from, to string) {
	t.Helper()
	c := ledgerRows(t, w)[0]
	for _, r := range ledgerRows(t, w) {
		if r.ID == id {
			c = r
		}
	}
	text := w.Text(c.Page)
	lines := strings.Split(text, "\n")
	found := false
	for i, l := range lines {
		if strings.Contains(l, "|id="+id+"|") && strings.Contains(l, from) {
			lines[i], found = strings.Replace(l, from, to, 1), true
		}
	}
	if !found {
		t.Fatalf("no %q in the row %s:\n%s", from, id, text)
	}
	w.Put(c.Page, user, strings.Join(lines, "\n"))
}

func TestRequestIsNotifiedOnceInEachLanguage(t *testing.T) {
	w, e := lifecycleFixture(t)
	sum := deliver(t, e)
	c := onlyRow(t, w)
	if c.ProposedBy != domain.ByParticipant || c.Sharer != "Bob" || c.Learners[0] != "Alice" || c.Skill != "tech-bots" {
		t.Fatalf("ledger row %+v, want Alice's request to Bob for bots", c)
	}
	if c.Status != domain.StatusNotified || c.Dates[domain.StatusNotified] != dayOf(w.Now()) || c.Dates[domain.StatusApproved] == "" {
		t.Errorf("status %s with dates %v, want notified today", c.Status, c.Dates)
	}
	if sum.Posted != 2 || sections(w, "Alice", domain.MessageConnection) != 1 || sections(w, "Bob", domain.MessageConnection) != 1 {
		t.Fatalf("posted %d; talk pages:\n%s\n%s", sum.Posted, w.Text("User talk:Alice"), w.Text("User talk:Bob"))
	}
	alice, bob := w.Text("User talk:Alice"), w.Text("User talk:Bob")
	// Bob writes Spanish first: his message is in Spanish; Alice's Yorùbá
	// has no translation, so hers is in English.
	if !strings.Contains(bob, "Hola") || !strings.Contains(alice, "Hello Alice") {
		t.Errorf("messages not in the readers' languages:\n%s\n%s", alice, bob)
	}
	// What people need to say yes: who, the skill and levels, the common
	// language, hours in the reader's time zone, how to answer and opt out.
	for _, want := range []string{"[[User:Bob|Bob]]", "Bots", "advanced", "beginner", "English", "Africa/Lagos",
		"reply in this section", "optout=letsconnect", c.Page + "#" + c.ID, "[[User:" + botUser} {
		if !strings.Contains(alice, want) {
			t.Errorf("Alice's message lacks %q:\n%s", want, alice)
		}
	}
	if !strings.Contains(bob, "America/Lima") {
		t.Errorf("Bob's hours are not in his time zone:\n%s", bob)
	}
	// Lagos is UTC+1, Lima UTC-5: 08:00-20:00 in each overlap 13:00-19:00
	// UTC, which is 14:00-20:00 in Lagos.
	if c.Hours != "13:00–19:00 UTC" || !strings.Contains(alice, "14:00") || !strings.Contains(alice, "20:00") {
		t.Errorf("hours %q; Alice's message:\n%s", c.Hours, alice)
	}
	// Every later run, with nothing new, posts nothing and edits nothing.
	edits := w.Edits()
	for range 3 {
		if s := deliver(t, e); s.Posted != 0 || len(s.Added) != 0 {
			t.Fatalf("a run with nothing new posted %d, added %v", s.Posted, s.Added)
		}
	}
	if w.Edits() != edits {
		t.Error("runs with nothing new edited")
	}
}

// The lifecycle's delays are the configured ones, whatever they are: a
// reminder after LC_REMINDER_DAYS, the close LC_NO_RESPONSE_DAYS later,
// the check-in LC_CHECKIN_DAYS after accepting.
func TestLifecycleDelaysAreUsedAsConfigured(t *testing.T) {
	w, e := lifecycleFixture(t)
	e.Config.ReminderDays, e.Config.NoResponseDays, e.Config.CheckInDays = 1, 2, 3
	deliver(t, e)
	w.Advance(day1)
	deliver(t, e)
	if sections(w, "Alice", domain.MessageReminder) != 1 || sections(w, "Bob", domain.MessageReminder) != 1 {
		t.Fatal("no reminder a day after the message, with LC_REMINDER_DAYS=1")
	}
	w.Advance(day1)
	if deliver(t, e); onlyRow(t, w).Status != domain.StatusNotified {
		t.Fatal("closed a day after the reminder, with LC_NO_RESPONSE_DAYS=2")
	}
	w.Advance(day1)
	if deliver(t, e); onlyRow(t, w).Status != domain.StatusNoResponse {
		t.Fatal("not closed two days after the reminder, with LC_NO_RESPONSE_DAYS=2")
	}
	if text := w.Text("User talk:Alice"); !strings.Contains(text, "no answer within 3 days") {
		t.Errorf("the closing note does not count the 1 + 2 days:\n%s", text)
	}

	w, e = lifecycleFixture(t)
	e.Config.CheckInDays = 3
	deliver(t, e)
	reply(w, "User talk:Bob", "Bob", "Sí.")
	reply(w, "User talk:Alice", "Alice", "Yes.")
	deliver(t, e)
	w.Advance(2 * day1)
	if deliver(t, e).Posted != 0 {
		t.Fatal("a check-in 2 days after accepting, with LC_CHECKIN_DAYS=3")
	}
	w.Advance(day1)
	if deliver(t, e); sections(w, "Alice", domain.MessageCheckIn) != 1 {
		t.Error("no check-in 3 days after accepting, with LC_CHECKIN_DAYS=3")
	}
}

func TestRemindersNoResponseAndCheckIn(t *testing.T) {
	t.Run("nobody answers", func(t *testing.T) {
		w, e := lifecycleFixture(t)
		deliver(t, e)
		w.Advance(6 * day1)
		if s := deliver(t, e); s.Posted != 0 {
			t.Fatalf("a reminder after 6 days (want 7): %d posted", s.Posted)
		}
		w.Advance(day1)
		// Alice answers just before the reminders go out: only Bob gets one.
		reply(w, "User talk:Alice", "Alice", "Yes please!")
		s := deliver(t, e)
		if s.Responses != 1 || sections(w, "Bob", domain.MessageReminder) != 1 || sections(w, "Alice", domain.MessageReminder) != 0 {
			t.Fatalf("answers %d, reminders: Bob %d, Alice %d", s.Responses, sections(w, "Bob", domain.MessageReminder), sections(w, "Alice", domain.MessageReminder))
		}
		if c := onlyRow(t, w); c.Responses["Alice"] != dayOf(w.Now()) || c.Status != domain.StatusNotified {
			t.Errorf("row %+v, want Alice's answer recorded, still notified", c)
		}
		w.Advance(3 * day1)
		if s := deliver(t, e); s.Posted != 0 {
			t.Error("a second reminder")
		}
		w.Advance(4 * day1) // 14 days after the notification
		s = deliver(t, e)
		c := onlyRow(t, w)
		if c.Status != domain.StatusNoResponse || c.Dates[domain.StatusNoResponse] != dayOf(w.Now()) {
			t.Fatalf("status %s, want no-response: the sharer never answered", c.Status)
		}
		if sections(w, "Bob", domain.MessageNoResponse) != 1 || sections(w, "Alice", domain.MessageNoResponse) != 1 {
			t.Error("the closing message did not reach both")
		}
		w.Advance(30 * day1)
		if s := deliver(t, e); s.Posted != 0 || len(s.Transitions) != 0 {
			t.Errorf("a closed connection moved on: %+v", s)
		}
	})
	t.Run("both answer, then the check-in", func(t *testing.T) {
		w, e := lifecycleFixture(t)
		deliver(t, e)
		w.Advance(2 * day1)
		reply(w, "User talk:Bob", "Bob", "Con gusto.")
		// Alice answers on Bob's talk page, under his message: it counts.
		reply(w, "User talk:Bob", "Alice", "Great, thank you!")
		s := deliver(t, e)
		c := onlyRow(t, w)
		if c.Status != domain.StatusAccepted || len(c.Responses) != 2 || s.Responses != 2 {
			t.Fatalf("status %s, answers %v, want accepted by both", c.Status, c.Responses)
		}
		// They plan to meet in five days; the check-in comes the day after.
		planned := dayOf(w.Now().Add(5 * day1))
		editRow(t, w, "Alice", c.ID, "|planned=|", "|planned="+planned+"|")
		w.Advance(5 * day1)
		if s := deliver(t, e); s.Posted != 0 {
			t.Fatal("a check-in on the planned day")
		}
		w.Advance(day1)
		deliver(t, e)
		if sections(w, "Alice", domain.MessageCheckIn) != 1 || sections(w, "Bob", domain.MessageCheckIn) != 1 {
			t.Fatal("no check-in after the planned day")
		}
		if c := onlyRow(t, w); c.Planned != planned {
			t.Errorf("Alice's planned date was lost: %q", c.Planned)
		}
		// Bob marks it met; nothing more happens, and the bot keeps it.
		editRow(t, w, "Bob", c.ID, "|status=accepted|", "|status=met|")
		w.Advance(day1)
		s = deliver(t, e)
		c = onlyRow(t, w)
		if c.Status != domain.StatusMet || c.Dates[domain.StatusMet] != dayOf(w.Now()) || s.Posted != 0 {
			t.Errorf("row %+v after Bob set met; posted %d", c, s.Posted)
		}
	})
	t.Run("without a planned date the check-in waits 14 days", func(t *testing.T) {
		w, e := lifecycleFixture(t)
		deliver(t, e)
		reply(w, "User talk:Bob", "Bob", "Sí.")
		reply(w, "User talk:Alice", "Alice", "Yes.")
		deliver(t, e)
		w.Advance(13 * day1)
		if deliver(t, e).Posted != 0 {
			t.Fatal("check-in too early")
		}
		w.Advance(day1)
		if deliver(t, e).Posted != 2 {
			t.Fatal("no check-in 14 days after accepting")
		}
	})
	t.Run("a decline is kept", func(t *testing.T) {
		w, e := lifecycleFixture(t)
		deliver(t, e)
		editRow(t, w, "Bob", onlyRow(t, w).ID, "|status=notified|", "|status=declined|")
		w.Advance(20 * day1)
		if s := deliver(t, e); s.Posted != 0 || onlyRow(t, w).Status != domain.StatusDeclined {
			t.Errorf("after Bob declined: posted %d, status %s", s.Posted, onlyRow(t, w).Status)
		}
	})
}

func TestWorkingGroupApprovalIsNotified(t *testing.T) {
	w := fixture(t)
	w.Write = true
	e := proposalsEngine(w)
	e.Config.LedgerPrefix = ledgerPrefix
	run(t, e)
	if s := deliver(t, e); len(s.Added) != 0 || s.Posted != 0 {
		t.Fatal("proposals nobody approved were delivered")
	}
	// A participant's approval is not the working group's.
	setStatus(t, w, "Alice", "Bob", "Alice", domain.StatusApproved)
	if s := deliver(t, e); len(s.Added) != 0 {
		t.Fatal("Alice's own approval was used")
	}
	// Alice's approval left the row untrusted; the coordinator edits the
	// row to confirm (any edit of the row by the working group does).
	text := strings.Replace(w.Text(proposalsPage), "|status=approved|sharer=Bob|learners=Alice|", "|status=approved|note=confirmed|sharer=Bob|learners=Alice|", 1)
	w.Put(proposalsPage, coordinator, text)
	s := deliver(t, e)
	c := onlyRow(t, w)
	if len(s.Added) != 1 || c.ProposedBy != domain.ByBot || c.Dates[domain.StatusProposed] == "" || c.Status != domain.StatusNotified || s.Posted != 2 {
		t.Fatalf("summary %+v, row %+v", s, c)
	}
}

func TestNobodyIsMessagedAgainstTheirWishes(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(w *wikitest.Wiki)
		reason string
	}{
		{"nobots", func(w *wikitest.Wiki) { w.Put("User talk:Bob", "Bob", "{{nobots}}") }, "nobots"},
		{"bots optout", func(w *wikitest.Wiki) { w.Put("User talk:Bob", "Bob", "{{bots|optout=letsconnect}}") }, "optout"},
		{"bots deny", func(w *wikitest.Wiki) { w.Put("User talk:Bob", "Bob", "{{bots|deny="+botUser+"}}") }, "deny"},
		{"category", func(w *wikitest.Wiki) { w.Put("User talk:Bob", "Bob", "[[Category:"+optOutCat+"]]") }, optOutCat},
		{"opt-out list", func(w *wikitest.Wiki) { w.Put(optOutPage, "Bob", "* [[User:Bob]]") }, optOutPage},
		{"missing user", func(w *wikitest.Wiki) { w.RemoveUser("Bob") }, "no such user"},
		{"blocked user", func(w *wikitest.Wiki) { w.Block("Bob", "spam") }, "blocked"},
		{"not wikitext", func(w *wikitest.Wiki) {
			w.Put("User talk:Bob", "Bob", "{}")
			w.SetContentModel("User talk:Bob", "flow-board")
		}, "flow-board"},
		{"redirect outside user talk", func(w *wikitest.Wiki) { w.Put("User talk:Bob", "Bob", "#REDIRECT [[Help:Contents]]") }, "outside user talk"},
		{"paused registration", func(w *wikitest.Wiki) {
			w.Put(prefix+"Bob", "Bob", strings.Replace(w.Text(prefix+"Bob"), "{{Let's Connect registration", "{{Let's Connect registration\n|status=paused", 1))
		}, "paused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, e := lifecycleFixture(t)
			tc.setup(w)
			before := w.Text("User talk:Bob")
			s := deliver(t, e)
			if w.Text("User talk:Bob") != before {
				t.Fatalf("Bob's talk page changed:\n%s", w.Text("User talk:Bob"))
			}
			c := onlyRow(t, w)
			if !strings.Contains(c.NotMessaged["Bob"], tc.reason) || len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0], tc.reason) {
				t.Errorf("recorded %q and skipped %v, want %q", c.NotMessaged["Bob"], s.Skipped, tc.reason)
			}
			// Alice still gets hers; the connection is notified (Bob's
			// silence leads to no-response in time).
			if sections(w, "Alice", domain.MessageConnection) != 1 || c.Status != domain.StatusNotified {
				t.Errorf("Alice's message: %d, status %s", sections(w, "Alice", domain.MessageConnection), c.Status)
			}
			w.Advance(7 * day1)
			deliver(t, e)
			if w.Text("User talk:Bob") != before {
				t.Error("Bob got a reminder")
			}
		})
	}
}

// The opt-out list counts the links a reader sees, by wikitext.UserLinks'
// rule (docs/lifecycle.md): through a delivery, a link to Bob in a
// comment, <nowiki>, <pre> or <includeonly>, or to a subpage of his, keeps
// nobody from messaging him; any spelling of a link to his user or talk
// page does.
func TestOptOutListCountsTheLinksShown(t *testing.T) {
	for _, tc := range []struct {
		list     string
		optedOut bool
	}{
		{"<!-- * [[User:Bob]] -->", false},
		{"<!--\n* [[User:Bob]]\n-->", false},
		{"<nowiki>* [[User:Bob]]</nowiki>", false},
		{"<pre>\n* [[User:Bob]]\n</pre>", false},
		{"<includeonly>* [[User:Bob]]</includeonly>", false},
		{"* [[User:Bob/Why I left]]", false},
		{"* [[User:Bob]]", true},
		{"* [[user:bob|B.]]", true},
		{"* [[:User:Bob]]", true},
		{"* [[User_talk:Bob#Opt-out]]", true},
		{"# [[User:Bob|Bob]] ([[User talk:Bob|talk]]) 10:00, 1 December 2026 (UTC)", true},
		{"<!-- the list --> <nowiki>[[User:Alice]]</nowiki>\n* [[User:Bob]]", true},
	} {
		t.Run(tc.list, func(t *testing.T) {
			w, e := lifecycleFixture(t)
			w.Put(optOutPage, "Bob", tc.list)
			s := deliver(t, e)
			c := onlyRow(t, w)
			skipped := strings.Contains(c.NotMessaged["Bob"], optOutPage)
			if got := sections(w, "Bob", domain.MessageConnection); skipped != tc.optedOut || got != map[bool]int{false: 1, true: 0}[tc.optedOut] {
				t.Errorf("opted out: %v (recorded %q, skipped %v), %d messages to Bob; want opted out %v", skipped, c.NotMessaged["Bob"], s.Skipped, got, tc.optedOut)
			}
			if sections(w, "Alice", domain.MessageConnection) != 1 {
				t.Error("Alice, on no list, got no message")
			}
		})
	}
}

func TestRenamedUserGetsTheMessageWhereTheirTalkPageRedirects(t *testing.T) {
	w, e := lifecycleFixture(t)
	w.Put("User talk:Bob", "Bob", "#REDIRECT [[User talk:Roberto]]")
	deliver(t, e)
	got := w.Text("User talk:Roberto")
	if !strings.Contains(got, "/connection/Bob -->") || !strings.Contains(got, "User talk:Roberto") || !strings.Contains(got, "Bob") {
		t.Fatalf("the message did not follow the redirect, or does not say so:\n%s", got)
	}
	if w.Text("User talk:Bob") != "#REDIRECT [[User talk:Roberto]]" {
		t.Error("the redirect itself was edited")
	}
	// A reply there counts, and the next run posts nothing twice.
	reply(w, "User talk:Roberto", "Bob", "Sí.")
	if s := deliver(t, e); s.Posted != 0 || onlyRow(t, w).Responses["Bob"] == "" {
		t.Errorf("posted %d, answers %v", s.Posted, onlyRow(t, w).Responses)
	}
}

func TestCapsPerRunAndPerPerson(t *testing.T) {
	t.Run("over the run's cap nothing is sent", func(t *testing.T) {
		w, e := lifecycleFixture(t)
		e.Config.MaxMessages = 1
		edits := w.Edits()
		_, err := e.Deliver(context.Background())
		// Alice's request to Bob, and Zed's registration problems.
		if !errors.Is(err, ErrTooManyMessages) || !strings.Contains(err.Error(), "3 messages planned") {
			t.Fatalf("err %v, want ErrTooManyMessages saying 3 planned", err)
		}
		if w.Edits() != edits {
			t.Error("something was written")
		}
		e.Config.MaxMessages = 3
		if s := deliver(t, e); s.Posted != 2 || s.Notices != 1 {
			t.Error("not sent once the cap allows it")
		}
	})
	t.Run("a person's monthly cap defers", func(t *testing.T) {
		w, e := lifecycleFixture(t)
		e.Config.MaxMessagesPerPerson = 1
		// Alice also asks Chidi for nothing he shares; asks Bob for
		// nothing else. Add a second request: Bob asks Alice for grants.
		w.Put(prefix+"Bob", "Bob", w.Text(prefix+"Bob")+"\n{{Let's Connect request|sharer=Alice|skill=grants}}\n")
		s := deliver(t, e)
		if s.Posted != 2 || s.Deferred != 2 {
			t.Fatalf("posted %d, deferred %d; want one message each now, one each later", s.Posted, s.Deferred)
		}
		// Next month the rest goes.
		now := w.Now()
		w.Advance(time.Date(now.Year(), now.Month()+1, 1, 12, 0, 0, 0, time.UTC).Sub(now))
		if s := deliver(t, e); s.Posted != 2 {
			t.Errorf("next month posted %d, want 2", s.Posted)
		}
	})
}

func TestStoppedRunNeverPostsTwice(t *testing.T) {
	w, e := lifecycleFixture(t)
	// The run posts to Alice, then fails before Bob; its ledger edit is
	// lost too (as when the process is killed).
	posted := 0
	w.BeforeSection = func(title string) error {
		if posted == 1 {
			return errors.New("killed")
		}
		posted++
		return nil
	}
	e.Deliver(context.Background())
	w.Delete(ledgerPrefix + fmt.Sprint(w.Now().Year()))
	w.BeforeSection = nil
	s := deliver(t, e)
	if s.Found != 1 || s.Posted != 1 {
		t.Errorf("found %d on talk pages, posted %d; want 1 and 1", s.Found, s.Posted)
	}
	for _, u := range []string{"Alice", "Bob"} {
		if n := sections(w, u, domain.MessageConnection); n != 1 {
			t.Errorf("%s has %d messages", u, n)
		}
	}
	if c := onlyRow(t, w); len(c.Messages) != 2 || c.Status != domain.StatusNotified {
		t.Errorf("ledger %+v", c)
	}
}

func TestLedgerEditsOnlyTheWorkingGroupMayMake(t *testing.T) {
	w, e := lifecycleFixture(t)
	deliver(t, e)
	id := onlyRow(t, w).ID
	// Chidi, not part of it, marks it met; the bot keeps his edit, marks
	// it unconfirmed and stops acting on the row.
	editRow(t, w, "Chidi", id, "|status=notified|", "|status=met|")
	w.Advance(7 * day1)
	s := deliver(t, e)
	c := onlyRow(t, w)
	if c.Status != domain.StatusMet || c.Unconfirmed != "Chidi" || s.Posted != 0 {
		t.Fatalf("row %+v, posted %d", c, s.Posted)
	}
	run(t, e) // the sync run lists it on the problems page
	if !strings.Contains(w.Text(problemsPage), "Chidi changed the connection "+id) {
		t.Errorf("the problems page does not say whose change is not used:\n%s", w.Text(problemsPage))
	}
	// A row someone outside the working group adds is not acted on.
	page := onlyRow(t, w).Page
	w.Put(page, "Zed", w.Text(page)+"\n{{Let's Connect connection|status=approved|sharer=Zed|learners=Alice|skill=Bots}}")
	if s := deliver(t, e); s.Posted != 0 {
		t.Fatalf("Zed's row made the bot post %d messages", s.Posted)
	}
	// The coordinator confirms Chidi's change by editing the row.
	editRow(t, w, coordinator, id, "|unconfirmed=Chidi", "")
	deliver(t, e)
	for _, c := range ledgerRows(t, w) {
		if c.ID == id && c.Unconfirmed != "" {
			t.Fatalf("the coordinator's edit did not confirm: %+v", c)
		}
		if c.Sharer == "Zed" && c.Unconfirmed != "Zed" {
			t.Errorf("Zed's row is not marked unconfirmed: %+v", c)
		}
	}
}

func TestLedgerSplitsPagesBySizeWithinAYear(t *testing.T) {
	w, e := lifecycleFixture(t)
	e.Config.LedgerPageBytes = 300
	w.Put(prefix+"Bob", "Bob", w.Text(prefix+"Bob")+"\n{{Let's Connect request|sharer=Alice|skill=grants}}\n")
	deliver(t, e)
	year := fmt.Sprint(w.Now().Year())
	if w.Text(ledgerPrefix+year) == "" || w.Text(ledgerPrefix+year+"/2") == "" {
		t.Fatalf("want two pages for %s", year)
	}
	if rows := ledgerRows(t, w); len(rows) != 2 || rows[0].Page == rows[1].Page {
		t.Fatalf("rows %v", rows)
	}
	// Next year's connections go on next year's page.
	now := w.Now()
	w.Advance(time.Date(now.Year()+1, 1, 2, 0, 0, 0, 0, time.UTC).Sub(now))
	w.Put(prefix+"Dana", "Dana", registration(map[string]string{
		"region": "MEA", "country": "Kenya", "languages": "en-3", "timezone": "Africa/Nairobi", "learn": "Bots",
	})+"\n{{Let's Connect request|sharer=Bob|skill=Bots}}\n")
	deliver(t, e)
	if !strings.Contains(w.Text(ledgerPrefix+fmt.Sprint(now.Year()+1)), "learners=Dana") {
		t.Errorf("next year's page:\n%s", w.Text(ledgerPrefix+fmt.Sprint(now.Year()+1)))
	}
}

func TestLateRunRemindsBeforeClosing(t *testing.T) {
	w, e := lifecycleFixture(t)
	deliver(t, e)
	// The bot did not run for three weeks: it reminds first, and closes
	// only a full wait after the reminder.
	w.Advance(21 * day1)
	if s := deliver(t, e); s.Posted != 2 || len(s.Transitions) != 0 {
		t.Fatalf("posted %d, transitions %v; want two reminders and no closing", s.Posted, s.Transitions)
	}
	w.Advance(6 * day1)
	deliver(t, e)
	if onlyRow(t, w).Status != domain.StatusNotified {
		t.Fatal("closed before a full wait after the reminder")
	}
	w.Advance(day1)
	deliver(t, e)
	if onlyRow(t, w).Status != domain.StatusNoResponse {
		t.Fatal("not closed a full wait after the reminder")
	}
}

func TestRequestTheWorkingGroupAlsoApprovedIsOneConnection(t *testing.T) {
	w, e := lifecycleFixture(t)
	run(t, e) // the matcher proposes Alice's request first
	setStatus(t, w, coordinator, "Bob", "Alice", domain.StatusApproved)
	s := deliver(t, e)
	c := onlyRow(t, w)
	if c.ProposedBy != domain.ByParticipant || s.Posted != 2 {
		t.Fatalf("row %+v, posted %d; want one connection, proposed by Alice", c, s.Posted)
	}
	// Once on the ledger, the pair is neither proposed nor requested again.
	w2, e2 := lifecycleFixture(t)
	deliver(t, e2)
	run(t, e2)
	for _, p := range rowsOf(t, w2)[domain.StatusProposed] {
		if p.Sharer == "Bob" && p.Learners[0] == "Alice" {
			t.Errorf("the requested pair under way is proposed again: %+v", p)
		}
	}
}

func TestParticipantsAreToldTheirRegistrationProblemsOnce(t *testing.T) {
	w, e := lifecycleFixture(t)
	s := deliver(t, e)
	zed := w.Text("User talk:Zed")
	if s.Notices != 1 || strings.Count(zed, "/problems/Zed -->") != 1 {
		t.Fatalf("notices %d; Zed's talk page:\n%s", s.Notices, zed)
	}
	for _, want := range []string{"Atlantis", "<code>region</code>", "Underwater basket weaving", "[[" + prefix + "Zed]]", "[[" + problemsPage + "]]"} {
		if !strings.Contains(zed, want) {
			t.Errorf("the notice lacks %q:\n%s", want, zed)
		}
	}
	// Nothing new, nothing said; Alice's valid registration hears nothing.
	if s := deliver(t, e); s.Notices != 0 {
		t.Error("told twice about the same problems")
	}
	if strings.Contains(w.Text("User talk:Alice"), "/problems/") {
		t.Error("Alice was told about problems she does not have")
	}
	// Zed fixes his region: the problems left are told again.
	w.Put(prefix+"Zed", "Zed", strings.Replace(w.Text(prefix+"Zed"), "Atlantis", "MEA", 1))
	if s := deliver(t, e); s.Notices != 1 || strings.Count(w.Text("User talk:Zed"), "/problems/Zed -->") != 2 {
		t.Errorf("after a change: %d notices", s.Notices)
	}
	// An opted-out participant is not told.
	w.Put("User talk:Zed", "Zed", "{{nobots}}")
	w.Put(prefix+"Zed", "Zed", strings.Replace(w.Text(prefix+"Zed"), "MEA", "Atlantis", 1))
	if s := deliver(t, e); s.Notices != 0 {
		t.Error("an opted-out participant was told")
	}
}

func TestMessagePostedMeanwhileIsNotPostedAgain(t *testing.T) {
	w, e := lifecycleFixture(t)
	// Another copy of the bot posts Alice's message after this run read
	// the talk pages, just before this run posts it.
	w.BeforeSection = func(title string) error {
		if title == "User talk:Alice" && !strings.Contains(w.Text(title), "/connection/Alice -->") {
			w.BeforeSection = nil
			id := domain.RequestID(ledgerPrefix, domain.Proposal{Sharer: "Bob", Learners: []string{"Alice"}, Skill: "tech-bots"}.Key())
			w.Put(title, botUser, "== Hi ==\n"+domain.MessageMarker(id+"/connection/Alice"))
		}
		return nil
	}
	s := deliver(t, e)
	if sections(w, "Alice", domain.MessageConnection) != 1 || s.Found != 1 || s.Posted != 1 {
		t.Errorf("Alice has %d messages; found %d, posted %d", sections(w, "Alice", domain.MessageConnection), s.Found, s.Posted)
	}
	if c := onlyRow(t, w); len(c.Messages) != 2 || c.Status != domain.StatusNotified {
		t.Errorf("ledger %+v", c)
	}
}

func TestApprovedAndDeliveredPairsCountOnceForTheMatcher(t *testing.T) {
	w, e := lifecycleFixture(t)
	// Bob can take one connection a month; the working group approves
	// his request from Alice on the proposals page too.
	w.Put(prefix+"Bob", "Bob", strings.Replace(w.Text(prefix+"Bob"), "{{Let's Connect registration", "{{Let's Connect registration\n|capacity=1", 1))
	run(t, e)
	setStatus(t, w, coordinator, "Bob", "Alice", domain.StatusApproved)
	deliver(t, e)
	// The next sync sees the pair both approved and on the ledger: once.
	sum, err := e.Run(context.Background(), "")
	if err != nil || len(sum.TaskErrors) > 0 {
		t.Fatalf("sync after delivery: %v", err)
	}
}

func TestStoppingFinishesTheEditInFlightAndStartsNothing(t *testing.T) {
	// Delivery: the service is told to stop while the first message is
	// being posted: that one lands, no other starts, and the next run
	// (the service started again) posts the rest once.
	w, e := lifecycleFixture(t)
	ctx, stop := context.WithCancel(context.Background())
	posts := 0
	w.BeforeSection = func(string) error {
		posts++
		stop()
		return nil
	}
	e.Deliver(ctx)
	if posts != 1 {
		t.Fatalf("%d posts started after the stop, want only the one in flight", posts)
	}
	w.BeforeSection = nil
	s := deliver(t, e)
	if sections(w, "Alice", domain.MessageConnection)+sections(w, "Bob", domain.MessageConnection) != 2 || s.Found != 1 {
		t.Errorf("after restarting: found %d, posted %d", s.Found, s.Posted)
	}
	// Sync: a stopped context starts no edit at all.
	w2, e2 := calendarFixture(t)
	ctx2, stop2 := context.WithCancel(context.Background())
	stop2()
	edits := w2.Edits()
	if _, err := e2.Apply(ctx2, []domain.PageChange{{Task: "t", Title: calendarPage, Text: "x"}}); !errors.Is(err, context.Canceled) || w2.Edits() != edits {
		t.Errorf("Apply after the stop: %v, %d edits", err, w2.Edits()-edits)
	}
}

// dayOf writes a time's day, as the ledger does.
func dayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// A skill translated on the taxonomy is named in the reader's language;
// a reader whose language has no translation gets the English name.
func TestMessagesNameTheSkillInTheReadersLanguage(t *testing.T) {
	w, e := lifecycleFixture(t)
	w.Put(taxonomyPage, coordinator, strings.Replace(taxonomyText, "name=Bots|", "name=Bots|name-es=Bots de edición|name-fr=Robots|", 1))
	deliver(t, e)
	alice, bob := w.Text("User talk:Alice"), w.Text("User talk:Bob")
	if !strings.Contains(bob, "'''Bots de edición'''") || strings.Contains(alice, "Robots") || !strings.Contains(alice, "'''Bots'''") {
		t.Errorf("skill names: Bob (Spanish):\n%s\nAlice (English):\n%s", bob, alice)
	}
}
