// Package cmd is Kaiku's command line and the app's wiring: the global
// flags, logging, the data folder, the commands, and the window, which opens
// when no command is given.
package cmd

import (
	"fmt"
	"os"

	// First of all: Fyne reads the locale as it is initialised.
	_ "github.com/kaiku-app/kaiku/internal/plainlocale"
)

// Main runs Kaiku with the process's arguments and streams and returns the
// exit status: 0 on success, 1 on an error the user can fix, 2 on a usage
// error. fyneApp is the text of FyneApp.toml, which names and versions Kaiku.
func Main(fyneApp []byte) int {
	a, err := readAbout(fyneApp, buildInfo())
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaiku:", err)
		return exitError
	}
	g := &gui{about: a}
	return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, desktop{open: g.open, refuse: g.refuse, warm: g.warm, about: a})
}
