package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

// webClient fetches calendars and organization kits as the feeds are
// fetched: Kaiku's User-Agent with its version, a time limit, at most limit
// bytes, conditional requests, and no address's secrets in its errors.
func webClient(e *env, limit int64) *fetch.Client {
	return fetch.New(fetch.Options{Version: e.about.Version, MaxBytes: limit, Logger: e.log, Now: e.now})
}

// fetchDocument GETs address, sending the validators of the copy already
// held (etag, lastModified; empty for none) so that an unchanged file costs
// one short answer (NotModified). Its errors say in the user's words what
// went wrong, naming the address without its query or secret path.
func fetchDocument(ctx context.Context, web *fetch.Client, address, etag, lastModified, accept string) (fetch.Response, error) {
	resp, err := web.Get(ctx, fetch.Request{URL: address, ETag: etag, LastModified: lastModified, Accept: accept})
	if err != nil {
		label := planner.CalendarSource{Kind: planner.CalendarURL, Address: address}.Label()
		return resp, userErrorf(err, "error.fetch", "cannot fetch {{.Address}}: {{.Err}}", map[string]any{"Address": label, "Err": fetchProblem(err)})
	}
	return resp, nil
}

// fetchProblem says what went wrong with a fetch, in a few words.
func fetchProblem(err error) string {
	var status *fetch.StatusError
	var large *fetch.TooLargeError
	var network *fetch.NetError
	var redirects *fetch.RedirectError
	var address *fetch.AddressError
	var scheme *fetch.SchemeError
	switch {
	case errors.As(err, &status):
		data := map[string]any{"Status": fmt.Sprintf("%d %s", status.Status, http.StatusText(status.Status))}
		switch status.Status {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return tr("error.fetch_gone", "the server answered {{.Status}}; the address may have expired or been unpublished", data)
		}
		return tr("error.fetch_status", "the server answered {{.Status}}", data)
	case errors.As(err, &large):
		return tr("error.fetch_too_big", "the file is larger than {{.MB}} MB", map[string]any{"MB": large.Limit >> 20})
	case errors.As(err, &network) && network.Timeout():
		return tr("error.fetch_timeout", "the server did not answer in time")
	case errors.As(err, &network):
		return network.Reason()
	case errors.As(err, &redirects):
		return tr("error.fetch_redirects", "the server redirects too many times")
	case errors.As(err, &address), errors.As(err, &scheme):
		return tr("error.fetch_address", "the address is not valid")
	}
	return err.Error()
}

// calendarAccept is the Accept header of a calendar's fetch.
const calendarAccept = "text/calendar, */*;q=0.5"

// webAddress turns webcal:// (how calendar apps hand out subscriptions) into
// https://, and reports whether the result is a web address.
func webAddress(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "webcal://"); ok {
		s = "https://" + rest
	}
	return s, planner.WebAddress(s)
}

// Busy time is read for the span from a week before this one to about
// half a year ahead, and read anew, changed or not, before fewer than
// knownAhead of it are left.
const (
	busyWeeks  = 27
	knownAhead = 20 * 7 * 24 * time.Hour
)

// calendars reads work calendars into busy time: what `kaiku calendar` does,
// and the window's hourly refresh.
type calendars struct {
	store planner.Store
	loc   *time.Location
	now   func() time.Time
	web   *fetch.Client
	log   logrus.FieldLogger
}

func newCalendars(e *env) *calendars {
	return &calendars{store: e.store, loc: e.loc, now: e.now, web: webClient(e, ical.MaxCalendarBytes), log: e.log}
}

func (c *calendars) span() (time.Time, time.Time) {
	from := planner.WeekStart(c.now(), c.loc).AddDate(0, 0, -7)
	return from, from.AddDate(0, 0, 7*busyWeeks)
}

// read brings the calendar's file and reads its busy time; NotModified when
// the server said it has not changed since the validators in src.
func (c *calendars) read(ctx context.Context, src planner.CalendarSource) (res ical.BusyResult, got fetch.Response, err error) {
	if src.Kind == planner.CalendarURL {
		etag, lm := src.ETag, src.LastModified
		if src.KnownUntil.Before(c.now().Add(knownAhead)) {
			etag, lm = "", "" // the stored span runs out: read it whole again
		}
		if got, err = fetchDocument(ctx, c.web, src.Address, etag, lm, calendarAccept); err != nil || got.NotModified {
			return res, got, err
		}
	} else {
		f, err := os.Open(src.Address)
		if err != nil {
			return res, got, userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": src.Address, "Err": err})
		}
		defer f.Close()
		if got.Body, err = io.ReadAll(io.LimitReader(f, ical.MaxCalendarBytes+1)); err != nil {
			return res, got, userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": src.Address, "Err": err})
		}
	}
	from, to := c.span()
	res, err = ical.ParseBusy(bytes.NewReader(got.Body), ical.BusyOptions{From: from, To: to, Local: c.loc})
	if err != nil {
		return res, got, calendarError(src, err)
	}
	if len(res.UnknownZones) > 0 {
		c.log.WithField("zones", res.UnknownZones).Warn("calendar names time zones Kaiku does not know; read in the user's zone")
	}
	return res, got, nil
}

// calendarError says, in the user's words, why a calendar's file cannot be read.
func calendarError(src planner.CalendarSource, err error) error {
	var ie *planner.InvalidError
	if errors.As(err, &ie) {
		return userErrorf(err, "error.calendar_read", "cannot read the calendar {{.Address}}: {{.Err}}",
			map[string]any{"Address": src.Label(), "Err": tr(ie.Key, ie.Msg)})
	}
	return err
}

// add reads a calendar for the first time and keeps it; one that cannot be
// read is not kept.
func (c *calendars) add(ctx context.Context, address string) (planner.CalendarSource, ical.BusyResult, error) {
	src := planner.CalendarSource{ID: planner.NewID(), Added: c.now()}
	if a, ok := webAddress(address); ok {
		src.Kind, src.Address = planner.CalendarURL, a
	} else {
		if strings.Contains(address, "://") {
			return src, ical.BusyResult{}, userErrorf(nil, "error.calendar_scheme", "{{.Address}} is neither a file nor an https:// address", map[string]any{"Address": address})
		}
		abs, err := filepath.Abs(address)
		if err != nil {
			return src, ical.BusyResult{}, userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": address, "Err": err})
		}
		if fi, err := os.Stat(abs); err != nil || !fi.Mode().IsRegular() {
			if err == nil {
				err = errors.New(tr("error.not_a_file", "it is not a file"))
			}
			return src, ical.BusyResult{}, userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": address, "Err": err})
		}
		src.Kind, src.Address = planner.CalendarFile, abs
	}
	existing, err := c.store.CalendarSources(ctx)
	if err != nil {
		return src, ical.BusyResult{}, err
	}
	for _, x := range existing {
		if x.Address == src.Address {
			return src, ical.BusyResult{}, userErrorf(nil, "error.calendar_exists", "that calendar is already added as {{.ID}}", map[string]any{"ID": x.ID})
		}
	}
	res, got, err := c.read(ctx, src)
	if err != nil {
		return src, res, err
	}
	src.ETag, src.LastModified, src.Refreshed, src.Skipped = got.ETag, got.LastModified, c.now(), res.Skipped
	if err := src.Validate(); err != nil {
		return src, res, err
	}
	from, to := c.span()
	if err := c.store.SaveCalendarSource(ctx, src); err != nil {
		return src, res, err
	}
	if err := c.store.SaveCalendarBusy(ctx, src, planner.BusyWindow{SourceID: src.ID, From: from, To: to, Intervals: res.Intervals}); err != nil {
		return src, res, err
	}
	return src, res, nil
}

// refreshOutcome is what one refresh did.
type refreshOutcome struct {
	src       planner.CalendarSource
	unchanged bool
	intervals int
	err       error
}

// refresh reads one calendar anew and stores its busy time; when it cannot,
// the old busy time stays and the source says why. A calendar removed
// meanwhile stays removed.
func (c *calendars) refresh(ctx context.Context, src planner.CalendarSource) refreshOutcome {
	out := refreshOutcome{src: src}
	res, got, err := c.read(ctx, src)
	if err != nil {
		out.err = err
		if errors.Is(err, context.Canceled) {
			return out
		}
		msg := userMessage(err)
		if updated, uerr := c.store.UpdateCalendarSource(ctx, src.ID, func(s *planner.CalendarSource) { s.LastError = msg }); uerr == nil {
			out.src = updated
		} else if !errors.Is(uerr, planner.ErrNotFound) {
			out.err = uerr
		}
		return out
	}
	now := c.now()
	if got.NotModified {
		out.unchanged = true
		updated, err := c.store.UpdateCalendarSource(ctx, src.ID, func(s *planner.CalendarSource) { s.Refreshed, s.LastError = now, "" })
		if err != nil && !errors.Is(err, planner.ErrNotFound) {
			out.err = err
		}
		out.src = updated
		return out
	}
	src.ETag, src.LastModified, src.Refreshed, src.LastError, src.Skipped = got.ETag, got.LastModified, now, "", res.Skipped
	from, to := c.span()
	if err := c.store.SaveCalendarBusy(ctx, src, planner.BusyWindow{SourceID: src.ID, From: from, To: to, Intervals: res.Intervals}); err != nil && !errors.Is(err, planner.ErrNotFound) {
		out.err = err
		return out
	}
	out.src, out.intervals = src, len(res.Intervals)
	return out
}

// refreshAll refreshes every calendar, one after another.
func (c *calendars) refreshAll(ctx context.Context) ([]refreshOutcome, error) {
	list, err := c.store.CalendarSources(ctx)
	if err != nil {
		return nil, err
	}
	var out []refreshOutcome
	for _, src := range list {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		out = append(out, c.refresh(ctx, src))
	}
	return out, nil
}

func cmdCalendarAdd(e *env, args []string) error {
	fs := newFlags("calendar add")
	if err := fs.Parse(args); err != nil {
		return usageError{"kaiku calendar add: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("error.calendar_arg", "give one .ics file or calendar address: kaiku calendar add FILE|URL")
	}
	src, res, err := newCalendars(e).add(e.ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, src.ID)
	if res.Skipped > 0 {
		fmt.Fprintln(e.stderr, "kaiku: "+tr("cli.calendar_skipped", "{{.N}} events of the calendar could not be read; the others count", map[string]any{"N": res.Skipped}))
	}
	return nil
}

func cmdCalendarList(e *env, args []string) error {
	fs := newFlags("calendar list")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	list, err := e.store.CalendarSources(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, tr("cli.no_calendars", "No work calendars. Add one with 'kaiku calendar add FILE|URL'."))
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", tr("cli.col.id", "ID"), tr("cli.col.refreshed", "REFRESHED"), tr("cli.col.state", "STATE"), tr("cli.col.address", "ADDRESS"))
	for _, s := range list {
		refreshed := "—"
		if !s.Refreshed.IsZero() {
			refreshed = s.Refreshed.In(e.loc).Format("2006-01-02 15:04")
		}
		state := tr("cli.calendar_ok", "ok")
		switch {
		case s.LastError != "":
			state = s.LastError
		case s.Skipped > 0:
			state = tr("cli.calendar_partly", "{{.N}} events not read", map[string]any{"N": s.Skipped})
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", s.ID, refreshed, state, s.Label())
	}
	return w.Flush()
}

func cmdCalendarRemove(e *env, args []string) error {
	fs := newFlags("calendar remove")
	if err := fs.Parse(args); err != nil {
		return usageError{"kaiku calendar remove: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("error.calendar_id", "give the ID of one calendar; 'kaiku calendar list' lists them")
	}
	id := fs.Arg(0)
	if err := e.store.DeleteCalendarSource(e.ctx, id); err != nil {
		if errors.Is(err, planner.ErrNotFound) {
			return userErrorf(err, "error.no_calendar", "there is no calendar {{.ID}}; 'kaiku calendar list' lists them", map[string]any{"ID": id})
		}
		return err
	}
	return nil
}

func cmdCalendarRefresh(e *env, args []string) error {
	fs := newFlags("calendar refresh")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	outcomes, err := newCalendars(e).refreshAll(e.ctx)
	if err != nil {
		return err
	}
	failed := 0
	for _, o := range outcomes {
		switch {
		case o.err != nil:
			failed++
			fmt.Fprintln(e.stderr, "kaiku: "+o.src.ID+": "+userMessage(o.err))
		case o.unchanged:
			fmt.Fprintln(e.stdout, tr("cli.calendar_unchanged", "{{.ID}}: unchanged", map[string]any{"ID": o.src.ID}))
		default:
			fmt.Fprintln(e.stdout, tr("cli.calendar_refreshed", "{{.ID}}: {{.N}} busy times", map[string]any{"ID": o.src.ID, "N": o.intervals}))
		}
	}
	if failed > 0 {
		return userErrorf(nil, "error.calendar_refresh", "{{.N}} of {{.Total}} calendars could not be refreshed; they keep their earlier busy time",
			map[string]any{"N": failed, "Total": len(outcomes)})
	}
	return nil
}
