package cli

import (
	"flag"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
)

// LC_MAXLAG is sent as it is, and 0 sends none (the wiki client's own 0
// would mean 5).
func TestMaxLagZeroSendsNone(t *testing.T) {
	for value, want := range map[string]string{"": "5", "0": "(none)", "12": "12"} {
		var got []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			lag := "(none)"
			if r.Form.Has("maxlag") {
				lag = r.Form.Get("maxlag")
			}
			got = append(got, lag)
			http.Error(w, "not a wiki", http.StatusNotFound)
		}))
		cfg, err := config.Load(map[string]string{"MW_API_URL": srv.URL + "/api.php", "LC_MAXLAG": value})
		if err != nil {
			t.Fatal(err)
		}
		c, err := (&App{Version: "test", Log: zerolog.Nop()}).NewWikiClient(t.Context(), cfg, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = c.SiteInfo(t.Context()) // fails: the request is what counts
		srv.Close()
		if len(got) == 0 || got[0] != want {
			t.Errorf("LC_MAXLAG=%q: the requests' maxlag %v, want %s", value, got, want)
		}
	}
}

// A cap flag replaces the configured cap only when given; 0 is no limit.
func TestCapFlag(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		want    int
		refused bool
	}{{nil, 60, false}, {[]string{"--max-edits", "0"}, 0, false}, {[]string{"--max-edits", "7"}, 7, false}, {[]string{"--max-edits", "-1"}, 60, true}} {
		fs := flag.NewFlagSet("sync", flag.ContinueOnError)
		n := fs.Int("max-edits", 0, "")
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		limit := 60
		err := CapFlag(fs, "max-edits", *n, &limit)
		if limit != tc.want || (err != nil) != tc.refused {
			t.Errorf("%v: cap %d, error %v; want %d, refused %v", tc.args, limit, err, tc.want, tc.refused)
		}
	}
}
