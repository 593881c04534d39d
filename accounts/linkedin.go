package accounts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/linkedin"
	"github.com/kaiku-app/kaiku/accounts/outbox"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/accounts/vault"
	"github.com/kaiku-app/kaiku/planner"
)

// LinkedInOptions say which LinkedIn app links which member's account.
type LinkedInOptions struct {
	// ClientID and ClientSecret are the user's LinkedIn app's, from its
	// Auth tab in LinkedIn's developer portal. Required.
	ClientID, ClientSecret string
	// Port is where Kaiku waits for the browser: the redirect URL
	// http://127.0.0.1:PORT/callback must be registered in the app.
	// linkedin.DefaultPort (47812) when 0.
	Port int
	// CallbackAddr, when set, is where to wait instead of Port (tests).
	CallbackAddr string
	// APIBase replaces both of LinkedIn's hosts (sign-in and API), as for a
	// test server; it is stored with the account.
	APIBase string
	// AccountID links an existing account again.
	AccountID string
	// Translate translates the loopback page's text; nil leaves it English.
	Translate func(key, fallback string) string
}

func (m *Manager) linkedinServer(apiBase string) (*linkedin.Server, error) {
	s, err := linkedin.NewServer(linkedin.Options{HTTP: m.http, Now: m.now, Trace: m.trace, APIBase: apiBase, Sleep: m.sleep})
	if err != nil {
		return nil, explain.New(explain.APIBase, err)
	}
	return s, nil
}

// LinkLinkedIn starts linking a LinkedIn member's account through the
// user's own LinkedIn app: it waits on this computer for the browser's
// return and returns the link, whose AuthorizeURL the user opens. The link
// lasts 60 days (Account.Expires); then the account is linked again.
func (m *Manager) LinkLinkedIn(ctx context.Context, opts LinkedInOptions) (*OAuthLink, error) {
	app := linkedin.App{ClientID: strings.TrimSpace(opts.ClientID), ClientSecret: strings.TrimSpace(opts.ClientSecret)}
	if app.ClientID == "" || app.ClientSecret == "" {
		return nil, explain.New(explain.For(explain.KeysRequired, planner.NetworkLinkedIn), nil)
	}
	apiBase, err := planner.APIBase(opts.APIBase)
	if err != nil {
		return nil, explain.New(explain.APIBase, err)
	}
	srv, err := m.linkedinServer(apiBase)
	if err != nil {
		return nil, err
	}
	if err := m.checkRelinkTarget(ctx, planner.NetworkLinkedIn, opts.AccountID); err != nil {
		return nil, err
	}
	addr := opts.CallbackAddr
	if addr == "" {
		addr = linkedin.CallbackAddress(opts.Port)
	}
	ll, err := srv.StartLink(app, linkedin.LinkOptions{Addr: addr, Page: loopbackPage(planner.NetworkLinkedIn, opts.Translate)})
	if err != nil {
		return nil, explain.New(explain.For(explain.Port, planner.NetworkLinkedIn), err)
	}
	l := &OAuthLink{authURL: ll.URL(), close: ll.Close}
	l.wait = func(ctx context.Context) (planner.Account, error) {
		linked, err := ll.Wait(ctx)
		if err != nil {
			return planner.Account{}, linkedinLinkError(err)
		}
		acc, isNew, err := m.linkTarget(ctx, planner.NetworkLinkedIn, opts.AccountID, linked.Member.Sub, apiBase)
		if err != nil {
			return planner.Account{}, err
		}
		applyLinkedIn(&acc, linked.Member)
		acc.APIBase, acc.Expires = apiBase, linked.Token.Expires
		acc.Status, acc.Updated = planner.AccountLinked, m.now()
		return m.saveLinked(ctx, acc, isNew, vault.Secrets{
			"client_id": app.ClientID, "client_secret": app.ClientSecret, "access_token": linked.Token.AccessToken,
			"scope": linked.Token.Scope, "expires": linked.Token.Expires.UTC().Format(time.RFC3339),
		})
	}
	m.log.WithField("redirect", ll.RedirectURI()).Info("linking a LinkedIn account: waiting for the user to authorize")
	return l, nil
}

// applyLinkedIn fills in the account from who the member is: LinkedIn has
// no handle, so the member's name stands for it.
func applyLinkedIn(acc *planner.Account, who linkedin.Member) {
	acc.Handle, acc.Name, acc.RemoteID = who.Name, who.Name, who.Sub
	if acc.Handle == "" {
		acc.Handle = who.URN()
	}
}

// linkedinLinkError explains a failed step of linking LinkedIn.
func linkedinLinkError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	e, ok := remote.As(err)
	if !ok {
		return explain.New(explain.For(explain.LinkServer, planner.NetworkLinkedIn), err)
	}
	key := explain.For(explain.LinkServer, planner.NetworkLinkedIn)
	switch {
	case errors.Is(err, remote.ErrDenied):
		key = explain.Denied
	case errors.Is(err, linkedin.ErrPermission):
		key = explain.LinkPermission
	case e.Code == "invalid_client" || e.Code == "unauthorized_client":
		key = explain.For(explain.Client, planner.NetworkLinkedIn)
	case e.Kind == remote.KindNetwork:
		key = explain.For(explain.LinkNetwork, planner.NetworkLinkedIn)
	case e.Op == "sign in" && e.Kind == remote.KindRejected:
		key = explain.For(explain.Code, planner.NetworkLinkedIn)
	}
	return &explain.Error{Key: key, Msg: explain.Message(key), Detail: e.Detail, Status: e.Status, Err: err}
}

func (m *Manager) linkedinClient(acc planner.Account) (*linkedin.Client, error) {
	if acc.LinkEnded(m.now()) {
		return nil, relinkError(explain.For(explain.Expired, planner.NetworkLinkedIn), nil)
	}
	s, err := m.secrets(acc, "access_token")
	if err != nil {
		return nil, err
	}
	srv, err := m.linkedinServer(acc.APIBase)
	if err != nil {
		return nil, relinkError(explain.For(explain.Relink, planner.NetworkLinkedIn), err)
	}
	tok := linkedin.Token{AccessToken: s["access_token"], Scope: s["scope"], Expires: acc.Expires}
	if t, err := time.Parse(time.RFC3339, s["expires"]); err == nil {
		tok.Expires = t
	}
	return srv.Client(tok), nil
}

func (m *Manager) checkLinkedIn(ctx context.Context, acc planner.Account) (planner.Account, error) {
	c, err := m.linkedinClient(acc)
	if err != nil {
		return acc, err
	}
	who, err := c.UserInfo(ctx)
	if err != nil {
		return acc, linkedinError(err)
	}
	applyLinkedIn(&acc, who)
	return acc, nil
}

// linkedinPublisher posts as a LinkedIn member. A thread goes as one post.
// LinkedIn gives Kaiku no way to read the member's posts: a post of
// unknown fate is sent again, and LinkedIn's refusal of it as a duplicate
// says that the first try went through, and where.
type linkedinPublisher struct {
	c      *linkedin.Client
	author string
	acc    planner.Account
}

func (m *Manager) linkedinPublisher(acc planner.Account) (outbox.Publisher, error) {
	c, err := m.linkedinClient(acc)
	if err != nil {
		return nil, err
	}
	return &linkedinPublisher{c: c, author: linkedin.Member{Sub: acc.RemoteID}.URN(), acc: acc}, nil
}

func (p *linkedinPublisher) Limits() outbox.Limits {
	return outbox.Limits{Length: p.acc.TextLimit, Certain: true}
}

func (p *linkedinPublisher) NewKey() string { return "" }

// post uploads the part's images and posts it with them.
func (p *linkedinPublisher) post(ctx context.Context, part outbox.Part) (linkedin.Post, error) {
	var ims []linkedin.Image
	for _, im := range part.Images {
		urn, err := p.c.UploadImage(ctx, p.author, im.Data, im.Type)
		if err != nil {
			return linkedin.Post{}, err
		}
		ims = append(ims, linkedin.Image{URN: urn, Alt: im.Alt})
	}
	return p.c.Publish(ctx, p.author, part.Text, ims...)
}

func (p *linkedinPublisher) Publish(ctx context.Context, part outbox.Part) (outbox.Remote, error) {
	post, err := p.post(ctx, part)
	if err != nil {
		return outbox.Remote{}, linkedinError(err)
	}
	return outbox.Remote{ID: post.URN, URL: post.URL}, nil
}

func (p *linkedinPublisher) Find(ctx context.Context, part outbox.Part) (outbox.Remote, bool, error) {
	post, err := p.post(ctx, part)
	if d, ok := linkedin.AsDuplicate(err); ok {
		return outbox.Remote{ID: d.Post.URN, URL: d.Post.URL}, true, nil
	}
	if err != nil {
		return outbox.Remote{}, false, linkedinError(err)
	}
	return outbox.Remote{ID: post.URN, URL: post.URL}, true, nil
}

// linkedinError says what LinkedIn's refusals that mean more than their
// kind mean.
func linkedinError(err error) error {
	key := ""
	_, dup := linkedin.AsDuplicate(err)
	switch {
	case dup:
		key = explain.For(explain.Duplicate, planner.NetworkLinkedIn)
	case errors.Is(err, linkedin.ErrExpired):
		key = explain.For(explain.Expired, planner.NetworkLinkedIn)
	case errors.Is(err, linkedin.ErrPermission):
		key = explain.For(explain.Permission, planner.NetworkLinkedIn)
	case errors.Is(err, linkedin.ErrVersion):
		key = explain.For(explain.Version, planner.NetworkLinkedIn)
	case errors.Is(err, linkedin.ErrImageFailed):
		key = explain.For(explain.ImageFailed, planner.NetworkLinkedIn)
	case errors.Is(err, linkedin.ErrImageProcessing):
		key = explain.For(explain.ImageBusy, planner.NetworkLinkedIn)
	default:
		return err
	}
	e := &explain.Error{Key: key, Msg: explain.Message(key), Err: err}
	if re, ok := remote.As(err); ok {
		e.Detail, e.Status = re.Detail, re.Status
	}
	return e
}
