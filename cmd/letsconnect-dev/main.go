// Command letsconnect-dev holds what developers run and the bot does not:
// the demo (a pilot-shaped program for the local wiki, a working group's
// approvals, participants' replies: make demo) and the benchmarks (the
// matcher, the proposals' churn, and a sync's reading beside the peers
// Wikimedia bot writers use: make bench). The production commands are
// letsconnect's; both share internal/cli.
package main

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "0.1.0-dev"

// app is the shared command plumbing's (internal/cli).
type app = cli.App

func commandLine() cli.Program {
	return cli.Program{
		Name: "letsconnect-dev", Version: version, Title: "the Let's Connect bot's demo and benchmarks (development only)",
		Commands: []cli.Command{
			{Name: "demo", Summary: "`demo generate --out DIR`: write a pilot-shaped program for the local wiki; `demo approve`, `demo reply`: play the working group and the participants (make demo)", Run: runDemo},
			{Name: "bench", Summary: "`bench match`: the matcher at 179 to 100,000 participants; `bench churn`: the proposals' stability; `bench read`: a sync's reading beside mwn and mwclient (make bench)", Run: runBench},
		},
		CommandsElsewhere: botCommands(),
	}
}

func main() {
	cli.LimitMemory() // docs/matching.md, "Memory"
	commandLine().Run()
}

// botCommands names letsconnect for each of its commands, which a
// developer may type here out of habit.
func botCommands() map[string]string {
	m := map[string]string{}
	for _, name := range []string{"sync", "check", "serve", "deliver", "calendar", "report", "match", "taxonomy", "wikitext"} {
		m[name] = "the bot's commands are in letsconnect (make build)"
	}
	return m
}
