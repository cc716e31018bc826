package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// markerLine is the first line of a generated page: the marker and a word
// for humans who open the editor, from what the plan says the page is
// written from. A page written once (CreateOnly) has none: the marker is
// how the bot recognises its own page before writing over it, and such a
// page is never written over; its text is the people's from the start
// (the newsletter's draft travels as a message to every subscriber's
// talk page, where the bot's comment has nothing to say).
func markerLine(c program.PageChange) string {
	if c.CreateOnly {
		return ""
	}
	from, instead := c.Source, c.EditInstead
	if from == "" {
		from, instead = "the registrations and the skills taxonomy", "the registrations"
	}
	what := "Edits here stop the bot from updating it; change " + instead + " instead."
	if c.HumanRows != nil {
		what = "You may edit the rows (one per line) as the page explains; edits anywhere else stop the bot from updating it."
	}
	return program.OwnershipMarker + " task=" + c.Task + " -- This page is written by the Let's Connect bot from " + from + ". " + what + " -->\n"
}

// Outcome results beyond what the wiki answers (wiki.Result).
const (
	ResultSkipped wiki.Result = "skipped" // not written, on purpose; Reason says why
	ResultFailed  wiki.Result = "failed"
)

// Outcome is what happened to one planned page.
type Outcome struct {
	Task   string
	Title  string
	Result wiki.Result // what the wiki answered, or ResultSkipped, ResultFailed
	Reason string
	RevID  int64
}

// Apply writes the planned pages that differ from the wiki's, on pages the
// bot owns and no human edited since the bot's last revision.
func (e *Engine) Apply(ctx context.Context, changes []program.PageChange) ([]Outcome, error) {
	seen := map[string]string{}
	var titles []string
	for _, c := range changes {
		if other, dup := seen[c.Title]; dup {
			return nil, fmt.Errorf("tasks %s and %s both write %q", other, c.Task, c.Title)
		}
		seen[c.Title] = c.Task
		titles = append(titles, c.Title)
	}
	if len(titles) == 0 {
		return nil, nil
	}
	current, err := e.Wiki.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return nil, fmt.Errorf("reading the pages to write: %w", err)
	}

	type edit struct {
		change program.PageChange
		text   string
		base   *wiki.Page
		model  string // the content model, when not wikitext
	}
	var (
		outcomes []Outcome
		edits    []edit
	)
	for i, c := range changes {
		text := markerLine(c) + c.Text
		same := wiki.SameText
		model := ""
		if c.JSON {
			text, same, model = c.Text, sameJSON, wiki.ContentModelJSON
		}
		base := current[i]
		if c.Base != nil && c.Base.RevID != base.RevID {
			reason := "the page changed while the bot was planning it; it will be looked at again next run"
			outcomes = append(outcomes, Outcome{Task: c.Task, Title: c.Title, Result: ResultSkipped, Reason: reason})
			e.Log.Warn().Str("page", c.Title).Str("reason", reason).Msg("sync: not updating a page")
			continue
		}
		if c.CreateOnly && base.Exists() {
			outcomes = append(outcomes, Outcome{Task: c.Task, Title: c.Title, Result: wiki.Unchanged,
				Reason: "written already; the bot writes this page once and leaves it to people"})
			continue
		}
		// Compare first: a page that already says what the bot would write
		// needs nothing, whoever wrote it last.
		if base.Exists() && same(base.Content, text) {
			outcomes = append(outcomes, Outcome{Task: c.Task, Title: c.Title, Result: wiki.Unchanged})
			continue
		}
		if reason := e.refusal(ctx, base, c); reason != "" {
			outcomes = append(outcomes, Outcome{Task: c.Task, Title: c.Title, Result: ResultSkipped, Reason: reason})
			e.Log.Warn().Str("page", c.Title).Str("reason", reason).Msg("sync: not updating a page")
			continue
		}
		edits = append(edits, edit{c, text, base, model})
	}
	if max := e.Config.MaxEdits; max > 0 && len(edits) > max {
		return outcomes, fmt.Errorf("%w: %d edits planned, --max-edits is %d; nothing was written", ErrTooManyEdits, len(edits), max)
	}
	for i, ed := range edits {
		if err := ctx.Err(); err != nil {
			// Stopping: the edit in flight finished; nothing starts.
			return outcomes, err
		}
		if err := e.Gate.Allow(ctx, i == 0); err != nil {
			e.Log.Warn().Err(err).Int("not_written", len(edits)-i).Msg("sync: not writing")
			return outcomes, fmt.Errorf("%d pages not written: %w", len(edits)-i, err)
		}
		res, err := e.Wiki.Edit(ctx, wiki.EditRequest{Title: ed.change.Title, Text: ed.text, Summary: ed.change.Summary, Base: ed.base, ContentModel: ed.model})
		o := Outcome{Task: ed.change.Task, Title: ed.change.Title, Result: res.Result, RevID: res.RevID}
		switch {
		case errors.Is(err, wiki.ErrEditConflict), errors.Is(err, wiki.ErrPageExists), errors.Is(err, wiki.ErrPageMissing):
			o.Result, o.Reason = ResultSkipped, "someone changed the page while the bot was writing it; it will be looked at again next run"
		case err != nil:
			o.Result, o.Reason = ResultFailed, err.Error()
		case res.Merged:
			o.Reason = "MediaWiki merged this update with an edit made meanwhile; that edit will be overwritten next run unless moved to the registrations"
		}
		if o.Reason != "" {
			e.Log.Warn().Str("page", o.Title).Str("result", string(o.Result)).Str("reason", o.Reason).Msg("sync: edit")
		}
		outcomes = append(outcomes, o)
	}
	return outcomes, nil
}

// refusal says why the bot must not write over page, or "" when it may.
func (e *Engine) refusal(ctx context.Context, page *wiki.Page, c program.PageChange) string {
	if !page.Exists() {
		if page.Invalid {
			return "not a valid title: " + page.InvalidReason
		}
		return ""
	}
	if !owned(page.Content) {
		return "the page exists and was not written by the bot (no ownership marker); move it or delete it to let the bot write here"
	}
	bot := e.botName()
	if denied, why := wikitext.BotsExcluded(page.Content, bot, ""); denied {
		return why + " (the bot exclusion standard); remove it to let the bot update the page"
	}
	if bot == "" {
		return "the bot's account is unknown (no credentials and no MW_BOT_USER), so it cannot tell whether a person edited the page"
	}
	if page.User == bot {
		return ""
	}
	// Someone else made the latest revision. If it only restored the bot's
	// last text (a revert), the page is the bot's again.
	last := c.BotLast
	if last == nil {
		read, err := e.Wiki.LastRevisionBy(ctx, page.Title, bot)
		if err != nil {
			return "cannot tell who last edited it: " + err.Error()
		}
		last = pageOf(read)
	}
	if last.RevID != 0 && wiki.SameText(last.Content, page.Content) {
		return ""
	}
	// People may edit some parts (the working group's decisions); if they
	// changed nothing else, the plan already carries their edits.
	if last.RevID != 0 && c.HumanRows != nil && c.HumanRows(last.Content) == c.HumanRows(page.Content) {
		return ""
	}
	return fmt.Sprintf("%s edited it on %s after the bot's last update; the bot will not overwrite a person's edit (revert to the bot's last version to let it update the page again)",
		page.User, page.Timestamp.UTC().Format("2006-01-02 15:04 UTC"))
}

// botName is the bot's account: the logged-in user, or, for a dry run
// without credentials, the configured name, so that the dry run refuses
// what a real run would refuse.
func (e *Engine) botName() string {
	if bot := e.Wiki.User(); bot != "" {
		return bot
	}
	return e.Config.BotName
}

// sameJSON reports whether two JSON texts hold the same data.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// owned reports whether a page's text carries the ownership marker: in
// wikitext, or in a JSON page's description or, for Commons' tabular
// data (whose description is by language), its sources (MediaWiki stores
// "<" in JSON strings as \u003C, so the text itself may not show it).
func owned(text string) bool {
	if strings.Contains(text, program.OwnershipMarker) {
		return true
	}
	var doc struct {
		Description any    `json:"description"`
		Sources     string `json:"sources"`
	}
	if json.Unmarshal([]byte(text), &doc) != nil {
		return false
	}
	d, _ := doc.Description.(string)
	return strings.Contains(d, program.OwnershipMarker) || strings.Contains(doc.Sources, program.OwnershipMarker)
}
