package cmd

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

// maxCountInput bounds what count reads from stdin; no network takes more.
const maxCountInput = 1 << 20

func cmdCount(e *env, args []string) error {
	fs := newFlags("count")
	network := fs.String("network", "x", "x, mastodon, bluesky or linkedin")
	limit := fs.Int("limit", 0, "a limit of the account's own (Mastodon instances differ); without it, the network's")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	limitGiven := false
	fs.Visit(func(f *flag.Flag) { limitGiven = limitGiven || f.Name == "limit" })
	if limitGiven && *limit < 1 {
		return userErrorf(nil, "error.count_limit", "--limit is a number of characters above 0, not {{.Limit}}", map[string]any{"Limit": *limit})
	}
	n, err := textrules.ParseNetwork(*network)
	if err != nil {
		return userErrorf(err, "error.network", "Unknown network; Kaiku knows x, mastodon, bluesky and linkedin.")
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, maxCountInput+1))
	if err != nil {
		return userErrorf(err, "error.read_stdin", "cannot read the text from standard input: {{.Err}}", map[string]any{"Err": err})
	}
	if len(b) > maxCountInput {
		return userErrorf(nil, "error.count_too_long", "the text is over 1 MB; no network takes that much")
	}
	if !utf8.Valid(b) {
		return userErrorf(nil, "error.count_utf8", "the text is not valid UTF-8, which every network needs; save it as UTF-8 and count again")
	}
	// A shell's echo adds one line end that is not part of the text.
	text := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	r := textrules.CountWithLimit(n, text, *limit)
	if *asJSON {
		_, err := fmt.Fprintf(e.stdout, "{\"network\":%q,\"length\":%d,\"limit\":%d,\"valid\":%t}\n", string(r.Network), r.Length, r.Limit, r.Valid)
		return err
	}
	verdict := tr("cli.count.fits", "fits")
	if !r.Valid {
		verdict = tr("cli.count.too_long", "does not fit")
		if strings.TrimSpace(text) == "" {
			verdict = tr("cli.count.empty", "empty")
		}
	}
	fmt.Fprintf(e.stdout, "%s: %d/%d, %s\n", r.Network, r.Length, r.Limit, verdict)
	return nil
}
