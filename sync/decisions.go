package sync

import (
	"context"
	"fmt"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// attributeDecisions finds who made each row's latest change since the
// bot's last revision of the page, and marks the decided rows whose
// author is not in the working group (LC_WORKING_GROUP): only the working
// group decides what the bot proposes and, later, sends. With no working
// group configured, no decision is used. A row stays unconfirmed (its
// unconfirmed= parameter, which the bot writes) until a working-group
// member edits it: the bot's own copy of the row never launders it.
func (e *Engine) attributeDecisions(ctx context.Context, st *domain.State, page *domain.Page) error {
	changedBy, botLast, err := e.rowChanges(ctx, page, func(text string) map[string]string { return domain.ProposalRows(text, st.Taxonomy) })
	if err != nil {
		return err
	}
	var last map[string]string
	if botLast != nil {
		last = domain.ProposalRows(botLast.Content, st.Taxonomy)
	}
	st.ProposalsBotLast = botLast
	for i, p := range st.Proposals {
		who, changed := changedBy[p.Key()]
		if changed && e.inWorkingGroup(who) {
			st.Proposals[i].UntrustedBy = ""
			if _, bots := last[p.Key()]; botLast != nil && !bots && p.ProposedBy == "" {
				// A row the bot never wrote: the working group proposed it.
				st.Proposals[i].ProposedBy = domain.ByWorkingGroup
			}
			continue
		}
		if changed && p.Status != domain.StatusProposed {
			st.Proposals[i].UntrustedBy = wikitext.NormalizeUser(who)
		}
		if st.Proposals[i].UntrustedBy == "" || p.Status == domain.StatusProposed {
			continue
		}
		reason := "who is not in the working group (LC_WORKING_GROUP)"
		if len(e.Config.WorkingGroup) == 0 {
			reason = "and no working group is configured (LC_WORKING_GROUP), so no decision is used"
		}
		st.Problems = append(st.Problems, domain.Problem{Page: page.Title, Field: "status", Message: fmt.Sprintf(
			"%s set the proposal %s → %s (%s) to %q, %s; a working-group member can make the decision by editing the row",
			st.Proposals[i].UntrustedBy, p.Sharer, strings.Join(p.Learners, ", "), st.Taxonomy.Skill(p.Skill).Name, p.Status, reason)})
	}
	return nil
}
