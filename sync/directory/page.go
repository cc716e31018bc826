package directory

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// directoryData is what directory.wiki.tmpl renders.
type directoryData struct {
	L program.Locale
	Directory
	Registrations int
	ProblemsPage  string
	Prefix        string
	ResourcesPage string
}

// planDirectory writes the skills directory, in each page language.
func (c settings) planDirectory(st *program.State) ([]program.PageChange, error) {
	d := BuildDirectory(st.Taxonomy, st.Registrations)
	for i := range d.Categories {
		for j := range d.Categories[i].Rows {
			for k, s := range d.Categories[i].Rows[j].Sharers {
				if r := st.Registration(s.Username); r != nil && r.Away(st.Now) {
					d.Categories[i].Rows[j].Sharers[k].AwayUntil = program.Day(r.AwayUntil)
				}
			}
		}
	}
	if c.ResourcesPage != "" {
		counts := calendar.ResourceCounts(st.Resources)
		for i := range d.Categories {
			for j := range d.Categories[i].Rows {
				d.Categories[i].Rows[j].Resources = counts[d.Categories[i].Rows[j].Skill.ID]
			}
		}
	}
	return program.InLanguages(c.Program.PageLanguages, program.PageChange{
		Title:   c.DirectoryPage,
		Summary: "Update the skills directory from the registrations (bot)",
	}, func(l program.Locale) (string, error) {
		return templates.Render("directory.wiki.tmpl", directoryData{
			L:             l,
			Directory:     d,
			Registrations: len(st.Registrations),
			ProblemsPage:  c.ProblemsPage,
			Prefix:        c.Program.ParticipantsPrefix,
			ResourcesPage: c.ResourcesPage,
		})
	})
}
