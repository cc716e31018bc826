package domain

// The tasks' names: what writes each generated page (the sync's tasks, and
// the delivery's ledger). They name the pages' ownership markers and the
// --only flag.
const (
	TaskDirectory   = "directory"
	TaskProblems    = "problems"
	TaskProposals   = "proposals"
	TaskCalendar    = "calendar"
	TaskResources   = "resources"
	TaskReport      = "report"
	TaskConnections = "connections"
	TaskNewsletter  = "newsletter"
)

// OwnershipMarker starts every page the bot generates. The bot edits a
// page only if it carries the marker: a page someone else created under
// the same title is never overwritten.
const OwnershipMarker = "<!-- letsconnect:generated"
