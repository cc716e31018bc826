package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Problem is something wrong in what a person wrote on the wiki, said in
// plain words so that they can fix it.
type Problem struct {
	Page    string // the page to fix
	Field   string // the template parameter, or "" for the page as a whole
	Message string
}

func (p Problem) String() string {
	if p.Field == "" {
		return fmt.Sprintf("%s: %s", p.Page, p.Message)
	}
	return fmt.Sprintf("%s: %s: %s", p.Page, p.Field, p.Message)
}

// problems collects Problems for one page.
type problems struct {
	page string
	list []Problem
}

func (ps *problems) add(field, format string, args ...any) {
	ps.list = append(ps.list, Problem{Page: ps.page, Field: field, Message: fmt.Sprintf(format, args...)})
}

// SortProblems orders problems by page, so that generated pages are
// stable; within a page they keep the order the checks found them in,
// which reads top to bottom like the template (and puts "the registration
// is incomplete" after the fields that make it so).
func SortProblems(list []Problem) {
	slices.SortStableFunc(list, func(a, b Problem) int { return strings.Compare(a.Page, b.Page) })
}
