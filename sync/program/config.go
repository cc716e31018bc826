package program

// Config is where the program lives and who runs it: what every behaviour
// shares. Each behaviour's own settings are its package's Config.
//
// The tags of each behaviour's Config are the one definition of its
// environment variables (internal/config reads them): env names it,
// envDefault is its default, root (for pages under the program) is its
// default's path under LC_ROOT, doc says what it means, and a number or a
// duration has min (and max) and unit.
type Config struct {
	// Root is the program's root page: the bot edits only under it (and
	// on user talk pages).
	Root string `env:"LC_ROOT" envDefault:"Let's Connect" doc:"root page of the program; the bot edits only under it and on user talk pages"`
	// ParticipantsPrefix is where the registrations are, one subpage each
	// ("Let's Connect/Participants/"), and TaxonomyPage the skills
	// taxonomy the working group edits.
	ParticipantsPrefix string `env:"LC_PARTICIPANTS_PREFIX" root:"/Participants/" doc:"registration subpages"`
	TaxonomyPage       string `env:"LC_TAXONOMY_PAGE" root:"/Skills taxonomy" doc:"the skills taxonomy the working group edits"`
	// WorkingGroup may create and edit anyone's registration, and only
	// their decisions count.
	WorkingGroup WorkingGroup `env:"LC_WORKING_GROUP" envSeparator:"," doc:"comma-separated user names of the working group: they may create or edit anyone's registration, and only their decisions on proposals count (empty: nobody, so no decision counts)"`
	// PageLanguages are the languages the reader pages (the directory,
	// the calendar, the resources, the report) are written in: English,
	// whose pages are the base ones, and others as their subpages
	// (Page/fr). Empty: English only.
	// InactiveDays: a sharer with no edit on the wiki for this many days
	// is treated as away (not proposed, not invited) until they edit
	// again; 0 turns the rule off.
	InactiveDays  int      `env:"LC_INACTIVE_DAYS" envDefault:"30" min:"0" max:"3650" unit:"days" doc:"a sharer with no edit on the wiki for this many days is not proposed nor invited until they edit again (0: off)"`
	PageLanguages []string `env:"LC_PAGE_LANGUAGES" envDefault:"en,fr,es,pt,ar" envSeparator:"," doc:"comma-separated languages of the directory, calendar, resources and report pages: en is the base page, each other language its subpage (Page/fr); each needs its templates/i18n file"`
}
