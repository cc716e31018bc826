package wikitext

import (
	"slices"
	"testing"
)

func TestUserLinks(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []string
	}{
		{"a list", "* [[User:Alice]]\n* [[User:Bob|Bob]] ([[User talk:Bob|talk]]) 10:00, 1 December 2026 (UTC)\n", []string{"Alice", "Bob"}},
		{"namespace spellings", "[[user:carol]] [[:User:Dan]] [[ USER : Eve ]] [[User_talk:Fay]] [[user talk:gus|G]] [[Special:Contributions/Hal]] [[special:contribs/Ida|I]]",
			[]string{"Carol", "Dan", "Eve", "Fay", "Gus", "Hal", "Ida"}},
		{"underscores, blanks and a section", "[[User:Ọlá_Adé]] [[User:Zoë  O'Brien#Opt-out|Zoë]]", []string{"Ọlá Adé", "Zoë O'Brien"}},
		{"each user once, in order", "[[User:Bob]] [[User:Alice]] [[User talk:Bob]] [[User:bob]]", []string{"Bob", "Alice"}},
		{"in a comment", "<!-- [[User:Eve]] -->\n<!--\n* [[User:Mallory]]\n-->", nil},
		{"in an unclosed comment", "[[User:Alice]] <!-- [[User:Eve]]", []string{"Alice"}},
		{"in nowiki", "<nowiki>[[User:Eve]]</nowiki> <NoWiki >[[User:Mallory]]</nowiki > <nowiki/>[[User:Alice]]", []string{"Alice"}},
		{"in pre", "<pre>\n* [[User:Eve]]\n</pre>", nil},
		{"in syntaxhighlight and source", `<syntaxhighlight lang="text">[[User:Eve]]</syntaxhighlight><source>[[User:Mallory]]</source>`, nil},
		{"in includeonly", "<includeonly>[[User:Eve]]</includeonly>", nil},
		{"in noinclude", "<noinclude>[[User:Alice]]</noinclude>", []string{"Alice"}},
		{"in ref, which renders as wikitext", "Text.<ref>[[User:Alice]]</ref>", []string{"Alice"}},
		{"in a template's argument", "{{Div col|\n* [[User:Alice]]\n}}", []string{"Alice"}},
		{"an unclosed nowiki is text", "<nowiki>[[User:Alice]]", []string{"Alice"}},
		{"a subpage names a page", "[[User:Eve/Opt-out]] [[User talk:Mallory/Archive 1|archive]]", nil},
		{"not links", "User:Eve [User:Mallory] [[User:Trent [[Project:Sandbox]] {{User|Oscar}} [[Userbox:Peggy]] [[Help:User:Victor]]", nil},
		{"no name", "[[User:]] [[User:#top]]", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := UserLinks(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("UserLinks(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// A signature is read by the same rule: one in <pre> or <includeonly> is
// no reply, as one in a comment or <nowiki> is not.
func TestRepliesIgnoreUnrenderedSignatures(t *testing.T) {
	const marker = "<!-- letsconnect-message: C-1/connection/Alice -->"
	text := "== A connection ==\nHello. " + marker + "\n" +
		"<pre>[[User:Eve|Eve]] 09:00, 1 December 2026 (UTC)</pre>\n" +
		"<includeonly>[[User:Mallory]] 09:30, 1 December 2026 (UTC)</includeonly>\n" +
		":Ok. [[User:Alice|Alice]] 10:00, 1 December 2026 (UTC)\n"
	got := RepliesAfter(text, marker)
	if len(got) != 1 || got[0].User != "Alice" {
		t.Errorf("replies %+v, want Alice's only", got)
	}
}
