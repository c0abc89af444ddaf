# Groundswell. `make run` serves the demo; `make test` runs everything CI runs.
GO      ?= go
TAGS    := sqlite_fts5
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN     := bin/groundswell
ADDR    ?= 127.0.0.1:8080
DATA    ?= ./data

.PHONY: build run test test-short bench vet lint fmt clean ranking-report a11y-deps

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/groundswell

run: build
	$(BIN) seed demo --data $(DATA)
	$(BIN) serve --data $(DATA) --addr $(ADDR)

# The whole suite with the race detector. PostgreSQL runs when GROUNDSWELL_TEST_POSTGRES holds a
# DSN, Chromium when it is installed; GROUNDSWELL_REQUIRE_ALL=1 turns their skips into failures.
test: lint a11y-deps
	$(GO) test -tags $(TAGS) -race -count=1 -timeout 20m ./...

# axe-core, the accessibility checker the browser tests inject into every page, pinned in
# internal/web/testdata/a11y. Without npm the accessibility test is skipped (and fails in CI).
A11Y := internal/web/testdata/a11y
a11y-deps: $(A11Y)/node_modules/axe-core/axe.min.js
$(A11Y)/node_modules/axe-core/axe.min.js: $(A11Y)/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix $(A11Y) --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the accessibility test will be skipped"; fi

test-short:
	$(GO) test -tags $(TAGS) -count=1 ./...

vet:
	$(GO) vet -tags $(TAGS) ./...

# gofmt, go vet and staticcheck (pinned), at zero findings. `make test`, and so CI, runs it first.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: vet
	@test -z "$$(gofmt -l cmd internal templates static migrations)" || { echo "gofmt needed:"; gofmt -l cmd internal templates static migrations; exit 1; }
	GOFLAGS= $(GO) run $(STATICCHECK) -tags $(TAGS) ./...

# Benchmarks, six runs each, summarised by benchstat as a table (median and spread). The ones at
# 250,000 ideas and 10 million votes build that challenge once into data/bench (a few minutes)
# and reuse it.
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
bench:
	@mkdir -p bin data/bench
	GROUNDSWELL_BENCH_DATA=$(CURDIR)/data/bench $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -count=6 -timeout 60m ./... > bin/bench.txt
	$(GO) run $(BENCHSTAT) bin/bench.txt

# The ranking simulation: every algorithm over 20 seeded two-month campaigns, as a table, with
# the chart in docs/ranking-results.svg (see docs/ranking.md).
ranking-report:
	@mkdir -p docs
	$(GO) run ./cmd/ranking-report -runs 20 -svg docs/ranking-results.svg

fmt:
	gofmt -w cmd internal templates static migrations

clean:
	rm -rf bin
