// Kaiku plans an expert's own social-media presence for their organization.
// Without arguments it opens the window; with a command it runs that command
// for scripts and schedulers and exits (kaiku help lists them).
package main

import (
	"os"

	"github.com/kaiku-app/kaiku/cmd"
)

func main() {
	os.Exit(cmd.Main())
}
