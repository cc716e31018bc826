package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchMatchPrintsBothSolvers runs `letsconnect-dev bench match` as
// make bench does (the binary, with its child processes) at the pilot's
// size: the quality table with the pruning loss, then the two exact
// solvers side by side on the same instance, with one optimum, time and
// memory ratios and 0 violations each.
func TestBenchMatchPrintsBothSolvers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three matchings")
	}
	bin := filepath.Join(t.TempDir(), "letsconnect-dev")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "bench", "match", "--sizes", "179", "--reference", "179").CombinedOutput()
	if err != nil {
		t.Fatalf("bench match: %v\n%s", err, out)
	}
	text := string(out)
	quality, solvers, ok := strings.Cut(text, "The exact solvers on the same instances (scaling, the default; paths, the one before it):")
	if !ok {
		t.Fatalf("no table of the two solvers:\n%s", text)
	}
	row := func(table string) []string {
		for _, line := range strings.Split(table, "\n") {
			if strings.HasPrefix(line, "| 179 |") {
				return strings.Split(strings.Trim(line, "| "), " | ")
			}
		}
		t.Fatalf("no row for 179 participants in:\n%s", table)
		return nil
	}
	q, s := row(quality), row(solvers)
	if len(q) != 14 || q[12] != "0" || !strings.HasSuffix(q[13], "%") {
		t.Errorf("quality row %q: want 14 columns, 0 violations, a pruning loss", q)
	}
	if len(s) != 11 || s[1] != q[2] || s[10] != "0 / 0" {
		t.Errorf("solvers row %q: want 11 columns, the quality table's arcs (%s), 0 / 0 violations", s, q[2])
	}
	if objectives := strings.Split(s[9], " / "); len(objectives) != 2 || objectives[0] != q[6] {
		t.Errorf("solvers row's objectives %q: the first (scaling) must be the quality table's %s", s[9], q[6])
	}
	for _, ratio := range []string{s[4], s[7]} {
		if !strings.Contains(ratio, ".") {
			t.Errorf("ratio %q is not a number", ratio)
		}
	}
}
