package calendar

import (
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

var eventTypeWords = map[string]program.EventType{
	"learning clinic": program.EventClinic, "clinic": program.EventClinic,
	"regional session": program.EventRegional, "regional learning session": program.EventRegional, "regional": program.EventRegional,
	"connectathon": program.EventConnectathon,
	"1:1":          program.EventOneToOne, "one-to-one": program.EventOneToOne, "coffee": program.EventOneToOne, "1:1 coffee": program.EventOneToOne,
	"group": program.EventGroup, "cluster group": program.EventGroup,
}

var resourceTypeWords = map[string]string{
	"recording": "recording", "video": "recording", "audio": "audio", "podcast": "audio",
	"slides": "slides", "presentation": "slides", "deck": "slides",
	"case study": "case study", "exercise template": "exercise template", "exercise": "exercise template", "template": "exercise template",
	"notes": "notes", "other": "other",
}

// EventChecker validates event pages.
type EventChecker struct {
	Taxonomy  *program.Taxonomy
	Languages map[string]string

	langs *program.LanguageIndex // Languages by code and by name
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
func (ck *EventChecker) Check(page string, updated time.Time, text string) ([]program.Event, []program.Resource, []program.Problem) {
	ps := &program.ProblemList{Page: page}
	var events []program.Event
	var resources []program.Resource
	n := 0
	for _, t := range wikitext.Templates(text) {
		switch t.Name {
		case program.TemplateEvent:
			n++
			if ev, ok := ck.event(ps, page, n, updated, t); ok {
				events = append(events, ev)
			}
		case program.TemplateResource:
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
	return events, resources, ps.List
}

func params(ps *program.ProblemList, t wikitext.Template, known []string) func(string) string {
	m := map[string]string{}
	for _, p := range t.Params {
		name := strings.ToLower(strings.TrimSpace(p.Name))
		if p.Positional || !slices.Contains(known, name) {
			ps.Add(name, "{{%s}} has no parameter %q; the known ones are: %s", t.Name, strings.TrimSpace(p.Name), strings.Join(known, ", "))
			continue
		}
		m[name] = strings.TrimSpace(html.UnescapeString(p.Value))
	}
	return func(k string) string { return m[k] }
}

func (ck *EventChecker) event(ps *program.ProblemList, page string, n int, updated time.Time, t wikitext.Template) (program.Event, bool) {
	get := params(ps, t, program.EventParams)
	ev := program.Event{Page: page, Updated: updated, ID: program.ConnectionID("event", page, strconv.Itoa(n)), FeedbackMet: -1}
	ok := true
	if typ, known := eventTypeWords[strings.ToLower(get("type"))]; known {
		ev.Type = typ
	} else {
		ps.Add("type", "the event type %q is not one of: learning clinic, regional session, connectathon, 1:1, group", get("type"))
		ok = false
	}
	if ev.Title = program.Clip(ps, "title", get("title")); ev.Title == "" {
		ps.Add("title", "the event has no title")
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
		ps.Add("start", "the start %q is not a UTC date and time; write it as YYYY-MM-DD HH:MM (in UTC)", start)
		ok = false
	}
	ev.Duration = 90 * time.Minute
	if ev.Type == program.EventClinic || ev.Type == program.EventRegional || ev.Type == program.EventConnectathon {
		ev.Duration = 2 * time.Hour
	}
	if v := get("duration"); v != "" {
		if d, good := parseDuration(v); good {
			ev.Duration = d
		} else {
			ps.Add("duration", "the duration %q is not understood; write it as 90 min, 1h30 or 2h (at most 24 h)", v)
		}
	}
	if v := get("language"); v != "" {
		if code, ok := ck.language(v); ok {
			ev.Language = code
		} else {
			ps.Add("language", "%q is not a language code or name this wiki knows", v)
		}
	}
	for _, v := range program.SplitList(get("interpreted"), ",;") {
		if code, ok := ck.language(v); ok {
			ev.Interpreted = append(ev.Interpreted, code)
		} else {
			ps.Add("interpreted", "%q is not a language code or name this wiki knows", v)
		}
	}
	// A set: shown by code, whatever order people wrote them in, so that
	// reordering them changes no page and no iCalendar SEQUENCE.
	slices.Sort(ev.Interpreted)
	ev.Interpreted = slices.Compact(ev.Interpreted)
	ev.Skills = ck.skillList(ps, get("skills"))
	ev.Sharers = userList(ps, "sharers", get("sharers"))
	ev.Audience, ev.Purpose = program.Clip(ps, "audience", get("audience")), program.Clip(ps, "purpose", get("purpose"))
	if v := get("registration"); v != "" {
		if target, _, err := program.LinkTarget(v); err == nil {
			ev.Registration = target
		} else {
			ps.Add("registration", "the registration link %q is neither an http(s) URL nor a page title: %v", v, err)
		}
	}
	switch s := strings.ToLower(get("status")); s {
	case "", program.EventPlanned, "confirmed", "scheduled":
		ev.Status = program.EventPlanned
	case program.EventCancelled, "canceled":
		ev.Status = program.EventCancelled
	case program.EventDone, "held", "past", "finished":
		ev.Status = program.EventDone
	default:
		ps.Add("status", "the status %q is not one of: planned, cancelled, done", get("status"))
		ev.Status = program.EventPlanned
	}
	ev.Attendees = userList(ps, "attendees", get("attendees"))
	count := func(field string) int {
		v := get(field)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ps.Add(field, "%q is not a count (a whole number, 0 or more)", v)
			return 0
		}
		return n
	}
	ev.Unregistered = count("unregistered")
	ev.FeedbackResponses = count("feedback_responses")
	if v := get("feedback_rating"); v != "" {
		r, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil || r < 1 || r > 5 {
			ps.Add("feedback_rating", "the rating %q is not between 1 and 5", v)
		} else {
			ev.FeedbackRating = r
		}
	}
	if v := get("feedback_met"); v != "" {
		r, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, "%")), 64)
		if err != nil || r < 0 || r > 100 {
			ps.Add("feedback_met", "%q is not a share between 0%% and 100%%", v)
		} else {
			ev.FeedbackMet = r
		}
	}
	return ev, ok
}

func (ck *EventChecker) resource(ps *program.ProblemList, page string, t wikitext.Template) (program.Resource, bool) {
	get := params(ps, t, program.ResourceParams)
	r := program.Resource{Page: page, Title: program.Clip(ps, "title", get("title")), Date: get("date")}
	ok := true
	if r.Title == "" {
		ps.Add("title", "a resource has no title")
		ok = false
	}
	if typ, known := resourceTypeWords[strings.ToLower(get("type"))]; known {
		r.Type = typ
	} else {
		ps.Add("type", "the resource type %q is not one of: %s", get("type"), strings.Join(program.ResourceTypes, ", "))
		r.Type = "other"
	}
	r.Skills = ck.skillList(ps, get("skills"))
	if v := get("language"); v != "" {
		if code, ok := ck.language(v); ok {
			r.Language = code
		} else {
			ps.Add("language", "%q is not a language code or name this wiki knows", v)
		}
	}
	target, external, err := program.LinkTarget(get("link"))
	switch {
	case get("link") == "":
		ps.Add("link", "the resource %q has no link", r.Title)
		ok = false
	case err != nil:
		ps.Add("link", "the link %q is neither an http(s) URL nor a page title (%v); the resource is left out until it is fixed", get("link"), err)
		ok = false
	default:
		r.Link, r.External = target, external
	}
	if v := get("event"); v != "" {
		if title, err := wikitext.CheckTitle(strings.TrimSuffix(strings.TrimPrefix(v, "[["), "]]"), false); err == nil {
			r.Event = title
		} else {
			ps.Add("event", "the event %q is not a page title (%v); the resource is shown without its event", v, err)
		}
	}
	if r.Date != "" && program.ParseDay(r.Date).IsZero() {
		ps.Add("date", "the date %q is not YYYY-MM-DD", r.Date)
		r.Date = ""
	}
	return r, ok
}

// userList reads a list of user names (sharers, attendees); a value that
// cannot be a user name is reported and left out (it would be a broken
// link on the calendar, and nobody's attendance).
func userList(ps *program.ProblemList, field, v string) []string {
	var out []string
	for _, u := range program.SplitList(v, ",;") {
		name, err := wikitext.CheckUserName(u)
		if err != nil {
			ps.Add(field, "%q is not a user name: %v", u, err)
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
		ck.langs = program.NewLanguageIndex(ck.Languages)
	}
	return ck.langs.Lookup(v)
}

// skillList reads an event's or a resource's skills: a set, kept in the
// taxonomy's order (each once), whatever order people wrote them in, so
// that reordering them changes no page and no iCalendar SEQUENCE.
func (ck *EventChecker) skillList(ps *program.ProblemList, v string) []string {
	var out []int
	for _, name := range program.SplitList(v, ",;") {
		if i, ok := ck.Taxonomy.Index(name); ok {
			out = append(out, i)
		} else {
			ps.Add("skills", "%q is not a skill of the taxonomy", name)
		}
	}
	slices.Sort(out)
	var ids []string
	for _, i := range slices.Compact(out) {
		ids = append(ids, ck.Taxonomy.Skills[i].ID)
	}
	return ids
}
