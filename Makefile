# Kaiku's build. `make run` and `make test` install what the build needs first.
GO      ?= go
TAGS    := migrated_fynedo
BIN     := bin/kaiku
PKGS    := ./...

# What `make package` and `make install` use: FyneApp.toml states the version.
VERSION := $(shell sed -n 's/^Version = "\(.*\)"$$/\1/p' FyneApp.toml)
ARCH    := $(shell $(GO) env GOARCH)
ARCHIVE := dist/kaiku-$(VERSION)-linux-$(ARCH).tar.xz
APP_ID  := io.github.kaiku_app.kaiku
LOCAL   := $(HOME)/.local

.PHONY: all deps build run test vet bench screenshots clean test-live package package-darwin package-windows install uninstall

all: build

deps:
	@sh scripts/deps.sh

build: deps
	$(GO) build -tags $(TAGS) -o $(BIN) .

run: build
	./$(BIN)

# go vet, then staticcheck (a tool of the module: go.mod pins its version),
# with the live tests' files too, so that what only they use is not unused.
vet: deps
	$(GO) vet -tags $(TAGS),live $(PKGS)
	$(GO) tool staticcheck -tags $(TAGS),live $(PKGS)

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
	rm -rf bin dist

screenshots: build
	sh scripts/screenshots.sh

# The Linux archive: the binary, the icon, a desktop entry and a Makefile.
package: deps
	sh scripts/package.sh linux

# On a Mac: dist/Kaiku.app. On Windows: dist/kaiku-VERSION-windows-ARCH.exe.
# Neither can be built on Linux (Fyne needs the system's own C toolchain).
package-darwin:
	sh scripts/package.sh darwin

package-windows:
	sh scripts/package.sh windows

# For the current user, under ~/.local, from the archive as a user would:
# the binary in ~/.local/bin, the desktop entry and the icon in ~/.local/share.
install: package
	rm -rf dist/install && mkdir -p dist/install
	tar -xJf $(ARCHIVE) -C dist/install
	$(MAKE) -C dist/install/kaiku user-install
	rm -rf dist/install
	@echo "Kaiku is in your applications menu; the command is $(LOCAL)/bin/kaiku"

# Removes what install put there, and a start at login that would run the
# removed binary. Your data folder stays.
uninstall:
	rm -f $(LOCAL)/bin/kaiku $(LOCAL)/share/applications/$(APP_ID).desktop $(LOCAL)/share/icons/$(APP_ID).png
	if grep -qs '^Exec=$(LOCAL)/bin/kaiku ' $${XDG_CONFIG_HOME:-$(HOME)/.config}/autostart/kaiku.desktop; then \
		rm -f $${XDG_CONFIG_HOME:-$(HOME)/.config}/autostart/kaiku.desktop; fi
