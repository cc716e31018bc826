package sync

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// MessageProblems is the kind of the message that tells a participant
// what is wrong with their registration.
const MessageProblems = "problems"

// problemsByAuthor groups the registration problems by the participant
// whose page it is.
func (e *Engine) problemsByAuthor(st *State) map[string][]Problem {
	byUser := map[string][]Problem{}
	for _, p := range st.Problems {
		rest, ok := strings.CutPrefix(p.Page, e.Config.ParticipantsPrefix)
		if !ok || rest == "" {
			continue
		}
		user, _, _ := strings.Cut(rest, "/")
		byUser[user] = append(byUser[user], p)
	}
	return byUser
}

// problemNotices tells each participant whose registration has problems
// what they are, on their talk page: once for a given set of problems
// (the message's key is made of them), so that nobody hears twice about
// the same mistake and a new mistake is told again. The problems page
// lists them all for the working group. targets and keysOn are the talk
// pages Deliver read for everyone at once.
func (e *Engine) problemNotices(st *State, cat *i18n.Catalog, optedOut map[string]bool, byUser map[string][]Problem,
	targets map[string]wiki.TalkTarget, keysOn func(user string) map[string]bool) []outgoing {
	users := make([]string, 0, len(byUser))
	for u := range byUser {
		users = append(users, u)
	}
	slices.Sort(users)
	var out []outgoing
	for _, u := range users {
		problems := byUser[u]
		h := sha256.New()
		for _, p := range problems {
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00", p.Page, p.Field, p.Message)
		}
		id := "P-" + hex.EncodeToString(h.Sum(nil)[:5])
		key := id + "/" + MessageProblems + "/" + u
		t := targets[u]
		reason := t.Skip
		if optedOut[u] {
			reason = "listed on " + e.Config.OptOutPage
		}
		if reason != "" {
			e.Log.Info().Str("user", u).Str("reason", reason).Msg("deliver: not telling about registration problems")
			continue
		}
		if keysOn(u)[key] {
			continue // told already
		}
		out = append(out, outgoing{
			id: id, kind: MessageProblems, user: u, target: t, marker: MessageMarker(key),
			compose: func() message { return e.composeProblems(cat, st, u, problems, t, key) },
			posted:  func() {}, refused: func(string) {},
		})
	}
	return out
}

// composeProblems writes the problems message in the reader's language
// (their registration is often unreadable: English unless it says).
func (e *Engine) composeProblems(cat *i18n.Catalog, st *State, user string, problems []Problem, t wiki.TalkTarget, key string) message {
	lang := e.readerLanguage(cat, st, user)
	msg := func(k string, args ...string) string { text, _ := cat.Message(lang, k, args...); return text }
	var list []string
	for _, p := range problems {
		item := "* " + wikitext.Escape(p.Message)
		if p.Field != "" {
			item = "* <code>" + wikitext.Escape(p.Field) + "</code>: " + wikitext.Escape(p.Message)
		}
		list = append(list, item)
	}
	page := problems[0].Page
	text := msg("letsconnect-problems", wikitext.Escape(user), page, fmt.Sprint(len(problems)), strings.Join(list, "\n"), e.Config.ProblemsPage)
	return message{
		Heading:  msg("letsconnect-problems-heading"),
		Text:     text + "\n\n" + signOff(msg, page, t, user, key),
		Language: lang,
	}
}
