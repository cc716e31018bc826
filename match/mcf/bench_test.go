package mcf

import (
	"strconv"
	"testing"
)

// benchSizes are shaped like §6.2 of shared/guides/matching.md: top-30
// candidates per learner-skill out of up to 200 scored sharers, a
// first-connection bonus of 100, convex sink costs (delta 5), sharer
// capacities 1/2/3/5 times CapScale: scarce supply except in "slack".
var benchSizes = []struct {
	name string
	cfg  genConfig
}{
	{"L10k_S2k", genConfig{Learners: 10_000, Sharers: 2_000, TopK: 30, Scan: 200, Bonus: 100, Delta: 5, CapScale: 2, Seed: 1}},
	{"L10k_S2k_slack", genConfig{Learners: 10_000, Sharers: 2_000, TopK: 30, Scan: 200, Bonus: 100, Delta: 5, CapScale: 5, Seed: 4}},
	{"L10k_S2k_quotaPerSkill", genConfig{Learners: 10_000, Sharers: 2_000, TopK: 30, Scan: 200, Bonus: 100, Delta: 5, QuotaPerSkill: true, CapScale: 2, Seed: 2}},
	{"L100k_S20k", genConfig{Learners: 100_000, Sharers: 20_000, TopK: 30, Scan: 200, Bonus: 100, Delta: 5, CapScale: 2, Seed: 3}},
}

func BenchmarkMinCostFlow(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			in := generate(bs.cfg)
			b.ReportAllocs()
			b.ResetTimer()
			var flow, cost int64
			for i := 0; i < b.N; i++ {
				var err error
				flow, cost, err = in.g.MinCostFlow(in.s, in.t, in.maxFlow)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			st := in.g.Stats()
			b.ReportMetric(float64(in.g.Arcs()), "arcs")
			b.ReportMetric(float64(in.g.Nodes()), "nodes")
			b.ReportMetric(float64(flow), "flow")
			b.ReportMetric(float64(st.Phases), "phases")
			b.ReportMetric(float64(st.Rounds), "rounds")
			b.Logf("%s: nodes=%d arcs=%d maxFlow=%d flow=%d cost=%d phases=%d rounds=%d augmentations=%d admissible arcs/phase=%d dag=%v",
				bs.name, in.g.Nodes(), in.g.Arcs(), in.maxFlow, flow, cost, st.Phases, st.Rounds, st.Augmentations,
				st.AdmissibleArcs/max(st.Phases, 1), st.DAG)
		})
	}
}

// BenchmarkSendSupplies solves the same instances in the form the matcher
// uses: each source arc becomes a supply node with a bypass to the sink.
func BenchmarkSendSupplies(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			sp := supplyFormOf(generate(bs.cfg))
			benchSupplies(b, sp, sp.g.SendSupplies)
		})
	}
}

// BenchmarkSendSuppliesScaled: the same, with cost scaling.
func BenchmarkSendSuppliesScaled(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			sp := supplyFormOf(generate(bs.cfg))
			benchSupplies(b, sp, sp.g.SendSuppliesScaled)
		})
	}
}

// BenchmarkDemo solves the matcher's graphs of the demo program, read from
// /tmp/graphs/demo<size>.dimacs (match.WriteDIMACS; skipped when absent),
// with each solver: SendSupplies and SendSuppliesScaled in the form the
// matcher uses (a supply per learner, with a bypass) and in the DIMACS
// form (one source with a bypass), MinCostFlow from the source.
// SendSupplies takes about a minute at 100000.
func BenchmarkDemo(b *testing.B) {
	for _, size := range []int{1000, 10000, 100000} {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			p := demoGraph(b, size)
			forms := []struct {
				name string
				sp   supplyProblem
			}{{"supply", p.supplyForm()}, {"source", p.sourceForm()}}
			for _, f := range forms {
				sp := f.sp
				b.Run("SendSuppliesScaled/"+f.name, func(b *testing.B) {
					benchSupplies(b, sp, sp.g.SendSuppliesScaled)
				})
				if f.name == "supply" {
					b.Run("SendSupplies/"+f.name, func(b *testing.B) {
						benchSupplies(b, sp, sp.g.SendSupplies)
					})
				}
			}
			b.Run("MinCostFlow/source", func(b *testing.B) {
				b.ReportAllocs()
				var cost int64
				for b.Loop() {
					var err error
					if _, cost, err = p.g.MinCostFlow(p.source, p.sink, p.supply); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(p.g.Arcs()), "arcs")
				b.Logf("cost %d", cost)
			})
		})
	}
}

func benchSupplies(b *testing.B, sp supplyProblem, solve func([]Supply, int) (int64, error)) {
	b.ReportAllocs()
	var cost int64
	for b.Loop() {
		var err error
		if cost, err = solve(sp.supplies, sp.sink); err != nil {
			b.Fatal(err)
		}
	}
	st := sp.g.Stats()
	b.ReportMetric(float64(sp.g.Arcs()), "arcs")
	b.Logf("cost %d, %d supplies, %d phases, %d relabels, %d augmentations, %d global updates, %d checks",
		cost, len(sp.supplies), st.Phases, st.Relabels, st.Augmentations, st.GlobalUpdates, st.Checks)
}
