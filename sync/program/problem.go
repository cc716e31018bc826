package program

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

// ProblemList collects the Problems of one page.
type ProblemList struct {
	Page string
	List []Problem
}

// Add adds a problem with field, its message formatted as fmt.Sprintf.
func (ps *ProblemList) Add(field, format string, args ...any) {
	ps.List = append(ps.List, Problem{Page: ps.Page, Field: field, Message: fmt.Sprintf(format, args...)})
}

// SortProblems orders problems by page, so that generated pages are
// stable; within a page they keep the order the checks found them in,
// which reads top to bottom like the template (and puts "the registration
// is incomplete" after the fields that make it so).
func SortProblems(list []Problem) {
	slices.SortStableFunc(list, func(a, b Problem) int { return strings.Compare(a.Page, b.Page) })
}
