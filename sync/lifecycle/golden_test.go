package lifecycle_test

import (
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
)

// TestGoldenLedger: the ledger, one of the two pages people edit by hand
// (the proposals page is the other: proposals' TestGoldenProposals),
// reads in its source as a person would write it (times, apostrophes,
// semicolons as typed; only what would act in a template argument is
// encoded).
func TestGoldenLedger(t *testing.T) {
	w := bottest.HandEditedFixture(t)
	ledger := bottest.LedgerPrefix + w.Now().Format("2006")
	bottest.PageGolden(t, "ledger.golden.wiki", ledger, w.Text(ledger))
	bottest.AsTyped(t, ledger, w.Text(ledger))
}
