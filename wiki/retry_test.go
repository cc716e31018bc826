package wiki

import (
	"context"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfterForms(t *testing.T) {
	now := time.Date(2025, 3, 14, 15, 9, 26, 500_000_000, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).UTC().Format(http.TimeFormat) }
	// http.TimeFormat has whole seconds: now is at .5 s, so a date d ahead
	// is d-0.5 s away.
	for _, tc := range []struct {
		name  string
		value string
		want  time.Duration
		ok    bool
	}{
		{"empty", "", 0, false},
		{"blank", "   ", 0, false},
		{"seconds", "5", 5 * time.Second, true},
		{"seconds with spaces", " 120 ", 120 * time.Second, true},
		{"zero", "0", 0, true},
		{"negative", "-5", 0, true},
		{"huge seconds", "99999999999", time.Duration(math.MaxInt64), true},
		{"largest int64", "9223372036854775807", time.Duration(math.MaxInt64), true},
		{"beyond int64", "9223372036854775808", time.Duration(math.MaxInt64), true},
		{"beyond int64, negative", "-9223372036854775809", 0, true},
		{"fraction", "1.5", 0, false},
		{"garbage", "soon", 0, false},
		{"date in the future", date(90 * time.Second), 89*time.Second + 500*time.Millisecond, true},
		{"date a second ahead", date(time.Second), 500 * time.Millisecond, true},
		{"date now", date(0), 0, true},
		{"date in the past", date(-time.Hour), 0, true},
		{"RFC 850 date", now.Add(10 * time.Second).Format("Monday, 02-Jan-06 15:04:05 GMT"), 9*time.Second + 500*time.Millisecond, true},
		{"asctime date", now.Add(10 * time.Second).Format(time.ANSIC), 9*time.Second + 500*time.Millisecond, true},
		{"date with a zone other than GMT", now.Add(10 * time.Second).Format(time.RFC1123Z), 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseRetryAfter(tc.value, now)
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tc.value, got, ok, tc.want, tc.ok)
			}
			if got < 0 {
				t.Errorf("parseRetryAfter(%q) is negative: %s", tc.value, got)
			}
		})
	}
}

func TestBackoffBoundsCapAndGrowth(t *testing.T) {
	const (
		base    = 10 * time.Millisecond
		ceiling = 200 * time.Millisecond
	)
	// The nominal wait doubles from base up to max; backoff is uniformly in
	// [nominal/2, nominal].
	nominal := []time.Duration{10, 20, 40, 80, 160, 200, 200, 200}
	for attempt, n := range nominal {
		n *= time.Millisecond
		lo, hi := n, time.Duration(0)
		var sum time.Duration
		const samples = 2000
		for range samples {
			d := backoff(attempt, base, ceiling)
			lo, hi = min(lo, d), max(hi, d)
			sum += d
		}
		if lo < n/2 || hi > n {
			t.Errorf("attempt %d: backoff in [%s, %s], want within [%s, %s]", attempt, lo, hi, n/2, n)
		}
		// Jitter: the waits spread over the range, around 3/4 of nominal.
		if hi-lo < n/4 {
			t.Errorf("attempt %d: backoff in [%s, %s]: too little jitter", attempt, lo, hi)
		}
		if mean := sum / samples; mean < n*65/100 || mean > n*85/100 {
			t.Errorf("attempt %d: mean backoff %s, want about %s", attempt, mean, n*3/4)
		}
	}
	// The cap holds for any attempt, without overflow.
	for _, attempt := range []int{10, 62, 63, 64, 1000, math.MaxInt32} {
		if d := backoff(attempt, base, ceiling); d < ceiling/2 || d > ceiling {
			t.Errorf("attempt %d: backoff %s, want within [%s, %s]", attempt, d, ceiling/2, ceiling)
		}
	}
	// Defaults of Config: 1 s to 60 s.
	if d := backoff(0, time.Second, time.Minute); d < 500*time.Millisecond || d > time.Second {
		t.Errorf("first backoff with the defaults: %s", d)
	}
	if d := backoff(20, time.Second, time.Minute); d < 30*time.Second || d > time.Minute {
		t.Errorf("late backoff with the defaults: %s", d)
	}
	// A base above the cap is capped.
	if d := backoff(0, time.Second, 100*time.Millisecond); d < 50*time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("base above the cap: %s", d)
	}
	// Tiny durations: no division by zero in the jitter.
	if d := backoff(0, time.Nanosecond, time.Nanosecond); d != time.Nanosecond {
		t.Errorf("1 ns backoff: %s", d)
	}
}

func TestSleepStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	if err := sleep(ctx, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep: %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("sleep returned after %s", d)
	}
	if err := sleep(context.Background(), 0); err != nil {
		t.Errorf("sleep(0): %v", err)
	}
	if err := sleep(context.Background(), -time.Second); err != nil {
		t.Errorf("sleep(-1s): %v", err)
	}
	if err := sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("sleep(1ms): %v", err)
	}
}
