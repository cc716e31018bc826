package sync

import (
	"context"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
)

// attributeDecisions reads who made each row's latest change since the
// bot's last revision of the proposals page, for the domain's rule on who
// decides (domain.AttributeDecisions).
func (e *Engine) attributeDecisions(ctx context.Context, st *domain.State, page *domain.Page) error {
	changedBy, botLast, err := e.rowChanges(ctx, page, func(text string) map[string]string { return domain.ProposalRows(text, st.Taxonomy) })
	if err != nil {
		return err
	}
	domain.AttributeDecisions(st, page.Title, changedBy, botLast, e.Config.WorkingGroup, e.botName())
	return nil
}
