package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// minMediaWiki is the oldest MediaWiki the bot supports: formatversion=2,
// errorformat=plaintext, BotPasswords and the content models it uses are
// all older, and 1.35 is the oldest LTS release still found in the wild.
var minMediaWiki = [2]int{1, 35}

// runCheck validates the configuration and the bot account before anything
// runs: one line per check on stdout, "ok    what" or "FAIL  what: why and
// how to fix"; checks that cannot run because an earlier one failed are
// printed as "skip  what: not run (...)". It exits 1 unless every check
// passed. It never edits the wiki, and never prints a credential.
func runCheck(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: letsconnect check\n\nValidates the configuration (the environment), the wiki and the bot account;\none line per check, exit status 1 when any fails.")
	}
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usage(fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	k := &checker{w: a.Stdout}
	// The raw variables, not the parsed Config: they are hidden even when
	// the configuration does not load.
	for _, name := range []string{"MW_BOT_PASSWORD", "MW_OAUTH2_TOKEN"} {
		if s := a.Environ[name]; s != "" {
			k.secrets = append(k.secrets, s)
		}
	}
	k.run(ctx, a)
	fmt.Fprintf(a.Stdout, "%d checks: %d passed, %d failed, %d not run\n", k.passed+k.failed+k.skipped, k.passed, k.failed, k.skipped)
	if k.failed > 0 || k.skipped > 0 {
		return fmt.Errorf("%d of %d checks failed, %d not run", k.failed, k.passed+k.failed+k.skipped, k.skipped)
	}
	return nil
}

// checker prints the outcome of each check and counts them.
type checker struct {
	w       io.Writer
	secrets []string // never printed, whatever a message says

	passed, failed, skipped int
}

func (k *checker) line(status, text string) {
	for _, s := range k.secrets {
		text = strings.ReplaceAll(text, s, "*****")
	}
	fmt.Fprintf(k.w, "%-6s%s\n", status, text)
}

func (k *checker) ok(what string) {
	k.passed++
	k.line("ok", what)
}

func (k *checker) fail(what, why string) {
	k.failed++
	k.line("FAIL", what+": "+why)
}

func (k *checker) skip(reason string, whats ...string) {
	for _, what := range whats {
		k.skipped++
		k.line("skip", what+": not run ("+reason+")")
	}
}

// The checks' names, for the ones that may be reported as not run.
const (
	checkWiki      = "the wiki answers"
	checkVersion   = "MediaWiki is 1.35 or later"
	checkCreds     = "credentials are set"
	checkLogin     = "login"
	checkBlock     = "the account is not blocked"
	checkRootTitle = "LC_ROOT is a page of its own"
	checkInside    = "every page the bot writes is inside its allowlist"
	checkOutside   = "the bot refuses titles outside LC_ROOT"
	checkShutoff   = "the shutoff page lets the bot write"
)

// rightCheck is a user right the bot needs, why, and the BotPassword grant
// (Special:BotPasswords) that gives it.
type rightCheck struct {
	right, why, grant string
}

// neededRights are checked in this order. apihighlimits is a FAIL, not a
// warning: without it every read asks for 50 pages instead of 500, so a run
// makes 10× more requests on Meta, and it comes with the bot flag (the bot
// group and the highvolume grant) anyway, so missing it means the account
// is not set up as the bot it must be.
var neededRights = []rightCheck{
	{"edit", "the bot updates the pages it generates", "Edit existing pages (editpage)"},
	{"createpage", "the bot creates its pages, the ledger and the report the first time", "Create, edit, and move pages (createeditmovepage)"},
	{"editcontentmodel", "the report history (LC_REPORT_HISTORY_PAGE) is a JSON page, created with content model json", "Edit existing pages (editpage)"},
	{"writeapi", "the bot edits through the API", "Basic rights (basic)"},
	{"bot", "the bot's edits must be marked as bot edits, or they flood recent changes and watchlists", "High-volume (bot) access (highvolume)"},
	{"apihighlimits", "without it every read asks for 50 pages instead of 500, so a run takes 10× more requests", "High-volume (bot) access (highvolume)"},
}

func rightWhat(r rightCheck) string { return "right " + r.right }

func (k *checker) run(ctx context.Context, a *app) {
	accountChecks := []string{}
	for _, r := range neededRights {
		accountChecks = append(accountChecks, rightWhat(r))
	}
	accountChecks = append(accountChecks, checkBlock)

	// 1. The configuration.
	cfg, err := config.Load(a.Environ)
	if err != nil {
		k.fail("configuration loads", strings.TrimPrefix(err.Error(), "configuration: ")+" (`letsconnect help` lists the variables)")
		k.skip("the configuration did not load", append(append([]string{checkWiki, checkVersion, checkCreds, checkLogin}, accountChecks...),
			"root page exists", "taxonomy page exists", checkCapX, checkShutoff, checkRootTitle, checkInside, checkOutside)...)
		return
	}
	k.ok(fmt.Sprintf("configuration loads (%s)", cfg))
	rootWhat := fmt.Sprintf("root page %q exists", cfg.Program.Root)
	taxonomyWhat := fmt.Sprintf("taxonomy page %q exists", cfg.Program.TaxonomyPage)

	// 2. The wiki. The client is the one sync builds (same User-Agent and
	// edit allowlist: the root's subpages and user talk pages), read-only,
	// but with few retries: a wiki that does not answer should fail the
	// check in seconds, not after the minutes a run would wait.
	c, err := wiki.New(wiki.Config{
		APIURL:        cfg.Wiki.APIURL,
		APIURLSetting: "MW_API_URL",
		UserAgent:     a.UserAgent(cfg),
		EditPrefixes:  []string{cfg.Program.Root + "/"},
		MaxLag:        cfg.WikiMaxLag(),
		MaxRetries:    2,
		BackoffMax:    5 * time.Second,
		Timeout:       30 * time.Second,
		Log:           a.Log,
	})
	var site *wiki.SiteInfo
	if err == nil {
		site, err = c.SiteInfo(ctx)
	}
	if err != nil {
		k.fail(checkWiki+" at "+cfg.Wiki.APIURL, fmt.Sprintf("%v; check MW_API_URL: it names the wiki's api.php (e.g. https://meta.wikimedia.org/w/api.php), and the wiki must be reachable from here", err))
		k.skip("the wiki did not answer", checkVersion)
		// Whether credentials are set does not need the wiki.
		k.checkCredentials(cfg)
		k.skip("the wiki did not answer", append(append([]string{checkLogin}, accountChecks...),
			rootWhat, taxonomyWhat, checkCapX, checkShutoff, checkRootTitle, checkInside, checkOutside)...)
		return
	}
	k.ok(fmt.Sprintf("%s at %s (%s)", checkWiki, cfg.Wiki.APIURL, site.SiteName))
	if major, minor, ok := mediaWikiVersion(site.Generator); !ok {
		k.fail(checkVersion, fmt.Sprintf("the wiki calls itself %q, not a MediaWiki version; is MW_API_URL a MediaWiki api.php?", site.Generator))
	} else if major < minMediaWiki[0] || major == minMediaWiki[0] && minor < minMediaWiki[1] {
		k.fail(checkVersion, fmt.Sprintf("the wiki runs %s; the bot needs MediaWiki %d.%d or later", site.Generator, minMediaWiki[0], minMediaWiki[1]))
	} else {
		k.ok(fmt.Sprintf("%s (%s)", checkVersion, site.Generator))
	}

	// 3. Credentials and login.
	kind := k.checkCredentials(cfg)
	loggedIn := false
	switch kind {
	case "":
		k.skip("no credentials", append([]string{checkLogin}, accountChecks...)...)
	case "oauth2":
		if err := c.LoginOAuth2(ctx, cfg.Wiki.OAuth2Token); err != nil {
			k.fail(checkLogin+" with MW_OAUTH2_TOKEN", fmt.Sprintf("the wiki refused the token (%v); check MW_OAUTH2_TOKEN: an owner-only OAuth 2 access token of a consumer that is approved and not revoked (Special:OAuthConsumerRegistration/list)", err))
		} else {
			loggedIn = true
			k.ok(fmt.Sprintf("%s as %s (OAuth 2)", checkLogin, c.User()))
		}
	default:
		if err := c.LoginBotPassword(ctx, cfg.Wiki.BotUser, cfg.Wiki.BotPassword); err != nil {
			why := fmt.Sprintf("the login did not complete: %v", err)
			// The wiki answered the login with a result other than
			// Success (wiki.Client says "login as U failed: Result: reason").
			if strings.Contains(err.Error(), " failed: ") {
				why = fmt.Sprintf("the wiki refused the login (%s); check MW_BOT_USER (Name@appid, as Special:BotPasswords shows it) and MW_BOT_PASSWORD (a BotPassword that was reset or deleted needs the new password)", loginReason(err))
			}
			k.fail(checkLogin+" as "+cfg.Wiki.BotUser, why)
		} else {
			loggedIn = true
			k.ok(fmt.Sprintf("%s as %s (MW_BOT_USER=%s)", checkLogin, c.User(), cfg.Wiki.BotUser))
		}
	}

	// 4. The account's rights.
	if loggedIn {
		k.checkAccount(ctx, c, kind)
	} else if kind != "" {
		k.skip("the login failed", accountChecks...)
	}

	// 5. The pages the program starts from (reads need no login).
	k.checkPages(ctx, c, cfg, rootWhat, taxonomyWhat)

	// 6. The allowlist.
	k.checkAllowlist(ctx, c, site, cfg)
}

// checkCredentials reports whether credentials are set and returns their
// kind: "oauth2", "botpassword", "main" (a main-account password), or "".
func (k *checker) checkCredentials(cfg config.Config) string {
	switch {
	case cfg.Wiki.OAuth2Token != "":
		k.ok(checkCreds + " (MW_OAUTH2_TOKEN)")
		return "oauth2"
	case cfg.Wiki.BotUser != "" && strings.Contains(cfg.Wiki.BotUser, "@"):
		k.ok(fmt.Sprintf("%s (BotPassword MW_BOT_USER=%s)", checkCreds, cfg.Wiki.BotUser))
		return "botpassword"
	case cfg.Wiki.BotUser != "":
		// MediaWiki still accepts a main-account password through
		// action=login, deprecated and with a warning; a bot must not
		// hold its owner's password.
		k.fail(checkCreds, fmt.Sprintf("MW_BOT_USER=%s is not a BotPassword user name (Name@appid): create a BotPassword at Special:BotPasswords with the grants High-volume (bot) access, Edit existing pages, and Create, edit, and move pages, and use its user name and password; main-account login is deprecated and may stop working", cfg.Wiki.BotUser))
		return "main"
	default:
		k.fail(checkCreds, "none are: set MW_BOT_USER and MW_BOT_PASSWORD (a BotPassword from Special:BotPasswords, grants High-volume (bot) access, Edit existing pages, and Create, edit, and move pages) or MW_OAUTH2_TOKEN (an owner-only OAuth 2 consumer)")
		return ""
	}
}

// loginReason is the wiki's answer in a login error: what follows "failed: ".
func loginReason(err error) string {
	_, reason, _ := strings.Cut(err.Error(), " failed: ")
	return reason
}

func (k *checker) checkAccount(ctx context.Context, c *wiki.Client, kind string) {
	acct, err := c.Account(ctx)
	if err != nil {
		for _, r := range neededRights {
			k.fail(rightWhat(r), fmt.Sprintf("the account's rights could not be read: %v", err))
		}
		k.fail(checkBlock, fmt.Sprintf("the account could not be read: %v", err))
		return
	}
	groups := strings.Join(acct.Groups, ", ")
	for _, r := range neededRights {
		if acct.HasRight(r.right) {
			k.ok(rightWhat(r))
			continue
		}
		why := fmt.Sprintf("%s lacks the right %q: %s.", acct.Name, r.right, r.why)
		switch {
		case r.right == "bot" || r.right == "apihighlimits":
			if acct.InGroup("bot") {
				why += " The account is in the bot group, so " + grantHint(kind, r.grant)
			} else {
				why += fmt.Sprintf(" The account is not in the bot group (its groups: %s). On Meta-Wiki the bot flag is granted by stewards after approval: run the trial edits, then ask at https://meta.wikimedia.org/wiki/Meta:Requests_for_adminship#Requests_for_bot_flags; on another wiki a bureaucrat adds the account to the bot group. Then %s", groups, grantHint(kind, r.grant))
			}
		default:
			why += fmt.Sprintf(" Its groups (%s) give it, unless the wiki restricts them; %s", groups, grantHint(kind, r.grant))
		}
		k.fail(rightWhat(r), why)
	}
	if acct.Blocked {
		k.fail(checkBlock, fmt.Sprintf("%s is blocked (%s); the bot cannot edit until an administrator lifts the block", acct.Name, acct.BlockReason))
	} else {
		k.ok(checkBlock)
	}
}

// grantHint says how a session gets a right its account has.
func grantHint(kind, grant string) string {
	switch kind {
	case "oauth2":
		return fmt.Sprintf("the OAuth consumer needs the grant %q (register a new consumer with it).", grant)
	case "botpassword":
		return fmt.Sprintf("the BotPassword needs the grant %q (Special:BotPasswords, edit the bot's password).", grant)
	default:
		return "use a BotPassword with the grant " + strconv.Quote(grant) + "."
	}
}

func (k *checker) checkPages(ctx context.Context, c *wiki.Client, cfg config.Config, rootWhat, taxonomyWhat string) {
	titles := []string{cfg.Program.Root, cfg.Program.TaxonomyPage, cfg.Run.ShutoffPage}
	if cfg.CapX.File == nil && cfg.CapX.ListPage != "" {
		titles = append(titles, cfg.CapX.ListPage) // in the same request
	}
	pages, err := c.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		k.fail(rootWhat, fmt.Sprintf("reading it failed: %v", err))
		k.fail(taxonomyWhat, fmt.Sprintf("reading it failed: %v", err))
		k.fail(checkShutoff, fmt.Sprintf("reading it failed: %v", err))
		k.skip("the pages could not be read", checkCapX)
		return
	}
	defer k.checkCapX(cfg, pages[1], pages[3:])
	// The emergency stop: a page that stops the bot is a failure (it
	// would write nothing); a missing one stops nothing, but people cannot
	// find it.
	shutoff := pages[2]
	pages = pages[:2]
	switch err := engine.ShutoffSays(shutoff); {
	case err != nil:
		k.fail(checkShutoff, strings.TrimPrefix(err.Error(), engine.ErrShutoff.Error()+": ")+" (LC_SHUTOFF_PAGE)")
	case !shutoff.Exists():
		k.ok(fmt.Sprintf("%s (%s does not exist; create it with the text %q so that people find the emergency stop)", checkShutoff, cfg.Run.ShutoffPage, engine.ShutoffValue))
	default:
		k.ok(fmt.Sprintf("%s (%s says %q)", checkShutoff, cfg.Run.ShutoffPage, engine.ShutoffValue))
	}
	for i, p := range pages {
		what, fix := rootWhat, "create it (the program's landing page) or set LC_ROOT to the program's root page"
		if i == 1 {
			what, fix = taxonomyWhat, "create it with the program's skills (docs/formats.md) or set LC_TAXONOMY_PAGE to the page that has them"
		}
		switch {
		case p.Invalid:
			k.fail(what, fmt.Sprintf("%q is not a valid title (%s)", p.Requested, p.InvalidReason))
		case !p.Exists():
			k.fail(what, fmt.Sprintf("%q does not exist on the wiki: %s", p.Title, fix))
		default:
			k.ok(what)
		}
	}
}

const checkCapX = "the taxonomy's CapX codes are in CapX's list"

// checkCapX checks the taxonomy's capx codes against CapX's list (the
// file, or the list page read with the taxonomy: list).
func (k *checker) checkCapX(cfg config.Config, taxonomy *wiki.Page, list []*wiki.Page) {
	if !taxonomy.Exists() {
		k.skip("the taxonomy page does not exist", checkCapX)
		return
	}
	tx, _ := program.ParseTaxonomy(taxonomy.Title, taxonomy.Content)
	if !capx.Mapped(tx) {
		k.ok(checkCapX + " (no skill names a CapX capacity)")
		return
	}
	source, text := cfg.CapX.ListFile, cfg.CapX.File
	if text == nil {
		if len(list) == 0 || !list[0].Exists() {
			k.fail(checkCapX, fmt.Sprintf("skills name CapX capacities, but the list page %q (LC_CAPX_PAGE) does not exist: write it with `letsconnect taxonomy import-capx FILE --write`, or set LC_CAPX_FILE to a file holding the list", cfg.CapX.ListPage))
			return
		}
		source, text = list[0].Title, []byte(list[0].Content)
	}
	l, notes, err := capx.Parse(text)
	if err != nil {
		k.fail(checkCapX, fmt.Sprintf("%s: %v", source, err))
		return
	}
	for _, n := range notes {
		k.line("note", fmt.Sprintf("%s: %s", source, n))
	}
	problems := capx.Check(taxonomy.Title, tx, l, source)
	if len(problems) > 0 {
		var msgs []string
		for _, p := range problems {
			msgs = append(msgs, p.Message)
		}
		k.fail(checkCapX, strings.Join(msgs, "; "))
		return
	}
	mapped := 0
	for _, s := range tx.Skills {
		if len(s.CapX) > 0 {
			mapped++
		}
	}
	k.ok(fmt.Sprintf("%s (%d mapped skills; %d capacities in %s)", checkCapX, mapped, len(l.Capacities), source))
}

// checkAllowlist checks the pages the bot may edit: the root's subpages
// (and user talk pages, which the wiki client always allows).
func (k *checker) checkAllowlist(ctx context.Context, c *wiki.Client, site *wiki.SiteInfo, cfg config.Config) {
	mainPage, mainErr := c.MainPage(ctx)

	// The root must be a page: not empty (loadConfig refuses that), not a
	// bare namespace, not the main page (its subpages are the whole
	// wiki's), not a special page, not a user talk page (the bot already
	// posts on those, to people; its program does not live there).
	root, err := site.Normalize(cfg.Program.Root)
	switch {
	case err != nil:
		k.fail(checkRootTitle, fmt.Sprintf("LC_ROOT=%q is not a page title (%v); set it to the program's root page, e.g. \"Let's Connect\"", cfg.Program.Root, err))
	case root.Namespace < 0:
		k.fail(checkRootTitle, fmt.Sprintf("LC_ROOT=%q is a special page; set it to the program's root page", cfg.Program.Root))
	case root.Namespace == wiki.NamespaceUserTalk:
		k.fail(checkRootTitle, fmt.Sprintf("LC_ROOT=%q is a user talk page: the bot posts on user talk pages to talk to people, its program must not live on one; set LC_ROOT to a page in the main or project namespace", cfg.Program.Root))
	case mainErr != nil:
		k.fail(checkRootTitle, fmt.Sprintf("the main page's title could not be read: %v", mainErr))
	case isTitle(site, mainPage, root):
		k.fail(checkRootTitle, fmt.Sprintf("LC_ROOT=%q is the main page: the bot would edit every subpage of the wiki's front page; set LC_ROOT to the program's own root page", cfg.Program.Root))
	default:
		k.ok(fmt.Sprintf("%s (%s)", checkRootTitle, root.Full))
	}

	// Every page the bot writes must pass the client's own gate, after the
	// wiki's title normalisation (loadConfig compares the raw strings).
	var outside []string
	for _, p := range config.WrittenPages(cfg) {
		title := p.Value
		if strings.HasSuffix(title, "/") {
			title += "X" // a prefix: any page under it
		}
		if _, err := c.Allowed(ctx, title); err != nil {
			outside = append(outside, fmt.Sprintf("%s=%q (%v)", p.Name, p.Value, err))
		}
	}
	if len(outside) > 0 {
		k.fail(checkInside, fmt.Sprintf("%s; the bot only edits under %q: put these pages under LC_ROOT", strings.Join(outside, ", "), cfg.Program.Root+"/"))
	} else {
		k.ok(checkInside)
	}

	// And the gate refuses the rest: the main page, and a sibling of the
	// root whose title merely starts like it.
	probes := []string{cfg.Program.Root + " (elsewhere)/Page"}
	if mainErr == nil {
		probes = append([]string{mainPage}, probes...)
	}
	var allowed []string
	for _, title := range probes {
		if _, err := c.Allowed(ctx, title); !errors.Is(err, wiki.ErrTitleNotAllowed) {
			allowed = append(allowed, fmt.Sprintf("%q (%v)", title, err))
		}
	}
	switch {
	case len(allowed) > 0:
		k.fail(checkOutside, fmt.Sprintf("the bot would edit %s; set LC_ROOT to the program's own root page", strings.Join(allowed, ", ")))
	case mainErr != nil:
		k.fail(checkOutside, fmt.Sprintf("the main page's title could not be read: %v", mainErr))
	default:
		k.ok(fmt.Sprintf("%s (%s)", checkOutside, strings.Join(quoteAll(probes), ", ")))
	}
}

// isTitle reports whether raw names the same page as t.
func isTitle(site *wiki.SiteInfo, raw string, t wiki.Title) bool {
	other, err := site.Normalize(raw)
	return err == nil && other.Full == t.Full
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

var generatorVersion = regexp.MustCompile(`^MediaWiki (\d+)\.(\d+)`)

// mediaWikiVersion reads siteinfo's generator ("MediaWiki 1.39.17",
// "MediaWiki 1.44.0-wmf.3").
func mediaWikiVersion(generator string) (major, minor int, ok bool) {
	m := generatorVersion.FindStringSubmatch(generator)
	if m == nil {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(m[1])
	minor, _ = strconv.Atoi(m[2])
	return major, minor, true
}
