# Groundswell. `make run` serves the demo; `make test` runs everything CI runs.
GO      ?= go
TAGS    := sqlite_fts5
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN     := bin/groundswell
ADDR    ?= 127.0.0.1:8080
DATA    ?= ./data

.PHONY: build run test test-short fuzz-short bench bench-go soak soak-short vet lint fmt clean ranking-report a11y-deps

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/groundswell

run: build
	$(BIN) seed demo --data $(DATA)
	$(BIN) serve --data $(DATA) --addr $(ADDR)

# The whole suite with the race detector. PostgreSQL runs when GROUNDSWELL_TEST_POSTGRES holds a
# DSN, Chromium when it is installed; GROUNDSWELL_REQUIRE_ALL=1 turns their skips into failures.
test: lint a11y-deps
	$(GO) test -tags $(TAGS) -race -count=1 -timeout 20m ./...
	$(MAKE) soak-short
	@$(MAKE) --no-print-directory fuzz-short

# axe-core, the accessibility checker the browser tests inject into every page, pinned in
# internal/web/testdata/a11y. Without npm the accessibility test is skipped (and fails in CI).
A11Y := internal/web/testdata/a11y
a11y-deps: $(A11Y)/node_modules/axe-core/axe.min.js
$(A11Y)/node_modules/axe-core/axe.min.js: $(A11Y)/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix $(A11Y) --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the accessibility test will be skipped"; fi


# Each fuzz target for FUZZTIME, starting from its seed corpus in testdata/fuzz/NAME (which
# plain `go test` also runs). A failure writes the input there: commit it with the fix. Each new
# input is minimized for a bounded number of runs, not the default minute, which would stall a
# short run.
FUZZTIME ?= 5s
FUZZ_TARGETS := internal/markup:FuzzRender internal/markup:FuzzMarked internal/groundswell:FuzzFormValues \
	internal/anonymity:FuzzInviteCode internal/web:FuzzQueryParams internal/web:FuzzReadForm
fuzz-short:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $$t for $(FUZZTIME)"; \
		$(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 200x ./$${t%%:*}/; \
	done

test-short:
	$(GO) test -tags $(TAGS) -count=1 ./...

vet:
	$(GO) vet -tags $(TAGS) ./...

# gofmt, go vet and staticcheck (pinned), at zero findings. `make test`, and so CI, runs it first.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: vet
	@test -z "$$(gofmt -l cmd internal templates static migrations)" || { echo "gofmt needed:"; gofmt -l cmd internal templates static migrations; exit 1; }
	GOFLAGS= $(GO) run $(STATICCHECK) -tags $(TAGS) ./...

# The benchmark table (cmd/benchrun): seeds the S and L challenges once into data/bench (L takes
# a few minutes; both are reused), serves them with bin/groundswell on loopback and measures, in
# one run of about six minutes, /healthz (B1), the challenge page, the idea page and search with
# wrk, votes from 256 participants against raw SQLite commits (B2), and the server's peak RSS.
# It writes bench/results.md: the machine, and each figure beside its target, met or missed.
BENCH_DATA ?= $(DATA)/bench
bench: build
	@command -v wrk >/dev/null || { echo "make bench needs wrk (apt-get install wrk)"; exit 1; }
	$(GO) run -tags $(TAGS) ./cmd/benchrun -bin $(BIN) -data $(BENCH_DATA) -out bench/results.md

# The Go benchmarks, six runs each, summarised by benchstat as a table (median and spread). The
# ones at 250,000 ideas and 10 million votes use the L challenge in data/bench (built once).
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
bench-go:
	@mkdir -p bin $(BENCH_DATA)
	GROUNDSWELL_BENCH_DATA=$(abspath $(BENCH_DATA)) $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -count=6 -timeout 60m ./... > bin/bench.txt
	$(GO) run $(BENCHSTAT) bin/bench.txt

# The soak (cmd/soak), on real processes: 200 participants for 60 s (no 5xx, exact counts); 20
# kill -9s at random moments under vote load (integrity_check, every acknowledged vote once);
# SIGTERM under load (requests sent before it are answered, exit 0); a backup under load that
# opens and serves; two instances on one PostgreSQL (GROUNDSWELL_TEST_POSTGRES; skipped without
# it unless GROUNDSWELL_REQUIRE_ALL=1) with exact counts. About three minutes; soak-short, which
# `make test` runs, does the same in about half a minute with seconds of load and 3 kills.
soak: build
	$(GO) run -tags $(TAGS) ./cmd/soak -bin $(BIN)

soak-short: build
	$(GO) run -tags $(TAGS) ./cmd/soak -bin $(BIN) -short

# The ranking simulation: every algorithm over 20 seeded two-month campaigns, as a table, with
# the chart in docs/ranking-results.svg (see docs/ranking.md).
ranking-report:
	@mkdir -p docs
	$(GO) run ./cmd/ranking-report -runs 20 -svg docs/ranking-results.svg

fmt:
	gofmt -w cmd internal templates static migrations

clean:
	rm -rf bin
