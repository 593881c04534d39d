package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/feeds"
	"github.com/kaiku-app/kaiku/reading"
)

// readingList is the reading list over the open store, fetching with
// Kaiku's own User-Agent.
func readingList(e *env) *reading.List {
	f := fetch.New(fetch.Options{Version: e.about.Version, Logger: e.log, Now: e.now})
	return reading.New(reading.Options{Store: e.store, Fetcher: f, Now: e.now, Logger: e.log})
}

// parseArgs parses flags given before, between or after the positional
// arguments, and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usageError{"kaiku " + fs.Name() + ": " + tr("help.see_usage", "see 'kaiku help'")}
			}
			return nil, usageError{"kaiku " + fs.Name() + ": " + err.Error()}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// feedMessage says in the user's language why a feed could not be read.
func feedMessage(p planner.FeedError) string { return p.Explain(tr) }

// feedError turns a failure to follow or read a feed into one line for the user.
func feedError(e *env, address string, err error) error {
	var ie *planner.InvalidError
	switch {
	case errors.Is(err, reading.ErrNoFeed):
		return userErrorf(err, "feeds.error.no_feed", "{{.URL}} is a web page that names no feed; give the feed's own address", map[string]any{"URL": fetch.Redact(address)})
	case errors.As(err, &ie), errors.Is(err, planner.ErrNotFound), errors.Is(err, planner.ErrConflict):
		return err
	}
	if p, known := reading.Problem(err, e.now()); known {
		return userError{msg: fetch.Redact(address) + ": " + feedMessage(p), cause: err}
	}
	return err
}

func cmdFeedsAdd(e *env, args []string) error {
	fs := newFlags("feeds add")
	folder := fs.String("folder", "", "the folder to put the feed in")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("error.feed_url", "give the address of one feed or site: kaiku feeds add URL")
	}
	f, _, err := readingList(e).Add(e.ctx, pos[0], *folder)
	if err != nil {
		return feedError(e, pos[0], err)
	}
	fmt.Fprintf(e.stdout, "%s\t%s\n", f.ID, f.Title)
	return nil
}

// feedJSON is a feed as `feeds list --json` prints it: times in the user's zone.
type feedJSON struct {
	ID           string             `json:"id"`
	Title        string             `json:"title"`
	URL          string             `json:"url"`
	SiteURL      string             `json:"site_url,omitempty"`
	Folder       string             `json:"folder,omitempty"`
	Fetched      string             `json:"fetched,omitempty"`
	Unread       int                `json:"unread"`
	LastError    *planner.FeedError `json:"last_error,omitempty"`
	BackoffUntil string             `json:"backoff_until,omitempty"`
}

func rfc3339(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

func cmdFeedsList(e *env, args []string) error {
	fs := newFlags("feeds list")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	list, err := e.store.Feeds(e.ctx)
	if err != nil {
		return err
	}
	unread, err := e.store.Items(e.ctx, planner.ItemQuery{Unread: true})
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, it := range unread {
		counts[it.FeedID]++
	}
	if *asJSON {
		out := make([]feedJSON, 0, len(list))
		for _, f := range list {
			j := feedJSON{ID: f.ID, Title: f.Title, URL: f.URL, SiteURL: f.SiteURL, Folder: f.Folder,
				Fetched: rfc3339(f.Fetched, e.loc), Unread: counts[f.ID], LastError: f.LastError}
			if f.BackoffUntil.After(e.now()) {
				j.BackoffUntil = rfc3339(f.BackoffUntil, e.loc)
			}
			out = append(out, j)
		}
		return printJSON(e.stdout, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, tr("cli.no_feeds", "No feeds. Add one with 'kaiku feeds add URL'."))
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", tr("cli.col.id", "ID"), tr("cli.col.folder", "FOLDER"), tr("cli.col.unread", "UNREAD"),
		tr("cli.col.refreshed", "REFRESHED"), tr("cli.col.title", "TITLE"))
	for _, f := range list {
		when := "-"
		if !f.Fetched.IsZero() {
			when = f.Fetched.In(e.loc).Format("2006-01-02 15:04")
		}
		title := ellipsis(f.Title, 50)
		if f.LastError != nil {
			title += " (" + feedMessage(*f.LastError) + ")"
		}
		folder := f.Folder
		if folder == "" {
			folder = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\n", f.ID, ellipsis(folder, 20), counts[f.ID], when, title)
	}
	return w.Flush()
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func cmdFeedsRemove(e *env, args []string) error {
	fs := newFlags("feeds remove")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("error.feed_id", "give the ID of one feed; 'kaiku feeds list' shows them")
	}
	if err := readingList(e).Remove(e.ctx, pos[0]); err != nil {
		if errors.Is(err, planner.ErrNotFound) {
			return userErrorf(err, "error.no_feed", "there is no feed {{.ID}}; 'kaiku feeds list' shows them", map[string]any{"ID": pos[0]})
		}
		return err
	}
	return nil
}

func cmdFeedsRefresh(e *env, args []string) error {
	fs := newFlags("feeds refresh")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rep, err := readingList(e).Refresh(e.ctx)
	if err != nil {
		return err
	}
	for _, f := range rep.Failed {
		p, _ := reading.Problem(f.Err, e.now())
		msg := feedMessage(p)
		e.log.WithError(f.Err).WithField("feed", f.Feed.ID).Debug("feed refresh failed")
		fmt.Fprintf(e.stderr, "kaiku: %s (%s): %s\n", f.Feed.Title, f.Feed.ID, msg)
	}
	fmt.Fprintln(e.stdout, tr("cli.feeds_refreshed", "Refreshed {{.Feeds}} feeds: {{.New}} new items.",
		map[string]any{"Feeds": len(rep.Refreshed), "New": rep.New}))
	if len(rep.Failed) > 0 {
		return userErrorf(nil, "error.feeds_failed", "{{.Count}} of {{.Total}} feeds could not be refreshed; the others were",
			map[string]any{"Count": len(rep.Failed), "Total": len(rep.Failed) + len(rep.Refreshed)})
	}
	return nil
}

// itemJSON is an item as `feeds items --json` prints it: times in the user's zone.
type itemJSON struct {
	ID           string `json:"id"`
	FeedID       string `json:"feed_id"`
	Title        string `json:"title"`
	URL          string `json:"url"`
	Published    string `json:"published"`
	Summary      string `json:"summary"`
	Read         bool   `json:"read"`
	Saved        bool   `json:"saved,omitempty"`
	SharedPostID string `json:"shared_post_id,omitempty"`
}

func cmdFeedsItems(e *env, args []string) error {
	fs := newFlags("feeds items")
	var q planner.ItemQuery
	fs.BoolVar(&q.Unread, "unread", false, "only items not read")
	fs.BoolVar(&q.Saved, "saved", false, "only saved items")
	fs.StringVar(&q.FeedID, "feed", "", "only this feed's items")
	fs.StringVar(&q.Folder, "folder", "", "only items of feeds in this folder")
	fs.StringVar(&q.Text, "search", "", "only items whose title or summary holds this")
	fs.IntVar(&q.Limit, "limit", 0, "at most this many, newest first")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if q.Limit < 0 {
		return usagef("error.limit", "--limit is a number of items, 0 for all")
	}
	items, err := e.store.Items(e.ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]itemJSON, 0, len(items))
		for _, it := range items {
			out = append(out, itemJSON{ID: it.ID, FeedID: it.FeedID, Title: it.Title, URL: it.URL,
				Published: rfc3339(it.Published, e.loc), Summary: it.Summary, Read: it.Read, Saved: it.Saved, SharedPostID: it.SharedPostID})
		}
		return printJSON(e.stdout, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(e.stdout, tr("cli.no_items", "No items."))
		return nil
	}
	titles := map[string]string{}
	if list, err := e.store.Feeds(e.ctx); err == nil {
		for _, f := range list {
			titles[f.ID] = f.Title
		}
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", tr("cli.col.time", "TIME"), tr("cli.col.id", "ID"), tr("cli.col.feed", "FEED"), tr("cli.col.title", "TITLE"))
	for _, it := range items {
		mark := ""
		if !it.Read {
			mark = "• "
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", it.Published.In(e.loc).Format("2006-01-02 15:04"), it.ID,
			ellipsis(titles[it.FeedID], 24), mark+ellipsis(it.Title, 70))
	}
	return w.Flush()
}

func cmdFeedsShare(e *env, args []string) error {
	fs := newFlags("feeds share")
	comment := fs.String("comment", "", "your own words about it")
	at := fs.String("at", "", "date and time, 2026-12-01T09:00; without it the draft is undated")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("error.item_id", "give the ID of one item; 'kaiku feeds items' shows them")
	}
	if strings.TrimSpace(*comment) == "" {
		return usagef("error.comment_required", "--comment is required: say in your own words why it matters")
	}
	var when time.Time
	var note *planner.TimeNote
	if *at != "" {
		if when, note, err = parseDateTime(*at, e.loc); err != nil {
			return err
		}
	}
	p, err := readingList(e).Share(e.ctx, pos[0], *comment, when)
	if err != nil {
		if errors.Is(err, planner.ErrNotFound) {
			return userErrorf(err, "error.no_item", "there is no item {{.ID}}; 'kaiku feeds items' shows them", map[string]any{"ID": pos[0]})
		}
		return err
	}
	fmt.Fprintln(e.stdout, p.ID)
	tellTime(e, note)
	return nil
}

func cmdFeedsImportOPML(e *env, args []string) error {
	fs := newFlags("feeds import-opml")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("error.opml_file", "give the OPML file to import: kaiku feeds import-opml FILE")
	}
	var r io.Reader = e.stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": pos[0], "Err": err})
		}
		defer f.Close()
		r = f
	}
	added, existing, err := readingList(e).ImportOPML(e.ctx, r)
	if errors.Is(err, feeds.ErrNotOPML) {
		return userErrorf(err, "error.not_opml", "{{.File}} is not an OPML file of feeds", map[string]any{"File": pos[0]})
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tr("cli.opml_imported", "Imported {{.Added}} feeds; {{.Existing}} were followed already.",
		map[string]any{"Added": added, "Existing": existing}))
	return nil
}

func cmdFeedsExportOPML(e *env, args []string) error {
	fs := newFlags("feeds export-opml")
	out := fs.String("o", "-", "the file to write, - for standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := readingList(e).ExportOPML(e.ctx, &buf); err != nil {
		return err
	}
	if *out == "-" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(*out, buf.Bytes())
}
