package cmd

import (
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// quitWait is how long Fyne may take to end its loop once Kaiku quits; it
// takes milliseconds. Now and then Fyne 2.7 never returns from its loop's end
// (its event queue waits for the main thread, which waits for the queue), and
// GLFW's terminate has hung under Xvfb: a Kaiku stuck there would hold the
// data folder's lock for good. After quitWait Kaiku saves what it holds and
// exits without Fyne.
const quitWait = 5 * time.Second

// saver is what the quit saves: the window.
type saver interface {
	// SaveBeforeExit saves what the composer holds, without asking.
	SaveBeforeExit()
	// WaitForWrites returns once every write asked for is on disk.
	WaitForWrites()
}

// quitGuard sees a quit through, whichever way it begins: Kaiku's own
// (the window closed, the tray's Quit, SIGTERM heard by Kaiku) or Fyne's,
// which hears SIGTERM too and may end its loop before Kaiku's quit runs.
// What the composer holds is saved once, as the loop ends (loopEnded), or
// by the fallback if the loop has not ended wait after the quit began.
type quitGuard struct {
	w   saver
	log logrus.FieldLogger
	// quitting tells a second start that this window is going away; nil
	// where nothing listens.
	quitting func()
	wait     time.Duration
	exit     func(code int)

	save  sync.Once
	arm   sync.Once
	timer *time.Timer
}

// begin marks the quit's start: from now on a second start waits for the
// folder, and the fallback is armed. Any goroutine may call it, as often
// as it likes.
func (q *quitGuard) begin() {
	q.arm.Do(func() {
		if q.quitting != nil {
			q.quitting()
		}
		q.timer = time.AfterFunc(q.wait, func() {
			q.log.Warn("the window system did not finish quitting; Kaiku saves and exits without it")
			// The loop is over or stuck by now: nothing else touches the composer.
			q.saveOnce()
			q.w.WaitForWrites()
			q.exit(exitOK)
		})
	})
}

// loopEnded is called once the app's loop has ended: it stops the fallback
// and saves what the composer still holds, which Fyne's own quit leaves.
// What follows (the outbox finishing a part it is sending, the store
// closing) may take its time.
func (q *quitGuard) loopEnded() {
	q.arm.Do(func() {})
	if q.timer != nil {
		q.timer.Stop()
	}
	q.saveOnce()
	// The composer's last save may still be on its way to the disk.
	q.w.WaitForWrites()
}

func (q *quitGuard) saveOnce() { q.save.Do(q.w.SaveBeforeExit) }
