package main

import (
	"io"
	"strconv"
	"testing"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
)

// The lifecycle's delays and the outreach numbers reach the domain as they
// are configured, 0 included: the domain has no defaults of its own to put
// in their place (sync's tests show what it does with them).
func TestLifecycleAndOutreachSettingsReachTheDomain(t *testing.T) {
	environ := map[string]string{
		"LC_REMINDER_DAYS": "3", "LC_NO_RESPONSE_DAYS": "4", "LC_CHECKIN_DAYS": "5",
		"LC_INVITATIONS_PER_EVENT": "0", "LC_INVITE_AHEAD_DAYS": "9", "LC_INVITE_NOTICE_DAYS": "0",
	}
	cfg, err := cli.LoadConfig(environ)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{Name: "letsconnect", Environ: environ, Stdout: io.Discard, Stderr: io.Discard, Log: zerolog.Nop()}
	engine, _, err := newEngine(t.Context(), a, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	d := engine.Config.Config
	for name, got := range map[string]int{
		"LC_REMINDER_DAYS": d.ReminderDays, "LC_NO_RESPONSE_DAYS": d.NoResponseDays, "LC_CHECKIN_DAYS": d.CheckInDays,
		"LC_INVITATIONS_PER_EVENT": d.InvitationsPerEvent, "LC_INVITE_AHEAD_DAYS": d.InviteAheadDays, "LC_INVITE_NOTICE_DAYS": d.InviteNoticeDays,
	} {
		if want := environ[name]; strconv.Itoa(got) != want {
			t.Errorf("%s=%s reaches the domain as %d", name, want, got)
		}
	}
}
