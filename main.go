// Kaiku plans an expert's own social-media presence for their organization.
// Without arguments it opens the window; with a command it runs that command
// for scripts and schedulers and exits (kaiku help lists them).
package main

import (
	_ "embed"
	"os"

	"github.com/kaiku-app/kaiku/cmd"
)

// fyneApp is FyneApp.toml, embedded so that the version the binary reports
// is the one the package was made with, written in one place only.
//
//go:embed FyneApp.toml
var fyneApp []byte

func main() {
	os.Exit(cmd.Main(fyneApp))
}
