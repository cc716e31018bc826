package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
)

// TestCredentialsNeverInTheOutput runs every command that touches the
// wiki at the debug log level, with the right credentials and with wrong
// ones (a password and an OAuth 2 token), and looks for the secrets in
// everything they print: logs, errors, dry-run diffs, reports.
func TestCredentialsNeverInTheOutput(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC secrets %d", time.Now().UnixNano())
	prog := importDemo(t, root)
	base := map[string]string{
		"MW_API_URL": env.APIURL, "LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(prog.WorkingGroup, ","),
		"LC_EDIT_INTERVAL": "0s", "LC_LOG_LEVEL": "debug", "LC_MAX_EDITS": "0",
	}
	with := func(extra ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	const wrongPassword = "wr0ng-Pa55word-that-must-not-show"
	const wrongToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.not-a-real-token-that-must-not-show"
	runs := []struct {
		environ map[string]string
		args    []string
		secret  string
	}{
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", env.BotPassword), []string{"sync"}, env.BotPassword},
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", env.BotPassword), []string{"sync", "--write"}, env.BotPassword},
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", env.BotPassword), []string{"deliver", "--write"}, env.BotPassword},
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", env.BotPassword), []string{"report"}, env.BotPassword},
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", env.BotPassword), []string{"calendar", "--out", "-"}, env.BotPassword},
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", env.BotPassword), []string{"check"}, env.BotPassword},
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", wrongPassword), []string{"sync", "--write"}, wrongPassword},
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", wrongPassword), []string{"deliver"}, wrongPassword},
		{with("MW_BOT_USER", env.BotUser, "MW_BOT_PASSWORD", wrongPassword), []string{"check"}, wrongPassword},
		{with("MW_OAUTH2_TOKEN", wrongToken), []string{"sync", "--write"}, wrongToken},
		{with("MW_BOT_PASSWORD", wrongPassword), []string{"sync"}, wrongPassword}, // a configuration error
	}
	for _, r := range runs {
		var stdout, stderr strings.Builder
		code := Main(context.Background(), r.args, r.environ, strings.NewReader(""), &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if strings.Contains(out, r.secret) {
			t.Errorf("letsconnect %s (exit %d) printed the secret:\n%.2000s", strings.Join(r.args, " "), code, out)
		}
		if len(out) == 0 {
			t.Errorf("letsconnect %s printed nothing: the check would be empty", strings.Join(r.args, " "))
		}
	}
}
