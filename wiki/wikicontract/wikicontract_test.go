package wikicontract_test

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikicontract"
)

// The contract's Wiki is the engine's: each has the other's methods, so
// the compiler says when one changes without the other.
var (
	_ sync.Wiki         = wikicontract.Wiki(nil)
	_ wikicontract.Wiki = sync.Wiki(nil)
)
