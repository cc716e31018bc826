package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// checkCommand runs `letsconnect check` and checks its exit status.
func checkCommand(t *testing.T, environ map[string]string, wantCode int) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"check"}, environ, strings.NewReader(""), &out, &errOut)
	if code != wantCode {
		t.Fatalf("letsconnect check: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

// checkEnviron is the bot's environment on the local wiki, for a program
// under root.
func checkEnviron(env devwiki.Env, root string) map[string]string {
	return map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_EDIT_INTERVAL": "0s",
	}
}

// checkProgram creates a fresh program's root page and skills taxonomy, as
// the working group would, and returns the root.
func checkProgram(t *testing.T, env devwiki.Env) string {
	t.Helper()
	root := fmt.Sprintf("LC check %d", time.Now().UnixNano())
	c, err := wiki.New(wiki.Config{APIURL: env.APIURL, UserAgent: "letsconnect-test/0 (human)", Write: true, EditPrefixes: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.LoginBotPassword(ctx, env.HumanUser, env.HumanPassword); err != nil {
		t.Fatal(err)
	}
	for title, text := range map[string]string{
		root:                      "The Let's Connect program.",
		root + "/Skills taxonomy": "* Organizing events\n* Writing articles\n",
	} {
		if _, err := c.Edit(ctx, wiki.EditRequest{Title: title, Text: text, Summary: "test program"}); err != nil {
			t.Fatalf("creating %s: %v", title, err)
		}
	}
	return root
}

// lines returns the output's lines with the given status ("ok", "FAIL",
// "skip").
func checkLines(out, status string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, fmt.Sprintf("%-6s", status)) {
			got = append(got, l)
		}
	}
	return got
}

// wantLine fails t unless a line of out starts with prefix.
func checkLine(t *testing.T, out, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Errorf("no line starts with %q in\n%s", prefix, out)
	return ""
}

func TestCheckPassesOnTheLocalWiki(t *testing.T) {
	env := devwiki.Start(t)
	root := checkProgram(t, env)
	out, _ := checkCommand(t, checkEnviron(env, root), 0)
	if fails, skips := checkLines(out, "FAIL"), checkLines(out, "skip"); len(fails)+len(skips) > 0 {
		t.Errorf("failed or skipped checks:\n%s", out)
	}
	for _, want := range []string{
		"ok    configuration loads",
		"ok    the wiki answers at " + env.APIURL,
		"ok    MediaWiki is 1.35 or later (MediaWiki 1.",
		"ok    credentials are set (BotPassword MW_BOT_USER=" + env.BotUser + ")",
		"ok    login as LetsConnectBot",
		"ok    right edit", "ok    right createpage", "ok    right editcontentmodel", "ok    right writeapi",
		"ok    right bot", "ok    right apihighlimits", "ok    the account is not blocked",
		fmt.Sprintf("ok    root page %q exists", root),
		fmt.Sprintf("ok    taxonomy page %q exists", root+"/Skills taxonomy"),
		"ok    the taxonomy's CapX codes are in CapX's list (no skill names a CapX capacity)",
		"ok    LC_ROOT is a page of its own",
		"ok    every page the bot writes is inside its allowlist",
		`ok    the bot refuses titles outside LC_ROOT ("Main Page", `,
	} {
		checkLine(t, out, want)
	}
	if n := len(checkLines(out, "ok")); n != 19 {
		t.Errorf("%d ok lines, want 19:\n%s", n, out)
	}
	checkLine(t, out, "ok    the shutoff page lets the bot write ("+root+"/Bot shutoff does not exist; create it")
	checkLine(t, out, "19 checks: 19 passed, 0 failed, 0 not run")
	t.Logf("letsconnect check:\n%s", out)
}

func TestCheckWrongPasswordFailsAndNeverShowsIt(t *testing.T) {
	env := devwiki.Start(t)
	root := checkProgram(t, env)
	const secret = "wrong-password-4f9c2e17b3"
	environ := checkEnviron(env, root)
	environ["MW_BOT_PASSWORD"] = secret
	environ["LC_LOG_LEVEL"] = "debug"
	out, errOut := checkCommand(t, environ, 1)
	line := checkLine(t, out, "FAIL  login as "+env.BotUser+": the wiki refused the login")
	if !strings.Contains(line, "MW_BOT_PASSWORD") || !strings.Contains(line, "Special:BotPasswords") {
		t.Errorf("the login failure does not say how to fix it: %s", line)
	}
	if fails := checkLines(out, "FAIL"); len(fails) != 1 {
		t.Errorf("want only the login to fail:\n%s", out)
	}
	// The account's checks could not run; the rest still did.
	for _, r := range []string{"edit", "createpage", "editcontentmodel", "writeapi", "bot", "apihighlimits"} {
		checkLine(t, out, "skip  right "+r+": not run (the login failed)")
	}
	checkLine(t, out, fmt.Sprintf("ok    root page %q exists", root))
	checkLine(t, out, "ok    the bot refuses titles outside LC_ROOT")
	if strings.Contains(out, secret) || strings.Contains(errOut, secret) {
		t.Errorf("the password appears in the output\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
	// Nor the real one, or any part of the wrong one.
	if strings.Contains(out+errOut, env.BotPassword) || strings.Contains(out+errOut, secret[:12]) {
		t.Errorf("a password appears in the output")
	}
}

func TestCheckFailsWithoutTheBotRight(t *testing.T) {
	env := devwiki.Start(t)
	root := checkProgram(t, env)
	// WikiHuman is an ordinary account (groups user, autoconfirmed) that
	// logs in with its main password: no bot flag, no high limits.
	environ := checkEnviron(env, root)
	environ["MW_BOT_USER"], environ["MW_BOT_PASSWORD"] = env.HumanUser, env.HumanPassword
	out, errOut := checkCommand(t, environ, 1)
	checkLine(t, out, "ok    login as "+env.HumanUser)
	bot := checkLine(t, out, `FAIL  right bot: WikiHuman lacks the right "bot"`)
	for _, want := range []string{"not in the bot group", "stewards", "highvolume"} {
		if !strings.Contains(bot, want) {
			t.Errorf("the bot right's failure does not say %q: %s", want, bot)
		}
	}
	checkLine(t, out, `FAIL  right apihighlimits: WikiHuman lacks the right "apihighlimits"`)
	checkLine(t, out, "FAIL  credentials are set: MW_BOT_USER=WikiHuman is not a BotPassword user name")
	// What the account may do passes.
	checkLine(t, out, "ok    right edit")
	checkLine(t, out, "ok    right createpage")
	if got := len(checkLines(out, "FAIL")); got != 3 {
		t.Errorf("%d FAIL lines, want 3 (credentials, bot, apihighlimits):\n%s", got, out)
	}
	if strings.Contains(out+errOut, env.HumanPassword) {
		t.Error("the human's password appears in the output")
	}
}

func TestCheckFailsOnAMissingRootPage(t *testing.T) {
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC check missing %d", time.Now().UnixNano())
	out, _ := checkCommand(t, checkEnviron(env, root), 1)
	line := checkLine(t, out, fmt.Sprintf("FAIL  root page %q exists: %q does not exist on the wiki", root, root))
	if !strings.Contains(line, "LC_ROOT") {
		t.Errorf("the failure does not name the variable: %s", line)
	}
	checkLine(t, out, fmt.Sprintf("FAIL  taxonomy page %q exists: %q does not exist", root+"/Skills taxonomy", root+"/Skills taxonomy"))
	// Everything else passes: the account is the bot's.
	if got := len(checkLines(out, "FAIL")); got != 2 {
		t.Errorf("%d FAIL lines, want 2:\n%s", got, out)
	}
	checkLine(t, out, "ok    right bot")
	checkLine(t, out, "19 checks: 16 passed, 2 failed, 1 not run")
}

func TestCheckRefusesARootThatIsNotTheProgramsPage(t *testing.T) {
	env := devwiki.Start(t)
	for root, want := range map[string]string{
		"Main Page":             `LC_ROOT is a page of its own: LC_ROOT="Main Page" is the main page`,
		"main_Page":             `LC_ROOT is a page of its own: LC_ROOT="main_Page" is the main page`,
		"User:":                 `configuration loads: LC_ROOT="User:": must be a page title`, // no wiki needed to tell
		"User talk:WikiHuman":   `LC_ROOT is a page of its own: LC_ROOT="User talk:WikiHuman" is a user talk page`,
		"Special:RecentChanges": `LC_ROOT is a page of its own: LC_ROOT="Special:RecentChanges" is a special page`,
	} {
		out, _ := checkCommand(t, checkEnviron(env, root), 1)
		checkLine(t, out, "FAIL  "+want)
	}
}

func TestCheckReportsABadConfigurationAndRunsNothingElse(t *testing.T) {
	out, _ := checkCommand(t, map[string]string{"LC_MAX_EDITS": "many", "MW_BOT_USER": "Bot@app", "MW_BOT_PASSWORD": "many-secrets"}, 1)
	checkLine(t, out, "FAIL  configuration loads: LC_MAX_EDITS=many: must be a whole number from 0 to 2147483647")
	if fails, skips := checkLines(out, "FAIL"), checkLines(out, "skip"); len(fails) != 1 || len(skips) != 18 || !slices.ContainsFunc(skips, func(l string) bool {
		return strings.HasPrefix(l, "skip  login: not run (the configuration did not load)")
	}) {
		t.Errorf("want one failure and every other check not run:\n%s", out)
	}
	if strings.Contains(out, "many-secrets") {
		t.Error("the password appears in the output")
	}
}

func TestCheckWikiThatDoesNotAnswer(t *testing.T) {
	out, _ := checkCommand(t, map[string]string{"MW_API_URL": "http://127.0.0.1:1/api.php"}, 1)
	checkLine(t, out, "FAIL  the wiki answers at http://127.0.0.1:1/api.php: ")
	checkLine(t, out, "FAIL  credentials are set: none are: set MW_BOT_USER and MW_BOT_PASSWORD")
	checkLine(t, out, "skip  login: not run (the wiki did not answer)")
	checkLine(t, out, "19 checks: 1 passed, 2 failed, 16 not run")
}

func TestCheckReadsTheMediaWikiVersion(t *testing.T) {
	for gen, want := range map[string][3]int{
		"MediaWiki 1.39.17":      {1, 39, 1},
		"MediaWiki 1.44.0-wmf.3": {1, 44, 1},
		"MediaWiki 2.0":          {2, 0, 1},
		"SomethingElse 1.40":     {0, 0, 0},
		"":                       {0, 0, 0},
	} {
		major, minor, ok := mediaWikiVersion(gen)
		if major != want[0] || minor != want[1] || ok != (want[2] == 1) {
			t.Errorf("mediaWikiVersion(%q) = %d, %d, %v", gen, major, minor, ok)
		}
	}
}

func TestCheckFailsWhileTheShutoffPageStopsTheBot(t *testing.T) {
	env := devwiki.Start(t)
	root := checkProgram(t, env)
	if _, err := newHuman(t, env, root).Edit(context.Background(), wiki.EditRequest{Title: root + "/Bot shutoff", Text: "stop, it loops", Summary: "stop the bot"}); err != nil {
		t.Fatal(err)
	}
	out, _ := checkCommand(t, checkEnviron(env, root), 1)
	line := checkLine(t, out, "FAIL  the shutoff page lets the bot write: "+root+"/Bot shutoff says \"stop, it loops\"")
	if !strings.Contains(line, env.HumanUser) || !strings.Contains(line, "LC_SHUTOFF_PAGE") {
		t.Errorf("the failure does not say who stopped the bot and which variable names the page: %s", line)
	}
}
