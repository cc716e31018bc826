// Command letsconnect is the Let's Connect bot: it reads registrations on
// the wiki, computes the program's pages and writes them back, follows the
// connections on talk pages, and runs as the Toolforge service. It holds
// the production commands only; the demo and the peer benchmark are
// letsconnect-dev's.
//
// Everything is read-only unless --write is given.
package main

import (
	"context"
	"io"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "0.1.0-dev"

// app is the shared command plumbing's (internal/cli).
type app = cli.App

func main() {
	cli.LimitMemory() // docs/matching.md, "Memory"
	commandLine().Run()
}

// devCommands is where the commands that moved out of the production
// binary are.
const devCommands = "the demo and the benchmarks are in letsconnect-dev (make build-dev)"

func commandLine() cli.Program {
	return cli.Program{
		Name: "letsconnect", Version: version, Title: "the Let's Connect bot for Meta-Wiki", Configuration: true,
		Commands: []cli.Command{
			{Name: "sync", Summary: "read registrations and update the generated pages (dry run unless --write)", Run: runSync},
			{Name: "check", Summary: "validate the configuration and the bot account before running (exit 1 on any failure)", Run: runCheck},
			{Name: "serve", Summary: "the service: sync and delivery on schedules, web server on $PORT (health, status, feeds, figures)", Run: runServe},
			{Name: "deliver", Summary: "carry connections on: ledger, talk-page messages, answers (dry run unless --write)", Run: runDeliver},
			{Name: "calendar", Summary: "`calendar --out FILE [--skill S] [--language L]` or `--dir DIR`: the events as iCalendar feeds (RFC 5545)", Run: runCalendar},
			{Name: "report", Summary: "`report --format json`: every figure of the working group's report", Run: runReport},
			{Name: "match", Summary: "`match --in FILE [--dump-graph OUT]`: propose connections offline from JSON (docs/matching.md)", Run: runMatch},
			{Name: "taxonomy", Summary: "`taxonomy import-capx FILE [--write]`: the skills taxonomy built from the Capacity Exchange's capacity list (docs/formats.md)", Run: runTaxonomy},
			{Name: "wikitext", Summary: "wikitext tools: `wikitext templates` prints the templates of stdin as JSON; `wikitext review-script` prints the working group's review script to install", Run: runWikitext},
		},
		CommandsElsewhere: map[string]string{
			"demo":  devCommands,
			"bench": devCommands,
		},
	}
}

// Main runs the command line and returns the exit status: 0 on success,
// 1 when the command failed, 2 on a usage error.
func Main(ctx context.Context, args []string, environ map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	return commandLine().Main(ctx, args, environ, stdin, stdout, stderr)
}
