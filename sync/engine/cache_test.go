package engine_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// TestCachedRunsWriteWhatAFullReadWould runs the engine through the page
// cache after each change people make, and then an engine without a
// cache: the second one, reading everything, must find nothing to write.
// A run with nothing changed costs one request (the recent changes, which
// also tell the accounts blocked and renamed and who edited), and reuses
// the match.
func TestCachedRunsWriteWhatAFullReadWould(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	proposals := "Let's Connect/Proposed connections"
	cached := bottest.NewBot(w)
	cached.Config.Proposals.ProposalsPage = proposals
	cached.Wiki = pagecache.New(w, "test")
	memo := &engine.MatchMemo{Version: "test"}
	cached.MatchMemo = memo
	full := bottest.NewBot(w)
	full.Config.Proposals.ProposalsPage = proposals

	dana := bottest.Registration(map[string]string{
		"region": "ESEAP", "country": "Fiji", "languages": "en-N", "timezone": "Pacific/Fiji",
		"learn": "Bots (beginner)", "share": "Lua modules (expert)",
	})
	steps := []struct {
		name   string
		change func()
		// nothing: the step changes nothing the bot reads.
		nothing bool
	}{
		{"first run", func() {}, false},
		// The matcher's input holds the proposals on the page (it keeps
		// them where it can): the run after the one that wrote them
		// solves again, and finds the same.
		{"the proposals read back", func() {}, false},
		{"nothing changed", func() {}, true},
		{"a registration edited", func() {
			w.Put(bottest.Prefix+"Alice", "Alice", bottest.Registration(map[string]string{
				"region": "MEA", "country": "Nigeria", "languages": "en-3, yo-N", "timezone": "Africa/Lagos",
				"learn": "Bots (beginner), Lua modules (beginner)", "share": "Grant proposals (expert)",
			}))
		}, false},
		{"a registration added", func() { w.Put(bottest.Prefix+"Dana", "Dana", dana) }, false},
		{"a registration deleted", func() { w.Delete(bottest.Prefix + "Bob") }, false},
		{"the taxonomy edited", func() {
			w.Put(bottest.TaxonomyPage, bottest.Coordinator, bottest.TaxonomyText+"{{Let's Connect skill|id=tech-wd|category=tech|name=Wikidata}}\n")
		}, false},
		{"a person edits the directory", func() { w.Put(bottest.DirectoryPage, "Zed", "my own directory") }, false},
		{"they revert to the bot's version", func() {
			h := w.History(bottest.DirectoryPage)
			w.Put(bottest.DirectoryPage, "Zed", h[len(h)-2].Text)
		}, false},
		{"the next day", func() { w.Advance(24 * time.Hour) }, false},
		{"nothing changed again", func() {}, true},
	}
	for _, s := range steps {
		s.change()
		before, hits := w.Requests(), memo.Hits
		c := bottest.Run(t, cached)
		requests := w.Requests() - before
		f := bottest.Run(t, full)
		if n := bottest.Edits(f); n != 0 {
			t.Errorf("%s: after the cached run, a full read still made %d edits: %+v", s.name, n, f.Outcomes)
		}
		if c.Registrations != f.Registrations || c.Problems != f.Problems {
			t.Errorf("%s: the cached run saw %d registrations and %d problems, a full read %d and %d",
				s.name, c.Registrations, c.Problems, f.Registrations, f.Problems)
		}
		if s.nothing {
			if requests != 1 || bottest.Edits(c) != 0 || memo.Hits != hits+1 {
				t.Errorf("%s: %d requests (want 1, the recent changes), %d edits, match reused %v",
					s.name, requests, bottest.Edits(c), memo.Hits == hits+1)
			}
		}
	}
}

// TestRegistrationHistoryIsReadOnlyWhenTheLatestEditorIsNotEntitled: a
// page whose latest revision is its participant's (or the working
// group's) is theirs; only the others' histories are read, and a page a
// participant once edited stays theirs after someone else's edit.
func TestRegistrationHistoryIsReadOnlyWhenTheLatestEditorIsNotEntitled(t *testing.T) {
	w := bottest.Fixture(t)
	e := bottest.NewBot(w)
	contributorsRead := 0
	e.Wiki = &countingContributors{Wiki: w, calls: &contributorsRead}
	if sum := bottest.Run(t, e); sum.Registrations != 3 || contributorsRead != 0 {
		t.Errorf("every page by its participant: %d registrations, %d history reads", sum.Registrations, contributorsRead)
	}
	text := w.Text(bottest.Prefix + "Bob")
	w.Put(bottest.Prefix+"Bob", "Tidy bot", text+"\n<!-- tidied -->")
	w.Put(bottest.Prefix+"Mallory", "Impostor", w.Text(bottest.Prefix+"Alice"))
	sum := bottest.Run(t, e)
	if sum.Registrations != 3 || contributorsRead != 1 {
		t.Errorf("after a tidy-up and an impostor: %d registrations (want 3: Bob's stays, Mallory's is not used), %d history reads", sum.Registrations, contributorsRead)
	}
}

type countingContributors struct {
	*wikitest.Wiki
	calls *int
}

func (c *countingContributors) Contributors(ctx context.Context, titles []string) (map[string][]string, error) {
	*c.calls++
	return c.Wiki.Contributors(ctx, titles)
}

// TestTheMatcherSeesTheDay: the matcher's input is the same all day long
// (so a run can reuse its result) and changes the next day.
func TestTheMatcherSeesTheDay(t *testing.T) {
	w := bottest.Fixture(t)
	e := bottest.NewBot(w)
	st, err := e.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	at := func(clock string) match.Input {
		s := *st
		s.Now = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		d, _ := time.ParseDuration(clock)
		s.Now = s.Now.Add(d)
		return proposals.MatchInput(&s, nil, match.Options{})
	}
	morning, evening, next := at("1m"), at("23h59m"), at("24h1m")
	if !reflect.DeepEqual(morning, evening) {
		t.Errorf("the input changed during the day:\n%+v\n%+v", morning, evening)
	}
	if reflect.DeepEqual(morning, next) {
		t.Error("the input is the same the next day (waiting time did not grow)")
	}
}

// TestMatchMemoSavedAndLoaded: a saved memo spares the next program run
// the matching for the same input; another build's memo is not used.
func TestMatchMemoSavedAndLoaded(t *testing.T) {
	w := bottest.Fixture(t)
	e := bottest.NewBot(w)
	st, err := e.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	in := proposals.MatchInput(st, nil, match.Options{})
	first := &engine.MatchMemo{Version: "build 1"}
	e.MatchMemo = first
	want, err := e.MatchMemo.Match(in)
	if err != nil || first.Misses != 1 {
		t.Fatal(err, first.Misses)
	}
	path := filepath.Join(t.TempDir(), "match.gob")
	if err := first.Save(path); err != nil {
		t.Fatal(err)
	}
	same := &engine.MatchMemo{Version: "build 1"}
	if err := same.Load(path); err != nil {
		t.Fatal(err)
	}
	e.MatchMemo = same
	got, err := e.MatchMemo.Match(in)
	if err != nil || same.Hits != 1 || !SameData(t, got, want) {
		t.Errorf("the loaded memo: %d hits, %v\n%+v\nwant\n%+v", same.Hits, err, got, want)
	}
	other := &engine.MatchMemo{Version: "build 2"}
	if err := other.Load(path); err != nil || other.Result != nil {
		t.Errorf("another build's memo was loaded: %v", err)
	}
	if err := os.WriteFile(path, []byte("not a memo"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := (&engine.MatchMemo{Version: "build 1"}).Load(path); err == nil {
		t.Error("a broken memo file was read without a word")
	}
}

// SameData compares two values as JSON data, an empty list the same as
// none (gob, which saves the memo, does not keep them apart, and nothing
// that reads a result does either).
func SameData(t *testing.T, a, b any) bool {
	t.Helper()
	norm := func(v any) any {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var out any
		json.Unmarshal(raw, &out)
		var walk func(any) any
		walk = func(v any) any {
			switch x := v.(type) {
			case []any:
				if len(x) == 0 {
					return nil
				}
				for i := range x {
					x[i] = walk(x[i])
				}
			case map[string]any:
				for k := range x {
					x[k] = walk(x[k])
				}
			}
			return v
		}
		return walk(out)
	}
	return reflect.DeepEqual(norm(a), norm(b))
}
