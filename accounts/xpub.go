package accounts

import (
	"context"
	"html"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/outbox"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/accounts/vault"
	"github.com/kaiku-app/kaiku/accounts/x"
	"github.com/kaiku-app/kaiku/planner"
)

// An X account's secrets, under the names Kaiku has always stored them by.
func xSecrets(c x.Credentials) vault.Secrets {
	return vault.Secrets{"consumer_key": c.ConsumerKey, "consumer_secret": c.ConsumerSecret, "token": c.Token, "token_secret": c.TokenSecret}
}

func (m *Manager) xClient(acc planner.Account) (*x.Client, error) {
	s, err := m.secrets(acc, "consumer_key", "consumer_secret", "token", "token_secret")
	if err != nil {
		return nil, err
	}
	c, err := x.NewClient(acc.APIBase, x.Credentials{ConsumerKey: s["consumer_key"], ConsumerSecret: s["consumer_secret"], Token: s["token"], TokenSecret: s["token_secret"]},
		x.Options{HTTP: m.http, Now: m.now, Trace: m.trace, Sleep: m.sleep})
	if err != nil {
		return nil, explain.New(explain.APIBase, err)
	}
	return c, nil
}

func (m *Manager) checkX(ctx context.Context, acc planner.Account) (planner.Account, error) {
	c, err := m.xClient(acc)
	if err != nil {
		return acc, err
	}
	u, err := c.Me(ctx)
	if err != nil {
		return acc, xError(err)
	}
	acc.Handle, acc.Name, acc.RemoteID = u.Username, u.Name, u.ID
	return acc, nil
}

// xPublisher publishes through an X account. X takes no key for a post; a
// post of unknown fate is looked for among the account's recent posts.
type xPublisher struct {
	c      *x.Client
	acc    planner.Account
	userID string
}

func (m *Manager) xPublisher(acc planner.Account) (outbox.Publisher, error) {
	c, err := m.xClient(acc)
	if err != nil {
		return nil, err
	}
	return &xPublisher{c: c, acc: acc, userID: acc.RemoteID}, nil
}

func (p *xPublisher) Limits() outbox.Limits { return outbox.Limits{Length: p.acc.TextLimit} }

func (p *xPublisher) NewKey() string { return "" }

func (p *xPublisher) Publish(ctx context.Context, part outbox.Part) (outbox.Remote, error) {
	var ids []string
	for _, im := range part.Images {
		id, err := p.c.UploadImage(ctx, im.Data, im.Type, im.Alt)
		if err != nil {
			return outbox.Remote{}, xError(err)
		}
		ids = append(ids, id)
	}
	post, err := p.c.Publish(ctx, part.Text, replyID(part), ids...)
	if err != nil {
		return outbox.Remote{}, xError(err)
	}
	return outbox.Remote{ID: post.ID, URL: x.PostURL(p.acc.Handle, post.ID), At: post.At}, nil
}

func (p *xPublisher) Find(ctx context.Context, part outbox.Part) (outbox.Remote, bool, error) {
	recent, err := p.c.Recent(ctx, p.userID, part.Since)
	if err != nil {
		return outbox.Remote{}, false, xError(err)
	}
	// Oldest first: a part found twice went out the first time.
	for i := len(recent) - 1; i >= 0; i-- {
		r := recent[i]
		if r.ReplyTo == replyID(part) && sameText(part.Text, r.Text, len(part.Images) > 0) {
			return outbox.Remote{ID: r.ID, URL: x.PostURL(p.acc.Handle, r.ID), At: r.At}, true, nil
		}
	}
	return outbox.Remote{}, false, nil
}

// replyID is the ID of the part a part replies to, "" for a thread's first.
func replyID(part outbox.Part) string {
	if part.ReplyTo == nil {
		return ""
	}
	return part.ReplyTo.ID
}

// xError says what X's refusals that mean more than their status mean.
func xError(err error) error {
	e, ok := remote.As(err)
	if !ok {
		return err
	}
	key := ""
	switch e.Code {
	case x.CodeDuplicate:
		key = explain.Duplicate
	case x.CodePermission:
		key = explain.Permission
	case x.CodeProject:
		key = explain.Project
	default:
		return err
	}
	return &explain.Error{Key: key, Msg: explain.Message(key), Detail: e.Detail, Status: e.Status, Err: err}
}

var (
	linkPattern  = regexp.MustCompile(`https?://\S+`)
	spacePattern = regexp.MustCompile(`\s+`)
)

// sameText compares a text Kaiku sent with X's copy, which has HTML
// entities, shortened links and NFC normalisation of its own, and ends
// with a link to its media when it carries any.
func sameText(sent, remote string, withMedia bool) bool {
	got := normalizeText(html.UnescapeString(remote))
	if withMedia {
		got = strings.TrimSpace(strings.TrimSuffix(got, "<link>"))
	}
	return normalizeText(sent) == got
}

func normalizeText(s string) string {
	s = norm.NFC.String(s)
	s = linkPattern.ReplaceAllString(s, "<link>")
	return strings.TrimSpace(spacePattern.ReplaceAllString(s, " "))
}
