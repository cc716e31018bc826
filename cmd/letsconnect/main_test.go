package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
)

func TestWikitextTemplatesCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	in := strings.NewReader("{{Foo| a = 1 |<!-- c -->x|a=2}} {{bar|{{baz}}}}")
	code := Main(context.Background(), []string{"wikitext", "templates"}, nil, in, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got []struct {
		Name   string            `json:"name"`
		Params map[string]string `json:"params"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if len(got) != 3 || got[0].Name != "Foo" || got[0].Params["a"] != "2" || got[0].Params["1"] != "x" ||
		got[1].Name != "Bar" || got[1].Params["1"] != "{{baz}}" || got[2].Name != "Baz" {
		t.Errorf("templates = %+v", got)
	}
}

// A misspelt variable is named in a command's log, with the one it stands
// for (internal/config's tests have the rules), before the command stops on
// a bad value, without going near a wiki.
func TestUnknownVariablesAreLogged(t *testing.T) {
	var stdout, stderr strings.Builder
	Main(t.Context(), []string{"sync"}, map[string]string{"LC_RESOURCES_SUBMISSIONS": "Let's Connect/R", "LC_MAX_EDITS": "abc"},
		strings.NewReader(""), &stdout, &stderr)
	if !strings.Contains(stderr.String(), `"variable":"LC_RESOURCES_SUBMISSIONS"`) || !strings.Contains(stderr.String(), `"did_you_mean":"LC_RESOURCE_SUBMISSIONS"`) {
		t.Errorf("the misspelt variable is not named in the log:\n%s", stderr.String())
	}
}

// The README's configuration table is the one --help prints, which comes
// from Config's tags (cli.Variables): each variable, its default and its
// meaning, in the same order, and no other row.
func TestREADMEDocumentsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, d := range config.Variables() {
		def := "(none)"
		if d.Default != "" {
			def = "`" + d.Default + "`"
		}
		want = append(want, fmt.Sprintf("| `%s` | %s | %s |", d.Name, def, d.Doc))
	}
	// The table's rows: under "## Configuration", after its header.
	_, section, _ := strings.Cut(string(readme), "\n## Configuration\n")
	section, _, _ = strings.Cut(section, "\n## ")
	var got []string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| `") {
			got = append(got, line)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("README.md's configuration table differs from the variables' tags (the Config structs internal/config reads); it should be:\n%s", strings.Join(want, "\n"))
	}

	// The help prints the same variables.
	var stderr bytes.Buffer
	Main(context.Background(), []string{"help"}, nil, nil, &bytes.Buffer{}, &stderr)
	for _, d := range config.Variables() {
		if !strings.Contains(stderr.String(), d.Name+" ") || !strings.Contains(stderr.String(), d.Doc) {
			t.Errorf("letsconnect help does not document %s", d.Name)
		}
	}
}

// The production command holds the production commands: the demo and the
// benchmarks are letsconnect-dev's, and asking for them here says so in
// one line, a usage error, without the whole help.
func TestNoDevelopmentCommands(t *testing.T) {
	for _, name := range []string{"demo", "bench"} {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), []string{name, "generate"}, nil, nil, &stdout, &stderr)
		want := `letsconnect: unknown command "` + name + `": the demo and the benchmarks are in letsconnect-dev (make build-dev)` + "\n"
		if code != 2 || stderr.String() != want || stdout.Len() != 0 {
			t.Errorf("letsconnect %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", name, code, stdout.String(), stderr.String(), want)
		}
	}
}

// Any other unknown command is one line too, pointing at the help.
func TestUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"snyc", "--write"}, nil, nil, &stdout, &stderr)
	want := `letsconnect: unknown command "snyc" (letsconnect help lists the commands)` + "\n"
	if code != 2 || stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout.String(), stderr.String(), want)
	}
}
