package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// TestReportOnTheWiki: `letsconnect report --format json` prints the
// figures, and the report page's charts render on the real wiki with the
// bars the figures call for, as MediaWiki's HTML shows them.
func TestReportOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC report %d", time.Now().UnixNano())
	prog := importDemo(t, root)
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(prog.WorkingGroup, ","), "LC_EDIT_INTERVAL": "0s",
	}
	runCommand(t, environ, 0, "sync", "--write")
	// The history is a JSON page with today's snapshot; the next run,
	// comparing data (MediaWiki reformats JSON when it saves it), makes
	// no edit.
	history := readPage(t, newReader(t, env), root+"/Report/History.json")
	if history.ContentModel != wiki.ContentModelJSON || !strings.Contains(history.Content, `"date": "`+time.Now().UTC().Format(time.DateOnly)+`"`) {
		t.Errorf("the history page is %s:\n%.500s", history.ContentModel, history.Content)
	}
	if _, sum := runCommand(t, environ, 0, "sync", "--write"); sum.Edits != 0 {
		t.Errorf("the second sync made %d edits", sum.Edits)
	}

	var stdout, stderr strings.Builder
	if code := Main(t.Context(), []string{"report", "--format", "json"}, environ, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("report: exit %d\n%s", code, stderr.String())
	}
	var r report.Report
	if err := json.Unmarshal([]byte(stdout.String()), &r); err != nil {
		t.Fatalf("report --format json is not the report: %v\n%.500s", err, stdout.String())
	}
	wantRegs := len(prog.Participants) + len(prog.Helped)
	for _, m := range prog.Mistakes {
		if m.Usable {
			wantRegs++
		}
	}
	if r.Registered != wantRegs || r.Countries < 25 || r.Participation.Clinics != 10 || r.Resources.Total != prog.Resources {
		t.Errorf("report: %d registered (want %d), %d countries, %d clinics, %d resources", r.Registered, wantRegs, r.Countries, r.Participation.Clinics, r.Resources.Total)
	}

	// The page as MediaWiki renders it.
	var body struct {
		Parse struct {
			Text       string                      `json:"text"`
			Templates  []struct{ Title string }    `json:"templates"`
			Categories []struct{ Category string } `json:"categories"`
		} `json:"parse"`
	}
	parse(t, env, root+"/Report", "text|templates|categories", &body)
	if len(body.Parse.Templates) > 0 || len(body.Parse.Categories) > 0 {
		t.Errorf("the report transcludes %v and categorises in %v", body.Parse.Templates, body.Parse.Categories)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body.Parse.Text))
	if err != nil {
		t.Fatal(err)
	}
	// Each chart: its caption, then rows of label, bar, text.
	charts := map[string][]program.Count{
		"Regions": r.Regions,
		"Registered people by sessions attended": {
			{Name: "none", N: r.Participation.None, Share: r.Participation.NoneShare},
			{Name: "one", N: r.Participation.One, Share: r.Participation.OneShare},
			{Name: "two or more", N: r.Participation.TwoOrMore, Share: r.Participation.TwoOrMoreShare}},
		"By type": r.Resources.ByType,
	}
	found := 0
	doc.Find("table").Each(func(_ int, table *goquery.Selection) {
		caption := strings.TrimSpace(table.Find("caption").Text())
		want, ok := charts[caption]
		if !ok {
			return
		}
		found++
		largest := 0.0
		for _, c := range want {
			largest = math.Max(largest, c.Share)
		}
		rows := table.Find("tr")
		if rows.Length() != len(want) {
			t.Errorf("%s: %d bars, want %d", caption, rows.Length(), len(want))
			return
		}
		rows.Each(func(i int, row *goquery.Selection) {
			label := strings.TrimSpace(row.Find(".lc-bar-label").Text())
			style, _ := row.Find(".lc-bar").Attr("style")
			text := strings.TrimSpace(row.Find(".lc-bar-text").Text())
			wantWidth := "width:" + strconv.FormatFloat(want[i].Share*100/largest, 'f', 1, 64) + "%"
			if label != want[i].Name || !strings.Contains(style, wantWidth) || !strings.Contains(text, fmt.Sprintf("(%d)", want[i].N)) {
				t.Errorf("%s, bar %d: label %q, style %q, text %q; want %q, %s, (%d)", caption, i, label, style, text, want[i].Name, wantWidth, want[i].N)
			}
		})
	})
	if found != len(charts) {
		t.Errorf("found %d of the %d charts in the rendered report", found, len(charts))
	}
}
