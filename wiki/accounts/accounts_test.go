package accounts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/accounts"
)

// TestAccountsAsksAgainWithoutThoseSeen: a batch whose contributions fill
// a page is asked again without the users that page showed (a prolific
// editor costs one request, not one per page of their edits); blocks come
// from list=users; a user with no edit since is not Edited.
func TestAccountsAsksAgainWithoutThoseSeen(t *testing.T) {
	var contribQueries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		switch r.Form.Get("list") {
		case "users":
			var users []map[string]any
			for _, name := range strings.Split(r.Form.Get("ususers"), "|") {
				u := map[string]any{"name": strings.ReplaceAll(name, "_", " "), "userid": 1}
				if name == "Blocked" {
					u["blockid"], u["blockreason"] = 7, "spam"
				}
				users = append(users, u)
			}
			json.NewEncoder(w).Encode(map[string]any{"query": map[string]any{"users": users}})
		case "usercontribs":
			users := r.Form.Get("ucuser")
			contribQueries = append(contribQueries, users)
			if r.Form.Get("ucend") != "2026-11-07T00:00:00Z" {
				t.Errorf("ucend %q", r.Form.Get("ucend"))
			}
			// Prolific fills the first page alone; Quiet never edits.
			resp := map[string]any{}
			switch {
			case strings.Contains(users, "Prolific"):
				resp["query"] = map[string]any{"usercontribs": []map[string]any{{"user": "Prolific"}, {"user": "Prolific"}}}
				resp["continue"] = map[string]any{"uccontinue": "x", "continue": "-||"}
			case strings.Contains(users, "Some one"):
				resp["query"] = map[string]any{"usercontribs": []map[string]any{{"user": "Some one"}}}
			default:
				resp["query"] = map[string]any{"usercontribs": []map[string]any{}}
			}
			json.NewEncoder(w).Encode(resp)
		default:
			t.Errorf("unexpected request %v", r.Form)
		}
	}))
	defer srv.Close()
	c, err := wiki.New(wiki.Config{APIURL: srv.URL + "/api.php", UserAgent: "letsconnect-test/0 (test)"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := accounts.Read(context.Background(), c, []string{"Prolific", "Some_one", "Quiet", "Blocked"}, time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]accounts.Standing{"Prolific": {Edited: true}, "Some_one": {Edited: true}, "Quiet": {}, "Blocked": {Blocked: true}}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %+v, want %+v", name, got[name], w)
		}
	}
	if len(contribQueries) != 2 || strings.Contains(contribQueries[1], "Prolific") {
		t.Errorf("contributions asked %q: want the batch, then the batch without Prolific", contribQueries)
	}
}

// TestBlockLogFollowsContinuation: the block log is read oldest first
// from since, every page of it, each user named once (a block then its
// unblock), hidden targets left out.
func TestBlockLogFollowsContinuation(t *testing.T) {
	var starts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("list") != "logevents" || r.Form.Get("letype") != "block" || r.Form.Get("ledir") != "newer" {
			t.Errorf("unexpected request %v", r.Form)
		}
		starts = append(starts, r.Form.Get("lestart"))
		resp := map[string]any{}
		if r.Form.Get("lecontinue") == "" {
			resp["query"] = map[string]any{"logevents": []map[string]any{{"title": "User:Some_one"}, {"actionhidden": true}}}
			resp["continue"] = map[string]any{"lecontinue": "x", "continue": "-||"}
		} else {
			resp["query"] = map[string]any{"logevents": []map[string]any{{"title": "User:Other"}, {"title": "User:Some one"}}}
		}
		json.NewEncoder(w).Encode(resp)
	}))
	defer srv.Close()
	c, err := wiki.New(wiki.Config{APIURL: srv.URL + "/api.php", UserAgent: "letsconnect-test/0 (test)"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := accounts.BlockLog(context.Background(), c, time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "Some one|Other" || len(starts) != 2 || starts[0] != "2026-11-07T00:00:00Z" {
		t.Errorf("block log: %q from requests starting at %q", got, starts)
	}
}

// TestLockedAsksInBatches: list=globalusers with gusprop=locked for the
// accounts that exist, in batches of the client's size; a locked one is
// Locked, the others not.
func TestLockedAsksInBatches(t *testing.T) {
	var batches []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("list") != "globalusers" || r.Form.Get("gusprop") != "locked" {
			t.Errorf("unexpected request %v", r.Form)
		}
		batches = append(batches, r.Form.Get("gususers"))
		var users []map[string]any
		for _, name := range strings.Split(r.Form.Get("gususers"), "|") {
			users = append(users, map[string]any{"name": name, "locked": name == "Spammer"})
		}
		json.NewEncoder(w).Encode(map[string]any{"query": map[string]any{"globalusers": users}})
	}))
	defer srv.Close()
	c, err := wiki.New(wiki.Config{APIURL: srv.URL + "/api.php", UserAgent: "letsconnect-test/0 (test)"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]accounts.Standing{"Gone": {Missing: true}}
	for i := range 60 {
		got[fmt.Sprintf("User %02d", i)] = accounts.Standing{}
	}
	got["Spammer"] = accounts.Standing{}
	if err := accounts.Locked(context.Background(), c, got); err != nil {
		t.Fatal(err)
	}
	if !got["Spammer"].Locked || got["User 01"].Locked || len(batches) != 2 || strings.Contains(strings.Join(batches, "|"), "Gone") {
		t.Errorf("Spammer %+v, User 01 %+v, batches %q", got["Spammer"], got["User 01"], batches)
	}
}

// TestAccountsOnACentralAuthWiki: where siteinfo lists CentralAuth, the
// client's Accounts reads the locks too; a CentralAuth without
// list=globalusers refuses it, and the accounts are read without locks.
func TestAccountsOnACentralAuthWiki(t *testing.T) {
	for _, hasModule := range []bool{true, false} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			switch {
			case r.Form.Get("meta") == "siteinfo":
				json.NewEncoder(w).Encode(map[string]any{"query": map[string]any{
					"general":    map[string]any{"sitename": "Meta", "mainpage": "Main Page"},
					"extensions": []map[string]any{{"name": "CentralAuth"}},
				}})
			case r.Form.Get("list") == "users":
				json.NewEncoder(w).Encode(map[string]any{"query": map[string]any{"users": []map[string]any{{"name": "Spammer", "userid": 7}}}})
			case r.Form.Get("list") == "globalusers" && hasModule:
				json.NewEncoder(w).Encode(map[string]any{"query": map[string]any{"globalusers": []map[string]any{{"name": "Spammer", "locked": true}}}})
			case r.Form.Get("list") == "globalusers":
				json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"code": "badvalue", "text": "Unrecognized value for parameter \"list\": globalusers."}}})
			default:
				t.Errorf("unexpected request %v", r.Form)
			}
		}))
		c, err := wiki.New(wiki.Config{APIURL: srv.URL + "/api.php", UserAgent: "letsconnect-test/0 (test)"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Accounts(context.Background(), []string{"Spammer"}, time.Time{})
		if err != nil || got["Spammer"].Locked != hasModule {
			t.Errorf("with list=globalusers %v: %+v, %v", hasModule, got, err)
		}
		srv.Close()
	}
}
