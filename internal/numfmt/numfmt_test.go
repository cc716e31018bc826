package numfmt

import (
	"math"
	"testing"
)

func TestNumbersAsEachLanguageWritesThem(t *testing.T) {
	for _, tc := range []struct {
		lang, got, want string
	}{
		{"en", Int("en", 12345), "12,345"},
		{"en", Int("en", -1234), "-1,234"},
		{"fr", Int("fr", 12345), "12\u202f345"},
		{"es", Int("es", 1234), "1234"}, // Spanish groups from five digits
		{"es", Int("es", 12345), "12.345"},
		{"ar", Int("ar", 12345), "١٢٬٣٤٥"},
		{"xx", Int("xx", 12345), "12,345"}, // unknown: as English
		{"fr", Float("fr", 61.5), "61,5"},
		{"en", Float("en", 30), "30"},
		{"pt", OneDecimal("pt", 1234.0), "1.234,0"},
		{"ar", OneDecimal("ar", -2.25), "-٢٫٢"},
		{"en", Float("en", math.Inf(1)), "+Inf"},
		{"ar", Digits("ar", "15:04"), "١٥:٠٤"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.lang, tc.got, tc.want)
		}
	}
}
