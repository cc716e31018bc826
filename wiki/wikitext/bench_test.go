package wikitext

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// registrationPage builds a page like the event registration pages the bot
// reads: prose, headings and comments, then one big template call per
// participant, with about 30 arguments, nested templates, links and
// comments.
func registrationPage(participants int) string {
	var b strings.Builder
	b.WriteString("{{Event header|title=Let's Connect peer learning|start=2024-06-01|end={{#time:Y-m-d|+30 days}}}}\n")
	b.WriteString("<!-- Please add yourself at the bottom. Do not remove this comment. -->\n")
	b.WriteString("__NOTOC__\n== About ==\n")
	b.WriteString("Let's Connect is a peer learning program. See [[Special:MyLanguage/Grants:Knowledge Sharing/Connect|the program page]] and {{tl|Participant}}.\n")
	b.WriteString("<nowiki>{{Participant|username=Example}}</nowiki> is how an entry looks.\n\n== Participants ==\n")
	for k := range participants {
		fmt.Fprintf(&b, "=== Participant %d ===\n", k)
		b.WriteString("{{Participant\n")
		fmt.Fprintf(&b, "| username = User%d\n", k)
		fmt.Fprintf(&b, "| real name = Person Number %d <!-- optional -->\n", k)
		b.WriteString("| affiliation = [[Wikimedia Deutschland|WMDE]]\n")
		b.WriteString("| region = {{Region|Europe|sub=Western}}\n")
		b.WriteString("| languages = {{lang|de}}, {{lang|en}}, fr\n")
		b.WriteString("| projects = Wikipedia, Wikidata, [[commons:Main Page|Commons]]\n")
		for _, field := range []string{"share", "learn"} {
			for j := 1; j <= 10; j++ {
				value := "no"
				if (j+k)%3 == 0 {
					value = "yes"
				}
				fmt.Fprintf(&b, "| %s_skill%d = %s\n", field, j, value)
			}
		}
		b.WriteString("| bio = I edit since 2012. I like '''maps''' and <ref>citations</ref>; ask me on [[User talk:Example|my talk page]].\n")
		b.WriteString("| contact = [https://example.org/contact email], {{Email|user@example.org}}\n")
		b.WriteString("| time zone = UTC+2\n")
		b.WriteString("| availability = weekends<!-- evenings too? -->\n")
		b.WriteString("| consent = yes\n")
		fmt.Fprintf(&b, "| signature = [[User:User%d|User%d]] ([[User talk:User%d|talk]]) 12:00, 1 June 2024 (UTC)\n", k, k, k)
		b.WriteString("}}\n\n")
	}
	b.WriteString("[[Category:Let's Connect]]\n")
	return b.String()
}

func BenchmarkTemplates(b *testing.B) {
	page := registrationPage(100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if got := len(Templates(page)); got < 100 {
			b.Fatalf("found %d templates", got)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	page := registrationPage(100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(page)
	}
}

func BenchmarkWriteTemplatesJSON(b *testing.B) {
	page := registrationPage(100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteTemplatesJSON(io.Discard, page); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEscape(b *testing.B) {
	value := strings.Repeat("Alice O'Brien {{x}} | [[y]] café 日本語 ", 10)
	b.SetBytes(int64(len(value)))
	b.ReportAllocs()
	for b.Loop() {
		Escape(value)
	}
}

func TestRegistrationPage(t *testing.T) {
	page := registrationPage(2)
	if err := checkTree(Parse(page)); err != nil {
		t.Fatal(err)
	}
	var participants []Template
	for _, tpl := range Templates(page) {
		if tpl.Name == "Participant" {
			participants = append(participants, tpl)
		}
	}
	if len(participants) != 2 {
		t.Fatalf("%d participants", len(participants))
	}
	p := participants[1]
	if len(p.Params) != 32 {
		t.Errorf("%d params", len(p.Params))
	}
	for name, want := range map[string]string{
		"username":     "User1",
		"real name":    "Person Number 1",
		"region":       "{{Region|Europe|sub=Western}}",
		"share_skill2": "yes",
		"availability": "weekends",
	} {
		if got := p.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
