package proposals

import (
	"fmt"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// AttributeDecisions applies who decided the proposals: changedBy names
// the author of each row's latest change since the bot's last revision of
// the page (botLast; nil when the bot made the latest one), as
// ChangedRows tells. A decided row whose author is not in the working
// group stays unconfirmed (its unconfirmed= parameter, which the bot
// writes) until a working-group member edits it, and is reported: only
// the working group decides what the bot proposes and, later, sends. With
// no working group, no decision is used. The bot's own copy of a row never
// launders it. A row the bot never wrote, added by the working group, is
// the working group's proposal.
func AttributeDecisions(st *program.State, page string, changedBy map[string]string, botLast *wiki.Page, wg program.WorkingGroup, bot string) {
	var last map[string]string
	if botLast != nil {
		last = ProposalRows(botLast.Content, st.Taxonomy)
	}
	read := pageKey.Get(st)
	if read == nil {
		read = &pageRead{}
		pageKey.Set(st, read)
	}
	read.BotLast = botLast
	rows := read.Rows
	for i, p := range rows {
		who, changed := changedBy[p.Key()]
		if changed && wg.Decides(who, bot) {
			rows[i].UntrustedBy = ""
			if _, bots := last[p.Key()]; botLast != nil && !bots && p.ProposedBy == "" {
				// A row the bot never wrote: the working group proposed it.
				rows[i].ProposedBy = program.ByWorkingGroup
			}
			continue
		}
		if changed && p.Status != program.StatusProposed {
			rows[i].UntrustedBy = wikitext.NormalizeUser(who)
		}
		if rows[i].UntrustedBy == "" || p.Status == program.StatusProposed {
			continue
		}
		reason := "who is not in the working group (LC_WORKING_GROUP)"
		if len(wg) == 0 {
			reason = "and no working group is configured (LC_WORKING_GROUP), so no decision is used"
		}
		st.Problems = append(st.Problems, program.Problem{Page: page, Field: "status", Message: fmt.Sprintf(
			"%s set the proposal %s → %s (%s) to %q, %s; a working-group member can make the decision by editing the row",
			rows[i].UntrustedBy, p.Sharer, strings.Join(p.Learners, ", "), st.Taxonomy.Skill(p.Skill).Name, p.Status, reason)})
	}
}
