package program

import "slices"

// Renames maps renamed accounts' former names to the names they go by
// now (the user rename log: docs/lifecycle.md, "Renamed participants"):
// a renamed participant keeps their registration's requests, their
// connections, their answers and their messages under the new name.
type Renames map[string]string

// Current returns the name user goes by now (user when not renamed).
func (r Renames) Current(user string) string {
	if cur, ok := r[user]; ok {
		return cur
	}
	return user
}

// Former returns user's former names, sorted (nil when none).
func (r Renames) Former(user string) []string {
	var out []string
	for f, cur := range r {
		if cur == user {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}
