package program

// Config is where the program lives and who runs it: what every behaviour
// shares. Each behaviour's own settings are its package's Config.
type Config struct {
	// Root is the program's root page: the bot edits only under it (and
	// on user talk pages).
	Root string
	// ParticipantsPrefix is where the registrations are, one subpage each
	// ("Let's Connect/Participants/"), and TaxonomyPage the skills
	// taxonomy the working group edits.
	ParticipantsPrefix string
	TaxonomyPage       string
	// WorkingGroup may create and edit anyone's registration, and only
	// their decisions count.
	WorkingGroup WorkingGroup
	// PageLanguages are the languages the reader pages (the directory,
	// the calendar, the resources, the report) are written in: English,
	// whose pages are the base ones, and others as their subpages
	// (Page/fr). Empty: English only.
	PageLanguages []string
}
