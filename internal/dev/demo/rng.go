package demo

import "math/bits"

// pcg is PCG-DXSM (the generator behind math/rand/v2's PCG), written here
// so that the stream and the helpers on it (intn, shuffle) never change
// with the Go release: the demo must be the same on every machine.
type pcg struct{ hi, lo uint64 }

func newPCG(seed1, seed2 uint64) *pcg { return &pcg{seed1, seed2} }

func (p *pcg) next() uint64 {
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
	)
	// state = state * mul + inc
	hi, lo := bits.Mul64(p.lo, mulLo)
	hi += p.hi*mulLo + p.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	p.lo, p.hi = lo, hi
	// DXSM output
	const cheapMul = 0xda942042e4dd58b5
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> (3 * 64 / 4)
	hi *= lo | 1
	return hi
}

// intn returns a number in [0, n), n > 0, without modulo bias.
func (p *pcg) intn(n int) int {
	hi, lo := bits.Mul64(p.next(), uint64(n))
	if lo < uint64(n) {
		thresh := -uint64(n) % uint64(n)
		for lo < thresh {
			hi, lo = bits.Mul64(p.next(), uint64(n))
		}
	}
	return int(hi)
}

// shuffle is Fisher-Yates.
func (p *pcg) shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		swap(i, p.intn(i+1))
	}
}

// perm returns a random permutation of [0, n).
func (p *pcg) perm(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	p.shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

type weighted struct {
	value  string
	weight int
}

// choose picks a value with probability proportional to its weight.
func (p *pcg) choose(options []weighted) string {
	total := 0
	for _, o := range options {
		total += o.weight
	}
	r := p.intn(total)
	for _, o := range options {
		if r < o.weight {
			return o.value
		}
		r -= o.weight
	}
	return options[len(options)-1].value
}
