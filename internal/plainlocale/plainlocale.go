// Package plainlocale makes the C locale read as plain English before Fyne
// looks at it.
//
// Fyne's lang package reads the locale when it is initialised, before main
// runs, and cannot parse "C.UTF-8" (Debian's default in containers, CI, cron
// and systemd): it prints three lines of "Error parsing user locale C" to
// stderr from every command. Importing this package sets LANGUAGE=en for the
// C and POSIX locales first, which is what they mean for messages.
//
// It runs first because Go initialises packages in import-path order among
// those whose imports are ready (the Go spec, since 1.21): this package needs
// only os and strings, and its path sorts before Fyne's locale dependencies
// (github.com/nicksnyder/go-i18n, golang.org/x/text), without which Fyne's
// lang cannot start. TestCommandsAreQuietInEveryLocale in cmd holds it to it.
package plainlocale

import (
	"os"
	"strings"
)

func init() {
	if IsC() && os.Getenv("LANGUAGE") == "" {
		os.Setenv("LANGUAGE", "en")
	}
}

// IsC reports whether the environment names the C or POSIX locale for
// messages (C.UTF-8 included), which asks for no localisation.
func IsC() bool {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return v == "C" || v == "POSIX" || strings.HasPrefix(v, "C.")
		}
	}
	return false
}
