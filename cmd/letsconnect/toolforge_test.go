package main

// The files that deploy the bot on Toolforge, checked against the formats
// Toolforge uses:
//
//   - toolforge.yaml: the Components service's tool config, config_version
//     v1beta1 (components-api, openapi/tool-config-schema.json; job names and
//     limits from jobs-api);
//   - Procfile: the process types of the build service's image, in the
//     grammar of the heroku/procfile buildpack;
//
// and against this command: the process types run commands that exist and
// accept their flags, the health check asks the path serve answers on the
// port serve listens on, and neither file holds a credential.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gopkg.in/yaml.v3"
)

const (
	// tfRepository is where the build service fetches the code.
	tfRepository = "https://gitlab.wikimedia.org/toolforge-repos/letsconnect"
	// tfGoBin is where the heroku Go buildpack installs the module's main
	// packages in the image (T363417: not always on PATH in jobs).
	tfGoBin = "/layers/heroku_go/go_target/bin"
)

// tfConfig is the Components tool config. Decoding is strict: a key that is
// not in the format fails the test (the Components API would reject it or,
// worse, ignore it).
type tfConfig struct {
	ConfigVersion *string                `yaml:"config_version"`
	SourceURL     string                 `yaml:"source_url"`
	Components    map[string]tfComponent `yaml:"components"`
}

type tfComponent struct {
	ComponentType string   `yaml:"component_type"`
	Build         *tfBuild `yaml:"build"`
	Run           *tfRun   `yaml:"run"`
}

type tfBuild struct {
	Repository            string `yaml:"repository"`
	Ref                   string `yaml:"ref"`
	UseLatestVersions     *bool  `yaml:"use_latest_versions"`
	UseDeprecatedVersions *bool  `yaml:"use_deprecated_versions"`
	ReuseFrom             string `yaml:"reuse_from"`
}

type tfRun struct {
	Command       string `yaml:"command"`
	CPU           string `yaml:"cpu"`
	Memory        string `yaml:"memory"`
	Emails        string `yaml:"emails"`
	Mount         string `yaml:"mount"`
	Filelog       *bool  `yaml:"filelog"`
	FilelogStdout string `yaml:"filelog_stdout"`
	FilelogStderr string `yaml:"filelog_stderr"`
	// continuous only
	Port              *int   `yaml:"port"`
	PortProtocol      string `yaml:"port_protocol"`
	Replicas          *int   `yaml:"replicas"`
	HealthCheckHTTP   string `yaml:"health_check_http"`
	HealthCheckScript string `yaml:"health_check_script"`
	// scheduled only
	Schedule string `yaml:"schedule"`
	Timeout  *int   `yaml:"timeout"`
	Retry    *int   `yaml:"retry"`
}

var (
	// A job's name (jobs-api core/models.py), at most 52 characters.
	tfJobNameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	// A Procfile key as the heroku/procfile buildpack accepts it without
	// rewriting it: lowercase letters and digits, inner dashes, at most 63
	// characters. It "corrects" underscores and capitals with a warning, so
	// toolforge.yaml would name a process type that does not exist.
	tfProcessTypeRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	// A Kubernetes quantity, as cpu and memory take.
	tfQuantityRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$`)
	// NAME=value at the start of a command.
	tfAssignRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
)

// tfRead reads a file at the repository's root.
func tfRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatalf("%s: %v (it deploys the bot on Toolforge)", name, err)
	}
	return b
}

func tfLoadConfig(t *testing.T) tfConfig {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(tfRead(t, "toolforge.yaml")))
	dec.KnownFields(true)
	var cfg tfConfig
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("toolforge.yaml is not a Components tool config: %v", err)
	}
	return cfg
}

// tfProcess is one line of the Procfile.
type tfProcess struct {
	line    int
	name    string
	command string
}

// tfParseProcfile parses the Procfile as the heroku/procfile buildpack
// does: blank lines and # comments are ignored, every other line is
// "type: command" with a non-empty command; a type given twice is an error.
// It returns the processes and what is wrong.
func tfParseProcfile(text string) ([]tfProcess, []string) {
	var procs []tfProcess
	var problems []string
	for i, line := range strings.Split(text, "\n") {
		at := "Procfile:" + strconv.Itoa(i+1)
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		name, command, ok := strings.Cut(line, ":")
		command = strings.TrimSpace(command)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: %q is not \"type: command\"", at, line))
			continue
		case !tfProcessTypeRE.MatchString(name) || len(name) > 63:
			problems = append(problems, fmt.Sprintf("%s: process type %q must be lowercase letters and digits with inner dashes (at most 63), at the start of the line", at, name))
		case command == "":
			problems = append(problems, fmt.Sprintf("%s: process type %q has no command", at, name))
		}
		if slices.ContainsFunc(procs, func(p tfProcess) bool { return p.name == name }) {
			problems = append(problems, fmt.Sprintf("%s: process type %q given twice (the buildpack keeps the last)", at, name))
		}
		procs = append(procs, tfProcess{line: i + 1, name: name, command: command})
	}
	if len(procs) == 0 {
		problems = append(problems, "Procfile defines no process type")
	}
	return procs, problems
}

// tfLoadProcfile reads and parses the Procfile; what is wrong fails t.
func tfLoadProcfile(t *testing.T) []tfProcess {
	t.Helper()
	procs, problems := tfParseProcfile(string(tfRead(t, "Procfile")))
	for _, p := range problems {
		t.Error(p)
	}
	if len(procs) == 0 {
		t.FailNow()
	}
	return procs
}

// tfInvocation is a Procfile command taken apart: the variables it sets,
// the binary and its arguments.
type tfInvocation struct {
	assigns map[string]string
	binary  string
	args    []string
}

func tfSplitCommand(command string) tfInvocation {
	inv := tfInvocation{assigns: map[string]string{}}
	words := strings.Fields(command)
	for len(words) > 0 {
		if m := tfAssignRE.FindStringSubmatch(words[0]); m != nil {
			inv.assigns[m[1]] = m[2]
			words = words[1:]
			continue
		}
		if words[0] == "exec" {
			words = words[1:]
			continue
		}
		break
	}
	if len(words) > 0 {
		inv.binary, inv.args = words[0], words[1:]
	}
	return inv
}

func TestToolforgeComponentsConfig(t *testing.T) {
	cfg := tfLoadConfig(t)
	procs := tfLoadProcfile(t)

	if cfg.ConfigVersion == nil {
		t.Error("config_version: v1beta1 is missing")
	} else if *cfg.ConfigVersion != "v1beta1" {
		t.Errorf("config_version must be v1beta1 (the only version the Components API accepts), not %q", *cfg.ConfigVersion)
	}
	if cfg.SourceURL != "" {
		t.Errorf("source_url %q: the Components API would ignore this file and fetch that URL on every deploy", cfg.SourceURL)
	}
	if len(cfg.Components) == 0 {
		t.Fatal("components: at least one component is required")
	}
	continuous := 0
	for name, c := range cfg.Components {
		where := "components." + name
		if !tfJobNameRE.MatchString(name) || len(name) > 52 {
			t.Errorf("%s: a component's name is its job's name: lowercase letters, digits, inner dashes or dots, at most 52", where)
		}
		kind := c.ComponentType
		if kind == "" {
			kind = "continuous" // the API's default
		}
		if kind != "continuous" && kind != "scheduled" {
			t.Errorf("%s.component_type %q: continuous or scheduled", where, c.ComponentType)
		}

		switch b := c.Build; {
		case b == nil:
			t.Errorf("%s.build is required", where)
		case b.ReuseFrom != "":
			if b.Repository != "" || b.Ref != "" {
				t.Errorf("%s.build: reuse_from excludes repository and ref", where)
			}
			if other, ok := cfg.Components[b.ReuseFrom]; !ok || other.Build == nil || other.Build.Repository == "" {
				t.Errorf("%s.build.reuse_from %q must name a component built from source", where, b.ReuseFrom)
			}
		default:
			if b.Repository != tfRepository {
				t.Errorf("%s.build.repository = %q, want %s (the build service builds this repository)", where, b.Repository, tfRepository)
			}
			if b.Ref == "" {
				t.Errorf("%s.build.ref is required (a branch, tag or commit)", where)
			}
		}

		r := c.Run
		if r == nil {
			t.Errorf("%s.run is required", where)
			continue
		}
		// The command is a Procfile process type; `launcher` is prepended.
		if !slices.ContainsFunc(procs, func(p tfProcess) bool { return p.name == r.Command }) {
			var names []string
			for _, p := range procs {
				names = append(names, p.name)
			}
			t.Errorf("%s.run.command %q is not a process type of the Procfile (%s)", where, r.Command, strings.Join(names, ", "))
		}
		if r.Emails != "" && !slices.Contains([]string{"none", "all", "onfinish", "onfailure"}, r.Emails) {
			t.Errorf("%s.run.emails %q: none, all, onfinish or onfailure", where, r.Emails)
		}
		if r.Mount != "" && r.Mount != "none" && r.Mount != "all" {
			t.Errorf("%s.run.mount %q: none or all", where, r.Mount)
		}
		if ((r.Filelog != nil && *r.Filelog) || r.FilelogStdout != "" || r.FilelogStderr != "") && r.Mount != "all" {
			t.Errorf("%s.run: file logs need mount: all", where)
		}
		for key, q := range map[string]string{"cpu": r.CPU, "memory": r.Memory} {
			if q != "" && !tfQuantityRE.MatchString(q) {
				t.Errorf("%s.run.%s %q is not a Kubernetes quantity", where, key, q)
			}
		}

		if kind == "scheduled" {
			if r.Schedule == "" {
				t.Errorf("%s.run.schedule is required for a scheduled component", where)
			}
			if r.Port != nil || r.PortProtocol != "" || r.Replicas != nil || r.HealthCheckHTTP != "" || r.HealthCheckScript != "" {
				t.Errorf("%s.run: port, port_protocol, replicas and health checks are for continuous components", where)
			}
			if r.Retry != nil && (*r.Retry < 0 || *r.Retry > 5) {
				t.Errorf("%s.run.retry %d: 0 to 5", where, *r.Retry)
			}
			if r.Timeout != nil && *r.Timeout < 0 {
				t.Errorf("%s.run.timeout %d is negative", where, *r.Timeout)
			}
			continue
		}
		continuous++
		if r.Schedule != "" || r.Timeout != nil || r.Retry != nil {
			t.Errorf("%s.run: schedule, timeout and retry are for scheduled components", where)
		}
		if r.HealthCheckHTTP != "" && r.HealthCheckScript != "" {
			t.Errorf("%s.run: health_check_http and health_check_script exclude each other", where)
		}
		if r.PortProtocol != "" && r.PortProtocol != "tcp" && r.PortProtocol != "udp" {
			t.Errorf("%s.run.port_protocol %q: tcp or udp", where, r.PortProtocol)
		}
		if r.Port != nil && (*r.Port < 1 || *r.Port > 65535) {
			t.Errorf("%s.run.port %d: 1 to 65535", where, *r.Port)
		}

		// This bot's service: one copy of `serve`, probed on its health
		// path, on the port it listens on, with no NFS.
		if r.HealthCheckHTTP != HealthPath {
			t.Errorf("%s.run.health_check_http = %q, want %q (what letsconnect serve answers)", where, r.HealthCheckHTTP, HealthPath)
		}
		if r.Port == nil || (r.PortProtocol != "" && r.PortProtocol != "tcp") {
			t.Errorf("%s.run: an HTTP health check needs a TCP port", where)
		} else if want := tfServePort(t, procs, r.Command); want != 0 && *r.Port != want {
			t.Errorf("%s.run.port = %d, but the process %q listens on %d ($PORT; the jobs framework does not set it)", where, *r.Port, r.Command, want)
		}
		if r.Replicas == nil || *r.Replicas != 1 {
			t.Errorf("%s.run.replicas must be 1: one copy of the bot", where)
		}
		if r.Mount != "none" {
			t.Errorf("%s.run.mount = %q, want none (configuration from envvars, state on the wiki)", where, r.Mount)
		}
		if r.Emails == "" || r.Emails == "none" {
			t.Errorf("%s.run.emails should tell the maintainers when the bot fails (onfailure)", where)
		}
	}
	if continuous != 1 {
		t.Errorf("%d continuous components, want 1: letsconnect serve", continuous)
	}
}

// tfServePort is the port the process listens on: PORT as its Procfile
// line sets it (PORT=N or PORT=${PORT:-N}), else serve's default.
func tfServePort(t *testing.T, procs []tfProcess, name string) int {
	t.Helper()
	i := slices.IndexFunc(procs, func(p tfProcess) bool { return p.name == name })
	if i < 0 {
		return 0 // reported by the caller
	}
	value, set := tfSplitCommand(procs[i].command).assigns["PORT"]
	if set {
		value = strings.TrimSuffix(strings.TrimPrefix(value, "${PORT:-"), "}")
	} else {
		vars := config.Variables()
		j := slices.IndexFunc(vars, func(d config.Variable) bool { return d.Name == "PORT" })
		if j < 0 {
			t.Errorf("the configuration has no PORT: on what port does serve listen?")
			return 0
		}
		value = vars[j].Default
	}
	port, err := strconv.Atoi(value)
	if err != nil {
		t.Errorf("Procfile:%d: cannot tell the port of %q from PORT=%q", procs[i].line, name, value)
		return 0
	}
	return port
}

func TestToolforgeProcfile(t *testing.T) {
	procs := tfLoadProcfile(t)
	var known []string
	for _, c := range commandLine().Commands {
		known = append(known, c.Name)
	}
	var configVars []string
	for _, d := range config.Variables() {
		configVars = append(configVars, d.Name)
	}
	for _, p := range procs {
		where := "Procfile:" + strconv.Itoa(p.line) + " (" + p.name + ")"
		inv := tfSplitCommand(p.command)
		// Configuration is the tool's envvars, not the Procfile (PORT aside,
		// which Toolforge sets for a webservice and not for a job).
		for name := range inv.assigns {
			if name != "PORT" && slices.Contains(configVars, name) {
				t.Errorf("%s sets %s: configuration belongs in `toolforge envvars`, not in the Procfile", where, name)
			}
		}
		if path.Base(inv.binary) != "letsconnect" || (strings.Contains(inv.binary, "/") && inv.binary != tfGoBin+"/letsconnect") {
			t.Errorf("%s runs %q, want the binary letsconnect (%s/letsconnect in the image)", where, inv.binary, tfGoBin)
			continue
		}
		if len(inv.args) == 0 {
			t.Errorf("%s runs letsconnect without a command", where)
			continue
		}
		sub := inv.args[0]
		if !slices.Contains(known, sub) {
			t.Errorf("%s runs `letsconnect %s`, but %q is not a command of letsconnect (commands: %s)", where, sub, sub, strings.Join(known, ", "))
			continue
		}
		// The flags must be the command's: with -h after them, the command
		// parses them, stops, and exits 0; an unknown flag exits 2.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var stdout, stderr bytes.Buffer
		code := Main(ctx, append(slices.Clone(inv.args), "-h"), map[string]string{}, strings.NewReader(""), &stdout, &stderr)
		timedOut := ctx.Err() != nil
		cancel()
		if code != 0 || timedOut {
			t.Errorf("%s: `letsconnect %s -h` exited %d (timed out: %v); are the flags the command's?\n%s", where, strings.Join(inv.args, " "), code, timedOut, stderr.String())
		}
	}
	// The component's process serves and writes: without --write, serve
	// only ever plans (a dry run), and the bot would never edit.
	cfg := tfLoadConfig(t)
	for name, c := range cfg.Components {
		if c.Run == nil {
			continue
		}
		i := slices.IndexFunc(procs, func(p tfProcess) bool { return p.name == c.Run.Command })
		if i < 0 {
			continue // TestToolforgeComponentsConfig reports it
		}
		args := tfSplitCommand(procs[i].command).args
		if len(args) == 0 || args[0] != "serve" || !slices.ContainsFunc(args, func(a string) bool { return a == "--write" || a == "-write" }) {
			t.Errorf("component %s runs the process %q = %q, want `letsconnect serve --write`", name, procs[i].name, procs[i].command)
		}
	}
}

// TestToolforgeHealthCheckAnswered asks the health path of serve's routes,
// as Kubernetes does: anything but 200 OK restarts the bot.
func TestToolforgeHealthCheckAnswered(t *testing.T) {
	rec := httptest.NewRecorder()
	(&server{}).routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, HealthPath, nil))
	if rec.Code != http.StatusOK {
		t.Errorf("GET %s: %d, want 200 (toolforge.yaml's health check)\n%s", HealthPath, rec.Code, rec.Body.String())
	}
}

// TestToolforgeFilesHoldNoSecret: credentials are tool envvars
// (`toolforge envvars create`), never in the repository.
func TestToolforgeFilesHoldNoSecret(t *testing.T) {
	// Values known to be credentials here: the environment's, and the
	// local wiki's (.devwiki/env), when there are any.
	var secrets []string
	for _, name := range []string{"MW_BOT_PASSWORD", "MW_OAUTH2_TOKEN"} {
		if v := os.Getenv(name); len(v) >= 6 {
			secrets = append(secrets, v)
		}
	}
	if env, err := os.ReadFile("../../.devwiki/env"); err == nil {
		for _, line := range strings.Split(string(env), "\n") {
			name, value, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "export "), "=")
			value = strings.Trim(value, `'"`)
			if ok && regexp.MustCompile(`(?i)password|token|secret`).MatchString(name) && len(value) >= 6 {
				secrets = append(secrets, value)
			}
		}
	}
	credentialKey := regexp.MustCompile(`(?i)passw|token|secret|credential|api_?key`)
	assignment := regexp.MustCompile(`(?i)\b\w*(passw|token|secret)\w*\s*=\s*\S`)
	credentialLike := []*regexp.Regexp{
		regexp.MustCompile(`\b[a-z0-9]{32}\b`),                               // a BotPassword
		regexp.MustCompile(`\beyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]*`),            // an OAuth 2 access token (JWT)
		regexp.MustCompile(`(?i)\b(MW_BOT_PASSWORD|MW_OAUTH2_TOKEN)\s*[:=]`), // the bot's credentials, set
	}
	for _, file := range []string{"toolforge.yaml", "Procfile"} {
		text := string(tfRead(t, file))
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s contains the value of a password or token", file)
			}
		}
		for _, re := range credentialLike {
			if m := re.FindString(text); m != "" {
				t.Errorf("%s: %q looks like a credential", file, m)
			}
		}
		if file == "Procfile" {
			procs, _ := tfParseProcfile(text)
			for _, p := range procs {
				if m := assignment.FindString(p.command); m != "" {
					t.Errorf("Procfile:%d sets a credential: %q", p.line, m)
				}
			}
			continue
		}
		// Every key of the YAML, at any depth.
		var root yaml.Node
		if err := yaml.Unmarshal([]byte(text), &root); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if k := n.Content[i].Value; credentialKey.MatchString(k) {
						t.Errorf("%s:%d: key %q: credentials are envvars, not configuration files", file, n.Content[i].Line, k)
					}
				}
			}
			if n.Kind == yaml.ScalarNode && assignment.MatchString(n.Value) {
				t.Errorf("%s:%d: %q sets a credential", file, n.Line, n.Value)
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&root)
	}
}

// TestToolforgeProcfileGrammar keeps the Procfile parser above honest about
// what the buildpack rejects or rewrites.
func TestToolforgeProcfileGrammar(t *testing.T) {
	for _, bad := range []string{"Web: letsconnect serve", "my_web: letsconnect serve", "-web: x", "web-: x", "web:", " : x", "web letsconnect", "a: x\na: y"} {
		if _, problems := tfParseProcfile(bad); len(problems) == 0 {
			t.Errorf("the Procfile %q was accepted", bad)
		}
	}
	if procs, problems := tfParseProcfile("# comment\n\nweb: a b\nsync-1: c\n"); len(problems) > 0 || len(procs) != 2 || procs[1].name != "sync-1" || procs[1].command != "c" {
		t.Errorf("a valid Procfile: %+v, %v", procs, problems)
	}
	inv := tfSplitCommand("PORT=${PORT:-8000} exec " + tfGoBin + "/letsconnect serve --write")
	if inv.assigns["PORT"] != "${PORT:-8000}" || inv.binary != tfGoBin+"/letsconnect" || strings.Join(inv.args, " ") != "serve --write" {
		t.Errorf("tfSplitCommand: %+v", inv)
	}
}

// TestToolforgeBuildsOnlyTheBot: the Go buildpack installs every main
// package unless go.mod's `// +heroku install` directive names them; the
// image holds the bot (the Procfile's binary), not letsconnect-dev.
func TestToolforgeBuildsOnlyTheBot(t *testing.T) {
	var install []string
	for _, line := range strings.Split(string(tfRead(t, "go.mod")), "\n") {
		if spec, ok := strings.CutPrefix(strings.TrimSpace(line), "// +heroku install "); ok {
			install = append(install, strings.Fields(spec)...)
		}
	}
	if !slices.Equal(install, []string{"./cmd/letsconnect"}) {
		t.Errorf("go.mod's +heroku install directive installs %q, want just ./cmd/letsconnect", install)
	}
	for _, p := range tfLoadProcfile(t) {
		if !strings.Contains(p.command, tfGoBin+"/letsconnect ") {
			t.Errorf("Procfile:%d runs %q, not %s/letsconnect", p.line, p.command, tfGoBin)
		}
	}
}
