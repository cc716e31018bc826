package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// MessageMarker is the hidden key a message carries: the bot looks for it
// on the live talk page before posting, so a message is posted once
// whatever happened to the run that sent it.
func MessageMarker(key string) string { return "<!-- letsconnect-message: " + key + " -->" }

var markerRE = regexp.MustCompile(`<!-- letsconnect-message: (.*?) -->`)

// markersOn returns the message keys on a talk page.
func markersOn(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range markerRE.FindAllStringSubmatch(text, -1) {
		out[m[1]] = true
	}
	return out
}

// OptedOut lists the users the opt-out page names: every user a link on
// it names, by the rule signatures are read with (wikitext.UserLinks;
// docs/lifecycle.md): a link in a comment, <nowiki> or <pre> is not there
// for a reader, so it does not count.
func OptedOut(text string) map[string]bool {
	out := map[string]bool{}
	for _, user := range wikitext.UserLinks(text) {
		out[user] = true
	}
	return out
}

// OptOutKind is the message kind for {{bots|optout=...}}.
const OptOutKind = "letsconnect"

// message is one talk-page message, ready to post.
type message struct {
	Heading, Text, Language string
}

// compose writes a message in the reader's language: the first of their
// registration's languages the bot has messages in, else English.
func (l Lifecycle) compose(st *State, c *Connection, d Delivery, t TalkPage) message {
	reader := st.Registration(d.User)
	lang := l.readerLanguage(st, d.User)
	msg := func(key string, args ...string) string { text, _ := l.Catalog.Message(lang, key, args...); return text }
	skill := wikitext.Escape(c.skillName(st, lang))
	userLink := templates.UserLink
	level := func(u string, sharing bool) string {
		r := st.Registration(u)
		if r == nil {
			return "?"
		}
		list := r.Learn
		if sharing {
			list = r.Share
		}
		for _, s := range list {
			if s.SkillID == c.Skill {
				return s.Level.String()
			}
		}
		return "?"
	}
	answerLink := c.Page + "#" + c.ID
	registration := l.ParticipantsPrefix + d.User
	var paras []string
	var heading string
	switch d.Kind {
	case MessageConnection:
		heading = msg("letsconnect-connection-heading", skill)
		if d.User == c.Sharer {
			var learners []string
			for _, l := range c.Learners {
				learners = append(learners, userLink(l)+" ("+level(l, false)+")")
			}
			paras = append(paras, msg("letsconnect-connection-sharer", wikitext.Escape(d.User), skill, fmt.Sprint(len(c.Learners)), strings.Join(learners, ", ")))
		} else {
			paras = append(paras, msg("letsconnect-connection-learner", wikitext.Escape(d.User), skill, wikitext.Escape(c.Sharer), userLink(c.Sharer), level(c.Sharer, true), level(d.User, false)))
		}
		var common []string
		if langs := splitList(c.Language, ",;"); len(langs) > 0 {
			var names []string
			for _, code := range langs {
				if name := st.LanguageNames[code]; name != "" {
					code = name
				}
				names = append(names, wikitext.Escape(code))
			}
			common = append(common, msg("letsconnect-connection-languages", strings.Join(names, ", "), fmt.Sprint(len(names))))
		}
		if reader != nil {
			if start, end, ok := localHours(c.Hours, reader.UTCOffsetMinute); ok {
				common = append(common, msg("letsconnect-connection-hours", start, end, wikitext.Escape(reader.TimeZone)))
			}
		}
		if len(common) > 0 {
			paras = append(paras, strings.Join(common, " "))
		}
		paras = append(paras, msg("letsconnect-connection-first-step"))
		if d.User == c.Sharer {
			paras = append(paras, msg("letsconnect-connection-expectations-sharer"))
		} else {
			paras = append(paras, msg("letsconnect-connection-expectations-learner"))
		}
		paras = append(paras, msg("letsconnect-connection-answer", answerLink))
	case MessageReminder:
		heading = msg("letsconnect-reminder-heading", skill)
		var others []string
		for _, u := range c.People() {
			if u != d.User {
				others = append(others, userLink(u))
			}
		}
		paras = append(paras, msg("letsconnect-reminder", wikitext.Escape(d.User), strings.Join(others, ", "), fmt.Sprint(len(others)), skill, c.Dates[StatusNotified]),
			msg("letsconnect-connection-answer", answerLink))
	case MessageNoResponse:
		heading = msg("letsconnect-no-response-heading", skill)
		paras = append(paras, msg("letsconnect-no-response", wikitext.Escape(d.User), fmt.Sprint(l.ReminderDays+l.NoResponseDays), skill))
	case MessageCheckIn:
		heading = msg("letsconnect-checkin-heading", skill)
		paras = append(paras, msg("letsconnect-checkin", wikitext.Escape(d.User), skill, answerLink))
	}
	paras = append(paras, signOff(msg, registration, t, d.User, d.Key(c.ID)))
	return message{Heading: heading, Text: strings.Join(paras, "\n\n"), Language: lang}
}

// signOff ends every message: how to opt out, where it was delivered when
// the talk page redirects, the bot's signature and the message's key.
func signOff(msg func(key string, args ...string) string, registration string, t TalkPage, user, key string) string {
	last := msg("letsconnect-connection-optout", registration)
	if t.RedirectedFrom != "" {
		// t.Title is a title MediaWiki resolved: it cannot hold link syntax.
		last += " " + msg("letsconnect-redirected", "[["+t.Title+"]]", wikitext.Escape(user))
	}
	return last + " ~~~~ " + MessageMarker(key)
}

// readerLanguage is the first of the user's registration's languages the
// bot has messages in, else English.
func (l Lifecycle) readerLanguage(st *State, user string) string {
	if r := st.Registration(user); r != nil {
		for _, lang := range r.Languages {
			if slices.Contains(l.Catalog.Languages(), lang.Code) {
				return lang.Code
			}
		}
	}
	return i18n.Fallback
}

// skillName is the connection's skill as the taxonomy names it in lang
// (in English when it has no translation).
func (c *Connection) skillName(st *State, lang string) string {
	if s := st.Taxonomy.Skill(c.Skill); s.Name != "" {
		return s.NameIn(lang)
	}
	return c.Skill
}
