package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
)

// runCache is what the engine keeps between runs: the pages it read
// (wiki/pagecache) and the matcher's last result. A service keeps it in
// memory; with LC_CACHE_DIR it is also saved, for the next command.
type runCache struct {
	pages *pagecache.Cache
	memo  *engine.MatchMemo
	dir   string // "" for memory only
	name  string // the files' common name: one wiki and account each
}

// newCache makes the cache that goes between the engine and the wiki:
// always for a service (inMemory), and for any command when LC_CACHE_DIR
// is set. It returns nil when there is none. A cache that cannot be
// loaded is reported and the run reads everything, as without one.
func newCache(a *app, client *wiki.Client, cfg config.Config, inMemory bool) *runCache {
	if cfg.Run.CacheDir == "" && !inMemory {
		return nil
	}
	key := cfg.Wiki.APIURL + "\x00" + client.User()
	sum := sha256.Sum256([]byte(key))
	rc := &runCache{
		pages: pagecache.New(client, key),
		memo:  &engine.MatchMemo{Version: buildID()},
		dir:   cfg.Run.CacheDir,
		name:  hex.EncodeToString(sum[:6]),
	}
	rc.pages.MaxAge = cfg.Run.CacheMaxAge
	if rc.dir != "" {
		if err := rc.pages.Load(rc.path("pages")); err != nil {
			a.Log.Warn().Err(err).Msg("cache: not used")
		}
		if err := rc.memo.Load(rc.path("match")); err != nil {
			a.Log.Warn().Err(err).Msg("cache: the matcher's memo is not used")
		}
	}
	return rc
}

// matcher is the matcher's memo (nil without a cache: the matcher runs
// each time).
func (rc *runCache) matcher() *engine.MatchMemo {
	if rc == nil {
		return nil
	}
	return rc.memo
}

func (rc *runCache) path(what string) string {
	return filepath.Join(rc.dir, fmt.Sprintf("%s-%s.gob", what, rc.name))
}

// save writes the cache to LC_CACHE_DIR, when set. Saving after a failed
// run is right too: every entry is a page as it was at its revision, and
// the next run looks at what changed since.
func (rc *runCache) save() error {
	if rc == nil || rc.dir == "" {
		return nil
	}
	if err := rc.pages.Save(rc.path("pages")); err != nil {
		return fmt.Errorf("saving the cache: %w", err)
	}
	if err := rc.memo.Save(rc.path("match")); err != nil {
		return fmt.Errorf("saving the matcher's memo: %w", err)
	}
	return nil
}

// buildID names this program's build for the matcher's memo: the version
// and the executable's size and time, so that a memo made by another
// build (another matcher, perhaps) is not used.
func buildID() string {
	id := version
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			id += fmt.Sprintf(" %d %d", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return id
}
