package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
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

func TestConfigErrorsNameTheVariable(t *testing.T) {
	for env, want := range map[string]string{
		"LC_MAX_EDITS=abc":                      "LC_MAX_EDITS",
		"MW_API_URL=ftp://x":                    "MW_API_URL",
		"MW_BOT_USER=Bot@app":                   "MW_BOT_PASSWORD",
		"LC_DIRECTORY_PAGE=Elsewhere/Directory": "LC_DIRECTORY_PAGE",
		`LC_MATCH_OPTIONS={"min_overlap":3}`:    "LC_MATCH_OPTIONS",
		"LC_MATCH_OPTIONS={not json":            "LC_MATCH_OPTIONS",
		"LC_MAX_PROPOSALS=-1":                   "LC_MAX_PROPOSALS",
	} {
		k, v, _ := strings.Cut(env, "=")
		_, err := loadConfig(map[string]string{k: v})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %s", env, err, want)
		}
	}
	cfg, err := loadConfig(map[string]string{"MW_BOT_PASSWORD": "s3cret", "MW_BOT_USER": "Bot@x"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cfg.String(), "s3cret") {
		t.Error("Config.String shows the password")
	}
	opts, err := loadConfig(map[string]string{"LC_MATCH_OPTIONS": `{"min_overlap_hours":3,"weights":{"newcomer":30}}`})
	if err != nil || opts.Match.MinOverlapHours != 3 || opts.Match.Weights.Newcomer != 30 {
		t.Errorf("LC_MATCH_OPTIONS not read: %+v, %v", opts.Match, err)
	}
	if cfg.DirectoryPage != "Let's Connect/Skills directory" {
		t.Errorf("default directory page %q", cfg.DirectoryPage)
	}
}

// A misspelt variable is named, with the one it stands for; the locale's
// LC_ variables and the bot's own are not.
func TestUnknownVariablesAreNamed(t *testing.T) {
	got := unknownVariables(map[string]string{
		"LC_RESOURCES_SUBMISSIONS": "x", "LC_RESOURCE_SUBMISSIONS": "y", "LC_ALL": "C.UTF-8", "LC_CTYPE": "C",
		"MW_API_ULR": "http://x", "LC_SOMETHING_ELSE_ENTIRELY": "1", "PATH": "/bin", "MW_BOT_USER": "B@a",
	})
	want := []unknownVariable{
		{"LC_RESOURCES_SUBMISSIONS", "LC_RESOURCE_SUBMISSIONS"},
		{"LC_SOMETHING_ELSE_ENTIRELY", ""},
		{"MW_API_ULR", "MW_API_URL"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("unknownVariables = %v, want %v", got, want)
	}
	// A command says so in its log (before it stops on the bad value,
	// without going near a wiki).
	var stdout, stderr strings.Builder
	Main(t.Context(), []string{"sync"}, map[string]string{"LC_RESOURCES_SUBMISSIONS": "Let's Connect/R", "LC_MAX_EDITS": "abc"},
		strings.NewReader(""), &stdout, &stderr)
	if !strings.Contains(stderr.String(), `"variable":"LC_RESOURCES_SUBMISSIONS"`) || !strings.Contains(stderr.String(), `"did_you_mean":"LC_RESOURCE_SUBMISSIONS"`) {
		t.Errorf("the misspelt variable is not named in the log:\n%s", stderr.String())
	}
}

// The README's configuration table is the one --help prints: each
// variable, its default and its meaning, so that the two never drift.
func TestREADMEDocumentsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range configDocs {
		def := "(none)"
		if d.Default != "" {
			def = "`" + d.Default + "`"
		}
		row := fmt.Sprintf("| `%s` | %s | %s |", d.Name, def, d.Doc)
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md lacks the row\n%s", row)
		}
	}
	// And every variable Config reads is documented.
	typ := reflect.TypeOf(Config{})
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("env"), ",")
		if name == "" {
			continue // derived, not read (Match comes from LC_MATCH_OPTIONS)
		}
		if !slices.ContainsFunc(configDocs, func(d struct{ Name, Default, Doc string }) bool { return d.Name == name }) {
			t.Errorf("%s is read but not in configDocs", name)
		}
	}
}
