package wiki

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Namespace numbers the bot cares about.
const (
	NamespaceMain     = 0
	NamespaceUser     = 2
	NamespaceUserTalk = 3
	NamespaceTemplate = 10
	NamespaceCategory = 14
)

// SiteInfo is what the client needs to know of a wiki to handle titles.
type SiteInfo struct {
	SiteName  string
	Generator string // "MediaWiki 1.39.17"
	MainPage  string // the main page's title, e.g. "Main Page"
	// Extensions are the names of the extensions the wiki runs
	// ("CentralAuth" on Wikimedia's wikis).
	Extensions []string
	namespaces map[int]namespace
	byName     map[string]int // lower-cased names, canonical names and aliases
	languages  map[string]string
}

type namespace struct {
	ID        int
	Name      string
	FirstCase bool // first letter case-insensitive ("first-letter")
}

// Title is a normalised page title.
type Title struct {
	Namespace int
	Text      string // the title without its namespace, first letter normalised
	Full      string // "Namespace:Text" as the wiki writes it
}

// SiteInfo returns the wiki's namespaces and names, read once per client.
func (c *Client) SiteInfo(ctx context.Context) (*SiteInfo, error) {
	if c.site != nil {
		return c.site, nil
	}
	var resp struct {
		Query struct {
			General struct {
				SiteName  string `json:"sitename"`
				Generator string `json:"generator"`
				MainPage  string `json:"mainpage"`
			} `json:"general"`
			Namespaces map[string]struct {
				ID        int    `json:"id"`
				Name      string `json:"name"`
				Canonical string `json:"canonical"`
				Case      string `json:"case"`
			} `json:"namespaces"`
			Aliases []struct {
				ID    int    `json:"id"`
				Alias string `json:"alias"`
			} `json:"namespacealiases"`
			Languages []struct {
				Code string `json:"code"`
				Name string `json:"name"`
			} `json:"languages"`
			Extensions []struct {
				Name string `json:"name"`
			} `json:"extensions"`
		} `json:"query"`
	}
	err := c.call(ctx, request{params: map[string]string{
		"action": "query", "meta": "siteinfo", "siprop": "general|namespaces|namespacealiases|languages|extensions",
	}}, &resp)
	if err != nil {
		return nil, fmt.Errorf("wiki: reading site info: %w", err)
	}
	si := &SiteInfo{
		SiteName:   resp.Query.General.SiteName,
		Generator:  resp.Query.General.Generator,
		MainPage:   resp.Query.General.MainPage,
		namespaces: map[int]namespace{},
		byName:     map[string]int{},
		languages:  make(map[string]string, len(resp.Query.Languages)),
	}
	for _, l := range resp.Query.Languages {
		si.languages[l.Code] = l.Name
	}
	for _, e := range resp.Query.Extensions {
		si.Extensions = append(si.Extensions, e.Name)
	}
	for _, ns := range resp.Query.Namespaces {
		si.addNamespace(ns.ID, ns.Name, ns.Canonical, ns.Case != "case-sensitive")
	}
	for _, a := range resp.Query.Aliases {
		si.byName[strings.ToLower(a.Alias)] = a.ID
	}
	c.site = si
	return si, nil
}

func (si *SiteInfo) addNamespace(id int, name, canonical string, firstCase bool) {
	si.namespaces[id] = namespace{ID: id, Name: name, FirstCase: firstCase}
	if id != NamespaceMain {
		si.byName[strings.ToLower(name)] = id
		si.byName[strings.ToLower(canonical)] = id
	}
}

// defaultNamespaces are MediaWiki's built-in namespaces (NamespaceInfo's
// canonical names), by number.
var defaultNamespaces = map[int]string{
	-2: "Media", -1: "Special", 0: "", 1: "Talk", 2: "User", 3: "User talk",
	4: "Project", 5: "Project talk", 6: "File", 7: "File talk", 8: "MediaWiki", 9: "MediaWiki talk",
	10: "Template", 11: "Template talk", 12: "Help", 13: "Help talk", 14: "Category", 15: "Category talk",
}

// DefaultSiteInfo returns the site info of a wiki installed with
// MediaWiki's defaults, in English: the built-in namespaces under their
// canonical names (the project namespace as "Project", where a real wiki
// names it after itself), the aliases Image and Image talk, every
// namespace case-insensitive on its first letter; no site name and no
// languages. It is for code that handles titles without a wiki to ask,
// such as the fake wiki in wikitest, so that it normalises titles with
// this package's rules rather than a copy of them.
func DefaultSiteInfo() *SiteInfo {
	si := &SiteInfo{namespaces: map[int]namespace{}, byName: map[string]int{}, languages: map[string]string{}}
	for id, name := range defaultNamespaces {
		si.addNamespace(id, name, name, true)
	}
	si.byName["image"], si.byName["image talk"] = 6, 7
	return si
}

// Normalize applies MediaWiki's title normalisation for this wiki:
// underscores are spaces, runs of spaces collapse, the namespace prefix is
// recognised in any case and written canonically, and the first letter is
// upper case where the namespace is case-insensitive on it.
func (si *SiteInfo) Normalize(raw string) (Title, error) {
	text := collapseSpaces(strings.ReplaceAll(raw, "_", " "))
	text = strings.TrimPrefix(text, ":")
	if text == "" {
		return Title{}, fmt.Errorf("empty title %q", raw)
	}
	if strings.ContainsAny(text, "#<>[]|{}\n") {
		return Title{}, fmt.Errorf("title %q has characters MediaWiki forbids in titles", raw)
	}
	ns := NamespaceMain
	if prefix, rest, ok := strings.Cut(text, ":"); ok {
		if id, known := si.byName[strings.ToLower(collapseSpaces(prefix))]; known {
			ns = id
			text = collapseSpaces(rest)
		}
	}
	if text == "" {
		return Title{}, fmt.Errorf("title %q has a namespace and nothing else", raw)
	}
	info, ok := si.namespaces[ns]
	if !ok || info.FirstCase {
		text = upperFirst(text)
	}
	full := text
	if ns != NamespaceMain {
		full = info.Name + ":" + text
	}
	return Title{Namespace: ns, Text: text, Full: full}, nil
}

func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// upperFirst upper-cases the first letter as MediaWiki's Language::ucfirst
// does for most letters.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	up := unicode.ToUpper(r)
	if up == r {
		return s
	}
	return string(up) + s[size:]
}

// Normalize normalises a title with the wiki's site info (read once per
// client).
func (c *Client) Normalize(ctx context.Context, raw string) (Title, error) {
	si, err := c.SiteInfo(ctx)
	if err != nil {
		return Title{}, err
	}
	return si.Normalize(raw)
}
