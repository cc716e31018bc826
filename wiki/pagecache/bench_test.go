package pagecache

import (
	"context"
	"fmt"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// BenchmarkRefresh10000: a look at recent changes with 10,000 pages cached
// and 1,000 changes to other pages in the same namespace since (an hour of
// a busy wiki).
func BenchmarkRefresh10000(b *testing.B) {
	w := wikitest.New("Bot")
	var titles []string
	for i := range 10000 {
		t := fmt.Sprintf("%sPerson %d", prefix, i)
		w.Put(t, "Someone", "registration")
		titles = append(titles, t)
	}
	c := New(w, "k")
	ctx := context.Background()
	if _, err := c.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Pages(ctx, titles, wiki.ReadOptions{}); err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		w.Put(fmt.Sprintf("Project:Elsewhere %d", i), "Someone", "text")
	}
	checked := c.snap.Checked
	b.ReportAllocs()
	for b.Loop() {
		c.snap.Checked = checked
		r, err := c.Refresh(ctx)
		if err != nil || r.Forgotten != 0 || r.Changes < 1000 {
			b.Fatal(r, err)
		}
	}
}
