package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// `letsconnect-dev bench read` measures the read-and-parse phase of a sync
// beside the peers Wikimedia bot writers use, on the wiki the environment
// names (make bench seeds a local one): every side lists the registrations,
// reads them in batches and extracts the registration template's
// parameters, in a process of its own (its peak memory is its own), and
// prints the same digest of what it extracted. The floor is the bot's own
// HTTP requests replayed with nothing done with the answers. Then the
// template parser's throughput beside mwparserfromhell's on the pages read,
// and the cost of a sync: full, and with nothing changed.

// readResult is what each side prints (the peers' scripts too).
type readResult struct {
	Peer         string  `json:"peer"`
	Version      string  `json:"version,omitempty"`
	Pages        int     `json:"pages"`
	Templates    int     `json:"templates"`
	Params       int     `json:"params"`
	Digest       string  `json:"digest"`
	Requests     int     `json:"requests"`
	Seconds      float64 `json:"seconds"`
	LoginSeconds float64 `json:"login_seconds"`
	CTokenizer   *bool   `json:"c_tokenizer,omitempty"`
	// parse_mwph.py's
	Bytes  int64   `json:"bytes"`
	Passes int     `json:"passes"`
	MBps   float64 `json:"mb_per_s"`
	// measured by the harness: the process's peak memory and CPU time
	// (login and start-up included)
	RSSKB int64   `json:"-"`
	CPU   float64 `json:"-"`
}

func runBenchRead(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("bench read", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	runs := fs.Int("runs", 3, "runs of each side (the median is shown)")
	peers := fs.String("peers", "scripts/bench", "directory of the peers' scripts")
	python := fs.String("python", "/usr/bin/python3", "Python with Debian's mwclient and mwparserfromhell")
	nodePath := fs.String("node-path", ".bench/peers/node_modules", "NODE_PATH with mwn")
	work := fs.String("work", ".bench/work", "where the recorded requests and the corpus go")
	side := fs.String("side", "", "internal: run one side (go, replay) and print JSON")
	syncCost := fs.Bool("sync", true, "also measure a full sync and a sync with nothing changed")
	drySyncs := fs.Int("dry-sync", 0, "also measure this many full dry runs of sync (no --write, an empty cache each)")
	only := fs.String("sides", "letsconnect,replay,mwn,mwclient", "the sides to measure: letsconnect, replay (the floor), mwn, mwclient (and the template parsers beside mwparserfromhell)")
	bot := fs.String("letsconnect", "bin/letsconnect", "the letsconnect binary whose sync is measured")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(a.Environ)
	if err != nil {
		return err
	}
	if cfg.Wiki.BotUser == "" || cfg.Wiki.BotPassword == "" {
		return errors.New("bench read: set MW_BOT_USER and MW_BOT_PASSWORD: every side logs in, so that batches of 500 are allowed")
	}
	recorded := filepath.Join(*work, "requests.jsonl")
	corpus := filepath.Join(*work, "corpus.jsonl")
	switch *side {
	case "go":
		return benchReadGo(ctx, a, cfg, recorded, corpus)
	case "replay":
		return benchReplay(ctx, a, cfg, recorded)
	case "":
	default:
		return cli.Usage(fmt.Errorf("--side %q: go or replay", *side))
	}
	if err := os.MkdirAll(*work, 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	prefix, ns, err := prefixAndNamespace(ctx, cfg)
	if err != nil {
		return err
	}
	peerEnv := append(os.Environ(),
		"MW_API_URL="+cfg.Wiki.APIURL, "MW_BOT_USER="+cfg.Wiki.BotUser, "MW_BOT_PASSWORD="+cfg.Wiki.BotPassword,
		"BENCH_PREFIX="+prefix, fmt.Sprintf("BENCH_NAMESPACE=%d", ns), "BENCH_TEMPLATE="+program.TemplateRegistration,
		"BENCH_BATCH=500", "NODE_PATH="+*nodePath)
	type benchSide struct {
		key, name string
		cmd       []string
	}
	var sides []benchSide
	wanted := strings.Split(*only, ",")
	for _, s := range []benchSide{
		{"letsconnect", "letsconnect", []string{self, "bench", "read", "--side", "go", "--work", *work}},
		{"replay", "replay floor", []string{self, "bench", "read", "--side", "replay", "--work", *work}},
		{"mwn", "mwn", []string{"node", filepath.Join(*peers, "read_mwn.mjs")}},
		{"mwclient", "mwclient + mwparserfromhell", []string{*python, filepath.Join(*peers, "read_mwclient.py")}},
	} {
		if slices.Contains(wanted, s.key) {
			sides = append(sides, s)
		}
	}
	if len(sides) == 0 || sides[0].key != "letsconnect" {
		return cli.Usage(fmt.Errorf("--sides %q: letsconnect first (the others are compared with it), then any of replay, mwn, mwclient", *only))
	}
	results := map[string][]readResult{}
	// Rounds, each side once a round: a drift of the machine's speed
	// touches every side alike.
	for round := 0; round < *runs; round++ {
		for _, s := range sides {
			r, err := benchChildJSON(ctx, s.cmd, peerEnv)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			results[s.name] = append(results[s.name], r)
			fmt.Fprintf(a.Stderr, "bench read: round %d, %s: %.2f s, %d requests, %d MB\n", round+1, s.name, r.Seconds, r.Requests, r.RSSKB/1024)
		}
	}
	ours := median(results["letsconnect"])
	fmt.Fprintf(a.Stdout, "\nRead and parse: %d registrations, %d templates, %d parameters (median of %d runs; login not timed)\n\n", ours.Pages, ours.Templates, ours.Params, *runs)
	fmt.Fprintln(a.Stdout, "| side | wall time | × letsconnect | requests | process CPU | peak RSS | same parameters |")
	fmt.Fprintln(a.Stdout, "|---|---|---|---|---|---|---|")
	for _, s := range sides {
		m := median(results[s.name])
		same := "yes"
		if s.name == "replay floor" {
			same = "–"
		} else if m.Digest != ours.Digest || m.Params != ours.Params {
			same = fmt.Sprintf("NO (%d parameters)", m.Params)
		}
		fmt.Fprintf(a.Stdout, "| %s %s | %.2f s | %.2f | %d | %.2f s | %d MB | %s |\n", s.name, m.Version, m.Seconds, m.Seconds/ours.Seconds, m.Requests, m.CPU, m.RSSKB/1024, same)
	}

	if !slices.Contains(wanted, "mwclient") {
		return benchSyncs(ctx, a, *bot, *work, *syncCost, *drySyncs)
	}
	// The template parser on the pages read.
	goParse, err := parseThroughput(corpus)
	if err != nil {
		return err
	}
	py, err := benchChildJSON(ctx, []string{*python, filepath.Join(*peers, "parse_mwph.py"), corpus}, peerEnv)
	if err != nil {
		return fmt.Errorf("parse_mwph.py: %w", err)
	}
	c := "pure Python"
	if py.CTokenizer != nil && *py.CTokenizer {
		c = "C tokenizer"
	}
	fmt.Fprintf(a.Stdout, "\nTemplate parsing, %.1f MB of registrations:\n\n", float64(py.Bytes)/1e6)
	fmt.Fprintln(a.Stdout, "| parser | MB/s | × mwparserfromhell |")
	fmt.Fprintln(a.Stdout, "|---|---|---|")
	fmt.Fprintf(a.Stdout, "| letsconnect wiki/wikitext | %.1f | %.1f |\n", goParse, goParse/py.MBps)
	fmt.Fprintf(a.Stdout, "| mwparserfromhell %s (%s) | %.1f | 1 |\n", py.Version, c, py.MBps)

	return benchSyncs(ctx, a, *bot, *work, *syncCost, *drySyncs)
}

// benchSyncs measures the syncs asked for: dry runs, then the full sync
// that writes and those with nothing changed.
func benchSyncs(ctx context.Context, a *app, bot, work string, writing bool, dry int) error {
	if dry > 0 {
		if err := benchDrySyncs(ctx, a, bot, work, dry); err != nil {
			return err
		}
	}
	if writing {
		return benchSyncCost(ctx, a, bot, work)
	}
	return nil
}

// benchDrySyncs runs `letsconnect sync` without --write, each time with an
// empty cache (a cold start: every page read, the matcher run): what it
// costs to compute a full run's plan, with nothing written.
func benchDrySyncs(ctx context.Context, a *app, bot, work string, runs int) error {
	fmt.Fprintln(a.Stdout, "\nA full dry run (letsconnect sync, no --write, an empty cache; its own summary; the process's time, CPU and peak RSS):")
	fmt.Fprintln(a.Stdout, "\n| run | API requests | pages read | matcher | wall time | process CPU | peak RSS | load |")
	fmt.Fprintln(a.Stdout, "|---|---|---|---|---|---|---|---|")
	for run := range runs {
		cacheDir := filepath.Join(work, "cache-dry")
		if err := os.RemoveAll(cacheDir); err != nil {
			return err
		}
		load := loadAverage()
		r, err := runSync(ctx, bot, append(os.Environ(), "LC_CACHE_DIR="+cacheDir), "sync")
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "| %d | %d | %d | %s | %.2f s | %.2f s | %d MB | %.1f |\n", run+1, r.Requests, r.PagesRead, r.Matcher, r.wall.Seconds(), r.cpu.Seconds(), r.rssKB/1024, load)
	}
	return nil
}

// syncRun is what one letsconnect sync process reported (its JSON
// summary line) and what it cost the machine.
type syncRun struct {
	Requests  int    `json:"requests"`
	Edits     int    `json:"edits"`
	PagesRead int    `json:"pages_read"`
	Matcher   string `json:"matcher"`
	wall, cpu time.Duration
	rssKB     int64
}

// runSync runs the letsconnect binary bot with args and env and reads its
// summary, time, CPU and peak RSS.
func runSync(ctx context.Context, bot string, env []string, args ...string) (syncRun, error) {
	var r syncRun
	cmd := exec.CommandContext(ctx, bot, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return r, fmt.Errorf("sync: %v\n%s", err, tail(errOut.String(), 2000))
	}
	r.wall = time.Since(start)
	for _, line := range strings.Split(errOut.String(), "\n") {
		if strings.Contains(line, `"message":"sync: summary"`) {
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				return r, err
			}
		}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rssKB = ru.Maxrss
	}
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return r, nil
}

// benchChildJSON runs a side and reads the JSON line it prints, with its
// peak memory.
func benchChildJSON(ctx context.Context, argv, env []string) (readResult, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return readResult{}, fmt.Errorf("%v\n%s", err, tail(errOut.String(), 2000))
	}
	var r readResult
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		return r, fmt.Errorf("not a result line: %v\n%s", err, tail(out.String(), 2000))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.RSSKB = ru.Maxrss
	}
	r.CPU = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return r, nil
}

func median(rs []readResult) readResult {
	s := slices.Clone(rs)
	sort.Slice(s, func(i, j int) bool { return s[i].Seconds < s[j].Seconds })
	m := s[len(s)/2]
	// Peak memory: the largest seen; CPU: the median.
	cpu := make([]float64, len(rs))
	for i, r := range rs {
		m.RSSKB = max(m.RSSKB, r.RSSKB)
		cpu[i] = r.CPU
	}
	slices.Sort(cpu)
	m.CPU = cpu[len(cpu)/2]
	return m
}

// tail is the end of s, at most n bytes (of a command's output).
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// prefixAndNamespace is the registrations' prefix without its namespace,
// and the namespace, as the peers' list=allpages wants them.
func prefixAndNamespace(ctx context.Context, cfg config.Config) (string, int, error) {
	c, err := wiki.New(wiki.Config{APIURL: cfg.Wiki.APIURL, UserAgent: benchUserAgent})
	if err != nil {
		return "", 0, err
	}
	t, err := c.Normalize(ctx, cfg.Program.ParticipantsPrefix+"X")
	if err != nil {
		return "", 0, err
	}
	return strings.TrimSuffix(t.Text, "X"), t.Namespace, nil
}

const benchUserAgent = "letsconnect-bench/0 (local benchmark)"

// recorder keeps the HTTP requests the client sends once on.
type recorder struct {
	mu   sync.Mutex
	on   bool
	reqs []recordedRequest
}

type recordedRequest struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	ContentType string `json:"content_type,omitempty"`
	Body        []byte `json:"body,omitempty"`
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if r.on {
		rec := recordedRequest{Method: req.Method, URL: req.URL.String(), ContentType: req.Header.Get("Content-Type")}
		if req.Body != nil {
			body, err := io.ReadAll(req.Body)
			req.Body.Close()
			if err != nil {
				r.mu.Unlock()
				return nil, err
			}
			rec.Body = body
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		r.reqs = append(r.reqs, rec)
	}
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// benchReadGo is the bot's side: its client and its parser, the requests
// recorded for the replay, the pages kept for the parser's throughput.
func benchReadGo(ctx context.Context, a *app, cfg config.Config, recorded, corpus string) error {
	rec := &recorder{}
	c, err := wiki.New(wiki.Config{APIURL: cfg.Wiki.APIURL, UserAgent: benchUserAgent, Transport: rec, MaxLag: cfg.WikiMaxLag()})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := c.LoginBotPassword(ctx, cfg.Wiki.BotUser, cfg.Wiki.BotPassword); err != nil {
		return err
	}
	if _, err := c.SiteInfo(ctx); err != nil { // as every peer knows its wiki before reading
		return err
	}
	login := time.Since(start)
	rec.on = true
	before := c.Stats().Requests
	start = time.Now()
	refs, err := c.ListPrefix(ctx, cfg.Program.ParticipantsPrefix)
	if err != nil {
		return err
	}
	var titles []string
	for _, r := range refs {
		if !r.Redirect && !strings.Contains(strings.TrimPrefix(r.Title, cfg.Program.ParticipantsPrefix), "/") {
			titles = append(titles, r.Title)
		}
	}
	pages, err := c.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return err
	}
	res := readResult{Peer: "letsconnect", Version: a.Version}
	h := sha256.New()
	slices.SortFunc(pages, func(x, y *wiki.Page) int { return strings.Compare(x.Title, y.Title) })
	for _, p := range pages {
		if !p.Exists() {
			continue
		}
		res.Pages++
		for _, t := range wikitext.Templates(p.Content) {
			if t.Name != program.TemplateRegistration {
				continue
			}
			res.Templates++
			for _, param := range t.Params {
				res.Params++
				fmt.Fprintf(h, "%s\x1f%s\x1f%s\n", p.Title, strings.TrimSpace(param.Name), strings.TrimSpace(param.Value))
			}
		}
	}
	res.Seconds = time.Since(start).Seconds()
	res.LoginSeconds = login.Seconds()
	res.Requests = int(c.Stats().Requests - before)
	res.Digest = hex.EncodeToString(h.Sum(nil))
	if err := writeJSONLines(recorded, rec.reqs); err != nil {
		return err
	}
	var docs []any
	for _, p := range pages {
		docs = append(docs, map[string]string{"title": p.Title, "text": p.Content})
	}
	if err := writeJSONLines(corpus, docs); err != nil {
		return err
	}
	return json.NewEncoder(a.Stdout).Encode(res)
}

func writeJSONLines[T any](path string, items []T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// benchReplay is the floor: the bot's recorded requests sent again by a
// bare HTTP client on a session of its own, the answers read and dropped.
func benchReplay(ctx context.Context, a *app, cfg config.Config, recorded string) error {
	f, err := os.Open(recorded)
	if err != nil {
		return fmt.Errorf("replay: %w (run --side go first)", err)
	}
	defer f.Close()
	var reqs []recordedRequest
	dec := json.NewDecoder(f)
	for {
		var r recordedRequest
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		reqs = append(reqs, r)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 5 * time.Minute}
	start := time.Now()
	if err := rawLogin(ctx, hc, cfg); err != nil {
		return err
	}
	login := time.Since(start)
	start = time.Now()
	for _, r := range reqs {
		req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, bytes.NewReader(r.Body))
		if err != nil {
			return err
		}
		if r.ContentType != "" {
			req.Header.Set("Content-Type", r.ContentType)
		}
		req.Header.Set("User-Agent", benchUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("replay: %s: HTTP %d", r.URL, resp.StatusCode)
		}
	}
	return json.NewEncoder(a.Stdout).Encode(readResult{Peer: "replay", Requests: len(reqs),
		Seconds: time.Since(start).Seconds(), LoginSeconds: login.Seconds()})
}

// rawLogin logs in with action=login, by hand: the floor uses no library.
func rawLogin(ctx context.Context, hc *http.Client, cfg config.Config) error {
	get := func(form url.Values, post bool) (map[string]any, error) {
		form.Set("format", "json")
		var req *http.Request
		var err error
		if post {
			req, err = http.NewRequestWithContext(ctx, http.MethodPost, cfg.Wiki.APIURL, strings.NewReader(form.Encode()))
			if req != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
		} else {
			req, err = http.NewRequestWithContext(ctx, http.MethodGet, cfg.Wiki.APIURL+"?"+form.Encode(), nil)
		}
		if err != nil {
			return nil, err
		}
		req.Header.Set("User-Agent", benchUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out map[string]any
		return out, json.NewDecoder(resp.Body).Decode(&out)
	}
	tok, err := get(url.Values{"action": {"query"}, "meta": {"tokens"}, "type": {"login"}}, false)
	if err != nil {
		return err
	}
	token, _ := tok["query"].(map[string]any)["tokens"].(map[string]any)["logintoken"].(string)
	res, err := get(url.Values{"action": {"login"}, "lgname": {cfg.Wiki.BotUser}, "lgpassword": {cfg.Wiki.BotPassword}, "lgtoken": {token}}, true)
	if err != nil {
		return err
	}
	if r, _ := res["login"].(map[string]any)["result"].(string); r != "Success" {
		return fmt.Errorf("replay: login failed: %v", res["login"])
	}
	return nil
}

// parseThroughput is wiki/wikitext's speed on the corpus, in MB/s: every
// page's templates with their parameters' names and values, as the peers'
// parse_mwph.py does, passes repeated for at least 2 s.
func parseThroughput(corpus string) (float64, error) {
	f, err := os.Open(corpus)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var texts []string
	var size int64
	dec := json.NewDecoder(f)
	for {
		var doc struct{ Text string }
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return 0, err
		}
		texts = append(texts, doc.Text)
		size += int64(len(doc.Text))
	}
	var sink int
	start := time.Now()
	passes := 0
	for passes == 0 || time.Since(start) < 2*time.Second {
		for _, t := range texts {
			for _, tpl := range wikitext.Templates(t) {
				sink += len(tpl.Name)
				for _, p := range tpl.Params {
					sink += len(p.Name) + len(p.Value)
				}
			}
		}
		passes++
	}
	if sink == 0 && size > 0 {
		return 0, errors.New("the corpus has no template")
	}
	return float64(size) * float64(passes) / time.Since(start).Seconds() / 1e6, nil
}

// benchSyncCost runs `letsconnect sync` (the binary bot) as the operator
// would, with an empty cache: a full sync, then twice with nothing changed.
func benchSyncCost(ctx context.Context, a *app, bot, work string) error {
	cacheDir := filepath.Join(work, "cache")
	if err := os.RemoveAll(cacheDir); err != nil {
		return err
	}
	env := append(os.Environ(), "LC_CACHE_DIR="+cacheDir, "LC_EDIT_INTERVAL=0s", "LC_MAX_EDITS=0")
	fmt.Fprintln(a.Stdout, "\nA sync (letsconnect sync --write, its own summary; peak RSS of the process):")
	fmt.Fprintln(a.Stdout, "\n| sync | API requests | edits | pages read | matcher | wall time | peak RSS |")
	fmt.Fprintln(a.Stdout, "|---|---|---|---|---|---|---|")
	for _, kind := range []string{"full (empty cache)", "nothing changed", "nothing changed"} {
		r, err := runSync(ctx, bot, env, "sync", "--write")
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "| %s | %d | %d | %d | %s | %.2f s | %d MB |\n", kind, r.Requests, r.Edits, r.PagesRead, r.Matcher, r.wall.Seconds(), r.rssKB/1024)
	}
	return nil
}
