package wikitext

import "testing"

func TestBotsExcluded(t *testing.T) {
	const bot = "LetsConnectBot"
	cases := []struct {
		text, optout string
		want         bool
	}{
		{"Hello", "", false},
		{"{{nobots}}", "", true},
		{"{{ nobots }}", "", true},
		{"{{Nobots}} on a talk page", "connection", true},
		{"<!-- {{nobots}} -->", "", false},
		{"<nowiki>{{nobots}}</nowiki>", "", false},
		{"{{nobots|all}}", "", true},
		{"{{nobots|LetsConnectBot}}", "", true},
		{"{{nobots|OtherBot, LetsConnectBot}}", "", true},
		{"{{nobots|OtherBot}}", "", false},
		{"{{nobots|reason=busy}}", "", true},
		{"{{bots}}", "", false},
		{"{{bots|allow=all}}", "", false},
		{"{{bots|allow=none}}", "", true},
		{"{{bots|allow=OtherBot}}", "", true},
		{"{{bots|allow=OtherBot,LetsConnectBot}}", "", false},
		{"{{bots|allow=letsConnectBot}}", "", false},  // first letter's case does not matter
		{"{{bots|allow=Lets_Connect_Bot}}", "", true}, // another name
		{"{{bots|deny=all}}", "", true},
		{"{{bots|deny=none}}", "", false},
		{"{{bots|deny=LetsConnectBot}}", "", true},
		{"{{bots|deny=LetsConnectBot2}}", "", false}, // no substring matches
		{"{{bots|deny=OtherBot}}", "", false},
		{"{{bots|optout=all}}", "connection", true},
		{"{{bots|optout=all}}", "", false}, // not a message: optout is about messages
		{"{{bots|optout=connection}}", "connection", true},
		{"{{bots|optout=nosource,connection}}", "connection", true},
		{"{{bots|optout=nosource}}", "connection", false},
		{"{{bots|allow=all}}{{bots|deny=LetsConnectBot}}", "", true}, // refusing wins
		{"{{bots|deny=OtherBot}} {{nobots}}", "", true},
	}
	for _, c := range cases {
		got, reason := BotsExcluded(c.text, bot, c.optout)
		if got != c.want {
			t.Errorf("BotsExcluded(%q, optout %q) = %v (%s), want %v", c.text, c.optout, got, reason, c.want)
		}
		if got && reason == "" {
			t.Errorf("BotsExcluded(%q): no reason given", c.text)
		}
	}
}
