package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// readICS reads an iCalendar file with an independent parser, by UID.
func readICS(t *testing.T, path string) map[string]goical.Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cal, err := goical.NewDecoder(f).Decode()
	if err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	out := map[string]goical.Event{}
	for _, ev := range cal.Events() {
		out[ev.Props.Get(goical.PropUID).Value] = ev
	}
	return out
}

// parseImages asks MediaWiki which files a page embeds, and how many
// external links it has.
func parseImages(t *testing.T, env devwiki.Env, title string) (images []string, external int) {
	t.Helper()
	var body struct {
		Parse struct {
			Images        []string `json:"images"`
			ExternalLinks []string `json:"externallinks"`
		} `json:"parse"`
	}
	parse(t, env, title, "images|externallinks", &body)
	return body.Parse.Images, len(body.Parse.ExternalLinks)
}

// TestCalendarEndToEnd: the demo's pilot history and upcoming events on
// the real wiki, the calendar and resources pages as MediaWiki reads
// them, the feeds read back by an independent parser, and an event moved
// on the wiki changing the calendar, its feed entry's SEQUENCE, and
// nothing else.
func TestCalendarEndToEnd(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	ctx := context.Background()
	root := fmt.Sprintf("LC calendar %d", time.Now().UnixNano())
	prog := importDemo(t, root)
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(append(prog.WorkingGroup, env.HumanUser), ","), "LC_EDIT_INTERVAL": "0s",
	}
	runCommand(t, environ, 0, "sync", "--write")
	reader := newReader(t, env)
	calendar, resources := root+"/Calendar", root+"/Resources"

	cal := readPage(t, reader, calendar).Content
	links, templates, categories := parseLinks(t, env, calendar)
	if len(templates) > 0 || len(categories) > 0 {
		t.Errorf("the calendar transcludes %v and categorises in %v", templates, categories)
	}
	upcoming := cal[strings.Index(cal, "== Upcoming =="):strings.Index(cal, "== Past ==")]
	for _, ev := range prog.Events {
		if !links[ev.Page] {
			t.Errorf("%s is not linked from the calendar", ev.Page)
		}
		if (ev.Status != "done" && ev.End().After(time.Now())) != strings.Contains(upcoming, ev.Page[len(root):]) && !strings.Contains(upcoming, strings.ReplaceAll(ev.Page[len(root):], ":", "&#58;")) {
			t.Errorf("%s (%s, %s) is in the wrong section", ev.Title, ev.Status, ev.Start)
		}
	}
	if !strings.Contains(upcoming, "'''(cancelled)'''") {
		t.Error("the cancelled upcoming event is not marked")
	}
	// Resources: linked, never embedded.
	if images, external := parseImages(t, env, resources); len(images) > 0 || external < 20 {
		t.Errorf("the resources page embeds %v and has %d external links", images, external)
	}
	if images, _ := parseImages(t, env, calendar); len(images) > 0 {
		t.Errorf("the calendar embeds %v", images)
	}
	if res := readPage(t, reader, resources).Content; !strings.Contains(res, fmt.Sprintf("'''%d''' resources", prog.Resources)) {
		t.Errorf("the resources page does not count the demo's %d resources:\n%.600s", prog.Resources, res)
	}

	// The feeds.
	dir := t.TempDir()
	out, _ := calendarCommand(t, environ, "--dir", dir)
	if !strings.Contains(out, "all.ics: "+fmt.Sprint(len(prog.Events))+" events") {
		t.Errorf("calendar --dir:\n%s", out)
	}
	all := readICS(t, filepath.Join(dir, "all.ics"))
	if len(all) != len(prog.Events) {
		t.Fatalf("%d events in all.ics, want %d", len(all), len(prog.Events))
	}
	// Events by their page's URL (titles repeat: two coffees on one skill).
	cfg, err := config.Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	pageURL := cfg.PageURL()
	byURL := map[string]goical.Event{}
	for _, ev := range all {
		byURL[ev.Props.Get(goical.PropURL).Value] = ev
	}
	var moved string
	for _, want := range prog.Events {
		ev, ok := byURL[pageURL(want.Page)]
		if !ok {
			t.Errorf("%q is not in the feed", want.Title)
			continue
		}
		start, _ := ev.DateTimeStart(time.UTC)
		end, _ := ev.DateTimeEnd(time.UTC)
		status := ev.Props.Get(goical.PropStatus).Value
		if !start.Equal(want.Start) || !end.Equal(want.End()) || (status == "CANCELLED") != (want.Status == "cancelled") {
			t.Errorf("%q: %v–%v %s, want %v–%v %s", want.Title, start, end, status, want.Start, want.End(), want.Status)
		}
		if want.Status == "planned" && moved == "" {
			moved = want.Page
		}
	}
	for _, name := range []string{"language-fr.ics", "language-es.ics"} {
		if got := readICS(t, filepath.Join(dir, name)); len(got) == 0 || len(got) >= len(all) {
			t.Errorf("%s has %d events", name, len(got))
		}
	}

	// A person moves an upcoming event by a day: the next sync edits the
	// calendar only, and the feed bumps that event's SEQUENCE.
	page := readPage(t, reader, moved)
	human := newHuman(t, env, root)
	var next string
	for _, line := range strings.Split(page.Content, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "|start") {
			_, v, _ := strings.Cut(line, "=")
			start, err := time.Parse("2006-01-02 15:04", strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("the demo's start %q: %v", v, err)
			}
			next = strings.Replace(page.Content, line, "|start = "+start.AddDate(0, 0, 1).Format("2006-01-02 15:04"), 1)
		}
	}
	if _, err := human.Edit(ctx, wiki.EditRequest{Title: moved, Text: next, Summary: "move by a day", Base: page}); err != nil {
		t.Fatal(err)
	}
	_, sum := runCommand(t, environ, 0, "sync", "--write")
	if sum.Edits != pageLanguages || sum.Unchanged != generatedPages-pageLanguages {
		t.Errorf("after moving an event: %+v, want the calendar only, in each language", sum)
	}
	calendarCommand(t, environ, "--dir", dir)
	for uid, ev := range readICS(t, filepath.Join(dir, "all.ics")) {
		summary, _ := ev.Props.Text(goical.PropSummary)
		wantSeq := "0"
		if ev.Props.Get(goical.PropURL).Value == pageURL(moved) {
			wantSeq = "1"
		}
		if got := ev.Props.Get(goical.PropSequence).Value; got != wantSeq {
			t.Errorf("%s (%s): SEQUENCE %s, want %s", summary, uid, got, wantSeq)
		}
	}
}

// calendarCommand runs `letsconnect calendar` and returns its output.
func calendarCommand(t *testing.T, environ map[string]string, args ...string) (string, int) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := Main(context.Background(), append([]string{"calendar"}, args...), pilotEnviron(environ), strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("letsconnect calendar %v: exit %d\n%s\n%s", args, code, stdout.String(), stderr.String())
	}
	return stdout.String(), code
}
