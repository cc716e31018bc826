package templates

import (
	"math"
	"strconv"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// Bar is one bar of a chart.
type Bar struct {
	Label string  // participant-derived text allowed: escaped with wikitext.Escape
	Value float64 // >= 0; a negative or non-finite value is drawn as 0
	Text  string  // what is written after the bar, e.g. "61% (109)"; escaped too
}

// barColor is a mid blue (MediaWiki's progressive colour) that keeps more
// than 3:1 contrast, the minimum for graphics, against both a light skin's
// white (5.2:1) and a dark skin's near-black background (about 3.5:1).
const barColor = "#36c"

// BarChart returns wikitext drawing a horizontal bar chart: a caption, then
// one row per bar with the label, a bar whose CSS width is Value divided by
// the chart's largest Value (100% for the largest; 0 bars, and every bar of
// a chart whose values are all 0, have width 0), and the text. The width is
// written as a percentage with one decimal ("61.0%"). The output is
// deterministic.
//
// The chart is a plain wikitext table with inline styles, so it renders on
// any MediaWiki: no extension, template, module or script is involved. It
// starts with "{|" and ends with "|}" without a line break, so it must stand
// on a line of its own. Each label is a row header (class "lc-bar-label"),
// each bar a <div class="lc-bar"> with the value in data-value and the text
// in title, and each text a cell of class "lc-bar-text": readers of screen
// readers hear the label and the text; the bar itself is hidden from them
// (aria-hidden), since it repeats the text. A non-empty bar also has a
// border of its colour, which forced-colours modes and printers (which drop
// backgrounds) still draw.
//
// The caption, labels and texts go through wikitext.Escape, so nothing in
// them can open a template, a link, a category or a table.
func BarChart(caption string, bars []Bar) string {
	values := make([]float64, len(bars))
	largest := 0.0
	for k, bar := range bars {
		v := bar.Value
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			v = 0
		}
		values[k] = v
		largest = max(largest, v)
	}

	var b strings.Builder
	b.WriteString(`{| class="lc-barchart" style="width:100%;max-width:50em;border-collapse:collapse"`)
	if c := wikitext.Escape(caption); c != "" {
		b.WriteString("\n|+ class=\"lc-barchart-caption\" style=\"text-align:left;font-weight:bold;padding:0.2em 0\" | ")
		b.WriteString(c)
	}
	for k, bar := range bars {
		v := values[k]
		width := 0.0
		if largest > 0 {
			width = 100 * v / largest
		}
		text := wikitext.Escape(bar.Text)

		b.WriteString("\n|-\n")
		b.WriteString(`! scope="row" class="lc-bar-label" style="text-align:left;font-weight:normal;padding:0.2em 0.5em 0.2em 0;vertical-align:middle" | `)
		b.WriteString(wikitext.Escape(bar.Label))

		b.WriteString("\n")
		b.WriteString(`| class="lc-bar-cell" style="width:60%;padding:0.2em 0;vertical-align:middle" | `)
		b.WriteString(`<div class="lc-bar" data-value="`)
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		b.WriteString(`" title="`)
		b.WriteString(escapeAttr(text))
		b.WriteString(`" aria-hidden="true" style="box-sizing:border-box;width:`)
		b.WriteString(strconv.FormatFloat(width, 'f', 1, 64))
		b.WriteString(`%;height:1em;background:` + barColor)
		if v > 0 {
			b.WriteString(`;border:1px solid ` + barColor)
		}
		b.WriteString(`"></div>`)

		b.WriteString("\n")
		b.WriteString(`| class="lc-bar-text" style="white-space:nowrap;padding:0.2em 0 0.2em 0.5em;vertical-align:middle" | `)
		b.WriteString(text)
	}
	b.WriteString("\n|}")
	return b.String()
}

// escapeAttr makes escaped text safe inside a double-quoted attribute:
// wikitext.Escape already turned "<", ">", "&" and "'" into character
// references, which leaves the quote.
func escapeAttr(escaped string) string {
	return strings.ReplaceAll(escaped, `"`, "&#34;")
}
