package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/newsletter"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// The fake wiki implements what the engine needs.
var _ engine.Wiki = (*wikitest.Wiki)(nil)

func TestRunWritesThenIsIdempotent(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)

	sum := bottest.Run(t, e)
	if sum.Registrations != 3 || sum.PagesRead != 5 {
		t.Errorf("registrations %d, pages read %d; want 3 and 5", sum.Registrations, sum.PagesRead)
	}
	for _, title := range []string{bottest.DirectoryPage, bottest.ProblemsPage} {
		if o := bottest.OutcomeOf(t, sum, title); o.Result != wiki.Created || o.RevID == 0 {
			t.Errorf("%s: %+v, want created", title, o)
		}
		p := w.Page(title)
		if p.User != bottest.BotUser || !strings.HasPrefix(p.Content, program.OwnershipMarker) {
			t.Errorf("%s: by %q, starts %.60q; want the bot's page starting with the marker", title, p.User, p.Content)
		}
	}
	if w.Edits() != 2 {
		t.Errorf("%d edits, want 2", w.Edits())
	}

	sum = bottest.Run(t, e)
	if w.Edits() != 2 {
		t.Errorf("a second run with nothing changed made %d edits", w.Edits()-2)
	}
	if n := sum.Count(wiki.Unchanged); n != 2 || len(sum.Outcomes) != 2 {
		t.Errorf("second run outcomes %+v, want 2 unchanged", sum.Outcomes)
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	w := bottest.Fixture(t)
	e := bottest.NewBot(w)

	sum := bottest.Run(t, e)
	if n := sum.Count(wiki.DryRun); n != 2 {
		t.Errorf("outcomes %+v, want 2 dry-run", sum.Outcomes)
	}
	if w.Edits() != 0 || w.Page(bottest.DirectoryPage).Exists() || w.Page(bottest.ProblemsPage).Exists() {
		t.Fatal("a dry run wrote")
	}
	rec := w.Recorded()
	if len(rec) != 2 {
		t.Fatalf("recorded %d actions, want 2", len(rec))
	}
	for _, a := range rec {
		if a.Title != bottest.DirectoryPage && a.Title != bottest.ProblemsPage || a.BaseRevID != 0 || !strings.HasPrefix(a.Text, program.OwnershipMarker) {
			t.Errorf("recorded %q (base %d), text %.40q", a.Title, a.BaseRevID, a.Text)
		}
	}

	// Against pages the bot wrote, a dry run records the planned update
	// with its base, and only for the page that would change.
	w.Write = true
	bottest.Run(t, e)
	w.Write = false
	base := w.Page(bottest.DirectoryPage)
	w.Put(bottest.Prefix+"Dora", "Dora", bottest.Registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	sum = bottest.Run(t, e)
	rec = w.Recorded()[2:]
	if len(rec) != 1 || rec[0].Title != bottest.DirectoryPage || rec[0].BaseRevID != base.RevID || rec[0].OldText != base.Content || !strings.Contains(rec[0].Text, "Dora") {
		t.Errorf("recorded %+v, want one update of the directory from revision %d", rec, base.RevID)
	}
	if w.Page(bottest.DirectoryPage).RevID != base.RevID || bottest.OutcomeOf(t, sum, bottest.ProblemsPage).Result != wiki.Unchanged {
		t.Error("the dry run changed the directory, or planned an edit of the unchanged problems page")
	}
}

func TestPageWithoutMarkerIsNotOverwritten(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	const human = "A directory someone wrote by hand."
	w.Put(bottest.DirectoryPage, "Carol", human)

	sum := bottest.Run(t, bottest.NewBot(w))
	o := bottest.OutcomeOf(t, sum, bottest.DirectoryPage)
	if o.Result != engine.ResultSkipped || !strings.Contains(o.Reason, "ownership marker") {
		t.Errorf("directory: %+v, want skipped for want of the marker", o)
	}
	if w.Text(bottest.DirectoryPage) != human {
		t.Error("the page without the marker was overwritten")
	}
	if o := bottest.OutcomeOf(t, sum, bottest.ProblemsPage); o.Result != wiki.Created {
		t.Errorf("problems: %+v, want created", o)
	}
}

// TestPageWrittenOnceHasNoMarker: a page the bot writes once (CreateOnly,
// the newsletter's draft) is created with exactly the planned text, with
// no ownership marker (MassMessage would carry it to every subscriber's
// talk page), and never written again: not when the plan changes, not
// after a person's edit.
func TestPageWrittenOnceHasNoMarker(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)
	const title = "Let's Connect/Newsletter/2026-12"
	ch := program.PageChange{Task: newsletter.TaskNewsletter, Title: title, Text: "The news.\n\n=== Upcoming ===\nA clinic.\n", CreateOnly: true}
	apply := func(text string) engine.Outcome {
		t.Helper()
		ch.Text = text
		out, err := e.Apply(context.Background(), []program.PageChange{ch})
		if err != nil || len(out) != 1 {
			t.Fatalf("Apply: %v, %+v", err, out)
		}
		return out[0]
	}
	if o := apply(ch.Text); o.Result != wiki.Created || !wiki.SameText(w.Text(title), ch.Text) {
		t.Errorf("first run: %+v; the page says %q, want exactly %q", o, w.Text(title), ch.Text)
	}
	written := w.Text(title)
	if o := apply("The news, planned again.\n"); o.Result != wiki.Unchanged || w.Text(title) != written {
		t.Errorf("a second plan: %+v, and the page says %q", o, w.Text(title))
	}
	w.Put(title, bottest.Coordinator, written+"\nA word from the working group.")
	if o := apply(written); o.Result != wiki.Unchanged || !strings.HasSuffix(w.Text(title), "working group.") {
		t.Errorf("after a person's edit: %+v, and the page says %q", o, w.Text(title))
	}
}

func TestHumanEditIsKeptUntilReverted(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)
	bottest.Run(t, e)
	botText := w.Text(bottest.DirectoryPage)

	// Carol edits the directory; then a registration changes, so the bot
	// has something new to write there.
	w.Put(bottest.DirectoryPage, "Carol", botText+"\n\nCarol was here.")
	w.Put(bottest.Prefix+"Dora", "Dora", bottest.Registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	sum := bottest.Run(t, e)
	o := bottest.OutcomeOf(t, sum, bottest.DirectoryPage)
	if o.Result != engine.ResultSkipped || !strings.Contains(o.Reason, "Carol") {
		t.Errorf("directory after Carol's edit: %+v, want skipped naming Carol", o)
	}
	if p := w.Page(bottest.DirectoryPage); p.User != "Carol" || strings.Contains(p.Content, "Dora") {
		t.Error("Carol's edit was overwritten")
	}
	if o := bottest.OutcomeOf(t, sum, bottest.ProblemsPage); o.Result != wiki.Unchanged {
		t.Errorf("problems: %+v, want unchanged", o)
	}

	// Carol reverts to the bot's text: the page is the bot's again.
	w.Put(bottest.DirectoryPage, "Carol", botText)
	sum = bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, bottest.DirectoryPage); o.Result != wiki.Updated {
		t.Errorf("directory after the revert: %+v, want updated", o)
	}
	if p := w.Page(bottest.DirectoryPage); p.User != bottest.BotUser || !strings.Contains(p.Content, "Dora") {
		t.Errorf("directory by %q, mentions Dora: %v", p.User, strings.Contains(p.Content, "Dora"))
	}
}

// racingWiki lets a person edit a page just before the bot's edit of it
// reaches the wiki.
type racingWiki struct {
	*wikitest.Wiki
	title string
}

func (r *racingWiki) Edit(ctx context.Context, req wiki.EditRequest) (wiki.EditResult, error) {
	if req.Title == r.title {
		r.Put(r.title, "Carol", "Carol's text, saved a moment before the bot's.")
	}
	return r.Wiki.Edit(ctx, req)
}

func TestEditConflictIsSkipped(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)
	bottest.Run(t, e)
	w.Put(bottest.Prefix+"Dora", "Dora", bottest.Registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	e.Wiki = &racingWiki{Wiki: w, title: bottest.DirectoryPage}
	sum := bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, bottest.DirectoryPage); o.Result != engine.ResultSkipped || !strings.Contains(o.Reason, "while the bot was writing") {
		t.Errorf("directory: %+v, want skipped after the conflict", o)
	}
	if w.Page(bottest.DirectoryPage).User != "Carol" {
		t.Error("the conflicting edit overwrote Carol's")
	}
}

func TestMaxEdits(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)
	e.Config.MaxEdits = 1

	sum, err := e.Run(context.Background(), "")
	if !errors.Is(err, engine.ErrTooManyEdits) {
		t.Fatalf("Run: %v, want ErrTooManyEdits", err)
	}
	if w.Edits() != 0 || w.Page(bottest.DirectoryPage).Exists() || len(sum.Outcomes) != 0 {
		t.Fatalf("%d edits, outcomes %+v; want nothing written", w.Edits(), sum.Outcomes)
	}

	// Unchanged pages do not count: one changed page is within the limit.
	e.Config.MaxEdits = 2
	bottest.Run(t, e)
	e.Config.MaxEdits = 1
	w.Put(bottest.Prefix+"Dora", "Dora", bottest.Registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	if sum := bottest.Run(t, e); bottest.OutcomeOf(t, sum, bottest.DirectoryPage).Result != wiki.Updated {
		t.Errorf("outcomes %+v, want the directory updated", sum.Outcomes)
	}
}

func TestOnly(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)

	sum, err := e.Run(context.Background(), "problems")
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Outcomes) != 1 || sum.Outcomes[0].Title != bottest.ProblemsPage || sum.Outcomes[0].Task != "problems" {
		t.Errorf("outcomes %+v, want the problems page only", sum.Outcomes)
	}
	if w.Page(bottest.DirectoryPage).Exists() {
		t.Error("--only problems wrote the directory")
	}

	_, err = e.Run(context.Background(), "nope")
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "directory, problems") {
		t.Errorf("unknown task: %v, want an error listing the tasks", err)
	}
}

func TestFailingTaskDoesNotStopOthers(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)
	errBroken := errors.New("broken on purpose")
	broken := program.Task{Name: "broken", Plan: func(*program.State) ([]program.PageChange, error) { return nil, errBroken }}
	e.Before = []program.Task{broken}

	sum, err := e.Run(context.Background(), "")
	if !errors.Is(err, errBroken) || !strings.Contains(err.Error(), "task broken") {
		t.Errorf("Run: %v, want the broken task's error", err)
	}
	if len(sum.TaskErrors) != 1 {
		t.Errorf("task errors %v", sum.TaskErrors)
	}
	for _, title := range []string{bottest.DirectoryPage, bottest.ProblemsPage} {
		if o := bottest.OutcomeOf(t, sum, title); o.Result != wiki.Created {
			t.Errorf("%s: %+v, want created", title, o)
		}
	}

	// A run that refuses to write still reports the failed task.
	w2 := bottest.Fixture(t)
	w2.Write = true
	e2 := bottest.NewBot(w2)
	e2.Config.MaxEdits = 1
	e2.Before = []program.Task{broken}
	_, err = e2.Run(context.Background(), "")
	if !errors.Is(err, engine.ErrTooManyEdits) || !errors.Is(err, errBroken) {
		t.Errorf("Run over MaxEdits with a broken task: %v, want both errors", err)
	}
}

func TestSubpagesAreNotRegistrations(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	// Alice keeps an old copy of her registration, and Bob notes.
	w.Put(bottest.Prefix+"Alice/Old", "Alice", w.Text(bottest.Prefix+"Alice"))
	w.Put(bottest.Prefix+"Bob/Notes", "Bob", "Things to ask my learner.")
	sum := bottest.Run(t, bottest.NewBot(w))
	if sum.Registrations != 3 {
		t.Errorf("%d registrations, want 3: subpages counted", sum.Registrations)
	}
	dir := w.Text(bottest.DirectoryPage)
	if n := strings.Count(bottest.Row(t, dir, "Grant proposals"), "[[User:Alice|"); n != 1 {
		t.Errorf("Alice listed %d times as a sharer", n)
	}
	if strings.Contains(w.Text(bottest.ProblemsPage), "Bob/Notes") {
		t.Error("a participant's notes subpage is reported as a broken registration")
	}
}

func TestDryRunWithoutCredentialsRefusesWhatAWriteWould(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	bottest.Run(t, bottest.NewBot(w))
	w.Put(bottest.DirectoryPage, "Carol", w.Text(bottest.DirectoryPage)+"\nCarol was here.")

	// An operator's dry run without logging in.
	w.Write = false
	w.SetUser("")
	e := bottest.NewBot(w)
	e.Config.BotName = bottest.BotUser
	sum := bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, bottest.DirectoryPage); o.Result != engine.ResultSkipped || !strings.Contains(o.Reason, "Carol") {
		t.Errorf("anonymous dry run: %+v, want the directory skipped because of Carol", o)
	}
	e.Config.BotName = ""
	sum = bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, bottest.ProblemsPage); o.Result == wiki.DryRun {
		t.Errorf("without any bot name the dry run claims it may overwrite: %+v", o)
	}
}

func TestHumanWritingThePlannedTextIsUnchanged(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)
	bottest.Run(t, e)
	// Carol restores the page to what the bot would write anyway (say,
	// after an experiment): nothing to do, nothing to report.
	text := w.Text(bottest.DirectoryPage)
	w.Put(bottest.DirectoryPage, "Carol", text+"\nexperiment")
	w.Put(bottest.DirectoryPage, "Carol", text)
	sum := bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, bottest.DirectoryPage); o.Result != wiki.Unchanged {
		t.Errorf("%+v, want unchanged", o)
	}
}

func TestNobotsOnAGeneratedPageIsRespected(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.NewBot(w)
	bottest.Run(t, e)
	// Someone adds {{nobots}} and the bot's text is otherwise its own
	// (say, the bot's last edit was restored with the template on top).
	text := "{{nobots}}\n" + w.Text(bottest.DirectoryPage)
	w.SetUser(bottest.BotUser)
	w.Put(bottest.DirectoryPage, bottest.BotUser, text)
	w.Put(bottest.Prefix+"Dora", "Dora", bottest.Registration(map[string]string{
		"region": "ESEAP", "country": "Indonesia", "languages": "en", "timezone": "Asia/Jakarta", "share": "Lua modules (expert)",
	}))
	sum := bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, bottest.DirectoryPage); o.Result != engine.ResultSkipped || !strings.Contains(o.Reason, "nobots") {
		t.Errorf("%+v, want the page skipped for {{nobots}}", o)
	}
	if w.Text(bottest.DirectoryPage) != text {
		t.Error("the page with {{nobots}} was overwritten")
	}
}
