package wikitext

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRepliesAfter(t *testing.T) {
	const marker = "<!-- letsconnect-message: C-1a2b3c4d/connection/Alice -->"
	// msg is the bot's message as posted: its signature precedes the marker.
	const msg = "== A connection ==\nHello Alice, meet Bob. [[User:LetsConnectBot|LetsConnectBot]] ([[User talk:LetsConnectBot|talk]]) 08:30, 29 November 2026 (UTC) " + marker + "\n"
	at := func(day, hour, minute int) time.Time {
		return time.Date(2026, time.December, day, hour, minute, 0, 0, time.UTC)
	}
	for _, tc := range []struct {
		name   string
		text   string
		marker string // marker when ""
		want   []Reply
	}{
		{
			name: "no replies",
			text: msg,
			want: []Reply{},
		},
		{
			name: "marker missing",
			text: "== A connection ==\nHello. [[User:Alice|Alice]] 10:00, 1 December 2026 (UTC)\n",
			want: nil,
		},
		{
			name: "normal reply",
			text: msg + "Thanks! [[User:Alice|Alice]] ([[User talk:Alice|talk]]) 10:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: at(1, 10, 0)}},
		},
		{
			name: "indented replies",
			text: msg + ":Thanks! [[User:Alice|Alice]] 10:00, 1 December 2026 (UTC)\n::Hi Alice. [[User:Bob|Bob]] 11:05, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: at(1, 10, 0)}, {User: "Bob", Time: at(1, 11, 5)}},
		},
		{
			name: "ping before the signature",
			text: msg + ":{{ping|Bob}} Sure! [[User:Bob]], see [[User:Carol|Carol]]. [[User:Alice|Alice]] ([[User talk:Alice|talk]]) 10:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: at(1, 10, 0)}},
		},
		{
			name: "custom signature with only a talk link",
			text: msg + ":Yes. '''[[User_talk:Alice smith|<span style=\"color:red\">Ally</span>]]''' 10:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice smith", Time: at(1, 10, 0)}},
		},
		{
			name: "Special:Contributions",
			text: msg + ":Ok. [[Special:Contributions/192.0.2.7|192.0.2.7]] 10:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "192.0.2.7", Time: at(1, 10, 0)}},
		},
		{
			name: "namespace spellings",
			text: msg + "a [[user:alice]] 10:00, 1 December 2026 (UTC)\nb [[:User:Bob|B]] 10:01, 1 December 2026 (UTC)\nc [[USER TALK:Carol|C]] 10:02, 1 December 2026 (UTC)\nd [[special:contributions/Dan|D]] 10:03, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: at(1, 10, 0)}, {User: "Bob", Time: at(1, 10, 1)}, {User: "Carol", Time: at(1, 10, 2)}, {User: "Dan", Time: at(1, 10, 3)}},
		},
		{
			name: "a reply after the next section is not counted",
			text: msg + ":Thanks! [[User:Alice|Alice]] 10:00, 1 December 2026 (UTC)\n\n== Something else ==\nHi. [[User:Bob|Bob]] 11:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: at(1, 10, 0)}},
		},
		{
			name: "a level-1 heading ends the section",
			text: msg + "= Top =\nHi. [[User:Bob|Bob]] 11:00, 1 December 2026 (UTC)\n",
			want: []Reply{},
		},
		{
			name: "a subheading does not end the section",
			text: msg + "=== Details ===\nHi. [[User:Bob|Bob]] 11:00, 1 December 2026 (UTC)\n==== More ====\n:Yes. [[User:Alice|Alice]] 12:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Bob", Time: at(1, 11, 0)}, {User: "Alice", Time: at(1, 12, 0)}},
		},
		{
			name: "a heading in a comment does not end the section",
			text: msg + "<!--\n== Not a heading ==\n-->\nHi. [[User:Bob|Bob]] 11:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Bob", Time: at(1, 11, 0)}},
		},
		{
			name: "signatures in nowiki and comments are ignored",
			text: msg + "Sign with <nowiki>[[User:Eve|Eve]] 09:00, 1 December 2026 (UTC)</nowiki>.\n<!-- [[User:Mallory]] 09:30, 1 December 2026 (UTC) -->\n:Ok. [[User:Alice|Alice]] <!-- [[User:Mallory]] -->10:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: at(1, 10, 0)}},
		},
		{
			name: "an unclosed comment hides the rest",
			text: msg + "<!-- [[User:Eve|Eve]] 09:00, 1 December 2026 (UTC)\n",
			want: []Reply{},
		},
		{
			name: "a mention without a timestamp is not a reply",
			text: msg + ":[[User:Bob|Bob]], what do you think?\n::I agree with [[User:Alice]].\n",
			want: []Reply{},
		},
		{
			name: "a timestamp alone is not a reply",
			text: msg + ":Unsigned. 10:00, 1 December 2026 (UTC)\n",
			want: []Reply{},
		},
		{
			name: "a link to a user subpage is not a signature",
			text: msg + ":See [[User:Alice/sandbox|my draft]] 10:00, 1 December 2026 (UTC)\n:[[User:Bob|Bob]] ([[User talk:Bob/Archive 1|archive]]) 11:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Bob", Time: at(1, 11, 0)}},
		},
		{
			name: "several signatures on one line",
			text: msg + ":Yes [[User:Alice|Alice]] 10:00, 1 December 2026 (UTC) :And me [[User:Bob|Bob]] 10:05, 1 December 2026 (UTC) plus an unsigned 10:06, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: at(1, 10, 0)}, {User: "Bob", Time: at(1, 10, 5)}},
		},
		{
			name: "unicode, underscores and apostrophes in names",
			text: msg + ":Ẹ ṣé. [[User:ọlá_Adé|Ọlá]] 10:00, 1 December 2026 (UTC)\n::Merci. [[User talk:Zoë O'Brien#top|Zoë]] 10:01, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Ọlá Adé", Time: at(1, 10, 0)}, {User: "Zoë O'Brien", Time: at(1, 10, 1)}},
		},
		{
			name: "timestamps parse to UTC",
			text: msg + ":[[User:Alice|Alice]] 00:07, 9 January 2027 (UTC)\n:[[User:Bob|Bob]] 23:59, 31 December 2026 (UTC)\n:[[User:Eve|Eve]] 10:00, 31 February 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: time.Date(2027, time.January, 9, 0, 7, 0, 0, time.UTC)}, {User: "Bob", Time: at(31, 23, 59)}},
		},
		{
			name:   "two messages on one page see only their own replies",
			text:   msg + ":Alice here. [[User:Alice|Alice]] 10:00, 1 December 2026 (UTC)\n\n== Another connection ==\nHello Bob. [[User:LetsConnectBot|LetsConnectBot]] 08:31, 29 November 2026 (UTC) <!-- letsconnect-message: C-1a2b3c4d/connection/Bob -->\n:Bob here. [[User:Bob|Bob]] 11:00, 1 December 2026 (UTC)\n",
			marker: "<!-- letsconnect-message: C-1a2b3c4d/connection/Bob -->",
			want:   []Reply{{User: "Bob", Time: at(1, 11, 0)}},
		},
		{
			name: "the first of two messages",
			text: msg + ":Alice here. [[User:Alice|Alice]] 10:00, 1 December 2026 (UTC)\n\n== Another connection ==\nHello Bob. [[User:LetsConnectBot|LetsConnectBot]] 08:31, 29 November 2026 (UTC) <!-- letsconnect-message: C-1a2b3c4d/connection/Bob -->\n:Bob here. [[User:Bob|Bob]] 11:00, 1 December 2026 (UTC)\n",
			want: []Reply{{User: "Alice", Time: at(1, 10, 0)}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.marker
			if m == "" {
				m = marker
			}
			got := RepliesAfter(tc.text, m)
			if (got == nil) != (tc.want == nil) || !slices.EqualFunc(got, tc.want, func(a, b Reply) bool {
				return a.User == b.User && a.Time.Equal(b.Time) && a.Time.Location() == time.UTC
			}) {
				t.Errorf("RepliesAfter = %#v, want %#v", got, tc.want)
			}
		})
	}
}

// TestReplyText: each reply carries what it says, the text since the
// previous signature (lines before it included), without what MediaWiki
// does not show: the answer template is read from it.
func TestReplyText(t *testing.T) {
	const marker = "<!-- letsconnect-message: C-1/connection/Alice -->"
	text := "== A connection ==\nHello. [[User:Bot|Bot]] 08:30, 29 November 2026 (UTC) " + marker + "\n" +
		":{{Let's Connect answer|no|reason=time}}\n:Sorry. [[User:Alice|Alice]] 10:00, 1 December 2026 (UTC)\n" +
		"::<!-- {{Let's Connect answer|yes}} --> Noted. [[User:Bob|Bob]] 11:00, 1 December 2026 (UTC) Also me [[User:Eve|Eve]] 11:05, 1 December 2026 (UTC)\n"
	got := RepliesAfter(text, marker)
	if len(got) != 3 {
		t.Fatalf("%d replies, want 3: %#v", len(got), got)
	}
	if !strings.HasPrefix(got[0].Text, ":{{Let's Connect answer|no|reason=time}}\n:Sorry. [[User:Alice|Alice]]") {
		t.Errorf("Alice's reply says %q", got[0].Text)
	}
	if strings.Contains(got[1].Text, "answer") || !strings.Contains(got[1].Text, "Noted.") {
		t.Errorf("Bob's reply says %q: the comment should be blanked", got[1].Text)
	}
	if got[2].Text != "Also me [[User:Eve|Eve]]" {
		t.Errorf("Eve's reply says %q", got[2].Text)
	}
}

func TestHeadingLevel(t *testing.T) {
	for line, want := range map[string]int{
		"== x ==": 2, "= x =": 1, "=== x ===": 3, "== x ===": 2, "=== x ==": 2, "== x == \t": 2,
		"==x==": 2, "====": 1, "===": 1, "==": 0, "": 0, "x": 0, " == x ==": 0, "== x": 0, "======= x =======": 6,
	} {
		if got := headingLevel(line); got != want {
			t.Errorf("headingLevel(%q) = %d, want %d", line, got, want)
		}
	}
	if strings.Contains(hide("a<!--\nb-->c"), "b") || len(hide("é<!--é-->é")) != len("é<!--é-->é") {
		t.Error("hide must blank comments out and keep offsets")
	}
}
