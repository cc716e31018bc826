package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// directoryData is what directory.wiki.tmpl renders.
type directoryData struct {
	L Locale
	Directory
	Registrations int
	ProblemsPage  string
	Prefix        string
	ResourcesPage string
}

func (c Config) PlanDirectory(st *State) ([]PageChange, error) {
	d := BuildDirectory(st.Taxonomy, st.Registrations)
	if c.ResourcesPage != "" {
		counts := ResourceCounts(st.Resources)
		for i := range d.Categories {
			for j := range d.Categories[i].Rows {
				d.Categories[i].Rows[j].Resources = counts[d.Categories[i].Rows[j].Skill.ID]
			}
		}
	}
	return c.inLanguages(PageChange{
		Title:   c.DirectoryPage,
		Summary: "Update the skills directory from the registrations (bot)",
	}, func(l Locale) (string, error) {
		return templates.Render("directory.wiki.tmpl", directoryData{
			L:             l,
			Directory:     d,
			Registrations: len(st.Registrations),
			ProblemsPage:  c.ProblemsPage,
			Prefix:        c.ParticipantsPrefix,
			ResourcesPage: c.ResourcesPage,
		})
	})
}

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
	Problems []Problem
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

func (c Config) PlanProblems(st *State) ([]PageChange, error) {
	var grouped []pageProblems
	for _, p := range st.Problems {
		p.Field = shorten(p.Field, problemFieldRunes, 0)
		p.Message = shorten(p.Message, problemHeadRunes, problemTailRunes)
		if n := len(grouped); n > 0 && grouped[n-1].Page == p.Page {
			grouped[n-1].Problems = append(grouped[n-1].Problems, p)
			continue
		}
		grouped = append(grouped, pageProblems{Page: p.Page, Problems: []Problem{p}})
	}
	for i, g := range grouped {
		if more := len(g.Problems) - ProblemsShown; more > 0 {
			msg := fmt.Sprintf("%d more problems on this page are not listed; fix the ones above first", more)
			if more == 1 {
				msg = "1 more problem on this page is not listed; fix the ones above first"
			}
			grouped[i].Problems = append(g.Problems[:ProblemsShown:ProblemsShown], Problem{Page: g.Page, Message: msg})
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
		Prefix:        c.ParticipantsPrefix,
		DirectoryPage: c.DirectoryPage,
	})
	if err != nil {
		return nil, err
	}
	return []PageChange{{
		Title:   c.ProblemsPage,
		Text:    text,
		Summary: "Update the list of registration problems (bot)",
	}}, nil
}

func (c Config) PlanProposals(st *State, run func(match.Input) (*match.Result, error)) ([]PageChange, error) {
	if c.ProposalsPage == "" {
		return nil, nil
	}
	proposed, err := Propose(st, c.Match, c.MaxProposals, run)
	if err != nil {
		return nil, err
	}
	open := proposed.Shown
	data := proposalsData{NotShown: proposed.NotShown}
	for _, p := range open {
		data.Open = append(data.Open, rowOf(p, st.Taxonomy))
		if p.Kind == match.Group {
			data.Groups++
		} else {
			data.OneToOne++
		}
	}
	for _, p := range st.Proposals {
		switch {
		case p.Status == StatusProposed:
		case !p.Decided(): // a decision by someone outside the working group
			data.Other = append(data.Other, rawRow(p))
		case p.Status == StatusApproved:
			data.Approved = append(data.Approved, rawRow(p))
		case p.Status == StatusRejected:
			data.Rejected = append(data.Rejected, rawRow(p))
		default:
			data.Other = append(data.Other, rawRow(p))
		}
	}
	data.ProblemsURL = c.ProblemsPage
	data.LeftOut, data.Paused, data.PartlyUsed = registrationsNotMatched(st, c.ParticipantsPrefix)
	text, err := templates.Render("proposals.wiki.tmpl", data)
	if err != nil {
		return nil, err
	}
	return []PageChange{{
		Title:     c.ProposalsPage,
		Text:      text,
		Summary:   fmt.Sprintf("Update the proposed connections: %d awaiting a decision (bot)", len(open)),
		Base:      st.ProposalsPage,
		HumanRows: proposalsHumanRows,
		BotLast:   st.ProposalsBotLast,
	}}, nil
}

// registrationsNotMatched counts, for the proposals page, the registration
// pages with a problem that leaves them out, the paused registrations, and
// the registrations matched although a field of theirs has a problem.
func registrationsNotMatched(st *State, prefix string) (leftOut, paused, partlyUsed int) {
	valid := map[string]bool{}
	for _, r := range st.Registrations {
		valid[r.Page] = true
		if !r.Active {
			paused++
		}
	}
	seen := map[string]bool{}
	for _, p := range st.Problems {
		if !strings.HasPrefix(p.Page, prefix) || seen[p.Page] {
			continue
		}
		seen[p.Page] = true
		if valid[p.Page] {
			partlyUsed++
		} else {
			leftOut++
		}
	}
	return leftOut, paused, partlyUsed
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
