package editdistance

import "testing"

func TestStrings(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"LC_RESOURCES_SUBMISSIONS", "LC_RESOURCE_SUBMISSIONS", 1}, {"MW_API_ULR", "MW_API_URL", 2},
		{"Yorùbá", "Yoruba", 2}, {"flaw", "lawn", 2},
	} {
		if got := Strings(c.a, c.b); got != c.want {
			t.Errorf("Strings(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Strings(c.b, c.a); got != c.want {
			t.Errorf("Strings(%q, %q) = %d, want %d (not symmetric)", c.b, c.a, got, c.want)
		}
	}
}
