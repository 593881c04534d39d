package accounts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/accounts/bluesky"
	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/outbox"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/accounts/vault"
	"github.com/kaiku-app/kaiku/planner"
)

// BlueskyOptions say which Bluesky account to link.
type BlueskyOptions struct {
	// Service is where to sign in; "" signs in at Bluesky
	// (bluesky.DefaultService) and finds the account's own server from its
	// DID document.
	Service string
	// Handle (or the account's email or DID) and an app password, made in
	// Bluesky's Settings → Privacy and security → App passwords. Kaiku keeps
	// the session it gives, never the password. Required.
	Handle, AppPassword string
	// AccountID links an existing account again.
	AccountID string
}

// LinkBluesky links a Bluesky account with an app password: it signs in
// once and keeps the session in the keyring.
func (m *Manager) LinkBluesky(ctx context.Context, opts BlueskyOptions) (planner.Account, error) {
	if strings.TrimSpace(opts.Handle) == "" || opts.AppPassword == "" {
		return planner.Account{}, explain.New(explain.For(explain.Handle, planner.NetworkBluesky), nil)
	}
	if err := m.checkRelinkTarget(ctx, planner.NetworkBluesky, opts.AccountID); err != nil {
		return planner.Account{}, err
	}
	c, err := bluesky.Login(ctx, opts.Service, opts.Handle, strings.TrimSpace(opts.AppPassword), m.blueskyOptions(""))
	if err != nil {
		return planner.Account{}, blueskyLinkError(err)
	}
	sess := c.Session()
	acc, isNew, err := m.linkTarget(ctx, planner.NetworkBluesky, opts.AccountID, sess.DID, sess.Service)
	if err != nil {
		return planner.Account{}, err
	}
	acc.Handle, acc.RemoteID, acc.APIBase = sess.Handle, sess.DID, sess.Service
	if acc.Name == "" {
		acc.Name = sess.Handle
	}
	acc.Status, acc.Updated = planner.AccountLinked, m.now()
	return m.saveLinked(ctx, acc, isNew, sessionSecrets(sess))
}

// blueskyOptions are the client's options; a new session after a refresh
// goes to the keyring under accountID, since the old refresh token is
// then spent.
func (m *Manager) blueskyOptions(accountID string) bluesky.Options {
	opts := bluesky.Options{HTTP: m.http, Now: m.now, Trace: m.trace}
	if accountID != "" {
		opts.OnSession = func(s bluesky.Session) {
			if err := m.vault.Set(vault.Account(accountID), sessionSecrets(s)); err != nil {
				m.log.WithField("account", accountID).WithField("cause", err.Error()).Warn("could not keep the renewed Bluesky session; the account may need linking again")
			}
		}
	}
	return opts
}

func sessionSecrets(s bluesky.Session) vault.Secrets {
	return vault.Secrets{"did": s.DID, "handle": s.Handle, "service": s.Service, "access_jwt": s.AccessJWT, "refresh_jwt": s.RefreshJWT}
}

// blueskyLinkError explains a failed sign-in.
func blueskyLinkError(err error) error {
	e, ok := remote.As(err)
	if !ok {
		return explain.New(explain.For(explain.LinkServer, planner.NetworkBluesky), err)
	}
	key := explain.For(explain.LinkServer, planner.NetworkBluesky)
	switch {
	case errors.Is(err, remote.ErrBase):
		key = explain.APIBase
	case e.Kind == remote.KindNetwork:
		key = explain.For(explain.LinkNetwork, planner.NetworkBluesky)
	case e.Kind == remote.KindAuth && e.Detail == "the account is not active":
		key = explain.For(explain.Inactive, planner.NetworkBluesky)
	case e.Kind == remote.KindAuth:
		key = explain.For(explain.Password, planner.NetworkBluesky)
	}
	return &explain.Error{Key: key, Msg: explain.Message(key), Detail: e.Detail, Status: e.Status, Err: err}
}

func (m *Manager) blueskyClient(acc planner.Account) (*bluesky.Client, error) {
	s, err := m.secrets(acc, "did", "service", "access_jwt", "refresh_jwt")
	if err != nil {
		return nil, err
	}
	c, err := bluesky.Resume(bluesky.Session{DID: s["did"], Handle: s["handle"], Service: s["service"], AccessJWT: s["access_jwt"], RefreshJWT: s["refresh_jwt"]},
		m.blueskyOptions(acc.ID))
	if err != nil {
		return nil, relinkError(explain.For(explain.Relink, planner.NetworkBluesky), err)
	}
	return c, nil
}

func (m *Manager) checkBluesky(ctx context.Context, acc planner.Account) (planner.Account, error) {
	c, err := m.blueskyClient(acc)
	if err != nil {
		return acc, err
	}
	// A refresh proves the session good and tells the handle now.
	if err := c.Refresh(ctx); err != nil {
		return acc, err
	}
	s := c.Session()
	acc.Handle, acc.RemoteID, acc.APIBase = s.Handle, s.DID, s.Service
	return acc, nil
}

// blueskyPublisher writes post records to a Bluesky account's repository.
// Each part's record key (a TID) is chosen and kept before the request, so
// that a part of unknown fate is read back by its key, and a write again
// under the same key cannot make a second post.
type blueskyPublisher struct {
	c   *bluesky.Client
	acc planner.Account
	now func() time.Time
}

func (m *Manager) blueskyPublisher(acc planner.Account) (outbox.Publisher, error) {
	c, err := m.blueskyClient(acc)
	if err != nil {
		return nil, err
	}
	return &blueskyPublisher{c: c, acc: acc, now: m.now}, nil
}

func (p *blueskyPublisher) Limits() outbox.Limits {
	return outbox.Limits{Length: p.acc.TextLimit, Certain: true}
}

func (p *blueskyPublisher) NewKey() string { return p.c.NewTID() }

func (p *blueskyPublisher) Publish(ctx context.Context, part outbox.Part) (outbox.Remote, error) {
	d := bluesky.Draft{Text: part.Text, Card: true}
	for _, im := range part.Images {
		d.Images = append(d.Images, bluesky.Image{Data: im.Data, Type: im.Type, Alt: im.Alt, Width: im.Width, Height: im.Height})
	}
	if part.Language != "" {
		d.Langs = []string{part.Language}
	}
	if part.ReplyTo != nil && part.Root != nil {
		d.Reply = &bluesky.ReplyRef{Root: bluesky.Ref{URI: part.Root.ID, CID: part.Root.CID}, Parent: bluesky.Ref{URI: part.ReplyTo.ID, CID: part.ReplyTo.CID}}
	}
	// A link card's page that does not answer soon gives no card, not a
	// stuck post; images, which replace the card, take what they take.
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if len(d.Images) == 0 {
		cctx, cancel = context.WithTimeout(ctx, 15*time.Second)
	}
	post, err := p.c.Compose(cctx, d, p.now())
	cancel()
	if err != nil {
		return outbox.Remote{}, err
	}
	ref, err := p.c.PutPost(ctx, part.Key, post)
	if err != nil {
		return outbox.Remote{}, err
	}
	return p.remote(ref), nil
}

func (p *blueskyPublisher) Find(ctx context.Context, part outbox.Part) (outbox.Remote, bool, error) {
	if !bluesky.ValidTID(part.Key) {
		// Without its record key a part cannot be looked for.
		return outbox.Remote{}, false, &remote.Error{Network: planner.NetworkBluesky, Op: "look for a post", Kind: remote.KindOther,
			Err: errors.New("the part has no record key")}
	}
	ref, _, found, err := p.c.GetPost(ctx, part.Key)
	if err != nil || !found {
		return outbox.Remote{}, false, err
	}
	return p.remote(ref), true, nil
}

func (p *blueskyPublisher) remote(ref bluesky.Ref) outbox.Remote {
	who := p.c.Session().Handle
	if who == "" {
		who = p.c.Session().DID
	}
	at := p.now()
	if t, ok := bluesky.TIDTime(ref.RKey()); ok {
		at = t
	}
	return outbox.Remote{ID: ref.URI, CID: ref.CID, URL: bluesky.PostURL(who, ref), At: at}
}
