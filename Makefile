# Batchdesk — the targets are the vocabulary: run, test, bench, build.
# Every target installs what it is missing first (Debian packages, npm
# packages, the pinned Wails CLI) and skips what is already there.

SHELL        := /bin/bash
export PATH  := /usr/local/go/bin:$(shell go env GOPATH 2>/dev/null)/bin:$(PATH)
BIN          := build/bin/batchdesk
GO_TAGS      := desktop,production
TEST_OUT     := $(CURDIR)/test-output
# -count=1: tests talk to PostgreSQL, Xvfb and a built binary, which go test's
# cache cannot see, so every run really runs them.
GO_TEST_ARGS ?= -count=1 -timeout 40m
FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts -type f 2>/dev/null)
GO_SRC       := $(shell find . -name '*.go' -not -path './frontend/*' 2>/dev/null) go.mod go.sum

.PHONY: run test build bench deps pg frontend check fmt vet test-go test-frontend test-e2e dev clean types

## run: install what is missing, build, open the window on the built-in sandbox CRM
run: build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "run: no display here — opening the window inside Xvfb (for a browser, use: $(BIN) serve)"; \
	  xvfb-run -a -s "-screen 0 1280x900x24" $(BIN); \
	else $(BIN); fi

## test: every test — frontend (svelte-check, vitest), end-to-end in Chromium, the real window under Xvfb, Go
test: deps pg build test-frontend test-e2e test-go

## build: build/bin/batchdesk — one binary: the window, or the CLI when given a command
build: deps frontend $(BIN)

$(BIN): $(GO_SRC) frontend/dist/index.html
	wails build -s -m -nosyncgomod -skipbindings -trimpath -tags "$(subst $(comma),$(space),$(GO_TAGS))" -o batchdesk >/dev/null
	@test -x $(BIN) && echo "built $(BIN)"

comma := ,
space := $(empty) $(empty)

frontend: frontend/dist/index.html
frontend/dist/index.html: $(FRONTEND_SRC) frontend/package-lock.json
	cd frontend && npm run build

deps:
	@bash build/scripts/deps.sh apt npm wails
	@go mod download

pg:
	@bash build/scripts/ensure-pg.sh

test-frontend: deps
	cd frontend && npm run check && npm test

test-e2e: build pg
	@mkdir -p $(TEST_OUT)
	bash build/scripts/e2e.sh $(BIN) $(TEST_OUT)/e2e

# go test runs last: CI reads its closing lines. The window test needs the binary.
test-go: build pg
	@mkdir -p $(TEST_OUT)
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	BATCHDESK_WINDOW_BIN=$(CURDIR)/$(BIN) BATCHDESK_TEST_OUT=$(TEST_OUT) go test $(GO_TEST_ARGS) ./...

## bench: generate a 100 MB file, measure import/validate against psql \copy and encoding/csv
bench: build pg
	go run ./backend/bench/importbench -out $(TEST_OUT)/bench
	go run ./backend/bench/exportbench -out $(TEST_OUT)/bench
	go run ./backend/bench/deletebench -out $(TEST_OUT)/bench

## dev: Wails dev mode (hot reload; needs a display)
dev: deps
	wails dev -m -skipbindings

check: deps
	go vet ./...
	cd frontend && npm run check

## types: regenerate frontend/src/lib/api/types.ts from the Go types bound to the page (committed; a Go test fails when it is stale, so build never needs this)
types:
	go run ./app/typesgen

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf build/bin test-output frontend/node_modules
	find frontend/dist -mindepth 1 -not -name .gitkeep -delete 2>/dev/null || true
