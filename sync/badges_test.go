package sync

import (
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// TestBadgePlans pins the dry-run plan of the badges' congratulations
// (outreach off): Bob led the bots clinic held last month (Clinic
// leader); Gus, opted out with {{bots}}, and Farah, paused, co-led it and
// hold the badge without a message; a second plan after the delivery has
// nothing to post.
func TestBadgePlans(t *testing.T) {
	badges := func(t *testing.T, w *wikitest.Wiki, e *Engine) {
		e.Config.OutreachSince = time.Time{}
		e.Config.BadgesEnabled = true
		e.Config.RecognitionPage = "Let's Connect/Recognition"
		page := eventsPrefix + "Clinics"
		w.Put(page, coordinator, w.Text(page)+event(map[string]string{"type": "Learning clinic", "title": "Bots held",
			"start": w.Now().AddDate(0, 0, -5).Format("2006-01-02") + " 15:00", "duration": "1h", "language": "en",
			"skills": "Bots", "sharers": "Bob, Gus, Farah", "status": "done"}))
	}
	checkPlans(t, outreachFixture, []planScenario{
		{"badges", badges},
		{"badges-again", func(t *testing.T, w *wikitest.Wiki, e *Engine) { badges(t, w, e); deliver(t, e) }},
	})
}
