// Package editdistance counts the edits (insertions, deletions,
// substitutions) between two strings: how far a misspelt name is from the
// one meant, for "did you mean" suggestions.
package editdistance

// Runes returns the Levenshtein distance between a and b.
func Runes(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Strings is Runes for two strings.
func Strings(a, b string) int { return Runes([]rune(a), []rune(b)) }
