// Package bot is the bot's task table: every behaviour's tasks, in the
// order they run, built from the configuration. The commands run it, and
// so do the tests that run the whole bot on the in-memory wiki, so that
// they test the very table the commands run.
package bot

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/newsletter"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/opendata"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
)

// Tasks is the task table: the sync's tasks, then the delivery's, each in
// the order it runs, each given its part of the configuration (and the
// parts of the behaviours whose pages it links). match is the matcher the proposals use (nil:
// match.Match; a memo of it in practice).
func Tasks(c config.Config, match func(match.Input) (*match.Result, error)) []program.Task {
	return []program.Task{
		capx.Task(c.Program, c.CapX),
		directory.Task(c.Program, c.Directory, c.Calendar, c.CapX),
		directory.ProblemsTask(c.Program, c.Directory),
		proposals.Task(c.Program, c.Proposals, c.Directory, match),
		calendar.Task(c.Program, c.Calendar),
		calendar.ResourcesTask(c.Program, c.Calendar),
		report.Task(c.Program, c.Report, c.Recognition),
		opendata.Task(c.Program, c.OpenData),
		newsletter.Task(c.Newsletter, c.Calendar, c.Directory),

		lifecycle.Task(c.Program, c.Lifecycle, c.Proposals),
		directory.NoticesTask(c.Program, c.Directory),
		outreach.Task(c.Outreach, c.Directory, c.Calendar, c.Proposals),
		recognition.Task(c.Recognition),
	}
}
