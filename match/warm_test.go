package match

import (
	"math/rand/v2"
	"testing"
)

// Every group round's solve that starts from the last solve's prices finds
// the minimum cost that a cold solve of the same network finds, on random
// programs and on larger random instances with several rounds, quotas of
// one to three included.
func TestWarmRoundsReachTheColdOptimum(t *testing.T) {
	var warm, differ int
	checkWarm = func(w, c int64, err error) {
		warm++
		if err != nil {
			t.Errorf("cold solve: %v", err)
		} else if w != c {
			differ++
			t.Errorf("a warm-started round cost %d, the same network solved cold %d", w, c)
		}
	}
	defer func(arcs int) { checkWarm, warmStartArcs = nil, arcs }(warmStartArcs)
	warmStartArcs = 0 // every size starts warm
	rng := rand.New(rand.NewPCG(32, 3))
	var inputs []Input
	for range 150 {
		inputs = append(inputs, randomProgram(rng))
	}
	for i := range 12 {
		in := randomInput(rng, shape{learners: 150 + 40*i, sharers: 25 + 5*i, skills: 1 + i%4, langs: 1 + i%3,
			quota: 1 + i%3, offsets: []int{0, 60, -300, 330, 600}, workday: [2]int{8, 18}})
		in.Options.Candidates, in.Options.RandomCandidates = 10, 10
		inputs = append(inputs, in)
	}
	for i, in := range inputs {
		if _, err := Match(in); err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
	}
	t.Logf("%d warm-started solves, %d differing", warm, differ)
	if warm < 50 {
		t.Fatalf("only %d warm-started solves: the inputs do not exercise the warm start", warm)
	}
}
