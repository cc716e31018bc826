package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestWebServerFailureIsReported: when the status server's Serve fails (its
// listener is gone), the error is logged and stops the service with it, so
// that `letsconnect serve` exits with the reason; a shutdown is no error.
func TestWebServerFailureIsReported(t *testing.T) {
	serve := func(shutdown bool) (error, string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		a := &app{Log: zerolog.New(&logs)}
		ctx, stop := context.WithCancelCause(context.Background())
		defer stop(nil)
		srv := &http.Server{Handler: http.NotFoundHandler()}
		done := make(chan struct{})
		go func() { serveWeb(a, srv, ln, stop); close(done) }()
		if shutdown {
			srv.Shutdown(context.Background())
		} else {
			ln.Close()
		}
		<-done
		return context.Cause(ctx), logs.String()
	}
	cause, logs := serve(false)
	if cause == nil || !strings.Contains(cause.Error(), "the web server stopped") {
		t.Errorf("a failed web server stops the service with %v", cause)
	}
	if !strings.Contains(logs, `"level":"error"`) || !strings.Contains(logs, "the web server stopped") {
		t.Errorf("the failure is not logged: %s", logs)
	}
	if cause, logs := serve(true); cause != nil || logs != "" {
		t.Errorf("a shutdown stops the service with %v, logs %q", cause, logs)
	}
}
