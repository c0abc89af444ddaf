# Groundswell. `make run` serves the demo; `make test` runs everything CI runs.
GO      ?= go
TAGS    := sqlite_fts5
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN     := bin/groundswell
ADDR    ?= 127.0.0.1:8080
DATA    ?= ./data

.PHONY: build run test test-short fuzz-short bench vet lint fmt clean ranking-report

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/groundswell

run: build
	$(BIN) seed demo --data $(DATA)
	$(BIN) serve --data $(DATA) --addr $(ADDR)

# The whole suite with the race detector. PostgreSQL runs when GROUNDSWELL_TEST_POSTGRES holds a
# DSN, Chromium when it is installed; GROUNDSWELL_REQUIRE_ALL=1 turns their skips into failures.
test: lint
	$(GO) test -tags $(TAGS) -race -count=1 -timeout 20m ./...
	@$(MAKE) --no-print-directory fuzz-short

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
