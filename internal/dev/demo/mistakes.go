package demo

import (
	"time"
)

// helped is a participant whom a working-group member registered.
const helped = "Jide Helped"

// mistakes are the registrations people got wrong in ways the bot must
// explain, one per kind, plus one a working-group member wrote for a
// participant (which is allowed). Their accounts are not among the
// pilot-shaped participants, so they do not change the pilot's figures.
func (g *generator) mistakes() ([]Mistake, []Revision) {
	at := time.Date(2022, 10, 3, 12, 0, 0, 0, time.UTC)
	type entry struct {
		user, by, kind, field, text string
		usable                      bool
	}
	valid := "| region = MEA\n| country = Nigeria\n| languages = en-3, yo-N\n| timezone = Africa/Lagos\n"
	entries := []entry{
		{"Ada Typo", "", "unknown skill", "learn",
			"{{Let's Connect registration\n" + valid + "| learn = Proposal writting (beginner), Basic Wikidata (none)\n}}\n", true},
		{"Bola Levels", "", "unknown level", "share",
			"{{Let's Connect registration\n" + valid + "| learn = Governance (none)\n| share = Basic Wikidata (guru)\n}}\n", true},
		{"Chidi Tongues", "", "unknown language", "languages",
			"{{Let's Connect registration\n| region = MEA\n| country = Nigeria\n| languages = en-3, elvish-2\n| timezone = Africa/Lagos\n| learn = Leadership (beginner)\n}}\n", true},
		{"Dami Clock", "", "unknown time zone", "timezone",
			"{{Let's Connect registration\n| region = MEA\n| country = Ghana\n| languages = en-4, tw-N\n| timezone = Accra time\n| share = Social media (advanced)\n}}\n", false},
		{"Efe Both", "", "skill both learned and shared", "learn",
			"{{Let's Connect registration\n" + valid + "| learn = Basic Wikidata (beginner), Governance (none)\n| share = Wikidata (advanced)\n}}\n", true},
		{"Funmi Missing", "", "missing required field", "country",
			"{{Let's Connect registration\n| region = MEA\n| languages = en-3\n| timezone = Africa/Lagos\n| learn = Proposal writing (none)\n}}\n", false},
		{"Gbenga Victim", Impostor, "not edited by the participant", "",
			"{{Let's Connect registration\n" + valid + "| learn = Leadership (none)\n}}\n", false},
		{"Hauwa Freeform", "", "no registration template", "",
			"Hello! I want to learn proposal writing and Wikidata. I can teach photography. I live in Kano.\n", false},
		{"Ike Extra", "", "unknown parameter", "skils",
			"{{Let's Connect registration\n" + valid + "| joined = 2019\n| skils = Wikidata\n| learn = Fundraising (beginner)\n}}\n", true},
	}
	var (
		mistakes []Mistake
		pages    []Revision
	)
	for i, e := range entries {
		by := e.user
		if e.by != "" {
			by = e.by
		}
		title := g.registrationTitle(g.account(e.user))
		mistakes = append(mistakes, Mistake{Page: title, Kind: e.kind, Field: e.field, Usable: e.usable})
		pages = append(pages, Revision{Title: title, User: g.account(by), Time: at.Add(time.Duration(i) * time.Hour), Comment: "Let's Connect registration", Text: e.text})
	}
	// A working-group member may register someone who asked for help.
	pages = append(pages, Revision{
		Title: g.registrationTitle(g.account(helped)), User: g.coordinator, Time: at.Add(24 * time.Hour),
		Comment: "Registering " + g.account(helped) + ", who asked at the Lagos meetup",
		Text:    "{{Let's Connect registration\n" + valid + "| learn = Proposal writing (beginner)\n| share = Small editing events (advanced)\n}}\n",
	})
	return mistakes, pages
}
