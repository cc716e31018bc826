package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
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

var eventTypeWords = map[string]EventType{
	"learning clinic": EventClinic, "clinic": EventClinic,
	"regional session": EventRegional, "regional learning session": EventRegional, "regional": EventRegional,
	"connectathon": EventConnectathon,
	"1:1":          EventOneToOne, "one-to-one": EventOneToOne, "coffee": EventOneToOne, "1:1 coffee": EventOneToOne,
	"group": EventGroup, "cluster group": EventGroup,
}

// Event statuses.
const (
	EventPlanned   = "planned"
	EventCancelled = "cancelled"
	EventDone      = "done"
)

// Resource types.
var ResourceTypes = []string{"recording", "audio", "slides", "case study", "exercise template", "notes", "other"}

var resourceTypeWords = map[string]string{
	"recording": "recording", "video": "recording", "audio": "audio", "podcast": "audio",
	"slides": "slides", "presentation": "slides", "deck": "slides",
	"case study": "case study", "exercise template": "exercise template", "exercise": "exercise template", "template": "exercise template",
	"notes": "notes", "other": "other",
}

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

// EventChecker validates event pages.
type EventChecker struct {
	Taxonomy  *Taxonomy
	Languages map[string]string

	langs *languageIndex // Languages by code and by name
}

var startLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04Z", "2006-01-02T15:04:05Z", "2006-01-02 15:04 UTC", "2006-01-02T15:04"}

var durationRE = regexp.MustCompile(`^(?:(\d+(?:[.,]\d+)?)\s*h(?:ours?)?)?\s*(?:(\d+)\s*(?:min(?:utes?)?|m)?)?$`)

// parseDuration reads "90 min", "1h30", "2h", "1.5h", "2 hours".
func parseDuration(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	m := durationRE.FindStringSubmatch(s)
	if s == "" || m == nil || (m[1] == "" && m[2] == "") {
		return 0, false
	}
	var d time.Duration
	if m[1] != "" {
		h, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
		if err != nil {
			return 0, false
		}
		d += time.Duration(h * float64(time.Hour))
	}
	if m[2] != "" {
		n, _ := strconv.Atoi(m[2])
		d += time.Duration(n) * time.Minute
	}
	if d <= 0 || d > 24*time.Hour {
		return 0, false
	}
	return d, true
}

// Check reads the events and resources of one page.
func (ck *EventChecker) Check(page string, updated time.Time, text string) ([]Event, []Resource, []Problem) {
	ps := &problems{page: page}
	var events []Event
	var resources []Resource
	n := 0
	for _, t := range wikitext.Templates(text) {
		switch t.Name {
		case TemplateEvent:
			n++
			if ev, ok := ck.event(ps, page, n, updated, t); ok {
				events = append(events, ev)
			}
		case TemplateResource:
			if r, ok := ck.resource(ps, page, t); ok {
				resources = append(resources, r)
			}
		}
	}
	// A resource on an event page belongs to its event unless it says.
	if len(events) > 0 {
		for i := range resources {
			if resources[i].Event == "" {
				resources[i].Event = page
			}
		}
	}
	return events, resources, ps.list
}

func params(ps *problems, t wikitext.Template, known []string) func(string) string {
	m := map[string]string{}
	for _, p := range t.Params {
		name := strings.ToLower(strings.TrimSpace(p.Name))
		if p.Positional || !slices.Contains(known, name) {
			ps.add(name, "{{%s}} has no parameter %q; the known ones are: %s", t.Name, strings.TrimSpace(p.Name), strings.Join(known, ", "))
			continue
		}
		m[name] = strings.TrimSpace(html.UnescapeString(p.Value))
	}
	return func(k string) string { return m[k] }
}

func (ck *EventChecker) event(ps *problems, page string, n int, updated time.Time, t wikitext.Template) (Event, bool) {
	get := params(ps, t, EventParams)
	ev := Event{Page: page, Updated: updated, ID: connectionID("event", page, strconv.Itoa(n)), FeedbackMet: -1}
	ok := true
	if typ, known := eventTypeWords[strings.ToLower(get("type"))]; known {
		ev.Type = typ
	} else {
		ps.add("type", "the event type %q is not one of: learning clinic, regional session, connectathon, 1:1, group", get("type"))
		ok = false
	}
	if ev.Title = clip(ps, "title", get("title")); ev.Title == "" {
		ps.add("title", "the event has no title")
		ok = false
	}
	start := get("start")
	parsed := false
	for _, layout := range startLayouts {
		if t, err := time.Parse(layout, strings.TrimSuffix(start, " UTC")); err == nil {
			ev.Start, parsed = t.UTC(), true
			break
		}
	}
	if !parsed {
		ps.add("start", "the start %q is not a UTC date and time; write it as YYYY-MM-DD HH:MM (in UTC)", start)
		ok = false
	}
	ev.Duration = 90 * time.Minute
	if ev.Type == EventClinic || ev.Type == EventRegional || ev.Type == EventConnectathon {
		ev.Duration = 2 * time.Hour
	}
	if v := get("duration"); v != "" {
		if d, good := parseDuration(v); good {
			ev.Duration = d
		} else {
			ps.add("duration", "the duration %q is not understood; write it as 90 min, 1h30 or 2h (at most 24 h)", v)
		}
	}
	if v := get("language"); v != "" {
		if code, ok := ck.language(v); ok {
			ev.Language = code
		} else {
			ps.add("language", "%q is not a language code or name this wiki knows", v)
		}
	}
	for _, v := range splitList(get("interpreted"), ",;") {
		if code, ok := ck.language(v); ok {
			ev.Interpreted = append(ev.Interpreted, code)
		} else {
			ps.add("interpreted", "%q is not a language code or name this wiki knows", v)
		}
	}
	// A set: shown by code, whatever order people wrote them in, so that
	// reordering them changes no page and no iCalendar SEQUENCE.
	slices.Sort(ev.Interpreted)
	ev.Interpreted = slices.Compact(ev.Interpreted)
	ev.Skills = ck.skillList(ps, get("skills"))
	ev.Sharers = userList(ps, "sharers", get("sharers"))
	ev.Audience, ev.Purpose = clip(ps, "audience", get("audience")), clip(ps, "purpose", get("purpose"))
	if v := get("registration"); v != "" {
		if target, _, err := linkTarget(v); err == nil {
			ev.Registration = target
		} else {
			ps.add("registration", "the registration link %q is neither an http(s) URL nor a page title: %v", v, err)
		}
	}
	switch s := strings.ToLower(get("status")); s {
	case "", EventPlanned, "confirmed", "scheduled":
		ev.Status = EventPlanned
	case EventCancelled, "canceled":
		ev.Status = EventCancelled
	case EventDone, "held", "past", "finished":
		ev.Status = EventDone
	default:
		ps.add("status", "the status %q is not one of: planned, cancelled, done", get("status"))
		ev.Status = EventPlanned
	}
	ev.Attendees = userList(ps, "attendees", get("attendees"))
	count := func(field string) int {
		v := get(field)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ps.add(field, "%q is not a count (a whole number, 0 or more)", v)
			return 0
		}
		return n
	}
	ev.Unregistered = count("unregistered")
	ev.FeedbackResponses = count("feedback_responses")
	if v := get("feedback_rating"); v != "" {
		r, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil || r < 1 || r > 5 {
			ps.add("feedback_rating", "the rating %q is not between 1 and 5", v)
		} else {
			ev.FeedbackRating = r
		}
	}
	if v := get("feedback_met"); v != "" {
		r, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, "%")), 64)
		if err != nil || r < 0 || r > 100 {
			ps.add("feedback_met", "%q is not a share between 0%% and 100%%", v)
		} else {
			ev.FeedbackMet = r
		}
	}
	return ev, ok
}

func (ck *EventChecker) resource(ps *problems, page string, t wikitext.Template) (Resource, bool) {
	get := params(ps, t, ResourceParams)
	r := Resource{Page: page, Title: clip(ps, "title", get("title")), Date: get("date")}
	ok := true
	if r.Title == "" {
		ps.add("title", "a resource has no title")
		ok = false
	}
	if typ, known := resourceTypeWords[strings.ToLower(get("type"))]; known {
		r.Type = typ
	} else {
		ps.add("type", "the resource type %q is not one of: %s", get("type"), strings.Join(ResourceTypes, ", "))
		r.Type = "other"
	}
	r.Skills = ck.skillList(ps, get("skills"))
	if v := get("language"); v != "" {
		if code, ok := ck.language(v); ok {
			r.Language = code
		} else {
			ps.add("language", "%q is not a language code or name this wiki knows", v)
		}
	}
	target, external, err := linkTarget(get("link"))
	switch {
	case get("link") == "":
		ps.add("link", "the resource %q has no link", r.Title)
		ok = false
	case err != nil:
		ps.add("link", "the link %q is neither an http(s) URL nor a page title (%v); the resource is left out until it is fixed", get("link"), err)
		ok = false
	default:
		r.Link, r.External = target, external
	}
	if v := get("event"); v != "" {
		if title, err := wikitext.CheckTitle(strings.TrimSuffix(strings.TrimPrefix(v, "[["), "]]"), false); err == nil {
			r.Event = title
		} else {
			ps.add("event", "the event %q is not a page title (%v); the resource is shown without its event", v, err)
		}
	}
	if r.Date != "" && parseDay(r.Date).IsZero() {
		ps.add("date", "the date %q is not YYYY-MM-DD", r.Date)
		r.Date = ""
	}
	return r, ok
}

// userList reads a list of user names (sharers, attendees); a value that
// cannot be a user name is reported and left out (it would be a broken
// link on the calendar, and nobody's attendance).
func userList(ps *problems, field, v string) []string {
	var out []string
	for _, u := range splitList(v, ",;") {
		name, err := wikitext.CheckUserName(u)
		if err != nil {
			ps.add(field, "%q is not a user name: %v", u, err)
			continue
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// language finds a language by its code or its name, as in a registration.
func (ck *EventChecker) language(v string) (string, bool) {
	if ck.langs == nil {
		ck.langs = newLanguageIndex(ck.Languages)
	}
	return ck.langs.lookup(v)
}

// skillList reads an event's or a resource's skills: a set, kept in the
// taxonomy's order (each once), whatever order people wrote them in, so
// that reordering them changes no page and no iCalendar SEQUENCE.
func (ck *EventChecker) skillList(ps *problems, v string) []string {
	var out []int
	for _, name := range splitList(v, ",;") {
		if i, ok := ck.Taxonomy.byKey[skillKey(name)]; ok {
			out = append(out, i)
		} else {
			ps.add("skills", "%q is not a skill of the taxonomy", name)
		}
	}
	slices.Sort(out)
	var ids []string
	for _, i := range slices.Compact(out) {
		ids = append(ids, ck.Taxonomy.Skills[i].ID)
	}
	return ids
}

// linkTarget reads a link: an http(s) URL (external) or a page title,
// possibly with a #section ("[[...]]" around it is allowed). The error
// says why it is neither.
func linkTarget(v string) (target string, external bool, err error) {
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
