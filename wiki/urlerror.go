package wiki

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
)

// URLError: before the wiki first answered, what is at the API URL is not
// MediaWiki's API: nothing answers there, the host is unknown, or the
// answer is not api.php's. Retrying would not help: the configuration is
// wrong, and the error says so at once instead of after minutes of waits.
// Once the API has answered, the same failures are passing outages and
// are retried.
type URLError struct {
	Setting string // where the URL comes from, e.g. "MW_API_URL"
	URL     string
	Found   string // what is there instead, for a person
	Err     error  // the underlying error, if any
}

func (e *URLError) Error() string {
	setting := e.Setting
	if setting == "" {
		setting = "the API URL"
	}
	return fmt.Sprintf("%s=%s: %s; it must be the wiki's api.php (for example https://meta.wikimedia.org/w/api.php)", setting, e.URL, e.Found)
}

func (e *URLError) Unwrap() error { return e.Err }

var htmlTitleRE = regexp.MustCompile(`(?is)<title[^>]*>\s*(.*?)\s*</title>`)

// notTheAPI returns a URLError when a response (or its failure), before
// the API first answered, shows that the URL is not MediaWiki's API; nil
// when it may be (a 5xx or a 429 is a busy server, retried as ever).
func (c *Client) notTheAPI(body []byte, oc outcome, err error) error {
	fail := func(found string, cause error) error {
		return &URLError{Setting: c.cfg.APIURLSetting, URL: c.cfg.APIURL, Found: found, Err: cause}
	}
	if cause := oc.err; cause != nil || err != nil {
		if cause == nil {
			cause = err
		}
		var dnsErr *net.DNSError
		var certErr *tls.CertificateVerificationError
		var unknownAuthority x509.UnknownAuthorityError
		var hostname x509.HostnameError
		var opErr *net.OpError
		switch {
		case errors.As(cause, &dnsErr):
			return fail(fmt.Sprintf("the host %s is unknown (%s)", dnsErr.Name, dnsErr.Err), cause)
		case errors.Is(cause, syscall.ECONNREFUSED):
			return fail("nothing answers there (connection refused)", cause)
		case errors.As(cause, &certErr), errors.As(cause, &unknownAuthority), errors.As(cause, &hostname):
			return fail("its TLS certificate is not valid ("+cause.Error()+")", cause)
		case errors.As(cause, &opErr) && opErr.Op == "dial":
			return fail("it cannot be reached ("+opErr.Err.Error()+")", cause)
		}
		return nil
	}
	if oc.status != http.StatusOK {
		if oc.status >= 500 || oc.status == http.StatusTooManyRequests {
			return nil
		}
		return fail(fmt.Sprintf("it answers HTTP %d %s", oc.status, describeBody(body)), nil)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return fail("it answers "+describeBody(body)+", not the API's JSON", nil)
	}
	return nil
}

// describeBody says what a page that is not the API's JSON is.
func describeBody(body []byte) string {
	if m := htmlTitleRE.FindSubmatch(body); m != nil {
		return fmt.Sprintf("with an HTML page titled %q", truncate(strings.Join(strings.Fields(string(m[1])), " "), 80))
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return "with an empty body"
	}
	return fmt.Sprintf("with %q", truncate(string(body), 80))
}
