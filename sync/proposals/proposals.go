package proposals

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TemplateProposal is one row of the Proposed connections page.
const TemplateProposal = "Let's Connect proposal"

// ProposalParams are the parameters of a row, in order: what the bot
// writes (and reason, the working group's, optional), then the alternatives (Alternatives of them), which the row
// template does not show.
var ProposalParams = func() []string {
	params := []string{"status", "sharer", "learners", "skill", "format", "language", "hours", "score", "proposed", "why", "reason", "proposed-by", "unconfirmed"}
	for i := 1; i <= Alternatives; i++ {
		n := "alternative" + strconv.Itoa(i)
		params = append(params, n, n+"-score", n+"-language", n+"-hours", n+"-why")
	}
	return params
}()

// Proposal is one row of the Proposed connections page.
type Proposal struct {
	Status   program.Status
	Sharer   string
	Learners []string
	Skill    string // the taxonomy id
	Kind     match.Format
	Date     string // YYYY-MM-DD, when first proposed
	// Raw is the row's wikitext parameters as the page has them, for a
	// row a person decided: the bot writes them back untouched.
	Raw []wikitext.Param
	// Fields the bot computes, for rows it writes.
	Language string
	Hours    string
	Why      string
	Score    int
	// Alternatives are the next-best sharers for a 1:1's learner and
	// skill, best first: the row's alternative1… parameters, which the
	// row template does not show and the review script offers.
	Alternatives []match.Alternative
	// UntrustedBy names who made the row's latest change when they are
	// not in the working group: the decision is kept on the page but not
	// used.
	UntrustedBy string
	// ProposedBy is ByWorkingGroup for a row the working group wrote
	// itself; "" (the bot) otherwise.
	ProposedBy string
}

// Key identifies a proposal across runs: the sharer, the skill and the
// learners.
func (p Proposal) Key() string { return program.PairKey(p.Sharer, p.Skill, p.Learners) }

// Identity tells proposals apart across runs: the key and the format.
func (p Proposal) Identity() string { return string(p.Kind) + "\x00" + p.Key() }

// Decided reports whether the working group set the row's status.
func (p Proposal) Decided() bool { return p.Status != program.StatusProposed && p.UntrustedBy == "" }

// ProposalRows maps a proposals page's rows to their raw parameters, by
// key, to tell which rows a revision changed.
func ProposalRows(text string, tx *program.Taxonomy) map[string]string {
	rows, _ := ParseProposals("", text, tx)
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Key()] = rawParams(r.Raw, nil)
	}
	return out
}

// ParseProposals reads the rows of the Proposed connections page. Rows
// with a status the bot does not know are kept (as decided rows it does
// not use) and reported.
func ParseProposals(page, text string, tx *program.Taxonomy) ([]Proposal, []program.Problem) {
	ps := &program.ProblemList{Page: page}
	var out []Proposal
	for _, t := range wikitext.Templates(text) {
		if t.Name != TemplateProposal {
			continue
		}
		m := t.Map()
		get := func(k string) string { return strings.TrimSpace(html.UnescapeString(m[k])) }
		p := Proposal{
			Status: program.Status(strings.ToLower(get("status"))),
			Sharer: wikitext.NormalizeUser(get("sharer")),
			Kind:   match.Format(get("format")),
			Date:   get("proposed"),
			Raw:    t.Params,

			ProposedBy:  get("proposed-by"),
			UntrustedBy: wikitext.NormalizeUser(get("unconfirmed")),
		}
		for _, l := range program.SplitList(get("learners"), ",;") {
			p.Learners = append(p.Learners, wikitext.NormalizeUser(l))
		}
		if s, ok := tx.Lookup(get("skill")); ok {
			p.Skill = s.ID
		} else {
			p.Skill = get("skill")
		}
		switch p.Status {
		case program.StatusProposed, program.StatusApproved, program.StatusRejected:
		case "approve", "yes", "ok":
			p.Status = program.StatusApproved
		case "reject", "no":
			p.Status = program.StatusRejected
		default:
			ps.Add("status", "the proposal %s → %s (%s) has the status %q; write approved or rejected (the row is kept and not used until then)",
				p.Sharer, strings.Join(p.Learners, ", "), get("skill"), get("status"))
		}
		if p.Sharer == "" || len(p.Learners) == 0 {
			ps.Add("", "a proposal row has no sharer or no learners; it is kept and not used")
		}
		out = append(out, p)
	}
	return out, ps.List
}

// MatchInput turns the registrations and the working group's decisions
// into the matcher's input.
func MatchInput(st *program.State, decided []Proposal, opts match.Options) match.Input {
	return matchInput(st, decided, nil, opts)
}

// matchInput is MatchInput with the proposals awaiting a decision on the
// page now, which the matcher keeps unless a clearly better set exists
// (docs/matching.md, "Stability").
func matchInput(st *program.State, decided, current []Proposal, opts match.Options) match.Input {
	// The matcher sees the day, not the time: its input, and so its
	// result, stays the same all day long when nothing else changes (a
	// run can then reuse the last result: see MatchMemo).
	today := midnight(st.Now)
	in := match.Input{Now: today, Options: opts, SkillNames: map[string]string{}}
	for _, s := range st.Taxonomy.Skills {
		in.SkillNames[s.ID] = s.Name
	}
	lastConnected := map[string]time.Time{}
	recent := today.AddDate(0, 0, -30)
	// A pair approved on the proposals page is also on the ledger once
	// delivered: it counts once.
	onLedger := map[string]bool{}
	for _, c := range st.Ledger {
		if c.Usable() {
			for _, l := range c.Learners {
				onLedger[c.Sharer+"\x00"+l+"\x00"+c.Skill] = true
			}
		}
	}
	for _, p := range decided {
		date, _ := time.Parse(time.DateOnly, p.Date)
		// A decision about a person since renamed is theirs under the new name.
		sharer := st.Renamed.Current(p.Sharer)
		for _, l := range p.Learners {
			l = st.Renamed.Current(l)
			pair := match.Pair{Sharer: sharer, Learner: l, Skill: p.Skill, Date: date}
			switch p.Status {
			case program.StatusApproved:
				if onLedger[sharer+"\x00"+l+"\x00"+p.Skill] {
					continue
				}
				in.Past = append(in.Past, pair)
				if !date.Before(recent) {
					in.Approved = append(in.Approved, pair)
				}
				if date.After(lastConnected[l]) {
					lastConnected[l] = date
				}
			case program.StatusRejected:
				in.Rejected = append(in.Rejected, pair)
			}
		}
	}
	// Connections on the ledger (a participant's request, or one approved
	// before) are past pairs, and take capacity while they last; their
	// requests are not asked again. A declined pair is never proposed
	// again; the learners a sharer said no to go back to the pool with
	// their waiting time kept, first (match.Participant.Repair) until they
	// have a connection again.
	backSince := map[string]time.Time{}
	for _, c := range st.Ledger {
		if !c.Usable() || c.Status == program.StatusCancelled {
			continue
		}
		date := program.ParseDay(c.Dates[program.StatusApproved])
		back := c.BackToPool()
		for _, l := range c.Learners {
			pair := match.Pair{Sharer: c.Sharer, Learner: l, Skill: c.Skill, Date: date}
			in.Past = append(in.Past, pair)
			if !program.Final(c.Status) {
				in.Approved = append(in.Approved, pair)
			}
			if c.Status == program.StatusDeclined {
				in.Rejected = append(in.Rejected, pair)
			}
			if slices.Contains(back, l) {
				if d := program.ParseDay(c.Dates[c.Status]); d.After(backSince[l]) {
					backSince[l] = d
				}
				continue
			}
			if date.After(lastConnected[l]) {
				lastConnected[l] = date
			}
		}
	}
	// Every registration is a participant, held beside the registrations
	// while the matcher runs: each list is allocated at its size (at
	// 100,000 participants appending left a third of them unused).
	in.Participants = make([]match.Participant, 0, len(st.Registrations))
	for _, r := range st.Registrations {
		// Inactivity is about sharing: a sharer without a recent edit is
		// still proposed as a learner, only not as a sharer.
		why := st.Unavailable(r.Username)
		learnerOnly := why != "" && why == st.InactiveReason(r.Username)
		x := match.Participant{
			ID:        r.Username,
			UTCOffset: r.UTCOffsetMinute,
			Newcomer:  r.JoinedYear > 0 && st.Now.Year()-r.JoinedYear < 2,
			Capacity:  r.Capacity,
			Formats:   r.Formats,
			Paused:    !r.Active || (why != "" && !learnerOnly),
		}
		if since, ok := backSince[r.Username]; ok && since.After(lastConnected[r.Username]) {
			x.Repair = true
		}
		x.Languages = conversational(r.Languages)
		since := r.Updated
		if t, ok := lastConnected[r.Username]; ok && t.After(since) {
			since = t
		}
		if !since.IsZero() && since.Before(today) {
			x.WaitingDays = int(today.Sub(midnight(since)).Hours() / 24) // calendar days
		}
		// The registration's own lists (the matcher only reads them); an
		// inactive sharer is proposed as a learner only.
		x.Learn = r.Learn
		if !learnerOnly {
			x.Share = r.Share
		}
		for _, q := range r.Requests {
			if !onLedger[q.Sharer+"\x00"+q.Learner+"\x00"+q.Skill] {
				in.Requests = append(in.Requests, q)
			}
		}
		in.Participants = append(in.Participants, x)
	}
	for _, p := range current {
		in.Current = append(in.Current, match.Proposal{Sharer: p.Sharer, Learners: p.Learners, Skill: p.Skill})
	}
	return in
}

// conversational are the codes of the languages spoken well enough to
// hold a conversation (level 2 or more), nil when none.
func conversational(langs []program.LanguageLevel) []string {
	n := 0
	for _, l := range langs {
		if l.Level >= 2 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for _, l := range langs {
		if l.Level >= 2 {
			out = append(out, l.Code)
		}
	}
	return out
}

// proposalsData is what proposals.wiki.tmpl renders.
type proposalsData struct {
	Open     []proposalRow
	NotShown int
	// Registrations not matched: left out (problems that make them
	// unusable), paused; and used despite a problem in a field.
	LeftOut, Paused, PartlyUsed int
	Approved                    []proposalRow
	Rejected                    []proposalRow
	Other                       []proposalRow
	OneToOne                    int
	Groups                      int
	ProblemsURL                 string
	// WorkingGroup is the working group, for the review script: an HTML
	// attribute's value (workingGroupAttr).
	WorkingGroup string
}

// workingGroupAttr writes the working group's names, separated by "|"
// (which no user name holds), as the value of an HTML attribute in
// wikitext: every character that could end the attribute or act as
// wikitext is a numeric character reference, which the browser decodes.
func workingGroupAttr(wg program.WorkingGroup) string {
	var b strings.Builder
	for i, name := range wg {
		if i > 0 {
			b.WriteString("&#124;")
		}
		for _, r := range wikitext.NormalizeUser(name) {
			if strings.ContainsRune(`"&<>'|{}[]~_=`, r) {
				fmt.Fprintf(&b, "&#%d;", r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// proposalRow is a row's template parameters, in order, as wikitext.
type proposalRow struct{ Params string }

// rowOf writes a proposal the bot computed.
func rowOf(p Proposal, tx *program.Taxonomy) proposalRow {
	skill := tx.Skill(p.Skill).Name
	if skill == "" {
		skill = p.Skill
	}
	fields := []struct{ k, v string }{
		{"status", string(p.Status)}, {"sharer", p.Sharer}, {"learners", strings.Join(p.Learners, ", ")},
		{"skill", skill}, {"format", string(p.Kind)}, {"language", p.Language}, {"hours", p.Hours},
		{"score", strconv.Itoa(p.Score)}, {"proposed", p.Date}, {"why", p.Why},
	}
	for i, a := range p.Alternatives {
		n := "alternative" + strconv.Itoa(i+1)
		fields = append(fields, []struct{ k, v string }{
			{n, a.Sharer}, {n + "-score", strconv.Itoa(a.Score)}, {n + "-language", strings.Join(a.Languages, ", ")},
			{n + "-hours", a.HoursUTC()}, {n + "-why", a.Explanation},
		}...)
	}
	var b strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&b, "|%s=%s", f.k, wikitext.EscapeArg(f.v))
	}
	return proposalRow{b.String()}
}

// rawRow writes a row a person decided, as it was, with what the bot
// keeps about it: who proposed it when the working group did, and who
// changed it when they may not decide.
func rawRow(p Proposal) proposalRow {
	text := rawParams(p.Raw, []string{"proposed-by", "unconfirmed"})
	if p.ProposedBy != "" && p.ProposedBy != program.ByBot {
		text += "|proposed-by=" + wikitext.EscapeArg(p.ProposedBy)
	}
	if p.UntrustedBy != "" {
		text += "|unconfirmed=" + wikitext.EscapeArg(p.UntrustedBy)
	}
	return proposalRow{text}
}

// rawParams writes template parameters as they were (on one line), but
// for the named ones.
func rawParams(params []wikitext.Param, without []string) string {
	var b strings.Builder
	for _, prm := range params {
		if prm.Positional {
			fmt.Fprintf(&b, "|%s", prm.Value)
			continue
		}
		name := strings.TrimSpace(prm.Name)
		if slices.Contains(without, strings.ToLower(name)) {
			continue
		}
		// One line per row: the page's rows are lines (see
		// proposalsHumanRows), whatever editor wrote them.
		fmt.Fprintf(&b, "|%s=%s", name, program.OneLine(prm.Value))
	}
	return b.String()
}

// proposalsHumanRows removes the rows from a Proposed connections page:
// what is left is the part only the bot writes. When a person's revision
// leaves it unchanged, they only decided rows, which the bot's plan
// carries over; the bot may then write.
func proposalsHumanRows(text string) string { return program.WithoutRows(text, TemplateProposal) }

// midnight returns the start of t's day, in UTC.
func midnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
