// Package sync is the bot's reconcile engine: the only code that talks to
// the wiki. Its domain, the pure part, is package sync/domain.
//
// Data flows one way: wiki → domain → plan → wiki.
//
//  1. Read: the skills taxonomy, every registration subpage under the
//     participants prefix (with each page's contributors: a page nobody
//     entitled ever edited is not acted on), the proposals page and who
//     decided its rows, the event pages, the report's history and the
//     connections ledger (with who changed its rows) are read through the
//     Wiki interface and handed to the domain as a domain.State.
//  2. Plan: each named task (Tasks) asks the domain for the pages it wants
//     (pure, deterministic, no network); a delivery asks the domain for a
//     domain.DeliveryPlan.
//  3. Apply: a thin applier (Apply) compares each wanted page with the
//     wiki's, and writes only differences, only on pages that carry the
//     bot's ownership marker and that no human edited since the bot's last
//     revision; Deliver posts the plan's messages in order, recording each,
//     and writes the ledger through Apply.
//
// The engine also keeps what makes runs cheap and safe: the gate asked
// before every write (Gate: the shutoff page anyone can use to stop the
// bot, and the lease that lets one copy write, taken only by a run that
// has something to write), and the matcher's memo (MatchMemo).
//
// Whether anything is written is a property of the wiki client (read-only
// unless --write), never of this package.
package sync
