package wiki_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikicontract"
)

// contractRoot is the only prefix the contract's bot may edit under on
// the local wiki; each case's pages go under a prefix of its own below it.
const contractRoot = "Contract test/"

// TestContract runs the contract suite (wiki/wikicontract) on the client
// against the local MediaWiki: the cases the fake wiki passes on every go
// test, here against the real thing. The bot, a person and a sysop are
// the local wiki's accounts; the accounts the cases create and every page
// they write are new to this run.
func TestContract(t *testing.T) {
	env := devwiki.Start(t)
	run := time.Now().UTC().Format("20060102-150405.000")
	login := func(user, password string) *wiki.Client {
		t.Helper()
		c, err := wiki.New(wiki.Config{
			APIURL:       env.APIURL,
			UserAgent:    "LetsConnectContractTest/0.0 (https://example.org/letsconnect; test@example.org)",
			Write:        true,
			EditPrefixes: []string{contractRoot},
			BackoffBase:  10 * time.Millisecond,
			BackoffMax:   100 * time.Millisecond,
			Log:          zerolog.Nop(),
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.LoginBotPassword(t.Context(), user, password); err != nil {
			t.Fatal(err)
		}
		return c
	}
	bot := login(env.BotUser, env.BotPassword)
	human := login(env.HumanUser, env.HumanPassword)
	admin := login(env.AdminUser, env.AdminPassword)

	wikicontract.Run(t, func(t *testing.T) wikicontract.Target {
		return wikicontract.Target{
			Wiki:   bot,
			Prefix: contractRoot + run + "/" + titlePart(t.Name()) + "/",
			Human:  human.User(),
			Save: func(t *testing.T, title, text string) {
				t.Helper()
				base, err := human.Page(t.Context(), title, wiki.ReadOptions{})
				if err == nil {
					_, err = human.Edit(t.Context(), wiki.EditRequest{Title: title, Text: text, Summary: "contract test", Base: base})
				}
				if err != nil {
					t.Fatalf("saving %s as %s: %v", title, human.User(), err)
				}
			},
			Delete: func(t *testing.T, title string) {
				t.Helper()
				if err := admin.DeleteForTest(t.Context(), title); err != nil {
					t.Fatalf("deleting %s: %v", title, err)
				}
			},
			CreateUser: func(t *testing.T, name string) {
				t.Helper()
				if err := admin.CreateAccountForTest(t.Context(), name); err != nil {
					t.Fatalf("creating the account %s: %v", name, err)
				}
			},
			// The names are new to the run: no account has them.
			NoAccount: func(t *testing.T, name string) {},
			Block: func(t *testing.T, name, reason string) {
				t.Helper()
				if err := admin.BlockForTest(t.Context(), name, reason); err != nil {
					t.Fatalf("blocking %s: %v", name, err)
				}
			},
			// The local wiki shares this machine's clock.
			NextSecond: func(t *testing.T) {
				time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 20*time.Millisecond)))
			},
			Requests: func() int64 { return bot.Stats().Requests },
		}
	})
}

// titlePart makes a test's name part of a page title: its letters,
// digits and slashes, with spaces for everything else.
func titlePart(name string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '/' {
			return r
		}
		return ' '
	}, name)), " ")
}
