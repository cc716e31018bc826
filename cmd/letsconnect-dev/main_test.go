package main

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
)

// run runs letsconnect-dev and returns its exit status and output.
func run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := commandLine().Main(context.Background(), args, map[string]string{}, strings.NewReader(""), &stdout, &stderr)
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
}

// A command of letsconnect's typed here is a one-line usage error naming
// letsconnect; any other unknown command points at the help.
func TestUnknownCommand(t *testing.T) {
	for args, want := range map[string]string{
		"sync --write": `letsconnect-dev: unknown command "sync": the bot's commands are in letsconnect (make build)`,
		"match --in x": `letsconnect-dev: unknown command "match": the bot's commands are in letsconnect (make build)`,
		"demoo":        `letsconnect-dev: unknown command "demoo" (letsconnect-dev help lists the commands)`,
	} {
		code, stdout, stderr := run(strings.Fields(args)...)
		if code != 2 || stderr != want+"\n" || stdout != "" {
			t.Errorf("letsconnect-dev %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", args, code, stdout, stderr, want)
		}
	}
}

// botCommands is letsconnect's list of commands, which this package cannot
// import (both are mains): read it from letsconnect's source so that a
// command added there is named here too.
func TestBotCommandsAreLetsconnects(t *testing.T) {
	src, err := os.ReadFile("../letsconnect/main.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range regexp.MustCompile(`\{Name: "([a-z]+)"`).FindAllStringSubmatch(string(src), -1) {
		want = append(want, m[1])
	}
	got := slices.Sorted(maps.Keys(botCommands()))
	slices.Sort(want)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("botCommands() = %v, letsconnect's commands are %v", got, want)
	}
}
