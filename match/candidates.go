package match

import (
	"hash/fnv"
	"slices"
	"sync"
)

// people is the run's participants, indexed, with what the rules need
// precomputed.
type people struct {
	list    []Participant // active ones, sorted by ID
	index   map[string]int
	langs   []langSet // per person
	langIDs []string  // interned codes, sorted
	window  []interval
	accepts []formatSet
}

type langSet [4]uint64 // up to 256 languages

func (s *langSet) add(i int) { s[i>>6] |= 1 << (i & 63) }
func (s langSet) and(t langSet) (u langSet) {
	return langSet{s[0] & t[0], s[1] & t[1], s[2] & t[2], s[3] & t[3]}
}
func (s langSet) empty() bool    { return s[0]|s[1]|s[2]|s[3] == 0 }
func (s langSet) has(i int) bool { return s[i>>6]&(1<<(i&63)) != 0 }

type formatSet uint8

const (
	acceptsOneToOne formatSet = 1 << iota
	acceptsGroup
)

// interval is a span of the UTC day in minutes, [start, end), end-start <= 1440.
type interval struct{ start, end int }

// overlap is the length in minutes of the overlap of two daily intervals,
// and where it starts (in a's frame).
func overlap(a, b interval) (minutes, start int) {
	best, bestStart := 0, 0
	for _, shift := range []int{-1440, 0, 1440} {
		lo, hi := max(a.start, b.start+shift), min(a.end, b.end+shift)
		if hi-lo > best {
			best, bestStart = hi-lo, lo
		}
	}
	return best, bestStart
}

// candidate is an admissible (learner, skill, sharer) with its weight: a
// small fixed-size record (20 bytes), since a 100,000-participant run has
// millions (5.3 M: each byte is 5 MB at the peak of a sync).
type candidate struct {
	learner, sharer           int32
	skill                     skillID
	weight                    int32 // the score's terms (docs/matching.md)
	learnerLevel, sharerLevel int8  // Levels
	flags                     candidateFlags
}

// candidateFlags are a candidate's yes-or-no facts, one bit each.
type candidateFlags uint8

const (
	// requested: the learner asked for this sharer and skill.
	flagRequested candidateFlags = 1 << iota
	// The formats both take: a 1:1 needs flagOneToOne, a group flagGroup.
	flagOneToOne
	flagGroup
	// flagIncumbent: the page proposes this pair for this skill now, so
	// keeping it earns the Incumbent weight (not part of the score).
	flagIncumbent
)

func (c candidate) requested() bool { return c.flags&flagRequested != 0 }
func (c candidate) oneToOne() bool  { return c.flags&flagOneToOne != 0 }
func (c candidate) group() bool     { return c.flags&flagGroup != 0 }
func (c candidate) incumbent() bool { return c.flags&flagIncumbent != 0 }

// candidateValue is what the solver maximises for a candidate: its weight
// and, for a proposal kept from the page, the incumbent weight.
func (r *run) candidateValue(c candidate) int32 {
	if c.incumbent() {
		return c.weight + int32(r.opt.Weights.Incumbent)
	}
	return c.weight
}

// flagIf is f when cond holds, else no flag.
func flagIf(cond bool, f candidateFlags) candidateFlags {
	if cond {
		return f
	}
	return 0
}

// sharerEntry is a sharer of one skill, with what a learner's random
// candidates are checked against, so that sampling reads one record rather
// than the person's entry in five arrays.
type sharerEntry struct {
	langs  uint64 // the first 64 of people.langs
	person int32
	start  int16 // of the working day (people.window), UTC minutes
	level  int8
	// accepts is the formats they take (people.accepts), 0 when they have
	// no capacity left; wide, that they speak a language beyond the first
	// 64, which langs leaves out.
	accepts formatSet
}

// wide is the bit of sharerEntry.accepts that marks a wide entry.
const wide formatSet = 1 << 7

// bucketKey groups a skill's sharers by what their score depends on (the
// level and the time zone) and by what a learner must have in common with
// them (a format, a language). Within a bucket every sharer scores the
// same for a given learner, so candidates are found by taking buckets best
// first instead of scanning every sharer.
type bucketKey struct {
	offset  int32
	level   int8
	formats formatSet
	lang    uint8
}

func (k bucketKey) compare(o bucketKey) int {
	switch {
	case k.level != o.level:
		return int(k.level) - int(o.level)
	case k.offset != o.offset:
		return int(k.offset - o.offset)
	case k.formats != o.formats:
		return int(k.formats) - int(o.formats)
	}
	return int(k.lang) - int(o.lang)
}

type bucket struct {
	key     bucketKey
	members []int32 // person indices, sorted
}

type skillIndex struct {
	buckets []bucket      // sorted by key, for determinism
	all     []sharerEntry // every sharer of the skill, sorted by person
}

// hash64 is a stable hash of strings, for tie-breaking and sampling that
// never depend on the run.
func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func levelFit(gap Level) int {
	switch {
	case gap <= 0:
		return 0
	case gap == 1:
		return 3
	case gap == 2:
		return 2
	}
	return 1
}

// buildIndex indexes every active sharer by skill and bucket.
func buildIndex(p *people, skillOf map[string]skillID, skills int, capacity []int) []*skillIndex {
	// Each skill's sharers and (bucket, sharer) places counted first, so
	// that every list is allocated once at its size.
	sharers, places := make([]int, skills), make([]int, skills)
	for i, person := range p.list {
		langs := 0
		for l := range len(p.langIDs) {
			if p.langs[i].has(l) {
				langs++
			}
		}
		for _, s := range person.Share {
			id := skillOf[s.ID]
			sharers[id]++
			places[id] += langs
		}
	}
	idx := make([]*skillIndex, skills)
	byKey := make([][]indexPlace, skills)
	for id, n := range sharers {
		if n > 0 {
			idx[id] = &skillIndex{all: make([]sharerEntry, 0, n)}
			byKey[id] = make([]indexPlace, 0, places[id])
		}
	}
	for i, person := range p.list {
		for _, s := range person.Share {
			id := skillOf[s.ID]
			si := idx[id]
			ls := p.langs[i]
			e := sharerEntry{langs: ls[0], person: int32(i), start: int16(p.window[i].start), level: int8(s.Level)}
			if capacity[i] > 0 {
				e.accepts = p.accepts[i]
			}
			if ls[1]|ls[2]|ls[3] != 0 {
				e.accepts |= wide
			}
			si.all = append(si.all, e)
			for l := range len(p.langIDs) {
				if !p.langs[i].has(l) {
					continue
				}
				k := bucketKey{level: int8(s.Level), offset: int32(person.UTCOffset), formats: p.accepts[i], lang: uint8(l)}
				byKey[id] = append(byKey[id], indexPlace{k, int32(i)})
			}
		}
	}
	// A bucket per key, in key order, its members in person order: each
	// skill on its own, the skills split in two runs of about as many
	// places, the second on another CPU.
	total := 0
	for _, n := range places {
		total += n
	}
	half, acc := 0, 0
	for half < skills && 2*acc < total {
		acc += places[half]
		half++
	}
	var second sync.WaitGroup
	second.Go(func() { bucketSkills(idx[half:], byKey[half:]) })
	bucketSkills(idx[:half], byKey[:half])
	second.Wait()
	return idx
}

// indexPlace is a sharer's entry in a bucket of buildIndex, before the buckets
// are formed.
type indexPlace struct {
	key    bucketKey
	person int32
}

// bucketSkills forms the buckets of skills idx from their places byKey.
func bucketSkills(idx []*skillIndex, byKey [][]indexPlace) {
	for id, si := range idx {
		if si == nil {
			continue
		}
		list := byKey[id]
		slices.SortFunc(list, func(a, b indexPlace) int {
			if c := a.key.compare(b.key); c != 0 {
				return c
			}
			return int(a.person - b.person)
		})
		members := make([]int32, len(list))
		for j, pl := range list {
			members[j] = pl.person
		}
		for j := 0; j < len(list); {
			k := j
			for k < len(list) && list[k].key == list[j].key {
				k++
			}
			si.buckets = append(si.buckets, bucket{list[j].key, members[j:k:k]})
			j = k
		}
	}
}

// mix derives the i-th pseudo-random number from a seed (SplitMix64's
// finaliser): cheap, stable, well spread.
func mix(seed, i uint64) uint64 {
	z := seed + (i+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
