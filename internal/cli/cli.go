// Package cli is the command-line plumbing the bot's two commands share:
// letsconnect (production) and letsconnect-dev (the demo and the peer
// benchmark). It holds the subcommand dispatch, the streams and logger
// every subcommand gets, and what reads the configuration
// (internal/config) and builds the wiki client from it; the commands
// themselves stay in their mains.
package cli

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

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// App is what every subcommand gets: the environment, the streams, a
// logger, and the running program's name and version.
type App struct {
	Name    string // "letsconnect", "letsconnect-dev"
	Version string
	Environ map[string]string
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Log     zerolog.Logger
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, a *App, args []string) error
}

// Program is a command line: its name, version and subcommands.
type Program struct {
	Name     string
	Version  string
	Title    string // the first line of the usage, after the name and version
	Commands []Command
	// Configuration lists the environment variables in the usage.
	Configuration bool
	// CommandsElsewhere names, for commands the other program holds, where they
	// are: a user who types `letsconnect demo` learns in one line that the
	// demo moved, instead of reading the whole usage for it.
	CommandsElsewhere map[string]string
}

// UsageError is a command line the program cannot run: exit status 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usage marks err as a usage error.
func Usage(err error) error { return UsageError{Err: err} }

// Environ is the process's environment as a map.
func Environ() map[string]string {
	m := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// Run is a main function: the command line of the process, stopped by
// SIGINT or SIGTERM (its context is cancelled), then exit with Main's
// status.
func (p Program) Run() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	status := p.Main(ctx, os.Args[1:], Environ(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(status)
}

// Main runs the command line and returns the exit status: 0 on success,
// 1 when the command failed, 2 on a usage error.
func (p Program) Main(ctx context.Context, args []string, environ map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &App{Name: p.Name, Version: p.Version, Environ: environ, Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Log: NewLogger(stderr, environ["LC_LOG_LEVEL"])}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		p.Usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(stdout, p.Name, p.Version)
		return 0
	}
	for _, c := range p.Commands {
		if c.Name != args[0] {
			continue
		}
		err := c.Run(ctx, a, args[1:])
		var usageErr UsageError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &usageErr):
			fmt.Fprintf(stderr, "%s %s: %v\n", p.Name, c.Name, err)
			return 2
		default:
			// A wrong MW_API_URL is one clear message, not the chain of
			// what was being read when it showed.
			var urlErr *wiki.URLError
			if errors.As(err, &urlErr) {
				err = urlErr
			}
			a.Log.Error().Err(err).Str("command", c.Name).Msg("failed")
			return 1
		}
	}
	// One line: the whole usage would bury the only thing that matters,
	// that this program has no such command (and, when another one has it,
	// which).
	if where, ok := p.CommandsElsewhere[args[0]]; ok {
		fmt.Fprintf(stderr, "%s: unknown command %q: %s\n", p.Name, args[0], where)
	} else {
		fmt.Fprintf(stderr, "%s: unknown command %q (%s help lists the commands)\n", p.Name, args[0], p.Name)
	}
	return 2
}

// Usage prints the commands (and the configuration variables).
func (p Program) Usage(w io.Writer) {
	fmt.Fprintf(w, "%s %s: %s\n\nUsage: %s COMMAND [flags]\n\nCommands:\n", p.Name, p.Version, p.Title, p.Name)
	for _, c := range p.Commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.Name, c.Summary)
	}
	if !p.Configuration {
		return
	}
	fmt.Fprintf(w, "\nConfiguration comes from the environment:\n")
	for _, d := range config.Variables() {
		def := d.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(w, "  %-24s %s [default %s]\n", d.Name, d.Doc, def)
	}
}

// CapFlag is a flag that overrides a cap from the configuration for one
// run (sync --max-edits, deliver --max-messages): when it is given, it
// replaces *cap, 0 meaning no limit; a negative value is a usage error, not
// a silent "use the configured one".
func CapFlag(fs *flag.FlagSet, name string, value int, cap *int) error {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if !given {
		return nil
	}
	if value < 0 {
		return Usage(fmt.Errorf("--%s %d: must be a whole number, 0 (no limit) or more", name, value))
	}
	*cap = value
	return nil
}

// ParseFlags parses a subcommand's flags: a parse error is a usage error,
// -h is flag.ErrHelp.
func ParseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return Usage(err)
	}
	return nil
}

// Parse parses a wiki command's flags (it takes no arguments) and reads
// the configuration, warning about LC_ and MW_ variables it does not know.
func (a *App) Parse(fs *flag.FlagSet, args []string) (config.Config, error) {
	if err := ParseFlags(fs, args); err != nil {
		return config.Config{}, err
	}
	if fs.NArg() > 0 {
		return config.Config{}, Usage(fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	for _, u := range config.UnknownVariables(a.Environ) {
		ev := a.Log.Warn().Str("variable", u.Name)
		if u.Meant != "" {
			ev = ev.Str("did_you_mean", u.Meant)
		}
		ev.Msg("configuration: not a variable of letsconnect; it is ignored")
	}
	return config.Load(a.Environ)
}

// NewLogger logs JSON lines, or readable lines on a terminal.
func NewLogger(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(strings.ToLower(level))
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}

// UserAgent is the bot's User-Agent: its name, version and the operator's
// contact, as Wikimedia's policy asks.
func (a *App) UserAgent(cfg config.Config) string {
	return fmt.Sprintf("LetsConnectBot/%s (%s)", a.Version, cfg.Wiki.Contact)
}

// NewWikiClient builds the wiki client the configuration describes,
// logged in when credentials are given. write turns edits on.
func (a *App) NewWikiClient(ctx context.Context, cfg config.Config, write bool, editPrefixes []string) (*wiki.Client, error) {
	c, err := wiki.New(wiki.Config{
		APIURL:        cfg.Wiki.APIURL,
		APIURLSetting: "MW_API_URL",
		UserAgent:     a.UserAgent(cfg),
		Write:         write,
		EditPrefixes:  editPrefixes,
		EditInterval:  cfg.Wiki.EditInterval,
		BotPage:       cfg.Wiki.BotPage,
		MaxLag:        cfg.WikiMaxLag(),
		Log:           a.Log,
	})
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.Wiki.OAuth2Token != "":
		err = c.LoginOAuth2(ctx, cfg.Wiki.OAuth2Token)
	case cfg.Wiki.BotUser != "":
		err = c.LoginBotPassword(ctx, cfg.Wiki.BotUser, cfg.Wiki.BotPassword)
	case write:
		return nil, errors.New("--write needs credentials: set MW_BOT_USER and MW_BOT_PASSWORD, or MW_OAUTH2_TOKEN")
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}
