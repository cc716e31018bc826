package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
)

// runReport prints every figure of the report: read-only on the wiki, it
// needs no credentials.
func runReport(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	format := fs.String("format", "json", "json (every figure)")
	cfg, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "json" {
		return usageError{fmt.Errorf("--format %q: only json is known (the wiki page is written by sync)", *format)}
	}
	_, st, err := a.readOnly(ctx, cfg)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(domain.BuildReport(st))
}
