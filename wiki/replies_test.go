package wiki

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TestRepliesAfterOnTheWiki checks the parser against signatures as
// MediaWiki itself expands "~~~~": the bot posts a message to a new
// account's talk page, the account replies under it, and only that reply
// is found.
func TestRepliesAfterOnTheWiki(t *testing.T) {
	ctx := context.Background()
	admin, bot := newAdmin(t), newBot(t)
	name := fmt.Sprintf("Réplique tester %d", time.Now().UnixNano())
	createAccount(t, admin, name)
	person := newTestClient(t, true)
	if err := person.LoginBotPassword(ctx, name, "a-Long-password-123"); err != nil {
		t.Fatal(err)
	}

	talk := "User talk:" + name
	heading := "A connection " + runID
	marker := "<!-- letsconnect-message: test-" + runID + "/connection/" + name + " -->"
	if res, err := bot.NewSection(ctx, SectionRequest{Title: talk, Heading: heading, Text: "Hello, meet someone. ~~~~ " + marker, Marker: marker}); err != nil || res.Result != Posted {
		t.Fatalf("NewSection: %+v %v", res, err)
	}
	p, err := person.Page(ctx, talk, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := wikitext.RepliesAfter(p.Content, marker); got == nil || len(got) != 0 {
		t.Fatalf("before any reply: %#v, want none", got)
	}
	// The reply mentions the bot before signing, as people do.
	mustEdit(t, person, talk, p.Content+"\n:Thanks, [[User:"+bot.User()+"]]! ~~~~\n")

	p, err = bot.Page(ctx, talk, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := wikitext.RepliesAfter(p.Content, marker)
	if len(got) != 1 || got[0].User != name {
		t.Fatalf("replies = %#v, want one by %q, in:\n%s", got, name, p.Content)
	}
	if d := time.Since(got[0].Time); d < -time.Minute || d > 5*time.Minute || got[0].Time.Location() != time.UTC {
		t.Errorf("reply time %v, want a UTC time close to now", got[0].Time)
	}
	// The bot's own signature is a signature too: it is left out only
	// because it precedes the marker.
	all := wikitext.RepliesAfter(p.Content, "== "+heading+" ==")
	if len(all) != 2 || all[0].User != bot.User() || all[1].User != name {
		t.Errorf("signatures in the section = %#v, want the bot's, then %q's", all, name)
	}
}
