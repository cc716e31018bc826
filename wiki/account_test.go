package wiki

import (
	"context"
	"testing"
)

func TestAccountGroupsAndRights(t *testing.T) {
	ctx := context.Background()

	bot, err := newBot(t).Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bot.Name != "LetsConnectBot" || bot.Anonymous() || !bot.InGroup("bot") || bot.Blocked {
		t.Errorf("bot account %+v", bot)
	}
	for _, r := range []string{"edit", "createpage", "editcontentmodel", "writeapi", "bot", "apihighlimits"} {
		if !bot.HasRight(r) {
			t.Errorf("the bot's BotPassword lacks %s: %v", r, bot.Rights)
		}
	}
	// Grants narrow the rights: the user group may change its
	// preferences, but no grant of the bot's BotPassword allows it.
	if bot.HasRight("editmyoptions") {
		t.Errorf("the bot has a right none of its grants gives: editmyoptions")
	}

	human, err := newHuman(t).Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if human.Anonymous() || human.InGroup("bot") || human.HasRight("bot") || human.HasRight("apihighlimits") || !human.HasRight("edit") {
		t.Errorf("human account %+v", human)
	}

	anon, err := newTestClient(t, false).Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !anon.Anonymous() || anon.Name != "" || anon.HasRight("bot") {
		t.Errorf("anonymous account %+v", anon)
	}
}

func TestMainPage(t *testing.T) {
	got, err := newTestClient(t, false).MainPage(context.Background())
	if err != nil || got != "Main Page" {
		t.Errorf("MainPage() = %q, %v; want Main Page", got, err)
	}
}
