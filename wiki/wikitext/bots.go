package wikitext

import (
	"fmt"
	"strings"
)

// BotsExcluded applies the bot exclusion standard ({{bots}} and {{nobots}},
// Template:Bots/doc on Meta-Wiki) to a page's text: it reports whether
// the bot named bot must leave the page alone, and why, in words an
// operator's log can show. optout is the kind of message the bot would
// post ("" for an edit that is not a message): {{bots|optout=all}} and
// {{bots|optout=KIND}} refuse messages of that kind.
//
// Unlike the regular expressions many bots copy, it reads the templates
// as MediaWiki does (so a {{nobots}} in a comment or <nowiki> does not
// count, and {{ nobots }} does), compares user names as MediaWiki does
// (case of the first letter, "_" for " "), never matches a name inside a
// longer one (deny=LetsConnectBot2 does not deny LetsConnectBot), and
// when templates disagree, refusing wins.
func BotsExcluded(text, bot, optout string) (bool, string) {
	bot = NormalizeUser(bot)
	for _, t := range Templates(text) {
		switch t.Name {
		case "Nobots":
			if len(t.Params) == 0 {
				return true, "the page has {{nobots}}"
			}
			for _, p := range t.Params {
				if !p.Positional {
					return true, fmt.Sprintf("the page has {{nobots|%s=...}}", strings.TrimSpace(p.Name))
				}
				if names := nameList(p.Value); names["all"] || names[bot] {
					return true, fmt.Sprintf("the page has {{nobots|%s}}", strings.TrimSpace(p.Value))
				}
			}
		case "Bots":
			for _, p := range t.Params {
				key := strings.ToLower(strings.TrimSpace(p.Name))
				names := nameList(p.Value)
				value := strings.TrimSpace(p.Value)
				switch key {
				case "allow":
					if !names["all"] && !names[bot] {
						return true, fmt.Sprintf("the page has {{bots|allow=%s}}, which does not name %s", value, bot)
					}
				case "deny":
					if names["all"] || names[bot] {
						return true, fmt.Sprintf("the page has {{bots|deny=%s}}", value)
					}
				case "optout":
					if optout != "" && (names["all"] || names[strings.ToLower(optout)] || names[NormalizeUser(optout)]) {
						return true, fmt.Sprintf("the page has {{bots|optout=%s}}", value)
					}
				}
			}
		}
	}
	return false, ""
}

// nameList reads a comma-separated list of bot names or keywords. Names
// are normalised as user names; "all", "none" and message kinds are also
// kept in lower case.
func nameList(s string) map[string]bool {
	out := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		out[strings.ToLower(item)] = true
		out[NormalizeUser(item)] = true
	}
	return out
}
