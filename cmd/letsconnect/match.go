package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// runMatch: `letsconnect match --in FILE` computes proposals offline from
// a JSON file (docs/matching.md) and prints them, with metrics, as JSON.
func runMatch(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	inPath := fs.String("in", "", "the input JSON file (participants, past pairs, options); - for stdin")
	dump := fs.String("dump-graph", "", "also write the 1:1 candidate graph as a DIMACS min-cost-flow problem to this file")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if *inPath == "" || fs.NArg() > 0 {
		return cli.Usage(errors.New("usage: letsconnect match --in FILE [--dump-graph OUT]"))
	}
	in, err := readMatchInput(a, *inPath)
	if err != nil {
		return err
	}
	res, err := match.Match(in)
	if err != nil {
		return err
	}
	if *dump != "" {
		f, err := os.Create(*dump)
		if err != nil {
			return err
		}
		if err := match.WriteDIMACS(f, in); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(a.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return err
	}
	if v := res.Metrics.Violations.Total; v > 0 {
		return fmt.Errorf("the result breaks %d hard rules: %+v", v, res.Metrics.Violations)
	}
	return nil
}

func readMatchInput(a *app, path string) (match.Input, error) {
	var in match.Input
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(a.Stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return in, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, fmt.Errorf("%s: not a matching input (docs/matching.md): %w", path, err)
	}
	if in.Now.IsZero() {
		// Never the zero time: every dated past pair would look recent
		// and block its pair forever.
		in.Now = time.Now().UTC().Truncate(24 * time.Hour)
		a.Log.Info().Time("now", in.Now).Msg("match: the input has no now; using today")
	}
	if err := in.Validate(); err != nil {
		return in, fmt.Errorf("%s: not a valid matching input (docs/matching.md): %w", path, err)
	}
	return in, nil
}
