package wikitest

import (
	"slices"
	"strings"
)

// merge3 merges two edits of the same base text as MediaWiki does when an
// edit's base revision is no longer the latest (EditPage's merge,
// wfMerge with GNU diff3): mine and theirs each changed base, line by
// line; changes to different lines are both kept. It fails (an edit
// conflict) where the two changed the same lines or lines next to each
// other (an insertion next to a changed line counts), unless they made
// the same change there.
//
// Where one side's changes are too far apart to diff cheaply the fake
// takes them as one change, so it may report a conflict that MediaWiki
// would have merged, never the reverse.
func merge3(base, mine, theirs string) (string, bool) {
	o := strings.Split(base, "\n")
	ours, others := diffLines(o, strings.Split(mine, "\n")), diffLines(o, strings.Split(theirs, "\n"))
	var out []string
	pos := 0 // the next base line to copy
	for len(ours) > 0 || len(others) > 0 {
		// A group: hunks of either side that overlap or touch.
		var ga, gb []hunk
		start := -1
		if len(ours) > 0 && (len(others) == 0 || ours[0].start <= others[0].start) {
			start = ours[0].start
		} else {
			start = others[0].start
		}
		end := start
	group:
		for {
			switch {
			case len(ours) > 0 && ours[0].start <= end:
				ga, end, ours = append(ga, ours[0]), max(end, ours[0].end), ours[1:]
			case len(others) > 0 && others[0].start <= end:
				gb, end, others = append(gb, others[0]), max(end, others[0].end), others[1:]
			default:
				break group
			}
		}
		out = append(out, o[pos:start]...)
		a, b := apply(o, start, end, ga), apply(o, start, end, gb)
		switch {
		case len(gb) == 0:
			out = append(out, a...)
		case len(ga) == 0, slices.Equal(a, b):
			out = append(out, b...)
		default:
			return "", false
		}
		pos = end
	}
	out = append(out, o[pos:]...)
	return strings.Join(out, "\n"), true
}

// hunk is one change: base lines [start, end) become lines.
type hunk struct {
	start, end int
	lines      []string
}

// apply returns base lines [start, end) with the hunks (inside them, in
// order) applied.
func apply(base []string, start, end int, hunks []hunk) []string {
	var out []string
	for _, h := range hunks {
		out = append(out, base[start:h.start]...)
		out = append(out, h.lines...)
		start = h.end
	}
	return append(out, base[start:end]...)
}

// maxDiffCells bounds the table of diffLines's longest common
// subsequence (between the first and the last changed line).
const maxDiffCells = 1 << 20

// diffLines returns the hunks that turn a into b, in order, none touching
// another.
func diffLines(a, b []string) []hunk {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma) == 0 && len(mb) == 0 {
		return nil
	}
	if len(ma)*len(mb) > maxDiffCells {
		return []hunk{{pre, pre + len(ma), mb}}
	}
	// lcs[i][j]: the longest common subsequence of ma[i:] and mb[j:].
	w := len(mb) + 1
	lcs := make([]int, (len(ma)+1)*w)
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if ma[i] == mb[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	var hunks []hunk
	var cur *hunk
	i, j := 0, 0
	for i < len(ma) || j < len(mb) {
		if i < len(ma) && j < len(mb) && ma[i] == mb[j] {
			cur = nil
			i, j = i+1, j+1
			continue
		}
		if cur == nil {
			hunks = append(hunks, hunk{start: pre + i, end: pre + i})
			cur = &hunks[len(hunks)-1]
		}
		if j >= len(mb) || i < len(ma) && lcs[(i+1)*w+j] >= lcs[i*w+j+1] {
			i++
			cur.end = pre + i
		} else {
			cur.lines = append(cur.lines, mb[j])
			j++
		}
	}
	return slide(a, hunks)
}

// slide moves each insertion and deletion as far down as the lines
// around it allow (an inserted or deleted line in a run of equal lines is
// the run's last), as GNU diff's shift_boundaries does, so that changes
// line up with diff3's. A hunk that reaches the next one joins it.
func slide(a []string, hunks []hunk) []hunk {
	var out []hunk
	for i := 0; i < len(hunks); i++ {
		h := hunks[i]
		next := len(a)
		if i+1 < len(hunks) {
			next = hunks[i+1].start
		}
		switch {
		case len(h.lines) == 0: // a deletion
			for h.end < next && a[h.start] == a[h.end] {
				h.start, h.end = h.start+1, h.end+1
			}
		case h.start == h.end: // an insertion
			for h.start < next && h.lines[0] == a[h.start] {
				h.lines = append(slices.Clone(h.lines[1:]), a[h.start])
				h.start, h.end = h.start+1, h.end+1
			}
		}
		if i+1 < len(hunks) && h.end == hunks[i+1].start {
			n := hunks[i+1]
			hunks[i+1] = hunk{h.start, n.end, append(slices.Clone(h.lines), n.lines...)}
			continue
		}
		out = append(out, h)
	}
	return out
}
