package wikitest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestMerge3(t *testing.T) {
	const base = "one\n\ntwo\n\nthree"
	for _, tc := range []struct {
		name, mine, theirs, want string
		conflict                 bool
	}{
		{"other lines", "ONE\n\ntwo\n\nthree", "one\n\ntwo\n\nTHREE", "ONE\n\ntwo\n\nTHREE", false},
		{"same line", "one\n\nTWO\n\nthree", "one\n\nTwo!\n\nthree", "", true},
		{"same change", "one\n\nTWO\n\nthree", "one\n\nTWO\n\nthree", "one\n\nTWO\n\nthree", false},
		{"neighbouring lines", "ONE\n\ntwo\n\nthree", "one\nin between\n\ntwo\n\nthree", "", true},
		{"insertion a line away", "ONE\n\ntwo\n\nthree", "one\n\nnew\ntwo\n\nthree", "ONE\n\nnew\ntwo\n\nthree", false},
		{"only mine", "one\n\ntwo\n\nthree, mine", base, "one\n\ntwo\n\nthree, mine", false},
		{"only theirs", base, "theirs\none\n\ntwo\n\nthree", "theirs\none\n\ntwo\n\nthree", false},
		{"theirs deleted a line mine kept", "one\n\ntwo\n\nthree\nfour", "one\n\nthree", "one\n\nthree\nfour", false},
		{"everything replaced", "something else", "one\n\ntwo, theirs\n\nthree", "", true},
	} {
		got, ok := merge3(base, tc.mine, tc.theirs)
		if ok == tc.conflict || ok && got != tc.want {
			t.Errorf("%s: %q, merged %v; want %q, conflict %v", tc.name, got, ok, tc.want, tc.conflict)
		}
	}
}

// TestMerge3AgreesWithDiff3 compares merge3 with GNU diff3, run as
// MediaWiki's wfMerge runs it, on random small texts.
func TestMerge3AgreesWithDiff3(t *testing.T) {
	diff3, err := exec.LookPath("diff3")
	if err != nil {
		t.Skip("no diff3 on this machine (Debian: diffutils), the reference this test compares with")
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	rng := rand.New(rand.NewPCG(17, 1))
	serial := 0
	// line is a line no other has, or, one time in three, a blank line.
	line := func() string {
		if rng.IntN(3) == 0 {
			return ""
		}
		serial++
		return fmt.Sprint("line ", serial)
	}
	randomText := func(n int) []string {
		lines := make([]string, n)
		for i := range lines {
			lines[i] = line()
		}
		return lines
	}
	mutate := func(lines []string) []string {
		out := append([]string(nil), lines...)
		for range rng.IntN(3) {
			i := rng.IntN(len(out) + 1)
			switch rng.IntN(3) {
			case 0: // insert
				out = append(out[:i], append([]string{line()}, out[i:]...)...)
			case 1: // delete
				if i < len(out) {
					out = append(out[:i], out[i+1:]...)
				}
			default: // change
				if i < len(out) {
					out[i] = line()
				}
			}
		}
		return out
	}
	n := 80
	if testing.Short() {
		n = 30
	}
	var merges, conflicts, stricter int
	for range n {
		o := randomText(1 + rng.IntN(8))
		base, mine, theirs := strings.Join(o, "\n"), strings.Join(mutate(o), "\n"), strings.Join(mutate(o), "\n")
		my, old, your := write("mine", mine), write("old", base), write("yours", theirs)
		// wfMerge: a conflict is any output of --overlap-only; the merge
		// is that of -e --merge.
		overlap, err := exec.Command(diff3, "-a", "--overlap-only", my, old, your).Output()
		if _, exit := err.(*exec.ExitError); err != nil && !exit {
			t.Fatal(err)
		}
		got, ok := merge3(base, mine, theirs)
		if len(bytes.TrimSpace(overlap)) > 0 {
			conflicts++
			if ok {
				t.Errorf("base %q, mine %q, theirs %q: merge3 merged to %q, diff3 reports a conflict", base, mine, theirs, got)
			}
			continue
		}
		merges++
		merged, err := exec.Command(diff3, "-a", "-e", "--merge", my, old, your).Output()
		if err != nil {
			t.Fatal(err)
		}
		switch want := strings.TrimSuffix(string(merged), "\n"); {
		case !ok:
			stricter++
			t.Logf("base %q, mine %q, theirs %q: merge3 reports a conflict, diff3 merges to %q", base, mine, theirs, want)
		case got != want:
			t.Errorf("base %q, mine %q, theirs %q: merge3 merged to %q, diff3 to %q", base, mine, theirs, got, want)
		}
	}
	t.Logf("%d merges, %d conflicts; merge3 stricter than diff3 on %d", merges, conflicts, stricter)
	if stricter*50 > merges {
		t.Errorf("merge3 reports a conflict on %d of the %d merges diff3 makes (more than 2%%)", stricter, merges)
	}
}
