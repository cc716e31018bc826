// Package directory is the skills directory (who wants to learn what, who
// shares it, which wanted skills nobody shares), the registration
// problems page, and the problem notices: the message that tells each
// participant what is wrong with their registration.
package directory

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// The tasks' names.
const (
	TaskDirectory = "directory"
	TaskProblems  = "problems"
	TaskNotices   = "notices"
)

// Config is the directory's pages.
type Config struct {
	DirectoryPage string `env:"LC_DIRECTORY_PAGE" root:"/Skills directory" doc:"generated skills directory"`
	ProblemsPage  string `env:"LC_PROBLEMS_PAGE" root:"/Registration problems" doc:"generated list of registration problems"`
}

// settings is what the tasks use: their pages, where the program lives,
// the resources page the directory links (the calendar's) and CapX's
// capacity pages.
type settings struct {
	Config
	Program       program.Config
	ResourcesPage string
	CapX          capx.Config
}

// Task writes the skills directory; it links the resources page of cal
// and counts the resources of each skill, when there is one, and links
// each skill's CapX capacities (cx).
func Task(p program.Config, c Config, cal calendar.Config, cx capx.Config) program.Task {
	s := settings{Config: c, Program: p, ResourcesPage: cal.ResourcesPage, CapX: cx}
	return program.Task{Name: TaskDirectory, Description: "write the skills directory", Plan: s.planDirectory}
}

// ProblemsTask writes the registration problems page.
func ProblemsTask(p program.Config, c Config) program.Task {
	s := settings{Config: c, Program: p}
	return program.Task{Name: TaskProblems, Description: "write the registration problems page", Plan: s.planProblems}
}

// NoticesTask tells each participant whose registration has problems what
// they are, on their talk page, once for a given set of problems.
func NoticesTask(p program.Config, c Config) program.Task {
	cfg := settings{Config: c, Program: p}
	return program.Task{
		Name:        TaskNotices,
		Description: "tell participants their registration's problems",
		Messages: &program.Messenger{
			Audience: func(st *program.State) []string {
				var out []string
				for u := range problemsByAuthor(st, p.ParticipantsPrefix) {
					out = append(out, u)
				}
				return out
			},
			Plan: func(plan *program.MessagePlan, st *program.State) (program.Part, error) {
				return notices{}, planNotices(cfg, plan, st)
			},
			Counters: []program.Counter{{Name: "problem_notices", One: "problem notice", Many: "problem notices", Kinds: []program.MessageKind{MessageProblems}, Place: 50}},
		},
	}
}
