package wiki

import (
	"errors"
	"fmt"
	"strings"
)

// APIError is an error the MediaWiki API returned in its response body.
type APIError struct {
	Code string // machine-readable code, e.g. "protectedpage"
	Info string // human-readable text from the wiki
}

func (e *APIError) Error() string {
	if e.Info == "" {
		return "mediawiki: " + e.Code
	}
	return fmt.Sprintf("mediawiki: %s: %s", e.Code, e.Info)
}

// HTTPError is a response whose HTTP status was not 200.
type HTTPError struct {
	Status int
	Body   string // the first bytes of the body, for the log
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("mediawiki: HTTP %d: %s", e.Status, e.Body)
}

var (
	// ErrEditConflict: someone edited the page after the revision the edit
	// was based on. Callers re-read the page and decide again.
	ErrEditConflict = errors.New("edit conflict: the page changed since it was read")
	// ErrPageExists: a create-only edit found the page already there.
	ErrPageExists = errors.New("the page already exists")
	// ErrPageMissing: an edit of an existing page found it gone.
	ErrPageMissing = errors.New("the page does not exist (any more)")
	// ErrTitleNotAllowed: the title is outside the pages this client may edit.
	ErrTitleNotAllowed = errors.New("title outside the pages the bot may edit")
	// ErrBusy: the wiki kept asking us to wait (maxlag, 429, 503, readonly)
	// beyond the retry budget.
	ErrBusy = errors.New("the wiki is busy; gave up after repeated waits")
	// ErrNotLoggedIn: a write was attempted without credentials.
	ErrNotLoggedIn = errors.New("not logged in")
)

// IsCode reports whether err is an APIError with the given code.
func IsCode(err error, code string) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Code == code
}

// truncate keeps log lines and error messages short.
func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
