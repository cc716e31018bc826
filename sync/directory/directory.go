package directory

import (
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// Directory is the skills directory: per category and skill, who wants to
// learn it and who shares it.
type Directory struct {
	Categories []DirectoryCategory
	Gaps       int // skills wanted by someone that nobody shares
	Active     int // active participants counted
}

// DirectoryCategory is one section of the directory.
type DirectoryCategory struct {
	Category program.Category
	Rows     []DirectoryRow
}

// DirectoryRow is one skill's line.
type DirectoryRow struct {
	Skill    program.Skill
	Learners int
	Sharers  []Sharer // by level (highest first), then name
	// Resources counts the resources for the skill (the resources page
	// lists them under the skill's id as an anchor).
	Resources int
	// CapX are the Capacity Exchange's capacities the skill is mapped to
	// (those CapX's list has).
	CapX []capx.Capacity
}

// SharersShown is how many sharers a directory row lists by name: enough
// to choose from, and a page that stays far below MediaWiki's 2 MB limit
// with 100,000 participants. The row says how many more there are.
const SharersShown = 25

// Shown returns the sharers the row lists by name: the highest levels.
func (r DirectoryRow) Shown() []Sharer { return r.Sharers[:min(len(r.Sharers), SharersShown)] }

// More is the number of sharers not listed by name.
func (r DirectoryRow) More() int { return max(0, len(r.Sharers)-SharersShown) }

// Gap reports whether people want the skill and nobody shares it.
func (r DirectoryRow) Gap() bool { return r.Learners > 0 && len(r.Sharers) == 0 }

// Sharer is a participant who shares a skill.
type Sharer struct {
	Username  string
	Page      string
	Level     match.Level
	Languages []program.LanguageLevel
	// AwayUntil is the day the sharer is back ("" when they are not away):
	// the directory page says so.
	AwayUntil string
}

// LevelName is the sharer's level in words.
func (s Sharer) LevelName() string { return s.Level.String() }

// LanguageCodes lists the sharer's languages, best first.
func (s Sharer) LanguageCodes() string {
	langs := slices.Clone(s.Languages)
	slices.SortStableFunc(langs, func(a, b program.LanguageLevel) int { return int(b.Level - a.Level) })
	codes := make([]string, len(langs))
	for i, l := range langs {
		codes[i] = l.Code
	}
	return strings.Join(codes, ", ")
}

// BuildDirectory counts active registrations per skill, in taxonomy order.
func BuildDirectory(tx *program.Taxonomy, regs []*program.Registration) Directory {
	learners := map[string]int{}
	sharers := map[string][]Sharer{}
	var d Directory
	for _, r := range regs {
		if !r.Active {
			continue
		}
		d.Active++
		for _, l := range r.Learn {
			learners[l.ID]++
		}
		for _, s := range r.Share {
			sharers[s.ID] = append(sharers[s.ID], Sharer{Username: r.Username, Page: r.Page, Level: s.Level, Languages: r.Languages})
		}
	}
	for _, c := range tx.Categories {
		dc := DirectoryCategory{Category: c}
		for _, s := range tx.Skills {
			if s.CategoryID != c.ID {
				continue
			}
			row := DirectoryRow{Skill: s, Learners: learners[s.ID], Sharers: sharers[s.ID]}
			slices.SortFunc(row.Sharers, func(a, b Sharer) int {
				if a.Level != b.Level {
					return int(b.Level - a.Level)
				}
				return strings.Compare(a.Username, b.Username)
			})
			if row.Gap() {
				d.Gaps++
			}
			dc.Rows = append(dc.Rows, row)
		}
		d.Categories = append(d.Categories, dc)
	}
	return d
}
