package textdiff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n"
	new := "a\nb\nC\nd\ne\nf\ng\nh\ni\nj\nk\n"
	got := Unified("old", "new", old, new, 2)
	want := `--- old
+++ new
@@ -1,5 +1,5 @@
 a
 b
-c
+C
 d
 e
@@ -9,2 +9,3 @@
 i
 j
+k
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if Unified("a", "b", "same\n", "same\n", 3) != "" {
		t.Error("equal texts give a diff")
	}
	if got := Unified("a", "b", "", "new page\n", 3); got != "--- a\n+++ b\n@@ -0,0 +1 @@\n+new page\n" {
		t.Errorf("creation diff:\n%s", got)
	}
}

// TestDiffIsAnEditScript checks on random inputs that applying the script
// to the old text gives the new text, and that it is minimal enough: never
// longer than deleting everything and adding everything.
func TestDiffIsAnEditScript(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"a", "b", "c", "d"}
	random := func() []string {
		n := rng.IntN(12)
		out := make([]string, n)
		for i := range out {
			out[i] = words[rng.IntN(len(words))]
		}
		return out
	}
	for i := 0; i < 2000; i++ {
		a, b := random(), random()
		script := diff(a, b)
		var gotA, gotB []string
		changes := 0
		for _, o := range script {
			if o.kind != '+' {
				gotA = append(gotA, o.line)
			}
			if o.kind != '-' {
				gotB = append(gotB, o.line)
			}
			if o.kind != ' ' {
				changes++
			}
		}
		if strings.Join(gotA, ",") != strings.Join(a, ",") || strings.Join(gotB, ",") != strings.Join(b, ",") {
			t.Fatalf("script for %v → %v does not reproduce them: %v", a, b, script)
		}
		if changes > len(a)+len(b) {
			t.Fatalf("script longer than a rewrite: %v", script)
		}
	}
}
