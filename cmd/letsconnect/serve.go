package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// HealthPath is what Toolforge's health check asks (toolforge.yaml).
const HealthPath = "/healthz"

// runServe is the Toolforge service: the sync and the delivery on their
// schedules, and a small web server: health, status, the calendar feeds
// and the report's figures.
func runServe(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	write := fs.Bool("write", false, "write to the wiki (without it, every run is a dry run)")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	s, err := newServer(ctx, a, cfg, *write)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Service.Host, strconv.Itoa(cfg.Service.Port)))
	if err != nil {
		return fmt.Errorf("listening on port %d ($PORT): %w", cfg.Service.Port, err)
	}
	httpServer := &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	// A web server that stops by itself (its listener failed) stops the
	// service: without it nothing answers the health checks, and the
	// command's error and exit status say why.
	running, stopRunning := context.WithCancelCause(ctx)
	defer stopRunning(nil)
	go serveWeb(a, httpServer, ln, stopRunning)
	// A wiki that never answered as MediaWiki's API (MW_API_URL is wrong)
	// stops the service too: no later run would do better.
	s.fatal = stopRunning
	a.Log.Info().Str("address", ln.Addr().String()).Bool("write", *write).Dur("sync_every", cfg.Service.SyncInterval).Dur("deliver_every", cfg.Service.DeliverInterval).Msg("serve: started")

	s.schedule(running)
	webErr := context.Cause(running)
	if errors.Is(webErr, context.Canceled) {
		webErr = nil // SIGTERM
	}

	// Stopping (SIGTERM): the run in progress finished its edit in flight
	// and started nothing more; give the lease back, close the server.
	stop, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if s.lease != nil {
		if err := s.lease.Release(stop); err != nil {
			a.Log.Warn().Err(err).Msg("serve: releasing the lease")
		}
	}
	err = httpServer.Shutdown(stop)
	a.Log.Info().Msg("serve: stopped")
	if webErr != nil {
		return webErr
	}
	return err
}

// newServer builds the service's engine and state; nothing runs yet.
func newServer(ctx context.Context, a *app, cfg config.Config, write bool) (*server, error) {
	// A service keeps what it read between runs (inMemory): most runs
	// then read only the recent changes.
	e, client, cache, err := newEngine(ctx, a, cfg, write, true)
	if err != nil {
		return nil, err
	}
	s := &server{a: a, cfg: cfg, engine: e, client: client, cache: cache, write: write, started: time.Now().UTC()}
	if write {
		host, _ := os.Hostname()
		// The lease keeps the engine's clock: LC_NOW reaches it too.
		s.lease = &engine.Lease{Wiki: client, Page: cfg.Service.LeasePage, TTL: cfg.Service.LeaseTTL,
			Now:    func() time.Time { return e.Now() },
			Holder: fmt.Sprintf("%s/%d/%d", host, os.Getpid(), s.started.Unix())}
		e.Gate.Lease = s.lease
	}
	return s, nil
}

// serveWeb runs the web server on ln until it is shut down. Any other end
// (the listener failing) is logged and stops the service with the error.
func serveWeb(a *app, srv *http.Server, ln net.Listener, stop context.CancelCauseFunc) {
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		err = fmt.Errorf("the web server stopped: %w", err)
		a.Log.Error().Err(err).Msg("serve: web server")
		stop(err)
	}
}

// server is the running service's state, for the status page.
type server struct {
	a      *app
	cfg    config.Config
	engine *engine.Engine
	client *wiki.Client
	cache  *runCache
	lease  *engine.Lease
	write  bool
	fatal  context.CancelCauseFunc // stops the service; nil in tests

	mu                    sync.Mutex
	started               time.Time
	runs                  []runRecord // newest first
	state                 *program.State
	writer                string // "" when this copy writes; else why not
	nextSync, nextDeliver time.Time
	edits, messages       int
}

// runRecord is one run, as the status page shows it.
type runRecord struct {
	Kind    string
	Started time.Time
	Took    time.Duration
	Summary string
	Error   string
}

const runsKept = 20

// schedule runs the sync every SyncInterval and the delivery every
// DeliverInterval (the first of each at once), until ctx is done.
func (s *server) schedule(ctx context.Context) {
	s.mu.Lock()
	s.nextSync, s.nextDeliver = time.Now(), time.Now()
	s.mu.Unlock()
	for {
		s.mu.Lock()
		next := s.nextSync
		if s.nextDeliver.Before(next) {
			next = s.nextDeliver
		}
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		now := time.Now()
		s.mu.Lock()
		doSync, doDeliver := !now.Before(s.nextSync), !now.Before(s.nextDeliver)
		if doSync {
			s.nextSync = now.Add(s.cfg.Service.SyncInterval)
		}
		if doDeliver {
			s.nextDeliver = now.Add(s.cfg.Service.DeliverInterval)
		}
		s.mu.Unlock()
		if doSync && ctx.Err() == nil {
			s.run(ctx, "sync")
		}
		if doDeliver && ctx.Err() == nil {
			s.run(ctx, "deliver")
		}
	}
}

// run does one sync or delivery, as the lease allows, and records it.
func (s *server) run(ctx context.Context, kind string) {
	rec := runRecord{Kind: kind, Started: time.Now().UTC()}
	// Whether this copy may write: one read of the shutoff and lease
	// pages, no edit (the lease is taken by the run's first write, if it
	// has any).
	writer := ""
	if err := s.engine.Gate.Check(ctx); err != nil {
		writer = err.Error()
	}
	var err error
	switch {
	case writer != "":
		// Another copy writes: this one only reads, for its feeds and
		// figures, and says why.
		var st *program.State
		st, err = s.engine.Read(ctx)
		if err == nil {
			s.setState(st)
		}
		rec.Summary = "read only: " + writer
	case kind == "sync":
		var sum engine.Summary
		sum, err = s.engine.Run(ctx, "")
		if sum.State != nil {
			s.setState(sum.State)
		}
		edits := sum.Count(wiki.Created) + sum.Count(wiki.Updated)
		rec.Summary = fmt.Sprintf("%d registrations, %d problems, %d edits, %d planned, %d unchanged, %d skipped, %d failed",
			sum.Registrations, sum.Problems, edits, sum.Count(wiki.DryRun), sum.Count(wiki.Unchanged),
			sum.Count(engine.ResultSkipped), sum.Count(engine.ResultFailed))
		s.mu.Lock()
		s.edits += edits
		s.mu.Unlock()
	default:
		var sum engine.DeliverySummary
		sum, err = s.engine.Deliver(ctx, "")
		posted, told := postedAndTold(sum, true)
		rec.Summary = fmt.Sprintf("%s; %s posted; %d not messaged, %d failed", strings.Join(told, ", "), andList(posted), len(sum.Skipped), len(sum.Failed))
		messages := 0
		for _, f := range sum.Figures {
			if len(f.Kinds) > 0 {
				messages += f.N
			}
		}
		s.mu.Lock()
		s.messages += messages
		s.mu.Unlock()
	}
	rec.Took = time.Since(rec.Started).Round(time.Millisecond)
	if cerr := s.cache.save(); cerr != nil {
		s.a.Log.Warn().Err(cerr).Msg("serve: cache")
	}
	var urlErr *wiki.URLError
	if errors.As(err, &urlErr) && s.fatal != nil {
		s.a.Log.Error().Err(urlErr).Msg("serve: the wiki cannot be reached; stopping")
		s.fatal(urlErr)
	}
	if err != nil {
		rec.Error = err.Error()
		if errors.Is(err, engine.ErrShutoff) || errors.Is(err, engine.ErrLeaseHeld) {
			// Stopped before its first write: say why, as for a stop
			// found at the start of the run.
			writer = err.Error()
		}
	}
	ev := s.a.Log.Info()
	if err != nil {
		ev = s.a.Log.Warn().Err(err)
	}
	ev.Str("run", kind).Str("summary", rec.Summary).Dur("took", rec.Took).Msg("serve: run")
	s.mu.Lock()
	s.writer = writer
	s.runs = append([]runRecord{rec}, s.runs...)
	if len(s.runs) > runsKept {
		s.runs = s.runs[:runsKept]
	}
	s.mu.Unlock()
}

func (s *server) setState(st *program.State) {
	s.mu.Lock()
	s.state = st
	s.mu.Unlock()
}

func (s *server) currentState() *program.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /{$}", s.status)
	mux.HandleFunc("GET /calendar.ics", s.feed(func(*http.Request) calendar.FeedFilter { return calendar.FeedFilter{} }))
	mux.HandleFunc("GET /calendar/skill/{id}", s.feed(func(r *http.Request) calendar.FeedFilter {
		return calendar.FeedFilter{Skill: strings.TrimSuffix(r.PathValue("id"), ".ics")}
	}))
	mux.HandleFunc("GET /calendar/language/{code}", s.feed(func(r *http.Request) calendar.FeedFilter {
		return calendar.FeedFilter{Language: strings.TrimSuffix(r.PathValue("code"), ".ics")}
	}))
	mux.HandleFunc("GET /report.json", func(w http.ResponseWriter, r *http.Request) {
		st := s.currentState()
		if st == nil {
			http.Error(w, "no run has read the wiki yet", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(report.BuildReport(st))
	})
	return mux
}

func (s *server) feed(filter func(*http.Request) calendar.FeedFilter) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := s.currentState()
		if st == nil {
			http.Error(w, "no run has read the wiki yet", http.StatusServiceUnavailable)
			return
		}
		var buf bytes.Buffer
		if err := calendar.Feed(st, filter(r), s.cfg.PageURL()).Write(&buf); err != nil {
			http.Error(w, "the calendar could not be written", http.StatusInternalServerError)
			s.a.Log.Error().Err(err).Msg("serve: feed")
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Write(buf.Bytes())
	}
}

// statusPage is the status page; html/template escapes everything it
// shows (run summaries and errors can quote wiki text).
var statusPage = template.Must(template.New("status").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Let's Connect bot</title>
<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}td,th{padding:.2em .6em;text-align:left;vertical-align:top}.error{color:#b32424}</style>
</head><body>
<h1>Let's Connect bot</h1>
<p id="mode">{{if .Write}}{{if .Writer}}<strong>Read only</strong>: {{.Writer}}{{else}}Writing to the wiki: a run that has something to write takes the lease first{{if .LeaseUntil}} (this copy holds it until {{.LeaseUntil}}){{end}}.{{end}}{{else}}Dry run: nothing is written.{{end}}</p>
{{if .Write}}<p id="shutoff">Emergency stop: anyone logged in can stop the bot's edits by changing the text of <a href="{{.ShutoffURL}}">{{.Shutoff}}</a> from <code>run</code> to anything else; they start again once it says <code>run</code>.</p>{{end}}
<table>
<tr><th>Version</th><td id="version">{{.Version}}</td></tr>
<tr><th>Running since</th><td>{{.Started.Format "2006-01-02 15:04 UTC"}}</td></tr>
<tr><th>Registration problems</th><td id="problems">{{.Problems}}</td></tr>
<tr><th>Edits made</th><td id="edits">{{.Edits}}</td></tr>
<tr><th>Messages sent</th><td id="messages">{{.Messages}}</td></tr>
<tr><th>Next sync</th><td id="next-sync">{{.NextSync.Format "2006-01-02 15:04:05 UTC"}}</td></tr>
<tr><th>Next delivery</th><td id="next-deliver">{{.NextDeliver.Format "2006-01-02 15:04:05 UTC"}}</td></tr>
</table>
<p><a href="calendar.ics">Calendar (iCalendar)</a> · <a href="report.json">Report figures (JSON)</a></p>
<h2>Last runs</h2>
<table id="runs">
<tr><th>Run</th><th>Started</th><th>Took</th><th>Summary</th></tr>
{{range .Runs}}<tr class="run"><td>{{.Kind}}</td><td>{{.Started.Format "2006-01-02 15:04:05"}}</td><td>{{.Took}}</td><td>{{.Summary}}{{if .Error}}<br><span class="error">{{.Error}}</span>{{end}}</td></tr>
{{else}}<tr><td colspan="4">No run yet.</td></tr>{{end}}
</table>
</body></html>
`))

func (s *server) status(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	data := struct {
		Write                 bool
		Writer                string
		Shutoff, ShutoffURL   string
		LeaseUntil            string
		Version               string
		Started               time.Time
		Problems              int
		Edits, Messages       int
		NextSync, NextDeliver time.Time
		Runs                  []runRecord
	}{s.write, s.writer, s.cfg.Run.ShutoffPage, s.cfg.PageURL()(s.cfg.Run.ShutoffPage), "", version, s.started, 0, s.edits, s.messages, s.nextSync.UTC(), s.nextDeliver.UTC(), append([]runRecord(nil), s.runs...)}
	if s.lease != nil {
		if h := s.lease.Held(); h.Until.After(s.engine.Now()) {
			data.LeaseUntil = h.Until.UTC().Format("2006-01-02 15:04:05 UTC")
		}
	}
	if s.state != nil {
		data.Problems = len(s.state.Problems)
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := statusPage.Execute(w, data); err != nil {
		s.a.Log.Error().Err(err).Msg("serve: status page")
	}
}
