package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/newsletter"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TestSameInputSameBytes: every generated page, message, plan and JSON
// output is a function of what was read alone. The demo's program, with
// every feature on, is run on two in-memory wikis through the demo's
// story (sync, approvals, deliveries, replies): on one as generated, on
// the other with every template's parameters and every unordered list's
// items shuffled. After each step the two wikis hold the same bytes
// outside the pages people wrote. Then each task's plan and the delivery's
// plan are made several times from the same wiki and from the same state,
// and from states whose registrations, events and resources are shuffled:
// the bytes are the same each time.
func TestSameInputSameBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("plans the demo's program many times")
	}
	base := newDemoWorld(t, nil)
	shuffled := newDemoWorld(t, rand.New(rand.NewPCG(26, 2)))
	if base.w.Text(base.prog.Root+"/Participants/"+base.prog.Participants[0]) == shuffled.w.Text(base.prog.Root+"/Participants/"+base.prog.Participants[0]) {
		t.Fatal("the shuffled wiki's registrations are the same as the others: the test shuffles nothing")
	}
	steps := []struct {
		name string
		do   func(*demoWorld)
	}{
		{"sync", func(d *demoWorld) { bottest.Run(t, d.e) }},
		{"approve", func(d *demoWorld) { d.approveBest(t, 3) }},
		{"deliver", func(d *demoWorld) { bottest.Deliver(t, d.e) }},
		{"reply", func(d *demoWorld) { d.replyFirst(t) }},
		{"deliver again", func(d *demoWorld) { bottest.Deliver(t, d.e) }},
		{"sync again", func(d *demoWorld) { bottest.Run(t, d.e) }},
	}
	for _, step := range steps {
		step.do(base)
		step.do(shuffled)
		if diff := base.differences(shuffled); diff != "" {
			t.Fatalf("after %s, the wikis differ outside what people wrote:\n%s", step.name, diff)
		}
	}

	problems := base.w.Text(base.e.Config.Directory.ProblemsPage)
	problems = problems[max(0, strings.Index(problems, "Tipo Graphical]]")):]
	at := []int{strings.Index(problems, "intrests"), strings.Index(problems, "langauges"), strings.Index(problems, "skils"), strings.Index(problems, "timezome")}
	if slices.Contains(at, -1) || !slices.IsSorted(at) {
		t.Errorf("the problems page does not list the four misspelt parameters by name (at %v)", at)
	}

	want := base.plans(t, nil)
	if len(want) < 10 {
		t.Fatalf("only %d plans: %v", len(want), slices.Collect(maps.Keys(want)))
	}
	for k := range 3 {
		assertSamePlans(t, fmt.Sprintf("planned again (%d)", k+1), want, base.plans(t, nil))
	}
	// The same state object, planned again: planning leaves it as read.
	st, err := base.e.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	first := base.plansOf(t, st)
	assertSamePlans(t, "the same state, planned", want, first)
	assertSamePlans(t, "the same state, planned twice", want, base.plansOf(t, st))
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 26))
		assertSamePlans(t, fmt.Sprintf("the shuffled wiki, its state shuffled (seed %d)", seed), want,
			shuffled.plans(t, func(st *program.State) { shuffleState(rng, st) }))
	}
}

// demoWorld is the demo's program on an in-memory wiki, with an engine
// configured as make demo configures the bot.
type demoWorld struct {
	w    *wikitest.Wiki
	e    *bottest.Bot
	prog *demo.Program
}

// newDemoWorld loads the demo's program; with rng, each page under the
// program's root has its templates' parameters and lists shuffled.
func newDemoWorld(t *testing.T, rng *rand.Rand) *demoWorld {
	t.Helper()
	w := wikitest.New(bottest.BotUser)
	w.Write = true
	w.LanguageNames = demo.Languages()
	since := w.Now()
	prog, err := demo.Generate(demo.Options{Now: w.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prog.Pages {
		text := p.Text
		if rng != nil && strings.HasPrefix(p.Title, prog.Root+"/") {
			text = shuffleTemplates(rng, text)
		}
		w.Put(p.Title, p.User, text)
	}
	// Four misspelt parameters: the problems page and the notice to
	// their author list them in one order (they were once listed in Go's
	// map order, which changes from run to run).
	typos := `{{Let's Connect registration
| region = NWE | country = France | languages = fr-N, en-2 | timezone = Europe/Paris
| learn = Bots and automation (beginner)
| skils = Lua | intrests = GLAM | langauges = de | timezome = UTC+1
}}`
	if rng != nil {
		typos = shuffleTemplates(rng, typos)
	}
	w.Put(prog.Root+"/Participants/Tipo Graphical", "Tipo Graphical", typos)
	root := prog.Root
	e := bottest.NewBot(w)
	c := &e.Config
	c.Program = program.Config{ParticipantsPrefix: root + "/Participants/", TaxonomyPage: root + "/Skills taxonomy",
		WorkingGroup: prog.WorkingGroup, PageLanguages: []string{"en", "fr", "es", "pt", "ar"}}
	c.Directory = directory.Config{DirectoryPage: root + "/Skills directory", ProblemsPage: root + "/Registration problems"}
	c.Proposals = proposals.Config{ProposalsPage: root + "/Proposed connections", MaxProposals: 100}
	c.Report = report.Config{ReportPage: root + "/Report", ReportHistoryPage: root + "/Report/History.json"}
	c.Calendar = calendar.Config{EventsPrefix: root + "/Events/", ResourceSubmissions: root + "/Resources/Submissions",
		CalendarPage: root + "/Calendar", ResourcesPage: root + "/Resources", FeedURL: "https://letsconnect.example.org"}
	c.Lifecycle = lifecycle.Config{LedgerPrefix: root + "/Connections/", ReminderDays: 7, NoResponseDays: 7, CheckInDays: 14}
	c.Messages = program.MessagesConfig{OptOutPage: root + "/Opt-out", MaxMessagesPerPerson: 4,
		MaxMessages: 0} // every message in one run, as make demo's cap allows
	c.Outreach = outreach.Config{OutreachPage: root + "/Invitations", Since: since, InvitationsPerEvent: 15, InviteAheadDays: 21, InviteNoticeDays: 2}
	c.Newsletter = newsletter.Config{NewsletterPrefix: root + "/Newsletter/", NewsletterDay: 1, SubscribersPage: root + "/Newsletter/Subscribers"}
	c.Recognition = recognition.Config{RecognitionPage: root + "/Recognition", BadgesEnabled: true}
	return &demoWorld{w: w, e: e, prog: prog}
}

// approveBest approves the first n 1:1 rows still proposed, as the
// working group's first member.
func (d *demoWorld) approveBest(t *testing.T, n int) {
	t.Helper()
	page := d.e.Config.Proposals.ProposalsPage
	lines := strings.Split(d.w.Text(page), "\n")
	for i, line := range lines {
		rows, _ := proposals.ParseProposals("", line, &program.Taxonomy{})
		if n > 0 && len(rows) == 1 && rows[0].Kind == match.OneToOne && rows[0].Status == program.StatusProposed {
			lines[i] = strings.Replace(line, "|status=proposed|", "|status=approved|", 1)
			n--
		}
	}
	if n > 0 {
		t.Fatalf("%d 1:1 proposals left to approve and none on the page", n)
	}
	d.w.Put(page, d.prog.WorkingGroup[0], strings.Join(lines, "\n"))
}

// replyFirst: the people of the first connection on the ledger answer
// under the bot's message.
func (d *demoWorld) replyFirst(t *testing.T) {
	t.Helper()
	rows := LedgerRowsUnder(t, d.w, d.e.Config.Lifecycle.LedgerPrefix)
	if len(rows) == 0 {
		t.Fatal("no connection on the ledger")
	}
	for _, u := range rows[0].People() {
		bottest.Answer(d.w, "User talk:"+u, u, "yes")
	}
}

func LedgerRowsUnder(t *testing.T, w *wikitest.Wiki, prefix string) []*program.Connection {
	t.Helper()
	refs, err := w.ListPrefix(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	var out []*program.Connection
	for _, r := range refs {
		rows, _ := lifecycle.ParseLedger(r.Title, w.Text(r.Title), &program.Taxonomy{})
		out = append(out, rows...)
	}
	return out
}

// differences lists the pages that differ between the two wikis, apart
// from the registrations, the event pages and the submissions (the
// pages whose text was shuffled).
func (d *demoWorld) differences(other *demoWorld) string {
	var out []string
	people := func(title string) bool {
		c := d.e.Config
		return strings.HasPrefix(title, c.Program.ParticipantsPrefix) || strings.HasPrefix(title, c.Calendar.EventsPrefix) ||
			title == c.Calendar.ResourceSubmissions || title == c.Program.TaxonomyPage
	}
	a, _ := d.w.ListPrefix(context.Background(), "")
	b, _ := other.w.ListPrefix(context.Background(), "")
	titles := map[string]bool{}
	for _, r := range slices.Concat(a, b) {
		titles[r.Title] = true
	}
	for _, title := range slices.Sorted(maps.Keys(titles)) {
		if people(title) {
			continue
		}
		if x, y := d.w.Text(title), other.w.Text(title); x != y {
			out = append(out, fmt.Sprintf("%s:\n%s", title, firstDifference(x, y)))
		}
	}
	return strings.Join(out, "\n")
}

// firstDifference shows the first line where x and y differ.
func firstDifference(x, y string) string {
	xs, ys := strings.Split(x, "\n"), strings.Split(y, "\n")
	for i := range max(len(xs), len(ys)) {
		var a, b string
		if i < len(xs) {
			a = xs[i]
		}
		if i < len(ys) {
			b = ys[i]
		}
		if a != b {
			return fmt.Sprintf("  line %d:\n  - %.300s\n  + %.300s", i+1, a, b)
		}
	}
	return "  (same lines)"
}

// plans reads the wiki and returns every plan as bytes, by name: each
// task's pages, the delivery's plan and the pages it writes, the report's
// JSON and the iCalendar feed. mutate, when set, changes the state read
// before planning.
func (d *demoWorld) plans(t *testing.T, mutate func(*program.State)) map[string]string {
	t.Helper()
	st, err := d.e.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(st)
	}
	return d.plansOf(t, st)
}

func (d *demoWorld) plansOf(t *testing.T, st *program.State) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, task := range d.e.SyncTasks() {
		changes, err := task.Plan(st)
		if err != nil {
			t.Fatalf("task %s: %v", task.Name, err)
		}
		for _, c := range changes {
			out["task "+task.Name+": "+c.Title] = c.Summary + "\n" + c.Source + "\n" + c.EditInstead + "\n" + c.Text
		}
	}
	plan, err := d.e.PlanDelivery(t.Context(), st, "")
	if err != nil {
		t.Fatal(err)
	}
	out["delivery plan"] = plan.Format()
	for _, m := range plan.Messages {
		out["message "+m.Key] = m.Target.Title + "\n" + m.Language + "\n" + m.Heading + "\n" + m.Summary() + "\n" + m.Text
	}
	for _, part := range plan.Parts {
		changes, err := part.Finish()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			out["delivery: "+c.Title] = c.Summary + "\n" + c.Text
		}
	}
	report, err := json.Marshal(report.BuildReport(st))
	if err != nil {
		t.Fatal(err)
	}
	out["report.json"] = string(report)
	var feed bytes.Buffer
	if err := calendar.Feed(st, calendar.FeedFilter{}, func(title string) string { return "https://wiki.example/" + title }).Write(&feed); err != nil {
		t.Fatal(err)
	}
	out["calendar.ics"] = feed.String()
	return out
}

func assertSamePlans(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: no %s", what, name)
		} else if g != want[name] {
			t.Errorf("%s: %s differs:\n%s", what, name, firstDifference(want[name], g))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: an extra %s", what, name)
		}
	}
}

// shuffleState puts the state's registrations, events and resources in
// another order: nothing may depend on the order they were read in.
func shuffleState(rng *rand.Rand, st *program.State) {
	rng.Shuffle(len(st.Registrations), func(i, j int) {
		st.Registrations[i], st.Registrations[j] = st.Registrations[j], st.Registrations[i]
	})
	rng.Shuffle(len(st.Events), func(i, j int) { st.Events[i], st.Events[j] = st.Events[j], st.Events[i] })
	rng.Shuffle(len(st.Resources), func(i, j int) { st.Resources[i], st.Resources[j] = st.Resources[j], st.Resources[i] })
}

// unorderedLists are the parameters whose items are a set: the order
// people list them in means nothing (docs/formats.md). A registration's
// languages are not one: the first is the reader's language.
var unorderedLists = map[string]bool{
	"interests": true, "support": true, "projects": true, "formats": true, "learn": true, "share": true,
	"skills": true, "attendees": true, "interpreted": true, "aliases": true,
}

// shuffleTemplates rewrites each template call of text at the top level
// with its named parameters in a random order, and the items of its
// unordered lists in a random order, when that cannot change what the
// template receives (no positional or repeated parameter, no repeated
// item).
func shuffleTemplates(rng *rand.Rand, text string) string {
	tree := wikitext.Parse(text)
	var b strings.Builder
	at := 0
	for _, n := range tree.Root.Children {
		if n.Kind != wikitext.NodeTemplate {
			continue
		}
		parts := n.Parts()
		var rewritten []string
		seen := map[string]bool{}
		for _, p := range parts {
			name := strings.TrimSpace(text[p.Name().Start:p.Name().End])
			if p.Index > 0 || seen[name] {
				rewritten = nil
				break
			}
			seen[name] = true
			value := text[p.Value().Start:p.Value().End]
			if unorderedLists[name] {
				value = shuffleList(rng, value)
			}
			rewritten = append(rewritten, text[p.Name().Start:p.Name().End]+"="+value)
		}
		if len(rewritten) == 0 {
			continue
		}
		rng.Shuffle(len(rewritten), func(i, j int) { rewritten[i], rewritten[j] = rewritten[j], rewritten[i] })
		title := n.Title()
		b.WriteString(text[at:n.Start])
		b.WriteString("{{" + text[title.Start:title.End] + "|" + strings.Join(rewritten, "|") + "}}")
		at = n.End
	}
	b.WriteString(text[at:])
	return b.String()
}

// shuffleList shuffles a comma-separated list whose items are all
// different (by their text before any level in brackets, in any case).
func shuffleList(rng *rand.Rand, value string) string {
	if strings.ContainsAny(strings.TrimSpace(value), ";\n{}[]<") {
		return value
	}
	items := strings.Split(strings.TrimSpace(value), ",")
	keys := map[string]bool{}
	for _, it := range items {
		k, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(it)), "(")
		if keys[strings.TrimSpace(k)] {
			return value
		}
		keys[strings.TrimSpace(k)] = true
	}
	rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	for i := range items {
		items[i] = strings.TrimSpace(items[i])
	}
	trail := value[len(strings.TrimRight(value, " \n")):]
	return strings.Join(items, ", ") + trail
}
