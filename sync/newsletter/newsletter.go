package newsletter

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// This file writes the program's monthly newsletter (docs/newsletter.md):
// a draft issue per month, in every language that translates the
// newsletter's messages, that the working group edits and sends with
// MassMessage, and the subscriber lists in MassMessage's target-list
// format, one per language, from the registrations that ask for it
// (newsletter=yes or a language code).
//
// An issue is written once: from the configured day of its month, the bot
// creates its pages when they do not exist, and never writes them again
// (the working group's edits are the issue). The subscriber lists follow
// the registrations on every run.
//
// MassMessage sends the draft page's wikitext as it is (page-message): it
// strips nothing, neither comments nor headings, and posts it as one new
// level-2 section under the subject. So the issue is written to arrive
// whole in a talk page: no comment (the applier adds no ownership marker
// to a page it writes once, see PageChange.CreateOnly), and its own
// headings one level below the section's (===), so that they stay inside
// it.

// Newsletter numbers.
const (
	// NewsletterEvents is the most upcoming learning spaces an issue lists.
	NewsletterEvents = 10
	// NewsletterAheadDays: an issue lists the learning spaces starting
	// within this many days.
	NewsletterAheadDays = 45
	// NewsletterResources and NewsletterMet: the most new resources and
	// connections listed by name (the rest are counted).
	NewsletterResources = 15
	NewsletterMet       = 15
	// NewsletterSharersPerSkill: new sharers named per wanted skill.
	NewsletterSharersPerSkill = 5
)

// A subscriber list holds one target a line in MassMessage's own parser
// function, {{#target:User talk:Example}}, which MassMessage reads on any
// wiki it runs on. Meta's older lists write {{target|page=…}}, a call of
// Meta's Template:Target that wraps the same function: on a wiki without
// that template MassMessage finds no target in such a list, and a send
// still answers success with a count of 0. The bot writes the parser
// function and reads both.
const (
	// TargetFunction is MassMessage's parser function (its magic word is
	// case-insensitive).
	TargetFunction = "#target"
	// TargetTemplate is the template of the older lines, read for the
	// lists written before.
	TargetTemplate = "target"
)

// NewsletterOn reports whether the newsletter is switched on.
func (c Config) NewsletterOn() bool {
	return c.NewsletterPrefix != "" && c.NewsletterDay > 0 && c.SubscribersPage != ""
}

// NewsletterIssue is the issue the current month has: its month
// ("2026-12"), when the previous issue was due (what the issue reports
// on starts then), and whether it is due (the configured day has come).
func (c Config) NewsletterIssue(now time.Time) (month string, since time.Time, due bool) {
	now = now.UTC()
	day := min(max(c.NewsletterDay, 1), 28)
	issued := time.Date(now.Year(), now.Month(), day, 0, 0, 0, 0, time.UTC)
	return now.Format("2006-01"), issued.AddDate(0, -1, 0), !now.Before(issued)
}

// NewsletterTitle is the page of an issue in a language: the month's page
// in English, its language subpage otherwise ("…/Newsletter/2026-12/fr").
func (c Config) NewsletterTitle(month, lang string) string {
	t := c.NewsletterPrefix + month
	if lang != i18n.Fallback {
		t += "/" + lang
	}
	return t
}

// SubscribersTitle is the subscriber list of a language.
func (c Config) SubscribersTitle(lang string) string { return c.SubscribersPage + "/" + lang }

// newsletterLanguages are the languages of the issues and the lists: the
// languages of templates/i18n that have every newsletter message (en, fr,
// es, pt and ar). A language that translates only the talk-page messages
// gets no issue, rather than one in English under its code: its
// subscribers get the issue in their next language, or English.
func newsletterLanguages() ([]string, *i18n.Catalog, error) {
	cat, err := program.Catalog()
	if err != nil {
		return nil, nil, err
	}
	var keys []string
	for _, k := range cat.Keys() {
		if strings.HasPrefix(k, "letsconnect-newsletter-") {
			keys = append(keys, k)
		}
	}
	var out []string
	for _, l := range cat.Languages() {
		complete := true
		for _, k := range keys {
			if _, ok := cat.Raw(l, k); !ok {
				complete = false
				break
			}
		}
		if complete {
			out = append(out, l)
		}
	}
	return out, cat, nil
}

// SubscriberLanguage is the language a subscriber gets the newsletter in:
// the one they asked for (or its base language), else the first of their
// registration's languages an issue is written in (or its base language:
// pt-br reads pt), else English.
func SubscriberLanguage(r *program.Registration, langs []string) string {
	if l := issueLanguage(r.NewsletterLanguage, langs); l != "" {
		return l
	}
	for _, l := range r.Languages {
		if l := issueLanguage(l.Code, langs); l != "" {
			return l
		}
	}
	return i18n.Fallback
}

// issueLanguage is code, or its base language, when an issue is written
// in it; "" otherwise (English only for English itself: for anyone else
// it is the last resort, after their other languages).
func issueLanguage(code string, langs []string) string {
	if code == "" {
		return ""
	}
	base, _, _ := strings.Cut(strings.ToLower(code), "-")
	for _, l := range i18n.Chain(code) {
		if l == i18n.Fallback && base != i18n.Fallback {
			break
		}
		if slices.Contains(langs, l) {
			return l
		}
	}
	return ""
}

// Subscribers lists the people who asked for the newsletter and may get
// it: active registrations (not paused) of people who did not opt out of
// messages (the Task's People read), by name.
func Subscribers(st *program.State) []*program.Registration {
	var out []*program.Registration
	for _, r := range st.Registrations {
		if r.Newsletter && r.Active && skip.Get(st)[r.Username] == "" {
			out = append(out, r)
		}
	}
	return out
}

// NewsletterAudience lists the people whose talk pages the engine reads to
// know who opted out: the active subscribers.
func (c Config) NewsletterAudience(st *program.State) []string {
	if !c.NewsletterOn() {
		return nil
	}
	var out []string
	for _, r := range st.Registrations {
		if r.Newsletter && r.Active {
			out = append(out, r.Username)
		}
	}
	return out
}

// NewsletterCandidates lists the registration pages whose creation time
// the issue needs (Registration.Created): the active sharers of the most
// wanted skills whose page changed since the previous issue (a page
// created since then changed since then too).
func (c Config) NewsletterCandidates(st *program.State) []string {
	if !c.NewsletterOn() {
		return nil
	}
	_, since, due := c.NewsletterIssue(st.Now)
	if !due {
		return nil
	}
	var out []string
	for _, row := range mostWanted(st) {
		for _, s := range row.Sharers {
			if r := st.Registration(s.Username); r != nil && r.Active && !r.Updated.Before(since) && !slices.Contains(out, r.Page) {
				out = append(out, r.Page)
			}
		}
	}
	return out
}

// mostWanted is the PrioritySkills most wanted skills, as the report's
// priorities count them (active and paused learners alike).
func mostWanted(st *program.State) []directory.DirectoryRow {
	d := directory.BuildDirectory(st.Taxonomy, st.Registrations)
	var rows []directory.DirectoryRow
	for _, c := range d.Categories {
		for _, r := range c.Rows {
			if r.Learners > 0 {
				rows = append(rows, r)
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b directory.DirectoryRow) int {
		if a.Learners != b.Learners {
			return b.Learners - a.Learners
		}
		return strings.Compare(a.Skill.Name, b.Skill.Name)
	})
	return rows[:min(report.PrioritySkills, len(rows))]
}

// planNewsletter plans the subscriber lists (every run) and, once the
// month's day has come, the month's issue in every language (written
// only if missing: PageChange.CreateOnly).
func (c settings) planNewsletter(st *program.State) ([]program.PageChange, error) {
	if !c.NewsletterOn() {
		return nil, nil
	}
	langs, cat, err := newsletterLanguages()
	if err != nil {
		return nil, err
	}
	var changes []program.PageChange
	byLang := map[string][]string{}
	for _, r := range Subscribers(st) {
		l := SubscriberLanguage(r, langs)
		byLang[l] = append(byLang[l], r.Username)
	}
	month, since, due := c.NewsletterIssue(st.Now)
	for _, l := range langs {
		text := subscriberList(byLang[l], c.NewsletterTitle(month, l))
		changes = append(changes, program.PageChange{
			Title:  c.SubscribersTitle(l),
			Text:   text,
			Source: "the registrations that ask for the newsletter (newsletter=yes)", EditInstead: "the newsletter parameter of a registration",
			Summary: fmt.Sprintf("Update the newsletter's subscribers in %s: %d (bot)", l, len(byLang[l])),
		})
	}
	if !due {
		return changes, nil
	}
	n := buildNewsletter(c, st, since)
	for _, l := range langs {
		msg := func(key string, args ...string) string { t, _ := cat.Message(l, key, args...); return t }
		changes = append(changes, program.PageChange{
			Title:  c.NewsletterTitle(month, l),
			Text:   n.render(c, st, msg, month, l, langs),
			Source: "the event pages, the resources, the registrations, the connections ledger and the report", EditInstead: "this draft",
			// The page carries no word for its editors (it travels as
			// the message): the summary says it.
			Summary:    fmt.Sprintf("Draft of the Let's Connect newsletter for %s in %s, written once: yours to edit and send with MassMessage (bot)", month, l),
			CreateOnly: true,
		})
	}
	return changes, nil
}

// subscriberList is a subscriber list page: one MassMessage target line
// per subscriber (their talk page), sorted.
func subscriberList(users []string, issue string) string {
	slices.Sort(users)
	var b strings.Builder
	fmt.Fprintf(&b, "MassMessage list of the Let's Connect newsletter subscribers for [[%s]] (and the issues in this language). %d %s. Subscribe or unsubscribe with the newsletter parameter of your registration.\n\n",
		wikitext.Escape(issue), len(users), program.Plural(len(users), "subscriber", "subscribers"))
	// A list item each: the page shows a list of talk pages (MassMessage
	// renders each target as a link).
	for _, u := range users {
		b.WriteString("* " + TargetLine(u) + "\n")
	}
	return b.String()
}

// TargetLine is a MassMessage target for a user's talk page. User names
// are titles MediaWiki validated (no "|", "{" or "}").
func TargetLine(user string) string {
	return "{{" + TargetFunction + ":User talk:" + user + "}}"
}

// ParseTargets reads a MassMessage target list: the pages on this wiki
// its {{#target:…}} calls and its older {{target|page=…}} lines name
// (a target with a site, on another wiki, is not read).
func ParseTargets(text string) []string {
	var out []string
	for _, t := range wikitext.Templates(text) {
		args := t.Map()
		page, site := "", strings.TrimSpace(args["site"])
		if name, rest, ok := strings.Cut(t.Name, ":"); ok && strings.EqualFold(strings.TrimSpace(name), TargetFunction) {
			page, site = rest, strings.TrimSpace(args["1"])
		} else if strings.EqualFold(t.Name, TargetTemplate) {
			page = args["page"]
		}
		if p := strings.TrimSpace(page); p != "" && site == "" {
			out = append(out, p)
		}
	}
	return out
}

// newsletter is what an issue reports, in any language.
type newsletter struct {
	since     time.Time
	events    []program.Event
	resources []program.Resource
	sharers   []skillSharers
	met       []*program.Connection
	now, then report.Snapshot
	hasThen   bool
	clinics   []report.NextClinic
}

type skillSharers struct {
	skill string
	users []string
}

func buildNewsletter(c settings, st *program.State, since time.Time) newsletter {
	n := newsletter{since: since}
	ahead := st.Now.AddDate(0, 0, NewsletterAheadDays)
	for _, ev := range st.EventsInOrder() {
		// 1:1s and groups are their people's, not open to readers.
		open := ev.Type != program.EventOneToOne && ev.Type != program.EventGroup
		if open && ev.Status == program.EventPlanned && ev.Start.After(st.Now) && ev.Start.Before(ahead) && len(n.events) < NewsletterEvents {
			n.events = append(n.events, ev)
		}
	}
	from, to := program.Day(since), program.Day(st.Now)
	for _, r := range st.ResourcesInOrder() {
		if r.Date != "" && r.Date >= from && r.Date <= to {
			n.resources = append(n.resources, r)
		}
	}
	for _, row := range mostWanted(st) {
		var users []string
		for _, s := range row.Sharers {
			if r := st.Registration(s.Username); r != nil && r.Active && !r.Created.IsZero() && !r.Created.Before(since) {
				users = append(users, s.Username)
			}
		}
		if len(users) > 0 {
			n.sharers = append(n.sharers, skillSharers{row.Skill.Name, users})
		}
	}
	for _, conn := range st.Ledger {
		if d := conn.Dates[program.StatusMet]; conn.Status == program.StatusMet && d >= from && d <= to {
			n.met = append(n.met, conn)
		}
	}
	slices.SortStableFunc(n.met, func(a, b *program.Connection) int {
		return strings.Compare(a.Dates[program.StatusMet], b.Dates[program.StatusMet])
	})
	r := report.BuildReport(st)
	n.now = report.SnapshotOf(r)
	n.clinics = r.NextClinics
	// The trend: since the last snapshot taken by the previous issue's
	// day, else the first one kept.
	for _, s := range report.History(st) {
		if s.Date <= from {
			n.then, n.hasThen = s, true
		}
	}
	if h := report.History(st); !n.hasThen && len(h) > 0 && h[0].Date < program.Day(st.Now) {
		n.then, n.hasThen = h[0], true
	}
	return n
}

// render writes an issue in a language; msg gives the messages in it.
func (n newsletter) render(c settings, st *program.State, msg func(string, ...string) string, month, lang string, langs []string) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	// msg comes from the catalog, loaded once per process: it loaded.
	cat, _ := program.Catalog()
	loc := program.LocaleFor(cat, lang)
	line(msg("letsconnect-newsletter-intro", month, program.Day(n.since)))
	line("")
	line("=== " + msg("letsconnect-newsletter-events-heading") + " ===")
	if len(n.events) == 0 {
		line(msg("letsconnect-newsletter-events-none", wikitext.Escape(c.CalendarPage)))
	}
	for _, ev := range n.events {
		title := ev.Title
		if title == "" {
			title = string(ev.Type)
		}
		line("* " + msg("letsconnect-newsletter-event", ev.Start.UTC().Format("2006-01-02 15:04")+" UTC",
			program.LinkText(ev.Page, title), string(ev.Type), ev.Languages(st, loc))) // both already wikitext the bot wrote
	}
	feed := ""
	if c.FeedURL != "" {
		feed = "[" + wikitext.EscapeURL(strings.TrimSuffix(c.FeedURL, "/")+"/calendar.ics") + " calendar.ics]"
	}
	if feed != "" {
		line(msg("letsconnect-newsletter-events-feed", wikitext.Escape(c.CalendarPage), feed))
	}
	line("")
	line("=== " + msg("letsconnect-newsletter-resources-heading") + " ===")
	if len(n.resources) == 0 {
		line(msg("letsconnect-newsletter-resources-none"))
	}
	for i, r := range n.resources {
		if i == NewsletterResources {
			line("* " + msg("letsconnect-newsletter-more", strconv.Itoa(len(n.resources)-i)))
			break
		}
		line("* " + msg("letsconnect-newsletter-resource", program.ResourceLink(r), wikitext.Escape(r.Type), wikitext.Escape(program.SkillNames(st.Taxonomy, r.Skills, lang))))
	}
	if c.ResourcesPage != "" {
		line(msg("letsconnect-newsletter-resources-all", wikitext.Escape(c.ResourcesPage)))
	}
	line("")
	line("=== " + msg("letsconnect-newsletter-sharers-heading") + " ===")
	if len(n.sharers) == 0 {
		line(msg("letsconnect-newsletter-sharers-none", wikitext.Escape(c.DirectoryPage)))
	}
	for _, s := range n.sharers {
		shown := s.users[:min(NewsletterSharersPerSkill, len(s.users))]
		line("* " + msg("letsconnect-newsletter-sharers", wikitext.Escape(s.skill), program.UserLinks(shown)))
	}
	line("")
	line("=== " + msg("letsconnect-newsletter-met-heading") + " ===")
	if len(n.met) == 0 {
		line(msg("letsconnect-newsletter-met-none"))
	} else {
		line(msg("letsconnect-newsletter-met-count", strconv.Itoa(len(n.met))))
	}
	for i, conn := range n.met {
		if i == NewsletterMet {
			line("* " + msg("letsconnect-newsletter-more", strconv.Itoa(len(n.met)-i)))
			break
		}
		line("* " + msg("letsconnect-newsletter-met", wikitext.Escape(conn.SkillName(st.Taxonomy, lang)), templates.UserLink(conn.Sharer), program.UserLinks(conn.Learners)))
	}
	line("")
	line("=== " + msg("letsconnect-newsletter-figures-heading") + " ===")
	line(`{| class="wikitable"`)
	line("! " + msg("letsconnect-newsletter-figure") + " !! " + msg("letsconnect-newsletter-figure-now") + " !! " + msg("letsconnect-newsletter-figure-change", program.Day(n.since)))
	for _, f := range []struct {
		key       string
		now, then int
	}{
		{"letsconnect-newsletter-figure-registered", n.now.Registered, n.then.Registered},
		{"letsconnect-newsletter-figure-active", n.now.Active, n.then.Active},
		{"letsconnect-newsletter-figure-countries", n.now.Countries, n.then.Countries},
		{"letsconnect-newsletter-figure-sessions", n.now.SessionsHeld, n.then.SessionsHeld},
		{"letsconnect-newsletter-figure-met", n.now.ConnectionsMet, n.then.ConnectionsMet},
		{"letsconnect-newsletter-figure-resources", n.now.Resources, n.then.Resources},
	} {
		change := "–"
		if n.hasThen {
			change = fmt.Sprintf("%+d", f.now-f.then)
		}
		line("|-")
		line("| " + msg(f.key) + " || " + strconv.Itoa(f.now) + " || " + change)
	}
	line("|}")
	line("")
	line("=== " + msg("letsconnect-newsletter-clinics-heading") + " ===")
	if len(n.clinics) == 0 {
		line(msg("letsconnect-newsletter-clinics-none"))
	}
	for _, k := range n.clinics {
		name := k.Language
		if v := st.LanguageNames[k.Language]; v != "" {
			name = v
		}
		line("* " + msg("letsconnect-newsletter-clinic", wikitext.Escape(k.Skill), strconv.Itoa(k.Learners), wikitext.Escape(name), program.UserLinks(k.Sharers)))
	}
	line("")
	var others []string
	for _, l := range langs {
		if l != lang {
			others = append(others, "[[:"+wikitext.Escape(c.NewsletterTitle(month, l))+"|"+l+"]]")
		}
	}
	line("----")
	line(msg("letsconnect-newsletter-footer", strings.Join(others, " · ")))
	if lang == i18n.Fallback {
		return b.String()
	}
	// As a translated reader page, the issue says its language and
	// direction: it is read in talk pages of an English wiki (MassMessage
	// wraps a page only when the wiki says the page's language differs,
	// which on Meta it does not without Special:PageLanguage).
	return `<div lang="` + lang + `" dir="` + loc.Dir() + `">` + "\n" + strings.TrimRight(b.String(), "\n") + "\n</div>\n"
}
