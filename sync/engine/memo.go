package engine

import (
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"reflect"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cachefile"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// MatchMemo keeps the matcher's last result with a digest of its input. A
// run whose input is the same as the last one's (no registration,
// decision or connection changed, and the same day: most runs) takes the
// result instead of solving again, which at 10,000 participants is most of
// a sync's time and memory. The matcher is deterministic, so the result
// is the one it would compute; Version (the program's) keeps a memo made
// by another matcher from being used.
type MatchMemo struct {
	Version string
	Digest  string
	Result  *match.Result
	// Hits and Misses count, for the run summary.
	Hits, Misses int
}

// digest identifies a matcher input with the program's version.
func (m *MatchMemo) digest(in match.Input) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", m.Version)
	// The options as the matcher uses them: the same rules written two
	// ways (defaults omitted or spelt out) are the same input.
	in.Options = in.Options.WithDefaults()
	// Field by field, and the lists element by element: encoding the
	// input whole would buffer all of it (tens of MB at 10,000 people).
	enc := json.NewEncoder(h)
	v := reflect.ValueOf(in)
	for i := range v.NumField() {
		fmt.Fprintf(h, "%s:", v.Type().Field(i).Name)
		f := v.Field(i)
		if f.Kind() != reflect.Slice {
			if err := enc.Encode(f.Interface()); err != nil {
				return "", err
			}
			continue
		}
		fmt.Fprintf(h, "%d[", f.Len())
		for j := range f.Len() {
			if err := enc.Encode(f.Index(j).Interface()); err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Match runs the matcher, or takes the memo's result for the same input;
// a nil memo always runs it.
func (m *MatchMemo) Match(in match.Input) (*match.Result, error) {
	if m == nil {
		return match.Match(in)
	}
	digest, err := m.digest(in)
	if err != nil {
		return nil, err
	}
	if m.Result != nil && m.Digest == digest {
		m.Hits++
		return m.Result, nil
	}
	m.Misses++
	// The last result is replaced: it is not held while the matcher runs.
	m.Digest, m.Result = "", nil
	res, err := match.Match(in)
	if err != nil {
		return nil, err
	}
	m.Digest, m.Result = digest, res
	return res, nil
}

// Load reads a memo saved by Save into m (keeping m's Version). A missing
// file is no error; an unreadable one is reported and ignored, and one of
// another version ignored.
func (m *MatchMemo) Load(path string) error {
	var saved MatchMemo
	found, err := cachefile.Read(path, func(r io.Reader) error { return gob.NewDecoder(r).Decode(&saved) })
	switch {
	case err != nil:
		return fmt.Errorf("%s is not a matcher memo this version reads (%v); matching afresh", path, err)
	case !found || saved.Version != m.Version:
		return nil // none, or another program's: its result may not be this matcher's
	}
	m.Digest, m.Result = saved.Digest, saved.Result
	return nil
}

// Save writes the memo to path (see cachefile.Write).
func (m *MatchMemo) Save(path string) error {
	if m.Result == nil {
		return nil
	}
	return cachefile.Write(path, func(w io.Writer) error {
		return gob.NewEncoder(w).Encode(MatchMemo{Version: m.Version, Digest: m.Digest, Result: m.Result})
	})
}
