// Package cachefile reads and writes the bot's disposable cache files:
// streamed (a cache of 10,000 pages is never held twice in memory) and
// replaced atomically (a file written halfway is never read).
package cachefile

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// Write writes path through write, creating its directory (private to the
// user) when needed, and replaces the file only once everything is
// written.
func Write(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	w := bufio.NewWriter(tmp)
	if err := write(w); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Read reads path through read. A file that does not exist is no error:
// found is false and read is not called.
func Read(path string, read func(io.Reader) error) (found bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	return true, read(bufio.NewReader(f))
}
