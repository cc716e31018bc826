package proposals_test

import (
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
)

// TestGoldenProposals: the proposals page, one of the two pages people
// edit by hand (the ledger is the other: lifecycle's TestGoldenLedger),
// reads in its source as a person would write it (times, apostrophes,
// semicolons as typed; only what would act in a template argument is
// encoded).
func TestGoldenProposals(t *testing.T) {
	w := bottest.HandEditedFixture(t)
	bottest.PageGolden(t, "proposals.golden.wiki", bottest.ProposalsPage, w.Text(bottest.ProposalsPage))
	bottest.AsTyped(t, bottest.ProposalsPage, w.Text(bottest.ProposalsPage))
}
