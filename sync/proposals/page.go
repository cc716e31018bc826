package proposals

import (
	"fmt"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// planProposals writes the Proposed connections page: the rows awaiting a
// decision (Propose) and the decided ones as people left them.
func (c settings) planProposals(st *program.State) ([]program.PageChange, error) {
	if c.ProposalsPage == "" {
		return nil, nil
	}
	proposed, err := Propose(st, c.Match, c.MaxProposals, c.run)
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
	read := pageKey.Get(st)
	for _, p := range Rows(st) {
		switch {
		case p.Status == program.StatusProposed:
		case !p.Decided(): // a decision by someone outside the working group
			data.Other = append(data.Other, rawRow(p))
		case p.Status == program.StatusApproved:
			data.Approved = append(data.Approved, rawRow(p))
		case p.Status == program.StatusRejected:
			data.Rejected = append(data.Rejected, rawRow(p))
		default:
			data.Other = append(data.Other, rawRow(p))
		}
	}
	data.ProblemsURL = c.ProblemsPage
	data.WorkingGroup = workingGroupAttr(st.WorkingGroup)
	data.LeftOut, data.Paused, data.PartlyUsed = registrationsNotMatched(st, c.Program.ParticipantsPrefix)
	text, err := templates.Render("proposals.wiki.tmpl", data)
	if err != nil {
		return nil, err
	}
	return []program.PageChange{{
		Title:     c.ProposalsPage,
		Text:      text,
		Summary:   fmt.Sprintf("Update the proposed connections: %d awaiting a decision (bot)", len(open)),
		Base:      read.page(),
		HumanRows: proposalsHumanRows,
		BotLast:   read.botLast(),
	}}, nil
}

// registrationsNotMatched counts, for the proposals page, the registration
// pages with a problem that leaves them out, the paused registrations, and
// the registrations matched although a field of theirs has a problem.
func registrationsNotMatched(st *program.State, prefix string) (leftOut, paused, partlyUsed int) {
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
