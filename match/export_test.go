package match

// SetWarmStartArcs sets the threshold of the group rounds' warm start
// for the external tests, and returns what restores it.
func SetWarmStartArcs(n int) (restore func()) {
	old := warmStartArcs
	warmStartArcs = n
	return func() { warmStartArcs = old }
}
