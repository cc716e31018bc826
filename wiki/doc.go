// Package wiki is the bot's only door to MediaWiki: the Action API client
// and, in its subpackage wikitext, the wikitext parser and escaper.
//
// The client is built on cgt.name/pkg/go-mwclient v1.3.0, which encodes
// requests (multipart for large values, the token last). Everything that
// library lacks for a bot Wikimedia operators can trust is covered here,
// and go-mwclient's own types never leave this package:
//
//   - Every request carries format=json, formatversion=2, errorformat=plaintext
//     and maxlag=5, a policy-conformant User-Agent, and the caller's
//     context.Context. Requests are serial: one in flight per Client.
//   - The HTTP status is checked before anything is decoded. Retry-After, in
//     both its forms (seconds and HTTP-date), is honoured on maxlag, 429 and
//     503; 5xx, network errors, ratelimited and readonly are retried with
//     capped exponential backoff and jitter.
//   - API warnings are logged, never mistaken for failures (go-mwclient
//     returns them as errors, even after a successful edit).
//   - badtoken refreshes the token; a lost session (assertuserfailed,
//     assertbotfailed, notloggedin) logs in again.
//   - A write whose outcome is unknown (network error or 5xx after the
//     request left) is never blindly repeated: the page is read again first,
//     so an edit or a new talk-page section is never applied twice.
//   - Reads go in batches of 50 titles (500 with apihighlimits), follow
//     continuation correctly, and report missing, invalid and redirected
//     titles and pages returned without revisions (go-mwclient panics on
//     those).
//   - Edits send baserevid and starttimestamp, never basetimestamp (with
//     it MediaWiki lets an account overwrite its own newer revisions, and
//     two copies of the bot are one account); an edit conflict is
//     ErrEditConflict, an edit MediaWiki merged with a newer revision says
//     Merged; booleans are sent as "1" because go-mwclient's multipart
//     encoder drops empty values.
//   - Writing is off unless enabled with Config.Write: a read-only client
//     records what it would have done (Recorded), so dry-run is a property
//     of the client, not of its callers.
//   - Titles outside Config.EditPrefixes and user talk pages are refused
//     before any request is made.
package wiki
