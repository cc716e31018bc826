package lifecycle

import (
	"fmt"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// compose writes a message in the reader's language: the first of their
// registration's languages the bot has messages in, else English.
func (l Lifecycle) compose(st *program.State, c *program.Connection, d program.Delivery, t program.TalkPage) program.Message {
	reader := st.Registration(d.User)
	lang := l.readerLanguage(st, d.User)
	msg := func(key string, args ...string) string { text, _ := l.Catalog.Message(lang, key, args...); return text }
	skill := wikitext.Escape(c.SkillName(st.Taxonomy, lang))
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
			if s.ID == c.Skill {
				return s.Level.String()
			}
		}
		return "?"
	}
	answerLink := c.Page + "#" + c.ID
	registration := l.Program.ParticipantsPrefix + d.User
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
		if langs := program.SplitList(c.Language, ",;"); len(langs) > 0 {
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
		paras = append(paras, msg("letsconnect-reminder", wikitext.Escape(d.User), strings.Join(others, ", "), fmt.Sprint(len(others)), skill, c.Dates[program.StatusNotified]),
			msg("letsconnect-connection-answer", answerLink))
	case MessageNoResponse:
		heading = msg("letsconnect-no-response-heading", skill)
		paras = append(paras, msg("letsconnect-no-response", wikitext.Escape(d.User), fmt.Sprint(l.ReminderDays+l.NoResponseDays), skill))
	case MessageCheckIn:
		heading = msg("letsconnect-checkin-heading", skill)
		paras = append(paras, msg("letsconnect-checkin", wikitext.Escape(d.User), skill, answerLink), msg("letsconnect-checkin-fit"))
	}
	paras = append(paras, program.SignOff(msg, registration, t, d.User, d.Key(c.ID)))
	return program.Message{Heading: heading, Text: strings.Join(paras, "\n\n"), Language: lang}
}

// readerLanguage is the first of the user's registration's languages the
// bot has messages in, else English.
func (l Lifecycle) readerLanguage(st *program.State, user string) string {
	return program.ReaderLanguage(st, l.Catalog, user)
}
