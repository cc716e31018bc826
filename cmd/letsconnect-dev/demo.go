package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/demo"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

const demoUsage = `usage: letsconnect-dev demo generate [--participants N] [--root TITLE] [--account-prefix P] --out DIR
       letsconnect-dev demo approve --as USER [--n N]   (the working group approves the best 1:1 proposals that are no one's request)
       letsconnect-dev demo reply                      (the first connection's people say yes, the next one's sharer no)`

// runDemo: `letsconnect-dev demo generate` writes a pilot-shaped program for
// the local wiki; scripts/devwiki.sh import loads it (make demo does both).
func runDemo(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 && args[0] == "approve" {
		return runDemoApprove(ctx, a, args[1:])
	}
	if len(args) > 0 && args[0] == "reply" {
		return runDemoReply(ctx, a, args[1:])
	}
	if len(args) == 0 || args[0] != "generate" {
		return cli.Usage(errors.New(demoUsage))
	}
	fs := flag.NewFlagSet("demo generate", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	participants := fs.Int("participants", demo.PilotParticipants, "number of pilot-shaped participants (the pilot had 179)")
	root := fs.String("root", "", "the program's root page (default $LC_ROOT, or \"Let's Connect\")")
	out := fs.String("out", "", "directory to write pages.xml, accounts.txt and working-group.txt to")
	prefix := fs.String("account-prefix", "", "put this before every account name (e.g. \"Trial \"): a program whose people are not the demo's")
	if err := cli.ParseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return cli.Usage(errors.New(demoUsage))
	}
	if *participants < 1 {
		// demo.Options reads 0 as the pilot's size: say no rather than
		// generate 179 people for DEMO_PARTICIPANTS=0.
		return cli.Usage(fmt.Errorf("--participants %d: must be a whole number, 1 or more (the pilot had %d)", *participants, demo.PilotParticipants))
	}
	if *root == "" {
		*root = a.Environ["LC_ROOT"]
	}
	prog, err := demo.Generate(demo.Options{Participants: *participants, Root: *root, AccountPrefix: *prefix})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(*out, "pages.xml"))
	if err != nil {
		return err
	}
	if err := demo.WriteXML(f, prog.Pages); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	lines := func(name string, items []string) error {
		return os.WriteFile(filepath.Join(*out, name), []byte(strings.Join(items, "\n")+"\n"), 0o644)
	}
	if err := lines("accounts.txt", prog.Accounts); err != nil {
		return err
	}
	if err := lines("working-group.txt", prog.WorkingGroup); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "demo: %d participants, %d registrations with mistakes, %d pages, %d accounts in %s\n",
		len(prog.Participants), len(prog.Mistakes), len(prog.Pages), len(prog.Accounts), *out)
	return nil
}

// devwikiEdit saves text as title, edited by user, through the local
// wiki's maintenance script: demo accounts have no password.
func devwikiEdit(script, user, title, text string) error {
	cmd := exec.Command(script, "edit", user, title)
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s edit %q %q: %v\n%s", script, user, title, err, out)
	}
	return nil
}

// runDemoApprove plays a working-group member approving the best n 1:1
// proposals on the local wiki: the first 1:1 rows still proposed, since
// the page lists them best first (none when n are approved already, so
// that the demo can run again). It reads the rows as the bot does and
// changes only their status, so that however the bot writes a row (its
// arguments are escaped by context), the approval is the one a person
// would make. When there is something to approve and no row to approve,
// it fails: a demo that approves nothing must not look like one that did.
func runDemoApprove(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("demo approve", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	n := fs.Int("n", 3, "how many proposals to approve")
	as := fs.String("as", "", "the working-group member who approves")
	script := fs.String("devwiki", "scripts/devwiki.sh", "the local wiki's script")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	if *as == "" {
		return cli.Usage(errors.New(demoUsage))
	}
	c, err := a.NewWikiClient(ctx, config.Config{Wiki: config.Wiki{APIURL: cfg.Wiki.APIURL, Contact: cfg.Wiki.Contact, MaxLag: cfg.Wiki.MaxLag}}, false, nil)
	if err != nil {
		return err
	}
	page, err := c.Page(ctx, cfg.Proposals.ProposalsPage, wiki.ReadOptions{})
	if err != nil {
		return err
	}
	if !page.Exists() {
		return fmt.Errorf("demo approve: %s does not exist: run letsconnect sync --write first", cfg.Proposals.ProposalsPage)
	}
	requested, err := requestedPairs(ctx, c, cfg.Program.ParticipantsPrefix)
	if err != nil {
		return err
	}
	text, approved, chosen := approveBest(page.Content, *n, requested)
	if len(chosen) == 0 {
		if approved >= *n {
			fmt.Fprintf(a.Stdout, "demo: %d 1:1 proposals are approved already on %s\n", approved, page.Title)
			return nil
		}
		return fmt.Errorf("demo approve: %s has %d approved 1:1 proposals and no 1:1 row still proposed to approve (want %d approved)",
			page.Title, approved, *n)
	}
	if err := devwikiEdit(*script, *as, page.Title, text); err != nil {
		return err
	}
	for _, p := range chosen {
		fmt.Fprintf(a.Stdout, "demo: %s approved %s → %s (%s, %s, score %d)\n",
			*as, p.Sharer, strings.Join(p.Learners, ", "), p.Skill, p.Kind, p.Score)
	}
	if approved < *n {
		return fmt.Errorf("demo approve: %s approved %d proposals on %s, and no other 1:1 row is still proposed: %d are approved, want %d",
			*as, len(chosen), page.Title, approved, *n)
	}
	fmt.Fprintf(a.Stdout, "demo: %s approved %d proposals on %s\n", *as, len(chosen), page.Title)
	return nil
}

// requestedPairs reads the participants' own requests
// ({{Let's Connect request}} on their registration pages), as
// "sharer\x00learner": a request becomes a connection without the working
// group's approval (docs/lifecycle.md), so the demo's member does not
// spend an approval on a row that is one.
func requestedPairs(ctx context.Context, c *wiki.Client, prefix string) (map[string]bool, error) {
	refs, err := c.ListPrefix(ctx, prefix)
	if err != nil {
		return nil, err
	}
	titles := make([]string, 0, len(refs))
	for _, r := range refs {
		titles = append(titles, r.Title)
	}
	pages, err := c.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, p := range pages {
		learner := strings.TrimPrefix(p.Title, prefix)
		for _, t := range wikitext.Templates(p.Content) {
			if t.Name == program.TemplateRequest {
				out[wikitext.NormalizeUser(html.UnescapeString(strings.TrimSpace(t.Get("sharer"))))+"\x00"+learner] = true
			}
		}
	}
	return out, nil
}

// approveBest sets status=approved on the first 1:1 rows of a proposals
// page still proposed that are no participant's own request (requested:
// "sharer\x00learner"), until n 1:1 rows are approved. It returns the new
// text, how many 1:1 rows are then approved, and the rows it approved (with
// the score the page shows).
func approveBest(text string, n int, requested map[string]bool) (string, int, []proposals.Proposal) {
	type row struct {
		proposals.Proposal
		status wikitext.Span // where the row's status value is written
	}
	var rows []row
	tree := wikitext.Parse(text)
	for _, node := range tree.Root.Children {
		if node.Kind != wikitext.NodeTemplate {
			continue
		}
		src := text[node.Start:node.End]
		parsed, _ := proposals.ParseProposals("", src, &program.Taxonomy{})
		if len(parsed) != 1 || wikitext.Templates(src)[0].Name != proposals.TemplateProposal {
			continue
		}
		r := row{Proposal: parsed[0]}
		r.Score, _ = strconv.Atoi(strings.TrimSpace(wikitext.Templates(src)[0].Get("score")))
		for _, part := range node.Parts() {
			if name := part.Name(); strings.TrimSpace(text[name.Start:name.End]) == "status" {
				// Only the value itself: the blanks around it stay.
				v := part.Value()
				raw := text[v.Start:v.End]
				lead := len(raw) - len(strings.TrimLeft(raw, " \t\n"))
				r.status = wikitext.Span{Start: v.Start + lead, End: v.Start + lead + len(strings.TrimSpace(raw))}
			}
		}
		if r.Kind == match.OneToOne && r.status.Start > 0 {
			rows = append(rows, r)
		}
	}
	approved := 0
	for _, r := range rows {
		if r.Status == program.StatusApproved {
			approved++
		}
	}
	var chosen []row
	for _, r := range rows {
		if approved >= n {
			break
		}
		if r.Status == program.StatusProposed && !requested[r.Sharer+"\x00"+r.Learners[0]] {
			chosen = append(chosen, r)
			approved++
		}
	}
	// From the last to the first, so that the spans before stay valid.
	var out []proposals.Proposal
	for k := len(chosen) - 1; k >= 0; k-- {
		s := chosen[k].status
		text = text[:s.Start] + string(program.StatusApproved) + text[s.End:]
	}
	for _, r := range chosen {
		out = append(out, r.Proposal)
	}
	return text, approved, out
}

// runDemoReply plays the people of the first connection on the ledger
// answering yes under the bot's message on their talk pages, and the
// sharer of the next one answering no for lack of time, signed as
// MediaWiki signs (once: who answered already does not answer again).
func runDemoReply(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("demo reply", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	script := fs.String("devwiki", "scripts/devwiki.sh", "the local wiki's script")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	c, err := a.NewWikiClient(ctx, config.Config{Wiki: config.Wiki{APIURL: cfg.Wiki.APIURL, Contact: cfg.Wiki.Contact, MaxLag: cfg.Wiki.MaxLag}}, false, nil)
	if err != nil {
		return err
	}
	year := time.Now().UTC().Year()
	if clock, err := cfg.Clock(); err == nil {
		year = clock().UTC().Year()
	}
	ledger, err := c.Page(ctx, cfg.Lifecycle.LedgerPrefix+fmt.Sprint(year), wiki.ReadOptions{})
	if err != nil {
		return err
	}
	rows, _ := lifecycle.ParseLedger(ledger.Title, ledger.Content, &program.Taxonomy{})
	if len(rows) == 0 {
		return fmt.Errorf("no connection on %s yet: run letsconnect deliver --write first", ledger.Title)
	}
	// The first connection's people say yes; the next connection's
	// sharer says no, for lack of time: its learner is proposed to
	// someone else at the next sync (demo repaired shows it).
	answer := func(conn *program.Connection, u, answer string) error {
		d := program.Delivery{Kind: lifecycle.MessageConnection, User: u}
		talk, err := c.Page(ctx, "User talk:"+u, wiki.ReadOptions{FollowRedirects: true})
		if err != nil {
			return err
		}
		marker := program.MessageMarker(d.Key(conn.ID))
		if !strings.Contains(talk.Content, marker) {
			return fmt.Errorf("%s has no message about %s yet: run letsconnect deliver --write first", u, conn.ID)
		}
		if slices.ContainsFunc(wikitext.RepliesAfter(talk.Content, marker), func(r wikitext.Reply) bool { return r.User == u }) {
			fmt.Fprintf(a.Stdout, "demo: %s answered already\n", u)
			return nil
		}
		// The answer goes right under the message, before any later
		// section, as a person replying in the section would write it.
		at := strings.Index(talk.Content, marker) + len(marker)
		next := strings.Index(talk.Content[at:], "\n==")
		if next < 0 {
			next = len(talk.Content) - at
		}
		text := talk.Content[:at+next] + "\n:{{" + lifecycle.TemplateAnswer + "|" + answer + "}} ~~~~" + talk.Content[at+next:]
		if err := devwikiEdit(*script, u, talk.Title, text); err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "demo: %s answered %q on %s\n", u, answer, talk.Title)
		return nil
	}
	for _, u := range rows[0].People() {
		if err := answer(rows[0], u, "yes"); err != nil {
			return err
		}
	}
	for _, conn := range rows[1:] {
		if conn.Delivered(lifecycle.MessageConnection, conn.Sharer) {
			return answer(conn, conn.Sharer, "no|reason=time")
		}
	}
	return nil
}
