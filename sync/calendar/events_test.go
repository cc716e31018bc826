package calendar

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"90 min": 90 * time.Minute, "1h30": 90 * time.Minute, "2h": 2 * time.Hour,
		"1.5h": 90 * time.Minute, "2 hours": 2 * time.Hour, "45": 45 * time.Minute, "1 h 15 min": 75 * time.Minute} {
		if got, ok := parseDuration(in); !ok || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "soon", "0", "25h", "-1h"} {
		if _, ok := parseDuration(bad); ok {
			t.Errorf("parseDuration(%q) accepted", bad)
		}
	}
}
