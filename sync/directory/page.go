package directory

import (
	"fmt"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// directoryData is what directory.wiki.tmpl renders.
type directoryData struct {
	L program.Locale
	Directory
	Registrations int
	ProblemsPage  string
	Prefix        string
	ResourcesPage string
	capx          capx.Config
}

// CapXLinks is the capacities a skill is mapped to, each its name in the
// page's language and its code, linked to its page on CapX.
func (d directoryData) CapXLinks(caps []capx.Capacity) string {
	var out []string
	for _, c := range caps {
		text := fmt.Sprintf("%s (%d)", wikitext.Escape(c.NameIn(d.L.Lang)), c.Code)
		if link := d.capx.Link(c.Code); link != "" {
			text = "[" + wikitext.EscapeURL(link) + " " + text + "]"
		}
		out = append(out, text)
	}
	return strings.Join(out, ", ")
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
	for i := range d.Categories {
		for j := range d.Categories[i].Rows {
			d.Categories[i].Rows[j].CapX = capx.Capacities(st, d.Categories[i].Rows[j].Skill)
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
			capx:          c.CapX,
		})
	})
}
