// Package devwiki starts the local test wiki (scripts/devwiki.sh) for
// integration tests and hands them its credentials.
//
// Integration tests call Start. What it does depends on DEVWIKI_TESTS:
//
//   - unset (or "auto"), as in a plain `go test ./...`: the tests use the
//     local wiki when it already answers, and are skipped, with the reason
//     and how to run them, when it does not. Unit tests run either way.
//   - "require", as `make test` (and so CI) sets it: Start installs and
//     starts the wiki when needed, and fails the test, never skips it,
//     when the wiki cannot start.
//   - "skip": every integration test is skipped (make test's -race pass of
//     the unit tests).
//
// Nothing is skipped silently: a skipped test says why.
package devwiki

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// ModeVariable names the environment variable that says how integration
// tests treat the local wiki.
const ModeVariable = "DEVWIKI_TESTS"

// The values of DEVWIKI_TESTS.
const (
	ModeAuto    = "auto"    // use the wiki when it answers, else skip (the default)
	ModeRequire = "require" // start the wiki, fail when it cannot start
	ModeSkip    = "skip"    // skip every integration test
)

// ErrNotRunning is the error StartOnce wraps when the integration tests
// are to be skipped: the wiki does not answer (and DEVWIKI_TESTS does not
// require it), or DEVWIKI_TESTS=skip. Callers skip on it and fail on any
// other error.
var ErrNotRunning = errors.New("integration tests skipped")

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
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}

// Start returns the local wiki's environment for an integration test,
// as DEVWIKI_TESTS says (see the package doc): it skips t when the wiki is
// not running and not required, and fails t when it is required and cannot
// start.
func Start(t testing.TB) Env {
	t.Helper()
	env, err := StartOnce()
	if errors.Is(err, ErrNotRunning) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatalf("local wiki: %v", err)
	}
	return env
}

// StartOnce is Start for callers without a testing.TB (benchmarks' setup,
// TestMain): an error that wraps ErrNotRunning means skip, any other fail.
// The wiki is looked for (or started) at most once per process.
func StartOnce() (Env, error) {
	once.Do(func() { started, startErr = find() })
	return started, startErr
}

// Mode returns DEVWIKI_TESTS's value ("auto" when it is unset).
func Mode() (string, error) {
	switch m := strings.TrimSpace(os.Getenv(ModeVariable)); m {
	case "", ModeAuto:
		return ModeAuto, nil
	case ModeRequire, ModeSkip:
		return m, nil
	default:
		return "", fmt.Errorf("%s=%q: want %s, %s or %s", ModeVariable, m, ModeRequire, ModeAuto, ModeSkip)
	}
}

// Required reports whether DEVWIKI_TESTS=require: the tests must run
// everything and may install what they need (make test).
func Required() bool {
	m, _ := Mode()
	return m == ModeRequire
}

func find() (Env, error) {
	mode, err := Mode()
	if err != nil {
		return Env{}, err
	}
	switch mode {
	case ModeSkip:
		return Env{}, fmt.Errorf("%w: %s=%s (make test runs them against the local wiki)", ErrNotRunning, ModeVariable, ModeSkip)
	case ModeRequire:
		return start()
	}
	const how = "start it with `make devwiki`, or run `make test`, which starts it"
	envFile := filepath.Join(Dir(), "env")
	env, err := ReadEnv(envFile)
	if errors.Is(err, os.ErrNotExist) {
		return Env{}, fmt.Errorf("%w: the local wiki is not set up (no %s): %s", ErrNotRunning, envFile, how)
	}
	if err != nil {
		return Env{}, err
	}
	if err := answers(env.APIURL); err != nil {
		return Env{}, fmt.Errorf("%w: the local wiki is not running (%v): %s", ErrNotRunning, err, how)
	}
	return env, nil
}

// Dir is where the local wiki keeps its data: DEVWIKI_DIR, or .devwiki in
// the repository (as scripts/devwiki.sh has it).
func Dir() string {
	if d := os.Getenv("DEVWIKI_DIR"); d != "" {
		return d
	}
	return filepath.Join(RepoRoot(), ".devwiki")
}

// answers asks api.php for the site's name, as `scripts/devwiki.sh
// status` does.
func answers(apiURL string) error {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(apiURL + "?action=query&meta=siteinfo&format=json")
	if err != nil {
		return fmt.Errorf("no answer at %s", apiURL)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body.String(), `"sitename"`) {
		return fmt.Errorf("%s answers %s, not as MediaWiki", apiURL, resp.Status)
	}
	return nil
}

func start() (Env, error) {
	script := filepath.Join(RepoRoot(), "scripts", "devwiki.sh")
	cmd := exec.Command(script, "start")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return Env{}, fmt.Errorf("%s=%s, and %s start failed: %v\n%s", ModeVariable, ModeRequire, script, err, out.String())
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

// Import loads a directory written by `letsconnect-dev demo generate` (or
// demo.WriteXML plus accounts.txt) into the local wiki through
// scripts/devwiki.sh import: accounts first, then the pages, each revision
// by its named account.
func Import(t testing.TB, dir string) { script(t, nil, nil, "import", dir) }

// EditAs saves text as title's new text, edited by user (any account,
// such as a demo participant, who has no password): MediaWiki expands
// their signature (~~~~) as on any save.
func EditAs(t testing.TB, user, title, text string) {
	script(t, nil, strings.NewReader(text), "edit", user, title)
}

// script runs scripts/devwiki.sh with args, in environ (nil: this
// process's, so the shared wiki), and returns what it printed on stdout;
// it fails t with the script's output when it fails.
func script(t testing.TB, environ []string, stdin io.Reader, args ...string) string {
	t.Helper()
	path := filepath.Join(RepoRoot(), "scripts", "devwiki.sh")
	cmd := exec.Command(path, args...)
	cmd.Env, cmd.Stdin = environ, stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", path, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// Own is a local wiki of one test's own: a new MediaWiki in a temporary
// directory, on a free port, stopped when the test ends. A test that
// changes the wiki itself (loads an extension, say) runs on one, so that
// the shared wiki stays what every other test and the demo expect.
type Own struct {
	Env
	environ []string // this process's, with DEVWIKI_DIR and DEVWIKI_PORT
}

// StartOwn installs and starts a wiki of t's own (about ten seconds),
// under the same rule as Start: t is skipped, or failed, when the shared
// wiki would be (Start runs first, and under DEVWIKI_TESTS=require it
// installs the packages both need).
func StartOwn(t testing.TB) *Own {
	t.Helper()
	Start(t)
	dir := filepath.Join(t.TempDir(), "wiki")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	// Later entries win: the shared wiki's DEVWIKI_DIR, if set, is not
	// this one's.
	w := &Own{environ: append(os.Environ(), "DEVWIKI_DIR="+dir, "DEVWIKI_PORT="+port)}
	// Registered after TempDir's removal, so it runs before it; in this
	// wiki's environment, never the shared wiki's.
	t.Cleanup(func() {
		stop := exec.Command(filepath.Join(RepoRoot(), "scripts", "devwiki.sh"), "stop")
		stop.Env = w.environ
		stop.Run()
	})
	w.Env, err = ReadEnv(strings.TrimSpace(lastLine(w.script(t, nil, "start"))))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// Environ is this process's environment with this wiki's DEVWIKI_DIR and
// DEVWIKI_PORT: scripts/devwiki.sh, and so make demo, run in it use this
// wiki.
func (w *Own) Environ() []string { return slices.Clone(w.environ) }

func (w *Own) script(t testing.TB, stdin io.Reader, args ...string) string {
	t.Helper()
	return script(t, w.environ, stdin, args...)
}

// Import is devwiki.Import into this wiki.
func (w *Own) Import(t testing.TB, dir string) { w.script(t, nil, "import", dir) }

// RunJobs runs this wiki's job queue to the end.
func (w *Own) RunJobs(t testing.TB) { w.script(t, nil, "runjobs") }

// LoadExtension loads the extension of an extension.json that is not part
// of Debian's MediaWiki into this wiki, and returns once the wiki lists
// it (scripts/devwiki.sh load-extension).
func (w *Own) LoadExtension(t testing.TB, extensionJSON string) {
	t.Helper()
	w.script(t, nil, "load-extension", extensionJSON)
}

// Tool returns the path of a program a test needs besides the wiki (such
// as headless Chromium), under the same rule as Start: when the program
// is at path it is used; when it is missing, DEVWIKI_TESTS=require runs
// script (under scripts/, which installs it and prints its path) and fails
// t if that fails, and otherwise t is skipped with the way to install it.
func Tool(t testing.TB, path, script string) string {
	t.Helper()
	mode, err := Mode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil && mode != ModeSkip {
		return path
	}
	full := filepath.Join(RepoRoot(), "scripts", script)
	switch mode {
	case ModeSkip:
		t.Skipf("%s=%s (make test runs this test)", ModeVariable, ModeSkip)
	case ModeAuto:
		t.Skipf("%s is not installed: run scripts/%s (it installs it), or make test", path, script)
	}
	out, err := exec.Command(full).Output()
	if err != nil {
		t.Fatalf("%s: %v", full, err)
	}
	return strings.TrimSpace(string(out))
}

// NeedNetworkx stops t unless python3 can import networkx, the oracle of
// the min-cost flow tests: it fails t when DEVWIKI_TESTS=require (make
// test installs networkx with scripts/python.sh, so its absence there is
// a defect), and skips it with the reason otherwise, as a laptop's plain
// `go test ./...` may lack it.
func NeedNetworkx(t testing.TB) {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import networkx").CombinedOutput()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("the networkx oracle needs python3 with networkx (scripts/python.sh installs it; make test runs it): `python3 -c 'import networkx'`: %v %s", err, strings.TrimSpace(string(out)))
	if Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
