package proposals_test

import (
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
)

// TestGoldenProposals: the proposals page, one of the two pages people
// edit by hand (the ledger is the other: lifecycle's TestGoldenLedger),
// reads in its source as a person would write it (times, apostrophes,
// semicolons as typed; only what would act in a template argument is
// encoded).
func TestGoldenProposals(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	w.Put(bottest.Prefix+"Seán O'Brien", "Seán O'Brien", bottest.Registration(map[string]string{
		"region": "Europe", "country": "Ireland", "languages": "en-N, ga-N", "timezone": "Europe/Dublin",
		"learn": "Grant proposals (beginner)", "share": "Lua modules (advanced)",
	}))
	bottest.Deliver(t, e)
	bottest.Run(t, e)
	bottest.PageGolden(t, "proposals.golden.wiki", bottest.ProposalsPage, w.Text(bottest.ProposalsPage))
	for _, title := range []string{bottest.ProposalsPage} {
		if text := w.Text(title); strings.Contains(text, "&#58;") || strings.Contains(text, "&#59;") || strings.Contains(text, "&#39;") {
			t.Errorf("%s encodes characters a template argument does not need encoded:\n%s", title, text)
		}
	}
}
