package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/demo"
)

// run runs letsconnect-dev and returns its exit status and output.
func run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := program().Main(context.Background(), args, map[string]string{}, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// `demo generate` writes what scripts/devwiki.sh import reads: the pages
// as demo.WriteXML writes them, the accounts and the working group; with
// --account-prefix, none of the demo's accounts.
func TestDemoGenerate(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := run("demo", "generate", "--participants", "40", "--root", "Dev root", "--out", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	prog, err := demo.Generate(demo.Options{Participants: 40, Root: "Dev root", Now: time.Now().UTC().Truncate(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := demo.WriteXML(&want, prog.Pages); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if read("pages.xml") != want.String() {
		t.Error("pages.xml is not the demo program")
	}
	if read("accounts.txt") != strings.Join(prog.Accounts, "\n")+"\n" || read("working-group.txt") != demo.Coordinator+"\n" {
		t.Error("accounts.txt or working-group.txt is not the demo program's")
	}

	if code, _, stderr := run("demo", "generate", "--participants", "40", "--account-prefix", "Trial ", "--out", dir); code != 0 {
		t.Fatalf("--account-prefix: exit %d: %s", code, stderr)
	}
	for _, a := range strings.Fields(strings.ReplaceAll(read("accounts.txt"), " ", "_")) {
		if !strings.HasPrefix(a, "Trial_") {
			t.Errorf("with --account-prefix, the account %q", a)
		}
	}
	if code, _, _ := run("demo", "generate", "--account-prefix", "lower ", "--out", dir); code != 1 {
		t.Errorf("a prefix that is not a user name's start: exit %d, want 1", code)
	}
	// DEMO_PARTICIPANTS=0 is refused, not read as the pilot's 179.
	if code, _, stderr := run("demo", "generate", "--participants", "0", "--out", dir); code != 2 || !strings.Contains(stderr, "--participants 0: must be") {
		t.Errorf("--participants 0: exit %d, %s; want 2 and the flag named", code, stderr)
	}
}

func TestUsage(t *testing.T) {
	if code, _, stderr := run("help"); code != 0 || !strings.Contains(stderr, "demo") || !strings.Contains(stderr, "bench") || strings.Contains(stderr, "serve") {
		t.Errorf("help: exit %d\n%s", code, stderr)
	}
	if code, _, _ := run("sync"); code != 2 {
		t.Errorf("letsconnect-dev sync: exit %d, want 2 (sync is letsconnect's)", code)
	}
}
