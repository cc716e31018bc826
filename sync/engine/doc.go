// Package engine is the bot's reconcile engine: the only code that talks
// to the wiki, and knows nothing of any behaviour. The behaviours are the
// tasks of the task table (sync/bot); the shared nouns they plan from are
// sync/program's.
//
// Data flows one way: wiki → State → plan → wiki.
//
//  1. Read: the skills taxonomy, every registration subpage under the
//     participants prefix (with each page's contributors: a page nobody
//     entitled ever edited is not acted on), the wiki's languages, then
//     what each task declares (program.Read: pages by title or prefix, with
//     who changed which row of the pages people edit; program.People: talk
//     pages, the opt-out list, creation times), handed to the tasks as a
//     program.State.
//  2. Plan: a sync runs each task's Plan (pure, deterministic, no
//     network) for the pages it wants; a delivery lets each messaging task
//     plan its messages, in order, into one program.MessagePlan.
//  3. Apply: a thin applier (Apply) compares each wanted page with the
//     wiki's, and writes only differences, only on pages that carry the
//     bot's ownership marker and that no human edited since the bot's last
//     revision; Deliver posts the plan's messages in order, recording each
//     through the Record it carries, then writes the tasks' record pages
//     through Apply.
//
// The engine also keeps what makes runs cheap and safe: the gate asked
// before every write (Gate: the shutoff page anyone can use to stop the
// bot, and the lease that lets one copy write, taken only by a run that
// has something to write), and the matcher's memo (MatchMemo).
//
// Whether anything is written is a property of the wiki client (read-only
// unless --write), never of this package.
package engine
