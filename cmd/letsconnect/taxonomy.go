package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

const importCapXUsage = "usage: letsconnect taxonomy import-capx FILE [--write]"

// runTaxonomy is `taxonomy import-capx FILE`: the taxonomy page built
// from CapX's list (dry run: printed), and with --write the taxonomy page
// (once: never over an existing one) and the list's JSON page
// (LC_CAPX_PAGE, when the list is not a file: LC_CAPX_FILE).
func runTaxonomy(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "import-capx" {
		return cli.Usage(fmt.Errorf("%s", importCapXUsage))
	}
	fs := flag.NewFlagSet("taxonomy import-capx", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	write := fs.Bool("write", false, "write the taxonomy page (only if it does not exist) and the CapX list page (without it, print the taxonomy page)")
	// The file may come before or after the flags (which take no value).
	var files, flags []string
	for _, arg := range args[1:] {
		if strings.HasPrefix(arg, "-") {
			flags = append(flags, arg)
		} else {
			files = append(files, arg)
		}
	}
	cfg, err := a.Parse(fs, flags)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return cli.Usage(fmt.Errorf("%s", importCapXUsage))
	}
	file := files[0]
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	l, notes, err := capx.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	page, more := capx.TaxonomyPage(l, filepath.Base(file))
	for _, n := range append(notes, more...) {
		fmt.Fprintf(a.Stderr, "%s: %s\n", file, n)
	}
	fmt.Fprintf(a.Stderr, "%s: %d capacities, %d roots; %d notes\n", file, len(l.Capacities), len(l.Roots()), len(notes)+len(more))
	if !*write {
		fmt.Fprint(a.Stdout, page)
		return nil
	}
	changes := []program.PageChange{{Task: capx.TaskCapX, Title: cfg.Program.TaxonomyPage, Text: page, CreateOnly: true,
		Summary: "The skills taxonomy, imported from the Capacity Exchange's capacity list (bot)"}}
	if cfg.CapX.ListFile == "" && cfg.CapX.ListPage != "" {
		text, err := l.JSON(program.OwnershipMarker+" task="+capx.TaskCapX+" -- The Capacity Exchange's capacity list, written by `letsconnect taxonomy import-capx`; the bot checks the taxonomy's capx codes against it. -->", filepath.Base(file))
		if err != nil {
			return err
		}
		changes = append(changes, program.PageChange{Task: capx.TaskCapX, Title: cfg.CapX.ListPage, Text: text, JSON: true,
			Summary: "The Capacity Exchange's capacity list (bot)"})
	}
	e, _, _, err := newEngine(ctx, a, cfg, true, false)
	if err != nil {
		return err
	}
	outcomes, err := e.Apply(ctx, changes)
	for _, o := range outcomes {
		line := fmt.Sprintf("%s %s", o.Result, o.Title)
		if o.Reason != "" {
			line += ": " + o.Reason
		}
		fmt.Fprintln(a.Stdout, line)
	}
	if err != nil {
		return err
	}
	for _, o := range outcomes {
		if o.Result == engine.ResultFailed {
			return fmt.Errorf("%s could not be written", o.Title)
		}
	}
	return nil
}
