package program

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// Templates of event pages.
const (
	TemplateEvent    = "Let's Connect event"
	TemplateResource = "Let's Connect resource"
)

// EventType is a kind of learning space, as the calendar shows it.
type EventType string

// The event types. A 1:1 or a group held is an event too, of the format's
// name.
const (
	EventClinic       EventType = "learning clinic"
	EventRegional     EventType = "regional session"
	EventConnectathon EventType = "connectathon"
	EventOneToOne               = EventType(match.OneToOne)
	EventGroup                  = EventType(match.Group)
)

// Event statuses.
const (
	EventPlanned   = "planned"
	EventCancelled = "cancelled"
	EventDone      = "done"
)

// Resource types.
var ResourceTypes = []string{"recording", "audio", "slides", "case study", "exercise template", "notes", "other"}

// EventParams are the event template's parameters, in form order.
var EventParams = []string{"type", "title", "start", "duration", "language", "interpreted", "skills", "sharers",
	"audience", "purpose", "registration", "status", "attendees", "unregistered",
	"feedback_responses", "feedback_rating", "feedback_met"}

// ResourceParams are the resource template's parameters, in form order.
var ResourceParams = []string{"title", "type", "skills", "language", "link", "event", "date"}

// Event is one learning space, as validated.
type Event struct {
	ID           string // stable: the page and the event's place on it
	Page         string
	Updated      time.Time // the page revision's time
	Type         EventType
	Title        string
	Start        time.Time // UTC
	Duration     time.Duration
	Language     string
	Interpreted  []string
	Skills       []string // taxonomy ids
	Sharers      []string
	Audience     string
	Purpose      string
	Registration string // a URL or a page title
	Status       string
	Attendees    []string
	Unregistered int
	// Feedback; FeedbackRating 0 and FeedbackMet -1 mean none given.
	FeedbackResponses int
	FeedbackRating    float64
	FeedbackMet       float64 // percent
}

// End is when the event ends.
func (e Event) End() time.Time { return e.Start.Add(e.Duration) }

// Fingerprint changes when anything the calendar shows of the event
// changes: the iCalendar SEQUENCE is bumped then.
func (e Event) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintln(h, e.Type, e.Title, e.Start.Unix(), e.Duration, e.Language, e.Interpreted, e.Skills, e.Sharers,
		e.Audience, e.Purpose, e.Registration, e.Status)
	return hex.EncodeToString(h.Sum(nil)[:6])
}

// Resource is one shared resource.
type Resource struct {
	Page     string // where it is written
	Title    string
	Type     string
	Skills   []string // taxonomy ids
	Language string
	Link     string // a URL (External) or a page title
	External bool
	Event    string // the event page it belongs to, or ""
	Date     string // YYYY-MM-DD, or ""
}

// LinkTarget reads a link: an http(s) URL (external) or a page title,
// possibly with a #section ("[[...]]" around it is allowed). The error
// says why it is neither.
func LinkTarget(v string) (target string, external bool, err error) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v), "[["), "]]"))
	if v == "" {
		return "", false, wikitext.ErrNoPage
	}
	if strings.Contains(v, "://") || strings.HasPrefix(v, "//") {
		u, perr := url.Parse(v)
		switch {
		case perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			return "", true, fmt.Errorf("a web address starts with http:// or https:// and a host name")
		case strings.ContainsAny(v, " <>\"[]{}|\n"):
			return "", true, fmt.Errorf("a web address cannot hold spaces, quotes, brackets or %q", "|")
		}
		return u.String(), true, nil
	}
	scheme, _, _ := strings.Cut(strings.ToLower(v), ":")
	if scheme == "javascript" || scheme == "data" || scheme == "vbscript" || scheme == "mailto" {
		return "", false, fmt.Errorf("only http(s) addresses and page titles are links here")
	}
	title, err := wikitext.CheckTitle(v, true)
	if err != nil {
		return "", false, err
	}
	return title, false, nil
}

// Upcoming reports whether the event is still to come (or under way) at
// now; done events are past whatever their date.
func (e Event) Upcoming(now time.Time) bool { return e.Status != EventDone && e.End().After(now) }

// Languages writes the event's language and the interpreted ones.
func (e Event) Languages(st *State, l Locale) string {
	name := func(code string) string {
		if n := st.LanguageNames[code]; n != "" {
			return wikitext.Escape(n)
		}
		return wikitext.Escape(code)
	}
	out := ""
	if e.Language != "" {
		out = name(e.Language)
	}
	if len(e.Interpreted) > 0 {
		var names []string
		for _, c := range e.Interpreted {
			names = append(names, name(c))
		}
		out += " <small>(" + l.T("letsconnect-page-calendar-interpreted", strings.Join(names, ", ")) + ")</small>"
	}
	return out
}

// SkillNames lists skills by name in lang (English without a
// translation), escaped.
func SkillNames(tx *Taxonomy, ids []string, lang string) string {
	var names []string
	for _, id := range ids {
		names = append(names, wikitext.Escape(tx.Skill(id).NameIn(lang)))
	}
	return strings.Join(names, ", ")
}

// UserLinks links each user's page (templates.UserLink), comma-separated.
func UserLinks(users []string) string {
	var out []string
	for _, u := range users {
		out = append(out, templates.UserLink(u))
	}
	return strings.Join(out, ", ")
}

// LinkText links a URL or a page title (never embedding a file or an
// image: page links get a leading colon).
func LinkText(target, label string) string {
	t, external, err := LinkTarget(target)
	switch {
	case err != nil:
		return ""
	case external:
		return "[" + wikitext.EscapeURL(t) + " " + wikitext.Escape(label) + "]"
	default:
		return "[[:" + wikitext.Escape(t) + "|" + wikitext.Escape(label) + "]]"
	}
}

// ResourceLink links a resource by its title.
func ResourceLink(r Resource) string { return LinkText(r.Link, r.Title) }
