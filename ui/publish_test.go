package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// Without an outbox, posting by hand says that it cannot be marked
// published now, instead of a button that does nothing.
func TestPostByHandWithoutOutboxSaysSo(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	c := w.Composer()
	c.New()
	test.Type(c.text, "Käsin LinkedIniin")
	c.selectTargets([]planner.Target{{Network: planner.NetworkLinkedIn}})
	c.updateActions()
	c.postByHand()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	said := strings.Join(textsUnder(top), " ")
	if strings.Contains(said, "Mark published") || !strings.Contains(said, "publishing tools") {
		t.Fatalf("the dialog says %q", said)
	}
}

// A post that needs attention can be skipped from the composer, as with
// 'kaiku post skip': it becomes a draft.
func TestSkipFromTheComposer(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	m := newManager(t, d, t.TempDir(), nil)
	d.Accounts, d.Outbox = m, m.NewOutbox(accounts.OutboxOptions{})
	p := planner.Post{ID: planner.NewID(), Text: "Myöhästyi", Status: planner.StatusNeedsAttention, Time: now, Created: now, Updated: now,
		Targets: []planner.Target{{Network: planner.NetworkLinkedIn}}, LastError: "outbox.late.ask"}
	if err := d.Store.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	c := w.Composer()
	c.Edit(p)
	test.Tap(findButton(t, c.attention, "Skip it"))
	got, err := d.Store.Post(context.Background(), p.ID)
	if err != nil || got.Status != planner.StatusDraft || c.post.Status != planner.StatusDraft {
		t.Fatalf("skipped %+v %v; the composer shows %s", got, err, c.post.Status)
	}
}

// A reload that read the post before the composer's own next save never
// brings the older text back.
func TestStaleReloadKeepsNewerText(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	var applies []func()
	d.Do = func(f func()) { applies = append(applies, f) } // loads read at once, apply when the test says
	var tick time.Duration
	d.Now = func() time.Time { tick += time.Second; return now.Add(tick) }
	w := NewWindow(a, d)
	defer w.Close()
	c := w.Composer()
	test.Type(c.text, "yksi ")
	applies = nil
	c.Save() // its reload reads this version now
	stale := applies
	applies = nil
	test.Type(c.text, "kaksi ")
	c.Save()
	for _, f := range stale {
		f() // the first save's reload arrives after the second save
	}
	if c.text.Text != "yksi kaksi " {
		t.Fatalf("the composer went back to %q", c.text.Text)
	}
	for _, f := range applies {
		f()
	}
}
