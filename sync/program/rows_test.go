package program

import (
	"maps"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// lines maps "key=value" lines to their raw text by key, as a page's rows.
func lines(text string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(text, "\n") {
		if k, _, ok := strings.Cut(l, "="); ok {
			out[k] = l
		}
	}
	return out
}

func TestChangedRowsNamesTheLatestEditorOfEachRow(t *testing.T) {
	bot := &wiki.Page{Content: "a=1\nb=1\nc=1", User: "Bot"}
	after := []*wiki.Page{
		{Content: "a=2\nb=1\nc=1", User: "Alice"},
		{Content: "a=2\nb=2\nc=1", User: "Bob"},
		{Content: "a=3\nb=2\nc=1\nd=1", User: "Carol"},
	}
	got := ChangedRows(lines, bot, after[2], after, false)
	want := map[string]string{"a": "Carol", "b": "Bob", "d": "Carol"}
	if !maps.Equal(got, want) {
		t.Errorf("changed by %v, want %v", got, want)
	}
}

func TestChangedRowsWithTooManyRevisionsTrustsNoChangedRow(t *testing.T) {
	bot := &wiki.Page{Content: "a=1\nb=1"}
	current := &wiki.Page{Content: "a=1\nb=2\nc=1"}
	got := ChangedRows(lines, bot, current, nil, true)
	want := map[string]string{"b": UnknownEditor, "c": UnknownEditor}
	if !maps.Equal(got, want) {
		t.Errorf("changed by %v, want %v", got, want)
	}
}

func TestChangedRowsOfARevertedRowIsTheReverter(t *testing.T) {
	// A row changed and changed back: the last change, the revert, is
	// the one that counts (the row is as the bot wrote it, but a person
	// chose it again).
	bot := &wiki.Page{Content: "a=1"}
	after := []*wiki.Page{{Content: "a=2", User: "Alice"}, {Content: "a=1", User: "Bob"}}
	if got := ChangedRows(lines, bot, after[1], after, false); got["a"] != "Bob" {
		t.Errorf("changed by %v, want a by Bob", got)
	}
}

func TestWorkingGroupDecides(t *testing.T) {
	wg := WorkingGroup{"Connect Coordinator", "ana_maria"}
	for _, c := range []struct {
		user string
		want bool
	}{
		{"Connect Coordinator", true},
		{"connect_Coordinator", true}, // as MediaWiki normalises it
		{"Ana maria", true},
		{"LetsConnectBot", true}, // the bot writes the rows it was told to
		{"Someone Else", false},
		{"", false},
	} {
		if got := wg.Decides(c.user, "LetsConnectBot"); got != c.want {
			t.Errorf("Decides(%q) = %v, want %v", c.user, got, c.want)
		}
	}
	if (WorkingGroup{}).Decides("Anyone", "LetsConnectBot") || !(WorkingGroup{}).Decides("LetsConnectBot", "LetsConnectBot") {
		t.Error("with no working group, only the bot's rows count")
	}
	if wg.Has("LetsConnectBot") {
		t.Error("the bot is not a member of the working group")
	}
}
