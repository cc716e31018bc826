package proposals_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func TestProposalsAreWrittenAndStable(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	rows := bottest.RowsOf(t, w)
	open := rows[program.StatusProposed]
	// Bob (bots, advanced) for Alice (bots, beginner): a common language
	// (en at level 2+), 6 h apart. Alice (expert) or Chidi for Bob's
	// grant proposals. Chidi's Lua modules has no sharer.
	var pairs []string
	for _, p := range open {
		pairs = append(pairs, p.Sharer+"→"+strings.Join(p.Learners, "+")+":"+p.Skill)
	}
	if len(open) != 2 || !strings.Contains(strings.Join(pairs, " "), "Bob→Alice:tech-bots") {
		t.Fatalf("proposals %v, want Bob→Alice for bots and one for Bob's grant proposals", pairs)
	}
	for _, p := range open {
		if p.Date != w.Now().Format("2006-01-02") {
			t.Errorf("row dated %q, want the run's date %s", p.Date, w.Now().Format("2006-01-02"))
		}
	}
	edits := w.Edits()
	bottest.Run(t, e)
	if w.Edits() != edits {
		t.Error("a second run with nothing changed edited")
	}
}

func TestApprovalIsKeptAndRejectionNeverReproposed(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	grantsSharer := ""
	for _, p := range bottest.RowsOf(t, w)[program.StatusProposed] {
		if p.Skill == "org-grants" {
			grantsSharer = p.Sharer
		}
	}
	// The coordinator (working group) approves Bob → Alice and rejects the
	// grants proposal for Bob.
	bottest.SetStatus(t, w, bottest.Coordinator, "Bob", "Alice", program.StatusApproved)
	bottest.SetStatus(t, w, bottest.Coordinator, grantsSharer, "Bob", program.StatusRejected)

	sum := bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, bottest.ProposalsPage); o.Result == engine.ResultSkipped {
		t.Fatalf("the bot refused a page where people only decided rows: %+v", o)
	}
	rows := bottest.RowsOf(t, w)
	if a := rows[program.StatusApproved]; len(a) != 1 || a[0].Sharer != "Bob" || a[0].Learners[0] != "Alice" {
		t.Errorf("approved rows %+v, want Bob → Alice kept", a)
	}
	if r := rows[program.StatusRejected]; len(r) != 1 || r[0].Sharer != grantsSharer {
		t.Errorf("rejected rows %+v, want %s → Bob kept", r, grantsSharer)
	}
	for _, p := range rows[program.StatusProposed] {
		if p.Sharer == grantsSharer && p.Learners[0] == "Bob" {
			t.Errorf("the rejected pair is proposed again: %+v", p)
		}
		if p.Learners[0] == "Alice" && p.Skill == "tech-bots" {
			t.Errorf("Alice's approved skill is proposed again: %+v", p)
		}
	}
	// Runs after that keep both decisions and make no edit.
	edits := w.Edits()
	bottest.Run(t, e)
	if w.Edits() != edits {
		t.Error("decisions kept, nothing changed, yet the bot edited again")
	}
	if rows := bottest.RowsOf(t, w); len(rows[program.StatusApproved]) != 1 || len(rows[program.StatusRejected]) != 1 {
		t.Errorf("decisions lost on a later run: %v", rows)
	}
}

func TestTextAddedOutsideRowsStopsTheBot(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	note := "\nCarol: let us wait for the clinic before approving these."
	w.Put(bottest.ProposalsPage, "Carol", w.Text(bottest.ProposalsPage)+note)
	// A new registration gives the bot something to change.
	w.Put(bottest.Prefix+"Dora", "Dora", bottest.Registration(map[string]string{
		"region": "MEA", "country": "Kenya", "languages": "en-4", "timezone": "Africa/Nairobi", "learn": "Bots (none)",
	}))
	sum := bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, bottest.ProposalsPage); o.Result != engine.ResultSkipped || !strings.Contains(o.Reason, "Carol") {
		t.Errorf("%+v, want the page skipped because of Carol's note", o)
	}
	if !strings.HasSuffix(w.Text(bottest.ProposalsPage), note) {
		t.Error("Carol's note was lost")
	}
}

func TestDecisionMadeWhileTheBotPlansIsNotLost(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	w.Put(bottest.Prefix+"Dora", "Dora", bottest.Registration(map[string]string{
		"region": "MEA", "country": "Kenya", "languages": "en-4", "timezone": "Africa/Nairobi", "learn": "Bots (none)",
	}))
	st, err := e.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	changes, err := e.Task(proposals.TaskProposals).Plan(st)
	if err != nil {
		t.Fatal(err)
	}
	// The coordinator approves a row after the bot read the page.
	bottest.SetStatus(t, w, bottest.Coordinator, "Bob", "Alice", program.StatusApproved)
	outcomes, err := e.Apply(t.Context(), changes)
	if err != nil {
		t.Fatal(err)
	}
	if outcomes[0].Result != engine.ResultSkipped {
		t.Errorf("%+v, want skipped: the plan predates Carol's decision", outcomes[0])
	}
	if rows := bottest.RowsOf(t, w); len(rows[program.StatusApproved]) != 1 {
		t.Error("Carol's approval was overwritten")
	}
	// The next run carries it.
	bottest.Run(t, e)
	if rows := bottest.RowsOf(t, w); len(rows[program.StatusApproved]) != 1 {
		t.Error("Carol's approval was lost on the next run")
	}
}

func TestUnknownStatusIsReportedAndKept(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	bottest.SetStatus(t, w, bottest.Coordinator, "Bob", "Alice", "maybe later")
	bottest.Run(t, e)
	text := w.Text(bottest.ProposalsPage)
	if !strings.Contains(text, "|status=maybe later|") || !strings.Contains(text, "== Needs attention ==") {
		t.Errorf("the row with an unknown status is not kept apart:\n%s", text)
	}
	if !strings.Contains(w.Text(bottest.ProblemsPage), "maybe later") {
		t.Error("the unknown status is not on the problems page")
	}
}

func TestRequestsArePreferredAndChecked(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	// Bob wants grant proposals; Alice (expert) and Chidi (intermediate)
	// share it. Bob asks for Chidi: the request wins over the better fit.
	bob := w.Text(bottest.Prefix+"Bob") + "\n{{Let's Connect request|sharer=Chidi|skill=grants}}\n" +
		"{{Let's Connect request|sharer=Nobody|skill=Bots}}\n{{Let's Connect request|sharer=Alice|skill=Lua modules}}\n" +
		"{{Let's Connect request|sharer=Alice|skill=Underwater basket weaving}}\n"
	w.Put(bottest.Prefix+"Bob", "Bob", bob)
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	var got []string
	for _, p := range bottest.RowsOf(t, w)[program.StatusProposed] {
		if p.Learners[0] == "Bob" {
			got = append(got, p.Sharer+":"+p.Skill)
		}
	}
	if len(got) != 1 || got[0] != "Chidi:org-grants" {
		t.Errorf("Bob's proposals %v, want the one he asked for (Chidi, grants)", got)
	}
	if !strings.Contains(w.Text(bottest.ProposalsPage), "Bob asked for Chidi") {
		t.Error("the proposal does not say Bob asked for it")
	}
	problems := w.Text(bottest.ProblemsPage)
	for _, want := range []string{"Nobody", "does not share", "Underwater basket weaving"} {
		if !strings.Contains(problems, wikitext.Escape(want)) {
			t.Errorf("the problems page does not mention %q:\n%s", want, problems)
		}
	}
}

func TestOnlyTheWorkingGroupDecides(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	// Alice, a participant, approves her own proposal.
	bottest.SetStatus(t, w, "Alice", "Bob", "Alice", program.StatusApproved)
	bottest.Run(t, e)
	page := w.Text(bottest.ProposalsPage)
	approved := page[strings.Index(page, "== Approved =="):strings.Index(page, "== Rejected ==")]
	attention := page[strings.Index(page, "== Needs attention ==")+1:]
	if strings.Contains(approved, "learners=Alice") || !strings.Contains(attention, "|sharer=Bob|learners=Alice|") {
		t.Errorf("a participant's approval was used, or not set apart:\n%s", page)
	}
	if !strings.Contains(w.Text(bottest.ProblemsPage), "Alice set the proposal") {
		t.Errorf("the problems page does not say whose decision was not used:\n%s", w.Text(bottest.ProblemsPage))
	}
	text := w.Text(bottest.ProposalsPage)
	if !strings.Contains(text, "|status=approved|sharer=Bob|learners=Alice|") {
		t.Error("Alice's edit was lost")
	}
	// The bot's own copy of her row does not make it trusted: a run after
	// the bot rewrote the page still does not use it.
	if w.Page(bottest.ProposalsPage).User != bottest.BotUser {
		t.Fatal("the bot did not rewrite the page")
	}
	bottest.Run(t, e)
	text = w.Text(bottest.ProposalsPage)
	if !strings.Contains(text, "|unconfirmed=Alice") || !strings.Contains(text[strings.Index(text, "== Needs attention =="):], "learners=Alice|") {
		t.Errorf("a participant's decision became the working group's once the bot rewrote the page:\n%s", text)
	}
	// The coordinator makes the decision: editing the row makes it theirs.
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.Contains(l, "|status=approved|sharer=Bob|learners=Alice|") {
			lines[i] = strings.Replace(l, "}}", "|confirmed=yes}}", 1)
		}
	}
	w.Put(bottest.ProposalsPage, bottest.Coordinator, strings.Join(lines, "\n"))
	bottest.Run(t, e)
	text = w.Text(bottest.ProposalsPage)
	if strings.Contains(text, "== Needs attention ==") || !strings.Contains(text, "|status=approved|sharer=Bob|learners=Alice|") {
		t.Errorf("the coordinator's decision is not used:\n%s", text)
	}
	for _, p := range bottest.RowsOf(t, w)[program.StatusProposed] {
		if p.Learners[0] == "Alice" && p.Skill == "tech-bots" {
			t.Error("the approved pair is still proposed")
		}
	}
}

func TestMaxProposalsShowsTheBestFirst(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	e.Config.Proposals.MaxProposals = 1
	bottest.Run(t, e)
	open := bottest.RowsOf(t, w)[program.StatusProposed]
	if len(open) != 1 || !strings.Contains(w.Text(bottest.ProposalsPage), "1 more are not shown") {
		t.Fatalf("%d rows shown, page:\n%s", len(open), w.Text(bottest.ProposalsPage))
	}
	// The one shown is the best: the uncapped run's first row.
	w2 := bottest.Fixture(t)
	w2.Write = true
	e2 := bottest.WithProposals(w2)
	bottest.Run(t, e2)
	all := bottest.RowsOf(t, w2)[program.StatusProposed]
	if len(all) < 2 || all[0].Key() != open[0].Key() {
		t.Errorf("shown %v, want the best of %v", open[0].Key(), all)
	}
}

// TestRowsOnThePageStayShown: with more proposals than the page shows,
// a row shown stays shown while it is still proposed, even when a better
// one appears; the better one waits for a free place (docs/matching.md,
// "Stability").
func TestRowsOnThePageStayShown(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	e.Config.Proposals.MaxProposals = 1
	bottest.Run(t, e)
	before := bottest.RowsOf(t, w)[program.StatusProposed]
	// Dana asks Alice for grant proposals: a request scores 200 more than
	// any row shown.
	w.Put(bottest.Prefix+"Dana", "Dana", bottest.Registration(map[string]string{
		"region": "MEA", "country": "Kenya", "languages": "en-N", "timezone": "Africa/Nairobi", "learn": "grants",
	})+"{{Let's Connect request|sharer=Alice|skill=grants}}\n")
	bottest.Run(t, e)
	after := bottest.RowsOf(t, w)[program.StatusProposed]
	if len(after) != 1 || after[0].Key() != before[0].Key() || !strings.Contains(w.Text(bottest.ProposalsPage), "2 more are not shown") {
		t.Errorf("shown %v, then %v; want the row shown to stay, and 2 more not shown", before, after)
	}
	// Decided, the row makes room: the best of the others is shown.
	bottest.SetStatus(t, w, bottest.Coordinator, before[0].Sharer, before[0].Learners[0], program.StatusApproved)
	bottest.Run(t, e)
	if open := bottest.RowsOf(t, w)[program.StatusProposed]; len(open) != 1 || open[0].Learners[0] != "Dana" {
		t.Errorf("after the decision, shown %v; want Dana's request", open)
	}
}

// TestTheMatcherSeesThePage: the rows awaiting a decision are the
// matcher's current proposals, and a run with nothing new keeps them all.
func TestTheMatcherSeesThePage(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	st, err := e.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p, err := proposals.Propose(st, match.Options{}, 0, match.Match)
	if err != nil {
		t.Fatal(err)
	}
	m := p.Result.Metrics
	if m.CurrentPairs != 2 || m.CurrentKept != 2 || m.Incumbents != 2*match.DefaultOptions().Weights.Incumbent {
		t.Errorf("current pairs %d, kept %d, incumbents %d; want the page's 2 rows kept", m.CurrentPairs, m.CurrentKept, m.Incumbents)
	}
}

// TestProposalsPageSaysWhoIsLeftOut: the page counts the registrations
// left out, those matched despite a problem in a field, and the paused.
func TestProposalsPageSaysWhoIsLeftOut(t *testing.T) {
	w := bottest.Fixture(t) // Zed's registration is left out
	w.Write = true
	w.Put(bottest.Prefix+"Erin", "Erin", bottest.Registration(map[string]string{
		"region": "NWE", "country": "Ireland", "languages": "en-N, elvish-3", "timezone": "Europe/Dublin", "learn": "Bots",
	}))
	w.Put(bottest.Prefix+"Femi", "Femi", bottest.Registration(map[string]string{
		"status": "paused", "region": "MEA", "country": "Nigeria", "languages": "en-N", "timezone": "Africa/Lagos", "share": "Bots",
	}))
	bottest.Run(t, bottest.WithProposals(w))
	page := w.Text(bottest.ProposalsPage)
	for _, want := range []string{"'''1''' registration is left out until fixed", "1 more with a problem in one field is matched on the rest", "1 paused registration is not matched"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q:\n%.600s", want, page)
		}
	}
}

// failingRevisions is a wiki whose revision histories cannot be read.
type failingRevisions struct {
	*wikitest.Wiki
	err error
}

func (f failingRevisions) RevisionsAfter(ctx context.Context, title string, revID int64, max int) ([]*wiki.Page, error) {
	return nil, f.err
}

// TestDecisionsWhoseAuthorCannotBeRead: when the history since the bot's
// version is too long to read, the changed rows count as changed by
// someone unknown (not used); when the wiki does not answer, the run stops
// with the error instead of distrusting the working group's decisions.
func TestDecisionsWhoseAuthorCannotBeRead(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	bottest.Run(t, e)
	bottest.SetStatus(t, w, bottest.Coordinator, "Bob", "Alice", program.StatusApproved)

	e.Wiki = failingRevisions{w, fmt.Errorf("wikitest: %w", wiki.ErrTooManyRevisions)}
	st, err := e.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range proposals.Rows(st) {
		if p.Status == program.StatusApproved && (p.Decided() || !strings.Contains(p.UntrustedBy, "too many edits")) {
			t.Errorf("a decision whose author is unknown is used: %+v", p)
		}
	}

	e.Wiki = failingRevisions{w, errors.New("connection refused")}
	if _, err := e.Read(context.Background()); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("Read = %v; want the wiki's error", err)
	}
}
