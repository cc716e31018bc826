package wikitext

import (
	"io"
	"unicode/utf8"
)

// WriteTemplatesJSON writes the templates of text as a JSON array, one
// element per line:
//
//	[
//	{"name":"Foo","params":{"1":"a","key":"value"}},
//	...
//	]
//
// params is Template.Map, with its keys in the order they first appear in
// the call. Invalid UTF-8 becomes U+FFFD, so the output is always valid
// JSON.
func WriteTemplatesJSON(w io.Writer, text string) error {
	templates := Templates(text)
	buf := make([]byte, 0, 64+len(text)+len(text)/4)
	buf = append(buf, '[')
	for k, t := range templates {
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n{\"name\":"...)
		buf = appendJSONString(buf, t.Name)
		buf = append(buf, ",\"params\":{"...)
		m := t.Map()
		first := true
		for _, p := range t.Params {
			name, _ := p.resolved()
			value, ok := m[name]
			if !ok {
				continue // written already
			}
			delete(m, name)
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = appendJSONString(buf, name)
			buf = append(buf, ':')
			buf = appendJSONString(buf, value)
		}
		buf = append(buf, "}}"...)
	}
	if len(templates) > 0 {
		buf = append(buf, '\n')
	}
	buf = append(buf, "]\n"...)
	_, err := w.Write(buf)
	return err
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Unlike encoding/json it
// leaves <, > and & alone, which keeps wikitext readable.
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for k := 0; k < len(s); {
		c := s[k]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				k++
				continue
			}
			buf = append(buf, s[start:k]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			k++
			start = k
			continue
		}
		r, size := utf8.DecodeRuneInString(s[k:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:k]...)
			buf = append(buf, `\ufffd`...)
			k += size
			start = k
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			// Valid JSON, but not valid JavaScript before ES2019.
			buf = append(buf, s[start:k]...)
			buf = append(buf, `\u202`...)
			buf = append(buf, hexDigits[r&0xF])
			k += size
			start = k
			continue
		}
		k += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
