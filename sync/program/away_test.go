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
