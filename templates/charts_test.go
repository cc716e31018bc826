package templates_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/PuerkitoBio/goquery"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// hostileLabels are participant texts that would be markup if they
// reached the page unescaped: templates, parameters, parser functions,
// links, categories, files, table syntax, HTML, comments, extension tags,
// bold and italics, signatures, behaviour switches, line-start syntax,
// language conversion, free and bracketed external links, character
// references, attribute injection, and line breaks that would start new
// table rows.
var hostileLabels = []string{
	"{{x}}",
	"[[Category:X]]",
	"|}",
	"<script>alert(1)</script>",
	"'''bold''' and ''italic''",
	"{{subst:x}} {{{1}}} {{#invoke:X|y}} {{#if:1|yes}}",
	"[[File:X.png]] [[Main Page|main]]",
	"{| |- |+ ! head !! more || cell",
	"~~~~",
	"__NOTOC__ __NOINDEX__",
	"* item",
	"== heading ==",
	"-{zh-hans:x}-",
	"https://example.org/ [https://example.org x]",
	"&lt;b&gt; &amp;",
	"<nowiki>x</nowiki> <!-- comment --> <ref>r</ref>",
	`"quoted" onmouseover="alert(1)`,
	"line one\n|}\n{{x}}\n[[Category:Y]]",
}

// clean is what wikitext.Escape keeps of s for the reader: the text on one
// line, runs of blanks as one space.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// barRE finds each bar's value, title and width in BarChart's wikitext.
var barRE = regexp.MustCompile(`<div class="lc-bar" data-value="([^"]*)" title="([^"]*)"[^>]*style="[^"]*[";]width:([^;"]*)`)

type wikitextBar struct{ value, title, width string }

func wikitextBars(t *testing.T, chart string) []wikitextBar {
	t.Helper()
	var bars []wikitextBar
	for _, m := range barRE.FindAllStringSubmatch(chart, -1) {
		bars = append(bars, wikitextBar{m[1], m[2], m[3]})
	}
	return bars
}

func barsOf(values ...float64) []templates.Bar {
	bars := make([]templates.Bar, len(values))
	for k, v := range values {
		bars[k] = templates.Bar{Label: fmt.Sprintf("bar %d", k), Value: v, Text: fmt.Sprint(v)}
	}
	return bars
}

func TestBarChartWidths(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float64
		want   []string
	}{
		{"largest first", []float64{10, 5, 0}, []string{"100.0%", "50.0%", "0.0%"}},
		{"largest in the middle", []float64{1, 3, 2}, []string{"33.3%", "100.0%", "66.7%"}},
		{"one bar", []float64{7}, []string{"100.0%"}},
		{"ties", []float64{4, 4, 1}, []string{"100.0%", "100.0%", "25.0%"}},
		{"fractions", []float64{0.61, 0.305, 0.0061}, []string{"100.0%", "50.0%", "1.0%"}},
		{"tiny value", []float64{1000, 0.4}, []string{"100.0%", "0.0%"}},
		{"all zero", []float64{0, 0, 0}, []string{"0.0%", "0.0%", "0.0%"}},
		{"out of range values count as 0", []float64{-5, math.NaN(), math.Inf(1), 2}, []string{"0.0%", "0.0%", "0.0%", "100.0%"}},
		{"no bars", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chart := templates.BarChart("Chart", barsOf(tc.values...))
			var got []string
			for _, bar := range wikitextBars(t, chart) {
				got = append(got, bar.width)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("widths %q, want %q\n%s", got, tc.want, chart)
			}
			if n := strings.Count(chart, `class="lc-bar-label"`); n != len(tc.values) {
				t.Errorf("%d labels, want %d", n, len(tc.values))
			}
			if n := strings.Count(chart, `class="lc-bar-text"`); n != len(tc.values) {
				t.Errorf("%d texts, want %d", n, len(tc.values))
			}
			if !strings.HasPrefix(chart, "{|") || !strings.HasSuffix(chart, "\n|}") {
				t.Errorf("not one table on lines of its own:\n%s", chart)
			}
		})
	}
}

// A bar's data-value is its value; a zero bar has no border (which would
// show it 2 pixels wide).
func TestBarChartValuesAndEmptyBars(t *testing.T) {
	chart := templates.BarChart("c", []templates.Bar{
		{Label: "a", Value: 109, Text: "61% (109)"},
		{Label: "b", Value: 0.5, Text: "half"},
		{Label: "c", Value: 0, Text: "none"},
		{Label: "d", Value: -1, Text: "negative"},
	})
	bars := wikitextBars(t, chart)
	var values, titles []string
	for _, bar := range bars {
		values = append(values, bar.value)
		titles = append(titles, bar.title)
	}
	if want := []string{"109", "0.5", "0", "0"}; !slices.Equal(values, want) {
		t.Errorf("data-value %q, want %q", values, want)
	}
	if want := []string{"61% (109)", "half", "none", "negative"}; !slices.Equal(titles, want) {
		t.Errorf("titles %q, want %q", titles, want)
	}
	for _, line := range strings.Split(chart, "\n") {
		if !strings.Contains(line, `class="lc-bar"`) {
			continue
		}
		empty := strings.Contains(line, "width:0.0%")
		if border := strings.Contains(line, "border:"); border == empty {
			t.Errorf("empty=%v but border=%v: %s", empty, border, line)
		}
	}
}

func TestBarChartDeterministic(t *testing.T) {
	bars := []templates.Bar{
		{Label: "Wikidata", Value: 109, Text: "61% (109)"},
		{Label: "Commons", Value: 40, Text: "22% (40)"},
		{Label: "{{x}}", Value: 0, Text: "0% (0)"},
	}
	first := templates.BarChart("Projects", bars)
	for range 50 {
		if got := templates.BarChart("Projects", slices.Clone(bars)); got != first {
			t.Fatalf("output changed between calls:\n%s\n---\n%s", first, got)
		}
	}
}

// No markup from the caption, a label or a text survives: each appears
// only in its escaped form, and the chart's lines are all the chart's own.
func TestBarChartEscapesHostileText(t *testing.T) {
	var bars []templates.Bar
	for _, label := range hostileLabels {
		bars = append(bars, templates.Bar{Label: label, Value: 1, Text: label})
	}
	caption := "{{caption}} [[Category:Caption]] |} <b>"
	chart := templates.BarChart(caption, bars)

	for _, s := range []string{"{{", "}}", "[[", "]]", "<script", "<b>", "'''", "''", "~~~", "__NOTOC__", "<!--", "<nowiki", "<ref", "-{", "https://"} {
		if strings.Contains(chart, s) {
			t.Errorf("the chart contains %q:\n%s", s, chart)
		}
	}
	if n := strings.Count(chart, "{|"); n != 1 {
		t.Errorf(`%d "{|", want 1 (the chart's own)`, n)
	}
	if n := strings.Count(chart, "|}"); n != 1 || !strings.HasSuffix(chart, "\n|}") {
		t.Errorf(`%d "|}", want 1 (the chart's own, at the end)`, n)
	}
	// Every line is one the chart writes: no input started a row, a cell
	// or a heading.
	lines := strings.Split(chart, "\n")
	if want := 2 + 4*len(bars) + 1; len(lines) != want {
		t.Errorf("%d lines, want %d", len(lines), want)
	}
	for k, line := range lines {
		ok := false
		for _, prefix := range []string{`{| class="lc-barchart"`, `|+ class="lc-barchart-caption"`, `|-`, `! scope="row" class="lc-bar-label"`, `| class="lc-bar-cell"`, `| class="lc-bar-text"`, `|}`} {
			if strings.HasPrefix(line, prefix) {
				ok = true
			}
		}
		if !ok || (line == "|}" && k != len(lines)-1) || (line != "|-" && strings.HasPrefix(line, "|-")) {
			t.Errorf("line %d is not the chart's: %q", k, line)
		}
	}
	for _, label := range hostileLabels {
		if !strings.Contains(chart, "| "+wikitext.Escape(label)+"\n") {
			t.Errorf("escaped label %q missing", label)
		}
	}
	// The title attribute holds the text without a bare quote, so a text
	// cannot add attributes.
	for _, bar := range wikitextBars(t, chart) {
		if strings.ContainsAny(bar.title, `"<>`) {
			t.Errorf("title %q", bar.title)
		}
	}
	if strings.Contains(chart, "onmouseover=") && !strings.Contains(chart, "onmouseover&#61;") {
		t.Error("an attribute name from a text reached the wikitext")
	}
}

// Page templates reach BarChart as barchart.
func TestBarChartInTemplates(t *testing.T) {
	bars := barsOf(3, 1)
	tmpl := template.Must(template.New("").Funcs(templates.Funcs).Parse("{{barchart .Caption .Bars}}\n"))
	var buf bytes.Buffer
	err := tmpl.Execute(&buf, struct {
		Caption string
		Bars    []templates.Bar
	}{"Skills", bars})
	if err != nil {
		t.Fatal(err)
	}
	if want := templates.BarChart("Skills", bars) + "\n"; buf.String() != want {
		t.Errorf("template gave\n%s\nwant\n%s", buf.String(), want)
	}
}

// parseResult is what action=parse returns for prop=text|templates|categories.
type parseResult struct {
	Text       string            `json:"text"`
	Templates  []json.RawMessage `json:"templates"`
	Categories []json.RawMessage `json:"categories"`
}

// parseWikitext renders text on the local wiki as an unsaved page.
func parseWikitext(t *testing.T, api, text string) parseResult {
	t.Helper()
	form := url.Values{
		"action":             {"parse"},
		"text":               {text},
		"contentmodel":       {"wikitext"},
		"prop":               {"text|templates|categories"},
		"disablelimitreport": {"1"},
		"formatversion":      {"2"},
		"format":             {"json"},
	}
	client := &http.Client{Timeout: 60 * time.Second}
	resp, err := client.PostForm(api, form)
	if err != nil {
		t.Fatalf("action=parse: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("action=parse: HTTP %s", resp.Status)
	}
	var out struct {
		Parse    *parseResult                 `json:"parse"`
		Error    *struct{ Code, Info string } `json:"error"`
		Warnings json.RawMessage              `json:"warnings"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("action=parse: %v", err)
	}
	if out.Error != nil {
		t.Fatalf("action=parse: %s: %s", out.Error.Code, out.Error.Info)
	}
	if len(out.Warnings) > 0 {
		t.Errorf("action=parse warned (MediaWiki changed the input): %s", out.Warnings)
	}
	if out.Parse == nil {
		t.Fatal("action=parse returned no parse")
	}
	return *out.Parse
}

// styleOf splits an inline style into its declarations.
func styleOf(s *goquery.Selection) map[string]string {
	style, _ := s.Attr("style")
	decls := map[string]string{}
	for _, decl := range strings.Split(style, ";") {
		if name, value, ok := strings.Cut(decl, ":"); ok {
			decls[strings.TrimSpace(strings.ToLower(name))] = strings.TrimSpace(value)
		}
	}
	return decls
}

// The charts render on a real MediaWiki, with nothing installed: each bar
// in its row with its label and text, at the expected width, with the
// styles the sanitizer kept; hostile labels stay text.
func TestBarChartOnWiki(t *testing.T) {
	env := devwiki.Start(t)
	api := env.APIURL
	if u, err := url.Parse(api); err != nil || net.ParseIP(u.Hostname()) == nil || !net.ParseIP(u.Hostname()).IsLoopback() {
		t.Fatalf("API URL %q is not the local wiki", api)
	}

	// The checks below can fail: the same hostile text unescaped gives
	// templates and categories.
	control := parseWikitext(t, api, "{{x}} [[Category:X]]")
	if len(control.Templates) == 0 || len(control.Categories) == 0 {
		t.Fatalf("control: unescaped markup gave templates %s and categories %s; the checks below would prove nothing", control.Templates, control.Categories)
	}

	var hostile []templates.Bar
	for k, label := range hostileLabels {
		hostile = append(hostile, templates.Bar{Label: label, Value: float64(k), Text: label + " (" + fmt.Sprint(k) + ")"})
	}
	type chart struct {
		name    string
		caption string
		bars    []templates.Bar
		widths  []string
	}
	hostileWidths := make([]string, len(hostile))
	for k := range hostile {
		hostileWidths[k] = fmt.Sprintf("%.1f%%", 100*float64(k)/float64(len(hostile)-1))
	}
	for _, tc := range []chart{
		{
			name:    "skills",
			caption: "Skills participants want to learn",
			bars: []templates.Bar{
				{Label: "Wikidata", Value: 109, Text: "61% (109)"},
				{Label: "Organizing events", Value: 52, Text: "29% (52)"},
				{Label: "Lua modules", Value: 17, Text: "10% (17)"},
				{Label: "Nothing", Value: 0, Text: "0% (0)"},
			},
			widths: []string{"100.0%", "47.7%", "15.6%", "0.0%"},
		},
		{
			name:    "all zero",
			caption: "Before anyone registered",
			bars:    barsOf(0, 0),
			widths:  []string{"0.0%", "0.0%"},
		},
		{
			name:    "hostile",
			caption: "{{caption}} [[Category:Caption]] '''x''' |}",
			bars:    hostile,
			widths:  hostileWidths,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := parseWikitext(t, api, templates.BarChart(tc.caption, tc.bars))
			if len(res.Templates) > 0 {
				t.Errorf("the chart uses templates: %s", res.Templates)
			}
			if len(res.Categories) > 0 {
				t.Errorf("the chart adds categories: %s", res.Categories)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(res.Text))
			if err != nil {
				t.Fatal(err)
			}
			tables := doc.Find("table.lc-barchart")
			if tables.Length() != 1 {
				t.Fatalf("%d chart tables in\n%s", tables.Length(), res.Text)
			}
			if n := doc.Find("table").Length(); n != 1 {
				t.Errorf("%d tables, want 1", n)
			}
			if got := strings.TrimSpace(tables.Find("caption").Text()); got != clean(tc.caption) {
				t.Errorf("caption %q, want %q", got, clean(tc.caption))
			}
			rows := tables.Find("tr")
			if rows.Length() != len(tc.bars) {
				t.Fatalf("%d rows, want %d\n%s", rows.Length(), len(tc.bars), res.Text)
			}
			if n := doc.Find(".lc-bar").Length(); n != len(tc.bars) {
				t.Errorf("%d bars, want %d", n, len(tc.bars))
			}
			rows.Each(func(k int, row *goquery.Selection) {
				want := tc.bars[k]
				label := row.Find("th.lc-bar-label")
				bar := row.Find("td div.lc-bar")
				text := row.Find("td.lc-bar-text")
				if label.Length() != 1 || bar.Length() != 1 || text.Length() != 1 {
					t.Errorf("row %d: %d labels, %d bars, %d texts", k, label.Length(), bar.Length(), text.Length())
					return
				}
				if got := strings.TrimSpace(label.Text()); got != clean(want.Label) {
					t.Errorf("row %d: label %q, want %q", k, got, clean(want.Label))
				}
				if got := strings.TrimSpace(text.Text()); got != clean(want.Text) {
					t.Errorf("row %d: text %q, want %q", k, got, clean(want.Text))
				}
				if got, _ := bar.Attr("title"); got != clean(want.Text) {
					t.Errorf("row %d: title %q, want %q", k, got, clean(want.Text))
				}
				if got, _ := bar.Attr("data-value"); got != fmt.Sprint(want.Value) {
					t.Errorf("row %d: data-value %q, want %v", k, got, want.Value)
				}
				style := styleOf(bar)
				if style["width"] != tc.widths[k] {
					t.Errorf("row %d: width %q, want %q (style %v)", k, style["width"], tc.widths[k], style)
				}
				if style["background"] != "#36c" || style["height"] != "1em" {
					t.Errorf("row %d: the sanitizer changed the bar's style: %v", k, style)
				}
				// Nothing inside a row's cells is an element: all text.
				if n := label.Children().Length() + text.Children().Length() + bar.Children().Length(); n > 0 {
					t.Errorf("row %d: %d elements inside label, bar or text:\n%s", k, n, res.Text)
				}
			})

			// The hostile texts are there for the reader, literally, and
			// made nothing: no script, link, bold, heading, list,
			// reference, image or table of contents.
			page := doc.Text()
			for _, bar := range tc.bars {
				if !strings.Contains(page, clean(bar.Label)) {
					t.Errorf("label %q is not in the rendered text", clean(bar.Label))
				}
			}
			if sel := doc.Find("script, a, b, i, h1, h2, h3, ul, ol, li, sup, img, .mw-references-wrap, #toc, .error"); sel.Length() > 0 {
				html, _ := goquery.OuterHtml(sel.First())
				t.Errorf("%d elements made from the labels, first %s", sel.Length(), html)
			}
			for _, attr := range []string{"onmouseover", "onclick"} {
				if n := doc.Find("[" + attr + "]").Length(); n > 0 {
					t.Errorf("%d elements with %s", n, attr)
				}
			}
		})
	}
}
