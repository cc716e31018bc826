package outreach

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// This file brings in the people who registered and never took part: a
// welcome to each new registration, and invitations to the upcoming
// learning spaces that teach what people want to learn in a language they
// speak, those who never took part first. PlanDelivery adds them to the
// delivery plan after the connections' messages; the invitations page
// (OutreachPage) records each one, as the ledger records the connections'.

// Outreach constants.
const (
	// ConversionDays is how long after an invitation taking part counts
	// as answering it, for the report.
	ConversionDays = 60
	// WelcomeEvents is how many upcoming events a welcome lists.
	WelcomeEvents = 3
	// WelcomeSharers is how many sharers a welcome names per skill.
	WelcomeSharers = 3
	// minUnderstood is the Babel level at which someone follows a
	// session in a language (as for connections' common languages).
	minUnderstood = 2
)

// TemplateOutreach is one row of the invitations page.
const TemplateOutreach = "Let's Connect invitations"

// OutreachRow is one row of the invitations page: the welcomes (one row),
// or the invitations to one event. Messages is the exactly-once record.
type OutreachRow struct {
	ID       string // "W-…" for the welcomes, "I-…" for an event's invitations
	Kind     program.MessageKind
	Event    string // the event's id (invitations)
	Page     string // the event's page
	Title    string
	Start    string // "2026-12-18 15:00 UTC"
	Messages []program.Delivery
}

// OutreachParams are a row's parameters, in the order the bot writes them.
var OutreachParams = []string{"id", "kind", "event", "page", "title", "start", "messages"}

// Delivered reports whether user got the row's message.
func (r *OutreachRow) Delivered(user string) bool {
	return slices.ContainsFunc(r.Messages, func(d program.Delivery) bool { return d.User == user })
}

// Posted records a welcome or an invitation on its row, once.
func (r *OutreachRow) Posted(d program.Delivery) {
	if !r.Delivered(d.User) {
		r.Messages = append(r.Messages, d)
	}
}

func (r *OutreachRow) clone() *OutreachRow {
	d := *r
	d.Messages = slices.Clone(r.Messages)
	return &d
}

// Row writes the row as a template call on one line.
func (r *OutreachRow) Row() string {
	var items []string
	for _, d := range r.Messages {
		items = append(items, d.Date+" "+string(d.Kind)+" "+d.User)
	}
	values := map[string]string{"id": r.ID, "kind": string(r.Kind), "event": r.Event, "page": r.Page, "title": r.Title,
		"start": r.Start, "messages": strings.Join(items, "; ")}
	var b strings.Builder
	b.WriteString("{{" + TemplateOutreach)
	for _, k := range OutreachParams {
		if v := values[k]; v != "" {
			fmt.Fprintf(&b, "|%s=%s", k, program.OneLine(wikitext.EscapeArg(v)))
		}
	}
	b.WriteString("}}")
	return b.String()
}

// ParseOutreach reads the rows of the invitations page.
func ParseOutreach(text string) []*OutreachRow {
	var out []*OutreachRow
	for _, t := range wikitext.Templates(text) {
		if t.Name != TemplateOutreach {
			continue
		}
		r := &OutreachRow{}
		for k, v := range t.Map() {
			v = strings.TrimSpace(html.UnescapeString(v))
			switch k {
			case "id":
				r.ID = v
			case "kind":
				r.Kind = program.MessageKind(v)
			case "event":
				r.Event = v
			case "page":
				r.Page = v
			case "title":
				r.Title = v
			case "start":
				r.Start = v
			case "messages":
				for _, item := range program.SplitList(v, ";") {
					if f := strings.SplitN(item, " ", 3); len(f) == 3 {
						r.Messages = append(r.Messages, program.Delivery{Date: f[0], Kind: program.MessageKind(f[1]), User: wikitext.NormalizeUser(f[2])})
					}
				}
			}
		}
		if r.ID != "" {
			out = append(out, r)
		}
	}
	return out
}

// On reports whether welcomes and invitations are switched on.
func (c Config) On() bool { return !c.Since.IsZero() && c.OutreachPage != "" }

// outreachID derives a row's id from the page it is on and what it is
// about, as connections' ids: two programs on one wiki never share the
// markers of their messages.
func (c settings) outreachID(prefix string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(append([]string{c.OutreachPage}, parts...), "\x00")))
	return prefix + hex.EncodeToString(sum[:5])
}

// c8 is a short digest of s, for orders that must look random and stay
// the same across runs.
func c8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func (c settings) welcomeRowID() string { return c.outreachID("W-", "welcome") }

func (c settings) invitationRowID(ev program.Event) string { return c.outreachID("I-", ev.Page, ev.ID) }

// WelcomeCandidates lists the registration pages whose creation time the
// engine needs (Registration.Created): active registrations edited since
// the outreach started, whose author has not been welcomed. A page edited
// before then was created before then too.
func (c settings) WelcomeCandidates(st *program.State) []string {
	if !c.On() {
		return nil
	}
	welcomed := map[string]bool{}
	for _, r := range Rows(st) {
		if r.Kind == MessageWelcome {
			for _, d := range r.Messages {
				welcomed[d.User] = true
			}
		}
	}
	var out []string
	for _, r := range st.Registrations {
		if r.Active && !welcomed[r.Username] && !r.Updated.Before(c.Since) {
			out = append(out, r.Page)
		}
	}
	return out
}

// toWelcome lists the registrations a welcome is for: active, created
// since the outreach started.
func (c settings) toWelcome(st *program.State) []*program.Registration {
	var out []*program.Registration
	for _, r := range st.Registrations {
		if r.Active && !r.Created.IsZero() && !r.Created.Before(c.Since) {
			out = append(out, r)
		}
	}
	return out
}

// invitable lists the events invitations go out for now: learning spaces
// open to all (not a 1:1 or a group, which are their people's), planned,
// with skills and a language, starting after the notice period (none: from
// now on) and within the days ahead. With no invitations per event there
// are none, and no rows for them on the invitations page either.
func (c settings) invitable(st *program.State) []program.Event {
	if c.InvitationsPerEvent <= 0 {
		return nil
	}
	var out []program.Event
	for _, ev := range st.EventsInOrder() {
		if !openToAll(ev) || ev.Status == program.EventCancelled || ev.Status == program.EventDone || len(ev.Skills) == 0 || ev.Language == "" {
			continue
		}
		if ev.Start.Before(st.Now.AddDate(0, 0, c.InviteNoticeDays)) || ev.Start.After(st.Now.AddDate(0, 0, c.InviteAheadDays)) {
			continue
		}
		out = append(out, ev)
	}
	return out
}

// openToAll reports whether anyone may join the event: a learning
// clinic, a regional session or a connectathon.
func openToAll(ev program.Event) bool {
	return ev.Type != program.EventOneToOne && ev.Type != program.EventGroup
}

// speaks reports whether r follows a session in the event's language or
// one it is interpreted into.
func speaks(r *program.Registration, ev program.Event) bool {
	return slices.ContainsFunc(r.Languages, func(l program.LanguageLevel) bool {
		return l.Level >= minUnderstood && (l.Code == ev.Language || slices.Contains(ev.Interpreted, l.Code))
	})
}

// wants reports whether r wants to learn one of the event's skills.
func wants(r *program.Registration, ev program.Event) bool {
	return slices.ContainsFunc(r.Learn, func(s program.SkillLevel) bool { return slices.Contains(ev.Skills, s.ID) })
}

// inviteesOf lists who may be invited to ev: active participants, not
// away, who want one of its skills and follow its language, who do not
// lead it.
func inviteesOf(st *program.State, ev program.Event) []*program.Registration {
	var out []*program.Registration
	for _, r := range st.Registrations {
		if r.Active && st.Unavailable(r.Username) == "" && wants(r, ev) && speaks(r, ev) && !slices.Contains(ev.Sharers, r.Username) && !slices.Contains(ev.Attendees, r.Username) {
			out = append(out, r)
		}
	}
	return out
}

// audience lists the people a welcome or an invitation may go to
// (a delivery reads their talk pages): those not recorded yet as welcomed or as
// invited to an event that still has places. Their talk pages are read,
// for their opt-outs and for the messages a stopped run left.
func (l settings) audience(st *program.State) []string {
	if !l.On() {
		return nil
	}
	rows := map[string]*OutreachRow{}
	for _, r := range Rows(st) {
		rows[r.ID] = r
	}
	var out []string
	welcomed := rows[l.welcomeRowID()]
	for _, r := range l.toWelcome(st) {
		if welcomed == nil || !welcomed.Delivered(r.Username) {
			out = append(out, r.Username)
		}
	}
	events := l.invitable(st)
	rowOf := eventRows(Rows(st), events, l.invitationRowID)
	for i, ev := range events {
		row := rowOf[i]
		if row != nil && len(row.Messages) >= l.InvitationsPerEvent {
			continue
		}
		for _, r := range inviteesOf(st, ev) {
			if row == nil || !row.Delivered(r.Username) {
				out = append(out, r.Username)
			}
		}
	}
	return out
}

// TookPart returns, for each person, the days they took part in something:
// a learning space they attended (or led, for a 1:1 or a group) that has
// started, and a connection that met.
func TookPart(st *program.State) map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, ev := range st.EventsInOrder() {
		if ev.Status == program.EventCancelled || ev.Start.After(st.Now) {
			continue
		}
		people := ev.Attendees
		if ev.Type == program.EventOneToOne || ev.Type == program.EventGroup {
			people = slices.Concat(ev.Sharers, ev.Attendees)
		}
		for _, u := range people {
			out[u] = append(out[u], ev.Start)
		}
	}
	for _, c := range st.Ledger {
		if c.Status != program.StatusMet {
			continue
		}
		when := program.ParseDay(c.Dates[program.StatusMet])
		if when.IsZero() {
			when = st.Now
		}
		for _, u := range c.People() {
			out[u] = append(out[u], when)
		}
	}
	for u := range out {
		slices.SortFunc(out[u], func(a, b time.Time) int { return a.Compare(b) })
	}
	return out
}

// plan adds the welcomes and the invitations to the delivery: the
// rows of the invitations page (copies, with what the talk pages say),
// then each message due, within the people's monthly cap and the room
// the run's cap leaves after the connections' messages (the rest wait for
// the next run).
func (l settings) plan(plan *program.MessagePlan, st *program.State) (program.Part, error) {
	part := &delivery{s: l, st: st}
	if !l.On() {
		return part, nil
	}
	l.catalog = plan.Catalog
	part.s = l
	rows := map[string]*OutreachRow{}
	for _, r := range Rows(st) {
		c := r.clone()
		part.rows = append(part.rows, c)
		rows[c.ID] = c
	}
	row := func(id string, make func() *OutreachRow) *OutreachRow {
		if r := rows[id]; r != nil {
			return r
		}
		r := make()
		rows[id] = r
		part.rows = append(part.rows, r)
		return r
	}
	today := program.Day(st.Now)
	// try plans one message of row to r's author, or says why not; it
	// reports whether the message is planned (or was found posted).
	try := func(r *OutreachRow, reg *program.Registration, compose func(program.TalkPage, string) program.Message, deferWhy *[]program.Skip) bool {
		u := reg.Username
		d := program.Delivery{Date: today, Kind: r.Kind, User: u}
		key := d.Key(r.ID)
		if r.Delivered(u) {
			return false
		}
		if plan.OnTalkPage(u, key) {
			r.Messages = append(r.Messages, d)
			plan.Found++
			return true
		}
		t, reason := plan.WhyNot(u)
		if reason != "" {
			plan.NotMessaged = append(plan.NotMessaged, program.Skip{ID: r.ID, Kind: r.Kind, User: u, Reason: reason})
			return false
		}
		if max, over := plan.OverCap(u); over {
			*deferWhy = append(*deferWhy, program.Skip{ID: r.ID, Kind: r.Kind, User: u, Reason: fmt.Sprintf("the person's monthly cap (%d) is reached", max)})
			return false
		}
		if !plan.Room() {
			plan.Waiting = append(plan.Waiting, program.Skip{ID: r.ID, Kind: r.Kind, User: u, Reason: "the run's cap on messages is reached; the next run"})
			return false
		}
		m := compose(t, key)
		plan.Add(program.PlannedMessage{Record: r, ID: r.ID, Kind: r.Kind, User: u, Key: key, Target: t,
			Language: m.Language, Heading: m.Heading, Text: m.Text}, true)
		return true
	}

	welcome := row(l.welcomeRowID(), func() *OutreachRow { return &OutreachRow{ID: l.welcomeRowID(), Kind: MessageWelcome} })
	var overCap []program.Skip
	var sharers map[string][]directory.Sharer // by skill, for the welcomes
	for _, reg := range l.toWelcome(st) {
		try(welcome, reg, func(t program.TalkPage, key string) program.Message {
			if sharers == nil {
				sharers = sharersBySkill(st)
			}
			return l.composeWelcome(st, reg, sharers, t, key)
		}, &overCap)
	}
	for _, s := range overCap {
		s.Reason += "; next month"
		plan.Deferred = append(plan.Deferred, s)
	}

	took := TookPart(st)
	invited := map[string]int{}
	for _, r := range part.rows {
		if r.Kind == MessageInvitation {
			for _, d := range r.Messages {
				invited[d.User]++
			}
		}
	}
	events := l.invitable(st)
	rowOf := eventRows(part.rows, events, l.invitationRowID)
	for i, ev := range events {
		r := rowOf[i]
		if r == nil {
			id := l.invitationRowID(ev)
			if rows[id] != nil {
				// Its place's row is another event's, which moved.
				id = l.outreachID("I-", ev.Page, ev.ID, ev.Title, eventStart(ev))
			}
			r = row(id, func() *OutreachRow {
				return &OutreachRow{ID: id, Kind: MessageInvitation, Event: ev.ID, Page: ev.Page, Title: ev.Title, Start: eventStart(ev)}
			})
		}
		// Those who never took part first, then those who took part
		// once; among them, who was invited least so far; then an order
		// of the event's own (not the alphabet's, which would always
		// favour the same names), stable across runs.
		people := inviteesOf(st, ev)
		lot := func(u string) string { return c8(ev.ID + "\x00" + u) }
		slices.SortStableFunc(people, func(a, b *program.Registration) int {
			return cmp.Or(cmp.Compare(min(len(took[a.Username]), 2), min(len(took[b.Username]), 2)),
				cmp.Compare(invited[a.Username], invited[b.Username]), strings.Compare(lot(a.Username), lot(b.Username)),
				strings.Compare(a.Username, b.Username))
		})
		// Over the monthly cap, a person's place goes to the next: the
		// event will not wait for next month.
		overCap = nil
		places := l.InvitationsPerEvent - len(r.Messages)
		for _, reg := range people {
			if places <= 0 {
				break
			}
			if try(r, reg, func(t program.TalkPage, key string) program.Message { return l.composeInvitation(st, ev, reg, t, key) }, &overCap) {
				places--
			}
		}
		for _, s := range overCap {
			s.Reason += "; not invited"
			plan.NotMessaged = append(plan.NotMessaged, s)
		}
	}
	return part, nil
}

// eventStart is how the invitations page writes an event's start.
func eventStart(ev program.Event) string { return ev.Start.UTC().Format("2006-01-02 15:04") + " UTC" }

// eventRows finds each event's row among the invitations page's, or nil.
// An event's id is its place on its page, so an event moved on its page
// (events added or reordered above it) has another id: its row is first
// the one of the same page, title and start, so that its people are not
// invited twice; then the one of its id (an event renamed or moved in
// time where it stands), unless another event already claimed that row
// by its content.
func eventRows(rows []*OutreachRow, events []program.Event, rowID func(program.Event) string) []*OutreachRow {
	out := make([]*OutreachRow, len(events))
	claimed := map[*OutreachRow]bool{}
	for i, ev := range events {
		for _, r := range rows {
			if r.Kind == MessageInvitation && !claimed[r] && r.Page == ev.Page && r.Title == ev.Title && r.Start == eventStart(ev) {
				out[i], claimed[r] = r, true
				break
			}
		}
	}
	for i, ev := range events {
		if out[i] != nil {
			continue
		}
		id := rowID(ev)
		for _, r := range rows {
			if r.ID == id && !claimed[r] {
				out[i], claimed[r] = r, true
				break
			}
		}
	}
	return out
}

// localTime writes t in the reader's time zone: its rules on that day for
// a zone name (summer time included), else the offset they wrote.
func localTime(t time.Time, r *program.Registration) string {
	zone := r.TimeZone
	if zone == "" {
		zone = "UTC"
	}
	local := t.UTC().Add(time.Duration(r.UTCOffsetMinute) * time.Minute)
	if loc, err := program.LoadLocation(zone); err == nil && strings.Contains(zone, "/") {
		local = t.In(loc)
	}
	return local.Format("2006-01-02 15:04") + " (" + wikitext.Escape(zone) + ")"
}

// languageName is a language's name on the wiki, or its code.
func languageName(st *program.State, code string) string {
	if name := st.LanguageNames[code]; name != "" {
		return name
	}
	return code
}

// eventLanguages names the event's language, and those it is interpreted
// into, in the reader's language.
func eventLanguages(st *program.State, ev program.Event, msg func(string, ...string) string) string {
	out := wikitext.Escape(languageName(st, ev.Language))
	if len(ev.Interpreted) == 0 {
		return out
	}
	var names []string
	for _, code := range ev.Interpreted {
		names = append(names, wikitext.Escape(languageName(st, code)))
	}
	return msg("letsconnect-interpreted", out, strings.Join(names, ", "))
}

// eventLine is an event as a welcome lists it.
func eventLine(st *program.State, ev program.Event, r *program.Registration, lang string, msg func(string, ...string) string) string {
	return fmt.Sprintf("[[%s|%s]] — %s, %s, %s", ev.Page, wikitext.Escape(ev.Title), localTime(ev.Start, r),
		program.SkillNames(st.Taxonomy, ev.Skills, lang), eventLanguages(st, ev, msg))
}

// composeWelcome writes the welcome: what happens next, the next events
// for the skills the person wants in a language they speak, the feeds of
// those skills, how to ask a sharer directly, and the skills' sharers.
func (l settings) composeWelcome(st *program.State, r *program.Registration, sharers map[string][]directory.Sharer, t program.TalkPage, key string) program.Message {
	lang := program.ReaderLanguage(st, l.catalog, r.Username)
	msg := func(k string, args ...string) string { text, _ := l.catalog.Message(lang, k, args...); return text }
	paras := []string{msg("letsconnect-welcome", wikitext.Escape(r.Username), r.Page, l.ProposalsPage)}

	var events []string
	for _, ev := range st.EventsInOrder() {
		if len(events) == WelcomeEvents {
			break
		}
		if openToAll(ev) && ev.Status != program.EventCancelled && ev.Status != program.EventDone && ev.Start.After(st.Now) && wants(r, ev) && speaks(r, ev) {
			events = append(events, "* "+eventLine(st, ev, r, lang, msg))
		}
	}
	if len(events) > 0 {
		paras = append(paras, msg("letsconnect-welcome-events", fmt.Sprint(len(events)), wikitext.Escape(r.TimeZone))+"\n"+strings.Join(events, "\n"))
	} else {
		paras = append(paras, msg("letsconnect-welcome-no-events", l.CalendarPage))
	}
	var feeds, shares []string
	for _, s := range r.Learn {
		name := wikitext.Escape(st.Taxonomy.Skill(s.ID).NameIn(lang))
		if name == "" {
			continue
		}
		if l.FeedURL != "" {
			feeds = append(feeds, "["+strings.TrimSuffix(l.FeedURL, "/")+"/calendar/skill/"+s.ID+".ics "+name+"]")
		}
		var names []string
		for _, sh := range sharers[s.ID] {
			if len(names) < WelcomeSharers && sh.Username != r.Username {
				names = append(names, templates.UserLink(sh.Username))
			}
		}
		if len(names) > 0 {
			shares = append(shares, "* [["+l.DirectoryPage+"#"+s.ID+"|"+name+"]]: "+strings.Join(names, ", "))
		}
	}
	if len(feeds) > 0 {
		paras = append(paras, msg("letsconnect-welcome-feeds", strings.Join(feeds, " · ")))
	}
	if len(shares) > 0 {
		paras = append(paras, msg("letsconnect-welcome-sharers", l.DirectoryPage)+"\n"+strings.Join(shares, "\n"))
	}
	paras = append(paras, msg("letsconnect-welcome-request", r.Page), program.SignOff(msg, r.Page, t, r.Username, key))
	return program.Message{Heading: msg("letsconnect-welcome-heading"), Text: strings.Join(paras, "\n\n"), Language: lang}
}

// sharersBySkill are the skills directory's sharers of each skill, in its
// order (highest level first).
func sharersBySkill(st *program.State) map[string][]directory.Sharer {
	out := map[string][]directory.Sharer{}
	for _, c := range directory.BuildDirectory(st.Taxonomy, st.Registrations).Categories {
		for _, row := range c.Rows {
			out[row.Skill.ID] = row.Sharers
		}
	}
	return out
}

// composeInvitation writes an invitation to one event.
func (l settings) composeInvitation(st *program.State, ev program.Event, r *program.Registration, t program.TalkPage, key string) program.Message {
	lang := program.ReaderLanguage(st, l.catalog, r.Username)
	msg := func(k string, args ...string) string { text, _ := l.catalog.Message(lang, k, args...); return text }
	var wanted []string
	for _, s := range r.Learn {
		if slices.Contains(ev.Skills, s.ID) {
			wanted = append(wanted, wikitext.Escape(st.Taxonomy.Skill(s.ID).NameIn(lang)))
		}
	}
	paras := []string{
		msg("letsconnect-invitation", wikitext.Escape(r.Username), strings.Join(wanted, ", "), ev.Page, wikitext.Escape(ev.Title),
			program.LocaleFor(l.catalog, lang).Word("letsconnect-page-event-type-", string(ev.Type)), localTime(ev.Start, r), fmt.Sprint(int(ev.Duration.Minutes())),
			eventLanguages(st, ev, msg)),
	}
	if ev.Registration != "" {
		paras = append(paras, msg("letsconnect-invitation-register", program.LinkText(ev.Registration, ev.Title)))
	}
	paras = append(paras, msg("letsconnect-invitation-once", l.CalendarPage), program.SignOff(msg, r.Page, t, r.Username, key))
	return program.Message{Heading: msg("letsconnect-invitation-heading", wikitext.Escape(ev.Title)), Text: strings.Join(paras, "\n\n"), Language: lang}
}

// outreachData is what invitations.wiki.tmpl renders.
type outreachData struct {
	Welcomes, Invitations, Events int
	Rows                          []string
}

// outreachChange writes the invitations page from the plan's rows; none
// when outreach is off or nothing was ever sent.
func (l settings) outreachChange(st *program.State, rows []*OutreachRow) ([]program.PageChange, error) {
	if !l.On() {
		return nil, nil
	}
	var data outreachData
	for _, r := range rows {
		if len(r.Messages) == 0 {
			continue
		}
		data.Rows = append(data.Rows, r.Row())
		if r.Kind == MessageWelcome {
			data.Welcomes += len(r.Messages)
		} else {
			data.Invitations += len(r.Messages)
			data.Events++
		}
	}
	current := invitations.Page(st)
	if len(data.Rows) == 0 && current == nil {
		return nil, nil
	}
	text, err := templates.Render("invitations.wiki.tmpl", data)
	if err != nil {
		return nil, err
	}
	change := program.PageChange{Task: program.DeliveryMarker, Title: l.OutreachPage, Text: text,
		Source: "the welcomes and invitations it posted", EditInstead: "your talk page or the opt-out list to stop them",
		Summary: fmt.Sprintf("Update the welcomes (%d) and invitations (%d) (bot)", data.Welcomes, data.Invitations)}
	if current != nil && current.Exists() {
		change.Base = current
	}
	return []program.PageChange{change}, nil
}

// OutreachFigures are the report's figures on who never took part and
// what the bot's messages brought.
type OutreachFigures struct {
	// Registered people by how often they took part (events attended,
	// connections met).
	NeverTookPart       int     `json:"never_took_part"`
	NeverTookPartShare  float64 `json:"never_took_part_share"`
	TookPartOnce        int     `json:"took_part_once"`
	TookPartTwiceOrMore int     `json:"took_part_twice_or_more"`
	// Messages: for each kind, how many were sent and how many led to
	// taking part (see MessageConversion).
	Messages []MessageConversion `json:"messages"`
	// Of the people who had never taken part when first invited, how
	// many took part within ConversionDays of that invitation.
	InvitedNever      int     `json:"invited_never"`
	TookPartWithin    int     `json:"took_part_within_60_days"`
	TookPartWithinPct float64 `json:"took_part_within_60_days_share"`
}

// MessageConversion is, for one kind of message, how many went out and
// how many were followed by taking part: after a welcome, the person
// took part in anything; after an invitation, they attended that event;
// after a connection's first message, the connection met.
type MessageConversion struct {
	Kind     program.MessageKind `json:"kind"`
	Messaged int                 `json:"messaged"`
	TookPart int                 `json:"took_part"`
	Rate     float64             `json:"rate"`
}

// Figures computes the report's outreach figures.
func Figures(st *program.State) OutreachFigures {
	var f OutreachFigures
	took := TookPart(st)
	for _, r := range st.Registrations {
		switch n := len(took[r.Username]); {
		case n == 0:
			f.NeverTookPart++
		case n == 1:
			f.TookPartOnce++
		default:
			f.TookPartTwiceOrMore++
		}
	}
	f.NeverTookPartShare = program.Share(f.NeverTookPart, len(st.Registrations))
	after := func(u string, from time.Time, days int) bool {
		for _, t := range took[u] {
			if !t.Before(from) && (days == 0 || t.Before(from.AddDate(0, 0, days+1))) {
				return true
			}
		}
		return false
	}
	events := map[string]program.Event{}
	for _, ev := range st.EventsInOrder() {
		events[ev.ID] = ev
	}
	welcome := MessageConversion{Kind: MessageWelcome}
	invitation := MessageConversion{Kind: MessageInvitation}
	firstInvited := map[string]time.Time{}
	for _, r := range Rows(st) {
		for _, d := range r.Messages {
			when := program.ParseDay(d.Date)
			switch r.Kind {
			case MessageWelcome:
				welcome.Messaged++
				if after(d.User, when, 0) {
					welcome.TookPart++
				}
			case MessageInvitation:
				invitation.Messaged++
				if ev, ok := events[r.Event]; ok && !ev.Start.After(st.Now) && ev.Status != program.EventCancelled && slices.Contains(ev.Attendees, d.User) {
					invitation.TookPart++
				}
				if t, ok := firstInvited[d.User]; !ok || when.Before(t) {
					firstInvited[d.User] = when
				}
			}
		}
	}
	connection := MessageConversion{Kind: lifecycle.MessageConnection}
	for _, c := range st.Ledger {
		for _, d := range c.Messages {
			if d.Kind == lifecycle.MessageConnection {
				connection.Messaged++
				if c.Status == program.StatusMet {
					connection.TookPart++
				}
			}
		}
	}
	for _, m := range []*MessageConversion{&welcome, &invitation, &connection} {
		m.Rate = program.Share(m.TookPart, m.Messaged)
		f.Messages = append(f.Messages, *m)
	}
	for u, first := range firstInvited {
		if slices.ContainsFunc(took[u], func(t time.Time) bool { return t.Before(first) }) {
			continue // had taken part before
		}
		f.InvitedNever++
		if after(u, first, ConversionDays) {
			f.TookPartWithin++
		}
	}
	f.TookPartWithinPct = program.Share(f.TookPartWithin, f.InvitedNever)
	return f
}
