package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchMatchPrintsBothSolvers runs `letsconnect-dev bench match` as
// make bench does (the binary, with its child processes) at the pilot's
// size, with itself as the baseline: the quality table with the pruning
// loss and the load, the matcher beside the baseline (one optimum, the
// same objective, ratios), then the two exact solvers side by side on the
// same instance, with one optimum, time and memory ratios and 0
// violations each.
func TestBenchMatchPrintsBothSolvers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs five matchings")
	}
	bin := filepath.Join(t.TempDir(), "letsconnect-dev")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "bench", "match", "--sizes", "179", "--reference", "179", "--runs", "1", "--baseline", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("bench match: %v\n%s", err, out)
	}
	text := string(out)
	quality, rest, ok := strings.Cut(text, "The same instances with the matcher before ("+bin+"), 1 runs each:")
	if !ok {
		t.Fatalf("no table of the matcher beside the baseline:\n%s", text)
	}
	before, solvers, ok := strings.Cut(rest, "The exact solvers on the same instances (scaling, the default; paths, the one before it, one run):")
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
	q, b, s := row(quality), row(before), row(solvers)
	if len(q) != 15 || q[13] != "0" || !strings.HasSuffix(q[14], "%") || q[6] == "–" {
		t.Errorf("quality row %q: want 15 columns, a load, 0 violations, a pruning loss", q)
	}
	if len(b) != 13 || b[1] != q[2] || b[12] != "0 / 0" || b[11] != q[7]+" / "+q[7]+" (+0.000%)" {
		t.Errorf("baseline row %q: want 13 columns, the quality table's arcs (%s), the same objective (%s) twice, 0 / 0 violations", b, q[2], q[7])
	}
	if len(s) != 12 || s[1] != q[2] || s[11] != "0 / 0" {
		t.Errorf("solvers row %q: want 12 columns, the quality table's arcs (%s), 0 / 0 violations", s, q[2])
	}
	if objectives := strings.Split(s[10], " / "); len(objectives) != 2 || objectives[0] != q[7] {
		t.Errorf("solvers row's objectives %q: the first (scaling) must be the quality table's %s", s[10], q[7])
	}
	for _, ratio := range []string{s[4], s[7], b[4], b[7]} {
		if !strings.Contains(ratio, ".") {
			t.Errorf("ratio %q is not a number", ratio)
		}
	}
}

// TestBenchMatchAnchor: with --anchor, the 1:1 graph is solved by HiGHS
// through SciPy (scripts/bench/highs_mcf.py) and the table says both
// optima are the same (bench match fails when they are not); with --lemon
// too, LEMON's two solvers (scripts/bench/lemon_mcf.cc), when g++ and
// liblemon-dev are there. Skipped without Debian's python3-scipy, which
// scripts/bench/match.sh installs (with g++ and liblemon-dev).
func TestBenchMatchAnchor(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a matching and HiGHS")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import scipy.optimize").Run(); err != nil {
		t.Skip("no SciPy for /usr/bin/python3 (scripts/bench/match.sh installs python3-scipy)")
	}
	bin := filepath.Join(t.TempDir(), "letsconnect-dev")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	args := []string{"bench", "match", "--sizes", "179", "--runs", "1", "--reference", "0", "--paths", "0", "--anchor", "179",
		"--highs", filepath.Join("..", "..", "scripts", "bench", "highs_mcf.py"), "--work", t.TempDir()}
	lemon := filepath.Join(t.TempDir(), "lemon_mcf")
	_, noHeader := os.Stat("/usr/include/lemon/network_simplex.h")
	withLEMON := noHeader == nil && exec.Command("g++", "-O2", "-o", lemon, filepath.Join("..", "..", "scripts", "bench", "lemon_mcf.cc")).Run() == nil
	if withLEMON {
		args = append(args, "--lemon", lemon)
	} else {
		t.Log("no g++ or liblemon-dev: LEMON's anchor not checked")
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("bench match: %v\n%s", err, out)
	}
	if withLEMON {
		_, second, _ := strings.Cut(string(out), "A second anchor")
		row, _, _ := strings.Cut(second[strings.Index(second, "| 179 |")+1:], "\n")
		if cols := strings.Split(strings.Trim(row, "| "), " | "); len(cols) != 10 || !strings.HasSuffix(cols[8], "(all three)") {
			t.Errorf("LEMON's row %q: want 10 columns, one optimum for all three", cols)
		}
	}
	_, anchor, ok := strings.Cut(string(out), "An anchor: the 1:1 graph")
	if !ok {
		t.Fatalf("no anchor table:\n%s", out)
	}
	for _, line := range strings.Split(anchor, "\n") {
		if strings.HasPrefix(line, "| 179 |") {
			cols := strings.Split(strings.Trim(line, "| "), " | ")
			if len(cols) != 9 || !strings.HasSuffix(cols[7], "(both)") || !strings.HasSuffix(cols[3], " s") {
				t.Errorf("anchor row %q: want 9 columns, HiGHS's time, one optimum for both", cols)
			}
			return
		}
	}
	t.Fatalf("no row for 179 participants:\n%s", anchor)
}
