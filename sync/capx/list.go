package capx

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// Capacity is one capacity of the Capacity Exchange: its code (CapX's
// Skill.id), its parent's (0 for a root), its names and descriptions by
// language code, and its Wikidata item when CapX gives one.
type Capacity struct {
	Code         int               `json:"code"`
	Parent       int               `json:"parent,omitempty"`
	Wikidata     string            `json:"wikidata,omitempty"`
	Names        map[string]string `json:"names"`
	Descriptions map[string]string `json:"descriptions,omitempty"`
}

// Name is the capacity's English name, or "capacity N" when it has none
// that reads as a name (a missing one, or the raw address CapX shows for
// a missing label).
func (c Capacity) Name() string {
	if n := c.Names["en"]; n != "" && !rawURL(n) {
		return n
	}
	return fmt.Sprintf("capacity %d", c.Code)
}

// NameIn is the capacity's name in lang, else its Name.
func (c Capacity) NameIn(lang string) string {
	if n := c.Names[lang]; n != "" && !rawURL(n) {
		return n
	}
	return c.Name()
}

func rawURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// List is CapX's capacity directory: its capacities in code order.
type List struct {
	Capacities []Capacity
	byCode     map[int]int
	// children by parent (0: the roots), and each capacity's place in a
	// depth-first walk of the tree: where it starts, where its subtree
	// ends.
	children     map[int][]int
	enter, leave map[int]int
	root, depth  map[int]int
}

// Capacity returns the capacity with the code.
func (l *List) Capacity(code int) (Capacity, bool) {
	if l == nil {
		return Capacity{}, false
	}
	i, ok := l.byCode[code]
	if !ok {
		return Capacity{}, false
	}
	return l.Capacities[i], true
}

// Root returns the root of the capacity's tree (itself for a root).
func (l *List) Root(code int) (Capacity, bool) {
	if _, ok := l.Capacity(code); !ok {
		return Capacity{}, false
	}
	return l.Capacities[l.byCode[l.root[code]]], true
}

// Level is the capacity's depth: 1 for a root (0: not in the list).
func (l *List) Level(code int) int { return l.depth[code] }

// Roots returns the roots, in code order.
func (l *List) Roots() []Capacity {
	var out []Capacity
	for _, c := range l.Capacities {
		if c.Parent == 0 {
			out = append(out, c)
		}
	}
	return out
}

// Children returns the capacities whose parent is code, in code order.
func (l *List) Children(code int) []Capacity {
	var out []Capacity
	for _, k := range l.children[code] {
		out = append(out, l.Capacities[l.byCode[k]])
	}
	return out
}

// Note is something about a list that its reader should know: what the
// bot did with an entry it could not take as written (Fixed), or what
// looks odd but is kept as CapX has it.
type Note struct {
	Code    int // the capacity, 0 for the list as a whole
	Fixed   bool
	Message string
}

func (n Note) String() string {
	if n.Code == 0 {
		return n.Message
	}
	return fmt.Sprintf("capacity %d: %s", n.Code, n.Message)
}

// listJSON is the documented shape of a CapX list page (docs/formats.md).
type listJSON struct {
	Description string     `json:"description"`
	Source      string     `json:"source,omitempty"`
	Capacities  []Capacity `json:"capacities"`
}

// Parse reads a CapX list: the JSON shape of the list page, or the CSV
// of CapX's capacity directory (code, parent_code, root_code, level,
// name_CODE, wikidata_qid, description_CODE columns). It never fails on
// an entry: what it cannot use is left out or mended, and a Note says
// so; an error means the text is neither.
func Parse(text []byte) (*List, []Note, error) {
	var caps []Capacity
	var notes []Note
	if t := bytes.TrimSpace(text); len(t) > 0 && t[0] == '{' {
		var doc listJSON
		if err := json.Unmarshal(t, &doc); err != nil {
			return nil, nil, fmt.Errorf("the CapX list is not JSON in the list's shape: %v", err)
		}
		caps = doc.Capacities
	} else {
		var err error
		if caps, notes, err = parseCSV(text); err != nil {
			return nil, nil, err
		}
	}
	l, more := build(caps)
	return l, append(notes, more...), nil
}

// parseCSV reads the directory's CSV; its level and root columns are
// checked against the tree the parents make.
func parseCSV(text []byte) ([]Capacity, []Note, error) {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("the CapX list is neither JSON nor CSV: %v", err)
	}
	if len(rows) == 0 || !slices.Contains(rows[0], "code") {
		return nil, nil, fmt.Errorf("the CapX list has no header line with a %q column", "code")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	cell := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var caps []Capacity
	var notes []Note
	declared := map[int][2]string{}
	for n, row := range rows[1:] {
		code, err := strconv.Atoi(cell(row, "code"))
		if err != nil || code <= 0 {
			notes = append(notes, Note{Fixed: true, Message: fmt.Sprintf("line %d: the code %q is not a capacity code (a positive number); the line is left out", n+2, cell(row, "code"))})
			continue
		}
		c := Capacity{Code: code, Wikidata: cell(row, "wikidata_qid"), Names: map[string]string{}}
		if p := cell(row, "parent_code"); p != "" {
			if c.Parent, err = strconv.Atoi(p); err != nil || c.Parent <= 0 {
				notes = append(notes, Note{Code: code, Fixed: true, Message: fmt.Sprintf("the parent %q is not a capacity code; it is taken as a root", p)})
				c.Parent = 0
			}
		}
		for _, h := range slices.Sorted(maps.Keys(col)) {
			if lang, ok := strings.CutPrefix(h, "name_"); ok && cell(row, h) != "" {
				c.Names[lang] = cell(row, h)
			}
			if lang, ok := strings.CutPrefix(h, "description_"); ok && cell(row, h) != "" {
				if c.Descriptions == nil {
					c.Descriptions = map[string]string{}
				}
				c.Descriptions[lang] = cell(row, h)
			}
		}
		declared[code] = [2]string{cell(row, "level"), cell(row, "root_code")}
		caps = append(caps, c)
	}
	l, _ := build(slices.Clone(caps))
	for _, c := range l.Capacities {
		d := declared[c.Code]
		root, _ := l.Root(c.Code)
		if level := strconv.Itoa(l.Level(c.Code)); d[0] != "" && d[0] != level {
			notes = append(notes, Note{Code: c.Code, Message: fmt.Sprintf("the file says level %s, but its parents make it level %s; the parents are followed", d[0], level)})
		}
		if r := strconv.Itoa(root.Code); d[1] != "" && d[1] != r {
			notes = append(notes, Note{Code: c.Code, Message: fmt.Sprintf("the file says root %s, but its parents lead to %s; the parents are followed", d[1], r)})
		}
	}
	return caps, notes, nil
}

// build indexes the capacities in code order and notes what is odd in
// them: a code listed twice, a parent that is not in the list or that
// makes a loop, a missing name or one that is a raw address, two codes
// with one name in a language, a capacity filed away from its parent's
// other capacities.
func build(caps []Capacity) (*List, []Note) {
	var notes []Note
	l := &List{byCode: map[int]int{}}
	slices.SortStableFunc(caps, func(a, b Capacity) int { return a.Code - b.Code })
	for _, c := range caps {
		if c.Code <= 0 {
			notes = append(notes, Note{Fixed: true, Message: fmt.Sprintf("the code %d is not a capacity code (a positive number); it is left out", c.Code)})
			continue
		}
		if _, dup := l.byCode[c.Code]; dup {
			notes = append(notes, Note{Code: c.Code, Fixed: true, Message: "the code is listed twice; the first is used"})
			continue
		}
		l.byCode[c.Code] = len(l.Capacities)
		l.Capacities = append(l.Capacities, c)
	}
	for i, c := range l.Capacities {
		if c.Parent == 0 {
			continue
		}
		if _, ok := l.Capacity(c.Parent); !ok || c.Parent == c.Code {
			notes = append(notes, Note{Code: c.Code, Fixed: true, Message: fmt.Sprintf("its parent %d is not in the list; it is taken as a root", c.Parent)})
			l.Capacities[i].Parent = 0
		}
	}
	notes = append(notes, breakLoops(l)...)
	l.index()
	for _, c := range l.Capacities {
		switch n := c.Names["en"]; {
		case n == "":
			notes = append(notes, Note{Code: c.Code, Fixed: true, Message: fmt.Sprintf("it has no English name; it is called %q", c.Name())})
		case rawURL(n):
			notes = append(notes, Note{Code: c.Code, Fixed: true, Message: fmt.Sprintf("its name is a web address (%s), CapX's placeholder for a missing label; it is called %q until CapX names it", n, c.Name())})
		}
		if d := c.Descriptions["en"]; d == "" {
			notes = append(notes, Note{Code: c.Code, Message: "it has no English description"})
		}
	}
	notes = append(notes, sharedNames(l)...)
	for _, c := range l.Capacities {
		if p, ok := l.Capacity(c.Parent); ok && c.Parent != 0 {
			if before, after, away := awayFromBranch(l, c); away {
				notes = append(notes, Note{Code: c.Code, Message: fmt.Sprintf("%q is filed under %d (%s), but numbered among other branches' capacities (%s): kept where CapX files it; check that CapX means it there", c.Name(), p.Code, p.Name(), neighbours(before, after))})
			}
		}
	}
	return l, notes
}

// breakLoops takes as a root, in each loop of parents, its capacity of
// the lowest code. Each capacity is walked once: a list page anyone may
// edit must not make the check quadratic.
func breakLoops(l *List) []Note {
	var notes []Note
	walked := map[int]int{} // code → the walk that reached it first
	for w, c := range l.Capacities {
		var path []int
		for code := c.Code; ; {
			if m, seen := walked[code]; seen {
				if m == w { // back on this walk's path: a loop
					loop := path[slices.Index(path, code):]
					i := l.byCode[slices.Min(loop)]
					notes = append(notes, Note{Code: l.Capacities[i].Code, Fixed: true, Message: fmt.Sprintf("its parents lead back to it (through %d); it is taken as a root", l.Capacities[i].Parent)})
					l.Capacities[i].Parent = 0
				}
				break
			}
			walked[code] = w
			path = append(path, code)
			if code = l.Capacities[l.byCode[code]].Parent; code == 0 {
				break
			}
		}
	}
	return notes
}

// index numbers the tree depth first (children in code order), so that
// whether one capacity is under another is two comparisons.
func (l *List) index() {
	children := map[int][]int{}
	for _, c := range l.Capacities {
		children[c.Parent] = append(children[c.Parent], c.Code)
	}
	l.children = children
	l.enter, l.leave, l.root, l.depth = map[int]int{}, map[int]int{}, map[int]int{}, map[int]int{}
	n := 0
	type frame struct{ code, next int }
	for _, root := range children[0] {
		stack := []frame{{root, 0}}
		l.enter[root], l.root[root], l.depth[root] = n, root, 1
		n++
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if kids := children[f.code]; f.next < len(kids) {
				k := kids[f.next]
				f.next++
				l.enter[k], l.root[k], l.depth[k] = n, root, len(stack)+1
				n++
				stack = append(stack, frame{k, 0})
				continue
			}
			l.leave[f.code] = n
			stack = stack[:len(stack)-1]
		}
	}
}

// sharedNames notes the names two codes share in one language (read as
// case and spacing fold them): the pages in that language cannot tell
// them apart by name.
func sharedNames(l *List) []Note {
	type key struct{ lang, name string }
	codes := map[key][]int{}
	for _, c := range l.Capacities {
		for lang, n := range c.Names {
			if !rawURL(n) {
				k := key{lang, program.TextKey(n)}
				codes[k] = append(codes[k], c.Code)
			}
		}
	}
	var notes []Note
	for _, c := range l.Capacities {
		for _, lang := range slices.Sorted(maps.Keys(c.Names)) {
			same := codes[key{lang, program.TextKey(c.Names[lang])}]
			if len(same) > 1 && same[0] == c.Code {
				notes = append(notes, Note{Code: c.Code, Message: fmt.Sprintf("the codes %s share the %s name %q: pages in that language show it for each", joinCodes(same), lang, c.Names[lang])})
			}
		}
	}
	return notes
}

// awayFromBranch reports whether a capacity is numbered among other
// branches' capacities: the codes just before and just after it (its own
// subtree aside) are outside its parent's subtree. CapX numbers a
// branch's capacities together; one filed elsewhere was often moved
// there. It returns those neighbours (0: none). The look past its own
// subtree stops after scanLimit codes (then: none after it).
func awayFromBranch(l *List, c Capacity) (before, after int, away bool) {
	i := l.byCode[c.Code]
	if i > 0 {
		before = l.Capacities[i-1].Code
	}
	for k, n := range l.Capacities[i+1:] {
		if k == scanLimit {
			break
		}
		if !l.under(n.Code, c.Code) {
			after = n.Code
			break
		}
	}
	inside := func(code int) bool { return code != 0 && l.under(code, c.Parent) }
	return before, after, !inside(before) && !inside(after)
}

const scanLimit = 64

// under reports whether code is ancestor or one of its descendants.
func (l *List) under(code, ancestor int) bool {
	e, ok := l.enter[code]
	a, found := l.enter[ancestor]
	return ok && found && a <= e && e < l.leave[ancestor]
}

func neighbours(before, after int) string {
	if after == 0 {
		return fmt.Sprintf("after %d, last of the list", before)
	}
	return fmt.Sprintf("between %d and %d", before, after)
}

func joinCodes(codes []int) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = strconv.Itoa(c)
	}
	if len(s) == 2 {
		return s[0] + " and " + s[1]
	}
	return strings.Join(s, ", ")
}

// JSON is the list in the list page's shape, ready to be written.
func (l *List) JSON(description, source string) (string, error) {
	b, err := json.MarshalIndent(listJSON{Description: description, Source: source, Capacities: l.Capacities}, "", "    ")
	return string(b), err
}
