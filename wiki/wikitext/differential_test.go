package wikitext

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
)

// Longer runs: go test ./wiki/wikitext -run Differential -args
// -differential.count=20000 -differential.seed=7
var (
	differentialCount = flag.Int("differential.count", 2400, "number of inputs TestDifferentialParseTree checks (200 with -short)")
	differentialSeed  = flag.Uint64("differential.seed", 20240601, "seed of TestDifferentialParseTree's input generator")
)

// TestDifferentialParseTree parses generated wikitext with the local
// MediaWiki (action=parse&prop=parsetree) and with Parse, and requires the
// same tree and the same template arguments for every input.
func TestDifferentialParseTree(t *testing.T) {
	env := devwiki.Start(t)
	api := localAPI(t, env.APIURL)

	count := *differentialCount
	if testing.Short() {
		count = min(count, 200)
	}
	inputs := differentialInputs(count, *differentialSeed)
	client := &http.Client{Timeout: 30 * time.Second}
	started := time.Now()
	mismatches := 0
	for k, input := range inputs {
		mwXML, err := mediaWikiParseTree(client, api, input)
		if err != nil {
			t.Fatalf("input %d %q: %v", k, input, err)
		}
		mwTree, err := parseMWXML(mwXML)
		if err != nil {
			t.Fatalf("input %d %q: MediaWiki's tree %q: %v", k, input, mwXML, err)
		}
		want := canonical(mwTree)
		tree := Parse(input)
		got := canonical(treeToX(tree))
		if got != want {
			mismatches++
			t.Errorf("input %d differs from MediaWiki:\ninput:     %q\nmediawiki: %s\nours:      %s", k, input, want, got)
		} else if err := checkTree(tree); err != nil {
			t.Errorf("input %d %q: %v", k, input, err)
		}
		wantTemplates := templatesFromX(mwTree)
		var gotTemplates []xTemplate
		for _, tpl := range tree.Templates() {
			gotTemplates = append(gotTemplates, xTemplate{tpl.Name, tpl.Map()})
		}
		if !reflect.DeepEqual(gotTemplates, wantTemplates) {
			mismatches++
			t.Errorf("input %d: template arguments differ from MediaWiki's tree:\ninput:     %q\nmediawiki: %v\nours:      %v", k, input, wantTemplates, gotTemplates)
		}
		if mismatches >= 20 {
			t.Fatalf("stopping after %d mismatches", mismatches)
		}
	}
	t.Logf("%d inputs agree with MediaWiki in %v", len(inputs), time.Since(started).Round(time.Millisecond))
}

// localAPI returns the api.php URL, refusing anything but the loopback
// wiki: the test posts thousands of requests.
func localAPI(t *testing.T, apiURL string) string {
	t.Helper()
	u, err := url.Parse(apiURL)
	if err != nil {
		t.Fatalf("API URL %q: %v", apiURL, err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		t.Fatalf("API URL %q is not on 127.0.0.1; the differential test only talks to the local wiki", apiURL)
	}
	return apiURL
}

func mediaWikiParseTree(client *http.Client, api, text string) (string, error) {
	form := url.Values{
		"action":        {"parse"},
		"prop":          {"parsetree"},
		"contentmodel":  {"wikitext"},
		"text":          {text},
		"format":        {"json"},
		"formatversion": {"2"},
	}
	resp, err := client.PostForm(api, form)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %s", resp.Status)
	}
	var out struct {
		Parse struct {
			ParseTree string `json:"parsetree"`
		} `json:"parse"`
		Error    *struct{ Code, Info string } `json:"error"`
		Warnings json.RawMessage              `json:"warnings"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	if out.Error != nil {
		return "", fmt.Errorf("API error %s: %s", out.Error.Code, out.Error.Info)
	}
	if len(out.Warnings) > 0 {
		// MediaWiki changed the input (non-NFC text, control characters):
		// the generator must not produce such text.
		return "", fmt.Errorf("API warnings: %s", out.Warnings)
	}
	return out.Parse.ParseTree, nil
}

// differentialInputs returns the hand-written cases of the unit tests
// followed by generated ones, n in all.
func differentialInputs(n int, seed uint64) []string {
	inputs := append([]string(nil), handWrittenInputs()...)
	g := &generator{r: rand.New(rand.NewPCG(seed, 1))}
	for len(inputs) < n {
		inputs = append(inputs, g.input())
	}
	return inputs[:n]
}

// generator produces random wikitext: nested templates, tplargs, links,
// comments, extension and inclusion tags, headings and language conversion
// markup, interleaved with stray pieces of all of them and then mutated, so
// that balanced and unbalanced input both occur.
type generator struct {
	r     *rand.Rand
	depth int
}

// Words are ASCII, blanks and NFC text: MediaWiki normalises input to NFC
// and rejects control characters, which would make the trees differ for
// reasons outside the preprocessor.
var genWords = []string{
	"foo", "Bar", "a b", " ", "  ", "\t", "x_y", "é", "日本", "😀", "Template:Foo", "template : bar",
	"#if:", "1", "2", "subst:", "a=b", "~~~", "''", "http://example.org", "-", "!", "/", ">", "&amp;", "&",
}

var genStray = []string{
	"|", "|", "=", "=", "{{", "}}", "{", "}", "{{{", "}}}", "[[", "]]", "[", "]", "<!--", "-->", "<", ">",
	"<nowiki>", "</nowiki>", "-{", "}-", "-", "==", "\n=", "\n==", " <!-- x --> \n", "\n", "\n", "\r\n",
	"<pre>", "</pre >", "<nowiki/>", "<NoWiki>", "</NOWIKI>", "<nowiki >", "<gallery\n>", "<br>", "<!-->",
	"<!---->", "<includeonly>", "</includeonly>", "<noinclude>", "</noinclude>", "<onlyinclude>",
	"</onlyinclude>", "<templatedata>", "</ pre>", "<pre/>", "<Pre foo=\"bar\">", "{{!}}", "=\n", " \n",
	"<!--a--><!--->\n", "<!--->", "\n<!--x--> <!--y-->\n", "<!--x-->\t<!--",
}

var genTags = []string{"nowiki", "pre", "gallery", "indicator", "langconvert", "templatedata", "includeonly", "noinclude", "onlyinclude", "ref", "span"}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

// input returns one generated text of at most 600 bytes.
func (g *generator) input() string {
	for {
		g.depth = 0
		s := g.seq(1 + g.r.IntN(6))
		for range g.r.IntN(4) {
			s = g.mutate(s)
		}
		if len(s) <= 600 {
			return s
		}
	}
}

func (g *generator) seq(n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(g.fragment())
	}
	return b.String()
}

// inner returns a shorter sequence for a construct's content.
func (g *generator) inner() string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 4 {
		return g.pick(genWords)
	}
	return g.seq(g.r.IntN(4))
}

func (g *generator) caseVariant(s string) string {
	switch g.r.IntN(4) {
	case 0:
		return strings.ToUpper(s)
	case 1:
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

func (g *generator) fragment() string {
	switch g.r.IntN(20) {
	case 0, 1, 2:
		return g.pick(genWords)
	case 3, 4:
		return g.pick(genStray)
	case 5, 6, 7:
		var b strings.Builder
		b.WriteString("{{" + g.inner())
		for range g.r.IntN(4) {
			b.WriteString("|")
			if g.chance(0.5) {
				b.WriteString(g.inner() + "=")
			}
			b.WriteString(g.inner())
		}
		if g.chance(0.9) {
			b.WriteString("}}")
		}
		return b.String()
	case 8:
		s := "{{{" + g.inner()
		if g.chance(0.5) {
			s += "|" + g.inner()
		}
		return s + "}}}"
	case 9, 10:
		s := "[[" + g.inner()
		if g.chance(0.6) {
			s += "|" + g.inner()
		}
		if g.chance(0.9) {
			s += "]]"
		}
		return s
	case 11:
		return "[http://example.org " + g.inner() + "]"
	case 12:
		s := "<!--" + g.inner()
		if g.chance(0.85) {
			s += "-->"
		}
		if g.chance(0.3) {
			s = "\n" + strings.Repeat(" ", g.r.IntN(3)) + s + strings.Repeat(" ", g.r.IntN(3)) + "\n"
		}
		return s
	case 13, 14:
		tag := g.pick(genTags)
		open := "<" + g.caseVariant(tag)
		switch g.r.IntN(4) {
		case 0:
			open += ` a="1"`
		case 1:
			open += "\n"
		}
		switch g.r.IntN(6) {
		case 0:
			return open + "/>"
		case 1:
			return open + ">" + g.inner() // unclosed
		}
		return open + ">" + g.inner() + "</" + g.caseVariant(tag) + strings.Repeat(" ", g.r.IntN(2)) + ">"
	case 15, 16:
		s := "\n" + strings.Repeat("=", 1+g.r.IntN(7)) + g.inner() + strings.Repeat("=", g.r.IntN(8))
		if g.chance(0.3) {
			s += strings.Repeat(" ", g.r.IntN(2)) + "<!--c-->"
		}
		s += strings.Repeat(" ", g.r.IntN(2))
		if g.chance(0.8) {
			s += "\n"
		}
		return s
	case 17:
		return "-{" + g.inner() + "}-"
	case 18:
		return "\n"
	default:
		return g.pick(genWords) + g.pick(genStray)
	}
}

// mutate deletes, duplicates or inserts a piece of s, on rune boundaries.
func (g *generator) mutate(s string) string {
	if s == "" {
		return g.pick(genStray)
	}
	pos := func() int {
		k := g.r.IntN(len(s) + 1)
		for k < len(s) && !utf8.RuneStart(s[k]) {
			k++
		}
		return k
	}
	a, b := pos(), pos()
	if a > b {
		a, b = b, a
	}
	switch g.r.IntN(3) {
	case 0:
		return s[:a] + s[b:]
	case 1:
		return s[:b] + s[a:b] + s[b:]
	default:
		return s[:a] + g.pick(genStray) + s[a:]
	}
}
