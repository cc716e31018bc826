package wikitest_test

import (
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikicontract"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// TestContract runs the contract suite (wiki/wikicontract) on the fake:
// the cases *wiki.Client passes against the local MediaWiki
// (wiki/contract_test.go).
func TestContract(t *testing.T) {
	wikicontract.Run(t, func(t *testing.T) wikicontract.Target {
		const root, human = "Contract test/", "WikiHuman"
		w := wikitest.New("LetsConnectBot")
		w.Write = true
		w.EditPrefixes = []string{root}
		return wikicontract.Target{
			Wiki:   w,
			Prefix: root + "Case/",
			Human:  human,
			Save:   func(t *testing.T, title, text string) { w.Put(title, human, text) },
			Delete: func(t *testing.T, title string) { w.Delete(title) },
			// Every valid user name has an account unless removed.
			CreateUser: func(t *testing.T, name string) {},
			NoAccount:  func(t *testing.T, name string) { w.RemoveUser(name) },
			Block:      func(t *testing.T, name, reason string) { w.Block(name, reason) },
			NextSecond: func(t *testing.T) { w.Advance(time.Second) },
			Requests:   func() int64 { return int64(w.Requests()) },
		}
	})
}
