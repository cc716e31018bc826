// Package wikicontract is one behavioural test suite for the wiki the
// engine talks to (the methods of wiki.API), run on both of its
// implementations: the in-memory fake of wiki/wikitest on every go test
// (wiki/wikitest/contract_test.go), and *wiki.Client against the local
// MediaWiki (wiki/contract_test.go). The same assertions on both keep
// the fake from drifting away from the wiki the bot really talks to:
// MediaWiki is the reference, and where the fake disagreed on something
// the engine relies on, the fake was changed.
//
// Each case takes a fresh Target and works under the Target's own title
// prefix, so cases are independent and a real wiki can be shared with
// other tests. The cases name what the engine relies on; where MediaWiki
// does more than that (it rewrites JSON pages, for one), the contract
// states only what the engine relies on and says so.
package wikicontract

import (
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// Wiki is the interface under test: what the bot needs of a wiki.
type Wiki = wiki.API

// Target is one implementation under test, with what the cases need to
// act as the other people on the same wiki.
type Target struct {
	// Wiki is the implementation under test: logged in as the bot,
	// writing (not a dry run), allowed to edit under Prefix.
	Wiki Wiki
	// Prefix is where the case's pages go: a title prefix in the main
	// namespace ending in "/", inside the wiki's edit prefixes, that no
	// other case and no earlier run used. The title Prefix without its
	// last "/" must be outside the edit prefixes.
	Prefix string
	// Human is a person's account, other than the bot's.
	Human string
	// Save saves text as Human's new revision of title (creating the page
	// if needed), as a person editing would.
	Save func(t *testing.T, title, text string)
	// Delete deletes title, as an administrator would.
	Delete func(t *testing.T, title string)
	// CreateUser makes sure the account name exists (it is a name no
	// other case and no earlier run used).
	CreateUser func(t *testing.T, name string)
	// NoAccount makes sure the valid user name has no account (it is a
	// name no other case and no earlier run used).
	NoAccount func(t *testing.T, name string)
	// Block blocks the account name from editing the whole wiki.
	Block func(t *testing.T, name, reason string)
	// NextSecond returns once the wiki's clock has passed the second of
	// every revision saved so far (a real wiki: a wait of at most a
	// second; the fake: its clock moved on). It sets up a case, never
	// decides one.
	NextSecond func(t *testing.T)
	// Requests counts what Wiki sent to the wiki so far (HTTP requests;
	// the fake: calls that would have needed one). Cases only compare two
	// counts, to tell that nothing was sent.
	Requests func() int64
}

// Run runs every case of the contract as a subtest of t, each on a fresh
// Target from newTarget.
func Run(t *testing.T, newTarget func(t *testing.T) Target) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newTarget(t)) })
	}
}

type testCase struct {
	name string
	run  func(t *testing.T, tg Target)
}

// cases are in reads.go, edits.go, talk.go and history.go, by area; a
// name's first part is its area.
var cases []testCase

func register(area string, more ...testCase) {
	for _, c := range more {
		c.name = area + "/" + c.name
		cases = append(cases, c)
	}
}
