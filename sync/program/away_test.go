package program_test

import (
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// Away lasts until the day the person is back, that day excluded.
func TestAwayUntil(t *testing.T) {
	r := &program.Registration{Username: "Ada", AwayUntil: program.ParseDay("2027-03-01")}
	st := &program.State{Registrations: []*program.Registration{r}}
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2027, 2, 28, 23, 59, 0, 0, time.UTC), "away until 2027-03-01"},
		{time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), ""},
	} {
		st.Now = tc.now
		if got := st.Unavailable("Ada"); got != tc.want {
			t.Errorf("at %s: %q, want %q", tc.now, got, tc.want)
		}
	}
	if (&program.Registration{}).Away(time.Now()) {
		t.Error("a registration without away_until is away")
	}
}

// Blocked comes first, then away, then inactive.
func TestUnavailableReasons(t *testing.T) {
	st := &program.State{Now: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Registrations: []*program.Registration{{Username: "Ada", AwayUntil: program.ParseDay("2027-03-01")}, {Username: "Bo"}},
		Blocked:       map[string]bool{"Ada": true}, Inactive: map[string]string{"Ada": "2026-12-02", "Bo": "2026-12-02"}}
	if got := st.Unavailable("Ada"); got != "blocked" {
		t.Errorf("Ada: %q", got)
	}
	if got := st.Unavailable("Bo"); got != "no edit since 2026-12-02" {
		t.Errorf("Bo: %q", got)
	}
	if got := st.Unavailable("Cy"); got != "" {
		t.Errorf("Cy: %q", got)
	}
}
