package wikitext

import (
	"regexp"
	"strings"
	"time"
)

// Reply is a signed comment found under a message.
type Reply struct {
	User string    // the signer, normalised with NormalizeUser
	Time time.Time // the signature's timestamp, UTC
	// Text is what the comment says: the text since the previous
	// signature (or the marker) up to this one's timestamp, with what
	// MediaWiki does not render (comments, <nowiki>, ...) blanked.
	Text string
}

// RepliesAfter returns the signed comments that follow marker in text, up
// to the end of the section that contains it (the next level-1 or level-2
// heading line: "== x ==" ends it, "=== x ===" does not, since people
// structure long replies with subheadings), in order. It returns nil if the
// marker is not in text, and an empty, non-nil slice if it is there without
// replies.
//
// A signature is what "~~~~" expands to: a link that names a user (to their
// user page, user talk page or Special:Contributions/NAME, read by the
// rule of UserLinks), then, later on the same line, a timestamp in
// MediaWiki's default format ("08:30, 29 November 2026 (UTC)"). The
// signer is the last such link before the timestamp, since people ping
// others earlier in the line; a link without a timestamp is a mention,
// and a link to a user subpage is neither. Signatures in what MediaWiki
// does not render (comments, <nowiki>, <pre>, <includeonly>: see
// UserLinks) are not signatures.
// The message's own signature precedes the marker, so it is not a reply;
// callers that want only other people's replies still drop the bot's name.
func RepliesAfter(text, marker string) []Reply {
	at := strings.Index(text, marker)
	if marker == "" || at < 0 {
		return nil
	}
	// hide keeps offsets, so the marker (itself a comment) is found in
	// text and the rest is read from the hidden copy.
	rest := hide(text)[at+len(marker):]
	replies := []Reply{}
	var pending strings.Builder // the text since the last signature
	for n, line := range strings.Split(rest, "\n") {
		// The marker's own line starts mid-line: it cannot be a heading.
		if level := headingLevel(line); n > 0 && level >= 1 && level <= 2 {
			break
		}
		if n > 0 {
			pending.WriteByte('\n')
		}
		from := 0
		for _, r := range signatures(line) {
			pending.WriteString(line[from:r.at])
			r.Text = strings.TrimSpace(pending.String())
			pending.Reset()
			from = r.end
			replies = append(replies, r.Reply)
		}
		pending.WriteString(line[from:])
	}
	return replies
}

// signature is a Reply with where its timestamp is on its line.
type signature struct {
	Reply
	at, end int
}

// stamp matches a signature's timestamp, "H:i, j F Y (T)"; the wiki's
// local time zone is UTC, as on Wikimedia's English-language wikis.
var stamp = regexp.MustCompile(`\b(\d{2}:\d{2}, \d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}) \(UTC\)`)

const stampLayout = "15:04, 2 January 2006"

// signatures returns the signatures on one line: each timestamp signed by
// the last user link between it and the previous timestamp.
func signatures(line string) []signature {
	var out []signature
	links := userLinks(line)
	from := 0
	for _, ts := range stamp.FindAllStringSubmatchIndex(line, -1) {
		signer := ""
		for _, l := range links {
			if l.start >= from && l.end <= ts[0] {
				signer = l.user
			}
		}
		from = ts[1]
		t, err := time.Parse(stampLayout, line[ts[2]:ts[3]])
		if signer == "" || err != nil {
			continue
		}
		out = append(out, signature{Reply: Reply{User: signer, Time: t}, at: ts[0], end: ts[1]})
	}
	return out
}

// headingLevel returns the level of a heading line ("== x ==" is 2), or 0
// for other lines. As in MediaWiki, unbalanced "="s count from the shorter
// side, and a line of "="s only is a heading of "="s.
func headingLevel(line string) int {
	line = strings.TrimRight(line, " \t\r")
	lead := len(line) - len(strings.TrimLeft(line, "="))
	trail := len(line) - len(strings.TrimRight(line, "="))
	if lead == len(line) {
		return min((lead-1)/2, 6)
	}
	return min(lead, trail, 6)
}
