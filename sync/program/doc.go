// Package program is the shared core of the bot: the nouns every behaviour
// speaks, as pure functions and data (no context, no wiki client, no
// cache, no files).
//
// It reads what everyone writes (ParseTaxonomy, Checker for
// registrations), says what is wrong in plain words (Problem), and holds
// what the behaviours share: the State a run reads (the taxonomy, the
// registrations, the events and resources, the ledger's connections, and
// each behaviour's own data under its Key), a Connection and its Status,
// the Locale of reader pages. It defines the two protocols between the
// engine (sync/engine) and the behaviours (sync/directory, sync/calendar,
// ...): a Task declares its Reads and plans []PageChange, or plans its
// messages into the one MessagePlan of a delivery, each message carrying
// the Record it is recorded on once posted.
//
// It names no behaviour. docs/architecture.md is the map: what each
// package owns and may import (sync/bot/architecture_test.go holds the
// imports to it).
package program
