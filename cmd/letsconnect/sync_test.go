package main

import (
	"io"
	"strconv"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
)

// The lifecycle's delays and the outreach numbers reach the behaviours'
// Config as they are configured, 0 included: the behaviours have no
// defaults of their own to put in their place (sync/lifecycle's and
// sync/outreach's tests show what they do with them).
func TestLifecycleAndOutreachSettingsReachTheBehaviours(t *testing.T) {
	environ := map[string]string{
		"LC_REMINDER_DAYS": "3", "LC_NO_RESPONSE_DAYS": "4", "LC_CHECKIN_DAYS": "5",
		"LC_INVITATIONS_PER_EVENT": "0", "LC_INVITE_AHEAD_DAYS": "9", "LC_INVITE_NOTICE_DAYS": "0",
	}
	cfg, err := config.Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]int{
		"LC_REMINDER_DAYS": cfg.Lifecycle.ReminderDays, "LC_NO_RESPONSE_DAYS": cfg.Lifecycle.NoResponseDays, "LC_CHECKIN_DAYS": cfg.Lifecycle.CheckInDays,
		"LC_INVITATIONS_PER_EVENT": cfg.Outreach.InvitationsPerEvent, "LC_INVITE_AHEAD_DAYS": cfg.Outreach.InviteAheadDays, "LC_INVITE_NOTICE_DAYS": cfg.Outreach.InviteNoticeDays,
	} {
		if want := environ[name]; strconv.Itoa(got) != want {
			t.Errorf("%s=%s reaches the behaviour as %d", name, want, got)
		}
	}
}

// --max-edits and --max-messages override their variable for one run, 0
// meaning no limit; a negative value is refused before anything is read,
// not taken as "use the variable".
func TestCapFlagsRefuseNegatives(t *testing.T) {
	for _, args := range [][]string{{"sync", "--max-edits", "-3"}, {"deliver", "--max-messages", "-1"}} {
		var stderr strings.Builder
		// An address nothing listens on: the command must stop before it.
		environ := map[string]string{"MW_API_URL": "http://127.0.0.1:9/api.php"}
		code := Main(t.Context(), args, environ, strings.NewReader(""), io.Discard, &stderr)
		if want := args[1] + " " + args[2] + ": must be a whole number, 0 (no limit) or more"; code != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("letsconnect %s: exit %d, %s; want 2 and %q", strings.Join(args, " "), code, stderr.String(), want)
		}
	}
}
