package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// prefFeedRefresh is how many minutes pass between the reading list's
// refreshes while Kaiku runs; 0 is never. It belongs to this computer, like
// the tray's settings: two computers on one backup need not both poll.
const prefFeedRefresh = "reading.refresh_minutes"

// defaultFeedRefresh is the interval until the user picks another.
const defaultFeedRefresh = 30

// feedRefreshChoices are the intervals offered, in minutes; 0 is off.
var feedRefreshChoices = []int{15, 30, 60, 120, 240, 0}

// feedRefreshEvery is the interval the preferences give; 0 is off.
func feedRefreshEvery(p fyne.Preferences) time.Duration {
	m := p.IntWithFallback(prefFeedRefresh, defaultFeedRefresh)
	if m <= 0 {
		return 0
	}
	return time.Duration(m) * time.Minute
}

// RefreshFeeds refreshes the reading list's feeds until ctx ends, while
// the window is open or Kaiku runs in the tray: at once, then at the
// interval of the setting, the screens reloading after each refresh. A
// change of the setting takes effect at once. Run it on a goroutine of its own.
func (w *Window) RefreshFeeds(ctx context.Context) {
	if w.deps.Reading == nil {
		return
	}
	prefs := fyne.CurrentApp().Preferences()
	changes := make(chan struct{}, 1)
	prefs.AddChangeListener(func() {
		select {
		case changes <- struct{}{}:
		default:
		}
	})
	runFeedRefresh(ctx, w.deps.Reading, func() time.Duration { return feedRefreshEvery(prefs) }, changes, func(error) {
		// A refresh that failed as a whole is in the log; the feeds that
		// failed show their errors on the reading list.
		w.deps.do(w.changed.emit)
	})
}

// runFeedRefresh runs the list's refresh at the interval every gives,
// asking it again at each change, until ctx ends.
func runFeedRefresh(ctx context.Context, list ReadingList, every func() time.Duration, changes <-chan struct{}, done func(error)) {
	interval := every()
	for {
		run, stop := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func(interval time.Duration) {
			defer close(stopped)
			if interval > 0 {
				list.RefreshAllEvery(run, interval, done)
			}
		}(interval)
		for changed := false; !changed; {
			select {
			case <-ctx.Done():
				stop()
				<-stopped
				return
			case <-changes:
				if next := every(); next != interval {
					interval, changed = next, true
				}
			}
		}
		stop()
		<-stopped
	}
}

// readingSection is the reading list's part of the settings: how often the
// feeds are refreshed. It applies at once.
func (s *SettingsScreen) readingSection() fyne.CanvasObject {
	labels := make([]string, len(feedRefreshChoices))
	for i, m := range feedRefreshChoices {
		switch {
		case m == 0:
			labels[i] = lang.X("settings.feed_refresh.off", "Never (refresh by hand)")
		case m%60 == 0:
			labels[i] = lang.X("settings.feed_refresh.hours", "Every {{.N}} h", map[string]any{"N": m / 60})
		default:
			labels[i] = lang.X("settings.feed_refresh.minutes", "Every {{.N}} minutes", map[string]any{"N": m})
		}
	}
	prefs := fyne.CurrentApp().Preferences()
	choice := widget.NewSelect(labels, nil)
	current := prefs.IntWithFallback(prefFeedRefresh, defaultFeedRefresh)
	for i, m := range feedRefreshChoices {
		if m == current || (m == 0 && current < 0) {
			choice.SetSelectedIndex(i)
		}
	}
	choice.OnChanged = func(string) {
		if i := choice.SelectedIndex(); i >= 0 {
			prefs.SetInt(prefFeedRefresh, feedRefreshChoices[i])
		}
	}
	s.feedRefresh = choice
	title := &widget.Label{Text: lang.X("settings.reading", "Reading list"), TextStyle: fyne.TextStyle{Bold: true}}
	form := widget.NewForm(widget.NewFormItem(lang.X("settings.feed_refresh", "Refresh the feeds"), choice))
	return container.NewVBox(title, form)
}
