// Command kaiku is Kaiku: without arguments it opens the window; with a
// command it runs that command for scripts and schedulers and exits.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, desktop{open: openWindow, refuse: showStartError}))
}
