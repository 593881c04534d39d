package accounts

import (
	"context"
	"errors"
	"sync"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/planner"
)

// OAuthLink is one OAuth 2.0 linking in progress (Mastodon, LinkedIn):
// the user opens AuthorizeURL in the browser and approves Kaiku; the
// browser comes back to a one-shot server on this computer, which Wait
// waits for, or the server shows a code the user types in, which Finish
// takes. Close abandons it.
type OAuthLink struct {
	authURL string
	// wait takes the browser's return (nil where the user types a code);
	// finish takes a code typed in (nil where the browser comes back).
	wait   func(ctx context.Context) (planner.Account, error)
	finish func(ctx context.Context, code string) (planner.Account, error)
	close  func()
	// abandoned runs when the link is closed without an account.
	abandoned func()

	// finishing lets one exchange run at a time; mu guards done only for a
	// moment, so that Close never waits for the network.
	finishing sync.Mutex
	mu        sync.Mutex
	done      bool
	linked    bool
	closeOnce sync.Once
}

// String keeps the link's secrets out of anything that prints it.
func (l *OAuthLink) String() string { return "accounts.OAuthLink{…}" }

// GoString does the same for %#v.
func (l *OAuthLink) GoString() string { return l.String() }

// AuthorizeURL is the page where the user approves Kaiku; the app opens it
// in the browser and the command line prints it on its own line.
func (l *OAuthLink) AuthorizeURL() string { return l.authURL }

// Loopback reports whether the browser comes back to Kaiku (Wait), rather
// than the server showing a code to type in (Finish).
func (l *OAuthLink) Loopback() bool { return l.wait != nil }

func (l *OAuthLink) begin() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return explain.New(explain.LinkFinished, errors.New("the link is finished or closed"))
	}
	return nil
}

func (l *OAuthLink) end(acc planner.Account, err error) (planner.Account, error) {
	if err == nil {
		l.mu.Lock()
		l.linked = true
		l.mu.Unlock()
		l.Close()
	}
	return acc, err
}

// Wait waits for the browser to come back, then trades its code for the
// account's tokens, reads who the user is, stores the secrets and the
// account, and returns the account. Close, or the end of ctx, stops it.
func (l *OAuthLink) Wait(ctx context.Context) (planner.Account, error) {
	if l.wait == nil {
		return planner.Account{}, explain.New(explain.NotLoopback, nil)
	}
	if err := l.begin(); err != nil {
		return planner.Account{}, err
	}
	l.finishing.Lock()
	defer l.finishing.Unlock()
	return l.end(l.wait(ctx))
}

// Finish trades the code the user typed in for the account's tokens, as
// Wait does with the browser's return.
func (l *OAuthLink) Finish(ctx context.Context, code string) (planner.Account, error) {
	if l.finish == nil {
		return planner.Account{}, explain.New(explain.NotLoopback, nil)
	}
	l.finishing.Lock()
	defer l.finishing.Unlock()
	if err := l.begin(); err != nil {
		return planner.Account{}, err
	}
	return l.end(l.finish(ctx, code))
}

// Close abandons the link: the loopback server stops and a Wait returns
// context.Canceled. Closing a finished link is harmless.
func (l *OAuthLink) Close() {
	l.mu.Lock()
	l.done = true
	linked := l.linked
	l.mu.Unlock()
	l.closeOnce.Do(func() {
		if l.close != nil {
			l.close()
		}
		if !linked && l.abandoned != nil {
			l.abandoned()
		}
	})
}
