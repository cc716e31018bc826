package match_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demoinput"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// The demo's programs (179 and 1,000 participants) are matched exactly as
// without the group rounds' warm start (docs/matching.md, "Only from
// 2,000,000 candidate arcs"): a warm start may pick another optimal flow,
// and so other groups, and the demo's story is told with the cold one.
func TestDemoSizesMatchAsWithoutTheWarmStart(t *testing.T) {
	for _, n := range []int{179, 1000} {
		in, err := demoinput.MatchInput(n)
		if err != nil {
			t.Fatal(err)
		}
		got := matchJSON(t, in)
		restore := match.SetWarmStartArcs(math.MaxInt)
		cold := matchJSON(t, in)
		restore()
		if !bytes.Equal(got, cold) {
			t.Errorf("%d participants: the result differs from the one without the warm start", n)
		}
	}
}

func matchJSON(t *testing.T, in match.Input) []byte {
	t.Helper()
	res, err := match.Match(in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
