package mcf

import "testing"

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
			in := generate(bs.cfg)
			g := New(in.g.Nodes())
			var supplies []Supply
			for e := range in.g.Arcs() {
				u, v, c, w := in.g.Arc(e)
				if u == in.s {
					x := g.AddNode()
					supplies = append(supplies, Supply{Node: x, Amount: c})
					g.AddArc(x, v, c, w)
					g.AddArc(x, in.t, c, 0)
					continue
				}
				g.AddArc(u, v, c, w)
			}
			b.ReportAllocs()
			b.ResetTimer()
			var cost int64
			for i := 0; i < b.N; i++ {
				var err error
				if cost, err = g.SendSupplies(supplies, in.t); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(g.Arcs()), "arcs")
			b.ReportMetric(float64(g.Stats().Augmentations), "augmentations")
			b.Logf("%s: arcs=%d cost=%d augmentations=%d", bs.name, g.Arcs(), cost, g.Stats().Augmentations)
		})
	}
}
