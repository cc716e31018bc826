package wikitext

import (
	"regexp"
	"strings"
)

// EscapeArg returns s, a value supplied by a participant (or computed from
// one), ready to be a named template argument's value on one line
// ({{T|name=VALUE}}), the rows of the proposals page and of the ledger.
// It encodes only what can act there, as the template places it (in a
// table cell, a link, a bold status), so that the source reads as a
// person would write it: "07:00–09:00 UTC", "O'Brien", "a; b" stay as
// they are.
//
// Encoded as numeric character references (which MediaWiki shows as the
// characters themselves): "|", which ends the argument (and splits table
// cells); "{" and "}" (templates, parameters, parser functions, tables,
// language conversion); "[" and "]" (links, external links); "<" (tags,
// comments, nowiki and other extension tags); "&" where it starts a
// character reference ("&lt;" shows as written); every "~" of a run of
// three or more (signatures, expanded when the page is saved); every "_"
// of a run of two or more (behaviour switches such as __NOTOC__); every
// "'" of a run of two or more (bold and italics) and one at either end
// (next to the template's own bold quotes); and ":" when it would make a free
// external link ("https://", "mailto:"). "=" is plain text in a named
// argument's value, and the line-start syntax ("*", "#", ";", ":", "=",
// "----") cannot apply in the middle of a line.
//
// The text is first put on one line and made visible as by Escape.
func EscapeArg(s string) string {
	return encodeArg(cleanText(s))
}

// characterReference matches what MediaWiki decodes as a character
// reference.
var characterReference = regexp.MustCompile(`^&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)

// freeLinkSchemes are the URL schemes MediaWiki links without "//"
// ($wgUrlProtocols), in lower case.
var freeLinkSchemes = map[string]bool{
	"mailto": true, "news": true, "urn": true, "tel": true, "sms": true, "sip": true, "sips": true,
	"xmpp": true, "geo": true, "magnet": true, "bitcoin": true, "matrix": true,
}

func encodeArg(s string) string {
	run := func(k int, c byte) int { // length of the run of c around k
		i, j := k, k
		for i > 0 && s[i-1] == c {
			i--
		}
		for j < len(s) && s[j] == c {
			j++
		}
		return j - i
	}
	return encodeWhere(s, len(s)/8, func(k int) bool {
		switch c := s[k]; c {
		case '|', '{', '}', '[', ']', '<':
			return true
		case '&':
			return characterReference.MatchString(s[k:])
		case '~':
			return run(k, c) >= 3
		case '_':
			return run(k, c) >= 2
		case '\'':
			return run(k, c) >= 2 || k == 0 || k == len(s)-1
		case ':':
			return strings.HasPrefix(s[k+1:], "//") || freeLinkSchemes[strings.ToLower(wordBefore(s, k))]
		}
		return false
	})
}

// wordBefore returns the ASCII letters just before s[k].
func wordBefore(s string, k int) string {
	i := k
	for i > 0 && ('a' <= s[i-1] && s[i-1] <= 'z' || 'A' <= s[i-1] && s[i-1] <= 'Z') {
		i--
	}
	return s[i:k]
}
