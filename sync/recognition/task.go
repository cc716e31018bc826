// Package recognition recognises what people did (docs/recognition.md):
// badges awarded by documented rules from what the bot can verify on the
// ledger and the event pages, listed on the Recognition page, each
// congratulated once with a talk-page message, within the caps and the
// opt-outs. The Recognition page is also the record of the
// congratulations: a delivery writes it.
package recognition

import (
	"strconv"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
)

// TaskRecognition is the task's name.
const TaskRecognition = "recognition"

// Config is the Recognition page and the switch.
type Config struct {
	RecognitionPage string `env:"LC_RECOGNITION_PAGE" root:"/Recognition" doc:"generated Recognition page: the badges awarded by their rules and the record of their congratulations (docs/recognition.md)"`
	BadgesEnabled   bool   `env:"LC_BADGES" envDefault:"false" doc:"true (or 1) switches the badges on: deliveries award them, write the Recognition page and congratulate each holder once (false or 0: off)"`
}

// recognitionPage is the Recognition page as read, when it exists, and its rows.
var recognitionPage = program.NewRowsKey[*BadgeRow]("Recognition page")

// Rows returns the Recognition page's rows as read: the badges awarded
// and congratulated.
func Rows(st *program.State) []*BadgeRow { return recognitionPage.Rows(st) }

// SetRows sets the Recognition page's rows, as if read.
func SetRows(st *program.State, rows []*BadgeRow) { recognitionPage.SetRows(st, rows) }

// Task awards the badges and congratulates their holders in a delivery;
// when the badges are on, it reads the Recognition page for every task
// (the report counts the badges).
func Task(c Config) program.Task {
	t := program.Task{
		Name:        TaskRecognition,
		Description: "award the badges, list them on the Recognition page and congratulate each holder once",
		Messages: &program.Messenger{
			Audience: c.audience,
			Sent: func(st *program.State) []program.Delivery {
				var out []program.Delivery
				for _, r := range Rows(st) {
					if r.Congratulated != "" {
						out = append(out, program.Delivery{Date: r.Congratulated, Kind: MessageBadge, User: r.User})
					}
				}
				return out
			},
			Plan:     c.plan,
			Counters: []program.Counter{{Name: "badges", One: "congratulation", Many: "congratulations", Kinds: []program.MessageKind{MessageBadge}, Place: 30}},
		},
	}
	if c.On() {
		t.Reads = []program.Read{{
			What:   "reading the Recognition page",
			Titles: []string{c.RecognitionPage},
			Use: func(st *program.State, pages []program.ReadPage) error {
				if p := pages[0]; p.Exists() {
					recognitionPage.Set(st, p.Page, ParseBadges(p.Content))
				}
				return nil
			},
		}}
	}
	return t
}

// delivery is the recognition's part of a delivery plan: the Recognition
// page's rows as the run leaves them (the rows read, copied, then a new
// row for each badge earned; posting records each congratulation).
type delivery struct {
	c       Config
	st      *program.State
	rows    []*BadgeRow
	catalog *i18n.Catalog
}

// Account tells how many congratulations the plan posts.
func (d *delivery) Account(p *program.MessagePlan) program.Account {
	if n := p.CountKinds(MessageBadge); n > 0 {
		return program.Account{ToPost: "BADGES " + strconv.Itoa(n) + " " + program.Plural(n, "congratulation", "congratulations") + " to post"}
	}
	return program.Account{}
}

// Finish writes the Recognition page from the rows.
func (d *delivery) Finish() ([]program.PageChange, error) {
	return d.c.recognitionChange(d.catalog, d.st, d.rows)
}

// Outcome: the messages' counter counts the congratulations.
func (d *delivery) Outcome() ([]string, map[string]int) { return nil, nil }
