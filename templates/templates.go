// Package templates holds what the bot writes: the generated pages'
// templates (pages/*.tmpl, Go text/template producing wikitext) and the
// sources of the on-wiki templates participants use (wiki/*.wikitext, with
// their TemplateData), which the working group copies to the wiki once
// (make demo installs them on the local wiki).
//
// Everything a participant wrote goes through the esc function (or a
// function built on it) before it reaches a generated page, so nothing
// they type can open a template, a table, a link or a category there.
package templates

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

//go:embed pages/*.tmpl
var pageFS embed.FS

//go:embed wiki/*.wikitext
var wikiFS embed.FS

// OnWiki maps each on-wiki template's page title to its source file.
var OnWiki = map[string]string{
	"Template:Let's Connect registration":   "wiki/registration.wikitext",
	"Template:Let's Connect proposal":       "wiki/proposal.wikitext",
	"Template:Let's Connect connection":     "wiki/connection.wikitext",
	"Template:Let's Connect invitations":    "wiki/invitations.wikitext",
	"Template:Let's Connect event":          "wiki/event.wikitext",
	"Template:Let's Connect resource":       "wiki/resource.wikitext",
	"Template:Let's Connect request":        "wiki/request.wikitext",
	"Template:Let's Connect answer":         "wiki/answer.wikitext",
	"Template:Let's Connect skill":          "wiki/skill.wikitext",
	"Template:Let's Connect skill category": "wiki/skill-category.wikitext",
	"Template:Let's Connect badge":          "wiki/badge.wikitext",
	"Template:Let's Connect userbox":        "wiki/userbox.wikitext",
}

// Source returns an on-wiki template's source by page title.
func Source(title string) (string, error) {
	file, ok := OnWiki[title]
	if !ok {
		return "", fmt.Errorf("templates: no source for %q", title)
	}
	b, err := wikiFS.ReadFile(file)
	return string(b), err
}

// UserLink links a user page; the label is escaped, the link target is a
// title MediaWiki already validated (it came from a page title or a user
// name the bot checked).
func UserLink(name string) string {
	return "[[User:" + wikitext.Escape(name) + "|" + wikitext.Escape(name) + "]]"
}

var pages = template.Must(template.New("").Funcs(Funcs).ParseFS(pageFS, "pages/*.tmpl"))

// Funcs are available in every page template.
var Funcs = template.FuncMap{
	// esc makes a participant's text inert wikitext.
	"esc": wikitext.Escape,
	// user links a user page; the label is escaped, the link target is a
	// title MediaWiki already validated (it came from a page title).
	"user": UserLink,
	// link links a page the bot knows (a registration page, a generated page).
	"link": func(title, label string) string {
		return "[[" + wikitext.Escape(title) + "|" + wikitext.Escape(label) + "]]"
	},
	"barchart": BarChart,
	// join joins texts already safe for the page.
	"join": strings.Join,
	// plural picks the English form for a count: {{plural .N "page" "pages"}}.
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

// Render executes the page template name (e.g. "directory.wiki.tmpl").
func Render(name string, data any) (string, error) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("templates: %s: %w", name, err)
	}
	return buf.String(), nil
}

//go:embed wiki/review.js wiki/review-i18n/*.json
var scriptFS embed.FS

// ReviewScriptFile is the review script's name: its source in wiki/, and
// the subpage it is installed as (docs/matching.md, "The review script").
const ReviewScriptFile = "review.js"

// messagesLine is the review script's line that the installed file fills
// with its texts.
const messagesLine = "var MESSAGES = {}; // @messages"

// ReviewScript returns the review script as it is installed on the wiki:
// wiki/review.js with its texts (wiki/review-i18n/*.json, every language
// but qqq) filled in, so that it needs no other page. The same sources
// give the same bytes.
func ReviewScript() (string, error) {
	src, err := scriptFS.ReadFile("wiki/" + ReviewScriptFile)
	if err != nil {
		return "", err
	}
	messages, err := ReviewMessages()
	if err != nil {
		return "", err
	}
	delete(messages, "qqq")
	js, err := json.Marshal(messages) // map keys sorted; <, > and & as \u escapes
	if err != nil {
		return "", err
	}
	if !bytes.Contains(src, []byte(messagesLine)) {
		return "", fmt.Errorf("templates: %s has no line %q", ReviewScriptFile, messagesLine)
	}
	return strings.Replace(string(src), messagesLine, "var MESSAGES = "+string(js)+";", 1), nil
}

// ReviewMessages returns the review script's texts: language code (and
// "qqq", their documentation) → key → text.
func ReviewMessages() (map[string]map[string]string, error) {
	files, err := fs.Glob(scriptFS, "wiki/review-i18n/*.json")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, f := range files {
		data, err := scriptFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("templates: %s: %w", f, err)
		}
		msgs := map[string]string{}
		for k, v := range raw {
			if k == "@metadata" {
				continue
			}
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("templates: %s: %s is not a string", f, k)
			}
			msgs[k] = s
		}
		out[strings.TrimSuffix(path.Base(f), ".json")] = msgs
	}
	return out, nil
}
