package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestSavedLanguageRebuildsTheWindowAtOnce(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	var asked []string
	d.SetLanguage = func(code string) string {
		asked = append(asked, code)
		return code
	}
	w := NewWindow(a, d)
	defer w.Close()
	oldWeek := w.Week
	w.nav.SelectIndex(screenSettings)
	s := w.Settings()
	s.language.SetSelectedIndex(1) // Suomi
	s.Save()

	if strings.Join(asked, ",") != "fi" {
		t.Fatalf("the app was asked for languages %q, want fi", asked)
	}
	if w.deps.Lang != "fi" || w.Week == oldWeek {
		t.Fatalf("after the change: language %q, week made anew %v", w.deps.Lang, w.Week != oldWeek)
	}
	if got := w.Week.view.lang; got != "fi" {
		t.Errorf("the new week lays its days out in %q", got)
	}
	if w.nav.SelectedIndex() != screenSettings {
		t.Errorf("the window shows screen %d, want the settings still", w.nav.SelectedIndex())
	}
	// The old week no longer hears of changes: only the new one reloads.
	w.changed.emit()
	if w.Settings() == s {
		t.Error("the settings screen was not made anew")
	}
	// The same language again makes nothing anew.
	week := w.Week
	w.Settings().language.SetSelectedIndex(1)
	w.Settings().Save()
	if w.Week != week {
		t.Error("saving the same language rebuilt the window")
	}
}

func TestSavedTimeZoneNamesItselfInTheWeekAtOnce(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	if got := w.Week.zoneLn.Text; got != "Europe/Helsinki, UTC+2" {
		t.Fatalf("header names the zone %q", got)
	}
	s := w.Settings()
	s.zone.SetText("Asia/Tokyo")
	s.Save()
	if got := w.Week.zoneLn.Text; got != "Asia/Tokyo, UTC+9" {
		t.Errorf("after saving Tokyo the header says %q", got)
	}
	if w.Week.view.loc.String() != "Asia/Tokyo" {
		t.Errorf("the week is laid out in %v", w.Week.view.loc)
	}
}

func TestZoneNameCarriesTheOffsetOfTheDate(t *testing.T) {
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	ny, _ := time.LoadLocation("America/New_York")
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		loc  *time.Location
		at   time.Time
		want string
	}{
		{helsinki, now, "Europe/Helsinki, UTC+2"},
		{helsinki, summer, "Europe/Helsinki, UTC+3"},
		{kolkata, now, "Asia/Kolkata, UTC+5:30"},
		{ny, now, "America/New_York, UTC−5"},
		{time.UTC, now, "UTC"},
	} {
		if got := zoneName(c.loc, c.at); got != c.want {
			t.Errorf("zoneName(%v, %v) = %q, want %q", c.loc, c.at, got, c.want)
		}
	}
}

func TestAppearanceSettingHoldsTheThemeAndIsRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Settings()
	if s.theme.SelectedIndex() != 0 {
		t.Fatalf("a new install shows appearance %d, want as the system", s.theme.SelectedIndex())
	}
	s.theme.SetSelectedIndex(2) // dark
	s.Save()
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)
	if got := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != dark {
		t.Errorf("with Dark chosen the background is %v, want %v whatever the system's variant", got, dark)
	}
	if got := a.Preferences().String(prefTheme); got != appearanceDark {
		t.Errorf("remembered appearance %q", got)
	}
	// A new window on this computer starts dark.
	a.Settings().SetTheme(theme.DefaultTheme())
	w2 := NewWindow(a, d)
	defer w2.Close()
	if got := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != dark {
		t.Error("the next start forgot the dark appearance")
	}
	w2.Settings().theme.SetSelectedIndex(0)
	w2.Settings().Save()
	light := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)
	if got := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != light {
		t.Error("as the system: the theme does not follow the system's variant again")
	}
}

func TestWorkHoursAreShadedAndChecked(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	s := w.Settings()
	if s.workStart.Text != "08:00" || s.workEnd.Text != "16:00" {
		t.Fatalf("default working day %s–%s", s.workStart.Text, s.workEnd.Text)
	}
	s.workStart.SetText("17:00")
	s.workEnd.SetText("09:00")
	s.Save()
	if st, _ := d.Store.Settings(context.Background()); st.WorkStart.Hour == 17 {
		t.Fatal("a working day that ends before it starts was saved")
	}
	s.workStart.SetText("09:30")
	s.workEnd.SetText("17:00")
	s.Save()
	st, _ := d.Store.Settings(context.Background())
	if st.WorkStart.Minutes() != 9*60+30 || st.WorkEnd.Minutes() != 17*60 {
		t.Fatalf("saved working day %v–%v", st.WorkStart, st.WorkEnd)
	}
	v := w.Week.view
	if v.workStart != 9*60+30 || v.workEnd != 17*60 {
		t.Fatalf("the week shades %d–%d", v.workStart, v.workEnd)
	}
	r := test.WidgetRenderer(v.body).(*weekBodyRenderer)
	r.Layout(fyne.NewSize(744, 24*hourHeight))
	var shaded []*canvas.Rectangle
	for _, o := range r.Objects() {
		if rect, ok := o.(*canvas.Rectangle); ok && rect.FillColor == workHoursColor() {
			shaded = append(shaded, rect)
		}
	}
	if len(shaded) != 5 {
		t.Fatalf("%d days shaded, want Monday to Friday", len(shaded))
	}
	if y, h := shaded[0].Position().Y, shaded[0].Size().Height; y != 9.5*hourHeight || h != 7.5*hourHeight {
		t.Errorf("Monday's shade from %v, %v high; want %v, %v", y, h, 9.5*hourHeight, 7.5*hourHeight)
	}
}
