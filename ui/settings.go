package ui

import (
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// SettingsScreen edits the user's settings.
type SettingsScreen struct {
	widget.BaseWidget

	deps     *Deps
	win      fyne.Window
	changed  *signal
	userZone *zone // the window's zone, which a saved time zone changes
	current  planner.Settings

	language *widget.Select
	theme    *widget.Select
	zone     *widget.SelectEntry
	// workStart and workEnd are the working day the week shades.
	workStart, workEnd *widget.Entry
	slotReminders      *widget.Check
	reminder           *widget.Entry
	late               *widget.RadioGroup
	note               *widget.Label
	progress           *widget.ProgressBar // the bar of the data tool that runs or ran last

	// feedRefresh and org are the reading list's and the organization
	// kit's sections (readingrefresh.go, orgkit.go).
	feedRefresh *widget.Select
	org         *orgSection
	workCal     *workCalSection // workcal.go

	// keepInTray and atLogin are the desktop settings, kept on this
	// computer rather than with the data (see desktop.go); nil where the
	// desktop cannot have them.
	keepInTray *widget.Check
	atLogin    *widget.Check
	// loginOn is whether Kaiku starts at login, as last read or set.
	loginOn bool

	// OnLanguage is called with the language in use after a saved
	// language changed it; the window then shows itself in it.
	OnLanguage func(language string)
}

var languageCodes = []string{"", "fi", "en"}

var latePolicies = []planner.LatePolicy{planner.LatePublish, planner.LateAsk, planner.LateSkip}

// NewSettingsScreen loads the settings from the store.
func NewSettingsScreen(d *Deps, win fyne.Window, changed *signal, z *zone) *SettingsScreen {
	s := &SettingsScreen{deps: d, win: win, changed: changed, userZone: z}
	s.language = widget.NewSelect([]string{
		lang.X("settings.language.system", "As the system"), "Suomi", "English",
	}, nil)
	s.theme = widget.NewSelect([]string{
		lang.X("settings.theme.system", "As the system"), lang.X("settings.theme.light", "Light"), lang.X("settings.theme.dark", "Dark"),
	}, nil)
	s.zone = widget.NewSelectEntry(commonZones)
	s.workStart = &widget.Entry{PlaceHolder: "08:00"}
	s.workEnd = &widget.Entry{PlaceHolder: "16:00"}
	s.slotReminders = &widget.Check{Text: lang.X("settings.slot_reminders", "Notify me on this computer when a slot begins")}
	s.reminder = &widget.Entry{}
	s.late = widget.NewRadioGroup([]string{
		lang.X("settings.late.publish", "Publish them late"),
		lang.X("settings.late.ask", "Ask me first"),
		lang.X("settings.late.skip", "Skip them and mark them"),
	}, nil)
	s.note = &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	s.newDesktopChecks()
	s.ExtendBaseWidget(s)
	s.load()
	return s
}

// commonZones are offered in the time-zone picker; any IANA name can be typed.
var commonZones = []string{"Europe/Helsinki", "Europe/Stockholm", "Europe/Tallinn", "Europe/Berlin", "Europe/London", "UTC", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"}

func (s *SettingsScreen) CreateRenderer() fyne.WidgetRenderer {
	folder := &widget.Label{Text: s.deps.DataDir, Truncation: fyne.TextTruncateEllipsis}
	open := &widget.Button{Text: lang.X("settings.open_folder", "Open"), OnTapped: s.openFolder}
	form := widget.NewForm(
		widget.NewFormItem(lang.X("settings.language", "Language"), s.language),
		widget.NewFormItem(lang.X("settings.theme", "Appearance"), s.theme),
		widget.NewFormItem(lang.X("settings.timezone", "Time zone"), s.zone),
		widget.NewFormItem(lang.X("settings.work_hours", "Working day, Monday to Friday"), container.NewHBox(timeBox(s.workStart), &widget.Label{Text: "–"}, timeBox(s.workEnd))),
		widget.NewFormItem(lang.X("settings.reminder", "Reminder, minutes before a slot"), s.reminder),
		widget.NewFormItem("", s.slotReminders),
		widget.NewFormItem(lang.X("settings.late", "Posts that fell due while Kaiku was closed"), s.late),
		widget.NewFormItem(lang.X("settings.data_folder", "Data folder"), container.NewBorder(nil, nil, nil, open, folder)),
	)
	s.addDesktopItems(form)
	save := &widget.Button{Text: lang.X("settings.save", "Save settings"), Importance: widget.HighImportance, OnTapped: s.Save}
	data := &widget.Label{Text: lang.X("settings.data_tools", "Your data"), TextStyle: fyne.TextStyle{Bold: true}}
	about := &widget.Button{Text: lang.X("settings.about", "About Kaiku"), OnTapped: s.showAbout}
	return widget.NewSimpleRenderer(container.NewVScroll(container.NewVBox(form, container.NewHBox(save), widget.NewSeparator(), data, s.archiveButtons(), s.note,
		widget.NewSeparator(), s.readingSection(), widget.NewSeparator(), s.orgKitSection(), s.workCalendarSection(),
		widget.NewSeparator(), container.NewHBox(about))))
}

// load reads the settings off the UI goroutine and shows them.
func (s *SettingsScreen) load() {
	s.loadDesktop()
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		st, err := s.deps.Store.Settings(ctx)
		if err != nil {
			s.deps.Log.WithError(err).Warn("load settings")
			st = planner.DefaultSettings()
		}
		s.deps.do(func() { s.show(st) })
	})
}

// show fills the form with st.
func (s *SettingsScreen) show(st planner.Settings) {
	s.current = st
	for i, c := range languageCodes {
		if c == st.Language {
			s.language.SetSelectedIndex(i)
		}
	}
	zone := st.TimeZone
	if zone == "" {
		zone = s.userZone.loc.String()
	}
	s.zone.SetText(zone)
	s.reminder.SetText(strconv.Itoa(st.ReminderMinutes))
	start, end := st.WorkHours()
	s.workStart.SetText(start.String())
	s.workEnd.SetText(end.String())
	s.slotReminders.SetChecked(!st.NoSlotReminders)
	for i, a := range appearances {
		if a == savedAppearance(fyne.CurrentApp()) {
			s.theme.SetSelectedIndex(i)
		}
	}
	for i, p := range latePolicies {
		if p == st.Late {
			s.late.SetSelected(s.late.Options[i])
		}
	}
}

// Save checks the settings, stores them, then applies them.
func (s *SettingsScreen) Save() {
	st := s.current
	if i := s.language.SelectedIndex(); i >= 0 {
		st.Language = languageCodes[i]
	}
	st.TimeZone = strings.TrimSpace(s.zone.Text)
	if st.TimeZone == "Local" {
		st.TimeZone = ""
	}
	m, err := strconv.Atoi(strings.TrimSpace(s.reminder.Text))
	if err != nil {
		m = -1 // Validate explains the range
	}
	st.ReminderMinutes = m
	st.NoSlotReminders = !s.slotReminders.Checked
	for _, f := range []struct {
		entry *widget.Entry
		to    *planner.ClockTime
	}{{s.workStart, &st.WorkStart}, {s.workEnd, &st.WorkEnd}} {
		c, err := planner.ParseClock(strings.TrimSpace(f.entry.Text))
		if err != nil {
			showError(s.win, s.deps.Log, "save settings", err)
			return
		}
		*f.to = c
	}
	for i, o := range s.late.Options {
		if o == s.late.Selected {
			st.Late = latePolicies[i]
		}
	}
	if err := st.Validate(); err != nil {
		showError(s.win, s.deps.Log, "save settings", err)
		return
	}
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		err := s.deps.Store.SaveSettings(ctx, st)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "save settings", err)
				return
			}
			s.saved(st)
		})
	})
}

// saved applies settings now on disk: the desktop's, the time zone, and a
// note of what needs a new start.
func (s *SettingsScreen) saved(st planner.Settings) {
	langChanged := st.Language != s.current.Language
	s.current = st
	s.saveDesktop()
	if i := s.theme.SelectedIndex(); i >= 0 && appearances[i] != savedAppearance(fyne.CurrentApp()) {
		applyAppearance(fyne.CurrentApp(), appearances[i])
	}
	if st.TimeZone != "" {
		s.userZone.set(st.Location(s.userZone.loc))
	}
	s.note.SetText(lang.X("settings.saved", "Settings saved."))
	s.changed.emit()
	if !langChanged {
		return
	}
	if s.deps.SetLanguage == nil {
		s.note.SetText(lang.X("settings.saved_restart", "Settings saved. The new language is used from the next start."))
		return
	}
	if now := s.deps.SetLanguage(st.Language); now != s.deps.Lang && s.OnLanguage != nil {
		s.OnLanguage(now)
	}
}

func (s *SettingsScreen) openFolder() {
	u := &url.URL{Scheme: "file", Path: s.deps.DataDir}
	openInBrowser(s.win, s.deps.Log, u)
}

// timeBox gives a time-of-day entry room for "23:59" and its cursor: an
// entry in a row is only as wide as its placeholder otherwise.
func timeBox(e *widget.Entry) fyne.CanvasObject {
	w := fyne.MeasureText("00:00", theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.InnerPadding()
	return container.NewGridWrap(fyne.NewSize(w, e.MinSize().Height), e)
}
