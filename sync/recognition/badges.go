package recognition

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// This file recognises what people did (docs/recognition.md): badges
// awarded by documented rules from what the bot can verify on the ledger
// and the event pages, listed on the Recognition page, each congratulated
// once with a talk-page message (within the caps and the opt-outs). The
// Recognition page is also the record of the congratulations, as the
// invitations page is of the invitations: a delivery writes it.

// MessageBadge congratulates a participant on a badge, once per badge.
const MessageBadge program.MessageKind = "badge"

// TemplateBadge is one row of the Recognition page: a badge's holder.
const TemplateBadge = "Let's Connect badge"

// BadgeParams are a row's parameters, in the order the bot writes them.
var BadgeParams = []string{"badge", "user", "awarded", "congratulated"}

// TemplateUserbox is the userbox participants put on their own user page.
const TemplateUserbox = "Let's Connect userbox"

// Badge is one of the rule-based badges.
type Badge string

// The badges, in the order the Recognition page shows them. A Learning
// Ambassador badge is not among them: registrations say who is
// interested in being one (ambassador=yes), not who helped as one, and
// nothing else the bot reads says it.
const (
	BadgeFirstConnection Badge = "first-connection" // in a connection that met
	BadgeThreeLearners   Badge = "three-learners"   // shared a skill with three learners
	BadgeClinicLeader    Badge = "clinic-leader"    // led or co-led a learning clinic held
	BadgeResource        Badge = "resource"         // a resource on the page of a learning space they led is listed
)

// Badges lists the badges in order.
var Badges = []Badge{BadgeFirstConnection, BadgeThreeLearners, BadgeClinicLeader, BadgeResource}

// ThreeLearners is how many distinct learners BadgeThreeLearners needs.
const ThreeLearners = 3

// BadgeRow is one badge holder as the Recognition page records it: the
// day the bot first saw the badge earned, and the day of the
// congratulation message (empty: not posted, or not allowed).
type BadgeRow struct {
	Badge         Badge
	User          string
	Awarded       string // YYYY-MM-DD
	Congratulated string // YYYY-MM-DD
}

// badgeID is the row's stable id, in its message's marker: derived from the
// Recognition page's title, so two programs on one wiki never share one.
func (c Config) badgeID(b Badge, user string) string {
	sum := sha256.Sum256([]byte(c.RecognitionPage + "\x00" + string(b) + "\x00" + user))
	return "B-" + hex.EncodeToString(sum[:5])
}

// Row writes the row as a template call on one line.
func (r *BadgeRow) Row() string {
	s := "{{" + TemplateBadge + "|badge=" + string(r.Badge) + "|user=" + program.OneLine(wikitext.Escape(r.User)) + "|awarded=" + r.Awarded
	if r.Congratulated != "" {
		s += "|congratulated=" + r.Congratulated
	}
	return s + "}}"
}

// Posted records the congratulation on the badge's row, once.
func (r *BadgeRow) Posted(d program.Delivery) {
	if r.Congratulated == "" {
		r.Congratulated = d.Date
	}
}

// ParseBadges reads the rows of the Recognition page.
func ParseBadges(text string) []*BadgeRow {
	var out []*BadgeRow
	for _, t := range wikitext.Templates(text) {
		if t.Name != TemplateBadge {
			continue
		}
		m := t.Map()
		get := func(k string) string { return strings.TrimSpace(html.UnescapeString(m[k])) }
		r := &BadgeRow{Badge: Badge(get("badge")), User: wikitext.NormalizeUser(get("user")), Awarded: get("awarded"), Congratulated: get("congratulated")}
		if slices.Contains(Badges, r.Badge) && r.User != "" {
			out = append(out, r)
		}
	}
	return out
}

// On reports whether recognition is switched on.
func (c Config) On() bool { return c.RecognitionPage != "" && c.BadgesEnabled }

// Earned applies the badges' rules to what the bot read: for each badge,
// the registered participants who earned it, sorted. People without a
// valid registration are left out (the bot knows nothing else of them).
func Earned(st *program.State) map[Badge][]string {
	sets := map[Badge]map[string]bool{}
	add := func(b Badge, u string) {
		if st.Registration(u) == nil {
			return
		}
		if sets[b] == nil {
			sets[b] = map[string]bool{}
		}
		sets[b][u] = true
	}
	learners := map[string]map[string]bool{} // sharer → learners met
	learned := func(sharer string, ls []string) {
		if learners[sharer] == nil {
			learners[sharer] = map[string]bool{}
		}
		for _, l := range ls {
			if l != sharer {
				learners[sharer][l] = true
			}
		}
	}
	for _, c := range st.Ledger {
		if !c.Usable() || c.Status != program.StatusMet {
			continue
		}
		for _, u := range c.People() {
			add(BadgeFirstConnection, u)
		}
		learned(c.Sharer, c.Learners)
	}
	ledBy := map[string][]string{} // event page → who led its held learning spaces
	for _, ev := range st.EventsInOrder() {
		if ev.Status != program.EventDone {
			continue
		}
		switch ev.Type {
		case program.EventClinic:
			for _, s := range ev.Sharers {
				add(BadgeClinicLeader, s)
			}
		case program.EventOneToOne, program.EventGroup:
			for _, s := range ev.Sharers {
				learned(s, ev.Attendees)
			}
		}
		ledBy[ev.Page] = append(ledBy[ev.Page], ev.Sharers...)
	}
	for s, ls := range learners {
		if len(ls) >= ThreeLearners {
			add(BadgeThreeLearners, s)
		}
	}
	// A resource counts for the leaders of the learning space held on
	// whose page it is written, not of the event its event= names: on the
	// submissions page anyone may name any event (a translation of a
	// clinic's slides by someone else, say), and nothing there ties the
	// resource to the people who led it (docs/recognition.md).
	for _, r := range st.ResourcesInOrder() {
		for _, s := range ledBy[r.Page] {
			add(BadgeResource, s)
		}
	}
	out := map[Badge][]string{}
	for b, set := range sets {
		for u := range set {
			out[b] = append(out[b], u)
		}
		slices.Sort(out[b])
	}
	return out
}

// badgeRows is the Recognition page's rows as a run leaves them: the rows
// read (copied), then a new row for each badge earned and not recorded,
// awarded today. A badge whose data went away stays awarded.
func (c Config) badgeRows(st *program.State) []*BadgeRow {
	var rows []*BadgeRow
	have := map[string]bool{}
	for _, r := range Rows(st) {
		d := *r
		rows = append(rows, &d)
		have[string(r.Badge)+"\x00"+r.User] = true
	}
	earned := Earned(st)
	for _, b := range Badges {
		for _, u := range earned[b] {
			if !have[string(b)+"\x00"+u] {
				rows = append(rows, &BadgeRow{Badge: b, User: u, Awarded: program.Day(st.Now)})
			}
		}
	}
	return rows
}

// audience lists the people a congratulation may go to (their talk
// pages are read): holders not congratulated yet.
func (l Config) audience(st *program.State) []string {
	if !l.On() {
		return nil
	}
	var out []string
	for _, r := range l.badgeRows(st) {
		if r.Congratulated == "" && !slices.Contains(out, r.User) {
			out = append(out, r.User)
		}
	}
	return out
}

// plan adds the congratulations to the delivery: one per badge and
// holder, never twice (the row's date, or the message's marker found on
// the talk page), never to the opted out or the paused, within the
// person's monthly cap (the rest wait for next month) and the run's cap
// (the next run).
func (l Config) plan(plan *program.MessagePlan, st *program.State) (program.Part, error) {
	part := &delivery{c: l, st: st}
	if !l.On() {
		return part, nil
	}
	part.catalog = plan.Catalog
	part.rows = l.badgeRows(st)
	today := program.Day(st.Now)
	for _, r := range part.rows {
		if r.Congratulated != "" {
			continue
		}
		id := l.badgeID(r.Badge, r.User)
		d := program.Delivery{Date: today, Kind: MessageBadge, User: r.User}
		key := d.Key(id)
		if plan.OnTalkPage(r.User, key) {
			r.Congratulated = today
			plan.Found++
			continue
		}
		t, reason := plan.WhyNot(r.User)
		if reason != "" {
			plan.NotMessaged = append(plan.NotMessaged, program.Skip{ID: id, Kind: MessageBadge, User: r.User, Reason: reason})
			continue
		}
		if max, over := plan.OverCap(r.User); over {
			plan.Deferred = append(plan.Deferred, program.Skip{ID: id, Kind: MessageBadge, User: r.User, Reason: fmt.Sprintf("the person's monthly cap (%d) is reached; next month", max)})
			continue
		}
		if !plan.Room() {
			plan.Waiting = append(plan.Waiting, program.Skip{ID: id, Kind: MessageBadge, User: r.User, Reason: "the run's cap on messages is reached; the next run"})
			continue
		}
		m := l.composeBadge(part.catalog, st, r, t, key)
		plan.Add(program.PlannedMessage{Record: r, ID: id, Kind: MessageBadge, User: r.User, Key: key, Target: t,
			Language: m.Language, Heading: m.Heading, Text: m.Text}, true)
	}
	return part, nil
}

// Userbox is the userbox call for a badge, as a participant copies it.
func Userbox(b Badge) string { return "{{" + TemplateUserbox + "|badge=" + string(b) + "}}" }

func (l Config) composeBadge(cat *i18n.Catalog, st *program.State, r *BadgeRow, t program.TalkPage, key string) program.Message {
	lang := program.ReaderLanguage(st, cat, r.User)
	msg := func(k string, args ...string) string { text, _ := cat.Message(lang, k, args...); return text }
	name := msg("letsconnect-badge-name-" + string(r.Badge))
	paras := []string{
		msg("letsconnect-badge", wikitext.Escape(r.User), name, msg("letsconnect-badge-rule-"+string(r.Badge)), l.RecognitionPage,
			"<code><nowiki>"+Userbox(r.Badge)+"</nowiki></code>"),
		program.SignOff(msg, st.Registration(r.User).Page, t, r.User, key),
	}
	return program.Message{Heading: msg("letsconnect-badge-heading", name), Text: strings.Join(paras, "\n\n"), Language: lang}
}

// recognitionData is what recognition.wiki.tmpl renders.
type recognitionData struct {
	Badges []badgeSection
	Total  int
}

type badgeSection struct {
	ID, Name, Rule, Userbox string
	Rows                    []string
}

// recognitionChange writes the Recognition page from the plan's rows.
func (l Config) recognitionChange(cat *i18n.Catalog, st *program.State, rows []*BadgeRow) ([]program.PageChange, error) {
	if !l.On() {
		return nil, nil
	}
	data := recognitionData{Total: len(rows)}
	for _, b := range Badges {
		name, _ := cat.Message("en", "letsconnect-badge-name-"+string(b))
		rule, _ := cat.Message("en", "letsconnect-badge-rule-"+string(b))
		s := badgeSection{ID: string(b), Name: name, Rule: rule, Userbox: Userbox(b)}
		for _, r := range rows {
			if r.Badge == b {
				s.Rows = append(s.Rows, r.Row())
			}
		}
		data.Badges = append(data.Badges, s)
	}
	text, err := templates.Render("recognition.wiki.tmpl", data)
	if err != nil {
		return nil, err
	}
	change := program.PageChange{Task: program.DeliveryMarker, Title: l.RecognitionPage, Text: text,
		Source: "the connections ledger and the event pages, by the rules of its badges", EditInstead: "the ledger or the event pages",
		Summary: fmt.Sprintf("Update the Let's Connect badges: %d awarded (bot)", len(rows))}
	if p := recognitionPage.Page(st); p != nil && p.Exists() {
		change.Base = p
	}
	return []program.PageChange{change}, nil
}

// Counts counts the badges awarded, by badge (Name is the badge's id,
// named in each language by letsconnect-badge-name-ID), for the report: the
// rows recorded and those the rules award now.
func (c Config) Counts(st *program.State) []program.Count {
	if !c.On() {
		return nil
	}
	n := map[Badge]int{}
	rows := c.badgeRows(st)
	for _, r := range rows {
		n[r.Badge]++
	}
	var out []program.Count
	for _, b := range Badges {
		out = append(out, program.Count{Name: string(b), N: n[b], Share: program.Share(n[b], len(rows))})
	}
	return out
}
