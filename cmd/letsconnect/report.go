package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
)

// runReport prints every figure of the report: read-only on the wiki, it
// needs no credentials.
func runReport(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	format := fs.String("format", "json", "json (every figure)")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "json" {
		return cli.Usage(fmt.Errorf("--format %q: only json is known (the wiki page is written by sync)", *format))
	}
	st, err := readOnly(ctx, a, cfg)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(a.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(report.BuildReport(st))
}
