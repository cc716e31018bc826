// Command letsconnect is the Let's Connect bot: it reads registrations on
// the wiki, computes the program's pages and writes them back.
//
// Everything is read-only unless --write is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], environ(), os.Stdin, os.Stdout, os.Stderr))
}

func environ() map[string]string {
	m := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

func commands() []command {
	return []command{
		{"sync", "read registrations and update the generated pages (dry run unless --write)", runSync},
		{"check", "validate the configuration and the bot account before running (exit 1 on any failure)", runCheck},
		{"serve", "the service: sync and delivery on schedules, web server on $PORT (health, status, feeds, figures)", runServe},
		{"deliver", "carry connections on: ledger, talk-page messages, answers (dry run unless --write)", runDeliver},
		{"calendar", "`calendar --out FILE [--skill S] [--language L]` or `--dir DIR`: the events as iCalendar feeds (RFC 5545)", runCalendar},
		{"report", "`report --format json`: every figure of the working group's report", runReport},
		{"match", "`match --in FILE [--dump-graph OUT]`: propose connections offline from JSON (docs/matching.md)", runMatch},
		{"bench", "`bench match`: measure the matcher at 179 to 100,000 participants; `bench read`: the read-and-parse phase beside mwn and mwclient, and a sync's cost (make bench)", runBench},
		{"demo", "`demo generate --out DIR`: write a pilot-shaped program for the local wiki (see make demo)", runDemo},
		{"wikitext", "wikitext tools: `wikitext templates` prints the templates of stdin as JSON", runWikitext},
	}
}

// app is what every command gets: configuration, streams and a logger.
type app struct {
	environ map[string]string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	log     zerolog.Logger
}

// Main runs the command line and returns the exit status: 0 on success,
// 1 when the command failed, 2 on a usage error.
func Main(ctx context.Context, args []string, environ map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{environ: environ, stdin: stdin, stdout: stdout, stderr: stderr, log: newLogger(stderr, environ["LC_LOG_LEVEL"])}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(stdout, "letsconnect", version)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, a, args[1:])
		var usageErr usageError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &usageErr):
			fmt.Fprintf(stderr, "letsconnect %s: %v\n", c.name, err)
			return 2
		default:
			a.log.Error().Err(err).Str("command", c.name).Msg("failed")
			return 1
		}
	}
	fmt.Fprintf(stderr, "letsconnect: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

type usageError struct{ error }

// parse parses a wiki command's flags (it takes no arguments) and reads
// the configuration.
func (a *app) parse(fs *flag.FlagSet, args []string) (Config, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, err
		}
		return Config{}, usageError{err}
	}
	if fs.NArg() > 0 {
		return Config{}, usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	for _, u := range unknownVariables(a.environ) {
		ev := a.log.Warn().Str("variable", u.Name)
		if u.Meant != "" {
			ev = ev.Str("did_you_mean", u.Meant)
		}
		ev.Msg("configuration: not a variable of letsconnect; it is ignored")
	}
	return loadConfig(a.environ)
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "letsconnect %s: the Let's Connect bot for Meta-Wiki\n\nUsage: letsconnect COMMAND [flags]\n\nCommands:\n", version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nConfiguration comes from the environment:\n")
	for _, d := range configDocs {
		def := d.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(w, "  %-24s %s [default %s]\n", d.Name, d.Doc, def)
	}
}

// newLogger logs JSON lines, or readable lines on a terminal.
func newLogger(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(strings.ToLower(level))
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}

// newWikiClient builds the wiki client the configuration describes,
// logged in when credentials are given. write turns edits on.
func (a *app) newWikiClient(ctx context.Context, cfg Config, write bool, editPrefixes []string) (*wiki.Client, error) {
	c, err := wiki.New(wiki.Config{
		APIURL:       cfg.APIURL,
		UserAgent:    fmt.Sprintf("LetsConnectBot/%s (%s)", version, cfg.Contact),
		Write:        write,
		EditPrefixes: editPrefixes,
		EditInterval: cfg.EditInterval,
		MaxLag:       cfg.MaxLag,
		Log:          a.log,
	})
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.OAuth2Token != "":
		err = c.LoginOAuth2(ctx, cfg.OAuth2Token)
	case cfg.BotUser != "":
		err = c.LoginBotPassword(ctx, cfg.BotUser, cfg.BotPassword)
	case write:
		return nil, errors.New("--write needs credentials: set MW_BOT_USER and MW_BOT_PASSWORD, or MW_OAUTH2_TOKEN")
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}
