package wikicontract

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// read reads titles, failing the case on an error.
func read(t *testing.T, w Wiki, follow bool, titles ...string) []*wiki.Page {
	t.Helper()
	pages, err := w.Pages(t.Context(), titles, wiki.ReadOptions{FollowRedirects: follow})
	if err != nil {
		t.Fatalf("reading %q: %v", titles, err)
	}
	if len(pages) != len(titles) {
		t.Fatalf("reading %d titles gave %d pages", len(titles), len(pages))
	}
	return pages
}

// page reads one title, redirects not followed.
func page(t *testing.T, w Wiki, title string) *wiki.Page {
	t.Helper()
	return read(t, w, false, title)[0]
}

// save writes text as the bot on a base read just before, as the engine
// does, and fails the case unless it was written.
func save(t *testing.T, w Wiki, title, text string) wiki.EditResult {
	t.Helper()
	res, err := w.Edit(t.Context(), wiki.EditRequest{Title: title, Text: text, Summary: "contract test", Base: page(t, w, title)})
	if err != nil {
		t.Fatalf("editing %s as the bot: %v", title, err)
	}
	if res.Result != wiki.Created && res.Result != wiki.Updated {
		t.Fatalf("editing %s as the bot: %+v, want created or updated", title, res)
	}
	return res
}

// editOn writes text as the bot on the given base.
func editOn(t *testing.T, w Wiki, base *wiki.Page, title, text string) (wiki.EditResult, error) {
	t.Helper()
	return w.Edit(t.Context(), wiki.EditRequest{Title: title, Text: text, Summary: "contract test", Base: base})
}

var serial atomic.Int64

// unique returns a name no other case and no earlier run uses.
func unique(what string) string {
	return fmt.Sprintf("Contract %s %d-%d", what, time.Now().UnixNano(), serial.Add(1))
}

// requestsDuring returns how many requests f made the Target send.
func requestsDuring(tg Target, f func()) int64 {
	before := tg.Requests()
	f()
	return tg.Requests() - before
}

func titles(refs []wiki.PageRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Title)
	}
	return out
}

// sameSet reports whether a and b hold the same names, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
