package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
)

// runCalendar writes the iCalendar feeds of the events: read-only on the
// wiki, it needs no credentials.
func runCalendar(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("calendar", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	out := fs.String("out", "", "write the feed to this file (- for standard output)")
	skill := fs.String("skill", "", "only the events of this skill (a taxonomy name or id)")
	language := fs.String("language", "", "only the events in this language (or interpreted into it)")
	dir := fs.String("dir", "", "write every feed into this directory: all.ics, skill-ID.ics, language-CODE.ics")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	if (*out == "") == (*dir == "") {
		return cli.Usage(errors.New("give --out FILE or --dir DIR"))
	}
	st, err := readOnly(ctx, a, cfg)
	if err != nil {
		return err
	}
	write := func(path string, f calendar.FeedFilter) (int, error) {
		cal := calendar.Feed(st, f, cfg.PageURL())
		var buf bytes.Buffer
		if err := cal.Write(&buf); err != nil {
			return 0, err
		}
		if path == "-" {
			_, err := a.Stdout.Write(buf.Bytes())
			return len(cal.Events), err
		}
		// Write then rename: a web server never serves half a file.
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
			return 0, err
		}
		return len(cal.Events), os.Rename(tmp, path)
	}
	if *out != "" {
		f := calendar.FeedFilter{Language: *language}
		if *skill != "" {
			s, ok := st.Taxonomy.Lookup(*skill)
			if !ok {
				return cli.Usage(fmt.Errorf("--skill %q is not a skill of the taxonomy", *skill))
			}
			f.Skill = s.ID
		}
		n, err := write(*out, f)
		if err == nil && *out != "-" {
			fmt.Fprintf(a.Stdout, "%s: %d events\n", *out, n)
		}
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	feeds := map[string]calendar.FeedFilter{"all.ics": {}}
	for _, ev := range st.Events {
		for _, id := range ev.Skills {
			feeds["skill-"+id+".ics"] = calendar.FeedFilter{Skill: id}
		}
		for _, l := range append([]string{ev.Language}, ev.Interpreted...) {
			if l != "" {
				feeds["language-"+l+".ics"] = calendar.FeedFilter{Language: l}
			}
		}
	}
	names := make([]string, 0, len(feeds))
	for name := range feeds {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		n, err := write(filepath.Join(*dir, name), feeds[name])
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "%s: %d events\n", filepath.Join(*dir, name), n)
	}
	return nil
}
