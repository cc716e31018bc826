// Package numfmt writes numbers as a language writes them (CLDR): its
// digits, its grouping and decimal separators, and the fewest digits
// before a number is grouped. Languages it does not know are written as
// English.
package numfmt

import (
	"strconv"
	"strings"
)

// format is how a language writes numbers.
type format struct {
	digits          []rune // 0-9; nil: ASCII
	group, decimal  string
	minGroupedDigit int // Spanish writes 1234 but 12.345
}

var formats = map[string]format{
	"en": {group: ",", decimal: ".", minGroupedDigit: 4},
	"fr": {group: "\u202f", decimal: ",", minGroupedDigit: 4},
	"es": {group: ".", decimal: ",", minGroupedDigit: 5},
	"pt": {group: ".", decimal: ",", minGroupedDigit: 4},
	"ar": {digits: []rune("٠١٢٣٤٥٦٧٨٩"), group: "٬", decimal: "٫", minGroupedDigit: 4},
}

func formatOf(lang string) format {
	if f, ok := formats[lang]; ok {
		return f
	}
	return formats["en"]
}

// Digits writes the ASCII digits of s in the language's digits.
func Digits(lang, s string) string {
	f := formatOf(lang)
	if f.digits == nil {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return f.digits[r-'0']
		}
		return r
	}, s)
}

// Int writes an integer: 12,345 in English, 12 345 in French, ١٢٬٣٤٥ in
// Arabic.
func Int(lang string, n int) string {
	f := formatOf(lang)
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) >= f.minGroupedDigit {
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString(f.group)
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	return Digits(lang, sign+s)
}

// Float writes a number as short as it reads exactly (61.5, 30): 61,5
// in French.
func Float(lang string, x float64) string {
	return decimals(lang, strconv.FormatFloat(x, 'f', -1, 64))
}

// OneDecimal writes a number with one decimal: 12.0 in English, 12,0 in
// French.
func OneDecimal(lang string, x float64) string {
	return decimals(lang, strconv.FormatFloat(x, 'f', 1, 64))
}

// decimals writes a formatted number ("-1234.5") in the language.
func decimals(lang, s string) string {
	whole, frac, hasFrac := strings.Cut(s, ".")
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	n, err := strconv.Atoi(whole)
	if err != nil {
		return s // Inf, NaN
	}
	out := sign + Int(lang, n)
	if hasFrac {
		out += formatOf(lang).decimal + Digits(lang, frac)
	}
	return out
}
