package wiki

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestTalkTargets(t *testing.T) {
	ctx := context.Background()
	admin := newAdmin(t)
	stamp := time.Now().UnixNano()
	name := func(what string) string { return fmt.Sprintf("Talk %s %d", what, stamp) }
	users := map[string]string{} // scenario → user
	for _, what := range []string{"plain", "fresh", "nobots", "optout", "other optout", "category", "renamed", "new name", "blocked", "json"} {
		users[what] = name(what)
		createAccount(t, admin, users[what])
	}
	talk := func(what, text string) {
		t.Helper()
		if _, err := admin.Edit(ctx, EditRequest{Title: "User talk:" + users[what], Text: text, Summary: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	talk("plain", "Welcome!")
	talk("nobots", "{{nobots}}")
	talk("optout", "{{bots|optout=connection}}")
	talk("other optout", "{{bots|optout=nosource}}")
	talk("category", "No bot messages please. [[Category:Opted out of Let's Connect messages]]")
	talk("new name", "My talk page.")
	talk("renamed", "#REDIRECT [[User talk:"+users["new name"]+"]]")
	if err := admin.BlockForTest(ctx, users["blocked"], "test"); err != nil {
		t.Fatal(err)
	}
	if err := admin.call(ctx, request{post: true, write: true, token: "csrf", params: map[string]string{
		"action": "edit", "title": "User talk:" + users["json"], "text": `{"a": 1}`, "contentmodel": "json", "summary": "test",
	}}, nil); err != nil {
		t.Fatal(err)
	}

	var list []string
	for _, u := range users {
		list = append(list, u)
	}
	list = append(list, name("missing"))
	reader := newTestClient(t, false)
	got, err := reader.TalkTargets(ctx, list, "LetsConnectBot", "connection", "Opted out of Let's Connect messages")
	if err != nil {
		t.Fatal(err)
	}
	wantSkip := map[string]string{
		"plain": "", "fresh": "", "other optout": "", "new name": "", "renamed": "",
		"nobots": "nobots", "optout": "optout=connection", "category": "Category:Opted out",
		"blocked": "blocked", "json": "not wikitext",
	}
	for what, want := range wantSkip {
		tt := got[users[what]]
		if want == "" && tt.Skip != "" || want != "" && !strings.Contains(tt.Skip, want) {
			t.Errorf("%s: skip %q, want %q", what, tt.Skip, want)
		}
	}
	if tt := got[name("missing")]; tt.Skip != "no such user" {
		t.Errorf("missing user: %+v", tt)
	}
	if tt := got[users["renamed"]]; tt.Title != "User talk:"+users["new name"] || tt.RedirectedFrom != "User talk:"+users["renamed"] {
		t.Errorf("renamed user: posts to %q (redirected from %q)", tt.Title, tt.RedirectedFrom)
	}
	if tt := got[users["fresh"]]; tt.Title != "User talk:"+users["fresh"] || tt.Page == nil || tt.Page.Exists() {
		t.Errorf("a user without a talk page yet: %+v", tt)
	}
	if tt := got[users["plain"]]; tt.Page == nil || !strings.Contains(tt.Page.Content, "Welcome!") {
		t.Error("the talk page's text is not returned for the marker check")
	}
}
