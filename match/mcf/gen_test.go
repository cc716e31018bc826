package mcf

import (
	"math"
	"math/rand/v2"
	"sort"
)

// genConfig describes a synthetic learner/sharer instance shaped like §6.2 of
// shared/guides/matching.md: Zipf skill popularity, levels, languages, time
// zones, capacities, waiting time and newcomers, top-K candidate arcs per
// learner-skill.
type genConfig struct {
	Learners, Sharers int
	TopK              int   // candidate sharers kept per learner-skill
	Scan              int   // sharers scored per learner-skill (a sample when the skill has more)
	Bonus             int64 // first-connection bonus (0: a single source arc per learner)
	Delta             int64 // load-spreading step: the k-th unit into the sink costs k*Delta
	QuotaPerSkill     bool  // learner quota = number of wanted skills (else 1)
	CapScale          int64 // sharer capacity multiplier (1: capacities 1/2/3/5)
	Permute           bool  // shuffle node ids and arc order (no topological numbering)
	Seed              uint64
}

type instance struct {
	g       *Graph
	s, t    int
	maxFlow int64
}

const numSkills = 59

func zipfCDF(n int, s float64) []float64 {
	c := make([]float64, n)
	sum := 0.0
	for i := range c {
		sum += 1 / math.Pow(float64(i+1), s)
		c[i] = sum
	}
	for i := range c {
		c[i] /= sum
	}
	return c
}

func pick(rng *rand.Rand, cdf []float64) int {
	x := rng.Float64()
	i := sort.SearchFloat64s(cdf, x)
	if i >= len(cdf) {
		i = len(cdf) - 1
	}
	return i
}

type person struct {
	skills []int
	levels []int
	langs  uint8
	tz     int
	wait   int
	newbie bool
	capa   int64
}

func genLangs(rng *rand.Rand) uint8 {
	primary := pick(rng, []float64{.45, .60, .70, .78, .85, .90, .95, 1})
	l := uint8(1) << primary
	if rng.Float64() < .4 {
		second := 0
		if rng.Float64() < .5 {
			second = rng.IntN(8)
		}
		l |= 1 << second
	}
	return l
}

func genTZ(rng *rand.Rand) int {
	switch x := rng.Float64(); {
	case x < .35:
		return -8 + rng.IntN(6)
	case x < .75:
		return rng.IntN(4)
	default:
		return 5 + rng.IntN(6)
	}
}

func distinctSkills(rng *rand.Rand, cdf []float64, k int) []int {
	var out []int
	for len(out) < k {
		s := pick(rng, cdf)
		dup := false
		for _, x := range out {
			dup = dup || x == s
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// generate builds the instance. Node order is source, learners, sharers,
// sink unless Permute is set.
func generate(cfg genConfig) instance {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6d6366))
	demand := zipfCDF(numSkills, 1.2)
	supply := zipfCDF(numSkills, 0.4)
	if cfg.CapScale == 0 {
		cfg.CapScale = 1
	}
	learners := make([]person, cfg.Learners)
	for i := range learners {
		p := &learners[i]
		p.skills = distinctSkills(rng, demand, 1+pick(rng, []float64{.20, .50, .75, .90, 1}))
		for range p.skills {
			p.levels = append(p.levels, 1+rng.IntN(3))
		}
		p.langs = genLangs(rng)
		p.tz = genTZ(rng)
		for p.wait < 6 && rng.Float64() > .45 {
			p.wait++
		}
		p.newbie = rng.Float64() < .3
	}
	sharers := make([]person, cfg.Sharers)
	bySkill := make([][]int32, numSkills)
	for i := range sharers {
		p := &sharers[i]
		p.skills = distinctSkills(rng, supply, 1+pick(rng, []float64{.40, .73, .89, 1}))
		for _, s := range p.skills {
			p.levels = append(p.levels, 2+rng.IntN(3))
			bySkill[s] = append(bySkill[s], int32(i))
		}
		p.langs = genLangs(rng)
		p.tz = genTZ(rng)
		p.capa = cfg.CapScale * []int64{1, 2, 3, 5}[pick(rng, []float64{.40, .75, .90, 1})]
	}

	L, S := cfg.Learners, cfg.Sharers
	n := L + S + 2
	id := make([]int, n) // logical node -> node id
	for i := range id {
		id[i] = i
	}
	if cfg.Permute {
		rng.Shuffle(n, func(i, j int) { id[i], id[j] = id[j], id[i] })
	}
	src, snk := id[0], id[n-1]
	type arc struct{ u, v, c, w int64 }
	var arcs []arc
	var maxFlow int64

	// Candidate arcs learner -> sharer.
	best := make([]int64, S)
	stamp := make([]int32, S)
	type cand struct {
		a int32
		w int64
	}
	var cands, order []cand
	var touched []int32
	for b := range learners {
		p := &learners[b]
		q := int64(1)
		if cfg.QuotaPerSkill {
			q = int64(len(p.skills))
		}
		maxFlow += q
		if cfg.Bonus > 0 {
			arcs = append(arcs, arc{int64(src), int64(id[1+b]), 1, -cfg.Bonus})
			if q > 1 {
				arcs = append(arcs, arc{int64(src), int64(id[1+b]), q - 1, 0})
			}
		} else {
			arcs = append(arcs, arc{int64(src), int64(id[1+b]), q, 0})
		}
		touched = touched[:0]
		for k, s := range p.skills {
			pool := bySkill[s]
			cands = cands[:0]
			scan := len(pool)
			if cfg.Scan > 0 && scan > cfg.Scan {
				scan = cfg.Scan
			}
			off := 0
			if scan < len(pool) {
				off = rng.IntN(len(pool))
			}
			for j := 0; j < scan; j++ {
				a := pool[(off+j*7919)%len(pool)]
				sp := &sharers[a]
				if sp.langs&p.langs == 0 {
					continue
				}
				dtz := sp.tz - p.tz
				if dtz < 0 {
					dtz = -dtz
				}
				if dtz > 12 {
					dtz = 24 - dtz
				}
				if dtz > 8 {
					continue
				}
				lvl := 0
				for x, ss := range sp.skills {
					if ss == s {
						lvl = sp.levels[x]
					}
				}
				gap := lvl - p.levels[k]
				if gap <= 0 {
					continue
				}
				fit := []int64{0, 3, 1, 0}[gap]
				w := 50 + 10*fit + 2*int64(8-dtz) + 8*int64(p.wait)
				if p.newbie {
					w += 15
				}
				if rng.IntN(50) == 0 {
					continue // already met
				}
				cands = append(cands, cand{a, w})
			}
			sort.Slice(cands, func(i, j int) bool {
				if cands[i].w != cands[j].w {
					return cands[i].w > cands[j].w
				}
				return cands[i].a < cands[j].a
			})
			if cfg.TopK > 0 && len(cands) > cfg.TopK {
				cands = cands[:cfg.TopK]
			}
			for _, c := range cands {
				if stamp[c.a] != int32(b+1) {
					stamp[c.a] = int32(b + 1)
					best[c.a] = c.w
					touched = append(touched, c.a)
				} else if c.w > best[c.a] {
					best[c.a] = c.w
				}
			}
		}
		order = order[:0]
		for _, a := range touched {
			order = append(order, cand{a, best[a]})
		}
		for _, c := range order {
			arcs = append(arcs, arc{int64(id[1+b]), int64(id[1+L+int(c.a)]), 1, -c.w})
		}
	}
	for a := range sharers {
		for k := int64(0); k < sharers[a].capa; k++ {
			arcs = append(arcs, arc{int64(id[1+L+a]), int64(snk), 1, k * cfg.Delta})
		}
	}
	if cfg.Permute {
		rng.Shuffle(len(arcs), func(i, j int) { arcs[i], arcs[j] = arcs[j], arcs[i] })
	}
	g := New(n)
	g.Grow(len(arcs))
	for _, a := range arcs {
		g.AddArc(int(a.u), int(a.v), a.c, a.w)
	}
	return instance{g: g, s: src, t: snk, maxFlow: maxFlow}
}
