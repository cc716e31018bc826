package wikitext

// NodeKind tells what a Node is. Kinds mirror the element names of
// MediaWiki's preprocessor tree (see String).
type NodeKind uint8

const (
	// NodeRoot is the top of the tree; its Children cover the whole text.
	NodeRoot NodeKind = iota
	// NodeText is literal text.
	NodeText
	// NodeTemplate is a "{{...}}" call: Children are a NodeTitle followed by
	// one NodePart per "|".
	NodeTemplate
	// NodeTplArg is a "{{{...}}}" template parameter, shaped like a
	// NodeTemplate; its first part is the default value.
	NodeTplArg
	// NodeTitle holds what stands between the opening braces and the first
	// "|" of a template or tplarg.
	NodeTitle
	// NodePart is one argument: Children are a NodeName and a NodeValue.
	// Index is its number when it has no "=" (a positional argument), 0
	// otherwise.
	NodePart
	// NodeName holds an argument's name: the text before its "=", empty for
	// positional arguments.
	NodeName
	// NodeValue holds an argument's value: the text after its "=", or the
	// whole part for positional arguments.
	NodeValue
	// NodeComment is an HTML comment "<!--...-->", possibly unclosed. When
	// MediaWiki removes a comment that stands alone on its line, the node
	// also covers the blanks around it and the newline after it.
	NodeComment
	// NodeExt is an extension tag such as <nowiki>...</nowiki>, whose
	// content the preprocessor does not parse; see Ext.
	NodeExt
	// NodeIgnore is markup MediaWiki drops when it renders the page:
	// <noinclude>, </noinclude>, <onlyinclude> and </onlyinclude> tags, and
	// whole <includeonly>...</includeonly> sections.
	NodeIgnore
	// NodeHeading is a "== heading ==" line. Level is its level and Index
	// MediaWiki's running heading number (the "i" attribute). Only headings
	// that are children of the root are headings for MediaWiki; the others
	// (inside a template call, say) are what its XML calls "possible-h":
	// their text becomes a heading only if it is still at the start of a
	// line after expansion.
	NodeHeading
)

var kindNames = [...]string{
	NodeRoot:     "root",
	NodeText:     "text",
	NodeTemplate: "template",
	NodeTplArg:   "tplarg",
	NodeTitle:    "title",
	NodePart:     "part",
	NodeName:     "name",
	NodeValue:    "value",
	NodeComment:  "comment",
	NodeExt:      "ext",
	NodeIgnore:   "ignore",
	NodeHeading:  "h",
}

// String returns the name MediaWiki's XML tree gives the element ("h" for
// NodeHeading, "text" for NodeText).
func (k NodeKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Node is one element of the preprocessor tree.
//
// Start and End are byte offsets into the parsed text: the node was read
// from text[Start:End]. Children are in source order and lie within their
// parent's range. The tree is lossless: a container's source is its
// children's sources joined by the syntax the tree implies ("{{" or "{{{",
// "|" between title and parts, "=" between name and value, "}}" or "}}}"),
// and the root's children cover the text without gaps or overlaps.
type Node struct {
	Kind NodeKind
	// LineStart is MediaWiki's lineStart attribute of a template or tplarg:
	// it starts a line, so its expansion may begin with block syntax. (It
	// sits next to Kind to keep nodes small.)
	LineStart bool

	Start int // offset of the node's first byte
	End   int // offset just past the node's last byte

	// Children holds the content of NodeRoot, NodeHeading, NodeTitle,
	// NodeName and NodeValue; the title and the parts of NodeTemplate and
	// NodeTplArg; the name and the value of NodePart.
	Children []*Node

	// Level is the level (1 to 6) of a NodeHeading.
	Level int
	// Index is the heading number of a NodeHeading (MediaWiki's "i"
	// attribute, counted over all headings) and the positional number of a
	// NodePart without "=" (0 for named parts).
	Index int
	// Ext describes a NodeExt; nil for other kinds.
	Ext *ExtTag
}

// Span is a byte range text[Start:End] of the parsed text.
type Span struct{ Start, End int }

// Of returns the spanned text.
func (s Span) Of(text string) string { return text[s.Start:s.End] }

// ExtTag is the anatomy of an extension tag, as in MediaWiki's <ext>
// element: "<" Name Attr ">" Inner Close, or "<" Name Attr "/>" when the tag
// closes itself (then HasInner and HasClose are false).
type ExtTag struct {
	Name     Span // the tag name as written, e.g. "NoWiki"
	Attr     Span // everything between the name and ">" (or "/>"), leading blanks included
	Inner    Span // the unparsed content
	Close    Span // the closing tag, e.g. "</nowiki >"
	HasInner bool
	HasClose bool
}

// Tree is the result of parsing a text.
type Tree struct {
	Text string // the parsed text; node offsets point into it
	Root *Node
}

// Title returns the title of a NodeTemplate or NodeTplArg, nil for other
// kinds.
func (n *Node) Title() *Node {
	if (n.Kind == NodeTemplate || n.Kind == NodeTplArg) && len(n.Children) > 0 {
		return n.Children[0]
	}
	return nil
}

// Parts returns the arguments of a NodeTemplate or NodeTplArg, nil for
// other kinds.
func (n *Node) Parts() []*Node {
	if (n.Kind == NodeTemplate || n.Kind == NodeTplArg) && len(n.Children) > 0 {
		return n.Children[1:]
	}
	return nil
}

// Name returns the name of a NodePart, nil for other kinds.
func (n *Node) Name() *Node {
	if n.Kind == NodePart {
		return n.Children[0]
	}
	return nil
}

// Value returns the value of a NodePart, nil for other kinds.
func (n *Node) Value() *Node {
	if n.Kind == NodePart {
		return n.Children[1]
	}
	return nil
}

// Walk calls visit for n and its descendants in document order (parents
// before children). When visit returns false, Walk does not descend into
// that node.
func Walk(n *Node, visit func(*Node) bool) {
	if !visit(n) {
		return
	}
	for _, c := range n.Children {
		Walk(c, visit)
	}
}
