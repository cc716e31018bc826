package wikitext

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file says, without asking the wiki, whether a value people wrote
// can be a page title or a user name: the bot turns such values into
// links on generated pages, and a value MediaWiki would refuse renders as
// broken markup ("[[:~~~~|slides]]" shown as text) instead of a link.
// The rules are MediaWikiTitleCodec::splitTitleString's and
// UserNameUtils::isValid's (MediaWiki 1.39) that do not depend on a
// wiki's configuration.

// MaxTitleBytes is MediaWiki's limit on a title's length, in bytes of
// UTF-8, without its namespace.
const MaxTitleBytes = 255

// titleInvalidRE is MediaWiki's getTitleInvalidRegex: characters outside
// $wgLegalTitleChars, percent-encoded bytes (a title could not be linked
// consistently) and character references (they would decode to something
// else).
var titleInvalidRE = regexp.MustCompile(`[\x00-\x1f\x7f#<>\[\]{|}]|%[0-9A-Fa-f]{2}|&[A-Za-z0-9\x{80}-\x{10FFFF}]+;|&#[0-9]+;|&#x[0-9A-Fa-f]+;`)

// titleSpaceRE is what MediaWiki reads as a space in a title.
var titleSpaceRE = regexp.MustCompile(`[ _\x{a0}\x{1680}\x{180e}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+`)

// titleBidiRE are the directional marks MediaWiki strips from titles.
var titleBidiRE = regexp.MustCompile(`[\x{200e}\x{200f}\x{202a}-\x{202e}]+`)

// canonicalNamespaces are MediaWiki's namespace names (and common
// aliases) in lower case, every wiki's: a link to one of them with
// nothing after the colon is refused.
var canonicalNamespaces = map[string]bool{
	"media": true, "special": true, "talk": true, "user": true, "user talk": true,
	"project": true, "project talk": true, "file": true, "file talk": true, "image": true, "image talk": true,
	"mediawiki": true, "mediawiki talk": true, "template": true, "template talk": true,
	"help": true, "help talk": true, "category": true, "category talk": true,
	"module": true, "module talk": true, "meta": true, "meta talk": true,
}

// ErrNoPage is CheckTitle's error for a value that names no page: empty,
// blank, or only a "#section".
var ErrNoPage = errors.New("it names no page")

// CheckTitle reports whether s is a title MediaWiki would accept in a
// link, and returns it cleaned (spaces for underscores, blanks collapsed
// and trimmed, a leading colon dropped). A "#section" is allowed only
// when allowFragment is set; the title before it must not be empty. s is
// the title itself: character references in it are not decoded (the bot
// writes "&" as "&#38;", so MediaWiki reads s as it is).
// The error says in plain words what is wrong, for a participant.
func CheckTitle(s string, allowFragment bool) (string, error) {
	if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		return "", fmt.Errorf("it holds bytes that are not text (invalid UTF-8)")
	}
	text := titleBidiRE.ReplaceAllString(s, "")
	text = strings.Trim(titleSpaceRE.ReplaceAllString(text, " "), " ")
	text = strings.TrimLeft(strings.TrimPrefix(text, ":"), " ")
	title, fragment, hasFragment := strings.Cut(text, "#")
	title = strings.TrimRight(title, " ")
	switch {
	case hasFragment && !allowFragment:
		return "", fmt.Errorf("a page title cannot hold %q", "#")
	case title == "":
		return "", ErrNoPage
	case strings.HasPrefix(title, ":"):
		return "", fmt.Errorf("a page title cannot start with two colons")
	}
	if bad := titleInvalidRE.FindString(title); bad != "" {
		switch {
		case strings.HasPrefix(bad, "%"):
			return "", fmt.Errorf("a page title cannot hold %q (a percent-encoded character: write the character itself)", bad)
		case strings.HasPrefix(bad, "&"):
			return "", fmt.Errorf("a page title cannot hold %q (a character reference: write the character itself)", bad)
		case bad[0] < 0x20 || bad[0] == 0x7f:
			return "", fmt.Errorf("a page title cannot hold control characters")
		default:
			return "", fmt.Errorf("a page title cannot hold %q", bad)
		}
	}
	// The other rules apply to the title without its namespace.
	name := title
	if prefix, rest, ok := strings.Cut(title, ":"); ok && canonicalNamespaces[strings.ToLower(strings.TrimSpace(prefix))] {
		ns := strings.ToLower(strings.TrimSpace(prefix))
		name = strings.TrimSpace(rest)
		if name == "" {
			return "", fmt.Errorf("it names a namespace (%s:) and no page in it", strings.TrimSpace(prefix))
		}
		if strings.HasPrefix(name, ":") {
			return "", fmt.Errorf("a page title cannot start with a colon after its namespace")
		}
		// "Talk:File:x" would be the talk page of a page that is not one.
		if inner, _, ok := strings.Cut(name, ":"); ok && ns == "talk" && canonicalNamespaces[strings.ToLower(strings.TrimSpace(inner))] {
			return "", fmt.Errorf("a talk page title cannot name another namespace (%s:)", strings.TrimSpace(inner))
		}
	}
	if strings.Contains(name, "~~~") {
		return "", fmt.Errorf("a page title cannot hold %q (a signature)", "~~~")
	}
	if name == "." || name == ".." || strings.HasPrefix(name, "./") || strings.HasPrefix(name, "../") ||
		strings.Contains(name, "/./") || strings.Contains(name, "/../") ||
		strings.HasSuffix(name, "/.") || strings.HasSuffix(name, "/..") {
		return "", fmt.Errorf("a page title cannot be a relative path (%q or %q)", "./", "../")
	}
	if len(name) > MaxTitleBytes {
		return "", fmt.Errorf("a page title has at most %d bytes; this one has %d", MaxTitleBytes, len(name))
	}
	if hasFragment {
		return title + "#" + strings.TrimSpace(fragment), nil
	}
	return title, nil
}

// userNameInvalidRE are the characters UserNameUtils::isValid refuses
// beyond a title's, once blanks are normalised: C1 controls, zero-width
// characters and directional marks, private use.
var userNameInvalidRE = regexp.MustCompile(`[\x{80}-\x{9f}\x{a0}\x{2000}-\x{200f}\x{2028}-\x{202f}\x{3000}\x{e000}-\x{f8ff}]`)

// CheckUserName reports whether s can be a user name, and returns it
// normalised (NormalizeUser). A user name is a title without a
// namespace, a subpage or a section: "/", "#" and ":" would make a link
// to it point somewhere else.
func CheckUserName(s string) (string, error) {
	name := NormalizeUser(s) // blanks of every kind become one space
	if name == "" {
		return "", fmt.Errorf("it names nobody")
	}
	if userNameInvalidRE.MatchString(name) {
		return "", fmt.Errorf("a user name cannot hold invisible characters or control characters")
	}
	if strings.ContainsAny(name, "/#:") {
		return "", fmt.Errorf("a user name cannot hold %q, %q or %q", "/", "#", ":")
	}
	if _, err := CheckTitle(name, false); err != nil {
		return "", err
	}
	return name, nil
}

// NormalizeUser writes a user name as MediaWiki stores it: "_" as " ",
// runs of spaces as one, the first letter in upper case.
func NormalizeUser(name string) string {
	name = strings.Join(strings.Fields(strings.ReplaceAll(name, "_", " ")), " ")
	if name == "" {
		return ""
	}
	r := []rune(name)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
