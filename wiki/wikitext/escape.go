package wikitext

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape returns s, a value supplied by a participant, ready to be inserted
// as plain text into wikitext the bot generates: in a table cell, a list
// item, a heading's text, a template argument or a link label.
//
// The result cannot open or close any wikitext construct: templates,
// template parameters and parser functions ("{{", "}}", "subst:"), tables
// ("{|", "|}", "|-", "||", "!!", a leading "|" or "!"), links, categories
// and files ("[[", "]]", "["), signatures ("~~~"), HTML tags, comments and
// extension tags ("<"), behaviour switches ("__NOTOC__"), headings, lists,
// definitions and rules at the start of a line ("=", "*", "#", ":", ";",
// "----"), bold and italics (runs of apostrophes), language conversion
// ("-{"), free external links ("https://...") and character references
// ("&lt;"). The characters that could do so become HTML numeric character
// references (such as "&#123;"), which MediaWiki renders as the original
// characters, so readers see what the participant wrote.
//
// The text is also put on one line and made visible: line breaks and tabs
// become spaces, runs of spaces become one, blanks at either end are
// removed, and Escape drops characters that could disguise it:
// directional formatting (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069), zero-width and invisible characters (U+00AD, U+180E,
// U+200B–U+200D, U+2060–U+2064, U+FEFF, U+FFF9–U+FFFB, tag characters
// U+E0000–U+E007F), other C0 and C1 control characters, and
// noncharacters. Invalid UTF-8 becomes U+FFFD.
func Escape(s string) string {
	return encodeWikitext(cleanText(s))
}

// EscapeURL writes a URL for an external link ([URL label]): it
// percent-encodes what wikitext would still act on inside one. An
// apostrophe pair starts italics; "~~~" is a signature, expanded when the
// page is saved (the saver's, linking their user and talk pages, or
// "~~~~~" a date that breaks the URL); "__" starts a behaviour switch such
// as __NOTOC__, which applies to the whole page. URLs read "%7E" as "~"
// and "%5F" as "_"; a lone "~" or "_" stays as written. The URL must
// already be a valid http(s) URL without spaces or brackets.
var EscapeURL = strings.NewReplacer("'", "%27", "~~", "%7E%7E", "__", "%5F%5F").Replace

// cleanText puts s on one line and removes invisible and control
// characters (see Escape).
func cleanText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for k := 0; k < len(s); {
		r, size := utf8.DecodeRuneInString(s[k:])
		k += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r' && k < len(s) && s[k] == '\n':
			// "\r\n" is one line break.
		case r == ' ', r == '\n', r == '\r', r == '\t', r == '\v', r == '\f',
			r == '\u0085', r == '\u2028', r == '\u2029':
			// Browsers show a run of blanks as one space anyway.
			if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
				b.WriteByte(' ')
			}
		case invisible(r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// invisible reports the characters Escape removes: controls, directional
// formatting, zero-width and other invisible characters, noncharacters.
func invisible(r rune) bool {
	switch {
	case r < 0x20, 0x7F <= r && r <= 0x9F: // C0, DEL, C1
		return true
	case r == '\u00AD', r == '\u061C', r == '\u180E':
		return true
	case 0x200B <= r && r <= 0x200F: // zero-width space, joiners, LRM, RLM
		return true
	case 0x202A <= r && r <= 0x202E: // embeddings and overrides
		return true
	case 0x2060 <= r && r <= 0x2064: // word joiner, invisible operators
		return true
	case 0x2066 <= r && r <= 0x2069: // isolates
		return true
	case r == '\uFEFF', 0xFFF9 <= r && r <= 0xFFFB:
		return true
	case 0xE0000 <= r && r <= 0xE007F: // tag characters
		return true
	case 0xFDD0 <= r && r <= 0xFDEF, r&0xFFFE == 0xFFFE: // noncharacters
		return true
	}
	return false
}

// markup reports the characters that are wikitext syntax somewhere in the
// contexts Escape serves, and "&", which starts character references.
func markup(c byte) bool {
	switch c {
	case '{', '}', '[', ']', '|', '!', '<', '>', '=', '~', '_', '\'', '*', '#', ':', ';', '&':
		return true
	}
	return false
}

// encodeWikitext replaces markup characters by numeric character
// references. "-" and "+" are only syntax at the start (a rule "----", a
// table row "|-" or caption "|+" when a cell starts with them), so only a
// leading one is encoded; the others cannot combine with anything
// dangerous once "{", "}" and "|" are encoded.
func encodeWikitext(s string) string {
	return encodeWhere(s, len(s)/4, func(k int) bool {
		c := s[k]
		return markup(c) || (k == 0 && (c == '-' || c == '+'))
	})
}

// encodeWhere replaces the bytes of s at which encode holds by numeric
// character references (only ASCII bytes are asked about: a multi-byte
// character's bytes never are syntax). extra is a guess of the growth.
func encodeWhere(s string, extra int, encode func(k int) bool) string {
	var b strings.Builder
	b.Grow(len(s) + extra)
	for k := 0; k < len(s); k++ {
		c := s[k]
		if c < utf8.RuneSelf && encode(k) {
			b.WriteString("&#")
			b.WriteString(strconv.Itoa(int(c)))
			b.WriteByte(';')
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
