// Package sync is the bot's domain and its reconcile engine.
//
// Data flows one way: wiki → domain → plan → wiki.
//
//  1. Read: the skills taxonomy page and every registration subpage under
//     the participants prefix are read through the Wiki interface, with
//     each page's contributors (a page nobody entitled ever edited is not
//     acted on).
//  2. Domain: pages become a Taxonomy and Registrations; everything wrong in
//     them becomes a Problem (page, field, plain message) and never stops
//     the run.
//  3. Plan: each named task turns the State into the pages it wants
//     (pure, deterministic, no network).
//  4. Apply: a thin applier compares each wanted page with the wiki's, and
//     writes only differences, only on pages that carry the bot's ownership
//     marker and that no human edited since the bot's last revision.
//
// Whether anything is written is a property of the wiki client (read-only
// unless --write), never of this package.
package sync
