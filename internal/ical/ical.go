// Package ical writes the bot's subscribable calendar of Let's Connect
// events: an RFC 5545 iCalendar stream (text/calendar) that calendar
// applications poll, one VEVENT per event, with stable UIDs and SEQUENCE
// numbers so that changed and cancelled events update in place.
//
// It is our own writer rather than a library because what we need is tiny
// (one VCALENDAR of UTC VEVENTs with a dozen properties) and the bot then
// has no iCalendar dependency at run time. The rules that matter are
// implemented here and checked by the tests, which read every output back
// with an independent parser (github.com/emersion/go-ical, a test-only
// dependency) and inspect the raw bytes:
//
//   - lines end with CRLF (§3.1);
//   - content lines are folded at 75 octets with CRLF and one space, never
//     inside a UTF-8 sequence (§3.1);
//   - TEXT values escape backslash, semicolon, comma and newlines (LF or
//     CRLF become \n), and lose the other control characters but tab
//     (§3.3.11); invalid UTF-8 becomes U+FFFD;
//   - parameter values are quoted when they contain ':', ';' or ',', and
//     lose double quotes and control characters, which they cannot hold
//     (§3.1, §3.2);
//   - date-times are UTC with a Z suffix, e.g. 20261203T140000Z, to the
//     second (§3.3.5).
//
// The output is deterministic: the same Calendar gives the same bytes.
//
// A calendar without events is written as a VCALENDAR with its properties
// only. RFC 5545's grammar asks for at least one component, but an empty
// feed is what a filter that keeps nothing must publish, and calendar
// applications (and the test parser) accept it.
package ical

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT.
type Event struct {
	UID          string    // stable, e.g. "abc123@letsconnect.toolforge.org"
	Sequence     int       // SEQUENCE, bumped by the caller when the event changes
	Start, End   time.Time // written as UTC date-times with Z (DTSTART/DTEND)
	Stamp        time.Time // DTSTAMP (UTC)
	LastModified time.Time // LAST-MODIFIED; omitted when zero
	Summary      string
	Description  string   // may contain newlines
	Location     string   // omitted when ""
	URL          string   // URL property, omitted when ""
	Categories   []string // CATEGORIES, comma-separated, each value escaped; omitted when empty
	Status       string   // "CONFIRMED", "TENTATIVE" or "CANCELLED"; omitted when ""
	Language     string   // when set, LANGUAGE=xx parameter on SUMMARY and DESCRIPTION
}

// Calendar is one VCALENDAR.
type Calendar struct {
	ProdID      string // PRODID, e.g. "-//Wikimedia Let's Connect//letsconnect//EN"
	Name        string // X-WR-CALNAME and NAME (RFC 7986), omitted when ""
	Description string // X-WR-CALDESC, omitted when ""
	Events      []Event
}

// maxLine is the longest content line, in octets without the CRLF (§3.1).
const maxLine = 75

// dateTimeUTC is the FORM #2 (UTC) DATE-TIME layout of §3.3.5.
const dateTimeUTC = "20060102T150405Z"

// Write writes the calendar: VERSION:2.0, PRODID, CALSCALE:GREGORIAN,
// METHOD:PUBLISH, the names, then the events in the given order.
//
// Times are converted to UTC and truncated to the second. Write checks the
// calendar first and writes nothing if it would be invalid: an empty
// PRODID, or an event without UID, Start or Stamp, with End not after
// Start (§3.8.2.2), a negative Sequence or an unknown Status. The whole
// calendar is written with one call to w.Write.
func (c *Calendar) Write(w io.Writer) error {
	if err := c.check(); err != nil {
		return err
	}
	var b bytes.Buffer
	line(&b, "BEGIN", "", "VCALENDAR")
	line(&b, "VERSION", "", "2.0")
	line(&b, "PRODID", "", text(c.ProdID))
	line(&b, "CALSCALE", "", "GREGORIAN")
	line(&b, "METHOD", "", "PUBLISH")
	if c.Name != "" {
		line(&b, "NAME", "", text(c.Name))
		line(&b, "X-WR-CALNAME", "", text(c.Name))
	}
	if c.Description != "" {
		line(&b, "X-WR-CALDESC", "", text(c.Description))
	}
	for i := range c.Events {
		c.Events[i].write(&b)
	}
	line(&b, "END", "", "VCALENDAR")
	_, err := w.Write(b.Bytes())
	return err
}

// check reports the first reason the calendar cannot be written.
func (c *Calendar) check() error {
	if c.ProdID == "" {
		return fmt.Errorf("ical: calendar has no PRODID")
	}
	for i := range c.Events {
		e := &c.Events[i]
		fail := func(format string, args ...any) error {
			return fmt.Errorf("ical: event %d (UID %q): %s", i, e.UID, fmt.Sprintf(format, args...))
		}
		switch {
		case e.UID == "":
			return fail("no UID")
		case e.Start.IsZero():
			return fail("no start")
		case e.Stamp.IsZero():
			return fail("no DTSTAMP")
		case !e.End.Truncate(time.Second).After(e.Start.Truncate(time.Second)):
			return fail("end %s is not after start %s", e.End.UTC().Format(dateTimeUTC), e.Start.UTC().Format(dateTimeUTC))
		case e.Sequence < 0:
			return fail("negative SEQUENCE %d", e.Sequence)
		}
		switch e.Status {
		case "", "CONFIRMED", "TENTATIVE", "CANCELLED":
		default:
			return fail("unknown STATUS %q", e.Status)
		}
	}
	return nil
}

// write writes the VEVENT; the event has passed check.
func (e *Event) write(b *bytes.Buffer) {
	lang := ""
	if e.Language != "" {
		lang = ";LANGUAGE=" + param(e.Language)
	}
	line(b, "BEGIN", "", "VEVENT")
	line(b, "UID", "", text(e.UID))
	line(b, "DTSTAMP", "", utc(e.Stamp))
	line(b, "DTSTART", "", utc(e.Start))
	line(b, "DTEND", "", utc(e.End))
	line(b, "SEQUENCE", "", strconv.Itoa(e.Sequence))
	if !e.LastModified.IsZero() {
		line(b, "LAST-MODIFIED", "", utc(e.LastModified))
	}
	if e.Status != "" {
		line(b, "STATUS", "", e.Status)
	}
	line(b, "SUMMARY", lang, text(e.Summary))
	line(b, "DESCRIPTION", lang, text(e.Description))
	if e.Location != "" {
		line(b, "LOCATION", "", text(e.Location))
	}
	if e.URL != "" {
		line(b, "URL", "", uri(e.URL))
	}
	var cats []string
	for _, c := range e.Categories {
		if t := text(c); t != "" {
			cats = append(cats, t)
		}
	}
	if len(cats) > 0 {
		line(b, "CATEGORIES", "", strings.Join(cats, ","))
	}
	line(b, "END", "", "VEVENT")
}

// line writes the content line name+params+":"+value, folded (§3.1): at
// most 75 octets a line, continued after CRLF and one space, cut only
// before the first byte of a UTF-8 sequence. The parts are valid UTF-8.
func line(b *bytes.Buffer, name, params, value string) {
	l := name + params + ":" + value
	limit := maxLine
	for len(l) > limit {
		cut := limit
		for !utf8.RuneStart(l[cut]) {
			cut--
		}
		b.WriteString(l[:cut])
		b.WriteString("\r\n ")
		l = l[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	b.WriteString(l)
	b.WriteString("\r\n")
}

// utc formats t as a UTC DATE-TIME.
func utc(t time.Time) string { return t.UTC().Format(dateTimeUTC) }

// control reports whether c is a CONTROL character of §3.1: US-ASCII
// controls but tab, and DEL.
func control(c byte) bool { return (c < 0x20 && c != '\t') || c == 0x7f }

// text escapes s as a TEXT value (§3.3.11): backslash, semicolon and
// comma get a backslash, LF and CRLF become \n, other control characters
// but tab are removed and invalid UTF-8 becomes U+FFFD.
func text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == ';' || c == ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			b.WriteString(`\n`)
			i++
		case control(c):
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// uri makes s safe as a URI value: no control characters, valid UTF-8.
// URIs are not escaped (§3.3.13).
func uri(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && control(byte(r)) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// param formats s as a parameter value (§3.2): double quotes and control
// characters, which no parameter value can hold, are removed, and the
// value is quoted when it contains ':', ';' or ','.
func param(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || (r < utf8.RuneSelf && control(byte(r))) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if strings.ContainsAny(s, ":;,") {
		return `"` + s + `"`
	}
	return s
}
