package cmd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"syscall"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

func cmdExportICS(e *env, args []string) error {
	fs := newFlags("export-ics")
	from := fs.String("from", "", "first date, 2026-12-01; default today")
	weeks := fs.Int("weeks", ical.DefaultWeeks, "how many weeks, 1 to 52")
	recurring := fs.Bool("recurring", false, "weekly recurring events instead of one event per slot")
	out := fs.String("o", "-", "the file to write, or - for standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	start := e.now().In(e.loc)
	if *from != "" {
		var err error
		if start, err = parseDate(*from, e.loc); err != nil {
			return err
		}
	}
	// 0 would be the export's default; here it is what the user typed.
	if *weeks < 1 || *weeks > ical.MaxWeeks {
		return ical.ErrWeeks
	}
	if start.Before(planner.MinPostTime) || start.AddDate(0, 0, 7**weeks).After(planner.MaxPostTime) {
		return userErrorf(nil, "error.ics_range", "the weeks to export must fall within the years 2000–2199, which Kaiku plans for")
	}
	var buf bytes.Buffer
	err := ical.ExportFrom(e.ctx, e.store, &buf, ical.Options{
		From: start, Weeks: *weeks, Recurring: *recurring, Now: e.now(),
		Translate: func(key string, data map[string]any) string { return tr(key, key, data) },
		ComposeURL: func(n planner.Network, text string) (string, error) {
			return accounts.ComposeURL(n, text, "")
		},
	})
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(*out, buf.Bytes())
}

// writeFileAtomic writes through a temporary file and a rename, so an
// interrupted export never leaves half a calendar where the old one was.
func writeFileAtomic(path string, b []byte) error {
	fail := func(err error) error {
		if errors.Is(err, syscall.ENOSPC) {
			return userErrorf(err, "error.write_disk_full", "cannot write {{.File}}: its disk is full; nothing was written", map[string]any{"File": path})
		}
		return userErrorf(err, "error.write_file", "cannot write {{.File}}: {{.Err}}", map[string]any{"File": path, "Err": err})
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fail(err)
	}
	return nil
}
