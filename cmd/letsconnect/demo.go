package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/demo"
)

// runDemo: `letsconnect demo generate` writes a pilot-shaped program for
// the local wiki; scripts/devwiki.sh import loads it (make demo does both).
func runDemo(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "generate" {
		return usageError{errors.New("usage: letsconnect demo generate [--participants N] [--root TITLE] --out DIR")}
	}
	fs := flag.NewFlagSet("demo generate", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	participants := fs.Int("participants", demo.PilotParticipants, "number of pilot-shaped participants (the pilot had 179)")
	root := fs.String("root", "", "the program's root page (default $LC_ROOT, or \"Let's Connect\")")
	out := fs.String("out", "", "directory to write pages.xml, accounts.txt and working-group.txt to")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if *out == "" || fs.NArg() > 0 {
		return usageError{errors.New("usage: letsconnect demo generate [--participants N] [--root TITLE] --out DIR")}
	}
	if *root == "" {
		*root = a.environ["LC_ROOT"]
	}
	prog, err := demo.Generate(demo.Options{Participants: *participants, Root: *root})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(*out, "pages.xml"))
	if err != nil {
		return err
	}
	if err := demo.WriteXML(f, prog.Pages); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	lines := func(name string, items []string) error {
		return os.WriteFile(filepath.Join(*out, name), []byte(strings.Join(items, "\n")+"\n"), 0o644)
	}
	if err := lines("accounts.txt", prog.Accounts); err != nil {
		return err
	}
	if err := lines("working-group.txt", prog.WorkingGroup); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "demo: %d participants, %d registrations with mistakes, %d pages, %d accounts in %s\n",
		len(prog.Participants), len(prog.Mistakes), len(prog.Pages), len(prog.Accounts), *out)
	return nil
}
