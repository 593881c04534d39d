package ui

import (
	"context"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// workCalTimeout bounds reading work calendars: an address is fetched over
// the network, and a refresh reads every calendar one after another.
const workCalTimeout = 2 * time.Minute

// workCalSection is Settings → Work calendars: the calendars whose busy
// time the week shades, when each was last read or why it could not be,
// and adding, removing and reading them again.
type workCalSection struct {
	s       *SettingsScreen
	cals    WorkCalendars
	sources []planner.CalendarSource
	rows    *fyne.Container
	none    *widget.Label
	note    *widget.Label
	// actions are disabled while a calendar is being read, so that a
	// second tap does not start a second read of the same thing.
	addFile, addAddress, refresh *widget.Button
	reading                      bool
}

// workCalendarSection builds the section and loads the calendars; nothing
// when the window has no way to the work calendars.
func (s *SettingsScreen) workCalendarSection() fyne.CanvasObject {
	if s.deps.WorkCalendars == nil {
		return container.NewVBox()
	}
	o := &workCalSection{s: s, cals: s.deps.WorkCalendars}
	s.workCal = o
	title := &widget.Label{Text: lang.X("workcal.title", "Work calendars"), TextStyle: fyne.TextStyle{Bold: true}}
	about := &widget.Label{Text: lang.X("workcal.about", "The week shades the times your work calendar says you are busy, so that your posting slots stay clear of meetings. Kaiku keeps only the busy times, never the titles, attendees or places of your events."), Wrapping: fyne.TextWrapWord}
	o.none = &widget.Label{Text: lang.X("workcal.none", "No work calendars yet. Add an .ics file, or the address of a published calendar: Outlook's \"publish calendar\" link or Google's secret address in iCal format."), Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	o.rows = container.NewVBox()
	o.note = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	o.note.Hide()
	o.addFile = &widget.Button{Text: lang.X("workcal.add_file", "Add a file…"), Icon: theme.FolderOpenIcon(), OnTapped: o.askFile}
	o.addAddress = &widget.Button{Text: lang.X("workcal.add_address", "Add an address…"), Icon: theme.DownloadIcon(), OnTapped: o.askAddress}
	o.refresh = &widget.Button{Text: lang.X("workcal.refresh", "Refresh now"), Icon: theme.ViewRefreshIcon(), OnTapped: o.RefreshNow}
	o.refresh.Disable()
	o.load()
	return container.NewVBox(widget.NewSeparator(), title, about, o.none, o.rows,
		container.NewHBox(o.addFile, o.addAddress, o.refresh), o.note)
}

// load reads the list of calendars off the UI goroutine and shows it.
func (o *workCalSection) load() {
	d := o.s.deps
	d.background(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		list, err := o.cals.Sources(ctx)
		d.do(func() {
			if err != nil {
				d.Log.WithError(err).Warn("load the work calendars")
				o.say(errorText(err))
				return
			}
			o.show(list)
		})
	})
}

// show lists the calendars.
func (o *workCalSection) show(list []planner.CalendarSource) {
	o.sources = list
	rows := make([]fyne.CanvasObject, 0, len(list))
	for _, src := range list {
		rows = append(rows, o.row(src))
	}
	o.rows.Objects = rows
	o.rows.Refresh()
	if len(list) == 0 {
		o.none.Show()
	} else {
		o.none.Hide()
	}
	o.enable()
}

// row is one calendar: where it is read from, its state, and Remove.
func (o *workCalSection) row(src planner.CalendarSource) fyne.CanvasObject {
	icon := theme.FileIcon()
	if src.Kind == planner.CalendarURL {
		icon = theme.DownloadIcon()
	}
	name := &widget.Label{Text: src.Label(), Truncation: fyne.TextTruncateEllipsis}
	state := &widget.Label{Text: o.state(src), Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	if src.LastError != "" {
		state.Importance = widget.DangerImportance
	}
	remove := &widget.Button{Text: lang.X("workcal.remove", "Remove"), Icon: theme.DeleteIcon(), OnTapped: func() { o.askRemove(src) }}
	return container.NewBorder(nil, nil, widget.NewIcon(icon), container.NewVBox(remove),
		container.NewVBox(name, state))
}

// state says when the calendar was last read and, if the last reading
// failed, why (in the words it was saved with).
func (o *workCalSection) state(src planner.CalendarSource) string {
	var read string
	if !src.Refreshed.IsZero() {
		t := src.Refreshed.In(o.s.userZone.loc)
		read = lang.X("workcal.read_at", "Read {{.Day}} {{.Time}}", map[string]any{"Day": dayLabel(t, o.s.deps.Lang), "Time": clock(t)})
	}
	switch {
	case src.LastError != "" && read != "":
		return lang.X("workcal.failed_before", "{{.Err}} The busy time read earlier stays. {{.Read}}.", map[string]any{"Err": sentence(src.LastError), "Read": read})
	case src.LastError != "":
		return sentence(src.LastError)
	case read == "":
		return lang.X("workcal.not_read", "Not read yet")
	case src.Skipped > 0:
		return read + " · " + lang.X("workcal.skipped", "{{.N}} events could not be understood; the others count.", map[string]any{"N": src.Skipped})
	}
	return read
}

// sentence makes a message as the command line words it ("cannot fetch
// …") a sentence of its own: a capital first, a full stop last.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if last, _ := utf8.DecodeLastRuneInString(s); !strings.ContainsRune(".!?…", last) {
		s += "."
	}
	return s
}

func (o *workCalSection) say(msg string) {
	o.note.SetText(msg)
	o.note.Show()
}

// busy disables the actions while a calendar is read and says so.
func (o *workCalSection) busy(msg string) {
	o.reading = true
	o.say(msg)
	o.enable()
}

func (o *workCalSection) idle() {
	o.reading = false
	o.enable()
}

func (o *workCalSection) enable() {
	for _, b := range []*widget.Button{o.addFile, o.addAddress, o.refresh} {
		if o.reading || (b == o.refresh && len(o.sources) == 0) {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (o *workCalSection) askFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(o.s.win, o.s.deps.Log, "choose calendar file", err)
			return
		}
		if rc == nil {
			return
		}
		// The calendar is read again from its path at each refresh, so only
		// the path is handed on.
		u := rc.URI()
		rc.Close()
		if u.Scheme() != "file" {
			showInfo(lang.X("workcal.not_added", "Calendar not added"), lang.X("workcal.not_local", "Choose a calendar file on this computer."), o.s.win)
			return
		}
		o.Add(u.Path())
	}, o.s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".ics", ".ical"}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

func (o *workCalSection) askAddress() {
	askAddress(o.s.win, addressQuestion{
		title:       lang.X("workcal.add_address.title", "Add a work calendar"),
		confirm:     lang.X("workcal.add", "Add"),
		label:       lang.X("workcal.address", "Address"),
		hint:        lang.X("workcal.address.hint", "Outlook's published calendar link or Google's secret address in iCal format; webcal:// works too."),
		placeholder: "https://…/calendar.ics",
		size:        fyne.NewSize(560, 220),
	}, o.AddAddress)
}

// AddAddress adds the calendar published at a web address.
func (o *workCalSection) AddAddress(address string) {
	address = strings.TrimSpace(address)
	if !calendarAddress(address) {
		showInfo(lang.X("workcal.add_address.title", "Add a work calendar"),
			lang.X("workcal.bad_address", "Give the calendar's web address, starting with https:// or webcal://."), o.s.win)
		return
	}
	o.Add(address)
}

// calendarAddress reports whether s is a web address a calendar can be
// read from; calendar apps hand out webcal:// for https://.
func calendarAddress(s string) bool {
	return planner.WebAddress(fromWebcal(s))
}

// fromWebcal turns webcal:// into the https:// it stands for.
func fromWebcal(s string) string {
	const webcal = "webcal://"
	if len(s) > len(webcal) && strings.EqualFold(s[:len(webcal)], webcal) {
		return "https://" + s[len(webcal):]
	}
	return s
}

// Add reads the calendar at address (a file's full path or a web address)
// and keeps its busy time. Reading an address may take long, so it runs
// beside the write lane rather than in it: saving a post does not wait for
// a slow calendar server. A calendar that cannot be read is not kept, and
// the user is told why.
func (o *workCalSection) Add(address string) {
	d := o.s.deps
	if src, ok := o.listed(address); ok {
		showInfo(lang.X("workcal.not_added", "Calendar not added"),
			lang.X("workcal.exists", "{{.Calendar}} is in the list already.", map[string]any{"Calendar": src.Label()}), o.s.win)
		return
	}
	o.busy(lang.X("workcal.reading", "Reading {{.Calendar}}…", map[string]any{"Calendar": calendarName(address)}))
	d.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), workCalTimeout)
		defer cancel()
		src, err := o.cals.Add(ctx, address)
		var list []planner.CalendarSource
		var lerr error
		if err == nil {
			list, lerr = o.cals.Sources(ctx)
		}
		d.do(func() {
			o.idle()
			if err != nil {
				o.refused(lang.X("workcal.not_added", "Calendar not added"), "add work calendar", err)
				return
			}
			if lerr != nil {
				d.Log.WithError(lerr).Warn("load the work calendars")
				list = append(append([]planner.CalendarSource{}, o.sources...), src)
			}
			o.show(list)
			msg := lang.X("workcal.added", "Added {{.Calendar}}: its busy time shows in the week.", map[string]any{"Calendar": src.Label()})
			if src.Skipped > 0 {
				msg += " " + lang.X("workcal.skipped", "{{.N}} events could not be understood; the others count.", map[string]any{"N": src.Skipped})
			}
			o.say(msg)
			o.s.changed.emit()
		})
	})
}

// listed finds the calendar at address among those listed. The command
// line's own check stays behind it, for a list that is not yet up to date.
func (o *workCalSection) listed(address string) (planner.CalendarSource, bool) {
	address = fromWebcal(address)
	for _, src := range o.sources {
		if src.Address == address {
			return src, true
		}
	}
	return planner.CalendarSource{}, false
}

// calendarName is how a calendar about to be added is named: an address
// without its secrets, or a file's name.
func calendarName(address string) string {
	if calendarAddress(address) {
		return planner.CalendarSource{Kind: planner.CalendarURL, Address: address}.Label()
	}
	return filepath.Base(address)
}

// RefreshNow reads every calendar again. One that cannot be read keeps its
// earlier busy time, and its row says why.
func (o *workCalSection) RefreshNow() {
	d := o.s.deps
	o.busy(lang.X("workcal.refreshing", "Reading the work calendars…"))
	d.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), workCalTimeout)
		defer cancel()
		err := o.cals.Refresh(ctx)
		list, lerr := o.cals.Sources(ctx)
		d.do(func() {
			o.idle()
			if lerr == nil {
				o.show(list)
			}
			if err == nil {
				err = lerr
			}
			if err != nil {
				o.note.Hide()
				o.refused(lang.X("workcal.not_refreshed", "Calendars not read"), "refresh work calendars", err)
				o.s.changed.emit()
				return
			}
			failed := 0
			for _, src := range list {
				if src.LastError != "" {
					failed++
				}
			}
			if failed > 0 {
				o.say(lang.X("workcal.refresh_failed", "{{.N}} of {{.Total}} calendars could not be read; they keep their earlier busy time.", map[string]any{"N": failed, "Total": len(list)}))
			} else {
				o.say(lang.X("workcal.refreshed", "Work calendars read at {{.Time}}.", map[string]any{"Time": clock(d.now().In(o.s.userZone.loc))}))
			}
			o.s.changed.emit()
		})
	})
}

func (o *workCalSection) askRemove(src planner.CalendarSource) {
	c := dialog.NewConfirm(lang.X("workcal.remove.title", "Remove the work calendar?"),
		lang.X("workcal.remove.body", "Kaiku forgets {{.Calendar}} and its busy time. The calendar itself does not change.", map[string]any{"Calendar": src.Label()}),
		func(ok bool) {
			if ok {
				o.Remove(src.ID)
			}
		}, o.s.win)
	c.SetConfirmText(lang.X("workcal.remove", "Remove"))
	c.SetDismissText(lang.X("dialog.cancel", "Cancel"))
	showDialog(o.s.win, c, nil)
}

// Remove forgets a calendar and its busy time, in the write lane.
func (o *workCalSection) Remove(id string) {
	d := o.s.deps
	d.write(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		err := o.cals.Remove(ctx, id)
		var list []planner.CalendarSource
		var lerr error
		if err == nil {
			list, lerr = o.cals.Sources(ctx)
		}
		d.do(func() {
			if err != nil {
				showError(o.s.win, d.Log, "remove work calendar", err)
				return
			}
			if lerr != nil {
				d.Log.WithError(lerr).Warn("load the work calendars")
				list = nil
				for _, src := range o.sources {
					if src.ID != id {
						list = append(list, src)
					}
				}
			}
			o.show(list)
			o.say(lang.X("workcal.removed", "Calendar removed; its busy time is gone from the week."))
			o.s.changed.emit()
		})
	})
}

// refused tells why a calendar was not added or read: the reason in the
// user's words when Kaiku knows it, else a general message, the details
// to the log.
func (o *workCalSection) refused(title, what string, err error) {
	o.note.Hide()
	msg, ok := planner.Explain(err, lang.X)
	if !ok {
		showError(o.s.win, o.s.deps.Log, what, err)
		return
	}
	o.s.deps.Log.WithError(err).WithField("action", what).Info("work calendar refused")
	showInfo(title, sentence(msg), o.s.win)
}

// RefreshWorkCalendars reads the work calendars again at once and then at
// each interval until ctx ends, while the window is open or Kaiku runs in
// the tray; the week and the settings then show what was read. Run it on a
// goroutine of its own.
func (w *Window) RefreshWorkCalendars(ctx context.Context, every time.Duration) {
	cals := w.deps.WorkCalendars
	if cals == nil {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		// A failing calendar keeps its reason on its source, which the
		// settings list; only a refresh that failed as a whole is logged.
		if err := cals.Refresh(ctx); err != nil && ctx.Err() == nil {
			w.deps.Log.WithError(err).Warn("refresh the work calendars")
		}
		if ctx.Err() == nil {
			w.deps.do(w.workCalendarsRead)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// workCalendarsRead shows the busy time and the calendars' state anew.
func (w *Window) workCalendarsRead() {
	if w.settings != nil && w.settings.workCal != nil {
		w.settings.workCal.load()
	}
	w.changed.emit()
}
