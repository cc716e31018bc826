package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// TemplateAnswer is the template people answer a connection's message
// with, in their signed reply: {{Let's Connect answer|yes}} or
// {{Let's Connect answer|no|reason=time}}.
const TemplateAnswer = "Let's Connect answer"

// ReadAnswer reads the answer template in what a reply says: the last
// call counts (a person who corrects themselves in one reply means the
// second). found is false when the reply has none: it is a plain reply,
// never a yes. bad explains a call that says neither yes nor no (the
// reply then counts as a plain reply).
//
// The first argument is "yes" or "no" (any case), or, under the
// check-in, "met" with fit=yes or fit=no (was it a good fit?). A no's
// reason= is one of program.Reasons; any other text is the reason
// "other" in the person's words; note= adds their words to any reason.
func ReadAnswer(text string) (a program.Answer, found bool, bad string) {
	var last *wikitext.Template
	for _, t := range wikitext.Templates(text) {
		if t.Name == TemplateAnswer {
			last = &t
		}
	}
	if last == nil {
		return program.Answer{}, false, ""
	}
	m := last.Map()
	word := strings.ToLower(strings.TrimSpace(m["1"]))
	note := program.OneLine(m["note"])
	switch word {
	case "yes":
		return program.Answer{Yes: true, Note: note}, true, ""
	case "no":
	case "met":
		a := program.Answer{Met: true, Note: note}
		switch fit := strings.ToLower(strings.TrimSpace(m["fit"])); fit {
		case "yes", "no", "":
			a.Fit = fit
		default:
			return program.Answer{}, false, fmt.Sprintf("{{%s|met|fit=%s}}: fit is yes or no", TemplateAnswer, program.OneLine(m["fit"]))
		}
		return a, true, ""
	default:
		return program.Answer{}, false, fmt.Sprintf("{{%s|%s}} says neither yes, no nor met", TemplateAnswer, program.OneLine(m["1"]))
	}
	reason := program.OneLine(m["reason"])
	a = program.Answer{Reason: program.Reason(strings.ToLower(reason)), Note: note}
	switch {
	case reason == "":
		a.Reason = program.ReasonOther
	case !slices.Contains(program.Reasons, a.Reason):
		a.Reason, a.Note = program.ReasonOther, strings.TrimSpace(reason+" "+note)
	}
	return a, true, ""
}

// declinedBy tells whether the answers close the connection as declined,
// and whose no does: the sharer's, or every learner's (the first
// learner's then).
func declinedBy(c *program.Connection) (string, bool) {
	if answered, yes := c.Said(c.Sharer); answered && !yes {
		return c.Sharer, true
	}
	for _, l := range c.Learners {
		if answered, yes := c.Said(l); !answered || yes {
			return "", false
		}
	}
	return c.Learners[0], true
}

// DeclineReason is why a declined connection was declined: the sharer's
// reason, else the learners'; "" when people set the state on the row.
func DeclineReason(c *program.Connection) program.Reason {
	if c.Status != program.StatusDeclined {
		return ""
	}
	who, ok := declinedBy(c)
	if !ok {
		return ""
	}
	return c.Answers[who].Reason
}
