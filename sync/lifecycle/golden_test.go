package lifecycle_test

import (
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
)

// TestGoldenLedger: the ledger, one of the two pages people edit by hand
// (the proposals page is the other: proposals' TestGoldenProposals),
// reads in its source as a person would write it (times, apostrophes,
// semicolons as typed; only what would act in a template argument is
// encoded).
func TestGoldenLedger(t *testing.T) {
	w, e := bottest.LifecycleFixture(t)
	w.Put(bottest.Prefix+"Seán O'Brien", "Seán O'Brien", bottest.Registration(map[string]string{
		"region": "Europe", "country": "Ireland", "languages": "en-N, ga-N", "timezone": "Europe/Dublin",
		"learn": "Grant proposals (beginner)", "share": "Lua modules (advanced)",
	}))
	bottest.Deliver(t, e)
	bottest.Run(t, e)
	ledger := bottest.LedgerPrefix + w.Now().Format("2006")
	bottest.PageGolden(t, "ledger.golden.wiki", ledger, w.Text(ledger))
	for _, title := range []string{ledger} {
		if text := w.Text(title); strings.Contains(text, "&#58;") || strings.Contains(text, "&#59;") || strings.Contains(text, "&#39;") {
			t.Errorf("%s encodes characters a template argument does not need encoded:\n%s", title, text)
		}
	}
}
