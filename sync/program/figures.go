package program

import "math"

// Count is a category with how many people (or things) are in it, and
// their share of the whole (0–100): what the report shows, and what the
// behaviours it counts give it.
type Count struct {
	Name  string  `json:"name"`
	N     int     `json:"n"`
	Share float64 `json:"share"`
}

// Share is n of the whole as a percentage with one decimal (0 of none).
func Share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(float64(n)*1000/float64(of)) / 10
}
