package wikitext

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Template is one template call found by the preprocessor.
type Template struct {
	// Name is the normalised title: see NormalizeTemplateName. Parser
	// functions and magic words keep their whole title ("#if: x").
	Name string
	// Params are the arguments in source order, duplicates kept.
	Params []Param
	// Offset is the byte offset of the call's opening "{{".
	Offset int
}

// Param is one argument of a template call, as written but without
// comments and <includeonly>/<noinclude> markup (which MediaWiki removes
// when it expands arguments). Use Template.Map or Template.Get for the
// values the template receives.
type Param struct {
	// Name is the text before "=" for named arguments (untrimmed), and the
	// argument's number ("1", "2", ...) for positional ones.
	Name string
	// Value is the raw wikitext of the value, untrimmed; nested templates
	// stay as their source text.
	Value      string
	Positional bool
}

// Map returns the arguments as the template receives them (MediaWiki's
// PPFrame_Hash::newChild): named arguments' names and values trimmed of
// " \t\n\r\x00\x0B" like PHP's trim, positional values untouched; a
// positional argument and an explicit number ("1=") name the same
// argument; the last of duplicates wins.
func (t Template) Map() map[string]string {
	m := make(map[string]string, len(t.Params))
	for _, p := range t.Params {
		name, value := p.resolved()
		m[name] = value
	}
	return m
}

// Lookup returns the value the template receives as argument name (see
// Map), and whether it was given.
func (t Template) Lookup(name string) (string, bool) {
	for k := len(t.Params) - 1; k >= 0; k-- {
		if n, v := t.Params[k].resolved(); n == name {
			return v, true
		}
	}
	return "", false
}

// Get returns the value the template receives as argument name (see Map),
// or "" when it was not given.
func (t Template) Get(name string) string {
	v, _ := t.Lookup(name)
	return v
}

// resolved returns the argument's name and value as the template sees them.
func (p Param) resolved() (name, value string) {
	if p.Positional {
		return p.Name, p.Value
	}
	return phpTrim(p.Name), phpTrim(p.Value)
}

// Templates returns the template calls in text, in the order of their
// opening braces, parsed with the default extension tags. See
// Tree.Templates.
func Templates(text string) []Template { return Parse(text).Templates() }

// MaxTemplateNesting is how many template calls and parameters deep
// Templates looks for nested calls. MediaWiki stops expanding at that
// depth ($wgMaxPPExpandDepth, "Expansion depth limit exceeded"), so deeper
// calls never run. The limit also bounds Templates' output: every value
// holds the source of the calls nested in it, so without a limit a page of
// n nested calls would yield values of total size proportional to n².
const MaxTemplateNesting = 100

// Templates returns the tree's template calls, nested ones included (up to
// MaxTemplateNesting levels), in the order of their opening braces.
func (t *Tree) Templates() []Template {
	// Comments and ignored markup vanish from names and values. Any such
	// node lying inside a name or value belongs to it (nodes nest), so one
	// sorted list of their ranges serves every lookup.
	var holes []Span
	var calls []*Node
	var visit func(n *Node, depth int)
	visit = func(n *Node, depth int) {
		switch n.Kind {
		case NodeComment, NodeIgnore:
			holes = append(holes, Span{n.Start, n.End})
		case NodeTemplate:
			if depth < MaxTemplateNesting {
				calls = append(calls, n)
			}
			depth++
		case NodeTplArg:
			depth++
		}
		for _, c := range n.Children {
			visit(c, depth)
		}
	}
	visit(t.Root, 0)
	out := make([]Template, 0, len(calls))
	for _, call := range calls {
		tpl := Template{
			Name:   NormalizeTemplateName(t.stripped(call.Title(), holes)),
			Offset: call.Start,
			Params: make([]Param, 0, len(call.Children)-1),
		}
		for _, p := range call.Parts() {
			if p.Index > 0 {
				tpl.Params = append(tpl.Params, Param{
					Name:       strconv.Itoa(p.Index),
					Value:      t.stripped(p.Value(), holes),
					Positional: true,
				})
			} else {
				tpl.Params = append(tpl.Params, Param{
					Name:  t.stripped(p.Name(), holes),
					Value: t.stripped(p.Value(), holes),
				})
			}
		}
		out = append(out, tpl)
	}
	return out
}

// stripped returns n's source without the holes inside it.
func (t *Tree) stripped(n *Node, holes []Span) string {
	k := sort.Search(len(holes), func(k int) bool { return holes[k].Start >= n.Start })
	if k == len(holes) || holes[k].End > n.End {
		return t.Text[n.Start:n.End]
	}
	var b strings.Builder
	at := n.Start
	for ; k < len(holes) && holes[k].End <= n.End; k++ {
		b.WriteString(t.Text[at:holes[k].Start])
		at = holes[k].End
	}
	b.WriteString(t.Text[at:n.End])
	return b.String()
}

// phpTrim is PHP's trim() with its default characters.
func phpTrim(s string) string {
	return strings.Trim(s, " \t\n\r\x00\x0B")
}

// titleSpace reports the characters MediaWiki's title codec turns into
// underscores (MediaWikiTitleCodec::splitTitleString), which display as
// spaces.
func titleSpace(r rune) bool {
	switch r {
	case ' ', '_', '\u00A0', '\u1680', '\u180E', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000':
		return true
	}
	return '\u2000' <= r && r <= '\u200A'
}

// titleInvisible reports the directional marks MediaWiki strips from
// titles.
func titleInvisible(r rune) bool {
	return r == '\u200E' || r == '\u200F' || ('\u202A' <= r && r <= '\u202E')
}

// NormalizeTemplateName turns a template call's title (comments already
// removed) into the name of the template: trimmed, underscores and runs of
// spaces made single spaces, directional marks removed, a "Template:"
// namespace prefix (any case, blanks allowed around the colon) removed, and
// the first letter upper-cased, as MediaWiki does for titles in the
// template namespace. Other prefixes ("#if:", "subst:", "DISPLAYTITLE:")
// stay, so parser functions and magic words keep their title as written,
// normalised the same way.
func NormalizeTemplateName(title string) string {
	title = phpTrim(title)
	var b strings.Builder
	b.Grow(len(title))
	pendingSpace := false
	for k := 0; k < len(title); {
		r, size := utf8.DecodeRuneInString(title[k:])
		switch {
		case titleInvisible(r):
		case titleSpace(r):
			pendingSpace = b.Len() > 0
		default:
			if pendingSpace {
				b.WriteByte(' ')
				pendingSpace = false
			}
			b.WriteString(title[k : k+size]) // invalid UTF-8 stays as it is
		}
		k += size
	}
	name := b.String()
	if prefix, rest, ok := strings.Cut(name, ":"); ok && strings.EqualFold(strings.TrimRight(prefix, " "), "template") {
		name = strings.TrimLeft(rest, " ")
	}
	return upperFirst(name)
}

// upperFirst upper-cases the first letter, as Language::ucfirst does.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	u := unicode.ToUpper(r)
	if u == r {
		return s
	}
	return string(u) + s[size:]
}
