package wikitext

import "strings"

// DefaultExtensionTags are the extension tags of the local development wiki
// (siteinfo extensiontags): MediaWiki core's and TemplateData's. The
// preprocessor leaves their content unparsed.
var DefaultExtensionTags = []string{"pre", "nowiki", "gallery", "indicator", "langconvert", "templatedata"}

// Preprocessor parses wikitext into MediaWiki's preprocessor tree. It is
// safe for concurrent use.
type Preprocessor struct {
	// elements are the tag names the preprocessor recognises after "<", in
	// the order of MediaWiki's $elementsRegex alternation.
	elements []element
	// mayStartElement has the bytes that can follow "<" in a comment or a
	// recognised tag, to dismiss most "<" without comparing names.
	mayStartElement [256]bool
}

type elementRole uint8

const (
	roleExtension elementRole = iota
	// roleIgnoredTag is a tag that becomes an ignore node by itself
	// ($ignoredTags: noinclude and onlyinclude, opening and closing).
	roleIgnoredTag
	// roleIgnoredElement is a tag whose whole element becomes an ignore node
	// ($ignoredElements: includeonly).
	roleIgnoredElement
)

type element struct {
	name string // lower case
	role elementRole
}

var defaultPreprocessor = NewPreprocessor(DefaultExtensionTags)

// NewPreprocessor returns a preprocessor that knows the given extension tags
// (MediaWiki's Parser::getStripList(); matched case-insensitively).
func NewPreprocessor(extensionTags []string) *Preprocessor {
	p := &Preprocessor{}
	// Not for inclusion: $xmlishElements is the strip list plus includeonly,
	// followed by $ignoredTags.
	for _, name := range extensionTags {
		p.elements = append(p.elements, element{asciiLower(name), roleExtension})
	}
	p.elements = append(p.elements, element{"includeonly", roleIgnoredElement})
	for _, name := range []string{"noinclude", "/noinclude", "onlyinclude", "/onlyinclude"} {
		p.elements = append(p.elements, element{name, roleIgnoredTag})
	}
	p.mayStartElement['!'] = true
	for _, e := range p.elements {
		if e.name != "" {
			c := e.name[0]
			p.mayStartElement[c] = true
			if 'a' <= c && c <= 'z' {
				p.mayStartElement[c-'a'+'A'] = true
			}
		}
	}
	return p
}

// Parse parses text with the default extension tags.
func Parse(text string) *Tree { return defaultPreprocessor.Parse(text) }

// Parse parses text as Preprocessor_Hash::preprocessToObj($text, 0) does.
// The tree refers to text by offsets and never fails: any input, however
// unbalanced, has a tree, as it has in MediaWiki.
func (p *Preprocessor) Parse(text string) *Tree {
	s := parser{pp: p, text: text, arenaSize: min(max(len(text)/24, 16), 1024)}
	s.run()
	children := materialize(s.nodes[:0], s.nodes)
	root := &Node{Kind: NodeRoot, Start: 0, End: len(text), Children: children[:len(children):len(children)]}
	return &Tree{Text: text, Root: root}
}

// What the main loop found at the input pointer (PHP's $found).
type found uint8

const (
	foundLineStart found = iota
	foundLineEnd
	foundPipe
	foundEquals
	foundAngle
	foundOpen
	foundClose
)

// Byte classes for the literal scan, which replaces PHP's strcspn with a
// search set that depends on the parser state.
const (
	classBase    = 1 << iota // "[{<\n-": always searched ('-' for "-{")
	classBrace               // "}": searched while a "{" or "-{" construct is open
	classBracket             // "]": searched while a "[" construct is open
	classPipe                // "|": searched when $findPipe
	classEquals              // "=": searched when $findEquals
)

var byteClass = [256]uint8{
	'[': classBase, '{': classBase, '<': classBase, '\n': classBase, '-': classBase,
	'}': classBrace, ']': classBracket, '|': classPipe, '=': classEquals,
}

// piece is a PPDStackElement_Hash: an open construct waiting for its close.
type piece struct {
	open        string // "{", "[", "-{", or "\n" for a heading
	close       string // "}", "]", "}-", or "\n"
	count       int    // number of opening characters ("-{" counts as 2)
	savedPrefix bool   // a "-" before "{{" was held back ("-{{" is "-" then "{{")
	// openStart is the offset of the first opening character, or of the
	// saved "-" when savedPrefix is set. For headings it is the first "=".
	openStart int
	lineStart bool
	// mark is the index in parser.nodes of the placeholder of the opening
	// characters (and the saved "-"); -1 for headings. The slot after it
	// starts the first part; it stays nil unless a partial break puts text
	// there (see breakSyntax).
	mark  int
	parts []part
}

// part is a PPDPart_Hash: the title or one argument of an open construct.
type part struct {
	start int // offset of the part's first byte (after "|" or the opening)
	// seg is where the part's nodes start in parser.nodes, just after the
	// placeholder of its "|" (or of the opening). The nodes of all open
	// parts are stacked there, the top part's last.
	seg int
	// eq is the index in parser.nodes of the placeholder of the part's
	// first "=" (PHP's eqpos), -1 while it has none; eqPos is its offset.
	eq    int
	eqPos int
	// commentEnd and visualEnd are PHP's $part->commentEnd and ->visualEnd,
	// used to see a heading's closing "=" before trailing comments.
	// commentEnd is -1 while unset.
	commentEnd int
	visualEnd  int
}

func newPart(start, seg int) part {
	return part{start: start, seg: seg, eq: -1, commentEnd: -1}
}

// placeholder stands in parser.nodes for the syntax characters of an open
// construct: its opening, "|" and "=". If the construct closes as a
// template or tplarg they become its structure; if it breaks, text nodes
// replace the placeholders where they are, so breaking never moves nodes.
// Placeholders never reach the finished tree.
var placeholder = &Node{Kind: NodeKind(255)}

// parser is the state of one Parse call.
type parser struct {
	pp   *Preprocessor
	text string

	// nodes stacks the accumulators ($accum) of the root and of every open
	// part (see part.seg), with placeholders for syntax characters and nil
	// slots, which the finished tree drops.
	nodes    []*Node
	stack    []piece
	comments [][2]int

	arena     []Node
	arenaSize int

	findEquals, findPipe, inHeading bool
	headingIndex                    int
	noMoreGT                        bool
	// noMoreClosingTag holds the lower-case names of tags without a closing
	// tag to the right. MediaWiki keys it by the name as written, but the
	// search for the closing tag ignores case, so a failed search fails for
	// every spelling; keying by lower case avoids rescanning the text for
	// each of them.
	noMoreClosingTag map[string]bool
}

func (s *parser) newNode(kind NodeKind, start, end int) *Node {
	if len(s.arena) == cap(s.arena) {
		s.arena = make([]Node, 0, s.arenaSize)
		s.arenaSize = min(s.arenaSize*2, 1024)
	}
	s.arena = append(s.arena, Node{Kind: kind, Start: start, End: end})
	return &s.arena[len(s.arena)-1]
}

// accumStart returns where the current accumulator starts in s.nodes.
func (s *parser) accumStart() int {
	if len(s.stack) == 0 {
		return 0
	}
	top := &s.stack[len(s.stack)-1]
	return top.parts[len(top.parts)-1].seg
}

func (s *parser) currentPart() *part {
	if len(s.stack) == 0 {
		return nil
	}
	top := &s.stack[len(s.stack)-1]
	return &top.parts[len(top.parts)-1]
}

// lastText returns the last element of the current accumulator when it is
// text (PHP: is_string(end($accum))), or nil.
func (s *parser) lastText() *Node {
	if m := len(s.nodes); m > s.accumStart() {
		if last := s.nodes[m-1]; last != nil && last.Kind == NodeText {
			return last
		}
	}
	return nil
}

// addLiteral appends text[start:end] to the current accumulator, extending
// its last text node when they touch (Preprocessor_Hash::addLiteral).
func (s *parser) addLiteral(start, end int) {
	if last := s.lastText(); last != nil && last.End == start {
		last.End = end
		return
	}
	s.nodes = append(s.nodes, s.newNode(NodeText, start, end))
}

// materialize appends nodes (a stretch of parser.nodes) to dst as a
// finished tree holds them: without nil slots, with touching text joined.
// Every node is copied this way once, into the template, heading or root
// that finally holds it.
func materialize(dst, nodes []*Node) []*Node {
	for _, nd := range nodes {
		if nd == nil {
			continue
		}
		if n := len(dst); n > 0 && nd.Kind == NodeText {
			if last := dst[n-1]; last.Kind == NodeText && last.End == nd.Start {
				last.End = nd.End
				continue
			}
		}
		dst = append(dst, nd)
	}
	return dst
}

func (s *parser) push(pc piece) {
	s.stack = append(s.stack, pc)
	s.updateFlags()
}

func (s *parser) pop() piece {
	pc := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	s.updateFlags()
	return pc
}

// updateFlags is PPDStack_Hash::getFlags applied to the parser's flags.
func (s *parser) updateFlags() {
	if len(s.stack) == 0 {
		s.findPipe, s.findEquals, s.inHeading = false, false, false
		return
	}
	top := &s.stack[len(s.stack)-1]
	s.findPipe = top.open != "\n" && top.open != "["
	s.findEquals = s.findPipe && len(top.parts) > 1 && top.parts[len(top.parts)-1].eq < 0
	s.inHeading = top.open == "\n"
}

// newPiece returns a piece whose parts slice reuses the storage of the
// stack slot it will occupy.
func (s *parser) newPiece() piece {
	var parts []part
	if len(s.stack) < cap(s.stack) {
		parts = s.stack[: len(s.stack)+1 : cap(s.stack)][len(s.stack)].parts[:0]
	}
	return piece{parts: parts}
}

// pushBrackets pushes pc, a "{", "[" or "-{" construct whose first part
// starts at offset start, with the placeholder of its opening characters.
func (s *parser) pushBrackets(pc piece, start int) {
	pc.mark = len(s.nodes)
	s.nodes = append(s.nodes, placeholder, nil)
	pc.parts = append(pc.parts[:0], newPart(start, pc.mark+1))
	s.push(pc)
}

// Brace rules (Preprocessor::$rules). Every rule needs at least two
// opening characters ("-{" counts as two).
const ruleMin = 2

func ruleMax(open string) int {
	if open == "{" {
		return 3
	}
	return 2
}

func ruleEnd(open string) string {
	switch open {
	case "{":
		return "}"
	case "[":
		return "]"
	}
	return "}-"
}

// ruleName returns what a construct opened by open and closed by count
// characters becomes: a template, a tplarg, or (ok with NodeText) plain text.
func ruleName(open string, count int) (kind NodeKind, ok bool) {
	if open == "{" {
		switch count {
		case 2:
			return NodeTemplate, true
		case 3:
			return NodeTplArg, true
		}
		return 0, false
	}
	return NodeText, count == 2
}

// run is the main loop of buildDomTreeArrayFromText: it scans literal text
// up to the next character that may matter in the current state, then
// dispatches on what it found.
func (s *parser) run() {
	text := s.text
	n := len(text)
	i := 0
	// Do a line-start run without outputting an LF character.
	fakeLineStart := true
	for {
		var what found
		var cur string // the opening or closing characters found
		if fakeLineStart {
			what = foundLineStart
		} else {
			mask := uint8(classBase)
			closing := ""
			if len(s.stack) > 0 {
				closing = s.stack[len(s.stack)-1].close
				switch closing {
				case "}", "}-":
					mask |= classBrace
				case "]":
					mask |= classBracket
				}
			}
			if s.findPipe {
				mask |= classPipe
			}
			if s.findEquals {
				mask |= classEquals
			}
			start := i
			for i < n && byteClass[text[i]]&mask == 0 {
				i++
			}
			if i > start {
				s.addLiteral(start, i)
			}
			if i >= n {
				if closing != "\n" {
					break
				}
				// Do a past-the-end run to finish off the heading.
				what = foundLineEnd
			} else {
				c := text[i]
				var c2 byte
				if i+1 < n {
					c2 = text[i+1]
				}
				switch {
				case c == '|':
					what = foundPipe
				case c == '=':
					what = foundEquals
				case c == '<':
					what = foundAngle
				case c == '\n':
					if s.inHeading {
						what = foundLineEnd
					} else {
						what = foundLineStart
					}
				case closing == "}-" && c == '}' && c2 == '-':
					what, cur = foundClose, closing
				case len(closing) == 1 && c == closing[0]:
					what, cur = foundClose, closing
				case c == '-' && c2 == '{':
					what, cur = foundOpen, "-{"
				case c == '{':
					what, cur = foundOpen, "{"
				case c == '[':
					what, cur = foundOpen, "["
				default:
					// A "-" not before "{", or a "}" while "}-" closes.
					s.addLiteral(i, i+1)
					i++
					continue
				}
			}
		}

		switch what {
		case foundAngle:
			i = s.angle(i, &fakeLineStart)
		case foundLineStart:
			// A line break belongs before a heading element in any case.
			if fakeLineStart {
				fakeLineStart = false
			} else {
				s.addLiteral(i, i+1)
				i++
			}
			// Examine up to 6 characters.
			count := 0
			for limit := min(n, 6); count < limit && i+count < n && text[i+count] == '='; count++ {
			}
			// A single "=" while an argument may take a name is left to the
			// equals handler (MediaWiki's DWIM heuristic).
			if count > 0 && !(count == 1 && s.findEquals) {
				s.pushHeading(i, count)
				i += count
			}
		case foundLineEnd:
			s.lineEnd(i)
			// The input pointer stays: the closing line break may open the
			// next heading.
		case foundOpen:
			i = s.open(i, cur)
		case foundClose:
			i = s.close(i, cur)
		case foundPipe:
			s.nodes = append(s.nodes, placeholder)
			top := &s.stack[len(s.stack)-1]
			top.parts = append(top.parts, newPart(i+1, len(s.nodes)))
			s.findEquals = true // shortcut for getFlags()
			i++
		case foundEquals:
			pt := s.currentPart()
			pt.eq, pt.eqPos = len(s.nodes), i
			s.nodes = append(s.nodes, placeholder)
			s.findEquals = false // shortcut for getFlags()
			i++
		}
	}

	// Output any remaining unclosed brackets: they become text where they
	// are.
	for k := range s.stack {
		s.breakSyntax(&s.stack[k], 0, false)
	}
	s.stack = s.stack[:0]
}

// angle handles "<" at i: a comment, an extension tag, an ignored tag, or a
// literal "<". It returns the new input pointer.
func (s *parser) angle(i int, fakeLineStart *bool) int {
	text := s.text
	n := len(text)
	el, nameLen := s.pp.matchElement(text, i+1)
	if nameLen == 0 {
		// Element name missing or not listed.
		s.addLiteral(i, i+1)
		return i + 1
	}
	if el == nil {
		return s.comment(i, fakeLineStart)
	}
	name := text[i+1 : i+1+nameLen]
	attrStart := i + 1 + nameLen

	// Find the end of the tag.
	tagEndPos := -1
	if !s.noMoreGT {
		if k := strings.IndexByte(text[attrStart:], '>'); k >= 0 {
			tagEndPos = attrStart + k
		}
	}
	if tagEndPos < 0 {
		// No ">" to the right: stop looking, to prevent O(N^2) behaviour.
		s.noMoreGT = true
		s.addLiteral(i, i+1)
		return i + 1
	}

	if el.role == roleIgnoredTag {
		s.nodes = append(s.nodes, s.newNode(NodeIgnore, i, tagEndPos+1))
		return tagEndPos + 1
	}

	tagStartPos := i
	ext := ExtTag{Name: Span{i + 1, attrStart}}
	var attrEnd int
	if text[tagEndPos-1] == '/' {
		// Short end tag.
		attrEnd = tagEndPos - 1
		i = tagEndPos + 1
	} else {
		attrEnd = tagEndPos
		closeStart, closeEnd := -1, -1
		if !s.noMoreClosingTag[el.name] {
			closeStart, closeEnd = findClosingTag(text, name, tagEndPos+1)
		}
		switch {
		case closeStart >= 0:
			ext.Inner, ext.HasInner = Span{tagEndPos + 1, closeStart}, true
			ext.Close, ext.HasClose = Span{closeStart, closeEnd}, true
			i = closeEnd
		case name == "includeonly":
			// $xmlishAllowMissingEndTag (compared case-sensitively, as
			// MediaWiki does): let it run out to the end of the text.
			ext.Inner, ext.HasInner = Span{tagEndPos + 1, n}, true
			i = n
		default:
			// Don't match the tag: treat the opening tag as literal text.
			s.addLiteral(tagStartPos, tagEndPos+1)
			// Remember, or input like <foo><foo><foo>... takes O(N^2).
			if s.noMoreClosingTag == nil {
				s.noMoreClosingTag = map[string]bool{}
			}
			s.noMoreClosingTag[el.name] = true
			return tagEndPos + 1
		}
	}
	if el.role == roleIgnoredElement {
		s.nodes = append(s.nodes, s.newNode(NodeIgnore, tagStartPos, i))
		return i
	}
	if attrEnd <= attrStart {
		attrEnd = attrStart
	}
	// The attributes keep the blanks after the name, for an exact
	// reconstruction of the tag.
	ext.Attr = Span{attrStart, attrEnd}
	nd := s.newNode(NodeExt, tagStartPos, i)
	nd.Ext = &ext
	s.nodes = append(s.nodes, nd)
	return i
}

// matchElement is $elementsRegex, "~(tag|tag|...)(?:\s|\/>|>)|(!--)~iA",
// anchored at text[at:]. It returns the matched element and the length of
// its name, a nil element and 3 for a comment, and 0 when nothing matches.
func (p *Preprocessor) matchElement(text string, at int) (*element, int) {
	if at >= len(text) || !p.mayStartElement[text[at]] {
		return nil, 0
	}
	if strings.HasPrefix(text[at:], "!--") {
		return nil, 3
	}
	for k := range p.elements {
		e := &p.elements[k]
		end := at + len(e.name)
		if end >= len(text) || !asciiEqualFold(text[at:end], e.name) {
			continue
		}
		switch c := text[end]; {
		case isPCRESpace(c), c == '>', c == '/' && end+1 < len(text) && text[end+1] == '>':
			return e, len(e.name)
		}
	}
	return nil, 0
}

// findClosingTag finds "/<\/$name\s*>/i" in text[from:] and returns its
// range, or -1, -1.
func findClosingTag(text, name string, from int) (start, end int) {
	for {
		k := strings.Index(text[from:], "</")
		if k < 0 {
			return -1, -1
		}
		start = from + k
		j := start + 2
		if j+len(name) <= len(text) && asciiEqualFold(text[j:j+len(name)], name) {
			j += len(name)
			for j < len(text) && isPCRESpace(text[j]) {
				j++
			}
			if j < len(text) && text[j] == '>' {
				return start, j + 1
			}
		}
		from = start + 2
	}
}

// comment handles "<!--" at i and returns the new input pointer. It sets
// *fakeLineStart when it removes the comments' line.
func (s *parser) comment(i int, fakeLineStart *bool) int {
	text := s.text
	n := len(text)
	endPos := strings.Index(text[i+4:], "-->")
	if endPos < 0 {
		// Unclosed comment in input, runs to end.
		s.nodes = append(s.nodes, s.newNode(NodeComment, i, n))
		return n
	}
	endPos += i + 4

	// To avoid leaving blank lines, when a sequence of space-separated
	// comments is both preceded and followed by a newline (ignoring
	// spaces), the comments take the spaces around them and the trailing
	// newline.
	wsStart := 0
	if i > 0 {
		wsStart = i - blanksBefore(text, i)
	}
	// wsEnd is the position of the last trailing blank, or of the ">".
	wsEnd := endPos + 2 + blanksAfter(text, endPos+3)
	comments := append(s.comments[:0], [2]int{wsStart, wsEnd})
	for wsEnd+5 <= n && text[wsEnd+1:wsEnd+5] == "<!--" {
		// MediaWiki searches from the last "-" of "<!--" here (from after
		// it for the first comment), so "<!--->" closes in a run only.
		c := strings.Index(text[wsEnd+4:], "-->")
		if c < 0 {
			break
		}
		c += wsEnd + 4
		c += 2 + blanksAfter(text, c+3)
		comments = append(comments, [2]int{wsEnd + 1, c})
		wsEnd = c
	}
	s.comments = comments

	var startPos int
	if wsStart > 0 && text[wsStart-1] == '\n' && wsEnd+1 < n && text[wsEnd+1] == '\n' {
		// Eat the line: remove the leading blanks from the accumulator.
		if wsLength := i - wsStart; wsLength > 0 {
			s.trimTrailingBlanks(wsLength)
		}
		// Dump all but the last comment to the accumulator.
		for j, com := range comments {
			startPos, endPos = com[0], com[1]+1
			if j == len(comments)-1 {
				break
			}
			s.nodes = append(s.nodes, s.newNode(NodeComment, startPos, endPos))
		}
		// Do a line-start run next time to look for headings after the
		// comment.
		*fakeLineStart = true
	} else {
		// No line to eat, just take the comment itself.
		startPos = i
		endPos += 2
	}

	if pt := s.currentPart(); pt != nil {
		// Abutting comments leave the visual end where it is.
		if !(pt.commentEnd >= 0 && pt.commentEnd == wsStart-1) {
			pt.visualEnd = wsStart
		}
		pt.commentEnd = endPos
	}
	s.nodes = append(s.nodes, s.newNode(NodeComment, startPos, endPos+1))
	return endPos + 1
}

// trimTrailingBlanks removes wsLength bytes from the end of the accumulator
// when its last element is text ending in that many blanks.
func (s *parser) trimTrailingBlanks(wsLength int) {
	last := s.lastText()
	if last == nil || last.End-last.Start < wsLength {
		return
	}
	for k := last.End - wsLength; k < last.End; k++ {
		if c := s.text[k]; c != ' ' && c != '\t' {
			return
		}
	}
	last.End -= wsLength
	if last.End == last.Start {
		s.nodes = s.nodes[:len(s.nodes)-1]
	}
}

// pushHeading opens a possible heading of count "=" at i.
func (s *parser) pushHeading(i, count int) {
	pc := s.newPiece()
	pc.open, pc.close, pc.count, pc.openStart, pc.mark = "\n", "\n", count, i, -1
	pc.parts = append(pc.parts, newPart(i, len(s.nodes)))
	s.push(pc)
	s.addLiteral(i, i+count)
}

// lineEnd handles the end of a heading's line at i (a "\n" or the end of
// the text).
func (s *parser) lineEnd(i int) {
	text := s.text
	top := &s.stack[len(s.stack)-1]
	pt := &top.parts[len(top.parts)-1]
	// Search back through the input to see if it has a proper close.
	searchStart := i - blanksBefore(text, i)
	if pt.commentEnd >= 0 && searchStart-1 == pt.commentEnd {
		// Comment found at line end: search for equals signs before it.
		searchStart = pt.visualEnd
		searchStart -= blanksBefore(text, searchStart)
	}
	count := top.count
	equalsLength := 0
	for searchStart-equalsLength > 0 && text[searchStart-equalsLength-1] == '=' {
		equalsLength++
	}
	var heading *Node
	if equalsLength > 0 {
		if searchStart-equalsLength == top.openStart {
			// Just a single string of equals signs on its own line:
			// replicate doHeadings' /={count}(.+)={count}/.
			count = equalsLength
			if count < 3 {
				count = 0
			} else {
				count = min(6, (count-1)/2)
			}
		} else {
			count = min(equalsLength, count)
		}
		if count > 0 {
			s.headingIndex++
			heading = s.newNode(NodeHeading, top.openStart, i)
			heading.Level = count
			heading.Index = s.headingIndex
		}
	}
	seg := pt.seg
	s.pop()
	if heading != nil {
		heading.Children = materialize(make([]*Node, 0, len(s.nodes)-seg), s.nodes[seg:])
		s.nodes = append(s.nodes[:seg], heading)
	}
	// Otherwise the line's nodes simply stay in the enclosing accumulator.
}

// open handles opening characters cur ("{", "[" or "-{") at i and returns
// the new input pointer.
func (s *parser) open(i int, cur string) int {
	text := s.text
	var count int
	if len(cur) > 1 {
		// Allow the final character to repeat.
		count = 1 + spanOf(text, i+1, '{', len(text))
	} else {
		count = spanOf(text, i, cur[0], len(text))
	}
	openStart := i
	savedPrefix := false
	lineStart := i > 0 && text[i-1] == '\n'
	if cur == "-{" && count > 2 {
		// "-{{" is "-" then "{{", because the rightmost opening wins.
		savedPrefix = true
		i++
		cur = "{"
		count--
	}
	if count < ruleMin {
		s.addLiteral(openStart, i+count)
		return i + count
	}
	pc := s.newPiece()
	pc.open, pc.close, pc.count = cur, ruleEnd(cur), count
	pc.savedPrefix, pc.openStart, pc.lineStart = savedPrefix, openStart, lineStart
	s.pushBrackets(pc, i+count)
	return i + count
}

// close handles closing characters cur ("}", "]" or "}-") at i and returns
// the new input pointer.
func (s *parser) close(i int, cur string) int {
	text := s.text
	top := &s.stack[len(s.stack)-1]
	// Are there enough characters for closing?
	maxCount := top.count
	if top.close == "}-" && cur == "}" {
		maxCount-- // don't try to match the closing "-" as a "}"
	}
	var count int
	if len(cur) > 1 {
		count = len(cur)
	} else {
		// MediaWiki counts up to maxCount; counting past the rule's maximum
		// would change nothing below but make long runs of closing
		// characters take quadratic time.
		count = spanOf(text, i, cur[0], min(maxCount, ruleMax(top.open)+1))
	}
	// Find the largest match the rule allows (of five closing braces, three
	// may do).
	matchingCount := count
	if count > ruleMax(top.open) {
		matchingCount = ruleMax(top.open)
	} else {
		for matchingCount > 0 {
			if _, ok := ruleName(top.open, matchingCount); ok {
				break
			}
			matchingCount--
		}
	}
	if matchingCount <= 0 {
		// No matching element: the closing characters are literal.
		s.addLiteral(i, i+count)
		return i + count
	}

	pc := s.pop()
	savedLen := 0
	if pc.savedPrefix {
		savedLen = 1
	}
	remaining := pc.count - matchingCount
	kind, _ := ruleName(pc.open, matchingCount)
	if kind == NodeText {
		// Not an element ("[[...]]", "-{...}-"): just literal text, which
		// stays in place. Unmatched opening characters before it either
		// open the construct again, around it, or are text too.
		reopen := remaining >= ruleMin
		s.breakSyntax(&pc, remaining, reopen)
		s.addLiteral(i, i+matchingCount)
		if reopen {
			pc.count = remaining
			pc.parts = append(pc.parts[:0], newPart(pc.openStart+remaining, pc.mark+1))
			s.push(pc)
		}
		return i + matchingCount
	}

	start := pc.openStart + savedLen + remaining
	nd := s.newNode(kind, start, i+matchingCount)
	// The call is at the start of a line if it started one and used up all
	// the opening braces.
	nd.LineStart = maxCount == matchingCount && pc.lineStart && !pc.savedPrefix
	s.fillTemplate(nd, &pc, i)
	s.nodes = s.nodes[:pc.mark]

	// Re-add the piece if it still has unmatched opening characters.
	if remaining > 0 {
		pc.count = remaining
		switch {
		case pc.count >= ruleMin:
			s.pushBrackets(pc, pc.openStart+savedLen+pc.count)
		case pc.count == 1 && pc.open == "{" && pc.savedPrefix:
			// The held back "-" and the last "{" make a "-{".
			pc.savedPrefix = false
			pc.open, pc.count, pc.close = "-{", 2, ruleEnd("-{")
			s.pushBrackets(pc, pc.openStart+2)
		default:
			s.addLiteral(pc.openStart, pc.openStart+savedLen+pc.count)
		}
	} else if pc.savedPrefix {
		s.addLiteral(pc.openStart, pc.openStart+1)
	}
	s.nodes = append(s.nodes, nd)
	return i + matchingCount
}

// fillTemplate gives a template or tplarg node its title and parts from the
// closed piece pc, whose closing characters start at closeAt.
func (s *parser) fillTemplate(nd *Node, pc *piece, closeAt int) {
	parts := pc.parts
	// One allocation for all content lists, one for the structure.
	content := make([]*Node, 0, len(s.nodes)-pc.mark)
	structure := make([]*Node, len(parts)+2*(len(parts)-1))
	nd.Children = structure[:len(parts):len(parts)]
	pairs := structure[len(parts):]
	// Part k's nodes end at the placeholder of the next "|".
	segEnd := func(k int) int {
		if k+1 < len(parts) {
			return parts[k+1].seg - 1
		}
		return len(s.nodes)
	}
	partEnd := func(k int) int {
		if k+1 < len(parts) {
			return parts[k+1].start - 1 // before the next "|"
		}
		return closeAt
	}
	take := func(from, to int) []*Node {
		n := len(content)
		content = materialize(content, s.nodes[from:to])
		return content[n:len(content):len(content)]
	}
	title := s.newNode(NodeTitle, parts[0].start, partEnd(0))
	title.Children = take(parts[0].seg, segEnd(0))
	nd.Children[0] = title
	argIndex := 1
	for k := 1; k < len(parts); k++ {
		pt := &parts[k]
		end := partEnd(k)
		partNode := s.newNode(NodePart, pt.start, end)
		var name, value *Node
		if pt.eq >= 0 {
			name = s.newNode(NodeName, pt.start, pt.eqPos)
			name.Children = take(pt.seg, pt.eq)
			value = s.newNode(NodeValue, pt.eqPos+1, end)
			value.Children = take(pt.eq+1, segEnd(k))
		} else {
			partNode.Index = argIndex
			argIndex++
			name = s.newNode(NodeName, pt.start, pt.start)
			value = s.newNode(NodeValue, pt.start, end)
			value.Children = take(pt.seg, segEnd(k))
		}
		pairs[0], pairs[1] = name, value
		partNode.Children = pairs[0:2:2]
		pairs = pairs[2:]
		nd.Children[k] = partNode
	}
}

// breakSyntax turns an unmatched piece back into text where it stands
// (PPDStackElement_Hash::breakSyntax): its opening characters, the "|"
// between its parts and their "=" become text. When the piece is reopened
// with its remaining leftmost opening characters, the placeholder keeps
// those and the broken opening characters go to the slot after it (or
// join the text already there from an earlier partial break).
func (s *parser) breakSyntax(pc *piece, remaining int, reopen bool) {
	for k := range pc.parts {
		pt := &pc.parts[k]
		if k > 0 {
			s.nodes[pt.seg-1] = s.newNode(NodeText, pt.start-1, pt.start) // the "|"
		}
		if pt.eq >= 0 {
			s.nodes[pt.eq] = s.newNode(NodeText, pt.eqPos, pt.eqPos+1)
		}
	}
	if pc.mark < 0 {
		return // a heading: its text starts with its "="
	}
	savedLen := 0
	if pc.savedPrefix {
		savedLen = 1
	}
	openEnd := pc.openStart + savedLen + pc.count
	if !reopen {
		s.nodes[pc.mark] = s.newNode(NodeText, pc.openStart, openEnd)
		return
	}
	split := pc.openStart + remaining // '[' pieces have no saved prefix
	if spare := s.nodes[pc.mark+1]; spare != nil {
		spare.Start = split
	} else {
		s.nodes[pc.mark+1] = s.newNode(NodeText, split, openEnd)
	}
}

// spanOf counts the bytes c at text[i:], up to limit (PHP's strspn).
func spanOf(text string, i int, c byte, limit int) int {
	end := min(len(text), i+limit)
	k := i
	for k < end && text[k] == c {
		k++
	}
	return k - i
}

// blanksBefore counts the spaces and tabs that end text[:i].
func blanksBefore(text string, i int) int {
	k := i
	for k > 0 && (text[k-1] == ' ' || text[k-1] == '\t') {
		k--
	}
	return i - k
}

// blanksAfter counts the spaces and tabs that start text[i:].
func blanksAfter(text string, i int) int {
	k := i
	for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
		k++
	}
	return k - i
}

// isPCRESpace is PCRE's \s without Unicode support: space, \t, \n, \v, \f, \r.
func isPCRESpace(c byte) bool {
	return c == ' ' || ('\t' <= c && c <= '\r')
}

// asciiEqualFold compares ASCII case-insensitively, as PCRE's /i does
// without Unicode support (strings.EqualFold would also fold "K" (Kelvin
// sign) to "k").
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for k := 0; k < len(a); k++ {
		x, y := a[k], b[k]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	for k := 0; k < len(s); k++ {
		if 'A' <= s[k] && s[k] <= 'Z' {
			b := []byte(s)
			for j := k; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
