package directory

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// MessageProblems tells a participant what is wrong with their
// registration.
const MessageProblems program.MessageKind = "problems"

// problemsByAuthor groups the registration problems by the participant
// whose page it is.
func problemsByAuthor(st *program.State, prefix string) map[string][]program.Problem {
	byUser := map[string][]program.Problem{}
	for _, p := range st.Problems {
		rest, ok := strings.CutPrefix(p.Page, prefix)
		if !ok || rest == "" {
			continue
		}
		user, _, _ := strings.Cut(rest, "/")
		byUser[user] = append(byUser[user], p)
	}
	return byUser
}

// planNotices plans a message to each participant whose registration has
// problems, on their talk page: once for a given set of problems (the
// message's key is made of them), so that nobody hears twice about the
// same mistake and a new mistake is told again. The problems page lists
// them all for the working group. Notices count toward no cap: a person
// who opted out is not told (Withheld), and is not counted as not
// messaged either.
func planNotices(cfg settings, plan *program.MessagePlan, st *program.State) error {
	cat := plan.Catalog
	byUser := problemsByAuthor(st, cfg.Program.ParticipantsPrefix)
	for _, u := range slices.Sorted(maps.Keys(byUser)) {
		problems := byUser[u]
		h := sha256.New()
		for _, p := range problems {
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00", p.Page, p.Field, p.Message)
		}
		id := "P-" + hex.EncodeToString(h.Sum(nil)[:5])
		key := id + "/" + string(MessageProblems) + "/" + u
		t, _ := plan.Talk(u)
		reason := t.Skip
		if plan.OptedOut(u) {
			reason = plan.OptOutReason()
		}
		if reason != "" {
			plan.Withheld = append(plan.Withheld, program.Skip{ID: id, Kind: MessageProblems, User: u, Reason: reason})
			continue
		}
		if plan.OnTalkPage(u, key) {
			continue // told already
		}
		m := composeProblems(cfg, cat, st, u, problems, t, key)
		plan.Add(program.PlannedMessage{
			ID: id, Kind: MessageProblems, User: u, Key: key, Target: t, Language: m.Language, Heading: m.Heading, Text: m.Text,
		}, false)
	}
	return nil
}

// composeProblems writes the problems message in the reader's language
// (their registration is often unreadable: English unless it says).
func composeProblems(cfg settings, cat *i18n.Catalog, st *program.State, user string, problems []program.Problem, t program.TalkPage, key string) program.Message {
	lang := program.ReaderLanguage(st, cat, user)
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
	text := msg("letsconnect-problems", wikitext.Escape(user), page, fmt.Sprint(len(problems)), strings.Join(list, "\n"), cfg.ProblemsPage)
	return program.Message{
		Heading:  msg("letsconnect-problems-heading"),
		Text:     text + "\n\n" + program.SignOff(msg, page, t, user, key),
		Language: lang,
	}
}

// notices is the problem notices' part of a delivery: no record but the
// talk pages, nothing to tell beyond the messages.
type notices struct{}

func (notices) Account(*program.MessagePlan) program.Account { return program.Account{} }
func (notices) Finish() ([]program.PageChange, error)        { return nil, nil }
func (notices) Outcome() ([]string, map[string]int)          { return nil, nil }
