package domain

import (
	"go/build"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The domain's imports from this module are the ones its package doc and
// the README's Layout section list, and it imports nothing that reaches
// the world: no context, no files, no network, no wiki client or cache.
func TestImportsAsDocumented(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	const module = "gitlab.wikimedia.org/toolforge-repos/letsconnect/"
	var got []string
	for _, imp := range pkg.Imports {
		if rest, ok := strings.CutPrefix(imp, module); ok {
			got = append(got, rest)
		}
		switch imp {
		case "context", "os", "io/fs", "io/ioutil", "net", "net/http", "path/filepath",
			module + "wiki", module + "wiki/pagecache", module + "internal/cachefile":
			t.Errorf("the domain imports %s", imp)
		}
	}
	slices.Sort(got)

	// "domain → {a, b}" in doc.go, "`sync/domain` → {`a`, `b`}" in the README.
	listed := regexp.MustCompile("domain`? → \\{([^}]*)\\}")
	for _, file := range []string{"doc.go", "../../README.md"} {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := listed.FindSubmatch(text)
		if m == nil {
			t.Errorf("%s lists no imports of the domain (domain → {...})", file)
			continue
		}
		var want []string
		for _, name := range strings.Split(string(m[1]), ",") {
			name = strings.Trim(strings.ReplaceAll(name, "//", ""), " \n`")
			want = append(want, name)
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s says the domain imports %v; it imports %v", file, want, got)
		}
	}
}
