package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kaiku-app/kaiku/planner"
)

func cmdOrgExport(e *env, args []string) error {
	fs := newFlags("org export")
	out := fs.String("o", "-", "the file to write, or - for standard output")
	name := fs.String("name", "", "the organization's name; default the last kit's")
	var hashtags, networks multiFlag
	fs.Var(&hashtags, "hashtag", "a recommended hashtag; give it again for more")
	fs.Var(&networks, "network", "a recommended network; give it again for more")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c := planner.OrgKitContent{Organization: strings.TrimSpace(*name), Hashtags: hashtags}
	for _, n := range networks {
		nw := planner.Network(strings.ToLower(strings.TrimSpace(n)))
		if !nw.Valid() {
			return userErrorf(nil, "error.network", "Unknown network; Kaiku knows x, mastodon, bluesky and linkedin.")
		}
		c.Networks = append(c.Networks, nw)
	}
	kit, err := planner.ExportOrgKit(e.ctx, readingList(e).WithKitFeeds(e.store), c, e.now())
	if err != nil {
		var ke *planner.OrgKitError
		if errors.As(err, &ke) && ke.Item == "organization" {
			return usagef("error.kit_name", "give the organization's name: kaiku org export --name NAME -o FILE")
		}
		return kitError("", err)
	}
	b, err := json.MarshalIndent(kit, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *out == "-" {
		_, err := e.stdout.Write(b)
		return err
	}
	return writeFileAtomic(*out, b)
}

func cmdOrgImport(e *env, args []string) error {
	fs := newFlags("org import")
	if err := fs.Parse(args); err != nil {
		return usageError{"kaiku org import: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("error.kit_file", "give the kit's file or address: kaiku org import FILE|URL")
	}
	source := fs.Arg(0)
	var data []byte
	if address, ok := webAddress(source); ok {
		got, err := fetchDocument(e.ctx, webClient(e, planner.MaxOrgKitBytes), address, "", "", "application/json, */*;q=0.5")
		if err != nil {
			return err
		}
		source, data = address, got.Body
	} else {
		f, err := os.Open(source)
		if err != nil {
			return userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": source, "Err": err})
		}
		data, err = io.ReadAll(io.LimitReader(f, planner.MaxOrgKitBytes+1))
		f.Close()
		if err != nil {
			return userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": source, "Err": err})
		}
	}
	kit, err := planner.ParseOrgKit(data)
	if err != nil {
		return kitError(source, err)
	}
	res, err := planner.ImportOrgKit(e.ctx, readingList(e).WithKitFeeds(e.store), kit, source, e.now())
	if err != nil && res.Record.Received.IsZero() {
		return kitError(source, err)
	}
	if res.Unchanged {
		fmt.Fprintln(e.stdout, tr("cli.kit_unchanged", "The kit of {{.Org}} is already in use; nothing changed.", map[string]any{"Org": kit.Organization}))
	} else {
		fmt.Fprintln(e.stdout, tr("cli.kit_imported", "Imported the kit of {{.Org}}: {{.Added}} goals added ({{.Kept}} were here already), its guidelines in use, {{.Hashtags}} hashtags to suggest.",
			map[string]any{"Org": kit.Organization, "Added": len(res.Goals), "Kept": res.KeptGoals, "Hashtags": len(kit.Hashtags)}))
	}
	switch {
	case err != nil:
		return err // the kit is in; only the reading list failed
	case len(kit.Feeds) > 0 && res.FeedsAdded < 0:
		fmt.Fprintln(e.stdout, tr("cli.kit_feeds_kept", "{{.N}} feeds are kept for the reading list.", map[string]any{"N": len(kit.Feeds)}))
	case len(kit.Feeds) > 0:
		fmt.Fprintln(e.stdout, tr("cli.kit_feeds_added", "{{.N}} feeds added to the reading list.", map[string]any{"N": res.FeedsAdded}))
	}
	return nil
}

// kitError says in the user's words why a kit was refused; nothing was changed.
func kitError(source string, err error) error {
	if msg, ok := planner.ExplainOrgKit(err, source, tr); ok {
		return userError{msg: msg, cause: err}
	}
	return err
}
