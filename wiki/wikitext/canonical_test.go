package wikitext

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// xnode is a generic XML element (or, with an empty name, a text node), the
// common ground on which MediaWiki's parse tree and ours are compared.
type xnode struct {
	name  string
	attrs []xml.Attr
	kids  []*xnode
	text  string
}

// parseMWXML reads the XML of action=parse&prop=parsetree.
func parseMWXML(s string) (*xnode, error) {
	// encoding/xml turns raw "\r" into "\n", as XML requires; MediaWiki
	// writes "\r" unescaped, so escape it first.
	s = strings.ReplaceAll(s, "\r", "&#13;")
	dec := xml.NewDecoder(strings.NewReader(s))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tok.Name.Local, attrs: append([]xml.Attr(nil), tok.Attr...)}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				return nil, fmt.Errorf("text outside the root: %q", tok)
			}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, &xnode{text: string(tok)})
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

// treeToX converts our tree to the shape of MediaWiki's XML.
func treeToX(t *Tree) *xnode { return nodeToX(t.Text, t.Root, nil) }

func nodeToX(text string, n *Node, parent *Node) *xnode {
	el := func(name string, kids ...*xnode) *xnode { return &xnode{name: name, kids: kids} }
	txt := func(s string) *xnode { return &xnode{text: s} }
	attr := func(x *xnode, name, value string) {
		x.attrs = append(x.attrs, xml.Attr{Name: xml.Name{Local: name}, Value: value})
	}
	kids := func() []*xnode {
		out := make([]*xnode, 0, len(n.Children))
		for _, c := range n.Children {
			out = append(out, nodeToX(text, c, n))
		}
		return out
	}
	switch n.Kind {
	case NodeText:
		return txt(text[n.Start:n.End])
	case NodeComment, NodeIgnore:
		return el(n.Kind.String(), txt(text[n.Start:n.End]))
	case NodeExt:
		x := el("ext", el("name", txt(n.Ext.Name.Of(text))), el("attr", txt(n.Ext.Attr.Of(text))))
		if n.Ext.HasInner {
			x.kids = append(x.kids, el("inner", txt(n.Ext.Inner.Of(text))))
		}
		if n.Ext.HasClose {
			x.kids = append(x.kids, el("close", txt(n.Ext.Close.Of(text))))
		}
		return x
	case NodeHeading:
		name := "h"
		if parent == nil || parent.Kind != NodeRoot {
			name = "possible-h"
		}
		x := el(name, kids()...)
		attr(x, "level", strconv.Itoa(n.Level))
		attr(x, "i", strconv.Itoa(n.Index))
		return x
	case NodeTemplate, NodeTplArg:
		x := el(n.Kind.String(), kids()...)
		if n.LineStart {
			attr(x, "lineStart", "1")
		}
		return x
	case NodePart:
		name := n.Name()
		if n.Index > 0 {
			nx := el("name")
			attr(nx, "index", strconv.Itoa(n.Index))
			return el("part", nx, nodeToX(text, n.Value(), n))
		}
		return el("part", nodeToX(text, name, n), el("equals", txt("=")), nodeToX(text, n.Value(), n))
	default: // root, title, name, value
		return el(n.Kind.String(), kids()...)
	}
}

// canonical serialises x for comparison: <equals> elements are replaced by
// their text, adjacent text is joined, empty text dropped, attributes
// sorted.
func canonical(x *xnode) string {
	var b strings.Builder
	writeCanonical(&b, normalizeX(x))
	return b.String()
}

func normalizeX(x *xnode) *xnode {
	if x.name == "" {
		return x
	}
	out := &xnode{name: x.name, attrs: append([]xml.Attr(nil), x.attrs...)}
	sort.Slice(out.attrs, func(i, j int) bool { return out.attrs[i].Name.Local < out.attrs[j].Name.Local })
	var add func(k *xnode)
	add = func(k *xnode) {
		if k.name == "equals" {
			for _, kk := range k.kids {
				add(kk)
			}
			return
		}
		if k.name == "" {
			if k.text == "" {
				return
			}
			if n := len(out.kids); n > 0 && out.kids[n-1].name == "" {
				out.kids[n-1] = &xnode{text: out.kids[n-1].text + k.text}
				return
			}
			out.kids = append(out.kids, k)
			return
		}
		out.kids = append(out.kids, normalizeX(k))
	}
	for _, k := range x.kids {
		add(k)
	}
	return out
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func writeCanonical(b *strings.Builder, x *xnode) {
	if x.name == "" {
		xmlEscaper.WriteString(b, x.text)
		return
	}
	b.WriteString("<" + x.name)
	for _, a := range x.attrs {
		b.WriteString(" " + a.Name.Local + `="`)
		xmlEscaper.WriteString(b, a.Value)
		b.WriteString(`"`)
	}
	if len(x.kids) == 0 {
		b.WriteString("/>")
		return
	}
	b.WriteString(">")
	for _, k := range x.kids {
		writeCanonical(b, k)
	}
	b.WriteString("</" + x.name + ">")
}

// xTemplate is a template call read off an XML tree.
type xTemplate struct {
	Name string
	Args map[string]string
}

// templatesFromX derives the template calls and their arguments from a
// MediaWiki XML tree, independently of our tree: it rebuilds names and
// values as wikitext from the XML.
func templatesFromX(x *xnode) []xTemplate {
	var out []xTemplate
	var walk func(x *xnode)
	walk = func(x *xnode) {
		if x.name == "template" {
			t := xTemplate{Args: map[string]string{}}
			for _, k := range x.kids {
				switch k.name {
				case "title":
					t.Name = NormalizeTemplateName(rebuildKids(k))
				case "part":
					var name, value *xnode
					for _, kk := range k.kids {
						switch kk.name {
						case "name":
							name = kk
						case "value":
							value = kk
						}
					}
					if index := attrOf(name, "index"); index != "" {
						t.Args[index] = rebuildKids(value)
					} else {
						t.Args[phpTrim(rebuildKids(name))] = phpTrim(rebuildKids(value))
					}
				}
			}
			out = append(out, t)
		}
		for _, k := range x.kids {
			walk(k)
		}
	}
	walk(x)
	return out
}

func attrOf(x *xnode, name string) string {
	for _, a := range x.attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func rebuildKids(x *xnode) string {
	var b strings.Builder
	for _, k := range x.kids {
		rebuild(&b, k)
	}
	return b.String()
}

// rebuild writes the wikitext an XML node came from, without comments and
// ignored markup.
func rebuild(b *strings.Builder, x *xnode) {
	child := func(name string) *xnode {
		for _, k := range x.kids {
			if k.name == name {
				return k
			}
		}
		return nil
	}
	switch x.name {
	case "":
		b.WriteString(x.text)
	case "comment", "ignore":
	case "template", "tplarg":
		braces := "{{"
		if x.name == "tplarg" {
			braces = "{{{"
		}
		b.WriteString(braces)
		first := true
		for _, k := range x.kids {
			if !first {
				b.WriteString("|")
			}
			first = false
			rebuild(b, k)
		}
		b.WriteString(strings.ReplaceAll(braces, "{", "}"))
	case "part":
		for _, k := range x.kids {
			if k.name == "name" && attrOf(k, "index") != "" {
				continue
			}
			rebuild(b, k)
		}
	case "ext":
		b.WriteString("<" + rebuildKids(child("name")) + rebuildKids(child("attr")))
		if inner := child("inner"); inner != nil {
			b.WriteString(">" + rebuildKids(inner))
			if c := child("close"); c != nil {
				b.WriteString(rebuildKids(c))
			}
		} else {
			b.WriteString("/>")
		}
	default: // root, title, name, value, equals, h, possible-h
		for _, k := range x.kids {
			rebuild(b, k)
		}
	}
}

// rebuildSource writes the exact source our tree was read from, using only
// its structure and the text of its leaves: the lossless property.
func rebuildSource(b *strings.Builder, text string, n *Node) {
	switch n.Kind {
	case NodeText, NodeComment, NodeIgnore:
		b.WriteString(text[n.Start:n.End])
	case NodeExt:
		b.WriteString("<" + n.Ext.Name.Of(text) + n.Ext.Attr.Of(text))
		if n.Ext.HasInner {
			b.WriteString(">" + n.Ext.Inner.Of(text))
			if n.Ext.HasClose {
				b.WriteString(n.Ext.Close.Of(text))
			}
		} else {
			b.WriteString("/>")
		}
	case NodeTemplate, NodeTplArg:
		braces := "{{"
		if n.Kind == NodeTplArg {
			braces = "{{{"
		}
		b.WriteString(braces)
		for k, c := range n.Children {
			if k > 0 {
				b.WriteString("|")
			}
			rebuildSource(b, text, c)
		}
		b.WriteString(strings.ReplaceAll(braces, "{", "}"))
	case NodePart:
		if n.Index == 0 {
			rebuildSource(b, text, n.Name())
			b.WriteString("=")
		}
		rebuildSource(b, text, n.Value())
	default:
		for _, c := range n.Children {
			rebuildSource(b, text, c)
		}
	}
}

// checkTree verifies that the tree is lossless and that every node's range
// matches what it covers. It returns a description of the first problem.
func checkTree(t *Tree) error {
	var b strings.Builder
	rebuildSource(&b, t.Text, t.Root)
	if b.String() != t.Text {
		return fmt.Errorf("tree is not lossless: rebuilt %q", b.String())
	}
	var err error
	Walk(t.Root, func(n *Node) bool {
		if err != nil {
			return false
		}
		var nb strings.Builder
		rebuildSource(&nb, t.Text, n)
		if nb.String() != t.Text[n.Start:n.End] {
			err = fmt.Errorf("%s node [%d,%d) covers %q but rebuilds %q", n.Kind, n.Start, n.End, t.Text[n.Start:n.End], nb.String())
			return false
		}
		if n.Kind == NodeText && n.Start == n.End {
			err = fmt.Errorf("empty text node at %d", n.Start)
			return false
		}
		return true
	})
	return err
}
