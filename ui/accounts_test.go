package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
)

func TestLinkPublishNowFromTheWindow(t *testing.T) {
	a := test.NewTempApp(t)
	srv := xtest.Start(t, xtest.Options{User: xtest.User{ID: "42", Username: "maija", Name: "Maija"}})
	d := newDeps(t)
	m, err := accounts.New(accounts.Options{Store: d.Store, DataDir: t.TempDir(), Logger: d.Log, Now: d.Now,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	d.Accounts, d.Outbox = m, m.NewOutbox(accounts.OutboxOptions{})
	w := NewWindow(a, d)
	defer w.Close()

	s := w.Accounts()
	s.key.SetText(srv.ConsumerKey())
	s.secret.SetText(srv.ConsumerSecret())
	s.apiBase.SetText(srv.URL)
	s.startLink()
	if s.link == nil || !s.pinRow.Visible() {
		t.Fatalf("no PIN step: %q", s.status.Text)
	}
	pin, err := srv.Authorize(s.link.AuthorizeURL())
	if err != nil {
		t.Fatal(err)
	}
	s.pin.SetText(pin)
	s.finishLink()
	if !strings.Contains(s.status.Text, "@maija") {
		t.Fatalf("after the PIN: %q", s.status.Text)
	}
	linked, _ := d.Store.Accounts(context.Background())
	if len(linked) != 1 || linked[0].Handle != "maija" {
		t.Fatalf("accounts %+v", linked)
	}

	c := w.Composer()
	c.New()
	test.Type(c.text, "Hei X, terveisiä Kaiusta")
	c.selectTargets([]planner.Target{{AccountID: linked[0].ID, Network: planner.NetworkX}})
	c.updateActions()
	if c.publish.Disabled() {
		t.Fatal("Publish now is off with a linked account chosen")
	}
	test.Tap(c.publish)
	tweets := srv.Tweets()
	if len(tweets) != 1 || tweets[0].Text != "Hei X, terveisiä Kaiusta" {
		t.Fatalf("X got %+v", tweets)
	}
	if c.post.Status != planner.StatusPublished {
		t.Errorf("composer shows %s", c.post.Status)
	}
}
