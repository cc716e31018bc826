# The two commands a newcomer needs are `make demo` and `make test`; every
# target installs what it needs (the local wiki's Debian packages included).
GO ?= go
DEVWIKI := scripts/devwiki.sh

.PHONY: all build build-dev test vet devwiki devwiki-stop devwiki-reset browser demo bench fuzz

all: build

# letsconnect is the bot (what Toolforge runs); letsconnect-dev the demo
# and the benchmarks.
build:
	$(GO) build -o bin/letsconnect ./cmd/letsconnect

build-dev: build
	$(GO) build -o bin/letsconnect-dev ./cmd/letsconnect-dev

vet:
	$(GO) vet ./...

# test checks gofmt, go mod tidy and go vet, runs the unit tests with the
# race detector, then every test, unit and integration, against a real
# local wiki that it starts itself (scripts/test.sh). DEVWIKI_TESTS=require:
# an integration test whose wiki cannot start fails, never skips (a plain
# `go test ./...` skips them when the wiki is not running; see
# internal/dev/devwiki). The demo's pages and its people's talk pages are the
# same before and after.
test:
	@GO=$(GO) scripts/test.sh

# browser installs Debian's headless Chromium for the status page's test.
browser:
	@scripts/browser.sh >/dev/null

# demo runs the main job end to end: local wiki, templates, taxonomy, a
# pilot-shaped program (DEMO_PARTICIPANTS=179), sync --write, the URLs.
demo:
	@GO=$(GO) scripts/demo.sh

# bench measures what tests must not time: the matcher from 179 to 100,000
# participants beside a greedy baseline, the matcher before issue 32,
# HiGHS and LEMON on the 1:1 graph (scripts/bench/match.sh: builds the old
# matcher and lemon_mcf, installs Debian's python3-scipy, liblemon-dev and
# g++), the proposals' churn after single
# edits, with and without incumbency (docs/matching.md), the solver and
# the wikitext parser, the report at 10,000 participants, and a sync's
# cost on a local wiki of 1,000 and 10,000 participants beside mwn and
# mwclient + mwparserfromhell (docs/performance.md; installs the peers and
# seeds its own wiki the first time).
bench: build-dev
	scripts/bench/read.sh
	scripts/bench/match.sh
	bin/letsconnect-dev bench churn
	$(GO) test -run '^$$' -bench . -benchtime 1x ./match/mcf/
	$(GO) test -run '^$$' -bench . ./wiki/wikitext/
	$(GO) test -run '^$$' -bench . -benchtime 3x ./sync/report/ ./wiki/pagecache/

devwiki:
	@$(DEVWIKI) start

devwiki-stop:
	@$(DEVWIKI) stop

devwiki-reset:
	@$(DEVWIKI) reset

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzTemplates -fuzztime 60s ./wiki/wikitext/
	$(GO) test -run '^$$' -fuzz FuzzRegistration -fuzztime 30s ./sync/program/
	$(GO) test -run '^$$' -fuzz FuzzCheckTitle -fuzztime 30s ./wiki/wikitext/
	$(GO) test -run '^$$' -fuzz FuzzMatchInput -fuzztime 30s ./match/
	$(GO) test -run '^$$' -fuzz FuzzRandomProgram -fuzztime 30s ./match/
