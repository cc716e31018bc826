package wiki

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestLongReadLogsProgress: a read of many pages logs how many of how
// many it has read (here after every batch: ProgressEvery is 0), and not
// the last batch, which the caller's own line follows.
func TestLongReadLogsProgress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		var pages []map[string]any
		for _, title := range strings.Split(r.Form.Get("titles"), "|") {
			pages = append(pages, map[string]any{"title": title, "missing": true})
		}
		json.NewEncoder(w).Encode(map[string]any{"batchcomplete": true, "query": map[string]any{"pages": pages}})
	}))
	defer srv.Close()
	var logs bytes.Buffer
	c, err := New(Config{APIURL: srv.URL + "/api.php", UserAgent: "letsconnect-test/0 (test)", Log: zerolog.New(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	defer func(d time.Duration) { ProgressEvery = d }(ProgressEvery)
	ProgressEvery = 0
	titles := make([]string, 120)
	for i := range titles {
		titles[i] = "Page " + strconv.Itoa(i)
	}
	pages, err := c.Pages(context.Background(), titles, ReadOptions{})
	if err != nil || len(pages) != 120 {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
	for _, want := range []string{"wiki: reading pages: 50 of 120", "wiki: reading pages: 100 of 120"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("no %q in the log:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), "120 of 120") {
		t.Errorf("a progress line for the end:\n%s", logs.String())
	}
}
