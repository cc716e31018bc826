// Package devwiki starts the local test wiki (scripts/devwiki.sh) for
// integration tests and hands them its credentials.
//
// Tests call Start; when the wiki cannot start, the test fails with the
// script's own explanation. Nothing is skipped silently: a test that needs the
// real wiki either runs against it or fails.
package devwiki

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Env is what scripts/devwiki.sh writes to .devwiki/env.
type Env struct {
	APIURL        string // MW_API_URL
	BotUser       string // MW_BOT_USER, a BotPassword user name (User@app)
	BotPassword   string // MW_BOT_PASSWORD
	HumanUser     string // DEVWIKI_HUMAN_USER, an ordinary account
	HumanPassword string // DEVWIKI_HUMAN_PASSWORD
	AdminUser     string // DEVWIKI_ADMIN_USER, a sysop
	AdminPassword string // DEVWIKI_ADMIN_PASSWORD
	Dir           string // DEVWIKI_DIR
}

var (
	once     sync.Once
	started  Env
	startErr error
)

// RepoRoot returns the repository's top directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Start makes sure the local wiki runs (installing and setting it up when
// needed) and returns its environment. It fails t when the wiki cannot start.
func Start(t testing.TB) Env {
	t.Helper()
	env, err := StartOnce()
	if err != nil {
		t.Fatalf("local wiki: %v", err)
	}
	return env
}

// StartOnce is Start for callers without a testing.TB (benchmarks' setup,
// TestMain). The script runs at most once per process.
func StartOnce() (Env, error) {
	once.Do(func() { started, startErr = start() })
	return started, startErr
}

func start() (Env, error) {
	script := filepath.Join(RepoRoot(), "scripts", "devwiki.sh")
	cmd := exec.Command(script, "start")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return Env{}, fmt.Errorf("%s start: %v\n%s", script, err, out.String())
	}
	envFile := strings.TrimSpace(lastLine(out.String()))
	return ReadEnv(envFile)
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// ReadEnv parses an env file of `export NAME=value` lines.
func ReadEnv(path string) (Env, error) {
	f, err := os.Open(path)
	if err != nil {
		return Env{}, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimPrefix(strings.TrimSpace(sc.Text()), "export ")
		if name, value, ok := strings.Cut(line, "="); ok {
			vars[name] = value
		}
	}
	if err := sc.Err(); err != nil {
		return Env{}, err
	}
	env := Env{
		APIURL:        vars["MW_API_URL"],
		BotUser:       vars["MW_BOT_USER"],
		BotPassword:   vars["MW_BOT_PASSWORD"],
		HumanUser:     vars["DEVWIKI_HUMAN_USER"],
		HumanPassword: vars["DEVWIKI_HUMAN_PASSWORD"],
		AdminUser:     vars["DEVWIKI_ADMIN_USER"],
		AdminPassword: vars["DEVWIKI_ADMIN_PASSWORD"],
		Dir:           vars["DEVWIKI_DIR"],
	}
	if env.APIURL == "" || env.BotUser == "" || env.BotPassword == "" {
		return Env{}, fmt.Errorf("%s lacks MW_API_URL, MW_BOT_USER or MW_BOT_PASSWORD; run `make devwiki-reset devwiki`", path)
	}
	return env, nil
}

// Import loads a directory written by `letsconnect demo generate` (or
// demo.WriteXML plus accounts.txt) into the local wiki through
// scripts/devwiki.sh import: accounts first, then the pages, each revision
// by its named account.
func Import(t testing.TB, dir string) {
	t.Helper()
	script := filepath.Join(RepoRoot(), "scripts", "devwiki.sh")
	out, err := exec.Command(script, "import", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("%s import %s: %v\n%s", script, dir, err, out)
	}
}

// EditAs saves text as title's new text, edited by user (any account,
// such as a demo participant, who has no password): MediaWiki expands
// their signature (~~~~) as on any save.
func EditAs(t testing.TB, user, title, text string) {
	t.Helper()
	script := filepath.Join(RepoRoot(), "scripts", "devwiki.sh")
	cmd := exec.Command(script, "edit", user, title)
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s edit %s %q: %v\n%s", script, user, title, err, out)
	}
}
