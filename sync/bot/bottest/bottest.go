// Package bottest runs the whole bot on the in-memory wiki
// (wiki/wikitest) for the behaviours' tests: a small program (a taxonomy,
// four registrations, events, a ledger) and the bot's task table
// (sync/bot), with what the tests check it with (golden files, the rows
// of the pages the bot writes).
package bottest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// Bot is the bot on the in-memory wiki: an engine whose task table (and
// engine settings) are built from Config at each run, so that a test may
// change the configuration between runs.
type Bot struct {
	*engine.Engine
	Config Settings
	// MatchMemo, when set, is the proposals' matcher.
	MatchMemo *engine.MatchMemo
	// Before are tasks run before the table's (a test's own).
	Before []program.Task
}

// Settings is every behaviour's configuration, and the engine's own
// settings.
type Settings struct {
	config.Config
	MaxEdits int
	BotName  string
}

// build makes the engine's task table and settings from Config.
func (b *Bot) build() {
	b.Engine.Tasks = append(slices.Clone(b.Before), bot.Tasks(b.Config.Config, b.MatchMemo.Match)...)
	b.Engine.Config = engine.Config{Program: b.Config.Program, Messages: b.Config.Messages, MaxEdits: b.Config.MaxEdits, BotName: b.Config.BotName}
}

// Task returns the task of the table named name, built from the
// configuration as it is now.
func (b *Bot) Task(name string) program.Task {
	b.build()
	for _, t := range b.Engine.Tasks {
		if t.Name == name {
			return t
		}
	}
	panic("no task " + name)
}

// Run is engine.Engine.Run with the configuration as it is now.
func (b *Bot) Run(ctx context.Context, only string) (engine.Summary, error) {
	b.build()
	return b.Engine.Run(ctx, only)
}

// Deliver is engine.Engine.Deliver with the configuration as it is now.
func (b *Bot) Deliver(ctx context.Context, only string) (engine.DeliverySummary, error) {
	b.build()
	return b.Engine.Deliver(ctx, only)
}

// Read is engine.Engine.Read with the configuration as it is now.
func (b *Bot) Read(ctx context.Context) (*program.State, error) {
	b.build()
	return b.Engine.Read(ctx)
}

// PlanDelivery is engine.Engine.PlanDelivery with the configuration as it
// is now.
func (b *Bot) PlanDelivery(ctx context.Context, st *program.State, only string) (*program.MessagePlan, error) {
	b.build()
	return b.Engine.PlanDelivery(ctx, st, only)
}

// Apply is engine.Engine.Apply with the configuration as it is now.
func (b *Bot) Apply(ctx context.Context, changes []program.PageChange) ([]engine.Outcome, error) {
	b.build()
	return b.Engine.Apply(ctx, changes)
}

// rewriteWith says how to rewrite a test's golden files: its package's
// test with -update.
func rewriteWith(t *testing.T) string {
	name, _, _ := strings.Cut(t.Name(), "/")
	return "go test -run '^" + name + "$' -update, in the test's package"
}

var Update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	BotUser       = "LetsConnectBot"
	Prefix        = "Let's Connect/Participants/"
	TaxonomyPage  = "Let's Connect/Skills taxonomy"
	DirectoryPage = "Let's Connect/Skills directory"
	ProblemsPage  = "Let's Connect/Registration problems"
	Coordinator   = "Coordinator"
)

// TaxonomyText is a small taxonomy: two categories, four skills.
const TaxonomyText = programtest.BotTaxonomy

// Registration returns a registration page: a line of text and the
// template with params (in the template's parameter order, then the others
// sorted).
func Registration(params map[string]string) string {
	names := slices.Clone(program.RegistrationParams)
	var others []string
	for name := range params {
		if !slices.Contains(names, name) {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	var b strings.Builder
	b.WriteString("I joined Let's Connect.\n{{Let's Connect registration\n")
	for _, name := range append(names, others...) {
		if v, ok := params[name]; ok {
			b.WriteString("|" + name + "=" + v + "\n")
		}
	}
	b.WriteString("}}\n")
	return b.String()
}

// Fixture is a wiki with the taxonomy and four registrations, each created
// by its own user: three valid ones and one that is not.
//
//   - Alice shares grant proposals, wants bots; Bob shares bots, wants
//     grant proposals; Chidi shares grant proposals and wants Lua modules,
//     which nobody shares (a gap); nobody mentions event organizing.
//   - Zed's region and one skill are wrong and the country is missing.
func Fixture(t *testing.T) *wikitest.Wiki {
	t.Helper()
	w := wikitest.New(BotUser)
	w.Put(TaxonomyPage, Coordinator, TaxonomyText)
	w.Put(Prefix+"Alice", "Alice", Registration(map[string]string{
		"region": "MEA", "country": "Nigeria", "languages": "en-3, yo-N", "timezone": "Africa/Lagos",
		"learn": "Bots (beginner)", "share": "Grant proposals (expert)",
	}))
	w.Put(Prefix+"Bob", "Bob", Registration(map[string]string{
		"region": "LATAM", "country": "Peru", "languages": "es-N, en-2", "timezone": "America/Lima",
		"learn": "grants", "share": "Bots (advanced)",
	}))
	w.Put(Prefix+"Chidi", "Chidi", Registration(map[string]string{
		"region": "Africa", "country": "Ghana", "languages": "en-N, fr-1", "timezone": "UTC",
		"learn": "Lua modules (beginner)", "share": "Grant proposals (intermediate)",
	}))
	w.Put(Prefix+"Zed", "Zed", Registration(map[string]string{
		"region": "Atlantis", "languages": "en-3", "timezone": "Africa/Lagos",
		"learn": "Underwater basket weaving", "share": "Bots",
	}))
	return w
}

// NewBot is the bot on w with the fixture's program: its taxonomy, its
// registrations, and the directory and problems pages (the other
// behaviours off until a test configures them: WithProposals, ...).
func NewBot(w *wikitest.Wiki) *Bot {
	b := &Bot{Engine: &engine.Engine{Wiki: w, Log: zerolog.Nop(), Now: w.Now}}
	b.Config.Program = program.Config{ParticipantsPrefix: Prefix, TaxonomyPage: TaxonomyPage, WorkingGroup: program.WorkingGroup{Coordinator}}
	b.Config.Directory = directory.Config{DirectoryPage: DirectoryPage, ProblemsPage: ProblemsPage}
	return b
}

// Run runs every task and fails the test on an error.
func Run(t *testing.T, e *Bot) engine.Summary {
	t.Helper()
	sum, err := e.Run(context.Background(), "")
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return sum
}

// OutcomeOf returns the outcome for title.
func OutcomeOf(t *testing.T, sum engine.Summary, title string) engine.Outcome {
	t.Helper()
	for _, o := range sum.Outcomes {
		if o.Title == title {
			return o
		}
	}
	t.Fatalf("no outcome for %q in %+v", title, sum.Outcomes)
	return engine.Outcome{}
}

// Row returns the directory row of a skill: from its name to the next
// Row or the end of the table.
func Row(t *testing.T, page, skillName string) string {
	t.Helper()
	i := strings.Index(page, "'''"+skillName+"'''")
	if i < 0 {
		t.Fatalf("no row for %q in:\n%s", skillName, page)
	}
	rest := page[i:]
	if j := strings.Index(rest, "\n|-"); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.Index(rest, "\n|}"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// Hostile is wikitext that must reach a generated page only as text. It
// is a single template argument: a bare "|" would end the argument, but
// one in a link or a nested call does not (MediaWiki's preprocessor).
const Hostile = "{{Delete}} [[Category:X]] [[Y|}]] {{!}}}\n{{!}}- <nowiki>|}</nowiki>\n__NOTOC__ ~~~~ <script>x</script>"

// PageGolden compares a page's text with testdata/file (-update rewrites
// it).
func PageGolden(t *testing.T, file, title, text string) {
	t.Helper()
	CompareGolden(t, filepath.Join("testdata", file), title, text+"\n", rewriteWith(t))
}

const (
	LedgerPrefix   = "Let's Connect/Connections/"
	OptOutPage     = "Let's Connect/Opt-out"
	OptOutCategory = "No Let's Connect messages"
	OneDay         = 24 * time.Hour
)

// LifecycleFixture is the engine fixture with Alice asking Bob for Bots
// (a request needs no approval), and the lifecycle configured.
func LifecycleFixture(t *testing.T) (*wikitest.Wiki, *Bot) {
	t.Helper()
	w := Fixture(t)
	w.Write = true
	w.Put(Prefix+"Alice", "Alice", w.Text(Prefix+"Alice")+"\n{{Let's Connect request|sharer=Bob|skill=Bots}}\n")
	return w, WithLifecycle(WithProposals(w))
}

// HandEditedFixture is the program of the golden tests of the two pages
// people edit by hand (the proposals page and the ledger): the lifecycle
// fixture with Seán O'Brien registered too, delivered and synced once.
func HandEditedFixture(t *testing.T) *wikitest.Wiki {
	t.Helper()
	w, e := LifecycleFixture(t)
	w.Put(Prefix+"Seán O'Brien", "Seán O'Brien", Registration(map[string]string{
		"region": "Europe", "country": "Ireland", "languages": "en-N, ga-N", "timezone": "Europe/Dublin",
		"learn": "Grant proposals (beginner)", "share": "Lua modules (advanced)",
	}))
	Deliver(t, e)
	Run(t, e)
	return w
}

// AsTyped checks that a page people edit by hand reads in its source as
// a person would write it: times, apostrophes, semicolons as typed; only
// what would act in a template argument is encoded.
func AsTyped(t *testing.T, title, text string) {
	t.Helper()
	if strings.Contains(text, "&#58;") || strings.Contains(text, "&#59;") || strings.Contains(text, "&#39;") {
		t.Errorf("%s encodes characters a template argument does not need encoded:\n%s", title, text)
	}
}

// Defaults is the bot's configuration with no variable set. The defaults
// are defined once, by the configuration's tags (internal/config), and the
// domain uses what it is given as it is: the fixtures take the delays and
// the outreach numbers from here, so the golden plans are what the bot
// does with its default settings.
var Defaults = func() config.Config {
	cfg, err := config.Load(map[string]string{})
	if err != nil {
		panic(err)
	}
	return cfg
}()

// WithLifecycle configures the engine's connection lifecycle: the ledger,
// the opt-outs, the caps and the delays.
func WithLifecycle(e *Bot) *Bot {
	e.Config.Lifecycle.LedgerPrefix = LedgerPrefix
	e.Config.Messages.OptOutPage = OptOutPage
	e.Config.Messages.OptOutCategory = OptOutCategory
	e.Config.Messages.MaxMessages = 50
	e.Config.Messages.MaxMessagesPerPerson = 4
	e.Config.Lifecycle.ReminderDays = Defaults.Lifecycle.ReminderDays
	e.Config.Lifecycle.NoResponseDays = Defaults.Lifecycle.NoResponseDays
	e.Config.Lifecycle.CheckInDays = Defaults.Lifecycle.CheckInDays
	return e
}

func Deliver(t *testing.T, e *Bot) engine.DeliverySummary {
	t.Helper()
	sum, err := e.Deliver(context.Background(), "")
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	return sum
}

// LedgerRows parses every ledger page of the fake wiki.
func LedgerRows(t *testing.T, w *wikitest.Wiki) []*program.Connection {
	t.Helper()
	tx, _ := program.ParseTaxonomy(TaxonomyPage, TaxonomyText)
	refs, _ := w.ListPrefix(context.Background(), LedgerPrefix)
	var out []*program.Connection
	for _, r := range refs {
		rows, problems := lifecycle.ParseLedger(r.Title, w.Text(r.Title), tx)
		if len(problems) > 0 {
			t.Fatalf("the bot's own ledger has problems: %v", problems)
		}
		out = append(out, rows...)
	}
	return out
}

func OnlyRow(t *testing.T, w *wikitest.Wiki) *program.Connection {
	t.Helper()
	rows := LedgerRows(t, w)
	if len(rows) != 1 {
		t.Fatalf("%d ledger rows, want 1", len(rows))
	}
	return rows[0]
}

// Sections counts the bot's messages of a kind on a user's talk page.
func Sections(w *wikitest.Wiki, user string, kind program.MessageKind) int {
	return strings.Count(w.Text("User talk:"+user), "/"+string(kind)+"/"+user+" -->")
}

// Reply appends a signed reply under the last section of a talk page.
func Reply(w *wikitest.Wiki, page, user, text string) {
	w.Put(page, user, w.Text(page)+"\n:"+text+" "+wikitest.Signature(user, w.Now()))
}

// Answer appends a signed reply with the answer template under the last
// section of a talk page: args are its arguments ("yes", "no|reason=time").
func Answer(w *wikitest.Wiki, page, user, args string) {
	Reply(w, page, user, "{{Let's Connect answer|"+args+"}}")
}

// Rename renames a participant's account as Renameuser does (their user
// and talk pages move) and moves their registration to the new name, as
// they would, leaving a redirect.
func Rename(w *wikitest.Wiki, old, new string) {
	w.RenameUser(old, new)
	w.Put(Prefix+new, new, w.Text(Prefix+old))
	w.Put(Prefix+old, new, "#REDIRECT [["+Prefix+new+"]]")
}

// BothSayYes brings the lifecycle fixture's connection to accepted: the
// messages out, Bob's and Alice's yes read.
func BothSayYes(t *testing.T, w *wikitest.Wiki, e *Bot) {
	t.Helper()
	Deliver(t, e)
	Answer(w, "User talk:Bob", "Bob", "yes")
	Answer(w, "User talk:Alice", "Alice", "yes")
	Deliver(t, e)
}

// EditRow changes a ledger row as a person would.
func EditRow(t *testing.T, w *wikitest.Wiki, user, id, from, to string) {
	t.Helper()
	c := LedgerRows(t, w)[0]
	for _, r := range LedgerRows(t, w) {
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

// DayOf writes a time's day, as the ledger does.
func DayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

const OutreachPage = "Let's Connect/Invitations"

// OutreachFixture is the engine fixture a day after outreach was switched
// on: Alice, Bob, Chidi and Zed registered before; Dana (French, who
// follows English events through interpretation), Emeka (who attended a
// clinic), Farah (paused), Gus (opted out with {{bots}}) and Hana (who
// speaks German only) registered since, all wanting to learn bots. Bob
// leads a bots clinic in English, interpreted into French, two weeks
// ahead; another is cancelled, another starts tomorrow (within the
// notice period), another in six weeks (beyond the days ahead), and a
// past one was attended by Emeka. Bob also has a 1:1 coffee about bots
// with Chidi: nobody else is invited to it.
func OutreachFixture(t *testing.T) (*wikitest.Wiki, *Bot) {
	t.Helper()
	w := Fixture(t)
	w.Write = true
	w.Advance(30 * OneDay)
	since := w.Now()
	w.Advance(time.Hour)
	for name, fields := range map[string]map[string]string{
		"Dana":  {"languages": "fr-N, en-1", "timezone": "Europe/Paris"},
		"Emeka": {"languages": "en-N", "timezone": "Africa/Lagos"},
		"Farah": {"languages": "en-3", "timezone": "UTC", "status": "paused"},
		"Gus":   {"languages": "en-N", "timezone": "UTC"},
		"Hana":  {"languages": "de-N", "timezone": "Europe/Berlin"},
	} {
		fields["region"], fields["country"], fields["learn"] = "NWE", "France", "Bots (beginner)"
		w.Put(Prefix+name, name, Registration(fields))
	}
	w.Put("User talk:Gus", "Gus", "{{bots|optout=letsconnect}}")
	// Alice edits her registration after the switch: she registered
	// before it and gets no welcome.
	w.Put(Prefix+"Alice", "Alice", w.Text(Prefix+"Alice")+"\nEdited.\n")
	at := func(days int) string { return w.Now().AddDate(0, 0, days).Format("2006-01-02") + " 15:00" }
	clinic := func(title string, days int, status, attendees string) string {
		fields := map[string]string{"type": "Learning clinic", "title": title, "start": at(days), "duration": "90 min",
			"language": "en", "interpreted": "fr", "skills": "Bots", "sharers": "Bob", "status": status,
			"registration": "https://example.org/register"}
		if attendees != "" {
			fields["attendees"] = attendees
		}
		return EventText(fields)
	}
	w.Put(EventsPrefix+"Clinics", Coordinator, clinic("Bots for beginners", 14, "planned", "")+
		clinic("Cancelled bots", 10, "cancelled", "")+clinic("Bots tomorrow", 1, "planned", "")+
		clinic("Bots later", 42, "planned", "")+clinic("Bots last month", -20, "done", "Emeka")+
		EventText(map[string]string{"type": "1:1 coffee", "title": "Bots coffee", "start": at(12), "duration": "1h",
			"language": "en", "skills": "Bots", "sharers": "Bob", "attendees": "Chidi"}))
	e := WithLifecycle(WithEvents(w))
	e.Config.Outreach.OutreachPage = OutreachPage
	e.Config.Outreach.Since = since
	e.Config.Calendar.FeedURL = "https://letsconnect.example.org"
	e.Config.Outreach.InvitationsPerEvent = Defaults.Outreach.InvitationsPerEvent
	e.Config.Outreach.InviteAheadDays = Defaults.Outreach.InviteAheadDays
	e.Config.Outreach.InviteNoticeDays = Defaults.Outreach.InviteNoticeDays
	return w, e
}

// OutreachRows parses the invitations page of the fake wiki.
func OutreachRows(w *wikitest.Wiki) map[program.MessageKind][]*outreach.OutreachRow {
	out := map[program.MessageKind][]*outreach.OutreachRow{}
	for _, r := range outreach.ParseOutreach(w.Text(OutreachPage)) {
		out[r.Kind] = append(out[r.Kind], r)
	}
	return out
}

func InvitedTo(w *wikitest.Wiki, title string) []string {
	var out []string
	for _, r := range OutreachRows(w)[outreach.MessageInvitation] {
		if r.Title == title {
			for _, d := range r.Messages {
				out = append(out, d.User)
			}
		}
	}
	return out
}

const (
	EventsPrefix  = "Let's Connect/Events/"
	CalendarPage  = "Let's Connect/Calendar"
	ResourcesPage = "Let's Connect/Resources"
	Submissions   = "Let's Connect/Resources/Submissions"
)

func WithEvents(w *wikitest.Wiki) *Bot {
	e := WithProposals(w)
	e.Config.Calendar.EventsPrefix = EventsPrefix
	e.Config.Calendar.CalendarPage = CalendarPage
	e.Config.Calendar.ResourcesPage = ResourcesPage
	e.Config.Calendar.ResourceSubmissions = Submissions
	return e
}

// EventText writes an event template from fields.
func EventText(fields map[string]string) string {
	var b strings.Builder
	b.WriteString("{{Let's Connect event\n")
	for _, k := range program.EventParams {
		if v, ok := fields[k]; ok {
			b.WriteString("|" + k + "=" + v + "\n")
		}
	}
	b.WriteString("}}\n")
	return b.String()
}

func ResourceText(fields map[string]string) string {
	var b strings.Builder
	b.WriteString("{{Let's Connect resource")
	for _, k := range program.ResourceParams {
		if v, ok := fields[k]; ok {
			b.WriteString("|" + k + "=" + v)
		}
	}
	b.WriteString("}}\n")
	return b.String()
}

func CheckEvents(t *testing.T, text string) ([]program.Event, []program.Resource, []program.Problem) {
	t.Helper()
	tx, _ := program.ParseTaxonomy(TaxonomyPage, TaxonomyText)
	ck := &calendar.EventChecker{Taxonomy: tx, Languages: wikitest.DefaultLanguages}
	return ck.Check(EventsPrefix+"X", wikitest.Epoch, text)
}

// CalendarFixture is the engine fixture with a few events around the fake
// clock's day and an India-based majority (a half-hour zone).
func CalendarFixture(t *testing.T) (*wikitest.Wiki, *Bot) {
	t.Helper()
	w := Fixture(t)
	w.Write = true
	for _, name := range []string{"Priya", "Ravi"} {
		w.Put(Prefix+name, name, Registration(map[string]string{
			"region": "South Asia", "country": "India", "languages": "en-3, hi-N", "timezone": "Asia/Kolkata", "learn": "Bots",
		}))
	}
	now := w.Now()
	day := func(d int, hm string) string { return now.AddDate(0, 0, d).Format("2006-01-02") + " " + hm }
	w.Put(EventsPrefix+"Bots clinic", Coordinator, EventText(map[string]string{
		"type": "learning clinic", "title": "Bots <b>for</b> [[beginners]]", "start": day(10, "14:00"), "language": "en", "interpreted": "fr",
		"skills": "Bots", "sharers": "Bob", "audience": "Newcomers", "purpose": "A first bot", "registration": "https://example.org/r",
	}))
	w.Put(EventsPrefix+"Late 1:1", "Bob", EventText(map[string]string{
		"type": "1:1", "title": "Late talk", "start": day(3, "23:00"), "duration": "2h", "skills": "grants", "sharers": "Alice",
	}))
	w.Put(EventsPrefix+"Cancelled", Coordinator, EventText(map[string]string{
		"type": "regional session", "title": "Regional session LAC", "start": day(20, "15:00"), "status": "cancelled", "language": "es",
	}))
	w.Put(EventsPrefix+"Past clinic", Coordinator, EventText(map[string]string{
		"type": "clinic", "title": "Grant proposals clinic", "start": day(-30, "12:00"), "status": "done", "skills": "grants",
		"attendees": "Alice, Bob", "unregistered": "5",
	})+ResourceText(map[string]string{"title": "Recording", "type": "recording", "link": "https://commons.wikimedia.org/wiki/File:Clinic.webm", "skills": "grants", "language": "en", "date": day(-29, "")[:10]})+
		ResourceText(map[string]string{"title": "Slides", "type": "slides", "link": "File:Clinic slides.pdf", "skills": "grants, Bots", "language": "en"}))
	w.Put(Submissions, "Chidi", ResourceText(map[string]string{"title": "My notes", "type": "notes", "link": "https://example.org/notes", "language": "fr"}))
	return w, WithEvents(w)
}

const ProposalsPage = "Let's Connect/Proposed connections"

func WithProposals(w *wikitest.Wiki) *Bot {
	e := NewBot(w)
	e.Config.Proposals.ProposalsPage = ProposalsPage
	return e
}

// RowsOf returns the proposal rows of the page, by status.
func RowsOf(t *testing.T, w *wikitest.Wiki) map[program.Status][]proposals.Proposal {
	t.Helper()
	tx, _ := program.ParseTaxonomy(TaxonomyPage, TaxonomyText)
	rows, problems := proposals.ParseProposals(ProposalsPage, w.Text(ProposalsPage), tx)
	if len(problems) > 0 {
		t.Fatalf("the bot's own page has problems: %v", problems)
	}
	out := map[program.Status][]proposals.Proposal{}
	for _, r := range rows {
		out[r.Status] = append(out[r.Status], r)
	}
	return out
}

// SetStatus edits the row of sharer → learner as a person would.
func SetStatus(t *testing.T, w *wikitest.Wiki, user, sharer, learner string, status program.Status) {
	t.Helper()
	lines := strings.Split(w.Text(ProposalsPage), "\n")
	found := false
	for i, line := range lines {
		if strings.Contains(line, "|sharer="+wikitext.Escape(sharer)+"|") && strings.Contains(line, "|learners="+wikitext.Escape(learner)+"|") {
			lines[i] = strings.Replace(line, "|status=proposed|", "|status="+string(status)+"|", 1)
			found = true
		}
	}
	if !found {
		t.Fatalf("no row %s → %s on:\n%s", sharer, learner, w.Text(ProposalsPage))
	}
	w.Put(ProposalsPage, user, strings.Join(lines, "\n"))
}

// PlanNow reads what a delivery run reads (the program, the opt-out list,
// the talk pages of DeliveryAudience) and returns the run's plan, without
// applying it.
func PlanNow(t *testing.T, e *Bot, w *wikitest.Wiki) *program.MessagePlan {
	t.Helper()
	ctx := context.Background()
	st, err := e.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ledger := fmt.Sprint(st.Ledger)
	plan, err := e.PlanDelivery(ctx, st, "")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(st.Ledger) != ledger {
		t.Error("planning changed the rows it read")
	}
	return plan
}

// CheckGolden compares got with testdata/delivery/NAME.txt (-update
// rewrites it).
func CheckGolden(t *testing.T, name, got string) {
	t.Helper()
	CompareGolden(t, filepath.Join("testdata", "delivery", name+".txt"), "the "+name+" plan", got, rewriteWith(t))
}

// CompareGolden compares got, what is described, with the file at path;
// with -update it rewrites the file. rewrite says how.
func CompareGolden(t *testing.T, path, what, got, rewrite string) {
	t.Helper()
	if *Update {
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

// PlanScenario is a state to plan from: setup brings the fixture there;
// the plan is pinned in testdata/delivery/NAME.txt.
type PlanScenario struct {
	Name  string
	Setup func(t *testing.T, w *wikitest.Wiki, e *Bot)
}

// CheckPlans plans each scenario from a new fixture, twice (the same
// plan), and compares the plan with its golden file.
func CheckPlans(t *testing.T, fixture func(*testing.T) (*wikitest.Wiki, *Bot), scenarios []PlanScenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			w, e := fixture(t)
			sc.Setup(t, w, e)
			plan := PlanNow(t, e, w)
			if again := PlanNow(t, e, w); again.Format() != plan.Format() {
				t.Error("two plans of the same state differ")
			}
			CheckGolden(t, sc.Name, plan.Format())
		})
	}
}

// StopAfter runs a delivery that posts n messages and then stops, its
// record (page) lost too, as when the process is killed.
func StopAfter(w *wikitest.Wiki, e *Bot, n int, page string) {
	posted := 0
	w.BeforeSection = func(string) error {
		if posted == n {
			return errors.New("killed")
		}
		posted++
		return nil
	}
	e.Deliver(context.Background(), "")
	w.Delete(page)
	w.BeforeSection = nil
}

// Edits counts the outcomes that wrote.
func Edits(sum engine.Summary) int {
	return sum.Count(wiki.Created) + sum.Count(wiki.Updated)
}
