package program

import (
	"regexp"
	"slices"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// MessageMarker is the hidden key a message carries: the bot looks for it
// on the live talk page before posting, so a message is posted once
// whatever happened to the run that sent it.
func MessageMarker(key string) string { return "<!-- letsconnect-message: " + key + " -->" }

var markerRE = regexp.MustCompile(`<!-- letsconnect-message: (.*?) -->`)

// MarkersOn returns the message keys on a talk page.
func MarkersOn(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range markerRE.FindAllStringSubmatch(text, -1) {
		out[m[1]] = true
	}
	return out
}

// OptedOut lists the users the opt-out page names: every user a link on
// it names, by the rule signatures are read with (wikitext.UserLinks;
// docs/lifecycle.md): a link in a comment, <nowiki> or <pre> is not there
// for a reader, so it does not count.
func OptedOut(text string) map[string]bool {
	out := map[string]bool{}
	for _, user := range wikitext.UserLinks(text) {
		out[user] = true
	}
	return out
}

// OptOutKind is the message kind for {{bots|optout=...}}.
const OptOutKind = "letsconnect"

// Message is one talk-page message, written: its section's heading, its
// text and the language it is in.
type Message struct {
	Heading, Text, Language string
}

// SignOff ends every message: how to opt out, where it was delivered when
// the talk page redirects, the bot's signature and the message's key.
func SignOff(msg func(key string, args ...string) string, registration string, t TalkPage, user, key string) string {
	last := msg("letsconnect-connection-optout", registration)
	if t.RedirectedFrom != "" {
		// t.Title is a title MediaWiki resolved: it cannot hold link syntax.
		last += " " + msg("letsconnect-redirected", "[["+t.Title+"]]", wikitext.Escape(user))
	}
	return last + " ~~~~ " + MessageMarker(key)
}

// ReaderLanguage is the first of the user's registration's languages cat
// has messages in, else English.
func ReaderLanguage(st *State, cat *i18n.Catalog, user string) string {
	if r := st.Registration(user); r != nil {
		for _, lang := range r.Languages {
			if slices.Contains(cat.Languages(), lang.Code) {
				return lang.Code
			}
		}
	}
	return i18n.Fallback
}
