// Package domain is the Let's Connect program as the bot understands it,
// as pure functions: no context, no wiki client, no cache, no files.
//
// It reads what people write (ParseTaxonomy, Checker for registrations,
// EventChecker for events and resources, ParseProposals, ParseLedger),
// says what is wrong in plain words (Problem), and computes what the bot
// writes: the skills directory, the problems page, the proposals
// (Propose, through the matcher), the calendar and its feeds, the
// resources, the report and its history (Config's Plan methods, each a
// []PageChange), and the connection lifecycle (Lifecycle: PlanDelivery's
// messages and ledger rows). Package sync reads the wiki into a State,
// asks for plans, and applies them.
//
// Imports run one way: sync → domain → {match, templates, templates/i18n,
// wiki/wikitext, internal/editdistance, internal/ical}
// (imports_test.go holds this list and the README's to the real imports).
package domain
