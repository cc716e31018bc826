package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// planNow reads what a delivery run reads (the program, the opt-out list,
// the talk pages of DeliveryAudience) and returns the run's plan, without
// applying it.
func planNow(t *testing.T, e *Engine, w *wikitest.Wiki) *domain.DeliveryPlan {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := e.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ledger := fmt.Sprint(st.Ledger)
	plan, err := e.planDelivery(ctx, e.lifecycle(cat), st)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(st.Ledger) != ledger {
		t.Error("planning changed the rows it read")
	}
	return plan
}

// checkGolden compares got with testdata/delivery/NAME.txt (-update
// rewrites it).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	compareGolden(t, filepath.Join("testdata", "delivery", name+".txt"), "the "+name+" plan", got, "go test ./sync/ -run TestDeliveryPlans -update")
}

// compareGolden compares got, what is described, with the file at path;
// with -update it rewrites the file. rewrite says how.
func compareGolden(t *testing.T, path, what, got, rewrite string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (%s writes it)", err, rewrite)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (%s rewrites it):\n%s", what, path, rewrite, got)
	}
}

// TestDeliveryPlans pins the plan of each step of the lifecycle: what the
// run adds, how states move, what it posts (each message whole, with its
// key, talk page and language), and who is not messaged and why. The
// plan is a pure function of what was read: planning twice gives the
// same plan, and planning changes nothing read.
func TestDeliveryPlans(t *testing.T) {
	checkPlans(t, lifecycleFixture, []planScenario{
		{"request", func(t *testing.T, w *wikitest.Wiki, e *Engine) {}},
		{"new-approval", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			w.Put(prefix+"Alice", "Alice", strings.Replace(w.Text(prefix+"Alice"), "{{Let's Connect request|sharer=Bob|skill=Bots}}", "", 1))
			run(t, e)
			setStatus(t, w, coordinator, "Bob", "Alice", domain.StatusApproved)
		}},
		{"answer", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			deliver(t, e)
			reply(w, "User talk:Bob", "Bob", "Happy to!")
			reply(w, "User talk:Alice", "Alice", "Yes, thank you.")
		}},
		{"reminder", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			deliver(t, e)
			reply(w, "User talk:Bob", "Bob", "Happy to!")
			w.Advance(7 * day1)
		}},
		{"no-response", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			deliver(t, e)
			w.Advance(7 * day1)
			deliver(t, e)
			w.Advance(7 * day1)
		}},
		{"check-in", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			deliver(t, e)
			reply(w, "User talk:Bob", "Bob", "Happy to!")
			reply(w, "User talk:Alice", "Alice", "Yes.")
			deliver(t, e)
			w.Advance(14 * day1)
		}},
		{"opt-out", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			w.Put(optOutPage, "Bob", "* [[User:Bob]]")
		}},
		{"cap", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			e.Config.MaxMessagesPerPerson = 1
			w.Put(prefix+"Bob", "Bob", w.Text(prefix+"Bob")+"\n{{Let's Connect request|sharer=Alice|skill=grants}}\n")
		}},
		{"renamed-user", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			w.Put("User talk:Bob", "Bob", "#REDIRECT [[User talk:Roberto]]")
		}},
		{"stopped-half-way", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			stopAfter(w, e, 1, ledgerPrefix+fmt.Sprint(w.Now().Year()))
		}},
	})
}

// planScenario is a state to plan from: setup brings the fixture there;
// the plan is pinned in testdata/delivery/NAME.txt.
type planScenario struct {
	name  string
	setup func(t *testing.T, w *wikitest.Wiki, e *Engine)
}

// checkPlans plans each scenario from a new fixture, twice (the same
// plan), and compares the plan with its golden file.
func checkPlans(t *testing.T, fixture func(*testing.T) (*wikitest.Wiki, *Engine), scenarios []planScenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			w, e := fixture(t)
			sc.setup(t, w, e)
			plan := planNow(t, e, w)
			if again := planNow(t, e, w); again.Format() != plan.Format() {
				t.Error("two plans of the same state differ")
			}
			checkGolden(t, sc.name, plan.Format())
		})
	}
}

// stopAfter runs a delivery that posts n messages and then stops, its
// record (page) lost too, as when the process is killed.
func stopAfter(w *wikitest.Wiki, e *Engine, n int, page string) {
	posted := 0
	w.BeforeSection = func(string) error {
		if posted == n {
			return errors.New("killed")
		}
		posted++
		return nil
	}
	e.Deliver(context.Background())
	w.Delete(page)
	w.BeforeSection = nil
}

// TestAppliedPlanIsWhatWasPlanned: the applier posts the plan's messages,
// in order, with their text, and nothing else.
func TestAppliedPlanIsWhatWasPlanned(t *testing.T) {
	w, e := lifecycleFixture(t)
	plan := planNow(t, e, w)
	var posted []string
	w.BeforeSection = func(title string) error { posted = append(posted, title); return nil }
	sum := deliver(t, e)
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
