package cachefile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteThenRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "dir", "cache.gob")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "first"); return err }); err != nil {
		t.Fatal(err)
	}
	var got []byte
	found, err := Read(path, func(r io.Reader) (err error) { got, err = io.ReadAll(r); return err })
	if !found || err != nil || string(got) != "first" {
		t.Fatalf("read back: %v %v %q", found, err, got)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the directory: %v %v", fi.Mode(), err)
	}
}

// TestAFailedWriteKeepsTheOldFile: a write that fails halfway leaves the
// previous file as it was, and no temporary file behind.
func TestAFailedWriteKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.gob")
	Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "good"); return err })
	broken := errors.New("disk full")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return broken
	})
	if !errors.Is(err, broken) {
		t.Fatalf("the failed write returned %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "good" {
		t.Errorf("after a failed write the file holds %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
}

func TestReadMissingIsNoError(t *testing.T) {
	called := false
	found, err := Read(filepath.Join(t.TempDir(), "none"), func(io.Reader) error { called = true; return nil })
	if found || err != nil || called {
		t.Errorf("a missing file: found %v, err %v, read called %v", found, err, called)
	}
}
