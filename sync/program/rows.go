package program

import (
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// This file holds the rules for the pages whose rows people edit (the
// Proposed connections page, the ledger): who may decide, and who changed
// which row since the bot last wrote the page. Only the working group
// approves connections, so anyone else's change to a row is kept on the
// page but not used.

// WorkingGroup is the program's working group (LC_WORKING_GROUP): its
// members may create and edit anyone's registration, and only their
// decisions on proposals and connections count.
type WorkingGroup []string

// Has reports whether user is a member (user names compared as MediaWiki
// normalises them).
func (wg WorkingGroup) Has(user string) bool {
	u := wikitext.NormalizeUser(user)
	return slices.ContainsFunc(wg, func(w string) bool { return wikitext.NormalizeUser(w) == u })
}

// Decides reports whether user may decide for the working group: a
// member, or the bot itself (bot: its account), which writes the rows from
// the working group's decisions.
func (wg WorkingGroup) Decides(user, bot string) bool {
	return wikitext.NormalizeUser(user) == wikitext.NormalizeUser(bot) || wg.Has(user)
}

// UnknownEditor stands for the author of a row's change when there were
// too many revisions since the bot's to tell who made it.
const UnknownEditor = "someone (too many edits since the bot's last version to tell who)"

// ChangedRows tells who made each row's latest change since the bot's
// last revision of a page: rows maps a text to its rows' raw text by key,
// botLast is the bot's last revision, after the revisions made since,
// oldest first. When there were too many to read (tooMany), every row of
// current that differs from the bot's counts as changed by UnknownEditor,
// so that none is used.
func ChangedRows(rows func(text string) map[string]string, botLast, current *wiki.Page, after []*wiki.Page, tooMany bool) map[string]string {
	prev := rows(botLast.Content)
	changedBy := map[string]string{}
	if tooMany {
		for k, raw := range rows(current.Content) {
			if prev[k] != raw {
				changedBy[k] = UnknownEditor
			}
		}
		return changedBy
	}
	for _, r := range after {
		cur := rows(r.Content)
		for k, raw := range cur {
			if prev[k] != raw {
				changedBy[k] = r.User
			}
		}
		prev = cur
	}
	return changedBy
}

// WithoutRows removes the lines that are calls of template (a page's
// rows, one per line).
func WithoutRows(text, template string) string {
	var keep []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "{{"+template) {
			continue
		}
		keep = append(keep, strings.TrimRight(line, " "))
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}
