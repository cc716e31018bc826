package lifecycle_test

import (
	"fmt"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// TestDeliveryPlans pins the plan of each step of the lifecycle: what the
// run adds, how states move, what it posts (each message whole, with its
// key, talk page and language), and who is not messaged and why. The
// plan is a pure function of what was read: planning twice gives the
// same plan, and planning changes nothing read.
func TestDeliveryPlans(t *testing.T) {
	// Bob's no, with each reason (the last in his own words).
	var noes []bottest.PlanScenario
	for _, no := range [][2]string{
		{"no-time", "no|reason=time"}, {"no-expertise", "no|reason=expertise"},
		{"no-better-fit", "no|reason=better-fit|note=Carol knows bots better"}, {"no-other", "no|reason=I am moving house; back in spring"},
	} {
		name, args := no[0], no[1]
		noes = append(noes, bottest.PlanScenario{Name: name, Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.Deliver(t, e)
			bottest.Answer(w, "User talk:Bob", "Bob", args)
		}})
	}
	bottest.CheckPlans(t, bottest.LifecycleFixture, append(noes, []bottest.PlanScenario{
		{Name: "request", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {}},
		{Name: "new-approval", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			w.Put(bottest.Prefix+"Alice", "Alice", strings.Replace(w.Text(bottest.Prefix+"Alice"), "{{Let's Connect request|sharer=Bob|skill=Bots}}", "", 1))
			bottest.Run(t, e)
			bottest.SetStatus(t, w, bottest.Coordinator, "Bob", "Alice", program.StatusApproved)
		}},
		{Name: "answer", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.Deliver(t, e)
			bottest.Answer(w, "User talk:Bob", "Bob", "yes")
			bottest.Answer(w, "User talk:Alice", "Alice", "Yes|note=thank you")
		}},
		// A plain reply is "replied": recorded, no reminder, never a yes.
		{Name: "reply", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.Deliver(t, e)
			bottest.Reply(w, "User talk:Bob", "Bob", "Happy to!")
			bottest.Reply(w, "User talk:Alice", "Alice", "Yes, thank you.")
			w.Advance(7 * bottest.OneDay)
		}},
		// The learner's no closes a 1:1 too; nobody goes back to the pool.
		{Name: "learner-no", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.Deliver(t, e)
			bottest.Answer(w, "User talk:Alice", "Alice", "no|reason=other")
			bottest.Answer(w, "User talk:Bob", "Bob", "maybe")
		}},
		{Name: "reminder", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.Deliver(t, e)
			bottest.Reply(w, "User talk:Bob", "Bob", "Happy to!")
			w.Advance(7 * bottest.OneDay)
		}},
		{Name: "no-response", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.Deliver(t, e)
			w.Advance(7 * bottest.OneDay)
			bottest.Deliver(t, e)
			w.Advance(7 * bottest.OneDay)
		}},
		{Name: "check-in", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.BothSayYes(t, w, e)
			w.Advance(14 * bottest.OneDay)
		}},
		// Met, and not a good fit for Alice: she is proposed first to
		// someone else at the next matching.
		{Name: "not-a-good-fit", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.BothSayYes(t, w, e)
			w.Advance(14 * bottest.OneDay)
			bottest.Deliver(t, e)
			bottest.Answer(w, "User talk:Alice", "Alice", "met|fit=no")
			bottest.Answer(w, "User talk:Bob", "Bob", "met|fit=yes")
		}},
		{Name: "opt-out", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			w.Put(bottest.OptOutPage, "Bob", "* [[User:Bob]]")
		}},
		{Name: "cap", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			e.Config.Messages.MaxMessagesPerPerson = 1
			w.Put(bottest.Prefix+"Bob", "Bob", w.Text(bottest.Prefix+"Bob")+"\n{{Let's Connect request|sharer=Alice|skill=grants}}\n")
		}},
		// A blocked sharer gets no message, and the ledger says why.
		{Name: "blocked", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) { w.Block("Bob", "spam") }},
		{Name: "renamed-user", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			w.Put("User talk:Bob", "Bob", "#REDIRECT [[User talk:Roberto]]")
		}},
		// Both said yes; then Bob's account is renamed Roberto (his user
		// and talk pages moved by the rename, his registration moved by
		// him): the connection is his under the new name, the check-in
		// goes to Roberto, and nothing already posted is posted again.
		{Name: "renamed", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.BothSayYes(t, w, e)
			bottest.Rename(w, "Bob", "Roberto")
			w.Advance(14 * bottest.OneDay)
		}},
		{Name: "stopped-half-way", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			bottest.StopAfter(w, e, 1, bottest.LedgerPrefix+fmt.Sprint(w.Now().Year()))
		}},
	}...))
}

// TestAppliedPlanIsWhatWasPlanned: the applier posts the plan's messages,
// in order, with their text, and nothing else.
func TestAppliedPlanIsWhatWasPlanned(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	plan := bottest.PlanNow(t, e, w)
	var posted []string
	w.BeforeSection = func(title string) error { posted = append(posted, title); return nil }
	sum := bottest.Deliver(t, e)
	var want []string
	for _, m := range plan.Messages {
		want = append(want, m.Target.Title)
		// The signature (~~~~) is expanded when the page is saved.
		body, _, _ := strings.Cut(m.Text, " ~~~~ ")
		if page := w.Text(m.Target.Title); !strings.Contains(page, body) || !strings.Contains(page, m.Marker()) || !strings.Contains(page, "== "+m.Heading+" ==") {
			t.Errorf("%s does not hold the planned text:\n%s", m.Target.Title, m.Text)
		}
	}
	if strings.Join(posted, "|") != strings.Join(want, "|") || sum.Plan.Format() != plan.Format() {
		t.Errorf("posted to %v, planned %v", posted, want)
	}
}
