package bot

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "gitlab.wikimedia.org/toolforge-repos/letsconnect/"

// root is the repository, from this package's directory.
const root = "../.."

// codeMapRow is one row of docs/architecture.md's code map.
type codeMapRow struct {
	packages []string // the first cell
	imports  []string // "may import", expanded; nil with anything
	anything bool     // "anything", or a test helper's
}

// codeMap reads the code map's rows: | `pkg`, `pkg` | owns | may import | invariant |.
func codeMap(t *testing.T, behaviours []string) []codeMapRow {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(root, "docs/architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile("`([^`]+)`")
	var rows []codeMapRow
	for line := range strings.SplitSeq(string(text), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 4 {
			t.Fatalf("code map row with %d cells, want 4: %s", len(cells), line)
		}
		var r codeMapRow
		for _, m := range quoted.FindAllStringSubmatch(cells[0], -1) {
			r.packages = append(r.packages, m[1])
		}
		may := strings.TrimSpace(cells[2])
		switch {
		case strings.HasPrefix(may, "anything"), strings.Contains(may, "tests' helpers"):
			r.anything = true
		case may == "—":
			r.imports = []string{}
		default:
			for _, m := range quoted.FindAllStringSubmatch(may, -1) {
				r.imports = append(r.imports, m[1])
			}
			if strings.Contains(may, "every behaviour") {
				r.imports = append(r.imports, behaviours...)
			}
			if len(r.imports) == 0 {
				t.Errorf("code map: %s: may import %q lists nothing (write — for nothing)", cells[0], may)
			}
		}
		slices.Sort(r.imports)
		rows = append(rows, r)
	}
	return rows
}

// packageDirs lists the module's packages: the directories that hold
// non-test Go files.
func packageDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); !slices.Contains(dirs, rel) {
			dirs = append(dirs, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(dirs)
	return dirs
}

// behaviourPackages are the packages under sync/ but the core, the
// engine, the task table and the test helpers.
func behaviourPackages(dirs []string) []string {
	var out []string
	for _, d := range dirs {
		rest, ok := strings.CutPrefix(d, "sync/")
		if ok && !strings.Contains(rest, "/") && !slices.Contains([]string{"program", "engine", "bot"}, rest) {
			out = append(out, d)
		}
	}
	return out
}

// moduleImports lists what a package imports from this module (not its tests).
func moduleImports(t *testing.T, dir string) (module_, all []string) {
	t.Helper()
	pkg, err := build.ImportDir(filepath.Join(root, dir), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if rest, ok := strings.CutPrefix(imp, module); ok {
			module_ = append(module_, rest)
		}
	}
	slices.Sort(module_)
	return module_, pkg.Imports
}

// The code map of docs/architecture.md is true: every package of the
// module has its row, and each one imports from the module exactly what
// its row says it may (the union, for a row of several packages).
func TestCodeMapAsDocumented(t *testing.T) {
	dirs := packageDirs(t)
	behaviours := behaviourPackages(dirs)
	rows := codeMap(t, behaviours)
	documented := map[string]bool{}
	for _, r := range rows {
		var union []string
		for _, p := range r.packages {
			if documented[p] {
				t.Errorf("code map: %s has two rows", p)
			}
			documented[p] = true
			if !slices.Contains(dirs, p) {
				t.Errorf("code map: %s is no package", p)
				continue
			}
			got, _ := moduleImports(t, p)
			for _, imp := range got {
				if !r.anything && !slices.Contains(r.imports, imp) {
					t.Errorf("%s imports %s, which its row in docs/architecture.md does not list", p, imp)
				}
				if !slices.Contains(union, imp) {
					union = append(union, imp)
				}
			}
		}
		for _, imp := range r.imports {
			if !slices.Contains(union, imp) {
				t.Errorf("docs/architecture.md says %s may import %s; it does not (remove it from the row)", strings.Join(r.packages, ", "), imp)
			}
		}
	}
	for _, d := range dirs {
		if !documented[d] {
			t.Errorf("%s has no row in docs/architecture.md's code map", d)
		}
	}
}

// The core and the behaviours are pure: no context, no files, no network;
// of package wiki they use the data type wiki.Page, never the client. The
// test helpers and the demo are imported by no production code.
func TestPureAndApart(t *testing.T) {
	dirs := packageDirs(t)
	pure := append([]string{"sync/program", "sync/bot"}, behaviourPackages(dirs)...)
	for _, dir := range pure {
		_, imports := moduleImports(t, dir)
		for _, imp := range imports {
			switch imp {
			case "context", "os", "io/fs", "io/ioutil", "net", "net/http", "path/filepath":
				t.Errorf("%s imports %s", dir, imp)
			}
		}
		uses := wikiSelectors(t, dir)
		for _, sel := range uses {
			if sel != "Page" {
				t.Errorf("%s uses wiki.%s: the core and the behaviours use only the data type wiki.Page", dir, sel)
			}
		}
	}
	for _, dir := range dirs {
		got, _ := moduleImports(t, dir)
		for _, imp := range got {
			helper := strings.HasSuffix(imp, "test") && imp != "wiki/wikitext" // bottest, programtest, wikitest
			dev := strings.HasPrefix(imp, "internal/dev/")
			switch {
			case helper && !strings.HasSuffix(dir, "test") && dir != "wiki/wikicontract":
				t.Errorf("%s imports the test helper %s", dir, imp)
			case dev && !strings.HasPrefix(dir, "internal/dev/") && dir != "cmd/letsconnect-dev":
				t.Errorf("%s imports the development tool %s", dir, imp)
			}
		}
	}
}

// wikiSelectors lists the identifiers a package's non-test files select
// from package wiki (comments aside).
func wikiSelectors(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	matches, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, path := range matches {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		name := ""
		for _, imp := range f.Imports {
			if imp.Path.Value == `"`+module+`wiki"` {
				name = "wiki"
				if imp.Name != nil {
					name = imp.Name.Name
				}
			}
		}
		if name == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := s.X.(*ast.Ident); ok && x.Name == name && !slices.Contains(out, s.Sel.Name) {
					out = append(out, s.Sel.Name)
				}
			}
			return true
		})
	}
	return out
}

// The shared core stays small and no package grows into a second flat
// domain package: the sizes docs/architecture.md promises, in lines of
// non-test Go. The text rules (wiki/wikitext) and the matcher (match,
// match/mcf) are exempt: each is one algorithm's code, not a behaviour's.
func TestPackageSizes(t *testing.T) {
	const coreMax, packageMax = 3000, 2600 // "about 2,500"
	for _, dir := range packageDirs(t) {
		limit := packageMax
		switch dir {
		case "sync/program":
			limit = coreMax
		case "wiki/wikitext", "match", "match/mcf":
			continue
		}
		matches, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		for _, path := range matches {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			lines += strings.Count(string(text), "\n")
		}
		if lines > limit {
			t.Errorf("%s has %d lines of non-test Go, over %d: split it where a behaviour or a library ends (docs/architecture.md)", dir, lines, limit)
		}
	}
}
