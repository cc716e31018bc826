// Package opendata is the program's open data: its figures per skill and
// per month (people wanting and sharing each skill, connections proposed,
// approved and met, the gaps, the CapX codes where the skill is mapped)
// as a CC0 table in Commons' tabular-data format, on a JSON page under
// LC_ROOT from which it can be published to Commons (docs/report.md).
// No personal data: a count from 1 to 4 is left out (null), as the
// report's charts leave out groups under 5 people.
package opendata

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
)

// TaskOpenData is the task's name.
const TaskOpenData = "opendata"

// Config is the open-data page.
type Config struct {
	Page string `env:"LC_OPEN_DATA_PAGE" root:"/Open data/Skills by month.tab" doc:"generated JSON page (Commons tabular data, CC0): people wanting and sharing each skill, connections proposed, approved and met, gaps and CapX codes, per month; counts from 1 to 4 left out (docs/report.md)"`
}

// License is the table's licence (Commons' tabular data takes a code).
const License = "CC0-1.0"

// Floor is the fewest people a count shows: the report's (report.MinGroup).
const Floor = report.MinGroup

// Field is a column of the table (Commons' schema.fields).
type Field struct {
	Name  string            `json:"name"`
	Type  string            `json:"type"`
	Title map[string]string `json:"title"`
}

// Fields are the table's columns, in order.
var Fields = []Field{
	{"month", "string", map[string]string{"en": "Month (YYYY-MM): the figures as of the last run in that month"}},
	{"skill", "string", map[string]string{"en": "Skill id in the Let's Connect taxonomy"}},
	{"name", "string", map[string]string{"en": "Skill name"}},
	{"capx", "string", map[string]string{"en": "Capacity Exchange codes the skill is mapped to, comma-separated (null: none)"}},
	{"wanting", "number", map[string]string{"en": "Active participants who want to learn it (null: 1 to 4)"}},
	{"sharing", "number", map[string]string{"en": "Active participants who share it (null: 1 to 4)"}},
	{"proposed", "number", map[string]string{"en": "Connections proposed that month (null: 1 to 4)"}},
	{"approved", "number", map[string]string{"en": "Connections approved that month (null: 1 to 4)"}},
	{"met", "number", map[string]string{"en": "Connections that met that month (null: 1 to 4)"}},
	{"gap", "boolean", map[string]string{"en": "Wanted by active participants and shared by none"}},
}

// Table is the page: Commons' tabular-data JSON.
type Table struct {
	License     string            `json:"license"`
	Description map[string]string `json:"description"`
	Sources     string            `json:"sources"`
	Schema      struct {
		Fields []Field `json:"fields"`
	} `json:"schema"`
	Data [][]any `json:"data"`
}

// rows is the table's rows as read (the earlier months').
var rows = program.NewKey[[][]any]("open data rows")

// Task writes the open-data page, keeping the earlier months' rows as
// read and replacing the current month's.
func Task(p program.Config, c Config) program.Task {
	t := program.Task{Name: TaskOpenData, Description: "write the open-data table of the figures per skill and month"}
	if c.Page == "" {
		return t
	}
	t.Reads = []program.Read{{
		What:   "reading the open-data table",
		Titles: []string{c.Page},
		// In the taxonomy's request: no request of its own.
		WithTaxonomy: true,
		Use: func(st *program.State, pages []program.ReadPage) error {
			if pg := pages[0]; pg.Exists() {
				var tb Table
				if err := json.Unmarshal([]byte(pg.Content), &tb); err != nil {
					st.Problems = append(st.Problems, program.Problem{Page: pg.Title, Message: fmt.Sprintf("the open-data table is not the bot's JSON (%v); it is not updated until the page is restored", err)})
					return nil
				}
				rows.Set(st, tb.Data)
			}
			return nil
		},
	}}
	t.Plan = func(st *program.State) ([]program.PageChange, error) {
		text, err := json.MarshalIndent(Build(st, p.Root), "", "    ")
		if err != nil {
			return nil, err
		}
		return []program.PageChange{{Title: c.Page, Text: string(text), JSON: true,
			Summary: "The program's figures per skill and month, as open data (bot)"}}, nil
	}
	return t
}

// Build computes the table: the earlier months' rows as read, then this
// month's, a row per skill in the taxonomy's order.
func Build(st *program.State, root string) Table {
	month := st.Now.Format("2006-01")
	tb := Table{
		License:     License,
		Description: map[string]string{"en": "Let's Connect, the Wikimedia peer-learning program: people wanting and sharing each skill, connections proposed, approved and met, and the skills nobody shares, per month. Counts from 1 to 4 are left out (null)."},
		Sources: program.OwnershipMarker + " task=" + TaskOpenData + " -- This page is written by the Let's Connect bot from the registrations and the connections ledger; edits here stop the bot from updating it. -->" +
			"Computed by the Let's Connect bot from the registrations and the connections ledger under [[" + root + "]]; skills from its skills taxonomy, CapX codes from the Capacity Exchange.",
	}
	tb.Schema.Fields = Fields
	for _, r := range rows.Get(st) {
		if m, ok := r[0].(string); ok && m != month && len(r) == len(Fields) {
			tb.Data = append(tb.Data, r)
		}
	}
	connections := map[[2]string]int{}
	for _, c := range st.Ledger {
		for _, s := range []program.Status{program.StatusProposed, program.StatusApproved, program.StatusMet} {
			if strings.HasPrefix(c.Dates[s], month) {
				connections[[2]string{c.Skill, string(s)}]++
			}
		}
	}
	d := directory.BuildDirectory(st.Taxonomy, st.Registrations)
	for _, cat := range d.Categories {
		for _, r := range cat.Rows {
			var codes any
			if len(r.Skill.CapX) > 0 {
				s := make([]string, len(r.Skill.CapX))
				for i, c := range r.Skill.CapX {
					s[i] = strconv.Itoa(c)
				}
				codes = strings.Join(s, ",")
			}
			id := r.Skill.ID
			tb.Data = append(tb.Data, []any{month, id, r.Skill.Name, codes,
				Count(r.Learners), Count(len(r.Sharers)),
				Count(connections[[2]string{id, string(program.StatusProposed)}]),
				Count(connections[[2]string{id, string(program.StatusApproved)}]),
				Count(connections[[2]string{id, string(program.StatusMet)}]),
				r.Gap()})
		}
	}
	slices.SortStableFunc(tb.Data, func(a, b []any) int { return strings.Compare(fmt.Sprint(a[0]), fmt.Sprint(b[0])) })
	return tb
}

// Count is n as the table shows it: nil (null) from 1 to Floor-1.
func Count(n int) any {
	if n > 0 && n < Floor {
		return nil
	}
	return n
}
