package demo

import (
	"bufio"
	"crypto/sha1"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// WriteXML writes the pages in MediaWiki's XML export format (0.11), for
// importDump.php. Each page's revision is attributed to its user by name:
// importDump assigns it to the local account of that name.
func WriteXML(w io.Writer, pages []Revision) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">` + "\n")
	// Newlines stay as they are (xml.EscapeText would write &#xA;), so
	// that the file is readable.
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
	for _, p := range pages {
		model, format := "wikitext", "text/x-wiki"
		if p.Model == "json" {
			model, format = "json", "application/json"
		}
		fmt.Fprintf(bw, "  <page>\n    <title>%s</title>\n    <revision>\n      <timestamp>%s</timestamp>\n"+
			"      <contributor><username>%s</username></contributor>\n      <comment>%s</comment>\n"+
			"      <model>%s</model>\n      <sha1>%s</sha1>\n      <format>%s</format>\n"+
			"      <text xml:space=\"preserve\">%s</text>\n    </revision>\n  </page>\n",
			esc(p.Title), p.Time.UTC().Format(time.RFC3339), esc(p.User), esc(p.Comment), model, sha1Base36(p.Text), format, esc(p.Text))
	}
	bw.WriteString("</mediawiki>\n")
	return bw.Flush()
}

// sha1Base36 is MediaWiki's rev_sha1: the SHA-1 of the text in base 36,
// padded to 31 digits. With it in the dump, importDump.php skips revisions
// the wiki already has, so importing the same file twice changes nothing.
func sha1Base36(text string) string {
	sum := sha1.Sum([]byte(text))
	s := new(big.Int).SetBytes(sum[:]).Text(36)
	return strings.Repeat("0", max(0, 31-len(s))) + s
}
