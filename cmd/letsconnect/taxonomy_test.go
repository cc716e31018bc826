package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The import's dry run needs no wiki: it prints the page and a note per
// quirk; a wrong call says how to call it, a list it cannot read says
// why, and neither writes anything.
func TestTaxonomyImportCapXDryRun(t *testing.T) {
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Main(context.Background(), args, map[string]string{"MW_API_URL": "http://127.0.0.1:1/api.php"}, nil, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	code, out, errOut := run("taxonomy", "import-capx", sharedCapX)
	if code != 0 || !strings.HasPrefix(out, "The skills participants can name") || strings.Count(out, "{{Let's Connect skill|") != 127 {
		t.Errorf("exit %d; the page:\n%.500s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "134 capacities, 7 roots; 8 notes") {
		t.Errorf("the notes:\n%s", errOut)
	}
	for _, args := range [][]string{{"taxonomy"}, {"taxonomy", "import-capx"}, {"taxonomy", "import-capx", "a.csv", "b.csv"}, {"taxonomy", "export"}} {
		if code, _, errOut := run(args...); code != 2 || !strings.Contains(errOut, "usage: letsconnect taxonomy import-capx FILE [--write]") {
			t.Errorf("%q: exit %d, %s", args, code, errOut)
		}
	}
	broken := filepath.Join(t.TempDir(), "capx.json")
	if err := os.WriteFile(broken, []byte(`{"capacities": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run("taxonomy", "import-capx", broken); code != 1 || out != "" || !strings.Contains(errOut, "the CapX list is not JSON in the list's shape") {
		t.Errorf("a broken list: exit %d, %q, %s", code, out, errOut)
	}
	if code, _, errOut := run("taxonomy", "import-capx", "/no/such/file.csv"); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("a missing file: exit %d, %s", code, errOut)
	}
}
