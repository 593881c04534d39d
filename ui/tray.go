package ui

import (
	"context"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// Preference keys of the tray, kept per user and computer like the window's size.
const (
	// prefKeepInTray: closing the window keeps Kaiku in the tray while posts
	// are scheduled (the default), or quits.
	prefKeepInTray = "tray.keep_running"
	// prefTrayNoticeSeen: the user has been told once that Kaiku keeps running.
	prefTrayNoticeSeen = "tray.notice_seen"
)

// tray is Kaiku's menu in the system tray, and what it knows of the next
// scheduled post. Posts go out only while Kaiku runs, so with the window
// closed the tray is how the user reaches it.
type tray struct {
	w    *Window
	menu *fyne.Menu
	next *fyne.MenuItem
	// nextPost is the first scheduled post, loaded off the UI goroutine
	// whenever the data changes; nil when none is scheduled.
	nextPost *planner.Post
	// cancel stops a publishing run the tray started, when Kaiku quits.
	ctx    context.Context
	cancel context.CancelFunc
}

func newTray(w *Window) *tray {
	t := &tray{w: w}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	t.next = &fyne.MenuItem{Disabled: true, Action: t.openNext}
	publish := &fyne.MenuItem{Action: t.publishDue, Disabled: w.deps.Outbox == nil}
	quit := &fyne.MenuItem{IsQuit: true, Action: w.quitFromTray}
	t.menu = fyne.NewMenu("",
		&fyne.MenuItem{Action: w.Bring},
		&fyne.MenuItem{Action: func() {
			w.Bring()
			w.newPost()
		}},
		fyne.NewMenuItemSeparator(),
		t.next,
		publish,
		fyne.NewMenuItemSeparator(),
		quit,
	)
	t.relabel()
	w.changed.listen(t.reload)
	t.reload()
	return t
}

// relabel names the menu's items in the app's language, now.
func (t *tray) relabel() {
	m := t.menu
	m.Label = lang.X("app.title", "Kaiku")
	m.Items[0].Label = lang.X("tray.open", "Open Kaiku")
	m.Items[1].Label = lang.X("tray.write", "Write a post")
	m.Items[4].Label = lang.X("tray.publish_due", "Publish due posts now")
	m.Items[6].Label = lang.X("tray.quit", "Quit Kaiku")
	t.show(t.nextPost)
}

// reload finds the next scheduled post and shows it in the menu.
func (t *tray) reload() {
	d := t.w.deps
	d.background(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		posts, err := d.Store.PostsWithStatus(ctx, planner.StatusScheduled)
		if err != nil {
			d.Log.WithError(err).Warn("find the next scheduled post")
			return
		}
		var next *planner.Post
		if len(posts) > 0 {
			next = &posts[0]
		}
		d.do(func() { t.show(next) })
	})
}

func (t *tray) show(next *planner.Post) {
	t.nextPost = next
	if next == nil {
		t.next.Label, t.next.Disabled = lang.X("tray.next_none", "No posts scheduled"), true
	} else {
		t.next.Label, t.next.Disabled = nextLabel(*next, t.w.zone.now(t.w.deps), t.w.deps.Lang), false
	}
	t.menu.Refresh()
}

// nextLabel says when and where the post goes out: "Next: Thu 09:00 on X".
func nextLabel(p planner.Post, now time.Time, language string) string {
	at := p.Time.In(now.Location())
	when := weekdayShort(at.Weekday()) + " " + clock(at)
	if days := at.Sub(now).Hours() / 24; days >= 6 || days < -1 {
		when = dayLabel(at, language) + " " + clock(at)
	}
	var names []string
	seen := map[planner.Network]bool{}
	for _, tg := range p.Targets {
		if !seen[tg.Network] {
			seen[tg.Network] = true
			names = append(names, tg.Network.DisplayName())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return lang.X("tray.next_by_hand", "Next: {{.When}}, to post by hand", map[string]any{"When": when})
	}
	return lang.X("tray.next", "Next: {{.When}} on {{.Networks}}", map[string]any{"When": when, "Networks": strings.Join(names, ", ")})
}

// openNext opens the next scheduled post in the composer.
func (t *tray) openNext() {
	if t.nextPost == nil {
		return
	}
	t.w.Bring()
	t.w.openPost(*t.nextPost)
}

// publishDue publishes what is due now, as `kaiku publish-due` does, and
// says what came of it: the window may be closed, so in a notification.
func (t *tray) publishDue() {
	d := t.w.deps
	if d.Outbox == nil {
		return
	}
	d.background(func() {
		sum, err := d.Outbox.RunDue(t.ctx)
		d.do(func() {
			title := lang.X("tray.publish_title", "Publish due posts")
			var body string
			switch {
			case err != nil:
				d.Log.WithError(err).Warn("publish due posts from the tray")
				body = errorText(err)
			case len(sum.Posts) == 0:
				body = lang.X("tray.publish_nothing", "Nothing was due.")
			default:
				body = lang.X("tray.publish_summary", "Published {{.Published}}, waiting {{.Waiting}}, needing you {{.Attention}}, to post by hand {{.Manual}}.",
					map[string]any{"Published": sum.Published, "Waiting": sum.Waiting, "Attention": sum.NeedsAttention + sum.Failed, "Manual": sum.Manual})
			}
			fyne.CurrentApp().SendNotification(fyne.NewNotification(title, body))
		})
	})
}

// TrayMenu is the menu for the system tray, kept current as posts change;
// nil when the desktop can have no tray (Deps.TrayHost is nil).
func (w *Window) TrayMenu() *fyne.Menu {
	if w.tray == nil {
		return nil
	}
	return w.tray.menu
}

// Bring shows the window and brings it to the front: from the tray, or
// when Kaiku is started again while it runs.
func (w *Window) Bring() {
	w.inTray = false
	w.Show()
	w.RequestFocus()
}

// StartInTray starts Kaiku in the tray without showing the window, as the
// start at login does. On a desktop that can have no tray the window shows;
// the caller shows it too if no tray host appears in time.
func (w *Window) StartInTray() {
	if w.tray == nil {
		w.Bring()
		return
	}
	w.inTray = true
}

// InTray reports whether Kaiku runs with its window closed, in the tray.
func (w *Window) InTray() bool { return w.inTray }

// TrayHostChanged hears that the desktop's tray came or went. Without a
// tray, a closed window would leave Kaiku running out of reach: it shows.
func (w *Window) TrayHostChanged(present bool) {
	if !present && w.inTray {
		w.Bring()
	}
}

// trayShown reports whether the desktop shows Kaiku's tray icon now.
func (w *Window) trayShown() bool {
	return w.tray != nil && w.deps.TrayHost != nil && w.deps.TrayHost()
}

// keepsRunning reports whether closing the window leaves Kaiku running in
// the tray: there is a tray to reach it by, the user has not turned that
// off, and a post is scheduled to go out.
func (w *Window) keepsRunning() bool {
	return w.trayShown() && w.tray.nextPost != nil &&
		fyne.CurrentApp().Preferences().BoolWithFallback(prefKeepInTray, true)
}

// toTray hides the window and keeps Kaiku running in the tray. The first
// time, it says so and how to quit, and lets the user quit instead.
func (w *Window) toTray() {
	prefs := fyne.CurrentApp().Preferences()
	if prefs.Bool(prefTrayNoticeSeen) {
		w.inTray = true
		w.Hide()
		return
	}
	body := &widget.Label{Text: lang.X("tray.notice", "Kaiku keeps running in the system tray, so that your scheduled posts go out on time. Open it again from its icon in the tray. To quit, choose Quit Kaiku in the tray's menu. Settings can make closing the window quit Kaiku."), Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm(lang.X("tray.notice_title", "Kaiku keeps running"), lang.X("tray.notice_keep", "Keep running"), lang.X("tray.notice_quit", "Quit now"),
		container.NewVBox(body), func(keep bool) {
			prefs.SetBool(prefTrayNoticeSeen, true)
			if !keep {
				w.exit()
				return
			}
			w.inTray = true
			w.Hide()
		}, w)
	d.Resize(fyne.NewSize(520, 260))
	d.Show()
}

// quitFromTray quits Kaiku, saving the composer's text as closing the
// window does; when the text cannot be saved, the window shows why instead.
func (w *Window) quitFromTray() {
	if w.composer != nil && w.composer.Dirty() {
		w.composer.SaveThen(func(saved bool) {
			if !saved {
				w.Bring()
				return
			}
			w.quitSaved()
		})
		return
	}
	w.quitSaved()
}

func (w *Window) quitSaved() {
	if !w.inTray {
		w.saveSize()
	}
	w.exit()
}
