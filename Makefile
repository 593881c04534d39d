# Kaiku's build. `make run` and `make test` install what the build needs first.
GO      ?= go
TAGS    := migrated_fynedo
BIN     := bin/kaiku
PKGS    := ./...

.PHONY: all deps build run test test-live vet bench screenshots clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	$(GO) build -tags $(TAGS) -o $(BIN) .

run: build
	./$(BIN)

vet: deps
	$(GO) vet -tags $(TAGS) $(PKGS)

test: vet
	$(GO) test -tags $(TAGS) -race -timeout 30m $(PKGS)

# The live tests: real GoToSocial and atproto PDS servers on loopback, built
# and cached under the user's cache folder, stopped again whatever happens.
test-live: deps
	GO=$(GO) bash scripts/live/test-live.sh

# The benchmarks, then the real binary under Xvfb against a Fyne hello-world.
bench: deps
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem $(PKGS)
	sh scripts/perf.sh

clean:
	rm -rf bin

screenshots: build
	sh scripts/screenshots.sh
