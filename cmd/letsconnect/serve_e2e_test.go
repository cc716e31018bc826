package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
)

// freePort returns a port nothing listens on, on 127.0.0.1.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// service is a running `letsconnect serve` process.
type service struct {
	cmd  *exec.Cmd
	base string
	mu   sync.Mutex
	log  []string
	done chan error
}

func startService(t *testing.T, bin string, environ map[string]string) *service {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(bin, "serve", "--write")
	for k, v := range pilotEnviron(environ) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "PORT="+port, "LC_LISTEN_HOST=127.0.0.1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &service{cmd: cmd, base: "http://127.0.0.1:" + port, done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.log = append(s.log, sc.Text())
			s.mu.Unlock()
		}
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	return s
}

func (s *service) logText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.log, "\n")
}

func (s *service) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.base + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// serviceDeadline is how long a test waits for the service to do what it
// must before calling it stuck. It bounds a hang, it measures nothing: the
// end-to-end tests share the local wiki two at a time, and on a loaded
// 2-core machine a first sync has taken more than a minute.
const serviceDeadline = 5 * time.Minute

// waitFor polls the status page until cond holds.
func (s *service) waitFor(t *testing.T, what string, cond func(status string) bool) string {
	t.Helper()
	deadline := time.Now().Add(serviceDeadline)
	for time.Now().Before(deadline) {
		if code, body := s.get(t, "/"); code == 200 && cond(body) {
			return body
		}
		time.Sleep(200 * time.Millisecond)
	}
	_, body := s.get(t, "/")
	t.Fatalf("%s: not within %s; status page:\n%s\nlog:\n%s", what, serviceDeadline, body, s.logText())
	return ""
}

// TestServeOnTheWiki is the acceptance for the service: against
// the local wiki, the health check and the status page answer, a sync and
// a delivery run on their schedules, a second copy stays read-only while
// the first holds the lease, and SIGTERM stops the first cleanly (after
// which the second takes over).
func TestServeOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC serve %d", time.Now().UnixNano())
	prog := importDemo(t, root)
	bin := filepath.Join(t.TempDir(), "letsconnect")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(prog.WorkingGroup, ","), "LC_EDIT_INTERVAL": "0s",
		"LC_SYNC_INTERVAL": "2s", "LC_DELIVER_INTERVAL": "3s", "LC_LEASE_TTL": "5m",
		// Outreach on: the deliveries welcome the registrations made
		// since the pilot's last month and invite to the upcoming
		// learning spaces.
		"LC_OUTREACH_SINCE": "2022-09-01", "LC_MAX_MESSAGES": "400",
	}
	first := startService(t, bin, environ)
	status := first.waitFor(t, "a sync and a delivery", func(s string) bool {
		return strings.Contains(s, "<td>sync</td>") && strings.Contains(s, "<td>deliver</td>")
	})
	if m := regexp.MustCompile(`(\d+) welcomes, (\d+) invitations`).FindStringSubmatch(status); m == nil || m[1] == "0" || m[2] == "0" {
		t.Errorf("the delivery welcomed or invited nobody:\n%s", status)
	}
	if !strings.Contains(status, "Writing to the wiki") || !strings.Contains(status, version) {
		t.Errorf("status page:\n%s", status)
	}
	if code, body := first.get(t, HealthPath); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("%s: %d %q", HealthPath, code, body)
	}
	// On schedule: more syncs follow.
	first.waitFor(t, "a second sync", func(s string) bool { return strings.Count(s, "<td>sync</td>") >= 2 })
	code, feed := first.get(t, "/calendar.ics")
	if cal, err := goical.NewDecoder(strings.NewReader(feed)).Decode(); code != 200 || err != nil || len(cal.Events()) != len(prog.Events) {
		t.Errorf("/calendar.ics: %d, %v", code, err)
	}
	for _, path := range []string{"/calendar/language/fr.ics", "/calendar/skill/" + prog.Events[0].Skills[0] + ".ics"} {
		code, body := first.get(t, path)
		cal, err := goical.NewDecoder(strings.NewReader(body)).Decode()
		if code != 200 || err != nil || len(cal.Events()) == 0 || len(cal.Events()) >= len(prog.Events) {
			t.Errorf("%s: %d, %v", path, code, err)
		}
	}
	var r report.Report
	if code, body := first.get(t, "/report.json"); code != 200 || json.Unmarshal([]byte(body), &r) != nil || r.Participation.Clinics != 10 {
		t.Errorf("/report.json: %d %.200s", code, body)
	}

	// A second copy started by mistake stays read-only, and says so.
	second := startService(t, bin, environ)
	status = second.waitFor(t, "the second copy's first run", func(s string) bool { return strings.Contains(s, `class="run"`) })
	if !strings.Contains(status, "Read only") || !strings.Contains(status, "holds the lease") {
		t.Errorf("the second copy's status page:\n%s", status)
	}

	// SIGTERM: the first stops cleanly, gives the lease back, and the
	// second writes from its next run.
	first.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-first.done:
		if err != nil {
			t.Errorf("the first copy exited with %v\n%s", err, first.logText())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the first copy did not stop within 30 s of SIGTERM")
	}
	if !strings.Contains(first.logText(), "serve: stopped") {
		t.Errorf("no clean stop in the log:\n%s", first.logText())
	}
	second.waitFor(t, "the second copy taking over", func(s string) bool { return strings.Contains(s, "Writing to the wiki") })
	// Nothing the status page shows is a credential.
	for _, s := range []string{first.logText(), second.logText()} {
		if strings.Contains(s, env.BotPassword) {
			t.Error("the log shows the bot's password")
		}
	}
}
