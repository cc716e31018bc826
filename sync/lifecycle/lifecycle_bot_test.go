package lifecycle_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

func TestRequestIsNotifiedOnceInEachLanguage(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	sum := bottest.Deliver(t, e)
	c := bottest.OnlyRow(t, w)
	if c.ProposedBy != program.ByParticipant || c.Sharer != "Bob" || c.Learners[0] != "Alice" || c.Skill != "tech-bots" {
		t.Fatalf("ledger row %+v, want Alice's request to Bob for bots", c)
	}
	if c.Status != program.StatusNotified || c.Dates[program.StatusNotified] != bottest.DayOf(w.Now()) || c.Dates[program.StatusApproved] == "" {
		t.Errorf("status %s with dates %v, want notified today", c.Status, c.Dates)
	}
	if sum.Count("posted") != 2 || bottest.Sections(w, "Alice", lifecycle.MessageConnection) != 1 || bottest.Sections(w, "Bob", lifecycle.MessageConnection) != 1 {
		t.Fatalf("posted %d; talk pages:\n%s\n%s", sum.Count("posted"), w.Text("User talk:Alice"), w.Text("User talk:Bob"))
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
		"{{Let's Connect answer|yes}}", "optout=letsconnect", c.Page + "#" + c.ID, "[[User:" + bottest.BotUser} {
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
		if s := bottest.Deliver(t, e); s.Count("posted") != 0 || s.Count("added") != 0 {
			t.Fatalf("a run with nothing new posted %d, added %d", s.Count("posted"), s.Count("added"))
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
	w, e := bottest.LifecycleFixture(t)
	e.Config.Lifecycle.ReminderDays, e.Config.Lifecycle.NoResponseDays, e.Config.Lifecycle.CheckInDays = 1, 2, 3
	bottest.Deliver(t, e)
	w.Advance(bottest.OneDay)
	bottest.Deliver(t, e)
	if bottest.Sections(w, "Alice", lifecycle.MessageReminder) != 1 || bottest.Sections(w, "Bob", lifecycle.MessageReminder) != 1 {
		t.Fatal("no reminder a day after the message, with LC_REMINDER_DAYS=1")
	}
	w.Advance(bottest.OneDay)
	if bottest.Deliver(t, e); bottest.OnlyRow(t, w).Status != program.StatusNotified {
		t.Fatal("closed a day after the reminder, with LC_NO_RESPONSE_DAYS=2")
	}
	w.Advance(bottest.OneDay)
	if bottest.Deliver(t, e); bottest.OnlyRow(t, w).Status != program.StatusNoResponse {
		t.Fatal("not closed two days after the reminder, with LC_NO_RESPONSE_DAYS=2")
	}
	if text := w.Text("User talk:Alice"); !strings.Contains(text, "no answer within 3 days") {
		t.Errorf("the closing note does not count the 1 + 2 days:\n%s", text)
	}

	w, e = bottest.LifecycleFixture(t)
	e.Config.Lifecycle.CheckInDays = 3
	bottest.Deliver(t, e)
	bottest.Answer(w, "User talk:Bob", "Bob", "yes")
	bottest.Answer(w, "User talk:Alice", "Alice", "yes")
	bottest.Deliver(t, e)
	w.Advance(2 * bottest.OneDay)
	if bottest.Deliver(t, e).Count("posted") != 0 {
		t.Fatal("a check-in 2 days after accepting, with LC_CHECKIN_DAYS=3")
	}
	w.Advance(bottest.OneDay)
	if bottest.Deliver(t, e); bottest.Sections(w, "Alice", lifecycle.MessageCheckIn) != 1 {
		t.Error("no check-in 3 days after accepting, with LC_CHECKIN_DAYS=3")
	}
}

func TestRemindersNoResponseAndCheckIn(t *testing.T) {
	t.Run("nobody answers", func(t *testing.T) {
		w, e := bottest.LifecycleFixture(t)
		bottest.Deliver(t, e)
		w.Advance(6 * bottest.OneDay)
		if s := bottest.Deliver(t, e); s.Count("posted") != 0 {
			t.Fatalf("a reminder after 6 days (want 7): %d posted", s.Count("posted"))
		}
		w.Advance(bottest.OneDay)
		// Alice answers just before the reminders go out: only Bob gets one.
		bottest.Answer(w, "User talk:Alice", "Alice", "yes")
		s := bottest.Deliver(t, e)
		if s.Count("answers") != 1 || bottest.Sections(w, "Bob", lifecycle.MessageReminder) != 1 || bottest.Sections(w, "Alice", lifecycle.MessageReminder) != 0 {
			t.Fatalf("answers %d, reminders: Bob %d, Alice %d", s.Count("answers"), bottest.Sections(w, "Bob", lifecycle.MessageReminder), bottest.Sections(w, "Alice", lifecycle.MessageReminder))
		}
		if c := bottest.OnlyRow(t, w); c.Responses["Alice"] != bottest.DayOf(w.Now()) || c.Status != program.StatusNotified {
			t.Errorf("row %+v, want Alice's answer recorded, still notified", c)
		}
		w.Advance(3 * bottest.OneDay)
		if s := bottest.Deliver(t, e); s.Count("posted") != 0 {
			t.Error("a second reminder")
		}
		w.Advance(4 * bottest.OneDay) // 14 days after the notification
		bottest.Deliver(t, e)
		c := bottest.OnlyRow(t, w)
		if c.Status != program.StatusNoResponse || c.Dates[program.StatusNoResponse] != bottest.DayOf(w.Now()) {
			t.Fatalf("status %s, want no-response: the sharer never answered", c.Status)
		}
		if bottest.Sections(w, "Bob", lifecycle.MessageNoResponse) != 1 || bottest.Sections(w, "Alice", lifecycle.MessageNoResponse) != 1 {
			t.Error("the closing message did not reach both")
		}
		w.Advance(30 * bottest.OneDay)
		if s := bottest.Deliver(t, e); s.Count("posted") != 0 || s.Count("transitions") != 0 {
			t.Errorf("a closed connection moved on: %+v", s)
		}
	})
	t.Run("both answer, then the check-in", func(t *testing.T) {
		w, e := bottest.LifecycleFixture(t)
		bottest.Deliver(t, e)
		w.Advance(2 * bottest.OneDay)
		bottest.Answer(w, "User talk:Bob", "Bob", "yes")
		// Alice answers on Bob's talk page, under his message: it counts.
		bottest.Answer(w, "User talk:Bob", "Alice", "yes")
		s := bottest.Deliver(t, e)
		c := bottest.OnlyRow(t, w)
		if c.Status != program.StatusAccepted || len(c.Responses) != 2 || s.Count("answers") != 2 {
			t.Fatalf("status %s, answers %v, want accepted by both", c.Status, c.Responses)
		}
		// They plan to meet in five days; the check-in comes the day after.
		planned := bottest.DayOf(w.Now().Add(5 * bottest.OneDay))
		bottest.EditRow(t, w, "Alice", c.ID, "|planned=|", "|planned="+planned+"|")
		w.Advance(5 * bottest.OneDay)
		if s := bottest.Deliver(t, e); s.Count("posted") != 0 {
			t.Fatal("a check-in on the planned day")
		}
		w.Advance(bottest.OneDay)
		bottest.Deliver(t, e)
		if bottest.Sections(w, "Alice", lifecycle.MessageCheckIn) != 1 || bottest.Sections(w, "Bob", lifecycle.MessageCheckIn) != 1 {
			t.Fatal("no check-in after the planned day")
		}
		if c := bottest.OnlyRow(t, w); c.Planned != planned {
			t.Errorf("Alice's planned date was lost: %q", c.Planned)
		}
		// Bob marks it met; nothing more happens, and the bot keeps it.
		bottest.EditRow(t, w, "Bob", c.ID, "|status=accepted|", "|status=met|")
		w.Advance(bottest.OneDay)
		s = bottest.Deliver(t, e)
		c = bottest.OnlyRow(t, w)
		if c.Status != program.StatusMet || c.Dates[program.StatusMet] != bottest.DayOf(w.Now()) || s.Count("posted") != 0 {
			t.Errorf("row %+v after Bob set met; posted %d", c, s.Count("posted"))
		}
	})
	t.Run("without a planned date the check-in waits 14 days", func(t *testing.T) {
		w, e := bottest.LifecycleFixture(t)
		bottest.Deliver(t, e)
		bottest.Answer(w, "User talk:Bob", "Bob", "yes")
		bottest.Answer(w, "User talk:Alice", "Alice", "yes")
		bottest.Deliver(t, e)
		w.Advance(13 * bottest.OneDay)
		if bottest.Deliver(t, e).Count("posted") != 0 {
			t.Fatal("check-in too early")
		}
		w.Advance(bottest.OneDay)
		if bottest.Deliver(t, e).Count("posted") != 2 {
			t.Fatal("no check-in 14 days after accepting")
		}
	})
	t.Run("a decline is kept", func(t *testing.T) {
		w, e := bottest.LifecycleFixture(t)
		bottest.Deliver(t, e)
		bottest.EditRow(t, w, "Bob", bottest.OnlyRow(t, w).ID, "|status=notified|", "|status=declined|")
		w.Advance(20 * bottest.OneDay)
		if s := bottest.Deliver(t, e); s.Count("posted") != 0 || bottest.OnlyRow(t, w).Status != program.StatusDeclined {
			t.Errorf("after Bob declined: posted %d, status %s", s.Count("posted"), bottest.OnlyRow(t, w).Status)
		}
	})
}

func TestWorkingGroupApprovalIsNotified(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	e.Config.Lifecycle.LedgerPrefix = bottest.LedgerPrefix
	bottest.Run(t, e)
	if s := bottest.Deliver(t, e); s.Count("added") != 0 || s.Count("posted") != 0 {
		t.Fatal("proposals nobody approved were delivered")
	}
	// A participant's approval is not the working group's.
	bottest.SetStatus(t, w, "Alice", "Bob", "Alice", program.StatusApproved)
	if s := bottest.Deliver(t, e); s.Count("added") != 0 {
		t.Fatal("Alice's own approval was used")
	}
	// Alice's approval left the row untrusted; the coordinator edits the
	// row to confirm (any edit of the row by the working group does).
	text := strings.Replace(w.Text(bottest.ProposalsPage), "|status=approved|sharer=Bob|learners=Alice|", "|status=approved|note=confirmed|sharer=Bob|learners=Alice|", 1)
	w.Put(bottest.ProposalsPage, bottest.Coordinator, text)
	s := bottest.Deliver(t, e)
	c := bottest.OnlyRow(t, w)
	if s.Count("added") != 1 || c.ProposedBy != program.ByBot || c.Dates[program.StatusProposed] == "" || c.Status != program.StatusNotified || s.Count("posted") != 2 {
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
		{"bots deny", func(w *wikitest.Wiki) { w.Put("User talk:Bob", "Bob", "{{bots|deny="+bottest.BotUser+"}}") }, "deny"},
		{"category", func(w *wikitest.Wiki) { w.Put("User talk:Bob", "Bob", "[[Category:"+bottest.OptOutCategory+"]]") }, bottest.OptOutCategory},
		{"opt-out list", func(w *wikitest.Wiki) { w.Put(bottest.OptOutPage, "Bob", "* [[User:Bob]]") }, bottest.OptOutPage},
		{"missing user", func(w *wikitest.Wiki) { w.RemoveUser("Bob") }, "no such user"},
		{"blocked user", func(w *wikitest.Wiki) { w.Block("Bob", "spam") }, "blocked"},
		{"not wikitext", func(w *wikitest.Wiki) {
			w.Put("User talk:Bob", "Bob", "{}")
			w.SetContentModel("User talk:Bob", "flow-board")
		}, "flow-board"},
		{"redirect outside user talk", func(w *wikitest.Wiki) { w.Put("User talk:Bob", "Bob", "#REDIRECT [[Help:Contents]]") }, "outside user talk"},
		{"paused registration", func(w *wikitest.Wiki) {
			w.Put(bottest.Prefix+"Bob", "Bob", strings.Replace(w.Text(bottest.Prefix+"Bob"), "{{Let's Connect registration", "{{Let's Connect registration\n|status=paused", 1))
		}, "paused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, e := bottest.LifecycleFixture(t)
			tc.setup(w)
			before := w.Text("User talk:Bob")
			s := bottest.Deliver(t, e)
			if w.Text("User talk:Bob") != before {
				t.Fatalf("Bob's talk page changed:\n%s", w.Text("User talk:Bob"))
			}
			c := bottest.OnlyRow(t, w)
			if !strings.Contains(c.NotMessaged["Bob"], tc.reason) || len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0], tc.reason) {
				t.Errorf("recorded %q and skipped %v, want %q", c.NotMessaged["Bob"], s.Skipped, tc.reason)
			}
			// Alice still gets hers; the connection is notified (Bob's
			// silence leads to no-response in time).
			if bottest.Sections(w, "Alice", lifecycle.MessageConnection) != 1 || c.Status != program.StatusNotified {
				t.Errorf("Alice's message: %d, status %s", bottest.Sections(w, "Alice", lifecycle.MessageConnection), c.Status)
			}
			w.Advance(7 * bottest.OneDay)
			bottest.Deliver(t, e)
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
			w, e := bottest.LifecycleFixture(t)
			w.Put(bottest.OptOutPage, "Bob", tc.list)
			s := bottest.Deliver(t, e)
			c := bottest.OnlyRow(t, w)
			skipped := strings.Contains(c.NotMessaged["Bob"], bottest.OptOutPage)
			if got := bottest.Sections(w, "Bob", lifecycle.MessageConnection); skipped != tc.optedOut || got != map[bool]int{false: 1, true: 0}[tc.optedOut] {
				t.Errorf("opted out: %v (recorded %q, skipped %v), %d messages to Bob; want opted out %v", skipped, c.NotMessaged["Bob"], s.Skipped, got, tc.optedOut)
			}
			if bottest.Sections(w, "Alice", lifecycle.MessageConnection) != 1 {
				t.Error("Alice, on no list, got no message")
			}
		})
	}
}

func TestRenamedUserGetsTheMessageWhereTheirTalkPageRedirects(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	w.Put("User talk:Bob", "Bob", "#REDIRECT [[User talk:Roberto]]")
	bottest.Deliver(t, e)
	got := w.Text("User talk:Roberto")
	if !strings.Contains(got, "/connection/Bob -->") || !strings.Contains(got, "User talk:Roberto") || !strings.Contains(got, "Bob") {
		t.Fatalf("the message did not follow the redirect, or does not say so:\n%s", got)
	}
	if w.Text("User talk:Bob") != "#REDIRECT [[User talk:Roberto]]" {
		t.Error("the redirect itself was edited")
	}
	// A reply there counts, and the next run posts nothing twice.
	bottest.Answer(w, "User talk:Roberto", "Bob", "yes")
	if s := bottest.Deliver(t, e); s.Count("posted") != 0 || bottest.OnlyRow(t, w).Responses["Bob"] == "" {
		t.Errorf("posted %d, answers %v", s.Count("posted"), bottest.OnlyRow(t, w).Responses)
	}
}

func TestCapsPerRunAndPerPerson(t *testing.T) {
	t.Run("over the run's cap nothing is sent", func(t *testing.T) {
		w, e := bottest.LifecycleFixture(t)
		e.Config.Messages.MaxMessages = 1
		edits := w.Edits()
		_, err := e.Deliver(context.Background(), "")
		// Alice's request to Bob, and Zed's registration problems.
		if !errors.Is(err, engine.ErrTooManyMessages) || !strings.Contains(err.Error(), "3 messages planned") {
			t.Fatalf("err %v, want ErrTooManyMessages saying 3 planned", err)
		}
		if w.Edits() != edits {
			t.Error("something was written")
		}
		e.Config.Messages.MaxMessages = 3
		if s := bottest.Deliver(t, e); s.Count("posted") != 2 || s.Count("problem_notices") != 1 {
			t.Error("not sent once the cap allows it")
		}
	})
	t.Run("a person's monthly cap defers", func(t *testing.T) {
		w, e := bottest.LifecycleFixture(t)
		e.Config.Messages.MaxMessagesPerPerson = 1
		// Alice also asks Chidi for nothing he shares; asks Bob for
		// nothing else. Add a second request: Bob asks Alice for grants.
		w.Put(bottest.Prefix+"Bob", "Bob", w.Text(bottest.Prefix+"Bob")+"\n{{Let's Connect request|sharer=Alice|skill=grants}}\n")
		s := bottest.Deliver(t, e)
		if s.Count("posted") != 2 || s.Count("deferred") != 2 {
			t.Fatalf("posted %d, deferred %d; want one message each now, one each later", s.Count("posted"), s.Count("deferred"))
		}
		// Next month the rest goes.
		now := w.Now()
		w.Advance(time.Date(now.Year(), now.Month()+1, 1, 12, 0, 0, 0, time.UTC).Sub(now))
		if s := bottest.Deliver(t, e); s.Count("posted") != 2 {
			t.Errorf("next month posted %d, want 2", s.Count("posted"))
		}
	})
}

func TestStoppedRunNeverPostsTwice(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
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
	e.Deliver(context.Background(), "")
	w.Delete(bottest.LedgerPrefix + fmt.Sprint(w.Now().Year()))
	w.BeforeSection = nil
	s := bottest.Deliver(t, e)
	if s.Count("found_on_talk_pages") != 1 || s.Count("posted") != 1 {
		t.Errorf("found %d on talk pages, posted %d; want 1 and 1", s.Count("found_on_talk_pages"), s.Count("posted"))
	}
	for _, u := range []string{"Alice", "Bob"} {
		if n := bottest.Sections(w, u, lifecycle.MessageConnection); n != 1 {
			t.Errorf("%s has %d messages", u, n)
		}
	}
	if c := bottest.OnlyRow(t, w); len(c.Messages) != 2 || c.Status != program.StatusNotified {
		t.Errorf("ledger %+v", c)
	}
}

func TestLedgerEditsOnlyTheWorkingGroupMayMake(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	bottest.Deliver(t, e)
	id := bottest.OnlyRow(t, w).ID
	// Chidi, not part of it, marks it met; the bot keeps his edit, marks
	// it unconfirmed and stops acting on the row.
	bottest.EditRow(t, w, "Chidi", id, "|status=notified|", "|status=met|")
	w.Advance(7 * bottest.OneDay)
	s := bottest.Deliver(t, e)
	c := bottest.OnlyRow(t, w)
	if c.Status != program.StatusMet || c.Unconfirmed != "Chidi" || s.Count("posted") != 0 {
		t.Fatalf("row %+v, posted %d", c, s.Count("posted"))
	}
	bottest.Run(t, e) // the sync run lists it on the problems page
	if !strings.Contains(w.Text(bottest.ProblemsPage), "Chidi changed the connection "+id) {
		t.Errorf("the problems page does not say whose change is not used:\n%s", w.Text(bottest.ProblemsPage))
	}
	// A row someone outside the working group adds is not acted on.
	page := bottest.OnlyRow(t, w).Page
	w.Put(page, "Zed", w.Text(page)+"\n{{Let's Connect connection|status=approved|sharer=Zed|learners=Alice|skill=Bots}}")
	if s := bottest.Deliver(t, e); s.Count("posted") != 0 {
		t.Fatalf("Zed's row made the bot post %d messages", s.Count("posted"))
	}
	// The coordinator confirms Chidi's change by editing the row.
	bottest.EditRow(t, w, bottest.Coordinator, id, "|unconfirmed=Chidi", "")
	bottest.Deliver(t, e)
	for _, c := range bottest.LedgerRows(t, w) {
		if c.ID == id && c.Unconfirmed != "" {
			t.Fatalf("the coordinator's edit did not confirm: %+v", c)
		}
		if c.Sharer == "Zed" && c.Unconfirmed != "Zed" {
			t.Errorf("Zed's row is not marked unconfirmed: %+v", c)
		}
	}
}

func TestLedgerSplitsPagesBySizeWithinAYear(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	e.Config.Lifecycle.LedgerPageBytes = 300
	w.Put(bottest.Prefix+"Bob", "Bob", w.Text(bottest.Prefix+"Bob")+"\n{{Let's Connect request|sharer=Alice|skill=grants}}\n")
	bottest.Deliver(t, e)
	year := fmt.Sprint(w.Now().Year())
	if w.Text(bottest.LedgerPrefix+year) == "" || w.Text(bottest.LedgerPrefix+year+"/2") == "" {
		t.Fatalf("want two pages for %s", year)
	}
	if rows := bottest.LedgerRows(t, w); len(rows) != 2 || rows[0].Page == rows[1].Page {
		t.Fatalf("rows %v", rows)
	}
	// Next year's connections go on next year's page.
	now := w.Now()
	w.Advance(time.Date(now.Year()+1, 1, 2, 0, 0, 0, 0, time.UTC).Sub(now))
	w.Put(bottest.Prefix+"Dana", "Dana", bottest.Registration(map[string]string{
		"region": "MEA", "country": "Kenya", "languages": "en-3", "timezone": "Africa/Nairobi", "learn": "Bots",
	})+"\n{{Let's Connect request|sharer=Bob|skill=Bots}}\n")
	bottest.Deliver(t, e)
	if !strings.Contains(w.Text(bottest.LedgerPrefix+fmt.Sprint(now.Year()+1)), "learners=Dana") {
		t.Errorf("next year's page:\n%s", w.Text(bottest.LedgerPrefix+fmt.Sprint(now.Year()+1)))
	}
}

func TestLateRunRemindsBeforeClosing(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	bottest.Deliver(t, e)
	// The bot did not run for three weeks: it reminds first, and closes
	// only a full wait after the reminder.
	w.Advance(21 * bottest.OneDay)
	if s := bottest.Deliver(t, e); s.Count("posted") != 2 || s.Count("transitions") != 0 {
		t.Fatalf("posted %d, transitions %v; want two reminders and no closing", s.Count("posted"), s.Lines)
	}
	w.Advance(6 * bottest.OneDay)
	bottest.Deliver(t, e)
	if bottest.OnlyRow(t, w).Status != program.StatusNotified {
		t.Fatal("closed before a full wait after the reminder")
	}
	w.Advance(bottest.OneDay)
	bottest.Deliver(t, e)
	if bottest.OnlyRow(t, w).Status != program.StatusNoResponse {
		t.Fatal("not closed a full wait after the reminder")
	}
}

func TestRequestTheWorkingGroupAlsoApprovedIsOneConnection(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	bottest.Run(t, e) // the matcher proposes Alice's request first
	bottest.SetStatus(t, w, bottest.Coordinator, "Bob", "Alice", program.StatusApproved)
	s := bottest.Deliver(t, e)
	c := bottest.OnlyRow(t, w)
	if c.ProposedBy != program.ByParticipant || s.Count("posted") != 2 {
		t.Fatalf("row %+v, posted %d; want one connection, proposed by Alice", c, s.Count("posted"))
	}
	// Once on the ledger, the pair is neither proposed nor requested again.
	w2, e2 := bottest.LifecycleFixture(t)
	bottest.Deliver(t, e2)
	bottest.Run(t, e2)
	for _, p := range bottest.RowsOf(t, w2)[program.StatusProposed] {
		if p.Sharer == "Bob" && p.Learners[0] == "Alice" {
			t.Errorf("the requested pair under way is proposed again: %+v", p)
		}
	}
}

func TestMessagePostedMeanwhileIsNotPostedAgain(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	// Another copy of the bot posts Alice's message after this run read
	// the talk pages, just before this run posts it.
	w.BeforeSection = func(title string) error {
		if title == "User talk:Alice" && !strings.Contains(w.Text(title), "/connection/Alice -->") {
			w.BeforeSection = nil
			id := lifecycle.RequestID(bottest.LedgerPrefix, proposals.Proposal{Sharer: "Bob", Learners: []string{"Alice"}, Skill: "tech-bots"}.Key())
			w.Put(title, bottest.BotUser, "== Hi ==\n"+program.MessageMarker(id+"/connection/Alice"))
		}
		return nil
	}
	s := bottest.Deliver(t, e)
	if bottest.Sections(w, "Alice", lifecycle.MessageConnection) != 1 || s.Count("found_on_talk_pages") != 1 || s.Count("posted") != 1 {
		t.Errorf("Alice has %d messages; found %d, posted %d", bottest.Sections(w, "Alice", lifecycle.MessageConnection), s.Count("found_on_talk_pages"), s.Count("posted"))
	}
	if c := bottest.OnlyRow(t, w); len(c.Messages) != 2 || c.Status != program.StatusNotified {
		t.Errorf("ledger %+v", c)
	}
}

func TestApprovedAndDeliveredPairsCountOnceForTheMatcher(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	// Bob can take one connection a month; the working group approves
	// his request from Alice on the proposals page too.
	w.Put(bottest.Prefix+"Bob", "Bob", strings.Replace(w.Text(bottest.Prefix+"Bob"), "{{Let's Connect registration", "{{Let's Connect registration\n|capacity=1", 1))
	bottest.Run(t, e)
	bottest.SetStatus(t, w, bottest.Coordinator, "Bob", "Alice", program.StatusApproved)
	bottest.Deliver(t, e)
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
	w, e := bottest.LifecycleFixture(t)
	ctx, stop := context.WithCancel(context.Background())
	posts := 0
	w.BeforeSection = func(string) error {
		posts++
		stop()
		return nil
	}
	e.Deliver(ctx, "")
	if posts != 1 {
		t.Fatalf("%d posts started after the stop, want only the one in flight", posts)
	}
	w.BeforeSection = nil
	s := bottest.Deliver(t, e)
	if bottest.Sections(w, "Alice", lifecycle.MessageConnection)+bottest.Sections(w, "Bob", lifecycle.MessageConnection) != 2 || s.Count("found_on_talk_pages") != 1 {
		t.Errorf("after restarting: found %d, posted %d", s.Count("found_on_talk_pages"), s.Count("posted"))
	}
	// Sync: a stopped context starts no edit at all.
	w2, e2 := bottest.CalendarFixture(t)
	ctx2, stop2 := context.WithCancel(context.Background())
	stop2()
	edits := w2.Edits()
	if _, err := e2.Apply(ctx2, []program.PageChange{{Task: "t", Title: bottest.CalendarPage, Text: "x"}}); !errors.Is(err, context.Canceled) || w2.Edits() != edits {
		t.Errorf("Apply after the stop: %v, %d edits", err, w2.Edits()-edits)
	}
}

// A skill translated on the taxonomy is named in the reader's language;
// a reader whose language has no translation gets the English name.
func TestMessagesNameTheSkillInTheReadersLanguage(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	w.Put(bottest.TaxonomyPage, bottest.Coordinator, strings.Replace(bottest.TaxonomyText, "name=Bots|", "name=Bots|name-es=Bots de edición|name-fr=Robots|", 1))
	bottest.Deliver(t, e)
	alice, bob := w.Text("User talk:Alice"), w.Text("User talk:Bob")
	if !strings.Contains(bob, "'''Bots de edición'''") || strings.Contains(alice, "Robots") || !strings.Contains(alice, "'''Bots'''") {
		t.Errorf("skill names: Bob (Spanish):\n%s\nAlice (English):\n%s", bob, alice)
	}
}

// addDana registers Dana, a second sharer of bots for Alice.
func addDana(w *wikitest.Wiki) {
	w.Put(bottest.Prefix+"Dana", "Dana", bottest.Registration(map[string]string{
		"region": "MEA", "country": "Ghana", "languages": "en-N", "timezone": "UTC",
		"learn": "grants", "share": "Bots (expert)",
	}))
}

// alicesBotsSharers lists the sharers proposed to Alice for bots.
func alicesBotsSharers(t *testing.T, w *wikitest.Wiki) []string {
	var out []string
	for _, p := range bottest.RowsOf(t, w)[program.StatusProposed] {
		if slices.Contains(p.Learners, "Alice") && p.Skill == "tech-bots" {
			out = append(out, p.Sharer)
		}
	}
	return out
}

// Met, but not a good fit for the learner: the next matching proposes
// her first to someone else, never to that sharer again.
func TestNotAGoodFitRepairs(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	addDana(w)
	bottest.BothSayYes(t, w, e)
	w.Advance(14 * bottest.OneDay)
	bottest.Deliver(t, e)
	if bottest.Sections(w, "Alice", lifecycle.MessageCheckIn) != 1 || !strings.Contains(w.Text("User talk:Alice"), "fit=no") {
		t.Fatalf("no check-in asking whether it was a good fit:\n%s", w.Text("User talk:Alice"))
	}
	bottest.Answer(w, "User talk:Alice", "Alice", "met|fit=no")
	bottest.Deliver(t, e)
	if c := bottest.OnlyRow(t, w); c.Status != program.StatusMet || c.Fit["Alice"] || !c.NotAGoodFit() || !strings.Contains(w.Text(c.Page), "|fit=Alice: no|") {
		t.Fatalf("after Alice's not a good fit: %s, fit %v", c.Status, c.Fit)
	}
	bottest.Run(t, e)
	if got := alicesBotsSharers(t, w); !slices.Equal(got, []string{"Dana"}) || !strings.Contains(w.Text(bottest.ProposalsPage), "Why: Alice's last connection did not happen") {
		t.Errorf("Alice's proposals for bots after not a good fit: %v, want Dana, first", got)
	}
}

// A sharer's "no, time" closes the connection as declined with its reason;
// the next matching proposes the learner to someone else, first, and
// never to that sharer again.
func TestSharersNoFindsTheLearnerSomeoneElse(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	addDana(w)
	bottest.Deliver(t, e)
	bottest.Run(t, e)
	if got := alicesBotsSharers(t, w); len(got) != 0 {
		t.Fatalf("Alice proposed for bots to %v while her request to Bob is under way", got)
	}
	bottest.Answer(w, "User talk:Bob", "Bob", "no|reason=time")
	s := bottest.Deliver(t, e)
	c := bottest.OnlyRow(t, w)
	if c.Status != program.StatusDeclined || c.Answers["Bob"].Reason != program.ReasonTime || lifecycle.DeclineReason(c) != program.ReasonTime || s.Count("posted") != 0 {
		t.Fatalf("after Bob's no: %s, answers %v, posted %d", c.Status, c.Answers, s.Count("posted"))
	}
	if row := w.Text(c.Page); !strings.Contains(row, "|answers=Bob: no time|") {
		t.Errorf("the ledger does not show Bob's no and its reason:\n%s", row)
	}
	bottest.Run(t, e)
	if got := alicesBotsSharers(t, w); !slices.Equal(got, []string{"Dana"}) || !strings.Contains(w.Text(bottest.ProposalsPage), "Why: Alice's last connection did not happen") {
		t.Fatalf("Alice's proposals for bots after Bob's no: %+v, want Dana, first", got)
	}
	// Without Dana, Bob is never proposed to Alice again.
	w.Put(bottest.Prefix+"Dana", "Dana", "Gone.")
	bottest.Run(t, e)
	if got := alicesBotsSharers(t, w); slices.Contains(got, "Bob") {
		t.Errorf("Bob, who said no, proposed to Alice again: %v", got)
	}
}

// TestRenamedParticipantKeepsTheirConnection: Bob says yes, then his
// account is renamed Roberto and his registration moved. The next
// delivery reads his yes under the message to his former name (signed
// with it), accepts the connection with Alice's yes, writes the ledger
// under the new name, and posts nothing again; his request from Alice is
// not asked again; the check-in goes to Roberto once.
func TestRenamedParticipantKeepsTheirConnection(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	bottest.Deliver(t, e)
	bottest.Answer(w, "User talk:Bob", "Bob", "yes")
	bottest.Rename(w, "Bob", "Roberto")
	bottest.Answer(w, "User talk:Alice", "Alice", "yes")
	if sum := bottest.Deliver(t, e); len(sum.Plan.Messages) != 0 {
		t.Errorf("after the rename, %d messages posted, want none", len(sum.Plan.Messages))
	}
	c := bottest.OnlyRow(t, w)
	if c.Sharer != "Roberto" || c.Status != program.StatusAccepted || !c.Answers["Roberto"].Yes || c.Responses["Roberto"] == "" {
		t.Errorf("ledger row %+v, want Roberto's connection, accepted with his yes", c)
	}
	if !slices.ContainsFunc(c.Messages, func(d program.Delivery) bool { return d.User == "Roberto" && d.Kind == lifecycle.MessageConnection }) {
		t.Errorf("messages %v: the message to Bob is not recorded as Roberto's", c.Messages)
	}
	if text := w.Text(bottest.LedgerPrefix + fmt.Sprint(w.Now().Year())); strings.Contains(text, "Bob") {
		t.Errorf("the ledger still names Bob:\n%s", text)
	}
	w.Advance(14 * bottest.OneDay)
	bottest.Deliver(t, e)
	bottest.Deliver(t, e)
	if n := bottest.Sections(w, "Roberto", lifecycle.MessageCheckIn); n != 1 {
		t.Errorf("%d check-ins to Roberto, want 1", n)
	}
	if n := strings.Count(w.Text("User talk:Roberto"), "/connection/"); n != 1 {
		t.Errorf("%d connection messages on Roberto's talk page, want the one to Bob", n)
	}
}
