// Package capx is the Capacity Exchange's vocabulary in Let's Connect:
// CapX's capacity list (read from a JSON page on the wiki or a file the
// operator names), the taxonomy's skills mapped to its capacities (the
// skill template's capx parameter) and checked against it, and a
// taxonomy page built from the list (the import; docs/formats.md). The
// directory links the capacities, the report counts per CapX root, and
// sync/opendata publishes the codes.
package capx

import (
	"fmt"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// TaskCapX is the name of the task that reads the list and checks the
// mapping.
const TaskCapX = "capx"

// Config is where CapX's list comes from and how its capacities are
// linked.
type Config struct {
	ListPage string `env:"LC_CAPX_PAGE" root:"/CapX capacities.json" doc:"JSON page holding CapX's capacity list (docs/formats.md), read in the taxonomy's request (no request of its own); unused when LC_CAPX_FILE is set"`
	ListFile string `env:"LC_CAPX_FILE" doc:"a file holding CapX's capacity list (its JSON shape, or CapX's directory as CSV) instead of LC_CAPX_PAGE: read from disk at each start, no request"`
	URL      string `env:"LC_CAPX_URL" envDefault:"https://capx.toolforge.org/capacity/$1" keepEmpty:"true" doc:"a capacity's page on the Capacity Exchange, $1 its code: the skills directory links each mapped skill there (empty: the code without a link)"`
	// File is LC_CAPX_FILE's content, which the command reads (a
	// behaviour reads no file).
	File []byte
}

// list is CapX's list, as read (nil: none).
var list = program.NewKey[*List]("capx list")

// ListOf returns CapX's list as read, or nil.
func ListOf(st *program.State) *List { return list.Get(st) }

// SetList sets CapX's list, as if read.
func SetList(st *program.State, l *List) { list.Set(st, l) }

// Task reads CapX's list (with the taxonomy, from the page; or from the
// file's content) and reports the taxonomy's codes it does not have, and
// what in the list page the bot had to mend, on the problems page.
func Task(p program.Config, c Config) program.Task {
	r := program.Read{What: "reading CapX's capacity list", WithTaxonomy: true}
	if c.File == nil && c.ListPage != "" {
		r.Titles = []string{c.ListPage}
	}
	r.Use = func(st *program.State, pages []program.ReadPage) error {
		source, text := c.ListFile, c.File
		if c.File == nil {
			if len(pages) == 0 || !pages[0].Exists() {
				st.Problems = append(st.Problems, unchecked(p.TaxonomyPage, st.Taxonomy, c.ListPage)...)
				return nil
			}
			source, text = pages[0].Title, []byte(pages[0].Content)
		}
		l, notes, err := Parse(text)
		if err != nil {
			if c.File != nil {
				return fmt.Errorf("%s (LC_CAPX_FILE): %w", source, err)
			}
			st.Problems = append(st.Problems, program.Problem{Page: source, Message: err.Error() + "; the taxonomy's CapX codes are not checked until it is fixed"})
			return nil
		}
		if c.File == nil {
			for _, n := range notes {
				if n.Fixed {
					st.Problems = append(st.Problems, program.Problem{Page: source, Field: noteField(n), Message: n.Message})
				}
			}
		}
		list.Set(st, l)
		st.Problems = append(st.Problems, Check(p.TaxonomyPage, st.Taxonomy, l, source)...)
		return nil
	}
	return program.Task{Name: TaskCapX, Description: "read CapX's capacity list and check the taxonomy's capx codes", Reads: []program.Read{r}}
}

func noteField(n Note) string {
	if n.Code == 0 {
		return ""
	}
	return fmt.Sprintf("code %d", n.Code)
}

// Check lists the taxonomy's capx codes that CapX's list (read from
// source) does not have.
func Check(taxonomyPage string, tx *program.Taxonomy, l *List, source string) []program.Problem {
	var out []program.Problem
	for _, s := range tx.Skills {
		for _, code := range s.CapX {
			if _, ok := l.Capacity(code); !ok {
				out = append(out, program.Problem{Page: taxonomyPage, Field: "capx", Message: fmt.Sprintf(
					"the skill %q names the CapX capacity %d, which CapX's list (%s) does not have: check the code; the directory shows the skill without it", s.ID, code, source)})
			}
		}
	}
	return out
}

// unchecked is the one problem of a mapped taxonomy without a list.
func unchecked(taxonomyPage string, tx *program.Taxonomy, listPage string) []program.Problem {
	if !Mapped(tx) {
		return nil
	}
	where := "no list is configured (LC_CAPX_PAGE or LC_CAPX_FILE)"
	if listPage != "" {
		where = fmt.Sprintf("the list page %q does not exist (`letsconnect taxonomy import-capx FILE --write` writes it)", listPage)
	}
	return []program.Problem{{Page: taxonomyPage, Field: "capx", Message: "skills name CapX capacities, but " + where + ": the codes are not checked and the directory does not link them"}}
}

// Mapped reports whether a skill of the taxonomy names a CapX capacity.
func Mapped(tx *program.Taxonomy) bool {
	for _, s := range tx.Skills {
		if len(s.CapX) > 0 {
			return true
		}
	}
	return false
}

// Capacities returns the capacities of the list a skill is mapped to, in
// the order the skill names them (codes the list lacks left out).
func Capacities(st *program.State, s program.Skill) []Capacity {
	var out []Capacity
	for _, code := range s.CapX {
		if c, ok := ListOf(st).Capacity(code); ok {
			out = append(out, c)
		}
	}
	return out
}

// Link is the address of a capacity's page on CapX, "" without one.
func (c Config) Link(code int) string {
	if c.URL == "" {
		return ""
	}
	return strings.ReplaceAll(c.URL, "$1", fmt.Sprint(code))
}
