// Package ui is Kaiku's window: the screens and widgets, built with Fyne.
// It reaches data only through planner's interfaces, never Badger or HTTP.
package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// Deps is what the screens need from the rest of Kaiku. The window keeps a
// copy of its own (NewWindow), which no one changes after: any goroutine
// may read it. What changes while the window is open reaches the screens as
// a value: the time zone through zone, and a new language as a new copy of
// Deps with which the window makes its screens again (LanguageChanged).
//
// One rule holds for all the screens: no store or network I/O on the UI
// goroutine. Reads go through background, writes through write, and their
// results come back through do.
type Deps struct {
	Store planner.Store
	// Accounts links accounts and Outbox publishes; either may be nil, and
	// the screens then offer only posting by hand.
	Accounts Accounts
	Outbox   Outbox
	// Reading is the reading list; nil leaves its screen empty.
	Reading ReadingList
	// FetchKit gets an organization's kit from a web address; nil offers
	// only kits in files. Its errors explain themselves (planner.Explain).
	FetchKit func(ctx context.Context, address string) ([]byte, error)
	// WorkCalendars adds, removes and reads again the work calendars whose
	// busy time the week shows; nil hides Settings → Work calendars.
	WorkCalendars WorkCalendars
	// Archive backs up and moves the data; nil hides those tools.
	Archive Archive
	Log     logrus.FieldLogger
	DataDir string
	// Loc is the user's time zone when the window opens (after that the
	// window's zone follows the settings); Now the clock (tests set both).
	// Deps does not change once the window is made, so any goroutine may
	// read it.
	Loc *time.Location
	Now func() time.Time
	// Lang is "fi" or "en".
	Lang string
	// SetLanguage makes the app's translations speak code ("fi", "en", or
	// "" for the system's language) and returns the language now in use;
	// nil leaves a new language to the next start.
	SetLanguage func(code string) string
	// Background runs work off the UI goroutine, reads and writes alike;
	// nil means a new goroutine for a read and the window's write lane for
	// a write. Tests run it inline, since Fyne's test driver applies fyne.Do
	// at once.
	Background func(func())
	// Do applies results on the UI goroutine; nil means fyne.Do.
	Do func(func())
	// AutosaveDelay is how long typing must pause before a draft is saved;
	// zero means three seconds.
	AutosaveDelay time.Duration
	// Notify shows a desktop notification whose click runs onClick, with
	// action as the label of its button where the desktop draws one; an
	// error (no such service) makes the window send Fyne's, which cannot be
	// clicked. Nil: Fyne's. It is called off the UI goroutine.
	Notify func(title, body, action string, onClick func()) error
	// TrayHost reports whether the desktop shows Kaiku's tray icon now; nil
	// where it can have none. Closing the window keeps Kaiku running in the
	// tray only while the icon shows.
	TrayHost func() bool
	// Autostart starts Kaiku at login; nil hides the setting.
	Autostart Autostart
	// Version is what `kaiku version` prints, for the About box.
	Version string
	// TextReady, if not nil, is closed once the text faces have loaded on
	// another goroutine; until then the window measures no text. Loading
	// them reads the theme: call UseSavedAppearance before it begins.
	TextReady <-chan struct{}

	// writes is the window's write lane (see lane); NewWindow makes it.
	writes *lane
}

// Accounts is what the accounts screen needs to link, test and unlink
// accounts; the accounts package's Manager provides it.
type Accounts interface {
	LinkX(ctx context.Context, opts accounts.LinkOptions) (*accounts.Link, error)
	LinkMastodon(ctx context.Context, opts accounts.MastodonOptions) (*accounts.OAuthLink, error)
	LinkBluesky(ctx context.Context, opts accounts.BlueskyOptions) (planner.Account, error)
	LinkLinkedIn(ctx context.Context, opts accounts.LinkedInOptions) (*accounts.OAuthLink, error)
	Check(ctx context.Context, accountID string) (planner.Account, error)
	Unlink(ctx context.Context, accountID string) (revoked bool, err error)
	SecretsFile() (path string, inUse bool)
	SecretsDamaged() bool
}

// Outbox is what the screens need to publish posts and carry out the
// user's decisions about them; the accounts package's Outbox provides it.
type Outbox interface {
	RunDue(ctx context.Context) (accounts.Summary, error)
	PublishNow(ctx context.Context, postID string) (planner.Post, error)
	Retry(ctx context.Context, postID string) (planner.Post, error)
	ConfirmPublished(ctx context.Context, postID, postURL string) (planner.Post, error)
	MarkPublishedByHand(ctx context.Context, postID string, network planner.Network, postURL string) (planner.Post, error)
	Skip(ctx context.Context, postID string) (planner.Post, error)
}

// WorkCalendars is what Settings → Work calendars needs: the sources of
// busy time and their reading, which may fetch from the network. Its errors
// explain themselves (planner.Explain) in the user's language.
type WorkCalendars interface {
	Sources(ctx context.Context) ([]planner.CalendarSource, error)
	// Add reads the .ics file at a full path, or the calendar at an
	// https://, http:// or webcal:// address, and keeps its busy time; one
	// that cannot be read is not kept.
	Add(ctx context.Context, address string) (planner.CalendarSource, error)
	// Remove forgets the source and its busy time.
	Remove(ctx context.Context, id string) error
	// Refresh reads every source anew; one that fails keeps its earlier
	// busy time and says why in its LastError.
	Refresh(ctx context.Context) error
}

var (
	_ Accounts = (*accounts.Manager)(nil)
	_ Outbox   = (*accounts.Outbox)(nil)
)

// Autostart starts Kaiku in the tray when the user logs in.
type Autostart interface {
	Enabled() (bool, error)
	SetEnabled(on bool) error
}

// background runs f off the UI goroutine, once the writes asked for before
// it are done; f applies its results with do.
func (d *Deps) background(f func()) {
	if d.Background != nil {
		d.Background(f)
		return
	}
	if d.writes == nil {
		go f()
		return
	}
	n := d.writes.mark()
	go func() {
		d.writes.wait(n)
		f()
	}()
}

// write runs f, which writes to the store, off the UI goroutine and after
// the writes asked for before it; f applies its results with do.
func (d *Deps) write(f func()) {
	if d.Background != nil {
		d.Background(f)
		return
	}
	if d.writes == nil {
		go f()
		return
	}
	d.writes.write(f)
}

// do runs f on the UI goroutine.
func (d *Deps) do(f func()) {
	if d.Do != nil {
		d.Do(f)
		return
	}
	fyne.Do(f)
}

func (d *Deps) autosaveDelay() time.Duration {
	if d.AutosaveDelay > 0 {
		return d.AutosaveDelay
	}
	return 3 * time.Second
}

func (d *Deps) now() time.Time {
	if d.Now != nil {
		return d.Now().In(d.loc())
	}
	return time.Now().In(d.loc())
}

func (d *Deps) loc() *time.Location {
	if d.Loc != nil {
		return d.Loc
	}
	return time.Local
}

// ctx bounds a store call made for the UI; the store is local, so a short
// limit only guards against a stuck disk.
func (d *Deps) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// signal tells the screens that data changed, so each reloads what it shows
// instead of the screens calling each other.
type signal struct {
	mu        sync.Mutex
	listeners []func()
}

func (s *signal) listen(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, f)
}

// emit calls every listener; call it on the UI goroutine.
func (s *signal) emit() {
	s.mu.Lock()
	ls := append([]func(){}, s.listeners...)
	s.mu.Unlock()
	for _, f := range ls {
		f()
	}
}
