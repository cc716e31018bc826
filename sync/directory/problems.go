package directory

import (
	"fmt"
	"unicode/utf8"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// problemsData is what problems.wiki.tmpl renders.
type problemsData struct {
	Pages         []pageProblems
	NotShown      int // pages with problems left out to keep the page small
	Count         int
	Prefix        string
	DirectoryPage string
}

type pageProblems struct {
	Page     string
	Problems []program.Problem
}

// Problems quote what people wrote, which can be anything up to
// MediaWiki's page size (2 MB): the problems page shortens each problem
// and lists at most ProblemsShown per page, so that it stays readable and
// far below that size whatever a page holds.
const (
	ProblemsShown     = 50
	problemFieldRunes = 100
	problemHeadRunes  = 300 // a long message keeps its start and its end
	problemTailRunes  = 200
	problemsPageBytes = 1 << 20
)

// planProblems writes the registration problems page.
func (c settings) planProblems(st *program.State) ([]program.PageChange, error) {
	var grouped []pageProblems
	for _, p := range st.Problems {
		p.Field = shorten(p.Field, problemFieldRunes, 0)
		p.Message = shorten(p.Message, problemHeadRunes, problemTailRunes)
		if n := len(grouped); n > 0 && grouped[n-1].Page == p.Page {
			grouped[n-1].Problems = append(grouped[n-1].Problems, p)
			continue
		}
		grouped = append(grouped, pageProblems{Page: p.Page, Problems: []program.Problem{p}})
	}
	for i, g := range grouped {
		if more := len(g.Problems) - ProblemsShown; more > 0 {
			msg := fmt.Sprintf("%d more problems on this page are not listed; fix the ones above first", more)
			if more == 1 {
				msg = "1 more problem on this page is not listed; fix the ones above first"
			}
			grouped[i].Problems = append(g.Problems[:ProblemsShown:ProblemsShown], program.Problem{Page: g.Page, Message: msg})
		}
	}
	// And at most problemsPageBytes of them in all (every participant of
	// a large program could have made a mistake): the rest are counted.
	size, shown := 0, len(grouped)
	for i, g := range grouped {
		for _, p := range g.Problems {
			size += len(p.Page) + len(p.Field) + len(p.Message) + 40
		}
		if size > problemsPageBytes {
			shown = i
			break
		}
	}
	text, err := templates.Render("problems.wiki.tmpl", problemsData{
		Pages:         grouped[:shown],
		NotShown:      len(grouped) - shown,
		Count:         len(st.Problems),
		Prefix:        c.Program.ParticipantsPrefix,
		DirectoryPage: c.DirectoryPage,
	})
	if err != nil {
		return nil, err
	}
	return []program.PageChange{{
		Title:   c.ProblemsPage,
		Text:    text,
		Summary: "Update the list of registration problems (bot)",
	}}, nil
}

// shorten keeps the first head and last tail characters of s, with "…"
// between, when s is longer.
func shorten(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n <= head+tail+1 {
		return s
	}
	r := []rune(s)
	return string(r[:head]) + "…" + string(r[n-tail:])
}
