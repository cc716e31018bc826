package wiki

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
)

// newAdmin logs the local wiki's sysop in.
func newAdmin(t *testing.T) *testClient {
	t.Helper()
	c := newTestClient(t, true)
	env := devwiki.Start(t)
	if err := c.LoginBotPassword(context.Background(), env.AdminUser, env.AdminPassword); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	env := devwiki.Start(t)
	admin := newAdmin(t)
	// A fresh account, then blocked by the sysop (as a steward would).
	blocked := fmt.Sprintf("Blocked tester %d", time.Now().UnixNano())
	createAccount(t, admin, blocked)
	if err := admin.BlockForTest(ctx, blocked, "testing the bot"); err != nil {
		t.Fatalf("blocking %s: %v", blocked, err)
	}

	reader := newTestClient(t, false)
	names := []string{env.HumanUser, "nobody_here_" + fmt.Sprint(time.Now().UnixNano()), blocked, "wikiHuman", "Bad|name", "127.0.0.1"}
	got, err := reader.Users(ctx, names)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, exists, blocked, invalid bool) {
		t.Helper()
		st, ok := got[name]
		if !ok || st.Exists != exists || st.Blocked != blocked || st.Invalid != invalid {
			t.Errorf("%q: %+v (present %v); want exists=%v blocked=%v invalid=%v", name, st, ok, exists, blocked, invalid)
		}
	}
	check(env.HumanUser, true, false, false)
	check(names[1], false, false, false)
	check(blocked, true, true, false)
	if st := got[blocked]; st.BlockReason != "testing the bot" {
		t.Errorf("block reason %q", st.BlockReason)
	}
	check("wikiHuman", true, false, false) // normalised to WikiHuman
	if got["wikiHuman"].Name != "WikiHuman" {
		t.Errorf("normalised name %q", got["wikiHuman"].Name)
	}
	check("Bad|name", false, false, true)
	check("127.0.0.1", false, false, true)
}

// createAccount creates an account as the sysop (as anyone may, through
// Special:CreateAccount).
func createAccount(t *testing.T, admin *testClient, name string) {
	t.Helper()
	if err := admin.CreateAccountForTest(context.Background(), name); err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
}

func TestRevisionsAfter(t *testing.T) {
	ctx := context.Background()
	bot, human := newBot(t), newHuman(t)
	title := fmt.Sprintf("%sRevisions after %d", testPrefix, time.Now().UnixNano())
	first := mustEdit(t, bot, title, "bot's version")
	mustEdit(t, human, title, "a person's first change")
	mustEdit(t, human, title, "a person's second change")
	revs, err := bot.RevisionsAfter(ctx, title, first.RevID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Content != "a person's first change" || revs[1].Content != "a person's second change" ||
		revs[0].User != devwiki.Start(t).HumanUser || revs[0].RevID <= first.RevID {
		t.Fatalf("revisions after %d: %+v", first.RevID, revs)
	}
	if _, err := bot.RevisionsAfter(ctx, title, first.RevID, 1); err == nil {
		t.Error("more revisions than allowed, and no error")
	}
}
