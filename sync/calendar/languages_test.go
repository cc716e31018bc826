package calendar_test

import (
	"reflect"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
)

// TestEventLanguagesByName: an event's language may be a name too.
func TestEventLanguagesByName(t *testing.T) {
	evs, _, problems := bottest.CheckEvents(t, bottest.EventText(map[string]string{
		"type": "clinic", "title": "T", "start": "2026-12-03 14:00", "language": "Kiswahili", "interpreted": "français, en",
	}))
	if len(problems) > 0 || len(evs) != 1 || evs[0].Language != "sw" || !reflect.DeepEqual(evs[0].Interpreted, []string{"en", "fr"}) {
		t.Errorf("events %+v, problems %v", evs, problems)
	}
}
