package wikitext

import (
	"regexp"
	"strings"
)

// This file holds the one rule by which the bot reads which user a link
// names, and the one reading of which text counts: the signatures under a
// message (RepliesAfter) and the project's opt-out list (UserLinks) both
// go through it.

// verbatimTags are the extension tags whose content MediaWiki does not
// render as wikitext (it shows it as code, as a formula, or not at all),
// those of core and of Meta-Wiki's extensions: a link written inside one
// is no link. The other extension tags (<ref>, <poem>, <gallery>'s
// captions, <indicator>) render their content as wikitext, so they are
// not listed here, and their content is read like the rest of the page.
var verbatimTags = []string{
	"nowiki", "pre", "syntaxhighlight", "source", "math", "chem", "ce", "score", "hiero",
	"timeline", "graph", "mapframe", "maplink", "templatedata", "templatestyles",
}

// linkReader parses a page to find what MediaWiki renders: comments,
// <includeonly> sections and verbatim elements are nodes of their own in
// its tree, where its preprocessor sees them.
var linkReader = NewPreprocessor(verbatimTags)

// userLink matches a link to a user page, a user talk page or
// Special:Contributions/NAME (the links "~~~~" may expand to), with any
// label; group 1 is the title after the namespace, with any fragment.
// Namespaces are matched in any case, with spaces or underscores, after
// an optional leading colon ("[[:User:X]]" links too). Only the canonical
// English names count: Meta-Wiki's content language is English, where
// they are the only names of these namespaces.
var userLink = regexp.MustCompile(`(?i)\[\[[ _]*:?[ _]*(?:user(?:[ _]+talk)?[ _]*:|special[ _]*:[ _]*contrib(?:ution)?s[ _]*/)[ _]*([^\[\]|{}<>\n]*)(?:\|[^\[\]\n]*)?\]\]`)

// UserLinks returns the users the links of text name, each once, in the
// order of their first link. A link names a user when it points to their
// user page, their user talk page or their contributions, in any spelling
// MediaWiki accepts ("[[user:alice_smith|Alice]]", "[[:User:Alice
// smith]]", "[[User talk:Alice smith#top]]"); a link to a subpage
// ("[[User:Alice/sandbox]]") names a page, not its owner. Links MediaWiki
// does not render do not count: in comments, in <includeonly> sections,
// in <nowiki>, <pre>, <syntaxhighlight> and the other verbatim tags
// (verbatimTags). Links in template arguments count, since templates
// usually show their arguments. Names are normalised (NormalizeUser).
func UserLinks(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range userLinks(hide(text)) {
		if !seen[l.user] {
			seen[l.user] = true
			out = append(out, l.user)
		}
	}
	return out
}

// A linkToUser is a link that names a user, at text[start:end].
type linkToUser struct {
	start, end int
	user       string
}

// userLinks returns the links of text, already hidden, that name a user.
func userLinks(text string) []linkToUser {
	var out []linkToUser
	for _, m := range userLink.FindAllStringSubmatchIndex(text, -1) {
		if user := linkedUser(text[m[2]:m[3]]); user != "" {
			out = append(out, linkToUser{m[0], m[1], user})
		}
	}
	return out
}

// linkedUser returns the user a link's title (after the namespace) names,
// or "" for a subpage or a title that names nobody.
func linkedUser(title string) string {
	title, _, _ = strings.Cut(title, "#")
	if strings.Contains(title, "/") {
		return ""
	}
	return NormalizeUser(title)
}

// hide blanks out what MediaWiki does not render as wikitext (comments,
// <includeonly> sections and <noinclude> and <onlyinclude> tags, verbatim
// elements), keeping every offset and line break, so that neither links,
// signatures nor headings are seen in it.
func hide(text string) string {
	var b []byte
	Walk(linkReader.Parse(text).Root, func(n *Node) bool {
		switch n.Kind {
		case NodeComment, NodeIgnore, NodeExt:
			if b == nil {
				b = []byte(text)
			}
			for i := n.Start; i < n.End; i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
			return false
		}
		return true
	})
	if b == nil {
		return text
	}
	return string(b)
}
