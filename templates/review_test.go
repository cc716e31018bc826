package templates_test

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// The review script's texts are banana JSON: every key the script uses is
// in en.json and documented in qqq.json, every key there is used, and
// every other language has only keys English has. The installed file
// carries them all, in a stable order.
func TestReviewScriptMessages(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("wiki", templates.ReviewScriptFile))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`'(letsconnect-review-[a-z-]+)'`).FindAllStringSubmatch(string(src), -1) {
		used[m[1]] = true
	}
	msgs, err := templates.ReviewMessages()
	if err != nil {
		t.Fatal(err)
	}
	en, qqq := msgs["en"], msgs["qqq"]
	if len(en) == 0 || len(qqq) == 0 {
		t.Fatalf("no en.json or qqq.json: %v", msgs)
	}
	for k := range used {
		if en[k] == "" || qqq[k] == "" {
			t.Errorf("%s is used by the script but not in en.json and qqq.json", k)
		}
	}
	for lang, m := range msgs {
		for k := range m {
			if !used[k] {
				t.Errorf("%s.json: %s is not used by the script", lang, k)
			}
		}
	}
	script, err := templates.ReviewScript()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := templates.ReviewScript()
	if script != again {
		t.Error("two builds of the script differ")
	}
	if strings.Contains(script, "// @messages") || strings.Contains(script, `"qqq"`) {
		t.Error("the installed script lacks its texts, or carries qqq")
	}
	for _, k := range slices.Sorted(maps.Keys(used)) {
		if !strings.Contains(script, `"`+k+`"`) {
			t.Errorf("the installed script lacks %s", k)
		}
	}
	// Saving a user script runs MediaWiki's pre-save transform on it:
	// nothing in it may be a signature or a substitution.
	if strings.Contains(script, "~~~") || strings.Contains(strings.ToLower(script), "subst:") {
		t.Error("the script holds ~~~ or subst:, which saving it would change")
	}
	// The file is JavaScript a browser parses (node checks the syntax when
	// it is installed; the browser test runs it).
	if node, err := exec.LookPath("node"); err == nil {
		f := filepath.Join(t.TempDir(), "review.js")
		os.WriteFile(f, []byte(script), 0o644)
		if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("node --check: %v\n%s", err, out)
		}
	}
}
