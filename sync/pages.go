package sync

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// directoryData is what directory.wiki.tmpl renders.
type directoryData struct {
	Directory
	Registrations int
	ProblemsPage  string
	Prefix        string
}

func (e *Engine) planDirectory(st *State) ([]PageChange, error) {
	d := BuildDirectory(st.Taxonomy, st.Registrations)
	text, err := templates.Render("directory.wiki.tmpl", directoryData{
		Directory:     d,
		Registrations: len(st.Registrations),
		ProblemsPage:  e.Config.ProblemsPage,
		Prefix:        e.Config.ParticipantsPrefix,
	})
	if err != nil {
		return nil, err
	}
	return []PageChange{{
		Title:   e.Config.DirectoryPage,
		Text:    text,
		Summary: "Update the skills directory from the registrations (bot)",
	}}, nil
}

// problemsData is what problems.wiki.tmpl renders.
type problemsData struct {
	Pages         []pageProblems
	Count         int
	Prefix        string
	DirectoryPage string
}

type pageProblems struct {
	Page     string
	Problems []Problem
}

func (e *Engine) planProblems(st *State) ([]PageChange, error) {
	var grouped []pageProblems
	for _, p := range st.Problems {
		if n := len(grouped); n > 0 && grouped[n-1].Page == p.Page {
			grouped[n-1].Problems = append(grouped[n-1].Problems, p)
			continue
		}
		grouped = append(grouped, pageProblems{Page: p.Page, Problems: []Problem{p}})
	}
	text, err := templates.Render("problems.wiki.tmpl", problemsData{
		Pages:         grouped,
		Count:         len(st.Problems),
		Prefix:        e.Config.ParticipantsPrefix,
		DirectoryPage: e.Config.DirectoryPage,
	})
	if err != nil {
		return nil, err
	}
	return []PageChange{{
		Title:   e.Config.ProblemsPage,
		Text:    text,
		Summary: "Update the list of registration problems (bot)",
	}}, nil
}
