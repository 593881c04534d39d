package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kaiku-app/kaiku/planner"
)

// reminderEvery is how often Kaiku looks for a slot that has begun.
const reminderEvery = 30 * time.Second

// StartSlotReminders tells, while Kaiku runs in the window or the tray, of
// each slot as it begins: a desktop notification says what the slot is
// for, and the week offers to write for it. The settings can turn them
// off. It stops when the window quits.
func (w *Window) StartSlotReminders() {
	w.remindedUntil = w.deps.now()
	var tick func()
	tick = func() {
		fyne.Do(func() {
			if w.reminderTimer == nil {
				return // stopped
			}
			w.CheckSlotReminders()
			w.reminderTimer = time.AfterFunc(reminderEvery, tick)
		})
	}
	w.reminderTimer = time.AfterFunc(reminderEvery, tick)
}

// stopSlotReminders stops them; call it on the UI goroutine.
func (w *Window) stopSlotReminders() {
	if w.reminderTimer != nil {
		w.reminderTimer.Stop()
		w.reminderTimer = nil
	}
}

// CheckSlotReminders tells of the slots that began since it last looked;
// call it on the UI goroutine.
func (w *Window) CheckSlotReminders() {
	d := w.deps
	now := d.now()
	from := w.remindedUntil
	if from.IsZero() || now.Sub(from) > time.Hour {
		// After a sleep, only what began in the last minutes is still news.
		from = now.Add(-2 * reminderEvery)
	}
	w.remindedUntil = now
	loc := w.zone.loc
	d.background(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		st, err := d.Store.Settings(ctx)
		if err != nil || st.NoSlotReminders {
			return
		}
		day := dayStart(from.In(loc))
		days, err := planner.LoadDays(ctx, d.Store, day, day.AddDate(0, 0, 2), loc)
		if err != nil {
			d.Log.WithError(err).Warn("look for slots that began")
			return
		}
		var begun []planner.Occurrence
		for _, o := range days.Occurrences {
			if o.Start.After(from) && !o.Start.After(now) {
				begun = append(begun, o)
			}
		}
		if len(begun) == 0 {
			return
		}
		// A follow or share slot is time for the reading list: say what
		// waits there unread.
		unread := 0
		if d.Reading != nil && slices.ContainsFunc(begun, readingSlot) {
			items, err := d.Reading.Items(ctx, planner.ItemQuery{Unread: true, Limit: maxUnreadTold + 1})
			if err != nil {
				d.Log.WithError(err).Warn("count the reading list's unread items")
			}
			unread = len(items)
		}
		d.do(func() {
			for _, o := range begun {
				w.remindOf(o, unread)
			}
		})
	})
}

// maxUnreadTold is the most unread items a reminder counts; more read as
// "over 99".
const maxUnreadTold = 99

func readingSlot(o planner.Occurrence) bool {
	return o.Purpose == planner.PurposeFollow || o.Purpose == planner.PurposeShare
}

// remindOf tells of one slot that began: "Share slot now: 20 min ·
// Networking · 12 unread in the reading list"; unread counts the reading
// list's unread items, told for a follow or share slot.
func (w *Window) remindOf(o planner.Occurrence, unread int) {
	title := lang.X("reminder.title", "{{.Purpose}} slot now", map[string]any{"Purpose": upperFirst(purposeLabel(o.Purpose))})
	body := lang.X("reminder.body", "{{.Minutes}} min", map[string]any{"Minutes": o.Minutes})
	if o.Role != "" {
		body += " · " + roleLabel(o.Role)
	}
	switch {
	case !readingSlot(o) || unread == 0:
	case unread > maxUnreadTold:
		body += " · " + lang.X("reminder.unread_many", "over {{.Count}} unread in the reading list", map[string]any{"Count": maxUnreadTold})
	case unread == 1:
		body += " · " + lang.X("reminder.unread_one", "1 unread in the reading list")
	default:
		body += " · " + lang.X("reminder.unread", "{{.Count}} unread in the reading list", map[string]any{"Count": unread})
	}
	w.notifySlot(o, title, body)
	// Where the notification cannot be clicked, the week offers the slot.
	w.Week.offerSlot(o, title)
}

// notifySlot sends the slot's notification: one whose click brings the
// window and opens the slot (the composer, or the reading list for a follow
// slot) where the desktop can tell of a click, else Fyne's.
func (w *Window) notifySlot(o planner.Occurrence, title, body string) {
	d := w.deps
	if d.Notify == nil {
		fyne.CurrentApp().SendNotification(fyne.NewNotification(title, body))
		return
	}
	action := lang.X("reminder.open", "Open the slot")
	open := func() {
		d.do(func() {
			w.Bring()
			w.openSlot(o)
		})
	}
	d.background(func() {
		if err := d.Notify(title, body, action, open); err != nil {
			d.Log.WithError(err).Debug("a notification that answers a click is not available")
			d.do(func() { fyne.CurrentApp().SendNotification(fyne.NewNotification(title, body)) })
		}
	})
}
