package lifecycle

import (
	"fmt"
	"html"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TemplateConnection is one row of a connections ledger page.
const TemplateConnection = "Let's Connect connection"

// LedgerParams are a ledger row's parameters, in the order the bot
// writes them (and the template documents them).
var LedgerParams = slices.Concat(
	[]string{"id", "status", "proposed-by", "sharer", "learners", "skill", "format", "language", "hours", "planned"},
	program.StatusNames(program.ConnectionStatuses),
	[]string{"responses", "answers", "fit", "messages", "not-messaged", "note", "unconfirmed"})

// ParseLedger reads the rows of a ledger page.
func ParseLedger(page, text string, tx *program.Taxonomy) ([]*program.Connection, []program.Problem) {
	ps := &program.ProblemList{Page: page}
	var out []*program.Connection
	for _, t := range wikitext.Templates(text) {
		if t.Name != TemplateConnection {
			continue
		}
		c := &program.Connection{Page: page, Dates: map[program.Status]string{}, Responses: map[string]string{}, NotMessaged: map[string]string{}, Answers: map[string]program.Answer{}, Fit: map[string]bool{}}
		for _, p := range t.Params {
			name := strings.ToLower(strings.TrimSpace(p.Name))
			v := strings.TrimSpace(html.UnescapeString(p.Value))
			switch {
			case p.Positional:
				c.Extra = append(c.Extra, p)
			case name == "id":
				c.ID = v
			case name == "status":
				c.Status = program.Status(strings.ToLower(v))
			case name == "proposed-by":
				c.ProposedBy = v
			case name == "sharer":
				c.Sharer = wikitext.NormalizeUser(v)
			case name == "learners":
				for _, l := range program.SplitList(v, ",;") {
					c.Learners = append(c.Learners, wikitext.NormalizeUser(l))
				}
			case name == "skill":
				if s, ok := tx.Lookup(v); ok {
					c.Skill = s.ID
				} else {
					c.Skill = v
				}
			case name == "format":
				c.Format = match.Format(v)
			case name == "language":
				c.Language = v
			case name == "hours":
				c.Hours = v
			case name == "planned":
				c.Planned = v
			case name == "note":
				c.Note = v
			case name == "unconfirmed":
				c.Unconfirmed = v
			case slices.Contains(program.ConnectionStatuses, program.Status(name)):
				if v != "" {
					c.Dates[program.Status(name)] = v
				}
			case name == "responses":
				for _, item := range program.SplitList(v, ";") {
					if user, day, ok := cutLast(item, " "); ok {
						c.Responses[wikitext.NormalizeUser(user)] = day
					}
				}
			case name == "answers":
				for _, item := range program.SplitList(v, ";") {
					if user, said, ok := strings.Cut(item, ":"); ok {
						if a, ok := parseLedgerAnswer(said); ok {
							c.Answers[wikitext.NormalizeUser(user)] = a
						}
					}
				}
			case name == "fit":
				for _, item := range program.SplitList(v, ";") {
					if user, said, ok := strings.Cut(item, ":"); ok {
						switch strings.ToLower(strings.TrimSpace(said)) {
						case "yes":
							c.Fit[wikitext.NormalizeUser(user)] = true
						case "no":
							c.Fit[wikitext.NormalizeUser(user)] = false
						}
					}
				}
			case name == "messages":
				for _, item := range program.SplitList(v, ";") {
					f := strings.SplitN(item, " ", 3)
					if len(f) == 3 {
						c.Messages = append(c.Messages, program.Delivery{Date: f[0], Kind: program.MessageKind(f[1]), User: wikitext.NormalizeUser(f[2])})
					}
				}
			case name == "not-messaged":
				for _, item := range program.SplitList(v, ";") {
					if user, why, ok := strings.Cut(item, ":"); ok {
						c.NotMessaged[wikitext.NormalizeUser(user)] = strings.TrimSpace(why)
					}
				}
			default:
				c.Extra = append(c.Extra, p)
			}
		}
		switch {
		case c.Sharer == "" || len(c.Learners) == 0:
			ps.Add("", "a connection row (%s) has no sharer or no learners; it is kept and not used", orNone(c.ID))
			c.Status = ""
		case c.Status == "":
			c.Status = program.StatusApproved
		case !slices.Contains(program.ConnectionStatuses, c.Status):
			ps.Add("status", "the connection %s (%s → %s) has the status %q; write one of %s (the row is kept and not used until then)",
				orNone(c.ID), c.Sharer, strings.Join(c.Learners, ", "), c.Status, strings.Join(program.StatusNames(program.ConnectionStatuses), ", "))
		}
		if c.ID == "" && c.Sharer != "" {
			// A row a person added: its id comes from what it says.
			c.ID = program.ConnectionID(page, c.PairKey(), c.Dates[program.StatusProposed], c.Dates[program.StatusApproved])
		}
		out = append(out, c)
	}
	return out, ps.List
}

func orNone(id string) string {
	if id == "" {
		return "without id"
	}
	return id
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):]), true
}

// Row writes the connection as a template call on one line.
func Row(c *program.Connection, tx *program.Taxonomy) string {
	values := map[string]string{
		"id": c.ID, "status": string(c.Status), "proposed-by": c.ProposedBy, "sharer": c.Sharer,
		"learners": strings.Join(c.Learners, ", "), "format": string(c.Format), "language": c.Language,
		"hours": c.Hours, "planned": c.Planned, "note": c.Note, "unconfirmed": c.Unconfirmed,
	}
	values["skill"] = c.Skill
	if s := tx.Skill(c.Skill); s.Name != "" {
		values["skill"] = s.Name
	}
	for state, day := range c.Dates {
		values[string(state)] = day
	}
	var items []string
	for _, user := range c.People() {
		if day, ok := c.Responses[user]; ok {
			items = append(items, user+" "+day)
		}
	}
	values["responses"] = strings.Join(items, "; ")
	items = nil
	for _, user := range c.People() {
		if a, ok := c.Answers[user]; ok {
			items = append(items, user+": "+ledgerAnswer(a))
		}
	}
	values["answers"] = strings.Join(items, "; ")
	items = nil
	for _, user := range c.People() {
		if fit, ok := c.Fit[user]; ok {
			items = append(items, user+": "+map[bool]string{true: "yes", false: "no"}[fit])
		}
	}
	values["fit"] = strings.Join(items, "; ")
	items = nil
	for _, d := range c.Messages {
		items = append(items, d.Date+" "+string(d.Kind)+" "+d.User)
	}
	values["messages"] = strings.Join(items, "; ")
	items = nil
	for _, user := range c.People() {
		if why, ok := c.NotMessaged[user]; ok {
			items = append(items, user+": "+why)
		}
	}
	values["not-messaged"] = strings.Join(items, "; ")

	var b strings.Builder
	b.WriteString("{{" + TemplateConnection)
	for _, k := range LedgerParams {
		if v := values[k]; v != "" || k == "status" || k == "planned" {
			fmt.Fprintf(&b, "|%s=%s", k, program.OneLine(wikitext.EscapeArg(v)))
		}
	}
	for _, p := range c.Extra {
		if p.Positional {
			fmt.Fprintf(&b, "|%s", program.OneLine(p.Value))
		} else {
			fmt.Fprintf(&b, "|%s=%s", strings.TrimSpace(p.Name), program.OneLine(p.Value))
		}
	}
	b.WriteString("}}")
	return b.String()
}

// ledgerAnswer writes an answer as the ledger's answers= has it: "yes",
// "no time", "no other (in their words)".
func ledgerAnswer(a program.Answer) string {
	if a.Yes {
		return "yes"
	}
	s := "no " + string(a.Reason)
	if a.Note != "" {
		// The list's separator and the note's brackets stay out of it.
		note := strings.NewReplacer(";", ",", "(", "[", ")", "]").Replace(a.Note)
		s += " (" + note + ")"
	}
	return s
}

// parseLedgerAnswer reads what ledgerAnswer wrote (a person may write it
// too: an unknown reason is "other").
func parseLedgerAnswer(s string) (program.Answer, bool) {
	s = strings.TrimSpace(s)
	word, rest, _ := strings.Cut(s, " ")
	switch strings.ToLower(word) {
	case "yes":
		return program.Answer{Yes: true}, true
	case "no":
	default:
		return program.Answer{}, false
	}
	rest = strings.TrimSpace(rest)
	reason, note := rest, ""
	if i := strings.Index(rest, "("); i >= 0 {
		reason, note = strings.TrimSpace(rest[:i]), strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest[i+1:]), ")"))
	}
	a := program.Answer{Reason: program.Reason(strings.ToLower(reason)), Note: note}
	if !slices.Contains(program.Reasons, a.Reason) {
		a.Reason, a.Note = program.ReasonOther, strings.TrimSpace(strings.Join([]string{reason, note}, " "))
	}
	return a, true
}

// ledgerHumanRows removes the rows from a ledger page: what is left is
// what only the bot writes (people edit rows, not the rest).
func ledgerHumanRows(text string) string { return program.WithoutRows(text, TemplateConnection) }

// ParticipantStatuses are the statuses a participant may set on their own
// connection (the working group may set any).
var ParticipantStatuses = []program.Status{program.StatusAccepted, program.StatusDeclined, program.StatusMet, program.StatusCancelled}

// ParticipantMayChange reports whether who, someone outside the working
// group, may have changed the row old (the bot's last version; nil when
// they added the row) into c: only a person of the connection, setting
// one of ParticipantStatuses, never who or what it connects.
func ParticipantMayChange(old, c *program.Connection, who string) bool {
	return old != nil && old.Unconfirmed == "" && old.PairKey() == c.PairKey() &&
		slices.Contains(c.People(), who) &&
		(c.Status == old.Status || slices.Contains(ParticipantStatuses, c.Status))
}

// UnconfirmedChange is the problem of a row changed by someone who may not
// make that change (c.Unconfirmed names them).
func UnconfirmedChange(page string, c *program.Connection) program.Problem {
	return program.Problem{Page: page, Field: "status", Message: fmt.Sprintf(
		"%s changed the connection %s (%s → %s) in a way only the working group may (participants may set their own connection to %s); the row is kept and not used until a working-group member edits it",
		c.Unconfirmed, c.ID, c.Sharer, strings.Join(c.Learners, ", "), strings.Join(program.StatusNames(ParticipantStatuses), ", "))}
}

// LedgerRead is a ledger page as read, with who changed its rows since
// the bot's last revision (ChangedRows; nil BotLast: nobody did, or the
// bot's account is unknown).
type LedgerRead struct {
	Page      *LedgerPage
	ChangedBy map[string]string
	BotLast   *wiki.Page
}

// ReadLedger puts the ledger pages' rows on the state's ledger, in page
// order, with their problems. A row changed since the bot's last revision
// by someone who may not make that change is kept, with unconfirmed=, and
// not acted on until a working-group member edits it (TrustLedgerRows):
// otherwise anyone could make the bot message anyone. A connection on the
// ledger twice is used where it is first and kept, unused, where it is
// again.
func ReadLedger(st *program.State, pages []LedgerRead, wg program.WorkingGroup, bot string) {
	byTitle := map[string]*LedgerPage{}
	ledgerPages.Set(st, byTitle)
	seen := map[string]string{}
	for _, r := range pages {
		lp := r.Page
		byTitle[lp.Page.Title] = lp
		rows, problems := ParseLedger(lp.Page.Title, lp.Page.Content, st.Taxonomy)
		st.Problems = append(st.Problems, problems...)
		// A renamed person's rows are read under their new name (the bot
		// writes them so), before anyone's change is judged: their edits
		// are under the new name too.
		for _, c := range rows {
			renameConnection(c, st.Renamed)
		}
		if r.BotLast != nil {
			lp.BotLast = r.BotLast
			var prev []*program.Connection
			if r.BotLast.RevID != 0 {
				prev, _ = ParseLedger(lp.Page.Title, r.BotLast.Content, st.Taxonomy)
			}
			for _, c := range prev {
				renameConnection(c, st.Renamed)
			}
			TrustLedgerRows(rows, prev, r.ChangedBy, wg, bot)
		}
		for _, c := range rows {
			if c.Unconfirmed != "" {
				st.Problems = append(st.Problems, UnconfirmedChange(lp.Page.Title, c))
			}
		}
		for _, c := range rows {
			if other, dup := seen[c.ID]; dup {
				st.Problems = append(st.Problems, program.Problem{Page: lp.Page.Title, Field: "id", Message: fmt.Sprintf(
					"the connection %s is on the ledger twice (also on %s); the bot uses the first and keeps both", c.ID, other)})
				c.Status = "" // kept, never acted on
			}
			seen[c.ID] = lp.Page.Title
			st.Ledger = append(st.Ledger, c)
		}
	}
}

// LedgerRows maps a ledger page's rows to their text as the bot writes
// them, by id, to tell which rows a revision changed (ChangedRows).
func LedgerRows(title, text string, tx *program.Taxonomy) map[string]string {
	parsed, _ := ParseLedger(title, text, tx)
	out := map[string]string{}
	for _, c := range parsed {
		out[c.ID] = Row(c, tx)
	}
	return out
}

// TrustLedgerRows marks the rows changed (changedBy, since the bot's last
// revision, whose rows were prev) by someone who may not make that change:
// anyone outside the working group adding a row or changing who or what
// it connects, and a participant setting a state other than accepted,
// declined, met or cancelled, or on a connection they are not part of. A
// working-group member's change confirms the row.
func TrustLedgerRows(rows, prev []*program.Connection, changedBy map[string]string, wg program.WorkingGroup, bot string) {
	before := map[string]*program.Connection{}
	for _, c := range prev {
		before[c.ID] = c
	}
	for _, c := range rows {
		who, changed := changedBy[c.ID]
		if !changed {
			continue
		}
		if wg.Decides(who, bot) {
			c.Unconfirmed = ""
			continue
		}
		who = wikitext.NormalizeUser(who)
		if ParticipantMayChange(before[c.ID], c, who) {
			continue
		}
		c.Unconfirmed = who
	}
}
